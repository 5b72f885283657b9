//! A received answer and how generated code reads it.

use super::error::{excerpt, Error};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// A success answer, fully read.
#[derive(Debug)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
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
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: self.status,
            message: e.to_string(),
            body_excerpt: excerpt(&self.body),
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
