//! The one error type of every call.

use super::profile::Profile;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Why a call did not produce its result.
///
/// Cheap to clone: one failed token fetch is handed to every call that waited for it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The request could not be sent or its answer not received.
    Transport(Arc<reqwest::Error>),
    /// No answer came within the configured timeout.
    Timeout(Arc<reqwest::Error>),
    /// The answer did not have the shape the API description promises.
    Decode {
        status: u16,
        message: String,
        /// The start of the body, for a person to read; withheld when the answer may hold a
        /// credential.
        body_excerpt: String,
    },
    /// An answer's body was longer than the client's limit
    /// ([`ClientBuilder::max_body_bytes`](super::ClientBuilder::max_body_bytes)); reading
    /// stopped there.
    BodyTooLarge { status: u16, limit: u64 },
    /// The server answered with a redirect. The API does not redirect, so the request is not
    /// sent again elsewhere (its body and credentials would follow it).
    Redirect { status: u16, location: Option<String> },
    /// The server broke HTTP or the API's own rules: a status outside 100-599, a page token
    /// that came back after it was followed.
    Protocol(String),
    /// The call was refused before sending: an argument the API cannot accept, or a bad setting.
    InvalidInput(String),
}

/// An error the API itself reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// The API's own error code (e.g. 1001 "user does not exist"), when the body had one.
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Per-field validation failures.
    pub errors: Vec<FieldError>,
    /// The server's id for this request, from the header the API names for it
    /// ([`Profile::request_id_header`](super::Profile::request_id_header)), to quote to its support.
    pub request_id: Option<String>,
    /// A 401 whose code (or lack of one) says the access token is invalid or expired
    /// ([`Profile::invalid_token_codes`](super::Profile::invalid_token_codes)).
    pub token_refused: bool,
    /// Rate-limit headers, present on 429 answers.
    pub rate_limit: RateLimitInfo,
    /// The start of the body, kept when it was not the usual error shape.
    pub body_excerpt: String,
    /// All headers of the answer.
    pub headers: HeaderMap,
}

/// What a 429 answer said about the limit that was hit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitInfo {
    /// How long the server asked to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The limit's category or label, from the header the API's profile names
    /// ([`RateLimitHeaders`](super::RateLimitHeaders)).
    pub category: Option<String>,
    /// The kind of limit (per second, daily...).
    pub kind: Option<String>,
    /// How many requests the limit allows.
    pub limit: Option<u64>,
    /// How many requests are left.
    pub remaining: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct FieldError {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub message: String,
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
            Error::Transport(e) | Error::Timeout(e) => e.status().map(|s| s.as_u16()),
            Error::Protocol(_) | Error::InvalidInput(_) => None,
        }
    }

    /// Whether trying the same call again later may succeed: rate limits, server errors,
    /// timeouts and connection failures. The client decides its own retries by the same rule
    /// ([`RetryPolicy`](super::RetryPolicy)), adding only whether a replay is safe.
    pub fn is_retryable(&self) -> bool {
        !matches!(super::retry::classify(self, true), super::retry::Decision::Final)
    }

    /// The API's error details, for [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "the API answered {}", e.status)?;
                if let Some(code) = e.code {
                    write!(f, " with error code {code}")?;
                }
                match &e.message {
                    Some(message) => write!(f, ": {message}")?,
                    None if !e.body_excerpt.is_empty() => write!(f, ": {:?}", e.body_excerpt)?,
                    None => {}
                }
                for field in &e.errors {
                    write!(f, "; {}: {}", field.field, field.message)?;
                }
                if let Some(wait) = e.rate_limit.retry_after {
                    write!(f, " (retry after {} s)", wait.as_secs())?;
                }
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            Error::Transport(e) => write!(f, "the request could not be completed: {e}"),
            Error::Timeout(_) => write!(f, "no answer within the configured timeout"),
            Error::Decode { status, message, body_excerpt } => {
                write!(f, "the answer (status {status}) could not be read: {message}; body starts: {body_excerpt:?}")
            }
            Error::BodyTooLarge { status, limit } => {
                write!(f, "the answer (status {status}) is longer than the client's limit of {limit} bytes")
            }
            Error::Redirect { status, location } => {
                write!(f, "the server redirected ({status}")?;
                if let Some(location) = location {
                    write!(f, " to {location:?}")?;
                }
                write!(f, "); redirects are not followed")
            }
            Error::Protocol(message) => write!(f, "the server broke the protocol: {message}"),
            Error::InvalidInput(message) => write!(f, "invalid input: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        if e.is_builder() {
            // Made before anything was sent (a header value HTTP cannot carry): final.
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            Error::InvalidInput(message)
        } else if e.is_timeout() {
            Error::Timeout(Arc::new(e))
        } else {
            Error::Transport(Arc::new(e))
        }
    }
}

/// At most this many bytes of a body are kept in an error.
const EXCERPT_BYTES: usize = 512;

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    // A cut through a multi-byte character leaves a replacement character at the end.
    text.trim_end_matches('\u{fffd}').to_owned()
}

/// Text put in place of a body excerpt that may hold a credential.
pub(crate) const WITHHELD: &str = "<withheld: the answer may hold a credential>";

/// A JSON body that did not decode. For an answer that may hold a credential, neither the body
/// nor serde's message (which quotes values) is kept: only the kind of failure and where.
pub(crate) fn decode_error(status: u16, what: &str, error: &serde_json::Error, body: &[u8], sensitive: bool) -> Error {
    if sensitive {
        let kind = match error.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "malformed JSON",
            serde_json::error::Category::Data => "unexpected shape",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        let message = format!("{what}: {kind} at line {} column {}", error.line(), error.column());
        Error::Decode { status, message, body_excerpt: WITHHELD.into() }
    } else {
        Error::Decode { status, message: format!("{what}: {error}"), body_excerpt: excerpt(body) }
    }
}

/// The API's error body, its fields as the profile names them, read leniently: any body gives an
/// error.
pub(crate) fn api_error(status: u16, headers: &HeaderMap, body: &[u8], profile: &Profile) -> ApiError {
    let fields = profile.error_fields;
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |name: Option<&str>| json.as_ref().zip(name).and_then(|(json, name)| json.get(name));
    let code = field(fields.code).and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.trim().parse().ok())));
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let named = |name: Option<&str>| name.and_then(header);
    let number = |name: Option<&str>| named(name).and_then(|v| v.trim().parse().ok());
    let limits = profile.rate_limit_headers;
    ApiError {
        status,
        code,
        message: field(fields.message).and_then(serde_json::Value::as_str).map(str::to_owned),
        errors: field(fields.errors).and_then(|e| Vec::<FieldError>::deserialize(e).ok()).unwrap_or_default(),
        request_id: named(profile.request_id_header),
        token_refused: status == 401 && profile.refuses_token(code),
        rate_limit: RateLimitInfo {
            retry_after: header("retry-after").and_then(|v| super::retry::parse_retry_after(&v, SystemTime::now())),
            category: named(limits.category),
            kind: named(limits.kind),
            limit: number(limits.limit),
            remaining: number(limits.remaining),
        },
        body_excerpt: excerpt(body),
        headers: headers.clone(),
    }
}
