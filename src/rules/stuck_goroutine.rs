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
//! - `<-ch` on a channel the function made that nothing sends on or closes;
//! - either of those when the function closes (or sends on) the channel only
//!   on some paths: a `return` or `t.Fatal` after the `go` statement leaves
//!   without it;
//! - `for range t.C` over a ticker made with `time.NewTicker`: `Stop` does
//!   not close `C`;
//! - a `case <-ctx.Done(): break` in an endless `for { select … }`, which
//!   leaves only the select.
//!
//! Goroutines that run for the life of the process by design (started from
//! `main`, `init`, `TestMain`, `once.Do` or a package-level initialiser, or
//! whose loop says it runs forever) get their endless loops reported as
//! notes that say why, and their channels not at all. Worker pools whose
//! workers end on the pool's `Close` or on a sentinel its `Stop` sends are
//! not leaks. Closes in a callback a helper runs before it returns count at
//! the helper's call.
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
use crate::flow::cfg::{BlockId, Exit};
use crate::flow::channels::{
    channel_in_goroutine, goroutine_of, has_receive, local_channels, loop_has_early_exit,
    loop_label, may_start_goroutines, receive_paths, uses_in, ChanUse, Count, Goroutine,
    LocalChannel, PathEnd, Place, UseKind, Walk,
};
use crate::flow::summary::{FieldCloses, GoStarts, PackageSummary};
use crate::index::param_idents;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

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

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.fact::<crate::flow::summary::GoStarts>();
        pkg.fact::<crate::flow::summary::PackageSummary>();
        pkg.fact::<crate::flow::summary::FieldCloses>();
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
                let lifetime = lifetime_by_design(owner);
                check_loops(owner, go, f, lifetime, sink);
                if lifetime.is_some() {
                    return;
                }
                let g = goroutine_of(owner, go);
                for ch in &local_channels(owner) {
                    check_channel(owner, f, g, go, ch, sink);
                }
            });
        }
        if f.facts().go_stmts.is_empty() {
            return;
        }
        let lifetime = lifetime_by_design(f);
        let chans = match lifetime {
            // A channel such a goroutine waits on dies with the process.
            Some(_) => Vec::new(),
            None => local_channels(f),
        };
        for &go in &f.facts().go_stmts {
            let g = goroutine_of(f, go);
            if let Some(gcx) = f.goroutine(g) {
                check_loops(f, go, &gcx, lifetime, sink);
                for ch in &chans {
                    check_channel(f, &gcx, g, go, ch, sink);
                }
            }
        }
    }
}

/// Why a goroutine runs for the life of the process by design: where it is
/// started from, or what its loop says of itself. Its endless loop is then
/// reported as a note only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByDesign {
    /// Started from `main`.
    Main,
    /// Started from `init`.
    Init,
    /// Started from `TestMain`, for the life of the test binary.
    TestMain,
    /// Started inside `once.Do`.
    Once,
    /// Started by a package-level variable's initialiser.
    PackageVar,
    /// The loop, its label, the goroutine's function or a comment on them
    /// says it runs forever.
    Forever,
}

impl ByDesign {
    /// Why the report is only a note.
    fn reason(self) -> &'static str {
        match self {
            ByDesign::Main => "started from `main`, it runs for the life of the process by design",
            ByDesign::Init => "started from `init`, it runs for the life of the process by design",
            ByDesign::TestMain => {
                "started from `TestMain`, it runs for the life of the test binary by design"
            }
            ByDesign::Once => {
                "started inside `once.Do`, it runs once for the life of the process by design"
            }
            ByDesign::PackageVar => {
                "started by a package-level initialiser, it runs once for the life of the process by design"
            }
            ByDesign::Forever => "the code says this loop runs forever, so it is taken to be by design",
        }
    }
}

/// Whether goroutines started from `f` live as long as the process by design:
/// `main`, `init`, `TestMain`, a `once.Do` literal, a variable initialiser.
pub(super) fn process_lifetime(f: &FunctionContext<'_, '_>) -> bool {
    lifetime_by_design(f).is_some()
}

