//! `time-after-in-loop`: `time.After` evaluated on every iteration of a loop
//! that can go round again before the timer fires.
//!
//! ## What it does
//! Reports a `time.After` call that a loop evaluates on every iteration
//! (typically `for { select { case v := <-ch: …; case <-time.After(d): … } }`)
//! when another case of the `select` that waits on it starts the next
//! iteration. A loop that waits on the timer alone, or whose other cases all
//! leave the loop, never has more than one timer pending and is not reported.
//!
//! ## Why is this bad?
//! Before Go 1.23 a timer made by `time.After` stays in memory until it
//! fires. A loop that receives a message per iteration with a one-minute idle
//! timeout keeps one timer alive for every message of the last minute: at ten
//! thousand messages a second that is six hundred thousand timers. Modules at
//! go 1.23+ are not reported: the runtime collects unreferenced timers.
//!
//! ## Example
//! ```go
//! for {
//!     select {
//!     case msg := <-in:
//!         handle(msg)
//!     case <-time.After(time.Minute):
//!         return
//!     }
//! }
//! ```
//!
//! Use instead: one `time.NewTimer` made before the loop, `Reset` at the
//! start of each iteration.

use super::timers;
use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// The `time-after-in-loop` rule.
pub struct TimeAfterInLoop;

static META: RuleMeta = RuleMeta {
    name: "time-after-in-loop",
    family: Family::Timer,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/time-after-in-loop.md"),
};

/// Timers this short (one second, in nanoseconds) are reported as notes.
const SHORT_NANOS: u64 = 1_000_000_000;

/// Labels beyond this many looping cases would only repeat themselves.
const MAX_CASE_LABELS: usize = 2;

impl Rule for TimeAfterInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.imports("time")
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        if timers::collected(f) || f.facts().loops.is_empty() {
            return;
        }
        for &call in &f.facts().calls {
            if !timers::is_time_func(f, call, "After") {
                continue;
            }
            let Some(cfg) = f.cfg() else {
                return;
            };
            let Some(at) = cfg.enclosing_position(call) else {
                continue;
            };
            let Some(case) = waiting_case(f, call) else {
                continue;
            };
            if syntax::enclosing_loop(case)
                .is_some_and(|l| syntax::counted_loop(f.src(), l).is_some())
            {
                // `for i := 0; i < 3; i++`: a handful of timers, not a pile.
                continue;
            }
            let evaluation = cfg.blocks[at.0].nodes[at.1];
            if replaced_after_firing(f, call, case) {
                continue;
            }
            let looping: Vec<_> = case
                .parent()
                .map(|select| timers::cases_reaching(cfg, select, evaluation))
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.id() != case.id())
                .collect();
            if looping.is_empty() {
                continue;
            }
            let duration = call
                .child_by_field_name("arguments")
                .and_then(|a| syntax::named_children(a).next())
                .map(|d| f.text(d));
            let pending = match duration {
                Some(d) => format!("until it fires, {d} later"),
                None => "until it fires".to_string(),
            };
            let mut report = sink
                .report(
                    Span::of(call),
                    format!("time.After starts a new timer on every iteration of this loop, and before Go 1.23 each one stays in memory {pending}"),
                )
                .help("create one timer before the loop (`timer := time.NewTimer(d)`, `defer timer.Stop()`) and `timer.Reset(d)` it on each iteration; modules at go 1.23+ collect unfired timers");
            for &c in looping.iter().take(MAX_CASE_LABELS) {
                report = report.label(
                    case_head(c),
                    "this case starts the next iteration while the timer is still pending",
                );
            }
            if duration
                .and_then(constant_nanos)
                .is_some_and(|n| n <= SHORT_NANOS)
            {
                // A timer that fires within a second cannot pile up far.
                report = report.severity(Severity::Note);
            }
            if let Some(l) = syntax::enclosing_loop(case) {
                report.label(timers::loop_keyword(l), "the loop");
            }
        }
    }
}

