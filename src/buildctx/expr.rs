//! Build constraint expressions, as `go/build/constraint` reads them:
//! `//go:build` lines (`&&`, `||`, `!`, parentheses, with `!` binding
//! tightest and `&&` tighter than `||`) and legacy `// +build` lines
//! (space-separated options OR-ed, comma-separated terms AND-ed).

/// A parsed build constraint. Chains of one operator are kept flat, so a
/// long `a || b || c …` line never nests; only parentheses and `!` do, and
/// the parser bounds that ([`MAX_NESTING`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A build tag: `linux`, `cgo`, `go1.21`, `integration`.
    Tag(String),
    /// `!x`.
    Not(Box<Expr>),
    /// `x && y && …`.
    And(Vec<Expr>),
    /// `x || y || …`.
    Or(Vec<Expr>),
}

/// How deeply parentheses and `!` may nest in one `//go:build` line: far
/// beyond any real constraint, small enough that evaluating and dropping the
/// tree never threatens the stack.
pub const MAX_NESTING: usize = 100;

impl Expr {
    /// Whether the expression holds when exactly the tags for which `ok`
    /// holds are set.
    pub fn eval(&self, ok: &mut impl FnMut(&str) -> bool) -> bool {
        // Every operand is evaluated, as go/build does, so `ok` sees every tag.
        match self {
            Expr::Tag(t) => ok(t),
            Expr::Not(x) => !x.eval(&mut *ok),
            Expr::And(xs) => {
                let mut all = true;
                for x in xs {
                    all &= x.eval(&mut *ok);
                }
                all
            }
            Expr::Or(xs) => {
                let mut any = false;
                for x in xs {
                    any |= x.eval(&mut *ok);
                }
                any
            }
        }
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, xs: &[Expr], op: &str| {
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    f.write_str(op)?;
                }
                match x {
                    Expr::And(_) | Expr::Or(_) => write!(f, "({x})")?,
                    _ => write!(f, "{x}")?,
                }
            }
            Ok(())
        };
        match self {
            Expr::Tag(t) => f.write_str(t),
            Expr::Not(x) => match **x {
                Expr::And(_) | Expr::Or(_) => write!(f, "!({x})"),
                _ => write!(f, "!{x}"),
            },
            Expr::And(xs) => join(f, xs, " && "),
            Expr::Or(xs) => join(f, xs, " || "),
        }
    }
}

/// Why a `//go:build` expression does not parse, with go/build's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the expression where the error was found.
    pub offset: usize,
    /// What is wrong: `missing close paren`, `unexpected token )`, ….
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The expression of a `//go:build` line (`//go:build` followed by white
/// space or nothing), or `None` when the line is not one.
pub fn split_go_build(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.contains('\n') {
        return None;
    }
    let rest = line.trim().strip_prefix("//go:build")?;
    let trimmed = rest.trim();
    // `//go:buildx` is another directive.
    (rest.is_empty() || trimmed.len() < rest.len()).then_some(trimmed)
}

/// The expression of a `// +build` line (`//`, optional space, `+build`,
/// then white space or nothing), or `None` when the line is not one.
pub fn split_plus_build(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.contains('\n') {
        return None;
    }
    let rest = line.strip_prefix("//")?.trim().strip_prefix("+build")?;
    let trimmed = rest.trim();
    (rest.is_empty() || trimmed.len() < rest.len()).then_some(trimmed)
}

/// Parses the expression of a `//go:build` line.
pub fn parse_go_build(text: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser {
        s: text,
        i: 0,
        tok: Tok::End,
        pos: 0,
        depth: 0,
    };
    let x = p.or()?;
    if p.tok != Tok::End {
        return Err(p.error(p.pos, format!("unexpected token {}", p.tok.text())));
    }
    Ok(x)
}

/// Parses the expression of a `// +build` line. Legacy lines never fail:
/// an invalid term becomes the tag `ignore`, which is never set, exactly as
/// go/build reads them; an empty line is `ignore` too.
pub fn parse_plus_build(text: &str) -> Expr {
    let mut options: Vec<Expr> = text
        .split_whitespace()
        .map(|option| {
            let mut terms: Vec<Expr> = option.split(',').map(plus_build_term).collect();
            if terms.len() == 1 {
                terms.pop().expect("one term")
            } else {
                Expr::And(terms)
            }
        })
        .collect();
    match options.len() {
        0 => Expr::Tag("ignore".into()),
        1 => options.pop().expect("one option"),
        _ => Expr::Or(options),
    }
}

fn plus_build_term(lit: &str) -> Expr {
    if lit.starts_with("!!") || lit == "!" {
        return Expr::Tag("ignore".into());
    }
    let (neg, name) = match lit.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, lit),
    };
    let tag = if is_valid_tag(name) {
        Expr::Tag(name.into())
    } else {
        Expr::Tag("ignore".into())
    };
    if neg {
        Expr::Not(Box::new(tag))
    } else {
        tag
    }
}

