//! `defer-in-loop`: a `defer` that releases something sits directly in a
//! loop body, so the releases pile up until the function returns.
//!
//! ## What it does
//! Finds `defer` statements in a loop body (of the same function, not of a
//! func literal called per iteration) whose deferred call releases something:
//! `Close`, `Stop`, `Unlock`/`RUnlock`, `Done`, `RemoveAll`, `os.Remove`,
//! `Release`, or a cancel function that the catalogue's `[[cancel]]`
//! constructors returned (or that is declared `context.CancelFunc`),
//! directly or inside a deferred func literal. The control-flow graph
//! decides whether the `defer` can run more than once: a loop body that
//! always returns or breaks after its first pass is silent. When no path
//! from the `defer` leaves the function (an endless `for { select … }`, or a
//! function that ends in `os.Exit`), the report says the deferred call
//! never runs at all.
//!
//! ## Why is this bad?
//! Deferred calls run when the function returns, not when the iteration
//! ends. Every iteration keeps its file open, its ticker running, its
//! context registered or its lock held, until then — and a long-running
//! function may never return.
//!
//! ## Example
//! ```go
//! for _, p := range paths {
//!     f, err := os.Open(p)
//!     if err != nil {
//!         return err
//!     }
//!     defer f.Close() // every file stays open until the function returns
//!     // …
//! }
//! ```
//!
//! Use instead: move the body into a function that the loop calls, so the
//! `defer` runs at the end of each iteration, or release explicitly at the
//! end of the iteration. No automatic fix: moving code changes its meaning.

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{Callee, FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::paths;
use crate::flow::scopes::BindingId;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, enclosing_loop, kinds};

/// The `defer-in-loop` rule.
pub struct DeferInLoop;

static META: RuleMeta = RuleMeta {
    name: "defer-in-loop",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/defer-in-loop.md"),
};

/// What a deferred call releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Release {
    /// `x.Close()`, `syscall.Close(fd)`.
    Close,
    /// `t.Stop()`, `signal.Stop(ch)`.
    Stop,
    /// `mu.Unlock()`, `mu.RUnlock()`.
    Unlock,
    /// `wg.Done()`.
    Done,
    /// `os.RemoveAll(dir)`, `form.RemoveAll()`, `os.Remove(tmp)`.
    RemoveAll,
    /// `sem.Release(1)`, `lease.Release()`.
    Held,
    /// A context's cancel function.
    Cancel,
}

impl Release {
    fn by_name(name: &str) -> Option<Release> {
        Some(match name {
            "Close" => Release::Close,
            "Stop" => Release::Stop,
            "Unlock" | "RUnlock" => Release::Unlock,
            "Done" => Release::Done,
            "RemoveAll" => Release::RemoveAll,
            "Release" => Release::Held,
            _ => return None,
        })
    }

    /// What stays held until the function returns.
    fn consequence(self) -> &'static str {
        match self {
            Release::Close => "what each iteration opened stays open until the function returns",
            Release::Stop => "what each iteration started keeps running until the function returns",
            Release::Unlock => "the lock each iteration takes is held until the function returns",
            Release::Done => {
                "the work each iteration adds is marked done only when the function returns"
            }
            Release::RemoveAll => {
                "what each iteration created is removed only when the function returns"
            }
            Release::Cancel => {
                "the context each iteration derives stays alive until the function returns"
            }
            Release::Held => "what each iteration acquires is held until the function returns",
        }
    }
}

/// A deferred release: the call that releases and what it releases.
struct Deferred<'a> {
    call: Node<'a>,
    kind: Release,
    /// The release sits in a deferred func literal under a test that the
    /// function failed (`if err != nil { l.Close() }`, after
    /// `if err == nil { return }`): cleanup on the error path, where the
    /// function gives up everything it opened; on success the values are
    /// kept on purpose.
    on_failure_only: bool,
}

