//! The CI front door: `--format sarif` validated against the official SARIF
//! 2.1.0 schema, fingerprints that survive unrelated edits, `--sarif-file`,
//! and insta snapshots of complete runs in the sarif and github formats.

mod support;

use goleaklint::rules::RuleId;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn goleaklint(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("goleaklint runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn fixture() -> PathBuf {
    support::root().join("tests/fixtures/ci")
}

fn sarif_errors(doc: &Value) -> Vec<String> {
    let schema_text =
        std::fs::read_to_string(support::root().join("tests/fixtures/sarif-schema-2.1.0.json"))
            .expect("the SARIF schema is in tests/fixtures");
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid_sarif(doc: &Value) {
    let errors = sarif_errors(doc);
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

fn sarif(dir: &Path, args: &[&str]) -> (Run, Value) {
    let mut all = vec!["--format", "sarif", "--quiet"];
    all.extend_from_slice(args);
    let run = goleaklint(dir, &all);
    let doc = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, doc)
}

#[test]
fn sarif_validates_and_describes_every_rule() {
    let (run, doc) = sarif(&fixture(), &["./..."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_valid_sarif(&doc);

    let r = &doc["runs"][0];
    let driver = &r["tool"]["driver"];
    assert_eq!(driver["name"], "goleaklint");
    assert_eq!(driver["version"], goleaklint::VERSION);
    assert_eq!(driver["semanticVersion"], goleaklint::VERSION);
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RuleId::all().count());
    for id in RuleId::all() {
        let rule = &rules[id.index()];
        let meta = id.meta();
        assert_eq!(rule["id"], meta.name);
        assert_eq!(rule["shortDescription"]["text"], meta.summary());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert_eq!(rule["help"]["markdown"], meta.doc);
        assert_eq!(rule["help"]["text"], meta.doc);
        assert_eq!(
            rule["helpUri"],
            format!(
                "https://github.com/goleaklint/goleaklint/blob/main/rules/{}.md",
                meta.name
            )
        );
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            meta.default_severity.as_str()
        );
        assert_eq!(rule["properties"]["tags"][0], meta.family.as_str());
        assert_eq!(rule["properties"]["tags"][1], "leak");
        assert_eq!(rule["properties"]["precision"], meta.precision.as_str());
    }
    for res in r["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"], "{res}");
    }

    // %SRCROOT% is the working directory, as a file:// URI ending in a slash.
    let root = r["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(root.starts_with("file:///") && root.ends_with("/tests/fixtures/ci/"));

    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "svc/handler.go");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(res["partialFingerprints"]["goleaklintHash/v1"].is_string());
        assert!(
            res["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["startLine"]
                .is_u64()
        );
        assert!(res["relatedLocations"][0]["message"]["text"].is_string());
    }
    // `label := "café, 50%"; ctx, _ := …`: the call starts at byte column 35,
    // UTF-16 column 34.
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        34
    );

    // The file that does not parse is a tool notification, and the run is not a success.
    let inv = &r["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "svc/broken.go"
    );
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    let (_, mut doc) = sarif(&fixture(), &["./..."]);
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(sarif_errors(&doc).len(), 2, "{:?}", sarif_errors(&doc));
}

