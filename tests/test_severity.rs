//! Findings in `_test.go` files are capped at `test-severity` (default
//! `note`): a test binary exits when its run ends, taking what it leaked
//! with it, so a test's leak does not fail a run at the default `fail-on`.
//! The cap is applied once, for every rule and front end.

mod support;

use goleaklint::config::Settings;
use goleaklint::diagnostic::Severity;
use std::process::Command;

fn severities(settings: Settings) -> Vec<(bool, Severity)> {
    let dir = support::root().join("testdata/src/unclosed-resource");
    let out = support::analyse_with(&dir, "./...", settings);
    out.diagnostics
        .iter()
        .filter(|d| d.rule.name() == "unclosed-resource")
        // Commands have their own notes (`command_actions_are_notes`).
        .filter(|d| !d.location.path.starts_with("cmd/"))
        .map(|d| (d.location.path.ends_with("_test.go"), d.severity))
        .collect()
}

#[test]
fn command_actions_are_notes() {
    let dir = support::root().join("testdata/src/unclosed-resource");
    let out = support::analyse_with(&dir, "./cmd/...", Settings::default());
    let mut found: Vec<(String, usize, Severity)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location.path.to_string(),
                d.location.start.line,
                d.severity,
            )
        })
        .collect();
    found.sort();
    let expected = [
        ("cmd/ctl/commands.go", 20, Severity::Note),
        ("cmd/ctl/commands.go", 35, Severity::Note),
        ("cmd/ctl/commands.go", 47, Severity::Warning),
        ("cmd/ctl/subcommands.go", 17, Severity::Note),
        ("cmd/ctl/subcommands.go", 30, Severity::Warning),
        ("cmd/fetch/main.go", 13, Severity::Note),
        ("cmd/fetch/main.go", 19, Severity::Warning),
        ("cmd/fetch/main.go", 30, Severity::Warning),
    ];
    let expected: Vec<(String, usize, Severity)> = expected
        .iter()
        .map(|(p, l, s)| (p.to_string(), *l, *s))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn test_file_findings_are_notes_by_default() {
    let found = severities(Settings::default());
    assert!(
        found.iter().any(|(test, _)| *test),
        "the fixture has a test-file finding"
    );
    assert!(found.iter().any(|(test, _)| !*test));
    for (test, sev) in found {
        if test {
            assert_eq!(sev, Severity::Note);
        } else {
            assert_eq!(sev, Severity::Warning);
        }
    }
}

#[test]
fn test_severity_raises_the_cap() {
    let mut settings = Settings::default();
    settings.test_severity = Severity::Error;
    let found = severities(settings);
    assert!(found
        .iter()
        .any(|(test, sev)| *test && *sev == Severity::Warning));
    assert!(found.iter().all(|(_, sev)| *sev == Severity::Warning));
}

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_leak_only_in_a_test_passes_the_default_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(dir.path(), "p.go", "package p\n");
    write(
        dir.path(),
        "p_test.go",
        "package p\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestRead(t *testing.T) {\n\tf, err := os.Open(\"testdata/in\")\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\t_ = f.Name()\n}\n",
    );
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_goleaklint"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["--format", "json", "-q", "./..."]);
    let doc = support::json(&out);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{doc}");
    assert_eq!(diags[0]["severity"], "note");
    assert_eq!(out.status.code(), Some(0), "a note does not fail the run");
    assert_eq!(
        run(&["-q", "--fail-on", "note", "./..."]).status.code(),
        Some(1)
    );
    write(
        dir.path(),
        ".goleaklint.toml",
        "test-severity = \"warning\"\n",
    );
    let out = run(&["--format", "json", "-q", "./..."]);
    assert_eq!(support::json(&out)["diagnostics"][0]["severity"], "warning");
    assert_eq!(out.status.code(), Some(1));
    write(dir.path(), ".goleaklint.toml", "tests = false\n");
    let out = run(&["--format", "json", "-q", "./..."]);
    assert_eq!(
        support::json(&out)["diagnostics"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn maps_of_commands_that_exit_are_notes() {
    let dir = support::root().join("testdata/src/unbounded-map");
    let out = support::analyse(&dir, "./...");
    let of = |path: &str| {
        out.diagnostics
            .iter()
            .filter(|d| d.rule.name() == "unbounded-map" && &*d.location.path == path)
            .map(|d| d.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(of("cmd/linkcheck/main.go"), [Severity::Note]);
    assert_eq!(
        of("cmd/linkcheck/internal/robots/robots.go"),
        [Severity::Note]
    );
    assert_eq!(of("cmd/shortener/main.go"), [Severity::Warning]);
}
