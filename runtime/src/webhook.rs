//! Receiving event notifications (webhooks): proving a request came from the API, refusing
//! replays, answering the endpoint's validation handshake, and decoding the event.
//!
//! No web framework is involved: a receiver hands over the request's headers and raw body and
//! gets back a [`Webhook`] or a [`WebhookError`]. The verifier is generic over the event type, so
//! it serves any API's events (the generated `WebhookEvent` enum, or `serde_json::Value`).

use reqwest::header::HeaderMap;
use ring::hmac;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How an API signs its notifications: `{version}=` and the hex HMAC-SHA256, under the app's
/// secret, of `{version}:{timestamp}:{body}` in one header, the timestamp (seconds since the Unix
/// epoch) in another; and the event, if any, that asks an endpoint to prove it holds the secret
/// (its `payload.plainToken` answered with `{"plainToken", "encryptedToken"}`). A generated SDK
/// reads it from its description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookScheme {
    signature_header: &'static str,
    timestamp_header: &'static str,
    version: &'static str,
    validation_event: Option<&'static str>,
}

impl WebhookScheme {
    /// Header names in lower case, as `HeaderMap` holds them.
    pub const fn new(signature_header: &'static str, timestamp_header: &'static str, version: &'static str) -> Self {
        Self { signature_header, timestamp_header, version, validation_event: None }
    }

    /// The event that asks the endpoint to prove it holds the secret.
    pub const fn validation_event(mut self, event: &'static str) -> Self {
        self.validation_event = Some(event);
        self
    }

    /// The header carrying the signature.
    pub const fn signature_header(&self) -> &'static str {
        self.signature_header
    }

    /// The header carrying the time the request was signed.
    pub const fn timestamp_header(&self) -> &'static str {
        self.timestamp_header
    }
}

/// Checks and decodes the notifications of one app, given the API's scheme and the app's secret
/// token.
///
/// ```
/// use sdkgen_runtime::{Webhook, WebhookScheme, WebhookVerifier};
///
/// const SCHEME: WebhookScheme = WebhookScheme::new("x-signature", "x-timestamp", "v0");
/// let verifier = WebhookVerifier::new(SCHEME, "the app's secret token").expect("a secret");
/// # let (headers, body) = (reqwest::header::HeaderMap::new(), b"{}");
/// // A generated SDK's `WebhookEvent` enum, or any type that deserializes.
/// match verifier.verify::<serde_json::Value>(&headers, body) {
///     Ok(Webhook::UrlValidation(answer)) => { /* answer 200 with answer.to_json() */ }
///     Ok(Webhook::Event(event)) => println!("{}", event["event"]),
///     Err(refused) => { /* answer refused.status(), do not act on the body */ }
/// }
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    scheme: WebhookScheme,
    key: hmac::Key,
    tolerance: Duration,
    max_body_bytes: usize,
}

impl WebhookVerifier {
    /// How far a request's timestamp may be from the receiver's clock, either way.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
    /// Largest body accepted. Notifications are typically a few kilobytes; a settings change
    /// with its old and new values stays far below this.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

