//! `abandoned-send`: a goroutine sends on a channel that nobody will receive
//! from once the function that made it has returned.
//!
//! ## What it does
//! For every channel a function makes into a local variable and hands to a
//! goroutine it starts (a func literal, or a function or method of the same
//! package that sends on its channel parameter), it counts the goroutine's
//! sends along its paths and the function's receives along every path from
//! the `go` statement to a return. It reports the send that blocks when:
//! 1. a `select` case other than the receive leaves the function;
//! 2. a `return` runs before the receive;
//! 3. goroutines started in a loop each send once and the function stops
//!    receiving early (first answer wins, `break`, `return`);
//! 4. one goroutine sends twice and the function takes one value.
//!
//! It stays silent when the buffer covers every unreceived value, the send is
//! a `select` case (with `ctx.Done()` or `default`), the function drains the
//! channel on every path (also in a deferred call), another goroutine
//! receives, or the channel escapes. Unsure means silent.
//!
//! ## Why is this bad?
//! A goroutine blocked on a send is never collected: its stack and everything
//! it captured stay in memory. Once per cancelled request, that is a leak.
//!
//! ## Example
//! ```go
//! ch := make(chan Result)
//! go func() { ch <- lookup(q) }() // blocks forever once ctx is done
//! select {
//! case r := <-ch:
//!     return r, nil
//! case <-ctx.Done():
//!     return Result{}, ctx.Err()
//! }
//! ```
//!
//! Use instead: `make(chan Result, 1)` (the attached fix), or a sender that
//! selects on `ctx.Done()`.

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::cfg::{BlockId, Exit};
use crate::flow::channels::{
    self, channel_in_goroutine, goroutine_of, local_channels, loop_has_uncounted_exit,
    receive_paths, select_of_comm, send_counts, uses_in, Capacity, Count, Goroutine, LocalChannel,
    PathEnd, Place, UseKind, Walk, ALL, MAX_COUNT,
};
use crate::flow::summary::{GoStarts, PackageSummary};
use crate::source::Span;
use crate::syntax::{self, enclosing_loop, kinds};
use std::collections::HashMap;
use tree_sitter::Node;

/// The `abandoned-send` rule.
pub struct AbandonedSend;

static META: RuleMeta = RuleMeta {
    name: "abandoned-send",
    family: Family::Goroutine,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: true,
    doc: include_str!("../../rules/abandoned-send.md"),
};

impl Rule for AbandonedSend {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &crate::check::FileContext<'_>) -> bool {
        let src = file.src();
        (src.contains("chan") && src.contains("<-") && channels::may_start_goroutines(src))
            || file
                .package
                .fact::<GoStarts>()
                .declares_started(file.file_index)
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        if f.file
            .package
            .fact::<GoStarts>()
            .declares_started(f.file.file_index)
        {
            check_started_elsewhere(f, sink);
        }
        if f.facts().go_stmts.is_empty() || f.facts().calls.is_empty() {
            return;
        }
        for ch in local_channels(f) {
            check_channel(f, &ch, sink, None);
        }
    }
}

/// A named goroutine function declared in this file, judged from a `go`
/// statement in another file of the package.
fn check_started_elsewhere(callee: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
    if !syntax::is_function(callee.node) || callee.node.kind() == kinds::FUNC_LITERAL {
        return;
    }
    let has_chan_param = callee
        .node
        .child_by_field_name("parameters")
        .is_some_and(|p| callee.text(p).contains("chan"));
    if !has_chan_param {
        return;
    }
    callee.owners_elsewhere(|owner, go| {
        for ch in local_channels(owner) {
            let passed = ch.any(
                |u| matches!(u.kind, UseKind::GoArg { go_stmt, .. } if go_stmt.id() == go.id()),
            );
            if passed {
                check_channel(owner, &ch, sink, Some((go, callee)));
            }
        }
    });
}

/// How many goroutines one `go` statement starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Starts {
    One,
    /// One per element of a literal with this many elements.
    Known(u64),
    /// One per element of `x` (`for … range x`).
    Len(String),
    /// Many, count unknown.
    Many,
}

/// One goroutine's sends on the channel.
struct Sender<'a> {
    go_stmt: Node<'a>,
    /// The text of the file that holds the goroutine's body.
    src: &'a str,
    sends: Vec<Node<'a>>,
    max: Count,
    min: Count,
    second: Vec<Node<'a>>,
}

