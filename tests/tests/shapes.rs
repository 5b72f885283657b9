//! Shapes real descriptions use that a single API rarely does, called against a local server: an
//! `allOf` over a scalar decodes as that scalar, and multipart bodies whose files sit inside
//! objects or unions, or whose schema is also sent as JSON, carry what the schema says.

use sdk_tests::fixtures::{allof_scalar, json_and_multipart, multipart_binary_union, multipart_file_objects};
use sdkgen_runtime::FilePart;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(verb: &str, at: &str, status: u16, body: Option<serde_json::Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut answer = ResponseTemplate::new(status);
    if let Some(body) = body {
        answer = answer.set_body_json(body);
    }
    Mock::given(method(verb)).and(path(at)).respond_with(answer).expect(1).mount(&server).await;
    server
}

async fn the_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "one request");
    requests.remove(0)
}

/// The parts of a multipart body: (headers of the part, its content), in order.
fn parts(request: &Request) -> Vec<(String, String)> {
    let content_type = request.headers.get("content-type").expect("a content type").to_str().unwrap();
    let boundary = content_type.split("boundary=").nth(1).expect("multipart has a boundary").to_owned();
    let body = String::from_utf8_lossy(&request.body).into_owned();
    body.split(&format!("--{boundary}"))
        .filter(|chunk| !chunk.trim().is_empty() && chunk.trim() != "--")
        .map(|chunk| {
            let chunk = chunk.trim_start_matches("\r\n");
            let (head, content) = chunk.split_once("\r\n\r\n").expect("part headers end with a blank line");
            (head.to_owned(), content.trim_end_matches("\r\n").to_owned())
        })
        .collect()
}

#[tokio::test]
async fn an_all_of_over_a_scalar_decodes_as_the_scalar() {
    let thing = json!({
        "kind": "large",
        "status": "archived",
        "previous_status": null,
        "label": "a label",
        "level": 2,
        "tags": ["a", "b"],
    });
    let server = server_answering("GET", "/things/t1", 200, Some(thing)).await;
    let client = allof_scalar::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let thing = client.get_thing("t1").await.unwrap();
    assert_eq!(thing.kind, Some(allof_scalar::types::ThingKind::Large));
    assert_eq!(thing.status, Some(allof_scalar::types::Status::Archived));
    assert_eq!(thing.previous_status, None);
    assert_eq!(thing.label.as_deref(), Some("a label"));
    assert_eq!(thing.level, Some(allof_scalar::types::Level::from(2)));
    assert_eq!(thing.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
}

#[tokio::test]
async fn files_inside_a_list_of_objects_are_parts_beside_its_json() {
    use multipart_file_objects::types::{
        SendMessageRequest, SendMessageRequestAttachmentsItem, SendMessageRequestMeta,
    };
    let server = server_answering("POST", "/messages", 204, None).await;
    let client = multipart_file_objects::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let attachments = vec![
        SendMessageRequestAttachmentsItem::new(FilePart::new("a.txt", "text/plain", b"alpha".to_vec()))
            .with_caption("first"),
        SendMessageRequestAttachmentsItem::new(FilePart::new("b.png", "image/png", vec![0x89, b'P'])),
    ];
    let body =
        SendMessageRequest::new("hello", attachments).with_meta(SendMessageRequestMeta::default().with_priority(3));
    client.send_message(body).await.unwrap();

    let sent = parts(&the_request(&server).await);
    let names: Vec<&str> = sent.iter().map(|(head, _)| head.as_str()).collect();
    assert_eq!(sent.len(), 5, "{names:#?}");
    assert!(sent[0].0.contains("name=\"text\"") && sent[0].1 == "hello", "{:?}", sent[0]);
    assert!(sent[1].0.contains("name=\"attachments\"") && sent[1].0.contains("application/json"), "{:?}", sent[1]);
    let listed: serde_json::Value = serde_json::from_str(&sent[1].1).unwrap();
    assert_eq!(listed, json!([{"caption": "first"}, {}]), "files leave the JSON");
    assert!(sent[2].0.contains("name=\"attachments[0][file]\"; filename=\"a.txt\""), "{:?}", sent[2]);
    assert!(sent[2].0.contains("text/plain") && sent[2].1 == "alpha", "{:?}", sent[2]);
    assert!(sent[3].0.contains("name=\"attachments[1][file]\"; filename=\"b.png\""), "{:?}", sent[3]);
    assert!(sent[4].0.contains("name=\"meta\"") && sent[4].0.contains("application/json"), "{:?}", sent[4]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&sent[4].1).unwrap(), json!({"priority": 3}));
}

#[tokio::test]
async fn a_union_with_a_file_branch_is_a_file_part_or_its_other_shape() {
    use multipart_binary_union::types::{AddDocumentRequest, AddDocumentRequestContent, AddDocumentRequestNote};
    let server = server_answering("POST", "/documents", 204, None).await;
    let client = multipart_binary_union::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let file = FilePart::new("doc.pdf", "application/pdf", b"%PDF".to_vec());
    let mut body = AddDocumentRequest::new(AddDocumentRequestContent::File(file));
    body.note = Some(AddDocumentRequestNote::Text(serde_json::from_value(json!({"text": "see page 2"})).unwrap()));
    client.add_document(body).await.unwrap();
    let sent = parts(&the_request(&server).await);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert!(sent[0].0.contains("name=\"content\"; filename=\"doc.pdf\""), "{:?}", sent[0]);
    assert!(sent[0].0.contains("application/pdf") && sent[0].1 == "%PDF", "{:?}", sent[0]);
    assert!(sent[1].0.contains("name=\"note\"") && sent[1].0.contains("application/json"), "{:?}", sent[1]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&sent[1].1).unwrap(), json!({"text": "see page 2"}));

    let server = server_answering("POST", "/documents", 204, None).await;
    let client = multipart_binary_union::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    let link = AddDocumentRequestContent::String("https://example.com/doc.pdf".into());
    client.add_document(AddDocumentRequest::new(link)).await.unwrap();
    let sent = parts(&the_request(&server).await);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert!(!sent[0].0.contains("filename"), "a text part: {:?}", sent[0]);
    assert_eq!(sent[0].1, "https://example.com/doc.pdf");
}

#[tokio::test]
async fn one_schema_goes_as_multipart_parts_and_as_json() {
    use json_and_multipart::types::Avatar;
    let avatar = Avatar::new(FilePart::new("me.png", "image/png", b"foo".to_vec())).with_alt("me");

    let server = server_answering("POST", "/avatars", 204, None).await;
    let client = json_and_multipart::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    client.upload_avatar(avatar.clone()).await.unwrap();
    let sent = parts(&the_request(&server).await);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert!(sent[0].0.contains("name=\"image\"; filename=\"me.png\"") && sent[0].1 == "foo", "{:?}", sent[0]);
    assert!(sent[1].0.contains("name=\"alt\"") && sent[1].1 == "me", "{:?}", sent[1]);

    // In JSON a file is its bytes in base64.
    let server = server_answering("POST", "/avatars/import", 204, None).await;
    let client = json_and_multipart::Client::builder().base_url(server.uri()).bearer_token("t").build().unwrap();
    client.import_avatar(avatar).await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&the_request(&server).await.body).unwrap();
    assert_eq!(sent, json!({"image": "Zm9v", "alt": "me"}));
}
