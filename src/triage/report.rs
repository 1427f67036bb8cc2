//! The triage report: one serialisable value, printed as ranked text or as
//! JSON (schema in docs/triage.md).

use super::group::Group;
use super::join::{Explanation, Match};
use super::map::{Origin, SourceIndex};
use super::parse::Frame;
use serde::Serialize;
use std::io::{self, Write};

/// The version of the JSON schema.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub version: u32,
    /// What was read.
    pub dump: DumpInfo,
    /// The `--min-count` threshold.
    pub min_count: u64,
    /// Whether the run fails (exit 1).
    pub failing: bool,
    /// Groups, ranked.
    pub groups: Vec<GroupReport>,
}

/// What was read.
#[derive(Debug, Serialize)]
pub struct DumpInfo {
    /// The dump's path as given (`-` for stdin).
    pub path: String,
    /// `debug=2` (one block per goroutine), `traceback` (such blocks amid
    /// other output: a panic, a `SIGQUIT`), `debug=1` or `goroutineleak debug=1`.
    pub format: &'static str,
    /// Whether it was gzip-compressed.
    pub compressed: bool,
    /// Goroutines read.
    pub goroutines: u64,
    /// The `total N` a `debug=1` profile declares.
    pub declared_total: Option<u64>,
    /// Goroutines beyond the group limit, counted but not grouped.
    pub ungrouped: u64,
    /// Problems met while reading (truncation, cut lines, bad lines).
    pub warnings: Vec<String>,
}

/// One group.
#[derive(Debug, Serialize)]
pub struct GroupReport {
    /// 1-based rank.
    pub rank: usize,
    /// Goroutines.
    pub count: u64,
    /// Of which the runtime marked leaked.
    pub leaked: u64,
    /// The wait reason; `null` in a `debug=1` profile.
    pub wait_reason: Option<String>,
    /// The longest wait in minutes, when printed.
    pub longest_wait_minutes: Option<u64>,
    /// `explained`, `not-waiting` (running, runnable, in a system call),
    /// `unexplained` (parked in the user's code, no finding) or `outside`
    /// (no frame in the user's code).
    pub status: &'static str,
    /// The first frame outside the runtime.
    pub blocking: Option<FrameReport>,
    /// The first frame in the user's code, when it is not the blocking one.
    pub site: Option<FrameReport>,
    /// Where its goroutines were started, most frequent first.
    pub created_by: Vec<CreatedReport>,
    /// Distinct pprof label sets (a few).
    pub labels: Vec<String>,
    /// A few goroutine ids (`debug=2`).
    pub goroutine_ids: Vec<u64>,
    /// The first goroutine's stack, innermost first.
    pub stack: Vec<FrameReport>,
    /// Whether the runtime elided frames of that stack.
    pub elided: bool,
    /// The findings that explain it, strongest first.
    pub explanations: Vec<ExplanationReport>,
}

/// A frame.
#[derive(Debug, Clone, Serialize)]
pub struct FrameReport {
    /// The function as printed.
    pub function: String,
    /// The file as printed in the dump.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// `user`, `std`, `module-cache`, `vendor` or `unknown`.
    pub origin: &'static str,
    /// `module@version` for a module-cache frame.
    pub module: Option<String>,
    /// The user's file it maps to, as goleaklint shows paths.
    pub path: Option<String>,
    /// The source line there, trimmed.
    pub source: Option<String>,
}

/// A `created by` site.
#[derive(Debug, Serialize)]
pub struct CreatedReport {
    /// The `go` statement's frame.
    pub frame: FrameReport,
    /// Goroutines of the group started there.
    pub count: u64,
}

/// A finding that explains a group.
#[derive(Debug, Serialize)]
pub struct ExplanationReport {
    /// The rule.
    pub rule: &'static str,
    /// Its severity.
    pub severity: &'static str,
    /// Its message.
    pub message: String,
    /// Where it is reported.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    /// `stack-line`, `label-line`, `go-statement` or `same-function`.
    #[serde(rename = "match")]
    pub how: Match,
    /// The stack frame it meets (0 is innermost).
    pub frame: Option<usize>,
}

