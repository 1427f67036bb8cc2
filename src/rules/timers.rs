//! What the timer rules share: recognising the `time` package's functions
//! and the Go version at which the runtime started collecting unreferenced
//! timers.

use crate::check::FunctionContext;
use crate::flow::cfg::{BlockId, Cfg};
use crate::flow::paths;
use crate::flow::scopes::has_token;
use crate::gomod::GoVersion;
use crate::source::Span;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

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
