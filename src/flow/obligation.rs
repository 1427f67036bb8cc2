//! Release obligations: a value acquired by a catalogue call (`os.Open`,
//! `http.Get`, `context.WithCancel`, `time.NewTicker`, `&kafka.Writer{…}`, …)
//! must be released (`Close`, `Body.Close`, calling the cancel function,
//! `C.free`) on every path to a return of the function that holds it, unless
//! it is handed off.
//!
//! One pass per function ([`analyse`]) finds each acquisition, who holds it,
//! what touches it on each path, and gives a [`Verdict`]. The analysis knows
//! no rule: each obligation carries its catalogue entry, whose `group` names
//! the rule that reports it.
//!
//! What counts:
//! - **release**: `x.Close()`, `x.Body.Close()`, `x()` for a cancel function,
//!   `C.free(unsafe.Pointer(x))`, each also deferred or inside a deferred
//!   closure, or a same-package helper that releases its parameter;
//! - **hand-off**: returned (also inside a struct literal or with an error),
//!   stored in a field, map, slice, package variable or struct literal, sent
//!   on a channel, captured by a closure other than a deferred one, passed to
//!   a function that is not a catalogue pure reader (`io.Copy`, `io.ReadAll`,
//!   `json.NewDecoder`) and not a helper known only to read it, taken by
//!   address, assigned to another variable, given up by a method of its
//!   own that moves its handle out (`fd.File(name)`, [`super::moves`]);
//! - **read**: anything else (method calls, field reads, nil checks);
//! - **overwrite**: a new value assigned to the variable while the old one is
//!   held, by the next iteration of a loop or a later assignment.
//!
//! Paths are pruned on the acquisition's own error check (`if err != nil`
//! right after the call, before `err` is reassigned), on nil checks of the
//! value (and, for an acquisition with no error result, of the values it
//! returned beside it: `if ctx != nil { cancel() }`), and on boolean flags
//! assigned or tested on the path (`if running { … }` after `running = true`;
//! a second `if verbose` takes the branch the first one took).
//! A function or a call that never returns ends the path with no leak; the
//! exits that end only the goroutine are kept apart for rules that care.

use super::cfg::{Block, BlockId, Branch, Cfg, Ending, Exit};
use super::cgo::{self, CParamFate};
use super::function::{Callee, Function};
use super::scopes::{BindingId, BindingKind};
use super::types;
use crate::catalog::{Acquire, Catalog, Release};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;

/// What a function does with one of its parameters, in a tree-free form
/// shared by same-package and module-wide summaries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParamFate {
    /// The releases it applies to the parameter somewhere in its body.
    pub releases: Vec<Release>,
    /// Whether it lets the value go: returns, stores or passes it on.
    pub escapes: bool,
}

/// How the resolution answers "what does this callee do with argument `i`?"
/// for a call the flow core cannot see into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgFate {
    /// The callee releases the value in this way.
    Releases(Release),
    /// The callee only reads it.
    Reads,
    /// The callee keeps, returns or passes it on (or nothing is known).
    Takes,
}

impl ParamFate {
    /// The fate of an argument whose obligation is released by `release`.
    pub fn for_release(&self, release: &Release) -> ArgFate {
        if self.releases.contains(release) {
            ArgFate::Releases(release.clone())
        } else if self.escapes {
            ArgFate::Takes
        } else {
            ArgFate::Reads
        }
    }
}

/// Who holds an acquired value.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// A local variable of the function.
    Local {
        /// The variable.
        binding: BindingId,
        /// The identifier assigned.
        ident: Node<'a>,
        /// Its declaration.
        decl: Span,
    },
    /// `_`: the value is dropped at once.
    Blank(Node<'a>),
    /// Stored straight into a field, map element, package variable or a
    /// variable of an enclosing function: handed off.
    Stored(Node<'a>),
    /// Not assigned: returned, passed, or used as an expression.
    Unnamed(Node<'a>),
}

/// An overwrite of the holder while it still holds the value.
#[derive(Debug, Clone, Copy)]
pub struct Overwrite<'a> {
    /// The node that assigns the new value (the acquisition itself when a loop comes back to it).
    pub at: Node<'a>,
    /// The loop whose next iteration overwrites it, if that is how.
    pub in_loop: Option<Node<'a>>,
}

/// The paths on which an obligation is not met.
#[derive(Debug, Clone, Default)]
pub struct Leak<'a> {
    /// Exits returning to the caller that skip the release, in source order.
    pub exits: Vec<Exit<'a>>,
    /// Calls that end only the goroutine (`runtime.Goexit`, `t.FailNow`)
    /// reached without the release: deferred calls run there, so resource
    /// rules ignore them; goroutine rules may not.
    pub goroutine_exits: Vec<Exit<'a>>,
    /// An overwrite of the value before its release.
    pub overwritten: Option<Overwrite<'a>>,
}

impl Leak<'_> {
    /// Whether the value outlives the function on a path that returns or
    /// overwrites it: what a resource or cancel rule reports. A leak made
    /// only of goroutine-ending calls is not one for them (deferred calls
    /// run there, as `go vet` holds).
    pub fn skips_return(&self) -> bool {
        !self.exits.is_empty() || self.overwritten.is_some()
    }
}

/// What happens to an acquired value.
#[derive(Debug, Clone)]
pub enum Verdict<'a> {
    /// Released on every path.
    Released,
    /// Released or handed off on every path, handed off on some.
    HandedOff,
    /// Dropped at once (`_`, or the call's result ignored).
    Discarded,
    /// Not released on some path.
    Leaks(Leak<'a>),
    /// The code does not show enough; rules stay silent.
    Unsure,
}

/// One acquisition and its fate.
#[derive(Debug, Clone)]
pub struct Obligation<'a> {
    /// The catalogue entry (group, release).
    pub entry: &'a Acquire,
    /// The acquiring call or struct literal.
    pub call: Node<'a>,
    /// The assignment, short declaration or var spec holding the value, if any.
    pub stmt: Option<Node<'a>>,
    /// Who holds it.
    pub holder: Holder<'a>,
    /// What happens to it.
    pub verdict: Verdict<'a>,
}

impl Obligation<'_> {
    /// The span of the acquisition.
    pub fn span(&self) -> Span {
        Span::of(self.call)
    }

    /// The variable holding the value, when a local one does.
    pub fn binding(&self) -> Option<BindingId> {
        match self.holder {
            Holder::Local { binding, .. } => Some(binding),
            _ => None,
        }
    }
}

