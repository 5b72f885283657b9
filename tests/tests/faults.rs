//! What the SDK does when the server misbehaves: rate limits, outages, broken bodies, unknown
//! values, expired tokens, timeouts. Every case ends in a value or a typed error, never a panic.

use sdk_tests::quick_retries;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use zoom_users_sdk::runtime::RetryPolicy;
use zoom_users_sdk::{types, Client, Error};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token("t").retry_policy(quick_retries()).build().unwrap()
}

fn user_json() -> serde_json::Value {
    json!({"id": "z8", "email": "jchill@example.com", "type": 1})
}

/// Answers from a list in turn, repeating the last.
struct Sequence(Vec<ResponseTemplate>, AtomicUsize);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.1.fetch_add(1, Ordering::SeqCst);
        self.0[i.min(self.0.len() - 1)].clone()
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_retried() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "1")
        .insert_header("X-RateLimit-Category", "Light")
        .set_body_json(
            json!({"code": 429, "message": "You have reached the maximum per-second rate limit for this API."}),
        );
    let ok = ResponseTemplate::new(200).set_body_json(user_json());
    Mock::given(path("/users/me"))
        .respond_with(Sequence(vec![limited, ok], AtomicUsize::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let user = client(&server).user("me").send().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("z8"));
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
}

#[tokio::test]
async fn a_429_is_retried_even_for_a_post() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "0");
    let ok = ResponseTemplate::new(201).set_body_json(json!({"id": "new"}));
    Mock::given(method("POST"))
        .respond_with(Sequence(vec![limited, ok], AtomicUsize::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    let body = types::UserCreateRequest::new(types::UserCreateRequestAction::Create);
    assert_eq!(client(&server).user_create(body).send().await.unwrap().id.as_deref(), Some("new"));
}

#[tokio::test]
async fn a_daily_limit_far_away_is_not_waited_for() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "2999-01-01T00:00:00Z")
        .insert_header("X-RateLimit-Type", "Daily-limit")
        .insert_header("X-RateLimit-Remaining", "0");
    Mock::given(path("/users/me")).respond_with(limited).expect(1).mount(&server).await;
    let error = client(&server).user("me").send().await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 429);
    assert_eq!(api.rate_limit.kind.as_deref(), Some("Daily-limit"));
    assert_eq!(api.rate_limit.remaining, Some(0));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_503_storm_ends_in_a_bounded_error() {
    let server = MockServer::start().await;
    let unavailable = ResponseTemplate::new(503).insert_header("x-zm-trackingid", "v=2.0;clid=us06;rid=XYZ");
    Mock::given(path("/users/me")).respond_with(unavailable).expect(4).mount(&server).await;
    let error = client(&server).user("me").send().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.api().unwrap().request_id.as_deref(), Some("v=2.0;clid=us06;rid=XYZ"));
    assert!(error.to_string().contains("503") && error.to_string().contains("request id"));
}

#[tokio::test]
async fn a_post_that_got_a_5xx_is_not_replayed() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).expect(1).mount(&server).await;
    let body = types::UserCreateRequest::new(types::UserCreateRequestAction::Create);
    let error = client(&server).user_create(body.clone()).send().await.unwrap_err();
    assert_eq!(error.status(), Some(502));

    // Unless the caller allows it.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).expect(2).mount(&server).await;
    let policy = RetryPolicy { max_attempts: 2, retry_non_idempotent: true, ..quick_retries() };
    let client = Client::builder().base_url(server.uri()).retry_policy(policy).build().unwrap();
    client.user_create(body).send().await.unwrap_err();
}

