//! Credentials: a static bearer token, Server-to-Server OAuth, or a caller's own token source.

use super::body::{read_limited, DEFAULT_MAX_BODY_BYTES};
use super::error::{api_error, decode_error, Error, WITHHELD};
use super::profile::{ErrorFields, Profile};
use reqwest::header::HeaderValue;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

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

/// The token endpoint's error answers are read by OAuth's conventions (RFC 6749, section 5.2), not
/// the API's.
const TOKEN_ENDPOINT: Profile =
    Profile::new("").error_fields(ErrorFields { code: None, message: Some("error_description"), errors: None });

/// Tokens are renewed this long before they expire, so none expires in flight; a token that
/// lives less than twice as long is renewed halfway through its life instead.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// Lifetimes beyond this are read as this: the server's number cannot overflow a clock, and a
/// token is checked again at least daily.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// OAuth 2 client credentials (`grant_type` as the API's [`Profile`] names it, and any further form
/// fields the API wants): tokens are fetched with the app's client id and secret and cached until
/// shortly before they expire. One fetch at a time: every
/// call that needs a token meanwhile waits for that fetch and shares its result, token or error;
/// the fetch runs on its own task, so it completes even when the call that started it is dropped.
pub struct ClientCredentials {
    shared: Arc<Shared>,
}

struct Shared {
    client_id: String,
    client_secret: String,
    token_url: String,
    grant_type: String,
    /// Further form fields of the token request.
    parameters: Vec<(String, String)>,
    http: reqwest::Client,
    max_body_bytes: u64,
    /// Never held across an await: readers and [`TokenSource::invalidate`] always get it at once.
    state: std::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The fetch under way: its result, once sent, is every waiter's.
    fetching: Option<watch::Receiver<Option<Result<String, Error>>>>,
}

struct Cached {
    token: String,
    renew_at: Instant,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("ClientCredentials")
            .field("client_id", &shared.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &shared.token_url)
            .field("grant_type", &shared.grant_type)
            .field("parameters", &shared.parameters)
            .field("max_body_bytes", &shared.max_body_bytes)
            .finish()
    }
}

impl ClientCredentials {
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_url: impl Into<String>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                token_url: token_url.into(),
                grant_type: "client_credentials".into(),
                parameters: Vec::new(),
                http,
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                state: std::sync::Mutex::new(State::default()),
            }),
        }
    }

    /// The `grant_type` sent (default `client_credentials`; the API's [`Profile`] may name another).
    pub fn grant_type(mut self, grant_type: impl Into<String>) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.grant_type = grant_type.into();
        }
        self
    }

    /// Further form fields every token request sends, after `grant_type`.
    pub fn parameters(mut self, parameters: impl IntoIterator<Item = (String, String)>) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.parameters.extend(parameters);
        }
        self
    }

    /// The longest token answer read (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.max_body_bytes = limit;
        }
        self
    }
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The lock guards plain data and no code panics while holding it; a poisoned lock is still consistent.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Fetches a token and caches it; the result goes to every waiter.
    async fn fetch_and_publish(self: Arc<Self>, results: watch::Sender<Option<Result<String, Error>>>) {
        let fetched = self.fetch().await;
        let result = {
            let mut state = self.state();
            state.fetching = None;
            match fetched {
                Ok(cached) => {
                    let token = cached.token.clone();
                    state.cached = Some(cached);
                    Ok(token)
                }
                Err(error) => Err(error),
            }
        };
        // No receiver left is fine: the token is cached for the next call.
        let _ = results.send(Some(result));
    }

    async fn fetch(&self) -> Result<Cached, Error> {
        let fields = self.parameters.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        let form: Vec<(&str, &str)> = [("grant_type", self.grant_type.as_str())].into_iter().chain(fields).collect();
        let answer = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&form)
            .send()
            .await?;
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let body = read_limited(answer, self.max_body_bytes).await?;
        if !(200..300).contains(&status) {
            let mut error = api_error(status, &headers, &body, &TOKEN_ENDPOINT);
            error.message = Some(format!(
                "the OAuth token request was refused{}",
                error.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
            ));
            return Err(Error::Api(Box::new(error)));
        }
        token_from_answer(status, &body, Instant::now())
    }
}

