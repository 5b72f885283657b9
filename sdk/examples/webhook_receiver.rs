//! Receives Zoom's event notifications: answers the endpoint validation handshake, refuses any
//! request whose signature or timestamp does not check out, and dispatches the Users events.
//!
//! ```sh
//! ZOOM_WEBHOOK_SECRET_TOKEN=... cargo run -p zoom-users-sdk --example webhook_receiver
//! ```
//! `ZOOM_WEBHOOK_ADDR` sets the address to listen on (default `127.0.0.1:8080`); put it behind the
//! HTTPS endpoint URL configured in the app's event subscription.
//!
//! Plain hyper, no web framework: the verifier needs only the headers and the raw body.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::net::TcpListener;
use zoom_users_sdk::runtime::{Webhook, WebhookVerifier};
use zoom_users_sdk::types::WebhookEvent;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("ZOOM_WEBHOOK_SECRET_TOKEN").map_err(|_| "set ZOOM_WEBHOOK_SECRET_TOKEN")?;
    let addr = std::env::var("ZOOM_WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let verifier = WebhookEvent::verifier(secret)?;
    let listener = TcpListener::bind(&addr).await?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener, verifier).await
}

/// Answers every connection `listener` accepts, each on its own task.
pub async fn serve(listener: TcpListener, verifier: WebhookVerifier) -> Result<(), Box<dyn std::error::Error>> {
    let verifier = Arc::new(verifier);
    loop {
        let (stream, _) = listener.accept().await?;
        let verifier = Arc::clone(&verifier);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let verifier = Arc::clone(&verifier);
                async move { Ok::<_, std::convert::Infallible>(receive(&verifier, request).await) }
            });
            if let Err(e) =
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await
            {
                eprintln!("connection: {e}");
            }
        });
    }
}

async fn receive(verifier: &WebhookVerifier, request: Request<Incoming>) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return answer(StatusCode::METHOD_NOT_ALLOWED, "POST only");
    }
    let (parts, body) = request.into_parts();
    // Stop reading at the verifier's limit, so a huge body costs no memory.
    let body = match Limited::new(body, verifier.body_limit()).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => return answer(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
        Err(_) => return answer(StatusCode::BAD_REQUEST, "body not received"),
    };
    match verifier.verify::<WebhookEvent>(&parts.headers, &body) {
        Ok(Webhook::UrlValidation(validation)) => {
            let mut response = answer(StatusCode::OK, validation.to_json());
            response.headers_mut().insert(CONTENT_TYPE, "application/json".parse().expect("a valid header value"));
            response
        }
        Ok(Webhook::Event(event)) => {
            // Zoom waits for the answer only briefly: slow work belongs on a queue or a task.
            let done = dispatch(&event);
            println!("{done}");
            answer(StatusCode::OK, done)
        }
        Err(refused) => {
            // The reason is safe to show: it never holds the secret or the body.
            eprintln!("refused: {refused}");
            let status = StatusCode::from_u16(refused.status()).unwrap_or(StatusCode::BAD_REQUEST);
            answer(status, refused.to_string())
        }
    }
}

/// What the service does with each event; here, a line saying what happened.
fn dispatch(event: &WebhookEvent) -> String {
    match event {
        WebhookEvent::UserCreated(e) => format!("created {} ({})", e.payload.object.email, e.payload.creation_type),
        WebhookEvent::UserInvitationAccepted(e) => format!("joined {}", e.payload.object.email),
        WebhookEvent::UserUpdated(e) => format!("updated {}", e.payload.object.id),
        WebhookEvent::UserSettingsUpdated(e) => format!("settings changed for {}", e.payload.object.id),
        WebhookEvent::UserActivated(e) => format!("activated {}", e.payload.object.email),
        WebhookEvent::UserDeactivated(e) => format!("deactivated {}", e.payload.object.email),
        WebhookEvent::UserDisassociated(e) => format!("disassociated {}", e.payload.object.email),
        WebhookEvent::UserDeleted(e) => format!("deleted {}", e.payload.object.email),
        WebhookEvent::UserSignedIn(e) => {
            format!("{} signed in on {}", e.payload.object.email, e.payload.object.client_type)
        }
        WebhookEvent::UserSignedOut(e) => format!("{} signed out", e.payload.object.email),
        WebhookEvent::UserPresenceStatusUpdated(e) => {
            format!("{} is {}", e.payload.object.email, e.payload.object.presence_status)
        }
        WebhookEvent::UserPersonalNotesUpdated(e) => format!("{} changed their note", e.payload.object.email),
        // A new event, or one of another product: acknowledge it so Zoom does not retry.
        other => format!("ignored {}", other.name()),
    }
}

fn answer(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
}
