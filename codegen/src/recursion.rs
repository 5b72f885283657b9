//! Recursive types: a field or variant that holds (directly, not through a `Vec` or map) a type
//! that leads back to its owner is boxed, so every type has a finite size. A loop made only of
//! aliases has no Rust form and is an error.

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Types a type holds inline (through `Option` at most).
fn direct_targets(kind: &TypeKind) -> Vec<&str> {
    fn named(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::OneOf(o) => o.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
    }
}

/// Whether `to` leads back to `from` through inline holdings (iteratively: specs nest deeply).
fn reaches(types: &BTreeMap<String, TypeDef>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name) {
            if let Some(def) = types.get(name) {
                stack.extend(direct_targets(&def.kind));
            }
        }
    }
    false
}

pub fn box_cycles(types: &mut BTreeMap<String, TypeDef>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut to_box: Vec<(String, usize)> = Vec::new();
    for (name, def) in types.iter() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for (i, field) in s.fields.iter().enumerate() {
                    if let TypeRef::Named(target) = &field.ty {
                        if reaches(types, target, name) {
                            to_box.push((name.clone(), i));
                        }
                    }
                }
            }
            TypeKind::OneOf(o) => {
                for (i, variant) in o.variants.iter().enumerate() {
                    if let TypeRef::Named(target) = &variant.ty {
                        if reaches(types, target, name) {
                            to_box.push((name.clone(), i));
                        }
                    }
                }
            }
            TypeKind::Alias(TypeRef::Named(target)) if reaches(types, target, name) => {
                diagnostics.push(Diagnostic::error(
                    &def.pointer,
                    format!("`{name}` is defined as itself through `$ref`s alone; no value can have this type"),
                ));
            }
            _ => {}
        }
    }
    for (name, i) in to_box {
        match types.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[i].boxed = true,
            Some(TypeKind::OneOf(o)) => o.variants[i].boxed = true,
            _ => {}
        }
    }
    diagnostics
}
