//! `--new-from-rev REV` and `--new-from-patch FILE`: report only the findings on lines a change
//! added or modified, as golangci-lint's options of the same names do. The change is a unified
//! diff (`git diff REV`, or the patch file); a finding counts as new when its first line is one
//! of the diff's added lines in the new version of its file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The added or modified lines of each file, by path relative to the working directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChangedLines {
    files: BTreeMap<String, BTreeSet<usize>>,
}

impl ChangedLines {
    /// Whether `line` (1-based) of `path` was added or modified.
    pub fn contains(&self, path: &str, line: usize) -> bool {
        self.files.get(path).is_some_and(|l| l.contains(&line))
    }

    /// Reads a unified diff: the `+++ b/path` headers and `@@ -a,b +c,d @@` hunks; a deleted
    /// file (`+++ /dev/null`) adds nothing.
    pub fn parse(diff: &str) -> ChangedLines {
        let mut out = ChangedLines::default();
        let mut file: Option<String> = None;
        let mut line = 0usize;
        for text in diff.lines() {
            if let Some(rest) = text.strip_prefix("+++ ") {
                let path = rest.split('\t').next().unwrap_or(rest).trim();
                file = (path != "/dev/null")
                    .then(|| path.strip_prefix("b/").unwrap_or(path).to_string());
            } else if text.starts_with("--- ") && line == 0 {
                continue;
            } else if let Some(hunk) = text.strip_prefix("@@ ") {
                line = hunk
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix('+'))
                    .and_then(|r| r.split(',').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
            } else if line > 0 {
                match text.as_bytes().first() {
                    Some(b'+') => {
                        if let Some(f) = &file {
                            out.files.entry(f.clone()).or_default().insert(line);
                        }
                        line += 1;
                    }
                    Some(b'-') | Some(b'\\') => {}
                    _ => line += 1,
                }
            }
            if text.starts_with("diff ") {
                line = 0;
            }
        }
        out
    }

    /// The lines changed since `rev` in the working tree below `cwd` (`git diff --relative`, so
    /// paths are relative to `cwd`), untracked files not included.
    pub fn since_rev(cwd: &Path, rev: &str) -> Result<ChangedLines, String> {
        let out = Command::new("git")
            .args([
                "diff",
                "--relative",
                "--no-color",
                "--no-ext-diff",
                "-U0",
                rev,
                "--",
            ])
            .current_dir(cwd)
            .output()
            .map_err(|e| format!("--new-from-rev needs git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--new-from-rev {rev}: git diff failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(ChangedLines::parse(&String::from_utf8_lossy(&out.stdout)))
    }

    /// The lines a patch file adds (paths as the patch names them, relative to the working directory).
    pub fn from_patch(path: &Path) -> Result<ChangedLines, String> {
        std::fs::read_to_string(path)
            .map(|t| ChangedLines::parse(&t))
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_of_each_hunk() {
        let diff = "diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -3,0 +4,2 @@ func f() {\n+\tx := 1\n+\t_ = x\n@@ -10 +12 @@\n-\told()\n+\tnew()\ndiff --git a/gone.go b/gone.go\n--- a/gone.go\n+++ /dev/null\n@@ -1 +0,0 @@\n-package p\ndiff --git a/n.go b/n.go\n--- /dev/null\n+++ b/n.go\n@@ -0,0 +1,2 @@\n+package p\n+\n";
        let c = ChangedLines::parse(diff);
        assert!(c.contains("a.go", 4) && c.contains("a.go", 5) && c.contains("a.go", 12));
        assert!(!c.contains("a.go", 6) && !c.contains("a.go", 3));
        assert!(c.contains("n.go", 1) && c.contains("n.go", 2));
        assert!(!c.files.contains_key("gone.go"));
    }

    #[test]
    fn context_lines_advance_the_count() {
        let diff =
            "--- a/a.go\n+++ b/a.go\n@@ -1,3 +1,4 @@\n package p\n+// added\n \n func f() {}\n";
        let c = ChangedLines::parse(diff);
        assert_eq!(c.files["a.go"], BTreeSet::from([2]));
    }
}
