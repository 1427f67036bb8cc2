//! Channels a function makes and what happens to them: the `make` and its
//! capacity, every use classified (send, receive, range, close, hand-off to a
//! goroutine, escape) with the place it runs (the function itself, a goroutine
//! it starts, a deferred call, another closure), the goroutines a `go`
//! statement starts, and path counts of receives and sends.
//!
//! The goroutine rules ask these questions; they never walk raw trees for them.

use super::cfg::{BlockId, Cfg, Exit};
use super::scopes::{BindingId, Scopes};
use super::summary::func_key;
use super::summary::{base_type, param_idents, FuncKey};
use crate::check::{Callee, FileContext, FunctionContext};
use crate::index::FileImports;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

/// A cheap text pre-filter: whether some line of `src` starts with a `go`
/// statement (gofmt puts each statement on its own line).
pub fn may_start_goroutines(src: &str) -> bool {
    src.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("go ") || t.starts_with("go\t")
    })
}

/// How one identifier use treats a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind<'a> {
    /// `ch <- v`.
    Send,
    /// `<-ch` in any expression or select case.
    Receive,
    /// `for … range ch`.
    Range,
    /// `close(ch)`.
    Close,
    /// `len(ch)`, `cap(ch)`: no effect.
    Neutral,
    /// An argument of the call a `go` statement starts.
    GoArg {
        /// The `go` statement.
        go_stmt: Node<'a>,
        /// The argument's position.
        index: usize,
    },
    /// Anything else: returned, stored, passed, sent, assigned.
    Escape,
}

/// Classifies the use of `ident` (an identifier naming a channel). The node
/// returned with it is the statement or expression that acts: the send
/// statement, the `<-` expression, the `for` statement, the call.
pub fn classify<'a>(ident: Node<'a>, scopes: &Scopes, src: &str) -> (UseKind<'a>, Node<'a>) {
    let mut n = ident;
    let Some(mut p) = n.parent() else {
        return (UseKind::Escape, ident);
    };
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        n = p;
        match p.parent() {
            Some(pp) => p = pp,
            None => return (UseKind::Escape, ident),
        }
    }
    let is = |field: &str| {
        p.child_by_field_name(field)
            .is_some_and(|c| c.id() == n.id())
    };
    match p.kind() {
        kinds::SEND_STATEMENT if is("channel") => (UseKind::Send, p),
        kinds::UNARY_EXPRESSION => {
            let op = p.child_by_field_name("operator").map(|o| o.kind());
            if op == Some("<-") {
                (UseKind::Receive, p)
            } else {
                (UseKind::Escape, p)
            }
        }
        kinds::RANGE_CLAUSE if is("right") => match p.parent() {
            Some(f) if f.kind() == kinds::FOR_STATEMENT => (UseKind::Range, f),
            _ => (UseKind::Escape, p),
        },
        kinds::ARGUMENT_LIST => {
            let Some(call) = p.parent() else {
                return (UseKind::Escape, p);
            };
            let func = call.child_by_field_name("function").map(syntax::unparen);
            if let Some(f) = func.filter(|f| f.kind() == kinds::IDENTIFIER && scopes.is_free(*f)) {
                match syntax::text(f, src) {
                    "close" => return (UseKind::Close, call),
                    "len" | "cap" => return (UseKind::Neutral, call),
                    _ => {}
                }
            }
            if let Some(go) = call.parent().filter(|g| g.kind() == kinds::GO_STATEMENT) {
                let index = syntax::named_children(p)
                    .position(|a| a.id() == n.id())
                    .unwrap_or(usize::MAX);
                return (UseKind::GoArg { go_stmt: go, index }, call);
            }
            (UseKind::Escape, call)
        }
        "literal_element" if is_field_key(p) => (UseKind::Neutral, p),
        _ => (UseKind::Escape, p),
    }
}

