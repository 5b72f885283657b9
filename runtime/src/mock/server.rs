//! The loopback server, the expectations mounted on it, and the catch-all for calls none matches.

use super::{Call, MockClient, Request, ResponseTemplate, Times};
use crate::{BoxFuture, ClientBuilder, RetryPolicy};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A loopback HTTP server that answers as the API, by the expectations mounted on it; `C` is the
/// generated client it makes (a generated SDK names it `mock::MockServer`, with its `Client`).
///
/// A call no expectation matches gets a 404 whose message says so, and fails verification.
/// Verification runs when the server is dropped, or at [`verify`](Self::verify): it panics,
/// naming each expectation not met and listing every request received.
pub struct MockServer<C> {
    server: Server,
    client: PhantomData<fn() -> C>,
}

/// What the server and its expectations share, whatever the client.
struct Server {
    wiremock: wiremock::MockServer,
    expected: Expected,
    unexpected: Arc<Mutex<Vec<String>>>,
}

/// What the mounted expectations match, for telling the calls none matches.
type Expected = Arc<Mutex<Vec<Arc<dyn wiremock::Match>>>>;

impl<C> std::fmt::Debug for MockServer<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.wiremock.uri()).finish_non_exhaustive()
    }
}

impl<C> MockServer<C> {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let server = Self {
            server: Server {
                wiremock: wiremock::MockServer::start().await,
                expected: Arc::default(),
                unexpected: Arc::default(),
            },
            client: PhantomData,
        };
        server.catch_unexpected().await;
        server
    }

    /// The server's base URL, such as `http://127.0.0.1:4372`: the base URL to give the code under test.
    pub fn uri(&self) -> String {
        self.server.wiremock.uri()
    }

    /// An expectation of the calls `call` matches. Give it an answer (`respond`,
    /// `respond_error`, `respond_status` or `respond_with`), optionally how many times it
    /// must be called (at least once otherwise), and `.await` it to mount it.
    pub fn expect<K: Call>(&self, call: K) -> Expectation<'_, K> {
        Expectation { server: &self.server, call, also: Vec::new(), response: None, times: None, name: None }
    }

    /// Panics unless every expectation got the calls it expects and every call matched an
    /// expectation; the message names what failed and lists every request received.
    pub async fn verify(&self) {
        self.server.wiremock.verify().await
    }

    /// The calls no expectation matched, as `METHOD /path?query`, in the order received.
    pub fn unexpected_calls(&self) -> Vec<String> {
        lock(&self.server.unexpected).clone()
    }

    /// Every request received, matched or not, in the order received.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.wiremock.received_requests().await.unwrap_or_default()
    }

    /// Forgets every expectation and every request received, without verifying them.
    /// Drop the guards of scoped expectations before.
    pub async fn reset(&self) {
        self.server.wiremock.reset().await;
        lock(&self.server.expected).clear();
        lock(&self.server.unexpected).clear();
        self.catch_unexpected().await;
    }

    /// Answers a call no expectation matches with a 404 saying so, and records it; the
    /// server's verification fails if any came.
    async fn catch_unexpected(&self) {
        let mock = wiremock::Mock::given(Unmatched(self.server.expected.clone()))
            .respond_with(Unexpected(self.server.unexpected.clone()))
            .expect(0)
            .named("calls no expectation matched");
        self.server.wiremock.register(mock).await
    }
}

impl<C: MockClient> MockServer<C> {
    /// A client builder pointed at this server, with a bearer token and no retries (each call
    /// is one request, so an expectation's count is the number of calls); change anything
    /// before `build`.
    pub fn client_builder(&self) -> ClientBuilder<C> {
        C::builder().base_url(self.uri()).bearer_token("mock-token").retry_policy(RetryPolicy::none())
    }

    /// A client pointed at this server (see [`client_builder`](Self::client_builder)).
    pub fn client(&self) -> C {
        self.client_builder().build().expect("a client for a loopback URL builds")
    }
}

/// An expectation being set up: which calls, what to answer, how many times. Mounted on
/// its server when awaited.
#[must_use = "an expectation does nothing until it is mounted: `.await` it"]
pub struct Expectation<'a, C: Call> {
    server: &'a Server,
    call: C,
    also: Vec<Box<dyn wiremock::Match>>,
    response: Option<ResponseTemplate>,
    times: Option<Times>,
    name: Option<String>,
}

