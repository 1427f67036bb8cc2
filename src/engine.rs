//! The analysis pipeline for a set of packages: read and parse files in
//! parallel, index each package, run the rules once per file and function,
//! keep one finding per leak, apply suppressions, and merge everything into one sorted outcome.
//!
//! The engine never walks directories itself: the CLI, `go vet -vettool` and
//! the language server each hand it [`PackageInput`]s their own way.

use crate::budget::Deadline;
use crate::cache::ResultCache;
use crate::check::{FileContext, PackageContext, Sink};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, FileError, Label, Severity};
use crate::discover::{FileInput, PackageInput};
use crate::facts::callers::KeyArgs;
use crate::facts::graph::ModuleGraph;
use crate::facts::linkage::{Link, Run};
use crate::facts::schedule::Plan;
use crate::facts::{self, FactSet, PackageFacts};
use crate::flow::package_maps::{self, PackageMaps};
use crate::gomod::GoVersion;
use crate::index::PackageIndex;
use crate::overlap;
use crate::parse::{self, ParsedFile};
use crate::rules::{RuleId, UNBOUNDED_MAP, UNUSED_SUPPRESSION};
use crate::source::{io_reason, read_regular, ReadFailure, SourceFile, MAX_SOURCE_BYTES};
use crate::suppress::{self, Target};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Counts describing a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Packages analysed.
    pub packages: usize,
    /// Files read.
    pub files: usize,
    /// Lines read.
    pub lines: usize,
    /// Bytes read.
    pub bytes: usize,
    /// Generated files (read and indexed, not checked).
    pub generated: usize,
    /// Go files build constraints left out (not read beyond their header).
    #[serde(default)]
    pub excluded: usize,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.packages += o.packages;
        self.files += o.files;
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.generated += o.generated;
        self.excluded += o.excluded;
    }
}

/// The result of analysing some packages.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings, sorted by path, line, column and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be (fully) analysed, sorted.
    pub errors: Vec<FileError>,
    /// Counts.
    pub stats: Stats,
    /// The text of every file with a finding, for reporters that show snippets.
    pub sources: BTreeMap<Arc<str>, Arc<str>>,
    /// What the packages' calls pass to the parameters that key other
    /// packages' maps: what settles the conditional diagnostics
    /// ([`crate::facts::callers`]). Empty once they are settled.
    pub key_args: Vec<KeyArgs>,
    /// How each package is linked: what settles the findings that hold only
    /// for a long-running process ([`crate::facts::linkage`]). Empty once
    /// they are settled.
    pub links: Vec<Link>,
    /// One fingerprint per diagnostic once [`Outcome::fingerprint`] ran (empty
    /// before): kept when a baseline drops findings, so that the survivors keep
    /// the identity they had in the full run.
    pub fingerprints: Vec<String>,
}

impl Outcome {
    /// Adds another outcome to this one (not yet sorted).
    pub fn merge(&mut self, other: Outcome) {
        self.diagnostics.extend(other.diagnostics);
        self.errors.extend(other.errors);
        self.stats.add(&other.stats);
        self.sources.extend(other.sources);
        self.key_args.extend(other.key_args);
        self.links.extend(other.links);
        self.fingerprints.clear();
    }

    /// Settles the conditional diagnostics with the calls and imports every
    /// package recorded: a run over the whole scan does this once all
    /// packages ran.
    pub fn settle_conditions(&mut self) {
        crate::facts::callers::resolve(&mut self.diagnostics, &self.key_args);
        crate::facts::linkage::resolve(&mut self.diagnostics, &self.links);
        self.key_args.clear();
        self.links.clear();
    }

    /// Settles what a front end that sees one package and none of its
    /// importers can (the editor, `go vet`): findings only other packages'
    /// calls can make are dropped, the other conditional ones stay as they
    /// are.
    pub fn settle_alone(&mut self) {
        crate::facts::callers::resolve_alone(&mut self.diagnostics);
        self.fingerprints.clear();
    }