/// Whether `elem` is the key of a keyed element in a struct literal, where an
/// identifier names a field rather than a value.
fn is_field_key(elem: Node<'_>) -> bool {
    let Some(keyed) = elem.parent().filter(|k| k.kind() == "keyed_element") else {
        return false;
    };
    let is_key = keyed
        .child_by_field_name("key")
        .is_some_and(|k| k.id() == elem.id());
    let map = keyed
        .parent()
        .and_then(|v| v.parent())
        .filter(|l| l.kind() == kinds::COMPOSITE_LITERAL)
        .and_then(|l| l.child_by_field_name("type"))
        .is_none_or(|t| t.kind() == "map_type");
    is_key && !map
}

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
pub fn local_channels<'a>(f: &FunctionContext<'_, 'a>) -> Vec<LocalChannel<'a>> {
    let mut out = Vec::new();
    for &call in &f.facts.calls {
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
        let Some(binding) = f.scopes.binding_of(var) else {
            continue;
        };
        if f.scopes.binding(binding).func != f.span() {
            continue;
        }
        let refs = f.scopes.references(binding);
        // Assigned anywhere else: which channel a use sees is not known.
        if refs
            .iter()
            .any(|r| r.write && r.span.start != var.start_byte())
        {
            continue;
        }
        let mut uses = Vec::new();
        for r in refs.iter().filter(|r| !r.write) {
            let Some(ident) = f.node.descendant_for_byte_range(r.span.start, r.span.end) else {
                continue;
            };
            let (kind, node) = classify(ident, f.scopes, f.src());
            let (place, nested) = place_of(ident, f.node);
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

/// What a `go` statement starts.
#[derive(Debug, Clone, Copy)]
pub enum Goroutine<'a> {
    /// `go func(…){…}(…)`.
    Literal {
        /// The literal.
        func: Node<'a>,
        /// The call.
        call: Node<'a>,
    },
    /// `go f(…)` or `go x.m(…)` for a function or method declared in the package.
    Named {
        /// The declaration, when it is in the same file as the `go` statement.
        decl: Option<Node<'a>>,
        /// Its key.
        key: FuncRef<'a>,
        /// The call.
        call: Node<'a>,
    },
    /// Anything else.
    Unknown,
}

/// A borrowed [`FuncKey`].
#[derive(Debug, Clone, Copy)]
pub enum FuncRef<'a> {
    /// A function.
    Func(&'a str),
    /// A method: receiver base type, name.
    Method(&'a str, &'a str),
}

impl FuncRef<'_> {
    /// The owned key.
    pub fn owned(self) -> FuncKey {
        match self {
            FuncRef::Func(n) => FuncKey::Func(n.to_string()),
            FuncRef::Method(t, n) => FuncKey::Method(t.to_string(), n.to_string()),
        }
    }
}

/// Resolves what `go_stmt` (a `go` statement of `f`) starts.
pub fn goroutine_of<'a>(f: &FunctionContext<'_, 'a>, go_stmt: Node<'a>) -> Goroutine<'a> {
    let Some(call) = syntax::named_children(go_stmt)
        .next()
        .map(syntax::unparen)
        .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
    else {
        return Goroutine::Unknown;
    };
    let Some(func) = call.child_by_field_name("function").map(syntax::unparen) else {
        return Goroutine::Unknown;
    };
    if func.kind() == kinds::FUNC_LITERAL {
        return Goroutine::Literal { func, call };
    }
    let index = f.file.package.index;
    let sig = match f.callee(call) {
        Callee::Local { name } => index
            .funcs
            .get_key_value(name)
            .map(|(k, s)| (FuncRef::Func(k.as_str()), s)),
        Callee::Method { name, .. } => {
            let ty = func
                .child_by_field_name("operand")
                .and_then(|op| receiver_type(f, syntax::unparen(op)));
            ty.and_then(|t| {
                index
                    .methods
                    .get_key_value(&(t.to_string(), name.to_string()))
                    .map(|((t, n), s)| (FuncRef::Method(t.as_str(), n.as_str()), s))
            })
        }
        _ => None,
    };
    let Some((key, sig)) = sig else {
        return Goroutine::Unknown;
    };
    let decl = (sig.file == f.file.file_index)
        .then(|| {
            let mut n = f
                .file
                .root
                .descendant_for_byte_range(sig.span.start, sig.span.end)?;
            while !matches!(
                n.kind(),
                kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
            ) {
                n = n.parent()?;
            }
            Some(n)
        })
        .flatten();
    Goroutine::Named { decl, key, call }
}

/// The declared base type of `x` in `x.m(…)`: a parameter or receiver with a
/// type written as `T` or `*T`, `T` declared in the package.
fn receiver_type<'a>(f: &FunctionContext<'_, 'a>, x: Node<'a>) -> Option<&'a str> {
    if x.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = f.scopes.binding_of(x)?;
    let decl = f.scopes.binding(b).decl;
    let ident = f
        .file
        .root
        .descendant_for_byte_range(decl.start, decl.end)?;
    let p = ident.parent()?;
    if p.kind() != kinds::PARAMETER_DECLARATION {
        return None;
    }
    let ty = base_type(f.text(p.child_by_field_name("type")?));
    f.file.package.index.types.contains(ty).then_some(ty)
}

