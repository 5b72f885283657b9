//! OpenAPI 3.1 constructs rewritten into the OpenAPI 3.0 form the loader reads. Those found in a
//! 3.0 document are rewritten too, as repairs (see `Normalizer::rewrote`).

use super::Normalizer;
use crate::diagnostics::{join, Diagnostic};
use serde_json::{Map, Value};

/// Keywords of JSON Schema that only identify or annotate a schema; nothing is generated from them.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$anchor", "$comment"];

/// Document-level differences: `paths` may be left out, and path items may be `$ref`s into
/// `components/pathItems`, which are written in place.
pub(super) fn document(n: &mut Normalizer, root: &mut Map<String, Value>) {
    if n.v31 {
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        root.remove("jsonSchemaDialect");
    }
    let items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|components| components.remove("pathItems"))
        .and_then(|items| match items {
            Value::Object(items) => Some(items),
            _ => None,
        });
    let Some(items) = items else { return };
    for key in ["paths", "webhooks", "x-webhooks"] {
        let Some(Value::Object(entries)) = root.get_mut(key) else { continue };
        for (name, item) in entries.iter_mut() {
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else { continue };
            let target =
                reference.strip_prefix("#/components/pathItems/").map(|k| k.replace("~1", "/").replace("~0", "~"));
            match target.and_then(|key| items.get(&key)) {
                Some(found) if found.get("$ref").is_none() => *item = found.clone(),
                _ => n.notes.push(Diagnostic::error(
                    join("#", &[key, name]),
                    format!("`$ref: {reference}` must name a path item of `#/components/pathItems`"),
                )),
            }
        }
    }
}

/// `true` as a schema allows any value, as `{}` does.
pub(super) fn boolean_schema(n: &Normalizer, schema: &mut Value) {
    if n.v31 && *schema == Value::Bool(true) {
        *schema = Value::Object(Map::new());
    }
}

pub(super) fn schema(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    type_list(n, schema, at);
    if let Some(value) = schema.remove("const") {
        if !schema.contains_key("enum") {
            schema.insert("enum".into(), Value::Array(vec![value.clone()]));
        }
        n.rewrote(&join(at, &["const"]), format!("`const: {value}` read as `enum: [{value}]`"));
    }
    if let Some(examples) = schema.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|e| e.first()).filter(|_| !schema.contains_key("example")) {
            schema.insert("example".into(), first.clone());
        }
        n.rewrote(&join(at, &["examples"]), "`examples` read as `example`, its first value");
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(limit)) = schema.get(exclusive).cloned() {
            schema.insert(bound.into(), Value::Number(limit.clone()));
            schema.insert(exclusive.into(), Value::Bool(true));
            n.rewrote(
                &join(at, &[exclusive]),
                format!("`{exclusive}: {limit}` read as `{bound}: {limit}, {exclusive}: true`"),
            );
        }
    }
    file_content(n, schema, at);
    if n.v31 {
        for key in ANNOTATIONS {
            schema.remove(*key);
        }
        null_branches(schema);
    }
}

/// `type: [string, "null"]` is `type: string, nullable: true`; several types besides null have no
/// 3.0 form, so the schema is read as any JSON value.
fn type_list(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    let Some(Value::Array(types)) = schema.get("type") else { return };
    let written = Value::Array(types.clone()).to_string();
    let nullable = types.iter().any(|t| t.as_str().is_some_and(|t| t.eq_ignore_ascii_case("null")));
    let others: Vec<Value> =
        types.iter().filter(|t| !t.as_str().is_some_and(|t| t.eq_ignore_ascii_case("null"))).cloned().collect();
    let at = join(at, &["type"]);
    match others.as_slice() {
        [] => {
            schema.insert("type".into(), Value::String("null".into()));
        }
        [one] => {
            schema.insert("type".into(), one.clone());
        }
        _ => {
            schema.remove("type");
            n.notes.push(Diagnostic::warning(
                &at,
                format!("`type: {written}` allows several types, which one Rust type cannot; read as any JSON value"),
            ));
            return;
        }
    }
    if nullable && !others.is_empty() {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    n.rewrote(
        &at,
        format!("`type: {written}` read as one `type`{}", if nullable { " and `nullable: true`" } else { "" }),
    );
}

/// `contentEncoding: base64` is OpenAPI 3.0's `format: byte`; a string with a `contentMediaType`
/// and no encoding is raw bytes, `format: binary`.
fn file_content(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    let encoding = schema.remove("contentEncoding");
    let media = schema.remove("contentMediaType");
    let format = match (&encoding, &media) {
        (Some(encoding), _) if matches!(encoding.as_str(), Some("base64" | "base64url")) => "byte",
        (None, Some(_)) => "binary",
        (None, None) => return,
        (Some(_), _) => {
            // Another encoding (`7bit`, `quoted-printable`): text, as written.
            n.rewrote(&join(at, &["contentEncoding"]), "`contentEncoding` read as plain text");
            return;
        }
    };
    let keyword = if encoding.is_some() { "contentEncoding" } else { "contentMediaType" };
    if schema.get("type").and_then(Value::as_str) == Some("string") && !schema.contains_key("format") {
        schema.insert("format".into(), Value::String(format.into()));
    }
    n.rewrote(&join(at, &[keyword]), format!("`{keyword}` read as `format: {format}`"));
}

/// `oneOf: [X, {type: 'null'}]` is `oneOf: [X]` and `nullable: true`.
fn null_branches(schema: &mut Map<String, Value>) {
    let is_null = |branch: &Value| match branch.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    };
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(key) else { continue };
        if branches.iter().any(is_null) && !branches.iter().all(is_null) {
            branches.retain(|b| !is_null(b));
            schema.insert("nullable".into(), Value::Bool(true));
        }
    }
}
