//! `$ref` resolution. Only references into this document's `components` are followed: a reference to
//! another file or a URL is refused (never fetched), and a chain that loops is an error.

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::Diagnostic;
use indexmap::IndexMap;
use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};

/// How many `$ref` hops a chain may take before it is called a loop.
const MAX_HOPS: usize = 64;

/// The component key a local reference names, e.g. `User` for `#/components/schemas/User`.
pub(super) fn component_key(reference: &str, section: &str, at: &str) -> Result<String, Diagnostic> {
    if !reference.starts_with('#') {
        return Err(Diagnostic::error(
            at,
            format!(
                "`$ref: {reference}` points outside this document; external references are not \
                 fetched. Bundle the description into one file first (e.g. `redocly bundle`)"
            ),
        ));
    }
    let prefix = format!("#/components/{section}/");
    match reference.strip_prefix(&prefix) {
        Some(key) if !key.contains('/') => Ok(key.replace("~1", "/").replace("~0", "~")),
        _ => Err(Diagnostic::error(at, format!("`$ref: {reference}` must name an entry of `#/components/{section}`"))),
    }
}

/// Follows references through one `components` section to the item itself.
fn resolve<'a, T>(
    section: &str,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    mut item: &'a ReferenceOr<T>,
    at: &str,
) -> Result<&'a T, Diagnostic> {
    for _ in 0..MAX_HOPS {
        match item {
            ReferenceOr::Item(value) => return Ok(value),
            ReferenceOr::Reference { reference } => {
                let key = component_key(reference, section, at)?;
                item = map.and_then(|m| m.get(&key)).ok_or_else(|| {
                    Diagnostic::error(at, format!("`$ref: {reference}` names nothing in this document"))
                })?;
            }
        }
    }
    Err(Diagnostic::error(at, format!("`$ref` chain in `#/components/{section}` loops")))
}

impl<'a> Lowerer<'a> {
    pub(super) fn resolve_schema(&self, item: SchemaRef<'a>, at: &str) -> Result<&'a Schema, Diagnostic> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        match item {
            SchemaRef::Inline(schema) => Ok(schema),
            SchemaRef::Ref(reference) => {
                let key = component_key(reference, "schemas", at)?;
                let first = schemas.and_then(|m| m.get(&key)).ok_or_else(|| {
                    Diagnostic::error(at, format!("`$ref: {reference}` names nothing in this document"))
                })?;
                resolve("schemas", schemas, first, at)
            }
        }
    }

    pub(super) fn resolve_parameter(
        &self,
        item: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<&'a Parameter, Diagnostic> {
        resolve("parameters", self.doc.components.as_ref().map(|c| &c.parameters), item, at)
    }

    pub(super) fn resolve_body(
        &self,
        item: &'a ReferenceOr<RequestBody>,
        at: &str,
    ) -> Result<&'a RequestBody, Diagnostic> {
        resolve("requestBodies", self.doc.components.as_ref().map(|c| &c.request_bodies), item, at)
    }

    pub(super) fn resolve_response(
        &self,
        item: &'a ReferenceOr<Response>,
        at: &str,
    ) -> Result<&'a Response, Diagnostic> {
        resolve("responses", self.doc.components.as_ref().map(|c| &c.responses), item, at)
    }

    /// Rust name of the component a schema reference names.
    pub(super) fn schema_ref_name(&self, reference: &str, at: &str) -> Result<String, Diagnostic> {
        let key = component_key(reference, "schemas", at)?;
        self.component_names
            .get(key.as_str())
            .cloned()
            .ok_or_else(|| Diagnostic::error(at, format!("`$ref: {reference}` names nothing in this document")))
    }
}
