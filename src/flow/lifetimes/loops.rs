//! How a goroutine's loop can end, in terms of the fields of its object:
//! `for range t.queue` ends when `t.queue` is closed; `for { select { case
//! <-t.done: return … } }` ends when `t.done` is closed or sent on; a case
//! on `t.ctx.Done()` when the context is cancelled. Exits guarded by
//! anything else (an error, a parameter's channel, a flag) are "other": the
//! loop may end without the object's help.

use super::types::Resolver;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// How a loop waits on a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `<-t.f` on a channel field.
    Chan,
    /// `<-t.f.Done()` on a context field.
    Ctx,
}

/// A receive on a field in the loop.
#[derive(Debug, Clone)]
pub struct FieldWait<'a> {
    /// The struct type declaring the field.
    pub owner: String,
    /// The field.
    pub field: String,
    /// Channel or context.
    pub via: Via,
    /// The select case (or receive statement) that waits.
    pub case: Node<'a>,
    /// The exits of the loop that leave from this case because of the
    /// receive (directly, or under a check of its `ok`).
    pub exits: Vec<Node<'a>>,
}

/// How a loop of a goroutine can end.
#[derive(Debug, Clone)]
pub enum LoopShape<'a> {
    /// `for … range t.f` over a channel field, with no other exit.
    RangeField {
        /// The struct type declaring the field.
        owner: String,
        /// The field.
        field: String,
    },
    /// `for range t.f.C` over a ticker's channel, with no other exit.
    RangeTicker {
        /// The struct type declaring the field.
        owner: String,
        /// The field.
        field: String,
    },
    /// `for { … }` whose exits (if any) all leave from cases on fields.
    Endless {
        /// Receives on fields in the loop.
        waits: Vec<FieldWait<'a>>,
        /// Whether the loop has an exit at all.
        has_exit: bool,
    },
}

/// The shape of `lp`, or `None` when it can end by other means (a
/// condition, an exit not tied to a field, a call that never returns). A
/// `default` case does not end a loop: it only makes it spin.
pub fn loop_shape<'a>(r: &Resolver<'_, 'a>, lp: Node<'a>) -> Option<LoopShape<'a>> {
    let src = r.src;
    let body = lp.child_by_field_name("body")?;
    let exits = exits_of(lp, body, src);
    let range = syntax::named_children(lp).find(|c| c.kind() == kinds::RANGE_CLAUSE);
    if let Some(range) = range {
        if !exits.is_empty() {
            return None;
        }
        let right = syntax::unparen(range.child_by_field_name("right")?);
        if let Some((owner, field)) = r.field_of(right) {
            return chan_type(&field.ty).then(|| LoopShape::RangeField {
                owner: owner.name.clone(),
                field: field.name.clone(),
            });
        }
        // `t.ticker.C`.
        if right.kind() == kinds::SELECTOR_EXPRESSION
            && right
                .child_by_field_name("field")
                .is_some_and(|f| syntax::text(f, src) == "C")
        {
            let (owner, field) = r.field_of(right.child_by_field_name("operand")?)?;
            let ty = field.ty.trim_start_matches('*');
            return (ty == "time.Ticker").then(|| LoopShape::RangeTicker {
                owner: owner.name.clone(),
                field: field.name.clone(),
            });
        }
        return None;
    }
    if !syntax::named_children(lp).all(|c| c.kind() == kinds::BLOCK) {
        return None;
    }
    let mut waits = Vec::new();
    let mut ends = false;
    syntax::walk(body, |n| {
        match n.kind() {
            kinds::FUNC_LITERAL => return false,
            kinds::CALL_EXPRESSION => {
                let f = n
                    .child_by_field_name("function")
                    .map(|f| syntax::text(f, src));
                if matches!(
                    f,
                    Some("panic" | "os.Exit" | "runtime.Goexit" | "log.Fatal" | "log.Fatalf")
                ) {
                    ends = true;
                }
            }
            kinds::UNARY_EXPRESSION
                if n.child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "<-") =>
            {
                if let Some(w) = wait_of(r, n, lp, &exits) {
                    waits.push(w);
                }
            }
            _ => {}
        }
        true
    });
    if ends {
        return None;
    }
    // Every exit must leave from a case on a field.
    let tied = exits.iter().all(|e| {
        waits
            .iter()
            .any(|w| w.exits.iter().any(|x| x.id() == e.id()))
    });
    if !tied {
        return None;
    }
    Some(LoopShape::Endless {
        waits,
        has_exit: !exits.is_empty(),
    })
}

/// Whether `exit` leaves from `case` whatever else holds: not under an `if`
/// or `switch` of the case, unless its condition tests the receive's `ok`.
fn unconditional(case: Node<'_>, exit: Node<'_>, ok: Option<&str>, src: &str) -> bool {
    syntax::ancestors(case, exit)
        .iter()
        .all(|n| match n.kind() {
            kinds::IF_STATEMENT => ok.is_some_and(|ok| {
                n.child_by_field_name("condition")
                    .is_some_and(|c| syntax::text(c, src).contains(ok))
            }),
            kinds::EXPRESSION_SWITCH_STATEMENT
            | kinds::TYPE_SWITCH_STATEMENT
            | kinds::FOR_STATEMENT => false,
            _ => true,
        })
}