/// Whether `word` is a build tag: letters, digits, `_` and `.`.
pub fn is_valid_tag(word: &str) -> bool {
    !word.is_empty() && word.chars().all(is_tag_char)
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'s> {
    End,
    LParen,
    RParen,
    Not,
    And,
    Or,
    Tag(&'s str),
}

impl Tok<'_> {
    fn text(&self) -> &str {
        match self {
            Tok::End => "",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Not => "!",
            Tok::And => "&&",
            Tok::Or => "||",
            Tok::Tag(t) => t,
        }
    }
}

/// A recursive-descent parser over one line; recursion happens only at `(`
/// and `!`, and stops at [`MAX_NESTING`].
struct Parser<'s> {
    s: &'s str,
    i: usize,
    tok: Tok<'s>,
    pos: usize,
    depth: usize,
}

const END_OF_EXPRESSION: &str = "unexpected end of expression";

impl<'s> Parser<'s> {
    fn error(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }

    /// `and { || and }`; on exit the next token is in `tok`.
    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let first = self.and()?;
        if self.tok != Tok::Or {
            return Ok(first);
        }
        let mut xs = vec![first];
        while self.tok == Tok::Or {
            xs.push(self.and()?);
        }
        Ok(Expr::Or(xs))
    }

    /// `not { && not }`.
    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let first = self.not()?;
        if self.tok != Tok::And {
            return Ok(first);
        }
        let mut xs = vec![first];
        while self.tok == Tok::And {
            xs.push(self.not()?);
        }
        Ok(Expr::And(xs))
    }

    /// `[!] atom`; a second `!` is an error, as in go/build.
    fn not(&mut self) -> Result<Expr, SyntaxError> {
        self.lex()?;
        if self.tok != Tok::Not {
            return self.atom();
        }
        self.lex()?;
        if self.tok == Tok::Not {
            return Err(self.error(self.pos, "double negation not allowed"));
        }
        self.enter()?;
        let x = self.atom()?;
        self.depth -= 1;
        Ok(Expr::Not(Box::new(x)))
    }

    /// A tag or `( or )`; the first token has been read.
    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        match self.tok {
            Tok::LParen => {
                let open = self.pos;
                self.enter()?;
                let x = self.or().map_err(|mut e| {
                    if e.message == END_OF_EXPRESSION {
                        e.message = "missing close paren".into();
                    }
                    e
                })?;
                if self.tok != Tok::RParen {
                    return Err(self.error(open, "missing close paren"));
                }
                self.depth -= 1;
                self.lex()?;
                Ok(x)
            }
            Tok::Tag(t) => {
                self.lex()?;
                Ok(Expr::Tag(t.to_string()))
            }
            Tok::End => Err(self.error(self.pos, END_OF_EXPRESSION)),
            other => Err(self.error(self.pos, format!("unexpected token {}", other.text()))),
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(
                self.pos,
                format!("expression nested more than {MAX_NESTING} levels deep"),
            ));
        }
        Ok(())
    }

    fn lex(&mut self) -> Result<(), SyntaxError> {
        let bytes = self.s.as_bytes();
        while self.i < bytes.len() && (bytes[self.i] == b' ' || bytes[self.i] == b'\t') {
            self.i += 1;
        }
        self.pos = self.i;
        let Some(&c) = bytes.get(self.i) else {
            self.tok = Tok::End;
            return Ok(());
        };
        let single = match c {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'!' => Some(Tok::Not),
            _ => None,
        };
        if let Some(t) = single {
            self.i += 1;
            self.tok = t;
            return Ok(());
        }
        if c == b'&' || c == b'|' {
            if bytes.get(self.i + 1) != Some(&c) {
                return Err(self.error(self.i, format!("invalid syntax at {}", c as char)));
            }
            self.i += 2;
            self.tok = if c == b'&' { Tok::And } else { Tok::Or };
            return Ok(());
        }
        let rest = &self.s[self.i..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_tag_char(c))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            return Err(self.error(self.i, format!("invalid syntax at {c}")));
        }
        self.tok = Tok::Tag(&rest[..len]);
        self.i += len;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Expr {
        parse_go_build(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn err(s: &str) -> String {
        parse_go_build(s).unwrap_err().message
    }

    fn holds(x: &Expr, tags: &[&str]) -> bool {
        x.eval(&mut |t| tags.contains(&t))
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(parse("linux").to_string(), "linux");
        assert_eq!(parse("!linux").to_string(), "!linux");
        assert_eq!(parse("a && b || c").to_string(), "(a && b) || c");
        assert_eq!(parse("a || b && c").to_string(), "a || (b && c)");
        assert_eq!(parse("!a && b").to_string(), "!a && b");
        assert_eq!(parse("!(a && b)").to_string(), "!(a && b)");
        assert_eq!(parse("(a || b) && c").to_string(), "(a || b) && c");
        assert_eq!(parse("a||b||c").to_string(), "a || b || c");
        assert_eq!(parse("\ta &&\tb ").to_string(), "a && b");
        assert_eq!(
            parse("go1.21 && amd64.v3 && my_tag").to_string(),
            "go1.21 && amd64.v3 && my_tag"
        );

        let x = parse("linux && (amd64 || arm64) && !cgo");
        assert!(holds(&x, &["linux", "amd64"]));
        assert!(holds(&x, &["linux", "arm64"]));
        assert!(!holds(&x, &["linux", "amd64", "cgo"]));
        assert!(!holds(&x, &["darwin", "amd64"]));
        let x = parse("a && b || c");
        assert!(holds(&x, &["c"]) && holds(&x, &["a", "b"]) && !holds(&x, &["a"]));
        let x = parse("a || b && c");
        assert!(holds(&x, &["a"]) && !holds(&x, &["b"]) && holds(&x, &["b", "c"]));
    }

    #[test]
    fn every_tag_is_consulted() {
        let mut seen = Vec::new();
        parse("a || b && !c").eval(&mut |t| {
            seen.push(t.to_string());
            true
        });
        assert_eq!(seen, ["a", "b", "c"]);
    }

    #[test]
    fn syntax_errors_read_as_go_build_words_them() {
        assert_eq!(err(""), "unexpected end of expression");
        assert_eq!(err("a &&"), "unexpected end of expression");
        assert_eq!(err("(a"), "missing close paren");
        assert_eq!(err("(a || (b)"), "missing close paren");
        assert_eq!(err("a)"), "unexpected token )");
        assert_eq!(err("a b"), "unexpected token b");
        assert_eq!(err("!!a"), "double negation not allowed");
        assert_eq!(err("a & b"), "invalid syntax at &");
        assert_eq!(err("a | b"), "invalid syntax at |");
        assert_eq!(err("a-b"), "invalid syntax at -");
        assert_eq!(err("a && ()"), "unexpected token )");
        let e = parse_go_build("linux && (").unwrap_err();
        assert_eq!((e.offset, e.message.as_str()), (10, "missing close paren"));
        // `!(!a)` is fine: only two `!` in a row are refused.
        assert_eq!(parse("!(!a)").to_string(), "!!a");
    }

    #[test]
    fn nesting_is_bounded_and_long_chains_stay_flat() {
        let deep = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(parse(&deep(MAX_NESTING)).to_string(), "a");
        assert!(err(&deep(MAX_NESTING + 1)).contains("nested more than"));
        assert!(err(&deep(100_000)).contains("nested more than"));
        let nots = "!(".repeat(60) + "a" + &")".repeat(60);
        assert!(err(&nots).contains("nested more than"));
        let chain = vec!["t"; 100_000].join(" || ");
        match parse(&chain) {
            Expr::Or(xs) => assert_eq!(xs.len(), 100_000),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn line_prefixes() {
        assert_eq!(split_go_build("//go:build linux"), Some("linux"));
        assert_eq!(split_go_build("//go:build  linux \n"), Some("linux"));
        assert_eq!(split_go_build("//go:build"), Some(""));
        assert_eq!(split_go_build("//go:buildlinux"), None);
        assert_eq!(split_go_build("// go:build linux"), None);
        assert_eq!(split_go_build("//go:build a\n//go:build b"), None);
        assert_eq!(split_plus_build("// +build linux"), Some("linux"));
        assert_eq!(
            split_plus_build("//+build linux darwin"),
            Some("linux darwin")
        );
        assert_eq!(split_plus_build("// +build"), Some(""));
        assert_eq!(split_plus_build("// +buildx"), None);
        assert_eq!(split_plus_build("/* +build linux */"), None);
    }

    #[test]
    fn legacy_lines() {
        let x = parse_plus_build("linux,amd64 darwin !cgo");
        assert_eq!(x.to_string(), "(linux && amd64) || darwin || !cgo");
        assert!(holds(&x, &["linux", "amd64", "cgo"]));
        assert!(!holds(&x, &["linux", "cgo"]));
        assert!(holds(&x, &[]));
        // Invalid terms are `ignore`, never set; `!invalid` is therefore set.
        assert_eq!(parse_plus_build("!!linux").to_string(), "ignore");
        assert_eq!(parse_plus_build("!").to_string(), "ignore");
        assert_eq!(parse_plus_build("a-b").to_string(), "ignore");
        assert_eq!(parse_plus_build("!a-b").to_string(), "!ignore");
        assert_eq!(parse_plus_build("").to_string(), "ignore");
        assert_eq!(parse_plus_build("linux,").to_string(), "linux && ignore");
    }
}
