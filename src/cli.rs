//! The command line: argument definitions and the commands they run.

use crate::baseline::Baseline;
use crate::config::{self, Settings};
use crate::diagnostic::Severity;
use crate::discover::{self, DiscoverOptions};
use crate::engine::{self, Engine, Outcome};
use crate::report::{self, Format, RenderOptions};
use crate::rules::RuleId;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Exit status: no findings at or above the failing severity.
pub const EXIT_CLEAN: i32 = 0;
/// Exit status: findings at or above the failing severity.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// Runs with fewer packages finish too fast for a progress line to help.
const PROGRESS_MIN_PACKAGES: usize = 64;

/// goleaklint finds goroutine, resource and context leaks in Go code.
#[derive(Debug, Parser)]
#[command(
    name = "goleaklint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A subcommand; without one, goleaklint checks the given packages.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the check.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules with a one-line summary.
    Rules,
    /// Show a rule's documentation.
    Explain {
        /// The rule's name, e.g. lost-cancel.
        rule: String,
    },
    /// Run the language server on stdin and stdout.
    Lsp,
    /// Manage the result cache.
    Cache {
        /// What to do.
        #[command(subcommand)]
        action: CacheAction,
    },
}

/// `goleaklint cache …`
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Remove every stored result.
    Clean,
    /// Print the cache directory.
    Dir,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options of `goleaklint [PATTERNS]`.
#[derive(Debug, Default, Args)]
pub struct CheckArgs {
    /// Packages to check: `./...`, `dir/...`, directories or .go files [default: ./...]
    pub patterns: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Run only these rules (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub enable: Vec<String>,
    /// Do not run these rules (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Analyse _test.go files.
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub tests: Option<bool>,
    /// Configuration file [default: the nearest .goleaklint.toml]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The least severity that makes the run fail (exit 1).
    #[arg(long, value_parser = parse_severity, value_name = "note|warning|error")]
    pub fail_on: Option<Severity>,
    /// Ignore suppression directives.
    #[arg(long)]
    pub no_ignore: bool,
    /// Apply the fixes marked safe, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Show paths as DIR/<path>: run in a module below the repository root with
    /// DIR its path from the root, so annotations and SARIF locations are relative to the root.
    #[arg(long, value_name = "DIR", conflicts_with = "fix")]
    pub path_prefix: Option<String>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a SARIF report to FILE, whatever --format prints.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Hide the findings recorded in this baseline file; show only new ones.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in FILE (for --baseline) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Read and parse only; run no rule (for benchmarks).
    #[arg(long, hide = true)]
    pub parse_only: bool,
    /// Neither read nor write the result cache ($XDG_CACHE_HOME/goleaklint).
    #[arg(long)]
    pub no_cache: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not a severity: use note, warning or error"))
}

/// Parses arguments and runs; returns the exit status.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    // `go vet -vettool=goleaklint` speaks its own protocol, not our flags.
    if let Some(request) = crate::vettool::detect(args.get(1..).unwrap_or_default()) {
        return match request {
            Ok(r) => crate::vettool::run(r),
            Err(e) => {
                eprintln!("goleaklint: {e}");
                EXIT_ERROR
            }
        };
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Some(Command::Rules) => list_rules(),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Lsp) => crate::lsp::run(),
        Some(Command::Cache { action }) => cache_command(action),
        None => match check(&cli.check) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("goleaklint: {msg}");
                EXIT_ERROR
            }
        },
    }
}

fn cache_command(action: CacheAction) -> i32 {
    let Some(dir) = crate::cache::default_dir() else {
        eprintln!("goleaklint: no cache directory: neither XDG_CACHE_HOME nor HOME is set");
        return EXIT_ERROR;
    };
    match action {
        CacheAction::Dir => println!("{}", dir.display()),
        CacheAction::Clean => match crate::cache::clean(&dir) {
            Ok(n) => eprintln!(
                "goleaklint: removed {n} cached result(s) from {}",
                dir.display()
            ),
            Err(e) => {
                eprintln!("goleaklint: cannot remove {}: {e}", dir.display());
                return EXIT_ERROR;
            }
        },
    }
    EXIT_CLEAN
}

