//! `lost-cancel`: the cancel function of a derived context is discarded or
//! not called on some path to a return.
//!
//! ## What it does
//! Finds `context.WithCancel`, `WithTimeout`, `WithDeadline`, their `…Cause`
//! forms and `signal.NotifyContext` (any call the catalogue lists under
//! `[[cancel]]`) whose cancel function is assigned to `_`, or which can reach
//! a return of the function without the cancel variable being used. Any use
//! counts, as in `go vet`: a call, a `defer`, a closure that captures it,
//! returning it, storing it, passing it on. It also reports a cancel variable
//! that a loop overwrites with the next context before calling it.
//!
//! ## Why is this bad?
//! A derived context stays registered with its parent, and a timeout keeps
//! its timer, until the parent is cancelled. Under a long-lived parent (a
//! server's base context) every request leaks one.
//!
//! ## Example
//! ```go
//! ctx, cancel := context.WithTimeout(r.Context(), time.Second)
//! if err := validate(r); err != nil {
//!     return err // cancel is never called on this path
//! }
//! defer cancel()
//! ```
//!
//! Use instead: `defer cancel()` right after the call (the attached fix).

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::cfg::Exit;
use crate::flow::paths;
use crate::flow::scopes::{BindingId, BindingKind};
use crate::source::Span;
use crate::syntax::{self, enclosing_loop, kinds};
use std::cell::Cell;
use tree_sitter::Node;

/// The `lost-cancel` rule.
pub struct LostCancel;

static META: RuleMeta = RuleMeta {
    name: "lost-cancel",
    family: Family::Context,
    default_severity: Severity::Warning,
    precision: Precision::VeryHigh,
    has_fix: true,
    doc: include_str!("../../rules/lost-cancel.md"),
};

/// Labels beyond this many exits would only repeat themselves.
const MAX_EXIT_LABELS: usize = 3;

impl Rule for LostCancel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.package
            .catalog
            .cancel_packages()
            .any(|p| file.imports(p))
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let catalog = f.file.package.catalog;
        for &call in &f.facts().calls {
            let mut ctor = String::new();
            let is_ctor = f.is_package_func(f.callee(call), |path, name| {
                let hit = catalog.is_cancel_constructor(path, name);
                if hit {
                    ctor = format!("{}.{name}", catalog.package_name(path));
                }
                hit
            });
            if !is_ctor {
                continue;
            }
            let Some(stmt) = syntax::assignment_of(call) else {
                continue;
            };
            let Some(cancel) = syntax::left_side(stmt).get(1).map(|n| syntax::unparen(*n)) else {
                continue;
            };
            if cancel.kind() != kinds::IDENTIFIER && cancel.kind() != kinds::BLANK_IDENTIFIER {
                // `s.cancel = …`, `m[k] = …`: stored, so handed off.
                continue;
            }
            if f.text(cancel) == "_" {
                report_discarded(f, sink, call, stmt, cancel, &ctor);
            } else if let Some(binding) = f.scopes.binding_of(cancel) {
                // A variable of an enclosing function (or the package) is not ours to judge.
                if f.scopes.binding(binding).func == f.span() {
                    check_paths(f, sink, call, stmt, binding, &ctor);
                }
            }
        }
    }
}

fn report_discarded(
    f: &FunctionContext<'_, '_>,
    sink: &mut Sink<'_>,
    call: Node<'_>,
    stmt: Node<'_>,
    blank: Node<'_>,
    ctor: &str,
) {
    let report = sink
        .report(
            Span::of(call),
            format!("the cancel function returned by {ctor} is discarded, so the context lives until its parent is cancelled"),
        )
        .label(Span::of(blank), "the cancel function is dropped here")
        .help("keep the cancel function and `defer cancel()` right after this line");
    // Naming it `cancel` is only safe where no `cancel` exists to be shadowed or reused.
    if stmt.kind() == kinds::SHORT_VAR_DECLARATION && !f.scopes.declares_name("cancel") {
        let mut edits = vec![(Span::of(blank), "cancel".to_string())];
        edits.push(defer_edit(f, stmt, "cancel"));
        report.fix(
            "name the cancel function and add `defer cancel()`",
            fix_is_safe(f, stmt, None),
            edits,
        );
    }
}

