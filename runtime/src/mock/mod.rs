//! Typed mocks for the tests of code that calls a generated SDK (feature `mock`): what every API's
//! mocks share. A generated SDK's `mock` module adds what is its own: per operation, a function
//! making the [`Call`] an expectation matches (narrowed by its parameters and body) and the typed
//! answer the operation's `send` returns, and the alias naming [`MockServer`] of its client.
//!
//! [`MockServer::start`] runs a loopback HTTP server and [`MockServer::client`] gives a client of
//! the SDK pointed at it (or give [`MockServer::uri`] to your own code as its base URL).
//! [`MockServer::expect`] turns a call into an [`Expectation`]: give it the typed answer
//! ([`respond`](Expectation::respond)) or an error, how many times it must be called, and
//! `.await` it.
//!
//! The server verifies when it is dropped, or at [`MockServer::verify`]: it panics, failing the
//! test, when an expectation did not get the calls it expects or a call matched no expectation.
//!
//! Built on [wiremock](https://docs.rs/wiremock).

mod matcher;
mod server;

pub use matcher::Matcher;
pub use server::{Expectation, ExpectationGuard, MockServer};
#[doc(no_inline)]
pub use wiremock::{Request, ResponseTemplate, Times};

use super::{ClientBuilder, FromRuntime};

/// A generated client a [`MockServer`] makes: implemented for its client by each generated SDK's
/// `mock` module.
pub trait MockClient: FromRuntime + Sized {
    /// A builder of the client at the API's own base URL, with its conventions: the client's
    /// `builder()`.
    fn builder() -> ClientBuilder<Self>;
}

/// The calls of one operation that an [`Expectation`] matches, and how the operation's answer is
/// sent. Each operation's function in a generated SDK's `mock` module makes one.
pub trait Call: std::fmt::Debug + Send + Sync + 'static {
    /// What the operation's `send` returns: the answer [`Expectation::respond`] takes.
    type Answer;

    /// The operation and the values matched, for verification messages.
    fn describe(&self) -> String;

    /// Whether `request` is a call of the operation with every value this call was given.
    fn matches(&self, request: &Request) -> bool;

    /// The response from which the operation's `send` decodes `answer`: the success status
    /// the description gives, and the body.
    fn answer(answer: Self::Answer) -> ResponseTemplate;
}

/// The answer of an operation that returns JSON: `answer` as the body, with `status`.
pub fn json_answer(status: u16, answer: &impl serde::Serialize) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(answer)
}

/// The answer of an operation that returns nothing: `status` without a body.
pub fn empty_answer(status: u16, (): ()) -> ResponseTemplate {
    ResponseTemplate::new(status)
}

/// The answer of an operation that returns bytes (or text): `answer` as the body, with `status`.
pub fn bytes_answer(status: u16, answer: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(answer, "application/octet-stream")
}

/// The answer of an operation whose answer may be empty: `answer` as JSON with `status`, or
/// `empty` without a body for `None`.
pub fn maybe_answer<T: serde::Serialize>(status: u16, empty: u16, answer: Option<T>) -> ResponseTemplate {
    match answer {
        Some(answer) => json_answer(status, &answer),
        None => ResponseTemplate::new(empty),
    }
}
