//! Reading an answer's body within a size limit, whatever length the server claims or sends.

use super::error::Error;
use bytes::{Bytes, BytesMut};

/// The default limit on one answer's body: far above the largest answers real APIs send (a full
/// page of users with every field is well under 2 MiB), far below what would hurt a service.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the whole body, failing as soon as it would pass `limit` bytes: a `Content-Length` over
/// the limit is refused before reading, and a body that runs on is cut off at the limit.
pub(crate) async fn read_limited(mut answer: reqwest::Response, limit: u64) -> Result<Bytes, Error> {
    let status = answer.status().as_u16();
    let too_large = || Error::BodyTooLarge { status, limit };
    let expected = answer.content_length().unwrap_or(0);
    if expected > limit {
        return Err(too_large());
    }
    // Most answers arrive in one chunk: it is the body as it is, with no copy.
    let Some(first) = answer.chunk().await? else { return Ok(Bytes::new()) };
    if first.len() as u64 > limit {
        return Err(too_large());
    }
    let Some(second) = answer.chunk().await? else { return Ok(first) };
    // Capacity from the claimed length only up to a modest size: the claim may be a lie.
    let capacity = expected.min(64 * 1024).max((first.len() + second.len()) as u64);
    let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
        next = answer.chunk().await?;
    }
    Ok(body.freeze())
}
