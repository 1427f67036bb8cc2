//! The release-obligation analysis on its own, independent of any rule:
//! each hand-off form, each release form, error-path exclusion, nil guards,
//! helpers releasing their parameter, loops and overwrites, exit kinds.

use goleaklint::catalog::Catalog;
use goleaklint::check::PackageContext;
use goleaklint::flow::obligation::{Holder, Verdict};
use goleaklint::index::PackageIndex;
use goleaklint::parse;
use goleaklint::source::SourceFile;
use goleaklint::syntax::{self, kinds};

/// The verdict summary of every obligation in function `func` of `body`
/// (a file's text after its package clause and imports).
fn verdicts(body: &str, func: &str) -> Vec<String> {
    let src = format!(
        "package p\n\nimport (\n\t\"context\"\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"runtime\"\n\t\"testing\"\n\t\"time\"\n)\n\nvar _ = io.EOF\nvar _ = http.Get\nvar _ = context.Background\nvar _ = runtime.Goexit\nvar _ = time.Now\nvar _ testing.T\nvar _ = os.Open\n\n{body}"
    );
    let parsed = parse::parse(SourceFile::new("p.go", src));
    let files = [&parsed];
    let index = PackageIndex::build(&files);
    let catalog = Catalog::builtin();
    let pkg = PackageContext::new(&files, &index, &catalog, None);
    let file = pkg.file(0).expect("file 0");
    let decl = syntax::named_children(file.root)
        .find(|d| {
            d.kind() == kinds::FUNCTION_DECLARATION
                && d.child_by_field_name("name")
                    .is_some_and(|n| file.text(n) == func)
        })
        .expect("function");
    let fcx = file.function(decl, decl).expect("context");
    fcx.obligations()
        .iter()
        .map(|o| {
            let holder = match o.holder {
                Holder::Local { .. } => "local",
                Holder::Blank(_) => "blank",
                Holder::Stored(_) => "stored",
                Holder::Unnamed(_) => "unnamed",
            };
            let verdict = match &o.verdict {
                Verdict::Released => "released".to_string(),
                Verdict::HandedOff => "handed-off".to_string(),
                Verdict::Discarded => "discarded".to_string(),
                Verdict::Unsure => "unsure".to_string(),
                Verdict::Leaks(l) => {
                    let lines: Vec<String> = l
                        .exits
                        .iter()
                        .map(|e| fcx.file.source.position(e.span().start).line.to_string())
                        .collect();
                    let mut s = format!("leaks@{}", lines.join(","));
                    if !l.goroutine_exits.is_empty() {
                        s.push_str(&format!(" goexit×{}", l.goroutine_exits.len()));
                    }
                    if let Some(o) = l.overwritten {
                        s.push_str(if o.in_loop.is_some() {
                            " loop"
                        } else {
                            " overwritten"
                        });
                    }
                    s
                }
            };
            format!("{} {holder} {verdict}", o.entry.group)
        })
        .collect()
}

/// Line numbers in `verdicts` output count from the file start: the prelude takes 20 lines.
const L: usize = 20;

fn line(n: usize) -> usize {
    L + n
}

#[test]
fn releases() {
    let v = verdicts(
        "func f(p string) error {\n\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer f.Close()\n\treturn nil\n}\n",
        "f",
    );
    assert_eq!(v, ["unclosed-resource local released"]);
    let body = "func f(u string) error {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer func() { _ = resp.Body.Close() }()\n\t_, err = io.ReadAll(resp.Body)\n\treturn err\n}\n";
    assert_eq!(verdicts(body, "f"), ["unclosed-resource local released"]);
    let cancel = "func f() {\n\tctx, cancel := context.WithTimeout(context.Background(), time.Second)\n\tdefer cancel()\n\t_ = ctx\n}\n";
    assert_eq!(verdicts(cancel, "f"), ["lost-cancel local released"]);
    let ticker = "func f() {\n\tt := time.NewTicker(time.Second)\n\tfor range t.C {\n\t\tbreak\n\t}\n\tt.Stop()\n}\n";
    assert_eq!(verdicts(ticker, "f"), ["unstopped-ticker local released"]);
}

