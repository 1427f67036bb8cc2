//! Control characters made visible for terminals: a file name, a message or
//! a line of source holding ESC, BEL or CR would otherwise reach the terminal
//! raw (an OSC title sequence, `ESC[2J`). They are shown escaped as `\x1b`,
//! `\n`, `\u{9b}`, as JSON and SARIF escape them; tabs stay, and so do the
//! newlines and CRLF line ends of source text.

use std::borrow::Cow;

/// How a control character is shown.
fn escaped(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        c if (c as u32) < 0x80 => format!("\\x{:02x}", c as u32),
        c => format!("\\u{{{:x}}}", c as u32),
    }
}

/// `s` with every control character but tab escaped, newlines included: for
/// one-line text (file names, messages).
pub fn line(s: &str) -> Cow<'_, str> {
    let escape = |c: char| c.is_control() && c != '\t';
    if !s.chars().any(escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text with its control characters escaped, and the map from byte
/// offsets in the original to offsets in the escaped text (for labels).
#[derive(Debug)]
pub struct Source {
    /// The escaped text.
    pub text: String,
    /// (original offset of an escaped character, bytes added up to and including it).
    shifts: Vec<(usize, usize)>,
}

impl Source {
    /// Escapes `text`, keeping tabs, newlines and the CR of a CRLF.
    pub fn new(text: &str) -> Source {
        let keep = |i: usize, c: char| {
            c == '\n' || c == '\t' || (c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
        };
        if !text
            .char_indices()
            .any(|(i, c)| c.is_control() && !keep(i, c))
        {
            return Source {
                text: text.to_string(),
                shifts: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut shifts = Vec::new();
        let mut added = 0;
        for (i, c) in text.char_indices() {
            if c.is_control() && !keep(i, c) {
                let e = escaped(c);
                added += e.len() - c.len_utf8();
                shifts.push((i, added));
                out.push_str(&e);
            } else {
                out.push(c);
            }
        }
        Source { text: out, shifts }
    }

    /// Where the original byte `offset` lies in the escaped text.
    pub fn map(&self, offset: usize) -> usize {
        // Characters escaped before `offset` push it right.
        let before = self.shifts.partition_point(|&(at, _)| at < offset);
        offset + before.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_maps_offsets() {
        assert_eq!(line("a\u{1b}[2J\nb\u{9b}"), "a\\x1b[2J\\nb\\u{9b}");
        assert!(matches!(line("plain\tname"), Cow::Borrowed(_)));
        let src = Source::new("ab\u{1b}cd\r\nef\rg\u{7}");
        assert_eq!(src.text, "ab\\x1bcd\r\nef\\rg\\x07");
        assert_eq!(src.map(0), 0);
        assert_eq!(src.map(2), 2, "the escape starts where ESC was");
        assert_eq!(src.map(3), 6, "c moved by three bytes");
        assert_eq!(&src.text[src.map(7)..src.map(9)], "ef");
    }
}
