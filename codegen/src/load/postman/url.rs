//! A request's URL: the host (usually `{{baseUrl}}`), the path with its `:name` variables, and
//! the query. Postman writes a URL either as text or as an object of parts; both are read here.

use super::text;
use super::variables::{next_variable, whole_variable, Resolved, Variables};
use crate::diagnostics::{join, Diagnostic};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Url {
    /// The base URL the host stands for, when known.
    pub base: Option<String>,
    /// The host as written, for messages (`{{baseUrl}}`, `api.example.com`).
    pub host: String,
    /// The variable the host is, when it is one whose value the collection does not give.
    pub unresolved_host: Option<String>,
    /// The path template, `/users/{userId}`.
    pub path: String,
    /// Path parameters in template order.
    pub path_params: Vec<Entry>,
    pub query: Vec<Entry>,
}

/// A path variable or a query entry.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub name: String,
    pub value: Option<String>,
    pub description: Option<String>,
    pub disabled: bool,
    /// Where it is written.
    pub at: String,
}

/// Reads `url` (at `at`), with the collection's variables.
pub(super) fn parse(url: Option<&Value>, variables: &Variables, at: &str) -> Result<Url, Diagnostic> {
    let missing = || Diagnostic::error(at, "the request has no URL, so there is no path to call");
    let (raw, object) = match url {
        None | Some(Value::Null) => return Err(missing()),
        Some(Value::String(raw)) => (Some(raw.as_str()), None),
        Some(Value::Object(object)) => (object.get("raw").and_then(Value::as_str), Some(object)),
        Some(_) => return Err(Diagnostic::error(at, "`url` must be text or an object with `raw`, `host` and `path`")),
    };
    let has_parts = object.is_some_and(|o| o.contains_key("host") || o.contains_key("path"));
    let (protocol, host, segments, mut query) = if has_parts {
        let object = object.expect("parts come from an object");
        let host = match object.get("host") {
            Some(Value::Array(parts)) => parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."),
            Some(Value::String(host)) => host.clone(),
            _ => String::new(),
        };
        let segments = match object.get("path") {
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(|p| match p {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(o) => o.get("value").and_then(Value::as_str).map(str::to_owned),
                    _ => None,
                })
                .collect(),
            Some(Value::String(path)) => split_path(path),
            _ => Vec::new(),
        };
        let protocol = object.get("protocol").and_then(Value::as_str).map(str::to_owned);
        let port = object.get("port").and_then(Value::as_str).filter(|p| !p.is_empty());
        let host = match port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        (protocol, host, segments, Vec::new())
    } else {
        match raw.map(str::trim) {
            Some(raw) if !raw.is_empty() => split_raw(raw, at),
            _ => return Err(missing()),
        }
    };
    if let Some(entries) = object.and_then(|o| o.get("query")) {
        query = entries_of(entries, &join(at, &["query"]));
    }
    if host.is_empty() && segments.is_empty() {
        return Err(missing());
    }

    let (base, unresolved_host) = base_of(protocol.as_deref(), &host, variables);
    let declared = object.and_then(|o| o.get("variable")).map(|v| entries_of(v, &join(at, &["variable"])));
    let declared = declared.unwrap_or_default();
    let mut path_params: Vec<Entry> = Vec::new();
    let mut template = String::new();
    // An empty segment is a doubled or trailing slash, not a level of the path.
    for segment in segments.iter().filter(|s| !s.is_empty()) {
        template.push('/');
        if let Some(name) = segment.strip_prefix(':').filter(|n| !n.is_empty()) {
            template.push_str(&format!("{{{name}}}"));
            push_param(&mut path_params, name, &declared, at)?;
            continue;
        }
        // `{{name}}` in the path: the collection's value when it gives one, else a parameter.
        let mut rest = segment.as_str();
        while let Some((before, name, after)) = next_variable(rest) {
            template.push_str(before);
            match variables.resolve(name) {
                Resolved::Value(value) => template.push_str(value),
                _ => {
                    let name = name.trim_start_matches('$');
                    template.push_str(&format!("{{{name}}}"));
                    push_param(&mut path_params, name, &declared, at)?;
                }
            }
            rest = after;
        }
        template.push_str(rest);
    }
    if template.is_empty() {
        template.push('/');
    }
    Ok(Url { base, host, unresolved_host, path: template, path_params, query })
}

fn push_param(params: &mut Vec<Entry>, name: &str, declared: &[Entry], at: &str) -> Result<(), Diagnostic> {
    if params.iter().any(|p| p.name == name) {
        return Err(Diagnostic::error(
            join(at, &["path"]),
            format!("the path names `{name}` twice; each path variable must be unique"),
        ));
    }
    let entry = declared.iter().find(|d| d.name == name).cloned().unwrap_or_else(|| Entry {
        name: name.to_owned(),
        value: None,
        description: None,
        disabled: false,
        at: join(at, &["path"]),
    });
    params.push(entry);
    Ok(())
}

