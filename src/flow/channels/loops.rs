//! How a `for` loop can be left: early exits, and exits guarded by a counter.

use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// Whether a `for` loop can be left other than by its own condition or range
/// ending: a `return`, a `break` or `goto` that leaves it, inside its body
/// (nested func literals excluded). `func` is the function whose body holds
/// the loop.
pub fn loop_has_early_exit(src: &str, func: Node<'_>, lp: Node<'_>) -> bool {
    loop_exits(src, func, lp, false)
}

/// Like [`loop_has_early_exit`], but an exit guarded by a condition on a
/// counter the loop increments or decrements (`n--; if n == 0 { return }`)
/// does not count: it leaves once everything expected has arrived.
pub fn loop_has_uncounted_exit(src: &str, func: Node<'_>, lp: Node<'_>) -> bool {
    loop_exits(src, func, lp, true)
}

/// The label of `lp` (a statement of `func`), if it has one.
pub fn loop_label<'s>(src: &'s str, func: Node<'_>, lp: Node<'_>) -> Option<&'s str> {
    let chain = syntax::ancestors(func, lp);
    chain
        .len()
        .checked_sub(2)
        .map(|i| chain[i])
        .filter(|p| p.kind() == kinds::LABELED_STATEMENT)
        .and_then(|p| p.child_by_field_name("label"))
        .map(|l| syntax::text(l, src))
}

fn loop_exits(src: &str, func: Node<'_>, lp: Node<'_>, counted_ok: bool) -> bool {
    let Some(body) = lp.child_by_field_name("body") else {
        return true;
    };
    let label = loop_label(src, func, lp);
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        match n.kind() {
            kinds::RETURN_STATEMENT | kinds::GOTO_STATEMENT => {
                found = !(counted_ok && counted_guard(n, lp, body, src))
            }
            kinds::CONTINUE_STATEMENT => {
                // `continue outer` leaves this loop.
                let target = syntax::named_children(n)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, src));
                found = target.is_some_and(|t| Some(t) != label && !labels_within(body, t, src));
            }
            kinds::BREAK_STATEMENT => {
                let target = syntax::named_children(n)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, src));
                found = match target {
                    Some(t) => Some(t) == label || !labels_within(body, t, src),
                    None => breaks_this_loop(n, lp),
                } && !(counted_ok && counted_guard(n, lp, body, src));
            }
            _ => {}
        }
        !found
    });
    found
}

/// Whether `exit` sits under an `if` (inside `lp`) whose condition names a
/// variable that `body` increments, decrements or adjusts with `+=`/`-=`.
fn counted_guard(exit: Node<'_>, lp: Node<'_>, body: Node<'_>, src: &str) -> bool {
    let chain = syntax::ancestors(lp, exit);
    for &n in chain.iter().rev().skip(1) {
        if n.id() == lp.id() {
            return false;
        }
        if n.kind() == kinds::IF_STATEMENT {
            if let Some(cond) = n.child_by_field_name("condition") {
                let mut names = Vec::new();
                syntax::walk(cond, |c| {
                    if c.kind() == kinds::IDENTIFIER {
                        names.push(syntax::text(c, src));
                    }
                    true
                });
                if names.iter().any(|x| adjusts(body, x, src)) {
                    return true;
                }
            }
        }
    }
    false
}

fn adjusts(body: Node<'_>, name: &str, src: &str) -> bool {
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        let target = match n.kind() {
            kinds::INC_STATEMENT | kinds::DEC_STATEMENT => syntax::named_children(n).next(),
            kinds::ASSIGNMENT_STATEMENT => n
                .child_by_field_name("operator")
                .filter(|o| matches!(o.kind(), "+=" | "-="))
                .and_then(|_| n.child_by_field_name("left")),
            _ => None,
        };
        found = target.is_some_and(|t| syntax::text(t, src) == name);
        !found
    });
    found
}

/// Whether an unlabelled `break` at `brk` leaves `lp` (no nested for/switch/select in between).
fn breaks_this_loop(brk: Node<'_>, lp: Node<'_>) -> bool {
    let chain = syntax::ancestors(lp, brk);
    for &n in chain.iter().rev().skip(1) {
        if n.id() == lp.id() {
            return true;
        }
        if matches!(
            n.kind(),
            kinds::FOR_STATEMENT
                | kinds::EXPRESSION_SWITCH_STATEMENT
                | kinds::TYPE_SWITCH_STATEMENT
                | kinds::SELECT_STATEMENT
        ) {
            return false;
        }
    }
    false
}

fn labels_within(body: Node<'_>, name: &str, src: &str) -> bool {
    let mut found = false;
    syntax::walk(body, |n| {
        if n.kind() == kinds::LABELED_STATEMENT
            && n.child_by_field_name("label")
                .is_some_and(|l| syntax::text(l, src) == name)
        {
            found = true;
        }
        !found
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::source::SourceFile;

    fn loops(src: &str) -> (parse::ParsedFile, Vec<(usize, usize)>) {
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let mut spans = Vec::new();
        syntax::walk(file.tree.root_node(), |n| {
            if n.kind() == kinds::FOR_STATEMENT {
                spans.push((n.start_byte(), n.end_byte()));
            }
            true
        });
        (file, spans)
    }

    fn first_loop_exits(src: &str) -> (bool, bool) {
        let (file, spans) = loops(src);
        let (s, e) = spans[0];
        let root = file.tree.root_node();
        let lp = root.descendant_for_byte_range(s, e).unwrap();
        (
            loop_has_early_exit(src, root, lp),
            loop_has_uncounted_exit(src, root, lp),
        )
    }

    #[test]
    fn loop_exits() {
        let ret = "package p\nfunc f(c chan int) int {\n\tfor {\n\t\tif v := <-c; v > 0 {\n\t\t\treturn v\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(ret), (true, true));
        let sel_break = "package p\nfunc f(c chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(sel_break), (false, false));
        let labelled = "package p\nfunc f(c chan int) {\nloop:\n\tfor {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak loop\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(labelled), (true, true));
        let counted = "package p\nfunc f(c chan int, n int) {\n\tfor {\n\t\t<-c\n\t\tn--\n\t\tif n == 0 {\n\t\t\treturn\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(counted), (true, false));
        let cont = "package p\nfunc f(c chan int) {\n\tfor {\n\t\tif <-c == 0 {\n\t\t\tcontinue\n\t\t}\n\t}\n}\n";
        assert_eq!(first_loop_exits(cont), (false, false));
    }
}
