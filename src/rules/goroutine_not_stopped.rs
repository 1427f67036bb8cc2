//! `goroutine-not-stopped`: a goroutine an object starts can end only
//! through a field the object never signals, or through a `Stop` the loop
//! cannot obey.
//!
//! ## What it does
//! Looks at the goroutines constructors and methods start (`go func(){…}()`,
//! `go t.loop()` with the method in any file of the package) and at the
//! loops they run. A loop whose every exit leaves from a case on a field —
//! `case <-t.done: return`, `case <-t.ctx.Done(): return` — or that ranges
//! over a field channel, is judged against the whole package
//! ([`crate::flow::lifetimes`]): it is reported when nothing closes or
//! sends on the channel, nothing calls the stored cancel of a context
//! derived from `context.Background()`, `for range t.ticker.C` (a ticker's
//! `Stop` never closes `C`), a case on a signalled field that does not leave
//! the loop (no `return`, or a `break` that leaves only the `select`), or a
//! single send on the done channel for goroutines started in a loop.
//!
//! ## Why is this bad?
//! Each object created and stopped leaves its goroutine behind, with its
//! stack and everything the goroutine references, the object included.
//!
//! ## Example
//! ```go
//! func (p *Pump) Start() {
//!     go func() {
//!         for {
//!             select {
//!             case v := <-p.in:
//!                 p.out(v)
//!             case <-p.done: // nothing closes p.done
//!                 return
//!             }
//!         }
//!     }()
//! }
//! ```
//!
//! Use instead: `func (p *Pump) Stop() { close(p.done) }`.

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::lifetimes::loops::{
    chan_type, loop_shape, select_breaks, FieldWait, LoopShape, Via,
};
use crate::flow::lifetimes::{
    FieldUseKind, GoSite, GoTarget, Lifetimes, Origin, Resolver, StructTypes,
};
use crate::index::FuncKey;
use crate::parse::ParsedFile;
use crate::source::Span;
use crate::store::{PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashSet as HashSet;

/// The `goroutine-not-stopped` rule.
pub struct GoroutineNotStopped;

static META: RuleMeta = RuleMeta {
    name: "goroutine-not-stopped",
    family: Family::Goroutine,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/goroutine-not-stopped.md"),
};

impl Rule for GoroutineNotStopped {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        if may_find(pkg) {
            pkg.fact::<Lifetimes>();
        }
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        !file.package.index.types.is_empty() && file.src().contains("for")
    }

    fn check_file(&self, file: &FileContext<'_>, sink: &mut Sink<'_>) {
        if !may_find(file.package) {
            return;
        }
        let lt = file.package.fact::<Lifetimes>();
        for site in lt.go_sites.iter().filter(|s| !s.process) {
            let Some((top, func)) = goroutine_body(file, lt, site) else {
                continue;
            };
            let Some(gcx) = file.function(top, func) else {
                continue;
            };
            check_goroutine(&gcx, lt, site, sink);
        }
    }
}

/// Whether the package can hold a finding, asked before the package-wide
/// lifetimes are scanned: some file has a `go` statement (else no type starts
/// a goroutine), and some code waits on a field a loop shape rests on.
fn may_find(pkg: &crate::check::PackageContext<'_>) -> bool {
    pkg.files
        .iter()
        .any(|f| f.tree.has_kind(kinds::GO_STATEMENT))
        && pkg.fact::<FieldWaits>().0
}

/// Whether some code of the package receives from, ranges over or waits on
/// the `Done` of a struct field whose type allows it (a channel, a context, a
/// ticker's `C`): every loop shape rests on one, so without one the lifetimes
/// need not be scanned. Syntax only, so a superset of what the rule judges.
struct FieldWaits(bool);

