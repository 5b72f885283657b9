//! The hand-written runtime the generated code calls: how a request is built, sent and decoded.
//!
//! Generated code knows each operation's method, path template, parameters and body; everything
//! about transport (base URL, credentials, errors) lives here and knows no single operation.

mod auth;
mod body;
mod builder;
mod datetime;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod paginate;
mod profile;
mod rate_limit;
mod request;
mod response;
mod retry;
mod send;
mod style;
mod webhook;

pub use auth::{BoxFuture, ClientCredentials, TokenSource};
pub use body::DEFAULT_MAX_BODY_BYTES;
pub use builder::ClientBuilder;
pub use datetime::{DateTime, Timestamp};
pub use error::{ApiError, Error, FieldError, RateLimitInfo};
pub use futures_core::Stream;
pub use multipart::{FilePart, Multipart};
pub use paginate::{items, pages, BoxStream, Paginated};
pub use profile::{ErrorFields, Profile, RateLimitHeaders};
pub use rate_limit::RateLimits;
pub use request::{Operation, Request, RequestOptions, Shapes};
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
pub use response::{try_json, AnswerShape, Response};
pub use retry::RetryPolicy;
pub use send::{FromRuntime, Runtime};
pub use style::Style;
pub use webhook::{UrlValidation, Webhook, WebhookError, WebhookScheme, WebhookVerifier};
