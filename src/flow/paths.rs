//! Path questions over a [`Cfg`]: "can control reach a return from here
//! without passing a node that satisfies this predicate?"

use super::cfg::{BlockId, Cfg, Exit};
use crate::syntax::Node;

/// Every exit that returns to the caller and is reachable from just after
/// the node at `from` along a path on which no node satisfies `stops`.
///
/// This is the question behind "is `cancel` used on every path?": `stops`
/// says whether a node uses it, and each exit found is a return that skips
/// it. Exits come in source order, each at most once.
pub fn exits_avoiding<'t>(
    cfg: &Cfg<'t>,
    from: (BlockId, usize),
    mut stops: impl FnMut(Node<'t>) -> bool,
) -> Vec<Exit<'t>> {
    let mut found = Vec::new();
    let mut seen = vec![false; cfg.blocks.len()];
    let (start, index) = from;
    let mut stack = Vec::new();
    let first = &cfg.blocks[start];
    if first.nodes.iter().skip(index + 1).any(|&n| stops(n)) {
        return found;
    }
    match first.exit {
        Some(exit) if exit.returns() => found.push(exit),
        Some(_) => {}
        None => stack.extend(first.succs.iter().rev().copied()),
    }
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut seen[b], true) {
            continue;
        }
        let block = &cfg.blocks[b];
        if block.nodes.iter().any(|&n| stops(n)) {
            continue;
        }
        match block.exit {
            Some(exit) if exit.returns() => found.push(exit),
            Some(_) => {}
            None => stack.extend(block.succs.iter().rev().copied()),
        }
    }
    found.sort_by_key(|e| e.span());
    found.dedup_by_key(|e| e.span());
    found
}

/// Whether any block that can be reached from `from` (excluding `from` itself)
/// holds a node satisfying `pred`.
pub fn reaches(cfg: &Cfg<'_>, from: BlockId, mut pred: impl FnMut(Node<'_>) -> bool) -> bool {
    let mut seen = vec![false; cfg.blocks.len()];
    let mut stack: Vec<BlockId> = cfg.blocks[from].succs.clone();
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut seen[b], true) {
            continue;
        }
        if cfg.blocks[b].nodes.iter().any(|&n| pred(n)) {
            return true;
        }
        stack.extend(cfg.blocks[b].succs.iter().copied());
    }
    false
}

/// Whether the node at `at` can run again after it has run once: control
/// flows from just after it back to it, as for anything evaluated on every
/// iteration of a loop (but not a range expression, evaluated once).
pub fn runs_again(cfg: &Cfg<'_>, at: (BlockId, usize)) -> bool {
    let node = cfg.blocks[at.0].nodes[at.1].id();
    reaches(cfg, at.0, |n| n.id() == node)
}