#[test]
fn sarif_of_a_clean_run_validates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ok.go"),
        "package ok\n\nfunc Add(a, b int) int { return a + b }\n",
    )
    .unwrap();
    let (run, doc) = sarif(dir.path(), &["./..."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(
        doc["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_of_the_examples_validates() {
    let (run, doc) = sarif(&support::root().join("examples"), &["./..."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_valid_sarif(&doc);
}

/// (ruleId, fingerprint, startLine) of every result.
fn fingerprints(doc: &Value) -> Vec<(String, String, u64)> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["goleaklintHash/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_unrelated_lines_moving() {
    let dir = tempfile::tempdir().unwrap();
    let handler = std::fs::read_to_string(fixture().join("svc/handler.go")).unwrap();
    let file = dir.path().join("handler.go");
    std::fs::write(&file, &handler).unwrap();
    let (_, before) = sarif(dir.path(), &["./..."]);
    let before = fingerprints(&before);
    assert_eq!(before.len(), 2);

    // Lines added above both findings: a comment and a whole new function.
    let shifted = handler.replacen(
        "var errEmpty",
        "// Added later.\n\nfunc helper() int {\n\treturn 42\n}\n\nvar errEmpty",
        1,
    );
    std::fs::write(&file, &shifted).unwrap();
    let (_, after) = sarif(dir.path(), &["./..."]);
    let after = fingerprints(&after);
    assert_eq!(after.len(), 2);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "same rule and fingerprint");
        assert_eq!(a.2, b.2 + 6, "the finding moved down six lines");
    }

    // A second finding on an identical line gets a fingerprint of its own,
    // and the first keeps its one.
    let twice = format!(
        "{shifted}\nfunc Warm2(parent context.Context) error {{\n\tlabel := \"café, 50%\"; ctx, _ := context.WithCancel(parent)\n\treturn load(ctx, label)\n}}\n"
    );
    std::fs::write(&file, twice).unwrap();
    let (_, third) = sarif(dir.path(), &["./..."]);
    let third = fingerprints(&third);
    assert_eq!(third.len(), 3);
    assert_eq!(&third[..2], &after[..]);
    assert!(!after.iter().any(|a| a.1 == third[2].1));
}

#[test]
fn sarif_file_is_written_whatever_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("goleaklint.sarif");
    let run = goleaklint(
        &fixture(),
        &[
            "--format",
            "github",
            "--quiet",
            "--sarif-file",
            out.to_str().unwrap(),
            "./...",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("::warning file=svc/handler.go,"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 2);
}

/// Replaces the (long, often edited) rule documentation with a marker, and
/// the machine-specific root URI and the crate version with placeholders.
fn snapshot_filters() -> Vec<(String, String)> {
    let version = regex::escape(goleaklint::VERSION);
    vec![
        (
            r#""file:///[^"]*/""#.to_string(),
            r#""file:///[SRCROOT]/""#.to_string(),
        ),
        (
            format!(r#""(version|semanticVersion)": "{version}""#),
            r#""$1": "[VERSION]""#.to_string(),
        ),
        (
            r##"("(?:text|markdown)": )"# (?:[^"\\]|\\.)*""##.to_string(),
            r#"$1"[rule documentation]""#.to_string(),
        ),
        (
            r##"("fullDescription": \{\s*"text": )"(?:[^"\\]|\\.)*""##.to_string(),
            r#"$1"[rule documentation: What it does]""#.to_string(),
        ),
    ]
}

/// SARIF text with the driver's `rules` array and each result's
/// `ruleIndex` replaced by markers, keys and layout untouched.
fn without_rule_list(sarif: &str) -> String {
    let key = "\"rules\": [";
    let Some(at) = sarif.find(key) else {
        return sarif.to_string();
    };
    let open = at + key.len() - 1;
    let (mut depth, mut in_string, mut escaped, mut close) = (0usize, false, false, sarif.len());
    for (i, c) in sarif[open..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let text = format!(
        "{}\"[every registered rule]\"{}",
        &sarif[..open],
        &sarif[close.min(sarif.len())..]
    );
    regex::Regex::new(r#""ruleIndex": \d+"#)
        .unwrap()
        .replace_all(&text, r#""ruleIndex": "[index of ruleId]""#)
        .into_owned()
}

fn snapshot(name: &str, format: &str) {
    let run = goleaklint(&fixture(), &["--format", format, "--quiet", "./..."]);
    let mut stdout = run.stdout;
    if format == "sarif" {
        // The rule list and the indexes into it follow the registry, which
        // `sarif_validates_and_describes_every_rule` checks entry by entry:
        // a new rule must not change this snapshot.
        stdout = without_rule_list(&stdout);
    }
    let body = format!("exit code: {}\n{}", run.code, stdout);
    let filters = snapshot_filters();
    let mut settings = insta::Settings::clone_current();
    for (re, with) in &filters {
        settings.add_filter(re, with.as_str());
    }
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, body));
}

#[test]
fn snapshot_sarif_run() {
    snapshot("cli_sarif", "sarif");
}

#[test]
fn snapshot_github_run() {
    snapshot("cli_github", "github");
}

fn rdjson_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        support::root().join("tests/fixtures/reviewdog-DiagnosticResult.json"),
    )
    .expect("reviewdog's schema is in tests/fixtures");
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .build(&schema)
        .expect("reviewdog's schema compiles")
}

#[test]
fn rdjson_validates_against_reviewdogs_schema() {
    let run = goleaklint(&fixture(), &["--format", "rdjson", "--quiet", "./..."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("rdjson is JSON");
    let validator = rdjson_validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "rdjson does not validate:\n{}",
        errors.join("\n")
    );
    // The schema is enforced, not vacuous.
    assert!(!validator.is_valid(&serde_json::json!({"diagnostics": [{"severity": "LOUD"}]})));

    assert_eq!(doc["source"]["name"], "goleaklint");
    let diags = doc["diagnostics"].as_array().unwrap();
    let findings: Vec<&Value> = diags.iter().filter(|d| d.get("code").is_some()).collect();
    assert!(!findings.is_empty(), "{doc}");
    for d in &findings {
        let rule = d["code"]["value"].as_str().unwrap();
        assert!(RuleId::from_name(rule).is_some(), "{rule}");
        assert!(d["code"]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("rules/{rule}.md")));
        assert!(["ERROR", "WARNING", "INFO"].contains(&d["severity"].as_str().unwrap()));
        assert!(d["location"]["path"].as_str().unwrap().starts_with("svc/"));
        assert!(d["location"]["range"]["start"]["line"].as_u64().unwrap() >= 1);
    }
    let cancel = findings
        .iter()
        .find(|d| d["code"]["value"] == "lost-cancel")
        .expect("a lost-cancel finding");
    let s = &cancel["suggestions"][0];
    assert_eq!(s["text"], "\n\tdefer cancel()", "{cancel}");
    assert_eq!(s["range"]["start"], s["range"]["end"], "an insertion");
    // The file that does not parse is an ERROR without a code.
    assert!(diags.iter().any(|d| d.get("code").is_none()
        && d["severity"] == "ERROR"
        && d["location"]["path"] == "svc/broken.go"));
}
