//! Bad input gets a clear error and loses nothing: every other file is still
//! analysed, and nothing panics or overflows the stack.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{assert_error_and_finding, json};

const LEAK: &str = "package p\n\nimport \"context\"\n\nfunc Leak(parent context.Context) context.Context {\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(["--format", "json", "--color", "never"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// A package with one leaking file plus `name` holding `bytes`.
fn with_bad_file(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("leak.go"), LEAK).unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    dir
}

#[test]
fn missing_path_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["./nope/..."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nope") && err.contains("no such file"),
        "{err}"
    );
}

#[test]
fn pattern_matching_no_go_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "hi").unwrap();
    let out = run(dir.path(), &["./..."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("matched no Go files"));
}

#[test]
fn non_utf8_file_is_named_and_others_analysed() {
    let dir = with_bad_file("latin1.go", b"package p\n\n// caf\xe9\nfunc F() {}\n");
    assert_error_and_finding(&run(dir.path(), &["./..."]), "latin1.go", "not valid UTF-8");
}

#[test]
fn binary_file_named_go_is_named_and_others_analysed() {
    let dir = with_bad_file("blob.go", &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3]);
    assert_error_and_finding(&run(dir.path(), &["./..."]), "blob.go", "binary file");
}

#[test]
fn empty_file_is_named_and_others_analysed() {
    let dir = with_bad_file("empty.go", b"");
    assert_error_and_finding(&run(dir.path(), &["./..."]), "empty.go", "empty file");
}

#[test]
fn syntax_error_is_located_and_intact_functions_still_analysed() {
    let broken = "package p\n\nimport \"context\"\n\nfunc Broken( {\n\treturn\n}\n\nfunc Intact(parent context.Context) context.Context {\n\tctx, _ := context.WithTimeout(parent, 1)\n\treturn ctx\n}\n";
    let dir = with_bad_file("broken.go", broken.as_bytes());
    let out = run(dir.path(), &["./..."]);
    assert_error_and_finding(&out, "broken.go", "syntax error");
    let v = json(&out);
    let err = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "broken.go")
        .unwrap()
        .clone();
    assert!(
        err["line"].as_u64().is_some(),
        "the error has a line: {err}"
    );
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "broken.go" && d["line"] == 10),
        "the intact function of the broken file is analysed"
    );
}

#[cfg(unix)]
#[test]
fn dangling_symlink_and_symlink_loops_are_named() {
    let dir = with_bad_file("ok.go", b"package p\n");
    std::os::unix::fs::symlink("missing.go", dir.path().join("gone.go")).unwrap();
    std::os::unix::fs::symlink("loop.go", dir.path().join("loop.go")).unwrap();
    // A directory loop: walking must not follow it.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/s.go"), "package sub\n").unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    let out = run(dir.path(), &["./..."]);
    assert_error_and_finding(&out, "gone.go", "no such file");
    assert_error_and_finding(&out, "loop.go", "symbolic links");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_bad_file("secret.go", b"package p\n");
    let path = dir.path().join("secret.go");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, so a directory stands in
        // for an unreadable file (reading it fails the same way for the engine).
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(dir.path().join("secret.go")).unwrap();
        let found = goleaklint::engine::load(&goleaklint::discover::FileInput {
            path: dir.path().join("secret.go"),
            display: "secret.go".into(),
            overlay: None,
        });
        let err = found.err().expect("a directory cannot be read as a file");
        assert!(
            err.message.contains("not a regular file (a directory)"),
            "{}",
            err.message
        );
        return;
    }
    assert_error_and_finding(
        &run(dir.path(), &["./..."]),
        "secret.go",
        "permission denied",
    );
}

#[test]
fn ten_megabyte_file_is_analysed() {
    let mut big = String::from("package p\n\nimport \"context\"\n\n");
    let mut i = 0;
    while big.len() < 10 << 20 {
        big.push_str(&format!(
            "func F{i}(parent context.Context) error {{\n\tctx, cancel := context.WithCancel(parent)\n\tdefer cancel()\n\treturn ctx.Err()\n}}\n\n"
        ));
        i += 1;
    }
    big.push_str("func Last(parent context.Context) context.Context {\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.go"), &big).unwrap();
    let out = run(dir.path(), &["./..."]);
    let v = json(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "only the last function leaks");
    assert!(v["stats"]["bytes"].as_u64().unwrap() >= 10 << 20);
}

fn deep(depth: usize) -> String {
    let parens = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    let sums = format!("{}1{}", "1 + (".repeat(depth), ")".repeat(depth));
    let blocks = format!("{}{}", "{\n".repeat(depth), "}\n".repeat(depth));
    let ifs = format!("{}{}", "if x > 0 {\n".repeat(depth), "}\n".repeat(depth));
    let lits = format!("{}{}", "func() {\n".repeat(depth), "}()\n".repeat(depth));
    let calls = format!("{}x{}", "f(".repeat(depth), ")".repeat(depth));
    format!(
        "package p\n\nimport \"context\"\n\nfunc f(int) int {{ return 0 }}\n\nfunc Deep(x int) int {{\n\ta := {parens}\n\tb := {sums}\n\tc := {calls}\n{blocks}{ifs}{lits}\treturn a + b + c\n}}\n\nfunc Leak(parent context.Context) context.Context {{\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}}\n"
    )
}

#[test]
fn five_thousand_deep_nesting_does_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.go"), deep(5000)).unwrap();
    let out = run(dir.path(), &["./..."]);
    let v = json(&out);
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "lost-cancel"),
        "the function after the deep one is still analysed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
}
