//! Every one of the 29 operations called through the SDK against a local server: what was sent
//! (method, path, query, headers, body) and what was decoded.

use futures_util::{StreamExt, TryStreamExt};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use zoom_users_sdk::runtime::RetryPolicy;
use zoom_users_sdk::{types, Client, FilePart};

struct Harness {
    server: MockServer,
    client: Client,
}

impl Harness {
    async fn new() -> Self {
        let server = MockServer::start().await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token("test-token")
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client builds");
        Self { server, client }
    }

    /// Answers `METHOD path` (only with the bearer token) once with `status` and `body`.
    async fn answer(&self, verb: &str, route: &str, status: u16, body: Option<Value>) {
        let mut response = ResponseTemplate::new(status);
        if let Some(body) = body {
            response = response.set_body_json(body);
        }
        Mock::given(method(verb))
            .and(path(route))
            .and(header("authorization", "Bearer test-token"))
            .respond_with(response)
            .expect(1)
            .mount(&self.server)
            .await;
    }

    async fn sent(&self) -> Request {
        let mut requests = self.server.received_requests().await.expect("recording is on");
        assert_eq!(requests.len(), 1, "exactly one request was sent");
        requests.remove(0)
    }
}

/// The query pairs, sorted: their order carries no meaning.
fn query(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    pairs.sort();
    pairs
}