/// Judges one channel of `f`. With `callee`, `f` is in another file and only
/// the sends inside `callee` (started by the given `go` statement) are reported.
fn check_channel<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    sink: &mut Sink<'_>,
    callee: Option<(Node<'a>, &FunctionContext<'_, 'a>)>,
) {
    if ch.capacity == Capacity::Unknown || handed_off(ch) {
        return;
    }
    let Some(s) = sole_sender(f, ch, callee) else {
        return;
    };
    let starts = starts_of(f, ch, s.go_stmt);
    let ends = path_ends(f, ch, &s, &starts);
    if ends.is_empty() {
        return;
    }
    let s = &s;
    match (starts, s.max) {
        (Starts::One, 1) => single_send(f, ch, s, &ends, sink),
        (Starts::One, _) => second_send(f, ch, s, &ends, sink),
        (starts, 1) => senders_in_loop(ch, s, starts, &ends, sink),
        _ => {}
    }
}

/// Whether someone else may receive: the channel leaves the function or
/// another goroutine reads it.
fn handed_off(ch: &LocalChannel<'_>) -> bool {
    ch.any(|u| match (u.kind, u.place) {
        (UseKind::Escape, _) => true,
        (UseKind::Neutral, _) => false,
        (_, Place::Closure) => true,
        (UseKind::Receive | UseKind::Range, Place::Goroutine(_)) => true,
        (UseKind::Send, Place::Owner | Place::Deferred(_)) => true,
        // Closing under a blocked sender panics: a different bug, not a leak.
        (UseKind::Close, Place::Owner | Place::Deferred(_)) => true,
        _ => false,
    })
}

/// The one goroutine that sends on `ch`, when exactly one does and every
/// other goroutine given it provably does not.
fn sole_sender<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    callee: Option<(Node<'a>, &FunctionContext<'_, 'a>)>,
) -> Option<Sender<'a>> {
    let mut senders = Vec::new();
    let mut go_stmts: Vec<Node<'a>> = Vec::new();
    for u in &ch.uses {
        let go = match (u.kind, u.place) {
            (UseKind::GoArg { go_stmt, .. }, _) | (_, Place::Goroutine(go_stmt)) => go_stmt,
            _ => continue,
        };
        if !go_stmts.iter().any(|g| g.id() == go.id()) {
            go_stmts.push(go);
        }
    }
    for go in go_stmts {
        let given = callee.filter(|(g, _)| g.id() == go.id()).map(|(_, c)| c);
        match sender(f, go, ch, given) {
            Verdict::Sends(s) => senders.push(s),
            Verdict::Silent => {}
            Verdict::Unsure => return None,
        }
    }
    // Several different goroutines share the channel: counts need more than this.
    if senders.len() != 1 {
        return None;
    }
    let s = senders.pop()?;
    // Judged from the callee's file: only its sends are reported there.
    if let Some((go, _)) = callee {
        if s.go_stmt.id() != go.id() {
            return None;
        }
    }
    Some(s)
}

/// How each path from the sender's `go` statement leaves `f`, with the
/// receives taken on the way.
fn path_ends<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    starts: &Starts,
) -> Vec<PathEnd<'a>> {
    let Some(cfg) = f.cfg() else {
        return Vec::new();
    };
    let weights = receive_weights(f, ch, s.go_stmt);
    let cases = competing_cases(f, ch);
    let limit = match starts {
        Starts::Known(k) => (*k).min(u64::from(MAX_COUNT)) as Count,
        _ => 2,
    };
    let known = conditions_holding_at(f, s.go_stmt);
    let walk = Walk {
        limit,
        initial: deferred_before(f, s.go_stmt, &weights),
        only: |b: BlockId| {
            cfg.blocks[b]
                .branch
                .filter(|br| known.contains(&f.text(br.cond)))
                .map(|br| br.then)
        },
    };
    receive_paths(
        cfg,
        s.go_stmt,
        walk,
        |n| weights.get(&n.id()).copied().unwrap_or(0),
        |b| cases.get(&b).copied(),
    )
}

/// One goroutine, one send, an unbuffered channel: a path that leaves
/// without receiving abandons the send.
fn single_send<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    ends: &[PathEnd<'a>],
    sink: &mut Sink<'_>,
) {
    let cap = &ch.capacity;
    if *cap != Capacity::Const(0) {
        return;
    }
    let bad: Vec<&PathEnd<'a>> = ends.iter().filter(|e| e.received == 0).collect();
    if bad.is_empty() {
        return;
    }
    for &send in &s.sends {
        if sink.reported_at(Span::of(send)) {
            continue;
        }
        report_abandoned(f, ch, s, send, &bad, sink, true);
    }
}

