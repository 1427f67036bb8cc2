//! Reading and parsing one Go file: bytes to text (with clear errors for
//! binary and non-UTF-8 files), text to a tree-sitter tree.

use crate::source::{SourceFile, Span};
use crate::syntax::{self, kinds};
use std::cell::RefCell;
use tree_sitter::{Parser, Tree};

/// A parsed file.
pub struct ParsedFile {
    /// The source.
    pub source: SourceFile,
    /// Its syntax tree.
    pub tree: Tree,
    /// The package clause's name (empty when missing).
    pub package: String,
    /// Whether the file carries the standard `// Code generated … DO NOT EDIT.` header.
    pub generated: bool,
    /// Syntax errors, first few only.
    pub syntax_errors: Vec<(Span, String)>,
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
pub fn parse(source: SourceFile) -> ParsedFile {
    let tree = PARSER
        .with(|p| p.borrow_mut().parse(&source.text, None))
        .expect("parsing without a timeout or cancellation flag always yields a tree");
    let root = tree.root_node();
    let mut package = String::new();
    let mut generated = false;
    for child in syntax::named_children_all(root) {
        match child.kind() {
            kinds::COMMENT if package.is_empty() => {
                generated |= is_generated_comment(syntax::text(child, &source.text));
            }
            kinds::PACKAGE_CLAUSE => {
                if let Some(id) = syntax::named_children(child).next() {
                    package = syntax::text(id, &source.text).to_string();
                }
            }
            _ => {}
        }
        if !package.is_empty() {
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
        package,
        generated,
        syntax_errors,
    }
}

fn is_generated_comment(comment: &str) -> bool {
    comment.lines().any(|l| {
        let l = l.trim_end();
        l.starts_with("// Code generated ") && l.ends_with(" DO NOT EDIT.")
    })
}

const MAX_REPORTED_ERRORS: usize = 3;

fn collect_errors(tree: &Tree, source: &SourceFile) -> Vec<(Span, String)> {
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
