//! The send loop: one call becomes attempts, each paced, authenticated, sent, read within the
//! body limit and classified; failures are retried by the policy's one rule.

use super::auth::Auth;
use super::body::read_limited;
use super::error::Error;
use super::profile::Profile;
use super::rate_limit::Pacer;
use super::request::Request;
use super::response::Response;
use super::retry::{classify, Decision, RetryPolicy};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// Implemented by generated clients, so one builder can build any of them.
pub trait FromRuntime {
    fn from_runtime(runtime: Runtime) -> Self;
}

/// Sends requests: base URL, credentials, retries and pacing, shared by clones.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// `base_url` parsed once, so a request's URL is the base with a path set, not a string
    /// parsed again on every attempt.
    pub(crate) base: reqwest::Url,
    /// The caller set a base URL other than the description's: operations' absolute servers
    /// are not used.
    pub(crate) own_base: bool,
    pub(crate) auth: Option<Auth>,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Option<Pacer>,
    pub(crate) max_body_bytes: u64,
    pub(crate) profile: &'static Profile,
}

impl fmt::Debug for Runtime {
    // Credentials are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.inner.retry)
            .field("pacer", &self.inner.pacer)
            .field("max_body_bytes", &self.inner.max_body_bytes)
            .finish()
    }
}

impl Runtime {
    pub(crate) fn new(inner: Inner) -> Self {
        Self { inner: Arc::new(inner) }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` with retries; a non-success answer becomes [`Error::Api`] (or
    /// [`Error::Redirect`]).
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        self.run(&request).await.map_err(|(error, _)| error)
    }

    /// Sends `request` with retries and returns the last answer whatever its status (an error
    /// answer after retries are used up, included); `Err` only when no answer came.
    pub async fn execute_raw(&self, request: Request) -> Result<Response, Error> {
        self.run(&request).await.or_else(|(error, answer)| answer.ok_or(error))
    }

    /// The send loop in its span: the success answer, or the error the call ends with and the
    /// answer that carried it, if one did.
    async fn run(&self, request: &Request) -> Result<Response, (Error, Option<Response>)> {
        request.check().map_err(|error| (error, None))?;
        let operation = request.operation();
        let span = tracing::debug_span!(
            "api_request",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.execute_in(request, &span).instrument(span.clone()).await
    }

    /// The request's URL: the base with the operation's path (its parameters already encoded as
    /// segments) after the base's own path, and the query.
    ///
    /// The base is the client's base URL, or the operation's own server: a relative one resolved
    /// against the client's base URL taken as a directory (`upload` under `https://h/v1` is
    /// `https://h/v1/upload`, `/upload` is `https://h/upload`); an absolute one as it is, unless
    /// the caller set a base URL of their own, which then takes every request.
    fn url(&self, request: &Request) -> Result<reqwest::Url, Error> {
        let invalid = |server: &str, e: String| {
            Error::InvalidInput(format!("the operation's server `{server}` is not a URL: {e}"))
        };
        let mut url = match request.server {
            None => self.inner.base.clone(),
            Some(server) if server.contains("://") => match self.inner.own_base {
                true => self.inner.base.clone(),
                false => reqwest::Url::parse(server).map_err(|e| invalid(server, e.to_string()))?,
            },
            Some(server) => {
                let mut directory = self.inner.base.clone();
                if !directory.path().ends_with('/') {
                    directory.set_path(&format!("{}/", directory.path()));
                }
                directory.join(server).map_err(|e| invalid(server, e.to_string()))?
            }
        };
        let base_path = url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + request.path.len());
        path.push_str(base_path);
        path.push_str(&request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            // Names and values are encoded already; the delimiters between them stay as they are.
            let query: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            url.set_query(Some(&query.join("&")));
        }
        Ok(url)
    }

    async fn execute_in(&self, request: &Request, span: &tracing::Span) -> Result<Response, (Error, Option<Response>)> {
        let url = self.url(request).map_err(|error| (error, None))?;
        let operation = request.operation();
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        // Whether the server may have acted on the request, so a replay could act twice.
        let replay_safe = is_idempotent(&operation.method) || policy.retry_non_idempotent;
        let mut waited = Duration::ZERO;
        let mut reauthenticated = false;
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            if let (Some(pacer), Some(label)) = (&self.inner.pacer, operation.rate_limit) {
                pacer.wait(label).await;
            }
            let (authorization, token) = match &self.inner.auth {
                Some(auth) => {
                    let (header, token) = auth.header().await.map_err(|error| (error, None))?;
                    (Some(header), token)
                }
                None => (None, None),
            };
            // An answer that is an error is classified like any failure, and ends the call with
            // its error when no further attempt is made.
            let (error, answer) = match self.attempt(request, &url, authorization, span).await {
                Ok(answer) => match answer.status_error() {
                    None => return Ok(answer),
                    Some(error) => (error, Some(answer)),
                },
                Err(error) => (error, None),
            };
            let retry_after = error.api().and_then(|e| e.rate_limit.retry_after);
            match classify(&error, replay_safe) {
                Decision::Final => return Err((error, answer)),
                Decision::Reauthenticate => {
                    let renewable = self.inner.auth.as_ref().is_some_and(|auth| auth.invalidate(token.as_deref()));
                    if reauthenticated || !renewable {
                        return Err((error, answer));
                    }
                    reauthenticated = true;
                    tracing::debug!("access token refused; fetching a new one");
                }
                Decision::Retry => {
                    let Some(delay) = policy.next_wait(attempt, waited, retry_after) else {
                        return Err((error, answer));
                    };
                    tracing::debug!(delay_ms = delay.as_millis() as u64, %error, "retrying");
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
            }
        }
    }

    /// One attempt: the answer, whatever its status, or why none came.
    async fn attempt(
        &self,
        request: &Request,
        url: &reqwest::Url,
        authorization: Option<HeaderValue>,
        span: &tracing::Span,
    ) -> Result<Response, Error> {
        let operation = request.operation();
        let mut builder = self.inner.http.request(operation.method.clone(), url.clone());
        for (name, value) in request.headers.iter().chain(&request.options.headers) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(authorization) = authorization {
            builder = builder.header(AUTHORIZATION, authorization);
        }
        if let Some(timeout) = request.options.timeout {
            builder = builder.timeout(timeout);
        }
        let mut answer = request.body.to_reqwest(builder)?.send().await?;
        let status = answer.status().as_u16();
        span.record("status", status);
        if !(100..=599).contains(&status) {
            return Err(Error::Protocol(format!("status {status} is not an HTTP status")));
        }
        let headers = std::mem::take(answer.headers_mut());
        let body = read_limited(answer, self.inner.max_body_bytes).await?;
        Ok(Response {
            status,
            headers,
            body,
            operation: operation.id,
            sensitive: operation.sensitive,
            profile: self.inner.profile,
        })
    }
}

fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}
