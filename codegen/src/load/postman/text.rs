//! What Postman's free text says: descriptions (a string or `{content, type}`), the markers
//! openapi-to-postmanv2 writes into them, and the type a value written as text stands for.

use serde_json::Value;

/// A description as text: Postman writes either a string or an object with `content`.
pub(super) fn description(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(text) => text.as_str(),
        Value::Object(object) => object.get("content")?.as_str()?,
        _ => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A parameter's or form field's description with its markers taken out.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Marked {
    /// `(Required)` was written.
    pub required: bool,
    /// The values listed by `(This can only be one of a,b,c)`.
    pub one_of: Vec<String>,
    /// What is left to show as documentation.
    pub text: Option<String>,
}

const REQUIRED: &str = "(Required)";
const ONE_OF: &str = "(This can only be one of ";

/// Reads `(Required)` and `(This can only be one of a,b,c)`: the markers become the parameter's
/// requiredness and enum, so the docs need not repeat them.
pub(super) fn marked(description: Option<String>) -> Marked {
    let Some(mut text) = description else {
        return Marked::default();
    };
    let mut marked = Marked::default();
    if let Some(at) = find_ignore_case(&text, REQUIRED) {
        marked.required = true;
        cut(&mut text, at, REQUIRED.len());
    }
    if let Some(start) = find_ignore_case(&text, ONE_OF) {
        if let Some(len) = text[start..].find(')') {
            let list = &text[start + ONE_OF.len()..start + len];
            marked.one_of = list.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
            cut(&mut text, start, len + 1);
        }
    }
    let text = text.trim();
    marked.text = (!text.is_empty()).then(|| text.to_owned());
    marked
}

/// Removes `len` bytes at `at` and the space the removal leaves doubled; the author's line breaks
/// (markdown lists in descriptions) stay as they are.
fn cut(text: &mut String, at: usize, len: usize) {
    text.replace_range(at..at + len, "");
    let after_space_or_end = text[at..].is_empty() || text[at..].starts_with(char::is_whitespace);
    if at > 0 && text[..at].ends_with(' ') && after_space_or_end {
        text.remove(at - 1);
    }
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// The type a placeholder such as `<integer>` stands for; openapi-to-postmanv2 writes these in
/// place of values when a description has no example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scalar {
    Boolean,
    Integer,
    Number,
    /// A string, with the format it was said to have.
    String(Option<&'static str>),
}

/// `<integer>` -> an integer. Only the names converters write are placeholders; any other text in
/// angle brackets is a value.
pub(super) fn placeholder(text: &str) -> Option<Scalar> {
    let name = text.strip_prefix('<')?.strip_suffix('>')?;
    Some(match name {
        "string" => Scalar::String(None),
        "integer" | "int" | "int32" | "long" | "int64" => Scalar::Integer,
        "number" | "float" | "double" => Scalar::Number,
        "boolean" | "bool" => Scalar::Boolean,
        "dateTime" | "date-time" | "datetime" => Scalar::String(Some("date-time")),
        "date" => Scalar::String(Some("date")),
        "time" => Scalar::String(Some("time")),
        "uuid" => Scalar::String(Some("uuid")),
        "email" => Scalar::String(Some("email")),
        "uri" | "url" => Scalar::String(Some("uri")),
        "byte" => Scalar::String(Some("byte")),
        "password" => Scalar::String(Some("password")),
        _ => return None,
    })
}

/// A bare type name used as a value (`"type": "integer"`): maybe a sketch of the type, maybe the
/// value itself. `string` needs no special reading: either way the value is a string.
pub(super) fn bare_type_word(text: &str) -> Option<Scalar> {
    match text {
        "integer" | "long" | "int" => Some(Scalar::Integer),
        "number" | "float" | "double" => Some(Scalar::Number),
        "boolean" => Some(Scalar::Boolean),
        _ => None,
    }
}

/// The format a string value shows by its form: `date-time` (RFC 3339) or `date`.
pub(super) fn string_format(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let is_date =
        bytes.len() >= 10 && digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10);
    if !is_date {
        return None;
    }
    if bytes.len() == 10 {
        return Some("date");
    }
    let time_ok = matches!(bytes[10], b'T' | b't')
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && bytes.get(16) == Some(&b':')
        && digits(17..19);
    if !time_ok {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        rest = &fraction[len..];
    }
    let offset_ok = matches!(rest, "Z" | "z")
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
            && rest.as_bytes()[3] == b':'
            && rest.as_bytes()[4..6].iter().all(u8::is_ascii_digit));
    offset_ok.then_some("date-time")
}

/// What a value written as text (a query value, a form field) is: `100` an integer, `true` a
/// boolean, `1.5` a number. Digits with a leading zero (`0042`) or too many for 64 bits stay text:
/// they are codes, not quantities.
pub(super) fn scalar_of_text(text: &str) -> Scalar {
    if let Some(scalar) = placeholder(text) {
        return scalar;
    }
    if text == "true" || text == "false" {
        return Scalar::Boolean;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let leading_zero = unsigned.len() > 1 && unsigned.starts_with('0') && !unsigned.starts_with("0.");
    if !leading_zero && !unsigned.is_empty() {
        if unsigned.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_ok() {
            return Scalar::Integer;
        }
        if let Some((whole, fraction)) = unsigned.split_once('.') {
            let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if all_digits(whole) && all_digits(fraction) {
                return Scalar::Number;
            }
        }
    }
    Scalar::String(string_format(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_facts_and_leave_the_text() {
        let m = marked(Some("(Required) The action to take. (This can only be one of create,autoCreate)".into()));
        assert!(m.required);
        assert_eq!(m.one_of, ["create", "autoCreate"]);
        assert_eq!(m.text.as_deref(), Some("The action to take."));
        let plain = marked(Some("Just text.".into()));
        assert!(!plain.required && plain.one_of.is_empty());
        assert_eq!(marked(Some("(Required)".into())).text, None);
        let listed = marked(Some("Pick one:\n* `a` first\n* `b` second (This can only be one of a,b)".into()));
        assert_eq!(listed.text.as_deref(), Some("Pick one:\n* `a` first\n* `b` second"));
    }

    #[test]
    fn text_values_have_types() {
        assert_eq!(scalar_of_text("100"), Scalar::Integer);
        assert_eq!(scalar_of_text("-3"), Scalar::Integer);
        assert_eq!(scalar_of_text("0"), Scalar::Integer);
        assert_eq!(scalar_of_text("0042"), Scalar::String(None));
        assert_eq!(scalar_of_text("6352635623323434343443"), Scalar::String(None));
        assert_eq!(scalar_of_text("1.5"), Scalar::Number);
        assert_eq!(scalar_of_text("true"), Scalar::Boolean);
        assert_eq!(scalar_of_text("<long>"), Scalar::Integer);
        assert_eq!(scalar_of_text("<dateTime>"), Scalar::String(Some("date-time")));
        assert_eq!(scalar_of_text("2019-09-13T21:08:52Z"), Scalar::String(Some("date-time")));
        assert_eq!(scalar_of_text("2019-09-13T21:08:52.120+02:00"), Scalar::String(Some("date-time")));
        assert_eq!(scalar_of_text("2019-09-13"), Scalar::String(Some("date")));
        assert_eq!(scalar_of_text("2019-09-13 noon"), Scalar::String(None));
        assert_eq!(scalar_of_text("<b>"), Scalar::String(None));
    }
}
