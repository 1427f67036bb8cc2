//! `multipart-not-removed`: multipart temporary files that nothing removes.
//!
//! ## What it does
//! Two shapes. A `(*multipart.Reader).ReadForm` result (the catalogue's
//! `[[acquire]]` entry with `group = "multipart-not-removed"`, released by
//! `RemoveAll`) followed by the shared ownership core. And a form parsed
//! (`ParseMultipartForm`, `FormFile`, `FormValue`, `PostFormValue`) on a
//! request that is not the one the server passed in: a variable assigned
//! from `r.WithContext(…)` or `r.Clone(…)`, or, at a lower severity, a
//! framework's request (gin's `c.Request`, echo's `c.Request()`), when no
//! `MultipartForm.RemoveAll()` on that request appears in the function.
//!
//! ## Why is this bad?
//! `net/http` removes the form files of the request it handed to the
//! handler only; files of a replaced request stay on disk forever.
//!
//! ## Example
//! ```go
//! r = r.WithContext(ctx)
//! if err := r.ParseMultipartForm(32 << 20); err != nil { // never removed
//!     return
//! }
//! ```
//!
//! Use instead: `defer r.MultipartForm.RemoveAll()` after parsing.

use super::{obligation_report, Family, Precision, Rule, RuleMeta};
use crate::check::{Callee, FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::types;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// The `multipart-not-removed` rule.
pub struct MultipartNotRemoved;

static META: RuleMeta = RuleMeta {
    name: "multipart-not-removed",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/multipart-not-removed.md"),
};

/// Request methods that parse (and may spill) a multipart body.
const PARSERS: &[&str] = &[
    "ParseMultipartForm",
    "FormFile",
    "FormValue",
    "PostFormValue",
];

/// Framework context types whose request middleware may have replaced.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("github.com/gin-gonic/gin", "Context"),
    ("github.com/labstack/echo/v4", "Context"),
    ("github.com/labstack/echo", "Context"),
];

/// Where a parsed request came from.
enum Origin<'t> {
    /// Assigned from `WithContext`/`Clone` at this node.
    Replaced(Node<'t>),
    /// A framework context's request.
    Framework,
}

impl Rule for MultipartNotRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.imports("net/http")
            || file.imports("mime/multipart")
            || FRAMEWORKS.iter().any(|(p, _)| file.imports(p))
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        obligation_report::report_group(f, sink, META.name, false);
        let mut calls: Vec<_> = f.facts().calls.clone();
        calls.sort_by_key(|c| c.start_byte());
        let mut done: Vec<String> = Vec::new();
        for call in calls {
            let Callee::Method { name, .. } = f.callee(call) else {
                continue;
            };
            let Some(receiver) = call
                .child_by_field_name("function")
                .and_then(|s| s.child_by_field_name("operand"))
                .map(syntax::unparen)
            else {
                continue;
            };
            if !PARSERS.contains(&name) {
                continue;
            }
            let request = f.text(receiver).to_string();
            if done.contains(&request) {
                continue;
            }
            let Some(origin) = origin(f, receiver, call) else {
                continue;
            };
            done.push(request.clone());
            if removes(f, &request) {
                continue;
            }
            match origin {
                Origin::Replaced(at) => {
                    sink.report(
                        Span::of(call),
                        "the multipart form of a replaced request is never removed: the server only removes the form of the request it passed to the handler",
                    )
                    .label(Span::of(at), "the request is replaced here")
                    .help(format!("add `defer {request}.MultipartForm.RemoveAll()` after parsing"));
                }
                Origin::Framework => {
                    sink.report(
                        Span::of(call),
                        "the multipart form of a framework's request may never be removed: middleware may have replaced the request the server will clean up",
                    )
                    .severity(Severity::Note)
                    .help(format!("add `defer {request}.MultipartForm.RemoveAll()` after parsing"));
                }
            }
        }
    }
}

/// Whether `receiver` (a request) was replaced in this function before
/// `call`, or belongs to a framework context.
fn origin<'t>(
    f: &FunctionContext<'_, 't>,
    receiver: Node<'t>,
    call: Node<'t>,
) -> Option<Origin<'t>> {
    let receiver = syntax::unparen(receiver);
    match receiver.kind() {
        kinds::IDENTIFIER => {
            let b = f.scopes().binding_of(receiver)?;
            let ty = types::type_of(f, receiver);
            let is_request = |t: &types::NamedType| t.is("net/http", "Request");
            if ty.as_ref().is_some_and(|t| !is_request(t)) {
                return None;
            }
            let decl = f.scopes().binding(b).decl;
            f.scopes()
                .references(b)
                .iter()
                .filter(|r| r.write && r.span.end <= call.start_byte())
                .map(|r| r.span)
                .chain(std::iter::once(decl))
                .filter_map(|s| f.body.descendant_for_byte_range(s.start, s.end))
                .filter_map(|id| replacing_value(f, id))
                .filter(|v| syntax::enclosing_function(*v).is_some_and(|x| x.id() == f.node.id()))
                .max_by_key(|stmt| stmt.start_byte())
                .map(Origin::Replaced)
        }
        kinds::SELECTOR_EXPRESSION => {
            let op = receiver.child_by_field_name("operand")?;
            let field = f.text(receiver.child_by_field_name("field")?);
            (field == "Request" && is_framework_context(f, op)).then_some(Origin::Framework)
        }
        kinds::CALL_EXPRESSION => {
            let fun = syntax::unparen(receiver.child_by_field_name("function")?);
            if fun.kind() != kinds::SELECTOR_EXPRESSION {
                return None;
            }
            let op = fun.child_by_field_name("operand")?;
            let field = f.text(fun.child_by_field_name("field")?);
            (field == "Request" && is_framework_context(f, op)).then_some(Origin::Framework)
        }
        _ => None,
    }
}

fn is_framework_context<'t>(f: &FunctionContext<'_, 't>, op: Node<'t>) -> bool {
    types::type_of(f, op).is_some_and(|t| FRAMEWORKS.iter().any(|(p, n)| t.is(p, n)))
}

/// The `x.WithContext(…)`/`x.Clone(…)` call assigned to the written identifier.
fn replacing_value<'t>(f: &FunctionContext<'_, 't>, ident: Node<'t>) -> Option<Node<'t>> {
    let list = ident.parent()?;
    let stmt = list.parent()?;
    if !matches!(
        stmt.kind(),
        kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT
    ) {
        return None;
    }
    let at = syntax::left_side(stmt)
        .iter()
        .position(|n| n.id() == ident.id())?;
    let value = *syntax::expressions(stmt.child_by_field_name("right")?).get(at)?;
    let value = syntax::unparen(value);
    let fun = value.child_by_field_name("function")?;
    let method = fun.child_by_field_name("field")?;
    let src_name = f.text(method);
    (value.kind() == kinds::CALL_EXPRESSION && matches!(src_name, "WithContext" | "Clone"))
        .then_some(stmt)
}

/// Whether the function calls `{request}.MultipartForm.RemoveAll()`.
fn removes(f: &FunctionContext<'_, '_>, request: &str) -> bool {
    let want = format!("{request}.MultipartForm.RemoveAll");
    let mut found = false;
    syntax::walk(f.body, |n| {
        if n.kind() == kinds::CALL_EXPRESSION
            && n.child_by_field_name("function")
                .is_some_and(|fun| f.text(fun).split_whitespace().collect::<String>() == want)
        {
            found = true;
        }
        !found
    });
    found
}