/// A frame for the report, mapped through `index`.
pub fn frame_report(index: &mut SourceIndex, f: &Frame) -> FrameReport {
    let origin = index.origin(f);
    let (name, module, path, source) = match &origin {
        Origin::User(i) => (
            "user",
            None,
            Some(index.files[*i].display.to_string()),
            index.line_text(*i, f.line),
        ),
        Origin::Std => ("std", None, None, None),
        Origin::ModuleCache(m) => ("module-cache", Some(m.clone()), None, None),
        Origin::Vendor => ("vendor", None, None, None),
        Origin::Unknown => ("unknown", None, None, None),
    };
    FrameReport {
        function: f.func.clone(),
        file: f.file.clone(),
        line: f.line,
        origin: name,
        module,
        path,
        source,
    }
}

/// Whether a goroutine status means it was not parked: nothing to explain.
fn not_waiting(status: &str) -> bool {
    matches!(
        status,
        "running" | "runnable" | "syscall" | "idle" | "dead" | "copystack" | "preempted"
    )
}

/// One group for the report.
pub fn group_report(
    rank: usize,
    g: &Group,
    index: &mut SourceIndex,
    explanations: &[Explanation<'_>],
) -> GroupReport {
    let stack: Vec<FrameReport> = g.stack.iter().map(|f| frame_report(index, f)).collect();
    let in_user_code = stack.iter().any(|f| f.origin == "user");
    let status = if !explanations.is_empty() {
        "explained"
    } else if g.key.wait_reason.as_deref().is_some_and(not_waiting) {
        "not-waiting"
    } else if in_user_code {
        "unexplained"
    } else {
        "outside"
    };
    GroupReport {
        rank,
        count: g.count,
        leaked: g.leaked,
        wait_reason: g.key.wait_reason.clone(),
        longest_wait_minutes: g.longest_wait_minutes,
        status,
        blocking: g.key.blocking.as_ref().map(|f| frame_report(index, f)),
        site: g.key.site.as_ref().map(|f| frame_report(index, f)),
        created_by: g
            .created_by
            .iter()
            .map(|(f, n)| CreatedReport {
                frame: frame_report(index, f),
                count: *n,
            })
            .collect(),
        labels: g.labels.clone(),
        goroutine_ids: g.ids.clone(),
        stack,
        elided: g.elided,
        explanations: explanations
            .iter()
            .map(|e| ExplanationReport {
                rule: e.diagnostic.rule.name(),
                severity: e.diagnostic.severity.as_str(),
                message: e.diagnostic.message.clone(),
                path: e.diagnostic.location.path.to_string(),
                line: e.diagnostic.location.start.line,
                column: e.diagnostic.location.start.column,
                how: e.how,
                frame: e.frame,
            })
            .collect(),
    }
}

/// Prints the report as JSON.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn place(f: &FrameReport) -> String {
    if f.file.is_empty() {
        return "(no file:line in the dump)".to_string();
    }
    match (&f.path, &f.module) {
        (Some(p), _) => format!("{p}:{}", f.line),
        (None, Some(m)) => format!("{}:{} (module cache, {m})", f.file, f.line),
        (None, None) => {
            let what = match f.origin {
                "std" => " (standard library)",
                "vendor" => " (vendored)",
                _ => "",
            };
            format!("{}:{}{what}", f.file, f.line)
        }
    }
}

fn minutes(m: u64) -> String {
    if m >= 120 {
        format!("{}h{:02}m", m / 60, m % 60)
    } else {
        plural(m, "minute", "minutes")
    }
}

