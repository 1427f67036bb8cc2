//! A streaming parser for every text shape of a goroutine dump: `debug=2`
//! blocks (also amid a panic or `SIGQUIT` traceback), and the grouped
//! `debug=1` goroutine and goroutineleak profiles. It is fed one line at a
//! time and hands each goroutine (or `debug=1` record) on as soon as it ends,
//! so that nothing but the current block is held.

/// Frames kept per goroutine: the runtime prints at most 100 (50 + 50 when it
/// elides), and a malformed dump must not grow a stack without bound.
pub const MAX_FRAMES: usize = 128;

/// One frame: the function and where it was.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Frame {
    /// The function, as printed: `example.com/m/pkg.(*T).Method.func1`.
    pub func: String,
    /// The file, as printed on the build machine.
    pub file: String,
    /// 1-based line; 0 when the dump had none.
    pub line: u32,
}

impl Frame {
    /// The import path of the function's package, with Go's `%2e` escape of
    /// dots in the last element undone: `example.com/m/pkg` for the example.
    pub fn package(&self) -> String {
        package_of(&self.func)
    }
}

/// The import path of a printed function name's package.
pub fn package_of(func: &str) -> String {
    let slash = func.rfind('/').map_or(0, |i| i + 1);
    let end = func[slash..].find('.').map_or(func.len(), |i| slash + i);
    func[..end].replace("%2e", ".")
}

/// Where a goroutine was started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedBy {
    /// The `go` statement's function and line.
    pub frame: Frame,
    /// The creating goroutine (`in goroutine N`, Go 1.21+).
    pub parent: Option<u64>,
}

/// Which text shape a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One block per goroutine (`debug=2`, panics, `SIGQUIT`).
    PerGoroutine,
    /// `goroutine profile: total N` (`debug=1`).
    GoroutineProfile,
    /// `goroutineleak profile: total N` (`debug=1`): every record is leaked.
    LeakProfile,
}

/// A goroutine, or a `debug=1` record of `count` goroutines with one stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goroutine {
    /// How many goroutines: 1, or a `debug=1` record's count.
    pub count: u64,
    /// The goroutine id (`debug=2` only).
    pub id: Option<u64>,
    /// The wait reason or status (`chan send`, `running`); `debug=1` has none.
    pub wait_reason: Option<String>,
    /// Minutes blocked, when the runtime printed them.
    pub wait_minutes: Option<u64>,
    /// Whether the runtime marked it leaked.
    pub leaked: bool,
    /// Whether the header said `locked to thread`.
    pub locked_to_thread: bool,
    /// pprof labels as printed (`{"k":"v"}`).
    pub labels: Option<String>,
    /// Innermost first.
    pub frames: Vec<Frame>,
    /// Whether the runtime elided frames.
    pub elided: bool,
    /// Where it was started.
    pub created_by: Option<CreatedBy>,
    /// Where it came from.
    pub shape: Shape,
    /// 1-based dump line of its header.
    pub line: u64,
}

impl Goroutine {
    fn new(shape: Shape, line: u64) -> Goroutine {
        Goroutine {
            count: 1,
            id: None,
            wait_reason: None,
            wait_minutes: None,
            leaked: shape == Shape::LeakProfile,
            locked_to_thread: false,
            labels: None,
            frames: Vec::new(),
            elided: false,
            created_by: None,
            shape,
            line,
        }
    }
}

/// What the parser noticed about the dump besides goroutines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseStats {
    /// Goroutines counted (a `debug=1` record counts its `count`).
    pub goroutines: u64,
    /// Records handed on.
    pub records: u64,
    /// The `total N` of a `debug=1` header, summed over headers.
    pub declared_total: Option<u64>,
    /// Blocks that ended without a single frame.
    pub empty_blocks: u64,
    /// Frame lines that did not parse inside a block.
    pub bad_lines: u64,
    /// The 1-based line of the first bad line.
    pub first_bad_line: Option<u64>,
    /// Whether some text looked like a dump but had NUL bytes.
    pub binary: bool,
    /// Whether a goroutineleak profile header was seen.
    pub leak_profile: bool,
    /// Whether a `debug=1` header was seen.
    pub grouped: bool,
    /// Non-blank lines outside any goroutine block (a traceback's other output).
    pub other_lines: u64,
}

