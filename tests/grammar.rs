//! The Go grammar: every file of the construct corpus in tests/grammar parses
//! without a syntax error, and so does every file of Go's own `test/`
//! directory that gofmt accepts (less an allow-list, each with its reason).

use goleaklint::parse;
use goleaklint::source::SourceFile;
use std::path::{Path, PathBuf};
use std::process::Command;

fn parse_file(path: &Path, display: &str) -> Option<parse::ParsedFile> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = parse::decode(bytes).ok()?;
    Some(parse::parse(SourceFile::new(display, text)))
}

#[test]
fn construct_corpus_parses() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/grammar");
    let mut n = 0;
    let mut failures = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "go") {
            continue;
        }
        n += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let p = parse_file(&path, &name).expect("corpus files are UTF-8 text");
        if !p.syntax_errors.is_empty() {
            failures.push(format!("{name}: {:?}", p.syntax_errors));
        }
    }
    assert!(
        n >= 9,
        "the corpus is missing: {n} files in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn new_and_make_keep_their_type_operand() {
    let src = "package p\nfunc f() { _ = new(T); _ = make([]int, 3); _ = new(g()) }\n";
    let p = parse::parse(SourceFile::new("a.go", src.to_string()));
    let sexp = p.tree.root_node().to_sexp();
    assert!(sexp.contains("(argument_list (type_identifier))"), "{sexp}");
    assert!(sexp.contains("(argument_list (slice_type"), "{sexp}");
    assert!(sexp.contains("(argument_list (call_expression"), "{sexp}");
}

#[test]
fn generic_method_has_type_parameters() {
    let src = "package p\nfunc (r *R) N[I any](n I) I { return n }\n";
    let p = parse::parse(SourceFile::new("a.go", src.to_string()));
    let root = p.tree.root_node();
    let m = root.named_child(1).unwrap();
    assert_eq!(m.kind(), "method_declaration");
    assert!(m.child_by_field_name("type_parameters").is_some());
    assert!(!root.has_error());
}

/// Files of Go's test/ directory that gofmt accepts but that are not Go a
/// compiler accepts either, and whose syntax the grammar does not take.
const ALLOWED: &[(&str, &str)] = &[
    (
        "fixedbugs/issue24470.go",
        "`x, ok := i.(type)` outside a type switch: a compile error; accepting `.(type)` in any \
         expression would make every type switch ambiguous",
    ),
    (
        "fixedbugs/issue4470.go",
        "`switch (i.(type))`: `.(type)` outside a type switch header, a compile error (as above)",
    ),
    (
        "method4.dir/prog.go",
        "`(interface{ I2 }).Sum`: a method expression on a parenthesized interface literal; the \
         parenthesized type conflicts with parenthesized expressions in the LR tables",
    ),
];

/// Where Debian's golang-1.19-src (or a GOROOT) keeps Go's test/ directory.
fn go_test_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("GOLEAKLINT_GO_TEST_DIR") {
        return Some(PathBuf::from(d));
    }
    [
        "/usr/lib/go-1.19/test",
        "/usr/share/go-1.19/test",
        "/usr/lib/go/test",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|d| d.is_dir())
}

fn gofmt() -> Option<PathBuf> {
    [
        "/usr/lib/go-1.19/bin/gofmt",
        "/usr/lib/go/bin/gofmt",
        "/usr/bin/gofmt",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

#[test]
fn go_test_directory_parses() {
    let (Some(dir), Some(gofmt)) = (go_test_dir(), gofmt()) else {
        let missing = "Go's test/ directory (Debian package golang-1.19-src, or \
                       GOLEAKLINT_GO_TEST_DIR) or gofmt (golang-go) is missing";
        // CI installs both (scripts/setup.sh): there, missing is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing}: scripts/setup.sh installs them"
        );
        eprintln!("go_test_directory_parses SKIPPED: {missing}; scripts/setup.sh installs them");
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "go") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 1000,
        "{}: only {} files",
        dir.display(),
        files.len()
    );
    let (mut clean, mut rejected_by_gofmt, mut allowed) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let errors = match parse_file(path, &rel) {
            Some(p) => p.syntax_errors,
            None => {
                rejected_by_gofmt += 1; // not UTF-8 text: gofmt refuses it too
                continue;
            }
        };
        let allow = ALLOWED.iter().any(|(f, _)| *f == rel);
        if errors.is_empty() {
            clean += 1;
            if allow {
                failures.push(format!("{rel}: parses now; drop it from the allow-list"));
            }
            continue;
        }
        let ok = Command::new(&gofmt)
            .arg("-e")
            .arg(path)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            rejected_by_gofmt += 1;
        } else if allow {
            allowed += 1;
        } else {
            failures.push(format!(
                "{rel}: gofmt accepts it, goleaklint says {errors:?}"
            ));
        }
    }
    eprintln!(
        "Go test/: {} files, {clean} parse cleanly, {rejected_by_gofmt} rejected by gofmt too, {allowed} allow-listed",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// parser.c is generated from grammar.js (grammar/regenerate.sh records
/// grammar.js's digest beside it): an edit of grammar.js without a
/// regeneration would silently ship the old parser.
#[test]
fn generated_parser_matches_grammar_js() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("grammar/tree-sitter-go");
    let out = Command::new("sha256sum")
        .arg(dir.join("grammar.js"))
        .output()
        .expect("sha256sum (coreutils) runs");
    let actual = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let recorded = std::fs::read_to_string(dir.join("src/grammar.js.sha256")).unwrap();
    assert_eq!(
        actual,
        recorded.trim(),
        "grammar.js changed since parser.c was generated: run grammar/regenerate.sh"
    );
}
