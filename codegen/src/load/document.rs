//! Text -> JSON value: the one parser every format goes through.
//!
//! Both parsers are bounded, whatever the input: nesting deeper than [`MAX_DEPTH`] is refused
//! before it can exhaust the stack, a key given twice is an error (the second would silently
//! replace the first), and YAML aliases may not expand into more than [`MAX_ALIAS_NODES`] nodes
//! (a "billion laughs" document is a few hundred bytes that expand to gigabytes).

use crate::diagnostics::Diagnostic;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::fmt;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting of objects and arrays accepted. A schema nested 500 levels deep is about
/// 1,000 levels of JSON; twice that leaves room, and the generator's stack is sized for it.
pub const MAX_DEPTH: usize = 2_000;

/// Most nodes that YAML aliases may add to a document, all aliases together.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// JSON when the first meaningful character opens an object or array, YAML otherwise
/// (YAML is a superset of JSON, but JSON's parser gives better messages for JSON).
pub fn parse(text: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error("#", "the description is empty"));
    }
    if text.trim_start().starts_with(['{', '[']) {
        parse_json(text)
    } else {
        parse_yaml(text)
    }
}

fn parse_json(text: &str) -> Result<Value, Diagnostic> {
    check_json_depth(text)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // The depth was checked above, so serde_json's own limit (128) would only refuse what we accept.
    deserializer.disable_recursion_limit();
    let value = Strict.deserialize(&mut deserializer).and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|e| {
        // serde_json ends its message with the position, which the diagnostic shows on its own.
        let message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = message.strip_suffix(&suffix).unwrap_or(&message);
        // At the end of the text serde_json says column 0: the place is the start of that line.
        Diagnostic::error("#", format!("not valid JSON: {message}")).at_line(e.line(), e.column().max(1))
    })
}

/// Refuses JSON nested deeper than [`MAX_DEPTH`], by counting brackets outside strings.
fn check_json_depth(text: &str) -> Result<(), Diagnostic> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let (line, column) = crate::locate::line_column(text, offset);
                    return Err(too_deep().at_line(line, column));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn too_deep() -> Diagnostic {
    Diagnostic::error(
        "#",
        format!("objects and arrays are nested more than {MAX_DEPTH} levels deep here; no API description needs that"),
    )
}

/// Builds a [`Value`] like serde_json's own, but refuses a key that an object already has.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("the key `{key}` is given twice in one object")));
            }
            let value = map.next_value_seed(Strict)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A collection being built, with what it needs to be finished.
enum Frame {
    Sequence { items: Vec<Value>, anchor: usize, size: usize },
    Mapping { object: Map<String, Value>, key: Option<String>, anchor: usize, size: usize },
}

/// YAML -> value through the event parser, with an explicit stack instead of recursion.
/// Scalars resolve as serde_yaml resolves them (YAML 1.2 core schema), so the project's YAML reads
/// the same as it always has.
fn parse_yaml(text: &str) -> Result<Value, Diagnostic> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    // Anchor id -> the anchored value and its node count.
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut documents = 0usize;
    let mut root: Option<Value> = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let at = e.marker();
            Diagnostic::error("#", format!("not valid YAML: {}", e.info())).at_line(at.line(), at.col() + 1)
        })?;
        let error = |message: String| Diagnostic::error("#", message).at_line(mark.line(), mark.col() + 1);
        // A finished node: its value, its node count, and its anchor (0: none).
        let finished: (Value, usize, usize) = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(error("a description is one YAML document, and this is a second one".into()));
                }
                continue;
            }
            Event::SequenceStart(anchor, tag) => {
                refuse_tag(tag.as_ref(), &mark)?;
                push(&mut stack, Frame::Sequence { items: Vec::new(), anchor, size: 1 }, &mark)?;
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                refuse_tag(tag.as_ref(), &mark)?;
                push(&mut stack, Frame::Mapping { object: Map::new(), key: None, anchor, size: 1 }, &mark)?;
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Sequence { items, anchor, size }) => (Value::Array(items), size, anchor),
                _ => return Err(error("the YAML parser ended a sequence that was not open".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Mapping { object, anchor, size, .. }) => (Value::Object(object), size, anchor),
                _ => return Err(error("the YAML parser ended a mapping that was not open".into())),
            },
            Event::Scalar(text, style, anchor, tag) => (scalar(text, style, tag.as_ref(), &mark)?, 1, anchor),
            Event::Alias(id) => {
                let Some((value, size)) = anchors.get(&id) else {
                    return Err(error("this alias names no anchor defined before it".into()));
                };
                alias_nodes += size;
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(error(format!(
                        "YAML aliases here expand to more than {MAX_ALIAS_NODES} nodes (a \"billion laughs\" \
                         document?); write the repeated parts out, or use `$ref`"
                    )));
                }
                (value.clone(), *size, 0)
            }
        };
        let (value, size, anchor) = finished;
        if anchor != 0 {
            // The copy kept for later aliases costs as much as expanding one.
            alias_nodes += size;
            if alias_nodes > MAX_ALIAS_NODES {
                return Err(error(format!("YAML anchors and aliases here add more than {MAX_ALIAS_NODES} nodes")));
            }
            anchors.insert(anchor, (value.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Sequence { items, size: total, .. }) => {
                items.push(value);
                *total += size;
            }
            Some(Frame::Mapping { object, key, size: total, .. }) => match key.take() {
                None => {
                    let name = mapping_key(value, &mark)?;
                    if object.contains_key(&name) {
                        return Err(error(format!("the key `{name}` is given twice in one mapping")));
                    }
                    *key = Some(name);
                }
                Some(name) => {
                    object.insert(name, value);
                    *total += size;
                }
            },
        }
    }
    // An empty stream is a null document, as serde_yaml reads it.
    Ok(root.unwrap_or(Value::Null))
}