fn list_rules() -> i32 {
    let mut out = std::io::stdout().lock();
    let mut rules: Vec<RuleId> = RuleId::all().collect();
    rules.sort_by_key(|r| r.name());
    for r in rules {
        let m = r.meta();
        let _ = writeln!(
            out,
            "{:<22} {:<8} {}",
            m.name,
            m.default_severity,
            m.summary()
        );
    }
    EXIT_CLEAN
}

fn explain(name: &str) -> i32 {
    match RuleId::from_name(name) {
        Some(r) => {
            print!("{}", r.meta().doc);
            EXIT_CLEAN
        }
        None => {
            eprintln!(
                "goleaklint: unknown rule `{name}` (known rules: {})",
                crate::rules::known_names()
            );
            EXIT_ERROR
        }
    }
}

/// Settings from the configuration file and the command line.
pub fn settings(
    args: &CheckArgs,
    cwd: &Path,
) -> Result<(Settings, DiscoverOptions, Severity), String> {
    let mut settings = Settings::default();
    let mut opts = DiscoverOptions::default();
    let mut fail_on = Severity::Warning;
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::find(cwd),
    };
    if let Some(path) = path {
        let file = config::load(&path).map_err(|e| e.to_string())?;
        if let Some(t) = file.tests {
            opts.tests = t;
        }
        if let Some(f) = &file.fail_on {
            fail_on = Severity::parse(f)
                .ok_or_else(|| format!("{}: invalid fail-on `{f}`", path.display()))?;
        }
        if !file.exclude.is_empty() {
            let mut b = globset::GlobSetBuilder::new();
            for g in &file.exclude {
                b.add(globset::Glob::new(g).map_err(|e| format!("{}: {e}", path.display()))?);
            }
            opts.exclude = Some(b.build().map_err(|e| e.to_string())?);
        }
        settings
            .apply(file)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if !args.enable.is_empty() {
        settings
            .enable_only(&args.enable)
            .map_err(|e| e.to_string())?;
    }
    settings.disable(&args.disable).map_err(|e| e.to_string())?;
    if let Some(t) = args.tests {
        opts.tests = t;
    }
    if let Some(f) = args.fail_on {
        fail_on = f;
    }
    settings.no_ignore = args.no_ignore;
    settings.parse_only = args.parse_only;
    opts.path_prefix = args
        .path_prefix
        .as_deref()
        .map(|p| p.trim_matches('/').to_string())
        .filter(|p| !p.is_empty() && p != ".");
    Ok((settings, opts, fail_on))
}

