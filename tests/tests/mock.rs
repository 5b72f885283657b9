//! The generated typed mocks (`zoom_users_sdk::mock`, feature `mock`), driven through the real
//! client: typed answers decoded, errors mapped, parameters and bodies matched as the client sends
//! them, and verification failing for calls that did not happen, happened too often, or matched
//! nothing. The last tests use a fixture's mocks: they are generated for any description.

use futures_util::TryStreamExt;
use serde_json::json;
use std::future::Future;
use zoom_users_sdk::{mock, types, Error};

/// A user as the API describes one.
fn jane() -> types::User {
    let mut user = types::User::new(types::UserType::Licensed);
    user.id = Some("z8".into());
    user.email = Some("jane@example.com".into());
    user
}

/// Runs `scenario` on its own task and returns its panic message: the server verifies when it is
/// dropped or verified, and fails the test by panicking.
async fn panic_of(scenario: impl Future<Output = ()> + Send + 'static) -> String {
    let error = tokio::spawn(scenario).await.expect_err("the scenario panics");
    let panic = error.into_panic();
    match panic.downcast::<String>() {
        Ok(message) => *message,
        Err(panic) => panic.downcast::<&str>().map(|m| m.to_string()).unwrap_or_default(),
    }
}

#[tokio::test]
async fn a_typed_answer_comes_back_decoded() {
    let server = mock::MockServer::start().await;
    server.expect(mock::user().user_id("me")).respond(jane()).times(1).await;

    let user = server.client().user("me").await.expect("the mock answers");
    assert_eq!(user, jane());
    server.verify().await;
}

#[tokio::test]
async fn an_error_answer_is_the_api_error_with_its_status() {
    let server = mock::MockServer::start().await;
    server
        .expect(mock::user().user_id("nobody@example.com"))
        .respond_error(404, json!({"code": 1001, "message": "User does not exist: nobody@example.com."}))
        .await;

    let error = server.client().user("nobody@example.com").await.expect_err("an error answer");
    let Error::Api(api) = &error else { panic!("not an API error: {error:?}") };
    assert_eq!((api.status, api.code), (404, Some(1001)));
    assert_eq!(api.message.as_deref(), Some("User does not exist: nobody@example.com."));
}

#[tokio::test]
async fn an_operation_without_an_answer_body_answers_its_empty_status() {
    let server = mock::MockServer::start().await;
    server
        .expect(mock::user_delete().user_id("jane@example.com").action(types::UserDeleteAction::Disassociate))
        .respond(())
        .times(1)
        .await;
    let zoom = server.client();
    zoom.user_delete("jane@example.com").action(types::UserDeleteAction::Disassociate).await.expect("deleted");
    let requests = server.received_requests().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("action=disassociate"));
}

#[tokio::test]
async fn path_parameters_match_as_the_client_encodes_them() {
    let server = mock::MockServer::start().await;
    // The client sends this as one percent-encoded segment; the mock compares it decoded.
    let id = "a/b c?é";
    server.expect(mock::user().user_id(id)).respond(jane()).times(1).await;
    server.client().user(id).await.expect("matched");
    let sent = server.received_requests().await[0].url.path().to_owned();
    assert_eq!(sent, "/users/a%2Fb%20c%3F%C3%A9");
    server.verify().await;
}

#[tokio::test]
async fn query_parameters_narrow_the_match_and_pages_follow_their_tokens() {
    let server = mock::MockServer::start().await;
    let page = |emails: &[&str], next: &str| types::UserList {
        users: Some(emails.iter().map(|e| types::UserListItem::new(*e, types::UserType::Basic)).collect()),
        next_page_token: Some(next.into()),
        ..Default::default()
    };
    // The more specific expectation first: among expectations that match, the first mounted answers.
    server
        .expect(mock::users().status(types::UserStatus::Active).next_page_token("t2"))
        .respond(page(&["c@example.com"], ""))
        .times(1)
        .await;
    server
        .expect(mock::users().status(types::UserStatus::Active).page_size(2))
        .respond(page(&["a@example.com", "b@example.com"], "t2"))
        .times(1)
        .await;

    let zoom = server.client();
    let users: Vec<_> =
        zoom.users().status(types::UserStatus::Active).page_size(2).into_stream().try_collect().await.unwrap();
    let emails: Vec<_> = users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["a@example.com", "b@example.com", "c@example.com"]);
    server.verify().await;
}

#[tokio::test]
async fn bodies_match_whole_or_by_fields() {
    let server = mock::MockServer::start().await;
    let mut request = types::UserCreateRequest::new(types::UserCreateRequestAction::Create);
    request.user_info = Some(types::UserCreateInfo::new("new@example.com", types::UserType::Basic));
    let created = types::CreatedUser { id: Some("n1".into()), ..Default::default() };

    server.expect(mock::user_create().body(request.clone())).respond(created.clone()).times(1).await;
    let zoom = server.client();
    assert_eq!(zoom.user_create(request.clone()).await.unwrap(), created);

    // Some fields only: any other body with these values matches too.
    server.reset().await;
    server
        .expect(mock::user_create())
        .body_includes(json!({"action": "create", "user_info": {"type": 1}}))
        .respond(created.clone())
        .times(1)
        .await;
    assert_eq!(zoom.user_create(request).await.unwrap(), created);
    server.verify().await;
}