/// Where `defer x.Close()` goes for an obligation, and whether inserting it
/// there changes nothing but the leak.
#[derive(Debug, Clone, Copy)]
pub struct DeferSite<'a> {
    /// The statement after which the `defer` goes: the acquisition, or the
    /// `if err != nil { … }` check right after it.
    pub after: Node<'a>,
    /// Whether `--fix` may insert it unattended: the acquisition runs once
    /// per call (not in a loop), sits directly in a block, and the value
    /// does not leave the function.
    pub safe: bool,
}

/// Where a `defer` releasing `ob` belongs, with its safety. `None` when the
/// value has no local holder declared by the acquisition statement.
pub fn defer_site<'a>(f: &dyn Function<'a>, ob: &Obligation<'a>) -> Option<DeferSite<'a>> {
    let stmt = ob.stmt?;
    let binding = ob.binding()?;
    let in_block = stmt
        .parent()
        .is_some_and(|p| p.kind() == kinds::STATEMENT_LIST);
    let mut after = stmt;
    if ob.entry.error_result.is_some() {
        // `defer f.Close()` goes after `if err != nil { return … }`.
        if let Some(next) = stmt.next_named_sibling() {
            if next.kind() == kinds::IF_STATEMENT {
                let cond = next.child_by_field_name("condition");
                if cond.is_some_and(|c| f.text(c).contains("!= nil")) {
                    after = next;
                }
            }
        }
    }
    let escapes = !matches!(
        ob.verdict,
        Verdict::Leaks(_) | Verdict::Released | Verdict::Discarded
    ) || f
        .scopes()
        .references(binding)
        .iter()
        .filter(|r| !r.write)
        .any(|r| {
            f.body()
                .descendant_for_byte_range(r.span.start, r.span.end)
                .is_none_or(|id| touch(f, id, &ob.entry.release) == Touch::HandOff)
        });
    Some(DeferSite {
        after,
        safe: in_block && !syntax::in_loop(stmt) && !escapes,
    })
}

/// How one read of the holder treats the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// It releases it.
    Release,
    /// It hands it off.
    HandOff,
    /// `x == nil`, `x != nil`.
    NilCheck,
    /// Anything else.
    Read,
}

/// Classifies the read `ident` of a value released by `release`.
pub fn touch<'a>(f: &dyn Function<'a>, ident: Node<'a>, release: &Release) -> Touch {
    let Some((lit, started)) = enclosing_literal(ident, f.node()) else {
        return touch_here(f, ident, release);
    };
    match started {
        // A deferred closure runs at every exit: what it does counts there.
        Some(kinds::DEFER_STATEMENT) if lit_is_outermost(lit, f.node()) => {
            match touch_here(f, ident, release) {
                Touch::NilCheck => Touch::Read,
                t => t,
            }
        }
        _ => Touch::HandOff,
    }
}

/// The innermost func literal around `ident` below `func`, and the kind of
/// statement (`go`, `defer`) that calls it directly, if one does.
fn enclosing_literal<'a>(
    ident: Node<'a>,
    func: Node<'a>,
) -> Option<(Node<'a>, Option<&'static str>)> {
    let mut cur = ident.parent();
    while let Some(n) = cur {
        if n.id() == func.id() {
            return None;
        }
        if n.kind() == kinds::FUNC_LITERAL {
            let started = n
                .parent()
                .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
                .and_then(|c| c.parent())
                .and_then(|s| match s.kind() {
                    kinds::DEFER_STATEMENT => Some(kinds::DEFER_STATEMENT),
                    kinds::GO_STATEMENT => Some(kinds::GO_STATEMENT),
                    _ => None,
                });
            return Some((n, started));
        }
        cur = n.parent();
    }
    None
}

fn lit_is_outermost(lit: Node<'_>, func: Node<'_>) -> bool {
    enclosing_literal(lit, func).is_none()
}

