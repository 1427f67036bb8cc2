//! `lost-cancel`: the cancel function of a derived context is discarded or
//! not called on some path to a return.
//!
//! ## What it does
//! Finds `context.WithCancel`, `WithTimeout`, `WithDeadline`, their `…Cause`
//! forms, the same constructors of `golang.org/x/net/context` and
//! `signal.NotifyContext` (any call the catalogue lists under `[[cancel]]`)
//! whose cancel function is assigned to `_`, or which can reach a return of
//! the function without the cancel variable being used. Any use counts, as
//! in `go vet`: a call, a `defer`, a closure that captures it, returning it,
//! storing it, passing it on. It also reports a cancel variable that a loop
//! or a later assignment overwrites before calling it. `main.main` is not
//! checked for paths: returning from it ends the process.
//!
//! The paths come from the release-obligation analysis
//! ([`crate::flow::obligation`]); this file holds the wording and the advice.
//!
//! ## Why is this bad?
//! A derived context stays registered with its parent, and a timeout keeps
//! its timer, until the parent is cancelled (or the deadline passes). Under a
//! long-lived parent (a server's base context) every request leaks one.
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
//! When the context leaves the function (returned, stored, given to a
//! goroutine), the cancel function must go with it, and no `defer` is offered.

use super::{Family, Precision, Rule, RuleMeta};
use crate::catalog::CANCEL_GROUP;
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::cfg::Exit;
use crate::flow::obligation::{self, Holder, Leak, Obligation, Verdict};
use crate::flow::scopes::{BindingId, BindingKind};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

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

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.package
            .catalog
            .cancel_packages()
            .any(|p| file.imports(p))
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let obligations = f.obligations();
        if !obligations.iter().any(|o| o.entry.group == CANCEL_GROUP) {
            return;
        }
        // Returning from main.main ends the process: no path of it leaks (as in go vet,
        // which still reports a cancel function dropped with `_` there).
        let main = is_main_main(f);
        for ob in obligations.iter().filter(|o| o.entry.group == CANCEL_GROUP) {
            match (&ob.verdict, ob.holder) {
                (Verdict::Discarded, Holder::Blank(blank)) => report_discarded(f, sink, ob, blank),
                (Verdict::Leaks(leak), Holder::Local { binding, .. })
                    if !main && leak.skips_return() && !harmless_overwrite(f, ob, leak) =>
                {
                    report_leak(f, sink, ob, binding, leak)
                }
                _ => {}
            }
        }
    }
}

/// `func main()` of package `main`.
fn is_main_main(f: &FunctionContext<'_, '_>) -> bool {
    f.node.kind() == kinds::FUNCTION_DECLARATION
        && f.file.package.index.name == "main"
        && f.node
            .child_by_field_name("name")
            .is_some_and(|n| f.text(n) == "main")
}

/// A cancel function replaced by a later assignment (not by a loop), with no
/// exit that skips it, whose context derives from `context.Background()` or
/// `context.TODO()`: nothing registers such a context anywhere, so losing it
/// leaks at most a timer until its deadline. `go vet` counts the assignment
/// as a use; the common shape is a default overridden under a flag
/// (`ctx, cancel := context.WithCancel(context.Background()); if t > 0 {
/// ctx, cancel = context.WithTimeout(…) }; defer cancel()`).
fn harmless_overwrite<'a>(
    f: &FunctionContext<'_, 'a>,
    ob: &Obligation<'a>,
    leak: &Leak<'a>,
) -> bool {
    let replaced = leak.exits.is_empty() && leak.overwritten.is_some_and(|o| o.in_loop.is_none());
    if !replaced {
        return false;
    }
    let parent = ob
        .call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next())
        .map(syntax::unparen);
    parent.is_some_and(|p| {
        p.kind() == kinds::CALL_EXPRESSION
            && f.is_package_func(f.callee(p), |path, name| {
                matches!(path, "context" | "golang.org/x/net/context")
                    && matches!(name, "Background" | "TODO")
            })
    })
}

/// `context.WithTimeout`, as the constructor reads in messages.
fn constructor(f: &FunctionContext<'_, '_>, ob: &Obligation<'_>) -> String {
    let catalog = f.file.package.catalog;
    format!(
        "{}.{}",
        catalog.package_name(&ob.entry.package),
        ob.entry.name
    )
}

