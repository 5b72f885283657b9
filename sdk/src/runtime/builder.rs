//! Client configuration and the runtime every generated client wraps.

use super::auth::{Auth, ServerToServerOAuth, TokenSource, DEFAULT_TOKEN_URL};
use super::error::{api_error, Error};
use super::rate_limit::{Pacer, Plan};
use super::request::Request;
use super::response::Response;
use super::retry::RetryPolicy;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::fmt;
use std::marker::PhantomData;
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

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once, so a request's URL is the base with a path set, not a string
    /// parsed again on every attempt.
    base: reqwest::Url,
    auth: Option<Auth>,
    retry: RetryPolicy,
    pacer: Option<Pacer>,
}

impl fmt::Debug for Runtime {
    // Credentials are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.inner.retry)
            .field("pacer", &self.inner.pacer)
            .finish()
    }
}

enum Credentials {
    None,
    Bearer(String),
    ServerToServer { account_id: String, client_id: String, client_secret: String },
    Source(Arc<dyn TokenSource>),
}

/// Configures a client. Start from the generated client's `builder()`.
pub struct ClientBuilder<C> {
    base_url: String,
    credentials: Credentials,
    token_url: String,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    retry: RetryPolicy,
    plan: Option<Plan>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Credentials::None => "none",
            Credentials::Bearer(_) => "bearer token <redacted>",
            Credentials::ServerToServer { .. } => "server-to-server OAuth <redacted>",
            Credentials::Source(_) => "token source",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &credentials)
            .field("token_url", &self.token_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("plan", &self.plan)
            .finish()
    }
}

impl<C: FromRuntime> ClientBuilder<C> {
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            credentials: Credentials::None,
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            http: None,
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: concat!("zoom-users-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            plan: None,
            client: PhantomData,
        }
    }

    /// Sends requests to another base URL (a proxy, a mock server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Bearer(token.into());
        self
    }

    /// Server-to-Server OAuth: tokens are fetched with the app's credentials, cached, and renewed
    /// before they expire or when the API calls one invalid.
    pub fn server_to_server_oauth(
        mut self,
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Credentials::ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Where Server-to-Server OAuth tokens are fetched (default: Zoom's token endpoint).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Takes tokens from the caller's own source.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.credentials = Credentials::Source(source);
        self
    }

    /// Uses a caller-configured HTTP client (proxies, TLS settings, connection pools); the
    /// timeouts and user agent set here then do not apply.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Gives up on one attempt after this long (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Gives up connecting after this long (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Paces requests to the account plan's published rate limits, per rate-limit label.
    pub fn rate_limit(mut self, plan: Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    pub fn build(self) -> Result<C, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::InvalidInput(format!("base URL `{base_url}` must start with http:// or https://")));
        }
        let base = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::InvalidInput(format!("base URL `{base_url}` is not a URL: {e}")))?;
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::InvalidInput(format!("base URL `{base_url}` cannot have a query or a fragment")));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::InvalidInput("a retry policy needs at least one attempt".into()));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().user_agent(self.user_agent);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build()?
            }
        };
        let auth = match self.credentials {
            Credentials::None => None,
            Credentials::Bearer(token) => Some(Auth::fixed(&token)?),
            Credentials::ServerToServer { account_id, client_id, client_secret } => Some(Auth::Source(Arc::new(
                ServerToServerOAuth::new(account_id, client_id, client_secret, self.token_url, http.clone()),
            ))),
            Credentials::Source(source) => Some(Auth::Source(source)),
        };
        let inner = Inner { http, base_url, base, auth, retry: self.retry, pacer: self.plan.map(Pacer::new) };
        Ok(C::from_runtime(Runtime { inner: Arc::new(inner) }))
    }
}

/// What became of one attempt.
enum Outcome {
    Done(Result<Response, Error>),
    /// Try again after at least this long.
    Retry(Error, Option<Duration>),
    /// The token was refused: fetch a new one and try again at once.
    Reauthenticate(Error),
}

