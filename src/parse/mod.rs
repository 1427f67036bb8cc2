//! Reading and parsing one Go file: bytes to text (with clear errors for
//! binary and non-UTF-8 files), text to a syntax tree (tree-sitter's, copied
//! into a [`syntax::Tree`]); generated files to a tree of their declarations
//! only ([`generated`]).

pub mod generated;
pub mod memo;

use crate::source::{SourceFile, Span};
use crate::syntax::{self, kinds};
use std::cell::RefCell;
use tree_sitter::{InputEdit, Parser, Point};

/// A parsed file.
pub struct ParsedFile {
    /// The source.
    pub source: SourceFile,
    /// Its syntax tree.
    pub tree: syntax::Tree,
    /// tree-sitter's tree, kept only for files parsed to be edited
    /// ([`parse_editable`]): the base of an incremental [`reparse`].
    pub editable: Option<tree_sitter::Tree>,
    /// The package clause's name (empty when missing).
    pub package: String,
    /// Whether the file carries the standard `// Code generated … DO NOT EDIT.` header.
    pub generated: bool,
    /// Whether the tree holds the file's declarations only: the bodies of its
    /// functions were blanked before parsing (generated files, see [`generated`]).
    pub declarations_only: bool,
    /// Syntax errors, first few only.
    pub syntax_errors: Vec<(Span, String)>,
    /// What passes derive from its nodes, shared between them.
    pub memo: memo::NodeMemo,
}

/// Why a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The file holds NUL bytes: not Go source.
    Binary,
    /// The bytes are not UTF-8; the offset of the first bad byte.
    NotUtf8(usize),
    /// The file is empty.
    Empty,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Binary => f.write_str("binary file (contains NUL bytes), not Go source"),
            ReadError::NotUtf8(at) => write!(f, "not valid UTF-8 (first bad byte at offset {at})"),
            ReadError::Empty => f.write_str("empty file: expected a package clause"),
        }
    }
}

/// Turns file bytes into text, refusing what cannot be Go source.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_go::LANGUAGE.into())
            .expect("tree-sitter-go is compatible with the linked tree-sitter");
        p
    });
}

/// Parses a source file. Never fails: syntax errors are recorded in the result.
/// A generated file is parsed without its function bodies, unless that text
/// does not parse cleanly: then it is parsed whole, so that its syntax errors
/// are those of the file.
pub fn parse(source: SourceFile) -> ParsedFile {
    parse_keeping(source, false)
}

/// [`parse`], keeping what [`reparse`] needs to parse the next text of the
/// file incrementally (an editor buffer).
pub fn parse_editable(source: SourceFile) -> ParsedFile {
    parse_keeping(source, true)
}

fn parse_keeping(source: SourceFile, editable: bool) -> ParsedFile {
    let generated = generated::is_generated(&source.text);
    if generated {
        if let Some(decls) = generated::without_bodies(&source.text) {
            let tree = parse_text(&decls, None);
            if !tree.root_node().has_error() {
                let flat = syntax::Tree::new(&tree, source.line_starts());
                return finish(source, flat, editable.then_some(tree), true, true);
            }
        }
    }
    let tree = parse_text(&source.text, None);
    let flat = syntax::Tree::new(&tree, source.line_starts());
    finish(source, flat, editable.then_some(tree), generated, false)
}

/// Parses `source`, a new text of the file `old` was parsed from, reusing
/// the parts of `old`'s tree outside the changed region (an editor buffer
/// after a keystroke: most of the file is unchanged). The changed region is
/// what lies between the texts' common prefix and common suffix. When `old`
/// has syntax errors the file is parsed afresh, so error recovery never
/// depends on history.
pub fn reparse(source: SourceFile, old: &ParsedFile) -> ParsedFile {
    // A tree of blanked bodies is no base for the full text (nor the
    // reverse): whether the new text is generated is decided afresh.
    let Some(old_tree) = &old.editable else {
        return parse_editable(source);
    };
    if old.tree.root_node().has_error() || old.declarations_only || old.generated {
        return parse_editable(source);
    }
    let a = old.source.text.as_bytes();
    let b = source.text.as_bytes();
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let edit = InputEdit {
        start_byte: prefix,
        old_end_byte: a.len() - suffix,
        new_end_byte: b.len() - suffix,
        start_position: point(&old.source, prefix),
        old_end_position: point(&old.source, a.len() - suffix),
        new_end_position: point(&source, b.len() - suffix),
    };
    let mut tree = old_tree.clone();
    tree.edit(&edit);
    parse_with(source, Some(&tree))
}