fn json_body(request: &Request) -> Value {
    assert_eq!(request.headers.get("content-type").unwrap(), "application/json");
    serde_json::from_slice(&request.body).expect("a JSON body")
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn list_users_sends_filters_and_decodes_a_page() {
    let h = Harness::new().await;
    let page = json!({
        "next_page_token": "", "page_count": 1, "page_number": 1, "page_size": 300, "total_records": 1,
        "users": [{"id": "z8", "email": "jchill@example.com", "type": 1, "status": "active", "pmi": 3542471135_i64}]
    });
    h.answer("GET", "/users", 200, Some(page)).await;
    let list = h
        .client
        .users()
        .status(types::UserStatus::Inactive)
        .page_size(300)
        .role_id("0")
        .include_fields(types::UsersIncludeFields::HostKey)
        .next_page_token("tok")
        .license(types::UsersLicense::ZoomWorkforceManagement)
        .send()
        .await
        .unwrap();
    let users = list.users.unwrap();
    assert_eq!(users[0].email, "jchill@example.com");
    assert_eq!(users[0].type_, types::UserType::from(1));
    assert_eq!(users[0].pmi, Some(3542471135));
    let sent = h.sent().await;
    assert_eq!(
        query(&sent),
        pairs(&[
            ("status", "inactive"),
            ("page_size", "300"),
            ("role_id", "0"),
            ("include_fields", "host_key"),
            ("next_page_token", "tok"),
            ("license", "zoom_workforce_management"),
        ])
    );
}

#[tokio::test]
async fn list_users_streams_every_page_lazily() {
    let server = MockServer::start().await;
    let page = |token: &str, ids: &[&str]| {
        let users: Vec<Value> =
            ids.iter().map(|id| json!({"id": id, "email": format!("{id}@example.com"), "type": 1})).collect();
        ResponseTemplate::new(200).set_body_json(json!({"next_page_token": token, "users": users}))
    };
    Mock::given(path("/users"))
        .and(query_param("next_page_token", "p2"))
        .respond_with(page("p3", &["c"]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/users"))
        .and(query_param("next_page_token", "p3"))
        .respond_with(page("", &[]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/users")).respond_with(page("p2", &["a", "b"])).expect(1).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let users: Vec<types::UserListItem> = client.users().page_size(2).into_stream().try_collect().await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| r.url.query_pairs().any(|(k, v)| k == "page_size" && v == "2")),
        "filters kept on every page"
    );
}

#[tokio::test]
async fn list_users_ends_with_an_error_on_a_repeated_token() {
    let server = MockServer::start().await;
    let body = json!({"next_page_token": "same", "users": [{"id": "a", "email": "a@example.com", "type": 1}]});
    Mock::given(path("/users")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let pages: Vec<Result<types::UserList, _>> = client.users().into_pages().collect().await;
    // The first page asks with no token and gets "same"; the second asks with "same" and gets it
    // again: a loop, which the stream reports after the pages it did get.
    assert_eq!(pages.len(), 3);
    assert!(pages[..2].iter().all(Result::is_ok));
    assert!(matches!(pages[2], Err(zoom_users_sdk::Error::Protocol(_))), "{:?}", pages[2]);
}

#[tokio::test]
async fn create_user_sends_json_and_decodes_the_created_user() {
    let h = Harness::new().await;
    let created = json!({"id": "KDcuGIm1QgePTO8WbOqwIQ", "first_name": "Jill", "last_name": "Chill", "email": "jchill@example.com", "type": 1});
    h.answer("POST", "/users", 201, Some(created)).await;
    let mut info = types::UserCreateInfo::new("jchill@example.com", types::UserType::from(1));
    info.first_name = Some("Jill".into());
    info.password = Some("if42!LfH@".into());
    let mut body = types::UserCreateRequest::new(types::UserCreateRequestAction::Create);
    body.user_info = Some(info);
    let user = h.client.user_create(body).send().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("KDcuGIm1QgePTO8WbOqwIQ"));
    let sent = json_body(&h.sent().await);
    assert_eq!(
        sent,
        json!({"action": "create", "user_info": {"email": "jchill@example.com", "type": 1, "first_name": "Jill", "password": "if42!LfH@"}})
    );
}

#[tokio::test]
async fn get_user_passes_its_options_and_decodes() {
    let h = Harness::new().await;
    h.answer(
        "GET",
        "/users/jchill%40example.com",
        200,
        Some(json!({"id": "z8", "email": "jchill@example.com", "type": 2, "account_number": 10009239_i64})),
    )
    .await;
    let user = h
        .client
        .user("jchill@example.com")
        .login_type(types::LoginType::from(101))
        .encrypted_email(false)
        .search_by_unique_id(true)
        .send()
        .await
        .unwrap();
    assert_eq!(user.type_, types::UserType::from(2));
    assert_eq!(user.account_number, Some(10009239));
    assert_eq!(
        query(&h.sent().await),
        pairs(&[("login_type", "101"), ("encrypted_email", "false"), ("search_by_unique_id", "true")])
    );
}

#[tokio::test]
async fn update_user_sends_a_patch() {
    let h = Harness::new().await;
    h.answer("PATCH", "/users/me", 204, None).await;
    // `with_` setters: text as `impl Into<String>`, numbers as themselves (a ten-digit literal is an i64).
    let body = types::UserUpdate::default().with_first_name("Jill").with_pmi(3542471135);
    h.client
        .user_update("me", body)
        .login_type(types::LoginType::from(100))
        .remove_tsp_credentials(true)
        .send()
        .await
        .unwrap();
    let sent = h.sent().await;
    assert_eq!(query(&sent), pairs(&[("login_type", "100"), ("remove_tsp_credentials", "true")]));
    assert_eq!(json_body(&sent), json!({"first_name": "Jill", "pmi": 3542471135_i64}));
}

#[tokio::test]
async fn a_user_read_is_written_back_with_the_same_types() {
    let h = Harness::new().await;
    let read = json!({"id": "z8", "email": "jchill@example.com", "type": 2, "status": "active",
        "plan_united_type": "32", "pronouns_option": 2, "verified": 1});
    h.answer("GET", "/users/me", 200, Some(read)).await;
    let user = h.client.user("me").await.unwrap();
    assert_eq!(user.verified, Some(types::EmailVerification::Verified));
    assert_eq!(user.status, Some(types::UserStatus::Active));

    // The values read are the values written: no conversion between a read and an update type.
    let h = Harness::new().await;
    h.answer("PATCH", "/users/me", 204, None).await;
    let body = types::UserUpdate {
        type_: Some(user.type_),
        plan_united_type: user.plan_united_type,
        pronouns_option: user.pronouns_option,
        ..Default::default()
    };
    h.client.user_update("me", body).await.unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"type": 2, "plan_united_type": "32", "pronouns_option": 2}));

    // `none`, which only an update sends, is a value of the same type.
    let h = Harness::new().await;
    h.answer("PATCH", "/users/me", 204, None).await;
    let body = types::UserUpdate { plan_united_type: Some(types::PlanUnitedType::None), ..Default::default() };
    h.client.user_update("me", body).await.unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"plan_united_type": "none"}));

    // The status a user has is the status the list filters by.
    let h = Harness::new().await;
    h.answer("GET", "/users", 200, Some(json!({"users": []}))).await;
    h.client.users().status(user.status.unwrap()).await.unwrap();
    assert_eq!(query(&h.sent().await), pairs(&[("status", "active")]));
}