impl Runtime {
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` with retries; a non-success answer becomes [`Error::Api`].
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        request.check()?;
        let operation = request.operation();
        let span = tracing::debug_span!(
            "zoom_request",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.execute_in(&request, &span).instrument(span.clone()).await
    }

    /// The request's URL: the base with the operation's path (its parameters already encoded as
    /// segments) after the base's own path, and the query.
    fn url(&self, request: &Request) -> reqwest::Url {
        let mut url = self.inner.base.clone();
        let base_path = url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + request.path.len());
        path.push_str(base_path);
        path.push_str(&request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        url
    }

    async fn execute_in(&self, request: &Request, span: &tracing::Span) -> Result<Response, Error> {
        let url = self.url(request);
        let operation = request.operation();
        let policy = &self.inner.retry;
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
                    let (header, token) = auth.header().await?;
                    (Some(header), token)
                }
                None => (None, None),
            };
            let outcome = self.attempt(request, &url, authorization, span).await;
            let (error, retry_after) = match outcome {
                Outcome::Done(result) => return result,
                Outcome::Reauthenticate(error) => {
                    let renewable = self.inner.auth.as_ref().is_some_and(|auth| auth.invalidate(token.as_deref()));
                    if reauthenticated || !renewable {
                        return Err(error);
                    }
                    reauthenticated = true;
                    tracing::debug!("access token refused; fetching a new one");
                    continue;
                }
                Outcome::Retry(error, retry_after) => (error, retry_after),
            };
            let delay = policy.delay(attempt, retry_after);
            if attempt >= policy.max_attempts || waited + delay > policy.max_total_delay {
                return Err(error);
            }
            tracing::debug!(delay_ms = delay.as_millis() as u64, %error, "retrying");
            tokio::time::sleep(delay).await;
            waited += delay;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        request: &Request,
        url: &reqwest::Url,
        authorization: Option<HeaderValue>,
        span: &tracing::Span,
    ) -> Outcome {
        let operation = request.operation();
        let mut builder = self.inner.http.request(operation.method.clone(), url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(authorization) = authorization {
            builder = builder.header(AUTHORIZATION, authorization);
        }
        builder = match request.body.to_reqwest(builder) {
            Ok(builder) => builder,
            Err(error) => return Outcome::Done(Err(error)),
        };
        // Whether the server may have acted on the request, so a replay could act twice.
        let replay_safe = is_idempotent(&operation.method) || self.inner.retry.retry_non_idempotent;
        let mut answer = match builder.send().await {
            Ok(answer) => answer,
            // Not connected: the server never saw the request, so any method may be retried.
            Err(e) if e.is_connect() => return Outcome::Retry(Error::from(e), None),
            Err(e) if replay_safe => return Outcome::Retry(Error::from(e), None),
            Err(e) => return Outcome::Done(Err(Error::from(e))),
        };
        let status = answer.status().as_u16();
        span.record("status", status);
        let headers = std::mem::take(answer.headers_mut());
        let body = match answer.bytes().await {
            Ok(body) => body,
            Err(e) if replay_safe => return Outcome::Retry(Error::from(e), None),
            Err(e) => return Outcome::Done(Err(Error::from(e))),
        };
        if (200..300).contains(&status) {
            return Outcome::Done(Ok(Response { status, headers, body }));
        }
        let error = api_error(status, &headers, &body);
        let retry_after = error.rate_limit.retry_after;
        // Zoom code 124: invalid or expired access token; a 401 without a code likely means the same.
        let token_refused = status == 401 && matches!(error.code, None | Some(124));
        let error = Error::Api(Box::new(error));
        if token_refused {
            Outcome::Reauthenticate(error)
        } else if status == 429 || (status >= 500 && replay_safe) {
            // A 429 was refused before any work, so even a POST may be sent again.
            Outcome::Retry(error, retry_after)
        } else {
            Outcome::Done(Err(error))
        }
    }
}

fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}