impl PackageFact for FieldWaits {
    fn build(input: PackageInput<'_>) -> Self {
        let types = StructTypes::of(input.files);
        let fields: HashSet<&str> = types
            .types
            .values()
            .flat_map(|t| t.fields.iter().chain(&t.embeds))
            .filter(|f| waitable(&f.ty))
            .map(|f| f.name.as_str())
            .collect();
        if fields.is_empty() {
            return FieldWaits(false);
        }
        FieldWaits(input.files.iter().any(|f| waits_on(f, &fields)))
    }
}

/// Whether `file` waits on a field named one of `fields` (see [`waited_on`]).
fn waits_on(file: &ParsedFile, fields: &HashSet<&str>) -> bool {
    let src = file.source.text.as_str();
    file.tree
        .nodes_of_kind(kinds::SELECTOR_EXPRESSION)
        .any(|sel| {
            sel.child_by_field_name("field")
                .is_some_and(|x| fields.contains(syntax::text(x, src)))
                && waited_on(sel, src)
        })
}

/// A field type every loop shape rests on: a channel received from or ranged
/// over, a context whose `Done` is waited on, a ticker ranged over.
fn waitable(ty: &str) -> bool {
    chan_type(ty) || ty.ends_with("Context") || ty.trim_start_matches('*') == "time.Ticker"
}

/// Whether `sel` is received from (`<-x.f`), ranged over (`range x.f`,
/// `range x.f.C`) or has its `Done` received from (`<-x.f.Done()`).
fn waited_on(sel: Node<'_>, src: &str) -> bool {
    let received_or_ranged = |n: Node<'_>| {
        let (inner, outer) = outside_parens(n);
        outer.is_some_and(|p| match p.kind() {
            kinds::UNARY_EXPRESSION => p
                .child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "<-"),
            kinds::RANGE_CLAUSE => p
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == inner.id()),
            _ => false,
        })
    };
    if received_or_ranged(sel) {
        return true;
    }
    let (_, Some(p)) = outside_parens(sel) else {
        return false;
    };
    if p.kind() != kinds::SELECTOR_EXPRESSION {
        return false;
    }
    match p.child_by_field_name("field").map(|f| syntax::text(f, src)) {
        Some("C") => received_or_ranged(p),
        Some("Done") => p
            .parent()
            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
            .is_some_and(received_or_ranged),
        _ => false,
    }
}

/// The outermost parenthesised expression around `n` (or `n`), and its parent.
fn outside_parens(n: Node<'_>) -> (Node<'_>, Option<Node<'_>>) {
    let mut inner = n;
    let mut p = n.parent();
    while let Some(q) = p.filter(|q| q.kind() == kinds::PARENTHESIZED_EXPRESSION) {
        inner = q;
        p = q.parent();
    }
    (inner, p)
}

/// The top-level declaration and the function a `go` site runs, when the
/// function's body is in `file`.
fn goroutine_body<'a>(
    file: &FileContext<'a>,
    lt: &Lifetimes,
    site: &GoSite,
) -> Option<(Node<'a>, Node<'a>)> {
    match &site.target {
        GoTarget::Literal => {
            if site.file != file.file_index {
                return None;
            }
            let go = file
                .root
                .descendant_for_byte_range(site.span.start, site.span.end)?;
            let lit = syntax::named_children(go)
                .next()
                .map(syntax::unparen)?
                .child_by_field_name("function")
                .map(syntax::unparen)
                .filter(|f| f.kind() == kinds::FUNC_LITERAL)?;
            let chain = syntax::ancestors(file.root, lit);
            Some((*chain.get(1)?, lit))
        }
        GoTarget::Named(key) => {
            let info = lt.funcs.get(key)?;
            if info.file != file.file_index {
                return None;
            }
            let decl = file
                .root
                .descendant_for_byte_range(info.name_span.start, info.name_span.end)?
                .parent()
                .filter(|d| {
                    matches!(
                        d.kind(),
                        kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
                    )
                })?;
            Some((decl, decl))
        }
        GoTarget::Unknown => None,
    }
}

