//! A request as generated code describes it: an operation, its parameters and its body.

use super::error::Error;
use super::multipart::Multipart;
use super::retry::RetryPolicy;
use super::style::{expand, query_pairs, scalars, Style, URLENCODED};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// What the generated code knows of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operation's id in the API description.
    pub id: &'static str,
    pub method: reqwest::Method,
    /// The path template, e.g. `/users/{userId}`.
    pub path: &'static str,
    /// The API's rate-limit label for the operation, when the description gives one.
    pub rate_limit: Option<&'static str>,
    /// Its request or answer may hold a credential (a password, a token): no error, `Debug`
    /// output or log shows its bodies.
    pub sensitive: bool,
}

/// The shapes a union body can take and the query values that select them (`x-select-by`), by
/// variant name.
#[derive(Debug, Clone, Copy)]
pub struct Shapes {
    /// The body's variant; `None` for a body of no known shape, or no body.
    pub body: Option<&'static str>,
    /// Query value -> the variant it selects.
    pub by_value: &'static [(&'static str, &'static str)],
    /// The variant selected when the parameter is absent or has another value.
    pub default: &'static str,
}

#[derive(Clone)]
pub(crate) enum Body {
    None,
    Json(Vec<u8>),
    Form(String),
    Multipart(Multipart),
    /// Bytes sent as they are, with their media type (`application/octet-stream`, `text/plain`...).
    Raw {
        bytes: bytes::Bytes,
        content_type: String,
    },
}

/// Settings for one call that override the client's: extra headers, a timeout, a retry policy.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl RequestOptions {
    /// Sends this header too (after the operation's own headers).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Gives up on each attempt of this call after `timeout`, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries this call by `policy` instead of the client's policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

/// One request, ready to send.
pub struct Request {
    pub(crate) operation: Operation,
    pub(crate) path: String,
    /// Query pairs, each already percent-encoded (delimiters of styled values kept as they are).
    pub(crate) query: Vec<(String, String)>,
    /// A server of the operation's own (OpenAPI `servers` on the operation or its path).
    pub(crate) server: Option<&'static str>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) options: RequestOptions,
    /// The first argument that could not be encoded; reported when the request is sent.
    pub(crate) invalid: Option<String>,
}

impl fmt::Debug for Request {
    // Bodies may hold a password: their kind and size only. Parameters are shown; they are the
    // request's address, not its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::None => "none".to_owned(),
            Body::Json(bytes) => format!("JSON, {} bytes", bytes.len()),
            Body::Form(text) => format!("form, {} bytes", text.len()),
            Body::Multipart(form) => format!("multipart, {} parts", form.parts.len()),
            Body::Raw { bytes, content_type } => format!("{content_type}, {} bytes", bytes.len()),
        };
        f.debug_struct("Request")
            .field("operation", &self.operation.id)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "header_names",
                &self.headers.iter().chain(&self.options.headers).map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field("body", &body)
            .field("timeout", &self.options.timeout)
            .field("retry", &self.options.retry)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl Body {
    /// Puts the body on a request; called once per attempt, so the body is copied, not moved.
    pub(crate) fn to_reqwest(&self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        Ok(match self {
            Body::None => builder,
            Body::Json(bytes) => builder.header("content-type", "application/json").body(bytes.clone()),
            Body::Form(text) => builder.header("content-type", "application/x-www-form-urlencoded").body(text.clone()),
            Body::Multipart(form) => builder.multipart(form.clone().into_reqwest().map_err(Error::InvalidInput)?),
            Body::Raw { bytes, content_type } => {
                builder.header("content-type", content_type.as_str()).body(bytes.clone())
            }
        })
    }
}

/// Bytes a path segment keeps as they are (RFC 3986 unreserved); all else is percent-encoded,
/// so no value can add a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

impl Request {
    pub fn new(operation: Operation) -> Self {
        Self {
            path: operation.path.to_owned(),
            operation,
            query: Vec::new(),
            server: None,
            headers: Vec::new(),
            body: Body::None,
            options: RequestOptions::default(),
            invalid: None,
        }
    }

