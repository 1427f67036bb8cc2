//! `goleaklint --fix` on a copy of a fixture: the safe fix is applied, the
//! file still parses, and the finding is gone.

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn goleaklint(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn fix_applies_safe_fixes_and_the_finding_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/workspace");
    copy_dir(&src, tmp.path());
    let file = tmp.path().join("service/fetch.go");
    let before = std::fs::read_to_string(&file).unwrap();

    let out = goleaklint(tmp.path(), &["--fix", "--format", "json", "./..."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--fix applied 1 fix(es) in 1 file(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--fix: lost-cancel: 1 applied\n"),
        "{stderr}"
    );
    // The report shows what remains after fixing: nothing.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before.replace("time.Second)\n", "time.Second)\n\tdefer cancel()\n")
    );
    let parsed = goleaklint::parse::parse(goleaklint::source::SourceFile::new("fetch.go", after));
    assert!(!parsed.tree.root_node().has_error());

    // A second run has nothing left to fix.
    let out = goleaklint(tmp.path(), &["--fix", "./..."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("applied 0 fix(es)"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unsafe_fixes_are_not_applied() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module m\n\ngo 1.22\n").unwrap();
    // The context is captured by a goroutine: `defer cancel()` would end it
    // early, so the fix is offered but not marked safe.
    let text = "package m\n\nimport \"context\"\n\nfunc Run(parent context.Context, fail bool) error {\n\tctx, cancel := context.WithCancel(parent)\n\tgo func() { <-ctx.Done() }()\n\tif fail {\n\t\treturn nil\n\t}\n\tcancel()\n\treturn nil\n}\n";
    std::fs::write(tmp.path().join("run.go"), text).unwrap();
    let out = goleaklint(tmp.path(), &["--fix", "--format", "json", "./..."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("applied 0 fix(es)"), "{stderr}");
    assert!(
        stderr.contains("--fix: lost-cancel: 0 applied, 1 left as suggestion(s) (not safe to apply automatically)"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["fix"]["safe"], false, "{report}");
    // The text output says it is a suggestion, not a fix; -q silences the counts.
    let out = goleaklint(tmp.path(), &["--fix", "-q", "./..."]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("= suggestion: "), "{stdout}");
    assert!(!stdout.contains("= fix: "), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("--fix"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("run.go")).unwrap(),
        text
    );
}

#[test]
fn an_escaping_context_gets_no_defer_advice() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module m\n\ngo 1.22\n").unwrap();
    let text = "package m\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\ntype s struct{ ctx context.Context }\n\nfunc Returned(p context.Context) context.Context {\n\tctx, _ := context.WithTimeout(p, time.Second)\n\treturn ctx\n}\n\nfunc (x *s) Stored(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\tx.ctx = ctx\n}\n\nfunc Goroutine(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\tgo func() { <-ctx.Done() }()\n}\n\nfunc OnSuccess(p context.Context, fail bool) context.Context {\n\tctx, cancel := context.WithCancel(p)\n\tif fail {\n\t\tcancel()\n\t\treturn nil\n\t}\n\treturn ctx\n}\n\nfunc Local(p context.Context) error {\n\tctx, _ := context.WithCancel(p)\n\treturn ctx.Err()\n}\n";
    std::fs::write(tmp.path().join("s.go"), text).unwrap();
    let out = goleaklint(tmp.path(), &["--format", "json", "./..."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = report["diagnostics"].as_array().unwrap();
    let at = |line: u64| {
        diags
            .iter()
            .find(|d| d["line"] == line)
            .unwrap_or_else(|| panic!("no finding on line {line}: {report}"))
    };
    let returned = at(11);
    assert!(
        returned["message"]
            .as_str()
            .unwrap()
            .ends_with("lives until the deadline or its parent is cancelled"),
        "{returned}"
    );
    for (line, says) in [
        (11, "return `cancel` with it"),
        (16, "store `cancel` beside it"),
        (21, "pass `cancel` along"),
        (26, "return `cancel` with it"),
    ] {
        let d = at(line);
        assert!(d["help"].as_str().unwrap().contains(says), "{d}");
        assert!(d.get("fix").is_none_or(|f| f.is_null()), "{d}");
    }
    // A context used only here keeps the fix.
    let local = at(35);
    assert_eq!(local["fix"]["safe"], true, "{local}");
}