#[tokio::test]
async fn delete_user_sends_every_transfer_option() {
    let h = Harness::new().await;
    h.answer("DELETE", "/users/z8", 204, None).await;
    h.client
        .user_delete("z8")
        .action(types::UserDeleteAction::Delete)
        .encrypted_email(false)
        .transfer_email("boss@example.com")
        .transfer_meeting(true)
        .transfer_webinar(true)
        .transfer_recording(false)
        .transfer_whiteboard(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        query(&h.sent().await),
        pairs(&[
            ("action", "delete"),
            ("encrypted_email", "false"),
            ("transfer_email", "boss@example.com"),
            ("transfer_meeting", "true"),
            ("transfer_webinar", "true"),
            ("transfer_recording", "false"),
            ("transfer_whiteboard", "true"),
        ])
    );
}

#[tokio::test]
async fn email_and_vanity_name_checks() {
    let h = Harness::new().await;
    h.answer("GET", "/users/email", 200, Some(json!({"existed_email": true}))).await;
    let check = h.client.user_email_check("jchill@example.com").send().await.unwrap();
    assert_eq!(check.existed_email, Some(true));
    assert_eq!(query(&h.sent().await), pairs(&[("email", "jchill@example.com")]));

    let h = Harness::new().await;
    h.answer("GET", "/users/vanity_name", 200, Some(json!({"existed": false}))).await;
    let check = h.client.user_vanity_name_check("jill").send().await.unwrap();
    assert_eq!(check.existed, Some(false));
    assert_eq!(query(&h.sent().await), pairs(&[("vanity_name", "jill")]));
}

#[tokio::test]
async fn zak_and_user_tokens() {
    let h = Harness::new().await;
    h.answer("GET", "/users/me/zak", 200, Some(json!({"token": "zak-value"}))).await;
    let zak = h.client.user_zak().send().await.unwrap();
    assert_eq!(zak.token.as_deref(), Some("zak-value"));
    assert!(!format!("{zak:?}").contains("zak-value"), "tokens never show in Debug output");

    let h = Harness::new().await;
    h.answer("GET", "/users/me/token", 200, Some(json!({"token": "t"}))).await;
    h.client.user_token("me").type_(types::UserTokenType::Zak).ttl(7200).meeting_id("123").send().await.unwrap();
    assert_eq!(query(&h.sent().await), pairs(&[("type", "zak"), ("ttl", "7200"), ("meeting_id", "123")]));

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/token", 204, None).await;
    h.client.user_sso_token_delete("me").send().await.unwrap();
    h.sent().await;
}