    /// Sorts findings and errors into their stable output order.
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
        self.errors.sort();
        self.errors.dedup();
        self.fingerprints.clear();
    }

    /// Computes the fingerprints of the (sorted) diagnostics, see [`crate::fingerprint`].
    pub fn fingerprint(&mut self) {
        self.fingerprints = crate::fingerprint::compute(self);
    }

    /// The fingerprints of the diagnostics: the stored ones, or computed now.
    pub fn fingerprints(&self) -> std::borrow::Cow<'_, [String]> {
        if self.fingerprints.len() == self.diagnostics.len() {
            std::borrow::Cow::Borrowed(&self.fingerprints)
        } else {
            std::borrow::Cow::Owned(crate::fingerprint::compute(self))
        }
    }

    /// Keeps the diagnostics (and their fingerprints) for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic, &str) -> bool) {
        let fps = self.fingerprints().into_owned();
        let mut kept_fps = Vec::with_capacity(fps.len());
        let mut i = 0;
        self.diagnostics.retain(|d| {
            let k = keep(d, &fps[i]);
            if k {
                kept_fps.push(fps[i].clone());
            }
            i += 1;
            k
        });
        self.fingerprints = kept_fps;
    }
}

/// The parsed files of one directory, ready for [`Engine::check_loaded`].
/// Files are shared, so a long-lived caller (the language server) can keep
/// them across runs and re-parse only what changed.
#[derive(Clone, Default)]
pub struct LoadedPackage {
    /// The files that could be read, in input order.
    pub files: Vec<Arc<ParsedFile>>,
    /// The files that could not be read.
    pub errors: Vec<FileError>,
    /// The `go` line of the package's go.mod.
    pub go_version: Option<GoVersion>,
}

/// Analyses packages with fixed settings.
pub struct Engine {
    settings: Settings,
    rules: Vec<RuleId>,
    cache: Option<ResultCache>,
}

/// The most worker threads per core: the work is CPU-bound, so more never
/// helps, and each thread reserves a large stack.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// The largest useful `--jobs` on this machine.
pub fn max_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores * MAX_JOBS_PER_CORE).min(256)
}

/// Builds the global thread pool with `jobs` threads (0: one per core) and
/// stacks large enough for any nesting the parser accepts; `jobs` must not
/// exceed [`max_jobs`].
pub fn init_threads(jobs: usize) {
    // Ignored when a pool already exists (tests, a second call).
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(16 << 20)
        .build_global();
}

impl Engine {
    /// An engine running the enabled rules of `settings`.
    pub fn new(settings: Settings) -> Engine {
        let rules = settings
            .enabled_rules()
            .into_iter()
            .filter(|r| *r != UNUSED_SUPPRESSION)
            .collect();
        Engine {
            settings,
            rules,
            cache: None,
        }
    }

    /// The engine answering [`Engine::check_packages`] from `cache` where it can.
    pub fn with_cache(mut self, cache: ResultCache) -> Engine {
        self.cache = Some(cache);
        self
    }

    /// The result cache in use, if any.
    pub fn cache(&self) -> Option<&ResultCache> {
        self.cache.as_ref()
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Analyses many packages in parallel; the outcome is sorted.
    pub fn check_packages(&self, packages: &[PackageInput]) -> Outcome {
        self.check_packages_with_progress(packages, &|_, _| {})
    }

    /// Like [`Engine::check_packages`], calling `progress(done, total)` after each package
    /// (from worker threads, so it must be cheap and thread-safe).
    pub fn check_packages_with_progress(
        &self,
        packages: &[PackageInput],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Outcome {
        let done = AtomicUsize::new(0);
        let total = packages.len();
        let tick = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        if self.settings.parse_only {
            // No facts to order by: largest packages first, so no big one starts last.
            let mut order: Vec<&PackageInput> = packages.iter().collect();
            order.sort_by_key(|p| std::cmp::Reverse(p.files.len()));
            let mut out = order
                .into_par_iter()
                .map(|p| {
                    let o = self.check_package(p);
                    tick();
                    o
                })
                .reduce(Outcome::default, |mut a, b| {
                    a.merge(b);
                    a
                });
            out.sort();
            return out;
        }
        let mut out = Outcome::default();
        for o in self.in_import_order(packages, |p, path, seen| {
            let analyse = |p: &PackageInput| self.check_in_module(&self.load(p), None, path, seen);
            let r = match &self.cache {
                Some(cache) => cache.check(p, path, seen, analyse),
                None => analyse(p),
            };
            tick();
            r
        }) {
            out.merge(o);
        }
        out.settle_conditions();
        out.sort();
        out
    }

    /// Runs `per_package(package, import path, facts seen)` on every package,
    /// a package's in-module imports before it, and returns the results in
    /// input order; the facts `per_package` returns are what its importers
    /// see. Each worker holds one package at a time (the files within a
    /// package are still handled in parallel on the thread pool).
    pub fn in_import_order<R: Send>(
        &self,
        packages: &[PackageInput],
        per_package: impl Fn(&PackageInput, Option<&str>, &FactSet) -> (R, Option<PackageFacts>) + Sync,
    ) -> Vec<R> {
        let graph = ModuleGraph::build(packages);
        Plan::new(&graph.nodes).run(rayon::current_num_threads(), |i, seen| {
            per_package(&packages[i], graph.paths[i].as_deref(), seen)
        })
    }

    /// Analyses the files of one directory; the outcome is sorted.
    pub fn check_package(&self, input: &PackageInput) -> Outcome {
        let loaded = self.load(input);
        self.check_loaded(&loaded, None)
    }

    /// Reads and parses the files of one directory (in parallel), without
    /// analysing them.
    pub fn load(&self, input: &PackageInput) -> LoadedPackage {
        let results: Vec<Result<ParsedFile, FileError>> =
            input.files.par_iter().map(load).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => files.push(Arc::new(p)),
                Err(e) => errors.push(e),
            }
        }
        LoadedPackage {
            files,
            errors,
            go_version: input.module.as_ref().and_then(|m| m.go_version),
        }
    }

