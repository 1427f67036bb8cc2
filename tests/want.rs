//! The `// want "regexp"` harness over `testdata/src/<rule>/`, in the manner
//! of Go's analysistest: every diagnostic must be expected on its line, and
//! every expectation must be met. Both failures are listed together.

mod support;

use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;

struct Expectation {
    pattern: Regex,
    met: bool,
}

fn expectations(dir: &Path) -> BTreeMap<(String, usize), Vec<Expectation>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "go") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let rel = goleaklint::discover::display_path(dir, entry.path());
        for (i, line) in text.lines().enumerate() {
            let Some(at) = line.find("// want ") else {
                continue;
            };
            let pats = support::go_strings(&line[at + 8..])
                .unwrap_or_else(|e| panic!("{rel}:{}: bad want comment: {e}", i + 1));
            let list: &mut Vec<Expectation> = out.entry((rel.clone(), i + 1)).or_default();
            for p in pats {
                let pattern = Regex::new(&p)
                    .unwrap_or_else(|e| panic!("{rel}:{}: bad regexp {p:?}: {e}", i + 1));
                list.push(Expectation {
                    pattern,
                    met: false,
                });
            }
        }
    }
    out
}

fn check_dir(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut want = expectations(dir);
    let outcome = support::analyse(dir, "./...");
    for e in &outcome.errors {
        problems.push(format!("error: {}: {}", e.path, e.message));
    }
    for d in &outcome.diagnostics {
        let key = (d.location.path.to_string(), d.location.start.line);
        let hit = want.get_mut(&key).and_then(|list| {
            list.iter_mut()
                .find(|x| !x.met && x.pattern.is_match(&d.message))
        });
        match hit {
            Some(x) => x.met = true,
            None => problems.push(format!(
                "unexpected: {}:{}:{}: [{}] {}",
                key.0, key.1, d.location.start.column, d.rule, d.message
            )),
        }
    }
    for ((path, line), list) in want {
        for x in list.iter().filter(|x| !x.met) {
            problems.push(format!(
                "missing: {path}:{line}: no diagnostic matching {:?}",
                x.pattern.as_str()
            ));
        }
    }
    problems
}

#[test]
fn want_expectations_hold_for_every_rule() {
    let base = support::root().join("testdata/src");
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if goleaklint::rules::RuleId::from_name(&name).is_none() {
            // Fixtures of rules not yet registered are exercised when their rule lands.
            continue;
        }
        for p in check_dir(&dir) {
            failures.push(format!("[{name}] {p}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn want_parser_reads_go_strings() {
    assert_eq!(
        support::go_strings(r#""a \\(b\\)" `c\d`"#).unwrap(),
        vec![r"a \(b\)".to_string(), r"c\d".to_string()]
    );
}
