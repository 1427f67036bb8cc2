//! One stored result on disk: a header naming the format, the key and a
//! checksum of the body, then the body (the outcome as JSON). Anything that
//! does not check out reads as a miss.

use super::key::{digest, PackageKey};
use crate::diagnostic::{Diagnostic, FileError};
use crate::engine::{Outcome, Stats};
use crate::facts::callers::KeyArgs;
use crate::facts::linkage::Link;
use crate::facts::PackageFacts;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The subdirectory of this entry format; a new format gets a new one.
pub const VERSION_DIR: &str = "v4";

const MAGIC: &str = "goleaklint result v4";

/// What an entry holds: the outcome without the file texts (its
/// conditional diagnostics still unsettled, and what its calls pass to
/// other packages' keying parameters, and how it is linked), and the
/// package's own facts.
#[derive(Serialize, Deserialize)]
struct Stored {
    diagnostics: Vec<Diagnostic>,
    errors: Vec<FileError>,
    stats: Stats,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    key_args: Vec<KeyArgs>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    facts: Option<PackageFacts>,
}

/// Where the entry of `key` lives below `dir`.
pub fn path(dir: &Path, key: &PackageKey) -> PathBuf {
    let hex = key.0.hex();
    dir.join(VERSION_DIR).join(&hex[..2]).join(hex)
}

/// The outcome and facts stored at `path` for `key`, if there is a sound entry.
pub fn load(path: &Path, key: &PackageKey) -> Option<(Outcome, Option<PackageFacts>)> {
    let bytes = std::fs::read(path).ok()?;
    decode(&bytes, key)
}

fn decode(bytes: &[u8], key: &PackageKey) -> Option<(Outcome, Option<PackageFacts>)> {
    let mut parts = bytes.splitn(4, |&b| b == b'\n');
    let (magic, k, sum, body) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if magic != MAGIC.as_bytes()
        || k != key.0.hex().as_bytes()
        || sum != digest(body).hex().as_bytes()
    {
        return None;
    }
    let stored: Stored = serde_json::from_slice(body).ok()?;
    let out = Outcome {
        diagnostics: stored.diagnostics,
        errors: stored.errors,
        stats: stored.stats,
        key_args: stored.key_args,
        links: stored.links,
        ..Outcome::default()
    };
    Some((out, stored.facts))
}

fn encode(
    key: &PackageKey,
    out: &Outcome,
    facts: Option<&PackageFacts>,
) -> serde_json::Result<Vec<u8>> {
    let body = serde_json::to_vec(&Stored {
        diagnostics: out.diagnostics.clone(),
        errors: out.errors.clone(),
        stats: out.stats.clone(),
        key_args: out.key_args.clone(),
        links: out.links.clone(),
        facts: facts.cloned(),
    })?;
    let mut bytes = format!("{MAGIC}\n{}\n{}\n", key.0.hex(), digest(&body).hex()).into_bytes();
    bytes.extend(body);
    Ok(bytes)
}

/// Stores `out` and `facts` at `path`: written to a name of its own in the same
/// directory, then renamed over `path`, so a reader sees the old entry, the
/// new one or none, never a part; concurrent writers of one key write the
/// same bytes, and the last rename wins.
pub fn store(
    path: &Path,
    key: &PackageKey,
    out: &Outcome,
    facts: Option<&PackageFacts>,
) -> std::io::Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let bytes = encode(key, out, facts).map_err(std::io::Error::other)?;
    let dir = path.parent().expect("entries live in a directory");
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(&bytes));
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::key::Digest;

    #[test]
    fn round_trip_and_damage() {
        let key = PackageKey(Digest(42));
        let out = Outcome {
            errors: vec![FileError {
                path: "a.go".into(),
                line: Some(3),
                column: Some(1),
                message: "syntax error".into(),
            }],
            stats: Stats {
                packages: 1,
                files: 2,
                ..Stats::default()
            },
            key_args: vec![KeyArgs {
                path: "m/internal/logs".into(),
                param: crate::facts::callers::Param {
                    func: "Component".into(),
                    index: 0,
                },
                uses: 2,
                open: false,
                later: true,
                open_later: false,
            }],
            links: vec![Link {
                path: "m/p".into(),
                imports: vec!["m/internal/logs".into()],
                command: None,
            }],
            ..Outcome::default()
        };
        let facts = PackageFacts {
            path: "m/p".into(),
            name: "p".into(),
            ..PackageFacts::default()
        };
        let bytes = encode(&key, &out, Some(&facts)).unwrap();
        let (back, back_facts) = decode(&bytes, &key).unwrap();
        assert_eq!(back.errors, out.errors);
        assert_eq!(back.stats, out.stats);
        assert_eq!(back.key_args, out.key_args);
        assert_eq!(back.links, out.links);
        assert_eq!(back_facts, Some(facts));
        // Another key, a flipped byte, a truncation: all misses.
        assert!(decode(&bytes, &PackageKey(Digest(43))).is_none());
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        assert!(decode(&flipped, &key).is_none());
        assert!(decode(&bytes[..bytes.len() / 2], &key).is_none());
        assert!(decode(b"", &key).is_none());
        assert!(decode(&[0xff; 64], &key).is_none());
    }
}
