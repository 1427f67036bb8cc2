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
        for &call in &f.facts().calls {
            if !timers::is_time_func(f, call, "Tick") || returns_nil(f, call) || handed_off(f, call)
            {
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
            let ranges = ranges_over(f, call);
            let mut exits =
                paths::exits_avoiding(cfg, at, |n| ranges.iter().any(|r| r.id() == n.id()));
            for &range in &ranges {
                exits.extend(exits_from_body(cfg, range));
            }
            exits.sort_by_key(|e| e.span());
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

/// The range clauses over the ticker's channel: `for … range time.Tick(d)`,
/// or `for … range c` where `c` is the local variable holding it.
fn ranges_over<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> Vec<Node<'a>> {
    if let Some(clause) = range_clause_of(call) {
        return vec![clause];
    }
    let Some(stmt) = syntax::assignment_of(call) else {
        return Vec::new();
    };
    let [lhs] = syntax::left_side(stmt)[..] else {
        return Vec::new();
    };
    let Some(binding) = f.scopes.binding_of(syntax::unparen(lhs)) else {
        return Vec::new();
    };
    f.scopes
        .references(binding)
        .iter()
        .filter(|r| !r.write)
        .filter_map(|r| f.body.descendant_for_byte_range(r.span.start, r.span.end))
        .filter_map(range_clause_of)
        .collect()
}

/// The range clause whose operand is `operand`.
fn range_clause_of(operand: Node<'_>) -> Option<Node<'_>> {
    let clause = operand.parent()?;
    (clause.kind() == kinds::RANGE_CLAUSE
        && clause.child_by_field_name("right").map(|r| r.id()) == Some(operand.id()))
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

/// `time.Tick(0)` or a negative constant returns nil and starts nothing.
fn returns_nil(f: &FunctionContext<'_, '_>, call: Node<'_>) -> bool {
    let arg = call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next());
    arg.is_some_and(|a| {
        let t = f.text(a).trim();
        t == "0" || t.starts_with('-')
    })
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
