//! Module-wide facts on the command line's engine: in testdata/modfacts,
//! package `a` returns a module type with `Close` and an `io.ReadCloser`,
//! and package `b` (which leaks them, and also closes them, hands them off
//! or has `a`'s helper close them) sees `a`'s facts when it is analysed,
//! whatever the number of workers. (`go vet -vettool` and the language
//! server are tested in tests/vettool.rs and src/lsp/state.rs.)

mod support;

use goleaklint::config::Settings;
use goleaklint::discover::{self, DiscoverOptions};
use goleaklint::engine::Engine;
use goleaklint::facts::{Releaser, TypeRef};
use std::process::Command;

const A: &str = "example.com/modfacts/a";
const B: &str = "example.com/modfacts/b";

#[test]
fn facts_of_a_reach_b() {
    let dir = support::root().join("testdata/modfacts");
    let found = discover::discover(&dir, &["./...".into()], &DiscoverOptions::default()).unwrap();
    let engine = Engine::new(Settings::default());
    let seen = engine.in_import_order(&found.packages, |p, path, seen| {
        let (_, own) = engine.check_in_module(&engine.load(p), None, path, seen);
        ((path.map(String::from), seen.clone(), own.clone()), own)
    });
    let paths: Vec<_> = seen.iter().map(|(p, _, _)| p.as_deref().unwrap()).collect();
    assert_eq!(paths, [A, B]);

    let (_, b_sees, b_own) = &seen[1];
    let dial = b_sees.func(A, "Dial").expect("b sees a.Dial");
    assert_eq!(
        dial.results
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["*example.com/modfacts/a.Conn", "error"]
    );
    assert!(matches!(
        b_sees.releaser(&dial.results[0]),
        Some(Releaser::Method(m)) if m.name == "Close" && m.pointer && m.results[0].is_error()
    ));
    let body = b_sees.func(A, "OpenBody").expect("b sees a.OpenBody");
    assert_eq!(body.results[0], "io.ReadCloser".parse::<TypeRef>().unwrap());
    assert!(body.acquires.is_some(), "an io.ReadCloser result acquires");
    assert!(
        b_sees.acquisition(A, "Dial").is_some(),
        "a module type with Close acquires"
    );
    let quietly = b_sees
        .func(A, "CloseQuietly")
        .expect("b sees a.CloseQuietly");
    assert_eq!(quietly.releases, [0]);
    // b has facts of its own (HandsOff returns a's type),
    // and a sees nothing of b.
    assert_eq!(b_own.as_ref().map(|f| f.path.as_str()), Some(B));
    assert!(b_own
        .as_ref()
        .is_some_and(|f| f.funcs.contains_key("HandsOff")));
    assert!(seen[0].1.package(B).is_none());
}

#[test]
fn b_leaks_what_a_opens_and_a_helper_closes_it() {
    let dir = support::root().join("testdata/modfacts");
    let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .args(["--format", "json", "--quiet", "./..."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Leak and LeakBody; not Closes, HandsOff, nor ClosesViaHelper (a.CloseQuietly releases).
    assert_eq!(
        found,
        [
            (
                "unclosed-resource".to_string(),
                "b/b.go".to_string(),
                12,
                "the value from a.Dial is not closed on every path".to_string()
            ),
            (
                "unclosed-resource".to_string(),
                "b/b.go".to_string(),
                22,
                "the value from a.OpenBody is not closed on every path".to_string()
            ),
        ]
    );
}

#[test]
fn output_is_the_same_for_any_number_of_workers() {
    let dir = support::root().join("testdata/modfacts");
    let run = |jobs: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
            .args(["--format", "json", "--quiet", "--jobs", jobs, "./..."])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        out.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("4"));
}

#[test]
fn inside_the_standard_library_io_names_its_own_types_unqualified() {
    // testdata/stdlib is module `std`: package `io` writes `func NopCloser(r Reader) ReadCloser`.
    let dir = support::root().join("testdata/stdlib");
    let found = discover::discover(&dir, &["./...".into()], &DiscoverOptions::default()).unwrap();
    let engine = Engine::new(Settings::default());
    let seen = engine.in_import_order(&found.packages, |p, path, seen| {
        let (_, own) = engine.check_in_module(&engine.load(p), None, path, seen);
        ((path.map(String::from), own.clone()), own)
    });
    let io = seen
        .iter()
        .find(|(p, _)| p.as_deref() == Some("io"))
        .and_then(|(_, own)| own.as_ref())
        .expect("facts of io");
    let nop = io.funcs.get("NopCloser").expect("io.NopCloser");
    assert_eq!(
        nop.results[0],
        "io.ReadCloser".parse::<TypeRef>().unwrap(),
        "`ReadCloser` inside io is io.ReadCloser"
    );
    assert!(nop.wraps, "its `Reader` parameter is io.Reader: it wraps");
    assert!(
        nop.acquires.is_none(),
        "wrapping the caller's reader opens nothing"
    );

    let out = support::analyse(&dir, "./...");
    let got: Vec<(String, usize, String)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location.path.to_string(),
                d.location.start.line,
                d.rule.name().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(
            "archive/blob/blob.go".to_string(),
            27,
            "closer-as-reader".to_string()
        )],
        "only the opened file hides behind io.Reader: {:?}",
        out.diagnostics
    );
}
