//! The one diagnostic type every rule produces and every reporter renders.

use crate::source::{Position, SourceFile, Span};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on note`.
    Note,
    /// A likely leak.
    Warning,
    /// A certain leak.
    Error,
}

impl Severity {
    /// The lowercase name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `note`, `warning` (or `warn`) and `error`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file, resolved to lines and columns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Display path of the file.
    pub path: Arc<str>,
    /// Byte range.
    pub span: Span,
    /// Where the range starts.
    pub start: Position,
    /// Where the range ends.
    pub end: Position,
}

impl Location {
    /// The location of `span` in `file`.
    pub fn new(file: &SourceFile, span: Span) -> Self {
        Location {
            path: file.display.clone(),
            span,
            start: file.position(span.start),
            end: file.position(span.end),
        }
    }
}

/// A secondary place that explains the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// What happens there, e.g. "this return skips `cancel`".
    pub message: String,
}

/// One text replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// The range replaced (empty for an insertion).
    pub location: Location,
    /// The replacement text.
    pub new_text: String,
}

/// A mechanical fix attached to a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, e.g. "add `defer cancel()`".
    pub description: String,
    /// Whether `--fix` may apply it unattended.
    pub safe: bool,
    /// The edits, all in the diagnostic's file.
    pub edits: Vec<Edit>,
}

/// A rule, as the engine refers to it: an index into the rule registry
/// ([`crate::rules`] gives it a name, metadata and checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub(crate) u16);

/// A finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Which rule found it.
    pub rule: RuleId,
    /// How serious it is (after configuration).
    pub severity: Severity,
    /// The primary location.
    pub location: Location,
    /// Lowercase, no trailing period: what leaks and what follows.
    pub message: String,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// A mechanical fix, when there is one.
    pub fix: Option<Fix>,
    /// For a finding that callers in other packages may settle: what
    /// silences it once every package has run ([`crate::facts::callers`]).
    /// Front ends that see no importers report it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<crate::facts::callers::Condition>,
    /// For a finding that holds for a long-running process: the note it
    /// becomes when only commands that exit link its package, settled once
    /// every package has run ([`crate::facts::linkage`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_commands: Option<crate::facts::linkage::InCommands>,
}

impl Diagnostic {
    /// The sort key: path, line, column, rule, message.
    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (
            &self.location.path,
            self.location.start,
            self.rule.name(),
            &self.message,
        )
    }
}

/// A file that could not be analysed (or only partly), with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileError {
    /// Display path of the file.
    pub path: String,
    /// 1-based line of the problem, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Why.
    pub message: String,
}

/// `path:line:col: message`, or `path: message` when the position is not known: the form
/// compilers and `go vet` use, which editors and terminals turn into links.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.path, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}
