//! Methods that move what their receiver holds out to their caller.
//!
//! `func (fd *FD) File(name string) *os.File { fd.Forget(); return
//! os.NewFile(uintptr(fd.raw), name) }` and `func (s *Socket) Release()
//! (int, error) { fd := int(s.fd.Swap(-1)); …; return fd, nil }` end the
//! receiver's ownership of its descriptor: whoever gets the result owns it,
//! so `return fd.File("iter"), nil` hands the value off instead of leaking
//! it. A method moves when its body gives the handle up and a result other
//! than an error carries the receiver's state out. Giving up is what the
//! body shows, not what the name suggests:
//! - storing `nil` or a negative constant in a field of the receiver
//!   (`fd.raw = -1`, `s.fd.Swap(-1)`, `atomic.StoreInt64(&f.fd, -1)`);
//! - clearing its finalizer (`runtime.SetFinalizer(fd, nil)`);
//! - calling a method of the receiver, or of one of its fields, that gives
//!   its handle up (`fd.Forget()`, `s.socket.Release()`).
//!
//! A getter that only reads the handle (`func (s *Socket) FD() int`) gives
//! nothing up, and a duplicating `File()` (`unix.Dup(f.FD())`) neither:
//! the value must still be closed after either.

use super::scopes::{BindingId, Scopes};
use crate::index::FuncKey;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use std::collections::{HashMap, HashSet};

/// How one method treats its receiver's handle, as its own body shows;
/// the calls are resolved across the package by [`moving_methods`].
#[derive(Debug, Clone, Default)]
pub struct Disown {
    /// It invalidates the handle itself.
    direct: bool,
    /// Methods it calls on the receiver (`fd.Forget()`).
    own_calls: Vec<String>,
    /// Methods it calls on a field of the receiver (`s.socket.Release()`).
    field_calls: Vec<String>,
    /// A result other than an error carries the receiver's state out.
    hands_out: bool,
}

impl Disown {
    /// Reads the method `decl` whose receiver is the binding `recv`; `None`
    /// when its body neither gives the handle up nor calls anything that might.
    pub fn of(decl: Node<'_>, scopes: &Scopes, recv: BindingId, src: &str) -> Option<Disown> {
        let mut d = Disown::default();
        let refs: Vec<Span> = scopes
            .references(recv)
            .iter()
            .filter(|r| !r.write)
            .map(|r| r.span)
            .collect();
        for span in &refs {
            let Some(ident) = decl.descendant_for_byte_range(span.start, span.end) else {
                continue;
            };
            d.read_use(ident, src);
        }
        if !d.direct && d.own_calls.is_empty() && d.field_calls.is_empty() {
            return None;
        }
        d.hands_out = hands_out(decl, scopes, &refs, src);
        Some(d)
    }