/// Why goroutines started from `f` live as long as the process by design,
/// if they do.
fn lifetime_by_design(f: &FunctionContext<'_, '_>) -> Option<ByDesign> {
    // Up the chain of enclosing functions through the nest of the top-level
    // function.
    let nest = f.file.nest(f.top);
    let mut func = f.node;
    while let Some(site) = nest.site(func) {
        if is_once_do_argument(f, site.parent, site.grandparent) {
            return Some(ByDesign::Once);
        }
        func = site.outer;
    }
    let top = f.top;
    match top.kind() {
        kinds::FUNCTION_DECLARATION => {
            let name = top
                .child_by_field_name("name")
                .map(|n| f.text(n))
                .unwrap_or("");
            match name {
                "main" if f.file.package.index.name == "main" => Some(ByDesign::Main),
                "init" => Some(ByDesign::Init),
                "TestMain" if f.file.source.display.ends_with("_test.go") => {
                    Some(ByDesign::TestMain)
                }
                _ => None,
            }
        }
        kinds::METHOD_DECLARATION => None,
        // Package-level variable initialisers run once.
        _ => Some(ByDesign::PackageVar),
    }
}

/// Words by which code says a loop runs for the life of the process.
const FOREVER_WORDS: &[&str] = &[
    "forever",
    "life of the process",
    "lifetime of the process",
    "process lifetime",
    "until the process exits",
];

/// Whether the loop `lp` of the goroutine `gcx` (started by `go` in
/// `owner`) says it runs forever: a label, the goroutine function's name,
/// or a comment on the line of (or just above) the loop, the `go`
/// statement or the goroutine's declaration.
fn says_forever(
    owner: &FunctionContext<'_, '_>,
    go: Node<'_>,
    gcx: &FunctionContext<'_, '_>,
    lp: Node<'_>,
) -> bool {
    let forever = |t: &str| {
        let t = t.to_ascii_lowercase();
        FOREVER_WORDS.iter().any(|w| t.contains(w))
    };
    if loop_label(gcx.src(), gcx.node, lp).is_some_and(forever) {
        return true;
    }
    let named = gcx.node.kind() != kinds::FUNC_LITERAL;
    if named
        && gcx
            .node
            .child_by_field_name("name")
            .is_some_and(|n| forever(gcx.text(n)))
    {
        return true;
    }
    let mut places = vec![(gcx.src(), lp.start_byte()), (owner.src(), go.start_byte())];
    if named {
        places.push((gcx.src(), gcx.node.start_byte()));
    }
    places
        .into_iter()
        .any(|(src, at)| comments_near(src, at).any(forever))
}

/// The comment text on the line holding byte `at` (after the code) and in
/// the comment lines just above it.
fn comments_near(src: &str, at: usize) -> impl Iterator<Item = &str> {
    let at = at.min(src.len());
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    let own = src
        .get(start..end)
        .and_then(|l| l.find("//").map(|i| &l[i..]));
    let above = src
        .get(..start)
        .unwrap_or("")
        .lines()
        .rev()
        .map(str::trim_start)
        .take_while(|l| l.starts_with("//"));
    own.into_iter().chain(above)
}

/// `once.Do(func() { … })`: the literal (whose parent and grandparent are
/// given) runs once per process.
fn is_once_do_argument(
    f: &FunctionContext<'_, '_>,
    parent: Node<'_>,
    grandparent: Option<Node<'_>>,
) -> bool {
    grandparent
        .filter(|_| parent.kind() == kinds::ARGUMENT_LIST)
        .and_then(|c| c.child_by_field_name("function"))
        .and_then(|f| f.child_by_field_name("field"))
        .is_some_and(|name| f.text(name) == "Do")
}

