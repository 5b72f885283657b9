//! Typed client for the Zoom Users API.
//!
//! ```no_run
//! # async fn run() -> Result<(), zoom_users_sdk::Error> {
//! let zoom = zoom_users_sdk::Client::builder().bearer_token("token").build()?;
//! let me = zoom.user("me").await?;
//! println!("{:?}", me.email);
//! # Ok(())
//! # }
//! ```
//!
//! [`generated`] is written by `cargo xtask codegen` from `spec/zoom-users.yaml`; [`runtime`] is
//! the `sdkgen-runtime` crate it calls, which knows no single API.

// Formatted by the generator (prettyplease), so its text is exactly what the generator wrote.
#[rustfmt::skip]
pub mod generated;
pub use sdkgen_runtime as runtime;

#[cfg(feature = "mock")]
pub use generated::mock;
pub use generated::operations::Plan;
pub use generated::{operations, types, Client};
pub use runtime::{Error, FilePart, HeaderMap, Method, RequestOptions, RetryPolicy, StatusCode};

/// The README's examples, compiled as doc tests so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The crate's own README (the one a registry shows), compiled as a doc test too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
