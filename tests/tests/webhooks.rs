//! Webhooks: the verifier against signatures computed outside this code, every way a request
//! can be wrong, and the generated event types against every example in Zoom's own description.
//!
//! The hex values below were computed with Python's `hmac` module (and checked with
//! `openssl dgst -sha256 -hmac`), e.g.
//! `hmac.new(secret, b"v0:" + timestamp + b":" + body, hashlib.sha256).hexdigest()`.

use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zoom_users_sdk::runtime::{UrlValidation, Webhook, WebhookError, WebhookVerifier};
use zoom_users_sdk::types::{self, WebhookEvent};

/// The headers the spec's `x-webhook-signature` names.
const SIGNATURE_HEADER: &str = WebhookEvent::SIGNATURE.signature_header();
const TIMESTAMP_HEADER: &str = WebhookEvent::SIGNATURE.timestamp_header();

const SECRET: &str = "whsec-test-4f1c2a";
const TIMESTAMP: &str = "1700000000";
const EVENT_BODY: &str = r#"{"event":"user.created","event_ts":1700000000123,"payload":{"account_id":"acct-1","operator":"admin@example.com","operator_id":"op-1","creation_type":"create","object":{"id":"u-1","email":"new.user@example.com","type":1}}}"#;
const EVENT_SIGNATURE: &str = "v0=11b3eb741aa2eee2663557f9d65ddb53699c4e0ce50fb31b95369e92843d8c4f";

/// The moment the fixtures were signed, plus `seconds`.
fn at(seconds: i64) -> SystemTime {
    let signed = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    if seconds >= 0 {
        signed + Duration::from_secs(seconds.unsigned_abs())
    } else {
        signed - Duration::from_secs(seconds.unsigned_abs())
    }
}

fn verifier() -> WebhookVerifier {
    WebhookEvent::verifier(SECRET).expect("a secret")
}

fn check(
    verifier: &WebhookVerifier,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &str,
    now: SystemTime,
) -> Result<Webhook<serde_json::Value>, WebhookError> {
    verifier.verify_parts_at(signature, timestamp, body.as_bytes(), now)
}

#[test]
fn a_signed_event_is_accepted_and_decoded() {
    let checked = check(&verifier(), Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(0));
    let Ok(Webhook::Event(event)) = checked else { panic!("accepted as an event: {checked:?}") };
    assert_eq!(event["payload"]["object"]["email"], "new.user@example.com");
    let upper = EVENT_SIGNATURE.to_uppercase().replacen("V0=", "v0=", 1);
    assert!(check(&verifier(), Some(&upper), Some(TIMESTAMP), EVENT_BODY, at(0)).is_ok(), "hex in either case");
}