/// Endless loops in the goroutine body with no way out, and ranges over a
/// ticker's channel, which `Stop` never closes. `owner` starts the
/// goroutine `gcx` with `go`.
fn check_loops<'a>(
    owner: &FunctionContext<'_, 'a>,
    go: Node<'a>,
    gcx: &FunctionContext<'_, 'a>,
    lifetime: Option<ByDesign>,
    sink: &mut Sink<'_>,
) {
    for &lp in &gcx.facts().loops {
        let at = Span::new(lp.start_byte(), lp.start_byte() + 3);
        if sink.reported_at(at) {
            continue;
        }
        let by_design =
            lifetime.or_else(|| says_forever(owner, go, gcx, lp).then_some(ByDesign::Forever));
        if let Some(ticker) = ticker_range(gcx, lp) {
            if !loop_has_early_exit(gcx.src(), gcx.node, lp) {
                let msg = format!(
                    "goroutine never ends: `Stop` does not close `{ticker}.C`, so this range never ends"
                );
                let r = report_loop(sink, at, msg, by_design)
                    .help(format!(
                        "loop with `for {{ select {{ case <-{ticker}.C: …; case <-{}: return }} }}` and stop the goroutine when the ticker is stopped",
                        stop_source(owner).unwrap_or_else(|| "done".to_string())
                    ));
                label_start(r, owner, go);
            }
            continue;
        }
        let endless = syntax::named_children(lp).all(|c| c.kind() == kinds::BLOCK);
        if !endless {
            continue;
        }
        let Some(body) = lp.child_by_field_name("body") else {
            continue;
        };
        if !has_receive(body) || loop_has_early_exit(gcx.src(), gcx.node, lp) {
            continue;
        }
        if loop_can_end(gcx, body) {
            continue;
        }
        let (waits, first_wait) = receive_operands(gcx, body);
        let cancel = cancellation_case(gcx, body);
        let msg = match cancel {
            Some((op, _)) => format!(
                "goroutine never ends: the `<-{op}` case leaves only the select, not this loop"
            ),
            None => {
                "goroutine never ends: this loop has no exit and no cancellation case".to_string()
            }
        };
        // A cancellation case that leaves only the select is a bug whatever
        // the goroutine's lifetime: the code means to stop there.
        let mut r = match cancel {
            Some(_) => sink.report(at, msg),
            None => report_loop(sink, at, msg, by_design),
        };
        if let Some((_, case)) = cancel {
            let head = case
                .child_by_field_name("communication")
                .map_or(Span::of(case), |c| {
                    Span::new(case.start_byte(), c.end_byte())
                });
            let breaks = syntax::named_children(case).any(|c| {
                c.kind() == kinds::STATEMENT_LIST
                    && syntax::named_children(c).any(|st| st.kind() == kinds::BREAK_STATEMENT)
            });
            let text = if breaks {
                "`break` in this case leaves only the select; the loop goes on"
            } else {
                "this case ends and the loop goes on"
            };
            r = r.label(head, text);
            r = r.help("`return` from the cancellation case (or `break` to a label on the loop)");
        } else {
            let help = match stop_source(owner) {
                Some(done) => format!("add `case <-{done}: return` to stop the loop"),
                None => "give the goroutine a way to stop: a done channel (or a context) that the starter closes, received in a select case that returns".to_string(),
            };
            r = r.help(help);
        }
        if let Some(at) = first_wait {
            r = r.label(
                at,
                format!("the loop waits on {} and never leaves", waits.join(", ")),
            );
        }
        label_start(r, owner, go);
    }
}

/// Reports an endless loop: a note, saying why, when the goroutine runs for
/// the life of the process by design.
fn report_loop<'s>(
    sink: &'s mut Sink<'_>,
    at: Span,
    msg: String,
    by_design: Option<ByDesign>,
) -> crate::check::Report<'s> {
    match by_design {
        Some(d) => sink
            .report(at, format!("{msg} (a note only: {})", d.reason()))
            .severity(Severity::Note),
        None => sink.report(at, msg),
    }
}

/// Labels the `go` statement and the function that runs it.
fn label_start(r: crate::check::Report<'_>, owner: &FunctionContext<'_, '_>, go: Node<'_>) {
    let name = function_name(owner);
    let _ = r.label_in(
        owner.file.source,
        Span::new(go.start_byte(), go.start_byte() + 2),
        format!("started here, once per call of {name}"),
    );
}

/// How to name `f` in a label.
fn function_name(f: &FunctionContext<'_, '_>) -> String {
    let name = f
        .node
        .child_by_field_name("name")
        .map(|n| f.text(n))
        .or_else(|| f.top.child_by_field_name("name").map(|n| f.text(n)));
    match name {
        Some(n) if f.node.kind() == kinds::FUNC_LITERAL => format!("a function literal in `{n}`"),
        Some(n) => format!("`{n}`"),
        None => "the enclosing function".to_string(),
    }
}

