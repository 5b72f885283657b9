//! Creates a user: `cargo run -p zoom-users-sdk --example create_user -- someone@example.com`.
//! Credentials as in the `list_users` example.

use zoom_users_sdk::{types, Client};

#[path = "common/mod.rs"]
mod common;

#[tokio::main]
async fn main() -> Result<(), zoom_users_sdk::Error> {
    let email = std::env::args().nth(1).unwrap_or_else(|| "new.user@example.com".into());
    let zoom: Client = common::client()?;
    let info = types::UserCreateInfo::new(email, types::UserType::Basic).with_first_name("New");
    let request = types::UserCreateRequest::new(types::UserCreateRequestAction::Create).with_user_info(info);
    match zoom.user_create(request).send().await {
        Ok(user) => println!("created {} ({})", user.id.unwrap_or_default(), user.email.unwrap_or_default()),
        // 1005: the address is already in use.
        Err(e) if e.api().and_then(|a| a.code) == Some(1005) => println!("already exists: {e}"),
        Err(e) => return Err(e),
    }
    Ok(())
}