/// `[{key, value, description, disabled}]` entries; an entry without a key is no entry.
pub(super) fn entries_of(list: &Value, at: &str) -> Vec<Entry> {
    let Some(list) = list.as_array() else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let name = entry.get("key").and_then(Value::as_str)?;
            let value = match entry.get("value") {
                Some(Value::String(text)) => Some(text.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            Some(Entry {
                name: name.to_owned(),
                value,
                description: text::description(entry.get("description")),
                disabled: entry.get("disabled") == Some(&Value::Bool(true)),
                at: join(at, &[&i.to_string()]),
            })
        })
        .collect()
}

/// The base URL a host stands for: a `{{variable}}`'s value, or `protocol://host` for a host
/// written out. Also the variable's name when its value is unknown.
fn base_of(protocol: Option<&str>, host: &str, variables: &Variables) -> (Option<String>, Option<String>) {
    if let Some(name) = whole_variable(host) {
        return match variables.resolve(name) {
            Resolved::Value(value) => (Some(value.trim_end_matches('/').to_owned()), None),
            _ => (None, Some(name.to_owned())),
        };
    }
    let host = variables.substitute(host);
    if host.is_empty() || host.contains("{{") {
        return (None, None);
    }
    if host.contains("://") {
        return (Some(host.trim_end_matches('/').to_owned()), None);
    }
    (Some(format!("{}://{host}", protocol.unwrap_or("https"))), None)
}

/// `https://host/a/:b?c=1` -> protocol, host, path segments and query entries.
fn split_raw(raw: &str, at: &str) -> (Option<String>, String, Vec<String>, Vec<Entry>) {
    let raw = raw.split_once('#').map_or(raw, |(before, _)| before);
    let (address, query) = raw.split_once('?').unwrap_or((raw, ""));
    let (protocol, rest) = match address.split_once("://") {
        Some((protocol, rest)) => (Some(protocol.to_owned()), rest),
        None => (None, address),
    };
    // A leading `{{variable}}` is the host even when its value holds a path.
    let (host, path) = match rest.strip_prefix("{{").and_then(|r| r.find("}}")) {
        Some(end) => rest.split_at(end + 4),
        None => rest.split_at(rest.find('/').unwrap_or(rest.len())),
    };
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').map_or((pair, None), |(k, v)| (k, Some(v.to_owned())));
            Entry { name: key.to_owned(), value, description: None, disabled: false, at: join(at, &["raw"]) }
        })
        .collect();
    (protocol, host.to_owned(), split_path(path), query)
}

fn split_path(path: &str) -> Vec<String> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return Vec::new();
    }
    path.split('/').map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Variables {
        Variables::from_collection(&json!({"variable": [
            {"key": "baseUrl", "value": "https://api.example.com/v2/"},
            {"key": "version", "value": "v3"},
        ]}))
    }

    #[test]
    fn parts_give_base_path_and_variables() {
        let url = json!({
            "raw": "{{baseUrl}}/users/:userId/pac?x=1",
            "host": ["{{baseUrl}}"],
            "path": ["users", ":userId", "pac"],
            "query": [{"key": "x", "value": "1"}],
            "variable": [{"key": "userId", "value": "me", "description": "(Required) Who."}]
        });
        let url = parse(Some(&url), &vars(), "#/item/0/request/url").expect("parses");
        assert_eq!(url.base.as_deref(), Some("https://api.example.com/v2"));
        assert_eq!(url.path, "/users/{userId}/pac");
        assert_eq!(url.path_params[0].description.as_deref(), Some("(Required) Who."));
        assert_eq!(url.query[0].name, "x");
    }

    #[test]
    fn raw_text_and_path_variables_in_braces() {
        let url = parse(Some(&json!("https://example.com:8080/{{version}}/items/{{itemId}}?a=b")), &vars(), "#")
            .expect("parses");
        assert_eq!(url.base.as_deref(), Some("https://example.com:8080"));
        assert_eq!(url.path, "/v3/items/{itemId}");
        assert_eq!(url.path_params[0].name, "itemId");
        assert_eq!(url.query[0].value.as_deref(), Some("b"));
        let unknown = parse(Some(&json!("{{host}}/x")), &vars(), "#").expect("parses");
        assert_eq!((unknown.base, unknown.unresolved_host.as_deref()), (None, Some("host")));
    }

    #[test]
    fn a_missing_url_is_located() {
        let error = parse(None, &vars(), "#/item/3/request/url").expect_err("no URL");
        assert_eq!(error.pointer, "#/item/3/request/url");
        assert!(parse(Some(&json!({"raw": ""})), &vars(), "#").is_err());
        let twice = parse(Some(&json!("{{baseUrl}}/a/:id/b/:id")), &vars(), "#").expect_err("twice");
        assert!(twice.message.contains("twice"));
    }
}