#[test]
fn leaks_name_the_exit_and_skip_the_error_path() {
    let body = "func f(p string) error {\n\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif p == \"\" {\n\t\treturn nil\n\t}\n\treturn f.Close()\n}\n";
    // The error path (line 4) is excluded; the early return (line 7) leaks.
    assert_eq!(
        verdicts(body, "f"),
        [format!("unclosed-resource local leaks@{}", line(7))]
    );
    // A later reassignment of err ends the error guard: that check is no longer the error path.
    let later = "func f(p string) error {\n\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn err\n\t}\n\t_, err = f.Write(nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn f.Close()\n}\n";
    assert_eq!(
        verdicts(later, "f"),
        [format!("unclosed-resource local leaks@{}", line(8))]
    );
}

#[test]
fn nil_guards_prune() {
    let body = "func f(u string) {\n\tresp, _ := http.Get(u)\n\tif resp != nil {\n\t\tresp.Body.Close()\n\t}\n}\n";
    assert_eq!(verdicts(body, "f"), ["unclosed-resource local released"]);
    let early = "func f(u string) {\n\tresp, _ := http.Get(u)\n\tif resp == nil {\n\t\treturn\n\t}\n\tresp.Body.Close()\n}\n";
    assert_eq!(verdicts(early, "f"), ["unclosed-resource local released"]);
}

#[test]
fn hand_offs() {
    let forms = [
        ("returned", "func f(p string) (*os.File, error) {\n\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn f, nil\n}\n"),
        ("in a struct literal", "type h struct{ f *os.File }\nfunc f(p string) h {\n\tf, _ := os.Open(p)\n\treturn h{f: f}\n}\n"),
        ("stored in a field", "type h struct{ f *os.File }\nfunc f(x *h, p string) {\n\tf, _ := os.Open(p)\n\tx.f = f\n}\n"),
        ("sent", "func f(c chan *os.File, p string) {\n\tf, _ := os.Open(p)\n\tc <- f\n}\n"),
        ("appended", "func f(p string) []*os.File {\n\tvar all []*os.File\n\tf, _ := os.Open(p)\n\tall = append(all, f)\n\treturn all\n}\n"),
        ("to a goroutine", "func f(p string) {\n\tf, _ := os.Open(p)\n\tgo func() {\n\t\tf.Close()\n\t}()\n}\n"),
        ("passed on", "func keep(f *os.File)\nfunc f(p string) {\n\tf, _ := os.Open(p)\n\tkeep(f)\n}\n"),
    ];
    for (what, body) in forms {
        assert_eq!(
            verdicts(body, "f"),
            ["unclosed-resource local handed-off"],
            "{what}"
        );
    }
    let field = "type h struct{ f *os.File }\nfunc f(x *h, p string) {\n\tx.f, _ = os.Open(p)\n}\n";
    assert_eq!(
        verdicts(field, "f"),
        ["unclosed-resource stored handed-off"]
    );
}

#[test]
fn pure_readers_are_not_hand_offs() {
    let body = "func f(u string, w io.Writer) {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn\n\t}\n\tio.Copy(w, resp.Body)\n}\n";
    assert_eq!(
        verdicts(body, "f"),
        [format!("unclosed-resource local leaks@{}", line(7))]
    );
}

#[test]
fn helpers_that_release_their_parameter() {
    let body = "func closeQuietly(c io.Closer) { _ = c.Close() }\nfunc look(f *os.File) { _ = f.Name() }\nfunc f(p string) {\n\tf, _ := os.Open(p)\n\tdefer closeQuietly(f)\n}\nfunc g(p string) {\n\tf, _ := os.Open(p)\n\tlook(f)\n}\n";
    assert_eq!(verdicts(body, "f"), ["unclosed-resource local released"]);
    assert_eq!(
        verdicts(body, "g"),
        [format!("unclosed-resource local leaks@{}", line(10))]
    );
}

#[test]
fn discarded() {
    let blank = "func f() context.Context {\n\tctx, _ := context.WithCancel(context.Background())\n\treturn ctx\n}\n";
    assert_eq!(verdicts(blank, "f"), ["lost-cancel blank discarded"]);
    let dropped = "func f(u string) {\n\thttp.Get(u)\n}\n";
    assert_eq!(
        verdicts(dropped, "f"),
        ["unclosed-resource unnamed discarded"]
    );
}

