//! Baselines: adopt goleaklint on an existing code base without fixing every
//! old finding first.
//!
//! `--write-baseline FILE` records today's findings; `--baseline FILE` then
//! hides the recorded ones and shows only new findings. A finding is matched
//! by its rule, path and fingerprint (the one SARIF reports, see
//! [`crate::fingerprint`]), so it stays matched when lines above it move. The
//! baseline is a multiset: two recorded identical entries hide two findings,
//! and a third identical finding still shows.
//!
//! ```json
//! {
//!   "version": 1,
//!   "entries": [
//!     { "rule": "lost-cancel", "path": "internal/orders/handler.go",
//!       "fingerprint": "…", "message": "…" }
//!   ]
//! }
//! ```
//! The message is for people reading the file; matching ignores it.

use crate::engine::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The version of the baseline format.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The recorded findings, in the run's output order.
    pub entries: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The rule's name.
    pub rule: String,
    /// The file's path, relative to the working directory of the run.
    pub path: String,
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// The finding's message, for people reading the file.
    #[serde(default)]
    pub message: String,
}

impl Baseline {
    /// The findings of `outcome`.
    pub fn from_outcome(outcome: &Outcome) -> Baseline {
        let fps = outcome.fingerprints();
        Baseline {
            version: VERSION,
            entries: outcome
                .diagnostics
                .iter()
                .zip(fps.iter())
                .map(|(d, fp)| Entry {
                    rule: d.rule.name().to_string(),
                    path: d.location.path.to_string(),
                    fingerprint: fp.clone(),
                    message: d.message.clone(),
                })
                .collect(),
        }
    }

    /// Parses a baseline.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| format!("not a goleaklint baseline: {e}"))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::source::read_small_text(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The baseline as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline serializes");
        s.push('\n');
        s
    }

    /// Writes the baseline file.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.to_json())
            .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    /// Drops the findings of `outcome` recorded in the baseline, each entry
    /// hiding at most one finding; returns how many were dropped. The
    /// survivors keep their fingerprints.
    pub fn apply(&self, outcome: &mut Outcome) -> usize {
        let mut left: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.entries {
            *left
                .entry((e.rule.clone(), e.path.clone(), e.fingerprint.clone()))
                .or_insert(0) += 1;
        }
        let before = outcome.diagnostics.len();
        outcome.retain(|d, fp| {
            let key = (
                d.rule.name().to_string(),
                d.location.path.to_string(),
                fp.to_string(),
            );
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - outcome.diagnostics.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Location, Severity};
    use crate::rules::RuleId;
    use crate::source::{Position, Span};

    fn diag(line: usize) -> Diagnostic {
        let pos = Position { line, column: 1 };
        Diagnostic {
            rule: RuleId::from_name("lost-cancel").unwrap(),
            severity: Severity::Warning,
            location: Location {
                path: "a.go".into(),
                span: Span::new(line, line),
                start: pos,
                end: pos,
            },
            message: format!("finding {line}"),
            labels: Vec::new(),
            help: None,
            fix: None,
            condition: None,
            in_commands: None,
        }
    }

    #[test]
    fn entries_form_a_multiset() {
        // Three findings sharing one fingerprint (e.g. a hash collision or a
        // hand-edited baseline): two identical entries hide exactly two.
        let mut outcome = Outcome {
            diagnostics: vec![diag(1), diag(2), diag(3)],
            fingerprints: vec!["f".into(); 3],
            ..Outcome::default()
        };
        let entry = Entry {
            rule: "lost-cancel".into(),
            path: "a.go".into(),
            fingerprint: "f".into(),
            message: String::new(),
        };
        let other_path = Entry {
            path: "b.go".into(),
            ..entry.clone()
        };
        let baseline = Baseline {
            version: VERSION,
            entries: vec![entry.clone(), other_path, entry],
        };
        assert_eq!(baseline.apply(&mut outcome), 2);
        assert_eq!(outcome.diagnostics, vec![diag(3)]);
        assert_eq!(outcome.fingerprints, vec!["f".to_string()]);
    }

    #[test]
    fn rejects_other_versions_and_shapes() {
        assert!(Baseline::parse(r#"{"version":2,"entries":[]}"#)
            .unwrap_err()
            .contains("version 2"));
        assert!(Baseline::parse("[]").is_err());
        let b = Baseline::parse(
            r#"{"version":1,"entries":[{"rule":"r","path":"p","fingerprint":"f"}]}"#,
        )
        .unwrap();
        assert_eq!(b.entries[0].message, "");
        assert_eq!(Baseline::parse(&b.to_json()).unwrap(), b);
    }
}