fn touch_here<'a>(f: &dyn Function<'a>, ident: Node<'a>, release: &Release) -> Touch {
    let mut n = ident;
    let mut path: Vec<&str> = Vec::new();
    loop {
        let Some(p) = n.parent() else {
            return Touch::Read;
        };
        let is = |field: &str| {
            p.child_by_field_name(field)
                .is_some_and(|c| c.id() == n.id())
        };
        match p.kind() {
            kinds::PARENTHESIZED_EXPRESSION => n = p,
            // `(*C.char)(p)`: a conversion, through which the value goes on.
            kinds::TYPE_CONVERSION_EXPRESSION if is("operand") => n = p,
            // `l.(*net.TCPListener)` is the same listener; `s, ok := f.(Sizer)`
            // probes what the value can do.
            kinds::TYPE_ASSERTION_EXPRESSION if is("operand") => {
                if !path.is_empty() || probes(p) {
                    return Touch::Read;
                }
                n = p
            }
            kinds::SELECTOR_EXPRESSION if is("operand") => {
                let Some(field) = p.child_by_field_name("field") else {
                    return Touch::Read;
                };
                path.push(f.text(field));
                n = p;
            }
            kinds::CALL_EXPRESSION if is("function") => {
                return match release {
                    Release::Call if path.is_empty() => Touch::Release,
                    Release::Method(m) if m.iter().map(String::as_str).eq(path.iter().copied()) => {
                        Touch::Release
                    }
                    // `defer db.MustClose()`: a method of the value's own type that closes it.
                    Release::Method(m)
                        if m.len() == 1 && path.len() == 1 && f.method_releases(p, release) =>
                    {
                        Touch::Release
                    }
                    // `return fd.File(name), nil`: the file owns the descriptor now.
                    _ if path.len() == 1 && f.method_moves(p) => Touch::HandOff,
                    _ => Touch::Read,
                };
            }
            kinds::BINARY_EXPRESSION => {
                let op = p.child_by_field_name("operator").map(|o| o.kind());
                let other = if is("left") {
                    p.child_by_field_name("right")
                } else {
                    p.child_by_field_name("left")
                };
                let nil = other.is_some_and(|o| o.kind() == "nil");
                return if path.is_empty() && nil && matches!(op, Some("==" | "!=")) {
                    Touch::NilCheck
                } else {
                    Touch::Read
                };
            }
            kinds::ARGUMENT_LIST => {
                let Some(call) = p.parent() else {
                    return Touch::HandOff;
                };
                if is_release_value(&path, release) {
                    return method_value_passed(f, call);
                }
                let index = syntax::named_children(p)
                    .position(|a| a.id() == n.id())
                    .unwrap_or(usize::MAX);
                // `closeBody(resp.Body)` passes what `Close` is called on; a
                // field off the release path (`resp.Header`) is only read.
                let rest = match release {
                    _ if !carries(&path, release) => return Touch::Read,
                    Release::Method(m) if !path.is_empty() => {
                        Cow::Owned(Release::Method(m[path.len()..].to_vec()))
                    }
                    _ => Cow::Borrowed(release),
                };
                return match argument(f, call, index, &rest) {
                    Some(t) => t,
                    // A conversion (`unsafe.Pointer(p)`): the value goes on.
                    None => {
                        n = call;
                        continue;
                    }
                };
            }
            // `(*[1 << 30]byte)(p)[:n]` and `&(*[1 << 30]byte)(p)[i]` point into the
            // memory: where they go, it goes.
            kinds::SLICE_EXPRESSION if is("operand") && path.is_empty() => n = p,
            kinds::INDEX_EXPRESSION
                if is("operand") && path.is_empty() && address_of(p).is_some() =>
            {
                let Some(amp) = address_of(p) else {
                    return Touch::Read;
                };
                n = amp;
            }
            kinds::INDEX_EXPRESSION | kinds::SLICE_EXPRESSION if is("operand") => {
                return Touch::Read
            }
            kinds::UNARY_EXPRESSION => {
                match p.child_by_field_name("operator").map(|o| o.kind()) {
                    Some("&") => return Touch::HandOff,
                    // `&linkCgroup{*link}`: the copy holds what the pointer held.
                    Some("*") if path.is_empty() => n = p,
                    _ => return Touch::Read,
                }
            }
            kinds::EXPRESSION_LIST => {
                let Some(stmt) = p.parent() else {
                    return Touch::Read;
                };
                let assigns = matches!(
                    stmt.kind(),
                    kinds::ASSIGNMENT_STATEMENT | kinds::SHORT_VAR_DECLARATION | kinds::VAR_SPEC
                );
                let is_lhs = stmt
                    .child_by_field_name("left")
                    .is_some_and(|l| l.id() == p.id());
                let rhs = assigns && !is_lhs;
                // `_ = f`, `return resp.StatusCode`, `_ = resp.Body.Close`: only read.
                let blank = rhs && {
                    let at = syntax::named_children(p).position(|a| a.id() == n.id());
                    let lhs = syntax::left_side(stmt);
                    at.and_then(|i| lhs.get(i))
                        .is_some_and(|l| l.kind() == kinds::BLANK_IDENTIFIER || f.text(*l) == "_")
                };
                if blank {
                    return Touch::Read;
                }
                // `cleanup := f.Close`, `return f.Close`: whoever holds the method value closes.
                if is_release_value(&path, release)
                    && (rhs || stmt.kind() == kinds::RETURN_STATEMENT)
                {
                    return Touch::HandOff;
                }
                if !carries(&path, release) {
                    return Touch::Read;
                }
                return if rhs || stmt.kind() == kinds::RETURN_STATEMENT {
                    Touch::HandOff
                } else {
                    Touch::Read
                };
            }
            kinds::RETURN_STATEMENT
            | kinds::SEND_STATEMENT
            | kinds::KEYED_ELEMENT
            | kinds::LITERAL_ELEMENT
            | kinds::LITERAL_VALUE
            | kinds::ASSIGNMENT_STATEMENT
            | kinds::SHORT_VAR_DECLARATION
            | kinds::VAR_SPEC => {
                let names_only = (p.kind() == kinds::SEND_STATEMENT && is("channel"))
                    || (p.kind() == kinds::KEYED_ELEMENT && is("key"))
                    || !(carries(&path, release) || is_release_value(&path, release));
                return if names_only {
                    Touch::Read
                } else {
                    Touch::HandOff
                };
            }
            _ => return Touch::Read,
        }
    }
}

/// Whether a closure of `f` that neither `defer` nor `go` starts releases
/// `ob`'s value: a cleanup handed out beside it (`return f, func() { f.Close() }, nil`).
pub fn released_by_cleanup<'a>(f: &dyn Function<'a>, ob: &Obligation<'a>) -> bool {
    let Some(binding) = ob.binding() else {
        return false;
    };
    f.scopes().references(binding).iter().any(|r| {
        if r.write {
            return false;
        }
        let Some(ident) = f.body().descendant_for_byte_range(r.span.start, r.span.end) else {
            return false;
        };
        matches!(enclosing_literal(ident, f.node()), Some((_, started)) if started.is_none())
            && touch_here(f, ident, &ob.entry.release) == Touch::Release
    })
}

/// Whether a type assertion to a type that is not a pointer is assigned
/// with its `ok` (`s, ok := f.(interface{ Size() int64 })`): a test of the
/// value's methods, not a second owner.
fn probes(assertion: Node<'_>) -> bool {
    let pointer = assertion
        .child_by_field_name("type")
        .is_some_and(|t| t.kind() == "pointer_type");
    let comma_ok = assertion
        .parent()
        .filter(|l| l.kind() == kinds::EXPRESSION_LIST)
        .and_then(|l| l.parent())
        .is_some_and(|s| syntax::left_side(s).len() == 2);
    !pointer && comma_ok
}

/// Whether fields `path` name the release method itself, as a method value
/// (`f.Close`, `resp.Body.Close` not called).
fn is_release_value(path: &[&str], release: &Release) -> bool {
    matches!(release, Release::Method(m) if !path.is_empty() && m.iter().map(String::as_str).eq(path.iter().copied()))
}

/// How passing the release method value (`f.Close`) to `call` treats the
/// value. A function given it (`t.Cleanup(f.Close)`, `group.Add(f.Close)`)
/// closes it when it sees fit; `append` only collects it in a slice, which
/// closes the value when a deferred closure of the function reads that
/// slice (`closers = append(closers, out.Close)` run by `defer func() {
/// for _, c := range closers { c() } }()`). A slice stored or returned
/// only on success still leaks on the error returns before that.
fn method_value_passed<'a>(f: &dyn Function<'a>, call: Node<'a>) -> Touch {
    if !matches!(f.callee(call), Callee::Builtin("append")) {
        return Touch::HandOff;
    }
    let Some(stmt) = syntax::assignment_of(call) else {
        return Touch::Read;
    };
    let slice = syntax::left_side(stmt)
        .first()
        .filter(|l| l.kind() == kinds::IDENTIFIER)
        .and_then(|l| f.scopes().binding_of(*l));
    let Some(slice) = slice else {
        return Touch::Read;
    };
    let deferred = f.scopes().references(slice).iter().any(|r| {
        !r.write
            && f.body()
                .descendant_for_byte_range(r.span.start, r.span.end)
                .and_then(|id| enclosing_literal(id, f.node()))
                .is_some_and(|(lit, started)| {
                    started == Some(kinds::DEFER_STATEMENT) && lit_is_outermost(lit, f.node())
                })
    });
    if deferred {
        Touch::HandOff
    } else {
        Touch::Read
    }
}