fn check_goroutine(
    gcx: &FunctionContext<'_, '_>,
    lt: &Lifetimes,
    site: &GoSite,
    sink: &mut Sink<'_>,
) {
    let r = Resolver {
        scopes: gcx.scopes(),
        src: gcx.src(),
        root: gcx.top,
        types: &lt.types,
        index: gcx.file.package.index,
    };
    for &lp in &gcx.facts().loops {
        if syntax::enclosing_loop(lp).is_some() {
            continue;
        }
        let at = Span::new(lp.start_byte(), lp.start_byte() + 3);
        if sink.reported_at(at) {
            continue;
        }
        let Some(shape) = loop_shape(&r, lp) else {
            continue;
        };
        let finding = match shape {
            LoopShape::RangeField { owner, field } => {
                if closed(lt, &owner, &field) {
                    continue;
                }
                Finding {
                    message: format!(
                        "goroutine never ends: this range over {owner}.{field} ends only when {owner}.{field} is closed, and nothing in the package closes it"
                    ),
                    owner,
                    field,
                    case: None,
                    help: "close the channel in the type's `Close`/`Stop` (once, after the last send)",
                }
            }
            LoopShape::RangeTicker { owner, field } => Finding {
                message: format!(
                    "goroutine never ends: a ticker's Stop never closes its channel, so this range over {owner}.{field}.C runs forever"
                ),
                owner,
                field,
                case: None,
                help: "select on the ticker's channel and on a done channel that `Stop` closes, and return from the done case",
            },
            LoopShape::Endless {
                waits,
                has_exit,
            } => match endless(lt, site, &waits, has_exit) {
                Some(f) => f,
                None => continue,
            },
        };
        report(gcx, lt, site, lp, at, finding, sink);
    }
}

/// What is wrong with one loop.
struct Finding<'a> {
    message: String,
    owner: String,
    field: String,
    /// The case that cannot leave, when that is the problem.
    case: Option<Node<'a>>,
    help: &'static str,
}

fn endless<'a>(
    lt: &Lifetimes,
    site: &GoSite,
    waits: &[FieldWait<'a>],
    has_exit: bool,
) -> Option<Finding<'a>> {
    if has_exit {
        let exits: Vec<&FieldWait<'a>> = waits.iter().filter(|w| !w.exits.is_empty()).collect();
        let first = exits.first()?;
        let signalled: Vec<&&FieldWait<'a>> = exits.iter().filter(|w| signalled(lt, w)).collect();
        if signalled.is_empty() {
            let (o, f) = (&first.owner, &first.field);
            let (message, help) = match first.via {
                Via::Chan => (
                    format!("goroutine never ends: this loop leaves only when {o}.{f} is closed or sent on, and nothing in the package does either"),
                    "close the channel in the type's `Close`/`Stop` (`close(x.done)`)",
                ),
                Via::Ctx => (
                    format!("goroutine never ends: this loop leaves only when {o}.{f} is cancelled, and nothing calls its cancel func"),
                    "store the cancel func of the context in a field and call it in `Close`/`Stop`",
                ),
            };
            return Some(Finding {
                message,
                owner: o.clone(),
                field: f.clone(),
                case: None,
                help,
            });
        }
        // One send for a goroutine per iteration stops only one of them.
        if site.in_loop && signalled.iter().all(|w| w.via == Via::Chan) {
            let w = signalled[0];
            let signals: Vec<_> = lt
                .uses_of(&w.owner, &w.field)
                .filter(|u| {
                    !matches!(
                        u.kind,
                        FieldUseKind::Received
                            | FieldUseKind::Read
                            | FieldUseKind::NilCheck
                            | FieldUseKind::Assigned(Origin::MakeChan)
                    )
                })
                .collect();
            if let [only] = signals.as_slice() {
                if only.kind == FieldUseKind::Sent && !only.in_loop {
                    return Some(Finding {
                        message: format!(
                            "goroutine may never end: one goroutine is started per iteration, but {}.{} gets a single send, which stops only one of them",
                            w.owner, w.field
                        ),
                        owner: w.owner.clone(),
                        field: w.field.clone(),
                        case: None,
                        help: "close the channel instead of sending on it: a close reaches every goroutine",
                    });
                }
            }
        }
        return None;
    }
    if let Some(w) = waits
        .iter()
        .find(|w| w.case.kind() == kinds::COMMUNICATION_CASE && stop_signal(lt, w))
    {
        let breaks = !select_breaks(w.case).is_empty();
        return Some(Finding {
            message: format!(
                "goroutine never ends: the case on {}.{} does not leave the loop{}",
                w.owner,
                w.field,
                if breaks {
                    " (`break` leaves only the select)"
                } else {
                    " (it has no `return`)"
                }
            ),
            owner: w.owner.clone(),
            field: w.field.clone(),
            case: Some(w.case),
            help: "`return` from the case (or `break` with a label on the loop)",
        });
    }
    // An endless receive loop with no cancellation case is stuck-goroutine's;
    // one that never receives (a sleep loop) shows no field to judge.
    None
}

