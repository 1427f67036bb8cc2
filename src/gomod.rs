//! go.mod: the module path and the `go` language version.

use std::path::{Path, PathBuf};

/// A Go language version such as `1.21`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoVersion {
    /// Major version (1).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
}

impl GoVersion {
    /// A version.
    pub const fn new(major: u32, minor: u32) -> Self {
        GoVersion { major, minor }
    }

    /// Parses `1.21`, `1.21.3`, `1.21rc1` or `go1.21`.
    pub fn parse(s: &str) -> Option<GoVersion> {
        let s = s.trim().trim_start_matches("go");
        let mut parts = s.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor_raw = parts.next().unwrap_or("0");
        let digits: String = minor_raw.chars().take_while(char::is_ascii_digit).collect();
        let minor = digits.parse().ok()?;
        Some(GoVersion { major, minor })
    }

    /// Whether this version is at least `major.minor`.
    pub fn at_least(self, major: u32, minor: u32) -> bool {
        self >= GoVersion::new(major, minor)
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What a go.mod declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The directory holding go.mod.
    pub root: PathBuf,
    /// The module path.
    pub path: String,
    /// The `go` line, if any.
    pub go_version: Option<GoVersion>,
}

impl Module {
    /// Reads `dir/go.mod`: `Ok(None)` when there is none, an error when one
    /// exists but cannot be used (unreadable, a named pipe or device, too large).
    pub fn read(dir: &Path) -> Result<Option<Module>, String> {
        let path = dir.join("go.mod");
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            _ => {}
        }
        let text = crate::source::read_small_text(&path)?;
        Ok(Some(Module::parse(dir, &text)))
    }

    /// Parses go.mod text.
    pub fn parse(dir: &Path, text: &str) -> Module {
        let mut path = String::new();
        let mut go_version = None;
        for line in text.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            if let Some(rest) = line.strip_prefix("module") {
                if rest.starts_with(char::is_whitespace) {
                    path = rest.trim().trim_matches('"').to_string();
                }
            } else if let Some(rest) = line.strip_prefix("go") {
                if rest.starts_with(char::is_whitespace) {
                    go_version = GoVersion::parse(rest);
                }
            }
        }
        Module {
            root: dir.to_path_buf(),
            path,
            go_version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_mod() {
        let m = Module::parse(
            Path::new("/x"),
            "module example.com/a // c\n\ngo 1.21.3\nrequire x v1\n",
        );
        assert_eq!(m.path, "example.com/a");
        assert_eq!(m.go_version, Some(GoVersion::new(1, 21)));
        assert!(GoVersion::parse("1.23rc1").unwrap().at_least(1, 23));
    }
}
