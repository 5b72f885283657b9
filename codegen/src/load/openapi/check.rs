//! The document's shape, checked on the parsed value before it is deserialized.
//!
//! openapiv3's serde types report a wrong shape as "data did not match any variant of untagged
//! enum ReferenceOr" at the nearest map above it, often `#/paths`; this check walks the places
//! the generator reads and names the exact key and what it should hold. It also names what the
//! generator does not use (callbacks, keywords that OpenAPI 3.0 does not have, ...) as warnings,
//! so nothing in a description is dropped without a word.

use crate::diagnostics::{join, Diagnostic};
use serde_json::{Map, Value};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// Schema keywords of OpenAPI 3.0 the generator knows; validation-only ones (`pattern`,
/// `minimum`, ...) are known and left to the server.
const SCHEMA_KEYS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// JSON Schema keywords that OpenAPI 3.1 allows and 3.0 does not.
const SCHEMA_KEYS_31: &[&str] = &[
    "const",
    "examples",
    "$defs",
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "prefixItems",
    "contains",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "minContains",
    "maxContains",
];

#[derive(Default)]
pub(super) struct Checked {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Checked {
    fn error(&mut self, at: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(at, message));
    }

    fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(at, message));
    }

    /// `value` as an object, or an error saying what it should be.
    fn object<'v>(&mut self, value: &'v Value, at: &str, what: &str) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.error(at, format!("{what} must be an object (a mapping), not {}", kind(value)));
        }
        object
    }

    fn string(&mut self, object: &Map<String, Value>, key: &str, at: &str, required: bool) {
        match object.get(key) {
            Some(Value::String(_)) => {}
            None if !required => {}
            None => self.error(at, format!("`{key}` is required here")),
            Some(other) => self.error(&join(at, &[key]), format!("`{key}` must be text, not {}", kind(other))),
        }
    }

    fn boolean(&mut self, object: &Map<String, Value>, key: &str, at: &str) {
        if let Some(value) = object.get(key).filter(|v| !v.is_boolean()) {
            self.error(&join(at, &[key]), format!("`{key}` must be `true` or `false`, not {}", kind(value)));
        }
    }

    fn unknown(&mut self, key: &str, at: &str, what: &str) {
        if !key.starts_with("x-") {
            self.warn(&join(at, &[key]), format!("`{key}` is not a field of {what} in OpenAPI 3.0; it is ignored"));
        }
    }
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.chars().count() > 40 => "text".into(),
        Value::String(s) => format!("the text `{s}`"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

pub(super) fn check(document: &Value) -> Checked {
    let mut c = Checked::default();
    let Some(root) = document.as_object() else {
        c.error("#", "the document must be an object");
        return c;
    };
    match root.get("info") {
        None => c.error("#", "`info` is required: an object with the API's `title` and `version`"),
        Some(info) => {
            if let Some(info) = c.object(info, "#/info", "`info`") {
                c.string(info, "title", "#/info", true);
                c.string(info, "version", "#/info", true);
                c.string(info, "description", "#/info", false);
            }
        }
    }
    if let Some(servers) = root.get("servers") {
        check_servers(&mut c, servers, "#/servers", true);
    }
    match root.get("paths") {
        None => c.error("#", "`paths` is required: an object whose keys are paths such as `/users`"),
        Some(paths) => check_paths(&mut c, paths),
    }
    if let Some(components) = root.get("components") {
        check_components(&mut c, components);
    }
    for key in ["webhooks", "x-webhooks"] {
        if let Some(webhooks) = root.get(key) {
            check_webhooks(&mut c, webhooks, &join("#", &[key]));
        }
    }
    for key in root.keys() {
        match key.as_str() {
            "openapi" | "info" | "servers" | "paths" | "components" | "security" | "tags" | "externalDocs"
            | "webhooks" => {}
            "definitions" | "parameters" | "responses" | "securityDefinitions" => c.warn(
                &join("#", &[key]),
                format!("`{key}` is Swagger 2.0; in OpenAPI 3.0 it belongs under `components`, and here it is ignored"),
            ),
            other => c.unknown(other, "#", "the document"),
        }
    }
    c
}

fn check_servers(c: &mut Checked, servers: &Value, at: &str, root: bool) {
    let Some(servers) = servers.as_array() else {
        c.error(at, format!("`servers` must be a list, not {}", kind(servers)));
        return;
    };
    for (i, server) in servers.iter().enumerate() {
        let at = join(at, &[&i.to_string()]);
        if let Some(server) = c.object(server, &at, "a server") {
            c.string(server, "url", &at, true);
            if root && i == 0 && server.get("variables").is_some_and(|v| v.as_object().is_some_and(|v| !v.is_empty())) {
                c.warn(
                    &join(&at, &["variables"]),
                    "server variables are not substituted; the base URL is used as written (set another with \
                     the client builder)",
                );
            }
        }
    }
}

fn check_paths(c: &mut Checked, paths: &Value) {
    let Some(paths) = c.object(paths, "#/paths", "`paths`") else { return };
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let at = join("#/paths", &[path]);
        if !path.starts_with('/') {
            c.error(&at, format!("the path `{path}` must start with `/`"));
        }
        if let Some(problem) = template_problem(path) {
            c.error(&at, format!("the path `{path}` {problem}"));
        }
        let Some(item) = c.object(item, &at, "a path item") else { continue };
        for (key, value) in item {
            let at_key = join(&at, &[key]);
            match key.as_str() {
                method if METHODS.contains(&method) => check_operation(c, value, &at_key),
                "parameters" => check_parameters(c, value, &at_key),
                "servers" => check_servers(c, value, &at_key, false),
                "summary" | "description" | "$ref" => {}
                other => c.unknown(other, &at, "a path item"),
            }
        }
    }
}

