//! `unclosed-resource`: something that must be closed (a response body, a
//! file, rows, a statement, a connection, an object-store stream) is neither
//! closed on every path nor handed off.
//!
//! ## What it does
//! Follows each acquisition listed under `[[acquire]]` with
//! `group = "unclosed-resource"` in the catalogue, and each call of a package
//! function declared to return `io.ReadCloser`, `*os.File`, `*sql.Rows`,
//! `*http.Response` or a package type with `Close`, through the shared
//! ownership core ([`crate::flow::obligations`]). Reports the call when a
//! path reaches a return without the release, when the value is discarded,
//! or when a loop acquires again before releasing.
//!
//! ## Why is this bad?
//! Each unclosed body, rows or file pins a connection or a descriptor; a
//! busy service runs out of them.
//!
//! ## Example
//! ```go
//! resp, err := c.Get(url)
//! if err != nil {
//!     return err
//! }
//! if resp.StatusCode != http.StatusOK {
//!     return errStatus // the body is never closed here
//! }
//! defer resp.Body.Close()
//! ```
//!
//! Use instead: `defer resp.Body.Close()` right after the error check (the
//! attached fix, when adding it cannot change behaviour).

use super::{obligation_report, Family, Precision, Rule, RuleMeta};
use crate::check::{FunctionContext, Sink};
use crate::diagnostic::Severity;

/// The `unclosed-resource` rule.
pub struct UnclosedResource;

static META: RuleMeta = RuleMeta {
    name: "unclosed-resource",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: true,
    doc: include_str!("../../rules/unclosed-resource.md"),
};

impl Rule for UnclosedResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        obligation_report::report_group(f, sink, META.name, true);
    }
}
