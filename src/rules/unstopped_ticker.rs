//! `unstopped-ticker`: a `time.NewTicker` never stopped and not handed off,
//! a `time.NewTimer` kept beyond one wait and not stopped, or a goroutine
//! that waits on a ticker forever.
//!
//! ## What it does
//! Reads the release obligations of the flow core for the catalogue entries
//! of group `unstopped-ticker` (`time.NewTicker`, `time.NewTimer`) and
//! reports:
//! - a ticker dropped at once (`time.NewTicker(d)` as a statement, `_ =`);
//! - a ticker not stopped on some path to a return, or replaced by the next
//!   iteration of a loop before it is stopped (the returns are labelled);
//! - `time.NewTicker(d).C` kept alone: nothing can stop the ticker, and it
//!   runs on once the function returns, or a new one starts every iteration;
//! - `time.NewTimer(d).C` in a `select` that a loop re-enters while the timer
//!   is pending: a timer per iteration, each alive until it fires;
//! - a timer `Reset` for another wait (or remade by every iteration and
//!   waited on in a `select`) and not stopped on some path to a return;
//! - a goroutine that ranges or selects on a ticker with no way out, started
//!   by a function that can run many times: neither ever stops.
//!
//! A ticker returned, stored, sent, passed on, captured by a goroutine or
//! stopped by `defer t.Stop()` is not reported; nor are `main`, `init` and
//! `TestMain`, which run once. A timer waited on once (`<-t.C`) fires and
//! is gone.
//!
//! ## Why is this bad?
//! Before Go 1.23 a ticker that is never stopped stays in the runtime's timer
//! heap and fires for the rest of the process; one started per request piles
//! up. At go 1.23+ the runtime collects a ticker nothing references, so those
//! findings are notes saying so; a goroutine that keeps waiting on it still
//! keeps it (and itself) alive, at every version.
//!
//! ## Example
//! ```go
//! func poll(ctx context.Context) error {
//!     t := time.NewTicker(time.Second)
//!     for {
//!         select {
//!         case <-ctx.Done():
//!             return ctx.Err() // the ticker keeps running
//!         case <-t.C:
//!             refresh()
//!         }
//!     }
//! }
//! ```
//!
//! Use instead: `defer t.Stop()` right after `time.NewTicker` (the attached fix).

use super::{obligation_report, stuck_goroutine, timers};
use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Report, Sink};
use crate::diagnostic::Severity;
use crate::flow::cfg::{BlockId, Cfg, Exit};
use crate::flow::obligation::{self, Holder, Leak, Obligation, Verdict};
use crate::flow::paths;
use crate::flow::scopes::{has_token, BindingId};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// The `unstopped-ticker` rule.
pub struct UnstoppedTicker;

static META: RuleMeta = RuleMeta {
    name: "unstopped-ticker",
    family: Family::Timer,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: true,
    doc: include_str!("../../rules/unstopped-ticker.md"),
};

/// Labels beyond this many exits would only repeat themselves.
const MAX_EXIT_LABELS: usize = 3;

/// Why an unstopped ticker is only a note for modules at go 1.23+.
const COLLECTED: &str =
    "not a leak at go 1.23+, where the runtime collects a ticker that nothing references";

/// What the acquisition starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Fires until stopped.
    Ticker,
    /// Fires once, unless `Reset`.
    Timer,
}

impl Kind {
    fn of(ob: &Obligation<'_>) -> Kind {
        if ob.entry.package == "time" && ob.entry.name == "NewTimer" {
            Kind::Timer
        } else {
            Kind::Ticker
        }
    }
}

/// Why a local value is an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// A ticker always is.
    Ticker,
    /// A timer kept beyond one wait.
    Timer(Kept),
}

