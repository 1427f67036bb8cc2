//! Arbitrary bytes and mutated Go never make the engine panic: a property
//! test over deterministic mutations of every fixture.

mod support;

use goleaklint::config::Settings;
use goleaklint::discover::{FileInput, PackageInput};
use goleaklint::engine::Engine;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "func",
    "go ",
    "defer ",
    "return",
    "select {",
    "case <-",
    "for {",
    "break",
    "goto L",
    "L:",
    ":=",
    "context.WithCancel(ctx)",
    "_, cancel",
    "\"",
    "`",
    "//",
    "/*",
    "\n",
    "switch x.(type) {",
    "fallthrough",
    "chan int",
    "<-",
    "...",
    "\u{feff}",
    "é",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut s = src.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(s.len() + 1);
        match rng.below(3) {
            0 => {
                let end = (at + rng.below(40)).min(s.len());
                s.drain(at..end);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                s.splice(at..at, t.iter().copied());
            }
            _ => {
                if !s.is_empty() {
                    let from = rng.below(s.len());
                    let end = (from + rng.below(80)).min(s.len());
                    let chunk = s[from..end].to_vec();
                    s.splice(at.min(s.len())..at.min(s.len()), chunk);
                }
            }
        }
    }
    String::from_utf8_lossy(&s).into_owned()
}

fn analyse(text: String) {
    let input = PackageInput {
        dir: std::env::temp_dir(),
        module: None,
        files: vec![FileInput {
            path: std::env::temp_dir().join("mutant.go"),
            display: "mutant.go".into(),
            overlay: Some(text),
        }],
    };
    let _ = Engine::new(Settings::default()).check_package(&input);
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut sources = Vec::new();
    for e in walkdir::WalkDir::new(support::root().join("testdata")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "go") {
            sources.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    assert!(!sources.is_empty());
    for round in 0..400 {
        let src = &sources[round % sources.len()];
        analyse(mutate(src, &mut rng));
    }
}

/// The language server's path: each mutant re-parsed incrementally from the
/// previous text must give the tree a fresh parse gives, and analyse without
/// panicking.
#[test]
fn incremental_reparse_of_mutants_matches_a_fresh_parse() {
    use goleaklint::parse;
    use goleaklint::source::SourceFile;
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut sources = Vec::new();
    for e in walkdir::WalkDir::new(support::root().join("testdata")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "go") {
            sources.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    for round in 0..150 {
        let base = &sources[round % sources.len()];
        let mut old = parse::parse(SourceFile::new("m.go", base.clone()));
        let mut text = base.clone();
        // A few successive edits, as keystrokes arrive.
        for _ in 0..3 {
            text = mutate(&text, &mut rng);
            let re = parse::reparse(SourceFile::new("m.go", text.clone()), &old);
            let fresh = parse::parse(SourceFile::new("m.go", text.clone()));
            assert_eq!(
                re.tree.root_node().to_sexp(),
                fresh.tree.root_node().to_sexp(),
                "round {round}: {text:?}"
            );
            old = re;
        }
        analyse(text);
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let len = rng.below(600);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0x7f) as u8).collect();
        analyse(format!("package p\n{}", String::from_utf8_lossy(&bytes)));
    }
}