/// The `&` whose operand is `e`, through a few parentheses: `&((*[N]byte)(p)[i])`.
fn address_of(e: Node<'_>) -> Option<Node<'_>> {
    let mut cur = e.parent()?;
    for _ in 0..4 {
        if cur.kind() != kinds::PARENTHESIZED_EXPRESSION {
            break;
        }
        cur = cur.parent()?;
    }
    (cur.kind() == kinds::UNARY_EXPRESSION
        && cur.child_by_field_name("operator").map(|o| o.kind()) == Some("&"))
    .then_some(cur)
}

/// Whether the value reached through fields `path` still carries the
/// obligation: the value itself, or a field the release goes through
/// (`resp.Body` for `Body.Close`), not `resp.StatusCode` nor `resp.Body.Close`
/// as a method value.
fn carries(path: &[&str], release: &Release) -> bool {
    match release {
        _ if path.is_empty() => true,
        Release::Method(m) => m.len() > path.len() && m.iter().zip(path).all(|(a, b)| a == b),
        _ => false,
    }
}

/// How passing a value as argument `index` of `call` treats it; `None` for a
/// conversion through which the value goes on.
fn argument<'a>(
    f: &dyn Function<'a>,
    call: Node<'a>,
    index: usize,
    release: &Release,
) -> Option<Touch> {
    if call
        .parent()
        .is_some_and(|s| s.kind() == kinds::GO_STATEMENT || s.kind() == kinds::DEFER_STATEMENT)
    {
        // `defer C.free(p)` releases; `go worker(f)` hands off.
        if call
            .parent()
            .is_some_and(|s| s.kind() == kinds::GO_STATEMENT)
        {
            return Some(Touch::HandOff);
        }
    }
    let catalog = f.catalog();
    let callee = f.callee(call);
    let touch = match callee {
        Callee::Builtin("len" | "cap" | "print" | "println" | "delete" | "close" | "copy") => {
            Touch::Read
        }
        Callee::Builtin(_) => Touch::HandOff,
        // `(*C.char)(p)`, `uintptr(p)`: a conversion, through which the value goes on.
        Callee::Other if is_conversion(f, call) => return None,
        Callee::Package { path, name } => {
            if path == "unsafe" && name == "Pointer" {
                return None;
            }
            match release {
                Release::Function { package, name: n } if package == path && n == name => {
                    Touch::Release
                }
                // A C helper of the file's preamble that frees or keeps the pointer owns it.
                _ if path == "C" => match f.cgo_param_fate(name, index) {
                    Some(CParamFate::Frees) => Touch::Release,
                    Some(CParamFate::Keeps) => Touch::HandOff,
                    None if cgo::call_takes_ownership(call, f.src(), name) => Touch::Release,
                    None if catalog.is_pure_reader(path, name) => Touch::Read,
                    None => Touch::HandOff,
                },
                _ if catalog.is_pure_reader(path, name) => Touch::Read,
                _ => match f.arg_fate(call, index, release) {
                    ArgFate::Releases(_) => Touch::Release,
                    ArgFate::Reads => Touch::Read,
                    ArgFate::Takes => Touch::HandOff,
                },
            }
        }
        Callee::DotImported { name } => {
            let mut pure = false;
            f.is_package_func(callee, &mut |p, n| {
                pure |= catalog.is_pure_reader(p, n) && n == name;
                pure
            });
            if pure {
                Touch::Read
            } else {
                Touch::HandOff
            }
        }
        Callee::Local { .. } | Callee::Method { .. } | Callee::Other => {
            match f.arg_fate(call, index, release) {
                ArgFate::Releases(_) => Touch::Release,
                ArgFate::Reads => Touch::Read,
                ArgFate::Takes => Touch::HandOff,
            }
        }
    };
    Some(touch)
}

/// Whether `call` converts its argument: `(*C.char)(p)`, `uintptr(p)`, `[]byte(s)`.
fn is_conversion<'a>(f: &dyn Function<'a>, call: Node<'a>) -> bool {
    let Some(fun) = call.child_by_field_name("function") else {
        return false;
    };
    match fun.kind() {
        kinds::PARENTHESIZED_EXPRESSION | "slice_type" | "array_type" | "pointer_type" => true,
        kinds::IDENTIFIER => {
            f.scopes().is_free(fun)
                && !f.index().funcs.contains_key(f.text(fun))
                && syntax::PREDECLARED_TYPES.contains(&f.text(fun))
        }
        _ => false,
    }
}

/// The catalogue entry `call` acquires with, and the expression that holds
/// the value (the call, or a pass-through wrapper around it).
pub fn acquisition<'a>(
    f: &dyn Function<'a>,
    catalog: &'a Catalog,
    node: Node<'a>,
) -> Option<&'a Acquire> {
    match node.kind() {
        kinds::CALL_EXPRESSION => {
            let callee = f.callee(node);
            let mut found = None;
            match callee {
                Callee::Package { .. } | Callee::DotImported { .. } => {
                    f.is_package_func(callee, &mut |p, n| {
                        found = catalog.acquire_func(p, n);
                        found.is_some()
                    });
                }
                Callee::Method { name, .. } => {
                    let receiver = node
                        .child_by_field_name("function")
                        .and_then(|s| s.child_by_field_name("operand"))
                        .map(syntax::unparen)?;
                    found = catalog.acquisitions_named(name).find(|a| {
                        a.receiver.is_some()
                            && receiver_has_type(f, receiver, &a.package, a.receiver.as_deref())
                    });
                }
                Callee::Local { .. } => return f.returned_acquisition(node, callee),
                _ => {}
            }
            // A function of the package or the module that returns what it opened.
            found.or_else(|| f.returned_acquisition(node, callee))
        }
        kinds::COMPOSITE_LITERAL => {
            let ty = node.child_by_field_name("type")?;
            if ty.kind() != kinds::QUALIFIED_TYPE {
                return None;
            }
            let pkg = f.text(ty.child_by_field_name("package")?);
            let name = f.text(ty.child_by_field_name("name")?);
            let path = f.import_path(pkg)?;
            catalog.acquire_literal(path, name)
        }
        _ => None,
    }
}