impl Rule for UnstoppedTicker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        obligation_report::imports_group(file, META.name)
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let collected = timers::collected(f);
        let once = timers::runs_once(f);
        for ob in f.obligations() {
            if ob.entry.group != META.name {
                continue;
            }
            let kind = Kind::of(ob);
            if kind == Kind::Ticker && timers::non_positive(f, ob.call) {
                // `time.NewTicker(0)` panics: nothing is started.
                continue;
            }
            if kind == Kind::Ticker {
                if let Some(forever) = waits_forever(f, ob) {
                    report_forever(f, sink, ob, &forever);
                    continue;
                }
            }
            // `main` and `init` run once; at go 1.23+ an unreferenced timer is collected.
            if once || (collected && kind == Kind::Timer) {
                continue;
            }
            let report = match (&ob.holder, &ob.verdict) {
                (_, Verdict::Discarded) if kind == Kind::Ticker => Some(
                    sink.report(
                        ob.span(),
                        message(f, "the ticker started here is dropped at once: nothing can stop it, so it fires for the rest of the process".into()),
                    )
                    .help("keep the ticker (`t := time.NewTicker(d)`), receive from `t.C` and `defer t.Stop()`"),
                ),
                (Holder::Unnamed(value), _) => match channel_of(f, *value) {
                    Some(chan) if kind == Kind::Ticker => channel_only(f, sink, chan),
                    Some(chan) => timer_per_iteration(f, sink, chan),
                    None => None,
                },
                (Holder::Local { binding, .. }, Verdict::Leaks(leak)) if leak.skips_return() => {
                    let found = match kind {
                        Kind::Ticker => Some((How::Ticker, without_range_ends(f, ob, *binding, leak))),
                        Kind::Timer => kept_beyond_one_wait(f, ob, *binding)
                            .map(|(kept, leak)| (How::Timer(kept), leak)),
                    };
                    found
                        .filter(|(_, leak)| leak.skips_return())
                        .map(|(how, leak)| not_stopped(f, sink, ob, how, *binding, &leak))
                }
                _ => None,
            };
            if let Some(report) = report {
                if collected {
                    // Gone once unreferenced (go 1.23+).
                    report.severity(Severity::Note);
                }
            }
        }
    }
}

/// The main message, with the go 1.23+ reason when it applies.
fn message(f: &FunctionContext<'_, '_>, text: String) -> String {
    if timers::collected(f) {
        format!("{text}; {COLLECTED}")
    } else {
        text
    }
}

/// `time.NewTicker(d).C`, `time.NewTimer(d).C`: the channel is all that is
/// kept of the value.
fn channel_of<'a>(f: &FunctionContext<'_, 'a>, value: Node<'a>) -> Option<Node<'a>> {
    let sel = value.parent()?;
    let is_c = sel.kind() == kinds::SELECTOR_EXPRESSION
        && sel
            .child_by_field_name("operand")
            .is_some_and(|o| o.id() == value.id())
        && sel
            .child_by_field_name("field")
            .is_some_and(|c| f.text(c) == "C");
    is_c.then_some(sel)
}

/// `time.NewTicker(d).C` kept alone: nothing can stop the ticker. Reported
/// when a loop evaluates it again or the function can return after it,
/// unless the channel is returned or stored for someone else.
fn channel_only<'s, 'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &'s mut Sink<'_>,
    chan: Node<'a>,
) -> Option<Report<'s>> {
    if timers::handed_off(f, chan) {
        return None;
    }
    let cfg = f.cfg()?;
    let at = cfg.enclosing_position(chan)?;
    let help =
        "keep the ticker (`t := time.NewTicker(d)`), receive from `t.C` and `defer t.Stop()`";
    if timers::per_iteration(cfg, chan, at) {
        let mut report = sink
            .report(
                Span::of(chan),
                message(f, "time.NewTicker(…).C starts a new ticker on every iteration of this loop, and nothing can stop any of them".into()),
            )
            .help(format!("{help}, created once before the loop"));
        if let Some(l) = syntax::enclosing_loop(chan) {
            report = report.label(
                timers::loop_keyword(l),
                "each iteration of this loop starts one",
            );
        }
        return Some(report);
    }
    let exits = timers::returns_after(f, cfg, at, chan);
    let first = exits.first()?;
    Some(
        sink.report(
            Span::of(chan),
            message(f, "only the channel of this ticker is kept, so nothing can stop it: it keeps running after this function returns".into()),
        )
        .label(first.span(), "the function returns here, and the ticker lives on")
        .help(help),
    )
}