fn check(args: &CheckArgs) -> Result<i32, String> {
    let started = Instant::now();
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let (settings, opts, fail_on) = settings(args, &cwd)?;
    engine::init_threads(args.jobs);
    let cache = match crate::cache::default_dir() {
        Some(dir) if !args.no_cache => Some(crate::cache::ResultCache::new(dir, &settings)),
        _ => None,
    };
    let mut engine = Engine::new(settings);
    if let Some(cache) = cache {
        engine = engine.with_cache(cache);
    }
    let run = || -> Result<Outcome, String> {
        let found = discover::discover(&cwd, &args.patterns, &opts).map_err(|e| e.to_string())?;
        // Progress only where a person watches: a terminal, never pipes or CI logs.
        let show_progress = !args.quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && found.packages.len() >= PROGRESS_MIN_PACKAGES;
        let progress = |done: usize, total: usize| {
            if show_progress && (done % 16 == 0 || done == total) {
                eprint!("\rgoleaklint: {done}/{total} packages");
                if done == total {
                    eprint!("\r\x1b[2K");
                }
            }
        };
        let mut outcome = engine.check_packages_with_progress(&found.packages, &progress);
        outcome.errors.extend(found.errors);
        outcome.sort();
        outcome.fingerprint();
        Ok(outcome)
    };
    let mut outcome = run()?;
    if args.fix {
        let fixed = crate::fix::apply_safe_fixes(&outcome, &cwd);
        for (path, why) in &fixed.refused {
            eprintln!("goleaklint: {path}: fixes not applied: {why}");
        }
        eprintln!(
            "goleaklint: applied {} fix(es) in {} file(s)",
            fixed.applied, fixed.files
        );
        if fixed.applied > 0 {
            // Report what is left, with positions in the fixed files.
            outcome = run()?;
        }
    }

    if let Some(path) = &args.write_baseline {
        Baseline::from_outcome(&outcome).write(path)?;
        for e in &outcome.errors {
            eprintln!("goleaklint: {}: {}", e.path, e.message);
        }
        if !args.quiet {
            eprintln!(
                "goleaklint: wrote {} finding(s) to the baseline {}",
                outcome.diagnostics.len(),
                path.display()
            );
        }
        return Ok(EXIT_CLEAN);
    }
    let mut baselined = 0;
    if let Some(path) = &args.baseline {
        baselined = Baseline::load(path)?.apply(&mut outcome);
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => args.output.is_none() && std::io::stdout().is_terminal(),
    };
    // With a path prefix, paths are relative to the directory the prefix leads from.
    let srcroot = prefix_root(&cwd, args.path_prefix.as_deref());
    let opts = RenderOptions {
        color,
        srcroot: srcroot.as_deref(),
    };
    if let Some(path) = &args.sarif_file {
        write_report(Format::Sarif, &outcome, opts, Some(path))?;
    }
    write_report(args.format, &outcome, opts, args.output.as_deref())?;
    if !args.quiet {
        summary(&outcome, engine.cache().map(|c| c.stats()), started);
        if baselined > 0 {
            eprintln!("goleaklint: {baselined} finding(s) hidden by the baseline");
        }
    }
    Ok(exit_code(&outcome, fail_on))
}

/// The directory `prefix` (e.g. `services/api`) leads from to `cwd`.
fn prefix_root(cwd: &Path, prefix: Option<&str>) -> Option<PathBuf> {
    let prefix = prefix?.trim_matches('/');
    if prefix.is_empty() || prefix == "." {
        return None;
    }
    let depth = prefix
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .count();
    cwd.ancestors().nth(depth).map(Path::to_path_buf)
}

fn write_report(
    format: Format,
    outcome: &Outcome,
    opts: RenderOptions<'_>,
    output: Option<&Path>,
) -> Result<(), String> {
    let result = match output {
        Some(path) => std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .and_then(|mut f| {
                report::render(format, outcome, opts, &mut f)?;
                f.flush()
            })
            .map_err(|e| format!("{}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            report::render(format, outcome, opts, &mut out)
                .and_then(|_| out.flush())
                .map_err(|e| e.to_string())
        }
    };
    match result {
        // A closed pipe (`goleaklint | head`) is not an error worth reporting.
        Err(e) if e.contains("Broken pipe") => Ok(()),
        r => r,
    }
}

fn summary(outcome: &Outcome, cache: Option<crate::cache::CacheStats>, started: Instant) {
    let s = &outcome.stats;
    let by_rule = report::json::findings_by_rule(outcome);
    let rules = if by_rule.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        format!(" ({})", parts.join(", "))
    };
    let errors = if outcome.errors.is_empty() {
        String::new()
    } else {
        format!(", {} file error(s)", outcome.errors.len())
    };
    let cached = match cache {
        Some(c) if c.hits > 0 => format!(
            ", {} of {} directories from the cache",
            c.hits,
            c.hits + c.misses
        ),
        _ => String::new(),
    };
    eprintln!(
        "goleaklint: {} finding(s){rules} in {} file(s) of {} package(s){errors}{cached}, {:.2}s",
        outcome.diagnostics.len(),
        s.files,
        s.packages,
        started.elapsed().as_secs_f64()
    );
}

/// 1 when a finding reaches `fail_on`, else 2 when a file could not be read or parsed, else 0.
pub fn exit_code(outcome: &Outcome, fail_on: Severity) -> i32 {
    if outcome.diagnostics.iter().any(|d| d.severity >= fail_on) {
        EXIT_FINDINGS
    } else if !outcome.errors.is_empty() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}
