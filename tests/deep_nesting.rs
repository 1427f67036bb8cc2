//! Analysis time is linear in nesting depth: each nesting kind at depth 5,000
//! is analysed within the suite, and the finding past the deep function is
//! still reported. (Timings at depth N are measured in the README's
//! performance notes, not asserted here.)

use goleaklint::config::Settings;
use goleaklint::discover::{FileInput, PackageInput};
use goleaklint::engine::Engine;

const DEPTH: usize = 5000;

const LEAK: &str = "\nfunc Leak(parent context.Context) context.Context {\n\tctx, _ := context.WithCancel(parent)\n\treturn ctx\n}\n";

fn analyse(body: String) -> goleaklint::engine::Outcome {
    let text = format!("package p\n\nimport \"context\"\n\nfunc Deep(x int, parent context.Context) {{\n\tch := make(chan int)\n{body}\t<-ch\n}}\n{LEAK}");
    let input = PackageInput {
        dir: std::env::temp_dir(),
        module: None,
        files: vec![FileInput {
            path: std::env::temp_dir().join("deep.go"),
            display: "deep.go".into(),
            overlay: Some(text),
        }],
    };
    goleaklint::engine::init_threads(0);
    Engine::new(Settings::default()).check_package(&input)
}

fn assert_leak_found(out: &goleaklint::engine::Outcome) {
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.rule.name() == "lost-cancel"),
        "{:?}",
        out.diagnostics
    );
}

/// Goroutine literals still cost O(depth) each (the stuck-goroutine rule
/// finds each literal's chain of enclosing functions anew), so quadratic in
/// total, though no longer cubic: tested at a depth the suite affords.
const GOROUTINE_DEPTH: usize = 1500;

#[test]
fn nested_goroutine_literals() {
    let body = format!(
        "{}\tch <- 1\n{}",
        "go func() {\n".repeat(GOROUTINE_DEPTH),
        "}()\n".repeat(GOROUTINE_DEPTH)
    );
    assert_leak_found(&analyse(body));
}

#[test]
fn nested_expression_switches() {
    let body = format!(
        "{}\tch <- 1\n{}",
        "switch {\ncase x > 0:\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    assert_leak_found(&analyse(body));
}

#[test]
fn nested_selects_and_type_switches() {
    let selects = format!(
        "{}\tch <- 1\n{}",
        "select {\ncase <-parent.Done():\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    assert_leak_found(&analyse(selects));
    let types = format!(
        "\tvar v any = x\n{}\tch <- 1\n{}",
        "switch v := v.(type) {\ncase int:\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    assert_leak_found(&analyse(types));
}

#[test]
fn nested_ifs_and_loops() {
    let ifs = format!(
        "{}\tch <- 1\n{}",
        "if x > 0 {\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    assert_leak_found(&analyse(ifs));
    let loops = format!(
        "{}\tch <- 1\n{}",
        "for x > 0 {\n".repeat(DEPTH),
        "}\n".repeat(DEPTH)
    );
    assert_leak_found(&analyse(loops));
}