/// The `select` case that waits on the timer's channel: `case <-time.After(d):`
/// itself, or a case receiving from the local variable the channel is
/// assigned to. `None` when the channel is used any other way (a plain
/// receive waits for the timer, so nothing piles up; a channel passed on is
/// not ours to judge).
fn waiting_case<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> Option<Node<'a>> {
    if let Some(case) = timers::case_receiving(call) {
        return Some(case);
    }
    let stmt = syntax::assignment_of(call)?;
    let [lhs] = syntax::left_side(stmt)[..] else {
        return None;
    };
    let binding = f.scopes().binding_of(syntax::unparen(lhs))?;
    let mut found = None;
    for r in f.scopes().references(binding) {
        if r.write {
            continue;
        }
        let ident = f.body.descendant_for_byte_range(r.span.start, r.span.end)?;
        let case = timers::case_receiving(ident)?;
        if found.is_some_and(|c: Node<'_>| c.id() != case.id()) {
            return None;
        }
        found = Some(case);
    }
    found
}

/// `t = time.After(d)` made only after the previous timer fired (in the case
/// that received from it) or only when none is pending (`if t == nil`):
/// one timer at a time.
fn replaced_after_firing(f: &FunctionContext<'_, '_>, call: Node<'_>, case: Node<'_>) -> bool {
    let Some(stmt) = syntax::assignment_of(call) else {
        return false;
    };
    if syntax::within(call, case) {
        return true;
    }
    let [lhs] = syntax::left_side(stmt)[..] else {
        return false;
    };
    let name = f.text(lhs);
    // The statement's own `if`, at most a few levels up (a block, its statement list).
    let mut node = stmt;
    for _ in 0..3 {
        let Some(p) = node.parent() else {
            return false;
        };
        if p.kind() == kinds::IF_STATEMENT {
            let cond = p.child_by_field_name("condition").map(|c| f.text(c));
            return cond.is_some_and(|c| c.replace(' ', "") == format!("{name}==nil"));
        }
        node = p;
    }
    false
}

/// The value in nanoseconds of a constant duration written as `time.Second`,
/// `5 * time.Millisecond`, `time.Minute * 2` or `time.Duration(5) * time.Second`.
fn constant_nanos(text: &str) -> Option<u64> {
    let unit = |t: &str| -> Option<u64> {
        let name = t.trim().rsplit('.').next()?;
        Some(match name {
            "Nanosecond" => 1,
            "Microsecond" => 1_000,
            "Millisecond" => 1_000_000,
            "Second" => 1_000_000_000,
            "Minute" => 60_000_000_000,
            "Hour" => 3_600_000_000_000,
            _ => return None,
        })
    };
    let count = |t: &str| -> Option<u64> {
        let t = t.trim();
        let t = t
            .strip_suffix(')')
            .and_then(|x| x.rsplit_once("Duration(").map(|(_, n)| n))
            .unwrap_or(t);
        t.trim().parse().ok()
    };
    match text.split_once('*') {
        None => unit(text),
        Some((a, b)) => match (count(a), unit(b)) {
            (Some(n), Some(u)) => n.checked_mul(u),
            _ => count(b).zip(unit(a)).and_then(|(n, u)| n.checked_mul(u)),
        },
    }
}

/// `case …:` or `default:`, up to the colon.
fn case_head(case: Node<'_>) -> Span {
    let end = case
        .child_by_field_name("communication")
        .map_or(case.start_byte() + "default".len(), |c| c.end_byte());
    Span::new(case.start_byte(), end)
}

#[cfg(test)]
mod tests {
    use super::constant_nanos;

    #[test]
    fn constant_durations() {
        assert_eq!(constant_nanos("time.Second"), Some(1_000_000_000));
        assert_eq!(constant_nanos("10 * time.Millisecond"), Some(10_000_000));
        assert_eq!(constant_nanos("t.Minute * 2"), Some(120_000_000_000));
        assert_eq!(
            constant_nanos("time.Duration(5) * time.Second"),
            Some(5_000_000_000)
        );
        assert_eq!(constant_nanos("timeout"), None);
        assert_eq!(constant_nanos("n * time.Second"), None);
    }
}
