//! What the timer rules share: recognising the `time` package's functions
//! and the Go version at which the runtime started collecting unreferenced
//! timers.

use crate::check::FunctionContext;
use crate::flow::cfg::{BlockId, Cfg, Exit};
use crate::flow::paths;
use crate::flow::scopes::has_token;
use crate::gomod::GoVersion;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// Since Go 1.23 timers and tickers that nothing references are garbage
/// collected even if never stopped, and an unfired `time.After` timer no
/// longer stays in memory until it fires.
pub const COLLECTED_SINCE: GoVersion = GoVersion::new(1, 23);

/// Whether the function's package is built at a Go version whose runtime
/// collects unreferenced timers (an unknown version counts as older).
pub fn collected(f: &FunctionContext<'_, '_>) -> bool {
    f.file
        .package
        .go_version
        .is_some_and(|v| v >= COLLECTED_SINCE)
}

/// Whether `call` calls `time.<name>` (through any import name or a dot import).
pub fn is_time_func<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>, name: &str) -> bool {
    f.is_package_func(f.callee(call), |p, n| p == "time" && n == name)
}

/// The `for` keyword of a loop, where a label about the loop points.
pub fn loop_keyword(l: Node<'_>) -> Span {
    Span::new(l.start_byte(), l.start_byte() + "for".len())
}

/// The communication case whose receive operand is `operand`.
pub fn case_receiving(operand: Node<'_>) -> Option<Node<'_>> {
    let mut recv = operand.parent()?;
    while recv.kind() == kinds::PARENTHESIZED_EXPRESSION {
        recv = recv.parent()?;
    }
    if recv.kind() != kinds::UNARY_EXPRESSION || !has_token(recv, "<-") {
        return None;
    }
    // `case <-x:` has the receive itself as its communication; `case v := <-x:` a receive statement.
    let mut comm = recv;
    let mut case = recv.parent()?;
    if case.kind() == kinds::RECEIVE_STATEMENT {
        if case.child_by_field_name("right").map(|r| r.id()) != Some(recv.id()) {
            return None;
        }
        comm = case;
        case = case.parent()?;
    }
    let is_comm = case.kind() == kinds::COMMUNICATION_CASE
        && case
            .child_by_field_name("communication")
            .is_some_and(|c| c.id() == comm.id());
    is_comm.then_some(case)
}

/// The cases of `select` after which control can come back to `target`
/// (placed in the graph): for a loop around the `select`, the cases that go
/// round again.
pub fn cases_reaching<'a>(cfg: &Cfg<'a>, select: Node<'a>, target: Node<'a>) -> Vec<Node<'a>> {
    syntax::named_children(select)
        .filter(|c| matches!(c.kind(), kinds::COMMUNICATION_CASE | kinds::DEFAULT_CASE))
        .filter(|&c| match first_placed(cfg, c) {
            Some(block) => paths::reaches(cfg, block, |x| x.id() == target.id()),
            // An empty `default:` leaves the `select` at once: control comes back
            // when a loop around the `select` also holds the target.
            None => {
                c.kind() == kinds::DEFAULT_CASE
                    && syntax::enclosing_loop(select).is_some_and(|l| syntax::within(target, l))
            }
        })
        .collect()
}

/// The block of the first node of a case that the graph places: its
/// communication, or the first node of its statements.
fn first_placed(cfg: &Cfg<'_>, case: Node<'_>) -> Option<BlockId> {
    if let Some(comm) = case.child_by_field_name("communication") {
        return cfg.position_of(comm).map(|(b, _)| b);
    }
    let mut found = None;
    syntax::walk(case, |n| {
        if found.is_none() {
            found = cfg.position_of(n).map(|(b, _)| b);
        }
        found.is_none()
    });
    found
}

/// Whether the channel expression `call` (`time.Tick(d)`, `time.NewTicker(d).C`)
/// is evaluated again after it has run: on every iteration of a loop. A
/// `select` case's channel is evaluated whenever the `select` is entered, so
/// there it counts whether any case goes round again.
pub fn per_iteration<'a>(cfg: &Cfg<'a>, call: Node<'a>, at: (BlockId, usize)) -> bool {
    match case_receiving(call) {
        Some(case) => {
            let comm = cfg.blocks[at.0].nodes[at.1];
            case.parent()
                .is_some_and(|select| !cases_reaching(cfg, select, comm).is_empty())
        }
        None => paths::runs_again(cfg, at),
    }
}

