//! What the server knows: open documents, settings, workspace folders and
//! the last findings published for each document (shared between the
//! message loop and the analysis worker); and the worker's caches of parsed
//! files and engines.

use super::convert::{self, Published};
use super::settings::LspSettings;
use crate::buildctx::{BuildContext, Verdict};
use crate::config::Settings;
use crate::discover::DiscoverOptions;
use crate::engine::{Engine, LoadedPackage};
use crate::facts::cache::{Buffer, FactCache};
use crate::facts::{self, FactSet};
use crate::gomod::GoVersion;
use crate::parse::{self, ParsedFile};
use crate::source::{read_regular, SourceFile, MAX_SOURCE_BYTES};
use lsp_types::Url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its path on disk.
    pub path: PathBuf,
    /// The editor's version number.
    pub version: i32,
    /// The buffer's text.
    pub text: Arc<str>,
}

/// The findings published for one document.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The document version they were computed on.
    pub version: i32,
    /// The findings.
    pub items: Vec<Published>,
}

/// State shared by the message loop and the worker (behind a mutex).
#[derive(Debug, Default)]
pub struct Shared {
    /// Open Go documents.
    pub docs: HashMap<Url, Document>,
    /// The editor's settings.
    pub settings: LspSettings,
    /// Bumped whenever settings change, so cached engines are dropped.
    pub settings_generation: u64,
    /// Workspace folders.
    pub roots: Vec<PathBuf>,
    /// Findings last published per document.
    pub findings: HashMap<Url, Findings>,
}

impl Shared {
    /// The workspace folder holding `path` (the deepest), else its directory.
    pub fn root_for(&self, path: &Path) -> PathBuf {
        self.roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
            .cloned()
            .unwrap_or_else(|| path.parent().unwrap_or(Path::new("/")).to_path_buf())
    }
}

/// The path of a document the server analyses: a `file:` URI of a `.go`
/// file (whatever language the editor gives it: `.go` is what the go command
/// reads).
pub fn go_path(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    let path = uri.to_file_path().ok()?;
    path.extension().is_some_and(|e| e == "go").then_some(path)
}

/// What a cached parse was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Disk(Option<SystemTime>, u64),
    Buffer(i32, usize),
}

struct Cached {
    origin: Origin,
    parsed: Arc<ParsedFile>,
}

type EngineKey = (u64, Option<(PathBuf, Option<SystemTime>)>, PathBuf);

