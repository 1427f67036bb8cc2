//! Mapping a dump's frames (paths of the build machine: another root, maybe
//! Windows, maybe the module cache) to the user's files, by the longest
//! common path suffix, confirmed by the package path in the function name.

use super::group::FrameClass;
use super::parse::Frame;
use crate::discover::PackageInput;
use crate::parse::{self, ParsedFile};
use crate::source::SourceFile;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a frame's code lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// One of the user's files: an index into [`SourceIndex::files`].
    User(usize),
    /// The standard library.
    Std,
    /// The module cache: `module@version`.
    ModuleCache(String),
    /// A vendored dependency.
    Vendor,
    /// Code that matches none of the user's files.
    Unknown,
}

/// One of the user's Go files.
#[derive(Debug)]
pub struct LocalFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The path shown to users.
    pub display: Arc<str>,
    /// Index of its package in the discovered packages.
    pub package: usize,
    /// The import path of its package, when it is in a module.
    pub import_path: Option<String>,
    /// Components of its absolute path.
    components: Vec<String>,
}

/// A file's text and syntax, loaded on first use.
pub struct Loaded {
    /// The parsed file.
    pub parsed: ParsedFile,
}

/// The user's files, indexed by base name.
pub struct SourceIndex {
    /// Every file under the patterns.
    pub files: Vec<LocalFile>,
    by_name: HashMap<String, Vec<usize>>,
    by_display: HashMap<Arc<str>, usize>,
    cache: HashMap<(String, String), Origin>,
    loaded: HashMap<usize, Option<Loaded>>,
}

impl SourceIndex {
    /// Indexes the files of `packages`.
    pub fn new(packages: &[PackageInput]) -> SourceIndex {
        let mut files = Vec::new();
        for (pi, p) in packages.iter().enumerate() {
            let import_path = p.module.as_ref().and_then(|m| {
                let root = std::fs::canonicalize(&m.root).unwrap_or_else(|_| m.root.clone());
                let dir = std::fs::canonicalize(&p.dir).unwrap_or_else(|_| p.dir.clone());
                let rel = dir.strip_prefix(&root).ok()?;
                let mut path = m.path.clone();
                for c in rel.components() {
                    path.push('/');
                    path.push_str(&c.as_os_str().to_string_lossy());
                }
                Some(path)
            });
            for f in &p.files {
                let abs = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
                files.push(LocalFile {
                    path: f.path.clone(),
                    display: f.display.clone(),
                    package: pi,
                    import_path: import_path.clone(),
                    components: components(&abs.to_string_lossy(), false),
                });
            }
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_display = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            if let Some(name) = f.components.last() {
                by_name.entry(name.to_lowercase()).or_default().push(i);
            }
            by_display.insert(f.display.clone(), i);
        }
        SourceIndex {
            files,
            by_name,
            by_display,
            cache: HashMap::new(),
            loaded: HashMap::new(),
        }
    }

    /// The file shown as `display`.
    pub fn by_display(&self, display: &str) -> Option<usize> {
        self.by_display.get(display).copied()
    }

    /// Where a frame's code lives (cached per file and package).
    pub fn origin(&mut self, frame: &Frame) -> Origin {
        let pkg = frame.package();
        let key = (frame.file.clone(), pkg);
        if let Some(o) = self.cache.get(&key) {
            return o.clone();
        }
        let o = self.classify(&key.0, &key.1);
        self.cache.insert(key, o.clone());
        o
    }

    fn classify(&mut self, file: &str, pkg: &str) -> Origin {
        let windows = file.contains('\\') || file.as_bytes().get(1) == Some(&b':');
        let comps = components(file, windows);
        if let Some(m) = module_cache(&comps) {
            return Origin::ModuleCache(m);
        }
        if comps.iter().any(|c| c == "vendor")
            && pkg.split('/').next().is_some_and(|f| f.contains('.'))
        {
            return Origin::Vendor;
        }
        let std_like =
            !pkg.is_empty() && pkg != "main" && !pkg.split('/').next().unwrap_or("").contains('.');
        match self.best_match(&comps, pkg, windows, std_like) {
            Some(i) => Origin::User(i),
            None if std_like => Origin::Std,
            None => Origin::Unknown,
        }
    }