enum State {
    Outside,
    /// A `debug=2` block; `pending` is a function line waiting for its file line.
    Block {
        g: Goroutine,
        pending: Option<Pending>,
    },
    /// A `debug=1` record.
    Record(Goroutine),
}

enum Pending {
    Call(String),
    CreatedBy(String, Option<u64>),
}

/// The streaming parser.
pub struct Parser {
    state: State,
    profile: Shape,
    /// What it noticed.
    pub stats: ParseStats,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    /// A parser at the start of a dump.
    pub fn new() -> Parser {
        Parser {
            state: State::Outside,
            profile: Shape::GoroutineProfile,
            stats: ParseStats::default(),
        }
    }

    /// Feeds the next line (without its line ending); `emit` receives every
    /// goroutine that ends with it.
    pub fn line(&mut self, number: u64, raw: &[u8], emit: &mut impl FnMut(Goroutine)) {
        if raw.contains(&0) {
            self.stats.binary = true;
        }
        let text = String::from_utf8_lossy(raw);
        let line = text.as_ref();
        let state = std::mem::replace(&mut self.state, State::Outside);
        self.state = match state {
            State::Outside => self.outside(number, line, emit),
            State::Block { g, pending } => self.in_block(number, line, g, pending, emit),
            State::Record(g) => self.in_record(number, line, g, emit),
        };
    }

    /// Ends the dump, handing on the goroutine still open.
    pub fn finish(&mut self, emit: &mut impl FnMut(Goroutine)) {
        match std::mem::replace(&mut self.state, State::Outside) {
            State::Outside => {}
            State::Block { g, pending } => {
                // A function line cut before its file line still names the frame.
                let g = match pending {
                    Some(p) => with_pending(g, p, String::new(), 0),
                    None => g,
                };
                self.end(g, emit)
            }
            State::Record(g) => self.end(g, emit),
        }
    }

    fn end(&mut self, g: Goroutine, emit: &mut impl FnMut(Goroutine)) {
        if g.frames.is_empty() && g.created_by.is_none() {
            self.stats.empty_blocks += 1;
            return;
        }
        self.stats.goroutines = self.stats.goroutines.saturating_add(g.count);
        self.stats.records += 1;
        emit(g);
    }

    fn bad(&mut self, number: u64) {
        self.stats.bad_lines += 1;
        self.stats.first_bad_line.get_or_insert(number);
    }

    fn outside(&mut self, number: u64, line: &str, emit: &mut impl FnMut(Goroutine)) -> State {
        if let Some(g) = parse_header(line, number) {
            return State::Block { g, pending: None };
        }
        if let Some((leak, total)) = parse_profile_header(line) {
            self.stats.grouped = true;
            self.stats.leak_profile |= leak;
            self.profile = if leak {
                Shape::LeakProfile
            } else {
                Shape::GoroutineProfile
            };
            let sum = self.stats.declared_total.unwrap_or(0).saturating_add(total);
            self.stats.declared_total = Some(sum);
            return State::Outside;
        }
        if let Some(count) = parse_record_header(line) {
            let mut g = Goroutine::new(self.profile, number);
            g.count = count;
            return State::Record(g);
        }
        let _ = emit;
        if !line.trim().is_empty() {
            self.stats.other_lines += 1;
        }
        State::Outside
    }

    fn in_block(
        &mut self,
        number: u64,
        line: &str,
        mut g: Goroutine,
        pending: Option<Pending>,
        emit: &mut impl FnMut(Goroutine),
    ) -> State {
        if let Some(rest) = line.strip_prefix('\t') {
            let Some(p) = pending else {
                // A file line without its function: keep going, count it.
                self.bad(number);
                return State::Block { g, pending: None };
            };
            match parse_file_line(rest) {
                Some((file, n)) => {
                    g = with_pending(g, p, file.to_string(), n);
                }
                None => {
                    self.bad(number);
                    g = with_pending(g, p, String::new(), 0);
                }
            }
            return State::Block { g, pending: None };
        }
        // Any other line closes a pending function line that had no file line.
        if let Some(p) = pending {
            g = with_pending(g, p, String::new(), 0);
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            self.end(g, emit);
            return State::Outside;
        }
        if trimmed.starts_with("...") && trimmed.contains("elided") {
            g.elided = true;
            return State::Block { g, pending: None };
        }
        if let Some(rest) = trimmed.strip_prefix("created by ") {
            let (func, parent) = match rest.rsplit_once(" in goroutine ") {
                Some((f, id)) => (f, id.trim().parse().ok()),
                None => (rest, None),
            };
            return State::Block {
                g,
                pending: Some(Pending::CreatedBy(func.trim().to_string(), parent)),
            };
        }
        if let Some(func) = parse_call(trimmed) {
            return State::Block {
                g,
                pending: Some(Pending::Call(func.to_string())),
            };
        }
        // Something else (a register dump, a log line): the block is over.
        self.end(g, emit);
        self.outside(number, line, emit)
    }