#[tokio::test]
async fn email_password_and_status_updates() {
    let h = Harness::new().await;
    h.answer("PUT", "/users/me/email", 204, None).await;
    h.client.user_email_update("me", types::EmailUpdate::new("new@example.com")).send().await.unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"email": "new@example.com"}));

    let h = Harness::new().await;
    h.answer("PUT", "/users/me/password", 204, None).await;
    let body = types::PasswordUpdate::new("s3cret-Pass");
    assert!(!format!("{body:?}").contains("s3cret"), "passwords never show in Debug output");
    h.client.user_password_update("me", body).send().await.unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"password": "s3cret-Pass"}));

    let h = Harness::new().await;
    h.answer("PUT", "/users/me/status", 200, None).await;
    h.client
        .user_status_update("me", types::UserStatusUpdate::new(types::UserStatusUpdateAction::Deactivate))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"action": "deactivate"}));

    let h = Harness::new().await;
    h.answer("PUT", "/users/me/presence_status", 204, None).await;
    let mut presence = types::PresenceStatusUpdate::new(types::PresenceStatusUpdateStatus::from("Do_No_Disturb"));
    presence.duration = Some(30);
    h.client.user_presence_status_update("me", presence).send().await.unwrap();
    assert_eq!(json_body(&h.sent().await), json!({"status": "Do_No_Disturb", "duration": 30}));
}

#[tokio::test]
async fn permissions() {
    let h = Harness::new().await;
    h.answer("GET", "/users/me/permissions", 200, Some(json!({"permissions": ["User:Read", "User:Edit"]}))).await;
    let permissions = h.client.user_permissions("me").send().await.unwrap();
    assert_eq!(permissions.permissions.unwrap(), ["User:Read", "User:Edit"]);
}

#[tokio::test]
async fn picture_upload_is_multipart_and_checked() {
    let h = Harness::new().await;
    h.answer("POST", "/users/me/picture", 201, Some(json!({}))).await;
    let picture = FilePart::new("me.png", "image/png", vec![0x89, b'P', b'N', b'G']);
    h.client.user_picture_upload("me", types::ProfilePictureUpload::new(picture)).send().await.unwrap();
    let sent = h.sent().await;
    let content_type = sent.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(&sent.body);
    assert!(body.contains("name=\"pic_file\"; filename=\"me.png\""), "{body}");
    assert!(body.contains("Content-Type: image/png"));

    // Refused before sending: a format the API does not take, and a file over 2 MB.
    let gif = FilePart::new("me.gif", "image/gif", vec![1]);
    let error = h.client.user_picture_upload("me", types::ProfilePictureUpload::new(gif)).send().await.unwrap_err();
    assert!(matches!(error, zoom_users_sdk::Error::InvalidInput(ref m) if m.contains("image/gif")), "{error}");
    let big = FilePart::new("big.png", "image/png", vec![0; 2 * 1024 * 1024 + 1]);
    let error = h.client.user_picture_upload("me", types::ProfilePictureUpload::new(big)).send().await.unwrap_err();
    assert!(matches!(error, zoom_users_sdk::Error::InvalidInput(ref m) if m.contains("at most 2097152")), "{error}");
    assert_eq!(h.server.received_requests().await.unwrap().len(), 1, "refused uploads send nothing");

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/picture", 204, None).await;
    h.client.user_picture_delete("me").send().await.unwrap();
    h.sent().await;
}

#[tokio::test]
async fn settings_decode_by_the_option_asked_for() {
    let h = Harness::new().await;
    let security = json!({"meeting_security": {"auto_security": true, "waiting_room": false}});
    h.answer("GET", "/users/me/settings", 200, Some(security)).await;
    let settings = h.client.user_settings("me").option(types::SettingsOption::MeetingSecurity).send().await.unwrap();
    let types::UserSettingsResponse::MeetingSecuritySettings(security) = settings else {
        panic!("meeting_security decodes as meeting security settings, got {settings:?}");
    };
    assert_eq!(security.meeting_security.unwrap().auto_security, Some(true));
    assert_eq!(query(&h.sent().await), pairs(&[("option", "meeting_security")]));

    let h = Harness::new().await;
    h.answer("GET", "/users/me/settings", 200, Some(json!({"schedule_meeting": {"host_video": true}}))).await;
    let settings = h.client.user_settings("me").login_type(types::LoginType::from(0)).send().await.unwrap();
    assert!(
        matches!(settings, types::UserSettingsResponse::UserSettings(ref s) if s.schedule_meeting.as_ref().unwrap().host_video == Some(true))
    );

    let h = Harness::new().await;
    h.answer("PATCH", "/users/me/settings", 204, None).await;
    let update = types::UserSettings {
        schedule_meeting: Some(types::ScheduleMeetingSettings { host_video: Some(false), ..Default::default() }),
        ..Default::default()
    };
    h.client.user_settings_update("me", types::UserSettingsUpdateRequest::UserSettings(update)).send().await.unwrap();
    let sent = h.sent().await;
    assert_eq!(json_body(&sent), json!({"schedule_meeting": {"host_video": false}}));
    assert_eq!(query(&sent), pairs(&[]), "the whole settings tree needs no `option`");
}