impl Rule for DeferInLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        let src = file.src();
        src.contains("defer") && src.contains("for")
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        if f.facts().defers.is_empty() || f.facts().loops.is_empty() {
            return;
        }
        for &stmt in &f.facts().defers {
            let Some(lp) = enclosing_loop(stmt) else {
                continue;
            };
            let Some(deferred) = deferred_release(f, stmt) else {
                continue;
            };
            let Some(cfg) = f.cfg() else {
                return;
            };
            let Some(pos) = cfg.position_of(stmt) else {
                continue;
            };
            // Only a defer that can run again piles up: a body that always
            // returns or breaks after its first pass runs it once.
            if !paths::reaches(cfg, pos.0, |n| n.id() == stmt.id()) {
                continue;
            }
            if one_shot_guard(f, stmt, lp)
                || few_iterations(f, lp)
                || fires_once(f, stmt, lp)
                || locks_each_in_turn(f, lp, stmt, &deferred)
                || releases_what_it_ranges_over(f, lp, &deferred)
                || kept_past_loop(f, lp, &deferred)
                || deferred.on_failure_only
            {
                continue;
            }
            let never_returns = paths::exits_avoiding(cfg, pos, |_| false).is_empty();
            report(f, sink, stmt, lp, &deferred, never_returns);
        }
    }
}

fn report<'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &mut Sink<'_>,
    stmt: Node<'a>,
    lp: Node<'a>,
    d: &Deferred<'a>,
    never_returns: bool,
) {
    let call = call_text(f, d.call);
    let head = Span::new(lp.start_byte(), lp.start_byte() + 3);
    let (message, loop_label, help) = if never_returns {
        (
            format!("`{call}` is deferred inside a loop and no path from it returns from the function, so it never runs"),
            "the defer runs again on every iteration of this loop".to_string(),
            format!("call `{call}` at the end of each iteration, or move the body into a function that defers it"),
        )
    } else {
        (
            format!("`{call}` is deferred inside a loop: {}", d.kind.consequence()),
            "the defer runs again on every iteration of this loop".to_string(),
            format!("move the loop body into a function so the defer runs at the end of each iteration, or call `{call}` at the end of each iteration"),
        )
    };
    let mut r = sink.report(Span::of(stmt), message).label(head, loop_label);
    if let Some((span, msg)) = acquisition(f, lp, stmt, d) {
        r = r.label(span, msg);
    }
    r.help(help);
}

/// The call as written, shortened to one line.
fn call_text(f: &FunctionContext<'_, '_>, call: Node<'_>) -> String {
    let text = f.text(call);
    match text.lines().next() {
        Some(first) if first.len() < text.len() || first.len() > 60 => {
            let callee = call
                .child_by_field_name("function")
                .map(|c| f.text(c))
                .unwrap_or("");
            format!("{callee}(…)")
        }
        _ => text.to_string(),
    }
}

/// The release a `defer` statement performs, if any: its call, or a release
/// called directly in a deferred func literal.
fn deferred_release<'a>(f: &FunctionContext<'_, 'a>, stmt: Node<'a>) -> Option<Deferred<'a>> {
    let call = syntax::named_children(stmt)
        .next()
        .map(syntax::unparen)
        .filter(|c| c.kind() == kinds::CALL_EXPRESSION)?;
    let func = call.child_by_field_name("function").map(syntax::unparen)?;
    if func.kind() != kinds::FUNC_LITERAL {
        return release_kind(f, call).map(|kind| Deferred {
            call,
            kind,
            on_failure_only: false,
        });
    }
    let body = func.child_by_field_name("body")?;
    let mut found = None;
    syntax::walk(body, |n| {
        if found.is_some() || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::CALL_EXPRESSION {
            if let Some(kind) = release_kind(f, n) {
                found = Some(Deferred {
                    call: n,
                    kind,
                    on_failure_only: on_failure_only(f, body, n),
                });
                return false;
            }
        }
        true
    });
    found
}

fn release_kind<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> Option<Release> {
    match f.callee(call) {
        Callee::Method { name, .. } => Release::by_name(name),
        // `os.Remove(tmp)` deletes what the iteration created, as `RemoveAll` does.
        Callee::Package {
            path: "os",
            name: "Remove",
        } => Some(Release::RemoveAll),
        Callee::Package { name, .. } | Callee::DotImported { name } => match Release::by_name(name)
        {
            // Package-level `Close(fd)`, `Stop(ch)` and `RemoveAll(dir)` release their argument;
            // a package's `Unlock()` or `Done()` is no release shape we know.
            Some(k @ (Release::Close | Release::Stop | Release::RemoveAll)) => Some(k),
            _ => None,
        },
        Callee::Other => {
            let func = call.child_by_field_name("function").map(syntax::unparen)?;
            (func.kind() == kinds::IDENTIFIER && is_cancel_func(f, func)).then_some(Release::Cancel)
        }
        _ => None,
    }
}

