//! `{{name}}` variables: the collection's own (`variable`), Postman's dynamic ones (`{{$guid}}`),
//! and those defined nowhere in the collection (an environment's), whose values are unknown.

use serde_json::Value;
use std::collections::BTreeMap;

/// The collection's variables with their values as text.
#[derive(Debug, Default)]
pub(super) struct Variables {
    values: BTreeMap<String, String>,
}

/// What one `{{name}}` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Resolved<'a> {
    /// The collection gives a value.
    Value(&'a str),
    /// A dynamic variable: a fresh value of a known type on every run, written as its placeholder.
    Dynamic(&'static str),
    /// Defined outside the collection (an environment); nothing tells its value.
    Unknown,
}

impl Variables {
    /// The collection-level `variable` list; disabled entries and entries without a key are skipped.
    pub fn from_collection(document: &Value) -> Self {
        let mut values = BTreeMap::new();
        for variable in document.get("variable").and_then(Value::as_array).into_iter().flatten() {
            if variable.get("disabled") == Some(&Value::Bool(true)) {
                continue;
            }
            let Some(key) = variable.get("key").or_else(|| variable.get("id")).and_then(Value::as_str) else {
                continue;
            };
            let value = match variable.get("value") {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Null) | None => continue,
                Some(other) => other.to_string(),
            };
            values.insert(key.to_owned(), value);
        }
        Self { values }
    }

    pub fn resolve(&self, name: &str) -> Resolved<'_> {
        if let Some(value) = self.values.get(name) {
            return Resolved::Value(value);
        }
        match name.strip_prefix('$') {
            Some(dynamic) => Resolved::Dynamic(dynamic_placeholder(dynamic)),
            None => Resolved::Unknown,
        }
    }

    /// `text` with every variable the collection defines replaced by its value (one level: a value
    /// naming another variable keeps that name). Others stay as written.
    pub fn substitute(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((before, name, after)) = next_variable(rest) {
            out.push_str(before);
            match self.values.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                }
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }

    /// The text of a raw JSON body made into JSON: variables inside strings take their values;
    /// a variable standing as a value takes its value's JSON, a dynamic one its placeholder, and one
    /// with no known value `null`. Comments (which Postman allows) are dropped. Returns the text and
    /// the names of the variables whose value is unknown.
    pub fn json_text(&self, text: &str) -> (String, Vec<String>) {
        let mut out = String::with_capacity(text.len());
        let mut unknown = Vec::new();
        let mut rest = text;
        let mut in_string = false;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") {
                if let Some((_, name, after)) = next_variable(rest) {
                    let resolved = self.resolve(name);
                    match (in_string, resolved) {
                        (true, Resolved::Value(value)) => out.push_str(&escape_in_string(value)),
                        (true, _) => out.push_str(&rest[..rest.len() - after.len()]),
                        (false, Resolved::Value(value)) => match serde_json::from_str::<Value>(value) {
                            Ok(json) => out.push_str(&json.to_string()),
                            Err(_) => out.push_str(&Value::String(value.to_owned()).to_string()),
                        },
                        (false, Resolved::Dynamic(placeholder)) => out.push_str(&format!("\"{placeholder}\"")),
                        (false, Resolved::Unknown) => {
                            out.push_str("null");
                            unknown.push(name.to_owned());
                        }
                    }
                    rest = after;
                    continue;
                }
            }
            if in_string {
                if c == '\\' {
                    let escaped: String = rest.chars().take(2).collect();
                    out.push_str(&escaped);
                    rest = &rest[escaped.len()..];
                    continue;
                }
                if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else if rest.starts_with("//") {
                rest = rest.find('\n').map_or("", |end| &rest[end..]);
                continue;
            } else if rest.starts_with("/*") {
                rest = rest[2..].find("*/").map_or("", |end| &rest[end + 4..]);
                continue;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        (out, unknown)
    }
}

/// The first `{{name}}` in `text`: what precedes it, the name, and what follows.
pub(super) fn next_variable(text: &str) -> Option<(&str, &str, &str)> {
    let start = text.find("{{")?;
    let len = text[start + 2..].find("}}")?;
    let name = &text[start + 2..start + 2 + len];
    if name.is_empty() || name.contains(['{', '}', '"']) {
        return None;
    }
    Some((&text[..start], name.trim(), &text[start + 2 + len + 2..]))
}

/// `text` is exactly one `{{name}}`.
pub(super) fn whole_variable(text: &str) -> Option<&str> {
    match next_variable(text) {
        Some(("", name, "")) => Some(name),
        _ => None,
    }
}

/// The placeholder of a dynamic variable's type (`$timestamp` is an integer, `$guid` a UUID).
fn dynamic_placeholder(name: &str) -> &'static str {
    match name {
        "timestamp" | "randomInt" => "<integer>",
        "isoTimestamp" | "randomDateFuture" | "randomDatePast" | "randomDateRecent" => "<dateTime>",
        "randomBoolean" => "<boolean>",
        "guid" | "randomUUID" => "<uuid>",
        _ => "<string>",
    }
}

fn escape_in_string(value: &str) -> String {
    let quoted = Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn variables() -> Variables {
        Variables::from_collection(&json!({"variable": [
            {"key": "baseUrl", "value": "https://api.example.com/v1"},
            {"key": "count", "value": "5"},
            {"key": "quote", "value": "say \"hi\""},
            {"key": "off", "value": "x", "disabled": true},
        ]}))
    }

    #[test]
    fn text_takes_known_values_only() {
        let v = variables();
        assert_eq!(v.substitute("{{baseUrl}}/users/{{id}}"), "https://api.example.com/v1/users/{{id}}");
        assert_eq!(v.resolve("off"), Resolved::Unknown);
        assert_eq!(v.resolve("$timestamp"), Resolved::Dynamic("<integer>"));
        assert_eq!(whole_variable("{{ id }}"), Some("id"));
        assert_eq!(whole_variable("a{{id}}"), None);
    }

    #[test]
    fn json_bodies_become_json() {
        let v = variables();
        let raw = "{\n  // how many\n  \"n\": {{count}},\n  \"q\": \"{{quote}}\",\n  \"t\": {{$timestamp}},\n  \"u\": {{who}} /* unknown */\n}";
        let (text, unknown) = v.json_text(raw);
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value, json!({"n": 5, "q": "say \"hi\"", "t": "<integer>", "u": null}));
        assert_eq!(unknown, ["who"]);
        let (text, _) = v.json_text(r#"{"url": "http://x/{{id}}", "esc": "a\"{{count}}"}"#);
        assert_eq!(
            serde_json::from_str::<Value>(&text).expect("valid"),
            json!({"url": "http://x/{{id}}", "esc": "a\"5"})
        );
    }
}
