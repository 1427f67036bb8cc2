//! The server's settings, `{enable, disable, configFile, tests}`, read from
//! `initializationOptions` and `workspace/didChangeConfiguration`, either
//! bare or under a `goleaklint` key; and how they combine with the
//! configuration file, exactly as the command line's options do.

use crate::cli::{self, CheckArgs};
use crate::config::Settings;
use crate::discover::DiscoverOptions;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Settings sent by the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LspSettings {
    /// Run only these rules (`--enable`).
    pub enable: Vec<String>,
    /// Do not run these rules (`--disable`).
    pub disable: Vec<String>,
    /// The configuration file (`--config`); relative paths start at the workspace folder.
    pub config_file: Option<String>,
    /// Analyse `_test.go` files (`--tests`).
    pub tests: Option<bool>,
}

impl LspSettings {
    /// Reads settings from `value`, accepting `{"goleaklint": {...}}` and the
    /// bare object. Members of the wrong type are ignored.
    pub fn from_value(value: &Value) -> LspSettings {
        let obj = match value.get("goleaklint") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        let list = |key: &str| -> Vec<String> {
            match obj.get(key) {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                Some(Value::String(s)) => s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            }
        };
        LspSettings {
            enable: list("enable"),
            disable: list("disable"),
            config_file: obj
                .get("configFile")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            tests: obj.get("tests").and_then(Value::as_bool),
        }
    }

    /// The settings of a `workspace/didChangeConfiguration`, or `None` when
    /// it carries none of ours: some clients (Neovim) send `{}` or `null`
    /// right after start-up, which must not wipe `initializationOptions`.
    pub fn from_change(value: &Value) -> Option<LspSettings> {
        const KEYS: [&str; 5] = ["goleaklint", "enable", "disable", "configFile", "tests"];
        let ours = value
            .as_object()
            .is_some_and(|o| KEYS.iter().any(|k| o.contains_key(*k)));
        ours.then(|| LspSettings::from_value(value))
    }

    /// Removes the names in `enable` and `disable` that are not registered rules and returns
    /// them, so that a typo in the editor's settings costs that one entry, not every diagnostic.
    pub fn drop_unknown_rules(&mut self) -> Vec<String> {
        let mut unknown = Vec::new();
        for list in [&mut self.enable, &mut self.disable] {
            list.retain(|name| {
                let known = crate::rules::RuleId::from_name(name).is_some();
                if !known && !unknown.contains(name) {
                    unknown.push(name.clone());
                }
                known
            });
        }
        unknown
    }

    /// The engine settings and discovery options for a file in `dir`, in
    /// workspace folder `root`: the configuration file (this one's
    /// `configFile`, else the nearest `.goleaklint.toml` above `dir`), then
    /// these settings on top, as command-line options would be.
    pub fn resolve(&self, dir: &Path, root: &Path) -> Result<(Settings, DiscoverOptions), String> {
        let args = CheckArgs {
            quiet: true,
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            tests: self.tests,
            config: self.config_file.as_ref().map(|c| root.join(c)),
            ..CheckArgs::default()
        };
        let (settings, opts, _) = cli::settings(&args, dir)?;
        Ok((settings, opts))
    }

    /// The configuration file that applies to a file in `dir`.
    pub fn config_path(&self, dir: &Path, root: &Path) -> Option<PathBuf> {
        match &self.config_file {
            Some(c) => Some(root.join(c)),
            None => crate::config::find(dir),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rule_names_are_dropped_and_returned_once() {
        let mut s = LspSettings::from_value(&serde_json::json!({
            "enable": ["lost-cancel", "no-such-rule"],
            "disable": ["no-such-rule", "other-typo", "unused-suppression"],
        }));
        assert_eq!(s.drop_unknown_rules(), ["no-such-rule", "other-typo"]);
        assert_eq!(s.enable, ["lost-cancel"]);
        assert_eq!(s.disable, ["unused-suppression"]);
        assert!(s.drop_unknown_rules().is_empty());
    }
    use serde_json::json;

    #[test]
    fn bare_and_nested_objects() {
        let want = LspSettings {
            enable: vec![],
            disable: vec!["lost-cancel".into()],
            config_file: Some("ci/lint.toml".into()),
            tests: Some(false),
        };
        let bare =
            json!({"disable": ["lost-cancel"], "configFile": "ci/lint.toml", "tests": false});
        assert_eq!(LspSettings::from_value(&bare), want);
        let nested = json!({"goleaklint": bare});
        assert_eq!(LspSettings::from_value(&nested), want);
        assert_eq!(
            LspSettings::from_value(&Value::Null),
            LspSettings::default()
        );
        assert_eq!(
            LspSettings::from_value(&json!({"enable": 3, "tests": "yes"})),
            LspSettings::default()
        );
        assert_eq!(LspSettings::from_change(&json!({})), None);
        assert_eq!(LspSettings::from_change(&Value::Null), None);
        assert_eq!(
            LspSettings::from_change(&json!({"goleaklint": {}})),
            Some(LspSettings::default())
        );
    }
}