/// Whether the local `ident` holds a cancel function: assigned the second
/// result of a catalogue `[[cancel]]` constructor, or declared as
/// `context.CancelFunc` / `context.CancelCauseFunc`.
fn is_cancel_func<'a>(f: &FunctionContext<'_, 'a>, ident: Node<'a>) -> bool {
    let Some(b) = f.scopes().binding_of(ident) else {
        return false;
    };
    let root = f.file.root;
    let decl = f.scopes().binding(b).decl;
    let sites = std::iter::once(decl).chain(
        f.scopes()
            .references(b)
            .iter()
            .filter(|r| r.write)
            .map(|r| r.span),
    );
    for span in sites {
        let Some(id) = root.descendant_for_byte_range(span.start, span.end) else {
            continue;
        };
        if assigned_cancel(f, id, b) || declared_cancel_type(f, id) {
            return true;
        }
    }
    false
}

/// `ctx, cancel := context.WithTimeout(…)` (or `=`) with `ident` as the second name.
fn assigned_cancel<'a>(f: &FunctionContext<'_, 'a>, ident: Node<'a>, b: BindingId) -> bool {
    let Some(list) = ident
        .parent()
        .filter(|p| p.kind() == kinds::EXPRESSION_LIST)
    else {
        return false;
    };
    let Some(stmt) = list.parent() else {
        return false;
    };
    if !matches!(
        stmt.kind(),
        kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT
    ) {
        return false;
    }
    let left = syntax::left_side(stmt);
    if left.len() != 2 || f.scopes().binding_of(left[1]) != Some(b) {
        return false;
    }
    let Some(right) = stmt.child_by_field_name("right") else {
        return false;
    };
    let rhs = syntax::expressions(right);
    let [call] = rhs.as_slice() else {
        return false;
    };
    let call = syntax::unparen(*call);
    if call.kind() != kinds::CALL_EXPRESSION {
        return false;
    }
    let catalog = f.file.package.catalog;
    f.is_package_func(f.callee(call), |p, n| catalog.is_cancel_constructor(p, n))
}

/// A parameter or `var` declared with the type `context.CancelFunc` or `context.CancelCauseFunc`.
fn declared_cancel_type(f: &FunctionContext<'_, '_>, ident: Node<'_>) -> bool {
    let Some(decl) = ident
        .parent()
        .filter(|p| matches!(p.kind(), kinds::PARAMETER_DECLARATION | kinds::VAR_SPEC))
    else {
        return false;
    };
    let Some(ty) = decl.child_by_field_name("type") else {
        return false;
    };
    if ty.kind() != kinds::QUALIFIED_TYPE {
        return false;
    }
    let (Some(pkg), Some(name)) = (
        ty.child_by_field_name("package"),
        ty.child_by_field_name("name"),
    ) else {
        return false;
    };
    matches!(f.text(name), "CancelFunc" | "CancelCauseFunc")
        && f.file.imports.path_of(f.text(pkg)) == Some("context")
}

/// Where the released thing is acquired on each iteration, when that is in
/// the loop: the statement that assigns the receiver (or the cancel
/// function), or the `Lock` that the deferred `Unlock` pairs with.
fn acquisition<'a>(
    f: &FunctionContext<'_, 'a>,
    lp: Node<'a>,
    stmt: Node<'a>,
    d: &Deferred<'a>,
) -> Option<(Span, String)> {
    let body = lp.child_by_field_name("body")?;
    let func = d
        .call
        .child_by_field_name("function")
        .map(syntax::unparen)?;
    let (root, receiver) = match func.kind() {
        kinds::IDENTIFIER => (func, None),
        kinds::SELECTOR_EXPRESSION => {
            let recv = func.child_by_field_name("operand").map(syntax::unparen)?;
            (root_ident(recv)?, Some(recv))
        }
        _ => return None,
    };
    if d.kind == Release::Unlock {
        let recv = f.text(receiver?);
        let lock = lock_before(f, body, stmt, recv)?;
        return Some((
            Span::of(lock),
            format!("`{recv}` is locked here on every iteration"),
        ));
    }
    let b = f.scopes().binding_of(root)?;
    let inner = Span::of(body);
    let name = f.scopes().binding(b).name.clone();
    let decl = f.scopes().binding(b).decl;
    let site = std::iter::once(decl)
        .chain(
            f.scopes()
                .references(b)
                .iter()
                .filter(|r| r.write)
                .map(|r| r.span),
        )
        .rfind(|s| inner.contains(*s) && s.end <= stmt.start_byte())?;
    let id = f.body.descendant_for_byte_range(site.start, site.end)?;
    let at = enclosing_statement(id, body).unwrap_or(id);
    let msg = if d.kind == Release::Cancel {
        "a new context is derived here on every iteration".to_string()
    } else {
        format!("`{name}` is acquired here on every iteration")
    };
    Some((Span::of(at), msg))
}

