//! Facts for a long-lived caller (the language server): the summaries of
//! the module packages an open file imports, computed on demand and kept
//! while their files are unchanged (same modification time and size on disk,
//! same version for an open buffer). Trees are dropped once summarised.

use super::extract::{group_by_package, summarise_dir};
use super::{header, in_module, FactSet, PackageFacts};
use crate::buildctx::{BuildContext, Verdict};
use crate::catalog::Catalog;
use crate::gomod::GoVersion;
use crate::gomod::Module;
use crate::parse::{self, ParsedFile};
use crate::source::SourceFile;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// An open buffer, which stands in for its file on disk.
#[derive(Debug, Clone, Copy)]
pub struct Buffer<'b> {
    /// The file's path.
    pub path: &'b Path,
    /// The editor's version of the buffer.
    pub version: i32,
    /// Its text.
    pub text: &'b str,
}

/// What a file's summary was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Disk(Option<SystemTime>, u64),
    Buffer(i32),
}

struct Entry {
    files: Vec<(PathBuf, Origin)>,
    facts: Option<Arc<PackageFacts>>,
    imports: Vec<String>,
}

/// Package summaries by directory.
#[derive(Default)]
pub struct FactCache {
    dirs: HashMap<PathBuf, Entry>,
}

impl FactCache {
    /// The facts of the packages of `module` named by `imports`, and of the
    /// module packages they import in turn, each made of the files `build`
    /// selects (`None`: every file).
    pub fn imported(
        &mut self,
        module: &Module,
        imports: impl IntoIterator<Item = String>,
        buffers: &[Buffer<'_>],
        catalog: &Catalog,
        build: Option<&BuildContext>,
    ) -> FactSet {
        let mut set = FactSet::default();
        let mut seen: HashSet<String> = HashSet::default();
        let mut todo: Vec<String> = imports.into_iter().collect();
        while let Some(path) = todo.pop() {
            if !in_module(&module.path, &path) || !seen.insert(path.clone()) {
                continue;
            }
            let Some(dir) = package_dir(module, &path) else {
                continue;
            };
            let target = build.map(|b| (b, module.go_version));
            let entry = self.entry(&dir, &path, buffers, catalog, target);
            if let Some(f) = &entry.facts {
                set.insert(f.clone());
            }
            todo.extend(entry.imports.iter().cloned());
        }
        set
    }

    /// The summary last computed for the package in `dir`.
    pub fn cached(&self, dir: &Path) -> Option<Arc<PackageFacts>> {
        self.dirs.get(dir).and_then(|e| e.facts.clone())
    }

    fn entry(
        &mut self,
        dir: &Path,
        path: &str,
        buffers: &[Buffer<'_>],
        catalog: &Catalog,
        target: Option<(&BuildContext, Option<GoVersion>)>,
    ) -> &Entry {
        let mut files = package_files(dir, buffers);
        if let Some((b, _)) = target {
            files.retain(|(p, _)| b.matches_file_name(&file_name(p)));
        }
        let fresh = self.dirs.get(dir).is_some_and(|e| e.files == files);
        if !fresh {
            let parsed: Vec<ParsedFile> = files
                .iter()
                .filter_map(|(p, _)| {
                    let text = match buffers.iter().find(|b| b.path == p) {
                        Some(b) => b.text.to_string(),
                        None => parse::decode(std::fs::read(p).ok()?).ok()?,
                    };
                    let built = target
                        .is_none_or(|(b, go)| b.judge(&file_name(p), &text, go) == Verdict::Build);
                    built.then(|| parse::parse(SourceFile::new(p.to_string_lossy(), text)))
                })
                .collect();
            let facts = summarise_dir(&group_by_package(&parsed), path, catalog).map(Arc::new);
            let mut imports: Vec<String> = parsed
                .iter()
                .flat_map(|f| header::imports(f.source.text.as_bytes()))
                .collect();
            imports.sort();
            imports.dedup();
            self.dirs.insert(
                dir.to_path_buf(),
                Entry {
                    files,
                    facts,
                    imports,
                },
            );
        }
        &self.dirs[dir]
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The directory of the package `path` of `module`.
fn package_dir(module: &Module, path: &str) -> Option<PathBuf> {
    if module.path == "std" {
        return Some(module.root.join(path));
    }
    let rest = path.strip_prefix(&module.path)?;
    Some(match rest.strip_prefix('/') {
        Some(rel) => module.root.join(rel),
        None if rest.is_empty() => module.root.clone(),
        None => return None,
    })
}

/// The non-test Go files of `dir` (on disk or open), with what they are now.
fn package_files(dir: &Path, buffers: &[Buffer<'_>]) -> Vec<(PathBuf, Origin)> {
    let importable = |p: &Path| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        name.ends_with(".go")
            && !name.ends_with("_test.go")
            && !name.starts_with('.')
            && !name.starts_with('_')
    };
    let mut out: Vec<(PathBuf, Origin)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if !importable(&p) || buffers.iter().any(|b| b.path == p) {
                continue;
            }
            if let Ok(meta) = e.metadata() {
                if meta.is_file() {
                    out.push((p, Origin::Disk(meta.modified().ok(), meta.len())));
                }
            }
        }
    }
    for b in buffers {
        if b.path.parent() == Some(dir) && importable(b.path) {
            out.push((b.path.to_path_buf(), Origin::Buffer(b.version)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_follow_files_and_buffers() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let write = |p: &str, text: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("go.mod", "module example.com/m\n");
        write(
            "a/a.go",
            "package a\n\nimport \"example.com/m/c\"\n\nfunc Open() *c.T { return nil }\n",
        );
        write(
            "a/a_test.go",
            "package a\n\nfunc OpenTest() *T { return nil }\n",
        );
        write(
            "c/c.go",
            "package c\n\ntype T struct{}\n\nfunc (*T) Close() error { return closeAll() }\n",
        );
        let m = Module::read(&root).unwrap().unwrap();
        let catalog = Catalog::builtin();
        let mut cache = FactCache::default();
        let set = cache.imported(
            &m,
            ["example.com/m/a".into(), "fmt".into()],
            &[],
            &catalog,
            None,
        );
        // a, and c through a.
        let a = set.package("example.com/m/a").unwrap();
        assert_eq!(
            a.func("Open").unwrap().results[0].to_string(),
            "*example.com/m/c.T"
        );
        assert!(set
            .package("example.com/m/c")
            .unwrap()
            .types
            .contains_key("T"));
        assert_eq!(set.packages().len(), 2);

        // Unchanged: the same summary.
        let first = cache.cached(&root.join("a")).unwrap();
        cache.imported(&m, ["example.com/m/a".into()], &[], &catalog, None);
        assert!(Arc::ptr_eq(&first, &cache.cached(&root.join("a")).unwrap()));

        // An open buffer stands in for the file.
        let a_go = root.join("a/a.go");
        let buffer = Buffer {
            path: &a_go,
            version: 3,
            text: "package a\n\nimport \"io\"\n\nfunc Body() io.ReadCloser { return nil }\n",
        };
        let set = cache.imported(&m, ["example.com/m/a".into()], &[buffer], &catalog, None);
        let a = set.package("example.com/m/a").unwrap();
        assert!(a.func("Body").is_some() && a.func("Open").is_none());
        assert!(set.package("example.com/m/c").is_none());

        // A change on disk (another size) is seen.
        write(
            "a/a.go",
            "package a\n\nfunc Other() *T { return nil }\n\ntype T struct{}\n",
        );
        let set = cache.imported(&m, ["example.com/m/a".into()], &[], &catalog, None);
        assert!(set.func("example.com/m/a", "Other").is_some());
    }
}