/// RFC 4231 test cases 1, 2, 6 and 7 as validation handshakes: the encrypted token is
/// HMAC-SHA256(secret, plainToken). Each handshake request is itself signed (Python, as above).
#[test]
fn the_validation_answer_is_hmac_sha256_of_the_plain_token() {
    let long_key = [0xaa_u8; 131];
    let cases: [(&[u8], &str, &str, &str); 4] = [
        (
            &[0x0b; 20],
            "Hi There",
            "1c8141849a8354fc5d260e4158c533fbc3d9d3200ed84736df11413b50582cfd",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            b"Jefe",
            "what do ya want for nothing?",
            "492fdd156a3b682b32ff16a52242cd865e43ce05edaeb96ddfd9aabc6baf6845",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            &long_key,
            "Test Using Larger Than Block-Size Key - Hash Key First",
            "41a2622d4572bbb22b79a2b3e101a83406ee9241be6fcc9f321a7bde4b202b8b",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            &long_key,
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs \
             to be hashed before being used by the HMAC algorithm.",
            "fb1b7dae401ac0f86d448f5364efad273657265baffca6a073048afad27b5036",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (key, plain, request_mac, expected) in cases {
        let body = format!(
            r#"{{"payload":{{"plainToken":"{plain}"}},"event_ts":1700000000123,"event":"endpoint.url_validation"}}"#
        );
        let verifier = WebhookEvent::verifier(key).expect("a secret");
        let checked = check(&verifier, Some(&format!("v0={request_mac}")), Some(TIMESTAMP), &body, at(0));
        let expected = UrlValidation { plain_token: plain.into(), encrypted_token: expected.into() };
        assert_eq!(checked, Ok(Webhook::UrlValidation(expected.clone())), "{plain}");
        let answer: serde_json::Value = serde_json::from_str(&expected.to_json()).expect("JSON");
        assert_eq!(answer, serde_json::json!({"plainToken": plain, "encryptedToken": expected.encrypted_token}));
    }
}

#[test]
fn an_unsigned_validation_request_gets_no_answer() {
    // Answering it would sign any text for anyone: a forged event's signature included.
    let body = r#"{"event":"endpoint.url_validation","payload":{"plainToken":"v0:1700000000:{}"}}"#;
    let forged = format!("v0={}", "0".repeat(64));
    assert_eq!(check(&verifier(), Some(&forged), Some(TIMESTAMP), body, at(0)), Err(WebhookError::SignatureMismatch));
    assert_eq!(
        check(&verifier(), None, Some(TIMESTAMP), body, at(0)),
        Err(WebhookError::MissingHeader(SIGNATURE_HEADER))
    );
}

#[test]
fn every_changed_byte_of_the_body_is_refused() {
    for i in 0..EVENT_BODY.len() {
        let mut body = EVENT_BODY.as_bytes().to_vec();
        body[i] ^= 0x01;
        let checked =
            verifier().verify_parts_at::<serde_json::Value>(Some(EVENT_SIGNATURE), Some(TIMESTAMP), &body, at(0));
        assert_eq!(checked, Err(WebhookError::SignatureMismatch), "byte {i}");
    }
    let longer = format!("{EVENT_BODY} ");
    assert_eq!(
        check(&verifier(), Some(EVENT_SIGNATURE), Some(TIMESTAMP), &longer, at(0)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_changed_timestamp_is_refused_even_within_the_tolerance() {
    let moved = "1700000001";
    assert_eq!(
        check(&verifier(), Some(EVENT_SIGNATURE), Some(moved), EVENT_BODY, at(0)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_changed_signature_is_refused() {
    let hex = EVENT_SIGNATURE.strip_prefix("v0=").expect("prefix");
    for i in 0..hex.len() {
        let mut changed = hex.as_bytes().to_vec();
        changed[i] = if changed[i] == b'0' { b'1' } else { b'0' };
        let signature = format!("v0={}", String::from_utf8(changed).expect("ASCII"));
        assert_eq!(
            check(&verifier(), Some(&signature), Some(TIMESTAMP), EVENT_BODY, at(0)),
            Err(WebhookError::SignatureMismatch),
            "digit {i}"
        );
    }
    let malformed = WebhookError::MalformedHeader(SIGNATURE_HEADER);
    for signature in
        [hex.to_owned(), format!("v1={hex}"), format!("v0={}", &hex[1..]), format!("v0={hex}0"), format!("v0= {hex}")]
    {
        assert_eq!(
            check(&verifier(), Some(&signature), Some(TIMESTAMP), EVENT_BODY, at(0)),
            Err(malformed.clone()),
            "{signature}"
        );
    }
}

#[test]
fn a_missing_or_malformed_header_is_named() {
    assert_eq!(
        check(&verifier(), None, Some(TIMESTAMP), EVENT_BODY, at(0)),
        Err(WebhookError::MissingHeader(SIGNATURE_HEADER))
    );
    assert_eq!(
        check(&verifier(), Some(EVENT_SIGNATURE), None, EVENT_BODY, at(0)),
        Err(WebhookError::MissingHeader(TIMESTAMP_HEADER))
    );
    for timestamp in ["", "-1700000000", "1700000000.0", "soon"] {
        assert_eq!(
            check(&verifier(), Some(EVENT_SIGNATURE), Some(timestamp), EVENT_BODY, at(0)),
            Err(WebhookError::MalformedHeader(TIMESTAMP_HEADER)),
            "{timestamp:?}"
        );
    }
}

#[test]
fn a_stale_or_future_timestamp_is_refused_outside_the_tolerance() {
    let five_minutes = WebhookVerifier::DEFAULT_TOLERANCE;
    assert_eq!(five_minutes, Duration::from_secs(300));
    for seconds in [-300, -1, 1, 300] {
        let checked = check(&verifier(), Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(seconds));
        assert!(checked.is_ok(), "{seconds}s off: {checked:?}");
    }
    for seconds in [301, 86_400, -301] {
        assert_eq!(
            check(&verifier(), Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(seconds)),
            Err(WebhookError::Stale { skew: Duration::from_secs(seconds.unsigned_abs()), tolerance: five_minutes }),
            "{seconds}s off"
        );
    }
    let patient = verifier().tolerance(Duration::from_secs(3600));
    assert!(check(&patient, Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(3000)).is_ok());
}

#[test]
fn another_secret_does_not_verify() {
    let other = WebhookEvent::verifier("whsec-test-4f1c2b").expect("a secret");
    assert_eq!(
        check(&other, Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(0)),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(WebhookEvent::verifier("").map(|_| ()), Err(WebhookError::EmptySecret));
}

#[test]
fn a_body_over_the_limit_is_refused_before_anything_else() {
    let small = verifier().max_body_bytes(EVENT_BODY.len() - 1);
    assert_eq!(
        check(&small, None, None, EVENT_BODY, at(0)),
        Err(WebhookError::BodyTooLarge { len: EVENT_BODY.len(), limit: EVENT_BODY.len() - 1 })
    );
    let exact = verifier().max_body_bytes(EVENT_BODY.len());
    assert!(check(&exact, Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(0)).is_ok());
}

#[test]
fn errors_carry_neither_secret_nor_body() {
    let other = WebhookEvent::verifier("whsec-test-4f1c2b").expect("a secret");
    let errors = [
        check(&other, Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(0)),
        check(&verifier(), Some(EVENT_SIGNATURE), Some(TIMESTAMP), EVENT_BODY, at(999)),
        check(&verifier(), None, Some(TIMESTAMP), EVENT_BODY, at(0)),
    ];
    for error in errors {
        let error = error.expect_err("refused");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("whsec") && !shown.contains("new.user"), "{shown}");
        }
        assert_eq!(error.status(), 401, "{error}");
    }
}

#[test]
fn a_genuine_body_that_is_not_json_is_a_decode_error() {
    let body = r#"{"event":"user.created","payload":"#;
    let signature = "v0=cff3699dca1628d73a9c40d02b809725e94f1922786483f27bdfa4bff35dfa95";
    let checked = check(&verifier(), Some(signature), Some(TIMESTAMP), body, at(0));
    assert!(matches!(&checked, Err(WebhookError::Decode(_))), "{checked:?}");
    assert_eq!(checked.expect_err("refused").status(), 400);
}

#[test]
fn a_signed_event_decodes_into_its_typed_event() {
    let checked = verifier().verify_parts_at::<WebhookEvent>(
        Some(EVENT_SIGNATURE),
        Some(TIMESTAMP),
        EVENT_BODY.as_bytes(),
        at(0),
    );
    let Ok(Webhook::Event(WebhookEvent::UserCreated(created))) = checked else { panic!("user.created: {checked:?}") };
    assert_eq!(created.event_ts, 1_700_000_000_123);
    assert_eq!(created.payload.creation_type, types::UserCreatedEventPayloadCreationType::Create);
    assert_eq!(created.payload.object.email, "new.user@example.com");
    assert_eq!(created.payload.object.type_, types::UserType::Basic);
}

/// Zoom's published description of the Users events, read where the workspace keeps its
/// reference material; never copied into the repository.
fn zoom_description() -> Option<Value> {
    let path = sdk_tests::workspace_root().join("../shared/reference/zoom-users-webhooks.openapi.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("Zoom's description is JSON")),
        Err(e) => {
            println!("skipped: Zoom's webhook description is not at {} ({e})", path.display());
            None
        }
    }
}

#[test]
fn every_example_in_zooms_description_decodes_into_its_event_and_back() {
    let Some(description) = zoom_description() else { return };
    let webhooks = description["webhooks"].as_object().expect("a webhooks map");
    let mut typed = Vec::new();
    for (name, item) in webhooks {
        let media = &item["post"]["requestBody"]["content"]["application/json"];
        let examples = media["examples"].as_object().expect("examples");
        assert!(!examples.is_empty(), "{name} has an example");
        for example in examples.values() {
            // Zoom gives each example as JSON text.
            let sent: Value = match &example["value"] {
                Value::String(text) => serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}")),
                other => other.clone(),
            };
            let event: WebhookEvent = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(event.name(), sent["event"].as_str().unwrap_or_default(), "{name}");
            let is_known = !matches!(event, WebhookEvent::Unknown(_));
            assert_eq!(is_known, name.starts_with("user."), "{name}: typed exactly when it is a Users event");
            if is_known {
                assert_eq!(event.name(), name);
            }
            assert_eq!(serde_json::to_value(&event).expect("encodes"), sent, "{name}: encodes back as sent");
            if is_known {
                typed.push(name.as_str());
            }
        }
    }
    typed.sort_unstable();
    let mut known = WebhookEvent::NAMES.to_vec();
    known.sort_unstable();
    assert_eq!(typed, known, "one example per event the SDK knows");
}

#[test]
fn fields_the_sdk_does_not_know_survive_a_round_trip() {
    let sent = json!({
        "event": "user.signed_in",
        "event_ts": 1_700_000_000_123_i64,
        "delivery": {"attempt": 2},
        "payload": {
            "account_id": "acct-1",
            "region": "eu",
            "object": {
                "id": "u-1",
                "email": "someone@example.com",
                "client_type": "visionos",
                "date_time": "2026-01-01T00:00:00Z",
                "version": "6.0.0",
                "login_type": 102,
                "device": {"model": "headset"}
            }
        }
    });
    let event: WebhookEvent = serde_json::from_value(sent.clone()).expect("decodes");
    let WebhookEvent::UserSignedIn(signed_in) = &event else { panic!("typed: {event:?}") };
    let activity = &signed_in.payload.object;
    assert_eq!(activity.client_type, types::SignInActivityClientType::Unknown("visionos".into()));
    assert_eq!(activity.login_type, types::LoginType::Unknown(102));
    assert_eq!(activity.additional_properties["device"], json!({"model": "headset"}));
    assert_eq!(serde_json::to_value(&event).expect("encodes"), sent);
}

#[test]
fn an_event_the_sdk_does_not_know_is_kept_whole() {
    let sent = json!({"event": "user.teleported", "event_ts": 1, "payload": {"to": "mars"}});
    let event: WebhookEvent = serde_json::from_value(sent.clone()).expect("never fails");
    assert_eq!(event, WebhookEvent::Unknown(sent.clone()));
    assert_eq!(event.name(), "user.teleported");
    assert_eq!(serde_json::to_value(&event).expect("encodes"), sent);
    let nameless: WebhookEvent = serde_json::from_value(json!({"payload": {}})).expect("never fails");
    assert_eq!(nameless.name(), "");
}

#[test]
fn a_known_event_with_a_broken_body_names_the_event() {
    let error = serde_json::from_value::<WebhookEvent>(json!({"event": "user.deleted", "event_ts": 1}))
        .expect_err("payload is required");
    assert!(error.to_string().contains("user.deleted"), "{error}");
}

/// The example receiver itself, served on a loopback port.
#[allow(dead_code)] // its `main` is the example's, not the test's
#[path = "../../sdk/examples/webhook_receiver.rs"]
mod receiver;

const LOOPBACK_SECRET: &str = "loopback-secret-9d2e";

/// Signs like Zoom: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`, with ring directly.
fn zoom_signature(timestamp: &str, body: &str) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, LOOPBACK_SECRET.as_bytes());
    let tag = ring::hmac::sign(&key, format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", tag.as_ref().iter().map(|b| format!("{b:02x}")).collect::<String>())
}

async fn start_receiver() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/zoom/webhooks", listener.local_addr().expect("bound"));
    let verifier = WebhookEvent::verifier(LOOPBACK_SECRET).expect("a secret");
    tokio::spawn(async move { receiver::serve(listener, verifier).await.map_err(|e| e.to_string()) });
    url
}

async fn post(url: &str, body: &str, signature: Option<String>) -> (u16, String) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs().to_string();
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_owned());
    request = request.header(TIMESTAMP_HEADER, &now);
    request = request.header(SIGNATURE_HEADER, signature.unwrap_or_else(|| zoom_signature(&now, body)));
    let response = request.send().await.expect("the receiver answers");
    (response.status().as_u16(), response.text().await.expect("a body"))
}

#[tokio::test]
async fn the_example_receiver_answers_validation_and_dispatches_events_over_loopback() {
    let url = start_receiver().await;

    let validation = r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let (status, answer) = post(&url, validation, None).await;
    assert_eq!(status, 200, "{answer}");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, LOOPBACK_SECRET.as_bytes());
    let expected: String =
        ring::hmac::sign(&key, b"qgg8vlvZRS6UYooatFL8Aw").as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let answer: Value = serde_json::from_str(&answer).expect("JSON");
    assert_eq!(answer, json!({"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}));

    assert_eq!(post(&url, EVENT_BODY, None).await, (200, "created new.user@example.com (create)".to_owned()));
    let other = r#"{"event":"group.created","event_ts":1,"payload":{"object":{"id":"g-1","name":"Ops"}}}"#;
    assert_eq!(post(&url, other, None).await, (200, "ignored group.created".to_owned()));
}

#[tokio::test]
async fn the_example_receiver_refuses_what_does_not_verify() {
    let url = start_receiver().await;
    let forged = Some(format!("v0={}", "ab".repeat(32)));
    let (status, reason) = post(&url, EVENT_BODY, forged).await;
    assert_eq!((status, reason.as_str()), (401, "webhook signature does not match its timestamp and body"));

    let unsigned = reqwest::Client::new().post(&url).body(EVENT_BODY).send().await.expect("answers");
    assert_eq!(unsigned.status().as_u16(), 401);

    let huge = format!(r#"{{"event":"user.created","pad":"{}"}}"#, "x".repeat(WebhookVerifier::DEFAULT_MAX_BODY_BYTES));
    assert_eq!(post(&url, &huge, None).await.0, 413);

    let get = reqwest::Client::new().get(&url).send().await.expect("answers");
    assert_eq!(get.status().as_u16(), 405);
}
