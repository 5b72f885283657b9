//! Text -> JSON value: the one parser every format goes through.

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// JSON when the first meaningful character opens an object or array, YAML otherwise
/// (YAML is a superset of JSON, but JSON's parser gives better messages for JSON).
pub fn parse(text: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['{', '[']) {
        serde_json::from_str(text)
            .map_err(|e| Diagnostic::error("#", format!("not valid JSON: {e}")).at_line(e.line(), e.column()))
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let d = Diagnostic::error("#", format!("not valid YAML: {e}"));
            match e.location() {
                Some(at) => d.at_line(at.line(), at.column()),
                None => d,
            }
        })
    }
}