impl<'a> Deferred<'a> {
    /// The variable whose method the deferred call invokes: `resp` in
    /// `defer resp.Body.Close()`.
    fn receiver_root(&self) -> Option<Node<'a>> {
        self.call
            .child_by_field_name("function")
            .map(syntax::unparen)
            .filter(|c| c.kind() == kinds::SELECTOR_EXPRESSION)
            .and_then(|c| c.child_by_field_name("operand"))
            .map(syntax::unparen)
            .and_then(root_ident)
    }
}

/// The identifier a selector chain starts from: `resp` in `resp.Body`.
fn root_ident(mut n: Node<'_>) -> Option<Node<'_>> {
    loop {
        match n.kind() {
            kinds::IDENTIFIER => return Some(n),
            kinds::SELECTOR_EXPRESSION => n = syntax::unparen(n.child_by_field_name("operand")?),
            _ => return None,
        }
    }
}

/// The statement of `body`'s own statement lists that holds `node`.
fn enclosing_statement<'a>(node: Node<'a>, body: Node<'a>) -> Option<Node<'a>> {
    let mut cur = Some(node);
    while let Some(n) = cur {
        if n.id() == body.id() {
            return None;
        }
        if n.parent()
            .is_some_and(|p| p.kind() == kinds::STATEMENT_LIST)
        {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// The last `recv.Lock()` / `recv.RLock()` call in `body` before `stmt`.
fn lock_before<'a>(
    f: &FunctionContext<'_, 'a>,
    body: Node<'a>,
    stmt: Node<'a>,
    recv: &str,
) -> Option<Node<'a>> {
    let mut found = None;
    syntax::walk(body, |n| {
        if n.start_byte() >= stmt.start_byte() || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::CALL_EXPRESSION {
            if let Callee::Method { receiver, name } = f.callee(n) {
                if matches!(name, "Lock" | "RLock") && f.text(receiver) == recv {
                    found = Some(n);
                }
            }
        }
        true
    });
    found
}

/// A loop over a literal of this many elements at most defers a handful of releases.
const FEW: usize = 4;

/// Whether the loop ranges over a slice or array literal of at most [`FEW`]
/// elements, written in the range clause or assigned to a local variable
/// that every write of gives such a literal (`networks = []string{"udp", "tcp"}`).
fn few_iterations(f: &FunctionContext<'_, '_>, lp: Node<'_>) -> bool {
    let Some(clause) = syntax::named_children(lp).find(|c| c.kind() == kinds::RANGE_CLAUSE) else {
        return false;
    };
    let Some(over) = clause.child_by_field_name("right").map(syntax::unparen) else {
        return false;
    };
    let small = |v: Node<'_>| {
        let v = syntax::unparen(v);
        v.kind() == kinds::COMPOSITE_LITERAL
            && v.child_by_field_name("body")
                .is_some_and(|b| syntax::named_children(b).count() <= FEW)
    };
    if over.kind() != kinds::IDENTIFIER {
        return small(over);
    }
    let Some(b) = f.scopes().binding_of(over) else {
        return false;
    };
    let mut writes = 0;
    // The declaration (`networks := []string{"tcp", "udp"}`) writes it too.
    let decl = f.scopes().binding(b).decl;
    let mut sites: Vec<Span> = f
        .scopes()
        .references(b)
        .iter()
        .filter(|r| r.write)
        .map(|r| r.span)
        .collect();
    if !sites.contains(&decl) {
        sites.push(decl);
    }
    for span in sites {
        let Some(ident) = f.body.descendant_for_byte_range(span.start, span.end) else {
            return false;
        };
        // `var networks = […]`, `networks := […]`, `networks = […]`; a
        // parameter or a range variable is no literal of ours.
        let Some(stmt) = ident.parent().and_then(|p| match p.kind() {
            kinds::VAR_SPEC => Some(p),
            kinds::EXPRESSION_LIST => p.parent(),
            _ => None,
        }) else {
            return false;
        };
        if stmt.kind() == kinds::VAR_SPEC && stmt.child_by_field_name("value").is_none() {
            continue;
        }
        let lhs = syntax::left_side(stmt);
        let Some(i) = lhs.iter().position(|l| l.id() == ident.id()) else {
            return false;
        };
        let rhs = stmt
            .child_by_field_name(if stmt.kind() == kinds::VAR_SPEC {
                "value"
            } else {
                "right"
            })
            .map(syntax::expressions)
            .unwrap_or_default();
        if !rhs.get(i).is_some_and(|v| small(*v)) {
            return false;
        }
        writes += 1;
    }
    // `var networks []string` declares without a write: a nil slice adds no iteration.
    writes > 0
}

/// Whether the defer sits in a `select` case that receives from a one-shot
/// timer made before the loop (`case <-t.C:` with `t := time.NewTimer(d)`
/// never `Reset`, or `case <-after:` with `after := time.After(d)`): the
/// case runs at most once, and so does the defer.
fn fires_once(f: &FunctionContext<'_, '_>, stmt: Node<'_>, lp: Node<'_>) -> bool {
    let mut cur = stmt.parent();
    let mut case = None;
    while let Some(n) = cur {
        if n.id() == lp.id() {
            break;
        }
        if n.kind() == kinds::COMMUNICATION_CASE {
            case = Some(n);
        }
        cur = n.parent();
    }
    let Some(comm) = case.and_then(|c| c.child_by_field_name("communication")) else {
        return false;
    };
    let recv = if comm.kind() == kinds::RECEIVE_STATEMENT {
        comm.child_by_field_name("right")
    } else {
        Some(comm)
    };
    let Some(operand) = recv
        .map(syntax::unparen)
        .filter(|r| r.kind() == kinds::UNARY_EXPRESSION)
        .and_then(|r| r.child_by_field_name("operand"))
        .map(syntax::unparen)
    else {
        return false;
    };
    let (var, want) = match operand.kind() {
        kinds::SELECTOR_EXPRESSION
            if operand
                .child_by_field_name("field")
                .is_some_and(|c| f.text(c) == "C") =>
        {
            (operand.child_by_field_name("operand"), "NewTimer")
        }
        kinds::IDENTIFIER => (Some(operand), "After"),
        _ => (None, ""),
    };
    let Some(b) = var
        .filter(|v| v.kind() == kinds::IDENTIFIER)
        .and_then(|v| f.scopes().binding_of(v))
    else {
        return false;
    };
    if want == "After" && reply_channel(f, b, lp) {
        return true;
    }
    // Made once, by its declaration before the loop, and never renewed.
    let decl = f.scopes().binding(b).decl;
    let made = f
        .body
        .descendant_for_byte_range(decl.start, decl.end)
        .filter(|ident| !syntax::within(*ident, lp))
        .and_then(|ident| ident.parent())
        .filter(|p| p.kind() == kinds::EXPRESSION_LIST)
        .and_then(|p| p.parent())
        .and_then(|s| s.child_by_field_name("right"))
        .and_then(|r| syntax::named_children(r).next())
        .is_some_and(|v| {
            v.kind() == kinds::CALL_EXPRESSION
                && f.is_package_func(f.callee(v), |p, n| p == "time" && n == want)
        });
    let name = f.scopes().binding(b).name.clone();
    made && f.scopes().references(b).iter().all(|r| {
        let reset = f
            .body
            .descendant_for_byte_range(r.span.start, r.span.end)
            .and_then(|ident| ident.parent())
            .and_then(|p| p.child_by_field_name("field"))
            .is_some_and(|x| f.text(x) == "Reset");
        !r.write && (!reset || after_successful_stop(f, r.span, &name))
    })
}

/// Whether `at` lies in the body of `if t.Stop() { … }` (or `if … && t.Stop()`)
/// for the timer `t`: a `Reset` there re-arms a timer that had not fired yet,
/// so its channel still delivers once at most.
fn after_successful_stop(f: &FunctionContext<'_, '_>, at: Span, timer: &str) -> bool {
    let stop = format!("{timer}.Stop()");
    let mut found = false;
    syntax::walk(f.body, |n| {
        if found || !Span::of(n).contains(at) {
            return false;
        }
        if n.kind() == kinds::IF_STATEMENT {
            let (Some(cond), Some(body)) = (
                n.child_by_field_name("condition"),
                n.child_by_field_name("consequence"),
            ) else {
                return true;
            };
            found =
                Span::of(body).contains(at) && f.text(cond).split("&&").any(|c| c.trim() == stop);
        }
        !found
    });
    found
}

/// Whether the local channel `b` is a reply channel: made before the loop
/// by `make(chan T)` or `make(chan T, 1)`, never sent on, closed or
/// reassigned here, and handed off once outside any loop (in the request
/// it rides on, or as an argument). One request, one reply: a `select` case
/// receiving from it runs once.
fn reply_channel(f: &FunctionContext<'_, '_>, b: BindingId, lp: Node<'_>) -> bool {
    let decl = f.scopes().binding(b).decl;
    let Some(ident) = f.body.descendant_for_byte_range(decl.start, decl.end) else {
        return false;
    };
    if syntax::within(ident, lp) {
        return false;
    }
    let made = ident
        .parent()
        .filter(|p| p.kind() == kinds::EXPRESSION_LIST)
        .and_then(|p| p.parent())
        .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION && syntax::left_side(*s).len() == 1)
        .and_then(|s| s.child_by_field_name("right"))
        .and_then(|r| syntax::named_children(r).next())
        .map(syntax::unparen)
        .filter(|v| v.kind() == kinds::CALL_EXPRESSION)
        .filter(|v| {
            v.child_by_field_name("function")
                .is_some_and(|fun| f.text(fun) == "make" && f.scopes().is_free(fun))
        })
        .and_then(|v| v.child_by_field_name("arguments"))
        .is_some_and(|args| {
            let args: Vec<Node<'_>> = syntax::named_children(args).collect();
            match args.as_slice() {
                [ty] => ty.kind() == "channel_type",
                [ty, cap] => ty.kind() == "channel_type" && f.text(*cap) == "1",
                _ => false,
            }
        });
    if !made {
        return false;
    }
    let mut handed = 0;
    for r in f.scopes().references(b) {
        if r.write {
            return false;
        }
        let Some(id) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            return false;
        };
        let Some(p) = id.parent() else {
            return false;
        };
        match p.kind() {
            // `<-ch`: a receive takes values, adds none.
            kinds::UNARY_EXPRESSION => {}
            kinds::LITERAL_ELEMENT | kinds::KEYED_ELEMENT | kinds::ARGUMENT_LIST
                if !syntax::in_loop(id) && !close_call(f, p) =>
            {
                handed += 1;
            }
            _ => return false,
        }
    }
    handed == 1
}

