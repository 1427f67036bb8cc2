//! The rule registry. Each rule lives in its own file, declares its metadata
//! in one [`RuleMeta`] constant and implements [`Rule`]. A rule's name appears
//! in its metadata and nowhere else: inside the engine a rule is a [`RuleId`].

use crate::check::{FileContext, FunctionContext, PackageContext, Sink};
pub use crate::diagnostic::RuleId;
use crate::diagnostic::Severity;

mod abandoned_send;
mod cgo_unfreed;
mod closer_as_reader;
mod defer_in_loop;
mod field_not_released;
mod goroutine_not_stopped;
mod lost_cancel;
mod multipart_not_removed;
mod obligation_report;
mod stuck_goroutine;
mod time_after_in_loop;
mod time_tick;
mod timers;
mod unbounded_map;
mod unclosed_kafka;
mod unclosed_resource;
mod unstopped_ticker;
mod unused_suppression;

/// Every rule, in the order of their ids. `unused-suppression` comes first:
/// the engine itself reports it, through [`UNUSED_SUPPRESSION`].
static REGISTRY: &[&dyn Rule] = &[
    &unused_suppression::UnusedSuppression,
    &lost_cancel::LostCancel,
    &abandoned_send::AbandonedSend,
    &stuck_goroutine::StuckGoroutine,
    &time_tick::TimeTick,
    &time_after_in_loop::TimeAfterInLoop,
    &defer_in_loop::DeferInLoop,
    &unbounded_map::UnboundedMap,
    &unclosed_resource::UnclosedResource,
    &unclosed_kafka::UnclosedKafka,
    &closer_as_reader::CloserAsReader,
    &multipart_not_removed::MultipartNotRemoved,
    &cgo_unfreed::CgoUnfreed,
    &field_not_released::FieldNotReleased,
    &goroutine_not_stopped::GoroutineNotStopped,
    &unstopped_ticker::UnstoppedTicker,
];

/// The rule under which unused or malformed suppression directives are reported.
pub const UNUSED_SUPPRESSION: RuleId = RuleId(0);

/// `unbounded-map`, whose findings on maps keyed by exported functions'
/// parameters the engine settles once every package ran.
pub const UNBOUNDED_MAP: RuleId = RuleId(7);

/// What kind of leak a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Goroutines blocked forever.
    Goroutine,
    /// Resources that must be closed or released.
    Resource,
    /// Contexts that must be cancelled.
    Context,
    /// Timers and tickers.
    Timer,
    /// Memory that only grows.
    Memory,
    /// goleaklint's own directives.
    Meta,
}

impl Family {
    /// Lowercase name, used as a SARIF tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Goroutine => "goroutine",
            Family::Resource => "resource",
            Family::Context => "context",
            Family::Timer => "timer",
            Family::Memory => "memory",
            Family::Meta => "meta",
        }
    }
}

/// How often a rule's findings are real leaks (SARIF `precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Findings are almost always real.
    VeryHigh,
    /// Findings are usually real.
    High,
    /// Findings need a look.
    Medium,
}

impl Precision {
    /// The SARIF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable name used in suppressions, configuration and output.
    pub name: &'static str,
    /// What it is about.
    pub family: Family,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// How often findings are real.
    pub precision: Precision,
    /// Whether the rule attaches fixes.
    pub has_fix: bool,
    /// The Markdown documentation (`rules/<name>.md`).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The one-line summary: the first paragraph after the doc's title.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
    }
}

/// One rule's checks, at the scale it needs.
///
/// The engine walks each file once, builds scopes and a control-flow graph per
/// function lazily, and calls the hooks of the rules whose [`Rule::wants_file`]
/// pre-filter passes.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// A cheap pre-filter: whether the file can hold a finding at all
    /// (e.g. it imports `context`).
    fn wants_file(&self, _file: &FileContext<'_>) -> bool {
        true
    }

    /// Builds the package facts the rule reads ([`PackageContext::fact`]).
    /// The engine calls it for the rules some file of the package wants,
    /// side by side, before any file is checked: no worker then waits on a
    /// fact another is building, and a fact's own build can use every core.
    fn prepare(&self, _pkg: &PackageContext<'_>) {}

    /// Checks one function (declaration, method or literal).
    fn check_function(&self, _func: &FunctionContext<'_, '_>, _sink: &mut Sink<'_>) {}

    /// Checks one file as a whole. Package-wide facts (every file's
    /// declarations, writes to package variables, channel summaries) are at
    /// hand through `file.package`, so a package-scale rule reports here, in
    /// the file that holds the finding, and runs for an editor's single
    /// re-analysed file just as for the whole package.
    fn check_file(&self, _file: &FileContext<'_>, _sink: &mut Sink<'_>) {}
}

impl RuleId {
    /// Every registered rule.
    pub fn all() -> impl Iterator<Item = RuleId> {
        (0..REGISTRY.len() as u16).map(RuleId)
    }

    /// Looks a rule up by name (at the borders: CLI, config, suppressions).
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::all().find(|r| r.name() == name)
    }

    /// The rule's stable name.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// The rule's metadata.
    pub fn meta(self) -> &'static RuleMeta {
        REGISTRY[self.0 as usize].meta()
    }

    /// The rule's checks.
    pub fn rule(self) -> &'static dyn Rule {
        REGISTRY[self.0 as usize]
    }

    /// Position in the registry (SARIF `ruleIndex`).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A rule is written by its name, so that stored results never depend on the registry's order.
impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        RuleId::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{name}`")))
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of every rule, for error messages.
pub fn known_names() -> String {
    RuleId::all()
        .map(RuleId::name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unused_suppression_id_matches_registry() {
        assert_eq!(UNUSED_SUPPRESSION.name(), "unused-suppression");
        assert_eq!(UNBOUNDED_MAP.name(), "unbounded-map");
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        for r in RuleId::all() {
            assert_eq!(RuleId::from_name(r.name()), Some(r));
            assert!(!r.meta().summary().is_empty(), "{} has a summary", r);
            assert!(r.meta().doc.starts_with(&format!("# {}\n", r.name())));
        }
    }
}
