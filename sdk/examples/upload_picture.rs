//! Sets a user's profile picture from a file:
//! `cargo run -p zoom-users-sdk --example upload_picture -- me picture.png`.
//! Credentials as in the `list_users` example. The SDK refuses files the API would refuse
//! (formats other than JPEG/PNG, more than 2 MB) before sending anything.

use zoom_users_sdk::{types, Client, FilePart};

#[path = "common/mod.rs"]
mod common;

#[tokio::main]
async fn main() -> Result<(), zoom_users_sdk::Error> {
    let mut args = std::env::args().skip(1);
    let user = args.next().unwrap_or_else(|| "me".into());
    let file = args.next().unwrap_or_else(|| "picture.png".into());
    let zoom: Client = common::client()?;
    let picture = FilePart::from_path(&file).await?;
    zoom.user_picture_upload(user, types::ProfilePictureUpload::new(picture)).send().await?;
    println!("picture set from {file}");
    Ok(())
}