/// Whether `args` are the arguments of the builtin `close`.
fn close_call(f: &FunctionContext<'_, '_>, args: Node<'_>) -> bool {
    args.kind() == kinds::ARGUMENT_LIST
        && args
            .parent()
            .and_then(|c| c.child_by_field_name("function"))
            .is_some_and(|fun| f.text(fun) == "close")
}

/// Whether the loop locks a different value on each iteration and keeps
/// them all locked until it returns (`for p := c.parent; p != nil; p = p.parent
/// { p.mu.Lock(); defer p.mu.Unlock() }`, `for _, s := range shards { … }`):
/// holding every lock at once is the point, and no iteration locks twice.
fn locks_each_in_turn<'a>(
    f: &FunctionContext<'_, 'a>,
    lp: Node<'a>,
    stmt: Node<'a>,
    d: &Deferred<'a>,
) -> bool {
    if d.kind != Release::Unlock {
        return false;
    }
    let Some(recv) = d
        .call
        .child_by_field_name("function")
        .map(syntax::unparen)
        .filter(|c| c.kind() == kinds::SELECTOR_EXPRESSION)
        .and_then(|c| c.child_by_field_name("operand"))
        .map(syntax::unparen)
    else {
        return false;
    };
    let Some(root) = root_ident(recv) else {
        return false;
    };
    let Some(body) = lp.child_by_field_name("body") else {
        return false;
    };
    let Some(b) = f.scopes().binding_of(root) else {
        return false;
    };
    // The receiver hangs off a variable the loop header moves on each iteration.
    let header_moves = syntax::named_children(lp)
        .filter(|c| matches!(c.kind(), kinds::FOR_CLAUSE | kinds::RANGE_CLAUSE))
        .any(|clause| {
            let moved = match clause.kind() {
                kinds::RANGE_CLAUSE => clause.child_by_field_name("left"),
                _ => clause.child_by_field_name("update"),
            };
            moved.is_some_and(|m| {
                let span = Span::of(m);
                f.scopes()
                    .references(b)
                    .iter()
                    .any(|r| r.write && syntax::within_span(r.span, span))
                    || syntax::within_span(f.scopes().binding(b).decl, span)
            })
        });
    header_moves && lock_before(f, body, stmt, f.text(recv)).is_some()
}