    /// Analyses a package whose files are already parsed; the outcome is
    /// sorted. With `focus` (a file's display path), only that file's
    /// findings are computed: the other files still contribute their
    /// package-level facts (declarations, helpers, package variables).
    pub fn check_loaded(&self, package: &LoadedPackage, focus: Option<&str>) -> Outcome {
        self.check_in_module(package, focus, None, &FactSet::default())
            .0
    }

    /// Like [`Engine::check_loaded`], for the package with import path `path`
    /// that sees the facts `imported` of the module packages it imports;
    /// returns the package's own facts too (`None` without a path).
    pub fn check_in_module(
        &self,
        package: &LoadedPackage,
        focus: Option<&str>,
        path: Option<&str>,
        imported: &FactSet,
    ) -> (Outcome, Option<PackageFacts>) {
        let mut out = Outcome {
            errors: package.errors.clone(),
            ..Outcome::default()
        };
        let parsed = &package.files;
        for p in parsed {
            out.stats.files += 1;
            out.stats.lines += p.source.line_count();
            out.stats.bytes += p.source.text.len();
            out.stats.generated += usize::from(p.generated);
            for (span, msg) in &p.syntax_errors {
                out.errors
                    .push(file_error(&p.source, span.start, msg.clone()));
            }
        }
        let groups = facts::extract::group_by_package(parsed.iter().map(|p| &**p));
        out.stats.packages = groups.len();
        if self.settings.parse_only {
            out.sort();
            return (out, None);
        }
        let map_keys = focus.is_none() && self.rules.contains(&UNBOUNDED_MAP);
        let summarised = path.and(facts::extract::summary_group(&groups));
        // The maps of the summarised package, built once: for its facts and its check.
        let mut own_maps = summarised
            .filter(|_| map_keys)
            .map(|(_, files)| PackageMaps::build(files));
        // The package's own facts are seen by its external test package too.
        let own = path.zip(summarised).map(|(p, (_, files))| {
            facts::extract::summarise(files, p, &self.settings.catalog, own_maps.as_ref())
        });
        let mut seen = imported.clone();
        if let Some(f) = &own {
            seen.insert(Arc::new(f.clone()));
        }
        let go_version = self.settings.go_version.or(package.go_version);
        for (name, files) in &groups {
            if map_keys {
                // Calls of the package's own exported functions count too.
                let own_path = path.filter(|_| own.as_ref().is_some_and(|o| o.name == *name));
                out.key_args
                    .extend(package_maps::callers::key_args(files, own_path, &seen));
                // Its findings wait for the importers too.
                if let Some(p) = own_path {
                    out.links.push(link(files, p, name));
                }
            }
            if let Some(focus) = focus {
                if !files.iter().any(|f| &*f.source.display == focus) {
                    continue;
                }
            }
            let index = PackageIndex::build(files);
            let pkg = PackageContext::new(files, &index, &self.settings.catalog, go_version)
                .with_module(path, &seen);
            if summarised.is_some_and(|(n, _)| n == *name) {
                if let Some(maps) = own_maps.take() {
                    pkg.provide(maps);
                }
            }
            self.prepare(&pkg, files, focus);
            let per_file: Vec<FileCheck> = files
                .par_iter()
                .enumerate()
                .map(|(i, f)| {
                    if focus.is_some_and(|focus| &*f.source.display != focus) {
                        return FileCheck::default();
                    }
                    self.check_file(&pkg, i, f)
                })
                .collect();
            for (f, FileCheck { diags, errors }) in files.iter().zip(per_file) {
                out.errors.extend(errors);
                if !diags.is_empty() {
                    out.sources
                        .insert(f.source.display.clone(), Arc::from(f.source.text.as_str()));
                }
                out.diagnostics.extend(diags);
            }
            // Labels may point into another file of the package (where a goroutine was started).
            for d in &out.diagnostics {
                for l in &d.labels {
                    if out.sources.contains_key(&l.location.path) {
                        continue;
                    }
                    if let Some(f) = files.iter().find(|f| f.source.display == l.location.path) {
                        out.sources
                            .insert(f.source.display.clone(), Arc::from(f.source.text.as_str()));
                    }
                }
            }
        }
        // What the passes shared for this package is not needed again.
        for p in parsed {
            p.memo.clear();
        }
        out.sort();
        (out, own)
    }

