//! `goleaklint triage`: dumps produced for real by the Go program in
//! testdata/triage (built from a copy elsewhere, as on a build machine, and
//! mapped back to the repository's copy), hand-written dumps of the shapes
//! the local Go cannot produce, and malformed input.
//!
//! Without a `go` command the real-dump test fails (scripts/setup.sh installs
//! Debian's golang-go), unless GOLEAKLINT_SKIP_GO is set.

mod support;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn program() -> PathBuf {
    support::root().join("testdata/triage")
}

fn fixture(name: &str) -> PathBuf {
    support::root().join("tests/fixtures/triage").join(name)
}

/// `goleaklint triage ARGS` from testdata/triage, with `stdin` on stdin.
fn triage_with(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .arg("triage")
        .args(args)
        .current_dir(program())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        // A reader that stops early (an error) closes the pipe: not our failure.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn triage(args: &[&str]) -> Output {
    triage_with(args, None)
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON output: {e}\n{}", stderr(out)));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(support::root().join("docs/triage.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
    v
}

/// The group whose site (or blocking frame) is at `path:line`.
fn group_at<'v>(v: &'v Value, path: &str, line: u64) -> &'v Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            let f = if g["site"].is_null() {
                &g["blocking"]
            } else {
                &g["site"]
            };
            f["path"] == path && f["line"] == line
        })
        .unwrap_or_else(|| panic!("no group at {path}:{line} in {v:#}"))
}