#[tokio::test]
async fn a_call_for_one_settings_shape_answers_with_that_shape_alone() {
    // The typed call sends the option itself and needs no match over the other shapes.
    let h = Harness::new().await;
    let security = json!({"meeting_security": {"waiting_room": true}});
    h.answer("GET", "/users/me/settings", 200, Some(security)).await;
    let settings: types::MeetingSecuritySettings = h.client.user_settings("me").send_meeting_security().await.unwrap();
    assert_eq!(settings.meeting_security.unwrap().waiting_room, Some(true));
    assert_eq!(query(&h.sent().await), [("option".to_owned(), "meeting_security".to_owned())]);

    // Asked for one group, answered with the wrapper of both: another shape, refused as such.
    let h = Harness::new().await;
    let wrapper = json!({"authentication_options": {"meeting_authentication": {"meeting_authentication": true}}});
    h.answer("GET", "/users/me/settings", 200, Some(wrapper)).await;
    let error = h.client.user_settings("me").send_meeting_authentication().await.unwrap_err();
    assert!(
        matches!(error, zoom_users_sdk::Error::Protocol(ref m) if m.contains("`meeting_authentication` shape")),
        "{error}"
    );
}

#[tokio::test]
async fn a_settings_answer_in_another_documented_shape_decodes() {
    // Asked for one group, Zoom may answer with the wrapper that holds both authentication groups.
    let wrapper = json!({"authentication_options": {
        "meeting_authentication": {"meeting_authentication": true, "authentication_options": [
            {"id": "a1", "name": "Company", "type": "enforce_login_with_domains", "domains": "example.com"}]},
        "recording_authentication": {"recording_authentication": false, "authentication_options": [
            {"id": "r1", "type": "internally"}]}
    }});
    for option in [types::SettingsOption::MeetingAuthentication, types::SettingsOption::RecordingAuthentication] {
        let h = Harness::new().await;
        h.answer("GET", "/users/me/settings", 200, Some(wrapper.clone())).await;
        let settings = h.client.user_settings("me").option(option.clone()).await.unwrap();
        let types::UserSettingsResponse::AuthenticationSettings(both) = settings else {
            panic!("the wrapper decodes as the wrapper, got {settings:?}");
        };
        let both = both.authentication_options.unwrap();
        let meeting = both.meeting_authentication.unwrap();
        assert_eq!(meeting.meeting_authentication, Some(true));
        assert_eq!(meeting.authentication_options.unwrap()[0].domains.as_deref(), Some("example.com"));
        assert_eq!(both.recording_authentication.unwrap().recording_authentication, Some(false));
    }

    // The shape asked for still decodes as itself.
    let h = Harness::new().await;
    let one = json!({"meeting_authentication": true, "authentication_options": [{"id": "a1"}]});
    h.answer("GET", "/users/me/settings", 200, Some(one)).await;
    let settings = h.client.user_settings("me").option(types::SettingsOption::MeetingAuthentication).await.unwrap();
    assert!(
        matches!(settings, types::UserSettingsResponse::MeetingAuthenticationSettings(ref s) if s.meeting_authentication == Some(true))
    );

    // An answer no documented shape fits fails with the error of the shape asked for.
    let h = Harness::new().await;
    h.answer("GET", "/users/me/settings", 200, Some(json!({"authentication_options": "none"}))).await;
    let error = h.client.user_settings("me").option(types::SettingsOption::MeetingAuthentication).await.unwrap_err();
    assert!(
        matches!(error, zoom_users_sdk::Error::Decode { ref message, .. } if message.contains("authentication_options")),
        "{error}"
    );
}

