//! `parse-floor SPEC`: reads an OpenAPI document and deserializes it into `openapiv3::OpenAPI`,
//! and nothing else. No generator can be faster than this, so `cargo xtask bench` reports
//! generation time as a multiple of it.
//!
//! JSON (`serde_json`) or YAML (`serde_yaml`) is told the way the generator tells it: JSON when the
//! text opens an object.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse-floor SPEC");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let parsed: Result<openapiv3::OpenAPI, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(document) => {
            // Printed so the document is used; also a check that it is the document we meant.
            println!("parse-floor: {} paths", document.paths.paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: not an OpenAPI 3.0 document: {e}");
            ExitCode::FAILURE
        }
    }
}
