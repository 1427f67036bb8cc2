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
//! 4. one goroutine sends twice and the function takes one value;
//! 5. a goroutine sends in a loop and the function leaves a `range` over
//!    the channel early, takes another select case, or returns first.
//!
//! A receive in a callback a helper runs before it returns (`sort.Slice`,
//! `once.Do`, a package function that only calls its parameter) counts at
//! the helper's call; a send behind a local wrapper (`send := func(v T) {
//! ch <- v }` called in the goroutine) is the goroutine's.
//!
//! A `t.Fatal` or `runtime.Goexit` leaves like a return (it ends only the
//! goroutine); process exits make the leak moot. Senders that may send
//! (only on success) count as senders; sends on two channels that exclude
//! each other count as one value.
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
use crate::flow::cfg::{BlockId, Ending, Exit};
use crate::flow::channels::{
    self, channel_in_goroutine, goroutine_of, local_channels, loop_has_uncounted_exit,
    receive_paths, send_counts, uses_in, Capacity, CaseEntry, ChanUse, Count, Goroutine,
    LocalChannel, PathEnd, Place, UseKind, Walk, ALL, MAX_COUNT,
};
use crate::flow::summary::{GoStarts, PackageSummary};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, enclosing_loop, kinds};
use rustc_hash::FxHashMap as HashMap;

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

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.fact::<crate::flow::summary::GoStarts>();
        pkg.fact::<crate::flow::summary::PackageSummary>();
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
        let chans = local_channels(f);
        for ch in &chans {
            check_channel(f, ch, &chans, sink, None);
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
        let chans = local_channels(owner);
        for ch in &chans {
            let passed = ch.any(
                |u| matches!(u.kind, UseKind::GoArg { go_stmt, .. } if go_stmt.id() == go.id()),
            );
            if passed {
                check_channel(owner, ch, &chans, sink, Some((go, callee)));
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
    /// The send statements, as reported.
    sends: Vec<Node<'a>>,
    /// The graph node of the goroutine's body that makes each send: the
    /// send statement, or the call of the local wrapper that holds it.
    counted: Vec<Node<'a>>,
    max: Count,
    min: Count,
    second: Vec<Node<'a>>,
    /// Some send sits in a loop of the goroutine: a producer of many values.
    looping: bool,
    /// Some send is guarded by an atomic counter or swap: the goroutines
    /// elect the one that sends.
    elected: bool,
}

/// Judges one channel of `f`. With `callee`, `f` is in another file and only
/// the sends inside `callee` (started by the given `go` statement) are reported.
fn check_channel<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    all: &[LocalChannel<'a>],
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
    let partners = match callee {
        Some(_) => Vec::new(),
        // A producer that also reports on another channel (`errc <- err;
        // return`) stops producing once the function takes that report.
        None if s.looping && s.max > 1 => sibling_channels(ch, &s, all),
        None => exclusive_partners(f, ch, &s, all),
    };
    let ends = path_ends(f, ch, &partners, &s, &starts);
    if ends.is_empty() {
        return;
    }
    let s = &s;
    match (starts, s.max) {
        // A send in a loop that is followed by the way out (`ch <- v;
        // return`) is sent once: not a producer.
        (Starts::One, _) if s.looping && s.max > 1 => {
            abandoned(f, ch, s, &ends, sink, Abandon::Producer)
        }
        (Starts::One, 1) => abandoned(f, ch, s, &ends, sink, Abandon::Single),
        (Starts::One, _) => second_send(f, ch, s, &ends, sink),
        (starts, 1) if !s.looping => senders_in_loop(ch, s, starts, &ends, sink),
        _ => {}
    }
}

/// The other channels of `f` that the goroutine of `s` sends on.
fn sibling_channels<'c, 'a>(
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    all: &'c [LocalChannel<'a>],
) -> Vec<&'c LocalChannel<'a>> {
    all.iter()
        .filter(|p| p.binding != ch.binding)
        .filter(|p| {
            p.any(|u| {
                u.place == Place::Goroutine(s.go_stmt)
                    && matches!(u.kind, UseKind::Send | UseKind::Close)
            })
        })
        .collect()
}

/// The other channels of `f` that the goroutine of `s` alone sends on, with
/// at most one send over all of them and `ch` along any path (`if err !=
/// nil { errc <- err } else { out <- v }`): a receive from any of them takes
/// the goroutine's only value.
fn exclusive_partners<'c, 'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    all: &'c [LocalChannel<'a>],
) -> Vec<&'c LocalChannel<'a>> {
    if s.max != 1 || s.looping {
        return Vec::new();
    }
    let partners: Vec<(&LocalChannel<'a>, Sender<'a>)> = all
        .iter()
        .filter(|p| p.binding != ch.binding && p.capacity == ch.capacity && !handed_off(p))
        .filter_map(|p| Some((p, sole_sender(f, p, None)?)))
        .filter(|(_, ps)| ps.go_stmt.id() == s.go_stmt.id() && !ps.looping)
        .collect();
    if partners.is_empty() {
        return Vec::new();
    }
    let Some(gcx) = f.goroutine(goroutine_of(f, s.go_stmt)) else {
        return Vec::new();
    };
    let Some(cfg) = gcx.cfg() else {
        return Vec::new();
    };
    let mut union: Vec<usize> = s.counted.iter().map(|n| n.id()).collect();
    union.extend(
        partners
            .iter()
            .flat_map(|(_, ps)| ps.counted.iter().map(|n| n.id())),
    );
    let counts = send_counts(cfg, |n| union.contains(&n.id()));
    if counts.max != 1 {
        return Vec::new();
    }
    partners.into_iter().map(|(p, _)| p).collect()
}

