//! The hand-written runtime the generated code calls: how a request is built, sent and decoded.
//!
//! Generated code knows each operation's method, path template, parameters and body; everything
//! about transport (base URL, credentials, errors) lives here and knows no single operation.

mod builder;
mod error;
mod multipart;
mod request;
mod response;

pub use builder::{ClientBuilder, FromRuntime, Runtime};
pub use error::{ApiError, Error, FieldError};
pub use multipart::{FilePart, Multipart};
pub use request::{Operation, Request};
pub use reqwest::Method;
pub use response::Response;