/// Whether a wait is on something meant to stop the loop: a context, a
/// channel named like a done channel, or one the package closes (data
/// channels are sent on, not closed, to stop a loop).
fn stop_signal(lt: &Lifetimes, w: &FieldWait<'_>) -> bool {
    w.via == Via::Ctx
        || cancel_like(&w.field)
        || lt
            .uses_of(&w.owner, &w.field)
            .any(|u| u.kind == FieldUseKind::Closed)
}

/// Receive operands named like these are meant to stop something.
fn cancel_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "done", "quit", "stop", "clos", "shutdown", "exit", "cancel", "die", "kill", "term",
    ]
    .iter()
    .any(|c| n.contains(c))
}

/// Whether anything may close `owner.field` (or hand it to someone who may).
fn closed(lt: &Lifetimes, owner: &str, field: &str) -> bool {
    if exported_or_unknown(lt, owner, field) {
        return true;
    }
    lt.uses_of(owner, field).any(|u| match &u.kind {
        FieldUseKind::Closed | FieldUseKind::HandedOff | FieldUseKind::Arg { .. } => true,
        FieldUseKind::Assigned(o) => !matches!(o, Origin::MakeChan | Origin::Nil),
        _ => false,
    })
}

/// An exported field (other packages may signal it), or one the package never fills.
fn exported_or_unknown(lt: &Lifetimes, owner: &str, field: &str) -> bool {
    let exported = lt
        .types
        .field_owner(owner, field)
        .is_none_or(|(_, f)| f.exported());
    exported
        || !lt
            .uses_of(owner, field)
            .any(|u| matches!(u.kind, FieldUseKind::Assigned(_)))
}

/// Whether anything may end the wait `w`.
fn signalled(lt: &Lifetimes, w: &FieldWait<'_>) -> bool {
    match w.via {
        Via::Chan => {
            closed(lt, &w.owner, &w.field)
                || lt
                    .uses_of(&w.owner, &w.field)
                    .any(|u| u.kind == FieldUseKind::Sent)
        }
        Via::Ctx => {
            if exported_or_unknown(lt, &w.owner, &w.field) {
                return true;
            }
            let caller_ctx = lt.uses_of(&w.owner, &w.field).any(|u| {
                matches!(u.kind, FieldUseKind::Assigned(o) if o != Origin::BackgroundCtx && o != Origin::Nil)
            });
            caller_ctx
                || lt.uses.iter().any(|u| {
                    u.owner.as_deref().is_none_or(|o| o == w.owner)
                        && matches!(
                            u.kind,
                            FieldUseKind::Called
                                | FieldUseKind::HandedOff
                                | FieldUseKind::Arg { .. }
                        )
                        && lt
                            .types
                            .field_owner(&w.owner, &u.field)
                            .is_some_and(|(_, f)| {
                                f.ty.contains("Cancel") || f.ty.starts_with("func")
                            })
                })
        }
    }
}

