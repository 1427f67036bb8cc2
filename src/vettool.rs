//! `go vet -vettool=$(command -v goleaklint) ./...`: the go command's
//! (unpublished) protocol for analysis tools, as Go 1.19 speaks it.
//!
//! - `goleaklint -V=full` prints a version line the go command uses as a cache
//!   key. A release form, `goleaklint version v0.1.0 buildID=<hash>`, makes the
//!   go command use the whole line; the hash of the running executable keeps
//!   two builds of one version apart.
//! - `goleaklint -flags` prints the flags it accepts as JSON; `go vet` refuses
//!   other user flags and forwards these, raw, before the config file.
//! - `goleaklint [flags] …/vet.cfg` analyses one package. The JSON config names
//!   the files the build constraints kept (`GoFiles`, absolute). `VetxOnly` runs
//!   are dependencies (the standard library included) visited to collect facts:
//!   goleaklint reports nothing there. A package of a module being worked on
//!   writes its [`crate::facts`], with those of its in-module dependencies, to
//!   `VetxOutput` (the go command hands a tool only the direct imports' files,
//!   `PackageVetx`); the standard library and module-cache copies of other
//!   modules write an empty file. Findings go to stderr as
//!   `/abs/path.go:line:col: message`, each label on a tab-indented line after
//!   it; the go command prints them under a `# importpath` header with paths
//!   made relative, and fails when the tool exits non-zero.

use crate::cli::{self, Cli, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::discover::{FileInput, ModuleCache, PackageInput};
use crate::engine::Engine;
use crate::facts::{self, FactSet, PackageFacts, VetxFile};
use clap::Parser;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The vet config file the go command writes for each package.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct VetConfig {
    /// The package's id, e.g. `example.com/m/p [example.com/m/p.test]`.
    #[serde(rename = "ID")]
    pub id: String,
    /// The package directory.
    pub dir: PathBuf,
    /// The import path.
    pub import_path: String,
    /// The Go files of the package after build constraints, absolute.
    pub go_files: Vec<PathBuf>,
    /// Other source files (assembly, C, …).
    pub non_go_files: Vec<PathBuf>,
    /// Files the build constraints left out.
    pub ignored_files: Vec<PathBuf>,
    /// Only facts are wanted: the package is a dependency of what is vetted.
    pub vetx_only: bool,
    /// Where to write the facts for dependent packages.
    pub vetx_output: Option<PathBuf>,
    /// The facts files of the direct imports, by import path.
    pub package_vetx: BTreeMap<String, PathBuf>,
    /// Whether a type-checking failure should be ignored.
    pub succeed_on_typecheck_failure: bool,
}

/// One flag as `-flags` describes it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct FlagInfo {
    name: &'static str,
    bool: bool,
    usage: &'static str,
}

const FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "config",
        bool: false,
        usage: "goleaklint configuration file (default: the nearest .goleaklint.toml above the package)",
    },
    FlagInfo {
        name: "disable",
        bool: false,
        usage: "comma-separated goleaklint rules not to run",
    },
    FlagInfo {
        name: "enable",
        bool: false,
        usage: "comma-separated goleaklint rules to run (default: all enabled rules)",
    },
];

/// What a vet-tool command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    /// `-V=full`.
    Version,
    /// `-flags`.
    Flags,
    /// `[flags] file.cfg`: the flags as (name, value) pairs, and the config file.
    Check(Vec<(String, String)>, PathBuf),
}

/// Recognises the vet-tool protocol in `args` (without the program name);
/// `None` for an ordinary goleaklint command line.
pub fn detect(args: &[OsString]) -> Option<Result<Request, String>> {
    let args: Vec<&str> = args.iter().map(|a| a.to_str()).collect::<Option<_>>()?;
    match args.as_slice() {
        ["-V=full"] | ["--V=full"] => return Some(Ok(Request::Version)),
        ["-flags"] | ["--flags"] => return Some(Ok(Request::Flags)),
        _ => {}
    }
    let (cfg, flags) = args.split_last()?;
    if !cfg.ends_with(".cfg") || flags.first().is_some_and(|f| !f.starts_with('-')) {
        return None;
    }
    Some(parse_flags(flags).map(|f| Request::Check(f, PathBuf::from(cfg))))
}

