//! The one error type of every call.

use std::fmt;

/// Why a call did not produce its result.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The request could not be sent or its answer not received.
    Transport(reqwest::Error),
    /// The answer did not have the shape the API description promises.
    Decode {
        status: u16,
        message: String,
        /// The start of the body, for a person to read.
        body_excerpt: String,
    },
    /// The call was refused before sending: an argument the API cannot accept, or a bad setting.
    InvalidInput(String),
}

/// An error the API itself reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// The API's own error code, when the body had one.
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Per-field validation failures.
    pub errors: Vec<FieldError>,
    /// The server's tracking id for this request (`x-zm-trackingid`), for support requests.
    pub tracking_id: Option<String>,
    /// The start of the body when it was not the usual error shape.
    pub body_excerpt: String,
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
            Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidInput(_) => None,
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
                if let Some(message) = &e.message {
                    write!(f, ": {message}")?;
                }
                for field in &e.errors {
                    write!(f, "; {}: {}", field.field, field.message)?;
                }
                if let Some(id) = &e.tracking_id {
                    write!(f, " (tracking id {id})")?;
                }
                Ok(())
            }
            Error::Transport(e) => write!(f, "the request could not be completed: {e}"),
            Error::Decode { status, message, body_excerpt } => {
                write!(f, "the answer (status {status}) could not be read: {message}; body starts: {body_excerpt:?}")
            }
            Error::InvalidInput(message) => write!(f, "invalid input: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Transport(e)
    }
}

/// At most this many bytes of a body are kept in an error, cut on a character boundary.
const EXCERPT_BYTES: usize = 512;

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    text.trim_end_matches('\u{fffd}').to_owned()
}
