//! What several passes derive from one syntax node of a file (a function's
//! scopes, above all): built by the first pass that asks, shared by the
//! others. The module facts, the package summaries, the object-lifetime scan
//! and the rules all resolve the identifiers of the same functions; each
//! doing it again cost a fifth of a run.
//!
//! Entries live until [`NodeMemo::clear`], which the engine calls when a
//! package is done, so memory stays bounded by one package.

use crate::syntax::Node;
use rustc_hash::FxHashMap as HashMap;
use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex};

type Key = (TypeId, usize, usize);

/// Values of any type derived from nodes of one file, keyed by the type and
/// the node's byte range.
#[derive(Default)]
pub struct NodeMemo {
    entries: Mutex<HashMap<Key, Arc<dyn Any + Send + Sync>>>,
}

impl NodeMemo {
    /// The `T` derived from `node`, built with `build` the first time.
    /// `build` runs outside the lock: two passes asking at once may both
    /// build, and the first stored wins (the values are equal).
    pub fn get_or_build<T: Any + Send + Sync>(
        &self,
        node: Node<'_>,
        build: impl FnOnce() -> T,
    ) -> Arc<T> {
        let key = (TypeId::of::<T>(), node.start_byte(), node.end_byte());
        if let Some(v) = self.lock().get(&key).cloned() {
            if let Ok(t) = v.downcast::<T>() {
                return t;
            }
        }
        let built: Arc<T> = Arc::new(build());
        let stored = self
            .lock()
            .entry(key)
            .or_insert_with(|| built.clone() as Arc<dyn Any + Send + Sync>)
            .clone();
        stored.downcast::<T>().unwrap_or(built)
    }

    /// Drops every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<dyn Any + Send + Sync>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for NodeMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeMemo")
            .field("entries", &self.lock().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_once_per_node_and_type() {
        let file = crate::parse::parse(crate::source::SourceFile::new(
            "a.go",
            "package p\nfunc f() {}\nfunc g() {}\n".to_string(),
        ));
        let root = file.tree.root_node();
        let f = root.named_child(1).unwrap();
        let g = root.named_child(2).unwrap();
        let memo = NodeMemo::default();
        let mut builds = 0;
        let a = memo.get_or_build(f, || {
            builds += 1;
            1u32
        });
        let b = memo.get_or_build(f, || {
            builds += 1;
            2u32
        });
        assert_eq!((*a, *b, builds), (1, 1, 1));
        assert_eq!(*memo.get_or_build(g, || 3u32), 3);
        assert_eq!(*memo.get_or_build(f, || "other type"), "other type");
        memo.clear();
        assert_eq!(*memo.get_or_build(f, || 4u32), 4);
    }
}
