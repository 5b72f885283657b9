//! `multipart/form-data` bodies: text fields and files.

use super::request::scalars;
use serde::Serialize;
use std::fmt;

/// A file to upload: its name, media type and bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl FilePart {
    pub fn new(file_name: impl Into<String>, content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self { file_name: file_name.into(), content_type: content_type.into(), bytes: bytes.into() }
    }
}

impl fmt::Debug for FilePart {
    // The bytes are content, not a diagnostic: print their size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String, String),
    File(String, FilePart),
}

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<Part>,
    pub(crate) invalid: Option<String>,
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field; `None` adds nothing, a list one part per item.
    pub fn text(mut self, name: &str, value: &impl Serialize) -> Self {
        match scalars(value) {
            Ok(values) => self.parts.extend(values.into_iter().map(|v| Part::Text(name.to_owned(), v))),
            Err(e) => {
                self.invalid.get_or_insert(format!("form field `{name}`: {e}"));
            }
        }
        self
    }

    /// A file part; `None` adds nothing.
    pub fn file(mut self, name: &str, file: impl Into<Option<FilePart>>) -> Self {
        if let Some(file) = file.into() {
            self.parts.push(Part::File(name.to_owned(), file));
        }
        self
    }

    /// One file part per file.
    pub fn files(self, name: &str, files: impl IntoIterator<Item = FilePart>) -> Self {
        files.into_iter().fold(self, |form, file| form.file(name, file))
    }

    pub(crate) fn into_reqwest(self) -> Result<reqwest::multipart::Form, String> {
        if let Some(message) = self.invalid {
            return Err(message);
        }
        let mut form = reqwest::multipart::Form::new();
        for part in self.parts {
            form = match part {
                Part::Text(name, value) => form.text(name, value),
                Part::File(name, file) => {
                    let part = reqwest::multipart::Part::bytes(file.bytes)
                        .file_name(file.file_name)
                        .mime_str(&file.content_type)
                        .map_err(|e| format!("file part `{name}`: content type: {e}"))?;
                    form.part(name, part)
                }
            };
        }
        Ok(form)
    }
}