    fn in_record(
        &mut self,
        number: u64,
        line: &str,
        mut g: Goroutine,
        emit: &mut impl FnMut(Goroutine),
    ) -> State {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            self.end(g, emit);
            return State::Outside;
        }
        if let Some(labels) = trimmed.strip_prefix("# labels:") {
            g.labels = Some(labels.trim().to_string());
            return State::Record(g);
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            match parse_record_frame(rest) {
                Some(f) => {
                    if g.frames.len() < MAX_FRAMES {
                        g.frames.push(f);
                    } else {
                        g.elided = true;
                    }
                }
                None => self.bad(number),
            }
            return State::Record(g);
        }
        self.end(g, emit);
        self.outside(number, line, emit)
    }
}

fn with_pending(mut g: Goroutine, p: Pending, file: String, line: u32) -> Goroutine {
    match p {
        Pending::Call(func) => {
            if g.frames.len() < MAX_FRAMES {
                g.frames.push(Frame { func, file, line });
            } else {
                g.elided = true;
            }
        }
        Pending::CreatedBy(func, parent) => {
            g.created_by = Some(CreatedBy {
                frame: Frame { func, file, line },
                parent,
            });
        }
    }
    g
}

/// `goroutine 42 [chan send, 12 minutes]:` and its variants (`gp=… m=…`
/// before the bracket, `(leaked)`, `(scan)`, `(durable)`, `locked to thread`,
/// `synctest bubble N` and `labels:{…}` inside or after it).
pub fn parse_header(line: &str, number: u64) -> Option<Goroutine> {
    let rest = line.trim_end().strip_prefix("goroutine ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest.ends_with(':') {
        return None;
    }
    let id = rest[..digits].parse().ok();
    let rest = &rest[digits..rest.len() - 1];
    let (rest, labels) = take_labels(rest);
    let open = rest.find('[')?;
    let close = rest.rfind(']')?;
    if close < open {
        return None;
    }
    let mut g = Goroutine::new(Shape::PerGoroutine, number);
    g.id = id;
    g.labels = labels;
    let mut reason = None;
    for (i, item) in rest[open + 1..close].split(',').enumerate() {
        let mut item = item.trim().to_string();
        for mark in ["(leaked)", "(scan)", "(durable)"] {
            if let Some(at) = item.find(mark) {
                g.leaked |= mark == "(leaked)";
                item.replace_range(at..at + mark.len(), "");
                item = item.trim().to_string();
            }
        }
        if item.is_empty() {
            continue;
        }
        if let Some(n) = item
            .strip_suffix(" minutes")
            .or_else(|| item.strip_suffix(" minute"))
            .and_then(|n| n.trim().parse().ok())
        {
            g.wait_minutes = Some(n);
        } else if item == "locked to thread" {
            g.locked_to_thread = true;
        } else if item.starts_with("synctest bubble") || item == "durable" {
        } else if i == 0 || reason.is_none() {
            if item == "leaked" {
                g.leaked = true;
            } else {
                reason = Some(item);
            }
        }
    }
    g.wait_reason = reason;
    Some(g)
}

/// Removes a `labels:{…}` (or `labels: {…}`) object from a header, brace-balanced.
fn take_labels(s: &str) -> (String, Option<String>) {
    let Some(at) = s.find("labels:") else {
        return (s.to_string(), None);
    };
    let after = &s[at + "labels:".len()..];
    let start = after.len() - after.trim_start().len();
    let obj = &after[start..];
    if !obj.starts_with('{') {
        return (s.to_string(), None);
    }
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let mut end = obj.len();
    for (i, c) in obj.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let labels = obj[..end].to_string();
    let mut left = s[..at].trim_end().trim_end_matches(',').to_string();
    left.push_str(&after[start + end..]);
    (left, Some(labels))
}