#[tokio::test]
async fn a_settings_update_sends_the_option_its_body_needs() {
    let security = || {
        types::UserSettingsUpdateRequest::MeetingSecuritySettings(types::MeetingSecuritySettings {
            meeting_security: Some(types::MeetingSecurity { waiting_room: Some(true), ..Default::default() }),
            ..Default::default()
        })
    };

    // Left out, `option` comes from the body's shape, so Zoom reads the body as that shape.
    let h = Harness::new().await;
    h.answer("PATCH", "/users/me/settings", 204, None).await;
    h.client.user_settings_update("me", security()).send().await.unwrap();
    let sent = h.sent().await;
    assert_eq!(query(&sent), pairs(&[("option", "meeting_security")]));
    assert_eq!(json_body(&sent), json!({"meeting_security": {"waiting_room": true}}));

    // The same value, given: sent once.
    let h = Harness::new().await;
    h.answer("PATCH", "/users/me/settings", 204, None).await;
    let option = types::SettingsOption::MeetingSecurity;
    h.client.user_settings_update("me", security()).option(option).send().await.unwrap();
    assert_eq!(query(&h.sent().await), pairs(&[("option", "meeting_security")]));

    // A value that names another shape is refused before anything is sent.
    let h = Harness::new().await;
    let option = types::SettingsOption::MeetingAuthentication;
    let error = h.client.user_settings_update("me", security()).option(option).send().await.unwrap_err();
    assert!(
        matches!(error, zoom_users_sdk::Error::InvalidInput(ref m) if m.contains("option=meeting_authentication") && m.contains("MeetingSecuritySettings")),
        "{error}"
    );
    let whole = types::UserSettingsUpdateRequest::UserSettings(types::UserSettings::default());
    let option = types::SettingsOption::MeetingSecurity;
    let error = h.client.user_settings_update("me", whole).option(option).send().await.unwrap_err();
    assert!(matches!(error, zoom_users_sdk::Error::InvalidInput(_)), "{error}");
    assert!(h.server.received_requests().await.unwrap().is_empty(), "refused updates send nothing");
}

#[tokio::test]
async fn virtual_backgrounds() {
    let h = Harness::new().await;
    let answer = json!({"id": "vb1", "name": "beach.jpg", "type": "image", "is_default": false, "size": 4});
    h.answer("POST", "/users/me/settings/virtual_backgrounds", 201, Some(answer)).await;
    let file = FilePart::new("beach.jpg", "image/jpeg", vec![1, 2, 3, 4]);
    let uploaded =
        h.client.user_virtual_background_upload("me", types::VirtualBackgroundUpload::new(file)).send().await.unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("vb1"));
    let body = String::from_utf8_lossy(&h.sent().await.body).into_owned();
    assert!(body.contains("name=\"file\"; filename=\"beach.jpg\""), "{body}");

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/settings/virtual_backgrounds", 204, None).await;
    h.client.user_virtual_background_delete("me").file_ids("vb1,vb2").send().await.unwrap();
    assert_eq!(query(&h.sent().await), pairs(&[("file_ids", "vb1,vb2")]));
}

#[tokio::test]
async fn assistants() {
    let h = Harness::new().await;
    h.answer("GET", "/users/me/assistants", 200, Some(json!({"assistants": [{"id": "a1", "email": "a@example.com"}]})))
        .await;
    let list = h.client.user_assistants("me").send().await.unwrap();
    assert_eq!(list.assistants.unwrap()[0].id.as_deref(), Some("a1"));

    let h = Harness::new().await;
    h.answer("POST", "/users/me/assistants", 201, Some(json!({"ids": "a1", "add_at": "2024-01-01T00:00:00Z"}))).await;
    let body = types::AssistantList {
        assistants: Some(vec![types::Assistant { email: Some("a@example.com".into()), ..Default::default() }]),
        ..Default::default()
    };
    let added = h.client.user_assistant_create("me", body).send().await.unwrap();
    assert_eq!(added.ids.as_deref(), Some("a1"));
    assert_eq!(json_body(&h.sent().await), json!({"assistants": [{"email": "a@example.com"}]}));

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/assistants", 204, None).await;
    h.client.user_assistants_delete_all("me").send().await.unwrap();
    h.sent().await;

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/assistants/a1", 204, None).await;
    h.client.user_assistant_delete("me", "a1").send().await.unwrap();
    h.sent().await;
}

