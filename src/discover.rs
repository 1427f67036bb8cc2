//! Finding packages the way the `go` command does: `./...` and `dir/...`
//! walk subdirectories (skipping `testdata`, `vendor` and names starting
//! with `.` or `_`), a directory is one package, files named on the command
//! line form one package per directory. Every package records its nearest go.mod.
//!
//! With a [`BuildContext`], a directory's files are those its build
//! constraints select ([`crate::buildctx`]); files named on the command line
//! are analysed whatever their constraints, as `go vet file.go` does, and a
//! directory named on the command line whose files are all excluded is an
//! error, as it is for the go command.

use crate::buildctx::{BuildContext, Verdict};
use crate::diagnostic::FileError;
use crate::gomod::Module;
use crate::source::{file_kind, io_reason};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// One file to analyse.
#[derive(Debug, Clone)]
pub struct FileInput {
    /// Where to read it.
    pub path: PathBuf,
    /// The path shown to users.
    pub display: Arc<str>,
    /// Unsaved contents (an editor buffer) used instead of the file on disk.
    pub overlay: Option<String>,
}

/// The files of one directory to analyse together.
#[derive(Debug, Clone)]
pub struct PackageInput {
    /// The package directory.
    pub dir: PathBuf,
    /// The nearest go.mod, if any.
    pub module: Option<Arc<Module>>,
    /// The Go files, sorted.
    pub files: Vec<FileInput>,
}

/// Discovery options.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Include `_test.go` files.
    pub tests: bool,
    /// Paths (relative to the working directory) to leave out, as glob patterns.
    pub exclude: Option<globset::GlobSet>,
    /// Prepended to every path shown (`sub/dir`), when the working directory
    /// is below the root paths should be relative to (a repository root).
    pub path_prefix: Option<String>,
    /// The target whose build constraints select files; `None` keeps every
    /// file (`--all-platforms`).
    pub build: Option<Arc<BuildContext>>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            tests: true,
            exclude: None,
            path_prefix: None,
            build: None,
        }
    }
}

impl DiscoverOptions {
    /// The path shown for `path`: relative to `cwd`, behind the path prefix.
    pub fn shown(&self, cwd: &Path, path: &Path) -> String {
        let rel = display_path(cwd, path);
        match &self.path_prefix {
            Some(prefix) if !rel.starts_with('/') => format!("{prefix}/{rel}"),
            _ => rel,
        }
    }
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Packages, sorted by directory.
    pub packages: Vec<PackageInput>,
    /// Problems met while walking (unreadable directories, …).
    pub errors: Vec<FileError>,
    /// Go files left out by build constraints.
    pub excluded: usize,
}

/// A pattern that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

