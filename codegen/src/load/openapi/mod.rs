//! OpenAPI 3.0 or 3.1 document -> IR. A 3.1 document is first rewritten into its 3.0 form, and
//! rule breaks with one meaning repaired (`normalize`), so one loader on openapiv3's 3.0 types reads both.
//!
//! Component schemas are named first (so inline types never take their names), then lowered, then
//! every operation is lowered in document order. Errors are collected, not stopped at, so one run
//! reports every problem of a description.

mod check;
mod normalize;
mod operations;
mod profile;
mod refs;
mod schemas;
mod webhooks;

use crate::diagnostics::{Diagnostic, Error, Severity};
use crate::ir::{Api, TypeDef};
use crate::names::{self, Scope};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub fn load(mut document: Value) -> Result<Api, Error> {
    let (normalize_errors, mut warnings): (Vec<_>, Vec<_>) =
        normalize::normalize(&mut document).into_iter().partition(|d| d.severity == Severity::Error);
    let checked = check::check(&document);
    if !normalize_errors.is_empty() || !checked.errors.is_empty() {
        return Err(Error { diagnostics: normalize_errors.into_iter().chain(checked.errors).collect() });
    }
    warnings.extend(checked.warnings);
    let webhooks = webhooks::take(&mut document)?;
    let doc: OpenAPI = serde_path_to_error::deserialize(document).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document here: {}", e.inner()))
    })?;
    Lowerer::new(&doc, warnings).run(&webhooks)
}

/// `paths./users.get` (serde_path_to_error's form) -> `#/paths/~1users/get`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => pointer.push_str(&crate::diagnostics::escape(key)),
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Component schema key -> Rust type name.
    component_names: BTreeMap<&'a str, String>,
    types: BTreeMap<String, TypeDef>,
    /// Component parameter key -> the type of its schema, lowered once for every operation using it.
    component_params: BTreeMap<String, crate::ir::TypeRef>,
    type_scope: Scope,
    /// Components being lowered right now, to catch `allOf` that refers back to itself.
    lowering: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, warnings: Vec<Diagnostic>) -> Self {
        Self {
            doc,
            component_names: BTreeMap::new(),
            types: BTreeMap::new(),
            component_params: BTreeMap::new(),
            type_scope: Scope::default(),
            lowering: BTreeSet::new(),
            diagnostics: warnings,
        }
    }

    fn run(mut self, webhooks: &'a webhooks::Parsed) -> Result<Api, Error> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        for key in schemas.into_iter().flat_map(|s| s.keys()) {
            let wanted = names::type_name(key);
            let name = self.type_scope.claim(&wanted);
            if name != wanted {
                self.warn(
                    crate::diagnostics::join("#/components/schemas", &[key]),
                    format!("the Rust name `{wanted}` is taken by another schema; this one is `{name}`"),
                );
            }
            self.component_names.insert(key, name);
        }
        for (key, schema) in schemas.into_iter().flatten() {
            let pointer = crate::diagnostics::join("#/components/schemas", &[key]);
            let name = self.component_names[key.as_str()].clone();
            if let Err(d) = self.lower_component(&name, schema, &pointer) {
                self.diagnostics.push(d);
            }
        }
        let operations = self.lower_operations();
        // A description of webhooks alone (OpenAPI 3.1 allows leaving `paths` out) has something to generate.
        if operations.is_empty() && webhooks.is_empty() && self.diagnostics.is_empty() {
            self.diagnostics.push(Diagnostic::error(
                "#/paths",
                "the description has no operations, so there is nothing to generate",
            ));
        }
        let webhooks = self.lower_webhooks(webhooks);
        let profile = self.profile();
        let cycles = crate::recursion::box_cycles(&mut self.types);
        self.diagnostics.extend(cycles);

        let errors: Vec<_> = self.diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
        if !errors.is_empty() {
            return Err(Error { diagnostics: errors });
        }
        let info = &self.doc.info;
        Ok(Api {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            base_url: self.doc.servers.first().map(|s| s.url.trim_end_matches('/').to_owned()),
            operations,
            types: self.types,
            warnings: self.diagnostics,
            webhooks,
            profile,
        })
    }

    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(pointer, message));
    }
}
