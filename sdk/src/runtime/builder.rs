//! Client configuration and the runtime every generated client wraps.

use super::error::{excerpt, ApiError, Error, FieldError};
use super::request::{Body, Request};
use super::response::Response;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// Implemented by generated clients, so one builder can build any of them.
pub trait FromRuntime {
    fn from_runtime(runtime: Runtime) -> Self;
}

/// Sends requests: base URL, credentials and the HTTP client, shared by clones.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    bearer_token: Option<String>,
}

impl fmt::Debug for Runtime {
    // The token is a credential: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("base_url", &self.inner.base_url)
            .field("bearer_token", &self.inner.bearer_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Configures a client. Start from the generated client's `builder()`.
pub struct ClientBuilder<C> {
    base_url: String,
    bearer_token: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer_token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl<C: FromRuntime> ClientBuilder<C> {
    pub fn new(base_url: &str) -> Self {
        Self { base_url: base_url.to_owned(), bearer_token: None, http: None, timeout: None, client: PhantomData }
    }

    /// Sends requests to another base URL (a proxy, a mock server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Uses a caller-configured HTTP client (proxies, TLS settings, connection pools).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Gives up on a request after this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn build(self) -> Result<C, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::InvalidInput(format!("base URL `{base_url}` must start with http:// or https://")));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder =
                    reqwest::Client::builder().user_agent(concat!("zoom-users-sdk/", env!("CARGO_PKG_VERSION")));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build()?
            }
        };
        let inner = Inner { http, base_url, bearer_token: self.bearer_token };
        Ok(C::from_runtime(Runtime { inner: Arc::new(inner) }))
    }
}

impl Runtime {
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`; a non-success answer becomes [`Error::Api`].
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        request.check()?;
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self.inner.http.request(request.operation.method.clone(), url);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(token) = &self.inner.bearer_token {
            builder = builder.bearer_auth(token);
        }
        builder = match request.body {
            Body::None => builder,
            Body::Json(bytes) => builder.header("content-type", "application/json").body(bytes),
            Body::Form(text) => builder.header("content-type", "application/x-www-form-urlencoded").body(text),
            Body::Multipart(form) => builder.multipart(form.into_reqwest().map_err(Error::InvalidInput)?),
        };
        let answer = builder.send().await?;
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let body = answer.bytes().await?.to_vec();
        if (200..300).contains(&status) {
            Ok(Response { status, headers, body })
        } else {
            Err(Error::Api(Box::new(api_error(status, &headers, &body))))
        }
    }
}

/// The API's error body (`code`, `message`, `errors`), read leniently: any body gives an error.
fn api_error(status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]) -> ApiError {
    #[derive(serde::Deserialize, Default)]
    struct Shape {
        code: Option<serde_json::Value>,
        message: Option<String>,
        #[serde(default)]
        errors: Vec<FieldError>,
    }
    let shape: Shape = serde_json::from_slice(body).unwrap_or_default();
    let code = shape.code.and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.parse().ok())));
    ApiError {
        status,
        code,
        message: shape.message,
        errors: shape.errors,
        tracking_id: headers.get("x-zm-trackingid").and_then(|v| v.to_str().ok()).map(str::to_owned),
        body_excerpt: excerpt(body),
    }
}
