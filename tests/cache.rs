//! The result cache through the command line: hits, misses on each kind of
//! change, corrupt entries, concurrent runs and `--no-cache`.

use std::path::Path;
use std::process::{Command, Output};

const LEAK: &str = "package p\n\nimport \"context\"\n\nfunc f(ctx context.Context) {\n\tc, _ := context.WithCancel(ctx)\n\t_ = c\n}\n";

fn run(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache)
        .args(args)
        .arg("./...")
        .output()
        .unwrap()
}

fn from_cache(o: &Output) -> bool {
    String::from_utf8_lossy(&o.stderr).contains("from the cache")
}

/// "h of n": how many of the run's directories came from the cache.
fn hits(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    match err
        .split(", ")
        .find(|p| p.ends_with("directories from the cache"))
    {
        Some(p) => p
            .trim_end_matches(" directories from the cache")
            .to_string(),
        None => "none".to_string(),
    }
}

fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(cache.join("goleaklint/v4")) else {
        return out;
    };
    for d in rd.flatten() {
        for e in std::fs::read_dir(d.path()).unwrap().flatten() {
            out.push(e.path());
        }
    }
    out
}

/// Writes `text` to `path` below `dir`, creating its directory.
fn write_file(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn setup() -> (tempfile::TempDir, tempfile::TempDir) {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("go.mod"), "module m\n\ngo 1.22\n").unwrap();
    std::fs::write(src.path().join("a.go"), LEAK).unwrap();
    (src, tempfile::tempdir().unwrap())
}

#[test]
fn warm_run_hits_and_answers_the_same() {
    let (src, cache) = setup();
    let cold = run(src.path(), cache.path(), &[]);
    assert!(!from_cache(&cold));
    let warm = run(src.path(), cache.path(), &[]);
    assert!(
        from_cache(&warm),
        "{}",
        String::from_utf8_lossy(&warm.stderr)
    );
    assert_eq!(cold.stdout, warm.stdout);
    assert_eq!(cold.status.code(), warm.status.code());
    assert!(String::from_utf8_lossy(&warm.stdout).contains("lost-cancel"));
}

#[test]
fn each_kind_of_change_misses() {
    let (src, cache) = setup();
    run(src.path(), cache.path(), &[]);
    // The file's content.
    std::fs::write(src.path().join("a.go"), LEAK.replace("_ = c", "_ = c // x")).unwrap();
    assert!(!from_cache(&run(src.path(), cache.path(), &[])));
    // The settings (a rule disabled on the command line, then a config file).
    assert!(!from_cache(&run(
        src.path(),
        cache.path(),
        &["--disable", "lost-cancel"]
    )));
    std::fs::write(
        src.path().join(".goleaklint.toml"),
        "[severity]\nlost-cancel = \"error\"\n",
    )
    .unwrap();
    let o = run(src.path(), cache.path(), &[]);
    assert!(!from_cache(&o), "{}", String::from_utf8_lossy(&o.stderr));
    // The go.mod version.
    std::fs::write(src.path().join("go.mod"), "module m\n\ngo 1.21\n").unwrap();
    assert!(!from_cache(&run(src.path(), cache.path(), &[])));
    // A new file.
    std::fs::write(src.path().join("b.go"), "package p\n").unwrap();
    assert!(!from_cache(&run(src.path(), cache.path(), &[])));
    // Unchanged again: a hit.
    assert!(from_cache(&run(src.path(), cache.path(), &[])));
}

#[test]
fn corrupt_entries_are_misses() {
    let (src, cache) = setup();
    let cold = run(src.path(), cache.path(), &[]);
    let es = entries(cache.path());
    assert!(!es.is_empty());
    for (i, e) in es.iter().enumerate() {
        let bytes = std::fs::read(e).unwrap();
        let damaged: Vec<u8> = match i % 3 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => bytes.iter().map(|b| b ^ 0x20).collect(),
            _ => Vec::new(),
        };
        std::fs::write(e, damaged).unwrap();
    }
    let again = run(src.path(), cache.path(), &[]);
    assert!(!from_cache(&again));
    assert_eq!(cold.stdout, again.stdout);
    // Rewritten: the next run hits.
    assert!(from_cache(&run(src.path(), cache.path(), &[])));
}

#[test]
fn concurrent_runs_agree() {
    let (src, cache) = setup();
    for i in 0..6 {
        std::fs::create_dir_all(src.path().join(format!("d{i}"))).unwrap();
        std::fs::write(src.path().join(format!("d{i}/a.go")), LEAK).unwrap();
    }
    let reference = run(src.path(), cache.path(), &["--no-cache"]);
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_goleaklint"))
                .current_dir(src.path())
                .env("XDG_CACHE_HOME", cache.path())
                .arg("./...")
                .output()
        })
        .collect();
    for c in children {
        assert_eq!(c.unwrap().stdout, reference.stdout);
    }
    let warm = run(src.path(), cache.path(), &[]);
    assert!(from_cache(&warm));
    assert_eq!(warm.stdout, reference.stdout);
    // No temporary file is left behind.
    assert!(entries(cache.path()).iter().all(|e| !e
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with(".tmp")));
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let (src, cache) = setup();
    run(src.path(), cache.path(), &["--no-cache"]);
    assert!(entries(cache.path()).is_empty());
    run(src.path(), cache.path(), &[]);
    assert!(!entries(cache.path()).is_empty());
    assert!(!from_cache(&run(src.path(), cache.path(), &["--no-cache"])));
}

