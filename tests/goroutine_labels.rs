//! The labels of the goroutine rules point at the line that really leaves:
//! the select case taken on the way out (not one that loops back), the
//! return, or the call that ends the goroutine.

mod support;

use goleaklint::diagnostic::{Diagnostic, Severity};
use std::path::Path;

/// The 1-based line of the first line of `file` containing `snippet`.
fn line_of(dir: &Path, file: &str, snippet: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(snippet))
        .unwrap_or_else(|| panic!("{file}: no line with {snippet:?}"))
        + 1
}

/// The 1-based line of the first line after `after` that starts (indentation
/// aside) with `start`.
fn line_after(dir: &Path, file: &str, after: usize, start: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("{file}: no line starting {start:?} after {after}"))
        .0
        + 1
}

/// Asserts that the report at the line of `at` has a label containing
/// `label` on the first line after it that starts with `on`, and no label
/// claiming to leave elsewhere.
fn expect_label(diags: &[Diagnostic], dir: &Path, file: &str, at: &str, on: &str, label: &str) {
    let line = line_of(dir, file, at);
    let want = line_after(dir, file, line, on);
    let d = diags
        .iter()
        .find(|d| d.location.path.ends_with(file) && d.location.start.line == line)
        .unwrap_or_else(|| panic!("{file}:{line}: no report"));
    let leaving: Vec<_> = d
        .labels
        .iter()
        .filter(|l| l.message.contains("leave") || l.message.contains("ends"))
        .map(|l| (l.location.start.line, l.message.as_str()))
        .collect();
    assert!(
        leaving.iter().any(|(l, m)| *l == want && m.contains(label)),
        "{file}:{line}: wanted {label:?} on line {want}, got {leaving:?}"
    );
    assert!(
        leaving.iter().all(|(l, _)| *l == want),
        "{file}:{line}: a label leaves elsewhere: {leaving:?}"
    );
}

#[test]
fn abandoned_send_labels_the_way_out() {
    let dir = support::root().join("testdata/src/abandoned-send");
    let out = support::analyse(&dir, "./...");
    let d = &out.diagnostics;
    expect_label(
        d,
        &dir,
        "hedged.go",
        "res <- run() // want",
        "case <-ctx.Done():",
        "this case leaves",
    );
    expect_label(
        d,
        &dir,
        "hedged.go",
        "errc <- err // want",
        "case <-ctx.Done():",
        "this case leaves without receiving",
    );
    expect_label(
        d,
        &dir,
        "pipeline.go",
        "out <- strings.TrimSpace(l) // want",
        "return l",
        "this return leaves while the producer still sends",
    );
    expect_label(
        d,
        &dir,
        "fatal_test.go",
        "answers <- slowAnswer() // want \"goroutine blocks forever sending on answers: the function's",
        "t.Fatal(err)",
        "this call ends the function's goroutine without receiving",
    );
    expect_label(
        d,
        &dir,
        "leakprofile.go",
        "ch <- struct{}{} // want \"goroutine blocks forever sending on ch: a return",
        "return",
        "this return leaves without receiving",
    );
    expect_label(
        d,
        &dir,
        "callbacks.go",
        "names <- loadNames() // want",
        "return errNoIndex",
        "this return leaves without receiving",
    );
    expect_label(
        d,
        &dir,
        "wrappers.go",
        "quotes <- q // want \"goroutine blocks forever sending on quotes: the select",
        "case <-ctx.Done():",
        "this case leaves without receiving",
    );
    expect_label(
        d,
        &dir,
        "wrappers.go",
        "quotes <- q // want \"goroutine blocks forever sending on quotes: the function stops",
        "return \"blank\"",
        "this return leaves while the producer still sends",
    );
}

#[test]
fn stuck_goroutine_labels_the_way_out() {
    let dir = support::root().join("testdata/src/stuck-goroutine");
    let out = support::analyse(&dir, "./...");
    let d = &out.diagnostics;
    expect_label(
        d,
        &dir,
        "fatal_test.go",
        "for j := range jobs { // want",
        "t.Fatal(err)",
        "this call ends the goroutine without closing `jobs`",
    );
    expect_label(
        d,
        &dir,
        "fatal_test.go",
        "<-ready // want",
        "t.Fatalf(",
        "this call ends the goroutine without sending on or closing `ready`",
    );
    expect_label(
        d,
        &dir,
        "callbacks_test.go",
        "<-ready // want",
        "t.Fatal(err)",
        "this call ends the goroutine without sending on or closing `ready`",
    );
}

/// Endless loops of goroutines that run for the life of the process by
/// design (started from `main`, `init`, `once.Do` or a package initialiser,
/// or saying they run forever) are notes that say why; every other
/// stuck-goroutine report outside test files stays a warning.
#[test]
fn stuck_goroutine_by_design_loops_are_notes() {
    let dir = support::root().join("testdata/src/stuck-goroutine");
    let out = support::analyse(&dir, "./...");
    let ours: Vec<&Diagnostic> = out
        .diagnostics
        .iter()
        .filter(|d| d.rule.name() == "stuck-goroutine")
        .collect();
    for d in &ours {
        // Findings in test files are notes whatever the reason (`test-severity`).
        let in_test = d.location.path.ends_with("_test.go");
        let by_design = d.message.contains("(a note only: ");
        assert!(
            if in_test {
                !by_design || d.severity == Severity::Note
            } else {
                (d.severity == Severity::Note) == by_design
            },
            "{}:{}: {:?} {}",
            d.location.path,
            d.location.start.line,
            d.severity,
            d.message
        );
    }
    let notes = ours
        .iter()
        .filter(|d| d.message.contains("(a note only: "))
        .count();
    assert_eq!(notes, 9, "one note per by-design loop of the fixtures");
}