#[tokio::test]
async fn a_call_no_expectation_matches_is_refused_and_fails_verification() {
    let message = panic_of(async {
        let server = mock::MockServer::start().await;
        server.expect(mock::user().user_id("me")).respond(jane()).times(0..).await;
        let error = server.client().user("someone-else").await.expect_err("nothing matches");
        assert_eq!(error.status(), Some(404));
        assert!(error.to_string().contains("no expectation of the mock server matches GET /users/someone-else"));
        assert_eq!(server.unexpected_calls(), ["GET /users/someone-else"]);
        server.verify().await;
    })
    .await;
    assert!(message.contains("calls no expectation matched"), "{message}");
    assert!(message.contains("/users/someone-else"), "the requests received are listed: {message}");
}

#[tokio::test]
async fn an_expected_call_that_did_not_happen_fails_verification_on_drop() {
    let message = panic_of(async {
        let server = mock::MockServer::start().await;
        server.expect(mock::user().user_id("me")).respond(jane()).await;
        server.expect(mock::user_delete()).respond(()).times(1).named("the user is deleted").await;
        server.client().user("me").await.expect("the first happened");
        drop(server);
    })
    .await;
    assert!(message.contains("the user is deleted"), "{message}");
    assert!(!message.contains("user (GET"), "the expectation that was met is not named: {message}");
}

#[tokio::test]
async fn a_call_more_often_than_expected_fails_verification() {
    let message = panic_of(async {
        let server = mock::MockServer::start().await;
        server.expect(mock::user().user_id("me")).respond(jane()).times(1).await;
        let zoom = server.client();
        zoom.user("me").await.unwrap();
        zoom.user("me").await.expect("answered, but one call too many");
        server.verify().await;
    })
    .await;
    assert!(message.contains(r#"user (GET /users/{userId}) with userId = "me""#), "{message}");
    assert!(message.contains("Number of matched incoming requests: 2"), "{message}");
}

#[tokio::test]
#[should_panic(expected = "has no answer")]
async fn an_expectation_without_an_answer_is_refused() {
    let server = mock::MockServer::start().await;
    server.expect(mock::user()).await;
}

#[tokio::test]
async fn a_scoped_expectation_is_verified_when_its_guard_drops() {
    let server = mock::MockServer::start().await;
    let guard = server.expect(mock::user()).respond(jane()).times(1).mount_as_scoped().await;
    server.client().user("anyone").await.unwrap();
    drop(guard);
    // Gone with its guard: the same call now matches nothing.
    let message = panic_of(async move {
        let error = server.client().user("anyone").await.expect_err("no expectation left");
        assert_eq!(error.status(), Some(404));
        drop(server);
    })
    .await;
    assert!(message.contains("calls no expectation matched"), "{message}");

    // A guard whose expectation was not met panics when dropped.
    let message = panic_of(async {
        let server = mock::MockServer::start().await;
        let guard = server.expect(mock::user()).respond(jane()).named("a scoped lookup").mount_as_scoped().await;
        assert!(guard.received_requests().await.is_empty());
        drop(guard);
    })
    .await;
    assert!(message.contains("a scoped lookup"), "{message}");
}

mod fixture {
    //! Mocks generated from a description that is not Zoom's: a path parameter beside a literal,
    //! an integer path parameter, a list in the query, a header, a form body, and an answer that
    //! may be empty.

    use sdk_tests::fixtures::{empty_2xx, form_body, params};

    #[tokio::test]
    async fn path_query_and_header_parameters() {
        let server = params::mock::MockServer::start().await;
        let member = params::types::GetMemberResponse { name: Some("ada".into()), ..Default::default() };
        server
            .expect(
                params::mock::get_member()
                    .org("acme corp")
                    .member(42)
                    .page_size(10)
                    .fields(vec!["name".into(), "email".into()])
                    .x_request_id("r-1"),
            )
            .respond(member.clone())
            .times(1)
            .await;
        let client = server.client();
        let answer = client
            .get_member("acme corp", 42, 10)
            .fields(vec!["name".into(), "email".into()])
            .x_request_id("r-1")
            .await
            .unwrap();
        assert_eq!(answer, member);

        // Another list order is another call.
        let error =
            client.get_member("acme corp", 42, 10).fields(vec!["email".into(), "name".into()]).x_request_id("r-1");
        assert_eq!(error.await.unwrap_err().status(), Some(404));
        assert_eq!(server.unexpected_calls().len(), 1);
        server.reset().await;
    }

    #[tokio::test]
    async fn a_form_body() {
        let server = form_body::mock::MockServer::start().await;
        let mut body = form_body::types::RequestTokenRequest::new(
            form_body::types::RequestTokenRequestGrantType::AccountCredentials,
        );
        body.account_id = Some("a b&c".into());
        let token = form_body::types::RequestTokenResponse {
            access_token: Some("t".into()),
            expires_in: Some(3600),
            ..Default::default()
        };
        server.expect(form_body::mock::request_token().body(body.clone())).respond(token.clone()).times(1).await;
        assert_eq!(server.client().request_token(body).await.unwrap(), token);
        server.verify().await;
    }

    #[tokio::test]
    async fn an_answer_that_may_be_empty() {
        let server = empty_2xx::mock::MockServer::start().await;
        server.expect(empty_2xx::mock::put_thing().id("t1")).respond(None).times(1).await;
        assert_eq!(server.client().put_thing("t1").await.unwrap(), None);
        server.verify().await;
    }
}
