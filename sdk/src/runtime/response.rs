//! A received answer and how generated code reads it.

use super::error::{decode_error, Error};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use std::fmt;

/// A success answer, fully read.
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The operation's id, to name it in a decode error.
    pub(crate) operation: &'static str,
    /// The operation's answers may hold a credential ([`Operation::sensitive`](super::Operation::sensitive)).
    pub(crate) sensitive: bool,
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

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the JSON body.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let what = format!("answer to `{}`", self.operation);
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
