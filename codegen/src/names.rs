//! Rust names from the names a description uses: case conversion, keywords, and collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words Rust reserves (strict and reserved keywords of the 2021 edition, and `gen` of 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code relies on from the prelude; a schema may not shadow them.
const RESERVED_TYPES: &[&str] =
    &["Box", "Client", "Default", "Err", "None", "Ok", "Option", "Result", "Self", "Some", "String", "Vec"];

/// Names a request builder uses itself (its fields and methods), so no parameter may take them.
pub const BUILDER_NAMES: &[&str] = &[
    "client",
    "body",
    "options",
    "send",
    "send_raw",
    "header",
    "timeout",
    "retry_policy",
    "into_future",
    "into_stream",
    "into_pages",
];

/// Replaces everything that cannot stand in an identifier, keeping word boundaries.
fn clean(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect::<String>()
}

/// `user_info` -> `UserInfo`; never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = clean(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A word for a leading sign, which `clean` would drop: `+1` and `-1` (GitHub's reactions) must
/// not both become `1`.
fn sign_word(raw: &str) -> Option<&'static str> {
    match raw.chars().next() {
        Some('-') => Some("minus"),
        Some('+') => Some("plus"),
        _ => None,
    }
}

/// Longest name [`inline_type_name`] gives.
pub const MAX_INLINE_TYPE_NAME: usize = 80;

/// A type name for an inline schema, built from where it stands (`UserSettingsFeature`). Deep
/// nesting would make such names grow with every level, and the output with the square of the
/// depth; past [`MAX_INLINE_TYPE_NAME`] the name keeps its first word (the owner) and as many of its
/// last words (the nearest places) as fit.
pub fn inline_type_name(hint: &str) -> String {
    let name = type_name(hint);
    if name.len() <= MAX_INLINE_TYPE_NAME {
        return name;
    }
    let starts: Vec<usize> = name.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(i, _)| i).collect();
    let first_end = starts.get(1).copied().unwrap_or(name.len()).min(MAX_INLINE_TYPE_NAME / 2);
    let room = MAX_INLINE_TYPE_NAME - first_end;
    let tail_start =
        starts.iter().copied().find(|&i| i >= first_end && name.len() - i <= room).unwrap_or(name.len() - room);
    format!("{}{}", &name[..first_end], &name[tail_start..])
}

/// `userId` -> `user_id`, `type` -> `type_`, `-1` -> `minus_1`; never empty, never starting with a
/// digit.
pub fn field_name(raw: &str) -> String {
    let mut name = clean(raw).to_snake_case();
    if let Some(sign) = sign_word(raw) {
        name = if name.is_empty() { sign.to_owned() } else { format!("{sign}_{name}") };
    }
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Enum variant for a value: `meeting_security` -> `MeetingSecurity`, `"1"` -> `V1`, `-1` -> `Minus1`.
pub fn variant_name(raw: &str) -> String {
    let mut name = clean(raw).to_upper_camel_case();
    if let Some(sign) = sign_word(raw) {
        name.insert_str(0, &sign.to_upper_camel_case());
    }
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Unknown" || name == "Self" {
        name.push_str("Value");
    }
    name
}

/// Hands out names unique within one scope: a taken name gets the lowest free numeric suffix,
/// so the result depends only on the order of requests.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: names.into_iter().map(str::to_owned).collect() }
    }

    /// Returns `wanted` if free, else `wanted2`, `wanted3`, ... (`wanted_2` for snake-case names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        // `user_id` -> `user_id_2`, `User` -> `User2`; an escaped keyword (`self_`) has its underscore.
        let snake = wanted.contains('_') || wanted.chars().all(|c| !c.is_ascii_uppercase());
        let sep = if snake && !wanted.ends_with('_') { "_" } else { "" };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_escapes_keywords() {
        assert_eq!(type_name("user_info"), "UserInfo");
        assert_eq!(type_name("2fa settings"), "T2faSettings");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(field_name("userId"), "user_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("1st"), "n_1st");
        assert_eq!(field_name("@odata.type"), "odata_type");
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(variant_name("+1"), "Plus1");
        let deep: String = (0..100).map(|i| format!("_level{i}")).collect();
        let short = inline_type_name(&format!("Owner{deep}"));
        assert!(
            short.len() <= MAX_INLINE_TYPE_NAME && short.starts_with("Owner") && short.ends_with("Level99"),
            "{short}"
        );
        assert_eq!(variant_name("meeting_security"), "MeetingSecurity");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("unknown"), "UnknownValue");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn collisions_get_deterministic_suffixes() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("user_id"), "user_id");
        assert_eq!(scope.claim("user_id"), "user_id_2");
        assert_eq!(scope.claim("user_id"), "user_id_3");
        assert_eq!(scope.claim("self_"), "self_");
        assert_eq!(scope.claim("self_"), "self_2");
        assert_eq!(scope.claim("User"), "User");
        assert_eq!(scope.claim("User"), "User2");
    }
}
