//! `stuck-goroutine`: a goroutine that can never finish.
//!
//! ## What it does
//! Looks at the goroutines a function starts (func literals, and functions or
//! methods of the same package declared in the same file) and reports where
//! they block for good:
//! - `for v := range ch` over a channel the function made, that nothing closes
//!   and that does not leave the function (a channel stored only in an
//!   unexported field counts as closed when the package closes that field of
//!   that type anywhere);
//! - `for { … }` that receives, with no `return`, `break`, `goto` or
//!   never-returning call that leaves it, and no receive from a context's
//!   `Done()` or a done/quit/stop channel;
//! - `<-ch` on a channel the function made that nothing sends on or closes.
//!
//! Goroutines started from `main`, `init` or `TestMain` (or a package-level
//! initialiser) run for the life of the process by design: never reported.
//!
//! ## Why is this bad?
//! A goroutine that never returns keeps its stack and everything it captured.
//! Started per request, per object or per test, it leaks on every call.
//!
//! ## Example
//! ```go
//! jobs := make(chan string)
//! go func() {
//!     for j := range jobs { // never ends: nobody closes jobs
//!         save(j)
//!     }
//! }()
//! ```
//!
//! Use instead: `defer close(jobs)` in the function that sends.

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::channels::{
    channel_in_goroutine, goroutine_of, has_receive, local_channels, loop_has_early_exit,
    may_start_goroutines, select_of_comm, uses_in, Goroutine, LocalChannel, Place, UseKind,
};
use crate::flow::summary::{FieldCloses, GoStarts, PackageSummary};
use crate::index::param_idents;
use crate::source::Span;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

/// The `stuck-goroutine` rule.
pub struct StuckGoroutine;

static META: RuleMeta = RuleMeta {
    name: "stuck-goroutine",
    family: Family::Goroutine,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/stuck-goroutine.md"),
};

/// Receive operands named like these end a loop by design.
const CANCEL_NAMES: &[&str] = &[
    "done", "quit", "stop", "clos", "shutdown", "exit", "cancel", "die", "kill", "term", "finish",
    "abort", "ctx",
];

impl Rule for StuckGoroutine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        let src = file.src();
        ((src.contains("<-") || src.contains("range")) && may_start_goroutines(src))
            || file
                .package
                .fact::<GoStarts>()
                .declares_started(file.file_index)
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let declaration = matches!(
            f.node.kind(),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
        );
        if declaration
            && f.file
                .package
                .fact::<GoStarts>()
                .declares_started(f.file.file_index)
        {
            // Started from another file: judged here, where its findings belong.
            f.owners_elsewhere(|owner, go| {
                if process_lifetime(owner) {
                    return;
                }
                let g = goroutine_of(owner, go);
                check_loops(f, sink);
                for ch in &local_channels(owner) {
                    check_channel(owner, f, g, go, ch, sink);
                }
            });
        }
        if f.facts().go_stmts.is_empty() || process_lifetime(f) {
            return;
        }
        let chans = local_channels(f);
        for &go in &f.facts().go_stmts {
            let g = goroutine_of(f, go);
            if let Some(gcx) = f.goroutine(g) {
                check_loops(&gcx, sink);
                for ch in &chans {
                    check_channel(f, &gcx, g, go, ch, sink);
                }
            }
        }
    }
}

/// Whether goroutines started from `f` live as long as the process by design:
/// `main`, `init`, `TestMain`, a `once.Do` literal, a variable initialiser.
pub(super) fn process_lifetime(f: &FunctionContext<'_, '_>) -> bool {
    // One walk down from the file, not `parent()` up: linear in nesting depth.
    let chain = syntax::ancestors(f.file.root, f.node);
    let Some(&top) = chain.get(1) else {
        return false;
    };
    for (i, n) in chain.iter().enumerate().skip(2) {
        if n.kind() == kinds::FUNC_LITERAL && is_once_do_argument(f, chain[i - 1], chain[i - 2]) {
            return true;
        }
    }
    match top.kind() {
        kinds::FUNCTION_DECLARATION => {
            let name = top
                .child_by_field_name("name")
                .map(|n| f.text(n))
                .unwrap_or("");
            match name {
                "main" => f.file.package.index.name == "main",
                "init" => true,
                "TestMain" => f.file.source.display.ends_with("_test.go"),
                _ => false,
            }
        }
        kinds::METHOD_DECLARATION => false,
        // Package-level variable initialisers run once.
        _ => true,
    }
}

/// `once.Do(func() { … })`: the literal (whose parent and grandparent are
/// given) runs once per process.
fn is_once_do_argument(
    f: &FunctionContext<'_, '_>,
    parent: Node<'_>,
    grandparent: Node<'_>,
) -> bool {
    Some(grandparent)
        .filter(|_| parent.kind() == kinds::ARGUMENT_LIST)
        .and_then(|c| c.child_by_field_name("function"))
        .and_then(|f| f.child_by_field_name("field"))
        .is_some_and(|name| f.text(name) == "Do")
}