/// `case <-time.NewTimer(d).C:` in a `select` that a loop enters again
/// through another case while the timer is pending: a new timer per
/// iteration, each alive until it fires.
fn timer_per_iteration<'s, 'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &'s mut Sink<'_>,
    chan: Node<'a>,
) -> Option<Report<'s>> {
    let case = timers::case_receiving(chan)?;
    let l = syntax::enclosing_loop(case)?;
    if syntax::counted_loop(f.src(), l).is_some() {
        // `for i := 0; i < 3; i++`: a handful of timers, not a pile.
        return None;
    }
    let cfg = f.cfg()?;
    let at = cfg.enclosing_position(chan)?;
    let evaluation = cfg.blocks[at.0].nodes[at.1];
    let select = case.parent()?;
    let looping: Vec<_> = timers::cases_reaching(cfg, select, evaluation)
        .into_iter()
        .filter(|c| c.id() != case.id())
        .collect();
    let first = looping.first()?;
    Some(
        sink.report(
            Span::of(chan),
            "time.NewTimer(…).C starts a new timer on every iteration of this loop, and before Go 1.23 each one stays in memory until it fires",
        )
        .label(
            Span::new(first.start_byte(), first.child_by_field_name("communication").map_or(first.start_byte() + "default".len(), |c| c.end_byte())),
            "this case starts the next iteration while the timer is still pending",
        )
        .label(timers::loop_keyword(l), "the loop")
        .help("create one timer before the loop, `defer timer.Stop()`, and `timer.Reset(d)` it on each iteration"),
    )
}

/// How a timer is kept for more than one wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// `Reset` for another wait.
    Reset,
    /// Made again by the next iteration while a `select` case that does not
    /// wait for it goes round the loop.
    PerIteration,
}

/// A timer is an obligation only while it is armed: from its creation or a
/// `Reset` until a receive from its channel (it fired) or `Stop`. It is
/// reported when it is kept for more than one wait — `Reset`, or made again
/// by the next iteration while still armed — and a return or the next
/// iteration can find it armed. A timer waited on once fires and is gone.
fn kept_beyond_one_wait<'a>(
    f: &FunctionContext<'_, 'a>,
    ob: &Obligation<'a>,
    binding: BindingId,
) -> Option<(Kept, Leak<'a>)> {
    let mut settle = Vec::new();
    let mut fire = Vec::new();
    let mut reset = Vec::new();
    for r in f.scopes().references(binding).iter().filter(|r| !r.write) {
        let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        if obligation::touch(f, ident, &ob.entry.release) != obligation::Touch::Read {
            settle.push(r.span);
            continue;
        }
        let Some(sel) = ident
            .parent()
            .filter(|p| p.kind() == kinds::SELECTOR_EXPRESSION)
        else {
            continue;
        };
        match sel.child_by_field_name("field").map(|n| f.text(n)) {
            Some("Reset") => reset.push(r.span),
            Some("C") if is_receive(sel) => fire.push(r.span),
            _ => {}
        }
    }
    let cfg = f.cfg()?;
    let stmt = ob.stmt?;
    let (b0, i0) = cfg.enclosing_position(stmt)?;
    let def = cfg.blocks[b0].nodes[i0];
    let has =
        |spans: &[Span], n: Node<'_>| spans.iter().any(|s| syntax::within_span(*s, Span::of(n)));
    let mut leak = Leak::default();
    let mut seen = rustc_hash::FxHashSet::default();
    // (block, first node, armed)
    let mut stack = vec![(b0, i0 + 1, true)];
    while let Some((b, skip, mut armed)) = stack.pop() {
        if skip == 0 && !seen.insert((b, armed)) {
            continue;
        }
        let block = &cfg.blocks[b];
        let mut settled = false;
        for &n in block.nodes.iter().skip(skip) {
            if n.id() == def.id() {
                if armed {
                    leak.overwritten.get_or_insert(obligation::Overwrite {
                        at: n,
                        in_loop: syntax::enclosing_loop(stmt),
                    });
                }
                settled = true;
                break;
            }
            if has(&settle, n) {
                settled = true;
                break;
            }
            if has(&fire, n) {
                armed = false;
            }
            if has(&reset, n) {
                armed = true;
            }
        }
        if settled {
            continue;
        }
        match block.exit {
            Some(exit) if exit.returns() => {
                if armed {
                    leak.exits.push(exit);
                }
            }
            Some(_) => {}
            None => stack.extend(block.succs.iter().rev().map(|&s| (s, 0, armed))),
        }
    }
    leak.exits.sort_by_key(|e| e.span());
    leak.exits.dedup_by_key(|e| e.span());
    let kept = if !reset.is_empty() {
        Kept::Reset
    } else if leak.overwritten.is_some_and(|o| o.in_loop.is_some()) {
        Kept::PerIteration
    } else {
        return None;
    };
    leak.skips_return().then_some((kept, leak))
}