/// Parses `-name=value`, `--name=value` and `-name value`.
fn parse_flags(args: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let body = arg
            .strip_prefix("--")
            .or_else(|| arg.strip_prefix('-'))
            .ok_or_else(|| format!("unexpected argument `{arg}` before the vet config"))?;
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let info = FLAGS
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("unknown flag -{name}"))?;
        let value = match value {
            Some(v) => v.to_string(),
            None if info.bool => "true".to_string(),
            None => it
                .next()
                .ok_or_else(|| format!("flag -{name} needs a value"))?
                .to_string(),
        };
        out.push((name.to_string(), value));
    }
    Ok(out)
}

/// Runs a vet-tool request; returns the exit status.
pub fn run(request: Request) -> i32 {
    match request {
        Request::Version => match version_line() {
            Ok(line) => {
                println!("{line}");
                EXIT_CLEAN
            }
            Err(e) => {
                eprintln!("goleaklint: {e}");
                EXIT_ERROR
            }
        },
        Request::Flags => {
            println!("{}", serde_json::to_string(FLAGS).expect("flags serialize"));
            EXIT_CLEAN
        }
        Request::Check(flags, cfg) => {
            let mut err = std::io::stderr().lock();
            match check(&flags, &cfg, &mut err) {
                Ok(code) => code,
                Err(e) => {
                    let _ = writeln!(err, "goleaklint: {e}");
                    EXIT_ERROR
                }
            }
        }
    }
}

/// `goleaklint version v<version> buildID=<hash of the running executable>`.
pub fn version_line() -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find my executable: {e}"))?;
    let bytes = std::fs::read(&exe).map_err(|e| format!("cannot read {}: {e}", exe.display()))?;
    Ok(format!(
        "goleaklint version v{} buildID={}",
        crate::VERSION,
        content_hash(&bytes)
    ))
}

/// A fast stable 128-bit hash of a large byte string, 8 bytes at a time.
fn content_hash(bytes: &[u8]) -> String {
    const P1: u64 = 0x0000_0100_0000_01b3;
    const P2: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut a, mut b) = (0xcbf2_9ce4_8422_2325_u64, 0x8422_2325_cbf2_9ce4_u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        a = (a ^ w).wrapping_mul(P1).rotate_left(29);
        b = (b ^ w.rotate_left(17)).wrapping_mul(P2).rotate_left(31);
    }
    for &byte in chunks.remainder() {
        a = (a ^ u64::from(byte)).wrapping_mul(P1);
        b = (b ^ u64::from(byte)).wrapping_mul(P2);
    }
    let len = bytes.len() as u64;
    format!("{:016x}{:016x}", a ^ len, b.wrapping_add(len))
}