/// The worker's caches: parsed files by path, engines by configuration.
/// Shared by concurrent analyses; each lock is held only to look up or
/// insert, never while parsing or analysing.
#[derive(Default)]
pub struct Caches {
    parsed: Mutex<HashMap<PathBuf, Cached>>,
    facts: Mutex<FactCache>,
    engines: Mutex<HashMap<EngineKey, Arc<(Engine, DiscoverOptions)>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A snapshot of what one analysis needs, taken under the lock.
pub struct Job {
    /// The document analysed.
    pub uri: Url,
    /// Its state.
    pub doc: Document,
    /// The other open documents of its directory.
    pub neighbours: Vec<Document>,
    /// The open documents of other directories (for the facts of the
    /// packages it imports).
    pub elsewhere: Vec<Document>,
    /// Settings.
    pub settings: LspSettings,
    /// Settings generation.
    pub generation: u64,
    /// Its workspace folder.
    pub root: PathBuf,
}

/// The outcome of one analysis.
pub enum Analysis {
    /// Findings to publish.
    Findings(Vec<Published>),
    /// The configuration could not be used.
    ConfigError(String),
}

impl Caches {
    /// Analyses a document with its package: files on disk and open buffers,
    /// re-parsing only those that changed since the last run.
    pub fn analyse(&self, job: &Job) -> Analysis {
        let dir = job
            .doc
            .path
            .parent()
            .unwrap_or(Path::new("/"))
            .to_path_buf();
        let engine = match self.engine(job, &dir) {
            Ok(e) => e,
            Err(e) => return Analysis::ConfigError(e),
        };
        let (engine, opts) = (&engine.0, &engine.1);
        let name = job
            .doc
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let display = crate::discover::display_path(&job.root, &job.doc.path);
        let excluded = opts.exclude.as_ref().is_some_and(|g| g.is_match(&display));
        if excluded || (!opts.tests && name.ends_with("_test.go")) {
            return Analysis::Findings(Vec::new());
        }
        let module = crate::discover::ModuleCache::default().nearest(&dir);
        let go = module.as_ref().and_then(|m| m.go_version);
        // The package view: the files the build target selects, plus the open file whatever
        // its constraints say (the user opened it to see its findings).
        let mut paths = package_files(&dir, opts);
        // Open buffers not yet saved to disk belong to the package too.
        for d in std::iter::once(&job.doc).chain(&job.neighbours) {
            if !paths.contains(&d.path)
                && (d.path == job.doc.path || is_package_file(&d.path, opts))
            {
                paths.push(d.path.clone());
            }
        }
        paths.sort();
        let mut loaded = LoadedPackage {
            go_version: go,
            ..LoadedPackage::default()
        };
        let mut seen = Vec::new();
        for path in paths {
            let buffer = std::iter::once(&job.doc)
                .chain(&job.neighbours)
                .find(|d| d.path == path);
            if let Some(p) = self.parsed(&path, buffer) {
                let member = path == job.doc.path || builds(opts, &path, &p.source.text, go);
                seen.push(path);
                if member {
                    loaded.files.push(p);
                }
            }
        }
        // Forget files of this directory that are gone.
        lock(&self.parsed).retain(|p, _| p.parent() != Some(dir.as_path()) || seen.contains(p));
        let focus = job.doc.path.to_string_lossy();
        let path = module
            .as_ref()
            .and_then(|m| facts::import_path(&m.path, &m.root, &dir));
        let imported = match &module {
            Some(m) if path.is_some() => {
                let imports = loaded
                    .files
                    .iter()
                    .flat_map(|f| facts::header::imports(f.source.text.as_bytes()));
                let buffers: Vec<Buffer<'_>> = job
                    .elsewhere
                    .iter()
                    .map(|d| Buffer {
                        path: &d.path,
                        version: d.version,
                        text: &d.text,
                    })
                    .collect();
                lock(&self.facts).imported(
                    m,
                    imports,
                    &buffers,
                    &engine.settings().catalog,
                    opts.build.as_deref(),
                )
            }
            _ => FactSet::default(),
        };
        let (mut outcome, _) =
            engine.check_in_module(&loaded, Some(&focus), path.as_deref(), &imported);
        outcome.settle_alone();
        let Some(src) = loaded
            .files
            .iter()
            .find(|f| *f.source.display == *focus)
            .map(|f| &f.source)
        else {
            return Analysis::Findings(Vec::new());
        };
        Analysis::Findings(
            outcome
                .diagnostics
                .iter()
                .filter(|d| *d.location.path == *focus)
                .map(|d| convert::diagnostic(d, src, &job.uri))
                .collect(),
        )
    }

    /// Forgets everything (after an internal error).
    pub fn clear(&self) {
        lock(&self.parsed).clear();
        lock(&self.engines).clear();
    }

    fn engine(&self, job: &Job, dir: &Path) -> Result<Arc<(Engine, DiscoverOptions)>, String> {
        let config = job.settings.config_path(dir, &job.root).map(|p| {
            let mtime = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, mtime)
        });
        // Without a config file the settings depend on nothing but the editor's.
        let scope = if config.is_some() {
            dir.to_path_buf()
        } else {
            PathBuf::new()
        };
        let key = (job.generation, config, scope);
        if let Some(e) = lock(&self.engines).get(&key) {
            return Ok(e.clone());
        }
        let (settings, mut opts): (Settings, DiscoverOptions) =
            job.settings.resolve(dir, &job.root)?;
        opts.build = server_build();
        let e = Arc::new((Engine::new(settings), opts));
        let mut engines = lock(&self.engines);
        engines.retain(|k, _| k.0 == job.generation);
        engines.insert(key, e.clone());
        Ok(e)
    }

