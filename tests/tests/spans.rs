//! What the SDK tells `tracing`: one span per request with its operation, method, path template,
//! attempt and status, and, in everything it records, no credential.

use serde_json::json;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use zoom_users_sdk::runtime::RetryPolicy;
use zoom_users_sdk::Client;

/// Writes every span, field record and event as one line of text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        write!(self.0, " {}={:?}", field.name(), value).unwrap();
    }
}

impl Recorder {
    fn push(&self, line: Line) {
        self.lines.lock().unwrap().push(line.0);
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut line = Line(format!("span {id} {}", span.metadata().name()));
        span.record(&mut line);
        self.push(line);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = Line(format!("record {}", span.into_u64()));
        values.record(&mut line);
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("event {}", event.metadata().target()));
        event.record(&mut line);
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const SECRET: &str = "client-s3cret";
const ACCESS_TOKEN: &str = "access-t0ken";

#[test]
fn each_request_is_a_span_and_no_credential_is_recorded() {
    let recorder = Recorder::default();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tracing::subscriber::with_default(recorder.clone(), || {
        runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path("/oauth/token"))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(
                        json!({"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600}),
                    ),
                )
                .mount(&server)
                .await;
            // A 503, then the user: the second attempt is recorded on the same span.
            let calls = Arc::new(AtomicUsize::new(0));
            Mock::given(path("/users/me"))
                .respond_with(move |_: &Request| match calls.fetch_add(1, Ordering::SeqCst) {
                    0 => ResponseTemplate::new(503).set_body_json(json!({"code": 503, "message": "Try again."})),
                    _ => ResponseTemplate::new(200).set_body_json(json!({"id": "z8", "type": 1})),
                })
                .mount(&server)
                .await;
            let client = Client::builder()
                .base_url(server.uri())
                .server_to_server_oauth("acct", "client", SECRET)
                .token_url(format!("{}/oauth/token", server.uri()))
                .retry_policy(RetryPolicy {
                    initial_backoff: Duration::from_millis(1),
                    max_backoff: Duration::from_millis(5),
                    ..RetryPolicy::default()
                })
                .build()
                .unwrap();
            client.user("me").send().await.unwrap();
        })
    });

    let lines = recorder.lines();
    let text = lines.join("\n");
    let span =
        lines.iter().find(|l| l.contains(" api_request ")).unwrap_or_else(|| panic!("an api_request span in:\n{text}"));
    assert!(
        span.contains(r#"operation="user""#)
            && span.contains("method=GET")
            && span.contains(r#"path="/users/{userId}""#),
        "{span}"
    );
    let id = span.split_whitespace().nth(1).unwrap();
    let records: Vec<&String> = lines.iter().filter(|l| l.starts_with(&format!("record {id} "))).collect();
    let recorded = |field: &str| records.iter().any(|l| l.contains(field));
    assert!(recorded("attempt=1") && recorded("attempt=2"), "{text}");
    assert!(recorded("status=503") && recorded("status=200"), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("event ") && l.contains("retrying")), "{text}");
    for secret in [SECRET, ACCESS_TOKEN, "Basic "] {
        assert!(!text.contains(secret), "`{secret}` was recorded:\n{text}");
    }
}
