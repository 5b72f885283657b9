//! A received answer and how generated code reads it.

use super::error::{api_error, decode_error, Error};
use bytes::Bytes;
use reqwest::header::{HeaderMap, LOCATION};
use serde::de::DeserializeOwned;
use std::fmt;

/// An answer, fully read (within the client's body limit), whatever its status.
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The operation's id, to name it in a decode error.
    pub(crate) operation: &'static str,
    /// The operation's answers may hold a credential ([`Operation::sensitive`](super::Operation::sensitive)).
    pub(crate) sensitive: bool,
}

/// Where in `body` decoding `T` fails, found by decoding again with the path tracked: a cost paid
/// only by answers that fail, never by the ones that decode.
fn failing_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
    Some(error.path().to_string()).filter(|path| path != ".")
}

impl fmt::Debug for Response {
    // The body is content that may hold a credential, not a diagnostic: its size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Response {
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The answer itself for a 2xx status; otherwise the error it stands for: the API's error
    /// ([`Error::Api`]) or a redirect ([`Error::Redirect`]).
    pub fn error_for_status(self) -> Result<Self, Error> {
        match self.status_error() {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    pub(crate) fn status_error(&self) -> Option<Error> {
        match self.status {
            200..=299 => None,
            300..=399 if self.status != 304 => {
                let location = self.headers.get(LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                Some(Error::Redirect { status: self.status, location })
            }
            _ => Some(Error::Api(Box::new(api_error(self.status, &self.headers, &self.body)))),
        }
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the JSON body.
    ///
    /// A failure names the operation and the path of the field that did not fit
    /// (`settings.meeting_authentication: invalid type: ...`).
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let what = match failing_path::<T>(&self.body) {
                Some(path) => format!("answer to `{}`, at `{path}`", self.operation),
                None => format!("answer to `{}`", self.operation),
            };
            decode_error(self.status, &what, &e, &self.body, self.sensitive)
        })
    }

    /// Decodes the JSON body, or `None` when there is none.
    pub fn json_if_any<T: DeserializeOwned>(self) -> Result<Option<T>, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            self.json().map(Some)
        }
    }

    /// For operations whose success has no body: whatever came is ignored.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    pub fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(self.body.into())
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}