/// Whether a type as written is a channel type (`chan T`, `<-chan T`, `chan<- T`).
pub fn chan_type(ty: &str) -> bool {
    let t = ty.trim_start();
    t.starts_with("chan") || t.starts_with("<-chan")
}

/// The field a receive `<-x` (inside `lp`) waits on, with its case.
fn wait_of<'a>(
    r: &Resolver<'_, 'a>,
    recv: Node<'a>,
    lp: Node<'a>,
    exits: &[Node<'a>],
) -> Option<FieldWait<'a>> {
    let op = syntax::unparen(recv.child_by_field_name("operand")?);
    let (target, via) = if op.kind() == kinds::CALL_EXPRESSION {
        let f = op.child_by_field_name("function")?;
        if f.kind() != kinds::SELECTOR_EXPRESSION
            || f.child_by_field_name("field")
                .map(|x| syntax::text(x, r.src))
                != Some("Done")
        {
            return None;
        }
        (f.child_by_field_name("operand")?, Via::Ctx)
    } else {
        (op, Via::Chan)
    };
    let (owner, field) = r.field_of(target)?;
    if via == Via::Chan && !chan_type(&field.ty) {
        return None;
    }
    if via == Via::Ctx && !field.ty.ends_with("Context") {
        return None;
    }
    // The select case whose communication this receive is, else the statement.
    let chain = syntax::ancestors(lp, recv);
    let case = chain
        .iter()
        .rev()
        .find(|n| n.kind() == kinds::COMMUNICATION_CASE)
        .copied()
        .filter(|c| {
            c.child_by_field_name("communication")
                .is_some_and(|comm| syntax::within(recv, comm))
        })
        .unwrap_or(recv);
    let exits = if case.id() == recv.id() {
        Vec::new()
    } else {
        let ok = case
            .child_by_field_name("communication")
            .and_then(|c| c.child_by_field_name("left"))
            .map(syntax::expressions)
            .and_then(|l| l.get(1).map(|o| syntax::text(*o, r.src)));
        exits
            .iter()
            .copied()
            .filter(|e| syntax::within(*e, case) && unconditional(case, *e, ok, r.src))
            .collect()
    };
    Some(FieldWait {
        owner: owner.name.clone(),
        field: field.name.clone(),
        via,
        case,
        exits,
    })
}

/// The statements that leave `lp`: `return`, `goto`, a `break` or
/// `continue` that targets it or an outer statement (func literals excluded).
fn exits_of<'a>(lp: Node<'a>, body: Node<'a>, src: &str) -> Vec<Node<'a>> {
    let label = lp
        .parent()
        .filter(|p| p.kind() == kinds::LABELED_STATEMENT)
        .and_then(|p| p.child_by_field_name("label"))
        .map(|l| syntax::text(l, src));
    let mut inner_labels = Vec::new();
    syntax::walk(body, |n| {
        if n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::LABELED_STATEMENT {
            if let Some(l) = n.child_by_field_name("label") {
                inner_labels.push(syntax::text(l, src));
            }
        }
        true
    });
    let mut out = Vec::new();
    syntax::walk(body, |n| {
        match n.kind() {
            kinds::FUNC_LITERAL => return false,
            kinds::RETURN_STATEMENT | kinds::GOTO_STATEMENT => out.push(n),
            kinds::BREAK_STATEMENT | kinds::CONTINUE_STATEMENT => {
                let target = syntax::named_children(n)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, src));
                let leaves = match target {
                    Some(t) => {
                        (Some(t) == label && n.kind() == kinds::BREAK_STATEMENT)
                            || (Some(t) != label && !inner_labels.contains(&t))
                    }
                    None => n.kind() == kinds::BREAK_STATEMENT && breaks_loop(lp, n),
                };
                if leaves {
                    out.push(n);
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// Whether an unlabelled `break` leaves `lp` itself (no switch, select or
/// loop in between).
fn breaks_loop(lp: Node<'_>, brk: Node<'_>) -> bool {
    let chain = syntax::ancestors(lp, brk);
    !chain.iter().skip(1).any(|n| {
        matches!(
            n.kind(),
            kinds::FOR_STATEMENT
                | kinds::EXPRESSION_SWITCH_STATEMENT
                | kinds::TYPE_SWITCH_STATEMENT
                | kinds::SELECT_STATEMENT
        )
    })
}

/// The `break` statements directly under `case` that only leave its select.
pub fn select_breaks<'a>(case: Node<'a>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    syntax::walk(case, |n| {
        if n.kind() == kinds::FUNC_LITERAL
            || (n.id() != case.id()
                && matches!(
                    n.kind(),
                    kinds::FOR_STATEMENT
                        | kinds::SELECT_STATEMENT
                        | kinds::EXPRESSION_SWITCH_STATEMENT
                        | kinds::TYPE_SWITCH_STATEMENT
                ))
        {
            return false;
        }
        if n.kind() == kinds::BREAK_STATEMENT && syntax::named_children(n).next().is_none() {
            out.push(n);
        }
        true
    });
    out
}
