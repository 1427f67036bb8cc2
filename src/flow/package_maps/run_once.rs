//! Functions that only initialisation calls: an unexported function every
//! call of which is in `init`, a variable initialiser, a function handed to
//! `once.Do`, a registration or configuration function, or another such
//! function, and that is never used as a value (`initBuffers()` called from
//! `init` and from an exported `Init(cfg)`). Its writes run once per
//! configuration, like those of `init`.

use super::Scan;
use crate::flow::scopes::Scopes;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// One call of a candidate function.
struct Call {
    /// The unexported function making it; `None` for any other code.
    caller: Option<String>,
    /// Whether the call runs during initialisation where it is written.
    init: bool,
}

/// The calls of one unexported function, and whether it is used as a value.
#[derive(Default)]
struct Calls {
    calls: Vec<Call>,
    escapes: bool,
}

/// The unexported functions of the package (outside `_test.go` files) that
/// run only during initialisation.
pub(super) fn init_only(scans: &[Scan<'_>]) -> HashSet<String> {
    let mut funcs: HashMap<String, Calls> = HashMap::default();
    for scan in scans.iter().filter(|s| !s.test) {
        for decl in syntax::named_children(scan.root) {
            if decl.kind() != kinds::FUNCTION_DECLARATION {
                continue;
            }
            let Some(name) = decl.child_by_field_name("name") else {
                continue;
            };
            let name = syntax::text(name, scan.src);
            if name != "init" && !name.starts_with(char::is_uppercase) {
                funcs.entry(name.to_string()).or_default();
            }
        }
    }
    if funcs.is_empty() {
        return HashSet::default();
    }
    for scan in scans.iter().filter(|s| !s.test) {
        for decl in syntax::named_children(scan.root) {
            let Some(init) = scan.initialises(decl) else {
                continue;
            };
            let caller = (decl.kind() == kinds::FUNCTION_DECLARATION)
                .then(|| decl.child_by_field_name("name"))
                .flatten()
                .map(|n| syntax::text(n, scan.src).to_string())
                .filter(|n| funcs.contains_key(n));
            let scopes = syntax::is_function(decl).then(|| Scopes::of(scan.parsed, decl));
            note_calls(scan, decl, init, caller, scopes.as_deref(), &mut funcs);
        }
    }
    let mut once: HashSet<String> = funcs
        .iter()
        .filter(|(_, c)| !c.escapes && !c.calls.is_empty())
        .map(|(n, _)| n.clone())
        .collect();
    // The greatest set closed under "every caller is initialisation or in the set".
    loop {
        let later: Vec<String> = once
            .iter()
            .filter(|f| {
                funcs[f.as_str()].calls.iter().any(|c| {
                    !c.init
                        && c.caller
                            .as_ref()
                            .is_none_or(|caller| !once.contains(caller))
                })
            })
            .cloned()
            .collect();
        if later.is_empty() {
            return once;
        }
        for f in later {
            once.remove(&f);
        }
    }
}

/// Records the uses of the candidate functions in one top-level declaration.
fn note_calls(
    scan: &Scan<'_>,
    decl: Node<'_>,
    init: bool,
    caller: Option<String>,
    scopes: Option<&Scopes>,
    funcs: &mut HashMap<String, Calls>,
) {
    let declared = decl.child_by_field_name("name").map(|n| n.id());
    let mut stack = vec![(decl, init)];
    while let Some((n, init)) = stack.pop() {
        let mut init = init;
        if n.kind() == kinds::FUNC_LITERAL {
            init = scan.literal_init(n, init);
        }
        if n.kind() == kinds::IDENTIFIER {
            if Some(n.id()) == declared || scopes.is_some_and(|s| !s.is_free(n)) {
                continue;
            }
            if let Some(c) = funcs.get_mut(syntax::text(n, scan.src)) {
                let called = n.parent().is_some_and(|p| {
                    p.kind() == kinds::CALL_EXPRESSION
                        && p.child_by_field_name("function")
                            .is_some_and(|f| f.id() == n.id())
                });
                if called {
                    c.calls.push(Call {
                        caller: caller.clone(),
                        init,
                    });
                } else {
                    c.escapes = true;
                }
            }
            continue;
        }
        for c in n.children_rev().filter(Node::is_named) {
            stack.push((c, init));
        }
    }
}
