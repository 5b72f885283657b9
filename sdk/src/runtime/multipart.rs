//! `multipart/form-data` bodies: text fields and files.

use super::error::Error;
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

    /// Reads a file; its media type is guessed from its extension.
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
        let content_type = mime_guess::from_path(path).first_or_octet_stream().essence_str().to_owned();
        Ok(Self { file_name, content_type, bytes })
    }

    /// Refuses a file the API would refuse: a media type it does not take, or too many bytes.
    fn check(&self, part: &str, media_types: &[&str], max_bytes: Option<u64>) -> Result<(), String> {
        let essence = self.content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !media_types.is_empty() && !media_types.contains(&essence.as_str()) {
            return Err(format!(
                "file part `{part}` ({}) is `{}`; the API takes {}",
                self.file_name,
                self.content_type,
                media_types.join(", ")
            ));
        }
        match max_bytes {
            Some(max) if self.bytes.len() as u64 > max => Err(format!(
                "file part `{part}` ({}) has {} bytes; the API takes at most {max}",
                self.file_name,
                self.bytes.len()
            )),
            _ => Ok(()),
        }
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

#[derive(Clone)]
pub(crate) enum Part {
    Text(String, String),
    File(String, FilePart),
}

/// The parts of a multipart body, in order.
#[derive(Clone, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<Part>,
    pub(crate) invalid: Option<String>,
}

impl fmt::Debug for Multipart {
    // Text fields may hold a password: part names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(name, _) | Part::File(name, _) => name.as_str(),
            })
            .collect();
        f.debug_struct("Multipart").field("parts", &names).field("invalid", &self.invalid).finish()
    }
}

/// Refuses a part or file name that would break out of its part header: a control character
/// (CR/LF would start a header or a part of the server's choosing).
fn check_name(what: &str, name: &str) -> Result<(), String> {
    match name.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!("{what} {name:?} has the control character {c:?}, which a part header cannot carry")),
        None => Ok(()),
    }
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field; `None` adds nothing, a list one part per item.
    pub fn text(mut self, name: &str, value: &impl Serialize) -> Self {
        match check_name("part name", name)
            .and_then(|()| scalars(value).map_err(|e| format!("form field `{name}`: {e}")))
        {
            Ok(values) => self.parts.extend(values.into_iter().map(|v| Part::Text(name.to_owned(), v))),
            Err(message) => self.fail(message),
        }
        self
    }

    /// A file part; `None` adds nothing.
    pub fn file(self, name: &str, file: impl Into<Option<FilePart>>) -> Self {
        self.checked_file(name, file, &[], None)
    }

    /// A file part the API limits to some media types and a size, checked before anything is sent.
    pub fn checked_file(
        mut self,
        name: &str,
        file: impl Into<Option<FilePart>>,
        media_types: &[&str],
        max_bytes: Option<u64>,
    ) -> Self {
        if let Some(file) = file.into() {
            let checked = check_name("part name", name)
                .and_then(|()| check_name("file name", &file.file_name))
                .and_then(|()| file.check(name, media_types, max_bytes));
            match checked {
                Ok(()) => self.parts.push(Part::File(name.to_owned(), file)),
                Err(message) => self.fail(message),
            }
        }
        self
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// One file part per file.
    pub fn files(self, name: &str, files: impl IntoIterator<Item = FilePart>) -> Self {
        files.into_iter().fold(self, |form, file| form.file(name, file))
    }

    pub(crate) fn into_reqwest(self) -> Result<reqwest::multipart::Form, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_from_a_path_has_its_name_type_and_bytes() {
        let path = std::env::temp_dir().join(format!("sdk-upload-{}.png", std::process::id()));
        std::fs::write(&path, [0x89, b'P', b'N', b'G']).unwrap();
        let file = FilePart::from_path(&path).await.unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(file.file_name, path.file_name().unwrap().to_string_lossy());
        assert_eq!(file.content_type, "image/png");
        assert_eq!(file.bytes, [0x89, b'P', b'N', b'G']);
        assert!(!format!("{file:?}").contains("137, 80"), "Debug shows the size, not the bytes");

        let missing = FilePart::from_path(path.with_extension("gone")).await.unwrap_err();
        assert!(matches!(missing, Error::InvalidInput(ref m) if m.contains("cannot read")), "{missing}");
    }

    #[test]
    fn limits_are_checked_before_sending() {
        let jpeg = FilePart::new("a.jpg", "image/jpeg; charset=binary", vec![0; 10]);
        let form = Multipart::new().checked_file("pic", jpeg.clone(), &["image/jpeg", "image/png"], Some(10));
        assert!(form.invalid.is_none());
        let form = Multipart::new().checked_file("pic", jpeg.clone(), &["image/png"], None);
        assert!(form.invalid.unwrap().contains("the API takes image/png"));
        let form = Multipart::new().checked_file("pic", jpeg, &[], Some(9));
        assert!(form.invalid.unwrap().contains("has 10 bytes; the API takes at most 9"));
    }

    #[test]
    fn names_with_control_characters_are_refused() {
        let injected = "a.png\r\nContent-Type: text/html\r\n\r\n<script>";
        let file = FilePart::new(injected, "image/png", vec![1]);
        for form in [
            Multipart::new().file("pic", file.clone()),
            Multipart::new().checked_file("pic", file, &["image/png"], None),
            Multipart::new().file("pic\n", FilePart::new("a.png", "image/png", vec![1])),
            Multipart::new().text("note\r", &"x"),
            Multipart::new().text("tab\tname", &"x"),
        ] {
            let message = form.invalid.expect("refused");
            assert!(message.contains("control character"), "{message}");
            assert!(form.parts.is_empty(), "nothing of a refused part is kept");
        }
        assert!(Multipart::new().file("pic", FilePart::new("ümlaut café.png", "image/png", vec![1])).invalid.is_none());
    }

    #[test]
    fn debug_shows_part_names_not_values() {
        let form = Multipart::new()
            .text("password", &"hunter2-secret")
            .file("pic", FilePart::new("a.png", "image/png", vec![1]));
        let printed = format!("{form:?}");
        assert!(printed.contains("password") && printed.contains("pic"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }
}