fn check_paths(
    f: &FunctionContext<'_, '_>,
    sink: &mut Sink<'_>,
    call: Node<'_>,
    stmt: Node<'_>,
    binding: BindingId,
    ctor: &str,
) {
    let Some(cfg) = f.cfg() else {
        return;
    };
    let Some(pos) = cfg.enclosing_position(stmt) else {
        return;
    };
    let def = cfg.blocks[pos.0].nodes[pos.1];
    let scopes = &*f.scopes;
    let named_result = scopes.binding(binding).kind == BindingKind::Result;
    let looped = Cell::new(None);
    let exits = paths::exits_avoiding(cfg, pos, |n| {
        if n.id() == def.id() {
            // Back at the definition: a loop replaces the cancel function before it was used.
            looped.set(Some(n));
            return true;
        }
        scopes.reads_within(binding, Span::of(n)) || (named_result && is_naked_return(n))
    });
    let looped = looped.get();
    if exits.is_empty() && looped.is_none() {
        return;
    }
    let name = scopes.binding(binding).name.clone();
    let mut report = sink.report(
        Span::of(call),
        format!("the cancel function {name} is not called on every path, so the context returned by {ctor} can outlive this function"),
    );
    for exit in exits.iter().take(MAX_EXIT_LABELS) {
        let msg = match exit {
            Exit::Implicit(_) => format!("the function ends here without calling `{name}`"),
            _ => format!("this return skips `{name}`"),
        };
        report = report.label(exit.span(), msg);
    }
    if exits.len() > MAX_EXIT_LABELS {
        let more = exits.len() - MAX_EXIT_LABELS;
        report = report.label(
            exits[MAX_EXIT_LABELS].span(),
            format!("and {more} more exit(s) that skip `{name}`"),
        );
    }
    if looped.is_some() {
        if let Some(l) = enclosing_loop(stmt) {
            let head = Span::new(l.start_byte(), l.start_byte() + 3);
            report = report.label(
                head,
                format!("the next iteration replaces `{name}` before it is called"),
            );
        }
    }
    report = report.help(format!(
        "call `defer {name}()` right after the context is created, or call `{name}()` before every return"
    ));
    if stmt.kind() == kinds::SHORT_VAR_DECLARATION && !named_result && looped.is_none() {
        let safe = fix_is_safe(f, stmt, Some(binding));
        report.fix(
            format!("add `defer {name}()`"),
            safe,
            vec![defer_edit(f, stmt, &name)],
        );
    }
}

fn is_naked_return(n: Node<'_>) -> bool {
    n.kind() == kinds::RETURN_STATEMENT && syntax::named_children(n).next().is_none()
}

/// Inserts `defer name()` on the line after `stmt`, at its indentation.
fn defer_edit(f: &FunctionContext<'_, '_>, stmt: Node<'_>, name: &str) -> (Span, String) {
    let indent = f.file.source.indent_at(stmt.start_byte()).to_string();
    let end = stmt.end_byte();
    (Span::new(end, end), format!("\n{indent}defer {name}()"))
}

/// `defer cancel()` changes nothing but the leak when the statement runs once
/// per call (not in a loop), sits directly in a block, every use of the
/// cancel function is a plain call here, and the context does not outlive the
/// function (not returned, not captured by a goroutine or closure).
fn fix_is_safe(f: &FunctionContext<'_, '_>, stmt: Node<'_>, cancel: Option<BindingId>) -> bool {
    let in_block = stmt
        .parent()
        .is_some_and(|p| p.kind() == kinds::STATEMENT_LIST);
    if !in_block || syntax::in_loop(stmt) {
        return false;
    }
    let scopes = &*f.scopes;
    let outlives = |b: BindingId| {
        scopes.references(b).iter().filter(|r| !r.write).any(|r| {
            let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
                return true;
            };
            escapes_function(ident, f.node)
        })
    };
    if let Some(c) = cancel {
        let plain_calls = scopes.references(c).iter().filter(|r| !r.write).all(|r| {
            f.body
                .descendant_for_byte_range(r.span.start, r.span.end)
                .and_then(|id| id.parent())
                .is_some_and(|p| {
                    p.kind() == kinds::CALL_EXPRESSION
                        && syntax::enclosing_function(p).is_some_and(|fun| fun.id() == f.node.id())
                })
        });
        if !plain_calls {
            return false;
        }
    }
    let ctx = syntax::left_side(stmt)
        .first()
        .and_then(|n| scopes.binding_of(*n));
    !ctx.is_some_and(outlives)
}

/// Whether an identifier's value may outlive `func`: returned, or used inside a nested function.
fn escapes_function(ident: Node<'_>, func: Node<'_>) -> bool {
    let mut cur = ident.parent();
    while let Some(n) = cur {
        if n.id() == func.id() {
            return false;
        }
        if matches!(
            n.kind(),
            kinds::RETURN_STATEMENT | kinds::FUNC_LITERAL | kinds::GO_STATEMENT
        ) {
            return true;
        }
        cur = n.parent();
    }
    false
}
