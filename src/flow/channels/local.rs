//! The channels a function makes into local variables, each use with the
//! place it runs, and the binding a goroutine sees a channel through.

use super::callbacks::wrapper_calls;
use super::goroutines::{param_for_arg, Goroutine};
use super::uses::{classify_in, select_of_comm_in, UseKind};
use crate::flow::cfg::{BlockId, Cfg};
use crate::flow::function::{Callee, Function};
use crate::flow::scopes::BindingId;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use std::rc::Rc;

/// Where a use runs, relative to the function that made the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// In the function's own body.
    Owner,
    /// In the body of `go func(){…}()`: the `go` statement.
    Goroutine(Node<'a>),
    /// In the body of `defer func(){…}()`: the `defer` statement.
    Deferred(Node<'a>),
    /// In a func literal passed to a call that runs it before it returns and
    /// keeps it nowhere (`sort.Slice`, `once.Do`, a helper that only calls
    /// its parameter), directly in the function's body: the call. The use
    /// runs there, any number of times (none, once, many).
    Sync(Node<'a>),
    /// In any other func literal.
    Closure,
}

/// One use of a channel.
#[derive(Debug, Clone)]
pub struct ChanUse<'a> {
    /// The identifier.
    pub ident: Node<'a>,
    /// What it does.
    pub kind: UseKind<'a>,
    /// The acting statement or expression.
    pub node: Node<'a>,
    /// Where it runs.
    pub place: Place<'a>,
    /// Whether it sits in a func literal nested inside that place.
    pub nested: bool,
    /// The call it runs at, when it sits in a closure run by a call of the
    /// place: a callback run by its helper ([`Place::Sync`]), or a local
    /// wrapper called in a goroutine's body.
    pub via: Option<Node<'a>>,
    /// The ancestors of `ident` from the function it was found in (root
    /// first, its parent last): questions about where the use sits are
    /// answered from them, not by climbing with `parent()`.
    ancestors: Rc<[Node<'a>]>,
}

impl<'a> ChanUse<'a> {
    fn new(f: &dyn Function<'a>, ident: Node<'a>) -> Self {
        let mut chain = syntax::ancestors(f.node(), ident);
        chain.pop();
        let (kind, node) = classify_in(ident, &chain, f.scopes(), f.src());
        let (place, nested) = place_of(f, &chain);
        let via = match place {
            Place::Sync(call) => Some(call),
            _ => None,
        };
        ChanUse {
            ident,
            kind,
            node,
            place,
            nested,
            via,
            ancestors: chain.into(),
        }
    }

    /// A use inside a local wrapper, as the function `g` that calls the
    /// wrapper at `call` sees it: it runs at that call, in `g`'s own body.
    /// `to_call` holds the ancestors of the call from `g`, `in_wrapper`
    /// those of the identifier from the wrapper's literal down.
    fn through_wrapper(
        g: &dyn Function<'a>,
        ident: Node<'a>,
        call: Node<'a>,
        to_call: &[Node<'a>],
        in_wrapper: &[Node<'a>],
    ) -> Self {
        // The call's ancestors, then the call, then the wrapper's: the
        // nearest ones classify the use, and loops around the call count.
        let mut chain = to_call.to_vec();
        chain.push(call);
        chain.extend_from_slice(in_wrapper);
        let (kind, node) = classify_in(ident, &chain, g.scopes(), g.src());
        ChanUse {
            ident,
            kind,
            node,
            place: Place::Owner,
            nested: true,
            via: Some(call),
            ancestors: chain.into(),
        }
    }

    /// The ancestors of the identifier within the function it was found in
    /// (that function first, the identifier's parent last).
    pub fn ancestors(&self) -> &[Node<'a>] {
        &self.ancestors
    }

    /// The `k`-th ancestor of the identifier (`k` ≥ 1), within the function it was found in.
    pub fn ancestor(&self, k: usize) -> Option<Node<'a>> {
        let i = self.ancestors.len().checked_sub(k)?;
        self.ancestors.get(i).copied()
    }

    /// The ancestors of `self.node` (which is `ident` or one of its ancestors).
    fn above_node(&self) -> &[Node<'a>] {
        let i = self
            .ancestors
            .iter()
            .position(|a| a.id() == self.node.id())
            .unwrap_or(self.ancestors.len());
        &self.ancestors[..i]
    }

    /// The select statement and case whose communication this use is.
    pub fn select_case(&self) -> Option<(Node<'a>, Node<'a>)> {
        select_of_comm_in(self.node, self.above_node())
    }

    /// The innermost `for` statement around the acting node, within the
    /// function that holds it.
    pub fn enclosing_loop(&self) -> Option<Node<'a>> {
        self.above_node()
            .iter()
            .rev()
            .take_while(|n| !syntax::is_function(**n))
            .find(|n| n.kind() == kinds::FOR_STATEMENT)
            .copied()
    }

    /// The graph position of the statement of `cfg` that holds the use (for
    /// a use in a callback run at its call, the call's statement).
    pub fn position_in(&self, cfg: &Cfg<'_>) -> Option<(BlockId, usize)> {
        if let Some(p) = cfg.position_of(self.ident) {
            return Some(p);
        }
        // The closure's own literal is crossed once, to its call.
        let mut crossing = self.via.is_some();
        for n in self.ancestors.iter().rev() {
            if let Some(p) = cfg.position_of(*n) {
                return Some(p);
            }
            if syntax::is_function(*n) && !std::mem::take(&mut crossing) {
                return None;
            }
        }
        None
    }

    /// Whether a loop may repeat the use: a `for` around it in the function
    /// that holds it, or, for a use in a closure run at a call, around that
    /// call too.
    pub fn repeated(&self) -> bool {
        let limit = 1 + usize::from(self.via.is_some());
        let mut functions = 0;
        self.above_node().iter().rev().any(|n| {
            functions += usize::from(syntax::is_function(*n));
            functions < limit && n.kind() == kinds::FOR_STATEMENT
        })
    }
}

/// The capacity of a channel as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capacity {
    /// A constant (0 when absent).
    Const(u64),
    /// `len(x)`, with `x` as written.
    Len(String),
    /// Anything else.
    Unknown,
}

/// A channel made by a function into one of its local variables.
#[derive(Debug)]
pub struct LocalChannel<'a> {
    /// The variable.
    pub binding: BindingId,
    /// Its name.
    pub name: String,
    /// The `make(chan …)` call.
    pub make: Node<'a>,
    /// The capacity.
    pub capacity: Capacity,
    /// Every read of the variable.
    pub uses: Vec<ChanUse<'a>>,
}

