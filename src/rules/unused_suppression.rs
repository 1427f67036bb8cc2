//! `unused-suppression`: a `//goleaklint:ignore`, `//goleaklint:file-ignore` or
//! `//nolint:goleaklint` directive that silences nothing, or that cannot be
//! understood (unknown rule, missing reason).
//!
//! Stale suppressions hide the next real leak on that line, and a misspelt
//! rule name silences nothing while looking as if it did. The engine applies
//! directives after every other rule has run, so it reports these itself;
//! this type carries the rule's identity and documentation.
//!
//! Example: `//goleaklint:ignore lost-cancel tested elsewhere` above a line
//! with no `lost-cancel` finding. Fix: delete the directive.

use super::{Family, Precision, Rule, RuleMeta};
use crate::diagnostic::Severity;

/// The `unused-suppression` rule.
pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    name: "unused-suppression",
    family: Family::Meta,
    default_severity: Severity::Warning,
    precision: Precision::VeryHigh,
    has_fix: false,
    doc: include_str!("../../rules/unused-suppression.md"),
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