    /// The severity of `rule`'s findings in `source`: lower in a test file
    /// (see [`Settings::severity_in`]). Every front end reports through here.
    fn severity(&self, rule: RuleId, source: &SourceFile) -> Severity {
        self.settings
            .severity_in(rule, source.display.ends_with("_test.go"))
    }

    /// Builds, side by side, the package facts of the rules that some file to
    /// be checked wants.
    fn prepare(&self, pkg: &PackageContext<'_>, files: &[&ParsedFile], focus: Option<&str>) {
        let contexts: Vec<_> = (0..files.len())
            .filter(|&i| {
                !files[i].generated && focus.is_none_or(|f| *files[i].source.display == *f)
            })
            .filter_map(|i| pkg.file(i))
            .collect();
        let wanted: Vec<RuleId> = self
            .rules
            .iter()
            .copied()
            .filter(|r| contexts.iter().any(|f| r.rule().wants_file(f)))
            .collect();
        wanted.par_iter().for_each(|r| r.rule().prepare(pkg));
    }

    fn check_file(
        &self,
        pkg: &PackageContext<'_>,
        file_index: usize,
        parsed: &ParsedFile,
    ) -> FileCheck {
        let mut diags = Vec::new();
        let mut errors = Vec::new();
        if parsed.generated {
            return FileCheck::default();
        }
        let deadline = Deadline::start(&self.settings.budget);
        let Some(file) = pkg.file(file_index) else {
            return FileCheck::default();
        };
        let active: Vec<RuleId> = self
            .rules
            .iter()
            .copied()
            .filter(|r| r.rule().wants_file(&file))
            .collect();
        if !active.is_empty() {
            let stopped = self.check_functions(&file, &active, &deadline, &mut diags);
            if let Some(at) = stopped {
                errors.push(file_error(file.source, at, deadline.message()));
            } else {
                for r in &active {
                    let mut sink =
                        Sink::new(*r, self.severity(*r, file.source), file.source, &mut diags);
                    r.rule().check_file(&file, &mut sink);
                }
            }
        }
        self.settle(&file, &mut diags);
        let cap = self.settings.budget.findings_per_file;
        if diags.len() > cap {
            diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let hidden = diags.len() - cap;
            let at = diags[cap].location.span.start;
            diags.truncate(cap);
            errors.push(file_error(
                file.source,
                at,
                crate::budget::findings_cap_message(hidden, cap),
            ));
        }
        FileCheck { diags, errors }
    }

    /// Runs the function rules; stops at the deadline and returns the offset
    /// of the first function left unchecked.
    fn check_functions(
        &self,
        file: &FileContext<'_>,
        active: &[RuleId],
        deadline: &Deadline,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        for top in top_level_functions(file.root) {
            if deadline.passed() {
                return Some(top.start_byte());
            }
            for func in functions_within(top) {
                if deadline.passed() {
                    return Some(func.start_byte());
                }
                let Some(cx) = file.function(top, func) else {
                    continue;
                };
                for r in active {
                    let mut sink =
                        Sink::new(*r, self.severity(*r, file.source), file.source, diags);
                    r.rule().check_function(&cx, &mut sink);
                }
            }
        }
        None
    }