    /// A verifier for the app whose secret token (the "Secret Token" of its event subscription)
    /// is `secret_token`. An empty token is refused: anyone could sign with it.
    pub fn new(scheme: WebhookScheme, secret_token: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        let secret = secret_token.as_ref();
        if secret.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Self {
            scheme,
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            tolerance: Self::DEFAULT_TOLERANCE,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// How old (or how far ahead of this clock) a request's timestamp may be. A captured request
    /// can be replayed only within this window.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Largest body accepted; a longer one is refused before anything else is done with it.
    /// A receiver should also stop reading at this size.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The configured body limit, for the receiver's own read limit.
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Checks a request against the clock of this machine; see [`verify_at`](Self::verify_at).
    pub fn verify<E: DeserializeOwned>(&self, headers: &HeaderMap, body: &[u8]) -> Result<Webhook<E>, WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Checks a request received at `now`: its size, its signature over the raw body (in
    /// constant time, before the body is parsed), the freshness of its timestamp, then decodes
    /// it. The validation handshake is signed like any event and is checked the same way, so
    /// the endpoint never signs a value for someone who does not hold the secret.
    pub fn verify_at<E: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Webhook<E>, WebhookError> {
        let header = |name: &'static str| match headers.get(name) {
            None => Err(WebhookError::MissingHeader(name)),
            Some(value) => value.to_str().map(Some).map_err(|_| WebhookError::MalformedHeader(name)),
        };
        self.verify_parts_at(header(self.scheme.signature_header)?, header(self.scheme.timestamp_header)?, body, now)
    }

    /// [`verify_at`](Self::verify_at) for a framework with its own header type: the values of
    /// scheme's signature and timestamp headers, `None` when absent.
    pub fn verify_parts_at<E: DeserializeOwned>(
        &self,
        signature: Option<&str>,
        timestamp: Option<&str>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Webhook<E>, WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge { len: body.len(), limit: self.max_body_bytes });
        }
        let WebhookScheme { signature_header, timestamp_header, version, validation_event } = self.scheme;
        let signature = signature.ok_or(WebhookError::MissingHeader(signature_header))?;
        let timestamp = timestamp.ok_or(WebhookError::MissingHeader(timestamp_header))?;
        let tag = signature
            .strip_prefix(version)
            .and_then(|rest| rest.strip_prefix('='))
            .and_then(decode_hex)
            .ok_or(WebhookError::MalformedHeader(signature_header))?;
        let seconds: u64 = parse_seconds(timestamp).ok_or(WebhookError::MalformedHeader(timestamp_header))?;

        let mut message = Vec::with_capacity(version.len() + timestamp.len() + body.len() + 2);
        for part in [version.as_bytes(), b":", timestamp.as_bytes(), b":", body] {
            message.extend_from_slice(part);
        }
        hmac::verify(&self.key, &message, &tag).map_err(|_| WebhookError::SignatureMismatch)?;

        // Checked after the signature, so `Stale` always means a genuine request, replayed or
        // delayed, and never a forged timestamp.
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let skew = now.abs_diff(seconds);
        if skew > self.tolerance.as_secs() {
            return Err(WebhookError::Stale { skew: Duration::from_secs(skew), tolerance: self.tolerance });
        }

        let probe: Probe = serde_json::from_slice(body).map_err(|e| WebhookError::Decode(e.to_string()))?;
        if probe.event.is_some() && probe.event.as_deref() == validation_event {
            let validation: ValidationRequest =
                serde_json::from_slice(body).map_err(|e| WebhookError::Decode(e.to_string()))?;
            let plain_token = validation.payload.plain_token;
            let encrypted_token = encode_hex(hmac::sign(&self.key, plain_token.as_bytes()).as_ref());
            return Ok(Webhook::UrlValidation(UrlValidation { plain_token, encrypted_token }));
        }
        serde_json::from_slice(body).map(Webhook::Event).map_err(|e| WebhookError::Decode(e.to_string()))
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("scheme", &self.scheme)
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub enum Webhook<E> {
    /// The API is validating the endpoint: answer `200` with [`UrlValidation::to_json`] as the body.
    UrlValidation(UrlValidation),
    /// An event notification: answer `200` (or `204`) promptly, then act on it.
    Event(E),
}

/// The answer to the endpoint validation handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlValidation {
    /// The random value the API sent.
    #[serde(rename = "plainToken")]
    pub plain_token: String,
    /// Hex HMAC-SHA256 of `plain_token`, keyed with the secret token: proof the endpoint holds it.
    #[serde(rename = "encryptedToken")]
    pub encrypted_token: String,
}

impl UrlValidation {
    /// The JSON body to answer with: `{"plainToken": ..., "encryptedToken": ...}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("two strings always serialize")
    }
}