/// Whether the deferred call releases the loop's own range variable, never
/// reassigned in the body (`for _, c := range closers { defer c.Close() }`):
/// the values existed before the loop and are held until the function
/// returns either way, so nothing piles up that the loop acquired.
fn releases_what_it_ranges_over(
    f: &FunctionContext<'_, '_>,
    lp: Node<'_>,
    d: &Deferred<'_>,
) -> bool {
    if d.kind == Release::Cancel {
        return false;
    }
    let Some(root) = d.receiver_root() else {
        return false;
    };
    let (Some(b), Some(clause)) = (
        f.scopes().binding_of(root),
        syntax::named_children(lp).find(|c| c.kind() == kinds::RANGE_CLAUSE),
    ) else {
        return false;
    };
    let Some(left) = clause.child_by_field_name("left") else {
        return false;
    };
    let left = Span::of(left);
    syntax::within_span(f.scopes().binding(b).decl, left)
        && f.scopes()
            .references(b)
            .iter()
            .all(|r| !r.write || syntax::within_span(r.span, left))
}

/// Whether `call`, in the body of a deferred func literal, runs only when the
/// function fails: inside `if err != nil { … }` (the `else` of
/// `if err == nil`), or after an early `if err == nil { return }` at the
/// top of the literal. `err` is any identifier or field named `err` or
/// ending in `Err`/`err`.
fn on_failure_only(f: &FunctionContext<'_, '_>, body: Node<'_>, call: Node<'_>) -> bool {
    let at = Span::of(call);
    let tests_err = |cond: Node<'_>, op: &str| syntax::compares_error_to_nil(cond, op, f.src());
    let mut guarded = false;
    syntax::walk(body, |n| {
        if guarded || !Span::of(n).contains(at) {
            return false;
        }
        if n.kind() == kinds::IF_STATEMENT {
            if let Some(cond) = n.child_by_field_name("condition") {
                let inside = |field: &str| {
                    n.child_by_field_name(field)
                        .is_some_and(|b| Span::of(b).contains(at))
                };
                guarded = (tests_err(cond, "!=") && inside("consequence"))
                    || (tests_err(cond, "==") && inside("alternative"));
            }
        }
        true
    });
    if guarded {
        return true;
    }
    // `if err == nil { return }` before the call, at the top of the literal.
    let Some(list) = syntax::named_children(body).find(|c| c.kind() == kinds::STATEMENT_LIST)
    else {
        return false;
    };
    syntax::named_children(list)
        .take_while(|s| s.end_byte() <= call.start_byte())
        .any(|s| {
            s.kind() == kinds::IF_STATEMENT
                && s.child_by_field_name("alternative").is_none()
                && s.child_by_field_name("condition")
                    .is_some_and(|c| tests_err(c, "=="))
                && s.child_by_field_name("consequence").is_some_and(|b| {
                    let stmts: Vec<Node<'_>> = syntax::named_children(b)
                        .flat_map(|l| {
                            if l.kind() == kinds::STATEMENT_LIST {
                                syntax::named_children(l).collect()
                            } else {
                                vec![l]
                            }
                        })
                        .collect();
                    matches!(stmts.as_slice(), [r] if r.kind() == kinds::RETURN_STATEMENT)
                })
        })
}

