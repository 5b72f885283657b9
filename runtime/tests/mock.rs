//! The mock server of the feature `mock`, with a client and a call type written by hand as a
//! generated SDK writes them: typed answers, errors, verification, scoped expectations, reset.
//! (`tests/tests/mock.rs` drives the generated mocks of real descriptions.)

use sdkgen_runtime::mock::{self, Call, Matcher, MockClient};
use sdkgen_runtime::{ClientBuilder, Error, ErrorFields, FromRuntime, Method, Operation, Profile, Runtime};
use serde::{Deserialize, Serialize};

/// A generated client, in small: one operation.
#[derive(Debug, Clone)]
struct Client {
    runtime: Runtime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Thing {
    id: String,
    size: u32,
}

impl Client {
    const DEFAULT_BASE_URL: &'static str = "https://api.example.com/v1";
    const PROFILE: Profile = Profile::new("mock-test/1").error_fields(ErrorFields {
        code: Some("code"),
        message: Some("message"),
        errors: None,
    });

    fn builder() -> ClientBuilder<Self> {
        ClientBuilder::new(Self::DEFAULT_BASE_URL, &Self::PROFILE)
    }

    async fn thing(&self, id: &str) -> Result<Thing, Error> {
        let operation =
            Operation { id: "thing", method: Method::GET, path: "/things/{id}", rate_limit: None, sensitive: false };
        let request = sdkgen_runtime::Request::new(operation).path_param("id", &id);
        self.runtime.execute(request).await?.json()
    }
}

impl FromRuntime for Client {
    fn from_runtime(runtime: Runtime) -> Self {
        Self { runtime }
    }
}

impl MockClient for Client {
    fn builder() -> ClientBuilder<Self> {
        Client::builder()
    }
}

type MockServer = mock::MockServer<Client>;

/// The generated call type of `thing`, in small.
#[derive(Debug, Clone)]
struct ThingCall {
    matcher: Matcher,
}

fn thing() -> ThingCall {
    ThingCall { matcher: Matcher::new("thing", "GET", "/things/{id}") }
}

impl ThingCall {
    fn id(self, value: impl Into<String>) -> Self {
        Self { matcher: self.matcher.path("id", &value.into()) }
    }
}

impl Call for ThingCall {
    type Answer = Thing;

    fn describe(&self) -> String {
        self.matcher.describe()
    }

    fn matches(&self, request: &mock::Request) -> bool {
        self.matcher.matches(request)
    }

    fn answer(answer: Self::Answer) -> mock::ResponseTemplate {
        mock::json_answer(200, &answer)
    }
}

fn box_of(size: u32) -> Thing {
    Thing { id: "a/b".into(), size }
}

#[tokio::test]
async fn the_client_it_makes_gets_the_typed_answer() {
    let server = MockServer::start().await;
    server.expect(thing().id("a/b")).respond(box_of(3)).times(1).await;

    let client = server.client();
    assert_eq!(client.runtime.base_url(), server.uri());
    assert_eq!(client.thing("a/b").await.expect("the mock answers"), box_of(3));
    assert_eq!(server.received_requests().await.len(), 1);
    assert!(server.unexpected_calls().is_empty());
    server.verify().await;
}

#[tokio::test]
async fn an_error_answer_is_the_apis_error_and_not_retried() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"code": 1001, "message": "no such thing"});
    server.expect(thing()).respond_error(503, body).times(1).await;

    let Err(Error::Api(error)) = server.client().thing("x").await else { panic!("the API's error") };
    assert_eq!((error.status, error.code, error.message.as_deref()), (503, Some(1001), Some("no such thing")));
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "calls no expectation matched")]
async fn a_call_no_expectation_matches_gets_a_404_and_fails_verification() {
    let server = MockServer::start().await;
    server.expect(thing().id("a")).respond(box_of(1)).times(0..).await;
    let error = server.client().thing("b").await.expect_err("nothing matches");
    assert_eq!(error.status(), Some(404));
    assert!(error.to_string().contains("no expectation of the mock server matches GET /things/b"), "{error}");
    assert_eq!(server.unexpected_calls(), ["GET /things/b"]);
    drop(server);
}

#[tokio::test]
#[should_panic(expected = r#"thing (GET /things/{id}) with id = "a""#)]
async fn an_expectation_not_met_is_named_by_its_call() {
    let server = MockServer::start().await;
    server.expect(thing().id("a")).respond(box_of(1)).await;
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "has no answer")]
async fn an_expectation_without_an_answer_is_refused() {
    let server = MockServer::start().await;
    server.expect(thing()).await;
}

#[tokio::test]
async fn a_scoped_expectation_lives_with_its_guard() {
    let server = MockServer::start().await;
    let guard = server.expect(thing()).respond(box_of(2)).times(1).mount_as_scoped().await;
    server.client().thing("any").await.expect("matched while the guard lives");
    assert_eq!(guard.received_requests().await.len(), 1);
    drop(guard);

    let error = server.client().thing("any").await.expect_err("gone with its guard");
    assert_eq!(error.status(), Some(404));
    // Forgotten, so the server's verification passes.
    server.reset().await;
    assert!(server.unexpected_calls().is_empty());
    assert!(server.received_requests().await.is_empty());
}

#[tokio::test]
async fn own_matchers_and_answers_narrow_and_answer() {
    use wiremock::matchers::header;
    let server = MockServer::start().await;
    let answer = mock::ResponseTemplate::new(200).set_body_json(box_of(5)).insert_header("x-extra", "1");
    server.expect(thing()).matching(header("authorization", "Bearer mock-token")).respond_with(answer).await;
    assert_eq!(server.client().thing("q").await.expect("the bearer token is sent"), box_of(5));
    let debug = format!("{server:?}");
    assert!(debug.contains(&server.uri()), "{debug}");
}