/// Why a path template is malformed: braces must pair up and hold a name.
fn template_problem(path: &str) -> Option<&'static str> {
    let mut open = false;
    let mut name_len = 0;
    for ch in path.chars() {
        match ch {
            '{' if open => return Some("has a `{` inside another"),
            '{' => (open, name_len) = (true, 0),
            '}' if !open => return Some("has a `}` without its `{`"),
            '}' if name_len == 0 => return Some("has an empty `{}`"),
            '}' => open = false,
            _ if open => name_len += 1,
            _ => {}
        }
    }
    open.then_some("has a `{` that is never closed")
}

fn check_operation(c: &mut Checked, operation: &Value, at: &str) {
    let Some(operation) = c.object(operation, at, "an operation") else { return };
    c.string(operation, "operationId", at, false);
    c.string(operation, "summary", at, false);
    c.string(operation, "description", at, false);
    c.boolean(operation, "deprecated", at);
    for (key, value) in operation {
        let at_key = join(at, &[key]);
        match key.as_str() {
            "parameters" => check_parameters(c, value, &at_key),
            "requestBody" => check_request_body(c, value, &at_key),
            "responses" => check_responses(c, value, &at_key),
            "servers" => check_servers(c, value, &at_key, false),
            "callbacks" => c.warn(&at_key, "callbacks are not generated: the SDK calls the API, it does not serve it"),
            "tags" => {
                if !value.as_array().is_some_and(|tags| tags.iter().all(Value::is_string)) {
                    c.error(&at_key, "`tags` must be a list of text");
                }
            }
            "operationId" | "summary" | "description" | "deprecated" | "security" | "externalDocs" => {}
            other => c.unknown(other, at, "an operation"),
        }
    }
    if !operation.contains_key("responses") {
        c.error(at, "`responses` is required: an object from status code to response");
    }
}

/// Webhooks are path items whose operations' request bodies are the events; what they answer is
/// not read, so `responses` may be left out.
fn check_webhooks(c: &mut Checked, webhooks: &Value, at: &str) {
    let Some(webhooks) = c.object(webhooks, at, "webhooks") else { return };
    for (name, item) in webhooks {
        let at = join(at, &[name]);
        let Some(item) = c.object(item, &at, "a webhook (a path item)") else { continue };
        for (key, value) in item {
            let at_key = join(&at, &[key]);
            match key.as_str() {
                method if METHODS.contains(&method) => {
                    let Some(operation) = c.object(value, &at_key, "an operation") else { continue };
                    for text in ["operationId", "summary", "description"] {
                        c.string(operation, text, &at_key, false);
                    }
                    c.boolean(operation, "deprecated", &at_key);
                    if let Some(body) = operation.get("requestBody") {
                        check_request_body(c, body, &join(&at_key, &["requestBody"]));
                    }
                }
                "summary" | "description" | "parameters" | "servers" | "$ref" => {}
                other => c.unknown(other, &at, "a path item"),
            }
        }
    }
}