/// Whether the code shows that `receiver` has type `package.ty`: a package
/// variable of that package (`http.DefaultClient`), a declaration with that
/// type, or a variable assigned a literal of it.
fn receiver_has_type<'a>(
    f: &dyn Function<'a>,
    receiver: Node<'a>,
    package: &str,
    ty: Option<&str>,
) -> bool {
    let Some(ty) = ty else {
        return false;
    };
    if let Some(t) = types::type_of(f, receiver) {
        return t.is(package, ty);
    }
    match receiver.kind() {
        kinds::SELECTOR_EXPRESSION => {
            let op = receiver.child_by_field_name("operand");
            op.is_some_and(|o| {
                o.kind() == kinds::IDENTIFIER
                    && f.scopes().is_free(o)
                    && f.import_path(f.text(o)) == Some(package)
            })
        }
        kinds::IDENTIFIER => {
            let Some(b) = f.scopes().binding_of(receiver) else {
                return false;
            };
            let decl = f.scopes().binding(b).decl;
            let Some(ident) = f.root().descendant_for_byte_range(decl.start, decl.end) else {
                return false;
            };
            let Some(p) = ident.parent() else {
                return false;
            };
            let written = match p.kind() {
                kinds::PARAMETER_DECLARATION | kinds::VAR_SPEC => {
                    p.child_by_field_name("type").map(|t| f.text(t))
                }
                kinds::EXPRESSION_LIST => p
                    .parent()
                    .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION)
                    .and_then(|s| s.child_by_field_name("right"))
                    .and_then(|r| syntax::named_children(r).next())
                    .map(|v| {
                        let v = syntax::unparen(v);
                        let v = if v.kind() == kinds::UNARY_EXPRESSION {
                            v.child_by_field_name("operand").unwrap_or(v)
                        } else {
                            v
                        };
                        if v.kind() == kinds::COMPOSITE_LITERAL {
                            v.child_by_field_name("type").map_or("", |t| f.text(t))
                        } else {
                            ""
                        }
                    }),
                _ => None,
            };
            let Some(written) = written else {
                return false;
            };
            let t = written.trim().trim_start_matches('*').trim();
            t.split_once('.')
                .is_some_and(|(pkg, name)| name == ty && f.import_path(pkg) == Some(package))
        }
        _ => false,
    }
}

/// Every obligation of `f`'s own body (nested func literals are functions of their own).
pub fn analyse<'a>(f: &dyn Function<'a>) -> Vec<Obligation<'a>> {
    let catalog = f.catalog();
    let mut out = Vec::new();
    let mut candidates: Vec<Node<'a>> = f.facts().calls.clone();
    if catalog.acquisitions().iter().any(|a| a.literal) {
        syntax::walk(f.body(), |n| {
            if n.kind() == kinds::FUNC_LITERAL {
                return false;
            }
            if n.kind() == kinds::COMPOSITE_LITERAL {
                candidates.push(n);
            }
            true
        });
    }
    for node in candidates {
        let Some(entry) = acquisition(f, catalog, node) else {
            continue;
        };
        out.push(obligation(f, entry, node));
    }
    out.sort_by_key(|o| o.call.start_byte());
    out
}

fn obligation<'a>(f: &dyn Function<'a>, entry: &'a Acquire, call: Node<'a>) -> Obligation<'a> {
    let mut value = call;
    // `&kafka.Writer{…}`, `lo.Must(os.Open(p))`: the value is the outer expression.
    while let Some(p) = value.parent() {
        // `(*C.char)(C.malloc(n))`: the converted pointer is the memory.
        let converted = p.kind() == kinds::TYPE_CONVERSION_EXPRESSION
            && p.child_by_field_name("operand")
                .is_some_and(|o| o.id() == value.id());
        if p.kind() == kinds::PARENTHESIZED_EXPRESSION
            || converted
            || (p.kind() == kinds::UNARY_EXPRESSION && call.kind() == kinds::COMPOSITE_LITERAL)
        {
            value = p;
            continue;
        }
        if p.kind() == kinds::ARGUMENT_LIST
            && syntax::named_children(p)
                .next()
                .is_some_and(|a| a.id() == value.id())
        {
            let Some(wrapper) = p.parent() else {
                break;
            };
            let callee = f.callee(wrapper);
            let catalog = f.catalog();
            // `(*C.char)(C.malloc(n))`, `unsafe.Pointer(C.CString(s))`: a conversion of it is it.
            let converts = is_conversion(f, wrapper)
                || matches!(
                    callee,
                    Callee::Package {
                        path: "unsafe",
                        name: "Pointer"
                    }
                );
            if converts || f.is_package_func(callee, &mut |p, n| catalog.is_pass_through(p, n)) {
                value = wrapper;
                continue;
            }
        }
        break;
    }
    let stmt = syntax::assignment_of(value);
    let (holder, verdict) = match stmt {
        Some(stmt) => {
            let lhs = syntax::left_side(stmt);
            // A pass-through wrapper returns the value alone.
            let index = if value.id() == call.id() {
                entry.result
            } else {
                0
            };
            match lhs.get(index).map(|n| syntax::unparen(*n)) {
                None => (Holder::Unnamed(value), Verdict::Unsure),
                Some(h) if h.kind() == kinds::BLANK_IDENTIFIER || f.text(h) == "_" => {
                    (Holder::Blank(h), Verdict::Discarded)
                }
                Some(h) if h.kind() == kinds::IDENTIFIER => match f.scopes().binding_of(h) {
                    Some(b) if f.scopes().binding(b).func == f.span() => {
                        let decl = f.scopes().binding(b).decl;
                        let holder = Holder::Local {
                            binding: b,
                            ident: h,
                            decl,
                        };
                        (holder, paths(f, entry, stmt, b, &lhs))
                    }
                    // A variable of an enclosing function or the package.
                    _ => (Holder::Stored(h), Verdict::HandedOff),
                },
                Some(h) => (Holder::Stored(h), Verdict::HandedOff),
            }
        }
        None => {
            let parent = value.parent();
            let verdict = match parent.map(|p| p.kind()) {
                Some(kinds::EXPRESSION_STATEMENT) => Verdict::Discarded,
                Some(kinds::RETURN_STATEMENT | kinds::EXPRESSION_LIST) => Verdict::HandedOff,
                // `C.greet(C.CString(name))`: what the callee does decides.
                Some(kinds::ARGUMENT_LIST) => match touch(f, value, &entry.release) {
                    Touch::Release => Verdict::Released,
                    Touch::Read | Touch::NilCheck => Verdict::Discarded,
                    Touch::HandOff => Verdict::HandedOff,
                },
                _ => Verdict::Unsure,
            };
            (Holder::Unnamed(value), verdict)
        }
    };
    Obligation {
        entry,
        call,
        stmt,
        holder,
        verdict,
    }
}

/// How many boolean variables a path remembers from its own tests.
const MAX_TESTED_FLAGS: usize = 4;

/// A path's state: the block, the index to start at, whether the error check
/// of the acquisition is still ahead, and boolean flags known on the path.
#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    block: BlockId,
    skip: usize,
    err_guard: bool,
    flags: Vec<(BindingId, bool)>,
    /// The other results of the acquisition, not nil while the value is held
    /// and not yet reassigned.
    siblings: Vec<BindingId>,
}

