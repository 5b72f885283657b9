//! A request as generated code describes it: an operation, its parameters and its body.

use super::error::Error;
use super::multipart::Multipart;
use super::retry::RetryPolicy;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
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
    pub(crate) query: Vec<(String, String)>,
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
    pub fn path_param(mut self, name: &str, value: &impl Serialize) -> Self {
        match scalars(value).as_deref() {
            Ok([one]) if one == "." || one == ".." => {
                self.fail(format!("path parameter `{name}` cannot be `{one}`: it would change the path"))
            }
            Ok([one]) if one.is_empty() => self.fail(format!("path parameter `{name}` cannot be empty")),
            Ok([one]) => {
                let encoded: Cow<'_, str> = utf8_percent_encode(one, SEGMENT).into();
                let mut rest = 0;
                while let Some(at) = placeholder(&self.path[rest..], name) {
                    let at = rest + at;
                    self.path.replace_range(at..at + name.len() + 2, &encoded);
                    rest = at + encoded.len();
                }
            }
            Ok(_) => self.fail(format!("path parameter `{name}` must be one value")),
            Err(e) => self.fail(format!("path parameter `{name}`: {e}")),
        }
        self
    }

    /// Adds `name=value` to the query; `None` adds nothing and a list adds one pair per item.
    pub fn query(mut self, name: &str, value: &impl Serialize) -> Self {
        match scalars(value) {
            Ok(values) => self.query.extend(values.into_iter().map(|v| (name.to_owned(), v))),
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

    /// Adds a header; `None` adds nothing.
    pub fn header(mut self, name: &str, value: &impl Serialize) -> Self {
        match scalars(value) {
            Ok(values) => self.headers.extend(values.into_iter().map(|v| (name.to_owned(), v))),
            Err(e) => self.fail(format!("header `{name}`: {e}")),
        }
        self
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
    const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'*');
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", utf8_percent_encode(k, FORM), utf8_percent_encode(v, FORM)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A parameter value as the strings it is sent as: `None`/null gives none, a list one per item,
/// an object its JSON text.
pub(crate) fn scalars(value: &impl Serialize) -> Result<Vec<String>, serde_json::Error> {
    fn one(value: Value) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => Some(other.to_string()),
        }
    }
    Ok(match serde_json::to_value(value)? {
        Value::Array(items) => items.into_iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    })
}