/// The parameter of the started function that receives argument `index`.
pub fn param_for_arg(func: Node<'_>, index: usize) -> Option<Node<'_>> {
    let params = param_idents(func);
    // A variadic parameter takes the rest: not a single channel.
    let variadic = func
        .child_by_field_name("parameters")
        .and_then(|l| syntax::named_children(l).last())
        .is_some_and(|d| d.kind() == kinds::VARIADIC_PARAMETER_DECLARATION);
    if variadic && index + 1 >= params.len() {
        return None;
    }
    params.get(index).copied().flatten()
}

/// A receive or send count along a path, saturating below [`ALL`].
pub type Count = u8;
/// Every value is taken (a drain loop).
pub const ALL: Count = u8::MAX;
/// The largest finite count tracked.
pub const MAX_COUNT: Count = 64;

/// Adds counts, saturating at `limit` (finite) or [`ALL`].
pub fn add_counts(a: Count, b: Count, limit: Count) -> Count {
    if a == ALL || b == ALL {
        ALL
    } else {
        a.saturating_add(b).min(limit)
    }
}

/// How [`receive_paths`] walks: counting limit, count already taken before
/// the start, and which successor alone to follow out of a block whose
/// branch condition is known to hold.
pub struct Walk<F> {
    /// Finite counts saturate here.
    pub limit: Count,
    /// Receives already guaranteed (a deferred receive registered before the start).
    pub initial: Count,
    /// The only successor to follow out of a block, when its condition is known.
    pub only: F,
}

/// One way a path from a `go` statement leaves the function.
#[derive(Debug, Clone, Copy)]
pub struct PathEnd<'a> {
    /// The exit.
    pub exit: Exit<'a>,
    /// Receives taken on the way.
    pub received: Count,
    /// The select case taken instead of a receive on the channel, if any.
    pub other_case: Option<Node<'a>>,
}

/// Receives of a channel along every path of `cfg` from just after `from`
/// (a node placed in it) to a return of the function. `weight` gives the
/// receives a graph node performs. A path that comes back to `from` (a
/// `go` statement in a loop) ends without a verdict; paths through calls that
/// never return end without one too.
///
/// `select_case` says, for the first node of a select case's body, whether
/// that case competes with a receive on the channel (it returns the case node).
pub fn receive_paths<'a, F: FnMut(BlockId) -> Option<BlockId>>(
    cfg: &Cfg<'a>,
    from: Node<'a>,
    mut walk: Walk<F>,
    mut weight: impl FnMut(Node<'a>) -> Count,
    mut select_case: impl FnMut(BlockId) -> Option<Node<'a>>,
) -> Vec<PathEnd<'a>> {
    let mut out: Vec<PathEnd<'a>> = Vec::new();
    let Some((start, index)) = cfg.position_of(from) else {
        return out;
    };
    // State: block, count so far, and the competing case taken (by index in `cases`).
    let mut cases: Vec<Node<'a>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![(start, index + 1, walk.initial, usize::MAX)];
    while let Some((b, skip, mut count, mut case)) = stack.pop() {
        if skip == 0 {
            if !seen.insert((b, count, case)) {
                continue;
            }
            if case == usize::MAX {
                if let Some(c) = select_case(b) {
                    case = cases
                        .iter()
                        .position(|x| x.id() == c.id())
                        .unwrap_or_else(|| {
                            cases.push(c);
                            cases.len() - 1
                        });
                }
            }
        }
        let block = &cfg.blocks[b];
        let mut back = false;
        for &n in block.nodes.iter().skip(skip) {
            if n.id() == from.id() {
                back = true;
                break;
            }
            count = add_counts(count, weight(n), walk.limit);
        }
        if back {
            continue;
        }
        match block.exit {
            Some(exit) if exit.returns() => out.push(PathEnd {
                exit,
                received: count,
                other_case: cases.get(case).copied(),
            }),
            Some(_) => {}
            None => match (walk.only)(b) {
                Some(s) => stack.push((s, 0, count, case)),
                None => {
                    for &s in block.succs.iter().rev() {
                        stack.push((s, 0, count, case));
                    }
                }
            },
        }
    }
    out
}

/// The sends of a goroutine body along its paths.
#[derive(Debug, Default)]
pub struct SendCounts<'a> {
    /// The most sends any path makes (saturating at 2).
    pub max: Count,
    /// The fewest sends a path that returns makes.
    pub min: Count,
    /// Sends that some path makes as its second (or later) send.
    pub second: Vec<Node<'a>>,
}

