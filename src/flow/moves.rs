//! Methods that move what their receiver holds out to their caller.
//!
//! `func (fd *FD) File(name string) *os.File { fd.Forget(); return
//! os.NewFile(uintptr(fd.raw), name) }` and `func (s *Socket) Release()
//! (int, error) { fd := int(s.fd.Swap(-1)); …; return fd, nil }` end the
//! receiver's ownership of its descriptor: whoever gets the result owns it,
//! so `return fd.File("iter"), nil` hands the value off instead of leaking
//! it. What counts is what the body shows, not what the name suggests. A
//! method moves when a result other than an error
//! - is the value of a field the method clears (stores `nil` or a negative
//!   constant there: `fd := p.fd; p.fd = -1`, `int(s.fd.Swap(-1))`,
//!   `atomic.SwapInt64(&f.fd, -1)`), as it is or passed on
//!   (`os.NewFile(uintptr(fd), name)`);
//! - is made from a receiver whose finalizer it clears
//!   (`runtime.SetFinalizer(fd, nil)`), itself or through a method of the
//!   receiver that does (`fd.Forget()`);
//! - is what a moving method gives for a field (`return s.socket.Release()`).
//!
//! A getter that only reads the handle (`func (s *Socket) FD() int`), a
//! duplicating `File()` (`unix.Dup(f.FD())`) and a method that resets some
//! state and returns a count (`ws.frameReader = nil` in a `Read`) give
//! nothing up: the value must still be closed after them.

use super::scopes::{BindingId, Scopes};
use crate::index::FuncKey;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How one method treats its receiver's handle, as its own body shows;
/// the calls are resolved across the package by [`moving_methods`].
#[derive(Debug, Clone, Default)]
pub struct Disown {
    /// It clears the receiver's finalizer itself (`runtime.SetFinalizer(fd, nil)`).
    forgets: bool,
    /// Methods it calls on the receiver (`fd.Forget()`), which may forget it.
    own_calls: Vec<String>,
    /// A result other than an error is made from the receiver
    /// (`os.NewFile(uintptr(fd.raw), name)`): what a forgotten receiver hands out.
    hands_out: bool,
    /// A result other than an error is the value of a field the method
    /// clears (`fd := int(s.fd.Swap(-1)); return fd, nil`).
    hands_field: bool,
    /// Methods called on a field whose result it returns as it is
    /// (`return s.socket.Release()`).
    returned_field_calls: Vec<String>,
}

impl Disown {
    /// Reads the method `decl` whose receiver is the binding `recv`; `None`
    /// when nothing in its body may give the handle up.
    pub fn of(decl: Node<'_>, scopes: &Scopes, recv: BindingId, src: &str) -> Option<Disown> {
        let body = decl.child_by_field_name("body")?;
        let refs: Vec<Span> = scopes
            .references(recv)
            .iter()
            .filter(|r| !r.write)
            .map(|r| r.span)
            .collect();
        let mut d = Disown::default();
        let mut cleared: HashSet<&str> = HashSet::default();
        for span in &refs {
            let Some(ident) = decl.descendant_for_byte_range(span.start, span.end) else {
                continue;
            };
            d.read_use(ident, src, &mut cleared);
        }
        let returns = Returns::of(decl, body, scopes, &refs, src);
        d.hands_out = returns
            .values
            .iter()
            .any(|v| returns.made_from_receiver(*v));
        d.hands_field = !cleared.is_empty()
            && returns
                .values
                .iter()
                .any(|v| returns.carries_field(*v, &cleared, &refs, src));
        d.returned_field_calls = returns
            .values
            .iter()
            .filter_map(|v| field_call(*v, &refs, src))
            .map(str::to_string)
            .collect();
        let may = d.forgets
            || d.hands_field
            || !d.own_calls.is_empty() && d.hands_out
            || !d.returned_field_calls.is_empty();
        may.then_some(d)
    }

    fn read_use<'s>(&mut self, ident: Node<'_>, src: &'s str, cleared: &mut HashSet<&'s str>) {
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
                    // `s.fd.Swap(-1)`
                    kinds::SELECTOR_EXPRESSION if is_field(pp, "operand", p) => {
                        let call = pp
                            .parent()
                            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
                            .filter(|c| is_field(*c, "function", pp));
                        let m = pp
                            .child_by_field_name("field")
                            .map(|m| syntax::text(m, src));
                        if let (Some(call), Some("Swap" | "Store")) = (call, m) {
                            if nth_arg(call, 0).is_some_and(|a| sentinel(a, src)) {
                                cleared.insert(field);
                            }
                        }
                    }
                    // `fd.raw = -1`
                    kinds::EXPRESSION_LIST if assigned_sentinel(pp, p, src) => {
                        cleared.insert(field);
                    }
                    // `atomic.StoreInt64(&f.fd, -1)`
                    kinds::UNARY_EXPRESSION
                        if pp.child_by_field_name("operator").map(|o| o.kind()) == Some("&") =>
                    {
                        let Some((call, 0)) = argument_of(pp) else {
                            return;
                        };
                        let atomic = callee_text(call, src)
                            .strip_prefix("atomic.")
                            .is_some_and(|n| n.starts_with("Swap") || n.starts_with("Store"));
                        if atomic && nth_arg(call, 1).is_some_and(|a| sentinel(a, src)) {
                            cleared.insert(field);
                        }
                    }
                    _ => {}
                }
            }
            // `runtime.SetFinalizer(fd, nil)`
            kinds::ARGUMENT_LIST => {
                let Some((call, 0)) = argument_of(ident) else {
                    return;
                };
                self.forgets |= callee_text(call, src) == "runtime.SetFinalizer"
                    && nth_arg(call, 1).is_some_and(|a| syntax::text(a, src) == "nil");
            }
            _ => {}
        }
    }
}

