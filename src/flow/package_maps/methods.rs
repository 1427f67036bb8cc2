//! Map fields that methods write through their receiver. A package-level
//! struct value built by a constructor (`var sessions = newStore()`) or a
//! literal grows when code calls its methods (`sessions.add(id, s)` with
//! `func (s *store) add(id string, …) { s.byID[id] = … }`): each such call
//! is a write to that value's map, keyed by what the call passes.
//!
//! A method's writes are its own (`recv.f[k] = v`, `recv.f[k]++`,
//! `recv.f.Store(k, v)` on a `sync.Map` field) and those of the methods it
//! calls on the same receiver (`c.set(k, v)` from `Get`), followed through
//! parameters. Registration methods, test helpers and methods that panic
//! are left out, as their writes are elsewhere (see [`Scan::init_time`]).

use super::{while_empty, written_by, MapKind, Scan};
use crate::flow::scopes::{BindingId, Scopes};
use crate::index::{func_key, param_idents, FuncKey};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashMap as HashMap;

/// How far calls between methods of one receiver are followed.
const MAX_ROUNDS: usize = 4;

/// What keys a write a method makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// The method's parameter at this position: the caller's argument decides.
    Param(usize),
    /// Something else that is not a constant.
    Varying,
}

/// One write a method makes to a map field of its receiver.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FieldWrite {
    /// The field.
    pub field: String,
    /// Its key.
    pub key: Key,
}

/// What a method passes to another method of its receiver, per argument.
#[derive(Debug, Clone, Copy)]
enum Arg {
    Key(Key),
    /// A constant, or a key the program's code bounds.
    Bounded,
}

/// A call `recv.n(args)` inside a method.
struct Forward {
    method: String,
    args: Vec<Arg>,
}

/// The field writes of the methods of the struct types that package-level
/// values of the package hold.
#[derive(Debug, Default)]
pub struct MethodWrites {
    writes: HashMap<(String, String), Vec<FieldWrite>>,
}