/// Whether what the deferred call releases is kept past the loop: the
/// iteration appends it to a slice declared before the loop
/// (`files = append(files, f)`), or stores it in an element of one, so
/// every value must stay open until the function has used them all after
/// the loop, which is when the defers run.
fn kept_past_loop(f: &FunctionContext<'_, '_>, lp: Node<'_>, d: &Deferred<'_>) -> bool {
    if d.kind == Release::Cancel || d.kind == Release::Unlock {
        return false;
    }
    let Some(root) = d.receiver_root() else {
        return false;
    };
    let (Some(b), Some(body)) = (f.scopes().binding_of(root), lp.child_by_field_name("body"))
    else {
        return false;
    };
    let inner = Span::of(body);
    let outer = |target: Node<'_>| {
        let target = syntax::unparen(target);
        let base = match target.kind() {
            kinds::INDEX_EXPRESSION => target.child_by_field_name("operand").map(syntax::unparen),
            _ => Some(target),
        };
        base.filter(|t| t.kind() == kinds::IDENTIFIER)
            .and_then(|t| f.scopes().binding_of(t))
            .is_some_and(|ob| ob != b && !inner.contains(f.scopes().binding(ob).decl))
    };
    f.scopes().references(b).iter().any(|r| {
        if r.write || !inner.contains(r.span) {
            return false;
        }
        let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            return false;
        };
        // `ident` as an element of `append(xs, …)` or as the value of an assignment.
        let mut value = ident;
        if let Some(call) = ident
            .parent()
            .filter(|a| a.kind() == kinds::ARGUMENT_LIST)
            .and_then(|a| a.parent())
            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
        {
            let is_append = call
                .child_by_field_name("function")
                .is_some_and(|fun| f.text(fun) == "append");
            if !is_append {
                return false;
            }
            value = call;
        }
        let Some(list) = value
            .parent()
            .filter(|p| p.kind() == kinds::EXPRESSION_LIST)
        else {
            return false;
        };
        let Some(stmt) = list
            .parent()
            .filter(|s| s.kind() == kinds::ASSIGNMENT_STATEMENT)
        else {
            return false;
        };
        if stmt
            .child_by_field_name("right")
            .is_none_or(|r| r.id() != list.id())
        {
            return false;
        }
        let Some(i) = syntax::named_children(list).position(|v| v.id() == value.id()) else {
            return false;
        };
        syntax::left_side(stmt).get(i).is_some_and(|t| {
            outer(*t) && (value.id() == ident.id()) == (t.kind() == kinds::INDEX_EXPRESSION)
        })
    })
}

