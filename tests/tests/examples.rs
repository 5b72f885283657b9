//! Every example in `spec/zoom-users.yaml` (the seeds' samples among them) decodes into the
//! generated type of its place, and encodes back to the same JSON: the types say what the
//! description says, no field missing.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use zoom_users_sdk::types;

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/zoom-users.yaml");
    let text = std::fs::read_to_string(path).expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

/// The examples of one media type: `example`, or each of `examples`.
fn examples(spec: &Value, path: &str, method: &str, place: &str) -> Vec<Value> {
    let operation = &spec["paths"][path][method];
    let media = match place {
        "request" => &operation["requestBody"]["content"]["application/json"],
        status => &operation["responses"][status]["content"]["application/json"],
    };
    let mut found: Vec<Value> = media.get("example").cloned().into_iter().collect();
    if let Some(named) = media.get("examples").and_then(Value::as_object) {
        found.extend(named.values().map(|e| e["value"].clone()));
    }
    assert!(!found.is_empty(), "{method} {path} {place} has an example");
    found
}

fn round_trip<T: DeserializeOwned + Serialize>(example: Value, what: &str) -> T {
    let decoded: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, example, "{what}: encoding the decoded example gives it back");
    decoded
}

macro_rules! check {
    ($spec:expr, $ty:ty, $method:literal $path:literal $place:literal) => {
        for example in examples(&$spec, $path, $method, $place) {
            round_trip::<$ty>(example, concat!($method, " ", $path, " ", $place));
        }
    };
}

#[test]
fn seed_samples_decode_into_the_generated_types() {
    let spec = spec();
    // Seed 004: "Get a user".
    let user: types::User = round_trip(examples(&spec, "/users/{userId}", "get", "200").remove(0), "user");
    assert!(user.email.is_some() && user.id.is_some());
    // Seeds 000 and 001: "List a user's PAC accounts".
    let pac: types::PacAccountList = round_trip(examples(&spec, "/users/{userId}/pac", "get", "200").remove(0), "pac");
    let accounts = pac.pac_accounts.expect("the sample lists accounts");
    assert!(!accounts.is_empty() && accounts[0].dedicated_dial_in_number.is_some());
    // Seed 003: "Create users", its request and its answer.
    let created: types::CreatedUser = round_trip(examples(&spec, "/users", "post", "201").remove(0), "created");
    assert!(created.id.is_some());
    for request in examples(&spec, "/users", "post", "request") {
        let request: types::UserCreateRequest = round_trip(request, "create request");
        assert!(request.user_info.is_some());
    }
}

#[test]
fn every_example_round_trips() {
    let spec = spec();
    check!(spec, types::CreatedUser, "post" "/users" "201");
    check!(spec, types::UserCreateRequest, "post" "/users" "request");
    check!(spec, types::User, "get" "/users/{userId}" "200");
    check!(spec, types::UserUpdate, "patch" "/users/{userId}" "request");
    check!(spec, types::EmailCheck, "get" "/users/email" "200");
    check!(spec, types::VanityNameCheck, "get" "/users/vanity_name" "200");
    check!(spec, types::UserToken, "get" "/users/me/zak" "200");
    check!(spec, types::EmailUpdate, "put" "/users/{userId}/email" "request");
    check!(spec, types::PasswordUpdate, "put" "/users/{userId}/password" "request");
    check!(spec, types::UserPermissions, "get" "/users/{userId}/permissions" "200");
    check!(spec, types::UserToken, "get" "/users/{userId}/token" "200");
    check!(spec, types::UserStatusUpdate, "put" "/users/{userId}/status" "request");
    check!(spec, types::PresenceStatusUpdate, "put" "/users/{userId}/presence_status" "request");
    check!(spec, types::VirtualBackgroundFile, "post" "/users/{userId}/settings/virtual_backgrounds" "201");
    check!(spec, types::AssistantList, "get" "/users/{userId}/assistants" "200");
    check!(spec, types::AssistantList, "post" "/users/{userId}/assistants" "request");
    check!(spec, types::AssistantsAdded, "post" "/users/{userId}/assistants" "201");
    check!(spec, types::SchedulerList, "get" "/users/{userId}/schedulers" "200");
    check!(spec, types::PacAccountList, "get" "/users/{userId}/pac" "200");
}