/// Resolves `patterns` relative to `cwd` into packages.
pub fn discover(
    cwd: &Path,
    patterns: &[String],
    opts: &DiscoverOptions,
) -> Result<Discovery, PatternError> {
    let mut d = Discovery::default();
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut modules = ModuleCache::default();
    // Files named on the command line, and the directories patterns named.
    let mut named_files: HashSet<PathBuf> = HashSet::new();
    let mut named_dirs: Vec<(&str, PathBuf, bool)> = Vec::new();
    let patterns: Vec<String> = if patterns.is_empty() {
        vec!["./...".to_string()]
    } else {
        patterns.to_vec()
    };
    for pattern in &patterns {
        let before: usize = by_dir.values().map(Vec::len).sum();
        let (base, recursive) = match pattern.strip_suffix("...") {
            Some(base) => {
                let base = base.trim_end_matches('/');
                (
                    if base.is_empty() || base == "." {
                        "."
                    } else {
                        base
                    },
                    true,
                )
            }
            None => (pattern.as_str(), false),
        };
        let base_path = resolve_pattern_path(cwd, base, &mut modules);
        let meta = std::fs::metadata(&base_path)
            .map_err(|e| PatternError(format!("{pattern}: {}", io_reason(&e))))?;
        if !meta.is_file() && !meta.is_dir() {
            return Err(PatternError(format!(
                "{pattern}: not a regular file ({})",
                file_kind(meta.file_type())
            )));
        }
        let errors_before = d.errors.len();
        if meta.is_file() {
            if recursive {
                return Err(PatternError(format!("{pattern}: not a directory")));
            }
            if !pattern.ends_with(".go") {
                return Err(PatternError(format!("{pattern}: not a .go file")));
            }
            let dir = base_path.parent().unwrap_or(Path::new(".")).to_path_buf();
            by_dir.entry(dir).or_default().push(base_path.clone());
            named_files.insert(base_path.clone());
        } else if recursive {
            walk(&base_path, cwd, opts, &mut by_dir, &mut d.errors);
            named_dirs.push((pattern.as_str(), base_path.clone(), true));
        } else {
            collect_dir(&base_path, cwd, opts, &mut by_dir, &mut d.errors);
            named_dirs.push((pattern.as_str(), base_path.clone(), false));
        }
        let after: usize = by_dir.values().map(Vec::len).sum();
        if after == before {
            // An unreadable directory matched nothing because it could not be read.
            if let Some(e) = d.errors.get(errors_before) {
                return Err(PatternError(format!("{}: {}", e.path, e.message)));
            }
            return Err(PatternError(format!("{pattern}: matched no Go files")));
        }
    }
    let before: Vec<(PathBuf, usize)> = by_dir.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    // Directories with a file refused for a bad constraint: reported, not "excluded".
    let mut invalid: HashSet<PathBuf> = HashSet::new();
    for (dir, mut files) in by_dir {
        files.sort();
        files.dedup();
        if files.is_empty() {
            continue;
        }
        let module = modules.nearest(&dir);
        if let Some(build) = &opts.build {
            let go = module.as_ref().and_then(|m| m.go_version);
            let verdicts: Vec<Verdict> = files
                .par_iter()
                .map(|p| {
                    if named_files.contains(p) {
                        Verdict::Build
                    } else {
                        build.judge_path(p, go)
                    }
                })
                .collect();
            let mut kept = Vec::with_capacity(files.len());
            for (path, verdict) in files.into_iter().zip(verdicts) {
                match verdict {
                    Verdict::Build => kept.push(path),
                    Verdict::Excluded => d.excluded += 1,
                    Verdict::Invalid(e) => {
                        invalid.insert(dir.clone());
                        d.errors.push(FileError {
                            path: opts.shown(cwd, &path),
                            line: Some(e.line),
                            column: Some(e.column),
                            message: e.message,
                        });
                    }
                }
            }
            files = kept;
            if files.is_empty() {
                continue;
            }
        }
        d.packages.push(PackageInput {
            files: files
                .into_iter()
                .map(|p| FileInput {
                    display: opts.shown(cwd, &p).into(),
                    path: p,
                    overlay: None,
                })
                .collect(),
            dir,
            module,
        });
    }
    if let Some(build) = &opts.build {
        check_named_dirs(&named_dirs, &before, &d, &invalid, build, cwd, opts)?;
    }
    for (path, why) in modules.errors.drain(..) {
        d.errors.push(FileError {
            path: opts.shown(cwd, &path),
            line: None,
            column: None,
            message: format!("cannot use go.mod: {why}"),
        });
    }
    Ok(d)
}

/// The error the go command gives for a pattern whose Go files build
/// constraints all exclude: a named directory, or every directory a `...`
/// pattern matched.
fn check_named_dirs(
    named: &[(&str, PathBuf, bool)],
    before: &[(PathBuf, usize)],
    found: &Discovery,
    invalid: &HashSet<PathBuf>,
    build: &BuildContext,
    cwd: &Path,
    opts: &DiscoverOptions,
) -> Result<(), PatternError> {
    let covers = |base: &Path, recursive: bool, dir: &Path| {
        if recursive {
            dir.starts_with(base)
        } else {
            dir == base
        }
    };
    for (pattern, base, recursive) in named {
        let base = base.as_path();
        let had = before
            .iter()
            .any(|(dir, n)| *n > 0 && covers(base, *recursive, dir.as_path()));
        let has = found
            .packages
            .iter()
            .map(|p| &p.dir)
            .chain(invalid)
            .any(|dir| covers(base, *recursive, dir.as_path()));
        if had && !has {
            let target = format!("{}/{}", build.goos, build.goarch);
            return Err(PatternError(if *recursive {
                format!(
                    "{pattern}: build constraints exclude all Go files for {target} \
                     (--all-platforms analyses every file)"
                )
            } else {
                format!(
                    "build constraints exclude all Go files in {} for {target} \
                     (--all-platforms analyses every file)",
                    opts.shown(cwd, base)
                )
            }));
        }
    }
    Ok(())
}