/// Counts, along every path of `cfg`, the nodes for which `is_send` holds.
pub fn send_counts<'a>(cfg: &Cfg<'a>, mut is_send: impl FnMut(Node<'a>) -> bool) -> SendCounts<'a> {
    let mut out = SendCounts {
        min: 2,
        ..SendCounts::default()
    };
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![(0usize, 0u8)];
    while let Some((b, mut count)) = stack.pop() {
        if !seen.insert((b, count)) {
            continue;
        }
        let block = &cfg.blocks[b];
        for &n in &block.nodes {
            if is_send(n) {
                if count >= 1 && !out.second.iter().any(|s| s.id() == n.id()) {
                    out.second.push(n);
                }
                count = (count + 1).min(2);
            }
        }
        if block.exit.is_some() {
            if block.exit.is_some_and(|e| e.returns()) {
                out.max = out.max.max(count);
                out.min = out.min.min(count);
            }
            continue;
        }
        for &s in &block.succs {
            stack.push((s, count));
        }
    }
    out
}

/// Whether a `for` loop can be left other than by its own condition or range
/// ending: a `return`, a `break` or `goto` that leaves it, inside its body
/// (nested func literals excluded).
pub fn loop_has_early_exit(src: &str, lp: Node<'_>) -> bool {
    loop_exits(src, lp, false)
}

/// Like [`loop_has_early_exit`], but an exit guarded by a condition on a
/// counter the loop increments or decrements (`n--; if n == 0 { return }`)
/// does not count: it leaves once everything expected has arrived.
pub fn loop_has_uncounted_exit(src: &str, lp: Node<'_>) -> bool {
    loop_exits(src, lp, true)
}

fn loop_exits(src: &str, lp: Node<'_>, counted_ok: bool) -> bool {
    let Some(body) = lp.child_by_field_name("body") else {
        return true;
    };
    let label = lp
        .parent()
        .filter(|p| p.kind() == kinds::LABELED_STATEMENT)
        .and_then(|p| p.child_by_field_name("label"))
        .map(|l| syntax::text(l, src));
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        match n.kind() {
            kinds::RETURN_STATEMENT | kinds::GOTO_STATEMENT => {
                found = !(counted_ok && counted_guard(n, lp, body, src))
            }
            kinds::CONTINUE_STATEMENT => {
                // `continue outer` leaves this loop.
                let target = syntax::named_children(n)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, src));
                found = target.is_some_and(|t| Some(t) != label && !labels_within(body, t, src));
            }
            kinds::BREAK_STATEMENT => {
                let target = syntax::named_children(n)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, src));
                found = match target {
                    Some(t) => Some(t) == label || !labels_within(body, t, src),
                    None => breaks_this_loop(n, lp),
                } && !(counted_ok && counted_guard(n, lp, body, src));
            }
            _ => {}
        }
        !found
    });
    found
}

/// Whether `exit` sits under an `if` (inside `lp`) whose condition names a
/// variable that `body` increments, decrements or adjusts with `+=`/`-=`.
fn counted_guard(exit: Node<'_>, lp: Node<'_>, body: Node<'_>, src: &str) -> bool {
    let mut cur = exit.parent();
    while let Some(n) = cur {
        if n.id() == lp.id() {
            return false;
        }
        if n.kind() == kinds::IF_STATEMENT {
            if let Some(cond) = n.child_by_field_name("condition") {
                let mut names = Vec::new();
                syntax::walk(cond, |c| {
                    if c.kind() == kinds::IDENTIFIER {
                        names.push(syntax::text(c, src));
                    }
                    true
                });
                if names.iter().any(|x| adjusts(body, x, src)) {
                    return true;
                }
            }
        }
        cur = n.parent();
    }
    false
}

fn adjusts(body: Node<'_>, name: &str, src: &str) -> bool {
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        let target = match n.kind() {
            kinds::INC_STATEMENT | kinds::DEC_STATEMENT => syntax::named_children(n).next(),
            kinds::ASSIGNMENT_STATEMENT => n
                .child_by_field_name("operator")
                .filter(|o| matches!(o.kind(), "+=" | "-="))
                .and_then(|_| n.child_by_field_name("left")),
            _ => None,
        };
        found = target.is_some_and(|t| syntax::text(t, src) == name);
        !found
    });
    found
}