/// One goroutine sends twice and the function takes one value.
fn second_send<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    ends: &[PathEnd<'a>],
    sink: &mut Sink<'_>,
) {
    let cap = &ch.capacity;
    if ends.iter().any(|e| e.received == 0) {
        return;
    }
    let most = ends.iter().map(|e| e.received).max().unwrap_or(ALL);
    let Capacity::Const(c) = *cap else {
        return;
    };
    if most == ALL || u64::from(most) + c >= 2 {
        return;
    }
    for &send in &s.second {
        if sink.reported_at(Span::of(send)) {
            continue;
        }
        let name = channel_text(s.src, send);
        sink.report(
            Span::of(send),
            format!("goroutine blocks forever on its second send on {name}: only one value is received"),
        )
        .label_in(f.file.source, Span::of(ch.make), "the channel is made here, with no room for the extra value")
        .label_in(f.file.source, go_label(s.go_stmt), "the goroutine starts here")
        .help(format!(
            "receive every value the goroutine sends, give `{}` room for the extra value, or select on `ctx.Done()` in the sender",
            ch.name
        ));
    }
}

/// Goroutines started in a loop send once each and the function stops
/// receiving before it has taken every value.
fn senders_in_loop<'a>(
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    starts: Starts,
    ends: &[PathEnd<'a>],
    sink: &mut Sink<'_>,
) {
    let cap = &ch.capacity;
    let covered = match (cap, &starts) {
        (Capacity::Len(x), Starts::Len(y)) => x == y,
        (Capacity::Const(c), Starts::Known(k)) => c >= k,
        (Capacity::Const(0), _) => false,
        _ => true,
    };
    // Every goroutine must send for "N senders" to hold.
    if covered || s.min == 0 {
        return;
    }
    let short = |r: Count| match starts {
        Starts::Known(k) => u64::from(r) < k,
        _ => true,
    };
    let finite: Vec<&PathEnd<'a>> = ends
        .iter()
        .filter(|e| e.received != ALL && e.received >= 1 && short(e.received))
        .collect();
    let none = ends.iter().all(|e| e.received == 0);
    if finite.is_empty() && !none {
        return;
    }
    let count = match &starts {
        Starts::Known(k) => k.to_string(),
        Starts::Len(x) => format!("len({x})"),
        _ => "N".to_string(),
    };
    let leaving: Vec<&PathEnd<'a>> = if none { ends.iter().collect() } else { finite };
    for &send in &s.sends {
        if sink.reported_at(Span::of(send)) {
            continue;
        }
        let name = channel_text(s.src, send);
        let mut r = sink
            .report(
                Span::of(send),
                format!("goroutines block forever sending on {name}: {count} senders but the function stops receiving early"),
            )
            .label(Span::of(ch.make), "the channel is made here")
            .label(go_label(s.go_stmt), "one goroutine starts here per iteration");
        if let Some(e) = leaving.first() {
            r = r.label(
                exit_label(e),
                "the function can leave here with senders still waiting",
            );
        }
        r.help("size the buffer for every sender (`make(chan T, len(items))`), or select on `ctx.Done()` in the sender and cancel the context when you stop receiving");
    }
}

enum Verdict<'a> {
    Sends(Sender<'a>),
    Silent,
    Unsure,
}

/// What the goroutine started by `go` does with `ch`.
fn sender<'a>(
    f: &FunctionContext<'_, 'a>,
    go: Node<'a>,
    ch: &LocalChannel<'a>,
    given: Option<&FunctionContext<'_, 'a>>,
) -> Verdict<'a> {
    let g = goroutine_of(f, go);
    if let Some(gcx) = given {
        return sends_of(gcx, g, go, ch);
    }
    if let Goroutine::Named {
        decl: None, key, ..
    } = g
    {
        // Declared in another file: the summary says whether it may receive.
        let arg = ch.uses.iter().find_map(|u| match u.kind {
            UseKind::GoArg { go_stmt, index } if go_stmt.id() == go.id() => Some(index),
            _ => None,
        });
        let usage = arg.and_then(|i| {
            f.file
                .package
                .fact::<PackageSummary>()
                .param(&key.owned(), i)
        });
        return match usage {
            Some(u) if !u.receives && !u.ranges && !u.escapes && !u.sends => Verdict::Silent,
            _ => Verdict::Unsure,
        };
    }
    f.goroutine(g)
        .map_or(Verdict::Unsure, |gcx| sends_of(&gcx, g, go, ch))
}

