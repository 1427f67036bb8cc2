//! `time-tick`: `time.Tick` in a function that returns.
//!
//! ## What it does
//! Reports a `time.Tick` call evaluated on every iteration of a loop, or in a
//! function that can return after it. `main`, `init`, functions that never
//! return after the call (an endless loop with no `return` or labelled
//! `break` out of it) and ticker channels handed to someone else (returned,
//! stored in a field or package variable) are left alone.
//!
//! ## Why is this bad?
//! `time.Tick` gives no way to stop its ticker. Before Go 1.23 the ticker
//! stays in memory and keeps firing for the rest of the process once the
//! function that wanted it has returned; a handler that calls it leaks one
//! ticker per request. Modules at go 1.23+ are not reported: the runtime now
//! collects tickers that nothing references.
//!
//! ## Example
//! ```go
//! func poll(ctx context.Context) {
//!     for {
//!         select {
//!         case <-ctx.Done():
//!             return // the ticker lives on
//!         case <-time.Tick(time.Second):
//!             refresh()
//!         }
//!     }
//! }
//! ```
//!
//! Use instead: `t := time.NewTicker(time.Second)`, `defer t.Stop()`, and
//! receive from `t.C`.

use super::timers;
use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::source::Span;
use crate::syntax;

/// The `time-tick` rule.
pub struct TimeTick;

static META: RuleMeta = RuleMeta {
    name: "time-tick",
    family: Family::Timer,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/time-tick.md"),
};

const HELP: &str =
    "use `ticker := time.NewTicker(d)` with `defer ticker.Stop()` and receive from `ticker.C`";

impl Rule for TimeTick {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.imports("time")
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        if timers::collected(f) || timers::runs_once(f) {
            return;
        }
        for &call in &f.facts().calls {
            if !timers::is_time_func(f, call, "Tick")
                || timers::non_positive(f, call)
                || timers::handed_off(f, call)
            {
                continue;
            }
            let Some(cfg) = f.cfg() else {
                return;
            };
            let Some(at) = cfg.enclosing_position(call) else {
                continue;
            };
            if timers::per_iteration(cfg, call, at) {
                let report = sink
                    .report(
                        Span::of(call),
                        "time.Tick runs on every iteration of this loop, starting a new ticker each time that is never stopped",
                    )
                    .help(format!("{HELP}, created once before the loop"));
                if let Some(l) = syntax::enclosing_loop(call) {
                    report.label(
                        timers::loop_keyword(l),
                        "each iteration of this loop starts one",
                    );
                }
                continue;
            }
            let exits = timers::returns_after(f, cfg, at, call);
            let Some(first) = exits.first() else {
                // The function never returns after this point: the ticker is used for as long as it runs.
                continue;
            };
            sink.report(
                Span::of(call),
                "the ticker started by time.Tick can never be stopped: it keeps running after this function returns",
            )
            .label(first.span(), "the function returns here, and the ticker lives on")
            .help(HELP);
        }
    }
}
