//! The go command's configuration as `go env` reports it, without running
//! `go`: the process environment first, then the go env file that `go env -w`
//! writes (`$GOENV`, else `<user config dir>/go/env`); and the two ways the
//! go command reads a tag list (`-tags` and `GOFLAGS`).

use std::collections::HashMap;
use std::path::PathBuf;

/// Looks up one environment variable.
type Lookup = Box<dyn Fn(&str) -> Option<String>>;

/// Where configuration values come from.
pub struct GoEnv {
    var: Lookup,
    file: HashMap<String, String>,
}

impl GoEnv {
    /// The process environment and the user's go env file.
    pub fn from_process() -> GoEnv {
        let var = |k: &str| std::env::var(k).ok();
        let file = env_file_path(&var)
            .and_then(|p| crate::source::read_small_text(&p).ok())
            .map(|text| parse_env_file(&text))
            .unwrap_or_default();
        GoEnv {
            var: Box::new(var),
            file,
        }
    }

    /// Values from `var` only (tests, and callers with their own environment).
    pub fn from_fn(var: impl Fn(&str) -> Option<String> + 'static) -> GoEnv {
        GoEnv {
            var: Box::new(var),
            file: HashMap::new(),
        }
    }

    /// The value of `key`: a non-empty environment variable, else the go env file's.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.var)(key)
            .filter(|v| !v.is_empty())
            .or_else(|| self.file.get(key).cloned())
            .filter(|v| !v.is_empty())
    }
}

/// The go env file: `$GOENV` (`off`: none), else `go/env` in the user's
/// configuration directory, as Go's `os.UserConfigDir` finds it.
fn env_file_path(var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = var("GOENV").filter(|v| !v.is_empty()) {
        return (p != "off").then(|| PathBuf::from(p));
    }
    let nonempty = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let config = if cfg!(windows) {
        nonempty("AppData")
    } else if cfg!(target_os = "macos") || cfg!(target_os = "ios") {
        nonempty("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        nonempty("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| nonempty("HOME").map(|h| h.join(".config")))
    }?;
    Some(config.join("go").join("env"))
}

/// `KEY=VALUE` lines; blank lines and `#` comments are skipped.
fn parse_env_file(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect()
}

/// The tags of a `-tags` value, as the go command splits it: on commas
/// (empty entries dropped), or, when the value holds a space or a quote (the
/// older form, still accepted), into white-space-separated fields that
/// quotes may group.
pub fn split_tags(value: &str) -> Result<Vec<String>, String> {
    if value.contains(' ') || value.contains('\'') {
        return quoted_fields(value);
    }
    Ok(value
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect())
}

/// Fields separated by white space; a field that starts with `'` or `"`
/// runs to the matching quote.
fn quoted_fields(mut s: &str) -> Result<Vec<String>, String> {
    let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(space);
        let Some(first) = s.chars().next() else {
            return Ok(out);
        };
        if first == '\'' || first == '"' {
            let end = s[1..]
                .find(first)
                .ok_or_else(|| format!("unterminated {first} string"))?;
            out.push(s[1..1 + end].to_string());
            s = &s[end + 2..];
        } else {
            let end = s.find(space).unwrap_or(s.len());
            out.push(s[..end].to_string());
            s = &s[end..];
        }
    }
}