    /// Keeps one finding per leak ([`overlap`]) and applies the file's
    /// directives: one that silences any finding of a group silences it all.
    fn settle(&self, file: &FileContext<'_>, diags: &mut Vec<Diagnostic>) {
        let mut directives = if self.settings.no_ignore {
            Vec::new()
        } else {
            suppress::directives(file.source, file.root)
        };
        let groups = overlap::Overlaps::find(diags, |l| goroutine_start(file.package, l));
        let silenced = suppress::silenced(&mut directives, diags);
        let keep = groups.keep(diags, &silenced);
        let mut i = 0;
        diags.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        if directives.is_empty() || !self.settings.is_enabled(UNUSED_SUPPRESSION) {
            return;
        }
        let sev = self.severity(UNUSED_SUPPRESSION, file.source);
        let mut sink = Sink::new(UNUSED_SUPPRESSION, sev, file.source, diags);
        for d in directives.iter().filter(|d| d.explicit && !d.used) {
            if let Some(why) = &d.malformed {
                sink.report(d.span, format!("malformed suppression: {why}"));
                continue;
            }
            // A directive for a rule that did not run cannot be judged unused.
            let judged = match &d.target {
                Target::All => true,
                Target::Rules(rs) => rs.iter().all(|r| self.rules.contains(r)),
            };
            if judged {
                sink.report(d.span, "this suppression silences nothing: no finding here")
                    .help("remove the directive, or move it to the line of the finding");
            }
        }
    }
}

/// Whether `label` points at a `go` statement of the package (its `go` keyword or all of it).
fn goroutine_start(pkg: &PackageContext<'_>, label: &Label) -> bool {
    let Some(file) = pkg
        .files
        .iter()
        .find(|f| f.source.display == label.location.path)
    else {
        return false;
    };
    let start = label.location.span.start;
    file.tree
        .root_node()
        .descendant_for_byte_range(start, start + 2)
        .filter(|n| n.kind() == "go")
        .and_then(|n| n.parent())
        .is_some_and(|g| g.kind() == kinds::GO_STATEMENT && g.start_byte() == start)
}

/// What checking one file gave.
#[derive(Default)]
struct FileCheck {
    diags: Vec<Diagnostic>,
    errors: Vec<FileError>,
}

/// How the package `files` (import path `path`, clause name `name`) is
/// linked: what its non-test files import, and for a command whether it
/// runs and exits.
fn link(files: &[&ParsedFile], path: &str, name: &str) -> Link {
    let mut imports: Vec<String> = files
        .iter()
        .filter(|f| !f.source.display.ends_with("_test.go"))
        .flat_map(|f| facts::header::imports(f.source.text.as_bytes()))
        .collect();
    imports.sort_unstable();
    imports.dedup();
    let command = (name == "main").then(|| {
        if package_maps::program::runs_and_exits(files, Some(path), name) {
            Run::Exits
        } else {
            Run::Serves
        }
    });
    Link {
        path: path.to_string(),
        imports,
        command,
    }
}

/// A file error located at `offset`.
fn file_error(source: &crate::source::SourceFile, offset: usize, message: String) -> FileError {
    let pos = source.position(offset);
    FileError {
        path: source.display.to_string(),
        line: Some(pos.line),
        column: Some(pos.column),
        message,
    }
}

/// Reads and parses one file, or says why it cannot be read.
pub fn load(input: &FileInput) -> Result<ParsedFile, FileError> {
    let err = |message: String| FileError {
        path: input.display.to_string(),
        line: None,
        column: None,
        message,
    };
    let bytes = match &input.overlay {
        Some(text) => text.clone().into_bytes(),
        None => read_regular(&input.path, MAX_SOURCE_BYTES).map_err(|e| match e {
            ReadFailure::Io(e) => err(format!("cannot read file: {}", io_reason(&e))),
            other => err(other.to_string()),
        })?,
    };
    let text = parse::decode(bytes).map_err(|e| err(e.to_string()))?;
    let source = crate::source::SourceFile::new(input.display.clone(), text);
    Ok(parse::parse(source))
}

/// Roots for scope resolution: function and method declarations, and func
/// literals at package level (in variable initialisers).
fn top_level_functions(root: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    for decl in syntax::named_children(root) {
        match decl.kind() {
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => out.push(decl),
            kinds::VAR_DECLARATION | kinds::CONST_DECLARATION => syntax::walk(decl, |n| {
                if n.kind() == kinds::FUNC_LITERAL {
                    out.push(n);
                    return false;
                }
                true
            }),
            _ => {}
        }
    }
    out
}

/// `top` and every func literal nested in it, in source order.
fn functions_within(top: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    syntax::walk(top, |n| {
        if syntax::is_function(n) {
            out.push(n);
        }
        true
    });
    out
}