impl<C: Call> std::fmt::Debug for Expectation<'_, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation")
            .field("call", &self.call)
            .field("matchers", &self.also.len())
            .field("response", &self.response)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<'a, C: Call> Expectation<'a, C> {
    /// Only calls whose JSON body has these fields with these values, and maybe others:
    /// `serde_json::json!({"type": 1})`, or a typed body whose unset optional fields are
    /// left out.
    pub fn body_includes(self, fields: impl serde::Serialize) -> Self {
        self.matching(wiremock::matchers::body_partial_json(fields))
    }

    /// Only calls `matcher` matches too (any `wiremock` matcher, such as
    /// `wiremock::matchers::header("x-request-id", "42")`).
    pub fn matching(mut self, matcher: impl wiremock::Match + 'static) -> Self {
        self.also.push(Box::new(matcher));
        self
    }

    /// Answers with `answer`, as the API would: the call returns it.
    pub fn respond(mut self, answer: C::Answer) -> Self {
        self.response = Some(C::answer(answer));
        self
    }

    /// Answers `status` with `body` as JSON: the call fails with the API's error of that
    /// status, whose code, message and field errors the client reads from the body's fields
    /// the API's profile names ([`ErrorFields`](crate::ErrorFields)).
    pub fn respond_error(mut self, status: u16, body: impl serde::Serialize) -> Self {
        self.response = Some(ResponseTemplate::new(status).set_body_json(body));
        self
    }

    /// Answers `status` without a body.
    pub fn respond_status(mut self, status: u16) -> Self {
        self.response = Some(ResponseTemplate::new(status));
        self
    }

    /// Answers with `response` as it is: any status, headers (such as `Retry-After`),
    /// body or delay.
    pub fn respond_with(mut self, response: ResponseTemplate) -> Self {
        self.response = Some(response);
        self
    }

    /// How many calls the expectation must get: `1`, `0` (never called), `2..=3`, `1..`...
    /// Without it, at least one.
    pub fn times(mut self, times: impl Into<Times>) -> Self {
        self.times = Some(times.into());
        self
    }

    /// Names the expectation in verification messages, instead of its operation and values.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Mounts the expectation for as long as the server runs (awaiting it does the same).
    ///
    /// Panics when no answer was given.
    pub async fn mount(self) {
        let (server, (mock, _)) = (self.server, self.into_mock());
        server.wiremock.register(mock).await
    }

    /// Mounts the expectation until the guard is dropped, which verifies it (panicking when
    /// it was not met) and removes it.
    ///
    /// Panics when no answer was given.
    pub async fn mount_as_scoped(self) -> ExpectationGuard {
        let (server, (mock, matcher)) = (self.server, self.into_mock());
        let guard = server.wiremock.register_as_scoped(mock).await;
        ExpectationGuard { guard: Some(guard), expected: server.expected.clone(), matcher }
    }

    fn into_mock(self) -> (wiremock::Mock, Arc<dyn wiremock::Match>) {
        let name = self.name.unwrap_or_else(|| self.call.describe());
        let Some(response) = self.response else {
            panic!("the expectation `{name}` has no answer: give it one with `respond`, `respond_error`, `respond_status` or `respond_with`")
        };
        let matcher: Arc<dyn wiremock::Match> = Arc::new(Matching { call: self.call, also: self.also });
        lock(&self.server.expected).push(matcher.clone());
        let mock = wiremock::Mock::given(Shared(matcher.clone()))
            .respond_with(response)
            .expect(self.times.unwrap_or_else(|| Times::from(1..)))
            .named(name);
        (mock, matcher)
    }
}

impl<'a, C: Call> std::future::IntoFuture for Expectation<'a, C> {
    type Output = ();
    type IntoFuture = BoxFuture<'a, ()>;

    /// Awaiting an expectation mounts it.
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.mount())
    }
}

/// An expectation mounted until this guard is dropped; dropping it verifies the expectation
/// (panicking when it was not met) and removes it.
#[must_use = "the expectation is removed when its guard is dropped"]
pub struct ExpectationGuard {
    guard: Option<wiremock::MockGuard>,
    expected: Expected,
    matcher: Arc<dyn wiremock::Match>,
}

impl std::fmt::Debug for ExpectationGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExpectationGuard").finish_non_exhaustive()
    }
}

impl ExpectationGuard {
    /// The requests this expectation matched, in the order received.
    pub async fn received_requests(&self) -> Vec<Request> {
        match &self.guard {
            Some(guard) => guard.received_requests().await,
            None => Vec::new(),
        }
    }
}

impl Drop for ExpectationGuard {
    fn drop(&mut self) {
        let guard = self.guard.take();
        lock(&self.expected).retain(|matcher| !Arc::ptr_eq(matcher, &self.matcher));
        drop(guard);
    }
}

/// What one expectation matches: its operation's call and the caller's own matchers.
struct Matching<C> {
    call: C,
    also: Vec<Box<dyn wiremock::Match>>,
}

impl<C: Call> wiremock::Match for Matching<C> {
    fn matches(&self, request: &Request) -> bool {
        self.call.matches(request) && self.also.iter().all(|matcher| matcher.matches(request))
    }
}

/// One expectation's matcher, shared with the list [`Unmatched`] reads.
struct Shared(Arc<dyn wiremock::Match>);

impl wiremock::Match for Shared {
    fn matches(&self, request: &Request) -> bool {
        self.0.matches(request)
    }
}

/// Calls no mounted expectation matches. (All mocks have one priority: `wiremock`
/// finds a scoped mock by its place, which a mock of another priority would change.)
struct Unmatched(Expected);

impl wiremock::Match for Unmatched {
    fn matches(&self, request: &Request) -> bool {
        let expected = lock(&self.0).clone();
        !expected.iter().any(|matcher| matcher.matches(request))
    }
}

/// Answers a call with a 404 saying no expectation matches it, and records it.
struct Unexpected(Arc<Mutex<Vec<String>>>);

impl wiremock::Respond for Unexpected {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let call = match request.url.query() {
            Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
            None => format!("{} {}", request.method, request.url.path()),
        };
        let message = format!("no expectation of the mock server matches {call}");
        lock(&self.0).push(call);
        ResponseTemplate::new(404).set_body_json(serde_json::json!({ "message": message }))
    }
}

fn lock<T>(value: &Mutex<T>) -> MutexGuard<'_, T> {
    value.lock().unwrap_or_else(PoisonError::into_inner)
}
