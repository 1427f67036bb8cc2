//! The configuration file, `.goleaklint.toml`, found by walking up from a
//! package's directory, and the resolved settings the engine runs with.
//! Every problem in the file is reported as `path:line:col: message`.

use crate::catalog::{Catalog, CatalogFile};
use crate::diagnostic::Severity;
use crate::gomod::GoVersion;
use crate::rules::{self, RuleId};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for.
pub const CONFIG_FILE: &str = ".goleaklint.toml";

/// The configuration file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Go language version override (`"1.21"`), instead of go.mod's `go` line.
    pub go: Option<Spanned<String>>,
    /// Analyse `_test.go` files (default true).
    pub tests: Option<bool>,
    /// The highest severity a finding in a `_test.go` file is reported at
    /// (default `note`).
    pub test_severity: Option<Spanned<String>>,
    /// Glob patterns of paths (relative to the working directory) to skip.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// The least severity that fails the run.
    pub fail_on: Option<Spanned<String>>,
    /// Which rules run.
    #[serde(default)]
    pub rules: RuleSelection,
    /// Severity per rule.
    #[serde(default)]
    pub severity: BTreeMap<String, Spanned<String>>,
    /// Extra catalogue entries (same tables as `rules/catalog.toml`).
    #[serde(default)]
    pub catalog: CatalogFile,
}

/// `[rules]`: which rules run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSelection {
    /// When non-empty, only these rules run.
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    /// These rules do not run.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

/// A configuration problem: the message, and the byte range of the offending text when it
/// comes from a file ([`load`] turns it into `path:line:col:`).
#[derive(Debug)]
pub struct ConfigError(pub String, pub Option<Range<usize>>);

impl ConfigError {
    fn at(span: Range<usize>, message: String) -> ConfigError {
        ConfigError(message, Some(span))
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// What the engine runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    enabled: Vec<bool>,
    severity: Vec<Severity>,
    /// Overrides every package's go.mod version.
    pub go_version: Option<GoVersion>,
    /// Library knowledge.
    pub catalog: Catalog,
    /// Ignore suppression directives.
    pub no_ignore: bool,
    /// Read and parse only; run no rule (benchmarks).
    pub parse_only: bool,
    /// What one file may cost.
    pub budget: crate::budget::Budget,
    /// The highest severity of a finding in a `_test.go` file: a test
    /// binary lives for one run, so what it leaks is reclaimed when it exits.
    pub test_severity: Severity,
}

/// The default [`Settings::test_severity`].
pub const DEFAULT_TEST_SEVERITY: Severity = Severity::Note;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enabled: RuleId::all().map(|_| true).collect(),
            severity: RuleId::all().map(|r| r.meta().default_severity).collect(),
            go_version: None,
            catalog: Catalog::builtin(),
            no_ignore: false,
            parse_only: false,
            budget: crate::budget::Budget::default(),
            test_severity: DEFAULT_TEST_SEVERITY,
        }
    }
}

impl Settings {
    /// Whether `rule` runs.
    pub fn is_enabled(&self, rule: RuleId) -> bool {
        self.enabled[rule.index()]
    }

    /// The severity `rule` reports at.
    pub fn severity(&self, rule: RuleId) -> Severity {
        self.severity[rule.index()]
    }

    /// The severity a finding of `rule` gets in a file: the rule's, capped
    /// at [`Settings::test_severity`] in a `_test.go` file.
    pub fn severity_in(&self, rule: RuleId, test_file: bool) -> Severity {
        let s = self.severity(rule);
        if test_file {
            s.min(self.test_severity)
        } else {
            s
        }
    }

    /// The enabled rules.
    pub fn enabled_rules(&self) -> Vec<RuleId> {
        RuleId::all().filter(|r| self.is_enabled(*r)).collect()
    }

    /// Everything that shapes the findings, in a stable text form: rules
    /// and severities, Go version, suppression handling, the per-file
    /// budget, the catalogue.
    pub fn fingerprint(&self) -> String {
        let mut out = String::new();
        for r in RuleId::all() {
            out.push_str(&format!(
                "rule {} {} {}\n",
                r.name(),
                self.is_enabled(r),
                self.severity(r)
            ));
        }
        out.push_str(&format!(
            "go {:?}\nno-ignore {}\nparse-only {}\nbudget {:?}\ntest-severity {}\n",
            self.go_version, self.no_ignore, self.parse_only, self.budget, self.test_severity
        ));
        out.push_str(&self.catalog.canonical());
        out
    }