/// Whether an unlabelled `break` at `brk` leaves `lp` (no nested for/switch/select in between).
fn breaks_this_loop(brk: Node<'_>, lp: Node<'_>) -> bool {
    let mut cur = brk.parent();
    while let Some(n) = cur {
        if n.id() == lp.id() {
            return true;
        }
        if matches!(
            n.kind(),
            kinds::FOR_STATEMENT
                | kinds::EXPRESSION_SWITCH_STATEMENT
                | kinds::TYPE_SWITCH_STATEMENT
                | kinds::SELECT_STATEMENT
        ) {
            return false;
        }
        cur = n.parent();
    }
    false
}

fn labels_within(body: Node<'_>, name: &str, src: &str) -> bool {
    let mut found = false;
    syntax::walk(body, |n| {
        if n.kind() == kinds::LABELED_STATEMENT
            && n.child_by_field_name("label")
                .is_some_and(|l| syntax::text(l, src) == name)
        {
            found = true;
        }
        !found
    });
    found
}

/// The select statement whose case `node` is the communication of, with the case.
pub fn select_of_comm(node: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    let mut n = node;
    loop {
        let p = n.parent()?;
        if p.kind() == kinds::COMMUNICATION_CASE {
            let is_comm = p
                .child_by_field_name("communication")
                .is_some_and(|c| c.id() == n.id());
            return if is_comm {
                Some((p.parent()?, p))
            } else {
                None
            };
        }
        if !matches!(
            p.kind(),
            kinds::RECEIVE_STATEMENT | kinds::EXPRESSION_LIST | kinds::PARENTHESIZED_EXPRESSION
        ) {
            return None;
        }
        n = p;
    }
}

/// Whether `inner` lies within `outer` (or is it).
pub fn within(inner: Node<'_>, outer: Node<'_>) -> bool {
    inner.start_byte() >= outer.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// Whether `node` contains `<-x` (outside nested func literals).
pub fn has_receive(node: Node<'_>) -> bool {
    let mut found = false;
    syntax::walk(node, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::UNARY_EXPRESSION
            && n.child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "<-")
        {
            found = true;
        }
        !found
    });
    found
}

/// Runs `k` with the function context of the goroutine body `g` started from
/// `f`: the literal's body, or the declaration of a named function in the same
/// file. `None` when the body is not available or cannot be analysed.
pub fn with_goroutine<'a, R>(
    f: &FunctionContext<'_, 'a>,
    g: Goroutine<'a>,
    k: impl FnOnce(&FunctionContext<'_, 'a>) -> R,
) -> Option<R> {
    match g {
        Goroutine::Literal { func, .. } => {
            let body = func
                .child_by_field_name("body")
                .filter(|b| !b.has_error())?;
            let gcx = FunctionContext::new(f.file, func, body, f.scopes);
            Some(k(&gcx))
        }
        Goroutine::Named {
            decl: Some(decl), ..
        } => {
            let body = decl
                .child_by_field_name("body")
                .filter(|b| !b.has_error())?;
            let scopes = Scopes::build(decl, f.src());
            let gcx = FunctionContext::new(f.file, decl, body, &scopes);
            Some(k(&gcx))
        }
        _ => None,
    }
}

/// The binding through which goroutine `g` (started by `go_stmt`) sees `ch`:
/// the captured variable itself, or the parameter its argument is passed to.
pub fn channel_in_goroutine(
    gcx: &FunctionContext<'_, '_>,
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
            let p = param_for_arg(gcx.node, i)?;
            gcx.scopes.declared(p)
        }
        _ => None,
    }
}

