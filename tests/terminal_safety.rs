//! Text output never hands the terminal a control sequence from the input:
//! file names, messages and source snippets show ESC, BEL, CR and stray
//! newlines escaped (`\x1b`), as JSON and SARIF already do.

mod support;

use goleaklint::report::{self, Format, RenderOptions};

const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

fn text_of(dir: &std::path::Path) -> String {
    let out = support::analyse(dir, "./...");
    let mut buf = Vec::new();
    report::render(Format::Text, &out, RenderOptions::default(), &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn assert_safe(text: &str) {
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n',
            "control character {c:?} in text output:\n{text}"
        );
    }
}

#[test]
fn snippets_and_syntax_errors_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A comment with an OSC title sequence inside the leaking line, and a
    // syntax error whose snippet holds ESC[2J.
    std::fs::write(
        dir.path().join("leak.go"),
        format!("package p\n\nimport \"context\"\n\nfunc Leak(parent context.Context) context.Context {{\n\tctx, _ := context.WithCancel(parent) /* {HOSTILE} */\n\treturn ctx\n}}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.go"),
        format!("package p\n\nfunc F() {{\n\tfor range {HOSTILE} {{\n}}\n"),
    )
    .unwrap();
    let text = text_of(dir.path());
    assert_safe(&text);
    assert!(text.contains("\\x1b]0;pwned\\x07\\x1b[2J"), "{text}");
    assert!(text.contains("lost-cancel"), "{text}");
    // The label still points under the call, past the escapes on that line.
    assert!(text.contains("context.WithCancel(parent)"), "{text}");
}

#[cfg(unix)]
#[test]
fn file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[2J\nname.go";
    std::fs::write(dir.path().join(name), [0u8, 1, 2]).unwrap();
    std::fs::write(dir.path().join("ok.go"), "package p\n").unwrap();
    let text = text_of(dir.path());
    assert_safe(&text);
    assert!(text.contains("evil\\x1b[2J\\nname.go"), "{text}");
}
