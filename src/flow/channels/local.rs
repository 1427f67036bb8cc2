//! The channels a function makes into local variables, each use with the
//! place it runs, and the binding a goroutine sees a channel through.

use super::goroutines::{param_for_arg, Goroutine};
use super::uses::{classify, UseKind};
use crate::flow::function::{Callee, Function};
use crate::flow::scopes::BindingId;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

/// Where a use runs, relative to the function that made the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// In the function's own body.
    Owner,
    /// In the body of `go func(){…}()`: the `go` statement.
    Goroutine(Node<'a>),
    /// In the body of `defer func(){…}()`: the `defer` statement.
    Deferred(Node<'a>),
    /// In any other func literal.
    Closure,
}

/// One use of a channel.
#[derive(Debug, Clone, Copy)]
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
            let (kind, node) = classify(ident, f.scopes(), f.src());
            let (place, nested) = place_of(ident, f.node());
            uses.push(ChanUse {
                ident,
                kind,
                node,
                place,
                nested,
            });
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

/// Where `ident` runs relative to `owner`, and whether it is nested deeper.
fn place_of<'a>(ident: Node<'a>, owner: Node<'a>) -> (Place<'a>, bool) {
    // The literals between `owner` and `ident`, from one walk down: walking
    // up with `parent()` costs O(depth) per step.
    let chain = syntax::ancestors(owner, ident);
    let between = chain.get(1..chain.len().saturating_sub(1)).unwrap_or(&[]);
    let mut literals = between.iter().filter(|n| n.kind() == kinds::FUNC_LITERAL);
    let outer = literals.next().copied();
    let depth = usize::from(outer.is_some()) + literals.count();
    let Some(lit) = outer else {
        return (Place::Owner, false);
    };
    (started_by(lit).unwrap_or(Place::Closure), depth > 1)
}

/// `Goroutine` or `Deferred` when `lit` is called directly by a `go` or `defer` statement.
fn started_by(lit: Node<'_>) -> Option<Place<'_>> {
    let mut p = lit.parent()?;
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        p = p.parent()?;
    }
    if p.kind() != kinds::CALL_EXPRESSION {
        return None;
    }
    let stmt = p.parent()?;
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
/// relative to it.
pub fn uses_in<'a>(gcx: &dyn Function<'a>, binding: BindingId) -> Vec<ChanUse<'a>> {
    let mut out = Vec::new();
    for r in gcx.scopes().references(binding).iter().filter(|r| !r.write) {
        if !(r.span.start >= gcx.body().start_byte() && r.span.end <= gcx.body().end_byte()) {
            continue;
        }
        let Some(ident) = gcx
            .body()
            .descendant_for_byte_range(r.span.start, r.span.end)
        else {
            continue;
        };
        let (kind, node) = classify(ident, gcx.scopes(), gcx.src());
        let (place, nested) = place_of(ident, gcx.node());
        out.push(ChanUse {
            ident,
            kind,
            node,
            place,
            nested,
        });
    }
    out
}
