//! The result cache: a package's findings, stored under a key that covers
//! everything they depend on, so that a re-run over an unchanged tree reads
//! files and hashes them but parses nothing.
//!
//! The key of a package ([`key::PackageKey`]) hashes the binary (version,
//! size and modification time of the executable), the settings (rules,
//! severities, Go version, catalogue), the go.mod `go` line, every file's
//! display path and content, and the digests of whatever the package's
//! analysis read from other packages. Entries live in
//! `$XDG_CACHE_HOME/goleaklint` (else `~/.cache/goleaklint`), one file per
//! key, written to a temporary name and renamed into place, so concurrent
//! runs never see half an entry; an entry that does not decode, or whose
//! checksum or key does not match, is a miss ([`entry`]).
//!
//! Only the command line uses the cache: the language server re-analyses
//! edited buffers and `go vet -vettool` has the go command's own cache.

pub mod entry;
pub mod key;

use crate::config::Settings;
use crate::discover::PackageInput;
use crate::engine::Outcome;
use key::{Digest, PackageKey};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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

/// A result cache in one directory, for one binary and one set of settings.
pub struct ResultCache {
    dir: PathBuf,
    /// The digest of the binary and the settings, shared by every key of the run.
    run: Digest,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl ResultCache {
    /// A cache in `dir` (created on first store) for results computed with `settings`.
    pub fn new(dir: PathBuf, settings: &Settings) -> ResultCache {
        ResultCache {
            dir,
            run: key::run_digest(&key::binary_identity(), settings),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The directory entries are stored in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// The outcome of `input`: from the cache when an entry matches, else
    /// from `analyse`, stored for next time. `deps` digests whatever the
    /// analysis reads from other packages (none yet: a package is analysed
    /// from its own files). `analyse` gets the files' hashed contents as
    /// overlays, so what is stored is the analysis of exactly the bytes the
    /// key covers, even when a file changes during the run. A package with
    /// an unreadable file bypasses the cache: the error may be transient.
    pub fn check(
        &self,
        input: &PackageInput,
        deps: &[Digest],
        analyse: impl FnOnce(&PackageInput) -> Outcome,
    ) -> Outcome {
        let Some(files) = key::read_files(input) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return analyse(input);
        };
        let key = PackageKey::new(self.run, input, &files, deps);
        let path = entry::path(&self.dir, &key);
        if let Some(mut hit) = entry::load(&path, &key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            attach_sources(&mut hit, &files);
            return hit;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut pinned = input.clone();
        for (f, read) in pinned.files.iter_mut().zip(files) {
            if f.overlay.is_none() {
                f.overlay = String::from_utf8(read.bytes).ok();
            }
        }
        let out = analyse(&pinned);
        // A failed store only costs the next run a miss.
        let _ = entry::store(&path, &key, &out);
        out
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
