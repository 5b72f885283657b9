//! `format: date-time` values: the instant when the text is one, and always the text as sent, so
//! a value that is not a valid date-time (an empty string, a local time) never fails an answer.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub use jiff::Timestamp;

/// A date-time as the API sent it (RFC 3339, e.g. `2024-01-01T09:30:00Z`), with the instant it
/// names when it names one. Sent back exactly as received. `Default` is the empty text, which
/// some APIs send for a time that never was.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct DateTime {
    text: String,
    instant: Option<Timestamp>,
}

impl DateTime {
    /// Reads `text`; text that is not an RFC 3339 date-time is kept, with no instant.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let instant = text.parse().ok();
        Self { text, instant }
    }

    /// The instant, when the text is a valid date-time.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.instant
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<Timestamp> for DateTime {
    /// An instant, written as RFC 3339 in UTC.
    fn from(instant: Timestamp) -> Self {
        Self { text: instant.to_string(), instant: Some(instant) }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_has_its_instant_and_any_text_round_trips() {
        for text in ["2024-01-01T09:30:00Z", "2019-09-13T21:08:52.120+02:00"] {
            let value: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert!(value.timestamp().is_some(), "{text}");
            assert_eq!(serde_json::to_value(&value).unwrap(), serde_json::json!(text), "sent back as received");
        }
        let noon: Timestamp = "2024-01-01T12:00:00+02:00".parse().unwrap();
        assert_eq!(DateTime::parse("2024-01-01T12:00:00+02:00").timestamp(), Some(noon));
        for text in ["", "2024-01-01 09:30", "soon", "2024-13-01T00:00:00Z"] {
            let value: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!((value.timestamp(), value.as_str()), (None, text));
            assert_eq!(serde_json::to_value(&value).unwrap(), serde_json::json!(text));
        }
        assert_eq!(DateTime::from(noon).as_str(), "2024-01-01T10:00:00Z");
    }
}