/// The tree-sitter point (0-based row, byte column) of a byte offset.
fn point(source: &SourceFile, offset: usize) -> Point {
    let p = source.position(offset);
    Point::new(p.line - 1, p.column - 1)
}

fn parse_with(source: SourceFile, old: Option<&tree_sitter::Tree>) -> ParsedFile {
    if generated::is_generated(&source.text) {
        return parse_editable(source);
    }
    let tree = parse_text(&source.text, old);
    let flat = syntax::Tree::new(&tree, source.line_starts());
    finish(source, flat, Some(tree), false, false)
}

fn parse_text(text: &str, old: Option<&tree_sitter::Tree>) -> tree_sitter::Tree {
    PARSER
        .with(|p| p.borrow_mut().parse(text, old))
        .expect("parsing without a timeout or cancellation flag always yields a tree")
}

fn finish(
    source: SourceFile,
    tree: syntax::Tree,
    editable: Option<tree_sitter::Tree>,
    generated: bool,
    declarations_only: bool,
) -> ParsedFile {
    let root = tree.root_node();
    let mut package = String::new();
    for child in syntax::named_children(root) {
        if child.kind() == kinds::PACKAGE_CLAUSE {
            if let Some(id) = syntax::named_children(child).next() {
                package = syntax::text(id, &source.text).to_string();
            }
            break;
        }
    }
    let syntax_errors = if root.has_error() {
        collect_errors(&tree, &source)
    } else {
        Vec::new()
    };
    ParsedFile {
        source,
        tree,
        editable,
        package,
        generated,
        declarations_only,
        syntax_errors,
        memo: memo::NodeMemo::default(),
    }
}

const MAX_REPORTED_ERRORS: usize = 3;

fn collect_errors(tree: &syntax::Tree, source: &SourceFile) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    syntax::walk(tree.root_node(), |n| {
        if out.len() >= MAX_REPORTED_ERRORS {
            return false;
        }
        if n.is_missing() {
            out.push((Span::of(n), format!("syntax error: missing `{}`", n.kind())));
            return false;
        }
        if n.is_error() {
            let snippet: String = source
                .slice(Span::of(n))
                .chars()
                .take(20)
                .take_while(|c| *c != '\n')
                .collect();
            let msg = if snippet.trim().is_empty() {
                "syntax error".to_string()
            } else {
                format!("syntax error near `{}`", snippet.trim())
            };
            out.push((Span::of(n), msg));
            return false;
        }
        n.has_error()
    });
    if out.is_empty() {
        out.push((Span::default(), "syntax error".to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sexp(p: &ParsedFile) -> String {
        p.tree.root_node().to_sexp()
    }

    #[test]
    fn reparse_gives_the_tree_of_a_fresh_parse() {
        let base = "package p\n\nimport \"context\"\n\n// é comment\nfunc f(ctx context.Context) error {\n\tc, cancel := context.WithCancel(ctx)\n\tdefer cancel()\n\treturn c.Err()\n}\n\nfunc g() int { return 1 }\n";
        let edits = [
            base.replace("return 1", "return 12"),
            base.replace("\tdefer cancel()\n", ""),
            base.replace(
                "func g() int { return 1 }",
                "func g() int {\n\tx := \"ü\"\n\treturn len(x)\n}",
            ),
            base.replace("é", "e"),
            format!("{base}\nfunc h() {{}}\n"),
            base.replace("func g() int { return 1 }", "func g() int { return"),
            base.to_string(),
            "package p\n".to_string(),
        ];
        let old = parse_editable(SourceFile::new("a.go", base.to_string()));
        for text in edits {
            let fresh = parse(SourceFile::new("a.go", text.clone()));
            let re = reparse(SourceFile::new("a.go", text.clone()), &old);
            assert_eq!(sexp(&re), sexp(&fresh), "{text}");
            assert_eq!(re.syntax_errors, fresh.syntax_errors, "{text}");
            assert_eq!(re.package, fresh.package);
            // Byte ranges too, not only shapes.
            let spans = |p: &ParsedFile| {
                let mut v = Vec::new();
                syntax::walk(p.tree.root_node(), |n| {
                    v.push((n.kind(), n.start_byte(), n.end_byte()));
                    true
                });
                v
            };
            assert_eq!(spans(&re), spans(&fresh), "{text}");
        }
    }
}
