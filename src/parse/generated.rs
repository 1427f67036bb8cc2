//! Generated files (`// Code generated … DO NOT EDIT.` before the package
//! clause, as `go/ast.IsGenerated` reads it) are read for their declarations
//! only. No rule reports in them, so their function bodies serve nobody but
//! the package summaries, and those treat a function without a body
//! (assembly, `go:linkname`) as unknown: a call into generated code is
//! judged as a call into another package is. Blanking the bodies before
//! parsing skips most of the parser's work on such files (protobuf, gRPC,
//! mocks, bindata) and most of the memory their trees take.
//!
//! Bodies are found by a small Go lexer (comments, strings, runes and raw
//! strings are skipped whole), not by the parser: finding them with the
//! parser would cost the parse this saves. Blanking replaces every byte of
//! a body but newlines with a space, so offsets, lines and columns are those
//! of the original text, which the parsed file keeps.

/// Whether `text` has the generated-code comment before its first token:
/// a line comment `// Code generated … DO NOT EDIT.`.
pub fn is_generated(text: &str) -> bool {
    let mut lex = Lexer::new(text.as_bytes());
    while let Some(t) = lex.next() {
        match t.kind {
            Kind::LineComment => {
                if is_generated_comment(&text[t.start..t.end]) {
                    return true;
                }
            }
            Kind::BlockComment => {}
            _ => return false,
        }
    }
    false
}

/// Whether one line comment is the generated-code marker.
pub fn is_generated_comment(comment: &str) -> bool {
    let l = comment.trim_end();
    l.starts_with("// Code generated ") && l.ends_with(" DO NOT EDIT.")
}

/// `text` with the body of every function and method declaration blanked
/// (braces included, so each parses as a declaration without a body);
/// `None` when there is no body to blank.
pub fn without_bodies(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut lex = Lexer::new(bytes);
    let mut out: Option<Vec<u8>> = None;
    let mut depth = 0usize;
    let mut prev: Option<Token> = None;
    while let Some(t) = lex.next() {
        if t.kind.is_comment() {
            continue;
        }
        let starts_line = prev.is_none_or(|p| {
            p.kind == Kind::Semi
                || (p.kind.ends_statement() && bytes[p.end..t.start].contains(&b'\n'))
        });
        if depth == 0 && starts_line && t.is_ident(bytes, b"func") {
            lex.last = Some(t);
            if let Some((open, close)) = body(&mut lex, bytes) {
                let o = out.get_or_insert_with(|| bytes.to_vec());
                for b in &mut o[open..close] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                // As far as what follows is concerned, the declaration ended
                // with its signature: `)` or a result type.
                prev = Some(Token {
                    kind: Kind::Close,
                    start: close - 1,
                    end: close,
                });
                continue;
            }
            prev = lex.last;
            continue;
        }
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = Some(t);
    }
    // Only ASCII bytes of whole characters were replaced: still UTF-8.
    out.map(|o| String::from_utf8(o).expect("blanking keeps UTF-8"))
}

/// After a declaration's `func`: the byte range of its body (from `{`
/// to past `}`), or `None` when it has none, with the lexer left after the
/// signature (so the next token is read again by the caller's loop).
fn body(lex: &mut Lexer<'_>, bytes: &[u8]) -> Option<(usize, usize)> {
    let mut stack = 0usize;
    let mut last: Option<Token> = None;
    loop {
        let mark = lex.pos;
        let t = lex.next()?;
        if t.kind.is_comment() {
            continue;
        }
        if stack == 0 {
            let ended_line = last
                .is_some_and(|l| l.kind.ends_statement() && bytes[l.end..t.start].contains(&b'\n'));
            if ended_line || t.kind == Kind::Semi {
                // A declaration without a body: the line ended it.
                lex.pos = mark;
                return None;
            }
            if t.kind == Kind::Open && bytes[t.start] == b'{' {
                let type_literal = last.is_some_and(|l| {
                    l.is_ident(bytes, b"struct") || l.is_ident(bytes, b"interface")
                });
                if !type_literal {
                    return matching_close(lex, bytes).map(|close| (t.start, close));
                }
            }
        }
        match t.kind {
            Kind::Open => stack += 1,
            Kind::Close if stack == 0 => {
                // Unbalanced: not a signature this lexer understands.
                lex.pos = mark;
                return None;
            }
            Kind::Close => stack -= 1,
            _ => {}
        }
        last = Some(t);
        lex.last = last;
    }
}

/// After an opening `{`: the offset past its matching `}`.
fn matching_close(lex: &mut Lexer<'_>, bytes: &[u8]) -> Option<usize> {
    let mut depth = 1usize;
    while let Some(t) = lex.next() {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth -= 1;
                if depth == 0 {
                    return (bytes[t.start] == b'}').then_some(t.end);
                }
            }
            _ => {}
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A string, raw string, rune or number.
    Literal,
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    Semi,
    /// Any other operator or punctuation.
    Op,
    LineComment,
    BlockComment,
}

impl Kind {
    fn is_comment(self) -> bool {
        matches!(self, Kind::LineComment | Kind::BlockComment)
    }

    /// Whether a newline after a token of this kind ends the statement
    /// (the spec's semicolon insertion, near enough for declarations).
    fn ends_statement(self) -> bool {
        matches!(self, Kind::Ident | Kind::Literal | Kind::Close)
    }
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    fn is_ident(&self, bytes: &[u8], word: &[u8]) -> bool {
        self.kind == Kind::Ident && &bytes[self.start..self.end] == word
    }
}

/// Go tokens, coarsely: enough to tell comments, literals and brackets apart.
struct Lexer<'b> {
    b: &'b [u8],
    pos: usize,
    /// The last significant token [`body`] read (for its caller).
    last: Option<Token>,
}

