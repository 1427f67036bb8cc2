//! What the C functions of a cgo preamble do with their pointer parameters.
//!
//! A cgo file declares C helpers in the comment right above `import "C"`.
//! A helper that calls `free(p)` on a parameter, or stores it into a struct
//! field, an array element or through a pointer (`h->name = name;`), takes
//! ownership of the memory its Go caller allocated with `C.CString` or
//! `C.malloc`: the caller must not free it again, so `cgo-unfreed` stays
//! silent. So does a function the preamble only declares with the `realloc`
//! shape (`char *escape(char *s);`, defined in a `.c` file, which is not
//! read). Any other C function only borrows the pointer.
//!
//! The C text is read with a small tokenizer, not a C parser: function
//! definitions are `name ( params ) { body }` at the top level, a parameter's
//! name is the last identifier of its declaration. Preprocessor lines,
//! comments and literals are skipped.

use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// What a preamble function does with one of its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CParamFate {
    /// Passes it to `free`.
    Frees,
    /// Stores it where it outlives the call: a field, an element, a pointee.
    Keeps,
}

/// The fate of parameter `index` of the C function `name` defined in the
/// preamble of the file whose syntax tree is `root`; `None` when the
/// preamble does not define it or the function only borrows the parameter.
pub fn param_fate(root: Node<'_>, src: &str, name: &str, index: usize) -> Option<CParamFate> {
    if !src.contains(name) {
        return None;
    }
    let preamble = preamble(root, src)?;
    let tokens = tokenize(&preamble);
    let def = definitions(&tokens).find(|d| d.name == name);
    match def {
        Some(def) => fate(def.body, def.params.get(index)?),
        None => declared_fate(&tokens, name, index),
    }
}

/// For a function the preamble only declares (`extern char
/// *escape_json_string(char *s);`, defined in a `.c` file of the package,
/// which is not read): a parameter of a mutable pointer type, returned as
/// the same pointer type, is the `realloc` shape — the function may free it
/// and hand back a new one, or hand it back — so it keeps it. A `const`
/// parameter, or a result of another type, only borrows.
fn declared_fate(tokens: &[Tok<'_>], name: &str, index: usize) -> Option<CParamFate> {
    let (result, params) = declarations(tokens)
        .find(|d| d.1 == name)
        .map(|d| (d.0, d.2))?;
    let param = params.get(index)?;
    let mutable_pointer =
        |decl: &[Tok<'_>]| decl.contains(&Tok::Punct('*')) && !decl.contains(&Tok::Ident("const"));
    (mutable_pointer(result)
        && mutable_pointer(param)
        && base_types(result) == base_types(&param[..param.len().saturating_sub(1)]))
    .then_some(CParamFate::Keeps)
}

/// The type names of a declaration, storage classes and stars left out
/// (`extern char *` is `["char"]`).
fn base_types<'s>(decl: &[Tok<'s>]) -> Vec<&'s str> {
    decl.iter()
        .filter_map(|t| match t {
            Tok::Ident(s) if !matches!(*s, "extern" | "static" | "inline") => Some(*s),
            _ => None,
        })
        .collect()
}