/// Whether an `if` between the loop and the defer is a one-shot guard: its
/// condition reads a variable that its body assigns before the defer
/// (`if t == nil { t = newTimer(); defer t.Stop() }`, `if first { first = false; … }`),
/// so the defer runs at most once however often the loop turns.
fn one_shot_guard(f: &FunctionContext<'_, '_>, stmt: Node<'_>, lp: Node<'_>) -> bool {
    let mut cur = stmt.parent();
    while let Some(n) = cur {
        if n.id() == lp.id() {
            return false;
        }
        if n.kind() == kinds::IF_STATEMENT {
            let in_body = n
                .child_by_field_name("consequence")
                .is_some_and(|c| Span::of(c).contains(Span::of(stmt)));
            if in_body && guard_reset_before(f, n, stmt) {
                return true;
            }
        }
        cur = n.parent();
    }
    false
}

/// Whether the body of `guard` assigns, before `stmt`, an operand its condition reads.
fn guard_reset_before(f: &FunctionContext<'_, '_>, guard: Node<'_>, stmt: Node<'_>) -> bool {
    let (Some(cond), Some(body)) = (
        guard.child_by_field_name("condition"),
        guard.child_by_field_name("consequence"),
    ) else {
        return false;
    };
    let mut operands = Vec::new();
    syntax::walk(cond, |n| {
        if matches!(n.kind(), kinds::IDENTIFIER | kinds::SELECTOR_EXPRESSION) {
            operands.push(f.text(n));
            return false;
        }
        true
    });
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.start_byte() >= stmt.start_byte() || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        // `x = …` resets the guard; `x := …` would declare a new x.
        if n.kind() == kinds::ASSIGNMENT_STATEMENT {
            found = syntax::left_side(n)
                .iter()
                .any(|l| operands.contains(&f.text(*l)));
        }
        true
    });
    found
}
