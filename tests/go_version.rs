//! The timer rules follow the Go version in force: the `go` line of the
//! package's go.mod, or `go = "…"` from the configuration, which overrides it.

mod support;

use goleaklint::config::Settings;
use goleaklint::diagnostic::{Diagnostic, Severity};
use goleaklint::discover::{self, DiscoverOptions};
use goleaklint::engine::Engine;
use goleaklint::gomod::GoVersion;

fn diagnostics(dir: &str, go: Option<GoVersion>) -> Vec<Diagnostic> {
    let dir = support::root().join(dir);
    let found =
        discover::discover(&dir, &["./...".to_string()], &DiscoverOptions::default()).unwrap();
    let mut settings = Settings::default();
    settings.go_version = go;
    let out = Engine::new(settings).check_packages(&found.packages);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.diagnostics
}

fn findings(dir: &str, go: Option<GoVersion>) -> usize {
    diagnostics(dir, go).len()
}

#[test]
fn go_mod_version_decides() {
    for rule in ["time-tick", "time-after-in-loop"] {
        let old = findings(&format!("testdata/src/{rule}/go121"), None);
        let new = findings(&format!("testdata/src/{rule}/go123"), None);
        assert!(old >= 6, "{rule}: go 1.21 module reports ({old})");
        assert_eq!(new, 0, "{rule}: go 1.23 module is silent");
    }
}

#[test]
fn configured_version_overrides_go_mod() {
    for rule in ["time-tick", "time-after-in-loop"] {
        let old_as_new = findings(
            &format!("testdata/src/{rule}/go121"),
            Some(GoVersion::new(1, 23)),
        );
        assert_eq!(old_as_new, 0, "{rule}: go = 1.23 silences a go 1.21 module");
        let new_as_old = findings(
            &format!("testdata/src/{rule}/go123"),
            Some(GoVersion::new(1, 22)),
        );
        let old = findings(&format!("testdata/src/{rule}/go121"), None);
        assert_eq!(
            new_as_old, old,
            "{rule}: go = 1.22 reports a go 1.23 module"
        );
    }
}

#[test]
fn config_file_go_line_overrides_go_mod() {
    let tmp = tempfile::tempdir().unwrap();
    let src = support::root().join("testdata/src/time-tick/go121");
    for name in ["go.mod", "tick.go"] {
        std::fs::copy(src.join(name), tmp.path().join(name)).unwrap();
    }
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_goleaklint"))
            .args(["-q", "--format", "json", "./..."])
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(1), "go 1.21 reports");
    std::fs::write(tmp.path().join(".goleaklint.toml"), "go = \"1.23\"\n").unwrap();
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(0),
        "go = 1.23 in .goleaklint.toml silences: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `unstopped-ticker` findings of a module, as (warnings, notes).
fn ticker_findings(dir: &str, go: Option<GoVersion>) -> (usize, usize) {
    let all = diagnostics(dir, go);
    let ours: Vec<_> = all
        .iter()
        .filter(|d| d.rule.name() == "unstopped-ticker")
        .collect();
    let notes = ours.iter().filter(|d| d.severity == Severity::Note).count();
    (ours.len() - notes, notes)
}

#[test]
fn unstopped_ticker_is_a_note_at_go_1_23_unless_a_goroutine_waits_forever() {
    let (old_warn, old_notes) = ticker_findings("testdata/src/unstopped-ticker/go121", None);
    let (new_warn, new_notes) = ticker_findings("testdata/src/unstopped-ticker/go123", None);
    assert!(old_warn >= 10, "go 1.21 warns ({old_warn})");
    assert_eq!(
        old_notes, 1,
        "go 1.21: only the test file's finding is a note"
    );
    // The two goroutines that wait on their tickers forever stay warnings.
    assert_eq!(
        new_warn, 2,
        "go 1.23 warns only for goroutines waiting forever"
    );
    assert!(
        new_notes >= 6,
        "go 1.23 explains the rest in notes ({new_notes})"
    );
    assert!(
        new_warn + new_notes < old_warn + old_notes,
        "go 1.23 drops timers"
    );
}

#[test]
fn configured_version_overrides_go_mod_for_unstopped_ticker() {
    let go121 = "testdata/src/unstopped-ticker/go121";
    let go123 = "testdata/src/unstopped-ticker/go123";
    assert_eq!(
        ticker_findings(go121, Some(GoVersion::new(1, 23))),
        ticker_findings(go123, None),
        "go = 1.23 turns a go 1.21 module's findings into notes"
    );
    assert_eq!(
        ticker_findings(go123, Some(GoVersion::new(1, 22))),
        ticker_findings(go121, None),
        "go = 1.22 warns for a go 1.23 module"
    );
}