/// `goroutine profile: total 127` or `goroutineleak profile: total 3`.
fn parse_profile_header(line: &str) -> Option<(bool, u64)> {
    let line = line.trim();
    let (leak, rest) = if let Some(r) = line.strip_prefix("goroutineleak profile: total ") {
        (true, r)
    } else {
        (false, line.strip_prefix("goroutine profile: total ")?)
    };
    Some((leak, rest.trim().parse().ok()?))
}

/// `120 @ 0x437a96 0x4053cc …`.
fn parse_record_header(line: &str) -> Option<u64> {
    let (count, pcs) = line.trim().split_once(" @ ")?;
    if !pcs.split_whitespace().all(|p| p.starts_with("0x")) {
        return None;
    }
    count.trim().parse().ok()
}

/// `#\t0x4b8a5b\tpkg.fn+0x5b\t/path/file.go:20` (the `#` already removed).
fn parse_record_frame(rest: &str) -> Option<Frame> {
    let mut parts = rest.trim().splitn(2, char::is_whitespace);
    let pc = parts.next()?;
    if !pc.starts_with("0x") {
        return None;
    }
    let rest = parts.next()?.trim_start();
    let (sym, loc) = rest.split_once(char::is_whitespace)?;
    let func = match sym.rfind("+0x") {
        Some(i) => &sym[..i],
        None => sym,
    };
    let (file, line) = parse_file_line(loc.trim())?;
    Some(Frame {
        func: func.to_string(),
        file: file.to_string(),
        line,
    })
}

/// `/path/file.go:20 +0x5c` (or with ` fp=… sp=… pc=…`): the file and line.
/// The line is the last `:N` followed by the end or a space, so that Windows
/// drive letters and spaces in paths survive.
pub fn parse_file_line(s: &str) -> Option<(&str, u32)> {
    let bytes = s.as_bytes();
    let mut best = None;
    for (i, _) in s.match_indices(':') {
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            continue;
        }
        let end = i + 1 + digits;
        if end == bytes.len() || bytes[end] == b' ' {
            best = Some((i, end));
        }
    }
    let (colon, end) = best?;
    let file = s[..colon].trim();
    if file.is_empty() {
        return None;
    }
    Some((file, s[colon + 1..end].parse().ok()?))
}

