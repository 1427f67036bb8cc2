//! Files that are not regular files never stall a run: a named pipe, a link
//! to a device or an endless file is named with a reason, and everything else
//! is still analysed. Every run here has a deadline, so a regression fails
//! instead of hanging the suite.
#![cfg(unix)]

mod support;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{assert_error_and_finding, json};

const LEAK: &str = "package p\n\nimport \"context\"\n\nfunc Leak(parent context.Context) context.Context {\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}\n";

/// Long enough for a debug build on a loaded machine; a hang never finishes.
const DEADLINE: Duration = Duration::from_secs(30);

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_goleaklint"));
    c.args(["--format", "json", "--color", "never"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `c`, killing it (and failing) past the deadline.
fn finish(mut c: Command) -> Output {
    let mut child = c.spawn().expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("goleaklint did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    finish(command(dir, args))
}

fn mkfifo(path: &Path) {
    let st = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(st.success());
}

fn with_leak() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("leak.go"), LEAK).unwrap();
    dir
}

#[test]
fn named_pipe_is_not_read() {
    let dir = with_leak();
    mkfifo(&dir.path().join("x.go"));
    assert_error_and_finding(&run(dir.path(), &["./..."]), "x.go", "not a regular file");
    // Named as a directory's file, too.
    assert_error_and_finding(&run(dir.path(), &["."]), "x.go", "not a regular file");
}

#[test]
fn link_to_a_device_is_not_read() {
    let dir = with_leak();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.go")).unwrap();
    std::os::unix::fs::symlink("/dev/null", dir.path().join("n.go")).unwrap();
    let out = run(dir.path(), &["./..."]);
    assert_error_and_finding(&out, "z.go", "not a regular file (a character device)");
    assert_error_and_finding(&out, "n.go", "not a regular file");
}

#[test]
fn explicit_named_pipe_argument_says_so() {
    let dir = with_leak();
    mkfifo(&dir.path().join("x.go"));
    let out = run(dir.path(), &["x.go"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("x.go: not a regular file (a named pipe)"),
        "{err}"
    );
}

#[test]
fn go_mod_that_is_a_pipe_or_device_is_not_read() {
    for special in ["fifo", "/dev/zero"] {
        let dir = with_leak();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("leak.go"), LEAK).unwrap();
        let gomod = dir.path().join("go.mod");
        if special == "fifo" {
            mkfifo(&gomod);
        } else {
            std::os::unix::fs::symlink(special, &gomod).unwrap();
        }
        let out = run(&sub, &["./..."]);
        let v = json(&out);
        let errors = v["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["path"].as_str().unwrap().ends_with("go.mod")
                    && e["message"]
                        .as_str()
                        .unwrap()
                        .contains("not a regular file")),
            "{special}: {errors:?}"
        );
        assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1, "{special}");
    }
}

#[test]
fn file_over_the_size_limit_is_skipped_with_a_reason() {
    let dir = with_leak();
    // Sparse: the size is known without writing 50 MB.
    let f = std::fs::File::create(dir.path().join("huge.go")).unwrap();
    f.set_len(50 << 20).unwrap();
    assert_error_and_finding(&run(dir.path(), &["./..."]), "huge.go", "too large");
}

/// Runs as an unprivileged user when the suite runs as root, for whom
/// permissions stop nothing.
fn unprivileged(dir: &Path, args: &[&str]) -> Output {
    let mut c = command(dir, args);
    if std::fs::read_dir("/root").is_ok() && unsafe_is_root() {
        c.uid(65534).gid(65534);
    }
    finish(c)
}

fn unsafe_is_root() -> bool {
    // /proc/self/status holds the effective uid; no libc call needed.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn unreadable_directory_says_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let secret = dir.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("leak.go"), LEAK).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    for pattern in ["./secret", "./secret/..."] {
        let out = unprivileged(dir.path(), &[pattern]);
        assert_eq!(out.status.code(), Some(2), "{pattern}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("secret") && err.contains("permission denied"),
            "{pattern}: {err}"
        );
        assert!(!err.contains("matched no Go files"), "{pattern}: {err}");
    }
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn many_leaks(n: usize) -> String {
    let mut s = String::from("package p\n\nimport \"context\"\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "func L{i}(parent context.Context) context.Context {{\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}}\n\n"
        ));
    }
    s
}

#[test]
fn findings_past_the_cap_are_summarised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.go"), many_leaks(30)).unwrap();
    let out = run(dir.path(), &["--max-findings-per-file", "10", "./..."]);
    let v = json(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 10, "the first ten by position");
    assert_eq!(diags[9]["line"], 51);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "many.go");
    assert_eq!(errors[0]["line"], 56, "where the hidden findings start");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("20 more finding(s) not shown"));
    assert_eq!(out.status.code(), Some(1));
    // Under the default cap, everything shows.
    let v = json(&run(dir.path(), &["./..."]));
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 30);
}

#[test]
fn budget_flags_reach_packages_with_their_own_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.go"), many_leaks(12)).unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("many.go"), many_leaks(12)).unwrap();
    // The sub-package's own configuration changes a setting but says nothing of budgets.
    std::fs::write(sub.join(".goleaklint.toml"), "fail-on = \"error\"\n").unwrap();
    let v = json(&run(dir.path(), &["--max-findings-per-file", "5", "./..."]));
    let diags = v["diagnostics"].as_array().unwrap();
    for path in ["many.go", "sub/many.go"] {
        assert_eq!(
            diags.iter().filter(|d| d["path"] == path).count(),
            5,
            "{path}: {diags:?}"
        );
    }
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let v = json(&run(dir.path(), &["--file-time-budget", "0", "./..."]));
    let errors = v["errors"].as_array().unwrap();
    for path in ["many.go", "sub/many.go"] {
        assert!(
            errors.iter().any(
                |e| e["path"] == path && e["message"].as_str().unwrap().contains("time budget")
            ),
            "{path}: {errors:?}"
        );
    }
}

#[test]
fn file_past_the_time_budget_is_named_and_the_run_goes_on() {
    let dir = with_leak();
    std::fs::write(dir.path().join("slow.go"), many_leaks(3)).unwrap();
    // A zero budget stops every file at its first function.
    let out = run(dir.path(), &["--file-time-budget", "0", "./..."]);
    let v = json(&out);
    let errors = v["errors"].as_array().unwrap();
    for name in ["leak.go", "slow.go"] {
        assert!(
            errors.iter().any(|e| e["path"] == name
                && e["line"] == 5
                && e["message"].as_str().unwrap().contains("time budget")),
            "{name}: {errors:?}"
        );
    }
    assert_eq!(
        out.status.code(),
        Some(2),
        "nothing was found, files were skipped"
    );
    let out = run(dir.path(), &["--file-time-budget", "-1", "."]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn jobs_are_capped_with_a_message() {
    let dir = with_leak();
    let out = run(dir.path(), &["--jobs", "100000", "./..."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--jobs 100000 capped at"), "{err}");
    assert_eq!(json(&out)["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(out.status.code(), Some(1));
}