    fn read_use(&mut self, ident: Node<'_>, src: &str) {
        let Some(p) = ident.parent() else {
            return;
        };
        match p.kind() {
            kinds::SELECTOR_EXPRESSION if is_field(p, "operand", ident) => {
                let Some(field) = p.child_by_field_name("field") else {
                    return;
                };
                let field = syntax::text(field, src);
                let Some(pp) = p.parent() else {
                    return;
                };
                match pp.kind() {
                    // `fd.Forget()`
                    kinds::CALL_EXPRESSION if is_field(pp, "function", p) && !closes(field) => {
                        self.own_calls.push(field.to_string());
                    }
                    // `s.fd.Swap(-1)`, `s.socket.Release()`
                    kinds::SELECTOR_EXPRESSION if is_field(pp, "operand", p) => {
                        let Some(call) = pp
                            .parent()
                            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
                            .filter(|c| is_field(*c, "function", pp))
                        else {
                            return;
                        };
                        let Some(m) = pp.child_by_field_name("field") else {
                            return;
                        };
                        let m = syntax::text(m, src);
                        if matches!(m, "Swap" | "Store") {
                            self.direct |= nth_arg(call, 0).is_some_and(|a| sentinel(a, src));
                        } else if !closes(m) {
                            self.field_calls.push(m.to_string());
                        }
                    }
                    // `fd.raw = -1`
                    kinds::EXPRESSION_LIST => {
                        self.direct |= assigned_sentinel(pp, p, src);
                    }
                    // `atomic.StoreInt64(&f.fd, -1)`
                    kinds::UNARY_EXPRESSION
                        if pp.child_by_field_name("operator").map(|o| o.kind()) == Some("&") =>
                    {
                        let Some((call, 0)) = argument_of(pp) else {
                            return;
                        };
                        let func = call
                            .child_by_field_name("function")
                            .map(|f| syntax::text(f, src))
                            .unwrap_or("");
                        let atomic = func
                            .strip_prefix("atomic.")
                            .is_some_and(|n| n.starts_with("Swap") || n.starts_with("Store"));
                        self.direct |= atomic && nth_arg(call, 1).is_some_and(|a| sentinel(a, src));
                    }
                    _ => {}
                }
            }
            // `runtime.SetFinalizer(fd, nil)`
            kinds::ARGUMENT_LIST => {
                let Some((call, 0)) = argument_of(ident) else {
                    return;
                };
                let func = call
                    .child_by_field_name("function")
                    .map(|f| syntax::text(f, src));
                self.direct |= func == Some("runtime.SetFinalizer")
                    && nth_arg(call, 1).is_some_and(|a| syntax::text(a, src) == "nil");
            }
            _ => {}
        }
    }
}

/// A call that closes a field releases what the field held; it moves
/// nothing out (`r.cur.Close(); return r.next()`).
fn closes(method: &str) -> bool {
    matches!(method, "Close" | "Stop" | "Shutdown")
}

fn is_field(parent: Node<'_>, field: &str, child: Node<'_>) -> bool {
    parent
        .child_by_field_name(field)
        .is_some_and(|c| c.id() == child.id())
}

/// The call whose argument `e` is, with its position.
fn argument_of(e: Node<'_>) -> Option<(Node<'_>, usize)> {
    let list = e.parent().filter(|l| l.kind() == kinds::ARGUMENT_LIST)?;
    let index = syntax::named_children(list).position(|a| a.id() == e.id())?;
    Some((list.parent()?, index))
}

