//! Build constraints on the command line: which files of
//! `testdata/constraints` are analysed for a target (GOOS, GOARCH, cgo,
//! `--tags`, GOFLAGS), `--all-platforms`, files named on the command line,
//! directories whose files are all left out, and constraints that do not parse.
//! Every fixture file holds one leak, so the files reported are the files analysed.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// Variables that would otherwise leak the developer's go configuration into a run.
const GO_VARS: &[&str] = &[
    "GOOS",
    "GOARCH",
    "GOFLAGS",
    "CGO_ENABLED",
    "CC",
    "GOEXPERIMENT",
    "GOAMD64",
    "GOARM64",
];

fn run_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_goleaklint"));
    for v in GO_VARS {
        cmd.env_remove(v);
    }
    cmd.env("GOENV", "off")
        .args(["--format", "json", "--no-cache"])
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn fixture() -> std::path::PathBuf {
    support::root().join("testdata/constraints")
}

/// linux/amd64 without cgo, unless `env` says otherwise.
fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut all = vec![("GOOS", "linux"), ("GOARCH", "amd64"), ("CGO_ENABLED", "0")];
    all.extend_from_slice(env);
    run_in(&fixture(), &all, args)
}

/// The files with a finding.
fn files(out: &Output) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Built for linux/amd64 whatever the tags.
const LINUX_AMD64: &[&str] = &["doc.go", "goversion.go", "leak.go", "x_linux_amd64.go"];

fn with(base: &[&str], more: &[&str]) -> BTreeSet<String> {
    let mut s = set(base);
    s.extend(more.iter().map(|m| m.to_string()));
    s
}