impl<'a> LocalChannel<'a> {
    /// Uses of a kind at a place.
    pub fn any(&self, pred: impl FnMut(&ChanUse<'a>) -> bool) -> bool {
        self.uses.iter().any(pred)
    }
}

/// The channels `f` makes into local variables that are assigned nowhere else.
pub fn local_channels<'a>(f: &dyn Function<'a>) -> Vec<LocalChannel<'a>> {
    let mut out = Vec::new();
    for &call in &f.facts().calls {
        if !matches!(f.callee(call), Callee::Builtin("make")) {
            continue;
        }
        let Some(args) = call.child_by_field_name("arguments") else {
            continue;
        };
        let mut args = syntax::named_children(args);
        if args.next().is_none_or(|t| t.kind() != "channel_type") {
            continue;
        }
        let capacity = match args.next() {
            None => Capacity::Const(0),
            Some(c) => capacity_of(syntax::unparen(c), f.src()),
        };
        let Some(var) = assigned_variable(call) else {
            continue;
        };
        let Some(binding) = f.scopes().binding_of(var) else {
            continue;
        };
        if f.scopes().binding(binding).func != f.span() {
            continue;
        }
        let refs = f.scopes().references(binding);
        // Assigned anywhere else: which channel a use sees is not known.
        if refs
            .iter()
            .any(|r| r.write && r.span.start != var.start_byte())
        {
            continue;
        }
        let mut uses = Vec::new();
        for r in refs.iter().filter(|r| !r.write) {
            let Some(ident) = f.node().descendant_for_byte_range(r.span.start, r.span.end) else {
                continue;
            };
            uses.push(ChanUse::new(f, ident));
        }
        out.push(LocalChannel {
            binding,
            name: f.text(var).to_string(),
            make: call,
            capacity,
            uses,
        });
    }
    out
}

