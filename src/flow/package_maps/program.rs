//! How long a package's maps live: for one run of a command that does its
//! job and exits, or for the life of a program that runs until it is
//! stopped (it serves, or waits for a signal or forever).

use crate::parse::ParsedFile;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// Calls that make a program serve until it is stopped.
const SERVES: &[&str] = &["ListenAndServe", ".Serve(", "grpc.NewServer", "http.Handle"];

/// Whether the package is a command that does its job and exits: package
/// `main` whose non-test files neither serve nor wait (for a signal, or in
/// a bare `select {}`), or an internal package of a command
/// (`cmd/compile/internal/ssa`). Its package-level maps live for one run,
/// bounded by what that run reads. `path` is the import path when the
/// module is known.
pub fn runs_and_exits(files: &[&ParsedFile], path: Option<&str>, package: &str) -> bool {
    // The files' directory stands in for the import path of a file analysed alone.
    let dir = files.first().and_then(|f| {
        f.source
            .display
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
    });
    if path.is_some_and(command_internal) || dir.as_deref().is_some_and(command_internal) {
        return true;
    }
    package == "main"
        && files
            .iter()
            .filter(|f| !f.source.display.ends_with("_test.go"))
            .all(|f| !keeps_running(f))
}

/// Whether an import path is an internal package of a command
/// (`cmd/compile/internal/ssa`, `example.com/m/cmd/tool/internal/cache`):
/// only that command links it, and its map lives for one run of it. (A
/// server's own internal packages are not told apart from a tool's.)
fn command_internal(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts
        .iter()
        .position(|p| *p == "cmd")
        .is_some_and(|at| parts.len() > at + 2 && parts[at + 2..].contains(&"internal"))
}

/// Whether a file keeps its program running: it serves, blocks forever in
/// a function's own `select {}`, or waits for a signal to stop.
fn keeps_running(file: &ParsedFile) -> bool {
    let src = file.source.text.as_str();
    if SERVES.iter().any(|s| src.contains(s)) {
        return true;
    }
    if !src.contains("select {}") && !src.contains("signal.Notify") {
        return false;
    }
    let root = file.tree.root_node();
    let mut running = false;
    syntax::walk(root, |n| {
        running |= match n.kind() {
            kinds::SELECT_STATEMENT => blocks_forever(n),
            kinds::CALL_EXPRESSION => waits_for_signal(root, n, src),
            _ => false,
        };
        !running
    });
    running
}

/// `select {}` as a statement of a function's body: the function parks
/// there for good, as a server's `main` does once its goroutines serve. One
/// nested in a branch (`case <-dying: select {}`) parks while the process
/// is exiting.
fn blocks_forever(sel: Node<'_>) -> bool {
    if syntax::named_children(sel).any(|c| c.kind() != kinds::COMMENT) {
        return false;
    }
    let mut p = sel.parent();
    while let Some(n) = p.filter(|n| matches!(n.kind(), kinds::BLOCK | kinds::STATEMENT_LIST)) {
        p = n.parent();
    }
    p.is_some_and(syntax::is_function)
}

/// `signal.Notify(ch, …)` whose channel the program waits on: received
/// from outside a goroutine, or by a goroutine that does not exit the
/// process (it cancels work, so the program runs until the signal). A
/// goroutine that cleans up and exits (`<-ch; cleanup(); os.Exit(1)`) is a
/// command's cleanup, not a server's shutdown. A channel whose receives are
/// not found (handed on) counts as waited on.
fn waits_for_signal(root: Node<'_>, call: Node<'_>, src: &str) -> bool {
    let is_notify = call
        .child_by_field_name("function")
        .is_some_and(|f| syntax::text(f, src) == "signal.Notify");
    if !is_notify {
        return false;
    }
    let Some(ch) = call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next())
        .map(|c| syntax::text(syntax::unparen(c), src))
    else {
        return true;
    };
    let mut receives = 0;
    let mut waited = false;
    syntax::walk(root, |n| {
        let received = match n.kind() {
            kinds::UNARY_EXPRESSION => {
                n.child_by_field_name("operator")
                    .is_some_and(|o| syntax::text(o, src) == "<-")
                    && n.child_by_field_name("operand")
                        .is_some_and(|o| syntax::text(syntax::unparen(o), src) == ch)
            }
            kinds::RANGE_CLAUSE => n
                .child_by_field_name("right")
                .is_some_and(|r| syntax::text(syntax::unparen(r), src) == ch),
            _ => false,
        };
        if received {
            receives += 1;
            waited |= match goroutine_of(n) {
                None => true,
                Some(body) => !exits(body, src),
            };
        }
        !waited
    });
    waited || receives == 0
}

/// The func literal of the `go` statement that `n` runs in, if any.
fn goroutine_of(n: Node<'_>) -> Option<Node<'_>> {
    let mut at = n.parent();
    while let Some(p) = at {
        if p.kind() == kinds::FUNC_LITERAL {
            let go = p
                .parent()
                .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
                .and_then(|c| c.parent())
                .is_some_and(|g| g.kind() == kinds::GO_STATEMENT);
            return go.then_some(p);
        }
        if syntax::is_function(p) {
            return None;
        }
        at = p.parent();
    }
    None
}

/// Whether a goroutine's body ends the process: `os.Exit`, `log.Fatal…`, `panic`.
fn exits(body: Node<'_>, src: &str) -> bool {
    let text = syntax::text(body, src);
    text.contains("os.Exit(") || text.contains(".Fatal") || text.contains("panic(")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn runs_and_exits_src(text: &str) -> bool {
        let f = crate::parse::parse(SourceFile::new("cmd/x/main.go", text.to_string()));
        runs_and_exits(&[&f], None, "main")
    }

    #[test]
    fn a_select_in_a_branch_is_no_server() {
        let tool = "package main\nvar dying = make(chan bool)\nfunc wait(done chan bool) {\n\tselect {\n\tcase <-done:\n\tcase <-dying:\n\t\tselect {}\n\t}\n}\nfunc main() {}\n";
        assert!(runs_and_exits_src(tool));
        let server = "package main\nfunc main() {\n\tgo work()\n\tselect {}\n}\nfunc work() {}\n";
        assert!(!runs_and_exits_src(server));
    }

    #[test]
    fn a_signal_for_cleanup_is_no_server() {
        let cleanup = "package main\nimport (\"os\"; \"os/signal\")\nfunc main() {\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n\tgo func() {\n\t\t<-c\n\t\tos.Exit(2)\n\t}()\n}\n";
        assert!(runs_and_exits_src(cleanup));
        let waits = "package main\nimport (\"os\"; \"os/signal\")\nfunc main() {\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n\tgo run()\n\t<-c\n}\nfunc run() {}\n";
        assert!(!runs_and_exits_src(waits));
        let cancels = "package main\nimport (\"context\"; \"os\"; \"os/signal\")\nfunc main() {\n\tctx, cancel := context.WithCancel(context.Background())\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n\tgo func() {\n\t\t<-c\n\t\tcancel()\n\t}()\n\trun(ctx)\n}\nfunc run(ctx context.Context) { <-ctx.Done() }\n";
        assert!(!runs_and_exits_src(cancels));
    }
}