    /// Per-call settings (see [`RequestOptions`]).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    pub fn operation(&self) -> &Operation {
        &self.operation
    }

    /// Puts `value` in place of `{name}` in the path, encoded as exactly one segment.
    pub fn path_param(self, name: &str, value: &impl Serialize) -> Self {
        self.path_styled(name, value, Style::Simple, false)
    }

    /// Puts `value` in place of `{name}` in the path, written as `style` says (`Simple`, `Label`
    /// or `Matrix`), each name and value percent-encoded, so it stays within its segment.
    pub fn path_styled(mut self, name: &str, value: &impl Serialize, style: Style, explode: bool) -> Self {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => {
                self.fail(format!("path parameter `{name}`: {e}"));
                return self;
            }
        };
        let text = match (&value, style) {
            (Value::Null, _) => {
                self.fail(format!("path parameter `{name}` must be one value"));
                return self;
            }
            (Value::Array(items), Style::Simple | Style::Label) if items.is_empty() => {
                self.fail(format!("path parameter `{name}` cannot be an empty list"));
                return self;
            }
            (_, Style::Simple | Style::Label | Style::Matrix | Style::Json) => {
                expand(name, &value, style, explode, SEGMENT)
            }
            _ => {
                self.fail(format!("path parameter `{name}`: style {style:?} is for query parameters"));
                return self;
            }
        };
        let text = match text {
            Ok(text) if text.is_empty() => {
                self.fail(format!("path parameter `{name}` cannot be empty"));
                return self;
            }
            Ok(text) if text == "." || text == ".." => {
                self.fail(format!("path parameter `{name}` cannot be `{text}`: it would change the path"));
                return self;
            }
            Ok(text) => text,
            Err(e) => {
                self.fail(format!("path parameter `{name}`: {e}"));
                return self;
            }
        };
        let mut rest = 0;
        while let Some(at) = placeholder(&self.path[rest..], name) {
            let at = rest + at;
            self.path.replace_range(at..at + name.len() + 2, &text);
            rest = at + text.len();
        }
        self
    }

    /// Adds `name=value` to the query; `None` adds nothing, a list adds one pair per item and an
    /// object one pair per property (OpenAPI's default: `form` style, exploded).
    pub fn query(self, name: &str, value: &impl Serialize) -> Self {
        self.query_styled(name, value, Style::Form, true)
    }

    /// Adds `value` to the query as `style` and `explode` say (see [`Style`]); `None` adds
    /// nothing, and so does an empty list.
    pub fn query_styled(mut self, name: &str, value: &impl Serialize, style: Style, explode: bool) -> Self {
        match serde_json::to_value(value).map_err(|e| e.to_string()).and_then(|v| query_pairs(name, &v, style, explode))
        {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
        self
    }

    /// Adds the query parameter that names the body's shape (`x-select-by`): the caller's value if
    /// it selects the body's shape, else the value that does; a value naming another shape is
    /// refused, since the server would read the body as that shape.
    pub fn selecting_query(mut self, name: &str, sent: Option<&str>, shapes: Shapes) -> Self {
        let selects = |value: &str| shapes.by_value.iter().find(|(v, _)| *v == value).map_or(shapes.default, |s| s.1);
        let value = match (sent, shapes.body) {
            (Some(value), Some(body)) if selects(value) != body => {
                let selected = selects(value);
                self.fail(format!(
                    "query parameter `{name}={value}` selects a `{selected}` body, but the body is `{body}`"
                ));
                return self;
            }
            (Some(value), _) => Some(value),
            (None, Some(body)) if body != shapes.default => {
                match shapes.by_value.iter().find(|(_, shape)| *shape == body) {
                    Some((value, _)) => Some(*value),
                    None => {
                        self.fail(format!("no value of query parameter `{name}` selects a `{body}` body"));
                        return self;
                    }
                }
            }
            (None, _) => None,
        };
        self.query(name, &value)
    }

    /// Adds a header; `None` adds nothing, a list one header per item (read as one, its items
    /// joined by commas), an object its properties as `simple` style writes them.
    pub fn header(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(Value::Object(_)) => return self.header_styled(name, value, Style::Simple, false),
            Ok(_) => {}
            Err(e) => {
                self.fail(format!("header `{name}`: {e}"));
                return self;
            }
        }
        match scalars(value) {
            Ok(values) => self.headers.extend(values.into_iter().map(|v| (name.to_owned(), v))),
            Err(e) => self.fail(format!("header `{name}`: {e}")),
        }
        self
    }

    /// Adds a header written in `simple` style (the only one OpenAPI defines for headers): a list
    /// as `a,b`, an object as `x,1,y,2`, or exploded `x=1,y=2`. Values are sent as they are.
    pub fn header_styled(mut self, name: &str, value: &impl Serialize, style: Style, explode: bool) -> Self {
        const NOTHING: &AsciiSet = percent_encoding::CONTROLS;
        let text = match serde_json::to_value(value) {
            Ok(Value::Null) => return self,
            Ok(value) if matches!(style, Style::Simple | Style::Json) => expand(name, &value, style, explode, NOTHING),
            Ok(_) => Err(format!("style {style:?} is not one for headers")),
            Err(e) => Err(e.to_string()),
        };
        match text {
            Ok(text) => self.headers.push((name.to_owned(), text)),
            Err(e) => self.fail(format!("header `{name}`: {e}")),
        }
        self
    }

    /// Sends the request to `server` (an operation's own server, absolute or relative) instead of
    /// the client's base URL; see [`Runtime`](super::Runtime) for how a base URL of the caller's
    /// own changes it.
    pub fn server(mut self, server: &'static str) -> Self {
        self.server = Some(server);
        self
    }

    /// A body of bytes (or text) sent as they are, with `content_type`.
    pub fn raw(mut self, body: impl Into<bytes::Bytes>, content_type: &str) -> Self {
        self.body = Body::Raw { bytes: body.into(), content_type: content_type.to_owned() };
        self
    }

    /// [`raw`](Self::raw) when there is a body; `None` sends none.
    pub fn raw_opt(self, body: Option<impl Into<bytes::Bytes>>, content_type: &str) -> Self {
        match body {
            Some(body) => self.raw(body, content_type),
            None => self,
        }
    }

    pub fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) if bytes != b"null" => self.body = Body::Json(bytes),
            Ok(_) => {}
            Err(e) => self.fail(format!("request body: {e}")),
        }
        self
    }

    pub fn form(mut self, body: &impl Serialize) -> Self {
        let pairs = match serde_json::to_value(body) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => return self,
            Ok(_) => {
                self.fail("a form body must be an object".into());
                return self;
            }
            Err(e) => {
                self.fail(format!("request body: {e}"));
                return self;
            }
        };
        let mut form = Vec::new();
        for (key, value) in &pairs {
            match scalars(value) {
                Ok(values) => values.iter().for_each(|v| form.push((key.clone(), v.clone()))),
                Err(e) => self.fail(format!("form field `{key}`: {e}")),
            }
        }
        self.body = Body::Form(encode_form(&form));
        self
    }

    pub fn multipart(mut self, mut form: Multipart) -> Self {
        if let Some(message) = form.invalid.take() {
            self.fail(message);
        }
        self.body = Body::Multipart(form);
        self
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.invalid {
            Some(message) => Err(Error::InvalidInput(message.clone())),
            None => Ok(()),
        }
    }
}

