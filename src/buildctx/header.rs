//! Where build constraints may appear: the leading run of comments and
//! blank lines before the package clause, read exactly as go/build reads it.
//!
//! A `//go:build` line counts anywhere in that run (it needs no blank line
//! after it; a second one is an error). A `// +build` line counts only when
//! a blank line follows it before the first line that is not a `//`
//! comment, so that it cannot be mistaken for package documentation.

use super::expr::{split_go_build, split_plus_build};

/// The constraint lines of a file's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header<'s> {
    /// The `//go:build` line, with where it is.
    pub go_build: Option<Line<'s>>,
    /// The `// +build` lines that count (only used without `//go:build`).
    pub plus_build: Vec<Line<'s>>,
    /// Whether the header ended within the content (text that is not a
    /// comment follows it), so that no constraint can come later.
    pub complete: bool,
}

/// One constraint line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'s> {
    /// The line number, from 1.
    pub line: usize,
    /// The 1-based byte column where the expression starts.
    pub column: usize,
    /// The expression after `//go:build` or `// +build`, trimmed.
    pub expr: &'s str,
}

/// A header go/build refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipleGoBuild {
    /// The line of the second `//go:build`.
    pub line: usize,
}

/// Reads the constraint lines of `content` (the start of a file; reading
/// stops at the first text that is not a comment).
pub fn scan(content: &str) -> Result<Header<'_>, MultipleGoBuild> {
    let mut go_build: Option<Line<'_>> = None;
    // Lines of `//` comments seen so far, and the number of those that a
    // blank line has closed off (where `// +build` lines may be).
    let mut comment_lines: Vec<(usize, &str)> = Vec::new();
    let mut before_blank = 0;
    let mut ended = false;
    let mut in_slash_star = false;
    let mut complete = false;
    'lines: for (index, raw) in content.split_inclusive('\n').enumerate() {
        let raw = raw.strip_suffix('\n').unwrap_or(raw);
        let mut line = raw.trim();
        if line.is_empty() && !ended {
            before_blank = comment_lines.len();
            continue;
        }
        if !line.starts_with("//") {
            ended = true;
        }
        if !in_slash_star {
            if let Some(expr) = split_go_build(line) {
                if go_build.is_some() {
                    return Err(MultipleGoBuild { line: index + 1 });
                }
                go_build = Some(Line {
                    line: index + 1,
                    column: column_of(raw, expr),
                    expr,
                });
            }
        }
        if !ended {
            comment_lines.push((index + 1, raw));
        }
        // Skip the comments of this line; any other text ends the header.
        while !line.is_empty() {
            if in_slash_star {
                match line.find("*/") {
                    Some(i) => {
                        in_slash_star = false;
                        line = line[i + 2..].trim();
                        continue;
                    }
                    None => continue 'lines,
                }
            }
            if line.starts_with("//") {
                continue 'lines;
            }
            if let Some(rest) = line.strip_prefix("/*") {
                in_slash_star = true;
                line = rest.trim();
                continue;
            }
            complete = true;
            break 'lines;
        }
    }
    let plus_build = comment_lines[..before_blank]
        .iter()
        .filter_map(|&(line, raw)| {
            let expr = split_plus_build(raw.trim())?;
            Some(Line {
                line,
                column: column_of(raw, expr),
                expr,
            })
        })
        .collect();
    Ok(Header {
        go_build,
        plus_build,
        complete,
    })
}

/// The 1-based column of `expr`, a subslice of `raw`.
fn column_of(raw: &str, expr: &str) -> usize {
    expr.as_ptr() as usize - raw.as_ptr() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go_build(src: &str) -> Option<(usize, usize, &str)> {
        scan(src)
            .unwrap()
            .go_build
            .map(|l| (l.line, l.column, l.expr))
    }

    fn plus_build(src: &str) -> Vec<&str> {
        scan(src)
            .unwrap()
            .plus_build
            .iter()
            .map(|l| l.expr)
            .collect()
    }

    #[test]
    fn go_build_counts_anywhere_before_the_package_clause() {
        assert_eq!(
            go_build("//go:build linux\n\npackage p\n"),
            Some((1, 12, "linux"))
        );
        // No blank line needed (go/build reads it as a constraint all the same).
        assert_eq!(
            go_build("//go:build linux\npackage p\n"),
            Some((1, 12, "linux"))
        );
        assert_eq!(
            go_build("// Copyright\n\n  //go:build  a && b\n\n// Package p.\npackage p\n"),
            Some((3, 15, "a && b"))
        );
        // After a /* */ comment, still in the header.
        assert_eq!(
            go_build("/* c */\n//go:build x\npackage p\n"),
            Some((2, 12, "x"))
        );
        // Inside a /* */ comment, or after the package clause: not a constraint.
        assert_eq!(go_build("/*\n//go:build x\n*/\npackage p\n"), None);
        assert_eq!(go_build("package p\n\n//go:build x\n"), None);
        assert_eq!(go_build("package p //go:build x\n"), None);
        assert_eq!(go_build("//go:buildx\npackage p\n"), None);
    }

    #[test]
    fn a_second_go_build_line_is_an_error() {
        assert_eq!(
            scan("//go:build a\n//go:build b\n\npackage p\n"),
            Err(MultipleGoBuild { line: 2 })
        );
    }

    #[test]
    fn plus_build_needs_a_blank_line_after_it() {
        assert_eq!(plus_build("// +build linux\n\npackage p\n"), ["linux"]);
        assert_eq!(
            plus_build("// +build linux darwin\n// +build amd64\n\npackage p\n"),
            ["linux darwin", "amd64"]
        );
        // Directly above the package clause it is documentation.
        assert!(plus_build("// +build linux\npackage p\n").is_empty());
        assert_eq!(plus_build("// +build a\n\n// +build b\npackage p\n"), ["a"]);
        // Nothing after a /* */ comment starts the header again.
        assert!(plus_build("/* x */\n// +build linux\n\npackage p\n").is_empty());
        assert!(plus_build("package p\n\n// +build linux\n\n").is_empty());
        // A file of only comments: a constraint followed by a blank line counts.
        assert_eq!(plus_build("// +build ignore\n\n"), ["ignore"]);
        assert!(plus_build("").is_empty());
    }

    #[test]
    fn the_header_is_complete_once_code_follows() {
        assert!(scan("// c\n\npackage p\n").unwrap().complete);
        assert!(!scan("// c\n\n// d\n").unwrap().complete);
        assert!(!scan("/* open comment\n").unwrap().complete);
    }

    #[test]
    fn windows_line_endings() {
        assert_eq!(
            go_build("//go:build linux\r\n\r\npackage p\r\n"),
            Some((1, 12, "linux"))
        );
        assert_eq!(
            plus_build("// +build linux\r\n\r\npackage p\r\n"),
            ["linux"]
        );
    }
}