fn nth_arg(call: Node<'_>, i: usize) -> Option<Node<'_>> {
    syntax::named_children(call.child_by_field_name("arguments")?).nth(i)
}

/// `nil` or a negative integer constant: what marks a handle as gone.
fn sentinel(e: Node<'_>, src: &str) -> bool {
    let e = syntax::unparen(e);
    match e.kind() {
        "nil" => true,
        kinds::UNARY_EXPRESSION => {
            e.child_by_field_name("operator").map(|o| o.kind()) == Some("-")
                && e.child_by_field_name("operand")
                    .is_some_and(|o| o.kind() == "int_literal")
        }
        // `int32(-1)`
        kinds::CALL_EXPRESSION => {
            let args: Vec<Node<'_>> = e
                .child_by_field_name("arguments")
                .map(|a| syntax::named_children(a).collect())
                .unwrap_or_default();
            args.len() == 1
                && e.child_by_field_name("function")
                    .is_some_and(|f| syntax::PREDECLARED_TYPES.contains(&syntax::text(f, src)))
                && sentinel(args[0], src)
        }
        _ => false,
    }
}

/// Whether `target`, an element of the left side `list` of a plain
/// assignment, gets a sentinel.
fn assigned_sentinel(list: Node<'_>, target: Node<'_>, src: &str) -> bool {
    let Some(stmt) = list
        .parent()
        .filter(|s| s.kind() == kinds::ASSIGNMENT_STATEMENT)
        .filter(|s| is_field(*s, "left", list))
    else {
        return false;
    };
    if stmt.child_by_field_name("operator").map(|o| o.kind()) != Some("=") {
        return false;
    }
    let Some(index) = syntax::named_children(list).position(|x| x.id() == target.id()) else {
        return false;
    };
    stmt.child_by_field_name("right")
        .and_then(|r| syntax::named_children(r).nth(index))
        .is_some_and(|v| sentinel(v, src))
}

/// Whether a return of `decl` gives back, in a result other than an error,
/// an expression that reads the receiver or a local computed from it.
fn hands_out(decl: Node<'_>, scopes: &Scopes, recv: &[Span], src: &str) -> bool {
    let errors = error_results(decl, src);
    let Some(body) = decl.child_by_field_name("body") else {
        return false;
    };
    let within = |spans: &[Span], n: Node<'_>| {
        let r = n.byte_range();
        spans.iter().any(|s| r.start <= s.start && s.end <= r.end)
    };
    // Locals assigned from the receiver (`fd := int(s.fd.Swap(-1))`), and their reads.
    let mut derived: Vec<Span> = recv.to_vec();
    let mut returns = Vec::new();
    let mut seen: HashSet<BindingId> = HashSet::new();
    syntax::walk(body, |n| match n.kind() {
        kinds::FUNC_LITERAL => false,
        kinds::RETURN_STATEMENT => {
            returns.push(n);
            false
        }
        kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT => {
            if n.child_by_field_name("right")
                .is_some_and(|r| within(&derived, r))
            {
                for l in n
                    .child_by_field_name("left")
                    .into_iter()
                    .flat_map(syntax::named_children)
                    .filter(|l| l.kind() == kinds::IDENTIFIER)
                {
                    if let Some(b) = scopes.binding_of(l) {
                        if seen.insert(b) {
                            derived.extend(scopes.references(b).iter().map(|r| r.span));
                        }
                    }
                }
            }
            true
        }
        _ => true,
    });
    returns.into_iter().any(|ret| {
        let values: Vec<Node<'_>> = match syntax::named_children(ret).next() {
            Some(l) if l.kind() == kinds::EXPRESSION_LIST => syntax::named_children(l).collect(),
            Some(e) => vec![e],
            None => Vec::new(),
        };
        values
            .iter()
            .enumerate()
            .any(|(i, v)| !errors.contains(&i) && v.kind() != "nil" && within(&derived, *v))
    })
}

/// The positions of a declaration's `error` results.
fn error_results(decl: Node<'_>, src: &str) -> HashSet<usize> {
    let mut out = HashSet::new();
    let Some(r) = decl.child_by_field_name("result") else {
        return out;
    };
    if r.kind() != kinds::PARAMETER_LIST {
        if syntax::text(r, src) == "error" {
            out.insert(0);
        }
        return out;
    }
    let mut i = 0;
    for p in syntax::named_children(r) {
        let n = syntax::field_children(p, "name").len().max(1);
        let error = p
            .child_by_field_name("type")
            .is_some_and(|t| syntax::text(t, src) == "error");
        for _ in 0..n {
            if error {
                out.insert(i);
            }
            i += 1;
        }
    }
    out
}

/// The methods of a package that move their receiver's handle out, from the
/// [`Disown`] of each: giving up spreads through calls on the receiver
/// (same type) and on its fields (any type of the package with a method of
/// that name that gives up).
pub fn moving_methods(disowns: &HashMap<FuncKey, Disown>) -> HashSet<FuncKey> {
    let mut gives_up: HashSet<&FuncKey> = disowns
        .iter()
        .filter(|(_, d)| d.direct)
        .map(|(k, _)| k)
        .collect();
    loop {
        let mut added = Vec::new();
        for (k, d) in disowns {
            let FuncKey::Method(ty, _) = k else {
                continue;
            };
            if gives_up.contains(k) {
                continue;
            }
            let own = d
                .own_calls
                .iter()
                .any(|m| gives_up.contains(&FuncKey::Method(ty.clone(), m.clone())));
            let field = || {
                d.field_calls.iter().any(|m| {
                    gives_up
                        .iter()
                        .any(|g| matches!(g, FuncKey::Method(t, n) if n == m && t != ty))
                })
            };
            if own || field() {
                added.push(k);
            }
        }
        if added.is_empty() {
            break;
        }
        gives_up.extend(added);
    }
    gives_up
        .into_iter()
        .filter(|k| disowns.get(*k).is_some_and(|d| d.hands_out))
        .cloned()
        .collect()
}
