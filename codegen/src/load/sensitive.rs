//! Which operations carry a credential: a request body or an answer whose type holds a secret
//! field (a password, a token), directly or through any nesting. The runtime keeps such bodies
//! out of errors, `Debug` output and logs.

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Whether a property is a credential by its name and type: a text value named like a password,
/// a secret, a token or a key. Other types (`require_password: bool`) hold no credential.
pub(crate) fn is_secret_by_name(name: &str, ty: &TypeRef) -> bool {
    let name = name.to_ascii_lowercase();
    *ty == TypeRef::String
        && (name.contains("password")
            || name.contains("secret")
            || matches!(name.as_str(), "token" | "access_token" | "refresh_token" | "zak" | "api_key" | "apikey"))
}

/// Sets `sensitive` on every operation of `api`.
pub(crate) fn mark(api: &mut Api) {
    let secret_types = holding_secrets(&api.types);
    for op in &mut api.operations {
        let body = op.body.iter().map(|b| &b.ty);
        let answers = op.responses.iter().filter_map(|r| r.ty.as_ref());
        op.sensitive = body.chain(answers).any(|ty| holds(ty, &secret_types));
    }
}

/// Names of the types that hold a secret field anywhere inside, found by growing the set until
/// nothing changes (iteratively: descriptions nest deeply and types may be recursive).
fn holding_secrets(types: &BTreeMap<String, TypeDef>) -> BTreeSet<&str> {
    let mut found: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = found.len();
        for (name, def) in types {
            if found.contains(name.as_str()) {
                continue;
            }
            let holds_secret = match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| f.secret || holds(&f.ty, &found))
                        || s.additional.as_ref().is_some_and(|ty| holds(ty, &found))
                }
                TypeKind::OneOf(o) => o.variants.iter().any(|v| holds(&v.ty, &found)),
                TypeKind::Alias(ty) => holds(ty, &found),
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => false,
            };
            if holds_secret {
                found.insert(name);
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn holds(ty: &TypeRef, secret_types: &BTreeSet<&str>) -> bool {
    match ty {
        TypeRef::Named(name) => secret_types.contains(name.as_str()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => holds(inner, secret_types),
        _ => false,
    }
}
