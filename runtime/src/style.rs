//! Parameter values as the text they are sent as: OpenAPI's styles, and the plain scalars of form
//! fields and multipart text parts. Used by requests and multipart bodies alike.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

/// How a parameter's value is written on the wire: OpenAPI's `style` (with `explode`, given
/// beside it). Scalars are written alike in every style but `label` and `matrix`; lists and
/// objects differ.
///
/// | style | where | list `[a, b]` | object `{x: 1, y: 2}` (explode: false / true) |
/// |---|---|---|---|
/// | `Form` | query | `n=a,b` / `n=a&n=b` | `n=x,1,y,2` / `x=1&y=2` |
/// | `SpaceDelimited` | query | `n=a%20b` | `n=x%201%20y%202` |
/// | `PipeDelimited` | query | `n=a\|b` | `n=x\|1\|y\|2` |
/// | `DeepObject` | query | (not defined) | `n[x]=1&n[y]=2` |
/// | `Simple` | path, header | `a,b` | `x,1,y,2` / `x=1,y=2` |
/// | `Label` | path | `.a,b` / `.a.b` | `.x,1,y,2` / `.x=1.y=2` |
/// | `Matrix` | path | `;n=a,b` / `;n=a;n=b` | `;n=x,1,y,2` / `;x=1;y=2` |
///
/// Names and values are percent-encoded; the delimiters are not, so a `,` or `|` inside a value
/// stays distinguishable from one between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
    /// Not an OpenAPI style: a parameter described with `content: application/json`, sent as
    /// the value's JSON text (`n=%7B%22x%22%3A1%7D` in a query).
    Json,
}

/// A parameter value as the strings it is sent as: `None`/null gives none, a list one per item,
/// an object its JSON text.
pub(crate) fn scalars(value: &impl Serialize) -> Result<Vec<String>, serde_json::Error> {
    Ok(match serde_json::to_value(value)? {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(&other).into_iter().collect(),
    })
}

/// Bytes a query or form name or value keeps as they are (as `application/x-www-form-urlencoded`
/// writes them).
pub(crate) const URLENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'*');

/// A query name or value encoded; a space is `+`.
fn encode_query(text: &str) -> String {
    utf8_percent_encode(text, URLENCODED).to_string().replace("%20", "+")
}

/// A scalar as text: `None` for null, JSON text for what is not a scalar.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The query pairs of `value` (names and values percent-encoded) as `style` writes them.
pub(crate) fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
) -> Result<Vec<(String, String)>, String> {
    let key = encode_query(name);
    let enc = |v: &Value| scalar_text(v).map(|t| encode_query(&t));
    if style == Style::Json {
        return Ok(match value {
            Value::Null => Vec::new(),
            value => vec![(key, encode_query(&value.to_string()))],
        });
    }
    let delimiter = match style {
        Style::Form => ",",
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        Style::DeepObject => ",",
        _ => return Err(format!("style {style:?} is not one for query parameters")),
    };
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) if style == Style::DeepObject => {
            return Err(format!("a list cannot be written in deepObject style ({} items)", items.len()))
        }
        Value::Array(items) if explode => items.iter().filter_map(|v| Some((key.clone(), enc(v)?))).collect(),
        Value::Array(items) if items.is_empty() => Vec::new(),
        Value::Array(items) => {
            vec![(key, items.iter().filter_map(enc).collect::<Vec<_>>().join(delimiter))]
        }
        Value::Object(map) if style == Style::DeepObject => {
            let mut pairs = Vec::new();
            deep(&key, map, &mut pairs);
            pairs
        }
        Value::Object(map) if explode => map.iter().filter_map(|(k, v)| Some((encode_query(k), enc(v)?))).collect(),
        Value::Object(map) => {
            let items: Vec<String> =
                map.iter().filter_map(|(k, v)| Some(format!("{}{delimiter}{}", encode_query(k), enc(v)?))).collect();
            match items.is_empty() {
                true => Vec::new(),
                false => vec![(key, items.join(delimiter))],
            }
        }
        scalar => enc(scalar).map(|v| (key, v)).into_iter().collect(),
    })
}

/// `name[key]=value` for each property of an object, nested objects as `name[key][inner]`, lists
/// in them as `name[key][0]`.
fn deep(prefix: &str, map: &serde_json::Map<String, Value>, pairs: &mut Vec<(String, String)>) {
    fn one(key: String, value: &Value, pairs: &mut Vec<(String, String)>) {
        match value {
            Value::Null => {}
            Value::Object(inner) => deep(&key, inner, pairs),
            Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, item)| one(format!("{key}[{i}]"), item, pairs))
            }
            scalar => pairs.push((key, encode_query(&scalar_text(scalar).unwrap_or_default()))),
        }
    }
    for (k, v) in map {
        one(format!("{prefix}[{}]", encode_query(k)), v, pairs);
    }
}

/// A path or header value as `Simple`, `Label` or `Matrix` style writes it, each name and value
/// encoded with `set`.
pub(crate) fn expand(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    set: &'static AsciiSet,
) -> Result<String, String> {
    let enc = |text: &str| -> String { utf8_percent_encode(text, set).to_string() };
    let text = |v: &Value| scalar_text(v).map(|t| enc(&t));
    let name = enc(name);
    Ok(match (style, value) {
        (_, Value::Null) => String::new(),
        (Style::Json, value) => enc(&value.to_string()),
        (Style::Simple, Value::Array(items)) => items.iter().filter_map(text).collect::<Vec<_>>().join(","),
        (Style::Simple, Value::Object(map)) => pairs_of(map, &text, if explode { "=" } else { "," }).join(","),
        (Style::Simple, scalar) => text(scalar).unwrap_or_default(),
        (Style::Label, Value::Array(items)) => {
            let items: Vec<String> = items.iter().filter_map(text).collect();
            format!(".{}", items.join(if explode { "." } else { "," }))
        }
        (Style::Label, Value::Object(map)) => match explode {
            true => format!(".{}", pairs_of(map, &text, "=").join(".")),
            false => format!(".{}", pairs_of(map, &text, ",").join(",")),
        },
        (Style::Label, scalar) => format!(".{}", text(scalar).unwrap_or_default()),
        (Style::Matrix, Value::Array(items)) => {
            let items: Vec<String> = items.iter().filter_map(text).collect();
            match explode {
                true => items.iter().map(|item| format!(";{name}={item}")).collect(),
                false => format!(";{name}={}", items.join(",")),
            }
        }
        (Style::Matrix, Value::Object(map)) => match explode {
            true => pairs_of(map, &text, "=").iter().map(|pair| format!(";{pair}")).collect(),
            false => format!(";{name}={}", pairs_of(map, &text, ",").join(",")),
        },
        (Style::Matrix, scalar) => match text(scalar) {
            Some(v) if !v.is_empty() => format!(";{name}={v}"),
            _ => format!(";{name}"),
        },
        (style, _) => return Err(format!("style {style:?} is not one for paths or headers")),
    })
}

/// `key{between}value` for each property whose value is not null.
fn pairs_of(
    map: &serde_json::Map<String, Value>,
    text: &dyn Fn(&Value) -> Option<String>,
    between: &str,
) -> Vec<String> {
    map.iter().filter_map(|(k, v)| Some(format!("{}{between}{}", text(&Value::String(k.clone()))?, text(v)?))).collect()
}
