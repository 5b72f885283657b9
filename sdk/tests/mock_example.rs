//! How to test your own service without Zoom: the SDK's typed mocks (feature `mock`).
//!
//! ```toml
//! [dev-dependencies]
//! zoom-users-sdk = { version = "...", features = ["mock"] }
//! tokio = { version = "1", features = ["macros", "rt"] }
//! ```
//!
//! `mock::MockServer` is a loopback server. For each call your code should make, expect the
//! operation's call (`mock::user_email_check()`, narrowed by its parameters and body) and give the
//! typed answer, or an error. Your code talks to it through an ordinary `Client`. When the server
//! is dropped it checks that every expectation got its calls and that no other call came.

use serde_json::json;
use zoom_users_sdk::{mock, types, Client, Error};

/// The code under test: a service that invites a colleague to Zoom unless they already have an
/// account.
struct Onboarding {
    zoom: Client,
}

#[derive(Debug, PartialEq)]
enum Invitation {
    Sent { user_id: String },
    AlreadyMember,
}

impl Onboarding {
    async fn invite(&self, email: &str) -> Result<Invitation, Error> {
        let check = self.zoom.user_email_check(email).await?;
        if check.existed_email == Some(true) {
            return Ok(Invitation::AlreadyMember);
        }
        let mut request = types::UserCreateRequest::new(types::UserCreateRequestAction::Create);
        request.user_info = Some(types::UserCreateInfo::new(email, types::UserType::Basic));
        let created = self.zoom.user_create(request).await?;
        Ok(Invitation::Sent { user_id: created.id.unwrap_or_default() })
    }
}

#[tokio::test]
async fn invites_a_newcomer() {
    let server = mock::MockServer::start().await;
    server
        .expect(mock::user_email_check().email("ada@example.com"))
        .respond(types::EmailCheck { existed_email: Some(false), ..Default::default() })
        .times(1)
        .await;
    server
        .expect(mock::user_create())
        // The fields that matter to this test; `.body(..)` on the call would compare the whole body.
        .body_includes(json!({"action": "create", "user_info": {"email": "ada@example.com", "type": 1}}))
        .respond(types::CreatedUser { id: Some("u-1".into()), ..Default::default() })
        .times(1)
        .await;

    let onboarding = Onboarding { zoom: server.client() };
    let invitation = onboarding.invite("ada@example.com").await.unwrap();
    assert_eq!(invitation, Invitation::Sent { user_id: "u-1".into() });
}

#[tokio::test]
async fn leaves_a_member_alone() {
    let server = mock::MockServer::start().await;
    server
        .expect(mock::user_email_check().email("grace@example.com"))
        .respond(types::EmailCheck { existed_email: Some(true), ..Default::default() })
        .times(1)
        .await;
    // No expectation of `user_create`: if the service called it, the call would get a 404 and the
    // server would fail the test when dropped.

    let onboarding = Onboarding { zoom: server.client() };
    assert_eq!(onboarding.invite("grace@example.com").await.unwrap(), Invitation::AlreadyMember);
    server.verify().await; // the same check the drop makes, at a place of your choosing
}

#[tokio::test]
async fn passes_on_what_zoom_refused() {
    let server = mock::MockServer::start().await;
    server
        .expect(mock::user_email_check())
        .respond_error(400, json!({"code": 300, "message": "Invalid email address."}))
        .times(1)
        .await;

    let onboarding = Onboarding { zoom: server.client() };
    let error = onboarding.invite("not an address").await.unwrap_err();
    let api = error.api().expect("the API's own error");
    assert_eq!((api.status, api.code), (400, Some(300)));
}