#[test]
fn cache_clean_removes_everything() {
    let (src, cache) = setup();
    run(src.path(), cache.path(), &[]);
    let o = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
        .env("XDG_CACHE_HOME", cache.path())
        .args(["cache", "clean"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!cache.path().join("goleaklint").exists());
    assert!(!from_cache(&run(src.path(), cache.path(), &[])));
}

const CONN: &str = "package a\n\nimport \"os\"\n\n// Conn holds a file.\ntype Conn struct{ f *os.File }\n\n// Dial opens a connection.\nfunc Dial(name string) (*Conn, error) {\n\tf, err := os.Open(name)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn &Conn{f: f}, nil\n}\n\n// Read reads from the file.\nfunc (c *Conn) Read(p []byte) (int, error) { return c.f.Read(p) }\n";

const USER: &str = "package b\n\nimport \"m/a\"\n\n// Leak dials and never closes.\nfunc Leak() error {\n\tc, err := a.Dial(\"x\")\n\tif err != nil {\n\t\treturn err\n\t}\n\t_, err = c.Read(nil)\n\treturn err\n}\n";

/// A change in one package re-checks that package, and its importers only
/// when the facts they see change.
#[test]
fn a_change_rechecks_exactly_the_dependents() {
    let src = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let d = src.path();
    let write = |p: &str, text: &str| write_file(d, p, text);
    write("go.mod", "module m\n\ngo 1.22\n");
    write("a/a.go", CONN);
    write("b/b.go", USER);
    write("c/c.go", LEAK);
    let cold = run(d, cache.path(), &[]);
    assert_eq!(hits(&cold), "none");
    assert_eq!(hits(&run(d, cache.path(), &[])), "3 of 3");

    // A change inside a function of a that leaves its facts alone: only a.
    write(
        "a/a.go",
        &CONN.replace(
            "\treturn &Conn{f: f}, nil",
            "\tc := &Conn{f: f}\n\treturn c, nil",
        ),
    );
    assert_eq!(hits(&run(d, cache.path(), &[])), "2 of 3");

    // Conn gains Close: a's facts change, so b is checked again; c, which
    // imports nothing of the module, still hits.
    write(
        "a/a.go",
        &format!("{CONN}\n// Close releases the file.\nfunc (c *Conn) Close() error {{ return c.f.Close() }}\n"),
    );
    let changed = run(d, cache.path(), &[]);
    assert_eq!(hits(&changed), "1 of 3");
    let fresh = run(d, cache.path(), &["--no-cache"]);
    assert_eq!(changed.stdout, fresh.stdout);

    // Warm again: everything from the cache.
    let warm = run(d, cache.path(), &[]);
    assert_eq!(hits(&warm), "3 of 3");
    assert_eq!(warm.stdout, fresh.stdout);
}

/// An internal package whose map is keyed by its exported function's parameter.
const NAMES: &str = "package names\n\nvar counts = map[string]int{}\n\n// Count counts name.\nfunc Count(name string) int {\n\tcounts[name]++\n\treturn counts[name]\n}\n";

/// A caller passing `arg` to `names.Count`.
fn caller(arg: &str) -> String {
    format!("package app\n\nimport \"m/internal/names\"\n\n// Run counts.\nfunc Run(user string) int {{ return names.Count({arg}) }}\n")
}

#[test]
fn callers_settle_a_cached_map_finding_as_a_cold_run_does() {
    let src = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let d = src.path();
    let write = |p: &str, text: &str| write_file(d, p, text);
    let args = ["--format", "json", "--enable", "unbounded-map"];
    let reported = |o: &Output| String::from_utf8_lossy(&o.stdout).contains("counts only grows");
    write("go.mod", "module m\n\ngo 1.22\n");
    write("internal/names/names.go", NAMES);
    write("app/app.go", &caller("\"login\""));
    let cold = run(d, cache.path(), &args);
    assert!(
        !reported(&cold),
        "{}",
        String::from_utf8_lossy(&cold.stdout)
    );
    let warm = run(d, cache.path(), &args);
    assert_eq!(hits(&warm), "2 of 2");
    assert_eq!(cold.stdout, warm.stdout);

    // The caller now passes its parameter: only it is checked again, and the
    // cached conditional finding of names is reported.
    write("app/app.go", &caller("user"));
    let open = run(d, cache.path(), &args);
    assert_eq!(hits(&open), "1 of 2");
    assert!(reported(&open), "{}", String::from_utf8_lossy(&open.stdout));
    assert_eq!(
        open.stdout,
        run(
            d,
            cache.path(),
            &["--no-cache"]
                .iter()
                .chain(&args)
                .copied()
                .collect::<Vec<_>>()
        )
        .stdout
    );

    // Back to a constant: silent again, from the cache alone.
    write("app/app.go", &caller("\"login\""));
    let back = run(d, cache.path(), &args);
    assert_eq!(hits(&back), "2 of 2");
    assert_eq!(back.stdout, cold.stdout);
}
