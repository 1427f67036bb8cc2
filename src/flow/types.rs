//! Declared-type evidence for receivers: what a method is called on, read
//! from the declaration of the variable, parameter, field or package var it
//! names. No inference beyond what the code states; `None` when unknown.

use crate::check::FunctionContext;
use crate::syntax::{self, kinds};
use tree_sitter::Node;

/// A named type as written: its package (`None` for the current package)
/// and name, and whether it was written behind a pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedType {
    /// Import path, or `None` for a type of the package being checked.
    pub package: Option<String>,
    /// The type's name.
    pub name: String,
    /// Written as `*T` or produced by `&T{…}`.
    pub pointer: bool,
}

impl NamedType {
    /// Reads a type's text (`*http.Client`, `Store`) in the file of `f`.
    pub fn parse(f: &FunctionContext<'_, '_>, text: &str) -> Option<NamedType> {
        let text = text.trim();
        let (pointer, bare) = match text.strip_prefix('*') {
            Some(rest) => (true, rest.trim()),
            None => (false, text),
        };
        let bare = bare.split('[').next().unwrap_or(bare);
        let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
        match bare.split_once('.') {
            Some((pkg, name)) if ok(pkg) && ok(name) => Some(NamedType {
                package: Some(f.file.imports.path_of(pkg)?.to_string()),
                name: name.to_string(),
                pointer,
            }),
            None if ok(bare) => Some(NamedType {
                package: None,
                name: bare.to_string(),
                pointer,
            }),
            _ => None,
        }
    }
}

/// The declared type of `expr`: an identifier (parameter, receiver, typed
/// `var`, a variable initialised from a composite literal or `new(T)`, a
/// package var), a field of a struct declared in the package, or
/// `http.DefaultClient`.
pub fn type_of(f: &FunctionContext<'_, '_>, expr: Node<'_>) -> Option<NamedType> {
    let expr = syntax::unparen(expr);
    match expr.kind() {
        kinds::IDENTIFIER => ident_type(f, expr),
        kinds::SELECTOR_EXPRESSION => {
            let op = syntax::unparen(expr.child_by_field_name("operand")?);
            let field = f.text(expr.child_by_field_name("field")?);
            if op.kind() == kinds::IDENTIFIER && f.scopes.is_free(op) {
                if let Some(path) = f.file.imports.path_of(f.text(op)) {
                    return (path == "net/http" && field == "DefaultClient").then(|| NamedType {
                        package: Some(path.to_string()),
                        name: "Client".into(),
                        pointer: true,
                    });
                }
            }
            let owner = type_of(f, op)?;
            if owner.package.is_some() {
                return None;
            }
            let text = struct_field_type(f, &owner.name, field)?;
            NamedType::parse(f, &text)
        }
        _ => None,
    }
}

fn ident_type(f: &FunctionContext<'_, '_>, ident: Node<'_>) -> Option<NamedType> {
    let Some(binding) = f.scopes.binding_of(ident) else {
        let var = f.file.package.index.vars.get(f.text(ident))?;
        return NamedType::parse(f, var.ty.as_deref()?);
    };
    let decl = f.scopes.binding(binding).decl;
    let name = f
        .file
        .root
        .descendant_for_byte_range(decl.start, decl.end)?;
    let parent = name.parent()?;
    match parent.kind() {
        kinds::PARAMETER_DECLARATION | kinds::VARIADIC_PARAMETER_DECLARATION => {
            NamedType::parse(f, f.text(parent.child_by_field_name("type")?))
        }
        kinds::VAR_SPEC => {
            if let Some(ty) = parent.child_by_field_name("type") {
                return NamedType::parse(f, f.text(ty));
            }
            let index = syntax::field_children(parent, "name")
                .iter()
                .position(|n| n.id() == name.id())?;
            let values = syntax::expressions(parent.child_by_field_name("value")?);
            value_type(f, *values.get(index)?)
        }
        kinds::EXPRESSION_LIST => {
            let stmt = parent.parent()?;
            if stmt.kind() != kinds::SHORT_VAR_DECLARATION {
                return None;
            }
            let index = syntax::left_side(stmt)
                .iter()
                .position(|n| n.id() == name.id())?;
            let values = syntax::expressions(stmt.child_by_field_name("right")?);
            value_type(f, *values.get(index)?)
        }
        _ => None,
    }
}

/// The type of `T{…}`, `&T{…}` or `new(T)`.
fn value_type(f: &FunctionContext<'_, '_>, value: Node<'_>) -> Option<NamedType> {
    let value = syntax::unparen(value);
    match value.kind() {
        kinds::UNARY_EXPRESSION if f.text(value).starts_with('&') => {
            let mut t = value_type(f, value.child_by_field_name("operand")?)?;
            t.pointer = true;
            Some(t)
        }
        kinds::COMPOSITE_LITERAL => NamedType::parse(f, f.text(value.child_by_field_name("type")?)),
        kinds::CALL_EXPRESSION => {
            let fun = value.child_by_field_name("function")?;
            if f.text(fun) != "new" {
                return None;
            }
            let arg = syntax::named_children(value.child_by_field_name("arguments")?).next()?;
            let mut t = NamedType::parse(f, f.text(arg))?;
            t.pointer = true;
            Some(t)
        }
        _ => None,
    }
}

/// The declared type text of `field` in the struct `type_name` of the package.
fn struct_field_type(f: &FunctionContext<'_, '_>, type_name: &str, field: &str) -> Option<String> {
    for file in f.file.package.files {
        let src = file.source.text.as_str();
        let root = file.tree.root_node();
        for decl in syntax::named_children(root).filter(|d| d.kind() == kinds::TYPE_DECLARATION) {
            for spec in syntax::named_children(decl).filter(|s| s.kind() == kinds::TYPE_SPEC) {
                let named = spec
                    .child_by_field_name("name")
                    .is_some_and(|n| syntax::text(n, src) == type_name);
                let Some(ty) = spec.child_by_field_name("type").filter(|_| named) else {
                    continue;
                };
                if ty.kind() != "struct_type" {
                    return None;
                }
                let list =
                    syntax::named_children(ty).find(|c| c.kind() == "field_declaration_list")?;
                for fd in syntax::named_children(list).filter(|c| c.kind() == "field_declaration") {
                    let names = syntax::field_children(fd, "name");
                    if names.iter().any(|n| syntax::text(*n, src) == field) {
                        return Some(
                            syntax::text(fd.child_by_field_name("type")?, src).to_string(),
                        );
                    }
                }
                return None;
            }
        }
    }
    None
}
