//! Package-scale findings must not depend on how much of the package is
//! analysed: a file re-analysed alone (the editor's path, `check_loaded` with
//! a focus) gets exactly the findings, labels included, that the whole
//! package run gives it.

mod support;

use goleaklint::config::Settings;
use goleaklint::discover::{self, DiscoverOptions};
use goleaklint::engine::Engine;

fn render(d: &goleaklint::diagnostic::Diagnostic) -> String {
    let labels: Vec<String> = d
        .labels
        .iter()
        .map(|l| {
            format!(
                "{}:{}: {}",
                l.location.path, l.location.start.line, l.message
            )
        })
        .collect();
    format!(
        "{}:{} [{}] {} | {}",
        d.location.path,
        d.location.start.line,
        d.rule,
        d.message,
        labels.join("; ")
    )
}

#[test]
fn unbounded_map_is_the_same_for_a_focused_file_as_for_the_package() {
    let dir = support::root().join("testdata/src/unbounded-map");
    let found = discover::discover(&dir, &["./...".to_string()], &DiscoverOptions::default())
        .expect("discover");
    let engine = Engine::new(Settings::default());
    // A map keyed by an exported function's parameter waits for the callers
    // in other packages, which the editor does not see: compare with the
    // findings of the run settled as a front end alone settles them.
    let mut whole = goleaklint::engine::Outcome::default();
    for o in engine.in_import_order(&found.packages, |p, path, seen| {
        let (out, own) = engine.check_in_module(&engine.load(p), None, path, seen);
        (out, own)
    }) {
        whole.merge(o);
    }
    whole.sort();
    let settled = engine.check_packages(&found.packages);
    assert!(settled.diagnostics.len() < whole.diagnostics.len());
    // Settling drops findings, or turns one in a library that only exiting
    // commands link into its note; nothing else changes.
    assert!(settled.diagnostics.iter().all(|d| {
        whole.diagnostics.iter().any(|w| {
            let mut w = w.clone();
            if let Some(c) = w.in_commands.take().filter(|c| c.message == d.message) {
                w.message = c.message;
            }
            render(&w) == render(d)
        })
    }));
    assert!(settled.diagnostics.iter().any(
        |d| d.message.contains("until the command exits") && d.location.path.contains("tools/")
    ));
    assert!(
        !whole.diagnostics.is_empty(),
        "the fixtures report something"
    );
    // Alone (the editor, `go vet`), a configuration function's map is
    // reported when the package's own calls show it grows, and only then.
    let quotas = |d: &goleaklint::diagnostic::Diagnostic| d.message.contains("map quotas ");
    assert!(whole.diagnostics.iter().any(quotas));
    let mut alone = goleaklint::engine::Outcome {
        diagnostics: whole.diagnostics.clone(),
        ..Default::default()
    };
    alone.settle_alone();
    assert!(!alone.diagnostics.iter().any(quotas));
    assert!(alone
        .diagnostics
        .iter()
        .any(|d| d.message.contains("map subscribers ")));
    let mut focused_files = 0;
    for input in &found.packages {
        let loaded = engine.load(input);
        for f in &loaded.files {
            let display = f.source.display.to_string();
            let alone = engine.check_loaded(&loaded, Some(&display));
            let expected: Vec<String> = alone
                .diagnostics
                .iter()
                .filter(|d| *d.location.path == *display)
                .map(render)
                .collect();
            let got: Vec<String> = alone.diagnostics.iter().map(render).collect();
            assert_eq!(got, expected, "{display} analysed alone");
            focused_files += 1;
        }
    }
    // The multi-file shape is covered: the delete lives in another file.
    assert!(focused_files >= 3);
    assert!(whole
        .diagnostics
        .iter()
        .all(|d| !d.message.contains(" ledger ")));
}