#[test]
fn linux_amd64_analyses_its_own_files() {
    let out = run(&[], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(files(&out), with(LINUX_AMD64, &["unix.go"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Of the 12 Go files, cgo.go, ignored.go, integration.go, notlinux.go, x_windows.go,
    // x_windows_test.go and winonly/x_windows.go are left out.
    assert_eq!(v["stats"]["excluded"], 7);
    assert_eq!(v["stats"]["files"], 5);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(7 left out by build constraints)"),
        "{stderr}"
    );
}

#[test]
fn tags_from_the_flag_or_goflags() {
    let integration = with(LINUX_AMD64, &["integration.go"]);
    assert_eq!(files(&run(&[], &["--tags", "integration"])), integration);
    assert_eq!(
        files(&run(&[], &["--tags", "other,integration"])),
        integration
    );
    assert_eq!(
        files(&run(&[], &["--tags", "other integration"])),
        integration
    );
    assert_eq!(files(&run(&[], &["--tags=integration"])), integration);
    assert_eq!(
        files(&run(&[("GOFLAGS", "-tags=integration")], &[])),
        integration
    );
    assert_eq!(
        files(&run(&[("GOFLAGS", "-mod=mod --tags=x,integration")], &[])),
        integration
    );
    // The flag replaces GOFLAGS' tags, as `go build -tags` does.
    assert_eq!(
        files(&run(
            &[("GOFLAGS", "-tags=integration")],
            &["--tags", "other"]
        )),
        with(LINUX_AMD64, &["unix.go"])
    );
    // The last --tags wins.
    assert_eq!(
        files(&run(&[], &["--tags", "integration", "--tags", "other"])),
        with(LINUX_AMD64, &["unix.go"])
    );
    let bad = run(&[("GOFLAGS", "-tags")], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("$GOFLAGS"));
}

#[test]
fn goos_and_goarch_pick_another_platform() {
    let windows = run(&[("GOOS", "windows")], &[]);
    assert_eq!(
        files(&windows),
        set(&[
            "doc.go",
            "goversion.go",
            "leak.go",
            "notlinux.go",
            "winonly/x_windows.go",
            "x_windows.go",
            "x_windows_test.go",
        ])
    );
    let arm = run(&[("GOARCH", "arm64")], &[]);
    assert_eq!(
        files(&arm),
        set(&["doc.go", "goversion.go", "leak.go", "unix.go"])
    );
    let darwin = run(&[("GOOS", "darwin"), ("GOARCH", "arm64")], &[]);
    assert_eq!(
        files(&darwin),
        set(&[
            "doc.go",
            "goversion.go",
            "leak.go",
            "notlinux.go",
            "unix.go"
        ])
    );
    let bad = run(&[("GOOS", "windoze")], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("unsupported GOOS/GOARCH pair windoze/amd64")
    );
}

#[test]
fn cgo_files_need_cgo() {
    assert_eq!(
        files(&run(&[("CGO_ENABLED", "1")], &[])),
        with(LINUX_AMD64, &["cgo.go", "unix.go"])
    );
}

#[test]
fn all_platforms_analyses_every_file() {
    let out = run(&[("GOOS", "plan9")], &["--all-platforms"]);
    assert_eq!(files(&out).len(), 12, "{:?}", files(&out));
    assert!(files(&out).contains("ignored.go"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stats"]["excluded"], 0);
    // Tags mean nothing then: asking for both is a usage error.
    let both = run(&[], &["--all-platforms", "--tags", "x"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn the_host_is_the_default_target() {
    let out = run_in(&fixture(), &[("CGO_ENABLED", "0")], &[]);
    let found = files(&out);
    assert!(found.contains("leak.go") && !found.contains("ignored.go"));
    let on_linux_amd64 = goleaklint::buildctx::platforms::host() == Some(("linux", "amd64"));
    assert_eq!(found.contains("x_linux_amd64.go"), on_linux_amd64);
    assert_eq!(found.contains("x_windows.go"), cfg!(windows));
}

#[test]
fn files_named_on_the_command_line_are_analysed_whatever_their_constraints() {
    // As `go vet ignored.go` and `go run gen.go` do.
    assert_eq!(
        files(&run(&[], &["ignored.go", "x_windows.go"])),
        set(&["ignored.go", "x_windows.go"])
    );
    // Named files do not bring their directory's other files along.
    assert_eq!(
        files(&run(&[], &["winonly/x_windows.go"])),
        set(&["winonly/x_windows.go"])
    );
}

#[test]
fn a_directory_whose_files_are_all_left_out_is_an_error() {
    let out = run(&[], &["./winonly"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("build constraints exclude all Go files in winonly for linux/amd64"),
        "{stderr}"
    );
    let out = run(&[], &["./winonly/..."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("./winonly/...: build constraints exclude all Go files for linux/amd64"));
    // Within ./... such a directory is only skipped.
    assert_eq!(run(&[], &["./..."]).status.code(), Some(1));
    assert_eq!(
        files(&run(&[("GOOS", "windows")], &["./winonly"])),
        set(&["winonly/x_windows.go"])
    );
}

#[test]
fn a_constraint_that_does_not_parse_is_a_file_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("go.mod"),
        "module example.com/bad\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("bad.go"),
        "// Copyright\n\n//go:build linux &&\n\npackage bad\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("twice.go"),
        "//go:build linux\n//go:build amd64\n\npackage bad\n",
    )
    .unwrap();
    let leak = std::fs::read_to_string(fixture().join("leak.go")).unwrap();
    std::fs::write(
        tmp.path().join("leak.go"),
        leak.replace("package constraints", "package bad"),
    )
    .unwrap();
    let out = run_in(tmp.path(), &[("GOOS", "linux"), ("GOARCH", "amd64")], &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["errors"],
        serde_json::json!([
            {"path": "bad.go", "line": 3, "column": 20,
             "message": "parsing //go:build line: unexpected end of expression"},
            {"path": "twice.go", "line": 2, "column": 1, "message": "multiple //go:build comments"},
        ])
    );
    // The other files are analysed; the run fails on the finding.
    assert_eq!(files(&out), set(&["leak.go"]));
    assert_eq!(out.status.code(), Some(1));
    // Alone, the bad file makes the run fail with exit 2, with no "excluded" error.
    let alone = run_in(
        tmp.path(),
        &[("GOOS", "linux"), ("GOARCH", "amd64")],
        &["--disable", "lost-cancel"],
    );
    assert_eq!(alone.status.code(), Some(2));
    // --all-platforms reads no constraint.
    let all = run_in(tmp.path(), &[], &["--all-platforms"]);
    let v: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn the_result_cache_keeps_targets_apart() {
    let cache = tempfile::tempdir().unwrap();
    let cached = |goos: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_goleaklint"));
        for v in GO_VARS {
            cmd.env_remove(v);
        }
        let out = cmd
            .env("GOENV", "off")
            .env("XDG_CACHE_HOME", cache.path())
            .env("GOOS", goos)
            .env("GOARCH", "amd64")
            .env("CGO_ENABLED", "0")
            .args(["--format", "json", "."])
            .current_dir(fixture())
            .output()
            .unwrap();
        files(&out)
    };
    let linux = cached("linux");
    let windows = cached("windows");
    assert_ne!(linux, windows);
    assert_eq!(cached("linux"), linux);
    assert_eq!(cached("windows"), windows);
}

#[test]
fn help_names_the_flags_and_the_variables() {
    let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for want in ["--tags <TAGS>", "--all-platforms", "GOFLAGS", "GOOS/GOARCH"] {
        assert!(help.contains(want), "{want} missing from:\n{help}");
    }
}