/// Whether `value` is a `$ref` object; a `$ref` that is not text is an error.
fn reference(c: &mut Checked, value: &Value, at: &str) -> bool {
    match value.get("$ref") {
        None => false,
        Some(Value::String(_)) => true,
        Some(other) => {
            c.error(
                &join(at, &["$ref"]),
                format!(
                    "`$ref` must be text (a JSON pointer such as `#/components/schemas/User`), not {}",
                    kind(other)
                ),
            );
            true
        }
    }
}

fn check_parameters(c: &mut Checked, parameters: &Value, at: &str) {
    let Some(parameters) = parameters.as_array() else {
        c.error(at, format!("`parameters` must be a list, not {}", kind(parameters)));
        return;
    };
    for (i, parameter) in parameters.iter().enumerate() {
        check_parameter(c, parameter, &join(at, &[&i.to_string()]));
    }
}

fn check_parameter(c: &mut Checked, parameter: &Value, at: &str) {
    let Some(object) = c.object(parameter, at, "a parameter") else { return };
    if reference(c, parameter, at) {
        return;
    }
    c.string(object, "name", at, true);
    c.string(object, "description", at, false);
    c.boolean(object, "required", at);
    c.boolean(object, "deprecated", at);
    c.boolean(object, "explode", at);
    if object.get("allowReserved").and_then(Value::as_bool) == Some(true) {
        c.warn(
            &join(at, &["allowReserved"]),
            "`allowReserved: true` is not supported; reserved characters in values are percent-encoded",
        );
    }
    let location = object.get("in").and_then(Value::as_str);
    match location {
        Some("query" | "header" | "path" | "cookie") => {}
        Some(swagger @ ("body" | "formData")) => c.error(
            &join(at, &["in"]),
            format!(
                "`in: {swagger}` is Swagger 2.0; in OpenAPI 3.0 a body is the operation's `requestBody` \
                 (convert the document, e.g. with swagger2openapi)"
            ),
        ),
        Some(other) => c.error(&join(at, &["in"]), format!("`in: {other}` must be one of query, header, path, cookie")),
        None => c.error(at, "`in` is required: query, header, path or cookie"),
    }
    if let Some(style) = object.get("style").and_then(Value::as_str) {
        let defined: &[&str] = match location {
            Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            Some("path") => &["simple", "label", "matrix"],
            Some("header") => &["simple"],
            Some("cookie") => &["form"],
            _ => &[],
        };
        if !defined.is_empty() && !defined.contains(&style) {
            c.error(
                &join(at, &["style"]),
                format!(
                    "`style: {style}` is not defined for {} parameters (OpenAPI defines {})",
                    location.unwrap_or_default(),
                    defined.join(", ")
                ),
            );
        }
    }
    match (object.get("schema"), object.get("content")) {
        (Some(schema), _) => check_schema(c, schema, &join(at, &["schema"])),
        (None, Some(content)) => check_content(c, content, &join(at, &["content"])),
        (None, None) if object.contains_key("type") => c.error(
            &join(at, &["type"]),
            "`type` on a parameter is Swagger 2.0; in OpenAPI 3.0 it goes in its `schema`",
        ),
        (None, None) => c.error(at, "a parameter needs a `schema` (or a `content`) saying what it holds"),
    }
}

fn check_request_body(c: &mut Checked, body: &Value, at: &str) {
    let Some(object) = c.object(body, at, "a request body") else { return };
    if reference(c, body, at) {
        return;
    }
    c.boolean(object, "required", at);
    c.string(object, "description", at, false);
    match object.get("content") {
        Some(content) => check_content(c, content, &join(at, &["content"])),
        None => c.error(at, "`content` is required: an object from media type to schema"),
    }
}

