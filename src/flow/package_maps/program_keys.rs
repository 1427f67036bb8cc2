//! Keys bounded by the program's own code, though no constant is written at
//! the write: type descriptors and what they name (`reflect.TypeOf(v)`,
//! `t.Elem().PkgPath()`, `reflect.ValueOf(t).Pointer()`, `t.Field(i).Name`),
//! code locations (the results of `runtime.Caller`,
//! `runtime.FuncForPC(pc).Name()`, a `runtime.Frame`'s `Function`, `File` and
//! `Line`, a package function that turns the PCs of `runtime.Callers` into a
//! key), struct tags (`f.Tag.Get("json")`), and small integers (`bits.Len(n)`,
//! `n % 64`, `n & mask`, a size clamped to a constant maximum). However much
//! data passes through, a map keyed by one holds at most an entry per type,
//! place in the code, tag or size class of the program.

use super::closed_keys::Definition;
use super::{Scan, BINARY_EXPRESSION};
use crate::flow::scopes::{BindingKind, Scopes};
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// How many definitions and operands deep a key's origin is followed.
const MAX_DEPTH: usize = 8;

/// What a value is derived from, when the program's code bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A type descriptor (`reflect.Type`, `*rtype`), or the `reflect.Value` of one.
    Type,
    /// A struct field or method of a type (`t.Field(i)`, `t.Method(i)`).
    Member,
    /// `runtime.CallersFrames(pcs)`: an iterator, a fresh value per call.
    Frames,
    /// A `runtime.Frame` or `*runtime.Func`: one of the program's places in its code.
    Location,
    /// A name, tag, identity or small count read from one of the above.
    Name,
}

impl Origin {
    /// Whether a key of this origin takes one of finitely many values.
    fn bounded(self) -> bool {
        self != Origin::Frames
    }
}

/// Whether a type, as written, is a code location (`runtime.Frame`, `*runtime.Func`).
fn location_type(t: &str) -> bool {
    matches!(t.trim_start_matches('*'), "runtime.Frame" | "runtime.Func")
}

/// The origin of a value declared with type `t`.
fn declared_origin(t: &str) -> Option<Origin> {
    if location_type(t) {
        return Some(Origin::Location);
    }
    match t {
        "reflect.StructField" | "reflect.Method" => Some(Origin::Member),
        "reflect.StructTag" => Some(Origin::Name),
        _ if super::is_type_name(t) => Some(Origin::Type),
        _ => None,
    }
}

/// The origin of `x.m(…)` for a receiver of origin `o`.
fn method_origin(o: Origin, m: &str) -> Option<Origin> {
    match (o, m) {
        (Origin::Type, "Elem" | "Key" | "In" | "Out" | "Type") => Some(Origin::Type),
        (Origin::Type, "Field" | "FieldByName" | "FieldByIndex" | "Method" | "MethodByName") => {
            Some(Origin::Member)
        }
        (
            Origin::Type,
            "Name" | "PkgPath" | "String" | "Pointer" | "Kind" | "Size" | "Align" | "Bits" | "Len"
            | "NumField" | "NumMethod" | "NumIn" | "NumOut" | "ChanDir",
        ) => Some(Origin::Name),
        (Origin::Frames, "Next") => Some(Origin::Location),
        (Origin::Location, "Name" | "Entry" | "FileLine") => Some(Origin::Name),
        _ => None,
    }
}

/// The origin of the field access `x.f` for an operand of origin `o`.
fn field_origin(o: Origin, f: &str) -> Option<Origin> {
    match (o, f) {
        (Origin::Location, "Function" | "File" | "Line" | "PC" | "Entry") => Some(Origin::Name),
        (Origin::Location, "Func") => Some(Origin::Location),
        (Origin::Member, "Name" | "PkgPath" | "Tag" | "Index" | "Offset" | "Anonymous") => {
            Some(Origin::Name)
        }
        (Origin::Member, "Type") => Some(Origin::Type),
        _ => None,
    }
}

