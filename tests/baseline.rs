//! `--write-baseline` and `--baseline`: recorded findings stay hidden when
//! lines move, new findings still show, and each entry hides one finding.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const HANDLER: &str = r#"package svc

import (
	"context"
	"time"
)

func Fetch(parent context.Context, id string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if id == "" {
		return nil
	}
	defer cancel()
	return ctx.Err()
}

func Warm(parent context.Context) error {
	ctx, _ := context.WithCancel(parent)
	return ctx.Err()
}
"#;

fn goleaklint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("goleaklint runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// (line, message) of every finding of a `--format json` run.
fn findings(dir: &Path, args: &[&str]) -> (i32, Vec<(u64, String)>) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = goleaklint(dir, &all);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let list = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (code, list)
}

#[test]
fn baseline_hides_old_findings_and_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("handler.go");
    std::fs::write(&file, HANDLER).unwrap();

    let (code, out, err) = goleaklint(dir.path(), &["--write-baseline", "base.json", "./..."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "no report while writing a baseline: {out}");
    assert!(err.contains("wrote 2 finding(s)"), "{err}");
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(base["version"], 1);
    let entries = base["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for e in entries {
        assert_eq!(e["rule"], "lost-cancel");
        assert_eq!(e["path"], "handler.go");
        assert_eq!(e["fingerprint"].as_str().unwrap().len(), 32);
        assert!(e["message"].as_str().unwrap().contains("cancel function"));
    }

    // Without the baseline the findings fail the run; with it, nothing is left.
    assert_eq!(findings(dir.path(), &["./..."]).0, 1);
    let (code, err_out, err) = goleaklint(dir.path(), &["--baseline", "base.json", "./..."]);
    assert_eq!(code, 0, "{err_out}{err}");
    assert!(err.contains("2 finding(s) hidden by the baseline"), "{err}");

    // Lines inserted above both findings: still hidden.
    let shifted = HANDLER.replacen(
        "func Fetch",
        "// Version is the service version.\nconst Version = \"1.2.3\"\n\nfunc Fetch",
        1,
    );
    std::fs::write(&file, &shifted).unwrap();
    assert_eq!(
        findings(dir.path(), &["--baseline", "base.json", "./..."]),
        (0, vec![])
    );

    // A new leak below, on a line identical to a recorded one, shows.
    let grown = format!(
        "{shifted}\nfunc Warm2(parent context.Context) error {{\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx.Err()\n}}\n"
    );
    std::fs::write(&file, &grown).unwrap();
    let (code, list) = findings(dir.path(), &["--baseline", "base.json", "./..."]);
    assert_eq!(code, 1);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].0, 26, "the new Warm2 finding: {list:?}");
    assert!(list[0].1.contains("discarded"));
}

#[test]
fn each_entry_hides_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("handler.go"), HANDLER).unwrap();
    assert_eq!(
        goleaklint(dir.path(), &["--write-baseline", "base.json", "./..."]).0,
        0
    );
    let path = dir.path().join("base.json");
    let mut base: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Keep only the entry of the second finding (Warm), recorded twice: an
    // entry matches by rule, path and fingerprint, and hides only its finding.
    let warm = base["entries"][1].clone();
    base["entries"] = Value::Array(vec![warm.clone(), warm]);
    std::fs::write(&path, serde_json::to_string(&base).unwrap()).unwrap();
    let (code, list) = findings(dir.path(), &["--baseline", "base.json", "./..."]);
    assert_eq!(code, 1);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].0, 9, "Fetch's finding still shows: {list:?}");
}

#[test]
fn unreadable_or_foreign_baselines_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("handler.go"), HANDLER).unwrap();
    let (code, _, err) = goleaklint(dir.path(), &["--baseline", "missing.json", "./..."]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read baseline missing.json"), "{err}");
    std::fs::write(dir.path().join("other.json"), "{\"runs\": []}").unwrap();
    let (code, _, err) = goleaklint(dir.path(), &["--baseline", "other.json", "./..."]);
    assert_eq!(code, 2);
    assert!(err.contains("not a goleaklint baseline"), "{err}");
}

/// The `goleaklintHash/v1` fingerprint of every SARIF result.
fn sarif_fingerprints(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--format", "sarif", "--quiet"];
    all.extend_from_slice(args);
    let (_, out, err) = goleaklint(dir, &all);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["goleaklintHash/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn findings_left_by_a_baseline_keep_their_full_run_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("handler.go");
    std::fs::write(&file, HANDLER).unwrap();
    assert_eq!(
        goleaklint(dir.path(), &["--write-baseline", "base.json", "./..."]).0,
        0
    );
    // A second function whose leak sits on a line identical to Warm's.
    let grown = format!(
        "{HANDLER}\nfunc Warm2(parent context.Context) error {{\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx.Err()\n}}\n"
    );
    std::fs::write(&file, grown).unwrap();
    let full = sarif_fingerprints(dir.path(), &["./..."]);
    assert_eq!(full.len(), 3);
    let left = sarif_fingerprints(dir.path(), &["--baseline", "base.json", "./..."]);
    // Warm2 is the second occurrence of its line: it keeps that identity and
    // does not take over the fingerprint of the baselined Warm.
    assert_eq!(left, vec![full[2].clone()]);
    assert_ne!(full[1], full[2]);
}
