//! The runtime against a server that misbehaves on purpose (a raw loopback TCP server, see
//! `hostile/server.rs`): every answer ends in a value or a typed error, memory stays bounded, and
//! tokens are fetched once however many calls need one. Each test is bounded in time and asserts
//! counts (requests, token fetches, bytes), never durations.

mod server;

use futures_util::future::join_all;
use futures_util::StreamExt;
use sdk_tests::quick_retries;
use server::{answer, json, Reply, Server};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use zoom_users_sdk::runtime::{self, ClientBuilder, FromRuntime, Operation, Request, RetryPolicy, Runtime};
use zoom_users_sdk::{types, Client, Error, FilePart};

const USER: &str = r#"{"id": "z8", "email": "jchill@example.com", "type": 1}"#;
const TOKEN_PATH: &str = "/oauth/token";

fn client(server: &Server) -> Client {
    Client::builder().base_url(&server.url).bearer_token("t").retry_policy(quick_retries()).build().unwrap()
}

fn oauth_client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.url)
        .server_to_server_oauth("acct", "client", "client-secret")
        .token_url(format!("{}{TOKEN_PATH}", server.url))
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

/// Every test ends within this, whatever the code under test does.
async fn bounded<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future).await.expect("the call ended in time")
}

fn token_answer(token: &str, expires_in: &str) -> Reply {
    json(200, &format!(r#"{{"access_token": "{token}", "token_type": "bearer", "expires_in": {expires_in}}}"#))
}

fn endless(status: u16, headers: &str, chunked: bool) -> Reply {
    let head = format!("HTTP/1.1 {status} Status\r\n{headers}\r\n").into_bytes();
    Reply::Endless { head, chunk: vec![b' '; 64 * 1024], chunked }
}

// 1. Durations from the server never reach an arithmetic panic.

#[tokio::test]
async fn a_retry_after_past_any_clock_ends_the_call_under_the_default_policy() {
    let server = Server::start(|_, n| {
        let wait = if n == 0 { "1" } else { "18446744073709551615" };
        answer(429, &[("Retry-After", wait)], r#"{"code": 429, "message": "slow down"}"#)
    })
    .await;
    let zoom = Client::builder().base_url(&server.url).bearer_token("t").build().unwrap();
    let error = bounded(zoom.user("me").send()).await.unwrap_err();
    assert_eq!(error.status(), Some(429), "{error}");
    assert_eq!(server.count("/users/me"), 2, "waited 1 s once, then gave up instead of waiting forever");
}

#[tokio::test]
async fn any_token_lifetime_is_taken_without_panic() {
    // 1e19 s fits a Duration but not a clock; u64::MAX and 1e300 do not fit a Duration.
    for expires_in in ["10000000000000000000", "18446744073709551615", "1e300", "-5", "0", "0.25", "3599.9"] {
        let server = Server::start(move |request, _| match request.path() {
            TOKEN_PATH => token_answer("tok", expires_in),
            _ => json(200, USER),
        })
        .await;
        let user = bounded(oauth_client(&server).user("me").send()).await;
        assert!(user.is_ok(), "expires_in {expires_in}: {user:?}");
    }
}

// 2. Every body is read within the client's limit.

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    // The length is claimed, a little is sent, then nothing: only a client that believes the
    // claim without reading refuses at once; one that reads waits for the rest until its timeout.
    let head = "HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n";
    let server = Server::start(move |_, _| Reply::Stall([head.as_bytes(), &[b' '; 1024][..]].concat())).await;
    let zoom = Client::builder()
        .base_url(&server.url)
        .max_body_bytes(1 << 20)
        .timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = bounded(zoom.user("me").send()).await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { status: 200, limit: 1_048_576 }), "{error:?}");
}

#[tokio::test]
async fn a_lying_length_with_an_endless_body_costs_no_memory() {
    let server = Server::start(|_, _| endless(200, "Content-Length: 2000000000\r\n", false)).await;
    let zoom = Client::builder().base_url(&server.url).max_body_bytes(1 << 20).build().unwrap();
    let error = bounded(zoom.user("me").send()).await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { status: 200, limit: 1_048_576 }), "{error:?}");
    // What the kernel's socket buffers took before the client hung up, not 2 GB.
    assert!(server.written() < 64 << 20, "server wrote {} bytes", server.written());
}

