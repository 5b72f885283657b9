//! How a generated call type matches requests: each value compared as the client sends it.

use super::Request;
use crate::style::scalars;
use percent_encoding::percent_decode_str;

/// What a call was given to match: the operation, then each value set. A generated call type holds
/// one, and its methods (one per parameter, and `body`) set values on it.
///
/// A value not set matches any. Path parameters are compared decoded, as the client encodes each
/// one (one segment); query and header parameters by their values, a list item by item; a body
/// whole, as JSON or as form pairs.
#[derive(Debug, Clone)]
pub struct Matcher {
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(&'static str, Vec<String>)>,
    headers: Vec<(&'static str, Vec<String>)>,
    body: Option<Body>,
}

#[derive(Debug, Clone)]
enum Body {
    Json(serde_json::Value),
    /// Name-value pairs, sorted.
    Form(Vec<(String, String)>),
}

impl Matcher {
    /// Every call of the operation named `operation`: `method` (such as `GET`) on the path
    /// `path`, a template whose `{name}`s are path parameters.
    pub fn new(operation: &'static str, method: &'static str, path: &'static str) -> Self {
        Self { operation, method, path, path_params: Vec::new(), query: Vec::new(), headers: Vec::new(), body: None }
    }

    /// Only calls whose path parameter `name` is `value`.
    pub fn path(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
        let text = texts(value).into_iter().next().unwrap_or_default();
        self.path_params.retain(|(n, _)| *n != name);
        self.path_params.push((name, text));
        self
    }

    /// Only calls with query parameter `name` set to `value` (a list: its items, in order).
    pub fn query(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, texts(value)));
        self
    }

    /// Only calls with header `name` set to `value` (a list: its items, in order).
    pub fn header(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, texts(value)));
        self
    }

    /// Only calls whose JSON body is `body`, every field of it.
    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = Some(Body::Json(serde_json::to_value(body).expect("a request body is JSON")));
        self
    }

    /// Only calls whose form body is `body`, every field of it.
    pub fn form(mut self, body: &impl serde::Serialize) -> Self {
        let mut pairs = Vec::new();
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(body) {
            for (name, value) in &fields {
                pairs.extend(texts(value).into_iter().map(|text| (name.clone(), text)));
            }
        }
        pairs.sort();
        self.body = Some(Body::Form(pairs));
        self
    }

    /// The operation and the values matched, for verification messages:
    /// `user (GET /users/{userId}) with userId = "me"`.
    pub fn describe(&self) -> String {
        let mut text = format!("{} ({} {})", self.operation, self.method, self.path);
        let values: Vec<String> = self
            .path_params
            .iter()
            .map(|(name, value)| format!("{name} = {value:?}"))
            .chain(self.query.iter().chain(&self.headers).map(|(name, values)| format!("{name} = {values:?}")))
            .chain(self.body.as_ref().map(|_| "body".to_owned()))
            .collect();
        if !values.is_empty() {
            text.push_str(" with ");
            text.push_str(&values.join(", "));
        }
        text
    }

    /// Whether `request` is a call of the operation with every value set.
    pub fn matches(&self, request: &Request) -> bool {
        request.method.as_str() == self.method
            && path_matches(self.path, request.url.path(), &self.path_params)
            && self.query.iter().all(|(name, values)| {
                let sent: Vec<String> =
                    request.url.query_pairs().filter(|(n, _)| n == name).map(|(_, v)| v.into_owned()).collect();
                sent == *values
            })
            && self.headers.iter().all(|(name, values)| {
                let sent: Vec<String> = request
                    .headers
                    .get_all(*name)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect();
                sent == *values
            })
            && match &self.body {
                None => true,
                Some(Body::Json(expected)) => {
                    serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|sent| sent == *expected)
                }
                Some(Body::Form(expected)) => form_pairs(&request.body).as_ref() == Some(expected),
            }
    }
}

/// A value as the client sends it in a parameter: text, one per item of a list.
fn texts(value: &impl serde::Serialize) -> Vec<String> {
    scalars(value).unwrap_or_default()
}

/// Whether `path` fills `template` (each `{name}` a non-empty part of one segment) with
/// the values `expected` gives, compared decoded, as the client encodes each one.
fn path_matches(template: &str, path: &str, expected: &[(&str, String)]) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    let mut found = Vec::new();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(template, part)| segment(template, part, &mut found))
        && expected.iter().all(|(name, value)| {
            found.iter().filter(|(n, _)| n == name).all(|(_, raw)| decode(raw).as_deref() == Some(value.as_str()))
        })
}

