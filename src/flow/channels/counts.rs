//! Receive and send counts along the paths of a control-flow graph.

use crate::flow::cfg::{BlockId, Cfg, Ending, Exit};
use crate::syntax::Node;

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
/// the start, which successor alone to follow out of a block whose branch
/// condition is known to hold, and receives an edge itself stands for.
pub struct Walk<F, E> {
    /// Finite counts saturate here.
    pub limit: Count,
    /// Receives already guaranteed (a deferred receive registered before the start).
    pub initial: Count,
    /// The only successor to follow out of a block, when its condition is known.
    pub only: F,
    /// Receives taken by following an edge: the normal end of a `range`
    /// over the channel means every value was taken ([`ALL`]).
    pub edge: E,
}

/// What the first block of a select case is, for [`receive_paths`].
#[derive(Debug, Clone, Copy)]
pub enum CaseEntry<'a> {
    /// A case that competes with the receive on the channel (the case node).
    Competing(Node<'a>),
    /// The case that receives from the channel.
    Own,
}

/// One way a path from a `go` statement leaves the function.
#[derive(Debug, Clone, Copy)]
pub struct PathEnd<'a> {
    /// The exit: a return, the end of the body, or a call that ends the
    /// goroutine (`t.Fatal`, `runtime.Goexit`) — which leaves as surely.
    pub exit: Exit<'a>,
    /// Receives taken on the way.
    pub received: Count,
    /// The competing select case taken at the last select the path passed
    /// on its way out, if any: the case that really leaves.
    pub other_case: Option<Node<'a>>,
}

/// Receives of a channel along every path of `cfg` from just after `from`
/// (a node placed in it) to a return of the function, or to a call that ends
/// its goroutine. `weight` gives the receives a graph node performs. A path
/// that comes back to `from` (a `go` statement in a loop) ends without a
/// verdict; paths through calls that end the process end without one too.
///
/// `select_case` says, for the first node of a select case's body, whether
/// that case competes with a receive on the channel or is that receive.
pub fn receive_paths<'a, F, E>(
    cfg: &Cfg<'a>,
    from: Node<'a>,
    mut walk: Walk<F, E>,
    mut weight: impl FnMut(Node<'a>) -> Count,
    mut select_case: impl FnMut(BlockId) -> Option<CaseEntry<'a>>,
) -> Vec<PathEnd<'a>>
where
    F: FnMut(BlockId) -> Option<BlockId>,
    E: FnMut(BlockId, BlockId) -> Count,
{
    let mut out: Vec<PathEnd<'a>> = Vec::new();
    let Some((start, index)) = cfg.position_of(from) else {
        return out;
    };
    // State: block, count so far, and the competing case taken (by index in `cases`).
    let mut cases: Vec<Node<'a>> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack = vec![(start, index + 1, walk.initial, usize::MAX)];
    while let Some((b, skip, mut count, mut case)) = stack.pop() {
        if skip == 0 {
            if !seen.insert((b, count, case)) {
                continue;
            }
            // Each pass through a select replaces the case taken at the last one.
            match select_case(b) {
                Some(CaseEntry::Competing(c)) => {
                    case = cases
                        .iter()
                        .position(|x| x.id() == c.id())
                        .unwrap_or_else(|| {
                            cases.push(c);
                            cases.len() - 1
                        });
                }
                Some(CaseEntry::Own) => case = usize::MAX,
                None => {}
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
            Some(exit) if exit.returns() || exit.ending() == Some(Ending::Goroutine) => {
                out.push(PathEnd {
                    exit,
                    received: count,
                    other_case: cases.get(case).copied(),
                })
            }
            Some(_) => {}
            None => match (walk.only)(b) {
                Some(s) => {
                    stack.push((s, 0, add_counts(count, (walk.edge)(b, s), walk.limit), case))
                }
                None => {
                    for &s in block.succs.iter().rev() {
                        let c = add_counts(count, (walk.edge)(b, s), walk.limit);
                        stack.push((s, 0, c, case));
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
    let mut seen = rustc_hash::FxHashSet::default();
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
