//! The timer rules follow the Go version in force: the `go` line of the
//! package's go.mod, or `go = "…"` from the configuration, which overrides it.

mod support;

use goleaklint::config::Settings;
use goleaklint::discover::{self, DiscoverOptions};
use goleaklint::engine::Engine;
use goleaklint::gomod::GoVersion;

fn findings(dir: &str, go: Option<GoVersion>) -> usize {
    let dir = support::root().join(dir);
    let found =
        discover::discover(&dir, &["./...".to_string()], &DiscoverOptions::default()).unwrap();
    let mut settings = Settings::default();
    settings.go_version = go;
    let out = Engine::new(settings).check_packages(&found.packages);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.diagnostics.len()
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