fn paths<'a>(
    f: &dyn Function<'a>,
    entry: &'a Acquire,
    stmt: Node<'a>,
    binding: BindingId,
    lhs: &[Node<'a>],
) -> Verdict<'a> {
    let Some(cfg) = f.cfg() else {
        return Verdict::Unsure;
    };
    let Some((b0, i0)) = cfg.enclosing_position(stmt) else {
        return Verdict::Unsure;
    };
    let scopes = f.scopes();
    let def = cfg.blocks[b0].nodes[i0];
    let err = entry
        .error_result
        .and_then(|i| lhs.get(i))
        .filter(|n| n.kind() == kinds::IDENTIFIER)
        .and_then(|n| scopes.binding_of(*n));
    let named_result = scopes.binding(binding).kind == BindingKind::Result;
    // Classify every read once.
    let touches: Vec<(Span, Touch)> = scopes
        .references(binding)
        .iter()
        .filter(|r| !r.write)
        .filter_map(|r| {
            let id = f
                .body()
                .descendant_for_byte_range(r.span.start, r.span.end)?;
            Some((r.span, touch(f, id, &entry.release)))
        })
        .collect();
    let writes: Vec<Span> = scopes
        .references(binding)
        .iter()
        .filter(|r| r.write && !syntax::within_span(r.span, Span::of(stmt)))
        .map(|r| r.span)
        .collect();
    let deferred_before = released_by_earlier_defer(f, stmt, &touches);
    // A cancel function is only ever called or passed on: any use settles it, as in `go vet`.
    let any_use = entry.release == Release::Call;
    let mut handed = false;
    let mut released = false;
    let mut leak = Leak::default();
    let mut seen = HashSet::default();
    let mut stack = vec![State {
        block: b0,
        skip: i0 + 1,
        err_guard: err.is_some(),
        flags: flags_before(f, cfg, b0, i0),
        siblings: siblings(f, entry, binding, lhs),
    }];
    // Known flags multiply the states of a block: past this many visits the
    // paths are not worth following, and the verdict is left open.
    let budget = cfg.blocks.len().saturating_mul(1 << (MAX_TESTED_FLAGS + 2));
    let mut visits = 0usize;
    while let Some(mut st) = stack.pop() {
        if st.skip == 0 && !seen.insert(st.clone()) {
            continue;
        }
        visits += 1;
        if visits > budget {
            return Verdict::Unsure;
        }
        let block = &cfg.blocks[st.block];
        let mut settled = false;
        for &n in block.nodes.iter().skip(st.skip) {
            if n.id() == def.id() {
                leak.overwritten.get_or_insert(Overwrite {
                    at: n,
                    in_loop: syntax::enclosing_loop(stmt),
                });
                settled = true;
                break;
            }
            if tagless_case(n) {
                let known = Known {
                    value: binding,
                    err: err.filter(|_| st.err_guard),
                    flags: &st.flags,
                    siblings: &st.siblings,
                    release: &entry.release,
                };
                let conds = syntax::expressions(n);
                if !conds.is_empty()
                    && conds
                        .iter()
                        .all(|c| decide(f, *c, &known, 0) == Some(false))
                {
                    // No case condition holds where the value is held: not a path.
                    settled = true;
                    break;
                }
            }
            let span = Span::of(n);
            let here = touches
                .iter()
                .filter(|(s, _)| syntax::within_span(*s, span));
            let mut t_release = false;
            let mut t_hand = false;
            for (_, t) in here {
                match t {
                    Touch::Release => t_release = true,
                    Touch::HandOff => t_hand = true,
                    Touch::NilCheck => {}
                    Touch::Read => t_hand |= any_use,
                }
            }
            if named_result && is_naked_return(n) {
                t_hand = true;
            }
            if t_release || t_hand {
                released |= t_release;
                handed |= t_hand && !t_release;
                settled = true;
                break;
            }
            if writes.iter().any(|w| syntax::within_span(*w, span)) {
                leak.overwritten.get_or_insert(Overwrite {
                    at: n,
                    in_loop: None,
                });
                settled = true;
                break;
            }
            if let Some(e) = err {
                if scopes
                    .references(e)
                    .iter()
                    .any(|r| r.write && syntax::within_span(r.span, span))
                {
                    st.err_guard = false;
                }
            }
            note_flag(f, n, &mut st.flags);
            st.siblings.retain(|b| {
                !scopes
                    .references(*b)
                    .iter()
                    .any(|r| r.write && syntax::within_span(r.span, span))
            });
        }
        if settled {
            continue;
        }
        match block.exit {
            // The closure deferred before the acquisition takes what the variable holds.
            Some(exit)
                if deferred_before
                    && (exit.returns() || exit.ending() == Some(Ending::Goroutine)) =>
            {
                released = true;
            }
            Some(exit) if exit.returns() => leak.exits.push(exit),
            Some(exit @ Exit::NoReturn(_, Ending::Goroutine)) => leak.goroutine_exits.push(exit),
            Some(_) => {}
            None => {
                let only = block.branch.or_else(|| loop_test(block)).and_then(|br| {
                    prune(
                        f,
                        br.cond,
                        &Known {
                            value: binding,
                            err: err.filter(|_| st.err_guard),
                            flags: &st.flags,
                            siblings: &st.siblings,
                            release: &entry.release,
                        },
                        br.then,
                        br.otherwise,
                    )
                });
                let mut next = st.clone();
                next.skip = 0;
                // Every check of `err` until it is written again is of the
                // acquisition's error: `if os.IsExist(err) {…}; if err != nil {…}`.
                match only {
                    Some(s) => stack.push(State { block: s, ..next }),
                    None => {
                        // An undecided test of a boolean variable decides its
                        // next test on the same path.
                        let tested = block.branch.and_then(|br| {
                            let (b, negated) = bool_test(f, br.cond)?;
                            (br.then != br.otherwise && next.flags.len() < MAX_TESTED_FLAGS)
                                .then_some((br, b, negated))
                        });
                        for &s in block.succs.iter().rev() {
                            let mut st = State {
                                block: s,
                                ..next.clone()
                            };
                            if let Some((br, b, negated)) = tested {
                                st.flags.retain(|(x, _)| *x != b);
                                st.flags.push((b, (s == br.then) != negated));
                            }
                            stack.push(st);
                        }
                    }
                }
            }
        }
    }
    leak.exits.sort_by_key(|e| e.span());
    leak.exits.dedup_by_key(|e| e.span());
    leak.goroutine_exits.sort_by_key(|e| e.span());
    leak.goroutine_exits.dedup_by_key(|e| e.span());
    if !leak.exits.is_empty() || leak.overwritten.is_some() || !leak.goroutine_exits.is_empty() {
        Verdict::Leaks(leak)
    } else if handed {
        Verdict::HandedOff
    } else if released {
        Verdict::Released
    } else {
        // No exit reached and nothing done: every path ends in a crash or exit.
        Verdict::Released
    }
}

