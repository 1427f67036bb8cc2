//! The typed store of package facts: whatever a rule or the flow core derives
//! once per package (channel-parameter summaries, closed fields, `go` starts,
//! release summaries) is a type implementing [`PackageFact`], built on first
//! use and shared by every file and function of the package. A new fact is a
//! new type; nothing else changes.

use crate::catalog::Catalog;
use crate::index::PackageIndex;
use crate::parse::ParsedFile;
use std::any::{Any, TypeId};
use std::sync::{Mutex, OnceLock};

/// What a package fact is built from.
#[derive(Clone, Copy)]
pub struct PackageInput<'a> {
    /// The parsed files of the package.
    pub files: &'a [&'a ParsedFile],
    /// The package index.
    pub index: &'a PackageIndex,
    /// Library knowledge.
    pub catalog: &'a Catalog,
}

/// A fact computed once per package from its files.
pub trait PackageFact: Any + Send + Sync {
    /// Computes the fact.
    fn build(input: PackageInput<'_>) -> Self;
}

/// How many distinct fact types a program may use. Fact types are a fixed,
/// compile-time set (one per implementation of [`PackageFact`]).
const SLOTS: usize = 32;

/// The order in which fact types were first asked for, process-wide: a
/// type's position is its slot in every [`FactStore`].
static SLOT_OF: Mutex<Vec<TypeId>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's copy of the slots it has looked up, so the hot path
    /// (every `fact()` call of every function) takes no process-wide lock.
    static KNOWN_SLOTS: std::cell::RefCell<Vec<(TypeId, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn slot_of<T: 'static>() -> usize {
    let id = TypeId::of::<T>();
    let known = KNOWN_SLOTS.with(|k| k.borrow().iter().find(|(t, _)| *t == id).map(|&(_, s)| s));
    if let Some(slot) = known {
        return slot;
    }
    let mut order = SLOT_OF.lock().unwrap_or_else(|e| e.into_inner());
    let slot = match order.iter().position(|t| *t == id) {
        Some(i) => i,
        None => {
            order.push(id);
            order.len() - 1
        }
    };
    drop(order);
    KNOWN_SLOTS.with(|k| k.borrow_mut().push((id, slot)));
    slot
}

/// The facts of one package, each built on first use.
pub struct FactStore {
    slots: [OnceLock<Box<dyn Any + Send + Sync>>; SLOTS],
}

impl Default for FactStore {
    fn default() -> Self {
        FactStore {
            slots: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

impl FactStore {
    /// The fact `T`, built from `input` the first time it is asked for.
    pub fn get<T: PackageFact>(&self, input: PackageInput<'_>) -> &T {
        let slot = slot_of::<T>();
        assert!(slot < SLOTS, "more than {SLOTS} package fact types");
        self.slots[slot]
            .get_or_init(|| Box::new(T::build(input)))
            .downcast_ref::<T>()
            .expect("a slot holds the type it was assigned to")
    }

    /// Sets the fact `T` (built from this store's package), unless it is
    /// already built.
    pub fn provide<T: PackageFact>(&self, fact: T) {
        let slot = slot_of::<T>();
        assert!(slot < SLOTS, "more than {SLOTS} package fact types");
        let _ = self.slots[slot].set(Box::new(fact));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Files(usize);
    impl PackageFact for Files {
        fn build(input: PackageInput<'_>) -> Self {
            Files(input.files.len())
        }
    }

    struct Name(String);
    impl PackageFact for Name {
        fn build(input: PackageInput<'_>) -> Self {
            Name(input.index.name.clone())
        }
    }

    #[test]
    fn facts_are_built_once_and_typed() {
        let index = PackageIndex {
            name: "p".to_string(),
            ..PackageIndex::default()
        };
        let catalog = Catalog::default();
        let input = PackageInput {
            files: &[],
            index: &index,
            catalog: &catalog,
        };
        let store = FactStore::default();
        assert_eq!(store.get::<Files>(input).0, 0);
        assert_eq!(store.get::<Name>(input).0, "p");
        let first: *const Name = store.get::<Name>(input);
        assert!(std::ptr::eq(first, store.get::<Name>(input)));
    }
}
