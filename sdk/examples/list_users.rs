//! Lists every active user of the account, page by page.
//!
//! ```sh
//! ZOOM_TOKEN=... cargo run -p zoom-users-sdk --example list_users
//! # or Server-to-Server OAuth:
//! ZOOM_ACCOUNT_ID=... ZOOM_CLIENT_ID=... ZOOM_CLIENT_SECRET=... cargo run -p zoom-users-sdk --example list_users
//! ```
//! `ZOOM_BASE_URL` points it at another server (a proxy or a mock).

use futures_util::TryStreamExt;
use zoom_users_sdk::{types, Client};

#[path = "common/mod.rs"]
mod common;

#[tokio::main]
async fn main() -> Result<(), zoom_users_sdk::Error> {
    let zoom: Client = common::client()?;
    let mut users = std::pin::pin!(zoom.users().status(types::UserStatus::Active).page_size(300).into_stream());
    let mut count = 0;
    while let Some(user) = users.try_next().await? {
        count += 1;
        println!("{}\t{}\t{:?}", user.id.unwrap_or_default(), user.email, user.type_);
    }
    println!("{count} users");
    Ok(())
}