/// Where `{name}` starts in `path`, found without building the pattern.
fn placeholder(path: &str, name: &str) -> Option<usize> {
    path.match_indices('{')
        .map(|(at, _)| at)
        .find(|&at| path[at + 1..].strip_prefix(name).is_some_and(|rest| rest.starts_with('}')))
}

fn encode_form(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", utf8_percent_encode(k, URLENCODED), utf8_percent_encode(v, URLENCODED)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OP: Operation =
        Operation { id: "op", method: reqwest::Method::GET, path: "/a/{p}", rate_limit: None, sensitive: false };

    fn query(value: Value, style: Style, explode: bool) -> Vec<String> {
        let request = Request::new(OP).query_styled("n", &value, style, explode);
        assert_eq!(request.invalid, None);
        request.query.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    fn path(value: Value, style: Style, explode: bool) -> Result<String, String> {
        let request = Request::new(OP).path_styled("p", &value, style, explode);
        match request.invalid {
            Some(message) => Err(message),
            None => Ok(request.path),
        }
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black"]);
        let object = json!({"R": 100, "G": 200});
        assert_eq!(query(list.clone(), Style::Form, true), ["n=blue", "n=black"]);
        assert_eq!(query(list.clone(), Style::Form, false), ["n=blue,black"]);
        assert_eq!(query(list.clone(), Style::SpaceDelimited, false), ["n=blue%20black"]);
        assert_eq!(query(list.clone(), Style::PipeDelimited, false), ["n=blue|black"]);
        assert_eq!(query(list, Style::SpaceDelimited, true), ["n=blue", "n=black"]);
        assert_eq!(query(object.clone(), Style::Form, true), ["R=100", "G=200"]);
        assert_eq!(query(object.clone(), Style::Form, false), ["n=R,100,G,200"]);
        assert_eq!(query(object.clone(), Style::PipeDelimited, false), ["n=R|100|G|200"]);
        assert_eq!(query(object, Style::DeepObject, true), ["n[R]=100", "n[G]=200"]);
        assert_eq!(query(json!("a b,c"), Style::Form, false), ["n=a+b%2Cc"]);
        assert_eq!(
            query(json!({"a": {"b": 1}, "c": ["x", "y"], "d": null}), Style::DeepObject, true),
            ["n[a][b]=1", "n[c][0]=x", "n[c][1]=y"]
        );
        assert_eq!(query(json!({"a": 1}), Style::Json, false), ["n=%7B%22a%22%3A1%7D"]);
        assert!(query(json!([]), Style::Form, false).is_empty());
        assert!(query(Value::Null, Style::DeepObject, true).is_empty());
    }

    #[test]
    fn a_list_in_deep_object_style_is_refused() {
        let request = Request::new(OP).query_styled("n", &json!([1]), Style::DeepObject, true);
        assert!(request.invalid.is_some());
    }

    #[test]
    fn path_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black"]);
        let object = json!({"R": 100, "G": 200});
        assert_eq!(path(json!(5), Style::Simple, false).unwrap(), "/a/5");
        assert_eq!(path(list.clone(), Style::Simple, false).unwrap(), "/a/blue,black");
        assert_eq!(path(object.clone(), Style::Simple, false).unwrap(), "/a/R,100,G,200");
        assert_eq!(path(object.clone(), Style::Simple, true).unwrap(), "/a/R=100,G=200");
        assert_eq!(path(json!("blue"), Style::Label, false).unwrap(), "/a/.blue");
        assert_eq!(path(list.clone(), Style::Label, false).unwrap(), "/a/.blue,black");
        assert_eq!(path(list.clone(), Style::Label, true).unwrap(), "/a/.blue.black");
        assert_eq!(path(object.clone(), Style::Label, true).unwrap(), "/a/.R=100.G=200");
        assert_eq!(path(json!("blue"), Style::Matrix, false).unwrap(), "/a/;p=blue");
        assert_eq!(path(list.clone(), Style::Matrix, false).unwrap(), "/a/;p=blue,black");
        assert_eq!(path(list, Style::Matrix, true).unwrap(), "/a/;p=blue;p=black");
        assert_eq!(path(object.clone(), Style::Matrix, false).unwrap(), "/a/;p=R,100,G,200");
        assert_eq!(path(object, Style::Matrix, true).unwrap(), "/a/;R=100;G=200");
        // Each value stays in its segment.
        assert_eq!(path(json!(["a/b", "c?d"]), Style::Simple, false).unwrap(), "/a/a%2Fb,c%3Fd");
    }

    #[test]
    fn a_path_value_that_would_change_the_path_is_refused() {
        assert!(path(json!(".."), Style::Simple, false).is_err());
        assert!(path(json!("."), Style::Label, false).is_err());
        assert!(path(json!(""), Style::Simple, false).is_err());
        assert!(path(json!([]), Style::Simple, false).is_err());
        assert!(path(Value::Null, Style::Simple, false).is_err());
    }

    #[test]
    fn header_objects_are_simple_style() {
        let request = Request::new(OP).header("h", &json!({"R": 1, "G": 2})).header_styled(
            "e",
            &json!({"R": 1}),
            Style::Simple,
            true,
        );
        assert_eq!(request.headers, [("h".to_owned(), "R,1,G,2".to_owned()), ("e".to_owned(), "R=1".to_owned())]);
    }
}
