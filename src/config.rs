//! The configuration file, `.goleaklint.toml`, found by walking up from the
//! working directory, and the resolved settings the engine runs with.

use crate::catalog::{Catalog, CatalogFile};
use crate::diagnostic::Severity;
use crate::gomod::GoVersion;
use crate::rules::{self, RuleId};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const CONFIG_FILE: &str = ".goleaklint.toml";

/// The configuration file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Go language version override (`"1.21"`), instead of go.mod's `go` line.
    pub go: Option<String>,
    /// Analyse `_test.go` files (default true).
    pub tests: Option<bool>,
    /// Glob patterns of paths (relative to the working directory) to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The least severity that fails the run.
    pub fail_on: Option<String>,
    /// Which rules run.
    #[serde(default)]
    pub rules: RuleSelection,
    /// Severity per rule.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
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
    pub enable: Vec<String>,
    /// These rules do not run.
    #[serde(default)]
    pub disable: Vec<String>,
}

/// A configuration problem, with the file it came from.
#[derive(Debug)]
pub struct ConfigError(pub String);

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enabled: RuleId::all().map(|_| true).collect(),
            severity: RuleId::all().map(|r| r.meta().default_severity).collect(),
            go_version: None,
            catalog: Catalog::builtin(),
            no_ignore: false,
            parse_only: false,
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

    /// The enabled rules.
    pub fn enabled_rules(&self) -> Vec<RuleId> {
        RuleId::all().filter(|r| self.is_enabled(*r)).collect()
    }

    /// Everything that shapes the findings, in a stable text form: rules
    /// and severities, Go version, suppression handling, the catalogue.
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
            "go {:?}\nno-ignore {}\nparse-only {}\n",
            self.go_version, self.no_ignore, self.parse_only
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

    /// Applies a configuration file's contents.
    pub fn apply(&mut self, file: ConfigFile) -> Result<(), ConfigError> {
        if let Some(go) = &file.go {
            self.go_version = Some(
                GoVersion::parse(go)
                    .ok_or_else(|| ConfigError(format!("invalid Go version `{go}`")))?,
            );
        }
        if !file.rules.enable.is_empty() {
            self.enable_only(&file.rules.enable)?;
        }
        self.disable(&file.rules.disable)?;
        for (name, sev) in &file.severity {
            let r = parse_rules(std::slice::from_ref(name))?[0];
            self.severity[r.index()] = Severity::parse(sev).ok_or_else(|| {
                ConfigError(format!(
                    "invalid severity `{sev}` for `{name}`: use note, warning or error"
                ))
            })?;
        }
        self.catalog.extend(file.catalog);
        Ok(())
    }
}

fn parse_rules(names: &[String]) -> Result<Vec<RuleId>, ConfigError> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            RuleId::from_name(n).ok_or_else(|| {
                ConfigError(format!(
                    "unknown rule `{n}` (known rules: {})",
                    rules::known_names()
                ))
            })
        })
        .collect()
}

/// Finds `.goleaklint.toml` in `dir` or the nearest directory above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Reads and parses a configuration file.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
    parse(&text).map_err(|e| ConfigError(format!("{}: {}", path.display(), e.0)))
}

/// Parses configuration text.
pub fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError(e.message().to_string()))
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
    fn unknown_rule_is_an_error() {
        let file = parse("[rules]\ndisable = [\"nope\"]\n").unwrap();
        let err = Settings::default().apply(file).unwrap_err();
        assert!(err.0.contains("unknown rule `nope`"));
    }

    #[test]
    fn unknown_key_is_an_error() {
        assert!(parse("colour = 1\n").is_err());
    }
}