/// Whether a closure deferred before `stmt` on every path to it releases the
/// variable or hands it off: `defer func() { if f != nil { f.Close() } }()`
/// and then `f, err = os.CreateTemp(…)`; `defer func() { closeFDs(cfg{fd: fd}) }()`.
/// The closure reads the variable when the function returns, so it releases
/// whatever the variable holds then; a later overwrite without a close is
/// still a leak, and is found by the walk.
fn released_by_earlier_defer(
    f: &dyn Function<'_>,
    stmt: Node<'_>,
    touches: &[(Span, Touch)],
) -> bool {
    touches.iter().any(|(span, t)| {
        if !matches!(t, Touch::Release | Touch::HandOff) || span.end > stmt.start_byte() {
            return false;
        }
        let Some(ident) = f.body().descendant_for_byte_range(span.start, span.end) else {
            return false;
        };
        let Some((lit, Some(kinds::DEFER_STATEMENT))) = enclosing_literal(ident, f.node()) else {
            return false;
        };
        // `touch` already asked that the literal be the function's own.
        let Some(defer) = lit.parent().and_then(|c| c.parent()) else {
            return false;
        };
        // Registered earlier in a block that encloses the acquisition, so on
        // every path that reaches it (a `defer` under an `if` is not).
        defer.parent().is_some_and(|list| {
            matches!(list.kind(), kinds::STATEMENT_LIST | kinds::BLOCK)
                && syntax::within_span(Span::of(stmt), Span::of(list))
        })
    })
}

/// The test of a `for` loop that `block` (the loop's head) ends with, as a
/// branch into the body or out of the loop: `for i := 0; i < n && conn == nil; i++`
/// does not come back for another connection once one is held.
fn loop_test<'t>(block: &Block<'t>) -> Option<Branch<'t>> {
    let (&cond, &[body, done]) = (block.nodes.last()?, block.succs.as_slice()) else {
        return None;
    };
    let parent = cond.parent()?;
    let is_test = match parent.kind() {
        kinds::FOR_CLAUSE => parent
            .child_by_field_name("condition")
            .is_some_and(|c| c.id() == cond.id()),
        // `for cond { … }`: the statement's only clause is the condition.
        kinds::FOR_STATEMENT => !matches!(
            cond.kind(),
            kinds::BLOCK | kinds::FOR_CLAUSE | kinds::RANGE_CLAUSE
        ),
        _ => false,
    };
    is_test.then_some(Branch {
        cond,
        then: body,
        otherwise: done,
    })
}

fn is_naked_return(n: Node<'_>) -> bool {
    n.kind() == kinds::RETURN_STATEMENT && syntax::named_children(n).next().is_none()
}

/// Boolean flags assigned a constant in the same block just before the acquisition.
fn flags_before<'a>(
    f: &dyn Function<'a>,
    cfg: &Cfg<'a>,
    b: BlockId,
    i: usize,
) -> Vec<(BindingId, bool)> {
    let mut flags = Vec::new();
    for &n in cfg.blocks[b].nodes.iter().take(i) {
        note_flag(f, n, &mut flags);
    }
    flags
}

/// The other results an acquisition with no error result assigned to local
/// variables beside the value (the context of `ctx, cancel := context.WithCancel(p)`).
fn siblings(
    f: &dyn Function<'_>,
    entry: &Acquire,
    value: BindingId,
    lhs: &[Node<'_>],
) -> Vec<BindingId> {
    if entry.error_result.is_some() {
        return Vec::new();
    }
    lhs.iter()
        .filter(|n| n.kind() == kinds::IDENTIFIER)
        .filter_map(|n| f.scopes().binding_of(*n))
        .filter(|b| *b != value)
        .collect()
}

/// `x` or `!x` for a local variable `x`: the variable and whether it is negated.
fn bool_test(f: &dyn Function<'_>, cond: Node<'_>) -> Option<(BindingId, bool)> {
    let cond = syntax::unparen(cond);
    let (ident, negated) = match cond.kind() {
        kinds::IDENTIFIER => (cond, false),
        kinds::UNARY_EXPRESSION
            if cond.child_by_field_name("operator").map(|o| o.kind()) == Some("!") =>
        {
            (syntax::unparen(cond.child_by_field_name("operand")?), true)
        }
        _ => return None,
    };
    if ident.kind() != kinds::IDENTIFIER {
        return None;
    }
    Some((f.scopes().binding_of(ident)?, negated))
}

/// Records `v = true` / `v = false` (a local variable) on the path, and
/// forgets what was known of any variable the node writes otherwise
/// (`running = ok`, a range clause, `ok, err = f()`).
fn note_flag<'a>(f: &dyn Function<'a>, n: Node<'a>, flags: &mut Vec<(BindingId, bool)>) {
    if !flags.is_empty() {
        let span = Span::of(n);
        let scopes = f.scopes();
        flags.retain(|(b, _)| {
            !scopes
                .references(*b)
                .iter()
                .any(|r| r.write && syntax::within_span(r.span, span))
        });
    }
    if n.kind() != kinds::ASSIGNMENT_STATEMENT && n.kind() != kinds::SHORT_VAR_DECLARATION {
        return;
    }
    let lhs = syntax::left_side(n);
    let rhs = n
        .child_by_field_name("right")
        .map(syntax::expressions)
        .unwrap_or_default();
    for (l, r) in lhs.iter().zip(rhs.iter()) {
        let Some(b) = f.scopes().binding_of(*l) else {
            continue;
        };
        let value = match r.kind() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        flags.retain(|(x, _)| *x != b);
        if let Some(v) = value {
            flags.push((b, v));
        }
    }
    // Any other write of a flag (`running = cond`) forgets it: handled above for
    // assignments; other statements (`x++`, calls) cannot assign a bool local.
}

/// The only successor worth following out of a branch on `cond`, when the
/// condition is decided on this path.
#[allow(clippy::too_many_arguments)]
fn prune<'a>(
    f: &dyn Function<'a>,
    cond: Node<'a>,
    known: &Known<'_>,
    then: BlockId,
    otherwise: BlockId,
) -> Option<BlockId> {
    decide(f, cond, known, 0).map(|holds| if holds { then } else { otherwise })
}

/// What is known on a path: the held value, the acquisition's error while
/// its check is ahead, and boolean flags.
struct Known<'k> {
    value: BindingId,
    err: Option<BindingId>,
    flags: &'k [(BindingId, bool)],
    /// Variables known to hold the same value (see `paths`).
    siblings: &'k [BindingId],
    /// How the value is released: `resp.Body != nil` checks the value too.
    release: &'k Release,
}

/// Conditions nest `&&`/`||` no deeper than this before they are undecided.
const MAX_COND_DEPTH: usize = 16;