/// A done channel or context the starter of a goroutine has at hand: a
/// `context.Context` or `*http.Request` parameter, or a parameter named like
/// a done channel.
fn stop_source(f: &FunctionContext<'_, '_>) -> Option<String> {
    for decl in [f.node, f.top] {
        let Some(params) = decl.child_by_field_name("parameters") else {
            continue;
        };
        for p in syntax::named_children(params) {
            let Some(ty) = p.child_by_field_name("type").map(|t| f.text(t)) else {
                continue;
            };
            let Some(name) = p.child_by_field_name("name").map(|n| f.text(n)) else {
                continue;
            };
            if ty.ends_with("context.Context") {
                return Some(format!("{name}.Done()"));
            }
            if ty == "*http.Request" {
                return Some(format!("{name}.Context().Done()"));
            }
            let lower = name.to_ascii_lowercase();
            if ty.contains("chan") && CANCEL_NAMES.iter().any(|c| lower.contains(c)) {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The operands received in `body` (outside nested literals), as written.
fn receive_operands(gcx: &FunctionContext<'_, '_>, body: Node<'_>) -> (Vec<String>, Option<Span>) {
    let mut out: Vec<String> = Vec::new();
    let mut first = None;
    syntax::walk(body, |n| {
        if n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::UNARY_EXPRESSION
            && n.child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "<-")
        {
            if let Some(op) = n
                .child_by_field_name("operand")
                .filter(|op| !is_cancellation(*op, gcx.src()))
            {
                let t = format!("`{}`", gcx.text(op));
                if !out.contains(&t) && out.len() < 3 {
                    out.push(t);
                }
                first.get_or_insert(Span::of(n));
            }
        }
        true
    });
    (out, first)
}

/// A select case in `body` receiving from a cancellation source, whose body
/// does not leave the loop (the loop has no exit at all): the operand and the case.
fn cancellation_case<'a>(
    gcx: &FunctionContext<'_, 'a>,
    body: Node<'a>,
) -> Option<(&'a str, Node<'a>)> {
    let mut found = None;
    syntax::walk(body, |n| {
        if found.is_some() || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::COMMUNICATION_CASE {
            let op = n
                .child_by_field_name("communication")
                .and_then(receive_operand);
            if let Some(op) = op.filter(|op| is_cancellation(*op, gcx.src())) {
                found = Some((gcx.text(op), n));
            }
        }
        found.is_none()
    });
    found
}

/// The operand of the receive a select case's communication performs.
fn receive_operand(comm: Node<'_>) -> Option<Node<'_>> {
    comm_receive(comm)?.child_by_field_name("operand")
}

/// The `<-x` expression a select case's communication performs.
fn comm_receive(comm: Node<'_>) -> Option<Node<'_>> {
    let expr = match comm.kind() {
        kinds::RECEIVE_STATEMENT => comm.child_by_field_name("right").map(syntax::unparen)?,
        kinds::EXPRESSION_STATEMENT => syntax::named_children(comm).next().map(syntax::unparen)?,
        _ => syntax::unparen(comm),
    };
    (expr.kind() == kinds::UNARY_EXPRESSION
        && expr
            .child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "<-"))
    .then_some(expr)
}

/// `for … range t.C` where `t` is a local made by `time.NewTicker`: the name of `t`.
fn ticker_range<'a>(gcx: &FunctionContext<'_, 'a>, lp: Node<'a>) -> Option<&'a str> {
    let right = syntax::named_children(lp)
        .find(|c| c.kind() == kinds::RANGE_CLAUSE)?
        .child_by_field_name("right")
        .map(syntax::unparen)?;
    if right.kind() != kinds::SELECTOR_EXPRESSION
        || right.child_by_field_name("field").map(|f| gcx.text(f)) != Some("C")
    {
        return None;
    }
    let x = right.child_by_field_name("operand").map(syntax::unparen)?;
    if x.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = gcx.scopes().binding_of(x)?;
    let decl = gcx.scopes().binding(b).decl;
    let name = gcx.text(x);
    let time = gcx
        .file
        .imports
        .imports
        .iter()
        .find(|i| i.path == "time" && i.name != "_" && i.name != ".")
        .map_or("time", |i| i.name.as_str());
    // The declaring line: `t := time.NewTicker(…)`.
    let line = gcx.src().get(decl.start..)?.lines().next()?;
    let rest = line.strip_prefix(name)?.trim_start();
    let rest = rest.strip_prefix(":=").or_else(|| rest.strip_prefix('='))?;
    rest.trim_start()
        .starts_with(&format!("{time}.NewTicker("))
        .then_some(name)
}

/// Whether something in the loop body may end the goroutine or stop it from
/// blocking: a cancellation receive outside a select, a `default` case, a
/// call that never returns, a receive from a process-wide source. A select
/// case on `<-ctx.Done()` is no way out: the loop has no exit for it to take.
fn loop_can_end<'a>(gcx: &FunctionContext<'_, 'a>, body: Node<'a>) -> bool {
    let mut found = false;
    let mut cases: Vec<usize> = Vec::new();
    let src = gcx.src();
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        match n.kind() {
            kinds::SELECT_STATEMENT => {
                found = syntax::named_children(n).any(|c| c.kind() == kinds::DEFAULT_CASE)
            }
            kinds::COMMUNICATION_CASE => {
                if let Some(r) = n
                    .child_by_field_name("communication")
                    .and_then(comm_receive)
                {
                    cases.push(r.id());
                }
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
                    let cancels = !cases.contains(&n.id()) && is_cancellation(op, src);
                    found = cancels || serves_process(gcx, op);
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
    if gcx.scopes().is_free(op) && gcx.file.package.index.vars.contains_key(name) {
        return true;
    }
    let mut found = false;
    syntax::walk(gcx.top, |n| {
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
        .filter(|u| u.select_case().is_none())
        .map(|u| u.node)
        .collect();
    if ranges.is_empty() && receives.is_empty() {
        return;
    }
    let fate = fate_of(f, ch, go, &inner);
    if fate.escapes {
        return;
    }
    // Closed (or sent on) only on some paths: one that leaves without it,
    // a `return` or a `t.Fatal`, leaves the goroutine blocked.
    let partial = |with_sends: bool| {
        (!fate.in_field)
            .then(|| leaves_without(f, ch, go, &inner, with_sends))
            .flatten()
    };
    let range_gap = if fate.closed { partial(false) } else { None };
    if !fate.closed || range_gap.is_some() {
        for lp in &ranges {
            let at = Span::new(lp.start_byte(), lp.start_byte() + 3);
            if sink.reported_at(at) {
                continue;
            }
            // A worker that leaves its range on a value (`if job == nil {
            // return }`) stops when its owner sends that value, as a pool's
            // `Stop` does: never closing the channel is then the design.
            let sentinel = fate.sent || fate.in_field;
            if !fate.closed && sentinel && loop_has_early_exit(gcx.src(), gcx.node, *lp) {
                continue;
            }
            let what = syntax::named_children(*lp)
                .find(|c| c.kind() == kinds::RANGE_CLAUSE)
                .and_then(|r| r.child_by_field_name("right"))
                .map(|r| gcx.text(r))
                .unwrap_or(&ch.name);
            let help = format!(
                "close `{}` once the last value is sent (`defer close({})` in the function that sends)",
                ch.name, ch.name
            );
            match range_gap {
                None => {
                    sink.report(
                        at,
                        format!("goroutine never ends: {what} is never closed, so this range blocks forever"),
                    )
                    .label_in(f.file.source, Span::of(ch.make), "the channel is made here and never closed")
                    .help(help);
                }
                Some(e) => {
                    sink.report(
                        at,
                        format!("goroutine never ends: {what} is not closed on every path, so this range can block forever"),
                    )
                    .label_in(f.file.source, Span::of(ch.make), "the channel is made here")
                    .label_in(f.file.source, e.exit.span(), leaves_text(&e, "closing", &ch.name))
                    .help(help);
                }
            }
        }
    }
    if fate.in_field {
        return;
    }
    let recv_gap = if fate.sent || fate.closed {
        partial(true)
    } else {
        None
    };
    if (fate.sent || fate.closed) && recv_gap.is_none() {
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
        let help = format!(
            "send on `{}` or close it on every path, or drop the goroutine",
            ch.name
        );
        match recv_gap {
            None => {
                sink.report(
                    Span::of(*recv),
                    format!("goroutine blocks forever receiving from {what}: nothing sends on it or closes it"),
                )
                .label_in(f.file.source, Span::of(ch.make), "the channel is made here")
                .help(help);
            }
            Some(e) => {
                sink.report(
                    Span::of(*recv),
                    format!("goroutine blocks forever receiving from {what}: a path leaves without sending on it or closing it"),
                )
                .label_in(f.file.source, Span::of(ch.make), "the channel is made here")
                .label_in(f.file.source, e.exit.span(), leaves_text(&e, "sending on or closing", &ch.name))
                .help(help);
            }
        }
    }
}

/// A way out of `f`, after `go`, that neither closes `ch` (nor, `with_sends`,
/// sends on it), when every close and send of `ch` is in `f`'s own body.
fn leaves_without<'a>(
    f: &FunctionContext<'_, 'a>,
    ch: &LocalChannel<'a>,
    go: Node<'a>,
    inner: &[ChanUse<'a>],
    with_sends: bool,
) -> Option<PathEnd<'a>> {
    if inner
        .iter()
        .any(|u| matches!(u.kind, UseKind::Send | UseKind::Close))
    {
        return None;
    }
    // One goroutine per iteration: how many sends it takes is beyond this.
    if syntax::ancestors(f.node, go)
        .iter()
        .any(|a| a.kind() == kinds::FOR_STATEMENT)
    {
        return None;
    }
    let cfg = f.cfg()?;
    let mut marks = Vec::new();
    for u in &ch.uses {
        // Only the operations that end the wait count: a close, and for a
        // receive a send. Sends do not end a range, wherever they are.
        let ends_wait = u.kind == UseKind::Close || (with_sends && u.kind == UseKind::Send);
        // `defer close(ch)` runs on every way out.
        let deferred = u
            .ancestors()
            .iter()
            .any(|a| a.kind() == kinds::DEFER_STATEMENT);
        // Closed before the goroutine starts, deferred, in a loop (whose
        // zero-iteration path the graph cannot rule out) or a select case
        // (whose siblings may never be ready): not this shape.
        let before = u.node.start_byte() < go.start_byte();
        let looped = u.repeated() || u.select_case().is_some();
        if ends_wait && (deferred || before || looped) {
            return None;
        }
        // A callback run at its call closes or sends there.
        let here = matches!(u.place, Place::Owner | Place::Sync(_));
        match (u.kind, u.place) {
            (UseKind::Close, _) if here => marks.push(u.position_in(cfg)?),
            (UseKind::Send, _) if here && with_sends => marks.push(u.position_in(cfg)?),
            (UseKind::Send, _) if here => {}
            (UseKind::Send | UseKind::Close | UseKind::Escape, _) => return None,
            (UseKind::GoArg { go_stmt, .. }, _) if go_stmt.id() != go.id() => return None,
            (_, Place::Goroutine(g)) if g.id() != go.id() => return None,
            _ => {}
        }
    }
    if marks.is_empty() {
        return None;
    }
    let marked: Vec<usize> = marks
        .iter()
        .map(|&(b, i)| cfg.blocks[b].nodes[i].id())
        .collect();
    let walk = Walk {
        limit: 1,
        initial: 0,
        only: |_: BlockId| None,
        edge: |_: BlockId, _: BlockId| 0,
    };
    receive_paths(
        cfg,
        go,
        walk,
        |n| Count::from(marked.contains(&n.id())),
        |_| None,
    )
    .into_iter()
    .find(|e| e.received == 0)
}

/// "this return leaves without closing `ch`", for the exit of `e`.
fn leaves_text(e: &PathEnd<'_>, doing: &str, ch: &str) -> String {
    match e.exit {
        Exit::Implicit(_) => format!("the function ends here without {doing} `{ch}`"),
        Exit::NoReturn(..) => format!("this call ends the goroutine without {doing} `{ch}`"),
        Exit::Return(_) => format!("this return leaves without {doing} `{ch}`"),
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
    inner: &[ChanUse<'a>],
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
            UseKind::Escape => match unexported_field(f, u) {
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
            let b = f.scopes().declared(ident)?;
            let mut u = crate::flow::summary::ParamUse::default();
            for r in f.scopes().references(b).iter().filter(|r| !r.write) {
                let id = func.descendant_for_byte_range(r.span.start, r.span.end)?;
                match crate::flow::channels::classify(id, f.scopes(), f.src()).0 {
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
fn unexported_field(f: &FunctionContext<'_, '_>, u: &ChanUse<'_>) -> Option<(String, String)> {
    let value = u.ancestor(1).filter(|p| p.kind() == "literal_element")?;
    let keyed = u.ancestor(2).filter(|p| p.kind() == "keyed_element")?;
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
    let lit = u.ancestor(4)?;
    if lit.kind() != kinds::COMPOSITE_LITERAL {
        return None;
    }
    let ty = f.text(lit.child_by_field_name("type")?);
    if !f.file.package.index.types.contains(ty) {
        return None;
    }
    Some((ty.to_string(), key.to_string()))
}
