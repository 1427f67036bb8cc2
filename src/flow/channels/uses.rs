//! How one identifier use treats a channel, and the channel operations
//! found by syntax: select cases and receives.

use crate::flow::scopes::Scopes;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// How one identifier use treats a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind<'a> {
    /// `ch <- v`.
    Send,
    /// `<-ch` in any expression or select case.
    Receive,
    /// `for … range ch`.
    Range,
    /// `close(ch)`.
    Close,
    /// `len(ch)`, `cap(ch)`: no effect.
    Neutral,
    /// An argument of the call a `go` statement starts.
    GoArg {
        /// The `go` statement.
        go_stmt: Node<'a>,
        /// The argument's position.
        index: usize,
    },
    /// Anything else: returned, stored, passed, sent, assigned.
    Escape,
}

/// Classifies the use of `ident` (an identifier naming a channel). The node
/// returned with it is the statement or expression that acts: the send
/// statement, the `<-` expression, the `for` statement, the call.
pub fn classify<'a>(ident: Node<'a>, scopes: &Scopes, src: &str) -> (UseKind<'a>, Node<'a>) {
    // The few ancestors the classification looks at, nearest last (a bounded
    // number of `parent()` calls; callers with the chain use [`classify_in`]).
    let mut up = Vec::new();
    let mut cur = ident;
    let mut parens = 0;
    while up.len() < 5 + parens {
        let Some(p) = cur.parent() else { break };
        if p.kind() == kinds::PARENTHESIZED_EXPRESSION {
            parens += 1;
        }
        up.push(p);
        cur = p;
    }
    up.reverse();
    classify_in(ident, &up, scopes, src)
}

/// [`classify`] with the ancestors of the identifier given (root first, its
/// parent last), as a walk down from the function has them.
pub fn classify_in<'a>(
    ident: Node<'a>,
    ancestors: &[Node<'a>],
    scopes: &Scopes,
    src: &str,
) -> (UseKind<'a>, Node<'a>) {
    // `up(k)`: the k-th ancestor of the identifier (k ≥ 1).
    let up = |k: usize| ancestors.len().checked_sub(k).map(|i| ancestors[i]);
    let mut k = 0;
    let mut n = ident;
    let Some(mut p) = up(1) else {
        return (UseKind::Escape, ident);
    };
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        n = p;
        k += 1;
        match up(k + 1) {
            Some(pp) => p = pp,
            None => return (UseKind::Escape, ident),
        }
    }
    // Ancestors above `p`.
    let above = |j: usize| up(k + 1 + j);
    let is = |field: &str| {
        p.child_by_field_name(field)
            .is_some_and(|c| c.id() == n.id())
    };
    match p.kind() {
        kinds::SEND_STATEMENT if is("channel") => (UseKind::Send, p),
        kinds::UNARY_EXPRESSION => {
            let op = p.child_by_field_name("operator").map(|o| o.kind());
            if op == Some("<-") {
                (UseKind::Receive, p)
            } else {
                (UseKind::Escape, p)
            }
        }
        kinds::RANGE_CLAUSE if is("right") => match above(1) {
            Some(f) if f.kind() == kinds::FOR_STATEMENT => (UseKind::Range, f),
            _ => (UseKind::Escape, p),
        },
        kinds::ARGUMENT_LIST => {
            let Some(call) = above(1) else {
                return (UseKind::Escape, p);
            };
            let func = call.child_by_field_name("function").map(syntax::unparen);
            if let Some(f) = func.filter(|f| f.kind() == kinds::IDENTIFIER && scopes.is_free(*f)) {
                match syntax::text(f, src) {
                    "close" => return (UseKind::Close, call),
                    "len" | "cap" => return (UseKind::Neutral, call),
                    _ => {}
                }
            }
            if let Some(go) = above(2).filter(|g| g.kind() == kinds::GO_STATEMENT) {
                let index = syntax::named_children(p)
                    .position(|a| a.id() == n.id())
                    .unwrap_or(usize::MAX);
                return (UseKind::GoArg { go_stmt: go, index }, call);
            }
            (UseKind::Escape, call)
        }
        "literal_element" if is_field_key(p, above(1), above(3)) => (UseKind::Neutral, p),
        _ => (UseKind::Escape, p),
    }
}

/// Whether `elem` (under `keyed`, in the literal `lit`) is the key of a keyed
/// element in a struct literal, where an identifier names a field rather
/// than a value.
fn is_field_key(elem: Node<'_>, keyed: Option<Node<'_>>, lit: Option<Node<'_>>) -> bool {
    let Some(keyed) = keyed.filter(|k| k.kind() == "keyed_element") else {
        return false;
    };
    let is_key = keyed
        .child_by_field_name("key")
        .is_some_and(|k| k.id() == elem.id());
    let map = lit
        .filter(|l| l.kind() == kinds::COMPOSITE_LITERAL)
        .and_then(|l| l.child_by_field_name("type"))
        .is_none_or(|t| t.kind() == "map_type");
    is_key && !map
}

/// The select statement whose case `node` is the communication of, with the case.
pub fn select_of_comm(node: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    // A bounded climb: the communication sits at most a few levels below its case.
    let mut up = Vec::new();
    let mut cur = node;
    while up.len() < 6 {
        let Some(p) = cur.parent() else { break };
        up.push(p);
        cur = p;
    }
    up.reverse();
    select_of_comm_in(node, &up)
}

/// [`select_of_comm`] with the ancestors of `node` given (root first, its parent last).
pub fn select_of_comm_in<'a>(
    node: Node<'a>,
    ancestors: &[Node<'a>],
) -> Option<(Node<'a>, Node<'a>)> {
    let mut n = node;
    let mut above = ancestors.iter().rev().copied();
    loop {
        let p = above.next()?;
        if p.kind() == kinds::COMMUNICATION_CASE {
            let is_comm = p
                .child_by_field_name("communication")
                .is_some_and(|c| c.id() == n.id());
            return if is_comm {
                Some((above.next()?, p))
            } else {
                None
            };
        }
        if !matches!(
            p.kind(),
            kinds::RECEIVE_STATEMENT | kinds::EXPRESSION_LIST | kinds::PARENTHESIZED_EXPRESSION
        ) {
            return None;
        }
        n = p;
    }
}

/// Whether `node` contains `<-x` (outside nested func literals).
pub fn has_receive(node: Node<'_>) -> bool {
    let mut found = false;
    syntax::walk(node, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() == kinds::UNARY_EXPRESSION
            && n.child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "<-")
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

    #[test]
    fn struct_keys_are_not_uses() {
        let src = "package p\ntype t struct{ in chan int }\nfunc f() *t {\n\tin := make(chan int)\n\treturn &t{in: in}\n}\n";
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let root = file.tree.root_node();
        let func = syntax::named_children(root)
            .find(|n| n.kind() == kinds::FUNCTION_DECLARATION)
            .unwrap();
        let scopes = Scopes::build(func, src);
        let key_at = src.find("{in:").unwrap() + 1;
        let key = root.descendant_for_byte_range(key_at, key_at + 2).unwrap();
        let value_at = src.find(": in}").unwrap() + 2;
        let value = root
            .descendant_for_byte_range(value_at, value_at + 2)
            .unwrap();
        assert_eq!(classify(key, &scopes, src).0, UseKind::Neutral);
        assert_eq!(classify(value, &scopes, src).0, UseKind::Escape);
    }
}