/// Reads a token answer: the token, checked before it is cached, and when to renew it. The
/// answer holds a credential, so a failure never quotes it.
fn token_from_answer(status: u16, body: &[u8], now: Instant) -> Result<Cached, Error> {
    #[derive(serde::Deserialize)]
    struct Answer {
        access_token: String,
        /// Seconds; read as a float so any JSON number is accepted and clamped.
        #[serde(default)]
        expires_in: Option<f64>,
    }
    let what = "OAuth token answer";
    let answer: Answer = serde_json::from_slice(body).map_err(|e| decode_error(status, what, &e, body, true))?;
    bearer(&answer.access_token).map_err(|_| Error::Decode {
        status,
        message: format!("{what}: the access token is empty or has characters an HTTP header cannot carry"),
        body_excerpt: WITHHELD.into(),
    })?;
    let seconds = answer.expires_in.unwrap_or(3600.0);
    let lifetime = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO).min(MAX_LIFETIME);
    let renew_after = lifetime.saturating_sub(EXPIRY_MARGIN.min(lifetime / 2));
    Ok(Cached { token: answer.access_token, renew_at: now + renew_after })
}

impl TokenSource for ClientCredentials {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            let mut results = {
                let mut state = self.shared.state();
                if let Some(cached) = state.cached.as_ref().filter(|c| Instant::now() < c.renew_at) {
                    return Ok(cached.token.clone());
                }
                match &state.fetching {
                    Some(results) => results.clone(),
                    None => {
                        let (sender, results) = watch::channel(None);
                        state.fetching = Some(results.clone());
                        tokio::spawn(Arc::clone(&self.shared).fetch_and_publish(sender));
                        results
                    }
                }
            };
            // Whoever waited for this fetch takes its token, however short its life.
            let result = results.wait_for(Option::is_some).await.map(|result| result.clone());
            match result {
                Ok(Some(result)) => result,
                // The fetch's task ended without publishing (it panicked): forget it, so the
                // next call starts a fetch of its own instead of waiting on a dead one.
                _ => {
                    let mut state = self.shared.state();
                    if state.fetching.as_ref().is_some_and(|fetching| fetching.same_channel(&results)) {
                        state.fetching = None;
                    }
                    Err(Error::InvalidInput("the token fetch ended without a result".into()))
                }
            }
        })
    }

    fn invalidate(&self, token: &str) -> bool {
        // Only the token that failed is dropped: when many calls fail with it at once, the first
        // drops it and the rest find the fetch it starts, or its result.
        let mut state = self.shared.state();
        if state.cached.as_ref().is_some_and(|c| c.token == token) {
            state.cached = None;
        }
        true
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

/// `Bearer <token>`, marked sensitive so HTTP tooling does not print it. Every token is checked
/// here before use: a token is visible ASCII (RFC 6750's token characters are a subset), never
/// empty, so it can neither be sent as a bare `Bearer ` nor break the header.
fn bearer(token: &str) -> Result<HeaderValue, Error> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::InvalidInput(
            "the access token is empty or has characters an HTTP header cannot carry".into(),
        ));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::InvalidInput("the access token has characters an HTTP header cannot carry".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_expires_in_gives_a_renewal_within_a_day(seconds in prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(|f| format!("{f:e}")),
        ]) {
            let now = Instant::now();
            let body = format!(r#"{{"access_token": "tok", "expires_in": {seconds}}}"#);
            let cached = token_from_answer(200, body.as_bytes(), now).unwrap();
            prop_assert!(cached.renew_at >= now && cached.renew_at <= now + MAX_LIFETIME);
        }
    }

    #[test]
    fn a_short_lived_token_is_renewed_halfway() {
        let now = Instant::now();
        let cached = token_from_answer(200, br#"{"access_token": "tok", "expires_in": 30}"#, now).unwrap();
        assert_eq!(cached.renew_at, now + Duration::from_secs(15));
        let cached = token_from_answer(200, br#"{"access_token": "tok", "expires_in": 3600}"#, now).unwrap();
        assert_eq!(cached.renew_at, now + Duration::from_secs(3540));
    }
}
