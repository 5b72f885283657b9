//! The examples' shared set-up: a client from environment variables.

use zoom_users_sdk::Client;

/// `ZOOM_TOKEN` for a bearer token, or `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID` and
/// `ZOOM_CLIENT_SECRET` for Server-to-Server OAuth; `ZOOM_BASE_URL` to use another server.
pub fn client() -> Result<Client, zoom_users_sdk::Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = Client::builder();
    if let Some(url) = var("ZOOM_BASE_URL") {
        builder = builder.base_url(url);
    }
    builder = match (var("ZOOM_TOKEN"), var("ZOOM_ACCOUNT_ID"), var("ZOOM_CLIENT_ID"), var("ZOOM_CLIENT_SECRET")) {
        (Some(token), ..) => builder.bearer_token(token),
        (None, Some(account), Some(id), Some(secret)) => builder.server_to_server_oauth(account, id, secret),
        _ => {
            return Err(zoom_users_sdk::Error::InvalidInput(
                "set ZOOM_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET".into(),
            ))
        }
    };
    builder.build()
}