fn push(stack: &mut Vec<Frame>, frame: Frame, mark: &Marker) -> Result<(), Diagnostic> {
    if stack.len() >= MAX_DEPTH {
        return Err(too_deep().at_line(mark.line(), mark.col() + 1));
    }
    stack.push(frame);
    Ok(())
}

/// Keys are text: a scalar key keeps the text it was written with (`200:` is the key `"200"`).
fn mapping_key(key: Value, mark: &Marker) -> Result<String, Diagnostic> {
    match key {
        Value::String(text) => Ok(text),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok("null".to_owned()),
        Value::Array(_) | Value::Object(_) => Err(Diagnostic::error(
            "#",
            "a mapping key here is itself a sequence or mapping; keys in an API description are text",
        )
        .at_line(mark.line(), mark.col() + 1)),
    }
}

fn refuse_tag(tag: Option<&yaml_rust2::parser::Tag>, mark: &Marker) -> Result<(), Diagnostic> {
    match tag {
        Some(tag) if !is_core(tag, "map") && !is_core(tag, "seq") => Err(Diagnostic::error(
            "#",
            format!("the YAML tag `{}{}` is not supported; API descriptions use plain YAML", tag.handle, tag.suffix),
        )
        .at_line(mark.line(), mark.col() + 1)),
        _ => Ok(()),
    }
}

fn is_core(tag: &yaml_rust2::parser::Tag, name: &str) -> bool {
    (tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:") && tag.suffix == name
}

/// A scalar's value. Only plain (unquoted) scalars are resolved to null, booleans and numbers.
fn scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<&yaml_rust2::parser::Tag>,
    mark: &Marker,
) -> Result<Value, Diagnostic> {
    let plain = || resolve_plain(&text);
    let value = match tag {
        None if style == TScalarStyle::Plain => plain(),
        None => Value::String(text.clone()),
        Some(tag) if is_core(tag, "str") => Value::String(text.clone()),
        Some(tag) if is_core(tag, "null") || is_core(tag, "bool") || is_core(tag, "int") || is_core(tag, "float") => {
            let value = match tag.suffix.as_str() {
                "int" => parse_int(&text).map(Value::Number),
                "float" => parse_float(&text).map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
                _ => Some(plain()).filter(|v| if tag.suffix == "null" { v.is_null() } else { v.is_boolean() }),
            };
            match value {
                Some(value) => value,
                None => {
                    return Err(Diagnostic::error("#", format!("`{text}` is not a valid `!!{}`", tag.suffix))
                        .at_line(mark.line(), mark.col() + 1))
                }
            }
        }
        Some(other) => {
            refuse_tag(Some(other), mark)?;
            Value::String(text.clone())
        }
    };
    Ok(value)
}

