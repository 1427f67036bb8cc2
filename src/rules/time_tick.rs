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
use crate::flow::cfg::{BlockId, Cfg, Exit};
use crate::flow::paths;
use crate::source::Span;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

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
        if timers::collected(f) || runs_once(f) {
            return;
        }
        for &call in &f.facts.calls {
            if !timers::is_time_func(f, call, "Tick") || handed_off(f, call) {
                continue;
            }
            let Some(cfg) = f.cfg() else {
                return;
            };
            let Some(at) = cfg.enclosing_position(call) else {
                continue;
            };
            if per_iteration(cfg, call, at) {
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
            let exits = match ranged_over(call) {
                Some(range) => exits_from_body(cfg, range),
                None => paths::exits_avoiding(cfg, at, |_| false),
            };
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

/// Whether the call is evaluated again after it has run: on every iteration
/// of a loop. A `select` case's channel is evaluated whenever the `select`
/// is entered, so there it counts whether any case goes round again.
fn per_iteration<'a>(cfg: &Cfg<'a>, call: Node<'a>, at: (BlockId, usize)) -> bool {
    match timers::case_receiving(call) {
        Some(case) => {
            let comm = cfg.blocks[at.0].nodes[at.1];
            case.parent()
                .is_some_and(|select| !timers::cases_reaching(cfg, select, comm).is_empty())
        }
        None => paths::runs_again(cfg, at),
    }
}

/// The range clause of `for … range time.Tick(d)`, if `call` is its operand.
fn ranged_over(call: Node<'_>) -> Option<Node<'_>> {
    let clause = call.parent()?;
    (clause.kind() == kinds::RANGE_CLAUSE
        && clause.child_by_field_name("right").map(|r| r.id()) == Some(call.id()))
    .then_some(clause)
}

/// The returns reachable from the body of a loop ranging over a ticker's
/// channel. The channel is never closed, so the loop ends only through a
/// `return`, a `break` or a `goto`, never by running out of values: paths
/// back through the range clause are not followed.
fn exits_from_body<'a>(cfg: &Cfg<'a>, range: Node<'a>) -> Vec<Exit<'a>> {
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
    paths::exits_avoiding(cfg, (block, 0), |n| n.id() == range.id())
}

/// `main` and `init` of their package run once: one ticker for the life of the process is fine.
fn runs_once(f: &FunctionContext<'_, '_>) -> bool {
    if f.node.kind() != kinds::FUNCTION_DECLARATION {
        return false;
    }
    let name = f.node.child_by_field_name("name").map(|n| f.text(n));
    match name {
        Some("init") => true,
        Some("main") => f.file.package.index.name == "main",
        _ => false,
    }
}

/// The ticker's channel is returned or stored beyond the function: whoever
/// holds it decides how long it lives.
fn handed_off(f: &FunctionContext<'_, '_>, call: Node<'_>) -> bool {
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
                kinds::IDENTIFIER => f.scopes.binding_of(lhs).is_none(),
                _ => false,
            }
        });
    }
    false
}
