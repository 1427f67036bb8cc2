//! `closer-as-reader`: a function declared to return `io.Reader` (or
//! another interface without `Close`) returns a value that must be closed.
//!
//! ## What it does
//! For each acquisition of the `unclosed-resource` catalogue (files, bodies,
//! object-store objects, rows, a package function's `io.ReadCloser`) that
//! the shared ownership core sees returned, looks up the declared type of
//! that result. When it is a Close-less `io` interface, reports the return.
//!
//! ## Why is this bad?
//! The caller cannot close what its static type hides: every call leaks the
//! descriptor, connection or stream behind the reader.
//!
//! ## Example
//! ```go
//! func (s *Store) Download(ctx context.Context, key string) (io.Reader, error) {
//!     obj, err := s.mc.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
//!     if err != nil {
//!         return nil, err
//!     }
//!     return obj, nil // the caller cannot close obj
//! }
//! ```
//!
//! Use instead: declare the result as `io.ReadCloser`.

use super::obligation_report::what;
use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::obligation::{released_by_cleanup, returned_at, Obligation, Verdict};
use crate::flow::types::NamedType;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// The `closer-as-reader` rule.
pub struct CloserAsReader;

static META: RuleMeta = RuleMeta {
    name: "closer-as-reader",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: true,
    doc: include_str!("../../rules/closer-as-reader.md"),
};

/// Close-less `io` interfaces and the declaration that keeps `Close` visible.
const HIDING: &[(&str, &str)] = &[
    ("Reader", "ReadCloser"),
    ("Writer", "WriteCloser"),
    ("ReadSeeker", "ReadSeekCloser"),
    ("ReadWriter", "ReadWriteCloser"),
    ("ReaderAt", "ReadCloser"),
    ("WriterTo", "ReadCloser"),
    ("ReadWriteSeeker", "ReadWriteCloser"),
];

/// The `io` interface a declared result type names, as (written, visible
/// replacement): `io.Reader` through the file's import of `io` (renamed or
/// not), or `Reader` unqualified inside package `io` itself.
fn hiding_type(f: &FunctionContext<'_, '_>, ty: Node<'_>) -> Option<(String, String)> {
    let named = NamedType::parse(f, f.text(ty))?;
    let in_io = match named.package {
        Some(path) => path == "io",
        None => f.file.package.path == Some("io"),
    };
    if !in_io || named.pointer {
        return None;
    }
    let &(_, visible) = HIDING.iter().find(|(h, _)| *h == named.name)?;
    let written = f.text(ty).trim();
    let qualifier = written.strip_suffix(named.name).unwrap_or("");
    Some((written.to_string(), format!("{qualifier}{visible}")))
}

impl Rule for CloserAsReader {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let obligations = f.obligations();
        let candidates = obligations.iter().filter(|o| {
            o.entry.group == "unclosed-resource"
                && matches!(o.verdict, Verdict::HandedOff | Verdict::Leaks(_))
                // Returned with the cleanup that closes it: callers call that.
                && !released_by_cleanup(f, o)
        });
        let mut results = None;
        let mut seen = Vec::new();
        for ob in candidates {
            for (ret, index) in returned_at(f, ob) {
                let results = results.get_or_insert_with(|| declared_results(f.node));
                let Some(&ty) = results.get(index) else {
                    continue;
                };
                let Some((hiding, visible)) = hiding_type(f, ty) else {
                    continue;
                };
                if seen.contains(&ret.id()) {
                    continue;
                }
                seen.push(ret.id());
                let fname = f
                    .node
                    .child_by_field_name("name")
                    .map_or("this function literal", |n| f.text(n));
                let noun = returned_noun(f, ob, ret, index);
                sink.report(
                    Span::of(ret),
                    format!(
                        "{fname} returns the {noun} from {} as {hiding}, so callers cannot close it",
                        what(f, ob)
                    ),
                )
                .label(ob.span(), format!("the {} is acquired here", ob.entry.noun))
                .label(Span::of(ty), format!("declared as {hiding}, which has no Close"))
                .help(format!("declare the result as {visible} and close it in the callers"))
                .fix(
                    format!("declare the result as {visible}"),
                    false,
                    vec![(Span::of(ty), visible.clone())],
                );
            }
        }
    }
}

/// The resource's noun, naming the field when a field of it is returned
/// (`resp.Body`: the response body).
fn returned_noun(
    f: &FunctionContext<'_, '_>,
    ob: &Obligation<'_>,
    ret: Node<'_>,
    index: usize,
) -> String {
    let noun = &ob.entry.noun;
    let value = syntax::named_children(ret)
        .next()
        .map(syntax::expressions)
        .and_then(|v| v.get(index).copied())
        .map(syntax::unparen);
    let field = value
        .filter(|v| v.kind() == kinds::SELECTOR_EXPRESSION)
        .and_then(|v| v.child_by_field_name("field"))
        .map(|x| f.text(x).to_lowercase());
    match field {
        Some(field) if !noun.ends_with(&field) => format!("{noun} {field}"),
        _ => noun.clone(),
    }
}

/// The declared result types of a function, one per result.
fn declared_results(func: Node<'_>) -> Vec<Node<'_>> {
    let Some(result) = func.child_by_field_name("result") else {
        return Vec::new();
    };
    if result.kind() != kinds::PARAMETER_LIST {
        return vec![result];
    }
    let mut out = Vec::new();
    for decl in syntax::named_children(result).filter(|d| d.kind() == kinds::PARAMETER_DECLARATION)
    {
        let Some(ty) = decl.child_by_field_name("type") else {
            continue;
        };
        let names = syntax::field_children(decl, "name").len().max(1);
        out.extend(std::iter::repeat_n(ty, names));
    }
    out
}