fn capacity_of(c: Node<'_>, src: &str) -> Capacity {
    match c.kind() {
        "int_literal" => syntax::text(c, src)
            .replace('_', "")
            .parse()
            .map_or(Capacity::Unknown, Capacity::Const),
        kinds::CALL_EXPRESSION => {
            let f = c.child_by_field_name("function");
            let is_len = f.is_some_and(|f| syntax::text(f, src) == "len");
            let arg = c
                .child_by_field_name("arguments")
                .and_then(|a| syntax::named_children(a).next());
            match (is_len, arg) {
                (true, Some(a)) => Capacity::Len(syntax::text(a, src).to_string()),
                _ => Capacity::Unknown,
            }
        }
        _ => Capacity::Unknown,
    }
}

/// The identifier that `call` is the only value of: `x := call`, `x = call`, `var x = call`.
fn assigned_variable(call: Node<'_>) -> Option<Node<'_>> {
    let stmt = syntax::assignment_of(call)?;
    if stmt.kind() == kinds::ASSIGNMENT_STATEMENT {
        let plain = stmt
            .child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "=");
        if !plain {
            return None;
        }
    }
    let lhs = syntax::left_side(stmt);
    (lhs.len() == 1 && lhs[0].kind() == kinds::IDENTIFIER).then(|| lhs[0])
}

/// Where an identifier with these ancestors (from its owner function `f`
/// down) runs relative to the owner, and whether it is nested deeper.
fn place_of<'a>(f: &dyn Function<'a>, chain: &[Node<'a>]) -> (Place<'a>, bool) {
    let mut literals = chain
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, n)| n.kind() == kinds::FUNC_LITERAL);
    let outer = literals.next();
    let depth = usize::from(outer.is_some()) + literals.count();
    let Some((i, _)) = outer else {
        return (Place::Owner, false);
    };
    if let Some(p) = started_by(&chain[..i]) {
        return (p, depth > 1);
    }
    if depth > 1 {
        return (Place::Closure, true);
    }
    if let Some(call) = run_at_call(f, &chain[..i], chain[i]) {
        return (Place::Sync(call), false);
    }
    match wrapper_place(f, chain[i]) {
        Some(p) => (p, true),
        None => (Place::Closure, false),
    }
}

/// The goroutine a local wrapper bound to `lit` runs in, when every call of
/// it is in one goroutine of `f`: `go work()`, or `send(v)` directly in the
/// body of one `go func(){…}()`.
fn wrapper_place<'a>(f: &dyn Function<'a>, lit: Node<'a>) -> Option<Place<'a>> {
    let mut place = None;
    for c in wrapper_calls(f, lit)? {
        let mut literals = c
            .ancestors
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| n.kind() == kinds::FUNC_LITERAL);
        let p = match (c.go, literals.next(), literals.next()) {
            (Some(go), None, _) => Place::Goroutine(go),
            (None, Some((i, _)), None) => match started_by(&c.ancestors[..i]) {
                Some(p @ Place::Goroutine(_)) => p,
                _ => return None,
            },
            _ => return None,
        };
        if place.is_some_and(|q| q != p) {
            return None;
        }
        place = Some(p);
    }
    place
}

/// The call that runs the literal `lit` (whose ancestors these are) before
/// it returns: `lit` is an argument of a call for which
/// [`Function::runs_callback`] holds.
fn run_at_call<'a>(f: &dyn Function<'a>, above: &[Node<'a>], lit: Node<'a>) -> Option<Node<'a>> {
    let mut up = above.iter().rev().copied();
    let mut arg = lit;
    let mut list = up.next()?;
    while list.kind() == kinds::PARENTHESIZED_EXPRESSION {
        arg = list;
        list = up.next()?;
    }
    if list.kind() != kinds::ARGUMENT_LIST {
        return None;
    }
    let call = up.next().filter(|c| c.kind() == kinds::CALL_EXPRESSION)?;
    let index = syntax::named_children(list).position(|a| a.id() == arg.id())?;
    f.runs_callback(call, index).then_some(call)
}

