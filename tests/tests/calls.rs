//! How a service calls the SDK: requests that are `'static` values (spawned, awaited directly),
//! page streams without pinning, per-call settings, and raw answers for every status.

use futures_util::TryStreamExt;
use sdk_tests::quick_retries;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoom_users_sdk::{Client, Error, RetryPolicy};

fn user_json() -> serde_json::Value {
    json!({"id": "z8", "email": "jchill@example.com", "type": 1})
}

async fn server_with_user() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token("t").retry_policy(quick_retries()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_requests_run_on_their_own_tasks_from_one_client() {
    let server = server_with_user().await;
    let zoom = client(&server);
    let tasks: Vec<_> = (0..100).map(|_| tokio::spawn(zoom.user("me").send())).collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().id.as_deref(), Some("z8"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 100);
}

#[tokio::test]
async fn a_builder_is_awaited_directly() {
    let server = server_with_user().await;
    let me = client(&server).user("me").await.unwrap();
    assert_eq!(me.email, Some("jchill@example.com".into()));
}

#[tokio::test]
async fn a_page_stream_needs_no_pinning() {
    let server = MockServer::start().await;
    let page = json!({"users": [{"id": "a", "email": "a@example.com", "type": 1}]});
    Mock::given(path("/users")).respond_with(ResponseTemplate::new(200).set_body_json(page)).mount(&server).await;
    let mut users = client(&server).users().into_stream();
    let first = users.try_next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("a"));
    assert!(users.try_next().await.unwrap().is_none());
}

#[tokio::test]
async fn a_call_sends_its_own_headers() {
    let server = MockServer::start().await;
    Mock::given(path("/users/me"))
        .and(header("x-request-id", "abc-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).user("me").header("x-request-id", "abc-123").await.unwrap();
}

#[tokio::test]
async fn a_call_has_its_own_timeout() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(user_json()).set_delay(Duration::from_secs(3));
    Mock::given(path("/users/me")).respond_with(slow).mount(&server).await;
    let zoom = client(&server);
    let error = zoom.user("me").timeout(Duration::from_millis(50)).retry_policy(RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_call_has_its_own_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let zoom = client(&server);
    let error = zoom.user("me").retry_policy(RetryPolicy::none()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no retry for this call");
    zoom.user("me").await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 4, "the client's policy for the others");
}

#[tokio::test]
async fn a_raw_answer_comes_back_for_every_status_with_its_whole_body() {
    let server = MockServer::start().await;
    let long_message = "x".repeat(2000);
    let body = json!({"code": 1001, "message": long_message});
    Mock::given(path("/users/nobody"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .mount(&server)
        .await;
    Mock::given(path("/users/busy"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let zoom = client(&server);

    let raw = zoom.user("nobody").send_raw().await.unwrap();
    assert_eq!(raw.status(), 404);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(raw.body()).unwrap(), body, "the whole body");
    let error = raw.error_for_status().unwrap_err();
    assert_eq!(error.api().and_then(|e| e.code), Some(1001));
    assert_eq!(zoom.user("nobody").await.unwrap_err().api().and_then(|e| e.code), Some(1001));

    // A status worth retrying is retried first; the last answer is the one handed back.
    let raw = zoom.user("busy").send_raw().await.unwrap();
    assert_eq!((raw.status(), raw.body()), (503, &b"busy"[..]));
    let busy_requests =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/users/busy").count();
    assert_eq!(busy_requests, 4);
}

#[tokio::test]
async fn date_times_are_typed_and_text_that_is_none_still_decodes() {
    let server = MockServer::start().await;
    let user = json!({"id": "z8", "type": 1, "created_at": "", "last_login_time": "2024-01-01T09:30:00+01:00"});
    Mock::given(path("/users/me")).respond_with(ResponseTemplate::new(200).set_body_json(&user)).mount(&server).await;
    let me = client(&server).user("me").await.unwrap();
    let created = me.created_at.as_ref().unwrap();
    assert_eq!((created.as_str(), created.timestamp()), ("", None), "kept as sent, with no instant");
    let login = me.last_login_time.as_ref().unwrap().timestamp().unwrap();
    assert_eq!(login, "2024-01-01T08:30:00Z".parse().unwrap());
    assert_eq!(serde_json::to_value(&me).unwrap(), user, "sent back exactly as received");
}