/// What the returns of a method give back, and the locals they may read.
struct Returns<'t> {
    /// Returned values other than errors and `nil`, outside func literals.
    values: Vec<Node<'t>>,
    /// Reads of the receiver and of locals assigned from it.
    derived: Vec<Span>,
    /// Reads of locals holding a field's value as it is (`fd := p.fd`), with the field.
    field_locals: Vec<(Span, &'t str)>,
}

impl<'t> Returns<'t> {
    fn of(
        decl: Node<'t>,
        body: Node<'t>,
        scopes: &Scopes,
        recv: &[Span],
        src: &'t str,
    ) -> Returns<'t> {
        let errors = error_results(decl, src);
        let mut out = Returns {
            values: Vec::new(),
            derived: recv.to_vec(),
            field_locals: Vec::new(),
        };
        let mut seen: HashSet<BindingId> = HashSet::default();
        let mut rets = Vec::new();
        syntax::walk(body, |n| match n.kind() {
            kinds::FUNC_LITERAL => false,
            kinds::RETURN_STATEMENT => {
                rets.push(n);
                false
            }
            kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT => {
                out.note_assignment(n, scopes, recv, &mut seen, src);
                true
            }
            _ => true,
        });
        for ret in rets {
            let values: Vec<Node<'t>> = match syntax::named_children(ret).next() {
                Some(l) if l.kind() == kinds::EXPRESSION_LIST => {
                    syntax::named_children(l).collect()
                }
                Some(e) => vec![e],
                None => Vec::new(),
            };
            out.values.extend(
                values
                    .into_iter()
                    .enumerate()
                    .filter(|(i, v)| !errors.contains(i) && v.kind() != "nil")
                    .map(|(_, v)| v),
            );
        }
        out
    }

    fn note_assignment(
        &mut self,
        stmt: Node<'t>,
        scopes: &Scopes,
        recv: &[Span],
        seen: &mut HashSet<BindingId>,
        src: &'t str,
    ) {
        let (Some(left), Some(right)) = (
            stmt.child_by_field_name("left"),
            stmt.child_by_field_name("right"),
        ) else {
            return;
        };
        let left: Vec<Node<'t>> = syntax::named_children(left).collect();
        let right: Vec<Node<'t>> = syntax::named_children(right).collect();
        let from_receiver = right.iter().any(|r| within(&self.derived, *r));
        for (i, l) in left.iter().enumerate() {
            let Some(b) = (l.kind() == kinds::IDENTIFIER)
                .then(|| scopes.binding_of(*l))
                .flatten()
            else {
                continue;
            };
            if !seen.insert(b) {
                continue;
            }
            let reads = scopes
                .references(b)
                .iter()
                .filter(|r| !r.write)
                .map(|r| r.span);
            let field = (left.len() == right.len())
                .then(|| field_value(right[i], recv, src))
                .flatten();
            match field {
                Some(f) => {
                    let reads: Vec<Span> = reads.collect();
                    self.field_locals.extend(reads.iter().map(|s| (*s, f)));
                    self.derived.extend(reads);
                }
                None if from_receiver => self.derived.extend(reads),
                None => {}
            }
        }
    }

    /// Whether `v` reads the receiver or a local assigned from it.
    fn made_from_receiver(&self, v: Node<'_>) -> bool {
        within(&self.derived, v)
    }

    /// Whether `v` passes on the value of a field in `cleared`, itself or
    /// through a local holding it (`os.NewFile(uintptr(fd), name)`).
    fn carries_field(
        &self,
        v: Node<'_>,
        cleared: &HashSet<&str>,
        recv: &[Span],
        src: &str,
    ) -> bool {
        let r = v.byte_range();
        let local = self
            .field_locals
            .iter()
            .any(|(s, f)| r.start <= s.start && s.end <= r.end && cleared.contains(f));
        if local {
            return true;
        }
        let mut found = false;
        syntax::walk(v, |n| {
            if found || n.kind() == kinds::FUNC_LITERAL {
                return false;
            }
            // `s.fd.Read(p)` calls a method of the field; it passes nothing on.
            let operand = n.parent().is_some_and(|p| {
                p.kind() == kinds::SELECTOR_EXPRESSION && is_field(p, "operand", n)
            });
            if !operand && field_value(n, recv, src).is_some_and(|f| cleared.contains(f)) {
                found = true;
                return false;
            }
            true
        });
        found
    }
}