#[tokio::test]
async fn an_endless_body_stops_at_the_default_limit() {
    let server = Server::start(|_, _| endless(200, "Transfer-Encoding: chunked\r\n", true)).await;
    let error = bounded(client(&server).user("me").send()).await.unwrap_err();
    let limit = runtime::DEFAULT_MAX_BODY_BYTES;
    assert!(matches!(error, Error::BodyTooLarge { status: 200, limit: l } if l == limit), "{error:?}");
    assert!(server.written() >= limit, "the whole allowance was read first");
    assert!(server.written() < limit + (64 << 20), "server wrote {} bytes", server.written());
}

#[tokio::test]
async fn an_endless_error_answer_is_cut_off_and_not_retried() {
    let server = Server::start(|_, _| endless(503, "Transfer-Encoding: chunked\r\n", true)).await;
    let zoom = Client::builder().base_url(&server.url).max_body_bytes(1 << 20).retry_policy(quick_retries());
    let error = bounded(zoom.build().unwrap().user("me").send()).await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { status: 503, .. }), "{error:?}");
    assert_eq!(server.count("/users/me"), 1);
    assert!(server.written() < 64 << 20, "server wrote {} bytes", server.written());
}

#[tokio::test]
async fn an_endless_token_answer_is_cut_off() {
    let server = Server::start(|request, _| match request.path() {
        TOKEN_PATH => endless(200, "Transfer-Encoding: chunked\r\n", true),
        _ => json(200, USER),
    })
    .await;
    let zoom = Client::builder()
        .base_url(&server.url)
        .server_to_server_oauth("acct", "client", "client-secret")
        .token_url(format!("{}{TOKEN_PATH}", server.url))
        .max_body_bytes(1 << 20)
        .build()
        .unwrap();
    let error = bounded(zoom.user("me").send()).await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { status: 200, limit: 1_048_576 }), "{error:?}");
    assert_eq!(server.count("/users/me"), 0);
}

// 3 and 4. One token fetch shared by every call that waits, whatever happens to it.

/// A server whose token endpoint answers `token-1`, `token-2`... after `delay`, valid for
/// `expires_in` seconds; its API refuses `token-1` with Zoom's code 124 when `refuse_first`.
async fn token_server(delay: Duration, expires_in: &'static str, refuse_first: bool) -> Server {
    let issued = AtomicUsize::new(0);
    Server::start(move |request, _| match request.path() {
        TOKEN_PATH => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::After(delay, Box::new(token_answer(&format!("token-{n}"), expires_in)))
        }
        _ if refuse_first && request.header("authorization") == Some("Bearer token-1") => {
            json(401, r#"{"code": 124, "message": "Invalid access token."}"#)
        }
        _ => json(200, USER),
    })
    .await
}

#[tokio::test]
async fn three_hundred_calls_refused_fetch_one_new_token_and_all_succeed() {
    let server = token_server(Duration::from_millis(50), "3600", true).await;
    let zoom = oauth_client(&server);
    let results = bounded(join_all((0..300).map(|_| zoom.user("me").send()))).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{} of 300 failed, e.g. {:?}", failed.len(), failed.first());
    assert_eq!(server.count(TOKEN_PATH), 2, "the first token and exactly one renewal");
}

#[tokio::test]
async fn a_failing_token_fetch_is_shared_with_every_waiting_call() {
    let server = Server::start(|request, _| match request.path() {
        TOKEN_PATH => Reply::After(Duration::from_millis(250), Box::new(json(503, r#"{"message": "down"}"#))),
        _ => json(200, USER),
    })
    .await;
    let zoom = oauth_client(&server);
    let results = bounded(join_all((0..20).map(|_| zoom.user("me").send()))).await;
    for result in &results {
        assert_eq!(result.as_ref().unwrap_err().status(), Some(503), "{result:?}");
    }
    assert_eq!(server.count(TOKEN_PATH), 1, "one fetch, its error handed to all 20 calls");
    assert_eq!(server.count("/users/me"), 0);
}

#[tokio::test]
async fn a_token_fetch_completes_when_every_caller_gave_up() {
    let server = token_server(Duration::from_millis(300), "3600", false).await;
    let zoom = oauth_client(&server);
    let impatient = (0..10).map(|_| tokio::time::timeout(Duration::from_millis(20), zoom.user("me").send()));
    assert!(join_all(impatient).await.iter().all(Result::is_err), "every caller gave up");
    // The fetch started by the first caller goes on; the next call takes its token.
    bounded(zoom.user("me").send()).await.unwrap();
    assert_eq!(server.count(TOKEN_PATH), 1, "one fetch, never abandoned or repeated");
    assert_eq!(server.requests().iter().filter(|r| r.header("authorization") == Some("Bearer token-1")).count(), 1);
}

#[tokio::test]
async fn a_short_lived_token_serves_every_call_that_waited_for_it() {
    // 30 s is inside the 60 s renewal margin.
    let server = token_server(Duration::from_millis(50), "30", false).await;
    let zoom = oauth_client(&server);
    let results = bounded(join_all((0..100).map(|_| zoom.user("me").send()))).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.count(TOKEN_PATH), 1);
}

// 5. A token is checked before it is cached or sent.

#[tokio::test]
async fn an_empty_or_broken_token_is_never_cached_or_sent() {
    let issued = AtomicUsize::new(0);
    let server = Server::start(move |request, _| match request.path() {
        TOKEN_PATH => match issued.fetch_add(1, Ordering::SeqCst) {
            0 => token_answer("", "3600"),
            // JSON escapes: the token itself has CR and LF.
            1 => token_answer(r"tok\r\nX-Injected: 1", "3600"),
            2 => token_answer("two words", "3600"),
            _ => token_answer("good", "3600"),
        },
        _ => json(200, USER),
    })
    .await;
    let zoom = oauth_client(&server);
    for _ in 0..3 {
        let error = bounded(zoom.user("me").send()).await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert!(error.to_string().contains("access token is empty or has characters"), "{error}");
    }
    bounded(zoom.user("me").send()).await.unwrap();
    assert_eq!(server.count(TOKEN_PATH), 4, "a refused token was not kept");
    let sent: Vec<_> = server.requests().into_iter().filter(|r| r.path() == "/users/me").collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization"), Some("Bearer good"));
}

// 6. No credential in an error, a `Debug` output or a log.

fn assert_hidden(secret: &str, error: &Error) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(secret), "{shown}");
}