    /// Runs only the named rules.
    pub fn enable_only(&mut self, names: &[String]) -> Result<(), ConfigError> {
        let ids = parse_rules(names)?;
        for r in RuleId::all() {
            self.enabled[r.index()] = ids.contains(&r);
        }
        Ok(())
    }

    /// Stops the named rules.
    pub fn disable(&mut self, names: &[String]) -> Result<(), ConfigError> {
        for r in parse_rules(names)? {
            self.enabled[r.index()] = false;
        }
        Ok(())
    }

    /// Applies a configuration file's contents; an error points at the offending value.
    pub fn apply(&mut self, file: ConfigFile) -> Result<(), ConfigError> {
        if let Some(go) = &file.go {
            self.go_version = Some(GoVersion::parse(go.as_ref()).ok_or_else(|| {
                ConfigError::at(go.span(), format!("invalid Go version `{}`", go.as_ref()))
            })?);
        }
        let enable = spanned_rules(&file.rules.enable)?;
        if !enable.is_empty() {
            for r in RuleId::all() {
                self.enabled[r.index()] = enable.contains(&r);
            }
        }
        for r in spanned_rules(&file.rules.disable)? {
            self.enabled[r.index()] = false;
        }
        for (name, sev) in &file.severity {
            let r = RuleId::from_name(name)
                .ok_or_else(|| ConfigError::at(sev.span(), unknown_rule(name)))?;
            self.severity[r.index()] = Severity::parse(sev.as_ref()).ok_or_else(|| {
                ConfigError::at(
                    sev.span(),
                    format!(
                        "invalid severity `{}` for `{name}`: use note, warning or error",
                        sev.as_ref()
                    ),
                )
            })?;
        }
        if let Some(sev) = &file.test_severity {
            self.test_severity = Severity::parse(sev.as_ref()).ok_or_else(|| {
                ConfigError::at(
                    sev.span(),
                    format!(
                        "invalid test-severity `{}`: use note, warning or error",
                        sev.as_ref()
                    ),
                )
            })?;
        }
        self.catalog.extend(file.catalog);
        Ok(())
    }
}

fn unknown_rule(name: &str) -> String {
    format!(
        "unknown rule `{name}` (known rules: {})",
        rules::known_names()
    )
}

fn spanned_rules(names: &[Spanned<String>]) -> Result<Vec<RuleId>, ConfigError> {
    names
        .iter()
        .map(|n| {
            RuleId::from_name(n.as_ref().trim())
                .ok_or_else(|| ConfigError::at(n.span(), unknown_rule(n.as_ref())))
        })
        .collect()
}

fn parse_rules(names: &[String]) -> Result<Vec<RuleId>, ConfigError> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| RuleId::from_name(n).ok_or_else(|| ConfigError(unknown_rule(n), None)))
        .collect()
}

/// Finds `.goleaklint.toml` in `dir` or the nearest directory above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    // `./sub` and `sub` name the same file: drop `.` so messages show a clean path.
    let dir: PathBuf = dir
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// A configuration file, read and applied.
#[derive(Debug)]
pub struct Loaded {
    /// The engine settings: defaults with the file applied.
    pub settings: Settings,
    /// `tests`, when the file sets it.
    pub tests: Option<bool>,
    /// `fail-on`, when the file sets it.
    pub fail_on: Option<Severity>,
    /// `exclude`, when the file sets it.
    pub exclude: Option<globset::GlobSet>,
}

/// Reads a configuration file and applies it to the default settings. Errors read
/// `path:line:col: message`.
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let text = crate::source::read_small_text(path)
        .map_err(|e| ConfigError(format!("{}: {e}", path.display()), None))?;
    interpret(&text).map_err(|e| {
        let at = match &e.1 {
            Some(span) => {
                let (line, col) = line_col(&text, span.start);
                format!("{}:{line}:{col}", path.display())
            }
            None => path.display().to_string(),
        };
        ConfigError(format!("{at}: {}", e.0), e.1)
    })
}