/// `<-x`: a receive (a statement, an assignment's value or a `select` case).
fn is_receive(operand: Node<'_>) -> bool {
    operand
        .parent()
        .is_some_and(|p| p.kind() == kinds::UNARY_EXPRESSION && has_token(p, "<-"))
}

/// The leak without the exits reached only by a `for range t.C` loop running
/// out of values: a ticker's channel is never closed, so such a loop ends
/// only through its body.
fn without_range_ends<'a>(
    f: &FunctionContext<'_, 'a>,
    ob: &Obligation<'a>,
    binding: BindingId,
    leak: &Leak<'a>,
) -> Leak<'a> {
    let mut ranges = Vec::new();
    let mut settling = Vec::new();
    for r in f.scopes().references(binding).iter().filter(|r| !r.write) {
        let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        if let Some(range) = channel_of(f, ident).and_then(timers::range_clause_of) {
            ranges.push(range);
        }
        if obligation::touch(f, ident, &ob.entry.release) != obligation::Touch::Read {
            settling.push(r.span);
        }
    }
    let (Some(cfg), Some(stmt)) = (f.cfg(), ob.stmt) else {
        return leak.clone();
    };
    let Some(at) = cfg.enclosing_position(stmt) else {
        return leak.clone();
    };
    if ranges.is_empty() {
        return leak.clone();
    }
    let settles = |n: Node<'_>| {
        settling
            .iter()
            .any(|s| syntax::within_span(*s, Span::of(n)))
    };
    let is_range = |n: Node<'_>| ranges.iter().any(|r| r.id() == n.id());
    let mut reachable = paths::exits_avoiding(cfg, at, |n| is_range(n) || settles(n));
    for &range in &ranges {
        reachable.extend(timers::body_exits_avoiding(cfg, range, |n| {
            is_range(n) || settles(n)
        }));
    }
    let mut out = leak.clone();
    out.exits
        .retain(|e| reachable.iter().any(|r| r.span() == e.span()));
    out
}

/// A local ticker (or kept timer) not stopped on some path to a return, or
/// replaced before it is stopped.
fn not_stopped<'s, 'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &'s mut Sink<'_>,
    ob: &Obligation<'a>,
    how: How,
    binding: BindingId,
    leak: &Leak<'a>,
) -> Report<'s> {
    let name = f.scopes().binding(binding).name.clone();
    let noun = match how {
        How::Ticker => "ticker",
        How::Timer(_) => "timer",
    };
    let text = match how {
        How::Ticker => format!("the ticker {name} is not stopped on every path, so it keeps running after this function returns"),
        How::Timer(Kept::Reset) => format!("the timer {name} is reset for more waits but not stopped on every path, so it stays pending after this function returns"),
        How::Timer(Kept::PerIteration) => format!("every iteration makes a new timer {name} while the last one may still be pending, and none is stopped: each stays in memory until it fires"),
    };
    let mut report = sink.report(ob.span(), message(f, text));
    for exit in leak.exits.iter().take(MAX_EXIT_LABELS) {
        let msg = match exit {
            Exit::Implicit(_) => format!("the function ends here without stopping `{name}`"),
            _ => format!("this return leaves `{name}` running"),
        };
        report = report.label(exit.span(), msg);
    }
    if leak.exits.len() > MAX_EXIT_LABELS {
        let more = leak.exits.len() - MAX_EXIT_LABELS;
        report = report.label(
            leak.exits[MAX_EXIT_LABELS].span(),
            format!("and {more} more exit(s) that leave `{name}` running"),
        );
    }
    if let Some(o) = leak.overwritten {
        report = match o.in_loop {
            Some(l) => report.label(
                timers::loop_keyword(l),
                format!("the next iteration replaces `{name}` before it is stopped"),
            ),
            None => report.label(
                Span::of(o.at),
                format!("`{name}` is replaced here before the {noun} is stopped"),
            ),
        };
    }
    report = report.help(format!(
        "call `defer {name}.Stop()` right after the {noun} is created, or stop it before every return"
    ));
    let site = obligation::defer_site(f, ob).filter(|_| leak.overwritten.is_none());
    match (site, ob.stmt) {
        (Some(site), Some(stmt)) if stmt.kind() == kinds::SHORT_VAR_DECLARATION => {
            let indent = f.file.source.indent_at(stmt.start_byte()).to_string();
            let end = site.after.end_byte();
            report.fix(
                format!("add `defer {name}.Stop()`"),
                site.safe,
                vec![(
                    Span::new(end, end),
                    format!("\n{indent}defer {name}.Stop()"),
                )],
            )
        }
        _ => report,
    }
}

