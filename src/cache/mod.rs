//! The result cache: a package's findings, stored under a key that covers
//! everything they depend on, so that a re-run over an unchanged tree reads
//! files and hashes them but parses nothing.
//!
//! The key of a package ([`key::PackageKey`]) hashes the binary (version,
//! size and modification time of the executable), the settings (rules,
//! severities, Go version, budget, catalogue), the build target (GOOS,
//! GOARCH, cgo, tags: they decide which files are the package's), the go.mod `go` line, the
//! import path, every file's display path and content, and the digests of
//! the module facts ([`crate::facts`]) of the packages it imports, directly
//! or not. An entry holds the package's findings and its own facts, so a
//! hit stands in for the analysis for the package's importers too. Entries live in
//! `$XDG_CACHE_HOME/goleaklint` (else `~/.cache/goleaklint`), one file per
//! key, written to a temporary name and renamed into place, so concurrent
//! runs never see half an entry; an entry that does not decode, or whose
//! checksum or key does not match, is a miss ([`entry`]).
//!
//! Only the command line uses the cache: the language server re-analyses
//! edited buffers and `go vet -vettool` has the go command's own cache.

pub mod entry;
pub mod key;

use crate::buildctx::BuildContext;
use crate::config::Settings;
use crate::discover::PackageInput;
use crate::engine::Outcome;
use crate::facts::{FactSet, PackageFacts};
use key::{Digest, PackageKey};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The cache directory's name below the user cache directory.
const DIR_NAME: &str = "goleaklint";

/// The user's cache directory for goleaklint: `$XDG_CACHE_HOME/goleaklint`,
/// else `$HOME/.cache/goleaklint`; `None` when neither is set.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".cache"))
        })?;
    Some(base.join(DIR_NAME))
}

/// Removes the cache directory and everything in it; returns how many
/// entries were removed (0 when there was no cache).
pub fn clean(dir: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir.join(entry::VERSION_DIR)) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| std::fs::read_dir(e.path()).map_or(0, |d| d.count()))
            .sum(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(e),
    };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(entries),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

/// How a run used the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Packages answered from the cache.
    pub hits: usize,
    /// Packages analysed (and stored).
    pub misses: usize,
}

#[derive(Default)]
struct Counters {
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// The cache directory of a run, shared by the [`ResultCache`]s of its
/// settings (one per configuration file), which count hits and misses together.
#[derive(Clone)]
pub struct Cache {
    dir: PathBuf,
    counters: Arc<Counters>,
}

impl Cache {
    /// A cache in `dir` (created on first store).
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            counters: Arc::default(),
        }
    }

    /// The directory entries are stored in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Hits and misses so far, over every [`ResultCache`] of this cache.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.counters.hits.load(Ordering::Relaxed),
            misses: self.counters.misses.load(Ordering::Relaxed),
        }
    }

    /// The results computed by this binary with `settings` for the build
    /// target `build` (`None`: every file, whatever its constraints).
    pub fn for_settings(&self, settings: &Settings, build: Option<&BuildContext>) -> ResultCache {
        ResultCache {
            cache: self.clone(),
            run: key::run_digest(&key::binary_identity(), settings, build),
            fact_digests: Mutex::default(),
        }
    }
}

/// The results of one binary with one set of settings.
pub struct ResultCache {
    cache: Cache,
    /// The digest of the binary and the settings, shared by every key of the run.
    run: Digest,
    /// The digest of each package's facts, by import path, with the facts it
    /// was computed from (compared by address: the `Arc` held here keeps the
    /// address from being reused).
    fact_digests: Mutex<HashMap<String, (Arc<PackageFacts>, Digest)>>,
}

