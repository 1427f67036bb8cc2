//! Stable identities for findings, shared by SARIF's `partialFingerprints`
//! and baselines.
//!
//! A finding's fingerprint hashes its rule, its file's path, the trimmed text
//! of its primary line and its occurrence index among the findings with the
//! same rule, path and line text. Line numbers are left out on purpose: a
//! finding keeps its fingerprint when unrelated lines above it are added or
//! removed, and GitHub code scanning and `--baseline` keep recognising it.

use crate::diagnostic::Diagnostic;
use crate::engine::Outcome;
use std::collections::HashMap;

/// The key under which SARIF results carry the fingerprint.
pub const SARIF_KEY: &str = "goleaklintHash/v1";

/// 128-bit FNV-1a: a small, fast hash whose value never changes between
/// builds, platforms or Rust versions (unlike `std`'s `DefaultHasher`).
#[derive(Debug, Clone)]
pub struct StableHasher(u128);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
}

impl StableHasher {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Feeds a field followed by a separator, so that `("ab", "c")` and
    /// `("a", "bc")` hash differently.
    pub fn field(&mut self, s: &str) {
        self.write(s.as_bytes());
        self.write(&[0]);
    }

    /// The hash as 32 lowercase hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// The fingerprint of one finding given the text of its primary line and
/// its occurrence index among identical (rule, path, line text) triples.
pub fn fingerprint(rule: &str, path: &str, line_text: &str, occurrence: usize) -> String {
    let mut h = StableHasher::default();
    h.field(rule);
    h.field(path);
    h.field(line_text.trim());
    h.field(&occurrence.to_string());
    h.hex()
}

/// The text of the line where `d` starts, from the outcome's sources.
fn primary_line<'a>(outcome: &'a Outcome, d: &Diagnostic) -> &'a str {
    let Some(text) = outcome.sources.get(&d.location.path) else {
        return "";
    };
    let start = d.location.span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    &text[line_start..line_end]
}

/// One fingerprint per diagnostic of `outcome`, in order. Occurrence indices
/// count in the outcome's (sorted) order, so they are stable for a given
/// set of findings.
pub fn compute(outcome: &Outcome) -> Vec<String> {
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let rule = d.rule.name();
            let line = primary_line(outcome, d).trim();
            let n = seen.entry((rule, &d.location.path, line)).or_insert(0);
            let fp = fingerprint(rule, &d.location.path, line, *n);
            *n += 1;
            fp
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference_values() {
        // FNV-1a 128 of "" is the offset basis; of "a" a published test vector.
        assert_eq!(
            StableHasher::default().hex(),
            "6c62272e07bb014262b821756295c58d"
        );
        let mut h = StableHasher::default();
        h.write(b"a");
        assert_eq!(h.hex(), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn fields_are_separated_and_lines_trimmed() {
        assert_ne!(
            fingerprint("ab", "c", "x", 0),
            fingerprint("a", "bc", "x", 0)
        );
        assert_eq!(
            fingerprint("r", "p", "\tctx, _ := f()  ", 0),
            fingerprint("r", "p", "ctx, _ := f()", 0)
        );
        assert_ne!(fingerprint("r", "p", "x", 0), fingerprint("r", "p", "x", 1));
    }
}