/// Parses and applies configuration text.
fn interpret(text: &str) -> Result<Loaded, ConfigError> {
    let file = parse(text)?;
    let fail_on = match &file.fail_on {
        Some(f) => Some(Severity::parse(f.as_ref()).ok_or_else(|| {
            ConfigError::at(
                f.span(),
                format!(
                    "invalid fail-on `{}`: use note, warning or error",
                    f.as_ref()
                ),
            )
        })?),
        None => None,
    };
    let exclude = if file.exclude.is_empty() {
        None
    } else {
        let mut b = globset::GlobSetBuilder::new();
        for g in &file.exclude {
            b.add(
                globset::Glob::new(g.as_ref())
                    .map_err(|e| ConfigError::at(g.span(), e.to_string()))?,
            );
        }
        Some(b.build().map_err(|e| ConfigError(e.to_string(), None))?)
    };
    let tests = file.tests;
    let mut settings = Settings::default();
    settings.apply(file)?;
    Ok(Loaded {
        settings,
        tests,
        fail_on,
        exclude,
    })
}

/// Parses configuration text.
pub fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError(e.message().to_string(), e.span()))
}

/// The 1-based line and byte column of `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_rules_and_severity() {
        let file = parse(
            "go = \"1.22\"\n[rules]\ndisable = [\"unused-suppression\"]\n[severity]\nlost-cancel = \"error\"\n",
        )
        .unwrap();
        let mut s = Settings::default();
        s.apply(file).unwrap();
        let lc = RuleId::from_name("lost-cancel").unwrap();
        assert_eq!(s.severity(lc), Severity::Error);
        assert!(!s.is_enabled(RuleId::from_name("unused-suppression").unwrap()));
        assert_eq!(s.go_version, Some(GoVersion::new(1, 22)));
    }

    #[test]
    fn test_files_are_capped_at_the_test_severity() {
        let lc = RuleId::from_name("lost-cancel").unwrap();
        let mut s = Settings::default();
        s.apply(parse("[severity]\nlost-cancel = \"error\"\n").unwrap())
            .unwrap();
        assert_eq!(s.severity_in(lc, false), Severity::Error);
        assert_eq!(s.severity_in(lc, true), Severity::Note);
        s.apply(parse("test-severity = \"warning\"\n").unwrap())
            .unwrap();
        assert_eq!(s.severity_in(lc, true), Severity::Warning);
        s.apply(parse("test-severity = \"error\"\n").unwrap())
            .unwrap();
        assert_eq!(s.severity_in(lc, true), Severity::Error);
        // A rule below the cap keeps its own severity.
        s.apply(parse("[severity]\nlost-cancel = \"note\"\n").unwrap())
            .unwrap();
        assert_eq!(s.severity_in(lc, true), Severity::Note);
        assert_ne!(
            Settings::default().fingerprint(),
            s.fingerprint(),
            "the cap shapes findings, so it keys the result cache"
        );
    }

    #[test]
    fn unknown_rule_is_an_error() {
        let file = parse("[rules]\ndisable = [\"nope\"]\n").unwrap();
        let err = Settings::default().apply(file).unwrap_err();
        assert!(err.0.contains("unknown rule `nope`"));
    }

    #[test]
    fn unknown_key_is_an_error() {
        assert!(parse("colour = 1\n").is_err());
    }

    fn load_error(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, text).unwrap();
        let err = load(&path).unwrap_err().0;
        err.strip_prefix(&format!("{}:", path.display()))
            .unwrap_or(&err)
            .to_string()
    }

    #[test]
    fn errors_carry_line_and_column() {
        assert!(
            load_error("tests = true\n[rules]\ndisable = [\"lost-cancel\", \"nope\"]\n")
                .starts_with("3:27: unknown rule `nope`"),
            "{}",
            load_error("tests = true\n[rules]\ndisable = [\"lost-cancel\", \"nope\"]\n")
        );
        assert!(load_error("\n[severity]\nlost-cancel = \"loud\"\n")
            .starts_with("3:15: invalid severity `loud`"));
        assert!(load_error("fail-on = \"never\"\n").starts_with("1:11: invalid fail-on"));
        assert!(load_error("test-severity = \"off\"\n")
            .starts_with("1:17: invalid test-severity `off`"));
        assert!(load_error("go = \"one\"\n").starts_with("1:6: invalid Go version"));
        assert!(load_error("exclude = [\"a/**\", \"b/[\"]\n").starts_with("1:20: "));
        let syntax = load_error("tests = true\ncolour = 1\n");
        assert!(
            syntax.starts_with("2:1: unknown field `colour`"),
            "{syntax}"
        );
        let syntax = load_error("tests = \n");
        assert!(syntax.starts_with("1:"), "{syntax}");
    }
}