    /// The user's file sharing the longest path suffix with `comps`, if the
    /// match is trustworthy: the package path agrees, or at least the file and
    /// its directory match, or the base name alone matches a single file.
    /// Standard-library-looking packages need the package path to agree.
    fn best_match(
        &mut self,
        comps: &[String],
        pkg: &str,
        windows: bool,
        std_like: bool,
    ) -> Option<usize> {
        let name = comps.last()?.to_lowercase();
        let candidates = self.by_name.get(&name)?.clone();
        let mut scored: Vec<(bool, usize, usize)> = candidates
            .iter()
            .map(|&i| {
                let f = &self.files[i];
                let suffix = common_suffix(&f.components, comps, windows);
                (self.package_matches(i, pkg), suffix, i)
            })
            .filter(|&(_, suffix, _)| suffix >= 1)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let &(pkg_ok, suffix, best) = scored.first()?;
        let ties = scored
            .iter()
            .filter(|s| (s.0, s.1) == (pkg_ok, suffix))
            .count();
        let trusted = pkg_ok || (!std_like && (suffix >= 2 || ties == 1));
        trusted.then_some(best)
    }

    fn package_matches(&mut self, i: usize, pkg: &str) -> bool {
        if pkg == "main" {
            return self.load(i).is_some_and(|l| l.parsed.package == "main");
        }
        self.files[i].import_path.as_deref() == Some(pkg)
    }

    /// The file's text and syntax, read and parsed once; `None` when unreadable.
    pub fn load(&mut self, i: usize) -> Option<&Loaded> {
        if !self.loaded.contains_key(&i) {
            let f = &self.files[i];
            let loaded = std::fs::read(&f.path)
                .ok()
                .and_then(|b| parse::decode(b).ok())
                .map(|text| Loaded {
                    parsed: parse::parse(SourceFile::new(f.display.clone(), text)),
                });
            self.loaded.insert(i, loaded);
        }
        self.loaded.get(&i).and_then(Option::as_ref)
    }

    /// The 1-based line range of the top-level declaration holding `line`.
    pub fn declaration_lines(&mut self, i: usize, line: u32) -> Option<(usize, usize)> {
        let loaded = self.load(i)?;
        let root = loaded.parsed.tree.root_node();
        let line0 = (line as usize).checked_sub(1)?;
        let found = root
            .named_children()
            .find(|d| d.start_position().row <= line0 && line0 <= d.end_position().row)
            .filter(|d| matches!(d.kind(), "function_declaration" | "method_declaration"))
            .map(|d| (d.start_position().row + 1, d.end_position().row + 1));
        found
    }

    /// The text of a 1-based line of the file, trimmed.
    pub fn line_text(&mut self, i: usize, line: u32) -> Option<String> {
        let loaded = self.load(i)?;
        let text = loaded.parsed.source.line_text(line as usize);
        (!text.trim().is_empty()).then(|| text.trim().to_string())
    }
}

/// [`FrameClass`] over the index.
impl FrameClass for SourceIndex {
    fn is_user(&mut self, frame: &Frame) -> bool {
        matches!(self.origin(frame), Origin::User(_))
    }

    fn is_std(&mut self, frame: &Frame) -> bool {
        matches!(self.origin(frame), Origin::Std)
    }
}

/// A path's components, `/` or `\` separated, without a drive letter;
/// lowercased for Windows paths.
fn components(path: &str, windows: bool) -> Vec<String> {
    path.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .filter(|c| !(c.len() == 2 && c.ends_with(':')))
        .map(|c| {
            if windows {
                c.to_lowercase()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn common_suffix(local: &[String], dump: &[String], windows: bool) -> usize {
    local
        .iter()
        .rev()
        .zip(dump.iter().rev())
        .take_while(|(a, b)| {
            if windows {
                a.to_lowercase() == **b
            } else {
                a == b
            }
        })
        .count()
}

/// `module@version` of a module-cache path (`…/pkg/mod/github.com/x/y@v1.2.3/…`).
fn module_cache(comps: &[String]) -> Option<String> {
    let at = comps
        .windows(2)
        .position(|w| w[0] == "pkg" && w[1] == "mod")?;
    let rest = &comps[at + 2..];
    let v = rest.iter().position(|c| c.contains('@'))?;
    Some(rest[..=v].join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_cache_paths() {
        let c = components("/go/pkg/mod/github.com/x/y@v1.2.3/z/a.go", false);
        assert_eq!(module_cache(&c).as_deref(), Some("github.com/x/y@v1.2.3"));
        let c = components(
            r"C:\Users\me\go\pkg\mod\golang.org\x\net@v0.1.0\http2\t.go",
            true,
        );
        assert_eq!(module_cache(&c).as_deref(), Some("golang.org/x/net@v0.1.0"));
        assert_eq!(module_cache(&components("/src/a.go", false)), None);
    }

    #[test]
    fn suffixes() {
        let local = components("/home/me/svc/worker/w.go", false);
        let dump = components(r"D:\a\svc\Worker\W.go", true);
        assert_eq!(common_suffix(&local, &dump, true), 3);
        let dump = components("/build/worker/w.go", false);
        assert_eq!(common_suffix(&local, &dump, false), 2);
    }
}
