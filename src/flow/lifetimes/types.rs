//! The struct types a package declares, their fields and embedded types, and
//! the resolution of an expression to one of them (`t` in `t.ticker`: a
//! receiver, a parameter, `t := &T{…}`, `t := newT()`, `var t T`).

use crate::flow::scopes::Scopes;
use crate::index::{base_type, PackageIndex};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// One field of a struct type.
#[derive(Debug, Clone)]
pub struct FieldInfo {
    /// Its name.
    pub name: String,
    /// The declaring file's index in the package.
    pub file: usize,
    /// The field's name in its declaration.
    pub span: Span,
    /// Its type as written.
    pub ty: String,
}

impl FieldInfo {
    /// Whether other packages can reach the field (and release it themselves).
    pub fn exported(&self) -> bool {
        self.name.starts_with(|c: char| c.is_uppercase())
    }
}

/// A struct type declared in the package.
#[derive(Debug, Clone)]
pub struct StructInfo {
    /// Its name.
    pub name: String,
    /// The declaring file's index in the package.
    pub file: usize,
    /// The type's name in its declaration.
    pub span: Span,
    /// Named fields, in order.
    pub fields: Vec<FieldInfo>,
    /// Base names of embedded types, with the embedded field's declaration.
    pub embeds: Vec<FieldInfo>,
}

/// The struct types of one package, by name.
#[derive(Debug, Default)]
pub struct StructTypes {
    /// The types.
    pub types: HashMap<String, StructInfo>,
    /// Every field name any of them declares, embedded fields included.
    pub field_names: HashSet<String>,
}

/// How far embedding is followed when looking a field or method up.
const MAX_EMBED_STEPS: usize = 16;

impl StructTypes {
    /// Collects the struct types declared in `files` (file index, root, source).
    pub fn collect<'t>(files: impl Iterator<Item = (usize, Node<'t>, &'t str)>) -> StructTypes {
        let mut out = StructTypes::default();
        for (fi, root, src) in files {
            for decl in syntax::named_children(root).filter(|d| d.kind() == kinds::TYPE_DECLARATION)
            {
                for spec in syntax::named_children(decl).filter(|s| s.kind() == kinds::TYPE_SPEC) {
                    let (Some(name), Some(ty)) = (
                        spec.child_by_field_name("name"),
                        spec.child_by_field_name("type"),
                    ) else {
                        continue;
                    };
                    if ty.kind() != "struct_type" {
                        continue;
                    }
                    let mut info = StructInfo {
                        name: syntax::text(name, src).to_string(),
                        file: fi,
                        span: Span::of(name),
                        fields: Vec::new(),
                        embeds: Vec::new(),
                    };
                    let decls = syntax::named_children(ty)
                        .filter(|c| c.kind() == "field_declaration_list")
                        .flat_map(syntax::named_children)
                        .filter(|f| f.kind() == "field_declaration");
                    for f in decls {
                        let Some(t) = f.child_by_field_name("type") else {
                            continue;
                        };
                        let ty = syntax::text(t, src).to_string();
                        let names = syntax::field_children(f, "name");
                        if names.is_empty() {
                            let base = base_type(&ty);
                            let base = base.rsplit('.').next().unwrap_or(base).to_string();
                            out.field_names.insert(base.clone());
                            info.embeds.push(FieldInfo {
                                name: base,
                                file: fi,
                                span: Span::of(t),
                                ty,
                            });
                            continue;
                        }
                        for n in names {
                            out.field_names.insert(syntax::text(n, src).to_string());
                            info.fields.push(FieldInfo {
                                name: syntax::text(n, src).to_string(),
                                file: fi,
                                span: Span::of(n),
                                ty: ty.clone(),
                            });
                        }
                    }
                    out.types.insert(info.name.clone(), info);
                }
            }
        }
        out
    }

    /// The type declaring field `field` as seen on a value of `ty`, with the
    /// field: `ty` itself, or a type it embeds (breadth first, as Go promotes).
    pub fn field_owner(&self, ty: &str, field: &str) -> Option<(&StructInfo, &FieldInfo)> {
        self.first_promoted(ty, |_, info| {
            let info = info?;
            // An embedded field is itself a field named after its type.
            let f = info
                .fields
                .iter()
                .chain(&info.embeds)
                .find(|f| f.name == field)?;
            Some((info, f))
        })
    }

    /// The type whose method `name` a value of `ty` calls: `ty` itself or a
    /// type it embeds, as the package declares them.
    pub fn method_owner<'s>(
        &'s self,
        index: &PackageIndex,
        ty: &'s str,
        name: &str,
    ) -> Option<&'s str> {
        self.first_promoted(ty, |t, _| {
            index
                .methods
                .contains_key(&(t.to_string(), name.to_string()))
                .then_some(t)
        })
    }

    /// The first answer `found` gives for `ty` or a type it embeds, breadth
    /// first as Go promotes fields and methods, at most `MAX_EMBED_STEPS` deep.
    fn first_promoted<'s: 't, 't, R>(
        &'s self,
        ty: &'t str,
        mut found: impl FnMut(&'t str, Option<&'s StructInfo>) -> Option<R>,
    ) -> Option<R> {
        let mut queue = vec![ty];
        let mut seen = HashSet::default();
        let mut i = 0;
        while i < queue.len() && i < MAX_EMBED_STEPS {
            let t = queue[i];
            i += 1;
            if !seen.insert(t) {
                continue;
            }
            let info = self.types.get(t);
            if let Some(r) = found(t, info) {
                return Some(r);
            }
            if let Some(info) = info {
                queue.extend(info.embeds.iter().map(|e| e.name.as_str()));
            }
        }
        None
    }

    /// The package struct types that embed `ty`, directly or not, and `ty`.
    pub fn embedders<'s>(&'s self, ty: &'s str) -> Vec<&'s str> {
        let mut out = vec![ty];
        let mut i = 0;
        while i < out.len() && i < MAX_EMBED_STEPS {
            let t = out[i];
            i += 1;
            for info in self.types.values() {
                if info.embeds.iter().any(|e| e.name == t) && !out.contains(&info.name.as_str()) {
                    out.push(info.name.as_str());
                }
            }
        }
        out
    }
}