#[tokio::test]
async fn zoom_errors_become_typed_errors() {
    let server = MockServer::start().await;
    let body = json!({"code": 300, "message": "Validation Failed.", "errors": [{"field": "user_info.email", "message": "Invalid field."}]});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let error = client(&server)
        .user_create(types::UserCreateRequest::new(types::UserCreateRequestAction::Create))
        .send()
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!((api.status, api.code), (400, Some(300)));
    assert_eq!(api.errors[0].field, "user_info.email");
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "the API answered 400 with error code 300: Validation Failed.; user_info.email: Invalid field."
    );
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors() {
    for body in ["{\"id\": \"z8\", \"type\": 1", "<html>gateway</html>", "", "{\"type\": \"one\"}", "\u{0}\u{1}"] {
        let server = MockServer::start().await;
        Mock::given(path("/users/me"))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .mount(&server)
            .await;
        match client(&server).user("me").send().await {
            Err(Error::Decode { status: 200, body_excerpt, .. }) => assert_eq!(body_excerpt, body),
            other => panic!("{body:?} gave {other:?}"),
        }
    }
    // A non-JSON error body still becomes an API error, with the body for a person to read.
    let server = MockServer::start().await;
    Mock::given(path("/users/me"))
        .respond_with(ResponseTemplate::new(404).set_body_string("not here"))
        .mount(&server)
        .await;
    let error = client(&server).user("me").send().await.unwrap_err();
    assert_eq!(error.api().unwrap().body_excerpt, "not here");
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_round_trip() {
    let server = MockServer::start().await;
    let body = json!({"id": "z8", "email": "e@example.com", "type": 7, "status": "suspended", "login_types": [0, 500]});
    Mock::given(path("/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let user = client(&server).user("me").send().await.unwrap();
    assert_eq!(user.type_, types::UserType::Unknown(7));
    assert_eq!(user.status, Some(types::UserStatus::Unknown("suspended".into())));
    assert_eq!(serde_json::to_value(&user).unwrap(), body, "unknown values are sent back unchanged");
}

#[tokio::test]
async fn unknown_fields_are_kept_and_round_trip() {
    let server = MockServer::start().await;
    let body = json!({"id": "z8", "type": 1, "brand_new_field": {"nested": [1, 2]}});
    Mock::given(path("/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let user = client(&server).user("me").send().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("z8"));
    assert_eq!(user.additional_properties["brand_new_field"], json!({"nested": [1, 2]}));
    assert_eq!(serde_json::to_value(&user).unwrap(), body, "a read-modify-write keeps what this SDK does not know");
}

#[tokio::test]
async fn a_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(user_json()).set_delay(Duration::from_secs(5));
    Mock::given(path("/users/me")).respond_with(slow).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy { max_attempts: 2, ..quick_retries() })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = client.user("me").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3), "bounded by the timeout, not the server");
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "a GET that timed out is retried");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client =
        Client::builder().base_url(format!("http://127.0.0.1:{port}")).retry_policy(quick_retries()).build().unwrap();
    let error = client.user("me").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

async fn oauth_server(token_requests: Arc<AtomicUsize>, expires_in: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", "Basic Y2xpZW50OnMzY3IzdC12YWx1ZQ=="))
        .and(body_string_contains("grant_type=account_credentials"))
        .and(body_string_contains("account_id=acct"))
        .respond_with(move |_: &Request| {
            let n = token_requests.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"access_token": format!("token-{n}"), "token_type": "bearer", "expires_in": expires_in}),
                )
                .set_delay(Duration::from_millis(50))
        })
        .mount(&server)
        .await;
    server
}

const SECRET: &str = "s3cr3t-value";

fn oauth_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .server_to_server_oauth("acct", "client", SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_hundred_concurrent_calls_fetch_one_token() {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let server = oauth_server(token_requests.clone(), 3600).await;
    Mock::given(path("/users/me"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .expect(100)
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.user("me").send().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(token_requests.load(Ordering::SeqCst), 1);
    assert!(!format!("{client:?}").contains(SECRET), "the client secret never shows in Debug output");
}

#[tokio::test]
async fn an_expiring_token_is_renewed_before_use() {
    let token_requests = Arc::new(AtomicUsize::new(0));
    // A token due for renewal as soon as it arrives serves the call that fetched it; the next call
    // fetches another.
    let server = oauth_server(token_requests.clone(), 0).await;
    Mock::given(path("/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client.user("me").send().await.unwrap();
    client.user("me").send().await.unwrap();
    assert_eq!(token_requests.load(Ordering::SeqCst), 2);
    let sent = server.received_requests().await.unwrap();
    let bearer: Vec<_> =
        sent.iter().filter_map(|r| r.headers.get("authorization")).map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(bearer.contains(&"Bearer token-2".to_owned()));
}

#[tokio::test]
async fn a_401_for_an_invalid_token_fetches_a_new_one_once() {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let server = oauth_server(token_requests.clone(), 3600).await;
    let expired = ResponseTemplate::new(401).set_body_json(json!({"code": 124, "message": "Invalid access token."}));
    Mock::given(path("/users/me"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(expired.clone())
        .mount(&server)
        .await;
    Mock::given(path("/users/me"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client.user("me").send().await.unwrap();
    assert_eq!(token_requests.load(Ordering::SeqCst), 2);

    // A token that is refused again is not fetched a third time.
    Mock::given(path("/users/other")).respond_with(expired).mount(&server).await;
    let error = client.user("other").send().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(token_requests.load(Ordering::SeqCst), 3, "one refetch per call, then the error");
}

#[tokio::test]
async fn a_refused_token_request_is_an_api_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"})),
        )
        .mount(&server)
        .await;
    let error = oauth_client(&server).user("me").send().await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    let text = error.to_string();
    assert!(text.contains("OAuth token request was refused"), "{text}");
    assert!(!text.contains(SECRET) && !format!("{error:?}").contains(SECRET));
}

/// Another API's client credentials: the standard grant and only the fields the caller adds, never
/// the account id of the account-credentials grant.
#[tokio::test]
async fn client_credentials_send_the_standard_grant_and_only_the_fields_given() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "t", "expires_in": 3600})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = sdk_tests::fixtures::empty_2xx::Client::builder()
        .base_url(server.uri())
        .client_credentials("client", SECRET)
        .token_parameter("audience", "https://api.example.com")
        .token_url(format!("{}/token", server.uri()))
        .build()
        .unwrap();
    client.delete_thing("1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let token_request = requests.iter().find(|r| r.url.path() == "/token").expect("a token request");
    assert_eq!(
        String::from_utf8_lossy(&token_request.body),
        "grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com"
    );
    let call = requests.iter().find(|r| r.url.path() == "/things/1").expect("the call");
    assert_eq!(call.headers.get("authorization").unwrap(), "Bearer t");
}
