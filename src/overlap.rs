//! One leak, one finding. `goroutine-not-stopped`, `field-not-released`,
//! `unstopped-ticker` and `stuck-goroutine` look at the same code from
//! different sides, and a goroutine ranging over a ticker, or an object's loop
//! that cannot obey its `Stop`, can satisfy two of them. When findings of
//! different rules of that set are about the same leak, only one is kept: the
//! most severe, and among equals the most specific (the order of
//! [`PRECEDENCE`]).
//!
//! Two findings are about the same leak when their primary locations are on
//! the same line, or when both label the same `go` statement and one labels
//! the line the other reports (the goroutine waits there). The step runs
//! once for each file, after every rule has reported in it (a finding lives
//! in one file, so this is after all rules ran for the package's findings in
//! that file), and before suppressions: a directive that silences any
//! finding of a group silences the group, so naming either rule works and is
//! never reported unused.

use crate::diagnostic::{Diagnostic, Label};

/// The rules whose findings can describe one leak, most specific first:
/// the object's lifetime (the fix goes in its `Stop`/`Close`), then the
/// resource held, then the goroutine alone.
pub const PRECEDENCE: [&str; 4] = [
    "goroutine-not-stopped",
    "field-not-released",
    "unstopped-ticker",
    "stuck-goroutine",
];

fn rank(d: &Diagnostic) -> Option<usize> {
    PRECEDENCE.iter().position(|n| *n == d.rule.name())
}

/// The findings of one file grouped by the leak they describe.
#[derive(Debug)]
pub struct Overlaps {
    /// A representative index per finding (a union-find forest).
    parent: Vec<usize>,
}