/// Whether someone else may receive: the channel leaves the function or
/// another goroutine reads it.
fn handed_off(ch: &LocalChannel<'_>) -> bool {
    ch.any(|u| match (u.kind, u.place) {
        (UseKind::Escape, _) => true,
        (UseKind::Neutral, _) => false,
        // A callback run at its call receives in the function's place.
        (UseKind::Receive | UseKind::Range, Place::Sync(_)) => false,
        (_, Place::Closure | Place::Sync(_)) => true,
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
    partners: &[&LocalChannel<'a>],
    s: &Sender<'a>,
    starts: &Starts,
) -> Vec<PathEnd<'a>> {
    let Some(cfg) = f.cfg() else {
        return Vec::new();
    };
    let mut weights = receive_weights(f, ch, s.go_stmt);
    for p in partners {
        for (n, w) in receive_weights(f, p, s.go_stmt) {
            let e = weights.entry(n).or_insert(0);
            *e = channels::add_counts(*e, w, MAX_COUNT);
        }
    }
    let cases = competing_cases(f, ch, partners);
    let drained = range_ends(f, ch);
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
        edge: |from: BlockId, to: BlockId| {
            if drained.contains(&(from, to)) {
                ALL
            } else {
                0
            }
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

/// An unbuffered channel and one goroutine that sends once
/// ([`Abandon::Single`]: a path that leaves without receiving abandons the
/// send) or in a loop ([`Abandon::Producer`]: the function stops receiving
/// before it is done — a return before the receiving loop, a competing
/// select case, or a `return` or `break` out of a `range` over the channel,
/// whose normal end means the producer closed it).
fn abandoned<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    ends: &[PathEnd<'a>],
    sink: &mut Sink<'_>,
    shape: Abandon,
) {
    if ch.capacity != Capacity::Const(0) {
        return;
    }
    let receives: Vec<&ChanUse<'a>> = ch
        .uses
        .iter()
        .filter(|u| matches!(u.kind, UseKind::Receive | UseKind::Range))
        .collect();
    let ranges_only = !receives.is_empty() && receives.iter().all(|u| u.kind == UseKind::Range);
    // A receive in a counted loop (`for i := 0; i < n; i++ { <-ch }`) may
    // run zero times along the graph exactly when the producer sends zero
    // times: no receive on a path proves nothing then.
    let none_proves = receives
        .iter()
        .all(|u| u.kind == UseKind::Range || u.enclosing_loop().is_none());
    let bad: Vec<&PathEnd<'a>> = ends
        .iter()
        .filter(|e| match shape {
            Abandon::Single => e.received == 0,
            // A competing case after which the function drains the
            // channel (a deferred `for range ch`) does not leave it.
            Abandon::Producer => {
                (none_proves && e.received == 0)
                    || (e.other_case.is_some() && e.received != ALL)
                    || (ranges_only && e.received != ALL)
            }
        })
        .collect();
    if bad.is_empty() {
        return;
    }
    report_abandoned(f, ch, s, &bad, sink, shape);
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
    // More goroutines may send than will be received, unless the senders
    // elect the one that sends.
    if covered || (s.min == 0 && s.elected) {
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
    let Some((send, also)) = unreported_sends(s, sink) else {
        return;
    };
    let name = channel_text(s.src, send);
    let may = if s.min == 0 { "may send" } else { "sends" };
    let mut r = sink
        .report(
            Span::of(send),
            format!("goroutines block forever sending on {name}: {count} senders but the function stops receiving early"),
        )
        .label(Span::of(ch.make), "the channel is made here")
        .label(go_label(s.go_stmt), format!("one goroutine starts here per iteration; each {may} once"));
    for &other in &also {
        r = r.label(Span::of(other), "the goroutine may send here instead");
    }
    if let Some(e) = leaving.first() {
        let (span, text) = leaving_label(e, "with senders still waiting");
        r = r.label(span, text);
    }
    r.help("size the buffer for every sender (`make(chan T, len(items))`), or select on `ctx.Done()` in the sender and cancel the context when you stop receiving");
}

/// The first send of `s` not yet reported, and its other sends.
fn unreported_sends<'a>(s: &Sender<'a>, sink: &Sink<'_>) -> Option<(Node<'a>, Vec<Node<'a>>)> {
    let first = *s.sends.iter().find(|n| !sink.reported_at(Span::of(**n)))?;
    let mut also: Vec<Node<'a>> = Vec::new();
    for &n in &s.sends {
        // A wrapper called twice holds one send for both calls.
        if n.id() != first.id() && !also.iter().any(|a| a.id() == n.id()) {
            also.push(n);
        }
    }
    Some((first, also))
}

/// The label for the way a path leaves: the competing case it took at its
/// last select, or its exit.
fn leaving_label(e: &PathEnd<'_>, what: &str) -> (Span, String) {
    if let Some(case) = e.other_case {
        return (case_label(case), format!("this case leaves {what}"));
    }
    let text = match e.exit {
        Exit::Implicit(_) => format!("the function ends here {what}"),
        Exit::NoReturn(_, Ending::Goroutine) => {
            format!("this call ends the function's goroutine {what}")
        }
        _ => format!("this return leaves {what}"),
    };
    (exit_label(e), text)
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
        let Some(cfg) = gcx.cfg() else {
            return Verdict::Unsure;
        };
        let mut sends = Vec::new();
        let mut counted = Vec::new();
        let mut looping = false;
        let mut elected = false;
        for u in &uses {
            match u.kind {
                UseKind::Neutral | UseKind::Close => {}
                UseKind::Send => {
                    if u.place != Place::Owner || u.select_case().is_some() {
                        return Verdict::Unsure;
                    }
                    let at = match u.via {
                        None => u.node,
                        Some(_) => match u.position_in(cfg) {
                            Some((b, i)) => cfg.blocks[b].nodes[i],
                            None => return Verdict::Unsure,
                        },
                    };
                    looping |= u.repeated();
                    elected |= elected_send(gcx, u);
                    sends.push(u.node);
                    counted.push(at);
                }
                _ => return Verdict::Unsure,
            }
        }
        if sends.is_empty() {
            return Verdict::Silent;
        }
        let counts = send_counts(cfg, |n| counted.iter().any(|s| s.id() == n.id()));
        if counts.max == 0 {
            return Verdict::Unsure;
        }
        // Second sends as reported: the send statement behind each graph node.
        let mut second: Vec<Node<'a>> = Vec::new();
        for n in &counts.second {
            if let Some(i) = counted.iter().position(|c| c.id() == n.id()) {
                if !second.iter().any(|x| x.id() == sends[i].id()) {
                    second.push(sends[i]);
                }
            }
        }
        Verdict::Sends(Sender {
            go_stmt: go,
            src: gcx.src(),
            sends,
            counted,
            max: counts.max,
            min: counts.min,
            second,
            looping,
            elected,
        })
    }
}

/// Whether a send sits under a condition on an atomic operation
/// (`if atomic.AddInt32(&n, 1) == total { done <- … }`): one goroutine is
/// elected to send, by design.
fn elected_send(gcx: &FunctionContext<'_, '_>, u: &ChanUse<'_>) -> bool {
    u.ancestors()
        .iter()
        .filter(|n| n.kind() == kinds::IF_STATEMENT)
        .filter_map(|n| n.child_by_field_name("condition"))
        .any(|c| {
            let t = gcx.text(c);
            t.contains("atomic.") || t.contains(".CompareAndSwap(") || t.contains(".Add(")
        })
}

/// Receives of `ch` each node of `f`'s graph performs.
fn receive_weights<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    go: Node<'a>,
) -> HashMap<usize, Count> {
    let mut out = HashMap::default();
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
                    _ => u.enclosing_loop(),
                };
                let drains = lp.is_some_and(|l| {
                    !syntax::within(go, l) && !loop_has_uncounted_exit(f.src(), f.node, l)
                });
                (u.position_in(cfg), if drains { ALL } else { 1 })
            }
            Place::Deferred(d) => {
                let in_loop = u.enclosing_loop().is_some() || u.kind == UseKind::Range;
                (cfg.position_of(d), if in_loop { ALL } else { 1 })
            }
            // Run at the call as often as the helper likes: it may take every value.
            Place::Sync(_) => (u.position_in(cfg), ALL),
            _ => continue,
        };
        if let Some((b, i)) = at {
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

/// The first block of every select case around a receive on `ch`: the
/// receive's own case (or one receiving from an exclusive partner), and
/// every case that competes with it.
fn competing_cases<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    partners: &[&LocalChannel<'a>],
) -> HashMap<BlockId, CaseEntry<'a>> {
    let mut out = HashMap::default();
    let Some(cfg) = f.cfg() else {
        return out;
    };
    let owned_case = |u: &ChanUse<'a>| {
        (u.kind == UseKind::Receive && u.place == Place::Owner)
            .then(|| u.select_case())
            .flatten()
    };
    let receiving: Vec<usize> = std::iter::once(ch)
        .chain(partners.iter().copied())
        .flat_map(|c| c.uses.iter().filter_map(owned_case))
        .map(|(_, case)| case.id())
        .collect();
    for u in &ch.uses {
        let Some((select, _)) = owned_case(u) else {
            continue;
        };
        for clause in syntax::named_children(select) {
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
                let entry = if receiving.contains(&clause.id()) {
                    CaseEntry::Own
                } else {
                    CaseEntry::Competing(clause)
                };
                out.insert(b, entry);
            }
        }
    }
    out
}

