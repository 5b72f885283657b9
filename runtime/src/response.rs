//! A received answer and how generated code reads it.

use super::error::{api_error, decode_error, Error};
use super::profile::Profile;
use bytes::Bytes;
use reqwest::header::{HeaderMap, LOCATION};
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::BTreeMap;
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
    /// How the API's error answers read.
    pub(crate) profile: &'static Profile,
}

/// Where in `body` decoding `T` fails, found by decoding again with the path tracked: a cost paid
/// only by answers that fail, never by the ones that decode.
fn failing_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
    Some(error.path().to_string()).filter(|path| path != ".")
}

/// One shape an answer may take when a request parameter selects its shape (`x-select-by`): the
/// union variant, the properties its schema declares, and how to decode it into the union.
/// Generated code lists every variant of the union; see [`Response::json_selected`].
pub struct AnswerShape<T> {
    /// The variant's Rust name.
    pub variant: &'static str,
    /// Wire names of the properties the variant's schema declares (none for a shape that is
    /// not an object).
    pub properties: &'static [&'static str],
    /// Decodes the body as this variant.
    pub decode: fn(&[u8]) -> Option<T>,
}

impl<T> fmt::Debug for AnswerShape<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnswerShape").field("variant", &self.variant).field("properties", &self.properties).finish()
    }
}

/// Decodes `body` as `B`, or `None`: for [`AnswerShape::decode`].
pub fn try_json<B: DeserializeOwned>(body: &[u8]) -> Option<B> {
    serde_json::from_slice(body).ok()
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
            _ => Some(Error::Api(Box::new(api_error(self.status, &self.headers, &self.body, self.profile)))),
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

    /// Decodes an answer whose shape a request parameter selected (`x-select-by`): as the
    /// selected variant `B` (wrapped by `wrap`), and, when the answer does not fit it, as the
    /// union's other documented shapes. Those are tried in order of how many of the answer's
    /// top-level properties they declare, most first; a shape declaring none of them is not tried
    /// (every field being optional, it would take any object), unless the answer has no
    /// properties at all. The first that decodes wins. When none does, the error is the selected
    /// shape's, as [`json`](Self::json) gives it.
    ///
    /// So an answer an API sends in another documented shape than the one asked for decodes as the
    /// variant it is, instead of failing.
    pub fn json_selected<B: DeserializeOwned, T>(
        self,
        wrap: fn(B) -> T,
        selected: &str,
        shapes: &[AnswerShape<T>],
    ) -> Result<T, Error> {
        if let Ok(value) = serde_json::from_slice::<B>(&self.body) {
            return Ok(wrap(value));
        }
        let keys: Vec<String> = serde_json::from_slice::<BTreeMap<String, IgnoredAny>>(&self.body)
            .map(|map| map.into_keys().collect())
            .unwrap_or_default();
        let mut candidates: Vec<(usize, &AnswerShape<T>)> = shapes
            .iter()
            .filter(|shape| shape.variant != selected)
            .map(|shape| (keys.iter().filter(|k| shape.properties.contains(&k.as_str())).count(), shape))
            .filter(|(fit, _)| *fit > 0 || keys.is_empty())
            .collect();
        // Stable: shapes that fit equally well keep the union's order.
        candidates.sort_by_key(|(fit, _)| std::cmp::Reverse(*fit));
        match candidates.iter().find_map(|(_, shape)| (shape.decode)(&self.body)) {
            Some(value) => Ok(value),
            None => self.json::<B>().map(wrap),
        }
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

    /// The body as received, for answers that are not JSON (`application/octet-stream`, images).
    pub fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(self.body.into())
    }

    /// The body as text, for `text/*` answers: UTF-8, or [`Error::Decode`] naming the operation.
    pub fn text(self) -> Result<String, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(e) => {
                let excerpt =
                    if self.sensitive { super::error::WITHHELD.to_owned() } else { super::error::excerpt(&self.body) };
                let message = format!("answer to `{}`: not UTF-8 text: {e}", self.operation);
                Err(Error::Decode { status: self.status, message, body_excerpt: excerpt })
            }
        }
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}
