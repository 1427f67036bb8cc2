//! `--fix`: applies the fixes rules attach, when they are marked safe.
//! Per file, fixes are taken in order and a fix whose edits overlap one
//! already taken waits for the next run; edits are applied from the end of
//! the file so earlier offsets stay valid. A file that no longer parses after
//! its fixes is left untouched.

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::engine::Outcome;
use crate::parse;
use crate::source::{SourceFile, Span};
use std::collections::BTreeMap;
use std::path::Path;

/// What `--fix` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FixSummary {
    /// Fixes applied.
    pub applied: usize,
    /// Files written.
    pub files: usize,
    /// Files left alone, with the reason.
    pub refused: Vec<(String, String)>,
    /// Per rule: the fixes applied, and the fixes left because they are not marked safe.
    pub by_rule: BTreeMap<&'static str, RuleFixes>,
}

/// What `--fix` did with one rule's fixes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RuleFixes {
    /// Fixes written to disk.
    pub applied: usize,
    /// Fixes not applied because they could change behaviour (shown as `= suggestion:`).
    pub unsafe_left: usize,
}

impl FixSummary {
    /// The lines `--fix` prints: the total, then one line per rule that had a fix.
    pub fn report(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "--fix applied {} fix(es) in {} file(s)",
            self.applied, self.files
        )];
        for (rule, n) in &self.by_rule {
            let mut line = format!("--fix: {rule}: {} applied", n.applied);
            if n.unsafe_left > 0 {
                line.push_str(&format!(
                    ", {} left as suggestion(s) (not safe to apply automatically)",
                    n.unsafe_left
                ));
            }
            lines.push(line);
        }
        lines
    }
}

/// Applies the safe fixes of `outcome` to the files on disk; display paths
/// are relative to `cwd`.
pub fn apply_safe_fixes(outcome: &Outcome, cwd: &Path) -> FixSummary {
    let mut by_file: BTreeMap<&str, Vec<(&'static str, &Fix)>> = BTreeMap::new();
    let mut summary = FixSummary::default();
    for d in &outcome.diagnostics {
        if let Some(f) = safe_fix(d) {
            by_file
                .entry(&d.location.path)
                .or_default()
                .push((d.rule.name(), f));
            summary.by_rule.entry(d.rule.name()).or_default();
        } else if d.fix.as_ref().is_some_and(|f| !f.safe) {
            summary
                .by_rule
                .entry(d.rule.name())
                .or_default()
                .unsafe_left += 1;
        }
    }
    for (display, fixes) in by_file {
        let path = cwd.join(display);
        let refuse = |why: String| (display.to_string(), why);
        let read = crate::source::read_regular(&path, crate::source::MAX_SOURCE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not valid UTF-8".to_string()));
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                summary
                    .refused
                    .push(refuse(format!("cannot read file: {e}")));
                continue;
            }
        };
        // The file must still be what was analysed.
        if outcome.sources.get(display).is_some_and(|s| **s != *text) {
            summary
                .refused
                .push(refuse("changed during the run".into()));
            continue;
        }
        let just_fixes: Vec<&Fix> = fixes.iter().map(|(_, f)| *f).collect();
        let (fixed, taken) = apply_some(&text, &just_fixes);
        let n = taken.iter().filter(|t| **t).count();
        if n == 0 {
            continue;
        }
        let parsed = parse::parse(SourceFile::new(display, fixed));
        if parsed.tree.root_node().has_error() {
            summary.refused.push(refuse(
                "the fixed file would not parse; left unchanged".into(),
            ));
            continue;
        }
        if let Err(e) = std::fs::write(&path, &parsed.source.text) {
            summary
                .refused
                .push(refuse(format!("cannot write file: {e}")));
            continue;
        }
        summary.applied += n;
        summary.files += 1;
        for ((rule, _), _) in fixes.iter().zip(&taken).filter(|(_, t)| **t) {
            summary.by_rule.entry(rule).or_default().applied += 1;
        }
    }
    summary
}

fn safe_fix(d: &Diagnostic) -> Option<&Fix> {
    d.fix.as_ref().filter(|f| f.safe && !f.edits.is_empty())
}

/// Applies as many of `fixes` to `text` as do not overlap each other (in
/// order); returns the new text and how many fixes were applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let (out, taken) = apply_some(text, fixes);
    (out, taken.iter().filter(|t| **t).count())
}

/// [`apply`], saying which of `fixes` were applied.
fn apply_some(text: &str, fixes: &[&Fix]) -> (String, Vec<bool>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::with_capacity(fixes.len());
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            valid(text, e.location.span)
                && taken
                    .iter()
                    .all(|t| !overlap(t.location.span, e.location.span))
        }) && !self_overlapping(&fix.edits);
        if fits {
            taken.extend(&fix.edits);
        }
        applied.push(fits);
    }
    taken.sort_by_key(|e| (e.location.span.start, e.location.span.end));
    let mut out = text.to_string();
    for e in taken.iter().rev() {
        out.replace_range(e.location.span.start..e.location.span.end, &e.new_text);
    }
    (out, applied)
}

fn valid(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

/// Two edits conflict when their ranges share a byte, or when both insert at
/// the same place (their order would be a guess).
fn overlap(a: Span, b: Span) -> bool {
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
        || (a.start == a.end && b.start < a.start && a.start < b.end)
        || (b.start == b.end && a.start < b.start && b.start < a.end)
}

fn self_overlapping(edits: &[Edit]) -> bool {
    edits.iter().enumerate().any(|(i, a)| {
        edits[i + 1..]
            .iter()
            .any(|b| overlap(a.location.span, b.location.span))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn fix(src: &SourceFile, edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            description: "f".into(),
            safe: true,
            edits: edits
                .iter()
                .map(|&(s, e, t)| Edit {
                    location: Location::new(src, Span::new(s, e)),
                    new_text: t.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn applies_from_the_end_and_skips_overlaps() {
        let text = "abcdef";
        let src = SourceFile::new("a.go", text.to_string());
        let a = fix(&src, &[(0, 1, "X"), (3, 3, "-")]);
        let b = fix(&src, &[(0, 2, "Y")]); // overlaps a
        let c = fix(&src, &[(5, 6, "Z")]);
        let (out, n) = apply(text, &[&a, &b, &c]);
        assert_eq!(out, "Xbc-deZ");
        assert_eq!(n, 2);
    }

    #[test]
    fn two_insertions_at_one_place_conflict() {
        let src = SourceFile::new("a.go", "ab".to_string());
        let a = fix(&src, &[(1, 1, "x")]);
        let b = fix(&src, &[(1, 1, "y")]);
        assert_eq!(apply("ab", &[&a, &b]), ("axb".to_string(), 1));
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let text = "package p\n\nfunc f() {}\n";
        std::fs::write(dir.path().join("a.go"), text).unwrap();
        let src = SourceFile::new("a.go", text.to_string());
        let mut outcome = Outcome::default();
        outcome.diagnostics.push(Diagnostic {
            rule: crate::rules::RuleId::from_name("lost-cancel").unwrap(),
            severity: crate::diagnostic::Severity::Warning,
            location: Location::new(&src, Span::new(11, 19)),
            message: "m".into(),
            labels: Vec::new(),
            help: None,
            fix: Some(fix(&src, &[(20, 20, "{")])),
            condition: None,
            in_commands: None,
        });
        let summary = apply_safe_fixes(&outcome, dir.path());
        assert_eq!(summary.applied, 0);
        assert_eq!(summary.refused.len(), 1, "{summary:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.go")).unwrap(),
            text
        );
    }
}