/// `pkg.fn(0xc000…, …)` or `pkg.fn(...)`: the function name, without its
/// argument list (which may nest parentheses and braces).
fn parse_call(line: &str) -> Option<&str> {
    let s = line.trim();
    if !s.ends_with(')') || s.contains('\t') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    let name = &s[..i];
                    let ok = !name.is_empty()
                        && !name.contains(' ')
                        && name
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    return ok.then_some(name);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Goroutine>, ParseStats) {
        let mut p = Parser::new();
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            p.line(i as u64 + 1, l.as_bytes(), &mut |g| out.push(g));
        }
        p.finish(&mut |g| out.push(g));
        (out, p.stats)
    }

    #[test]
    fn header_variants() {
        let g = parse_header("goroutine 42 [chan send, 12 minutes]:", 1).unwrap();
        assert_eq!(g.id, Some(42));
        assert_eq!(g.wait_reason.as_deref(), Some("chan send"));
        assert_eq!(g.wait_minutes, Some(12));
        let g = parse_header(
            "goroutine 7 gp=0xc000007 m=nil [select (no cases) (leaked), 1 minute, locked to thread]:",
            1,
        )
        .unwrap();
        assert_eq!(g.wait_reason.as_deref(), Some("select (no cases)"));
        assert!(g.leaked && g.locked_to_thread);
        assert_eq!(g.wait_minutes, Some(1));
        let g = parse_header(
            r#"goroutine 9 [chan receive, synctest bubble 3, labels:{"a":"x, y}","b":"2"}]:"#,
            1,
        )
        .unwrap();
        assert_eq!(g.wait_reason.as_deref(), Some("chan receive"));
        assert_eq!(g.labels.as_deref(), Some(r#"{"a":"x, y}","b":"2"}"#));
        let g = parse_header(r#"goroutine 9 [IO wait] labels:{"k":"v"}:"#, 1).unwrap();
        assert_eq!(g.wait_reason.as_deref(), Some("IO wait"));
        assert_eq!(g.labels.as_deref(), Some(r#"{"k":"v"}"#));
        assert!(parse_header("goroutine profile: total 3", 1).is_none());
        assert!(parse_header("goroutine x [running]:", 1).is_none());
    }

    #[test]
    fn file_lines() {
        assert_eq!(parse_file_line("/a/b.go:20 +0x5c"), Some(("/a/b.go", 20)));
        assert_eq!(
            parse_file_line("C:/Program Files/x/b.go:7 +0x1 fp=0x1 sp=0x2 pc=0x3"),
            Some(("C:/Program Files/x/b.go", 7))
        );
        assert_eq!(parse_file_line(r"C:\src\b.go:9"), Some((r"C:\src\b.go", 9)));
        assert_eq!(parse_file_line("nothing"), None);
        assert_eq!(parse_file_line(":12"), None);
    }

    #[test]
    fn calls_and_packages() {
        assert_eq!(
            parse_call("example.com/m/p.(*T).Get(0xc0, {0x1, 0x2})"),
            Some("example.com/m/p.(*T).Get")
        );
        assert_eq!(parse_call("main.F[...](...)"), Some("main.F[...]"));
        assert_eq!(parse_call("panic: boom (x)"), None);
        assert_eq!(parse_call(")"), None);
        assert_eq!(package_of("example.com/m/p.(*T).Get"), "example.com/m/p");
        assert_eq!(
            package_of("gopkg.in/yaml%2ev3.Unmarshal"),
            "gopkg.in/yaml.v3"
        );
        assert_eq!(package_of("main.main"), "main");
    }

    #[test]
    fn debug2_blocks_with_created_by_and_elision() {
        let (gs, stats) = parse(
            "goroutine 18 [chan send, 3 minutes]:\n\
             m/w.Lookup.func1()\n\
             \t/src/w/w.go:20 +0x5c\n\
             ...additional frames elided...\n\
             created by m/w.Lookup in goroutine 1\n\
             \t/src/w/w.go:19 +0xbe\n\
             \n\
             goroutine 19 [running]:\n\
             main.main()\n",
        );
        assert_eq!(gs.len(), 2);
        assert_eq!(gs[0].frames[0].line, 20);
        assert!(gs[0].elided);
        let c = gs[0].created_by.as_ref().unwrap();
        assert_eq!((c.frame.line, c.parent), (19, Some(1)));
        assert_eq!(gs[1].frames[0].func, "main.main");
        assert_eq!(stats.goroutines, 2);
    }

    #[test]
    fn debug1_records() {
        let (gs, stats) = parse(
            "goroutineleak profile: total 5\n\
             5 @ 0x1 0x2\n\
             # labels: {\"k\":\"v\"}\n\
             #\t0x1\tm/w.Lookup.func1+0x5b\t/src/w/w.go:20\n\
             #\tbogus\n",
        );
        assert_eq!(gs.len(), 1);
        assert_eq!(gs[0].count, 5);
        assert!(gs[0].leaked);
        assert_eq!(gs[0].labels.as_deref(), Some("{\"k\":\"v\"}"));
        assert_eq!(stats.declared_total, Some(5));
        assert_eq!(stats.bad_lines, 1);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let pieces: [&[u8]; 12] = [
            b"goroutine 1 [",
            b"chan send, ",
            b"]:",
            b"\n",
            b"\t/a.go:",
            b"12 +0x1",
            b"pkg.f(",
            b")",
            b"created by ",
            b"labels:{\"",
            b"# ",
            b"3 @ 0x1",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let mut line = Vec::new();
            for _ in 0..(seed % 7) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.extend_from_slice(pieces[(seed % 12) as usize]);
                line.push((seed >> 32) as u8);
            }
            let mut p = Parser::new();
            for (i, l) in line.split(|&b| b == b'\n').enumerate() {
                p.line(i as u64, l, &mut |_| {});
            }
            p.finish(&mut |_| {});
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn garbage_yields_nothing() {
        let (gs, stats) = parse("hello\n\t/x.go:1\ngoroutine 1 [x]:\n\n12 @ zz\n");
        assert!(gs.is_empty());
        assert_eq!(stats.empty_blocks, 1);
    }
}