impl ResultCache {
    /// The results of `input`, the package with import path `path` that sees
    /// the facts `seen` of the module packages it imports: its outcome and
    /// its own facts, from the cache when an entry matches, else from
    /// `analyse`, stored for next time.
    ///
    /// The key covers the digests of the facts in `seen`, so a package is
    /// analysed again exactly when its own files change or the facts of a
    /// package it depends on do; a change in another package that leaves its
    /// facts as they were costs only that package. `analyse` gets the files'
    /// hashed contents as overlays, so what is stored is the analysis of
    /// exactly the bytes the key covers, even when a file changes during the
    /// run. A package with an unreadable file bypasses the cache (the error
    /// may be transient), and so does an outcome cut short by the per-file
    /// time budget, which depends on the machine's load.
    pub fn check(
        &self,
        input: &PackageInput,
        path: Option<&str>,
        seen: &FactSet,
        analyse: impl FnOnce(&PackageInput) -> (Outcome, Option<PackageFacts>),
    ) -> (Outcome, Option<PackageFacts>) {
        let counters = &self.cache.counters;
        let Some(files) = key::read_files(input) else {
            counters.misses.fetch_add(1, Ordering::Relaxed);
            return analyse(input);
        };
        let deps = self.deps(seen);
        let key = PackageKey::new(self.run, input, path, &files, &deps);
        let at = entry::path(&self.cache.dir, &key);
        if let Some((mut hit, facts)) = entry::load(&at, &key) {
            counters.hits.fetch_add(1, Ordering::Relaxed);
            attach_sources(&mut hit, &files);
            return (hit, facts);
        }
        counters.misses.fetch_add(1, Ordering::Relaxed);
        let mut pinned = input.clone();
        for (f, read) in pinned.files.iter_mut().zip(files) {
            if f.overlay.is_none() {
                f.overlay = String::from_utf8(read.bytes).ok();
            }
        }
        let (out, facts) = analyse(&pinned);
        if !out
            .errors
            .iter()
            .any(|e| crate::budget::is_deadline_message(&e.message))
        {
            // A failed store only costs the next run a miss.
            let _ = entry::store(&at, &key, &out, facts.as_ref());
        }
        (out, facts)
    }

    /// The digests of the facts in `seen`, sorted by import path.
    fn deps(&self, seen: &FactSet) -> Vec<Digest> {
        let mut memo = self.fact_digests.lock().unwrap_or_else(|e| e.into_inner());
        seen.packages()
            .into_iter()
            .map(|f| match memo.get(&f.path) {
                Some((known, d)) if Arc::ptr_eq(known, f) => *d,
                _ => {
                    let d = key::facts_digest(f);
                    memo.insert(f.path.clone(), (f.clone(), d));
                    d
                }
            })
            .collect()
    }
}

/// Gives a cached outcome the texts of the files its findings point into,
/// which reporters show as snippets (the entry does not repeat them).
fn attach_sources(out: &mut Outcome, files: &[key::ReadFile]) {
    let wanted: Vec<Arc<str>> = out
        .diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(&d.location.path).chain(d.labels.iter().map(|l| &l.location.path))
        })
        .cloned()
        .collect();
    for path in wanted {
        if out.sources.contains_key(&path) {
            continue;
        }
        if let Some(f) = files.iter().find(|f| f.display == path) {
            if let Ok(text) = std::str::from_utf8(&f.bytes) {
                out.sources.insert(path, Arc::from(text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;

    fn package(text: &str) -> PackageInput {
        PackageInput {
            dir: "p".into(),
            module: None,
            files: vec![FileInput {
                path: "p/a.go".into(),
                display: Arc::from("p/a.go"),
                overlay: Some(text.to_string()),
            }],
        }
    }

    fn facts(path: &str, name: &str) -> PackageFacts {
        PackageFacts {
            path: path.into(),
            name: name.into(),
            ..PackageFacts::default()
        }
    }

    #[test]
    fn hits_return_the_stored_facts_and_deps_are_part_of_the_key() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf());
        let results = cache.for_settings(&Settings::default(), None);
        let input = package("package p\n");
        let own = facts("m/p", "p");
        let dep = FactSet::new([Arc::new(facts("m/q", "q"))]);
        let analysed = |_: &PackageInput| (Outcome::default(), Some(own.clone()));
        let unexpected = |_: &PackageInput| -> (Outcome, Option<PackageFacts>) {
            panic!("a hit must not analyse")
        };

        assert_eq!(
            results.check(&input, Some("m/p"), &dep, analysed).1,
            Some(own.clone())
        );
        assert_eq!(
            results.check(&input, Some("m/p"), &dep, unexpected).1,
            Some(own.clone())
        );
        // Another dependency's facts, or none: a miss.
        let other = FactSet::new([Arc::new(facts("m/q", "q2"))]);
        results.check(&input, Some("m/p"), &other, analysed);
        results.check(&input, Some("m/p"), &FactSet::default(), analysed);
        // Equal facts in a new allocation are the same key.
        let again = FactSet::new([Arc::new(facts("m/q", "q"))]);
        results.check(&input, Some("m/p"), &again, unexpected);
        assert_eq!(cache.stats(), CacheStats { hits: 2, misses: 3 });
        // Another settings' results share the counters, not the entries.
        let mut s = Settings::default();
        s.no_ignore = true;
        cache
            .for_settings(&s, None)
            .check(&input, Some("m/p"), &dep, analysed);
        assert_eq!(cache.stats(), CacheStats { hits: 2, misses: 4 });
    }
}
