//! Declared-type evidence: the named type of an expression as the code
//! states it, read from the declaration of the variable, parameter,
//! receiver, struct field or package variable it names. No inference beyond
//! what is written; `None` when unknown.

use super::function::Function;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// A named type as written: its package (`None` for the current package)
/// and name, and whether it was written behind a pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedType<'a> {
    /// Import path, or `None` for a type of the package being checked.
    pub package: Option<&'a str>,
    /// The type's name.
    pub name: &'a str,
    /// Written as `*T` or produced by `&T{…}` or `new(T)`.
    pub pointer: bool,
}

impl<'a> NamedType<'a> {
    /// Reads a type's text (`*http.Client`, `Store`, `pgx.Rows[T]`) in the file of `f`.
    pub fn parse(f: &dyn Function<'a>, text: &'a str) -> Option<NamedType<'a>> {
        let text = text.trim();
        let (pointer, bare) = match text.strip_prefix('*') {
            Some(rest) => (true, rest.trim()),
            None => (false, text),
        };
        let bare = bare.split('[').next().unwrap_or(bare);
        let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
        match bare.split_once('.') {
            Some((pkg, name)) if ok(pkg) && ok(name) => Some(NamedType {
                package: Some(f.import_path(pkg)?),
                name,
                pointer,
            }),
            None if ok(bare) => Some(NamedType {
                package: None,
                name: bare,
                pointer,
            }),
            _ => None,
        }
    }

    /// Whether this is `package.name`.
    pub fn is(&self, package: &str, name: &str) -> bool {
        self.package == Some(package) && self.name == name
    }
}

/// The declared type of `expr`: an identifier (parameter, receiver, typed
/// `var`, a variable initialised from a composite literal or `new(T)`, a
/// package var), a field of a struct declared in the package, or
/// `http.DefaultClient`.
pub fn type_of<'a>(f: &dyn Function<'a>, expr: Node<'a>) -> Option<NamedType<'a>> {
    // Field chains are short; the depth bound keeps a pathological one cheap.
    let mut chain: Vec<&'a str> = Vec::new();
    let mut cur = syntax::unparen(expr);
    while cur.kind() == kinds::SELECTOR_EXPRESSION && chain.len() < 8 {
        chain.push(f.text(cur.child_by_field_name("field")?));
        cur = syntax::unparen(cur.child_by_field_name("operand")?);
    }
    let mut ty = match cur.kind() {
        kinds::IDENTIFIER if f.scopes().is_free(cur) && !chain.is_empty() => {
            if let Some(path) = f.import_path(f.text(cur)) {
                // `http.DefaultClient`: the one package variable worth knowing.
                let field = chain.pop()?;
                if !chain.is_empty() || path != "net/http" || field != "DefaultClient" {
                    return None;
                }
                return Some(NamedType {
                    package: Some(path),
                    name: "Client",
                    pointer: true,
                });
            }
            ident_type(f, cur)?
        }
        kinds::IDENTIFIER => ident_type(f, cur)?,
        _ => return None,
    };
    while let Some(field) = chain.pop() {
        if ty.package.is_some() {
            return None;
        }
        // The field's type was written in its own file; the current file's
        // imports name the same packages in all but odd code bases.
        let index: &'a crate::index::PackageIndex = f.index();
        let text = index
            .fields
            .get(&(ty.name.to_string(), field.to_string()))?;
        ty = NamedType::parse(f, text)?;
    }
    Some(ty)
}

fn ident_type<'a>(f: &dyn Function<'a>, ident: Node<'a>) -> Option<NamedType<'a>> {
    let Some(binding) = f.scopes().binding_of(ident) else {
        let var = f.index().vars.get(f.text(ident))?;
        return NamedType::parse(f, var.ty.as_deref()?);
    };
    let decl = f.scopes().binding(binding).decl;
    let name = f.root().descendant_for_byte_range(decl.start, decl.end)?;
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
            let left = syntax::left_side(stmt);
            let index = left.iter().position(|n| n.id() == name.id())?;
            let values = syntax::expressions(stmt.child_by_field_name("right")?);
            if values.len() != left.len() {
                return None;
            }
            value_type(f, *values.get(index)?)
        }
        _ => None,
    }
}

/// The type of `T{…}`, `&T{…}` or `new(T)`.
fn value_type<'a>(f: &dyn Function<'a>, value: Node<'a>) -> Option<NamedType<'a>> {
    let mut value = syntax::unparen(value);
    let mut pointer = false;
    if value.kind() == kinds::UNARY_EXPRESSION && f.text(value).starts_with('&') {
        pointer = true;
        value = syntax::unparen(value.child_by_field_name("operand")?);
    }
    let mut t = match value.kind() {
        kinds::COMPOSITE_LITERAL => {
            NamedType::parse(f, f.text(value.child_by_field_name("type")?))?
        }
        kinds::CALL_EXPRESSION if !pointer => {
            let fun = value.child_by_field_name("function")?;
            if f.text(fun) != "new" || !f.scopes().is_free(fun) {
                return None;
            }
            let arg = syntax::named_children(value.child_by_field_name("arguments")?).next()?;
            pointer = true;
            NamedType::parse(f, f.text(arg))?
        }
        _ => return None,
    };
    t.pointer |= pointer;
    Some(t)
}
