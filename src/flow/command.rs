//! Functions that run once per run of a command: what they acquire or add
//! lives until the command exits, bounded by what one run does.
//!
//! - `func main()` of package `main`;
//! - the action of a CLI command: `Action:` of a urfave/cli `cli.Command`,
//!   `Run:`/`RunE:` of a `cobra.Command`, given as a func literal;
//! - the `Execute` method of a google/subcommands command
//!   (`Execute(ctx, f *flag.FlagSet, args ...any) subcommands.ExitStatus`).

use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// How many levels of literals above an action its command type is looked for.
const MAX_COMMAND_NESTING: usize = 12;

/// Whether `func` (a function declaration, method or literal of a file of
/// package `package`, whose text is `src`) runs once per run of a command.
pub fn runs_once_per_command(func: Node<'_>, src: &str, package: &str) -> bool {
    let text = |n: Node<'_>| syntax::text(n, src);
    match func.kind() {
        kinds::FUNCTION_DECLARATION => {
            package == "main"
                && func
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n) == "main")
        }
        kinds::METHOD_DECLARATION => subcommand_execute(func, src),
        kinds::FUNC_LITERAL => cli_action(func, src),
        _ => false,
    }
}

/// Whether `node` runs within a CLI action or a subcommand's `Execute`
/// (a function enclosing it is one), outside an endless `for { … }`, which
/// serves rather than does one run's job. `main` is left out: whether
/// package `main` serves is a question about the whole package.
pub fn in_command_action(node: Node<'_>, src: &str) -> bool {
    let mut cur = Some(node);
    while let Some(n) = cur {
        if n.kind() == kinds::FOR_STATEMENT && endless(n) {
            return false;
        }
        let action = match n.kind() {
            kinds::METHOD_DECLARATION => subcommand_execute(n, src),
            kinds::FUNC_LITERAL => cli_action(n, src),
            _ => false,
        };
        if action {
            return true;
        }
        cur = n.parent();
    }
    false
}

/// `for { … }`: a loop with nothing but its body.
fn endless(for_stmt: Node<'_>) -> bool {
    syntax::named_children(for_stmt).all(|c| c.kind() == kinds::BLOCK || c.kind() == kinds::COMMENT)
}

/// `func (c *cmd) Execute(ctx context.Context, f *flag.FlagSet, args ...any)
/// subcommands.ExitStatus`: google/subcommands runs it once for the command
/// line that names it.
fn subcommand_execute(method: Node<'_>, src: &str) -> bool {
    let text = |n: Node<'_>| syntax::text(n, src);
    method
        .child_by_field_name("name")
        .is_some_and(|n| text(n) == "Execute")
        && method
            .child_by_field_name("result")
            .is_some_and(|r| text(r).ends_with("subcommands.ExitStatus"))
        && method
            .child_by_field_name("parameters")
            .is_some_and(|p| text(p).contains("flag.FlagSet"))
}

/// `Action: func(…) error { … }` as a keyed element of a command literal
/// (`cli.Command{…}`, `&cobra.Command{…}`, or an element of `cli.Commands{…}`).
fn cli_action(literal: Node<'_>, src: &str) -> bool {
    let text = |n: Node<'_>| syntax::text(n, src);
    let Some(keyed) = literal
        .parent()
        .filter(|p| p.kind() == kinds::LITERAL_ELEMENT)
        .and_then(|p| p.parent())
        .filter(|p| p.kind() == kinds::KEYED_ELEMENT)
    else {
        return false;
    };
    let key = keyed.named_child(0).map(text).unwrap_or("");
    if !matches!(key, "Action" | "Run" | "RunE") {
        return false;
    }
    let mut cur = keyed.parent();
    for _ in 0..MAX_COMMAND_NESTING {
        let Some(n) = cur else {
            return false;
        };
        if n.kind() == kinds::COMPOSITE_LITERAL {
            let ty = n.child_by_field_name("type").map(text).unwrap_or("");
            if ty.ends_with("Command") || ty.ends_with("Commands") {
                return true;
            }
        }
        if syntax::is_function(n) {
            return false;
        }
        cur = n.parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// Whether the function or literal starting at `marker` runs once per command.
    fn runs(src: &str, package: &str, marker: &str) -> bool {
        let parsed = crate::parse::parse(SourceFile::new("a.go", src.to_string()));
        let at = src.find(marker).expect("marker");
        let mut n = parsed
            .tree
            .root_node()
            .descendant_for_byte_range(at, at)
            .expect("node");
        while !syntax::is_function(n) {
            n = n.parent().expect("a function");
        }
        runs_once_per_command(n, src, package)
    }

    #[test]
    fn main_actions_and_subcommands_run_once() {
        assert!(runs("package main\nfunc main() {}\n", "main", "func main"));
        assert!(!runs("package tool\nfunc main() {}\n", "tool", "func main"));
        let urfave = "package main\nvar app = cli.App{Commands: cli.Commands{{Name: \"x\", Action: func(c *cli.Context) error { return nil }}}}\n";
        assert!(runs(urfave, "main", "func(c"));
        let cobra = "package cmd\nvar root = &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error { return nil }}\n";
        assert!(runs(cobra, "cmd", "func(cmd"));
        let sub = "package cmd\nfunc (s *Syscalls) Execute(ctx context.Context, f *flag.FlagSet, args ...any) subcommands.ExitStatus { return 0 }\n";
        assert!(runs(sub, "cmd", "func (s"));
    }

    #[test]
    fn an_action_s_endless_loop_serves() {
        let src = "package cmd\nfunc (s *Serve) Execute(ctx context.Context, f *flag.FlagSet, args ...any) subcommands.ExitStatus {\n\
                   for _, a := range args { seen[a] = true }\n\
                   for { conn := accept(); open[conn] = true }\n}\n";
        let parsed = crate::parse::parse(SourceFile::new("a.go", src.to_string()));
        let at = |m: &str| {
            let i = src.find(m).expect("marker");
            parsed
                .tree
                .root_node()
                .descendant_for_byte_range(i, i)
                .expect("node")
        };
        assert!(in_command_action(at("seen[a]"), src));
        assert!(!in_command_action(at("open[conn]"), src));
        // `main` is the package's question.
        let main = "package main\nfunc main() { seen[1] = true }\n";
        let parsed = crate::parse::parse(SourceFile::new("a.go", main.to_string()));
        let i = main.find("seen").unwrap();
        let n = parsed
            .tree
            .root_node()
            .descendant_for_byte_range(i, i)
            .unwrap();
        assert!(!in_command_action(n, main));
    }

    #[test]
    fn look_alikes_are_not_commands() {
        // A handler field called Run, of a type that is no command.
        let job = "package p\nvar j = Job{Run: func() {}}\n";
        assert!(!runs(job, "p", "func()"));
        // An Execute method of something else.
        let exec = "package p\nfunc (q *Query) Execute(ctx context.Context) error { return nil }\n";
        assert!(!runs(exec, "p", "func (q"));
    }
}