#[test]
fn loops_and_overwrites() {
    let body = "func f(ps []string) {\n\tfor _, p := range ps {\n\t\tf, err := os.Open(p)\n\t\tif err != nil {\n\t\t\tcontinue\n\t\t}\n\t\t_ = f.Name()\n\t}\n}\n";
    let v = verdicts(body, "f");
    assert_eq!(v.len(), 1);
    assert!(v[0].starts_with("unclosed-resource local leaks@"), "{v:?}");
    let flag = "func f(c chan bool) {\n\tvar cancel context.CancelFunc\n\trunning := false\n\tfor range c {\n\t\tif running {\n\t\t\tcancel()\n\t\t}\n\t\t_, cancel = context.WithCancel(context.Background())\n\t\trunning = true\n\t}\n\tif running {\n\t\tcancel()\n\t}\n}\n";
    let v = verdicts(flag, "f");
    assert!(!v[0].contains("loop"), "{v:?}");
    let again =
        "func f(a, b string) {\n\tf, _ := os.Open(a)\n\tf, _ = os.Open(b)\n\tf.Close()\n}\n";
    let v = verdicts(again, "f");
    assert_eq!(v[0], "unclosed-resource local leaks@ overwritten");
}

#[test]
fn exit_kinds() {
    let process = "func f(p string) {\n\tf, _ := os.Open(p)\n\tif p == \"\" {\n\t\tos.Exit(1)\n\t}\n\tf.Close()\n}\n";
    assert_eq!(verdicts(process, "f"), ["unclosed-resource local released"]);
    let goexit = "func f(p string) {\n\tf, _ := os.Open(p)\n\tif p == \"\" {\n\t\truntime.Goexit()\n\t}\n\tf.Close()\n}\n";
    assert_eq!(
        verdicts(goexit, "f"),
        ["unclosed-resource local leaks@ goexit×1"]
    );
    let fatal = "func f(t *testing.T, p string) {\n\tf, err := os.Open(p)\n\tif p == \"\" {\n\t\tt.Fatal(err)\n\t}\n\tf.Close()\n}\n";
    assert_eq!(
        verdicts(fatal, "f"),
        ["unclosed-resource local leaks@ goexit×1"]
    );
}

#[test]
fn a_tested_flag_decides_its_next_test() {
    // `if !verbose { …; continue }` then `if verbose { cancel() }`: the second test
    // takes the branch the first one left open.
    let body = "func f(ps []string, verbose bool) {\n\tfor range ps {\n\t\t_, cancel := context.WithCancel(context.Background())\n\t\tif !verbose {\n\t\t\tcancel()\n\t\t\tcontinue\n\t\t}\n\t\tif verbose {\n\t\t\tcancel()\n\t\t}\n\t}\n}\n";
    assert_eq!(verdicts(body, "f"), ["lost-cancel local released"]);
    // A write between the tests forgets what the first one showed.
    let written = "func f(p string, verbose bool) {\n\tf, _ := os.Open(p)\n\tif verbose {\n\t\tf.Close()\n\t\treturn\n\t}\n\tverbose = p != \"\"\n\tif verbose {\n\t\tf.Close()\n\t}\n}\n";
    assert_eq!(
        verdicts(written, "f"),
        [format!("unclosed-resource local leaks@{}", line(11))]
    );
}

#[test]
fn results_beside_a_value_without_error_are_not_nil() {
    // `if ctx != nil { cancel() }`: the context came with the cancel function.
    let body = "func f(ps []string) {\n\tvar ctx context.Context\n\tcancel := func() {}\n\tfor range ps {\n\t\tif ctx != nil {\n\t\t\tcancel()\n\t\t}\n\t\tctx, cancel = context.WithCancel(context.Background())\n\t}\n\tcancel()\n}\n";
    assert_eq!(verdicts(body, "f"), ["lost-cancel local released"]);
    // Once the context is reassigned, its nil check says nothing of the cancel function.
    let reassigned = "func f(ok bool) {\n\tctx, cancel := context.WithCancel(context.Background())\n\tif ok {\n\t\tctx = nil\n\t}\n\tif ctx != nil {\n\t\tcancel()\n\t}\n}\n";
    assert_eq!(
        verdicts(reassigned, "f"),
        [format!("lost-cancel local leaks@{}", line(9))]
    );
}