#[tokio::test]
async fn a_token_answer_that_fails_to_decode_is_never_quoted() {
    // `\u005f` is `_`: the key is `access_token` to JSON, not to a text search.
    for body in [
        r#"{"access\u005ftoken": "SECRET-TOKEN-1", "expires_in": "soon"}"#,
        r#"{"access_token": "SECRET-TOKEN-1", "expires_in": {}}"#,
        r#"{"access_token": "SECRET-TOKEN-1"#,
        r#"{"token": "SECRET-TOKEN-1"}"#,
    ] {
        let server = Server::start(move |_, _| json(200, body)).await;
        let error = bounded(oauth_client(&server).user("me").send()).await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert_hidden("SECRET-TOKEN-1", &error);
    }
}

#[tokio::test]
async fn answers_holding_a_credential_are_never_quoted_or_printed() {
    for body in [r#"{"token": "SECRET-ZAK-123"#, r#"{"token": ["SECRET-ZAK-123"]}"#, r#"{"token": "SECRET-ZAK-123"} x"#]
    {
        let server = Server::start(move |_, _| json(200, body)).await;
        let zoom = client(&server);
        let zak = bounded(zoom.user_zak().send()).await.unwrap_err();
        let token = bounded(zoom.user_token("me").send()).await.unwrap_err();
        for error in [zak, token] {
            assert!(matches!(error, Error::Decode { .. }), "{error:?}");
            assert_hidden("SECRET-ZAK-123", &error);
        }
    }
    let server = Server::start(|_, _| json(200, r#"{"token": "SECRET-ZAK-123"}"#)).await;
    let raw = bounded(client(&server).user_zak().send_raw()).await.unwrap();
    let printed = format!("{raw:?}");
    assert!(!printed.contains("SECRET-ZAK-123") && printed.contains("body_len"), "{printed}");
    // An answer without credentials still shows where it broke.
    let server = Server::start(|_, _| json(200, r#"{"id": 7}"#)).await;
    let error = bounded(client(&server).user("me").send()).await.unwrap_err();
    assert!(matches!(error, Error::Decode { ref body_excerpt, .. } if body_excerpt == r#"{"id": 7}"#), "{error:?}");
}

#[test]
fn a_request_never_prints_its_body() {
    const OPERATION: Operation = Operation {
        id: "userPassword",
        method: runtime::Method::PUT,
        path: "/users/{userId}/password",
        rate_limit: None,
        sensitive: true,
    };
    let body = types::PasswordUpdate::new("hunter2-SECRET");
    let request = Request::new(OPERATION).path_param("userId", &"me").json(&body);
    let printed = format!("{request:?}");
    assert!(printed.contains("userPassword") && printed.contains("/users/me/password"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
}

// 7. An error made before anything was sent is final.

struct Raw(Runtime);

impl FromRuntime for Raw {
    fn from_runtime(runtime: Runtime) -> Self {
        Raw(runtime)
    }
}

#[tokio::test]
async fn a_header_http_cannot_carry_is_refused_once_and_not_retried() {
    const OPERATION: Operation =
        Operation { id: "ping", method: runtime::Method::GET, path: "/ping", rate_limit: None, sensitive: false };
    let server = Server::start(|_, _| json(200, "{}")).await;
    let raw = ClientBuilder::<Raw>::new(&server.url, &Client::PROFILE).retry_policy(quick_retries()).build().unwrap();
    for value in ["a\r\nX-Injected: 1", "a\nb", "nul\0"] {
        let error = bounded(raw.0.execute(Request::new(OPERATION).header("x-note", &value))).await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(!error.is_retryable(), "{error}");
    }
    assert_eq!(server.requests().len(), 0);
}

// 8. Multipart names cannot inject part headers.

#[tokio::test]
async fn a_file_name_with_control_characters_is_refused_before_sending() {
    let server = Server::start(|_, _| answer(201, &[], "")).await;
    let picture = FilePart::new("a.png\r\nContent-Type: text/html", "image/png", vec![0x89, b'P', b'N', b'G']);
    let upload = types::ProfilePictureUpload { pic_file: picture };
    let error = bounded(client(&server).user_picture_upload("me", upload).send()).await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput(ref m) if m.contains("control character")), "{error:?}");
    assert_eq!(server.requests().len(), 0);
}

// 9. A page token that comes back ends the stream with an error.

#[tokio::test]
async fn a_page_token_cycle_ends_the_stream_with_an_error() {
    let server = Server::start(|_, n| {
        let token = ["A", "B"][n % 2];
        json(200, &format!(r#"{{"next_page_token": "{token}", "users": [{USER}]}}"#))
    })
    .await;
    let zoom = client(&server);
    let pages: Vec<_> = bounded(zoom.users().into_pages().collect::<Vec<_>>()).await;
    assert_eq!(pages.len(), 4, "the three pages that came, then the error");
    assert!(pages[..3].iter().all(Result::is_ok));
    assert!(matches!(pages[3], Err(Error::Protocol(ref m)) if m.contains("\"A\" came back")), "{:?}", pages[3]);
    assert_eq!(server.count("/users"), 3, "A, B, then A again, which is not followed");
}

// 11. Redirects are reported, never followed.

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = Server::start(|_, _| json(200, "{}")).await;
    let location = format!("{}/collect", elsewhere.url);
    let server = Server::start(move |_, n| {
        let status = if n == 0 { 307 } else { 308 };
        answer(status, &[("Location", location.as_str())], "")
    })
    .await;
    let zoom = client(&server);
    let password = types::PasswordUpdate::new("hunter2-SECRET");
    let put = bounded(zoom.user_password_update("me", password).send()).await.unwrap_err();
    let get = bounded(zoom.user("me").send()).await.unwrap_err();
    for (error, status) in [(put, 307), (get, 308)] {
        match error {
            Error::Redirect { status: s, location: Some(l) } => {
                assert_eq!((s, l), (status, format!("{}/collect", elsewhere.url)))
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(elsewhere.requests().len(), 0, "nothing, and no password, went to the other origin");
    assert_eq!(server.requests().len(), 2, "and nothing was retried");
}

// 12. A status outside 100-599 is a protocol error, not a server error to retry.

#[tokio::test]
async fn a_status_outside_http_is_a_protocol_error() {
    for status in [600, 999] {
        let server = Server::start(move |_, _| json(status, "{}")).await;
        let error = bounded(client(&server).user("me").send()).await.unwrap_err();
        assert!(matches!(error, Error::Protocol(ref m) if m.contains(&status.to_string())), "{error:?}");
        assert!(!error.is_retryable());
        assert_eq!(server.count("/users/me"), 1);
    }
}

#[test]
fn a_token_fetch_whose_runtime_went_away_is_not_waited_on_forever() {
    // The server lives on its own runtime for the whole test.
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime.block_on(token_server(Duration::from_millis(300), "3600", false));
    let zoom = {
        let _building = server_runtime.enter();
        oauth_client(&server)
    };
    let runtime = || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // A call starts the token fetch on its runtime, gives up, and that runtime ends before the
    // fetch does (as a test's runtime does when a client outlives it).
    let first = runtime();
    let gave_up =
        first.block_on(async { tokio::time::timeout(Duration::from_millis(20), zoom.user("me").send()).await });
    assert!(gave_up.is_err());
    drop(first);
    let second = runtime();
    let results: Vec<_> = (0..3).map(|_| second.block_on(zoom.user("me").send())).collect();
    assert!(results.last().unwrap().is_ok(), "{results:?}");
    assert!(
        results.iter().filter(|r| r.is_err()).count() <= 1,
        "at most the call that found the dead fetch: {results:?}"
    );
}
