//! How the command line finds and reports its configuration and environment: the nearest
//! `.goleaklint.toml` above each package, errors at `path:line:col:`, `NO_COLOR` and
//! `CLICOLOR_FORCE`, and `--write-baseline`'s file errors.

use std::path::Path;
use std::process::{Command, Output};

const LEAK: &str = "package p\n\nimport \"context\"\n\nfunc F(parent context.Context) {\n\tctx, _ := context.WithCancel(parent)\n\t_ = ctx\n}\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn goleaklint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goleaklint"));
    cmd.args(args).current_dir(dir);
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// A module with a leak at its root and one in `sub/`, which has its own configuration.
fn nested() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(dir.path(), "a.go", LEAK);
    write(dir.path(), "sub/a.go", LEAK);
    write(dir.path(), "sub/a_test.go", LEAK);
    write(
        dir.path(),
        "sub/.goleaklint.toml",
        "tests = false\n[severity]\nlost-cancel = \"error\"\n",
    );
    dir
}

#[test]
fn each_package_uses_its_nearest_configuration() {
    let dir = nested();
    let out = goleaklint(dir.path(), &["--format", "json", "-q", "./..."], &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a.go".to_string(), "warning".to_string()),
            ("sub/a.go".to_string(), "error".to_string()),
        ],
        "sub/ reports at its own severity and skips its tests: {doc}"
    );
    // Run from sub/, the same configuration applies; --config overrides it everywhere.
    let out = goleaklint(&dir.path().join("sub"), &["--format", "json", "-q"], &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 1, "{doc}");
    write(dir.path(), "plain.toml", "");
    let out = goleaklint(
        dir.path(),
        &["--format", "json", "-q", "--config", "plain.toml", "./..."],
        &[],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 3, "{doc}");
}

#[test]
fn configuration_errors_name_line_and_column() {
    let dir = nested();
    write(
        dir.path(),
        "sub/.goleaklint.toml",
        "tests = false\n[rules]\ndisable = [\"no-such-rule\"]\n",
    );
    let out = goleaklint(dir.path(), &["./..."], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let want = format!(
        "{}:3:12: unknown rule `no-such-rule`",
        dir.path().join("sub/.goleaklint.toml").display()
    );
    assert!(err.contains(&want), "{err}");
}

#[test]
fn no_color_and_clicolor_force() {
    let dir = nested();
    let ansi = |env: &[(&str, &str)], args: &[&str]| {
        let mut all = vec!["-q", "a.go"];
        all.extend_from_slice(args);
        text(&goleaklint(dir.path(), &all, env).stdout).contains("\x1b[")
    };
    assert!(!ansi(&[], &[]), "a pipe gets no colour");
    assert!(ansi(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!ansi(&[("CLICOLOR_FORCE", "0")], &[]));
    assert!(!ansi(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]));
    assert!(ansi(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn write_baseline_reports_file_errors_as_path_line_col() {
    let dir = nested();
    write(
        dir.path(),
        "broken.go",
        "package p\n\nfunc g() {\n\tx := \n}\n",
    );
    let out = goleaklint(
        dir.path(),
        &["--write-baseline", "base.json", "a.go", "broken.go"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("broken.go:"))
        .unwrap_or_else(|| panic!("{err}"));
    let parts: Vec<&str> = line.splitn(4, ':').collect();
    assert!(
        parts[1].parse::<usize>().is_ok() && parts[2].parse::<usize>().is_ok(),
        "{line}"
    );
}

#[test]
fn new_from_rev_and_new_from_patch_keep_only_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    write(dir.path(), "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(dir.path(), "old.go", LEAK);
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    // A new leak in old.go (appended) and an untouched old one.
    let appended = format!(
        "{LEAK}\nfunc G(parent context.Context) {{\n\tctx, _ := context.WithCancel(parent)\n\t_ = ctx\n}}\n"
    );
    write(dir.path(), "old.go", &appended);
    let lines = |out: Output| -> Vec<u64> {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_u64().unwrap())
            .collect()
    };
    let all = lines(goleaklint(dir.path(), &["--format", "json", "-q"], &[]));
    assert_eq!(all, [6, 11]);
    let new = lines(goleaklint(
        dir.path(),
        &["--format", "json", "-q", "--new-from-rev", "HEAD"],
        &[],
    ));
    assert_eq!(new, [11], "only the leak on a changed line");
    let patch = Command::new("git")
        .args(["diff", "HEAD"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .stdout;
    std::fs::write(dir.path().join("change.patch"), patch).unwrap();
    let new = lines(goleaklint(
        dir.path(),
        &["--format", "json", "-q", "--new-from-patch", "change.patch"],
        &[],
    ));
    assert_eq!(new, [11]);
    let out = goleaklint(dir.path(), &["-q", "--new-from-rev", "no-such-rev"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--new-from-rev no-such-rev: git diff failed"));
}