/// The edges by which a `range` of `f` over `ch` ends normally: the channel
/// was closed, so every value was taken.
fn range_ends(f: &FunctionContext<'_, '_>, ch: &LocalChannel<'_>) -> Vec<(BlockId, BlockId)> {
    let Some(cfg) = f.cfg() else {
        return Vec::new();
    };
    ch.uses
        .iter()
        .filter(|u| u.kind == UseKind::Range && u.place == Place::Owner)
        .filter_map(|u| {
            let clause =
                syntax::named_children(u.node).find(|c| c.kind() == kinds::RANGE_CLAUSE)?;
            let (head, _) = cfg.position_of(clause)?;
            let done = *cfg.blocks[head].succs.get(1)?;
            Some((head, done))
        })
        .collect()
}

/// Receives registered by `defer` statements that run before `go` on every
/// path to it: earlier statements of the blocks that enclose it.
fn deferred_before(
    f: &FunctionContext<'_, '_>,
    go: Node<'_>,
    weights: &HashMap<usize, Count>,
) -> Count {
    let mut total = 0;
    let chain = syntax::ancestors(f.node, go);
    let mut cur = go;
    for &p in chain.iter().rev().skip(1) {
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
    let chain = syntax::ancestors(f.node, go);
    let mut cur = go;
    for &p in chain.iter().rev().skip(1) {
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
        matches!(u.place, Place::Owner | Place::Sync(_))
            && u.kind == UseKind::Receive
            && syntax::within(u.node, lp)
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

/// Which shape [`report_abandoned`] reports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Abandon {
    /// One send, one unbuffered channel.
    Single,
    /// Sends in a loop.
    Producer,
}

fn report_abandoned<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    s: &Sender<'a>,
    bad: &[&PathEnd<'a>],
    sink: &mut Sink<'_>,
    shape: Abandon,
) {
    let Some((send, also)) = unreported_sends(s, sink) else {
        return;
    };
    let name = channel_text(s.src, send);
    // A competing case that leaves explains the leak best; then a return.
    let Some(e) = bad
        .iter()
        .find(|e| e.other_case.is_some())
        .or_else(|| bad.first())
    else {
        return;
    };
    let why = match (shape, e.other_case, e.exit) {
        (Abandon::Producer, Some(_), _) => {
            "the function leaves on another select case before the producer is done"
        }
        (Abandon::Producer, None, _) if e.received == 0 => "the function leaves before it receives",
        (Abandon::Producer, None, _) => "the function stops receiving before the producer is done",
        (Abandon::Single, Some(_), _) => "the select returns on another case and nobody receives",
        (Abandon::Single, None, Exit::NoReturn(_, Ending::Goroutine)) => {
            "the function's goroutine ends before the receive"
        }
        (Abandon::Single, None, _) => "a return before the receive abandons it",
    };
    let what = match shape {
        Abandon::Producer if e.received > 0 => "while the producer still sends",
        _ => "without receiving",
    };
    let (leave_span, leave_text) = leaving_label(e, what);
    let same_file = sink.is_file(f.file.source);
    let made = match shape {
        Abandon::Single => "the channel is made here, unbuffered",
        Abandon::Producer => "the channel is made here",
    };
    let mut r = sink
        .report(
            Span::of(send),
            format!("goroutine blocks forever sending on {name}: {why}"),
        )
        .label_in(f.file.source, Span::of(ch.make), made)
        .label_in(
            f.file.source,
            go_label(s.go_stmt),
            "the goroutine starts here",
        );
    for &other in &also {
        r = r.label(Span::of(other), "it sends here too");
    }
    r = r.label_in(f.file.source, leave_span, leave_text);
    match shape {
        Abandon::Single => {
            r = r.help(format!(
                "make `{}` buffered with room for the one value (`make(chan T, 1)`), or select on `ctx.Done()` in the sender",
                ch.name
            ));
            // The fix edits the owner's file: only offered when that is the file reported in.
            if same_file {
                if let Some(args) = ch.make.child_by_field_name("arguments") {
                    let at = args.end_byte().saturating_sub(1);
                    r = r.fix(
                        "give the channel a buffer of one",
                        true,
                        vec![(Span::new(at, at), ", 1".to_string())],
                    );
                }
            }
        }
        Abandon::Producer => {
            r = r.help("have the producer select on `ctx.Done()` (or a done channel) beside each send, and cancel it when you stop receiving");
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