#[tokio::test]
async fn schedulers() {
    let h = Harness::new().await;
    h.answer(
        "GET",
        "/users/me/schedulers",
        200,
        Some(json!({"schedulers": [{"id": "s1", "email": "s@example.com", "pmi": 3542471135_i64}]})),
    )
    .await;
    let list = h.client.user_schedulers("me").send().await.unwrap();
    assert_eq!(list.schedulers.unwrap()[0].pmi, Some(3542471135));

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/schedulers", 204, None).await;
    h.client.user_schedulers_delete_all("me").send().await.unwrap();
    h.sent().await;

    let h = Harness::new().await;
    h.answer("DELETE", "/users/me/schedulers/s1", 204, None).await;
    h.client.user_scheduler_delete("me", "s1").send().await.unwrap();
    h.sent().await;
}

#[tokio::test]
async fn pac_accounts_decode_the_seed_sample() {
    let h = Harness::new().await;
    let sample = json!({"pac_accounts": [{
        "dedicated_dial_in_number": [{"number": "123343434", "country": "USA"}],
        "global_dial_in_numbers": [{"number": "434343434", "country": "USA"}],
        "conference_id": "111111", "participant_password": "ghdf", "listen_only_password": "hkgk"
    }]});
    h.answer("GET", "/users/me/pac", 200, Some(sample)).await;
    let list = h.client.user_pac_accounts("me").send().await.unwrap();
    let account = &list.pac_accounts.unwrap()[0];
    assert_eq!(account.global_dial_in_numbers.as_ref().unwrap()[0].number.as_deref(), Some("434343434"));
    assert!(!format!("{account:?}").contains("ghdf"), "PAC passwords never show in Debug output");
}

#[tokio::test]
async fn hostile_ids_stay_one_path_segment() {
    let h = Harness::new().await;
    for id in ["a/b", "x?y=1", "frag#ment", "100%", "..", "a b+c@d.example", "ümlaut", "../../admin"] {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": 1})))
            .mount(&h.server)
            .await;
        let result = h.client.user(id).send().await;
        if id == ".." {
            assert!(matches!(result, Err(zoom_users_sdk::Error::InvalidInput(_))), "`..` is refused");
            continue;
        }
        result.unwrap();
        let requests = h.server.received_requests().await.unwrap();
        let sent = requests.last().unwrap();
        let raw_path = sent.url.path();
        assert_eq!(raw_path.matches('/').count(), 2, "{id:?} became {raw_path}");
        assert!(raw_path.starts_with("/users/"), "{raw_path}");
        assert_eq!(sent.url.query(), None, "{id:?} added a query");
        assert_eq!(sent.url.fragment(), None);
        let decoded = percent_decode_str(&raw_path["/users/".len()..]).decode_utf8().unwrap();
        assert_eq!(decoded, id, "the server receives the id unchanged");
    }
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proxy/v2/users/a%2Fb"))
        .and(query_param("login_type", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": 1})))
        .expect(1)
        .mount(&server)
        .await;
    // A trailing slash on the base adds no empty segment.
    let client = Client::builder().base_url(format!("{}/proxy/v2/", server.uri())).build().unwrap();
    client.user("a/b").login_type(types::LoginType::from(100)).send().await.unwrap();

    for base in ["http://", "https://example.com/v2?key=1", "http://example.com/#top"] {
        let error = Client::builder().base_url(base).build().unwrap_err();
        assert!(matches!(error, zoom_users_sdk::Error::InvalidInput(_)), "{base}: {error}");
    }
}