fn check_content(c: &mut Checked, content: &Value, at: &str) {
    let Some(content) = c.object(content, at, "`content`") else { return };
    for (media, entry) in content {
        let at = join(at, &[media]);
        if let Some(entry) = c.object(entry, &at, "a media type entry") {
            match entry.get("schema") {
                Some(Value::Null) => c.warn(
                    &join(&at, &["schema"]),
                    "`schema: null` says nothing about the content; it is read as absent (any JSON value)",
                ),
                Some(schema) => check_schema(c, schema, &join(&at, &["schema"])),
                None => {}
            }
            if let Some(encoding) = entry.get("encoding") {
                c.object(encoding, &join(&at, &["encoding"]), "`encoding`");
            }
        }
    }
}

fn check_responses(c: &mut Checked, responses: &Value, at: &str) {
    let Some(responses) = c.object(responses, at, "`responses`") else { return };
    for (status, response) in responses {
        if status.starts_with("x-") {
            continue;
        }
        let at = join(at, &[status]);
        let is_status = status == "default"
            || (status.len() == 3
                && status.starts_with(['1', '2', '3', '4', '5'])
                && (status[1..].bytes().all(|b| b.is_ascii_digit()) || status[1..].eq_ignore_ascii_case("XX")));
        if !is_status {
            c.error(&at, format!("`{status}` is not a status code (such as `200`, `2XX` or `default`)"));
            continue;
        }
        check_response(c, response, &at);
    }
}

fn check_response(c: &mut Checked, response: &Value, at: &str) {
    let Some(object) = c.object(response, at, "a response") else { return };
    if reference(c, response, at) {
        return;
    }
    c.string(object, "description", at, true);
    if let Some(content) = object.get("content") {
        check_content(c, content, &join(at, &["content"]));
    }
    if let Some(headers) = object.get("headers") {
        c.object(headers, &join(at, &["headers"]), "`headers`");
    }
}

fn check_components(c: &mut Checked, components: &Value) {
    let Some(components) = c.object(components, "#/components", "`components`") else { return };
    for (section, entries) in components {
        let at = join("#/components", &[section]);
        let check: fn(&mut Checked, &Value, &str) = match section.as_str() {
            "schemas" => check_schema,
            "parameters" => check_parameter,
            "requestBodies" => check_request_body,
            "responses" => check_response,
            "headers" | "examples" | "securitySchemes" | "links" | "callbacks" => |_, _, _| {},
            other => {
                c.unknown(other, "#/components", "`components`");
                continue;
            }
        };
        let Some(entries) = c.object(entries, &at, &format!("`components/{section}`")) else { continue };
        for (key, entry) in entries {
            check(c, entry, &join(&at, &[key]));
        }
    }
}

