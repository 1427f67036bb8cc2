//! `go vet -vettool=goleaklint ./...` with the real go command on the module
//! in testdata/vettool: findings of the vetted packages only (not of the
//! standard library, not of files build tags exclude), paths made relative by
//! go vet, a failing exit status, and user flags forwarded.
//!
//! Without a `go` command the test is skipped, unless `CI` is set: there it
//! fails, since scripts/setup.sh installs Go.

mod support;

use goleaklint::facts::VetxFile;
use std::path::PathBuf;
use std::process::{Command, Output};
use support::{copy_dir, find_go};

struct GoEnv {
    go: PathBuf,
    tmp: tempfile::TempDir,
}

impl GoEnv {
    fn module(&self) -> PathBuf {
        self.tmp.path().join("m")
    }

    /// `go vet -vettool=<goleaklint> ARGS` in the module, hermetic and offline.
    fn vet(&self, args: &[&str]) -> Output {
        self.vet_with(args, "0")
    }

    fn vet_with(&self, args: &[&str], cgo: &str) -> Output {
        let t = self.tmp.path();
        let out = Command::new(&self.go)
            .arg("vet")
            .arg(format!("-vettool={}", env!("CARGO_BIN_EXE_goleaklint")))
            .args(args)
            .current_dir(self.module())
            .env("GOFLAGS", "-mod=mod")
            .env("GOCACHE", t.join("gocache"))
            .env("GOPATH", t.join("gopath"))
            .env("GOPROXY", "off")
            .env("GOTOOLCHAIN", "local")
            .env("GOENV", "off")
            .env("GOWORK", "off")
            .env("GO111MODULE", "on")
            .env("CGO_ENABLED", cgo)
            .output()
            .expect("go vet runs");
        eprintln!(
            "$ go vet -vettool=goleaklint {}\n{}{}exit: {:?}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            out.status.code()
        );
        out
    }
}

fn setup() -> Option<GoEnv> {
    setup_module("testdata/vettool")
}

fn setup_module(testdata: &str) -> Option<GoEnv> {
    let Some(go) = find_go() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "the `go` command is missing, but CI is set: install Go \
                 (scripts/setup.sh installs Debian's golang-go) to test go vet -vettool"
            );
        }
        eprintln!(
            "skipped: no `go` command on PATH or in /usr/lib/go/bin (set CI to make this fail)"
        );
        return None;
    };
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&support::root().join(testdata), &tmp.path().join("m"));
    Some(GoEnv { go, tmp })
}

#[test]
fn go_vet_reports_the_vetted_packages_only() {
    let Some(env) = setup() else { return };

    let out = env.vet(&["./..."]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "go vet fails on findings: {stderr}");
    assert_eq!(
        stderr,
        "# example.com/vetdemo\n\
         ./leak.go:11:17: the cancel function cancel is not called on every path, \
         so the context returned by context.WithTimeout can outlive this function\n\
         \t./leak.go:14:3: this return skips `cancel`\n",
        "only leak.go's finding: nothing from the standard library (VetxOnly runs), \
         from the clean package, or from ignored.go (//go:build ignore)"
    );
    assert!(out.stdout.is_empty());

    // goleaklint itself honours the constraint the same way, and sees
    // ignored.go's leak only when told to analyse every file.
    let direct = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
            .args(["--format", "github", "--quiet"])
            .args(extra)
            .arg("./...")
            .current_dir(env.module())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let honoured = direct(&[]);
    assert!(
        honoured.contains("file=leak.go") && !honoured.contains("file=ignored.go"),
        "{honoured}"
    );
    let all = direct(&["--all-platforms"]);
    assert!(all.contains("file=ignored.go"), "{all}");
}

#[test]
fn go_vet_forwards_goleaklint_flags() {
    let Some(env) = setup() else { return };

    let out = env.vet(&["-disable=lost-cancel", "./..."]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty() && out.stdout.is_empty());

    let out = env.vet(&["-enable", "no-such-rule", "./..."]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("goleaklint: unknown rule `no-such-rule`"),
        "{stderr}"
    );

    // go vet itself refuses flags that `goleaklint -flags` does not list.
    let out = env.vet(&["-no-such-flag", "./..."]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("flag provided but not defined: -no-such-flag"),
        "{stderr}"
    );
}

