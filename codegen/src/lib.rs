//! Turns an API description (OpenAPI 3.0) into the source of a typed Rust SDK.
//!
//! The pipeline runs one way: [`load`] parses and lowers a document into the [`ir`], [`emit`] turns
//! the IR into tokens, [`render`] formats them, and [`output`] writes them, all or nothing.
//! Nothing here knows which API it is generating.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod names;
pub mod output;
pub mod recursion;
pub mod render;

pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::Options;
pub use render::RenderedFile;

/// What one generation produced.
#[derive(Debug)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<RenderedFile>,
}

/// Generates the SDK source for the description in `text`. Nothing is written.
pub fn generate(text: &str, options: &Options) -> Result<Generated, Error> {
    let api = load::load(text)?;
    let tokens = emit::emit(&api, options).map_err(|e| Diagnostic::error("#", e))?;
    let files = render::render(tokens, &options.source_name).map_err(|e| Diagnostic::error("#", e))?;
    Ok(Generated { api, files })
}