fn check_schema(c: &mut Checked, schema: &Value, at: &str) {
    let Some(object) = schema.as_object() else {
        let hint = if schema.is_boolean() {
            " (`true`/`false` schemas are JSON Schema, allowed from OpenAPI 3.1)"
        } else {
            ""
        };
        c.error(at, format!("a schema must be an object, not {}{hint}", kind(schema)));
        return;
    };
    if reference(c, schema, at) {
        return;
    }
    for (key, value) in object {
        let at_key = join(at, &[key]);
        match key.as_str() {
            "type" => match value {
                Value::String(t) if TYPES.contains(&t.as_str()) => {}
                Value::String(t) if t == "null" => c.warn(
                    &at_key,
                    "`type: null` is OpenAPI 3.1; a `oneOf`/`anyOf` branch of it is read as `nullable: true`, \
                     elsewhere as a value that is always null",
                ),
                Value::String(t) => c.error(
                    &at_key,
                    format!("`type: {t}` is not an OpenAPI 3.0 type (string, number, integer, boolean, array, object)"),
                ),
                Value::Array(_) => c.error(
                    &at_key,
                    "a list of types is OpenAPI 3.1; in 3.0 write one `type`, and `nullable: true` for `null`",
                ),
                other => c.error(&at_key, format!("`type` must be text, not {}", kind(other))),
            },
            "properties" => {
                if let Some(properties) = c.object(value, &at_key, "`properties`") {
                    for (name, property) in properties {
                        check_schema(c, property, &join(&at_key, &[name]));
                    }
                }
            }
            "items" | "not" => check_schema(c, value, &at_key),
            "additionalProperties" => {
                if !value.is_boolean() {
                    check_schema(c, value, &at_key);
                }
            }
            "allOf" | "oneOf" | "anyOf" => match value.as_array() {
                Some(branches) if branches.is_empty() => c.error(&at_key, format!("`{key}` needs at least one schema")),
                Some(branches) => {
                    for (i, branch) in branches.iter().enumerate() {
                        check_schema(c, branch, &join(&at_key, &[&i.to_string()]));
                    }
                }
                None => c.error(&at_key, format!("`{key}` must be a list of schemas, not {}", kind(value))),
            },
            "required" => {
                if !value.as_array().is_some_and(|names| names.iter().all(Value::is_string)) {
                    c.error(&at_key, format!("`required` must be a list of property names, not {}", kind(value)));
                }
            }
            "enum" => check_enum(c, object, value, &at_key),
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" => {
                if !value.is_boolean() {
                    c.error(&at_key, format!("`{key}` must be `true` or `false`, not {}", kind(value)));
                }
            }
            "exclusiveMinimum" | "exclusiveMaximum" if !value.is_boolean() => c.error(
                &at_key,
                format!("`{key}` is `true` or `false` in OpenAPI 3.0 (a number is 3.1), not {}", kind(value)),
            ),
            "minimum" | "maximum" | "multipleOf" if !value.is_number() => {
                c.error(&at_key, format!("`{key}` must be a number, not {}", kind(value)))
            }
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
                if !value.is_u64() =>
            {
                c.error(&at_key, format!("`{key}` must be a whole number of zero or more, not {}", kind(value)))
            }
            "title" | "description" | "format" | "pattern" if !value.is_string() => {
                c.error(&at_key, format!("`{key}` must be text, not {}", kind(value)))
            }
            "discriminator" => check_discriminator(c, value, &at_key),
            "xml" | "externalDocs" => {
                c.object(value, &at_key, &format!("`{key}`"));
            }
            known if SCHEMA_KEYS.contains(&known) => {}
            newer if SCHEMA_KEYS_31.contains(&newer) => c.warn(
                &at_key,
                format!("`{newer}` is a JSON Schema keyword that OpenAPI 3.0 does not have (3.1 does); it is ignored"),
            ),
            other => c.unknown(other, at, "a schema"),
        }
    }
}

fn check_enum(c: &mut Checked, schema: &Map<String, Value>, values: &Value, at: &str) {
    let Some(values) = values.as_array() else {
        c.error(at, format!("`enum` must be a list of values, not {}", kind(values)));
        return;
    };
    type Fits = fn(&Value) -> bool;
    let expected: Option<(&str, Fits)> = match schema.get("type").and_then(Value::as_str) {
        Some("string") => Some(("text", Value::is_string)),
        Some("integer") => Some(("a whole number", |v| v.is_i64())),
        Some("number") => Some(("a number", Value::is_number)),
        Some("boolean") => Some(("`true` or `false`", Value::is_boolean)),
        _ => None,
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    if let Some((what, fits)) = expected {
        for (i, value) in values.iter().enumerate() {
            if !(fits(value) || value.is_null() && nullable) {
                c.error(
                    &join(at, &[&i.to_string()]),
                    format!("this value is {}, but the schema's `type` says each value is {what}", kind(value)),
                );
            }
        }
    }
}

fn check_discriminator(c: &mut Checked, discriminator: &Value, at: &str) {
    let Some(object) = c.object(discriminator, at, "`discriminator`") else { return };
    c.string(object, "propertyName", at, true);
    if let Some(mapping) = object.get("mapping") {
        let ok = mapping.as_object().is_some_and(|m| m.values().all(Value::is_string));
        if !ok {
            c.error(&join(at, &["mapping"]), "`mapping` must be an object from tag value to `$ref` text");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_must_pair_their_braces() {
        assert_eq!(template_problem("/users/{id}/posts/{post}"), None);
        assert_eq!(template_problem("/users/{id"), Some("has a `{` that is never closed"));
        assert_eq!(template_problem("/users/id}"), Some("has a `}` without its `{`"));
        assert_eq!(template_problem("/users/{}"), Some("has an empty `{}`"));
        assert_eq!(template_problem("/users/{a{b}}"), Some("has a `{` inside another"));
    }
}