#[test]
fn go_vet_reports_cgo_files_at_their_sources() {
    let Some(env) = setup() else { return };
    let has_cc = std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p).any(|d| d.join("gcc").is_file() || d.join("cc").is_file())
    });
    if !has_cc {
        eprintln!("skipped: cgo needs a C compiler and none is on PATH");
        return;
    }
    // The go command hands vet cgo's generated x.cgo1.go from its work
    // directory; goleaklint reads x.go instead.
    let dir = env.module().join("withcgo");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("c.go"),
        "package withcgo\n\n// #include <stdlib.h>\nimport \"C\"\n\nimport \"context\"\n\n\
         func Leak(p context.Context) context.Context {\n\tctx, _ := context.WithCancel(p)\n\t\
         _ = C.rand()\n\treturn ctx\n}\n",
    )
    .unwrap();
    let out = env.vet_with(&["./withcgo"], "1");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(
            "# example.com/vetdemo/withcgo\nwithcgo/c.go:9:12: the cancel function returned by \
             context.WithCancel is discarded"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("cgo1"), "{stderr}");
}

/// The goleaklint facts files the go command cached.
fn cached_facts(env: &GoEnv) -> Vec<VetxFile> {
    walkdir::WalkDir::new(env.tmp.path().join("gocache"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| VetxFile::decode(&std::fs::read(e.path()).ok()?))
        .collect()
}

#[test]
fn go_vet_hands_the_facts_of_a_to_b() {
    let Some(env) = setup_module("testdata/modfacts") else {
        return;
    };
    let out = env.vet(&["./..."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "b's leaks fail go vet: {stderr}");
    // a's facts reached b's run: a.Dial and a.OpenBody acquire there, and
    // a.CloseQuietly releases.
    let reported: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("b.go:") && !l.starts_with('\t'))
        .collect();
    assert_eq!(reported.len(), 2, "{stderr}");
    assert!(
        reported[0].contains("b.go:12:12: the value from a.Dial is not closed on every path"),
        "{stderr}"
    );
    assert!(
        reported[1].contains("b.go:22:15: the value from a.OpenBody is not closed on every path"),
        "{stderr}"
    );
    let files = cached_facts(&env);
    let paths = |f: &VetxFile| {
        f.packages
            .iter()
            .map(|p| p.path.clone())
            .collect::<Vec<_>>()
    };
    // b's run read a's facts file: b's own file carries them on.
    let b = files
        .iter()
        .find(|f| paths(f).contains(&"example.com/modfacts/b".to_string()))
        .unwrap_or_else(|| {
            panic!(
                "b's facts are cached: {:?}",
                files.iter().map(paths).collect::<Vec<_>>()
            )
        });
    assert_eq!(
        paths(b),
        ["example.com/modfacts/a", "example.com/modfacts/b"]
    );
    let a = &b.packages[0];
    assert_eq!(a.types["Conn"].release[0].name, "Close");
    assert_eq!(
        a.funcs["Dial"].results[0].to_string(),
        "*example.com/modfacts/a.Conn"
    );
    // The standard library's files are empty: no facts outside the module.
    assert!(files.iter().all(|f| f
        .packages
        .iter()
        .all(|p| p.path.starts_with("example.com/modfacts/"))));
}

#[test]
fn version_line_is_a_go_cache_key() {
    let out = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .arg("-V=full")
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    // cmd/go wants "<name> version <version> ...": a version other than
    // "devel" makes the whole line the tool's id.
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields.len(), 4, "{line}");
    assert_eq!(fields[0], "goleaklint");
    assert_eq!(fields[1], "version");
    assert_eq!(fields[2], format!("v{}", goleaklint::VERSION));
    let id = fields[3].strip_prefix("buildID=").expect("a buildID field");
    assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()));
}
