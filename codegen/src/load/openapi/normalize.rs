//! The parsed document made readable as OpenAPI 3.0 before anything else reads it: OpenAPI 3.1
//! constructs are rewritten into their 3.0 form (`v31`), and rules a real description breaks in
//! a way that has one meaning are repaired (`repair`), each with a warning naming the place and
//! what was assumed.
//!
//! Rewriting the parsed value, not openapiv3's types, keeps one loader for both versions and
//! lets constructs openapiv3 cannot even deserialize (`type: Integer`, `required: true` in a
//! property) be repaired. A rewrite changes a value where it stands and never moves one, so every
//! later message still points at the place in the file as written.

mod event_names;
mod repair;
mod v31;

use crate::diagnostics::{join, Diagnostic};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

struct Normalizer {
    /// The document says `openapi: 3.1.x`, so its 3.1 constructs are rewritten without a word.
    v31: bool,
    /// `#/components/parameters/<key>` -> the parameter's (name, location), to tell which path
    /// parameters an operation declares through references.
    parameters: BTreeMap<String, (String, String)>,
    notes: Vec<Diagnostic>,
}

/// Rewrites `document` in place; returns the warnings of what was rewritten.
pub(super) fn normalize(document: &mut Value) -> Vec<Diagnostic> {
    let Some(root) = document.as_object_mut() else { return Vec::new() };
    let v31 = root.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"));
    let mut n = Normalizer { v31, parameters: parameter_refs(root), notes: Vec::new() };
    v31::document(&mut n, root);
    n.document(root);
    event_names::infer(&mut n, root);
    n.notes
}

/// `(name, in)` of each parameter component, by the reference that names it.
fn parameter_refs(root: &Map<String, Value>) -> BTreeMap<String, (String, String)> {
    let components = root.get("components").and_then(|c| c.get("parameters")).and_then(Value::as_object);
    components
        .into_iter()
        .flatten()
        .filter_map(|(key, p)| {
            let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
            Some((join("#/components/parameters", &[key]), (text("name")?, text("in")?)))
        })
        .collect()
}

impl Normalizer {
    /// A 3.1 construct rewritten into its 3.0 form: silent in a 3.1 document, a repair in a 3.0 one.
    fn rewrote(&mut self, at: &str, message: impl Into<String>) {
        if !self.v31 {
            let message = format!("{}: OpenAPI 3.1, in a 3.0 document", message.into());
            self.notes.push(Diagnostic::repaired(at, message));
        }
    }

    fn repaired(&mut self, at: &str, message: impl Into<String>) {
        self.notes.push(Diagnostic::repaired(at, message));
    }

    fn document(&mut self, root: &mut Map<String, Value>) {
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut().filter(|(path, _)| !path.starts_with("x-")) {
                self.path_item(item, &join("#/paths", &[path]), Some(path));
            }
        }
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = root.get_mut(key) {
                for (name, item) in hooks.iter_mut() {
                    self.path_item(item, &join("#", &[key, name]), None);
                }
            }
        }
        let Some(Value::Object(components)) = root.get_mut("components") else { return };
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else { continue };
            for (key, entry) in entries.iter_mut() {
                let at = join("#/components", &[section, key]);
                match section.as_str() {
                    "schemas" => self.schema(entry, &at),
                    "parameters" => self.parameter(entry, &at),
                    "requestBodies" => self.request_body(entry, &at),
                    "responses" => self.response(entry, &at),
                    "headers" => self.header(entry, &at),
                    _ => {}
                }
            }
        }
    }

    /// A path item; `template` is its path (webhooks have none).
    fn path_item(&mut self, item: &mut Value, at: &str, template: Option<&str>) {
        let Some(item) = item.as_object_mut().filter(|item| !item.contains_key("$ref")) else { return };
        let shared = self.declared(item.get("parameters"));
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            for (i, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &join(at, &["parameters", &i.to_string()]));
            }
        }
        for method in METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else { continue };
            let at = join(at, &[method]);
            if template.is_none() {
                // A webhook's answer is not read, so whatever rules it breaks do not matter.
                operation.remove("responses");
            }
            self.operation(operation, &at);
            if let Some(template) = template {
                repair::path_variables(self, operation, &shared, template, &at);
            }
        }
    }

    /// (name, location) of each parameter in a `parameters` list, references followed.
    fn declared(&self, parameters: Option<&Value>) -> Vec<(String, String)> {
        let list = parameters.and_then(Value::as_array).into_iter().flatten();
        list.filter_map(|p| match p.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.parameters.get(reference).cloned(),
            None => Some((p.get("name")?.as_str()?.to_owned(), p.get("in")?.as_str()?.to_owned())),
        })
        .collect()
    }

    fn operation(&mut self, operation: &mut Map<String, Value>, at: &str) {
        if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
            for (i, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &join(at, &["parameters", &i.to_string()]));
            }
        }
        if let Some(body) = operation.get_mut("requestBody") {
            self.request_body(body, &join(at, &["requestBody"]));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut().filter(|(status, _)| !status.starts_with("x-")) {
                self.response(response, &join(at, &["responses", status]));
            }
        }
    }

    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        let Some(parameter) = parameter.as_object_mut().filter(|p| !p.contains_key("$ref")) else { return };
        self.schema_and_content(parameter, at);
    }

    fn header(&mut self, header: &mut Value, at: &str) {
        let Some(header) = header.as_object_mut().filter(|h| !h.contains_key("$ref")) else { return };
        self.schema_and_content(header, at);
    }

    fn schema_and_content(&mut self, object: &mut Map<String, Value>, at: &str) {
        if let Some(schema) = object.get_mut("schema") {
            self.schema(schema, &join(at, &["schema"]));
        }
        if let Some(content) = object.get_mut("content") {
            self.content(content, &join(at, &["content"]));
        }
    }

    fn request_body(&mut self, body: &mut Value, at: &str) {
        let Some(body) = body.as_object_mut().filter(|b| !b.contains_key("$ref")) else { return };
        repair::body_without_content(self, body, at);
        if let Some(content) = body.get_mut("content") {
            self.content(content, &join(at, &["content"]));
        }
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        let Some(response) = response.as_object_mut().filter(|r| !r.contains_key("$ref")) else { return };
        repair::response_without_description(self, response, at);
        if let Some(content) = response.get_mut("content") {
            self.content(content, &join(at, &["content"]));
        }
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.header(header, &join(at, &["headers", name]));
            }
        }
    }

    fn content(&mut self, content: &mut Value, at: &str) {
        let Some(content) = content.as_object_mut() else { return };
        for (media, entry) in content.iter_mut() {
            if let Some(schema) = entry.get_mut("schema") {
                self.schema(schema, &join(at, &[media, "schema"]));
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &str) {
        v31::boolean_schema(self, schema);
        let Some(object) = schema.as_object_mut().filter(|s| !s.contains_key("$ref")) else { return };
        v31::schema(self, object, at);
        repair::schema(self, object, at);
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                self.schema(property, &join(at, &["properties", name]));
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(inner) =
                object.get_mut(key).filter(|inner| !inner.is_boolean() || key != "additionalProperties")
            {
                self.schema(inner, &join(at, &[key]));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get_mut(key) {
                for (i, branch) in branches.iter_mut().enumerate() {
                    self.schema(branch, &join(at, &[key, &i.to_string()]));
                }
            }
        }
    }
}