/// The value of `cond` on the path, when what is known decides it.
fn decide<'a>(f: &dyn Function<'a>, cond: Node<'a>, k: &Known<'_>, depth: usize) -> Option<bool> {
    let cond = syntax::unparen(cond);
    match cond.kind() {
        kinds::BINARY_EXPRESSION => {
            let op = cond.child_by_field_name("operator").map(|o| o.kind())?;
            let (l, r) = (
                syntax::unparen(cond.child_by_field_name("left")?),
                syntax::unparen(cond.child_by_field_name("right")?),
            );
            if matches!(op, "&&" | "||") {
                if depth >= MAX_COND_DEPTH {
                    return None;
                }
                let (a, b) = (decide(f, l, k, depth + 1), decide(f, r, k, depth + 1));
                // `err != nil && …` is false on the held path; `x == nil || err != nil` too.
                return match op {
                    "&&" if a == Some(false) || b == Some(false) => Some(false),
                    "&&" if a == Some(true) && b == Some(true) => Some(true),
                    "||" if a == Some(true) || b == Some(true) => Some(true),
                    "||" if a == Some(false) && b == Some(false) => Some(false),
                    _ => None,
                };
            }
            let var = if r.kind() == "nil" {
                l
            } else if l.kind() == "nil" {
                r
            } else {
                return None;
            };
            let (var, fields) = field_chain(f, var);
            if var.kind() != kinds::IDENTIFIER
                || (!fields.is_empty() && !carries(&fields, k.release))
            {
                return None;
            }
            let b = f.scopes().binding_of(var)?;
            if !fields.is_empty() && b != k.value {
                return None;
            }
            // The value is held (not nil); on the error path it is not held at all.
            let not_nil = if b == k.value || k.siblings.contains(&b) {
                true
            } else if Some(b) == k.err {
                false
            } else {
                return None;
            };
            match op {
                "!=" => Some(not_nil),
                "==" => Some(!not_nil),
                _ => None,
            }
        }
        kinds::IDENTIFIER => {
            let b = f.scopes().binding_of(cond)?;
            Some(k.flags.iter().find(|(x, _)| *x == b)?.1)
        }
        kinds::UNARY_EXPRESSION
            if cond.child_by_field_name("operator").map(|o| o.kind()) == Some("!") =>
        {
            let inner = syntax::unparen(cond.child_by_field_name("operand")?);
            if inner.kind() != kinds::IDENTIFIER {
                return None;
            }
            let b = f.scopes().binding_of(inner)?;
            Some(!k.flags.iter().find(|(x, _)| *x == b)?.1)
        }
        // `os.IsNotExist(err)`, `errors.Is(err, fs.ErrNotExist)`, `errors.As(err, &e)`:
        // true only for a non-nil error, so false where the value is held.
        kinds::CALL_EXPRESSION if error_predicate(f, cond, k.err?) => Some(false),
        _ => None,
    }
}

/// `resp.Body` as (`resp`, ["Body"]); a bare identifier with no fields.
fn field_chain<'a>(f: &dyn Function<'a>, mut e: Node<'a>) -> (Node<'a>, Vec<&'a str>) {
    let mut fields = Vec::new();
    while e.kind() == kinds::SELECTOR_EXPRESSION && fields.len() < 8 {
        let (Some(op), Some(field)) = (
            e.child_by_field_name("operand"),
            e.child_by_field_name("field"),
        ) else {
            break;
        };
        fields.push(f.text(field));
        e = syntax::unparen(op);
    }
    fields.reverse();
    (e, fields)
}

/// Whether `n` is the value list of a case of a switch with no tag
/// (`switch { case errors.Is(err, x): … }`), whose expressions are conditions.
fn tagless_case(n: Node<'_>) -> bool {
    n.parent().is_some_and(|c| {
        c.kind() == kinds::EXPRESSION_CASE
            && c.child_by_field_name("value")
                .is_some_and(|v| v.id() == n.id())
            && c.parent()
                .is_some_and(|s| s.child_by_field_name("value").is_none())
    })
}

/// Whether `call` is an `Is…`/`As` predicate whose first argument is `err`.
fn error_predicate<'a>(f: &dyn Function<'a>, call: Node<'a>, err: BindingId) -> bool {
    let name = call
        .child_by_field_name("function")
        .map(|fun| f.text(fun).rsplit('.').next().unwrap_or(""))
        .unwrap_or("");
    let first = call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next())
        .map(syntax::unparen);
    (name.starts_with("Is") || name == "As")
        && first
            .is_some_and(|a| a.kind() == kinds::IDENTIFIER && f.scopes().binding_of(a) == Some(err))
}

/// The returns that hand `ob`'s value (or a field of it, `resp.Body`) to the
/// caller, each with the index of the result it is returned as.
pub fn returned_at<'a>(f: &dyn Function<'a>, ob: &Obligation<'a>) -> Vec<(Node<'a>, usize)> {
    let mut out = Vec::new();
    let mut at = |value: Node<'a>, single: usize| {
        let Some(list) = value.parent() else {
            return;
        };
        let ret = match list.kind() {
            kinds::EXPRESSION_LIST => list.parent(),
            kinds::RETURN_STATEMENT => Some(list),
            _ => None,
        };
        let Some(ret) = ret.filter(|r| r.kind() == kinds::RETURN_STATEMENT) else {
            return;
        };
        let values = if list.kind() == kinds::EXPRESSION_LIST {
            syntax::expressions(list)
        } else {
            vec![value]
        };
        let index = if values.len() == 1 {
            single
        } else {
            values
                .iter()
                .position(|v| v.id() == value.id())
                .unwrap_or(0)
        };
        out.push((ret, index));
    };
    match ob.holder {
        Holder::Local { binding, .. } => {
            for r in f.scopes().references(binding).iter().filter(|r| !r.write) {
                let Some(mut n) = f.body().descendant_for_byte_range(r.span.start, r.span.end)
                else {
                    continue;
                };
                if syntax::enclosing_function(n).is_none_or(|x| x.id() != f.node().id()) {
                    continue;
                }
                while let Some(p) = n.parent() {
                    let operand = p
                        .child_by_field_name("operand")
                        .is_some_and(|o| o.id() == n.id());
                    if p.kind() == kinds::PARENTHESIZED_EXPRESSION
                        || (p.kind() == kinds::SELECTOR_EXPRESSION
                            && operand
                            && n.kind() == kinds::IDENTIFIER)
                    {
                        n = p;
                    } else {
                        break;
                    }
                }
                at(n, 0);
            }
        }
        Holder::Unnamed(value) => {
            let single = if value.id() == ob.call.id() {
                ob.entry.result
            } else {
                0
            };
            at(value, single);
        }
        _ => {}
    }
    out
}