/// The top-level function declarations without a body: `result name (
/// params ) ;`, as (result tokens, name, parameter tokens).
fn declarations<'t, 's>(
    tokens: &'t [Tok<'s>],
) -> impl Iterator<Item = (&'t [Tok<'s>], &'s str, Vec<&'t [Tok<'s>]>)> {
    let mut i = 0;
    let mut start = 0;
    std::iter::from_fn(move || {
        while i < tokens.len() {
            match tokens[i] {
                Tok::Punct('{') => {
                    i = matching(tokens, i, '{', '}').unwrap_or(tokens.len());
                    start = i;
                }
                Tok::Punct(';' | '}') => {
                    i += 1;
                    start = i;
                }
                Tok::Ident(name) if tokens.get(i + 1) == Some(&Tok::Punct('(')) => {
                    let close = matching(tokens, i + 1, '(', ')').unwrap_or(tokens.len());
                    let at = i;
                    i = close;
                    if tokens.get(close) != Some(&Tok::Punct(';')) {
                        continue;
                    }
                    let params = tokens[at + 2..close.saturating_sub(1).max(at + 2)]
                        .split(|t| *t == Tok::Punct(','))
                        .collect();
                    return Some((&tokens[start.min(at)..at], name, params));
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// The text of the comment right above `import "C"`, without comment markers.
fn preamble(root: Node<'_>, src: &str) -> Option<String> {
    let import = syntax::named_children(root).find(|d| {
        d.kind() == kinds::IMPORT_DECLARATION && {
            let mut specs = Vec::new();
            syntax::walk(*d, |n| {
                if n.kind() == kinds::IMPORT_SPEC {
                    specs.push(n);
                    return false;
                }
                true
            });
            specs.iter().any(|s| {
                s.child_by_field_name("path")
                    .is_some_and(|p| syntax::text(p, src) == "\"C\"")
            })
        }
    })?;
    // The comment lines immediately above the import, with no blank line between.
    let mut parts = Vec::new();
    let mut next_start = import.start_position().row;
    let mut cur = import.prev_named_sibling();
    while let Some(c) = cur.filter(|c| c.kind() == kinds::COMMENT) {
        if c.end_position().row + 1 < next_start {
            break;
        }
        parts.push(syntax::text(c, src));
        next_start = c.start_position().row;
        cur = c.prev_named_sibling();
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    let mut out = String::new();
    for p in parts {
        let body = p
            .strip_prefix("/*")
            .map(|b| b.strip_suffix("*/").unwrap_or(b))
            .or_else(|| p.strip_prefix("//"))
            .unwrap_or(p);
        out.push_str(body);
        out.push('\n');
    }
    Some(out)
}

/// A C token: an identifier or one punctuation character (`->` is `-`, `>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'s> {
    Ident(&'s str),
    Punct(char),
}

/// Preambles longer than this are not read: a generated binding, not helpers.
const MAX_PREAMBLE_TOKENS: usize = 200_000;

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() && out.len() < MAX_PREAMBLE_TOKENS {
        let c = bytes[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            // `#include`, `#define` (with `\` continuations): not code of ours.
            b'#' if line_start => {
                while i < bytes.len() {
                    if bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\\') {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push(Tok::Punct('0'));
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Ident(&text[start..i]));
            }
            _ if c.is_ascii_digit() => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                out.push(Tok::Punct('0'));
            }
            _ => {
                // Multi-byte characters only appear in literals and comments of valid C.
                match text.get(i..).and_then(|t| t.chars().next()) {
                    Some(ch) => {
                        out.push(Tok::Punct(ch));
                        i += ch.len_utf8();
                    }
                    None => i += 1,
                }
            }
        }
        line_start = false;
    }
    out
}

/// One function definition of the preamble.
struct Definition<'t, 's> {
    name: &'s str,
    params: Vec<&'s str>,
    body: &'t [Tok<'s>],
}

/// The index just past the bracket matching the one at `open`.
fn matching(tokens: &[Tok<'_>], open: usize, o: char, c: char) -> Option<usize> {
    matching_within(tokens, open, o, c, usize::MAX)
}

/// [`matching`], looking at most `limit` tokens ahead.
fn matching_within(
    tokens: &[Tok<'_>],
    open: usize,
    o: char,
    c: char,
    limit: usize,
) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open).take(limit) {
        match t {
            Tok::Punct(x) if *x == o => depth += 1,
            Tok::Punct(x) if *x == c => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level function definitions: `name ( params ) { body }`.
fn definitions<'t, 's>(tokens: &'t [Tok<'s>]) -> impl Iterator<Item = Definition<'t, 's>> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < tokens.len() {
            match tokens[i] {
                // Struct and enum bodies, initialisers: skipped whole.
                Tok::Punct('{') => i = matching(tokens, i, '{', '}').unwrap_or(tokens.len()),
                Tok::Ident(name) if tokens.get(i + 1) == Some(&Tok::Punct('(')) => {
                    let close = matching(tokens, i + 1, '(', ')').unwrap_or(tokens.len());
                    if tokens.get(close) != Some(&Tok::Punct('{')) {
                        i = close;
                        continue;
                    }
                    let end = matching(tokens, close, '{', '}').unwrap_or(tokens.len());
                    let params = tokens[i + 2..close.saturating_sub(1).max(i + 2)]
                        .split(|t| *t == Tok::Punct(','))
                        .filter_map(param_name)
                        .collect();
                    let body = &tokens[close..end];
                    i = end;
                    return Some(Definition { name, params, body });
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// The name a parameter declaration declares: its last identifier before
/// any array brackets (`const char *name`, `char buf[]`); `""` for `void`.
fn param_name<'s>(decl: &[Tok<'s>]) -> Option<&'s str> {
    let decl = match decl.iter().position(|t| *t == Tok::Punct('[')) {
        Some(b) => &decl[..b],
        None => decl,
    };
    let idents: Vec<&str> = decl
        .iter()
        .filter_map(|t| match t {
            Tok::Ident(s) => Some(*s),
            _ => None,
        })
        .collect();
    match idents.as_slice() {
        [] => None,
        // A lone type (`void`, `int`): an unnamed parameter.
        [_] => Some(""),
        [.., last] => Some(last),
    }
}

/// How far an argument list or a statement is read: the shapes looked for
/// (`free((void *)p)`, `h->name = name;`) are short.
const STATEMENT_TOKENS: usize = 64;

/// What `body` does with the parameter named `param`.
fn fate(body: &[Tok<'_>], param: &str) -> Option<CParamFate> {
    if param.is_empty() {
        return None;
    }
    let is_param = |t: &Tok<'_>| *t == Tok::Ident(param);
    for (i, t) in body.iter().enumerate() {
        // `sqlite3_result_text(ctx, s, -1, &free)`: handed on with `free` as its destructor.
        if *t == Tok::Punct('(') && i > 0 && matches!(body[i - 1], Tok::Ident(_)) {
            if let Some(end) = matching_within(body, i, '(', ')', STATEMENT_TOKENS) {
                let args = &body[i + 1..end - 1];
                let destructor = args.iter().enumerate().any(|(j, a)| {
                    *a == Tok::Ident("free") && args.get(j + 1) != Some(&Tok::Punct('('))
                });
                if destructor && args.iter().any(is_param) {
                    return Some(CParamFate::Frees);
                }
            }
        }
        // `free(p)`, `free((void *)p)`: the argument is the parameter, cast at most.
        if *t == Tok::Ident("free") && body.get(i + 1) == Some(&Tok::Punct('(')) {
            let Some(end) = matching_within(body, i + 1, '(', ')', STATEMENT_TOKENS) else {
                continue;
            };
            let arg = &body[i + 2..(end - 1).max(i + 2)];
            if arg.last().is_some_and(is_param) && only_casts(&arg[..arg.len() - 1]) {
                return Some(CParamFate::Frees);
            }
        }
        // `x->f = p;`, `a[i] = p;`, `*out = p;`, `s.f = (char *)p;`
        if *t == Tok::Punct('=')
            && !matches!(
                body.get(i.wrapping_sub(1)),
                Some(Tok::Punct('=' | '!' | '<' | '>'))
            )
            && body.get(i + 1) != Some(&Tok::Punct('='))
        {
            let Some(end) = body[i..]
                .iter()
                .take(STATEMENT_TOKENS)
                .position(|t| *t == Tok::Punct(';'))
                .map(|p| i + p)
            else {
                continue;
            };
            let value = &body[i + 1..end];
            if value.last().is_some_and(is_param)
                && only_casts(&value[..value.len() - 1])
                && stores_outside(&body[i.saturating_sub(STATEMENT_TOKENS)..i])
            {
                return Some(CParamFate::Keeps);
            }
        }
    }
    None
}

/// Whether tokens are nothing but casts: `(void *)`, `(const char*)`.
fn only_casts(tokens: &[Tok<'_>]) -> bool {
    tokens
        .iter()
        .all(|t| matches!(t, Tok::Ident(_) | Tok::Punct('(' | ')' | '*')))
}

/// Whether the assignment whose left side ends `before` writes through a
/// field, an element or a pointer, not a local variable.
fn stores_outside(before: &[Tok<'_>]) -> bool {
    let start = before
        .iter()
        .rposition(|t| matches!(t, Tok::Punct(';' | '{' | '}')))
        .map_or(0, |p| p + 1);
    let lhs = &before[start..];
    let mut prev: Option<&Tok<'_>> = None;
    for t in lhs {
        match t {
            Tok::Punct('.' | '[') => return true,
            Tok::Punct('>') if prev == Some(&Tok::Punct('-')) => return true,
            _ => {}
        }
        prev = Some(t);
    }
    // `*out = p;`: through a pointer.
    lhs.first() == Some(&Tok::Punct('*'))
}

/// Whether a call of the C function `name` takes ownership of the C memory
/// passed to it, as the call site shows, for functions declared in a header
/// the preamble only includes:
/// - `free` itself goes along as the destructor of what is passed
///   (`C.sqlite3_result_text(ctx, cs, -1, (*[0]byte)(C.free))`,
///   `C.g_bytes_new_with_free_func(p, n, C.GDestroyNotify(C.free), p)`);
/// - a CoreFoundation `…NoCopy` constructor is given a deallocator other than
///   `kCFAllocatorNull` (`C.CFStringCreateWithCStringNoCopy(a, cs, enc,
///   C.kCFAllocatorDefault)`): the new object frees the bytes when it is
///   released.
pub fn call_takes_ownership(call: Node<'_>, src: &str, name: &str) -> bool {
    let Some(args) = call.child_by_field_name("arguments") else {
        return false;
    };
    let text = |n: Node<'_>| src.get(n.byte_range()).unwrap_or("");
    let args: Vec<Node<'_>> = syntax::named_children(args).collect();
    if name.ends_with("NoCopy") {
        return !args.iter().any(|a| text(*a) == "C.kCFAllocatorNull");
    }
    args.iter().any(|a| {
        let mut n = *a;
        // Through conversions: `(*[0]byte)(unsafe.Pointer(C.free))`.
        for _ in 0..MAX_CONVERSIONS {
            n = match n.kind() {
                kinds::PARENTHESIZED_EXPRESSION => match n.named_child(0) {
                    Some(inner) => inner,
                    None => return false,
                },
                kinds::CALL_EXPRESSION | kinds::TYPE_CONVERSION_EXPRESSION => {
                    let operand = n
                        .child_by_field_name("operand")
                        .or_else(|| n.child_by_field_name("arguments")?.named_child(0));
                    match operand {
                        Some(inner) => inner,
                        None => return false,
                    }
                }
                _ => break,
            };
        }
        n.kind() == kinds::SELECTOR_EXPRESSION && text(n) == "C.free"
    })
}

/// How many conversions wrap a destructor argument before it is not looked for.
const MAX_CONVERSIONS: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    const HELPERS: &str = r#"
#include <stdlib.h>
#define FREE_IT(p) \
    free(p)
typedef struct { char *name; } holder;
static void take(char *s) { free((void *)s); }
static void keep(holder *h, const char *name) { h->name = (char *)name; }
static int greet(const char* name) { return printf("hi %s\n", name); }
static void copy_out(char **out, char *v) { *out = v; }
static void result_text(void *ctx, const char *s) { set_text(ctx, s, -1, &free); }
static void local_only(char *v) { char *w; w = v; (void)w; }
static void cmp(char *v, char *w) { if (v == w) return; }
int count(void) { return 0; }
"#;

    fn fate_of(name: &str, index: usize) -> Option<CParamFate> {
        let tokens = tokenize(HELPERS);
        let def = definitions(&tokens).find(|d| d.name == name)?;
        fate(def.body, def.params.get(index)?)
    }

    #[test]
    fn frees_and_stores_take_ownership() {
        assert_eq!(fate_of("take", 0), Some(CParamFate::Frees));
        assert_eq!(fate_of("keep", 1), Some(CParamFate::Keeps));
        assert_eq!(fate_of("copy_out", 1), Some(CParamFate::Keeps));
        assert_eq!(fate_of("result_text", 1), Some(CParamFate::Frees));
        // Which argument the destructor is for is not known: every pointer handed on with it counts.
        assert_eq!(fate_of("result_text", 0), Some(CParamFate::Frees));
    }

    #[test]
    fn reads_and_local_copies_borrow() {
        assert_eq!(fate_of("greet", 0), None);
        assert_eq!(fate_of("keep", 0), None);
        assert_eq!(fate_of("local_only", 0), None);
        assert_eq!(fate_of("cmp", 0), None);
        assert_eq!(fate_of("count", 0), None);
        assert_eq!(fate_of("missing", 0), None);
    }

    #[test]
    fn declared_realloc_shape_keeps() {
        let tokens = tokenize(
            "#include <stdlib.h>\nextern char *escape(char *str);\nchar *dup(const char *s);\n\
             int len(char *s);\nextern void *grow(void *p, size_t n);\nstatic char *own(char *s) { return s; }\n",
        );
        assert_eq!(declared_fate(&tokens, "escape", 0), Some(CParamFate::Keeps));
        assert_eq!(declared_fate(&tokens, "grow", 0), Some(CParamFate::Keeps));
        assert_eq!(declared_fate(&tokens, "grow", 1), None);
        assert_eq!(declared_fate(&tokens, "dup", 0), None);
        assert_eq!(declared_fate(&tokens, "len", 0), None);
        assert_eq!(declared_fate(&tokens, "own", 0), None);
        assert_eq!(declared_fate(&tokens, "missing", 0), None);
    }

    #[test]
    fn unbalanced_text_is_harmless() {
        let tokens = tokenize("void f(char *p) { free(p ");
        let d = definitions(&tokens)
            .next()
            .map(|d| fate(d.body, d.params[0]));
        assert_eq!(d, Some(None));
        assert!(definitions(&tokens).next().is_some_and(|d| d.name == "f"));
        let tokens = tokenize("}}}) ( { \"unterminated");
        assert_eq!(definitions(&tokens).count(), 0);
    }
}