/// The tags `GOFLAGS` sets with `-tags=…` or `--tags=…` (the last one wins),
/// `None` when it sets none. Entries are separated by white space and each
/// must be a flag, as the go command requires.
pub fn goflags_tags(goflags: &str) -> Result<Option<Vec<String>>, String> {
    // Every entry is checked before any is used, as the go command does.
    for entry in goflags.split_whitespace() {
        let malformed = !entry.starts_with('-')
            || entry == "-"
            || entry == "--"
            || entry.starts_with("---")
            || entry.starts_with("-=")
            || entry.starts_with("--=");
        if malformed {
            return Err(format!("parsing $GOFLAGS: non-flag {entry:?}"));
        }
    }
    let mut tags = None;
    for entry in goflags.split_whitespace() {
        let flag = entry.strip_prefix("--").unwrap_or(&entry[1..]);
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (flag, None),
        };
        if name != "tags" {
            continue;
        }
        let value = value.ok_or("parsing $GOFLAGS: flag needs an argument: -tags")?;
        tags = Some(split_tags(value).map_err(|e| format!("parsing $GOFLAGS: -tags: {e}"))?);
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_commas_or_on_spaces() {
        assert_eq!(split_tags("a,b").unwrap(), ["a", "b"]);
        assert_eq!(split_tags("a,,b,").unwrap(), ["a", "b"]);
        assert_eq!(split_tags("").unwrap(), Vec::<String>::new());
        assert_eq!(split_tags("a b").unwrap(), ["a", "b"]);
        assert_eq!(split_tags(" a  b ").unwrap(), ["a", "b"]);
        assert_eq!(split_tags("'a b' c").unwrap(), ["a b", "c"]);
        assert_eq!(split_tags("'a'").unwrap(), ["a"]);
        // The space form does not split on commas, as the go command does not.
        assert_eq!(split_tags("a,b c").unwrap(), ["a,b", "c"]);
        assert!(split_tags("'a b").is_err());
    }

    #[test]
    fn goflags_tags_in_either_form() {
        assert_eq!(goflags_tags("").unwrap(), None);
        assert_eq!(goflags_tags("-mod=mod").unwrap(), None);
        assert_eq!(
            goflags_tags("-mod=mod -tags=a,b").unwrap(),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            goflags_tags("--tags=x -count=1").unwrap(),
            Some(vec!["x".into()])
        );
        assert_eq!(
            goflags_tags("-tags=a -tags=b").unwrap(),
            Some(vec!["b".into()])
        );
        assert_eq!(goflags_tags("-tags=").unwrap(), Some(vec![]));
        assert!(goflags_tags("-tags")
            .unwrap_err()
            .contains("needs an argument"));
        assert!(goflags_tags("tags=a").unwrap_err().contains("non-flag"));
        assert!(goflags_tags("-tags a")
            .unwrap_err()
            .contains("non-flag \"a\""));
        assert!(goflags_tags("---tags=a").is_err());
    }

    #[test]
    fn the_environment_comes_before_the_go_env_file() {
        let mut env = GoEnv::from_fn(|k| (k == "GOOS").then(|| "windows".to_string()));
        env.file = parse_env_file("# comment\nGOOS=plan9\nGOARCH=arm64\n\nGOFLAGS=-tags=x\n");
        assert_eq!(env.get("GOOS").as_deref(), Some("windows"));
        assert_eq!(env.get("GOARCH").as_deref(), Some("arm64"));
        assert_eq!(env.get("GOFLAGS").as_deref(), Some("-tags=x"));
        assert_eq!(env.get("CGO_ENABLED"), None);
        let empty = GoEnv::from_fn(|k| (k == "GOOS").then(String::new));
        assert_eq!(empty.get("GOOS"), None, "an empty variable is unset");
    }

    #[test]
    fn the_env_file_follows_goenv_and_the_config_dir() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            env_file_path(&vars(&[("GOENV", "/etc/goenv")])),
            Some(PathBuf::from("/etc/goenv"))
        );
        assert_eq!(
            env_file_path(&vars(&[("GOENV", "off"), ("HOME", "/h")])),
            None
        );
        if cfg!(all(unix, not(target_os = "macos"), not(target_os = "ios"))) {
            assert_eq!(
                env_file_path(&vars(&[("HOME", "/h")])),
                Some(PathBuf::from("/h/.config/go/env"))
            );
            assert_eq!(
                env_file_path(&vars(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")])),
                Some(PathBuf::from("/x/go/env"))
            );
        }
    }
}