/// A wait on the ticker (`for range t.C`, `case <-t.C:`, `<-t.C`) in a
/// goroutine that never returns after it, started by a function that can
/// run many times.
struct Forever<'a> {
    /// The wait.
    wait: Node<'a>,
    /// The `go` statement that starts the goroutine.
    go: Node<'a>,
}

fn waits_forever<'a>(f: &FunctionContext<'_, 'a>, ob: &Obligation<'a>) -> Option<Forever<'a>> {
    let binding = ob.binding()?;
    for r in f.scopes().references(binding).iter().filter(|r| !r.write) {
        let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        let Some(sel) = channel_of(f, ident) else {
            continue;
        };
        // The goroutine's function: this one, or a literal it starts with `go`.
        let Some(func) = syntax::enclosing_function(sel) else {
            continue;
        };
        let Some(go) = go_statement_of(func) else {
            continue;
        };
        let starts_here = func.id() == f.node.id()
            || syntax::enclosing_function(go).is_some_and(|s| s.id() == f.node.id());
        if !starts_here || stuck_goroutine::process_lifetime(f) {
            continue;
        }
        let Some(g) = f.file.function(f.top, func) else {
            continue;
        };
        let Some(cfg) = g.cfg() else {
            continue;
        };
        let endless = match timers::range_clause_of(sel) {
            Some(range) => {
                cfg.position_of(range).is_some() && timers::exits_from_body(cfg, range).is_empty()
            }
            None => {
                let is_wait = timers::case_receiving(sel).is_some()
                    || sel
                        .parent()
                        .is_some_and(|p| p.kind() == kinds::UNARY_EXPRESSION);
                is_wait
                    && cfg
                        .enclosing_position(sel)
                        .is_some_and(|at| returns_none(cfg, at))
            }
        };
        if endless {
            return Some(Forever { wait: sel, go });
        }
    }
    None
}

fn returns_none(cfg: &Cfg<'_>, at: (BlockId, usize)) -> bool {
    paths::exits_avoiding(cfg, at, |_| false).is_empty()
}

/// The `go` statement that calls the func literal `func` directly.
fn go_statement_of(func: Node<'_>) -> Option<Node<'_>> {
    if func.kind() != kinds::FUNC_LITERAL {
        return None;
    }
    let call = func
        .parent()
        .filter(|c| c.kind() == kinds::CALL_EXPRESSION)?;
    if call.child_by_field_name("function").map(|x| x.id()) != Some(func.id()) {
        return None;
    }
    call.parent().filter(|s| s.kind() == kinds::GO_STATEMENT)
}

fn report_forever(
    f: &FunctionContext<'_, '_>,
    sink: &mut Sink<'_>,
    ob: &Obligation<'_>,
    forever: &Forever<'_>,
) {
    let name = ob
        .binding()
        .map(|b| f.scopes().binding(b).name.clone())
        .unwrap_or_else(|| "the ticker".into());
    sink.report(
        ob.span(),
        format!("a goroutine waits on the ticker {name} forever: it never returns, so neither it nor the ticker ever stops"),
    )
    .label(Span::of(forever.wait), "the goroutine waits here, with no way out")
    .label(
        Span::new(forever.go.start_byte(), forever.go.start_byte() + "go".len()),
        "started here, each time this function runs",
    )
    .help(format!(
        "give the goroutine a way out (`case <-ctx.Done(): return`) and `defer {name}.Stop()` in it"
    ));
}