/// What ends a context made by `ob` when nobody cancels it.
fn lifetime(ob: &Obligation<'_>) -> &'static str {
    let name = ob.entry.name.as_str();
    if name.starts_with("WithTimeout") || name.starts_with("WithDeadline") {
        "the deadline or its parent is cancelled"
    } else {
        "its parent is cancelled"
    }
}

fn report_discarded<'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &mut Sink<'_>,
    ob: &Obligation<'a>,
    blank: Node<'a>,
) {
    let ctor = constructor(f, ob);
    let report = sink
        .report(
            ob.span(),
            format!(
                "the cancel function returned by {ctor} is discarded, so the context lives until {}",
                lifetime(ob)
            ),
        )
        .label(Span::of(blank), "the cancel function is dropped here");
    let Some(stmt) = ob.stmt else {
        return;
    };
    let fate = context_fate(f, stmt);
    if let Some(escape) = fate.escape() {
        // `defer cancel()` would cancel the context before its user gets it.
        report.help(escape.advice("cancel"));
        return;
    }
    let report = report.help("keep the cancel function and `defer cancel()` right after this line");
    // Naming it `cancel` is only safe where no `cancel` exists to be shadowed or reused.
    if stmt.kind() == kinds::SHORT_VAR_DECLARATION && !f.scopes().declares_name("cancel") {
        let safe = runs_once_in_block(f, stmt) && fate == ContextFate::Local;
        let edits = vec![
            (Span::of(blank), "cancel".to_string()),
            defer_edit(f, stmt, "cancel"),
        ];
        report.fix(
            "name the cancel function and add `defer cancel()`",
            safe,
            edits,
        );
    }
}

fn report_leak<'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &mut Sink<'_>,
    ob: &Obligation<'a>,
    binding: BindingId,
    leak: &Leak<'a>,
) {
    let ctor = constructor(f, ob);
    let name = f.scopes().binding(binding).name.clone();
    let mut report = sink.report(
        ob.span(),
        format!("the cancel function {name} is not called on every path, so the context returned by {ctor} can outlive this function"),
    );
    let exits = &leak.exits;
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
    if let Some(over) = leak.overwritten {
        match over.in_loop {
            // The core marks the loop only when it comes back to the acquisition.
            Some(l) => {
                let head = Span::new(l.start_byte(), l.start_byte() + 3);
                report = report.label(
                    head,
                    format!("the next iteration replaces `{name}` before it is called"),
                );
            }
            None => {
                report = report.label(
                    Span::of(over.at),
                    format!("`{name}` is overwritten here before it is called"),
                );
            }
        }
    }
    let Some(stmt) = ob.stmt else {
        return;
    };
    let fate = context_fate(f, stmt);
    if let Some(escape @ (Escape::Returned | Escape::Stored)) = fate.escape() {
        // The context outlives the function on purpose: its cancel must go with it.
        report.help(escape.advice(&name));
        return;
    }
    report = report.help(format!(
        "call `defer {name}()` right after the context is created, or call `{name}()` before every return"
    ));
    let named_result = f.scopes().binding(binding).kind == BindingKind::Result;
    if stmt.kind() != kinds::SHORT_VAR_DECLARATION || named_result || leak.overwritten.is_some() {
        return;
    }
    let Some(site) = obligation::defer_site(f, ob) else {
        return;
    };
    let safe = site.safe
        && runs_once_in_block(f, stmt)
        && only_called_here(f, binding)
        && fate == ContextFate::Local;
    report.fix(
        format!("add `defer {name}()`"),
        safe,
        vec![defer_edit(f, site.after, &name)],
    );
}

/// Inserts `defer name()` on the line after `stmt`, at its indentation.
fn defer_edit(f: &FunctionContext<'_, '_>, stmt: Node<'_>, name: &str) -> (Span, String) {
    let indent = f.file.source.indent_at(stmt.start_byte()).to_string();
    let end = stmt.end_byte();
    (Span::new(end, end), format!("\n{indent}defer {name}()"))
}

/// The statement sits directly in a block and not in a loop of its function,
/// so a `defer` after it runs once per call.
fn runs_once_in_block<'a>(f: &FunctionContext<'_, 'a>, stmt: Node<'a>) -> bool {
    let chain = syntax::ancestors(f.body, stmt);
    let in_block = chain.len() >= 2 && chain[chain.len() - 2].kind() == kinds::STATEMENT_LIST;
    in_block && !chain.iter().any(|n| n.kind() == kinds::FOR_STATEMENT)
}

