//! Input documents -> IR. The format is told by content, never by file extension.

mod document;
pub mod openapi;
pub mod postman;
mod sensitive;
mod success;

pub use document::parse;
pub(crate) use success::success;

use crate::diagnostics::{Diagnostic, Error};
use crate::ir::Api;
use serde_json::Value;

/// Which kind of description a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenApi3,
    /// A Postman collection (v2.0 or v2.1), or one request item exported from one.
    Postman,
}

/// Parses `text` (JSON or YAML), recognises the format, and lowers it into the IR.
pub fn load(text: &str) -> Result<Api, Error> {
    lower(parse(text)?)
}

/// A parsed document -> the IR: the format recognised, the loader for it, then what every loader's
/// IR gets (operations whose bodies may hold a credential marked).
pub fn lower(document: Value) -> Result<Api, Error> {
    let mut api = match detect(&document)? {
        Format::OpenApi3 => openapi::load(document)?,
        Format::Postman => postman::load(document)?,
    };
    sensitive::mark(&mut api);
    Ok(api)
}

fn detect(document: &Value) -> Result<Format, Diagnostic> {
    let Some(object) = document.as_object() else {
        return Err(Diagnostic::error("#", "the document is not an object, so it is no API description"));
    };
    if let Some(version) = object.get("openapi") {
        let version = version.as_str().unwrap_or_default();
        // 3.1 is read through its 3.0 form (see `openapi/normalize.rs`).
        return if version.starts_with("3.0") || version.starts_with("3.1") {
            Ok(Format::OpenApi3)
        } else {
            Err(Diagnostic::error(
                "#/openapi",
                format!("`{version}` is not an OpenAPI version this generator knows (3.0.x and 3.1.x)"),
            ))
        };
    }
    if object.contains_key("swagger") {
        return Err(Diagnostic::error(
            "#/swagger",
            "Swagger (OpenAPI 2.0) is not supported; convert the document to OpenAPI 3.0 first \
             (for example with swagger2openapi), then generate from the result",
        ));
    }
    if let Some(format) = postman::detect(object)? {
        return Ok(format);
    }
    Err(Diagnostic::error(
        "#",
        "neither an OpenAPI 3 document (no `openapi` version field) nor a Postman collection \
         (no `info` with `item`, and no `request`)",
    ))
}