impl Overlaps {
    /// Groups `diags`; `go_start(label)` says whether a label points at a
    /// `go` statement.
    pub fn find(diags: &[Diagnostic], go_start: impl Fn(&Label) -> bool) -> Overlaps {
        let mut out = Overlaps {
            parent: (0..diags.len()).collect(),
        };
        let ranked: Vec<usize> = (0..diags.len())
            .filter(|&i| rank(&diags[i]).is_some())
            .collect();
        if ranked.len() < 2 {
            return out;
        }
        let starts: Vec<Vec<&Label>> = diags
            .iter()
            .map(|d| {
                if rank(d).is_some() {
                    d.labels.iter().filter(|l| go_start(l)).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        for (x, &i) in ranked.iter().enumerate() {
            for &j in &ranked[x + 1..] {
                let (a, b) = (&diags[i], &diags[j]);
                if a.rule != b.rule && same_leak(a, &starts[i], b, &starts[j]) {
                    out.union(i, j);
                }
            }
        }
        out
    }

    fn root(&self, mut i: usize) -> usize {
        // Unions always point at a smaller index, so this ends.
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, i: usize, j: usize) {
        let (a, b) = (self.root(i), self.root(j));
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        self.parent[hi] = lo;
    }

    /// Which findings to keep: none of a group any of whose findings is
    /// `silenced`, else the one of each group that [`better`] prefers.
    pub fn keep(&self, diags: &[Diagnostic], silenced: &[bool]) -> Vec<bool> {
        let n = diags.len();
        let mut quiet = vec![false; n];
        let mut best: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            let r = self.root(i);
            quiet[r] |= silenced.get(i).copied().unwrap_or(false);
            best[r] = match best[r] {
                Some(b) if !better(&diags[i], &diags[b]) => Some(b),
                _ => Some(i),
            };
        }
        (0..n)
            .map(|i| {
                let r = self.root(i);
                !quiet[r] && best[r] == Some(i)
            })
            .collect()
    }
}

/// Whether `a` should be kept over `b`: more severe, or as severe and more specific.
fn better(a: &Diagnostic, b: &Diagnostic) -> bool {
    let key = |d: &Diagnostic| (std::cmp::Reverse(d.severity), rank(d).unwrap_or(usize::MAX));
    key(a) < key(b)
}

fn same_leak(a: &Diagnostic, a_go: &[&Label], b: &Diagnostic, b_go: &[&Label]) -> bool {
    let (pa, pb) = (&a.location, &b.location);
    if pa.path == pb.path && pa.start.line == pb.start.line {
        return true;
    }
    // Rules label the `go` keyword or the whole statement: compare starts.
    let shared = a_go.iter().any(|x| {
        b_go.iter().any(|y| {
            x.location.path == y.location.path && x.location.span.start == y.location.span.start
        })
    });
    shared && (labels_line(a, b) || labels_line(b, a))
}

/// Whether one of `a`'s labels is on the line `b` reports.
fn labels_line(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.labels.iter().any(|l| {
        l.location.path == b.location.path && l.location.start.line == b.location.start.line
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, RuleId, Severity};
    use crate::source::{SourceFile, Span};

    const SRC: &str = "package p\nline2\nline3\nline4\nline5\n";

    fn at(line: usize) -> Span {
        let start: usize = SRC.lines().take(line - 1).map(|l| l.len() + 1).sum();
        Span::new(start, start + 2)
    }

    fn diag(rule: &str, line: usize, labels: &[usize]) -> Diagnostic {
        let file = SourceFile::new("a.go", SRC.to_string());
        Diagnostic {
            rule: RuleId::from_name(rule).expect("rule"),
            severity: Severity::Warning,
            location: Location::new(&file, at(line)),
            message: String::new(),
            labels: labels
                .iter()
                .map(|&l| Label {
                    location: Location::new(&file, at(l)),
                    message: String::new(),
                })
                .collect(),
            help: None,
            fix: None,
            condition: None,
            in_commands: None,
        }
    }

    /// Line 2 holds the `go` statement.
    fn go_on_2(l: &Label) -> bool {
        l.location.start.line == 2
    }

    #[test]
    fn precedence_names_registered_rules() {
        for name in PRECEDENCE {
            assert!(RuleId::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn same_line_keeps_the_more_specific_rule() {
        let diags = [
            diag("stuck-goroutine", 3, &[2]),
            diag("goroutine-not-stopped", 3, &[2]),
            diag("lost-cancel", 3, &[]),
        ];
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[false; 3]);
        assert_eq!(keep, vec![false, true, true]);
    }

    #[test]
    fn a_more_severe_finding_wins() {
        let mut diags = [
            diag("stuck-goroutine", 3, &[]),
            diag("goroutine-not-stopped", 3, &[]),
        ];
        diags[1].severity = Severity::Note;
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[false; 2]);
        assert_eq!(keep, vec![true, false]);
    }

    #[test]
    fn one_goroutine_waiting_where_the_other_reports() {
        // The ticker is made on line 1, the goroutine starts on 2 and waits on 4.
        let diags = [
            diag("unstopped-ticker", 1, &[4, 2]),
            diag("stuck-goroutine", 4, &[2]),
            diag("stuck-goroutine", 5, &[2]),
        ];
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[false; 3]);
        assert_eq!(keep, vec![true, false, true]);
    }

    #[test]
    fn a_shared_line_without_a_shared_goroutine_is_two_leaks() {
        let diags = [
            diag("field-not-released", 1, &[4]),
            diag("goroutine-not-stopped", 4, &[5]),
        ];
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[false; 2]);
        assert_eq!(keep, vec![true, true]);
    }

    #[test]
    fn silencing_any_member_silences_the_group() {
        let diags = [
            diag("stuck-goroutine", 3, &[]),
            diag("goroutine-not-stopped", 3, &[]),
        ];
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[true, false]);
        assert_eq!(keep, vec![false, false]);
    }

    #[test]
    fn same_rule_twice_is_kept_twice() {
        let diags = [
            diag("stuck-goroutine", 3, &[]),
            diag("stuck-goroutine", 3, &[]),
        ];
        let keep = Overlaps::find(&diags, go_on_2).keep(&diags, &[false; 2]);
        assert_eq!(keep, vec![true, true]);
    }
}
