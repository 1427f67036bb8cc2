//! Snapshots of complete CLI runs on the bundled example, in every output
//! format, and the properties every run must have (sorted, identical
//! whatever the thread count, exit codes).

mod support;

use std::process::{Command, Output};

fn goleaklint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(args)
        .current_dir(support::root().join("examples"))
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn text_output_on_the_example() {
    let out = goleaklint(&["--color", "never", "-q", "./..."]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("example_text", stdout(&out));
}

#[test]
fn json_output_on_the_example() {
    let out = goleaklint(&["--format", "json", "-q", "./..."]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("example_json", stdout(&out));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = goleaklint(&["--format", "json", "-q", "--jobs", "1", "./..."]);
    let many = goleaklint(&["--format", "json", "-q", "--jobs", "8", "./..."]);
    assert_eq!(stdout(&one), stdout(&many));
}

#[test]
fn fail_on_error_passes_warnings() {
    let out = goleaklint(&["--format", "json", "-q", "--fail-on", "error", "./..."]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn disabled_rule_reports_nothing() {
    let out = goleaklint(&[
        "--format",
        "json",
        "-q",
        "--disable",
        "lost-cancel",
        "./...",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["rule"] != "lost-cancel"));
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let out = goleaklint(&["--enable", "no-such-rule", "./..."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `no-such-rule`"));
}

#[test]
fn single_file_and_directory_patterns() {
    let file = goleaklint(&["--format", "json", "-q", "internal/orders/handler.go"]);
    let dir = goleaklint(&["--format", "json", "-q", "./internal/orders"]);
    let ids = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == "internal/orders/handler.go")
            .map(|d| (d["rule"].to_string(), d["line"].to_string()))
            .collect::<Vec<_>>()
    };
    assert!(!ids(&file).is_empty());
    assert_eq!(ids(&file), ids(&dir));
}

#[test]
fn summary_goes_to_stderr_unless_quiet() {
    let loud = goleaklint(&["--format", "json", "./..."]);
    assert!(String::from_utf8_lossy(&loud.stderr).contains("finding(s)"));
    let quiet = goleaklint(&["--format", "json", "-q", "./..."]);
    assert!(quiet.stderr.is_empty());
}

/// `goleaklint rules` lists the registry, sorted by name, in aligned columns:
/// checked against the registry rather than a snapshot, so that a new rule
/// needs no edit here.
#[test]
fn rules_lists_every_rule() {
    let out = goleaklint(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let mut rules: Vec<_> = goleaklint::rules::RuleId::all().collect();
    rules.sort_by_key(|r| r.name());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rules.len(), "{text}");
    for (line, r) in lines.iter().zip(&rules) {
        let m = r.meta();
        let (name, rest) = line.split_at(line.find(' ').unwrap_or(line.len()));
        assert_eq!(name, m.name, "{text}");
        let rest = rest.trim_start();
        assert_eq!(
            line.len() - rest.len(),
            name.len().max(22) + 1,
            "aligned: {line}"
        );
        let (severity, summary) = rest.split_once(' ').unwrap();
        assert_eq!(severity, m.default_severity.as_str(), "{line}");
        assert_eq!(summary.trim_start(), m.summary(), "{line}");
        assert!(!m.summary().is_empty(), "{}: a one-line summary", m.name);
    }
}

#[test]
fn explain_prints_the_rule_doc() {
    let out = goleaklint(&["explain", "lost-cancel"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("# lost-cancel\n"));
    let bad = goleaklint(&["explain", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn path_prefix_makes_paths_relative_to_the_repository_root() {
    let out = goleaklint(&[
        "--format",
        "json",
        "-q",
        "--path-prefix",
        "examples/",
        "./...",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        assert!(
            d["path"]
                .as_str()
                .unwrap()
                .starts_with("examples/internal/"),
            "{d}"
        );
    }
    let sarif = goleaklint(&[
        "--format",
        "sarif",
        "-q",
        "--path-prefix",
        "examples",
        "./...",
    ]);
    let s: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let root = s["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let repo = format!("file://{}/", support::root().display());
    assert_eq!(
        root, repo,
        "%SRCROOT% is the directory the prefix leads from"
    );
    let uri = s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("examples/internal/"), "{uri}");
    let fix = goleaklint(&["--fix", "--path-prefix", "examples", "./..."]);
    assert_eq!(
        fix.status.code(),
        Some(2),
        "--fix and --path-prefix conflict"
    );
}