    /// The parsed file at `path`, from the open buffer when there is one,
    /// else from disk; `None` when it cannot be read.
    fn parsed(&self, path: &Path, buffer: Option<&Document>) -> Option<Arc<ParsedFile>> {
        let origin = match buffer {
            Some(d) => Origin::Buffer(d.version, d.text.len()),
            None => {
                let meta = std::fs::metadata(path).ok()?;
                Origin::Disk(meta.modified().ok(), meta.len())
            }
        };
        let previous = lock(&self.parsed)
            .get(path)
            .map(|c| (c.origin.clone(), c.parsed.clone()));
        if let Some((o, p)) = &previous {
            if *o == origin {
                return Some(p.clone());
            }
        }
        let text = match buffer {
            Some(d) => d.text.to_string(),
            None => parse::decode(read_regular(path, MAX_SOURCE_BYTES).ok()?).ok()?,
        };
        let display: Arc<str> = path.to_string_lossy().into();
        let source = SourceFile::new(display, text);
        // An edited buffer: reuse what is unchanged of its previous tree.
        let parsed = Arc::new(match &previous {
            Some((_, p)) if buffer.is_some() => parse::reparse(source, p),
            _ => parse::parse_editable(source),
        });
        lock(&self.parsed).insert(
            path.to_path_buf(),
            Cached {
                origin,
                parsed: parsed.clone(),
            },
        );
        Some(parsed)
    }
}

/// The Go files of `dir` that belong to its package, as `go` sees them.
fn package_files(dir: &Path, opts: &DiscoverOptions) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.flatten()
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| is_package_file(p, opts))
        .collect()
}

