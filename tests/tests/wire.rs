//! What generated clients put on the wire for constructs beyond JSON bodies and plain parameters,
//! checked byte for byte on the requests a loopback server received: parameter styles
//! (`tests/fixtures/openapi/param_styles.yaml`), servers of an operation's own
//! (`operation_servers.yaml`), and bodies and answers that are bytes or text (`raw_bodies.yaml`).

use sdk_tests::fixtures::{operation_servers, param_styles, raw_bodies};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with `answer`.
async fn server(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(answer).mount(&server).await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request was sent");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Vec<&'r str> {
    request.headers.get_all(name).iter().map(|v| v.to_str().unwrap()).collect()
}

mod styles {
    use super::*;
    use param_styles::{types, Client};

    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).build().unwrap()
    }

    fn color() -> types::Color {
        types::Color { r: Some(100), g: Some(200), ..Default::default() }
    }

    #[tokio::test]
    async fn every_query_style_is_written_as_openapi_says() {
        let server = server(ResponseTemplate::new(204)).await;
        let created = types::ListChargesCreated { gt: Some(1), lte: Some(9), ..Default::default() };
        client(&server)
            .list_charges()
            .created(created)
            .ids(vec!["a".into(), "b,c".into()])
            .tags(vec!["x".into(), "y z".into()])
            .words(vec!["one".into(), "two".into()])
            .states(vec!["open".into(), "paid".into()])
            .color(color())
            .point(types::Point { x: Some(3), y: Some(4), ..Default::default() })
            .filter(types::ListChargesFilter { name: Some("ada".into()), ..Default::default() })
            .sort(vec!["-created".into(), "id".into()])
            .await
            .unwrap();
        let sent = only_request(&server).await;
        assert_eq!(sent.url.path(), "/charges");
        assert_eq!(
            sent.url.query(),
            Some(
                "created[gt]=1&created[lte]=9\
                 &ids=a,b%2Cc\
                 &tags=x&tags=y+z\
                 &words=one%20two\
                 &states=open|paid\
                 &color=R,100,G,200\
                 &x=3&y=4\
                 &filter=%7B%22name%22%3A%22ada%22%7D\
                 &sort=-created&sort=id"
            )
        );
    }

    #[tokio::test]
    async fn parameters_not_set_send_nothing_and_empty_lists_nothing() {
        let server = server(ResponseTemplate::new(204)).await;
        client(&server).list_charges().ids(Vec::new()).created(Default::default()).await.unwrap();
        assert_eq!(only_request(&server).await.url.query(), None);
    }

    #[tokio::test]
    async fn path_styles_and_headers() {
        let server = server(ResponseTemplate::new(204)).await;
        client(&server)
            .get_items(vec![1, 2], vec!["a b".into(), "c".into()], color())
            .x_ids(vec![7, 8])
            .x_color(color())
            .await
            .unwrap();
        let sent = only_request(&server).await;
        // simple: `1,2`; label exploded: `.a%20b.c`; matrix: `;matrix=R,100,G,200`.
        assert_eq!(sent.url.path(), "/items/1,2/.a%20b.c/;matrix=R,100,G,200");
        assert_eq!(sent.url.query(), None);
        // A list header is one header per item, which HTTP reads as `7, 8`.
        assert_eq!(header(&sent, "x-ids"), ["7", "8"]);
        assert_eq!(header(&sent, "x-color"), ["R=100,G=200"]);
    }

    #[tokio::test]
    async fn a_label_value_that_would_be_a_dot_segment_is_refused() {
        let server = server(ResponseTemplate::new(204)).await;
        let error = client(&server).get_items(vec![1], vec![".".into()], color()).await.unwrap_err();
        assert!(error.to_string().contains("cannot be `..`"), "{error}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}

mod servers {
    use super::*;
    use operation_servers::Client;

    #[test]
    fn the_default_base_url_is_the_documents_first_server() {
        assert_eq!(Client::DEFAULT_BASE_URL, "https://api.example.com/v2");
    }

    #[tokio::test]
    async fn a_relative_server_is_resolved_against_the_clients_base_url() {
        let server = server(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv")).await;
        let client = Client::builder().base_url(format!("{}/api", server.uri())).build().unwrap();
        let report = client.get_report("r1").await.unwrap();
        assert_eq!(report, "a,b\n1,2\n");
        assert_eq!(only_request(&server).await.url.path(), "/api/reports/reports/r1");
    }

    #[tokio::test]
    async fn with_a_base_url_of_ones_own_an_absolute_server_gives_way_to_it() {
        let server = server(ResponseTemplate::new(201)).await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        client.upload_picture("me", b"\x89PNG".to_vec()).await.unwrap();
        let sent = only_request(&server).await;
        assert_eq!(sent.url.path(), "/users/me/picture");
        assert_eq!(header(&sent, "content-type"), ["image/png"]);
        assert_eq!(sent.body, b"\x89PNG");
    }

    #[tokio::test]
    async fn with_the_default_base_url_an_absolute_server_is_used_as_it_is() {
        // The upload host does not resolve here, so the error names where the request went.
        let client = Client::builder().connect_timeout(std::time::Duration::from_secs(2)).build().unwrap();
        let error = client
            .upload_picture("me", Vec::new())
            .retry_policy(sdk_tests::quick_retries())
            .timeout(std::time::Duration::from_secs(3))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("eu.uploads.example.com"), "{error}");
    }
}

mod raw {
    use super::*;
    use raw_bodies::Client;

    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).build().unwrap()
    }

    #[tokio::test]
    async fn bytes_go_out_as_they_are_with_their_media_type() {
        let server = server(ResponseTemplate::new(204)).await;
        client(&server).put_file("a.bin", vec![0u8, 159, 146, 150, 255]).await.unwrap();
        let sent = only_request(&server).await;
        assert_eq!(sent.method.as_str(), "PUT");
        assert_eq!(sent.url.path(), "/files/a.bin");
        assert_eq!(header(&sent, "content-type"), ["application/octet-stream"]);
        assert_eq!(sent.body, [0u8, 159, 146, 150, 255]);
    }

    #[tokio::test]
    async fn text_goes_out_as_text_and_comes_back_as_a_string() {
        let server =
            server(ResponseTemplate::new(200).set_body_raw("stored: héllo", "text/plain; charset=utf-8")).await;
        let answer = client(&server).post_note().body("héllo").await.unwrap();
        assert_eq!(answer, "stored: héllo");
        let sent = only_request(&server).await;
        assert_eq!(header(&sent, "content-type"), ["text/plain"]);
        assert_eq!(sent.body, "héllo".as_bytes());
    }

    #[tokio::test]
    async fn an_optional_raw_body_not_set_sends_no_body() {
        let server = server(ResponseTemplate::new(200).set_body_raw("", "text/plain")).await;
        assert_eq!(client(&server).post_note().await.unwrap(), "");
        let sent = only_request(&server).await;
        assert!(header(&sent, "content-type").is_empty());
        assert!(sent.body.is_empty());
    }

    #[tokio::test]
    async fn other_media_types_are_bytes_too() {
        let server = server(ResponseTemplate::new(204)).await;
        client(&server).post_xml("<a/>").await.unwrap();
        let sent = only_request(&server).await;
        assert_eq!(header(&sent, "content-type"), ["application/xml"]);
        assert_eq!(sent.body, b"<a/>");
    }

    #[tokio::test]
    async fn binary_answers_come_back_as_bytes_not_json() {
        let png = vec![0x89u8, b'P', b'N', b'G', 0, 1, 2];
        let images = server(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png")).await;
        assert_eq!(client(&images).get_avatar().await.unwrap(), png);
        let files = server(ResponseTemplate::new(200).set_body_raw(vec![255u8, 0], "application/octet-stream")).await;
        assert_eq!(client(&files).get_file("a.bin").await.unwrap(), [255u8, 0]);
    }

    #[tokio::test]
    async fn a_text_answer_that_is_not_utf8_is_a_decode_error() {
        let server = server(ResponseTemplate::new(200).set_body_raw(vec![0xffu8, 0xfe], "text/plain")).await;
        let error = client(&server).post_note().body("x").await.unwrap_err();
        assert!(matches!(error, sdkgen_runtime::Error::Decode { status: 200, .. }), "{error:?}");
    }
}