fn report(
    gcx: &FunctionContext<'_, '_>,
    lt: &Lifetimes,
    site: &GoSite,
    _lp: Node<'_>,
    at: Span,
    finding: Finding<'_>,
    sink: &mut Sink<'_>,
) {
    let pkg = gcx.file.package;
    let index = pkg.index;
    let (o, f) = (&finding.owner, &finding.field);
    let rms = lt.release_methods(index, o);
    let message = if rms.is_empty() {
        format!("{}; {o} has no Stop or Close method", finding.message)
    } else {
        finding.message
    };
    let mut rep = sink.report(at, message).label_in(
        &pkg.files[site.file].source,
        site.span,
        "the goroutine is started here",
    );
    if let Some((_, fi)) = lt.types.field_owner(o, f) {
        rep = rep.label_in(
            &pkg.files[fi.file].source,
            fi.span,
            format!("{o}.{f} is declared here"),
        );
    }
    if let Some(case) = finding.case {
        let span = Span::new(case.start_byte(), case.start_byte() + 4);
        rep = rep.label(span, "this case does not leave the loop");
    }
    for k in rms.iter().take(3) {
        let Some(info) = lt.funcs.get(k) else {
            continue;
        };
        let FuncKey::Method(_, name) = k else {
            continue;
        };
        rep = rep.label_in(
            &pkg.files[info.file].source,
            info.name_span,
            describe_release(lt, k, name, o, f),
        );
    }
    rep.help(finding.help);
}

/// What the release method `k` does about `owner.field`.
fn describe_release(lt: &Lifetimes, k: &FuncKey, name: &str, owner: &str, field: &str) -> String {
    let within = lt.reach(std::slice::from_ref(k));
    let mine = |kind: &FieldUseKind| {
        lt.uses.iter().any(|u| {
            u.owner.as_deref() == Some(owner)
                && u.field == field
                && &u.kind == kind
                && u.func.as_ref().is_some_and(|x| within.contains(x))
        })
    };
    if mine(&FieldUseKind::Closed) {
        return format!("`{name}` closes {owner}.{field}");
    }
    if mine(&FieldUseKind::Sent) {
        return format!("`{name}` sends once on {owner}.{field}");
    }
    if mine(&FieldUseKind::Method(vec!["Stop".to_string()])) {
        return format!("`{name}` stops {owner}.{field}, which does not close its channel");
    }
    let others: Vec<String> = lt
        .uses
        .iter()
        .filter(|u| u.owner.as_deref() == Some(owner) && u.field != field)
        .filter(|u| u.func.as_ref().is_some_and(|x| within.contains(x)))
        .filter_map(|u| match u.kind {
            FieldUseKind::Closed => Some(format!("closes {owner}.{}", u.field)),
            FieldUseKind::Assigned(Origin::Const) => Some(format!("sets {owner}.{}", u.field)),
            _ => None,
        })
        .collect();
    match others.first() {
        Some(o) => format!("`{name}` {o}, not {owner}.{field}"),
        None => format!("`{name}` never signals {owner}.{field}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waits(body: &str) -> bool {
        let src = format!("package p\nfunc f() {{ {body} }}\n");
        let file = crate::parse::parse(crate::source::SourceFile::new("a.go", src));
        waits_on(&file, &HashSet::from_iter(["f"]))
    }

    #[test]
    fn the_waits_a_loop_shape_rests_on_are_seen() {
        assert!(waits("<-t.f"));
        assert!(waits("v, ok := <-(t.f)"));
        assert!(waits("for range t.f {}"));
        assert!(waits("for range t.f.C {}"));
        assert!(waits("select { case <-t.f.Done(): }"));
        assert!(!waits("t.f <- 1"));
        assert!(!waits("close(t.f)"));
        assert!(!waits("x := t.f"));
        assert!(!waits("for range t.f.Items() {}"));
        assert!(!waits("t.f.Done()"));
    }
}
