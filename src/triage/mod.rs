//! `goleaklint triage DUMP [PATTERNS...]`: from a live service's goroutine
//! dump to the lines that leak.
//!
//! The dump is streamed ([`input`], [`parse`]) into groups keyed by where and
//! why the goroutines block ([`group`]); frames are mapped to the user's files
//! by path suffix ([`map`]); the packages they land in are analysed and each
//! group is joined to the findings at its lines ([`join`]); the ranked result
//! is printed as text or JSON ([`report`]).

pub mod group;
pub mod input;
pub mod join;
pub mod map;
pub mod parse;
pub mod report;

use crate::cli::{CheckArgs, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::discover;
use crate::engine::Engine;
use clap::{Args, ValueEnum};
use group::Grouper;
use input::DumpReader;
use map::{Origin, SourceIndex};
use parse::Parser;
use report::{DumpInfo, Report};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

/// Output formats of `triage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum TriageFormat {
    /// Ranked text.
    #[default]
    Text,
    /// JSON (schema in docs/triage.md).
    Json,
}

/// Options of `goleaklint triage`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    /// The dump: a file, or `-` for stdin; plain or gzip-compressed.
    pub dump: PathBuf,
    /// The packages holding the service's source [default: ./...]
    pub patterns: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TriageFormat::Text)]
    pub format: TriageFormat,
    /// Fail (exit 1) when a group has at least this many goroutines.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub min_count: u64,
    /// Groups shown in text output (0: all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Configuration file [default: the nearest .goleaklint.toml]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Analyse _test.go files.
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub tests: Option<bool>,
}

/// Runs `triage`; returns the exit status.
pub fn run(args: &TriageArgs) -> i32 {
    match triage(args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("goleaklint: {msg}");
            EXIT_ERROR
        }
    }
}

fn triage(args: &TriageArgs) -> Result<i32, String> {
    let shown = args.dump.display().to_string();
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let check = CheckArgs {
        patterns: args.patterns.clone(),
        config: args.config.clone(),
        tests: args.tests,
        ..CheckArgs::default()
    };
    let (settings, opts, _) = crate::cli::settings(&check, &cwd)?;
    let packages = match discover::discover(&cwd, &args.patterns, &opts) {
        Ok(found) => found.packages,
        // Without patterns, a dump read outside any Go tree is still grouped.
        Err(_) if args.patterns.is_empty() => Vec::new(),
        Err(e) => return Err(e.to_string()),
    };
    let mut index = SourceIndex::new(&packages);

    let mut reader = DumpReader::open(&args.dump).map_err(|e| format!("{shown}: {e}"))?;
    let mut parser = Parser::new();
    let mut grouper = Grouper::default();
    let mut warnings = Vec::new();
    loop {
        let number = reader.line_number() + 1;
        match reader.next_line() {
            Ok(Some(line)) => parser.line(number, line, &mut |g| grouper.add(g, &mut index)),
            Ok(None) => break,
            Err(e) => {
                warnings.push(format!("{e}; the report covers what was read"));
                break;
            }
        }
    }
    parser.finish(&mut |g| grouper.add(g, &mut index));
    let stats = parser.stats.clone();
    if stats.goroutines == 0 {
        let what = if stats.binary {
            "is binary, not a text dump (a protobuf profile? fetch /debug/pprof/goroutine?debug=2 or ?debug=1)"
        } else if reader.bytes_read() == 0 {
            "is empty"
        } else {
            "holds no goroutine: expected `goroutine N [reason]:` blocks (debug=2, a panic or SIGQUIT traceback) or a `goroutine profile: total N` (debug=1)"
        };
        let mut msg = format!("{shown} {what}");
        for w in &warnings {
            msg.push_str(&format!("\n  ({w})"));
        }
        return Err(msg);
    }
    if reader.hit_limit {
        warnings.push(format!(
            "stopped after {} GiB of text",
            input::MAX_TEXT >> 30
        ));
    }
    if reader.long_lines > 0 {
        warnings.push(format!(
            "{} line(s) longer than {} KiB were cut",
            reader.long_lines,
            input::MAX_LINE / 1024
        ));
    }
    if stats.bad_lines > 0 {
        warnings.push(format!(
            "{} line(s) inside goroutine blocks did not parse (first at line {})",
            stats.bad_lines,
            stats.first_bad_line.unwrap_or(0)
        ));
    }
    if stats.empty_blocks > 0 {
        warnings.push(format!(
            "{} goroutine header(s) without a stack were skipped",
            stats.empty_blocks
        ));
    }
    if let Some(total) = stats.declared_total {
        if total != stats.goroutines {
            warnings.push(format!(
                "the profile declares {total} goroutines but lists {}",
                stats.goroutines
            ));
        }
    }
    let overflow = grouper.overflow;
    if overflow > 0 {
        warnings.push(format!(
            "{overflow} goroutine(s) past {} distinct groups were counted but not grouped",
            group::MAX_GROUPS
        ));
    }
    let groups = grouper.finish();

    // Analyse only the packages the dump's frames land in.
    let mut wanted = BTreeSet::new();
    for g in &groups {
        for f in g.stack.iter().chain(g.created_by.iter().map(|(f, _)| f)) {
            if let Origin::User(i) = index.origin(f) {
                wanted.insert(index.files[i].package);
            }
        }
    }
    let chosen: Vec<_> = wanted.iter().map(|&i| packages[i].clone()).collect();
    let mut outcome = Engine::new(settings).check_packages(&chosen);
    outcome.sort();

    let mut reports = Vec::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        let explanations = join::explain(g, &mut index, &outcome.diagnostics);
        reports.push(report::group_report(i + 1, g, &mut index, &explanations));
    }
    let failing = reports
        .iter()
        .any(|g| g.count >= args.min_count || g.leaked > 0);
    let format = if stats.leak_profile {
        "goroutineleak debug=1"
    } else if stats.grouped {
        "debug=1"
    } else if stats.other_lines > 0 {
        "traceback"
    } else {
        "debug=2"
    };
    let report = Report {
        version: report::SCHEMA_VERSION,
        dump: DumpInfo {
            path: shown,
            format,
            compressed: reader.compressed(),
            goroutines: stats.goroutines,
            declared_total: stats.declared_total,
            ungrouped: overflow,
            warnings,
        },
        min_count: args.min_count,
        failing,
        groups: reports,
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        TriageFormat::Text => report::write_text(&report, args.top, &mut out),
        TriageFormat::Json => report::write_json(&report, &mut out),
    }
    .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.to_string()),
        _ => {}
    }
    for e in &outcome.errors {
        eprintln!("goleaklint: {}: {}", e.path, e.message);
    }
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
