//! Every rule name the documentation, the editor setups, the Action and the examples mention is a
//! registered rule, so that copying an example never ends in "unknown rule" (exit 2 on the
//! command line, an error in the editor). The names are read from the places where docs name
//! rules — `--enable`/`--disable` values, `enable`/`disable` lists in TOML, Lua, JSON and Lisp
//! settings, suppression directives, `explain`, `rules/<rule>.md` links, `[severity]` keys,
//! `warning[<rule>]` headers, `"rule": "<rule>"` — and checked against the registry itself.

mod support;

use goleaklint::rules::RuleId;
use regex::Regex;
use std::path::{Path, PathBuf};

/// Words the docs use as placeholders where a rule name goes.
const PLACEHOLDERS: &[&str] = &["a", "b", "rule", "rules", "rule-name", "name"];

/// What the documentation set covers (relative to the repository root).
const ROOTS: &[&str] = &["README.md", "docs", "editors", "action.yml", "examples"];
const EXTENSIONS: &[&str] = &[
    "md", "yml", "yaml", "toml", "json", "lua", "el", "js", "py", "sh", "go",
];

/// (pattern, how its first group lists rules): `Bare` is a comma-separated list of names,
/// `Quoted` a list whose names are the quoted strings in it.
enum List {
    Bare,
    Quoted,
}

fn patterns() -> Vec<(Regex, List)> {
    let bare = [
        r"(?:^|[\s`(])--?(?:enable|disable)[= ]([A-Za-z0-9_,-]+)",
        r"goleaklint explain ([A-Za-z0-9_-]+)",
        r"goleaklint:(?:file-)?ignore ([A-Za-z0-9_,-]+)",
        r"\b(?:warning|error|note)\[([A-Za-z0-9_-]+)\]",
        r"\brules/([A-Za-z0-9_-]+)\.md\b",
        r#""rule":\s*"([A-Za-z0-9_-]+)""#,
        r"title=goleaklint \(([A-Za-z0-9_-]+)\)",
    ];
    let quoted = [
        // TOML and Lua (`disable = ["x"]`, `disable = { 'x' }`), JSON (`"goleaklint.disable": [..]`,
        // `"disable": [..]`), Lisp plists (`:disable ["x"]`) and lists (`goleaklint-disable '("x")`).
        r#"\b(?:enable|disable)\s*=\s*[\[{]([^\]}]*)[\]}]"#,
        r#"\b(?:enable|disable)"\s*:\s*\[([^\]]*)\]"#,
        r#":(?:enable|disable)\s+\[([^\]]*)\]"#,
        r#"goleaklint-(?:enable|disable)(?:\s+'|\s*\.\s*)\(([^)]*)\)"#,
    ];
    let mut out: Vec<(Regex, List)> = bare
        .iter()
        .map(|p| (Regex::new(p).unwrap(), List::Bare))
        .collect();
    out.extend(
        quoted
            .iter()
            .map(|p| (Regex::new(p).unwrap(), List::Quoted)),
    );
    out
}

/// The rule names `text` mentions, with their 1-based line numbers.
fn mentioned_rules(text: &str) -> Vec<(usize, String)> {
    let quoted = Regex::new(r#"["']([A-Za-z0-9_-]+)["']"#).unwrap();
    let mut out = Vec::new();
    for (re, list) in patterns() {
        for caps in re.captures_iter(text) {
            let group = caps.get(1).unwrap();
            let line = text[..group.start()].matches('\n').count() + 1;
            let names: Vec<String> = match list {
                List::Bare => group.as_str().split(',').map(str::to_string).collect(),
                List::Quoted => quoted
                    .captures_iter(group.as_str())
                    .map(|c| c[1].to_string())
                    .collect(),
            };
            for name in names {
                if !name.is_empty() && !PLACEHOLDERS.contains(&name.to_lowercase().as_str()) {
                    out.push((line, name));
                }
            }
        }
    }
    out.extend(severity_keys(text));
    out
}

/// The keys of `[severity]` tables (`lost-cancel = "error"`), up to the next table or the end
/// of the code block.
fn severity_keys(text: &str) -> Vec<(usize, String)> {
    let key = Regex::new(r#"^\s*"?([A-Za-z0-9_-]+)"?\s*="#).unwrap();
    let mut inside = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') || trimmed.starts_with("```") {
            inside = trimmed == "[severity]";
        } else if let Some(c) = key.captures(line).filter(|_| inside) {
            out.push((i + 1, c[1].to_string()));
        }
    }
    out
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for top in ROOTS {
        for entry in walkdir::WalkDir::new(root.join(top))
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules")
        {
            let entry = entry.unwrap();
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if entry.file_type().is_file()
                && EXTENSIONS.contains(&ext)
                && path.file_name().is_some_and(|n| n != "package-lock.json")
            {
                out.push(path.to_path_buf());
            }
        }
    }
    out
}

#[test]
fn docs_name_only_registered_rules() {
    let root = support::root();
    let files = files_under(&root);
    assert!(files.len() > 10, "found the documentation: {files:?}");
    let mut unknown = Vec::new();
    let mut seen = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, name) in mentioned_rules(&text) {
            seen += 1;
            if RuleId::from_name(&name).is_none() {
                let rel = path.strip_prefix(&root).unwrap().display().to_string();
                unknown.push(format!("{rel}:{line}: `{name}` is not a registered rule"));
            }
        }
    }
    assert!(
        seen > 20,
        "the patterns find the rule names the docs mention ({seen})"
    );
    assert!(
        unknown.is_empty(),
        "registered rules: {}\n{}",
        RuleId::all()
            .map(|r| r.name())
            .collect::<Vec<_>>()
            .join(", "),
        unknown.join("\n")
    );
}

#[test]
fn every_form_of_mention_is_recognised() {
    let sample = r#"
goleaklint --disable no-such-a,lost-cancel ./...
go vet -vettool=x -enable=no-such-b ./...
goleaklint explain no-such-c
//goleaklint:ignore no-such-d reason
warning[no-such-e]: message
[`x`](rules/no-such-f.md)
"rule": "no-such-g",
::warning title=goleaklint (no-such-h)::m
[severity]
no-such-i = "error"
[rules]
disable = ["no-such-j"]
disable = { 'no-such-k' },
"goleaklint.disable": ["no-such-l"],
:initialization-options (list :disable ["no-such-m"])
(setq goleaklint-disable '("no-such-n"))
--enable a,b
"#;
    let mut names: Vec<String> = mentioned_rules(sample)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| n != "lost-cancel")
        .collect();
    names.sort();
    names.dedup();
    let want: Vec<String> = "abcdefghijklmn"
        .chars()
        .map(|c| format!("no-such-{c}"))
        .collect();
    assert_eq!(names, want);
}