/// Endless loops in the goroutine body with no way out.
fn check_loops(gcx: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
    for &lp in &gcx.facts().loops {
        let endless = syntax::named_children(lp).all(|c| c.kind() == kinds::BLOCK);
        if !endless {
            continue;
        }
        let Some(body) = lp.child_by_field_name("body") else {
            continue;
        };
        if !has_receive(body) || loop_has_early_exit(gcx.src(), lp) {
            continue;
        }
        let at = Span::new(lp.start_byte(), lp.start_byte() + 3);
        if loop_can_end(gcx, body) || sink.reported_at(at) {
            continue;
        }
        sink.report(
            at,
            "goroutine never ends: this loop has no exit and no cancellation case",
        )
        .help("add a case on `<-ctx.Done()` (or a done channel that someone closes) that returns");
    }
}

/// Whether something in the loop body may end the goroutine or stop it from
/// blocking: a cancellation receive, a `default` case, a call that never returns.
fn loop_can_end<'a>(gcx: &FunctionContext<'_, 'a>, body: Node<'a>) -> bool {
    let mut found = false;
    let src = gcx.src();
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        match n.kind() {
            kinds::DEFAULT_CASE => {
                found = n
                    .parent()
                    .is_some_and(|p| p.kind() == kinds::SELECT_STATEMENT)
            }
            kinds::CALL_EXPRESSION => {
                use crate::flow::cfg::NoReturn;
                found = gcx.never_returns(n);
            }
            kinds::UNARY_EXPRESSION
                if n.child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "<-") =>
            {
                if let Some(op) = n.child_by_field_name("operand") {
                    found = is_cancellation(op, src) || serves_process(gcx, op);
                }
            }
            _ => {}
        }
        !found
    });
    found
}

/// Whether a receive operand is a process-wide source: a package-level
/// channel (a worker for the whole package), or a channel registered with
/// `signal.Notify` (a signal handler).
fn serves_process(gcx: &FunctionContext<'_, '_>, op: Node<'_>) -> bool {
    let op = syntax::unparen(op);
    if op.kind() != kinds::IDENTIFIER {
        return false;
    }
    let name = gcx.text(op);
    if gcx.scopes.is_free(op) && gcx.file.package.index.vars.contains_key(name) {
        return true;
    }
    let mut top = gcx.node;
    while let Some(p) = top.parent() {
        if p.kind() == kinds::SOURCE_FILE {
            break;
        }
        top = p;
    }
    let mut found = false;
    syntax::walk(top, |n| {
        if found {
            return false;
        }
        if n.kind() == kinds::CALL_EXPRESSION {
            let notify = n
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("field"))
                .is_some_and(|f| gcx.text(f) == "Notify");
            let first = n
                .child_by_field_name("arguments")
                .and_then(|a| syntax::named_children(a).next());
            found = notify && first.is_some_and(|a| gcx.text(a) == name);
        }
        !found
    });
    found
}

/// `x.Done()`, or a channel whose name says it ends something.
fn is_cancellation(op: Node<'_>, src: &str) -> bool {
    let op = syntax::unparen(op);
    let name = match op.kind() {
        kinds::CALL_EXPRESSION => {
            let Some(func) = op.child_by_field_name("function") else {
                return true;
            };
            let name = func
                .child_by_field_name("field")
                .map_or_else(|| syntax::text(func, src), |f| syntax::text(f, src));
            if name == "Done" {
                return true;
            }
            name
        }
        kinds::SELECTOR_EXPRESSION => op
            .child_by_field_name("field")
            .map(|f| syntax::text(f, src))
            .unwrap_or(""),
        kinds::IDENTIFIER => syntax::text(op, src),
        _ => return true,
    };
    let lower = name.to_ascii_lowercase();
    CANCEL_NAMES.iter().any(|c| lower.contains(c))
}

/// Range and receive forms on a channel `f` made and gave to this goroutine.
fn check_channel<'a>(
    f: &FunctionContext<'_, 'a>,
    gcx: &FunctionContext<'_, 'a>,
    g: Goroutine<'a>,
    go: Node<'a>,
    ch: &LocalChannel<'a>,
    sink: &mut Sink<'_>,
) {
    let Some(b) = channel_in_goroutine(gcx, g, go, ch) else {
        return;
    };
    let inner = uses_in(gcx, b);
    let ranges: Vec<Node<'a>> = inner
        .iter()
        .filter(|u| u.kind == UseKind::Range && u.place == Place::Owner)
        .map(|u| u.node)
        .collect();
    let receives: Vec<Node<'a>> = inner
        .iter()
        .filter(|u| u.kind == UseKind::Receive && u.place == Place::Owner)
        .filter(|u| select_of_comm(u.node).is_none())
        .map(|u| u.node)
        .collect();
    if ranges.is_empty() && receives.is_empty() {
        return;
    }
    let fate = fate_of(f, ch, go, &inner);
    if fate.closed || fate.escapes {
        return;
    }
    for lp in &ranges {
        if sink.reported_at(Span::new(lp.start_byte(), lp.start_byte() + 3)) {
            continue;
        }
        let what = syntax::named_children(*lp)
            .find(|c| c.kind() == kinds::RANGE_CLAUSE)
            .and_then(|r| r.child_by_field_name("right"))
            .map(|r| gcx.text(r))
            .unwrap_or(&ch.name);
        sink.report(
            Span::new(lp.start_byte(), lp.start_byte() + 3),
            format!("goroutine never ends: {what} is never closed, so this range blocks forever"),
        )
        .label_in(
            f.file.source,
            Span::of(ch.make),
            "the channel is made here and never closed",
        )
        .help(format!(
            "close `{}` once the last value is sent (`defer close({})` in the function that sends)",
            ch.name, ch.name
        ));
    }
    if fate.sent || fate.in_field {
        return;
    }
    for recv in &receives {
        if sink.reported_at(Span::of(*recv)) {
            continue;
        }
        let what = recv
            .child_by_field_name("operand")
            .map(|o| gcx.text(o))
            .unwrap_or(&ch.name);
        sink.report(
            Span::of(*recv),
            format!(
                "goroutine blocks forever receiving from {what}: nothing sends on it or closes it"
            ),
        )
        .label_in(f.file.source, Span::of(ch.make), "the channel is made here")
        .help(format!(
            "send on `{}` or close it on every path, or drop the goroutine",
            ch.name
        ));
    }
}

