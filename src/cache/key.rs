//! What a stored result depends on, hashed into one key per package.

use crate::buildctx::BuildContext;
use crate::config::Settings;
use crate::discover::PackageInput;
use crate::facts::PackageFacts;
use crate::source::{read_regular, MAX_SOURCE_BYTES};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit content digest (XXH3): wide enough that distinct inputs never
/// share a key in practice; the cache is not a security boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub u128);

impl Digest {
    /// The digest as 32 lowercase hex digits.
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Feeds length-prefixed fields, so that `("ab", "c")` and `("a", "bc")` differ.
struct Hasher(Xxh3);

impl Hasher {
    fn new(domain: &str) -> Hasher {
        let mut h = Hasher(Xxh3::new());
        h.field(domain.as_bytes());
        h
    }

    fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn finish(&self) -> Digest {
        Digest(self.0.digest128())
    }
}

/// The digest of raw bytes (a file's contents).
pub fn digest(bytes: &[u8]) -> Digest {
    Digest(xxhash_rust::xxh3::xxh3_128(bytes))
}

/// What identifies the running binary: its version, and the size and
/// modification time of the executable, so a rebuilt binary (new rules,
/// same version number) never reads its predecessor's results.
pub fn binary_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(&p).ok().map(|m| (p, m)));
    let stamp = exe.map_or_else(String::new, |(p, m)| {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!("{} {} {mtime}", p.display(), m.len())
    });
    format!("goleaklint {} {stamp}", crate::VERSION)
}

/// The part of every key a run shares: the binary, the settings and the
/// build target (`None`: every file, whatever its constraints).
pub fn run_digest(binary: &str, settings: &Settings, build: Option<&BuildContext>) -> Digest {
    let mut h = Hasher::new("goleaklint run");
    h.field(binary.as_bytes());
    h.field(settings.fingerprint().as_bytes());
    h.field(
        build
            .map_or_else(|| "all platforms".to_string(), BuildContext::fingerprint)
            .as_bytes(),
    );
    h.finish()
}

/// The digest of one package's facts (their JSON form: maps are ordered,
/// so equal facts give equal bytes).
pub fn facts_digest(facts: &PackageFacts) -> Digest {
    let mut h = Hasher::new("goleaklint facts");
    h.field(&serde_json::to_vec(facts).expect("facts serialize"));
    h.finish()
}

/// One file of a package as read for keying.
pub struct ReadFile {
    /// The path shown to users (findings carry it).
    pub display: Arc<str>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Reads every file of `input` (its overlay when it has one); `None` when
/// one cannot be read, which the engine then reports.
pub fn read_files(input: &PackageInput) -> Option<Vec<ReadFile>> {
    input
        .files
        .iter()
        .map(|f| {
            let bytes = match &f.overlay {
                Some(text) => text.clone().into_bytes(),
                // The engine's own reading rules: a regular file within the
                // size limit, so keying never blocks on a pipe nor reads a device.
                None => read_regular(&f.path, MAX_SOURCE_BYTES).ok()?,
            };
            Some(ReadFile {
                display: f.display.clone(),
                bytes,
            })
        })
        .collect()
}

/// The key of one package's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageKey(pub Digest);

impl PackageKey {
    /// The key of `input`, the package with import path `path` whose files
    /// read as `files`, analysed in a run with digest `run`, seeing the
    /// facts whose digests are `deps`.
    pub fn new(
        run: Digest,
        input: &PackageInput,
        path: Option<&str>,
        files: &[ReadFile],
        deps: &[Digest],
    ) -> Self {
        let mut h = Hasher::new("goleaklint package");
        h.field(&run.0.to_le_bytes());
        let go = input.module.as_ref().and_then(|m| m.go_version);
        h.field(format!("{go:?}").as_bytes());
        h.field(format!("{path:?}").as_bytes());
        h.field(&(files.len() as u64).to_le_bytes());
        for f in files {
            h.field(f.display.as_bytes());
            h.field(&digest(&f.bytes).0.to_le_bytes());
        }
        h.field(&(deps.len() as u64).to_le_bytes());
        for d in deps {
            h.field(&d.0.to_le_bytes());
        }
        PackageKey(h.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;

    fn input(files: &[(&str, &str)]) -> (PackageInput, Vec<ReadFile>) {
        let input = PackageInput {
            dir: "p".into(),
            module: None,
            files: files
                .iter()
                .map(|(d, t)| FileInput {
                    path: d.into(),
                    display: Arc::from(*d),
                    overlay: Some(t.to_string()),
                })
                .collect(),
        };
        let read = read_files(&input).unwrap();
        (input, read)
    }

    fn key(run: Digest, files: &[(&str, &str)], deps: &[Digest]) -> PackageKey {
        let (i, r) = input(files);
        PackageKey::new(run, &i, Some("m/p"), &r, deps)
    }

    #[test]
    fn every_input_changes_the_key() {
        let run = run_digest("v1", &Settings::default(), None);
        let base = key(run, &[("a.go", "package p"), ("b.go", "package p\n")], &[]);
        assert_eq!(
            base,
            key(run, &[("a.go", "package p"), ("b.go", "package p\n")], &[])
        );
        let variants = [
            key(run, &[("a.go", "package p"), ("b.go", "package q\n")], &[]),
            key(run, &[("a.go", "package p"), ("c.go", "package p\n")], &[]),
            key(run, &[("a.go", "package p")], &[]),
            key(
                run,
                &[("a.go", "package p"), ("b.go", "package p\n")],
                &[Digest(1)],
            ),
            key(
                run_digest("v2", &Settings::default(), None),
                &[("a.go", "package p"), ("b.go", "package p\n")],
                &[],
            ),
            {
                let (i, r) = input(&[("a.go", "package p"), ("b.go", "package p\n")]);
                PackageKey::new(run, &i, Some("m/q"), &r, &[])
            },
            // Field boundaries count: moving a byte from one file to the next is a change.
            key(run, &[("a.go", "package "), ("b.go", "ppackage p\n")], &[]),
        ];
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(*v, base, "variant {i}");
        }
    }

    #[test]
    fn settings_change_the_run_digest() {
        let base = run_digest("v1", &Settings::default(), None);
        let mut s = Settings::default();
        s.disable(&["lost-cancel".to_string()]).unwrap();
        assert_ne!(run_digest("v1", &s, None), base);
        let mut s = Settings::default();
        s.no_ignore = true;
        assert_ne!(run_digest("v1", &s, None), base);
        let mut s = Settings::default();
        s.catalog.extend(
            toml::from_str("[[cancel]]\npackage = \"x/y\"\nfunctions = [\"WithStop\"]\n").unwrap(),
        );
        assert_ne!(run_digest("v1", &s, None), base);
        assert_eq!(run_digest("v1", &Settings::default(), None), base);
    }

    #[test]
    fn the_build_target_changes_the_run_digest() {
        use crate::buildctx::env::GoEnv;
        let target = |goos: &'static str, tags: Option<&str>| {
            let env = GoEnv::from_fn(move |k| (k == "GOOS").then(|| goos.to_string()));
            BuildContext::from_go_env(&env, tags, Some(("linux", "amd64")), &|_| true).unwrap()
        };
        let s = Settings::default();
        let linux = run_digest("v1", &s, Some(&target("linux", None)));
        assert_eq!(linux, run_digest("v1", &s, Some(&target("linux", None))));
        assert_ne!(linux, run_digest("v1", &s, None));
        assert_ne!(linux, run_digest("v1", &s, Some(&target("windows", None))));
        assert_ne!(
            linux,
            run_digest("v1", &s, Some(&target("linux", Some("integration"))))
        );
    }
}