/// `Goroutine` or `Deferred` when the literal whose ancestors these are is
/// called directly by a `go` or `defer` statement.
fn started_by<'a>(above: &[Node<'a>]) -> Option<Place<'a>> {
    let mut up = above.iter().rev().copied();
    let mut p = up.next()?;
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        p = up.next()?;
    }
    if p.kind() != kinds::CALL_EXPRESSION {
        return None;
    }
    let stmt = up.next()?;
    match stmt.kind() {
        kinds::GO_STATEMENT => Some(Place::Goroutine(stmt)),
        kinds::DEFER_STATEMENT => Some(Place::Deferred(stmt)),
        _ => None,
    }
}

/// The binding through which goroutine `g` (started by `go_stmt`) sees `ch`:
/// the captured variable itself, or the parameter its argument is passed to.
pub fn channel_in_goroutine(
    gcx: &dyn Function<'_>,
    g: Goroutine<'_>,
    go_stmt: Node<'_>,
    ch: &LocalChannel<'_>,
) -> Option<BindingId> {
    let arg = ch.uses.iter().find_map(|u| match u.kind {
        UseKind::GoArg { go_stmt: s, index } if s.id() == go_stmt.id() => Some(index),
        _ => None,
    });
    match (g, arg) {
        (Goroutine::Literal { .. }, None) => ch
            .any(|u| u.place == Place::Goroutine(go_stmt))
            .then_some(ch.binding),
        (_, Some(i)) => {
            // Passed and captured at once: two names for one channel.
            if ch.any(|u| u.place == Place::Goroutine(go_stmt)) {
                return None;
            }
            let p = param_for_arg(gcx.node(), i)?;
            gcx.scopes().declared(p)
        }
        _ => None,
    }
}

/// The uses of `binding` inside the goroutine function `gcx`, with places
/// relative to it, and those inside local wrappers that only `gcx`'s own
/// body calls, once per call (`send := func(v T) { ch <- v }` and
/// `go func() { send(x) }()`).
pub fn uses_in<'a>(gcx: &dyn Function<'a>, binding: BindingId) -> Vec<ChanUse<'a>> {
    let mut out = Vec::new();
    let body = gcx.body();
    for r in gcx.scopes().references(binding).iter().filter(|r| !r.write) {
        let Some(ident) = gcx
            .root()
            .descendant_for_byte_range(r.span.start, r.span.end)
        else {
            continue;
        };
        if syntax::within(ident, body) {
            out.push(ChanUse::new(gcx, ident));
        } else {
            wrapped_uses(gcx, ident, &mut out);
        }
    }
    out
}

/// The use at `ident` (outside `gcx`) once per call of the local wrapper
/// that holds it, when the wrapper's literal holds it directly and every
/// call of the wrapper is in `gcx`'s own body.
fn wrapped_uses<'a>(gcx: &dyn Function<'a>, ident: Node<'a>, out: &mut Vec<ChanUse<'a>>) {
    let mut chain = syntax::ancestors(gcx.root(), ident);
    chain.pop();
    let Some(w) = chain.iter().rposition(|n| syntax::is_function(*n)) else {
        return;
    };
    let lit = chain[w];
    if lit.kind() != kinds::FUNC_LITERAL || syntax::within(gcx.node(), lit) {
        return;
    }
    let Some(calls) = wrapper_calls(gcx, lit) else {
        return;
    };
    let direct = |c: &super::callbacks::WrapperCall<'a>| {
        c.go.is_none()
            && c.ancestors
                .first()
                .is_some_and(|n| n.id() == gcx.node().id())
            && c.ancestors.iter().skip(1).all(|n| !syntax::is_function(*n))
    };
    if !calls.iter().all(direct) {
        return;
    }
    for c in &calls {
        out.push(ChanUse::through_wrapper(
            gcx,
            ident,
            c.call,
            &c.ancestors,
            &chain[w..],
        ));
    }
}