/// Why a request was refused. None of these carries the secret or the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The verifier was given an empty secret token.
    EmptySecret,
    /// The body is longer than the limit.
    BodyTooLarge { len: usize, limit: usize },
    /// A required header is absent.
    MissingHeader(&'static str),
    /// A header is present but not in its format (`{version}=` and 64 hex digits; decimal seconds).
    MalformedHeader(&'static str),
    /// The signature does not match the timestamp and body under this secret: the request was
    /// changed on the way, or signed with another secret, or not by the API.
    SignatureMismatch,
    /// A genuine request whose timestamp is further from this clock than the tolerance: a replay,
    /// or a clock that is wrong.
    Stale { skew: Duration, tolerance: Duration },
    /// A genuine request whose body is not the JSON of an event (or of the validation handshake).
    Decode(String),
}

impl WebhookError {
    /// The HTTP status a receiver should answer with.
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::EmptySecret => 500,
            WebhookError::BodyTooLarge { .. } => 413,
            WebhookError::MissingHeader(_) | WebhookError::SignatureMismatch | WebhookError::Stale { .. } => 401,
            WebhookError::MalformedHeader(_) | WebhookError::Decode(_) => 400,
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::EmptySecret => write!(f, "the webhook secret token is empty"),
            WebhookError::BodyTooLarge { len, limit } => {
                write!(f, "webhook body of {len} bytes is over the {limit}-byte limit")
            }
            WebhookError::MissingHeader(name) => write!(f, "webhook request has no `{name}` header"),
            WebhookError::MalformedHeader(name) => write!(f, "webhook request's `{name}` header is malformed"),
            WebhookError::SignatureMismatch => write!(f, "webhook signature does not match its timestamp and body"),
            WebhookError::Stale { skew, tolerance } => write!(
                f,
                "webhook timestamp is {}s from this clock, more than the {}s allowed",
                skew.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::Decode(message) => write!(f, "webhook body is not a known shape: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Just enough of a body to tell the handshake from an event.
#[derive(Deserialize)]
struct Probe {
    event: Option<String>,
}

#[derive(Deserialize)]
struct ValidationRequest {
    payload: ValidationPayload,
}

#[derive(Deserialize)]
struct ValidationPayload {
    #[serde(rename = "plainToken")]
    plain_token: String,
}

/// Decimal seconds, digits only (no sign, no spaces).
fn parse_seconds(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Lower- or upper-case hex of exactly one SHA-256 output.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    const LEN: usize = 32;
    if text.len() != 2 * LEN {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16);
    text.as_bytes().chunks(2).map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)).collect()
}

fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_a_digest() {
        let bytes: Vec<u8> = (0..32).map(|i| i * 8).collect();
        assert_eq!(decode_hex(&encode_hex(&bytes)), Some(bytes.clone()));
        assert_eq!(decode_hex(&encode_hex(&bytes).to_uppercase()), Some(bytes));
        assert_eq!(decode_hex(&"a".repeat(63)), None, "odd length");
        assert_eq!(decode_hex(&"a".repeat(62)), None, "short");
        assert_eq!(decode_hex(&format!("{}zz", "a".repeat(62))), None, "not hex");
        assert_eq!(decode_hex(&format!("{}é", "a".repeat(62))), None, "not ASCII");
    }

    #[test]
    fn seconds_are_plain_digits() {
        assert_eq!(parse_seconds("1700000000"), Some(1_700_000_000));
        for bad in ["", "+1700000000", "-5", " 1", "1.5", "99999999999999999999999"] {
            assert_eq!(parse_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_secret_is_not_in_debug_output() {
        let scheme = WebhookScheme::new("x-signature", "x-timestamp", "v0");
        let verifier = WebhookVerifier::new(scheme, "s3cr3t-token-value").expect("a secret");
        let shown = format!("{verifier:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}