/// serde_yaml's resolution of an untagged plain scalar.
fn resolve_plain(text: &str) -> Value {
    if text.is_empty() || matches!(text, "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return Value::Number(n);
    }
    if !leading_zero_digits(text) {
        if let Some(f) = parse_float(text) {
            return Number::from_f64(f).map_or(Value::Null, Value::Number);
        }
    }
    Value::String(text.to_owned())
}

/// Decimal, `0x`, `0o` and `0b` integers with an optional sign, as YAML 1.2 (and serde_yaml) read them.
fn parse_int(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.starts_with(['+', '-']) {
        return None;
    }
    let (radix, body) = if let Some(rest) = digits.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = digits.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = digits.strip_prefix("0b") {
        (2, rest)
    } else {
        if leading_zero_digits(text) {
            return None;
        }
        (10, digits)
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if !negative {
        return Some(magnitude.into());
    }
    if magnitude <= i64::MAX as u64 + 1 {
        // -(2^63) fits i64 although 2^63 does not.
        return (magnitude as i128).wrapping_neg().try_into().map(|v: i64| v.into()).ok();
    }
    None
}

fn parse_float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `0123`: digits after a leading zero are text in YAML 1.2, not an octal or decimal number.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML reader must agree with serde_yaml, which the project used before, on every scalar
    /// form a description may hold.
    #[test]
    fn yaml_scalars_resolve_as_serde_yaml_does() {
        let samples = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "FALSE",
            "yes",
            "no",
            "on",
            "0",
            "-0",
            "+1",
            "007",
            "-007",
            "0x1F",
            "-0x1F",
            "0o17",
            "0b101",
            "0x",
            "1.5",
            "-1.5e3",
            "+.5",
            ".inf",
            "-.Inf",
            ".nan",
            "1_000",
            "12:30",
            "1e400",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "'quoted'",
            "\"200\"",
            "2.0.0",
            "3.0.3",
            "v1",
            "abc",
            "[1, 2]",
            "{a: 1}",
            "|\n  text\n",
            "!!str 12",
            "!!int 12",
            "!!float 1",
        ];
        for sample in samples {
            let text = format!("key: {sample}\n");
            let ours = parse_yaml(&text).unwrap_or_else(|e| panic!("{sample:?}: {e}"));
            let theirs: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{sample:?}: {e}"));
            assert_eq!(ours, theirs, "{sample:?}");
        }
    }

    #[test]
    fn every_project_yaml_reads_as_serde_yaml_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![root.join("spec/zoom-users.yaml")];
        let fixtures = root.join("tests/fixtures/openapi");
        files.extend(std::fs::read_dir(fixtures).expect("fixtures exist").map(|e| e.expect("readable").path()));
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            let theirs: Value = serde_yaml::from_str(&text).expect("valid YAML");
            assert_eq!(parse(&text).expect("valid YAML"), theirs, "{}", file.display());
        }
    }

    #[test]
    fn keys_given_twice_are_errors_in_both_formats() {
        let yaml = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(yaml.to_string(), "error: # (line 3, column 1): the key `a` is given twice in one mapping");
        let json = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!(json.line_col, Some((2, 4)));
        assert!(json.message.contains("the key `a` is given twice"), "{json}");
    }

    /// Deep input recurses in serde_json (and in dropping values): run where `generate` runs, on
    /// a large stack.
    fn on_big_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new().stack_size(1 << 30).spawn(f).expect("thread").join().expect("no panic");
    }

    #[test]
    fn nesting_is_bounded() {
        on_big_stack(nesting_checks);
    }

    fn nesting_checks() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested more than"));
        let mut yaml = String::new();
        for level in 0..=MAX_DEPTH {
            yaml.push_str(&" ".repeat(level));
            yaml.push_str("a:\n");
        }
        assert!(parse(&yaml).unwrap_err().message.contains("nested more than"));
        let json = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&json).is_ok());
        assert!(parse(&yaml[..yaml.len() - MAX_DEPTH - 4]).is_ok());
    }

    #[test]
    fn aliases_are_expanded_within_a_budget() {
        let ok = parse("a: &x {b: 1}\nc: *x\n").expect("small aliases are fine");
        assert_eq!(ok["c"]["b"], 1);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 10].join(", ")));
        }
        assert!(parse(&bomb).unwrap_err().message.contains("billion laughs"));
    }
}
