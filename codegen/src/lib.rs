//! Turns an API description (OpenAPI 3.0 or 3.1, or a Postman collection) into the source of a
//! typed Rust SDK.
//!
//! The pipeline runs one way: [`load`] parses and lowers a document into the [`ir`], [`emit`] turns
//! the IR into tokens, [`render`] formats them, and [`output`] writes them, all or nothing.
//! Nothing here knows which API it is generating.

pub mod compare;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod locate;
pub mod names;
pub mod output;
pub mod recursion;
pub mod render;
pub mod surface;

pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::Options;
pub use render::RenderedFile;

/// The Rust path generated code calls its runtime by, unless told otherwise: the `sdkgen-runtime`
/// crate, which a generated SDK needs beside `serde` and `serde_json`. Its generated `mock` module
/// (compiled with the SDK's feature `mock`) also needs the runtime's feature `mock`, where the
/// mock server and expectations are.
pub const DEFAULT_RUNTIME_PATH: &str = "sdkgen_runtime";

/// What one generation produced.
#[derive(Debug)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<RenderedFile>,
}

/// Stack for one generation. Parsing, deserializing and lowering recurse once per level of the
/// description (up to 2,000 levels, see `load/document.rs`); debug builds use kilobytes per level, far more
/// than a test thread's 2 MiB. Only the pages a run touches are ever committed.
pub(crate) const STACK_BYTES: usize = 1 << 30;

/// Generates the SDK source for the description in `text`. Nothing is written.
///
/// Problems with the description are returned as an [`Error`] whose diagnostics name the place
/// (a JSON pointer, with line and column) and the reason; warnings are in `api.warnings`.
pub fn generate(text: &str, options: &Options) -> Result<Generated, Error> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("codegen".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || generate_here(text, options));
        match worker {
            // A panic is a generator bug: it reaches the caller as a panic, as it would without the thread.
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: try on this one.
            Err(_) => generate_here(text, options),
        }
    })
}

/// [`generate`] for a file's bytes: text that is not UTF-8 is an error naming the first bad byte.
pub fn generate_bytes(bytes: &[u8], options: &Options) -> Result<Generated, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => generate(text, options),
        Err(e) => {
            // Everything before the bad byte is valid UTF-8, so its lines and characters can be counted.
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let (line, column) = locate::line_column(&valid, valid.len());
            let message = format!(
                "the file is not UTF-8 text: byte {} (0x{:02x}) cannot start or continue a character; \
                 save the description as UTF-8",
                e.valid_up_to(),
                bytes[e.valid_up_to()]
            );
            Err(Diagnostic::error("#", message).at_line(line, column).into())
        }
    }
}

fn generate_here(text: &str, options: &Options) -> Result<Generated, Error> {
    let mut api = load::load(text).map_err(|mut e| {
        locate::locate(text, &mut e.diagnostics);
        e
    })?;
    locate::locate(text, &mut api.warnings);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let files = render::files(&api, options, cores).map_err(|e| Diagnostic::error("#", e))?;
    Ok(Generated { api, files })
}