/// Maps an import-path pattern of the current module (`example.com/m/internal`) to its directory.
fn resolve_pattern_path(cwd: &Path, base: &str, modules: &mut ModuleCache) -> PathBuf {
    let direct = cwd.join(base);
    if direct.exists() || base.starts_with('.') || base.starts_with('/') {
        return direct;
    }
    if let Some(m) = modules.nearest(cwd) {
        if !m.path.is_empty() {
            if base == m.path {
                return m.root.clone();
            }
            if let Some(rest) = base.strip_prefix(&format!("{}/", m.path)) {
                return m.root.join(rest);
            }
        }
    }
    direct
}

fn skipped_dir_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_') || name == "testdata" || name == "vendor"
}

fn is_go_file(name: &str, opts: &DiscoverOptions) -> bool {
    name.ends_with(".go")
        && !name.starts_with('.')
        && !name.starts_with('_')
        && (opts.tests || !name.ends_with("_test.go"))
}

fn excluded(cwd: &Path, path: &Path, opts: &DiscoverOptions) -> bool {
    opts.exclude
        .as_ref()
        .is_some_and(|g| g.is_match(display_path(cwd, path)))
}

fn walk(
    root: &Path,
    cwd: &Path,
    opts: &DiscoverOptions,
    by_dir: &mut BTreeMap<PathBuf, Vec<PathBuf>>,
    errors: &mut Vec<FileError>,
) {
    // Symbolic links to directories are not followed, as the go command does not.
    let it = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !skipped_dir_name(&e.file_name().to_string_lossy())
        });
    for entry in it {
        match entry {
            Ok(e) => {
                let name = e.file_name().to_string_lossy();
                if e.file_type().is_dir() {
                    if excluded(cwd, e.path(), opts) && e.depth() > 0 {
                        continue;
                    }
                    by_dir.entry(e.path().to_path_buf()).or_default();
                    continue;
                }
                if !is_go_file(&name, opts) || excluded(cwd, e.path(), opts) {
                    continue;
                }
                if e.file_type().is_symlink()
                    && std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir())
                {
                    continue;
                }
                let dir = e.path().parent().unwrap_or(root).to_path_buf();
                by_dir.entry(dir).or_default().push(e.path().to_path_buf());
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| opts.shown(cwd, p))
                    .unwrap_or_else(|| opts.shown(cwd, root));
                let reason = err
                    .io_error()
                    .map(io_reason)
                    .unwrap_or_else(|| err.to_string());
                errors.push(FileError {
                    path,
                    line: None,
                    column: None,
                    message: format!("cannot read directory: {reason}"),
                });
            }
        }
    }
}

fn collect_dir(
    dir: &Path,
    cwd: &Path,
    opts: &DiscoverOptions,
    by_dir: &mut BTreeMap<PathBuf, Vec<PathBuf>>,
    errors: &mut Vec<FileError>,
) {
    let files = by_dir.entry(dir.to_path_buf()).or_default();
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
                if !is_dir && is_go_file(&name, opts) && !excluded(cwd, &e.path(), opts) {
                    files.push(e.path());
                }
            }
        }
        Err(e) => errors.push(FileError {
            path: opts.shown(cwd, dir),
            line: None,
            column: None,
            message: format!("cannot read directory: {}", io_reason(&e)),
        }),
    }
}

/// The path shown to users: relative to `cwd` when below it, with `/` separators.
pub fn display_path(cwd: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::RootDir => parts.push(String::new()),
            Component::ParentDir => parts.push("..".to_string()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let s = parts.join("/");
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

/// The nearest go.mod of each directory, looked up once.
#[derive(Default)]
pub struct ModuleCache {
    dirs: HashMap<PathBuf, Option<Arc<Module>>>,
    /// go.mod files found but not usable, with why.
    pub errors: Vec<(PathBuf, String)>,
}

impl ModuleCache {
    /// The module of the nearest go.mod at or above `dir`.
    pub fn nearest(&mut self, dir: &Path) -> Option<Arc<Module>> {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut chain = Vec::new();
        let mut cur = Some(dir.as_path());
        let mut found = None;
        while let Some(d) = cur {
            if let Some(m) = self.dirs.get(d) {
                found = m.clone();
                break;
            }
            chain.push(d.to_path_buf());
            match Module::read(d) {
                Ok(Some(m)) => {
                    found = Some(Arc::new(m));
                    break;
                }
                Ok(None) => {}
                // The module root is here, but what it declares is unknown.
                Err(why) => {
                    self.errors.push((d.join("go.mod"), why));
                    found = Some(Arc::new(Module {
                        root: d.to_path_buf(),
                        path: String::new(),
                        go_version: None,
                    }));
                    break;
                }
            }
            cur = d.parent();
        }
        for d in chain {
            self.dirs.insert(d, found.clone());
        }
        found
    }
}
