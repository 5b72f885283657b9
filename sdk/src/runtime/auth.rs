//! Credentials: a static bearer token, Server-to-Server OAuth, or a caller's own token source.

use super::error::{excerpt, Error};
use reqwest::header::HeaderValue;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A boxed future, so token sources can be shared as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where access tokens come from. Implement it to bring your own (a vault, a shared cache).
pub trait TokenSource: Send + Sync + 'static {
    /// A token valid now.
    fn token(&self) -> BoxFuture<'_, Result<String, Error>>;

    /// Called once when the API refused `token` as invalid or expired, so the next
    /// [`token`](Self::token) fetches a fresh one. Returns whether a new token may help.
    fn invalidate(&self, token: &str) -> bool {
        let _ = token;
        false
    }
}

/// Tokens are renewed this long before they expire, so none expires in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// Server-to-Server OAuth (`grant_type=account_credentials`): tokens are fetched with the app's
/// client id and secret, cached until shortly before they expire, and fetched once however many
/// calls need one at the same moment.
pub struct ServerToServerOAuth {
    account_id: String,
    client_id: String,
    client_secret: String,
    token_url: String,
    http: reqwest::Client,
    /// Held across a fetch: callers arriving meanwhile wait and then share its token.
    cache: Mutex<Option<Cached>>,
}

struct Cached {
    token: String,
    renew_at: Instant,
}

impl fmt::Debug for ServerToServerOAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerToServerOAuth")
            .field("account_id", &self.account_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &self.token_url)
            .finish()
    }
}

/// Zoom's OAuth token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://zoom.us/oauth/token";

impl ServerToServerOAuth {
    pub fn new(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_url: impl Into<String>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: token_url.into(),
            http,
            cache: Mutex::new(None),
        }
    }

    async fn fetch(&self) -> Result<Cached, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            access_token: String,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let form = [("grant_type", "account_credentials"), ("account_id", self.account_id.as_str())];
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&form)
            .send()
            .await
            .map_err(Error::from)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from)?;
        if !(200..300).contains(&status) {
            let mut error = super::error::api_error(status, &headers, &body);
            error.message = Some(format!(
                "the OAuth token request was refused{}",
                error.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
            ));
            return Err(Error::Api(Box::new(error)));
        }
        let answer: Answer = serde_json::from_slice(&body).map_err(|e| Error::Decode {
            status,
            message: format!("OAuth token answer: {e}"),
            body_excerpt: excerpt_without_token(&body),
        })?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3600));
        Ok(Cached { token: answer.access_token, renew_at: Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN) })
    }
}

/// A token answer that failed to decode may still hold a token: keep it out of the error.
fn excerpt_without_token(body: &[u8]) -> String {
    if String::from_utf8_lossy(body).contains("access_token") {
        "<withheld: may contain a token>".into()
    } else {
        excerpt(body)
    }
}

impl TokenSource for ServerToServerOAuth {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.as_ref().filter(|c| Instant::now() < c.renew_at) {
                return Ok(cached.token.clone());
            }
            let fresh = self.fetch().await?;
            let token = fresh.token.clone();
            *cache = Some(fresh);
            Ok(token)
        })
    }

    fn invalidate(&self, token: &str) -> bool {
        // Only the token that failed is dropped: when many calls fail with it at once, the first
        // clears it and the rest find the new one.
        match self.cache.try_lock() {
            Ok(mut cache) => {
                if cache.as_ref().is_some_and(|c| c.token == token) {
                    *cache = None;
                }
                true
            }
            // A fetch is under way: its token is new anyway.
            Err(_) => true,
        }
    }
}

/// The credentials a runtime sends.
#[derive(Clone)]
pub(crate) enum Auth {
    /// One fixed token (e.g. from a user OAuth flow handled elsewhere), its header built once.
    Static(HeaderValue),
    Source(Arc<dyn TokenSource>),
}

impl Auth {
    pub(crate) fn fixed(token: &str) -> Result<Self, Error> {
        bearer(token).map(Auth::Static)
    }

    /// The `Authorization` value for one attempt, and the token in it when a source gave it.
    pub(crate) async fn header(&self) -> Result<(HeaderValue, Option<String>), Error> {
        match self {
            Auth::Static(value) => Ok((value.clone(), None)),
            Auth::Source(source) => {
                let token = source.token().await?;
                Ok((bearer(&token)?, Some(token)))
            }
        }
    }

    /// Drops a refused token; whether a new one may help.
    pub(crate) fn invalidate(&self, token: Option<&str>) -> bool {
        match (self, token) {
            (Auth::Source(source), Some(token)) => source.invalidate(token),
            _ => false,
        }
    }
}

/// `Bearer <token>`, marked sensitive so HTTP tooling does not print it.
fn bearer(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::InvalidInput("the access token has characters an HTTP header cannot carry".into()))?;
    value.set_sensitive(true);
    Ok(value)
}