impl Scan<'_> {
    /// Whether a key is bounded by the program's code (see the module
    /// documentation), or names a user or group id (a cache of account
    /// lookups is bounded by the system's accounts).
    pub(super) fn program_key(&self, key: Node<'_>, scopes: Option<&Scopes>, depth: usize) -> bool {
        let key = syntax::unparen(key);
        if super::is_account_id(key, self.src) {
            return true;
        }
        self.origin(key, scopes, depth).is_some_and(Origin::bounded)
    }

    /// `pkg.Name` with `pkg` an import of the file, as (import path, name).
    fn qualified<'s>(&'s self, f: Node<'_>, scopes: Option<&Scopes>) -> Option<(&'s str, &'s str)> {
        if f.kind() != kinds::SELECTOR_EXPRESSION {
            return None;
        }
        let op = f.child_by_field_name("operand")?;
        if op.kind() != kinds::IDENTIFIER || scopes.is_some_and(|s| !s.is_free(op)) {
            return None;
        }
        let path = self.decls.imports[self.file].path_of(syntax::text(op, self.src))?;
        let name = syntax::text(f.child_by_field_name("field")?, self.src);
        Some((path, name))
    }

    fn origin(&self, e: Node<'_>, scopes: Option<&Scopes>, depth: usize) -> Option<Origin> {
        if depth > MAX_DEPTH {
            return None;
        }
        let e = syntax::unparen(e);
        match e.kind() {
            kinds::CALL_EXPRESSION => self.call_origin(e, scopes, depth),
            kinds::SELECTOR_EXPRESSION => {
                let o = self.origin(e.child_by_field_name("operand")?, scopes, depth + 1)?;
                field_origin(o, syntax::text(e.child_by_field_name("field")?, self.src))
            }
            kinds::TYPE_ASSERTION_EXPRESSION => {
                let t = syntax::text(e.child_by_field_name("type")?, self.src);
                declared_origin(t).filter(|o| *o != Origin::Name)
            }
            kinds::COMPOSITE_LITERAL => self.literal_origin(e, scopes, depth),
            kinds::IDENTIFIER => self.local_origin(e, scopes?, depth),
            _ => None,
        }
    }

    fn call_origin(&self, call: Node<'_>, scopes: Option<&Scopes>, depth: usize) -> Option<Origin> {
        let f = syntax::unparen(call.child_by_field_name("function")?);
        let args: Vec<Node<'_>> = call
            .child_by_field_name("arguments")
            .map(|a| syntax::named_children(a).collect())
            .unwrap_or_default();
        if let Some((path, name)) = self.qualified(f, scopes) {
            return match (path, name) {
                ("reflect", "TypeOf") => Some(Origin::Type),
                // The value of a type: its `Pointer()` is the type's identity.
                ("reflect", "ValueOf") => args
                    .first()
                    .and_then(|a| self.origin(*a, scopes, depth + 1))
                    .filter(|o| *o == Origin::Type),
                ("runtime", "FuncForPC") => Some(Origin::Location),
                ("runtime", "CallersFrames") => Some(Origin::Frames),
                ("math/bits", n)
                    if ["Len", "TrailingZeros", "LeadingZeros", "OnesCount"]
                        .iter()
                        .any(|p| n.starts_with(p)) =>
                {
                    Some(Origin::Name)
                }
                // `reflect2.TypeOf` and the like.
                (_, "TypeOf") => Some(Origin::Type),
                _ => None,
            };
        }
        match f.kind() {
            kinds::SELECTOR_EXPRESSION => {
                let operand = f.child_by_field_name("operand")?;
                let m = syntax::text(f.child_by_field_name("field")?, self.src);
                // `f.Tag.Get("json")`: struct tags are written in the program.
                let tag = operand.kind() == kinds::SELECTOR_EXPRESSION
                    && operand
                        .child_by_field_name("field")
                        .is_some_and(|t| syntax::text(t, self.src) == "Tag");
                if tag && matches!(m, "Get" | "Lookup") {
                    return Some(Origin::Name);
                }
                match self
                    .origin(operand, scopes, depth + 1)
                    .and_then(|o| method_origin(o, m))
                {
                    Some(o) => Some(o),
                    // `v.Type()` of a `reflect.Value`, `t.Elem()`: a type, whatever the operand.
                    None => matches!(m, "Type" | "Elem").then_some(Origin::Type),
                }
            }
            kinds::IDENTIFIER => {
                let name = syntax::text(f, self.src);
                if scopes.is_some_and(|s| !s.is_free(f)) {
                    return None;
                }
                if name == "min"
                    && args
                        .iter()
                        .any(|a| self.is_constant_within(*a, scopes, depth + 1))
                {
                    // At most the constant: a size clamped to a maximum.
                    return Some(Origin::Name);
                }
                if name.ends_with("TypeOf") {
                    return Some(Origin::Type);
                }
                (self.decls.location_funcs.contains(name)
                    && !args.is_empty()
                    && args.iter().all(|a| self.pcs(*a, call, scopes, depth)))
                .then_some(Origin::Name)
            }
            _ => None,
        }
    }

    /// Whether `arg` holds program counters: a slice that the function
    /// around `at` fills with `runtime.Callers`, or a PC read from a location.
    fn pcs(&self, arg: Node<'_>, at: Node<'_>, scopes: Option<&Scopes>, depth: usize) -> bool {
        let mut arg = syntax::unparen(arg);
        if arg.kind() == kinds::SLICE_EXPRESSION {
            match arg.child_by_field_name("operand") {
                Some(o) => arg = syntax::unparen(o),
                None => return false,
            }
        }
        if self.origin(arg, scopes, depth + 1) == Some(Origin::Name) {
            return true;
        }
        if arg.kind() != kinds::IDENTIFIER {
            return false;
        }
        let name = syntax::text(arg, self.src);
        let Some(func) = syntax::enclosing_function(at) else {
            return false;
        };
        let mut filled = false;
        syntax::walk(func, |n| {
            if filled || n.kind() != kinds::CALL_EXPRESSION {
                return !filled;
            }
            let callee = n.child_by_field_name("function").map(syntax::unparen);
            if callee.and_then(|c| self.qualified(c, scopes)) == Some(("runtime", "Callers")) {
                let second = n
                    .child_by_field_name("arguments")
                    .and_then(|a| syntax::named_children(a).nth(1))
                    .map(syntax::unparen);
                let second = second.map(|s| match s.kind() {
                    kinds::SLICE_EXPRESSION => s.child_by_field_name("operand").unwrap_or(s),
                    _ => s,
                });
                filled = second.is_some_and(|s| syntax::text(s, self.src) == name);
            }
            true
        });
        filled
    }

    /// A struct or array literal of bounded values (`fileLine{frame.File,
    /// frame.Line}`), or of a struct type of the package made of types.
    fn literal_origin(
        &self,
        lit: Node<'_>,
        scopes: Option<&Scopes>,
        depth: usize,
    ) -> Option<Origin> {
        let ty = lit.child_by_field_name("type")?;
        if self.decls.type_keys.contains(syntax::text(ty, self.src)) {
            return Some(Origin::Name);
        }
        if ty.kind() == super::MAP_TYPE || ty.kind() == "slice_type" {
            return None;
        }
        let body = lit.child_by_field_name("body")?;
        let mut any = false;
        for el in syntax::named_children(body) {
            let value = match el.kind() {
                kinds::KEYED_ELEMENT => el.child_by_field_name("value"),
                kinds::LITERAL_ELEMENT => Some(el),
                _ => continue,
            };
            let v = value.and_then(|v| syntax::named_children(v).next())?;
            // Falls back on `program_key` for what is not a constant.
            if !self.is_constant_within(v, scopes, depth + 1) {
                return None;
            }
            any = true;
        }
        any.then_some(Origin::Name)
    }

    /// The origin of a local: its declared type, or the value of its only definition.
    fn local_origin(&self, ident: Node<'_>, scopes: &Scopes, depth: usize) -> Option<Origin> {
        let b = scopes.binding_of(ident)?;
        let binding = scopes.binding(b);
        if !matches!(binding.kind, BindingKind::Param | BindingKind::Var) {
            return None;
        }
        // Set once: every other occurrence reads it.
        for r in scopes.references(b) {
            let id = self
                .root
                .descendant_for_byte_range(r.span.start, r.span.end)?;
            if !matches!(self.definition(id), Definition::Read) {
                return None;
            }
        }
        let id = self
            .root
            .descendant_for_byte_range(binding.decl.start, binding.decl.end)?;
        let p = id.parent()?;
        match p.kind() {
            kinds::PARAMETER_DECLARATION => {
                declared_origin(syntax::text(p.child_by_field_name("type")?, self.src))
            }
            kinds::VAR_SPEC => match p.child_by_field_name("value") {
                None => declared_origin(syntax::text(p.child_by_field_name("type")?, self.src)),
                Some(values) => {
                    let names = syntax::field_children(p, "name");
                    let i = names.iter().position(|n| n.id() == id.id())?;
                    self.defined_origin(&syntax::expressions(values), i, names.len(), scopes, depth)
                }
            },
            kinds::EXPRESSION_LIST => {
                let stmt = p
                    .parent()
                    .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION)?;
                let lhs: Vec<Node<'_>> = syntax::named_children(p).collect();
                let i = lhs.iter().position(|n| n.id() == id.id())?;
                let rhs = stmt.child_by_field_name("right").map(syntax::expressions)?;
                self.defined_origin(&rhs, i, lhs.len(), scopes, depth)
            }
            _ => None,
        }
    }

    /// The origin of the `i`th of `n` names defined by the values `rhs`.
    fn defined_origin(
        &self,
        rhs: &[Node<'_>],
        i: usize,
        n: usize,
        scopes: &Scopes,
        depth: usize,
    ) -> Option<Origin> {
        if rhs.len() == n {
            return self.origin(rhs[i], Some(scopes), depth + 1);
        }
        let [call] = rhs else {
            return None;
        };
        let call = syntax::unparen(*call);
        let callee = call.child_by_field_name("function").map(syntax::unparen)?;
        // `pc, file, line, ok := runtime.Caller(1)`: every result is a place in the code.
        if self.qualified(callee, Some(scopes)) == Some(("runtime", "Caller")) {
            return Some(Origin::Name);
        }
        // `frame, more := frames.Next()`, `f, ok := t.FieldByName(n)`: the first result.
        if i == 0 && call.kind() == kinds::CALL_EXPRESSION {
            return self.origin(call, Some(scopes), depth + 1);
        }
        None
    }

    /// Whether the definition of a local by `v` is followed by a clamp to a
    /// constant maximum (`n := c * 2; if n > max { n = max }`): whatever `v`
    /// is, the local then holds at most the constant.
    pub(super) fn clamped(&self, id: Node<'_>, scopes: &Scopes, depth: usize) -> bool {
        let Some(b) = scopes.binding_of(id).or_else(|| scopes.declared(id)) else {
            return false;
        };
        let mut stmt = id;
        while let Some(p) = stmt.parent() {
            stmt = p;
            if matches!(
                p.kind(),
                kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT | kinds::VAR_DECLARATION
            ) {
                break;
            }
            if p.kind() == kinds::BLOCK || syntax::is_function(p) {
                return false;
            }
        }
        let Some(next) = stmt.next_named_sibling().and_then(|s| {
            let mut s = Some(s);
            while let Some(c) = s.filter(|c| c.kind() == kinds::COMMENT) {
                s = c.next_named_sibling();
            }
            s
        }) else {
            return false;
        };
        if next.kind() != kinds::IF_STATEMENT
            || next.child_by_field_name("initializer").is_some()
            || next.child_by_field_name("alternative").is_some()
        {
            return false;
        }
        let is_var = |n: Option<Node<'_>>| {
            n.map(syntax::unparen)
                .is_some_and(|n| n.kind() == kinds::IDENTIFIER && scopes.binding_of(n) == Some(b))
        };
        let constant = |n: Option<Node<'_>>| {
            n.is_some_and(|n| self.is_constant_within(n, Some(scopes), depth + 1))
        };
        let Some(cond) = next
            .child_by_field_name("condition")
            .map(syntax::unparen)
            .filter(|c| c.kind() == BINARY_EXPRESSION)
        else {
            return false;
        };
        let (l, r) = (
            cond.child_by_field_name("left"),
            cond.child_by_field_name("right"),
        );
        let above = match cond
            .child_by_field_name("operator")
            .map(|o| syntax::text(o, self.src))
        {
            Some(">" | ">=") => is_var(l) && constant(r),
            Some("<" | "<=") => constant(l) && is_var(r),
            _ => false,
        };
        if !above {
            return false;
        }
        let Some(body) = next.child_by_field_name("consequence") else {
            return false;
        };
        let mut resets = false;
        syntax::walk(body, |n| {
            if n.kind() == kinds::ASSIGNMENT_STATEMENT
                && n.child_by_field_name("operator")
                    .is_some_and(|o| syntax::text(o, self.src) == "=")
            {
                let lhs = n.child_by_field_name("left").map(syntax::expressions);
                let rhs = n.child_by_field_name("right").map(syntax::expressions);
                if let (Some([l]), Some([r])) = (lhs.as_deref(), rhs.as_deref()) {
                    resets |= is_var(Some(*l)) && constant(Some(*r));
                }
            }
            !syntax::is_function(n)
        });
        resets
    }
}