/// The uses of `binding` inside the goroutine function `gcx`, with places
/// relative to it.
pub fn uses_in<'a>(gcx: &FunctionContext<'_, 'a>, binding: BindingId) -> Vec<ChanUse<'a>> {
    let mut out = Vec::new();
    for r in gcx.scopes.references(binding).iter().filter(|r| !r.write) {
        if !(r.span.start >= gcx.body.start_byte() && r.span.end <= gcx.body.end_byte()) {
            continue;
        }
        let Some(ident) = gcx.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        let (kind, node) = classify(ident, gcx.scopes, gcx.src());
        let (place, nested) = place_of(ident, gcx.node);
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

/// Calls `k` with the context of every function in another file of the
/// package that starts `callee` (a function or method declaration) with `go`,
/// and the `go` statement. The goroutine rules use it to judge a named
/// goroutine from the file that declares it, where its findings belong.
pub fn owners_elsewhere<'a>(
    callee: &FunctionContext<'_, 'a>,
    mut k: impl FnMut(&FunctionContext<'_, 'a>, Node<'a>),
) {
    let pkg = callee.file.package;
    let Some(key) = func_key(callee.node, callee.src()) else {
        return;
    };
    let (name, method) = match &key {
        FuncKey::Func(n) => (n.as_str(), false),
        FuncKey::Method(_, n) => (n.as_str(), true),
    };
    let here = callee.file.file_index;
    for start in pkg.go_starts().starts.iter() {
        if start.file == here || start.name != name || start.method != method {
            continue;
        }
        let Some(pf) = pkg.files.get(start.file) else {
            continue;
        };
        let root = pf.tree.root_node();
        let Some(go) = root
            .descendant_for_byte_range(start.span.start, start.span.end)
            .filter(|g| g.kind() == kinds::GO_STATEMENT)
        else {
            continue;
        };
        let Some(owner) = syntax::enclosing_function(go) else {
            continue;
        };
        let Some(body) = owner.child_by_field_name("body").filter(|b| !b.has_error()) else {
            continue;
        };
        // The top-level declaration holding `owner`, from one walk down.
        let Some(&top) = syntax::ancestors(pf.tree.root_node(), owner).get(1) else {
            continue;
        };
        let src = pf.source.text.as_str();
        let file = FileContext {
            package: pkg,
            file_index: start.file,
            source: &pf.source,
            root,
            imports: FileImports::read(root, src, pkg.catalog),
        };
        let scopes = Scopes::build(top, src);
        let ocx = FunctionContext::new(&file, owner, body, &scopes);
        let resolved = match goroutine_of(&ocx, go) {
            Goroutine::Named { key: r, .. } => r.owned() == key,
            _ => false,
        };
        if resolved {
            k(&ocx, go);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::source::SourceFile;

    fn loops(src: &str) -> (parse::ParsedFile, Vec<(usize, usize)>) {
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let mut spans = Vec::new();
        syntax::walk(file.tree.root_node(), |n| {
            if n.kind() == kinds::FOR_STATEMENT {
                spans.push((n.start_byte(), n.end_byte()));
            }
            true
        });
        (file, spans)
    }

    fn first_loop_exits(src: &str) -> (bool, bool) {
        let (file, spans) = loops(src);
        let (s, e) = spans[0];
        let lp = file
            .tree
            .root_node()
            .descendant_for_byte_range(s, e)
            .unwrap();
        (
            loop_has_early_exit(src, lp),
            loop_has_uncounted_exit(src, lp),
        )
    }

    #[test]
    fn loop_exits() {
        let ret = "package p\nfunc f(c chan int) int {\n\tfor {\n\t\tif v := <-c; v > 0 {\n\t\t\treturn v\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(ret), (true, true));
        let sel_break = "package p\nfunc f(c chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(sel_break), (false, false));
        let labelled = "package p\nfunc f(c chan int) {\nloop:\n\tfor {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak loop\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(labelled), (true, true));
        let counted = "package p\nfunc f(c chan int, n int) {\n\tfor {\n\t\t<-c\n\t\tn--\n\t\tif n == 0 {\n\t\t\treturn\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(counted), (true, false));
        let cont = "package p\nfunc f(c chan int) {\n\tfor {\n\t\tif <-c == 0 {\n\t\t\tcontinue\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(cont), (false, false));
    }

    #[test]
    fn go_statement_prefilter() {
        assert!(may_start_goroutines("package p\nfunc f() {\n\tgo g()\n}\n"));
        assert!(!may_start_goroutines(
            "package p\n// we go on\nfunc f() { g() }\n"
        ));
    }

    #[test]
    fn struct_keys_are_not_uses() {
        let src = "package p\ntype t struct{ in chan int }\nfunc f() *t {\n\tin := make(chan int)\n\treturn &t{in: in}\n}\n";
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let root = file.tree.root_node();
        let func = syntax::named_children(root)
            .find(|n| n.kind() == kinds::FUNCTION_DECLARATION)
            .unwrap();
        let scopes = Scopes::build(func, src);
        let key_at = src.find("{in:").unwrap() + 1;
        let key = root.descendant_for_byte_range(key_at, key_at + 2).unwrap();
        let value_at = src.find(": in}").unwrap() + 2;
        let value = root
            .descendant_for_byte_range(value_at, value_at + 2)
            .unwrap();
        assert_eq!(classify(key, &scopes, src).0, UseKind::Neutral);
        assert_eq!(classify(value, &scopes, src).0, UseKind::Escape);
    }
}
