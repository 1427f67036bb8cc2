//! Shared helpers for the integration tests.
#![allow(dead_code)]

use goleaklint::config::Settings;
use goleaklint::discover::{self, DiscoverOptions};
use goleaklint::engine::{Engine, Outcome};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Analyses `pattern` below `dir` with default settings, paths shown relative to `dir`.
pub fn analyse(dir: &Path, pattern: &str) -> Outcome {
    analyse_with(dir, pattern, Settings::default())
}

/// Analyses `pattern` below `dir` with `settings`, paths shown relative to `dir`.
pub fn analyse_with(dir: &Path, pattern: &str, settings: Settings) -> Outcome {
    let found = discover::discover(dir, &[pattern.to_string()], &DiscoverOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let engine = Engine::new(settings);
    let mut out = engine.check_packages(&found.packages);
    out.errors.extend(found.errors);
    out.sort();
    out
}

/// Decodes the Go string literals of a `// want` comment: "…" with escapes, or `…`.
pub fn go_strings(mut s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(out);
        }
        let mut chars = s.char_indices();
        match chars.next() {
            Some((_, '`')) => {
                let end = s[1..].find('`').ok_or("unterminated raw string")?;
                out.push(s[1..1 + end].to_string());
                s = &s[end + 2..];
            }
            Some((_, '"')) => {
                let mut val = String::new();
                let mut end = None;
                let mut escaped = false;
                for (i, c) in chars {
                    if escaped {
                        val.push(match c {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = Some(i);
                        break;
                    } else {
                        val.push(c);
                    }
                }
                let end = end.ok_or("unterminated string")?;
                out.push(val);
                s = &s[end + 1..];
            }
            _ => return Err(format!("expected a string literal at `{s}`")),
        }
    }
}

/// The `go` command: on PATH, or where Debian and the official tarball put it.
pub fn find_go() -> Option<PathBuf> {
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("go")).collect())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/lib/go/bin/go", "/usr/local/go/bin/go"].map(PathBuf::from))
        .find(|p| p.is_file())
}

/// Copies the tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The JSON report on stdout of a run with `--format json`.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The run still reports the leak in leak.go and names `name` with `reason`.
pub fn assert_error_and_finding(out: &Output, name: &str, reason: &str) {
    let v = json(out);
    let errors = v["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["path"] == name && e["message"].as_str().unwrap().contains(reason)),
        "expected an error for {name} containing {reason:?}, got {errors:?}"
    );
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["path"] == "leak.go" && d["rule"] == "lost-cancel"),
        "the leak in leak.go is still reported: {diags:?}"
    );
    assert_eq!(out.status.code(), Some(1), "findings decide the exit code");
}