fn segment<'t, 'p>(template: &'t str, part: &'p str, found: &mut Vec<(&'t str, &'p str)>) -> bool {
    let Some(open) = template.find('{') else { return template == part };
    let Some(close) = template[open..].find('}').map(|at| open + at) else { return template == part };
    let Some(rest) = part.strip_prefix(&template[..open]) else { return false };
    let (name, after) = (&template[open + 1..close], &template[close + 1..]);
    let kept = found.len();
    for end in (1..=rest.len()).rev().filter(|&end| rest.is_char_boundary(end)) {
        found.push((name, &rest[..end]));
        if segment(after, &rest[end..], found) {
            return true;
        }
        found.truncate(kept);
    }
    false
}

/// Percent-decoded text; `None` when the bytes are not UTF-8.
fn decode(text: &str) -> Option<String> {
    percent_decode_str(text).decode_utf8().ok().map(|text| text.into_owned())
}

/// A form body's name-value pairs, sorted.
fn form_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut pairs = Vec::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((decode(&name.replace('+', " "))?, decode(&value.replace('+', " "))?));
    }
    pairs.sort();
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_fills_its_template_with_the_values_compared_decoded() {
        /// Template, path, the values expected, whether it matches, why.
        type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)], bool, &'static str);
        let cases: &[Case] = &[
            ("/users/{userId}", "/users/me", &[], true, "a value not given matches any"),
            ("/users/{userId}", "/users/me", &[("userId", "me")], true, "the value given"),
            ("/users/{userId}", "/users/you", &[("userId", "me")], false, "another value"),
            ("/users/{userId}", "/users/me/settings", &[], false, "one segment per parameter"),
            ("/users/{userId}", "/users/", &[], false, "a parameter is never empty"),
            ("/users/{userId}", "/groups/me", &[], false, "literal parts are compared"),
            ("/things/{id}", "/things/a%2F..%2Fb%3Fx", &[("id", "a/../b?x")], true, "decoded"),
            ("/things/{id}", "/things/a%2F..%2Fb", &[("id", "a/../b?x")], false, "decoded, then compared"),
            ("/things/{id}", "/things/%C3%A9", &[("id", "é")], true, "UTF-8"),
            ("/things/{id}", "/things/%FF", &[("id", "%FF")], false, "not UTF-8"),
            ("/files/{id}.json", "/files/7.json", &[("id", "7")], true, "beside a literal"),
            ("/files/{id}.json", "/files/7.xml", &[("id", "7")], false, "the literal after it"),
            ("/files/{id}.json", "/files/a.b.json", &[("id", "a.b")], true, "the literal's text inside"),
            ("/v{major}.{minor}", "/v1.2", &[("major", "1"), ("minor", "2")], true, "two in a segment"),
        ];
        for (template, path, expected, matches, why) in cases {
            let expected: Vec<(&str, String)> = expected.iter().map(|(n, v)| (*n, v.to_string())).collect();
            assert_eq!(path_matches(template, path, &expected), *matches, "{template} {path}: {why}");
        }
    }

    #[test]
    fn a_form_body_is_read_as_sorted_pairs() {
        let pairs = form_pairs(b"b=2&a=x+y&c=%26").expect("a form body");
        let text = |(n, v): &(&str, &str)| (n.to_string(), v.to_string());
        assert_eq!(pairs, [("a", "x y"), ("b", "2"), ("c", "&")].iter().map(text).collect::<Vec<_>>());
        assert_eq!(form_pairs(b"flag").expect("a name alone"), [("flag".to_owned(), String::new())]);
        assert_eq!(form_pairs(b"a=%FF"), None, "not UTF-8");
        assert_eq!(form_pairs(&[0xff]), None);
    }

    #[test]
    fn a_value_is_sent_as_text_a_list_item_by_item() {
        assert_eq!(texts(&"me"), ["me"]);
        assert_eq!(texts(&30), ["30"]);
        assert_eq!(texts(&true), ["true"]);
        assert_eq!(texts(&vec!["a", "b"]), ["a", "b"]);
        assert!(texts(&Option::<String>::None).is_empty());
    }

    #[test]
    fn a_call_is_described_by_its_operation_and_values() {
        let matcher = Matcher::new("user", "GET", "/users/{userId}").path("userId", &"me").query("page_size", &30);
        assert_eq!(matcher.describe(), r#"user (GET /users/{userId}) with userId = "me", page_size = ["30"]"#);
        let matcher = Matcher::new("user_create", "POST", "/users").json(&serde_json::json!({"a": 1}));
        assert_eq!(matcher.describe(), "user_create (POST /users) with body");
        assert_eq!(Matcher::new("users", "GET", "/users").describe(), "users (GET /users)");
    }
}
