//! The command line: argument definitions and the commands they run.

use crate::baseline::Baseline;
use crate::buildctx::BuildContext;
use crate::changed_lines::ChangedLines;
use crate::config::{self, Settings};
use crate::diagnostic::Severity;
use crate::discover::{self, DiscoverOptions};
use crate::engine::{self, Engine, Outcome};
use crate::report::{self, Format, RenderOptions};
use crate::rules::RuleId;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Exit status: no findings at or above the failing severity.
pub const EXIT_CLEAN: i32 = 0;
/// Exit status: findings at or above the failing severity.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// The environment the check reads, shown after the options in `--help`.
const AFTER_HELP: &str = "\
Environment (read as `go env` reports it, the go env file included; `go` is never run):
  GOOS, GOARCH        the target whose build constraints select files [default: this machine]
  CGO_ENABLED         whether files that import \"C\" are built [default: on for a native build
                      with a C compiler on PATH, off for a cross build]
  GOFLAGS             its -tags=... is the default for --tags
  GOEXPERIMENT, GOAMD64, GOARM64, ...
                      goexperiment.* and architecture level tags
  NO_COLOR, CLICOLOR_FORCE
                      colour of text output (--color auto)
  XDG_CACHE_HOME      where results are cached (goleaklint/ below it)";

/// Runs with fewer packages finish too fast for a progress line to help.
const PROGRESS_MIN_PACKAGES: usize = 64;

/// goleaklint finds goroutine, resource and context leaks in Go code.
#[derive(Debug, Parser)]
#[command(
    name = "goleaklint",
    version,
    about,
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
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
    /// Group a goroutine dump of a running service and point at the code that leaks.
    Triage(crate::triage::TriageArgs),
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
    /// Build tags that hold, comma- or space-separated, as `go build -tags`
    /// [default: the -tags of GOFLAGS]. Files are selected by their build
    /// constraints and _GOOS/_GOARCH names for GOOS/GOARCH (default: this machine).
    #[arg(long, value_name = "TAGS", overrides_with = "tags")]
    pub tags: Option<String>,
    /// Analyse every Go file whatever its build constraints and file name say.
    #[arg(long, conflicts_with = "tags")]
    pub all_platforms: bool,
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
    /// Seconds one file's analysis may take; a file past it is named with a
    /// message and the run goes on [default: 20]
    #[arg(long, value_name = "SECONDS")]
    pub file_time_budget: Option<f64>,
    /// Findings reported per file; the rest are counted in one message [default: 500]
    #[arg(long, value_name = "N")]
    pub max_findings_per_file: Option<usize>,
    /// Report only findings on lines changed since the git revision REV (`git diff REV`).
    #[arg(long, value_name = "REV", conflicts_with_all = ["new_from_patch", "write_baseline"])]
    pub new_from_rev: Option<String>,
    /// Report only findings on lines the unified diff FILE adds (paths relative to here).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub new_from_patch: Option<PathBuf>,
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
        Some(Command::Triage(args)) => crate::triage::run(&args),
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
    if let Some(path) = config_path(args, cwd) {
        let loaded = config::load(&path).map_err(|e| e.to_string())?;
        if let Some(t) = loaded.tests {
            opts.tests = t;
        }
        if let Some(f) = loaded.fail_on {
            fail_on = f;
        }
        opts.exclude = loaded.exclude;
        settings = loaded.settings;
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
    if let Some(secs) = args.file_time_budget {
        settings.budget.time_per_file = std::time::Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("--file-time-budget must be a number of seconds, not {secs}"))?;
    }
    if let Some(n) = args.max_findings_per_file {
        settings.budget.findings_per_file = n.max(1);
    }
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
    let (main_settings, mut opts, fail_on) = settings(args, &cwd)?;
    opts.build = build_context(args)?;
    let max_jobs = engine::max_jobs();
    if args.jobs > max_jobs {
        eprintln!(
            "goleaklint: --jobs {} capped at {max_jobs} ({} per core)",
            args.jobs,
            engine::MAX_JOBS_PER_CORE
        );
    }
    engine::init_threads(args.jobs.min(max_jobs));
    let cache = crate::cache::default_dir()
        .filter(|_| !args.no_cache)
        .map(crate::cache::Cache::new);
    let build = opts.build.clone();
    let engine = |s: Settings| {
        let results = cache.as_ref().map(|c| c.for_settings(&s, build.as_deref()));
        let e = Engine::new(s);
        match results {
            Some(r) => e.with_cache(r),
            None => e,
        }
    };
    let main = (engine(main_settings), opts);
    let main_config = config_path(args, &cwd);
    // Each package's own configuration decides its `tests` and `exclude`, so discovery keeps
    // every file and the groups filter below.
    let discover_opts = DiscoverOptions {
        tests: args.tests.unwrap_or(true),
        exclude: None,
        ..main.1.clone()
    };
    let run = || -> Result<Outcome, String> {
        let found =
            discover::discover(&cwd, &args.patterns, &discover_opts).map_err(|e| e.to_string())?;
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
        let mut outcome = Outcome::default();
        for (config, mut packages) in by_config(args, &main_config, found.packages) {
            let own;
            let (engine, opts) = if config == main_config {
                (&main.0, &main.1)
            } else {
                let (s, o, _) = settings(args, &packages[0].dir)?;
                own = (engine(s), o);
                (&own.0, &own.1)
            };
            for p in &mut packages {
                p.files.retain(|f| {
                    (opts.tests || !f.display.ends_with("_test.go"))
                        && !opts
                            .exclude
                            .as_ref()
                            .is_some_and(|g| g.is_match(discover::display_path(&cwd, &f.path)))
                });
            }
            packages.retain(|p| !p.files.is_empty());
            outcome.merge(engine.check_packages_with_progress(&packages, &progress));
        }
        outcome.errors.extend(found.errors);
        outcome.stats.excluded = found.excluded;
        outcome.sort();
        outcome.fingerprint();
        Ok(outcome)
    };
    let mut outcome = run()?;
    if args.fix {
        let fixed = crate::fix::apply_safe_fixes(&outcome, &cwd);
        for (path, why) in &fixed.refused {
            eprintln!(
                "goleaklint: {}: fixes not applied: {}",
                report::escape::line(path),
                report::escape::line(why)
            );
        }
        if !args.quiet {
            for line in fixed.report() {
                eprintln!("goleaklint: {line}");
            }
        }
        if fixed.applied > 0 {
            // Report what is left, with positions in the fixed files.
            outcome = run()?;
        }
    }

    if let Some(path) = &args.write_baseline {
        Baseline::from_outcome(&outcome).write(path)?;
        for e in &outcome.errors {
            eprintln!("{}", report::escape::line(&e.to_string()));
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
    let changed = match (&args.new_from_rev, &args.new_from_patch) {
        (Some(rev), _) => Some(ChangedLines::since_rev(&cwd, rev)?),
        (None, Some(patch)) => Some(ChangedLines::from_patch(patch)?),
        (None, None) => None,
    };
    if let Some(changed) = changed {
        // Shown paths carry the --path-prefix; the diff's are relative to here.
        let prefix = main.1.path_prefix.as_ref().map(|p| format!("{p}/"));
        outcome.retain(|d, _| {
            let path = &*d.location.path;
            let path = prefix
                .as_deref()
                .and_then(|p| path.strip_prefix(p))
                .unwrap_or(path);
            changed.contains(path, d.location.start.line)
        });
    }

    let color = use_color(
        args.color,
        args.output.is_none() && std::io::stdout().is_terminal(),
        |name| std::env::var_os(name),
    );
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
        summary(&outcome, cache.as_ref().map(|c| c.stats()), started);
        if baselined > 0 {
            eprintln!("goleaklint: {baselined} finding(s) hidden by the baseline");
        }
    }
    Ok(exit_code(&outcome, fail_on))
}