/// Every read of `cancel` is a plain call in this function's own body (not
/// a deferred closure, not passed on): `defer cancel()` changes nothing else.
fn only_called_here(f: &FunctionContext<'_, '_>, cancel: BindingId) -> bool {
    f.scopes()
        .references(cancel)
        .iter()
        .filter(|r| !r.write)
        .all(|r| {
            let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
                return false;
            };
            let chain = syntax::ancestors(f.node, ident);
            let called = chain.len() >= 2 && {
                let p = chain[chain.len() - 2];
                p.kind() == kinds::CALL_EXPRESSION
                    && p.child_by_field_name("function")
                        .is_some_and(|c| c.id() == ident.id())
            };
            called && !chain[1..].iter().any(|n| n.kind() == kinds::FUNC_LITERAL)
        })
}

/// How the context of a cancel constructor leaves the function, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Returned to the caller (also inside a struct or a derived context).
    Returned,
    /// Stored in a field, map, slice, package variable or sent on a channel.
    Stored,
    /// Given to a goroutine (an argument of `go f(ctx)`, or captured by `go func(){…}()`).
    Goroutine,
}

impl Escape {
    /// The advice for a context that escapes this way while its cancel
    /// function (named `name`) is lost.
    fn advice(self, name: &str) -> String {
        match self {
            Escape::Returned => format!(
                "the context is returned: return `{name}` with it so that the caller can cancel it; `defer {name}()` here would return a cancelled context"
            ),
            Escape::Stored => format!(
                "the context is stored: store `{name}` beside it and call it when the context is no longer needed; `defer {name}()` here would cancel it too early"
            ),
            Escape::Goroutine => format!(
                "the context is given to a goroutine: pass `{name}` along and call it when the goroutine is done (for example `defer {name}()` inside it)"
            ),
        }
    }
}

/// What the function does with the context a cancel constructor returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContextFate {
    /// Only used here.
    Local,
    /// Used inside a func literal that may outlive the statement: a
    /// `defer cancel()` may end it early, so a fix is only a suggestion.
    Captured,
    /// It leaves the function.
    Escapes(Escape),
}

impl ContextFate {
    fn escape(self) -> Option<Escape> {
        match self {
            ContextFate::Escapes(e) => Some(e),
            _ => None,
        }
    }

