//! Rules real descriptions break in a way that has one meaning, repaired where they stand.

use super::Normalizer;
use crate::diagnostics::join;
use serde_json::{Map, Number, Value};

const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object", "null"];

/// A response must have a `description`; without one it is read as an empty one.
pub(super) fn response_without_description(n: &mut Normalizer, response: &mut Map<String, Value>, at: &str) {
    if !response.contains_key("description") {
        response.insert("description".into(), Value::String(String::new()));
        n.repaired(at, "a response needs a `description`; read as an empty one");
    }
}

/// A request body must have `content`; without one it describes no body.
pub(super) fn body_without_content(n: &mut Normalizer, body: &mut Map<String, Value>, at: &str) {
    if !body.contains_key("content") {
        body.insert("content".into(), Value::Object(Map::new()));
        n.repaired(at, "a request body needs `content`; without one it is read as no body");
    }
}

pub(super) fn schema(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    type_case(n, schema, at);
    required_in_properties(n, schema, at);
    if let Some(Value::Bool(written)) = schema.get("required") {
        // Properties' own `required` was moved to their parent above: this one has no parent.
        let message = format!("`required: {written}` belongs to a property; a schema that is none ignores it");
        schema.remove("required");
        n.repaired(&join(at, &["required"]), message);
    }
    enum_values(n, schema, at);
    inline_discriminated_branches(n, schema, at);
}

/// `type: Integer` is `type: integer`: type names are lower case, and no other type differs only in case.
fn type_case(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    let Some(Value::String(written)) = schema.get_mut("type") else { return };
    let lower = written.to_ascii_lowercase();
    if lower != *written && TYPES.contains(&lower.as_str()) {
        let message = format!("`type: {written}` is not a type; read as `type: {lower}` (type names are lower case)");
        *written = lower;
        n.repaired(&join(at, &["type"]), message);
    }
}

/// `required: true` inside a property's schema means the parent requires that property.
fn required_in_properties(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else { return };
    let mut hoisted = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else { continue };
        let Some(Value::Bool(required)) = property.get("required") else { continue };
        let required = *required;
        property.remove("required");
        let at = join(at, &["properties", name, "required"]);
        if required {
            n.repaired(
                &at,
                format!("`required: true` belongs in the parent's `required` list; read as listing `{name}` there"),
            );
            hoisted.push(name.clone());
        } else {
            n.repaired(
                &at,
                "`required: false` inside a property says what leaving it out of the parent's `required` says; ignored",
            );
        }
    }
    if hoisted.is_empty() {
        return;
    }
    let list = schema.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list {
        for name in hoisted {
            if !list.iter().any(|v| v.as_str() == Some(&name)) {
                list.push(Value::String(name));
            }
        }
    }
}

/// Enum values written as another JSON type than the schema's, converted when nothing is lost
/// (`type: string, enum: [1, 2]` lists `"1"` and `"2"`); a `null` value means the schema is nullable.
fn enum_values(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    let Some(ty) = schema.get("type").and_then(Value::as_str).map(str::to_owned) else { return };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let Some(Value::Array(values)) = schema.get_mut("enum") else { return };
    let mut has_null = false;
    let mut notes = Vec::new();
    for (i, value) in values.iter_mut().enumerate() {
        if value.is_null() {
            has_null |= !nullable;
            continue;
        }
        if let Some(converted) = convert(&ty, value) {
            notes.push((
                join(at, &["enum", &i.to_string()]),
                format!("the value `{value}` is not of the schema's `type: {ty}`; read as `{converted}`"),
            ));
            *value = converted;
        }
    }
    for (at, message) in notes {
        n.repaired(&at, message);
    }
    if has_null && ty != "null" {
        schema.insert("nullable".into(), Value::Bool(true));
        n.repaired(&join(at, &["enum"]), "`null` is listed but the schema is not `nullable`; read as `nullable: true`");
    }
}