#[derive(Default)]
struct Fate {
    in_field: bool,
    sent: bool,
    closed: bool,
    escapes: bool,
}

/// Whether anything may send on, close or take away `ch`: the function,
/// its closures and goroutines, or the goroutine itself.
fn fate_of<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    go: Node<'a>,
    inner: &[crate::flow::channels::ChanUse<'a>],
) -> Fate {
    let mut fate = Fate::default();
    let note = |k: UseKind<'_>, fate: &mut Fate| match k {
        UseKind::Send => fate.sent = true,
        UseKind::Close => fate.closed = true,
        UseKind::Escape => fate.escapes = true,
        _ => {}
    };
    for u in inner {
        note(u.kind, &mut fate);
        if matches!(u.kind, UseKind::GoArg { .. }) {
            fate.escapes = true;
        }
    }
    let mut fields = Vec::new();
    for u in &ch.uses {
        match u.kind {
            UseKind::GoArg { go_stmt, index } if go_stmt.id() != go.id() => {
                match passed_to(f, go_stmt, index) {
                    Some(p) => {
                        fate.sent |= p.sends;
                        fate.closed |= p.closes;
                        fate.escapes |= p.escapes;
                    }
                    None => fate.escapes = true,
                }
            }
            UseKind::Escape => match unexported_field(f, u.ident) {
                Some(field) => fields.push(field),
                None => fate.escapes = true,
            },
            k => note(k, &mut fate),
        }
    }
    if !fields.is_empty() {
        fate.in_field = true;
        if !fate.closed && !fate.escapes {
            let closes = f.file.package.fact::<FieldCloses>();
            fate.closed = fields.iter().any(|(t, n)| closes.may_close(t, n));
        }
    }
    fate
}

/// What the goroutine started by `go_stmt` does with its argument `index`.
fn passed_to<'a>(
    f: &FunctionContext<'_, 'a>,
    go_stmt: Node<'a>,
    index: usize,
) -> Option<crate::flow::summary::ParamUse> {
    match goroutine_of(f, go_stmt) {
        Goroutine::Named { key, .. } => f
            .file
            .package
            .fact::<PackageSummary>()
            .param(&key.owned(), index),
        Goroutine::Literal { func, .. } => {
            let ident = param_idents(func).get(index).copied().flatten()?;
            let b = f.scopes.declared(ident)?;
            let mut u = crate::flow::summary::ParamUse::default();
            for r in f.scopes.references(b).iter().filter(|r| !r.write) {
                let id = func.descendant_for_byte_range(r.span.start, r.span.end)?;
                match crate::flow::channels::classify(id, &f.scopes, f.src()).0 {
                    UseKind::Send => u.sends = true,
                    UseKind::Receive => u.receives = true,
                    UseKind::Range => u.ranges = true,
                    UseKind::Close => u.closes = true,
                    UseKind::Neutral => {}
                    _ => u.escapes = true,
                }
            }
            Some(u)
        }
        Goroutine::Unknown => None,
    }
}

/// `T{field: ch}` or `&T{field: ch}` where `T` is a struct type of the package
/// and `field` is unexported: the type and field.
fn unexported_field(f: &FunctionContext<'_, '_>, ident: Node<'_>) -> Option<(String, String)> {
    let value = ident.parent().filter(|p| p.kind() == "literal_element")?;
    let keyed = value.parent().filter(|p| p.kind() == "keyed_element")?;
    if keyed
        .child_by_field_name("value")
        .is_none_or(|v| v.id() != value.id())
    {
        return None;
    }
    let key = f.text(keyed.child_by_field_name("key")?);
    if !key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let lit = keyed.parent()?.parent()?;
    if lit.kind() != kinds::COMPOSITE_LITERAL {
        return None;
    }
    let ty = f.text(lit.child_by_field_name("type")?);
    if !f.file.package.index.types.contains(ty) {
        return None;
    }
    Some((ty.to_string(), key.to_string()))
}
