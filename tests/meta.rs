//! Tests that keep the codebase honest: every rule has its source file, its
//! documentation with the required headings, fixtures with positives and
//! silent functions, a README entry; and each doc's Example triggers the
//! rule while its Use instead block stays silent.

mod support;

use goleaklint::config::Settings;
use goleaklint::discover::{FileInput, PackageInput};
use goleaklint::engine::Engine;
use goleaklint::rules::RuleId;

const HEADINGS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Go versions",
    "## How to suppress",
];

#[test]
fn every_rule_has_source_doc_and_fixtures() {
    let root = support::root();
    for r in RuleId::all() {
        let name = r.name();
        let src = root.join(format!("src/rules/{}.rs", name.replace('-', "_")));
        assert!(src.is_file(), "{name}: {} exists", src.display());
        let doc = std::fs::read_to_string(root.join(format!("rules/{name}.md"))).unwrap();
        assert_eq!(
            doc,
            r.meta().doc,
            "{name}: the embedded doc is rules/{name}.md"
        );
        for h in HEADINGS {
            assert!(doc.contains(&format!("\n{h}\n")), "{name}: doc has `{h}`");
        }
        let dir = root.join("testdata/src").join(name);
        let mut wants = 0;
        let mut silent_funcs = 0;
        for e in walkdir::WalkDir::new(&dir) {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "go") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                wants += text.matches("// want ").count();
                silent_funcs += text
                    .split("\nfunc ")
                    .skip(1)
                    .filter(|f| !f.split("\n}\n").next().unwrap_or("").contains("// want "))
                    .count();
            }
        }
        assert!(wants > 0, "{name}: testdata/src/{name} has a `// want`");
        assert!(
            silent_funcs > 0,
            "{name}: testdata/src/{name} has a silent function"
        );
    }
}

/// The README's rule table, as the registry makes it: one row per rule,
/// sorted by name, with the summary line of its doc and its default severity.
fn rule_table() -> String {
    let mut rules: Vec<RuleId> = RuleId::all().collect();
    rules.sort_by_key(|r| r.name());
    let mut out = String::from("| rule | finds | default |\n| --- | --- | --- |\n");
    for r in rules {
        let m = r.meta();
        out.push_str(&format!(
            "| [`{0}`](rules/{0}.md) | {1} | {2} |\n",
            m.name,
            m.summary().replace('|', "\\|"),
            m.default_severity.as_str()
        ));
    }
    out
}

/// The README's rule table is generated from the registry, so that adding a
/// rule touches only its own file, doc, fixtures and registry line. With
/// `GOLEAKLINT_BLESS=1` the test rewrites the table instead of failing.
#[test]
fn readme_rule_table_is_generated_from_the_registry() {
    let path = support::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let section = readme
        .find("\n## Rules\n")
        .expect("README has a `## Rules` section");
    let table_start = section
        + readme[section..]
            .find("\n| rule |")
            .expect("the Rules section has the rule table")
        + 1;
    let table_len: usize = readme[table_start..]
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('|'))
        .map(str::len)
        .sum();
    let current = &readme[table_start..table_start + table_len];
    let expected = rule_table();
    if current == expected {
        return;
    }
    if std::env::var_os("GOLEAKLINT_BLESS").is_some() {
        let updated = format!(
            "{}{expected}{}",
            &readme[..table_start],
            &readme[table_start + table_len..]
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "the README's rule table is generated from the registry; run \
         `GOLEAKLINT_BLESS=1 cargo test --test meta readme` to update it. Expected:\n{expected}"
    );
}

fn go_block<'a>(doc: &'a str, heading: &str) -> &'a str {
    let after = doc
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("missing {heading}"));
    let section = after.split("\n## ").next().unwrap();
    let start = section.find("```go\n").expect("a ```go block") + 6;
    let end = section[start..].find("\n```").expect("a closed block") + start;
    &section[start..end + 1]
}

fn analyse_snippet(code: &str) -> Vec<(String, String)> {
    let input = PackageInput {
        dir: std::env::temp_dir(),
        module: None,
        files: vec![FileInput {
            path: std::env::temp_dir().join("example.go"),
            display: "example.go".into(),
            overlay: Some(code.to_string()),
        }],
    };
    let out = Engine::new(Settings::default()).check_package(&input);
    assert!(
        out.errors.is_empty(),
        "the snippet parses: {:?}",
        out.errors
    );
    out.diagnostics
        .iter()
        .map(|d| (d.rule.name().to_string(), d.message.clone()))
        .collect()
}

#[test]
fn doc_examples_trigger_and_fixed_versions_stay_silent() {
    for r in RuleId::all() {
        let doc = r.meta().doc;
        let bad = analyse_snippet(go_block(doc, "## Example"));
        assert!(
            bad.iter().any(|(rule, _)| rule == r.name()),
            "{}: the Example triggers the rule, got {bad:?}",
            r.name()
        );
        let good = analyse_snippet(go_block(doc, "## Use instead"));
        assert!(
            good.is_empty(),
            "{}: Use instead is silent, got {good:?}",
            r.name()
        );
    }
}