impl MethodWrites {
    /// The writes of method `method` of `ty` (a struct type of the package).
    pub(super) fn of(&self, ty: &str, method: &str) -> &[FieldWrite] {
        if self.writes.is_empty() {
            return &[];
        }
        self.writes
            .get(&(ty.to_string(), method.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Scans the methods of `owners` (struct type → its tracked map fields)
    /// in the package's non-test files.
    pub(super) fn collect(
        scans: &[Scan<'_>],
        owners: &HashMap<&str, Vec<(&str, MapKind)>>,
    ) -> Self {
        let mut direct: HashMap<(String, String), Vec<FieldWrite>> = HashMap::default();
        let mut forwards: HashMap<(String, String), Vec<Forward>> = HashMap::default();
        for scan in scans.iter().filter(|s| !s.test) {
            for decl in syntax::named_children(scan.root) {
                if decl.kind() != kinds::METHOD_DECLARATION {
                    continue;
                }
                let Some(FuncKey::Method(ty, name)) = func_key(decl, scan.src) else {
                    continue;
                };
                let Some(fields) = owners.get(ty.as_str()) else {
                    continue;
                };
                if scan.init_time(decl) != Some(false) {
                    continue;
                }
                let Some(method) = Method::new(scan, decl, fields) else {
                    continue;
                };
                let (w, f) = method.scan();
                direct.insert((ty.clone(), name.clone()), w);
                forwards.insert((ty, name), f);
            }
        }
        let mut writes = direct;
        for _ in 0..MAX_ROUNDS {
            let mut grew = false;
            for ((ty, name), calls) in &forwards {
                let mut add: Vec<FieldWrite> = Vec::new();
                for call in calls {
                    let Some(callee) = writes.get(&(ty.clone(), call.method.clone())) else {
                        continue;
                    };
                    for w in callee {
                        let key = match w.key {
                            Key::Param(j) => match call.args.get(j) {
                                Some(Arg::Key(k)) => *k,
                                Some(Arg::Bounded) => continue,
                                None => Key::Varying,
                            },
                            Key::Varying => Key::Varying,
                        };
                        add.push(FieldWrite {
                            field: w.field.clone(),
                            key,
                        });
                    }
                }
                let own = writes.entry((ty.clone(), name.clone())).or_default();
                for w in add {
                    if !own.contains(&w) {
                        own.push(w);
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        writes.retain(|_, w| !w.is_empty());
        MethodWrites { writes }
    }
}

/// One method being scanned.
struct Method<'m, 's> {
    scan: &'m Scan<'s>,
    decl: Node<'m>,
    scopes: std::sync::Arc<Scopes>,
    receiver: BindingId,
    /// The bindings of its parameters, by position; `None` for an unnamed or variadic one.
    params: Vec<Option<BindingId>>,
    fields: &'m [(&'m str, MapKind)],
}

impl<'m, 's> Method<'m, 's> {
    fn new(scan: &'m Scan<'s>, decl: Node<'m>, fields: &'m [(&'m str, MapKind)]) -> Option<Self> {
        let recv = syntax::named_children(decl.child_by_field_name("receiver")?)
            .next()
            .and_then(|p| p.child_by_field_name("name"))?;
        let scopes = Scopes::of(scan.parsed, decl);
        let receiver = scopes.binding_of(recv)?;
        let params = param_idents(decl)
            .into_iter()
            .map(|p| {
                p.filter(|p| {
                    p.parent()
                        .is_none_or(|d| d.kind() != kinds::VARIADIC_PARAMETER_DECLARATION)
                })
                .and_then(|p| scopes.binding_of(p))
            })
            .collect();
        Some(Method {
            scan,
            decl,
            scopes,
            receiver,
            params,
            fields,
        })
    }

    /// The method's own writes, and its calls on the receiver.
    fn scan(&self) -> (Vec<FieldWrite>, Vec<Forward>) {
        let mut writes: Vec<FieldWrite> = Vec::new();
        let mut forwards = Vec::new();
        let Some(body) = self.decl.child_by_field_name("body") else {
            return (writes, forwards);
        };
        syntax::walk(body, |n| {
            if n.kind() != kinds::SELECTOR_EXPRESSION {
                return true;
            }
            let Some(name) = n.child_by_field_name("field") else {
                return true;
            };
            let name = syntax::text(name, self.scan.src);
            let on_receiver = n
                .child_by_field_name("operand")
                .is_some_and(|o| self.is_receiver(o));
            if !on_receiver {
                return true;
            }
            if let Some(kind) = self
                .fields
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, k)| *k)
            {
                if let Some(key) = self.written_key(n, kind) {
                    let w = FieldWrite {
                        field: name.to_string(),
                        key,
                    };
                    if !writes.contains(&w) {
                        writes.push(w);
                    }
                }
            } else if let Some(args) = called_with(n) {
                forwards.push(Forward {
                    method: name.to_string(),
                    args: syntax::named_children(args).map(|a| self.arg(a)).collect(),
                });
            }
            true
        });
        (writes, forwards)
    }

    /// Whether `operand` is the receiver itself.
    fn is_receiver(&self, operand: Node<'_>) -> bool {
        operand.kind() == kinds::IDENTIFIER
            && self.scopes.binding_of(operand) == Some(self.receiver)
    }

    /// The key of an entry added through `field` (the selector `recv.f`),
    /// if this use adds one with a key that is not bounded.
    fn written_key(&self, field: Node<'_>, kind: MapKind) -> Option<Key> {
        let p = field.parent()?;
        let key = match (p.kind(), kind) {
            (kinds::INDEX_EXPRESSION, _)
                if p.child_by_field_name("operand")
                    .is_some_and(|o| o.id() == field.id()) =>
            {
                written_by(p)?;
                p.child_by_field_name("index")?
            }
            (kinds::SELECTOR_EXPRESSION, MapKind::Sync) => {
                let m = syntax::text(p.child_by_field_name("field")?, self.scan.src);
                if !matches!(m, "Store" | "LoadOrStore" | "Swap") {
                    return None;
                }
                syntax::named_children(called_with(p)?).next()?
            }
            _ => return None,
        };
        if while_empty(key, field, self.scan.src) {
            return None;
        }
        match self.arg(key) {
            Arg::Key(k) => Some(k),
            Arg::Bounded => None,
        }
    }

    /// What an expression of the method holds, as a key.
    fn arg(&self, e: Node<'_>) -> Arg {
        let scopes = Some(&*self.scopes);
        if self.scan.is_constant(e, scopes) || self.scan.program_key(e, scopes, 0) {
            return Arg::Bounded;
        }
        let e = syntax::unparen(e);
        let param = (e.kind() == kinds::IDENTIFIER)
            .then(|| self.scopes.binding_of(e))
            .flatten()
            .filter(|b| !self.reassigned(*b))
            .and_then(|b| self.params.iter().position(|p| *p == Some(b)));
        Arg::Key(param.map_or(Key::Varying, Key::Param))
    }

    /// Whether the method assigns to the parameter `b`: then it no longer
    /// holds what the caller passed.
    fn reassigned(&self, b: BindingId) -> bool {
        self.scopes.references(b).iter().any(|r| r.write)
    }
}

/// The arguments of the call whose callee is `f`.
pub(super) fn called_with(f: Node<'_>) -> Option<Node<'_>> {
    let call = f.parent().filter(|c| {
        c.kind() == kinds::CALL_EXPRESSION
            && c.child_by_field_name("function")
                .is_some_and(|x| x.id() == f.id())
    })?;
    call.child_by_field_name("arguments")
}
