//! `multipart/form-data` bodies: text fields, JSON parts and files.
//!
//! A property that is an object, or a list of objects, is one part holding its JSON text
//! (`Content-Type: application/json`), as OpenAPI's multipart encoding says by default. Files
//! inside such a value (a list of attachments, each with its file) cannot travel in JSON: each is a
//! file part of its own, named by its place in the value (`attachments[0][file]`), and left out of
//! the JSON. Elsewhere (a JSON body, a decoded answer) a file is its bytes in base64, the only way
//! JSON carries bytes.

use super::error::Error;
use super::style::scalars;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::cell::RefCell;
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

thread_local! {
    /// While a multipart value is serialized: the files met so far, which serialize as markers.
    static FILES: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// What a file serializes as inside a multipart value: an object with this one key, whose value is
/// the file's index among the files met.
const FILE_MARKER: &str = "\u{0}sdkgen-runtime:file";

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = FILES.with(|files| {
            files.borrow_mut().as_mut().map(|files| {
                files.push(self.clone());
                files.len() - 1
            })
        });
        match index {
            Some(index) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(FILE_MARKER, &index)?;
                map.end()
            }
            None => serializer.serialize_str(&base64_encode(&self.bytes)),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    /// A string: its bytes in base64 or, when it is not base64, its own bytes.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = base64_decode(&text).unwrap_or_else(|| text.into_bytes());
        Ok(FilePart::new("file", "application/octet-stream", bytes))
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut n, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let digit = BASE64.iter().position(|&d| d == c)? as u32;
        n = n << 6 | digit;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((n >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

/// Serializes `value` to JSON with every file in it taken out: the JSON holds markers where the
/// files were, and the files come back in the order met.
fn with_files(value: &impl Serialize) -> Result<(Value, Vec<FilePart>), serde_json::Error> {
    /// Puts back what was collecting before, even when serializing panics.
    struct Restore(Option<Option<Vec<FilePart>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(outer) = self.0.take() {
                FILES.with(|files| *files.borrow_mut() = outer);
            }
        }
    }
    let mut restore = Restore(Some(FILES.with(|files| files.borrow_mut().replace(Vec::new()))));
    let json = serde_json::to_value(value);
    let outer = restore.0.take().expect("set above");
    let files = FILES.with(|files| std::mem::replace(&mut *files.borrow_mut(), outer)).unwrap_or_default();
    Ok((json?, files))
}

/// The file a marker stands for.
fn marker(value: &Value) -> Option<usize> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get(FILE_MARKER)?.as_u64().map(|i| i as usize),
        _ => None,
    }
}

/// Takes the markers out of `value`, giving each file's place as a part name below `name`.
fn take_files(name: &str, value: &mut Value, found: &mut Vec<(String, usize)>) {
    match value {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let place = format!("{name}[{key}]");
                let child = map.get_mut(&key).expect("a listed key");
                match marker(child) {
                    Some(index) => {
                        found.push((place, index));
                        map.remove(&key);
                    }
                    None => take_files(&place, child, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let place = format!("{name}[{i}]");
                match marker(item) {
                    // Left in place as null, so the other items keep their index.
                    Some(index) => {
                        found.push((place, index));
                        *item = Value::Null;
                    }
                    None => take_files(&place, item, found),
                }
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
pub(crate) enum Part {
    Text(String, String),
    Json(String, String),
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
                Part::Text(name, _) | Part::Json(name, _) | Part::File(name, _) => name.as_str(),
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

    /// A property of any shape: `None` adds nothing; a file is a file part; a string, number or
    /// boolean (or a list of them) a text part each; an object or a list of objects one part of JSON
    /// text, with each file inside it a file part of its own named by its place
    /// (`attachments[0][file]`).
    pub fn value(mut self, name: &str, value: &impl Serialize) -> Self {
        if let Err(message) = check_name("part name", name) {
            self.fail(message);
            return self;
        }
        let (mut json, files) = match with_files(value) {
            Ok(found) => found,
            Err(e) => {
                self.fail(format!("form field `{name}`: {e}"));
                return self;
            }
        };
        if let Some(index) = marker(&json) {
            return self.file(name, files[index].clone());
        }
        let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
        match &json {
            Value::Null => return self,
            Value::Array(items) if items.iter().all(|v| scalar(v) || marker(v).is_some()) => {
                for item in items {
                    self = match marker(item) {
                        Some(index) => self.file(name, files[index].clone()),
                        None => self.text(name, item),
                    };
                }
                return self;
            }
            v if scalar(v) => return self.text(name, v),
            _ => {}
        }
        let mut found = Vec::new();
        take_files(name, &mut json, &mut found);
        self.parts.push(Part::Json(name.to_owned(), json.to_string()));
        found.into_iter().fold(self, |form, (place, index)| form.file(&place, files[index].clone()))
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
                Part::Json(name, value) => {
                    let part = reqwest::multipart::Part::text(value)
                        .mime_str("application/json")
                        .map_err(|e| format!("part `{name}`: content type: {e}"))?;
                    form.part(name, part)
                }
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
    fn base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0, 255, 128, 7]] {
            let text = base64_encode(bytes);
            assert_eq!(base64_decode(&text).as_deref(), Some(bytes), "{text}");
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn a_file_outside_a_multipart_value_is_base64_json() {
        let file = FilePart::new("a.bin", "application/octet-stream", b"foo".to_vec());
        assert_eq!(serde_json::to_value(&file).unwrap(), serde_json::json!("Zm9v"));
        let back: FilePart = serde_json::from_value(serde_json::json!("Zm9v")).unwrap();
        assert_eq!(back.bytes, b"foo");
    }

    #[test]
    fn values_become_text_json_and_file_parts() {
        #[derive(Serialize)]
        struct Attachment {
            file: FilePart,
            caption: Option<String>,
        }
        let file = |name: &str| FilePart::new(name, "text/plain", name.as_bytes().to_vec());
        let attachments = vec![
            Attachment { file: file("a.txt"), caption: Some("first".into()) },
            Attachment { file: file("b.txt"), caption: None },
        ];
        let form = Multipart::new()
            .value("attachments", &attachments)
            .value("one", &file("c.txt"))
            .value("many", &vec![file("d.txt"), file("e.txt")])
            .value("words", &vec!["x", "y"])
            .value("none", &None::<u32>)
            .value("n", &3);
        assert!(form.invalid.is_none());
        let parts: Vec<String> = form
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(name, value) => format!("text {name}={value}"),
                Part::Json(name, value) => format!("json {name}={value}"),
                Part::File(name, file) => format!("file {name}={}", file.file_name),
            })
            .collect();
        assert_eq!(
            parts,
            [
                r#"json attachments=[{"caption":"first"},{"caption":null}]"#,
                "file attachments[0][file]=a.txt",
                "file attachments[1][file]=b.txt",
                "file one=c.txt",
                "file many=d.txt",
                "file many=e.txt",
                "text words=x",
                "text words=y",
                "text n=3",
            ]
        );
        // Outside a multipart value, files are base64 again.
        assert_eq!(serde_json::to_value(file("f")).unwrap(), serde_json::json!("Zg=="));
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