/// The package's own Go files among `GoFiles`. For a cgo package the go
/// command lists the files cgo generated in its work directory instead of
/// the sources: `x.cgo1.go` stands for `x.go`, which goleaklint reads (so
/// findings point at the user's file); cgo's other outputs are skipped.
pub fn source_files(cfg: &VetConfig) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in &cfg.go_files {
        let p = if p.is_absolute() {
            p.clone()
        } else {
            cfg.dir.join(p)
        };
        if p.parent() == Some(cfg.dir.as_path()) {
            out.push(p);
            continue;
        }
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(stem) = name.as_deref().and_then(|n| n.strip_suffix(".cgo1.go")) {
            let original = cfg.dir.join(format!("{stem}.go"));
            if original.is_file() {
                out.push(original);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Analyses the package a vet config describes, writing findings to `err`.
pub fn check(
    flags: &[(String, String)],
    cfg_path: &Path,
    err: &mut dyn Write,
) -> Result<i32, String> {
    let text = crate::source::read_small_text(cfg_path)
        .map_err(|e| format!("cannot read vet config {}: {e}", cfg_path.display()))?;
    let cfg: VetConfig = serde_json::from_str(&text)
        .map_err(|e| format!("cannot decode vet config {}: {e}", cfg_path.display()))?;
    let module = ModuleCache::default().nearest(&cfg.dir);
    // Facts are about the module's own packages: the standard library and
    // other modules get an empty facts file (the go command caches it).
    // A test variant is `p [p.test]`: its facts are p's.
    let import_path = cfg.import_path.split(" [").next().unwrap_or_default();
    let path = module
        .as_ref()
        .filter(|m| {
            // The module cache holds dependencies as `path@version` directories:
            // nothing of the vetted module is there.
            let cached = m.root.to_string_lossy().contains('@');
            facts::in_module(&m.path, import_path) && m.path != "std" && !cached
        })
        .map(|_| import_path);
    let write_vetx = |f: Option<VetxFile>| -> Result<(), String> {
        let Some(out) = &cfg.vetx_output else {
            return Ok(());
        };
        let bytes = f.map(|f| f.encode()).unwrap_or_default();
        std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))
    };
    if cfg.vetx_only && path.is_none() {
        write_vetx(None)?;
        return Ok(EXIT_CLEAN);
    }
    let imported = match (&module, path) {
        (Some(m), Some(_)) => imported_facts(&cfg, &m.path),
        _ => FactSet::default(),
    };

    let mut args = Cli::try_parse_from(["goleaklint"])
        .expect("no arguments parse")
        .check;
    for (name, value) in flags {
        let list = || {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        match name.as_str() {
            "config" => args.config = Some(PathBuf::from(value)),
            "enable" => args.enable.extend(list()),
            "disable" => args.disable.extend(list()),
            _ => unreachable!("parse_flags accepts only known flags"),
        }
    }
    let (settings, opts, fail_on) = cli::settings(&args, &cfg.dir)?;

    let files: Vec<FileInput> = source_files(&cfg)
        .into_iter()
        .filter(|p| opts.tests || !p.to_string_lossy().ends_with("_test.go"))
        .map(|path| FileInput {
            display: path.to_string_lossy().into(),
            path,
            overlay: None,
        })
        .collect();
    let input = PackageInput {
        module,
        dir: cfg.dir.clone(),
        files,
    };
    let engine = Engine::new(settings);
    let loaded = engine.load(&input);
    if cfg.vetx_only {
        // A dependency: its facts only.
        let groups = facts::extract::group_by_package(loaded.files.iter().map(|f| &**f));
        let own = path
            .and_then(|p| facts::extract::summarise_dir(&groups, p, &engine.settings().catalog));
        write_vetx(Some(vetx_file(own, &imported)))?;
        return Ok(EXIT_CLEAN);
    }
    let (mut outcome, own) = engine.check_in_module(&loaded, None, path, &imported);
    outcome.settle_alone();
    write_vetx(path.map(|_| vetx_file(own, &imported)))?;

    let w = |e: std::io::Error| e.to_string();
    for d in &outcome.diagnostics {
        let l = &d.location;
        writeln!(
            err,
            "{}:{}:{}: {}",
            l.path, l.start.line, l.start.column, d.message
        )
        .map_err(w)?;
        for label in &d.labels {
            let l = &label.location;
            writeln!(
                err,
                "\t{}:{}:{}: {}",
                l.path, l.start.line, l.start.column, label.message
            )
            .map_err(w)?;
        }
    }
    for e in &outcome.errors {
        match (e.line, e.column) {
            (Some(l), Some(c)) => writeln!(err, "{}:{l}:{c}: {}", e.path, e.message),
            _ => writeln!(err, "{}: {}", e.path, e.message),
        }
        .map_err(w)?;
    }
    Ok(
        if outcome.diagnostics.iter().any(|d| d.severity >= fail_on) || !outcome.errors.is_empty() {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        },
    )
}

/// The facts the go command hands over for the direct imports (each file
/// carries its package's in-module dependencies too), of module `module`.
pub fn imported_facts(cfg: &VetConfig, module: &str) -> FactSet {
    let mut set = FactSet::default();
    for (path, file) in &cfg.package_vetx {
        if !facts::in_module(module, path) {
            continue;
        }
        // An unreadable or foreign file gives no facts rather than an error.
        let Some(f) = std::fs::read(file).ok().and_then(|b| VetxFile::decode(&b)) else {
            continue;
        };
        for p in f.packages {
            if facts::in_module(module, &p.path) {
                set.insert(Arc::new(p));
            }
        }
    }
    set
}

/// The facts file of a package: its own facts and those it saw.
fn vetx_file(own: Option<PackageFacts>, imported: &FactSet) -> VetxFile {
    let mut packages: Vec<PackageFacts> = imported
        .packages()
        .into_iter()
        .map(|p| (**p).clone())
        .collect();
    if let Some(own) = own {
        packages.retain(|p| p.path != own.path);
        packages.push(own);
    }
    packages.sort_by(|a, b| a.path.cmp(&b.path));
    VetxFile {
        goleaklint_facts: VetxFile::VERSION,
        packages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn detects_the_protocol_only() {
        assert_eq!(detect(&os(&["-V=full"])), Some(Ok(Request::Version)));
        assert_eq!(detect(&os(&["-flags"])), Some(Ok(Request::Flags)));
        assert_eq!(
            detect(&os(&["-enable=lost-cancel", "-disable", "x", "/b/vet.cfg"])),
            Some(Ok(Request::Check(
                vec![
                    ("enable".into(), "lost-cancel".into()),
                    ("disable".into(), "x".into())
                ],
                PathBuf::from("/b/vet.cfg")
            )))
        );
        assert!(matches!(
            detect(&os(&["-nope", "vet.cfg"])),
            Some(Err(e)) if e.contains("unknown flag -nope")
        ));
        assert_eq!(detect(&os(&["./..."])), None);
        assert_eq!(detect(&os(&["-V"])), None);
        assert_eq!(detect(&os(&["--format", "json", "./..."])), None);
        assert_eq!(detect(&os(&["dir", "x.cfg"])), None);
        assert_eq!(detect(&os(&[])), None);
    }

    #[test]
    fn cgo_outputs_map_back_to_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in ["a.go", "b.go"] {
            std::fs::write(d.join(f), "package p\n").unwrap();
        }
        let cfg = VetConfig {
            dir: d.to_path_buf(),
            go_files: vec![
                d.join("a.go"),
                PathBuf::from("/tmp/go-build1/b001/b.cgo1.go"),
                PathBuf::from("/tmp/go-build1/b001/_cgo_gotypes.go"),
            ],
            ..VetConfig::default()
        };
        assert_eq!(source_files(&cfg), vec![d.join("a.go"), d.join("b.go")]);
    }

    #[test]
    fn facts_files_carry_a_to_b() {
        let module =
            std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/modfacts"))
                .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let run = |pkg: &str, vetx_only: bool, deps: &[(&str, PathBuf)]| -> VetxFile {
            let dir = module.join(pkg);
            let out = tmp.path().join(format!("{pkg}.vetx"));
            let cfg = serde_json::json!({
                "ID": format!("example.com/modfacts/{pkg}"),
                "Dir": dir,
                "ImportPath": format!("example.com/modfacts/{pkg}"),
                "GoFiles": [dir.join(format!("{pkg}.go"))],
                "VetxOnly": vetx_only,
                "VetxOutput": out,
                "PackageVetx": deps.iter().cloned().collect::<BTreeMap<_, _>>(),
            });
            let cfg_path = tmp.path().join(format!("{pkg}.cfg"));
            std::fs::write(&cfg_path, cfg.to_string()).unwrap();
            let mut err = Vec::new();
            assert!(check(&[], &cfg_path, &mut err).is_ok());
            VetxFile::decode(&std::fs::read(&out).unwrap()).expect("a facts file")
        };
        let a = run("a", true, &[]);
        assert_eq!(a.packages.len(), 1);
        assert!(a.packages[0].types["Conn"].release[0].name == "Close");
        let a_file = tmp.path().join("a.vetx");
        let b = run(
            "b",
            false,
            &[
                ("example.com/modfacts/a", a_file.clone()),
                ("io", tmp.path().join("io.vetx")),
            ],
        );
        let paths: Vec<&str> = b.packages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["example.com/modfacts/a", "example.com/modfacts/b"]);
        assert_eq!(b.packages[0], a.packages[0]);
        // What b's rules saw.
        let cfg = VetConfig {
            package_vetx: BTreeMap::from([("example.com/modfacts/a".into(), a_file)]),
            ..VetConfig::default()
        };
        let seen = imported_facts(&cfg, "example.com/modfacts");
        assert!(seen.func("example.com/modfacts/a", "Dial").is_some());
        assert!(imported_facts(&cfg, "example.com/other").is_empty());
    }

    #[test]
    fn flags_print_as_go_expects() {
        let json = serde_json::to_string(FLAGS).unwrap();
        assert!(json.starts_with(r#"[{"Name":"config","Bool":false,"Usage":"#));
    }

    #[test]
    fn content_hash_depends_on_every_byte() {
        let a = content_hash(b"0123456789abcdef0");
        assert_eq!(a.len(), 32);
        assert_ne!(a, content_hash(b"0123456789abcdeF0"));
        assert_ne!(a, content_hash(b"0123456789abcdef1"));
        assert_eq!(a, content_hash(b"0123456789abcdef0"));
    }
}
