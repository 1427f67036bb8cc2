//! A type named by import path, as facts record it: `*example.com/m/a.Conn`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A (possibly pointer-to) named type resolved to its package's import
/// path, or a type facts do not describe (slices, maps, funcs, …).
/// Written as `*path.Name`, `path.Name`, `Name` (predeclared) or `?`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type.
    Named {
        /// `*T` rather than `T`.
        pointer: bool,
        /// The import path of its package; empty for predeclared types (`error`).
        path: String,
        /// The type's name.
        name: String,
    },
    /// Any other type.
    Other,
}

impl TypeRef {
    /// A named type.
    pub fn new(pointer: bool, path: impl Into<String>, name: impl Into<String>) -> TypeRef {
        TypeRef::Named {
            pointer,
            path: path.into(),
            name: name.into(),
        }
    }

    /// The import path and name of a named type.
    pub fn named_parts(&self) -> Option<(&str, &str, bool)> {
        match self {
            TypeRef::Named {
                pointer,
                path,
                name,
            } => Some((path, name, *pointer)),
            TypeRef::Other => None,
        }
    }

    /// The import path and name of a named type, pointer or not.
    pub fn named(&self) -> Option<(&str, &str)> {
        self.named_parts().map(|(p, n, _)| (p, n))
    }

    /// Whether this is the predeclared `error`.
    pub fn is_error(&self) -> bool {
        self.named() == Some(("", "error"))
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Named {
                pointer,
                path,
                name,
            } => {
                let star = if *pointer { "*" } else { "" };
                if path.is_empty() {
                    write!(f, "{star}{name}")
                } else {
                    write!(f, "{star}{path}.{name}")
                }
            }
            TypeRef::Other => f.write_str("?"),
        }
    }
}

impl FromStr for TypeRef {
    type Err = String;

    fn from_str(s: &str) -> Result<TypeRef, String> {
        if s == "?" {
            return Ok(TypeRef::Other);
        }
        let (pointer, rest) = match s.strip_prefix('*') {
            Some(r) => (true, r),
            None => (false, s),
        };
        // Type names hold no dot; import paths may (`example.com/m`).
        let (path, name) = rest.rsplit_once('.').unwrap_or(("", rest));
        let ident = |n: &str| {
            !n.is_empty()
                && !n.starts_with(|c: char| c.is_ascii_digit())
                && n.chars().all(|c| c.is_alphanumeric() || c == '_')
        };
        if !ident(name) || (rest.contains('.') && path.is_empty()) {
            return Err(format!("`{s}` is not a type reference"));
        }
        Ok(TypeRef::new(pointer, path, name))
    }
}

impl Serialize for TypeRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TypeRef, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for s in [
            "*example.com/m/a.Conn",
            "io.ReadCloser",
            "error",
            "?",
            "example.com.T",
        ] {
            let t: TypeRef = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
        }
        let t: TypeRef = "*example.com/m/a.Conn".parse().unwrap();
        assert_eq!(t.named_parts(), Some(("example.com/m/a", "Conn", true)));
        assert!("error".parse::<TypeRef>().unwrap().is_error());
        assert!("a.".parse::<TypeRef>().is_err());
        assert!("[]byte".parse::<TypeRef>().is_err());
        assert!(".T".parse::<TypeRef>().is_err());
    }
}
