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
    // b has facts of its own (HandsOff returns a's type),
    // and a sees nothing of b.
    assert_eq!(b_own.as_ref().map(|f| f.path.as_str()), Some(B));
    assert!(b_own
        .as_ref()
        .is_some_and(|f| f.funcs.contains_key("HandsOff")));
    assert!(seen[0].1.package(B).is_none());
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