impl<'b> Lexer<'b> {
    fn new(b: &'b [u8]) -> Lexer<'b> {
        Lexer {
            b,
            pos: 0,
            last: None,
        }
    }

    fn next(&mut self) -> Option<Token> {
        let b = self.b;
        while self.pos < b.len() && b[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        let c = *b.get(start)?;
        let kind = match c {
            b'/' if b.get(start + 1) == Some(&b'/') => {
                self.pos = find(b, start, b"\n").unwrap_or(b.len());
                Kind::LineComment
            }
            b'/' if b.get(start + 1) == Some(&b'*') => {
                self.pos = find(b, start + 2, b"*/").map_or(b.len(), |i| i + 2);
                Kind::BlockComment
            }
            b'"' | b'\'' => {
                self.pos = quoted_end(b, start, c);
                Kind::Literal
            }
            b'`' => {
                self.pos = find(b, start + 1, b"`").map_or(b.len(), |i| i + 1);
                Kind::Literal
            }
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Kind::Open
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Kind::Close
            }
            b';' => {
                self.pos += 1;
                Kind::Semi
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                while b
                    .get(self.pos)
                    .is_some_and(|&c| c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80)
                {
                    self.pos += 1;
                }
                Kind::Ident
            }
            c if c.is_ascii_digit() => {
                while b
                    .get(self.pos)
                    .is_some_and(|&c| c == b'_' || c == b'.' || c.is_ascii_alphanumeric())
                {
                    self.pos += 1;
                }
                Kind::Literal
            }
            _ => {
                self.pos += 1;
                Kind::Op
            }
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }
}

/// The first offset at or after `from` where `pat` starts.
fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|i| from + i)
}

/// Past the closing quote of the string or rune starting at `start` (or at
/// the end of its line, where an unterminated one stops).
fn quoted_end(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "// Code generated by protoc-gen-go. DO NOT EDIT.\n\n";

    #[test]
    fn the_header_comes_before_the_package_clause() {
        assert!(is_generated(&format!("{HEADER}package p\n")));
        assert!(is_generated(
            "// Copyright 2024.\n\n/* x */\n// Code generated by x. DO NOT EDIT.\npackage p\n"
        ));
        assert!(!is_generated(&format!("package p\n\n{HEADER}")));
        assert!(!is_generated(
            "// Code generated by hand, edit freely.\npackage p\n"
        ));
        assert!(!is_generated(
            "/* Code generated by x. DO NOT EDIT. */\npackage p\n"
        ));
        assert!(!is_generated(""));
    }

    /// The blanked text, with runs of blanks shown as one `_`.
    fn blanked(src: &str) -> String {
        let out = without_bodies(src).unwrap_or_else(|| src.to_string());
        assert_eq!(out.len(), src.len());
        assert_eq!(
            out.match_indices('\n').collect::<Vec<_>>(),
            src.match_indices('\n').collect::<Vec<_>>()
        );
        let mut s = String::new();
        for c in out.chars() {
            if c == ' ' {
                if !s.ends_with('_') {
                    s.push('_');
                }
            } else {
                s.push(c);
            }
        }
        s
    }

    #[test]
    fn function_and_method_bodies_are_blanked() {
        assert_eq!(
            blanked("package p\nfunc f(x int) int { return x }\n"),
            "package_p\nfunc_f(x_int)_int_\n"
        );
        assert_eq!(
            blanked("package p\nfunc (r *T) M(a interface{ N() }) struct{ x int } {\n\treturn struct{ x int }{}\n}\n"),
            "package_p\nfunc_(r_*T)_M(a_interface{_N()_})_struct{_x_int_}_\n_\n_\n"
        );
        assert_eq!(
            blanked("package p\nfunc G[T interface{ ~int }](t T) func() T {\n\treturn func() T { return t }\n}\n"),
            "package_p\nfunc_G[T_interface{_~int_}](t_T)_func()_T_\n_\n_\n"
        );
        assert_eq!(
            blanked("package p\nfunc f() map[string]struct{} { return nil }\nfunc g() chan struct{} { return nil }\n"),
            "package_p\nfunc_f()_map[string]struct{}_\nfunc_g()_chan_struct{}_\n"
        );
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        assert_eq!(
            blanked("package p\nfunc f() string {\n\t// }\n\t/* } */\n\treturn \"}\" + `}\n` + string('}') + \"\\\"}\"\n}\nvar x = 1\n"),
            "package_p\nfunc_f()_string_\n_\n_\n_\n_\n_\nvar_x_=_1\n"
        );
    }

    #[test]
    fn what_is_not_a_declaration_body_stays() {
        // Declarations without a body, func literals in variables, bodies of
        // types: all kept.
        let src = "package p\n\nfunc asm(x int) int\n\nvar f = func() { _ = 1 }\n\nvar g =\nfunc() {}\n\ntype T struct{ f func() }\n\nfunc h() {}\n";
        assert_eq!(
            blanked(src),
            "package_p\n\nfunc_asm(x_int)_int\n\nvar_f_=_func()_{__=_1_}\n\nvar_g_=\nfunc()_{}\n\ntype_T_struct{_f_func()_}\n\nfunc_h()_\n"
        );
        assert_eq!(without_bodies("package p\nfunc asm()\n"), None);
    }

    #[test]
    fn any_input_is_safe() {
        for src in [
            "func",
            "func f(",
            "func f() {",
            "func f() }",
            "func f() { \"unterminated\n}",
            "func f() { `raw",
            "func f() { /* open",
            "func f() { 'x",
            "}}}} func f() {}",
            "package é\nfunc é() { é := 1 }\n",
        ] {
            if let Some(out) = without_bodies(src) {
                assert_eq!(out.len(), src.len(), "{src}");
            }
        }
    }
}