/// Resolves expressions of one function to the package's struct types.
pub struct Resolver<'s, 'a> {
    /// Identifier resolution of the top-level function.
    pub scopes: &'s Scopes,
    /// The file's text.
    pub src: &'a str,
    /// A node holding every declaration of `scopes`: the scanned function
    /// (cheaper to search than the file's root), or the file's root.
    pub root: Node<'a>,
    /// The package's struct types.
    pub types: &'s StructTypes,
    /// The package's declarations.
    pub index: &'s PackageIndex,
}

impl<'a> Resolver<'_, 'a> {
    /// The struct type of `expr`: an identifier, `x.f` chains, `&x`, `*x`.
    pub fn expr_type(&self, expr: Node<'a>) -> Option<String> {
        // Down to the root identifier, then back up through the fields.
        let mut fields = Vec::new();
        let mut e = syntax::unparen(expr);
        loop {
            match e.kind() {
                kinds::SELECTOR_EXPRESSION => {
                    fields.push(syntax::text(e.child_by_field_name("field")?, self.src));
                    e = syntax::unparen(e.child_by_field_name("operand")?);
                }
                kinds::UNARY_EXPRESSION => {
                    let op = e.child_by_field_name("operator")?.kind();
                    if op != "&" && op != "*" {
                        return None;
                    }
                    e = syntax::unparen(e.child_by_field_name("operand")?);
                }
                kinds::IDENTIFIER => break,
                _ => return None,
            }
        }
        let mut ty = self.ident_type(e)?;
        for f in fields.iter().rev() {
            let (_, field) = self.types.field_owner(&ty, f)?;
            let next = struct_name(&field.ty);
            if !self.types.types.contains_key(next) {
                return None;
            }
            ty = next.to_string();
        }
        Some(ty)
    }

    /// `x.f` with `x` of a package struct type: the type declaring `f`
    /// (through embedding) and the field.
    pub fn field_of(&self, sel: Node<'a>) -> Option<(&StructInfo, &FieldInfo)> {
        let sel = syntax::unparen(sel);
        if sel.kind() != kinds::SELECTOR_EXPRESSION {
            return None;
        }
        let op = sel.child_by_field_name("operand")?;
        let field = syntax::text(sel.child_by_field_name("field")?, self.src);
        let ty = self.expr_type(op)?;
        self.types.field_owner(&ty, field)
    }

    /// The struct type of a local identifier, from its declaration.
    pub fn ident_type(&self, x: Node<'a>) -> Option<String> {
        if x.kind() != kinds::IDENTIFIER {
            return None;
        }
        let b = self.scopes.binding_of(x)?;
        let decl = self.scopes.binding(b).decl;
        let ident = self.root.descendant_for_byte_range(decl.start, decl.end)?;
        let chain = syntax::ancestors(self.root, ident);
        let p = *chain.len().checked_sub(2).and_then(|i| chain.get(i))?;
        let name = match p.kind() {
            kinds::PARAMETER_DECLARATION | kinds::VARIADIC_PARAMETER_DECLARATION => {
                struct_name(syntax::text(p.child_by_field_name("type")?, self.src)).to_string()
            }
            kinds::VAR_SPEC => match p.child_by_field_name("type") {
                Some(t) => struct_name(syntax::text(t, self.src)).to_string(),
                None => {
                    let i = syntax::field_children(p, "name")
                        .iter()
                        .position(|n| n.id() == ident.id())?;
                    let values = syntax::expressions(p.child_by_field_name("value")?);
                    self.value_type(*values.get(i)?)?
                }
            },
            kinds::EXPRESSION_LIST => {
                let stmt = *chain.len().checked_sub(3).and_then(|i| chain.get(i))?;
                if stmt.kind() != kinds::SHORT_VAR_DECLARATION {
                    return None;
                }
                let i = syntax::named_children(p).position(|n| n.id() == ident.id())?;
                let values = syntax::expressions(stmt.child_by_field_name("right")?);
                if values.len() != syntax::named_children(p).count() && i > 0 {
                    return None;
                }
                self.value_type(*values.get(i)?)?
            }
            _ => return None,
        };
        self.types.types.contains_key(&name).then_some(name)
    }

    /// The struct type a value expression makes: `&T{…}`, `T{…}`, `new(T)`,
    /// or a call of a package function whose first result is `T` or `*T`.
    fn value_type(&self, v: Node<'a>) -> Option<String> {
        let mut v = syntax::unparen(v);
        if v.kind() == kinds::UNARY_EXPRESSION {
            v = syntax::unparen(v.child_by_field_name("operand")?);
        }
        match v.kind() {
            kinds::COMPOSITE_LITERAL => Some(
                struct_name(syntax::text(v.child_by_field_name("type")?, self.src)).to_string(),
            ),
            kinds::CALL_EXPRESSION => {
                let f = syntax::unparen(v.child_by_field_name("function")?);
                let f = if f.kind() == kinds::INDEX_EXPRESSION {
                    f.child_by_field_name("operand")?
                } else {
                    f
                };
                if f.kind() != kinds::IDENTIFIER || !self.scopes.is_free(f) {
                    return None;
                }
                let name = syntax::text(f, self.src);
                if name == "new" {
                    let arg = syntax::named_children(v.child_by_field_name("arguments")?).next()?;
                    return Some(struct_name(syntax::text(arg, self.src)).to_string());
                }
                let sig = self.index.funcs.get(name)?;
                Some(struct_name(&sig.results.first()?.ty).to_string())
            }
            _ => None,
        }
    }
}

/// The base name of a type as written, without pointer, type arguments or a
/// package qualifier: `*T[K]` is `T`.
pub fn struct_name(ty: &str) -> &str {
    base_type(ty)
}