/// `value` as a value of `ty`, when it is written as another type and converts without loss.
fn convert(ty: &str, value: &Value) -> Option<Value> {
    match (ty, value) {
        ("string", Value::Number(number)) => Some(Value::String(number.to_string())),
        ("string", Value::Bool(b)) => Some(Value::String(b.to_string())),
        ("integer", Value::String(text)) => {
            text.parse::<i64>().ok().filter(|i| i.to_string() == *text).map(Value::from)
        }
        ("integer", Value::Number(number)) if !number.is_i64() => {
            // `1.0` is the integer 1; integers past 2^53 are not exact as floats.
            let float = number.as_f64()?;
            (float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0).then(|| Value::from(float as i64))
        }
        ("number", Value::String(text)) => {
            let number = Number::from_f64(text.parse::<f64>().ok()?)?;
            let exact = text.parse::<i64>().map(Number::from).ok().unwrap_or(number);
            (exact.to_string() == *text).then_some(Value::Number(exact))
        }
        ("boolean", Value::String(text)) => match text.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// A `discriminator` names branches by their `$ref`s; with inline branches it names nothing, so
/// the branches are told apart by shape, as without one.
fn inline_discriminated_branches(n: &mut Normalizer, schema: &mut Map<String, Value>, at: &str) {
    if !schema.contains_key("discriminator") {
        return;
    }
    let inline = ["oneOf", "anyOf"].into_iter().find(|key| {
        schema.get(*key).and_then(Value::as_array).is_some_and(|b| b.iter().any(|b| b.get("$ref").is_none()))
    });
    if let Some(key) = inline {
        schema.remove("discriminator");
        n.repaired(
            &join(at, &["discriminator"]),
            format!("a `discriminator` names `$ref` branches, and this `{key}` has inline ones; it is ignored and the branches are told apart by shape"),
        );
    }
}

/// Each `{name}` in the path template needs a path parameter: one not declared is read as a
/// required string path parameter.
pub(super) fn path_variables(
    n: &mut Normalizer,
    operation: &mut Map<String, Value>,
    shared: &[(String, String)],
    template: &str,
    at: &str,
) {
    let own = n.declared(operation.get("parameters"));
    let declared: Vec<&(String, String)> = own.iter().chain(shared).collect();
    let variables = template.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name));
    for variable in variables.filter(|v| !v.is_empty()) {
        if declared.iter().any(|(name, location)| name == variable && location == "path") {
            continue;
        }
        let similar = declared.iter().map(|(name, _)| name).find(|name| similar(name, variable));
        let hint = match similar {
            Some(name) => {
                format!(" (a parameter `{name}` is declared: if it is this one, give it this name and `in: path`)")
            }
            None => String::new(),
        };
        let parameter =
            serde_json::json!({"name": variable, "in": "path", "required": true, "schema": {"type": "string"}});
        if let Value::Array(list) = operation.entry("parameters").or_insert_with(|| Value::Array(Vec::new())) {
            list.push(parameter);
        }
        n.repaired(at, format!("the path names `{{{variable}}}` but declares no path parameter `{variable}`; read as a required string path parameter{hint}"));
    }
}

/// Names that differ only in case and separators (`userId`, `user_id`), or by one or two edits.
fn similar(a: &str, b: &str) -> bool {
    let plain = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<Vec<_>>();
    let (a, b) = (plain(a), plain(b));
    a == b || edit_distance(&a, &b) <= 2.min(a.len().min(b.len()) / 3)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_convert_only_without_loss() {
        assert_eq!(convert("string", &Value::from(1)), Some(Value::from("1")));
        assert_eq!(convert("string", &Value::Bool(true)), Some(Value::from("true")));
        assert_eq!(convert("integer", &Value::from("42")), Some(Value::from(42)));
        assert_eq!(convert("integer", &Value::from("042")), None);
        assert_eq!(convert("integer", &Value::from(2.0)), Some(Value::from(2)));
        assert_eq!(convert("integer", &Value::from(2.5)), None);
        assert_eq!(convert("number", &Value::from("1.5")), Some(Value::from(1.5)));
        assert_eq!(convert("number", &Value::from("1e3")), None);
        assert_eq!(convert("boolean", &Value::from("yes")), None);
        assert_eq!(convert("string", &Value::from("a")), None);
    }

    #[test]
    fn similar_names_differ_in_case_separators_or_a_letter() {
        assert!(similar("user_id", "userId"));
        assert!(similar("meetingId", "meeting_ID"));
        assert!(similar("channelIds", "channelId"));
        assert!(!similar("id", "to"));
        assert!(!similar("page_size", "userId"));
    }
}