/// The sends of goroutine `gcx` (started by `go`) on `ch`.
fn sends_of<'a>(
    gcx: &FunctionContext<'_, 'a>,
    g: Goroutine<'a>,
    go: Node<'a>,
    ch: &LocalChannel<'a>,
) -> Verdict<'a> {
    {
        let Some(b) = channel_in_goroutine(gcx, g, go, ch) else {
            return Verdict::Unsure;
        };
        let uses = uses_in(gcx, b);
        let mut sends = Vec::new();
        for u in &uses {
            match u.kind {
                UseKind::Neutral | UseKind::Close => {}
                UseKind::Send => {
                    let blocking = u.place == Place::Owner
                        && enclosing_loop(u.node).is_none()
                        && select_of_comm(u.node).is_none();
                    if !blocking {
                        return Verdict::Unsure;
                    }
                    sends.push(u.node);
                }
                _ => return Verdict::Unsure,
            }
        }
        if sends.is_empty() {
            return Verdict::Silent;
        }
        let Some(cfg) = gcx.cfg() else {
            return Verdict::Unsure;
        };
        let counts = send_counts(cfg, |n| sends.iter().any(|s| s.id() == n.id()));
        if counts.max == 0 {
            return Verdict::Unsure;
        }
        Verdict::Sends(Sender {
            go_stmt: go,
            src: gcx.src(),
            sends,
            max: counts.max,
            min: counts.min,
            second: counts.second,
        })
    }
}

/// Receives of `ch` each node of `f`'s graph performs.
fn receive_weights<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    go: Node<'a>,
) -> HashMap<usize, Count> {
    let mut out = HashMap::new();
    let Some(cfg) = f.cfg() else {
        return out;
    };
    for u in &ch.uses {
        if !matches!(u.kind, UseKind::Receive | UseKind::Range) {
            continue;
        }
        let (at, w) = match u.place {
            Place::Owner => {
                let lp = match u.kind {
                    UseKind::Range => Some(u.node),
                    _ => enclosing_loop(u.node),
                };
                let drains = lp.is_some_and(|l| {
                    !syntax::within(go, l) && !loop_has_uncounted_exit(f.src(), l)
                });
                (u.ident, if drains { ALL } else { 1 })
            }
            Place::Deferred(d) => {
                let in_loop = enclosing_loop(u.node).is_some() || u.kind == UseKind::Range;
                (d, if in_loop { ALL } else { 1 })
            }
            _ => continue,
        };
        if let Some((b, i)) = cfg.enclosing_position(at) {
            let n = cfg.blocks[b].nodes[i];
            let e = out.entry(n.id()).or_insert(0);
            *e = if *e == ALL || w == ALL {
                ALL
            } else {
                (*e + w).min(2)
            };
        }
    }
    out
}

/// The first block of every select case that competes with a receive on `ch`.
fn competing_cases<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
) -> HashMap<BlockId, Node<'a>> {
    let mut out = HashMap::new();
    let Some(cfg) = f.cfg() else {
        return out;
    };
    for u in &ch.uses {
        if u.kind != UseKind::Receive || u.place != Place::Owner {
            continue;
        }
        let Some((select, own)) = select_of_comm(u.node) else {
            continue;
        };
        for clause in syntax::named_children(select) {
            if clause.id() == own.id() {
                continue;
            }
            let first = match clause.kind() {
                kinds::COMMUNICATION_CASE => clause.child_by_field_name("communication"),
                kinds::DEFAULT_CASE => syntax::named_children(clause)
                    .find(|c| c.kind() == kinds::STATEMENT_LIST)
                    .and_then(|l| syntax::named_children(l).next()),
                _ => None,
            };
            let Some(first) = first else {
                continue;
            };
            if let Some((b, 0)) = cfg.enclosing_position(first) {
                out.insert(b, clause);
            }
        }
    }
    out
}

/// Receives registered by `defer` statements that run before `go` on every
/// path to it: earlier statements of the blocks that enclose it.
fn deferred_before(
    f: &FunctionContext<'_, '_>,
    go: Node<'_>,
    weights: &HashMap<usize, Count>,
) -> Count {
    let mut total = 0;
    let mut cur = go;
    while let Some(p) = cur.parent() {
        if p.id() == f.node.id() || syntax::is_function(p) {
            break;
        }
        if matches!(p.kind(), kinds::BLOCK | kinds::STATEMENT_LIST) {
            for sib in syntax::named_children(p) {
                if sib.start_byte() >= cur.start_byte() {
                    break;
                }
                if sib.kind() == kinds::DEFER_STATEMENT {
                    let w = weights.get(&sib.id()).copied().unwrap_or(0);
                    total = channels::add_counts(total, w, MAX_COUNT);
                }
            }
        }
        cur = p;
    }
    total
}