fn is_package_file(path: &Path, opts: &DiscoverOptions) -> bool {
    let name = file_name(path);
    name.ends_with(".go")
        && !name.starts_with('.')
        && !name.starts_with('_')
        && (opts.tests || !name.ends_with("_test.go"))
        && opts
            .build
            .as_ref()
            .is_none_or(|b| b.matches_file_name(&name))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether the file at `path` with text `text` is part of its package for
/// the server's build target (a file whose constraint does not parse is not).
fn builds(opts: &DiscoverOptions, path: &Path, text: &str, go: Option<GoVersion>) -> bool {
    opts.build
        .as_ref()
        .is_none_or(|b| b.judge(&file_name(path), text, go) == Verdict::Build)
}

/// The server's build target: GOOS, GOARCH, cgo and the GOFLAGS tags of its
/// environment, as for the command line; every file when those cannot be used
/// (an editor started with a stray GOOS still gets findings).
fn server_build() -> Option<Arc<BuildContext>> {
    static BUILD: OnceLock<Option<Arc<BuildContext>>> = OnceLock::new();
    BUILD
        .get_or_init(|| BuildContext::from_env(None).ok().map(Arc::new))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(dir: &Path, version: i32, text: &str) -> Job {
        let path = dir.join("a.go");
        Job {
            uri: Url::from_file_path(&path).unwrap(),
            doc: Document {
                path,
                version,
                text: text.into(),
            },
            neighbours: Vec::new(),
            elsewhere: Vec::new(),
            settings: LspSettings::default(),
            generation: 0,
            root: dir.to_path_buf(),
        }
    }

    fn ptr(c: &Caches, path: &Path) -> *const ParsedFile {
        Arc::as_ptr(&lock(&c.parsed)[path].parsed)
    }

    #[test]
    fn facts_of_the_imported_module_packages_are_computed() {
        let module =
            std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/modfacts"))
                .unwrap();
        let b = module.join("b/b.go");
        let mut j = job(&module.join("b"), 1, &std::fs::read_to_string(&b).unwrap());
        j.root = module.clone();
        j.uri = Url::from_file_path(&b).unwrap();
        j.doc.path = b;
        let c = Caches::default();
        let Analysis::Findings(found) = c.analyse(&j) else {
            panic!("config error")
        };
        // a's facts say Dial and OpenBody acquire: b's two leaks are found,
        // and the close by a's CloseQuietly counts as one.
        let leaks: Vec<(&str, u32)> = found
            .iter()
            .map(|p| (p.rule, p.diagnostic.range.start.line + 1))
            .collect();
        assert_eq!(
            leaks,
            [("unclosed-resource", 12), ("unclosed-resource", 22)]
        );
        let facts = lock(&c.facts);
        let a = facts.cached(&module.join("a")).expect("a summarised");
        assert_eq!(a.path, "example.com/modfacts/a");
        assert_eq!(a.types["Conn"].release[0].name, "Close");
        assert!(a.funcs.contains_key("Dial") && a.funcs.contains_key("OpenBody"));
        // An unsaved edit of a.go is what b sees next time.
        let a_go = module.join("a/a.go");
        j.elsewhere.push(Document {
            path: a_go,
            version: 7,
            text: "package a\n\ntype Conn struct{}\n\nfunc Dial() *Conn { return nil }\n".into(),
        });
        drop(facts);
        c.analyse(&j);
        let facts = lock(&c.facts);
        let a = facts.cached(&module.join("a")).unwrap();
        assert!(a.types.is_empty() && a.funcs.contains_key("Dial"));
    }

    #[test]
    fn the_package_view_follows_constraints_but_the_open_file_is_analysed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let opener = "package p\n\nimport \"os\"\n\nfunc open() *os.File {\n\tf, _ := os.Open(\"x\")\n\treturn f\n}\n";
        // The open file says `ignore`: it is analysed all the same.
        let user =
            "//go:build ignore\n\npackage p\n\nfunc use() {\n\tf := open()\n\t_ = f.Name()\n}\n";
        let findings = |c: &Caches, version: i32| match c.analyse(&job(dir, version, user)) {
            Analysis::Findings(f) => f.len(),
            Analysis::ConfigError(e) => panic!("{e}"),
        };
        let c = Caches::default();
        std::fs::write(dir.join("b.go"), opener).unwrap();
        assert_eq!(
            findings(&c, 1),
            1,
            "b.go's open() acquires: the file it returns leaks"
        );
        // b.go left out by its constraint, then by its name: open() is unknown.
        std::fs::write(dir.join("b.go"), format!("//go:build ignore\n\n{opener}")).unwrap();
        assert_eq!(findings(&c, 2), 0);
        std::fs::remove_file(dir.join("b.go")).unwrap();
        let other = if cfg!(windows) {
            "b_plan9.go"
        } else {
            "b_windows.go"
        };
        std::fs::write(dir.join(other), opener).unwrap();
        assert_eq!(findings(&c, 3), 0);
        assert!(
            !lock(&c.parsed).contains_key(&dir.join(other)),
            "not even parsed"
        );
    }

    #[test]
    fn only_changed_files_are_parsed_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let b = dir.join("b.go");
        std::fs::write(&b, "package p\n\nfunc helper() {}\n").unwrap();
        let c = Caches::default();
        let leak = "package p\n\nimport \"context\"\n\nfunc f(ctx context.Context) {\n\t_, _ = context.WithCancel(ctx)\n}\n";
        let Analysis::Findings(first) = c.analyse(&job(dir, 1, leak)) else {
            panic!("config error")
        };
        assert_eq!(first.len(), 1);
        let (a1, b1) = (ptr(&c, &dir.join("a.go")), ptr(&c, &b));
        // A new buffer version: a.go parsed again, b.go reused.
        let Analysis::Findings(second) = c.analyse(&job(dir, 2, "package p\n")) else {
            panic!("config error")
        };
        assert!(second.is_empty());
        assert_ne!(ptr(&c, &dir.join("a.go")), a1);
        assert_eq!(ptr(&c, &b), b1);
        // b.go changed on disk: parsed again.
        std::fs::write(&b, "package p\n\nfunc helper() { println() }\n").unwrap();
        c.analyse(&job(dir, 2, "package p\n"));
        assert_ne!(ptr(&c, &b), b1);
        // b.go deleted: forgotten.
        std::fs::remove_file(&b).unwrap();
        c.analyse(&job(dir, 2, "package p\n"));
        assert!(!lock(&c.parsed).contains_key(&b));
    }
}