/// Prints the report as ranked text: the first `top` groups (0: all).
pub fn write_text(report: &Report, top: usize, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.dump;
    writeln!(
        out,
        "{} in {} from {} ({}{})",
        plural(d.goroutines, "goroutine", "goroutines"),
        plural(report.groups.len() as u64, "group", "groups"),
        d.path,
        d.format,
        if d.compressed { ", gzip" } else { "" }
    )?;
    if d.format.ends_with("debug=1") {
        writeln!(
            out,
            "(a debug=1 profile prints no wait reasons and no `created by` sites; debug=2 does)"
        )?;
    }
    for w in &d.warnings {
        writeln!(out, "warning: {w}")?;
    }
    let shown = if top == 0 {
        report.groups.len()
    } else {
        top.min(report.groups.len())
    };
    for g in &report.groups[..shown] {
        writeln!(out)?;
        let mut head = format!("#{} {}", g.rank, plural(g.count, "goroutine", "goroutines"));
        if let Some(r) = &g.wait_reason {
            head.push_str(&format!(" [{r}]"));
        }
        if let Some(m) = g.longest_wait_minutes {
            head.push_str(&format!(", longest {}", minutes(m)));
        }
        if g.leaked > 0 {
            if g.leaked == g.count {
                head.push_str(", LEAKED (runtime)");
            } else {
                head.push_str(&format!(", {} LEAKED (runtime)", g.leaked));
            }
        }
        writeln!(out, "{head}")?;
        let main = g.site.as_ref().or(g.blocking.as_ref());
        if let Some(f) = main {
            writeln!(out, "  at {}  {}", place(f), f.function)?;
            if let Some(src) = &f.source {
                writeln!(out, "    {:>5} | {src}", f.line)?;
            }
        }
        if let (Some(_), Some(b)) = (&g.site, &g.blocking) {
            let verb = if g.status == "not-waiting" {
                "in"
            } else {
                "blocked in"
            };
            writeln!(out, "  {verb} {} at {}", b.function, place(b))?;
        }
        for c in g.created_by.iter().take(3) {
            let share = if g.created_by.len() > 1 {
                format!(" ({})", c.count)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  created by {} at {}{share}",
                c.frame.function,
                place(&c.frame)
            )?;
        }
        if g.created_by.len() > 3 {
            writeln!(
                out,
                "  … and {} more creation sites",
                g.created_by.len() - 3
            )?;
        }
        if let Some(l) = g.labels.first() {
            let more = if g.labels.len() > 1 {
                format!(" (and {} more label sets)", g.labels.len() - 1)
            } else {
                String::new()
            };
            writeln!(out, "  labels {l}{more}")?;
        }
        match g.status {
            "explained" => {
                for e in &g.explanations {
                    writeln!(
                        out,
                        "  explained by {} ({}) at {}:{}:{}: {}",
                        e.rule,
                        e.how.describe(),
                        e.path,
                        e.line,
                        e.column,
                        e.message
                    )?;
                }
            }
            "not-waiting" => writeln!(out, "  not waiting: it was on a CPU or ready to run")?,
            "unexplained" => writeln!(
                out,
                "  unexplained: no finding explains it; read the code at the line above"
            )?,
            _ => writeln!(
                out,
                "  outside your code: no frame maps to the analysed files"
            )?,
        }
    }
    if shown < report.groups.len() {
        let rest: u64 = report.groups[shown..].iter().map(|g| g.count).sum();
        let more = (report.groups.len() - shown) as u64;
        writeln!(
            out,
            "\n… {} ({}); --top 0 shows every group",
            plural(more, "more group", "more groups"),
            plural(rest, "goroutine", "goroutines")
        )?;
    }
    let big = report
        .groups
        .iter()
        .filter(|g| g.count >= report.min_count)
        .count();
    let leaked = report.groups.iter().filter(|g| g.leaked > 0).count();
    if report.failing {
        let mut why = Vec::new();
        if big > 0 {
            why.push(format!(
                "{} of at least {} goroutines (--min-count)",
                plural(big as u64, "group", "groups"),
                report.min_count
            ));
        }
        if leaked > 0 {
            why.push(format!(
                "{} marked leaked by the runtime",
                plural(leaked as u64, "group", "groups")
            ));
        }
        writeln!(out, "\nfailing: {}", why.join("; "))?;
    }
    Ok(())
}