    /// The stronger of two fates: an escape over a capture over a local use;
    /// between escapes, returning over storing over a goroutine.
    fn join(self, other: ContextFate) -> ContextFate {
        fn rank(f: ContextFate) -> u8 {
            match f {
                ContextFate::Local => 0,
                ContextFate::Captured => 1,
                ContextFate::Escapes(Escape::Goroutine) => 2,
                ContextFate::Escapes(Escape::Stored) => 3,
                ContextFate::Escapes(Escape::Returned) => 4,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// What happens to the context (the first result) assigned by `stmt`.
fn context_fate<'a>(f: &FunctionContext<'_, 'a>, stmt: Node<'a>) -> ContextFate {
    let Some(ctx) = syntax::left_side(stmt).first().map(|n| syntax::unparen(*n)) else {
        return ContextFate::Local;
    };
    if ctx.kind() != kinds::IDENTIFIER {
        // `w.ctx, _ = context.WithCancel(p)`, `m[k], _ = …`.
        return ContextFate::Escapes(Escape::Stored);
    }
    if f.text(ctx) == "_" {
        return ContextFate::Local;
    }
    let Some(b) = f.scopes().binding_of(ctx) else {
        // A package variable.
        return ContextFate::Escapes(Escape::Stored);
    };
    if f.scopes().binding(b).func != f.span() {
        // A variable of an enclosing function, assigned inside a literal.
        return ContextFate::Escapes(Escape::Stored);
    }
    let named_result = f.scopes().binding(b).kind == BindingKind::Result;
    let mut fate = ContextFate::Local;
    for r in f.scopes().references(b).iter().filter(|r| !r.write) {
        let Some(ident) = f.node.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        fate = fate.join(read_fate(f, ident));
    }
    if named_result && f.facts().returns.iter().any(|r| is_naked_return(*r)) {
        fate = fate.join(ContextFate::Escapes(Escape::Returned));
    }
    fate
}

fn is_naked_return(n: Node<'_>) -> bool {
    n.kind() == kinds::RETURN_STATEMENT && syntax::named_children(n).next().is_none()
}

/// What one read `ident` of the context does with it: follows the value up
/// through aggregates (`&job{ctx: ctx}`, `append(xs, ctx)`, `context.WithValue(ctx, …)`)
/// to a return, a store, a send or a `go` statement; a read inside a func
/// literal is a capture, or a goroutine's when `go` starts the literal.
fn read_fate<'a>(f: &FunctionContext<'_, 'a>, ident: Node<'a>) -> ContextFate {
    let chain = syntax::ancestors(f.node, ident);
    if chain.len() < 2 {
        return ContextFate::Local;
    }
    // The outermost func literal below the function, and whether `go` starts it.
    let captured = chain[1..]
        .iter()
        .position(|n| n.kind() == kinds::FUNC_LITERAL)
        .map(|i| {
            let at = i + 1;
            let started_by_go = at >= 2
                && chain[at - 1].kind() == kinds::CALL_EXPRESSION
                && chain[at - 2].kind() == kinds::GO_STATEMENT;
            if started_by_go {
                ContextFate::Escapes(Escape::Goroutine)
            } else {
                ContextFate::Captured
            }
        })
        .unwrap_or(ContextFate::Local);
    if captured != ContextFate::Local {
        // What the literal does with it is the literal's business: it
        // may run after this function returns.
        return captured;
    }
    let mut child = ident;
    for &p in chain.iter().rev().skip(1) {
        let flows = match p.kind() {
            kinds::PARENTHESIZED_EXPRESSION
            | kinds::COMPOSITE_LITERAL
            | kinds::LITERAL_VALUE
            | kinds::LITERAL_ELEMENT
            | kinds::EXPRESSION_LIST => true,
            kinds::KEYED_ELEMENT => !is_field(p, "key", child),
            kinds::UNARY_EXPRESSION => p
                .child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "&"),
            kinds::ARGUMENT_LIST => true,
            kinds::CALL_EXPRESSION => {
                if is_field(p, "function", child) {
                    false
                } else if chain_parent(&chain, p).is_some_and(|s| s.kind() == kinds::GO_STATEMENT) {
                    return ContextFate::Escapes(Escape::Goroutine);
                } else {
                    derives(f, p)
                }
            }
            kinds::RETURN_STATEMENT => return ContextFate::Escapes(Escape::Returned),
            kinds::SEND_STATEMENT => {
                return if is_field(p, "value", child) {
                    ContextFate::Escapes(Escape::Stored)
                } else {
                    ContextFate::Local
                };
            }
            kinds::ASSIGNMENT_STATEMENT | kinds::SHORT_VAR_DECLARATION | kinds::VAR_SPEC => {
                let stored = !is_field(p, "left", child)
                    && syntax::left_side(p).iter().any(|l| stores(f, *l));
                return if stored {
                    ContextFate::Escapes(Escape::Stored)
                } else {
                    ContextFate::Local
                };
            }
            _ => false,
        };
        if !flows {
            break;
        }
        child = p;
    }
    ContextFate::Local
}

/// The node above `n` in `chain`.
fn chain_parent<'t>(chain: &[Node<'t>], n: Node<'t>) -> Option<Node<'t>> {
    let i = chain.iter().position(|c| c.id() == n.id())?;
    i.checked_sub(1).map(|j| chain[j])
}

fn is_field(parent: Node<'_>, field: &str, child: Node<'_>) -> bool {
    parent
        .child_by_field_name(field)
        .is_some_and(|c| c.id() == child.id())
}

/// Whether a call's result carries its context argument on: `append`, and
/// the context package's own derivations (`context.WithValue(ctx, …)`).
fn derives<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> bool {
    let callee = f.callee(call);
    if matches!(callee, crate::flow::function::Callee::Builtin("append")) {
        return true;
    }
    f.is_package_func(callee, |path, _| {
        matches!(path, "context" | "golang.org/x/net/context")
    })
}

/// Whether assigning to `lhs` stores the value beyond this function: a
/// field, an element, a package variable or an enclosing function's variable.
fn stores<'a>(f: &FunctionContext<'_, 'a>, lhs: Node<'a>) -> bool {
    let lhs = syntax::unparen(lhs);
    match lhs.kind() {
        kinds::IDENTIFIER => match f.scopes().binding_of(lhs) {
            Some(b) => f.scopes().binding(b).func != f.span(),
            None => f.text(lhs) != "_",
        },
        kinds::BLANK_IDENTIFIER => false,
        _ => true,
    }
}