/// The field of the receiver whose value `e` is, as it is or converted:
/// `p.fd`, `uintptr(p.fd)`, `s.fd.Swap(-1)` (the old value).
fn field_value<'s>(e: Node<'_>, recv: &[Span], src: &'s str) -> Option<&'s str> {
    let mut e = syntax::unparen(e);
    for _ in 0..4 {
        if e.kind() != kinds::CALL_EXPRESSION {
            break;
        }
        let func = e.child_by_field_name("function")?;
        let args: Vec<Node<'_>> =
            syntax::named_children(e.child_by_field_name("arguments")?).collect();
        if syntax::PREDECLARED_TYPES.contains(&syntax::text(func, src)) && args.len() == 1 {
            e = syntax::unparen(args[0]);
            continue;
        }
        // `s.fd.Swap(-1)`: the operand of the method is the field.
        let swap = func.kind() == kinds::SELECTOR_EXPRESSION
            && func
                .child_by_field_name("field")
                .is_some_and(|f| syntax::text(f, src) == "Swap");
        if !swap {
            return None;
        }
        e = func.child_by_field_name("operand")?;
    }
    receiver_field(e, recv, src)
}

/// `f` for `r.f` with `r` the receiver.
fn receiver_field<'s>(e: Node<'_>, recv: &[Span], src: &'s str) -> Option<&'s str> {
    if e.kind() != kinds::SELECTOR_EXPRESSION {
        return None;
    }
    let op = e.child_by_field_name("operand")?;
    let is_recv = op.kind() == kinds::IDENTIFIER && recv.contains(&Span::of(op));
    is_recv.then(|| e.child_by_field_name("field").map(|f| syntax::text(f, src)))?
}

/// `m` for a returned `r.f.m(…)`.
fn field_call<'s>(v: Node<'_>, recv: &[Span], src: &'s str) -> Option<&'s str> {
    let v = syntax::unparen(v);
    if v.kind() != kinds::CALL_EXPRESSION {
        return None;
    }
    let func = v.child_by_field_name("function")?;
    if func.kind() != kinds::SELECTOR_EXPRESSION {
        return None;
    }
    receiver_field(func.child_by_field_name("operand")?, recv, src)?;
    Some(syntax::text(func.child_by_field_name("field")?, src))
}

fn within(spans: &[Span], n: Node<'_>) -> bool {
    let r = n.byte_range();
    spans.iter().any(|s| r.start <= s.start && s.end <= r.end)
}

fn callee_text<'s>(call: Node<'_>, src: &'s str) -> &'s str {
    call.child_by_field_name("function")
        .map(|f| syntax::text(f, src))
        .unwrap_or("")
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

/// The positions of a declaration's `error` results.
fn error_results(decl: Node<'_>, src: &str) -> HashSet<usize> {
    let mut out = HashSet::default();
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
/// [`Disown`] of each: one that returns the value of a field it clears; one
/// that forgets its receiver (itself or through a method of the receiver
/// that does) and returns something made from it; one that returns what a
/// moving method of another type of the package gives for one of its fields.
pub fn moving_methods(disowns: &HashMap<FuncKey, Disown>) -> HashSet<FuncKey> {
    let mut forgets: HashSet<&FuncKey> = disowns
        .iter()
        .filter(|(_, d)| d.forgets)
        .map(|(k, _)| k)
        .collect();
    grow(disowns, &mut forgets, |k, d, set| {
        let FuncKey::Method(ty, _) = k else {
            return false;
        };
        d.own_calls
            .iter()
            .any(|m| set.contains(&FuncKey::Method(ty.clone(), m.clone())))
    });
    let mut moves: HashSet<&FuncKey> = disowns
        .iter()
        .filter(|(k, d)| d.hands_field || d.hands_out && forgets.contains(k))
        .map(|(k, _)| k)
        .collect();
    grow(disowns, &mut moves, |k, d, set| {
        let FuncKey::Method(ty, _) = k else {
            return false;
        };
        d.returned_field_calls.iter().any(|m| {
            set.iter()
                .any(|g| matches!(g, FuncKey::Method(t, n) if n == m && t != ty))
        })
    });
    moves.into_iter().cloned().collect()
}

/// Adds to `set` every method for which `joins` holds, until none is added.
fn grow<'k>(
    disowns: &'k HashMap<FuncKey, Disown>,
    set: &mut HashSet<&'k FuncKey>,
    joins: impl Fn(&FuncKey, &Disown, &HashSet<&'k FuncKey>) -> bool,
) {
    loop {
        let added: Vec<&FuncKey> = disowns
            .iter()
            .filter(|(k, d)| !set.contains(k) && joins(k, d, set))
            .map(|(k, _)| k)
            .collect();
        if added.is_empty() {
            return;
        }
        set.extend(added);
    }
}