/// The target whose build constraints select files: GOOS, GOARCH, cgo and
/// the tags of `--tags` (else of GOFLAGS), or none with `--all-platforms`.
pub fn build_context(args: &CheckArgs) -> Result<Option<Arc<BuildContext>>, String> {
    if args.all_platforms {
        return Ok(None);
    }
    BuildContext::from_env(args.tags.as_deref()).map(|b| Some(Arc::new(b)))
}

/// The configuration file for a run in `dir`: `--config`, else the nearest `.goleaklint.toml`.
fn config_path(args: &CheckArgs, dir: &Path) -> Option<PathBuf> {
    match &args.config {
        Some(p) => Some(p.clone()),
        None => config::find(dir),
    }
}

/// `packages` grouped by the configuration that applies to each: the nearest `.goleaklint.toml`
/// above the package, as `go vet -vettool` and the language server find it (`--config` applies
/// to every package).
fn by_config(
    args: &CheckArgs,
    main_config: &Option<PathBuf>,
    packages: Vec<discover::PackageInput>,
) -> std::collections::BTreeMap<Option<PathBuf>, Vec<discover::PackageInput>> {
    let mut groups: std::collections::BTreeMap<_, Vec<_>> = Default::default();
    for p in packages {
        let config = match &args.config {
            Some(_) => main_config.clone(),
            None => config::find(&p.dir),
        };
        groups.entry(config).or_default().push(p);
    }
    groups
}

/// Whether text output is coloured. `--color always|never` decides; with `auto`, a non-empty
/// `NO_COLOR` turns colour off (no-color.org), else a `CLICOLOR_FORCE` other than `0` turns it
/// on, else colour follows whether the output is a terminal.
fn use_color(
    choice: ColorChoice,
    terminal: bool,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                terminal
            }
        }
    }
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
    let excluded = match s.excluded {
        0 => String::new(),
        n => format!(" ({n} left out by build constraints)"),
    };
    eprintln!(
        "goleaklint: {} finding(s){rules} in {} file(s){excluded} of {} package(s){errors}{cached}, {:.2}s",
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn color_follows_the_flag_then_no_color_then_clicolor_force_then_the_terminal() {
        use ColorChoice::*;
        assert!(use_color(Auto, true, env(&[])));
        assert!(!use_color(Auto, false, env(&[])));
        assert!(!use_color(Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(
            use_color(Auto, true, env(&[("NO_COLOR", "")])),
            "empty NO_COLOR is unset"
        );
        assert!(use_color(Auto, false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!use_color(Auto, false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(!use_color(
            Auto,
            false,
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
        ));
        assert!(use_color(Always, false, env(&[("NO_COLOR", "1")])));
        assert!(!use_color(Never, true, env(&[("CLICOLOR_FORCE", "1")])));
    }
}
