//! Messages about a description: where (a JSON pointer, and a line when known) and what is wrong.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generated anyway; the output may not say everything the description says.
    Warning,
    /// Nothing is generated.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer into the description, e.g. `#/paths/~1users/get/responses/200`.
    pub pointer: String,
    pub message: String,
    /// 1-based line and column, when the input format gave one.
    pub line_col: Option<(usize, usize)>,
    /// A warning about a rule the description breaks, read in the one way it can mean (the
    /// message says how); `cargo xtask codegen --strict` refuses these.
    pub repaired: bool,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            line_col: None,
            repaired: false,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            pointer: pointer.into(),
            message: message.into(),
            line_col: None,
            repaired: false,
        }
    }

    /// A warning that the description breaks a rule and what was assumed instead.
    pub fn repaired(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { repaired: true, ..Self::warning(pointer, message) }
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line_col = Some((line, column));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.pointer)?;
        if let Some((line, column)) = self.line_col {
            write!(f, " (line {line}, column {column})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a description could not be turned into code: one or more errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Self { diagnostics: vec![diagnostic] }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Escapes one path segment for a JSON pointer (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `pointer` with `segments` appended, each escaped.
pub fn join(pointer: &str, segments: &[&str]) -> String {
    let mut out = pointer.to_owned();
    for segment in segments {
        out.push('/');
        out.push_str(&escape(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(join("#/paths", &["/users/{userId}", "get"]), "#/paths/~1users~1{userId}/get");
        assert_eq!(escape("a~b"), "a~0b");
    }

    #[test]
    fn display_names_place_line_and_reason() {
        let d = Diagnostic::error("#/paths", "no operations").at_line(3, 1);
        assert_eq!(d.to_string(), "error: #/paths (line 3, column 1): no operations");
    }
}