/// The conditions (as written) of the `if` statements whose then-branch holds `go`.
fn conditions_holding_at<'a>(f: &FunctionContext<'_, 'a>, go: Node<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut cur = go;
    while let Some(p) = cur.parent() {
        if syntax::is_function(p) {
            break;
        }
        if p.kind() == kinds::IF_STATEMENT
            && p.child_by_field_name("consequence")
                .is_some_and(|c| c.id() == cur.id())
            && p.child_by_field_name("initializer").is_none()
        {
            if let Some(c) = p.child_by_field_name("condition") {
                out.push(f.text(c));
            }
        }
        cur = p;
    }
    out
}

fn starts_of(f: &FunctionContext<'_, '_>, ch: &LocalChannel<'_>, go: Node<'_>) -> Starts {
    let Some(lp) = enclosing_loop(go) else {
        return Starts::One;
    };
    // A receive in the same loop pairs each goroutine with its value.
    if ch.any(|u| {
        u.place == Place::Owner && u.kind == UseKind::Receive && syntax::within(u.node, lp)
    }) {
        return Starts::One;
    }
    if enclosing_loop(lp).is_some() {
        return Starts::Many;
    }
    if let Some(k) = syntax::counted_loop(f.src(), lp) {
        return Starts::Known(k);
    }
    let range = syntax::named_children(lp).find(|c| c.kind() == kinds::RANGE_CLAUSE);
    let Some(right) = range
        .and_then(|r| r.child_by_field_name("right"))
        .map(syntax::unparen)
    else {
        return Starts::Many;
    };
    if right.kind() == kinds::COMPOSITE_LITERAL {
        let n = right
            .child_by_field_name("body")
            .map(|b| syntax::named_children(b).count() as u64);
        return n.map_or(Starts::Many, Starts::Known);
    }
    Starts::Len(f.text(right).to_string())
}

fn report_abandoned<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    send: Node<'a>,
    bad: &[&PathEnd<'a>],
    sink: &mut Sink<'_>,
    fixable: bool,
) {
    let name = channel_text(s.src, send);
    let via_select = bad.iter().find(|e| e.other_case.is_some());
    let (msg, label) = match via_select {
        Some(e) => (
            format!("goroutine blocks forever sending on {name}: the select returns on another case and nobody receives"),
            (
                case_label(e.other_case.expect("checked")),
                "this case leaves without receiving".to_string(),
            ),
        ),
        None => (
            format!("goroutine blocks forever sending on {name}: a return before the receive abandons it"),
            (
                exit_label(bad[0]),
                match bad[0].exit {
                    Exit::Implicit(_) => "the function ends here without receiving".to_string(),
                    _ => "this return leaves without receiving".to_string(),
                },
            ),
        ),
    };
    let same_file = sink.is_file(f.file.source);
    let mut r = sink
        .report(Span::of(send), msg)
        .label_in(f.file.source, Span::of(ch.make), "the channel is made here, unbuffered")
        .label_in(f.file.source, go_label(s.go_stmt), "the goroutine starts here")
        .label_in(f.file.source, label.0, label.1)
        .help(format!(
            "make `{}` buffered with room for the one value (`make(chan T, 1)`), or select on `ctx.Done()` in the sender",
            ch.name
        ));
    // The fix edits the owner's file: only offered when that is the file reported in.
    if fixable && same_file {
        if let Some(args) = ch.make.child_by_field_name("arguments") {
            let at = args.end_byte().saturating_sub(1);
            r = r.fix(
                "give the channel a buffer of one",
                true,
                vec![(Span::new(at, at), ", 1".to_string())],
            );
        }
    }
    let _ = r;
}

/// The channel as written at a send statement.
fn channel_text<'a>(src: &'a str, send: Node<'_>) -> &'a str {
    send.child_by_field_name("channel")
        .map(|c| syntax::text(c, src))
        .unwrap_or("the channel")
}

fn go_label(go: Node<'_>) -> Span {
    Span::new(go.start_byte(), go.start_byte() + 2)
}

fn case_label(case: Node<'_>) -> Span {
    // The `case …:` head, not the body.
    let end = case
        .child_by_field_name("communication")
        .map_or(case.start_byte() + 7, |c| c.end_byte());
    Span::new(case.start_byte(), end.max(case.start_byte()))
}

fn exit_label(e: &PathEnd<'_>) -> Span {
    e.exit.span()
}
