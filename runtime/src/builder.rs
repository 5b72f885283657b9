//! Client configuration and the runtime every generated client wraps.

use super::auth::{Auth, ClientCredentials, TokenSource};
use super::body::DEFAULT_MAX_BODY_BYTES;
use super::error::Error;
use super::profile::Profile;
use super::rate_limit::{Pacer, RateLimits};
use super::retry::RetryPolicy;
use super::send::{FromRuntime, Inner, Runtime};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

enum Credentials {
    None,
    Bearer(String),
    /// OAuth 2 client credentials, and the token request's further form fields.
    OAuth {
        client_id: String,
        client_secret: String,
        parameters: Vec<(String, String)>,
    },
    Source(Arc<dyn TokenSource>),
}

/// Configures a client. Start from the generated client's `builder()`.
pub struct ClientBuilder<C> {
    base_url: String,
    /// The description's base URL, which `base_url` starts as.
    default_base_url: String,
    credentials: Credentials,
    profile: &'static Profile,
    token_url: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    retry: RetryPolicy,
    rate_limits: Option<RateLimits>,
    max_body_bytes: u64,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Credentials::None => "none",
            Credentials::Bearer(_) => "bearer token <redacted>",
            Credentials::OAuth { .. } => "OAuth client credentials <redacted>",
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
            .field("rate_limits", &self.rate_limits)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl<C: FromRuntime> ClientBuilder<C> {
    /// A builder for the API whose conventions are `profile`, at `base_url`.
    pub fn new(base_url: &str, profile: &'static Profile) -> Self {
        Self {
            base_url: base_url.to_owned(),
            default_base_url: base_url.to_owned(),
            credentials: Credentials::None,
            profile,
            token_url: profile.token_url.map(str::to_owned),
            http: None,
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: profile.user_agent.to_owned(),
            retry: RetryPolicy::default(),
            rate_limits: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            client: PhantomData,
        }
    }

    /// Sends requests to another base URL (a proxy, a mock server).
    ///
    /// Every operation then goes to it, also one the description gives a server of its own
    /// with an absolute URL (an upload host, say): such a server is used only while the client
    /// keeps the description's base URL. An operation's relative server is resolved against the
    /// base URL, whichever it is.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates every request with `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Bearer(token.into());
        self
    }

    /// OAuth 2 client credentials: tokens are fetched from the API's token endpoint with the
    /// app's credentials (the `grant_type` the API's profile names), cached, and renewed before
    /// they expire or when the API calls one invalid.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials = Credentials::OAuth {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            parameters: Vec::new(),
        };
        self
    }

    /// A further form field of the token request made with [`client_credentials`](Self::client_credentials)
    /// (such as an `audience` or an account's id); nothing without client credentials.
    pub fn token_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let Credentials::OAuth { parameters, .. } = &mut self.credentials {
            parameters.push((name.into(), value.into()));
        }
        self
    }

    /// Client credentials for one account of the API ("Server-to-Server OAuth", the
    /// `account_credentials` grant): [`client_credentials`](Self::client_credentials) whose token
    /// requests also send the account's id as `account_id`.
    pub fn server_to_server_oauth(
        self,
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_credentials(client_id, client_secret).token_parameter("account_id", account_id)
    }

    /// Where client-credentials tokens are fetched (default: the token endpoint the API's
    /// description names).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Takes tokens from the caller's own source.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.credentials = Credentials::Source(source);
        self
    }

    /// Uses a caller-configured HTTP client (proxies, TLS settings, connection pools); the
    /// timeouts and user agent set here then do not apply. Configure it not to follow redirects
    /// (`reqwest::redirect::Policy::none()`), as the default client does: a redirect followed
    /// elsewhere takes the request's body and credentials with it.
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

    /// Paces requests to these rate limits, per rate-limit label: a generated SDK's plan
    /// (`.rate_limit(Plan::Pro)`) or limits of your own.
    pub fn rate_limit(mut self, limits: impl Into<RateLimits>) -> Self {
        self.rate_limits = Some(limits.into());
        self
    }

    /// The longest answer body read, in bytes (default 16 MiB), for the API's answers and the
    /// token endpoint's alike; a longer one ends the call with [`Error::BodyTooLarge`] as soon as
    /// it passes the limit.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
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
                // The API never redirects; a redirect is reported, not followed (see Error::Redirect).
                let mut builder =
                    reqwest::Client::builder().user_agent(self.user_agent).redirect(reqwest::redirect::Policy::none());
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
            Credentials::OAuth { client_id, client_secret, parameters } => {
                let token_url = self.token_url.ok_or_else(|| {
                    Error::InvalidInput("the API names no token endpoint: set one with `.token_url(..)`".into())
                })?;
                Some(Auth::Source(Arc::new(
                    ClientCredentials::new(client_id, client_secret, token_url, http.clone())
                        .grant_type(self.profile.grant_type)
                        .parameters(parameters)
                        .max_body_bytes(self.max_body_bytes),
                )))
            }
            Credentials::Source(source) => Some(Auth::Source(source)),
        };
        let own_base = base_url != self.default_base_url.trim_end_matches('/');
        let inner = Inner {
            http,
            own_base,
            base_url,
            base,
            auth,
            retry: self.retry,
            pacer: self.rate_limits.map(Pacer::new),
            profile: self.profile,
            max_body_bytes: self.max_body_bytes,
        };
        Ok(C::from_runtime(Runtime::new(inner)))
    }
}