/// The range clauses over the ticker's channel expression `call`: `for … range
/// time.Tick(d)`, or `for … range c` where `c` is the local variable holding it.
pub fn ranges_over<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> Vec<Node<'a>> {
    if let Some(clause) = range_clause_of(call) {
        return vec![clause];
    }
    let Some(stmt) = syntax::assignment_of(call) else {
        return Vec::new();
    };
    let [lhs] = syntax::left_side(stmt)[..] else {
        return Vec::new();
    };
    let Some(binding) = f.scopes().binding_of(syntax::unparen(lhs)) else {
        return Vec::new();
    };
    f.scopes()
        .references(binding)
        .iter()
        .filter(|r| !r.write)
        .filter_map(|r| f.body.descendant_for_byte_range(r.span.start, r.span.end))
        .filter_map(range_clause_of)
        .collect()
}

/// The range clause whose operand is `operand`.
pub fn range_clause_of(operand: Node<'_>) -> Option<Node<'_>> {
    let clause = operand.parent()?;
    (clause.kind() == kinds::RANGE_CLAUSE
        && clause.child_by_field_name("right").map(|r| r.id()) == Some(operand.id()))
    .then_some(clause)
}

/// The returns reachable from the body of a loop ranging over a ticker's
/// channel. The channel is never closed, so the loop ends only through a
/// `return`, a `break` or a `goto`, never by running out of values: paths
/// back through the range clause are not followed.
pub fn exits_from_body<'a>(cfg: &Cfg<'a>, range: Node<'a>) -> Vec<Exit<'a>> {
    body_exits_avoiding(cfg, range, |n| n.id() == range.id())
}

/// The returns reachable from the body of the loop of `range` along paths
/// on which no node satisfies `stops` (which should stop at `range`, the
/// way back round the loop).
pub fn body_exits_avoiding<'a>(
    cfg: &Cfg<'a>,
    range: Node<'a>,
    mut stops: impl FnMut(Node<'a>) -> bool,
) -> Vec<Exit<'a>> {
    let Some(body) = range.parent().and_then(|l| l.child_by_field_name("body")) else {
        return Vec::new();
    };
    let mut first = None;
    syntax::walk(body, |n| {
        if first.is_none() {
            first = cfg.position_of(n);
        }
        first.is_none()
    });
    let Some((block, _)) = first else {
        // An empty body: the loop waits on the ticker forever.
        return Vec::new();
    };
    if cfg.blocks[block].nodes.first().is_some_and(|&n| stops(n)) {
        return Vec::new();
    }
    paths::exits_avoiding(cfg, (block, 0), stops)
}

/// `main` and `init` of their package run once: one ticker for the life of
/// the process is fine. So does `TestMain`, once per test binary.
pub fn runs_once(f: &FunctionContext<'_, '_>) -> bool {
    if f.node.kind() != kinds::FUNCTION_DECLARATION {
        return false;
    }
    let name = f.node.child_by_field_name("name").map(|n| f.text(n));
    match name {
        Some("init" | "TestMain") => true,
        Some("main") => f.file.package.index.name == "main",
        _ => false,
    }
}

/// The ticker's channel is returned or stored beyond the function: whoever
/// holds it decides how long it lives.
pub fn handed_off(f: &FunctionContext<'_, '_>, call: Node<'_>) -> bool {
    let Some(parent) = call.parent() else {
        return false;
    };
    if parent.kind() == kinds::EXPRESSION_LIST
        && parent
            .parent()
            .is_some_and(|p| p.kind() == kinds::RETURN_STATEMENT)
    {
        return true;
    }
    if let Some(stmt) = syntax::assignment_of(call) {
        return syntax::left_side(stmt).iter().any(|lhs| {
            let lhs = syntax::unparen(*lhs);
            match lhs.kind() {
                kinds::SELECTOR_EXPRESSION | kinds::INDEX_EXPRESSION => true,
                // A package variable.
                kinds::IDENTIFIER => f.scopes().binding_of(lhs).is_none(),
                _ => false,
            }
        });
    }
    false
}

/// The returns reachable after the channel expression `chan` (placed at
/// `at`) is evaluated, where a ticker behind it outlives the function. A loop
/// ranging over the channel never ends by running out of values, so only its
/// body's returns count.
pub fn returns_after<'a>(
    f: &FunctionContext<'_, 'a>,
    cfg: &Cfg<'a>,
    at: (BlockId, usize),
    chan: Node<'a>,
) -> Vec<Exit<'a>> {
    let ranges = ranges_over(f, chan);
    let mut exits = paths::exits_avoiding(cfg, at, |n| ranges.iter().any(|r| r.id() == n.id()));
    for &range in &ranges {
        exits.extend(exits_from_body(cfg, range));
    }
    exits.sort_by_key(|e| e.span());
    exits.dedup_by_key(|e| e.span());
    exits
}

/// Whether the duration argument of `call` is `0` or a negative constant:
/// `time.Tick` then returns nil and `time.NewTicker` panics, so no ticker
/// is started.
pub fn non_positive(f: &FunctionContext<'_, '_>, call: Node<'_>) -> bool {
    let arg = call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next());
    arg.is_some_and(|a| {
        let t = f.text(a).trim();
        t == "0" || t.starts_with('-')
    })
}