fn explained_by(g: &Value) -> Vec<(String, String, u64)> {
    g["explanations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["match"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Builds testdata/triage from a copy under a temporary "build machine"
/// directory, runs it, and returns its debug=1 and debug=2 dumps.
fn real_dumps(tmp: &Path) -> Option<(Vec<u8>, Vec<u8>)> {
    let Some(go) = support::find_go() else {
        if std::env::var_os("GOLEAKLINT_SKIP_GO").is_some() {
            eprintln!("skipped: no `go` command and GOLEAKLINT_SKIP_GO is set");
            return None;
        }
        panic!(
            "the `go` command is missing: install Go (scripts/setup.sh installs Debian's \
             golang-go), or set GOLEAKLINT_SKIP_GO to skip the real-dump tests"
        );
    };
    let src = tmp.join("build/leakysvc");
    support::copy_dir(&program(), &src);
    let bin = tmp.join("leakysvc");
    let out = Command::new(&go)
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&src)
        .env("GOFLAGS", "-mod=mod")
        // A cache kept across runs: building runtime/pprof cold takes a while.
        .env("GOCACHE", support::root().join("target/triage-gocache"))
        .env("GOPATH", tmp.join("gopath"))
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOENV", "off")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("CGO_ENABLED", "0")
        .output()
        .expect("go build runs");
    assert!(out.status.success(), "go build: {}", stderr(&out));
    let (d1, d2) = (tmp.join("d1.txt"), tmp.join("d2.txt"));
    let out = Command::new(&bin).arg(&d1).arg(&d2).output().unwrap();
    assert!(out.status.success(), "leakysvc: {}", stderr(&out));
    Some((std::fs::read(d1).unwrap(), std::fs::read(d2).unwrap()))
}

fn write(tmp: &Path, name: &str, bytes: &[u8]) -> String {
    let p = tmp.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

/// The three leaks of testdata/triage, joined to the rules that explain them.
fn assert_three_leaks(v: &Value, with_reasons: bool) {
    let send = group_at(v, "worker/worker.go", 20);
    assert_eq!(send["count"], 120);
    assert_eq!(send["rank"], 1);
    assert_eq!(
        explained_by(send),
        [("abandoned-send".into(), "stack-line".into(), 20)]
    );
    let range = group_at(v, "worker/worker.go", 45);
    assert_eq!(range["count"], 3);
    assert_eq!(
        explained_by(range),
        [("stuck-goroutine".into(), "stack-line".into(), 45)]
    );
    let watch = group_at(v, "worker/worker.go", 77);
    assert_eq!(watch["count"], 2);
    assert_eq!(
        explained_by(watch),
        [("lost-cancel".into(), "same-function".into(), 75)]
    );
    // The mutex waiter is real but no rule covers it: unexplained, with its line.
    let lock = group_at(v, "worker/worker.go", 91);
    assert_eq!(lock["status"], "unexplained");
    assert_eq!(lock["site"]["source"], "Guard.Lock()");
    if with_reasons {
        assert_eq!(send["wait_reason"], "chan send");
        assert_eq!(range["wait_reason"], "chan receive");
        assert_eq!(
            send["created_by"][0]["frame"]["function"],
            "example.com/leakysvc/worker.Lookup"
        );
    } else {
        assert!(send["wait_reason"].is_null());
    }
}

#[test]
fn real_dumps_name_the_leaking_lines_and_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((d1, d2)) = real_dumps(tmp.path()) else {
        return;
    };
    let p1 = write(tmp.path(), "d1.txt", &d1);
    let p2 = write(tmp.path(), "d2.txt", &d2);

    let out = triage(&["--format", "json", &p2]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "120 goroutines ≥ --min-count 100"
    );
    let v = json(&out);
    assert_eq!(v["dump"]["format"], "debug=2");
    assert_eq!(v["dump"]["goroutines"], 127);
    assert_three_leaks(&v, true);

    let out = triage(&["--format", "json", &p1]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["dump"]["format"], "debug=1");
    assert_eq!(v["dump"]["declared_total"], 127);
    assert_three_leaks(&v, false);

    // Gzip-compressed, on stdin.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&d2).unwrap();
    let out = triage_with(&["--format", "json", "-"], Some(&gz.finish().unwrap()));
    let v = json(&out);
    assert_eq!(v["dump"]["compressed"], true);
    assert_three_leaks(&v, true);

    // Below the threshold and nothing marked leaked: exit 0.
    let out = triage(&["--min-count", "121", "--format", "json", &p2]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = triage(&["--top", "3", &p2]);
    let shown = text(&out).replace(&p2, "[dump]");
    insta::assert_snapshot!("real_debug2_text", shown);
}

#[test]
fn go126_windows_dump_text_and_json() {
    let path = fixture("go126-windows.txt");
    let path = path.to_str().unwrap();
    let out = triage(&["--min-count", "1000", path]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "goroutines the runtime marked leaked fail the run whatever the count"
    );
    insta::assert_snapshot!("go126_windows_text", text(&out).replace(path, "[dump]"));
    let out = triage(&["--format", "json", path]);
    let mut v = json(&out);
    v["dump"]["path"] = "[dump]".into();
    let send = group_at(&v, "worker/worker.go", 20);
    assert_eq!(
        (send["count"].as_u64(), send["leaked"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(send["longest_wait_minutes"], 12);
    let range = group_at(&v, "worker/worker.go", 45);
    assert_eq!(range["labels"].as_array().unwrap().len(), 2);
    let deep = group_at(&v, "worker/worker.go", 77);
    assert_eq!(deep["elided"], true);
    assert_eq!(deep["stack"].as_array().unwrap().len(), 100);
    assert_eq!(deep["wait_reason"], "chan receive (nil chan)");
    let http2 = &v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["status"] == "outside")
        .unwrap()["blocking"];
    assert_eq!(http2["origin"], "module-cache");
    assert_eq!(http2["module"], "golang.org/x/net@v0.17.0");
    insta::assert_json_snapshot!("go126_windows_json", v);
}

#[test]
fn goroutineleak_profile_and_sigquit_traceback() {
    let out = triage(&[
        fixture("leak-debug1.txt").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["dump"]["format"], "goroutineleak debug=1");
    let send = group_at(&v, "worker/worker.go", 20);
    assert_eq!(send["leaked"], 3);
    assert_eq!(send["labels"][0], r#"{"handler":"/search"}"#);
    assert_eq!(explained_by(send)[0].0, "abandoned-send");

    let path = fixture("sigquit.txt");
    let out = triage(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(
        "sigquit_text",
        text(&out).replace(path.to_str().unwrap(), "[dump]")
    );
}

#[test]
fn truncated_dump_keeps_what_parses_and_says_what_did_not() {
    let out = triage(&[
        "--format",
        "json",
        fixture("truncated.txt").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["dump"]["goroutines"], 2);
    let warnings = v["dump"]["warnings"].to_string();
    assert!(
        warnings.contains("did not parse (first at line 10)"),
        "{warnings}"
    );
    assert!(warnings.contains("without a stack"), "{warnings}");
}

#[test]
fn unreadable_dumps_fail_with_a_clear_message() {
    for (name, says) in [
        ("garbage.txt", "holds no goroutine"),
        ("empty.txt", "is empty"),
        ("binary.bin", "is binary, not a text dump"),
        ("missing.txt", "cannot open"),
    ] {
        let out = triage(&[fixture(name).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn gzip_bombs_and_lying_gzip_trailers_are_bounded() {
    // 256 MiB of zeros in a few hundred KiB: decoded as a stream, one cut line.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    let out = triage_with(&["-"], Some(&bomb));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is binary"), "{}", stderr(&out));

    // A dump whose trailer claims 1 GiB, cut in the middle of its stream.
    let dump = std::fs::read(fixture("go126-windows.txt")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&dump.repeat(20)).unwrap();
    let mut bytes = gz.finish().unwrap();
    let n = bytes.len();
    bytes[n - 4..].copy_from_slice(&(1u32 << 30).to_le_bytes());
    bytes.truncate(n * 2 / 3);
    let out = triage_with(&["--format", "json", "-"], Some(&bytes));
    let v = json(&out);
    let warnings = v["dump"]["warnings"].to_string();
    assert!(
        warnings.contains("gzip stream is corrupt or truncated"),
        "{warnings}"
    );
    assert!(v["dump"]["goroutines"].as_u64().unwrap() > 9);
}
