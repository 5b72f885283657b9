//! JSON pointer -> line and column in the text it points into, so every message can say where to
//! look in the file. Loaders work on parsed values, which have no lines; this reads the text again,
//! once for all diagnostics, and only when there are diagnostics.
//!
//! A pointer lands on the key of its last segment (or the start of an array item). A pointer to
//! something absent (a missing `requestBody`) lands on its deepest ancestor that is there.

use crate::diagnostics::Diagnostic;
use yaml_rust2::parser::{Event, Parser};

/// Fills in the line and column of every diagnostic that has none and points into `text`.
pub fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    let wanted: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| diagnostics[i].line_col.is_none() && diagnostics[i].pointer.len() > 1)
        .collect();
    if wanted.is_empty() {
        return;
    }
    let wanted_segments: Vec<Vec<String>> = wanted.iter().map(|&i| segments(&diagnostics[i].pointer)).collect();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The same test the parser makes (load/document.rs).
    let found: Vec<Option<(usize, usize)>> = if text.trim_start().starts_with(['{', '[']) {
        let mut matcher = Matcher::new(wanted_segments);
        scan_json(text, &mut matcher);
        // Columns are counted only for the places found: counting at every token is quadratic on
        // long lines (minified JSON is one line).
        matcher
            .best
            .iter()
            .map(|p| p.map(|(line, start, offset)| (line, text[start..offset].chars().count() + 1)))
            .collect()
    } else {
        let mut matcher = Matcher::new(wanted_segments);
        scan_yaml(text, &mut matcher);
        matcher.best
    };
    for (slot, &i) in wanted.iter().enumerate() {
        diagnostics[i].line_col = found[slot];
    }
}

/// `#/paths/~1users/get` -> `["paths", "/users", "get"]`. A `?` (a place serde could not name)
/// ends the pointer.
fn segments(pointer: &str) -> Vec<String> {
    pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .take_while(|s| *s != "?")
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Follows the document's current path and remembers, per wanted pointer, where the deepest part
/// of it seen so far starts (as `P`, turned into line and column only at the end).
struct Matcher<P> {
    wanted: Vec<Vec<String>>,
    /// How many leading segments of each wanted pointer the current path matches.
    matched: Vec<usize>,
    /// The deepest match seen for each, and where it starts.
    best_depth: Vec<usize>,
    best: Vec<Option<P>>,
}

impl<P: Copy> Matcher<P> {
    fn new(wanted: Vec<Vec<String>>) -> Self {
        let n = wanted.len();
        Self { wanted, matched: vec![0; n], best_depth: vec![0; n], best: vec![None; n] }
    }

    /// The current path now has `segment` at `depth` (1-based), starting at `at`.
    fn enter(&mut self, depth: usize, segment: &str, at: P) {
        for i in 0..self.wanted.len() {
            // A sibling replaces whatever was matched at this depth or below.
            if self.matched[i] >= depth {
                self.matched[i] = depth - 1;
            }
            if self.matched[i] == depth - 1 && self.wanted[i].get(depth - 1).is_some_and(|s| s == segment) {
                self.matched[i] = depth;
                if depth > self.best_depth[i] {
                    self.best_depth[i] = depth;
                    self.best[i] = Some(at);
                }
            }
        }
    }
}

enum Container {
    Object { key: Option<String> },
    Array { index: usize },
}

/// A place in JSON text: line, byte offset of the line's start, byte offset.
type JsonPos = (usize, usize, usize);

/// Walks JSON text token by token (no values are built), tracking lines.
fn scan_json(text: &str, matcher: &mut Matcher<JsonPos>) {
    let bytes = text.as_bytes();
    let mut stack: Vec<Container> = Vec::new();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b':' => {
                i += 1;
                continue;
            }
            b',' => {
                if let Some(Container::Object { key }) = stack.last_mut() {
                    *key = None;
                }
                i += 1;
                continue;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                continue;
            }
            _ => {}
        }
        // A value starts here, or a key.
        let at = (line, line_start, i);
        let is_key = matches!(stack.last(), Some(Container::Object { key: None }));
        if byte == b'"' {
            let end = string_end(bytes, i);
            if is_key {
                let key: String = serde_json::from_str(&text[i..end]).unwrap_or_default();
                matcher.enter(stack.len(), &key, at);
                if let Some(Container::Object { key: slot }) = stack.last_mut() {
                    *slot = Some(key);
                }
                i = end;
                continue;
            }
            enter_item(&mut stack, matcher, at);
            i = end;
            continue;
        }
        enter_item(&mut stack, matcher, at);
        match byte {
            b'{' => stack.push(Container::Object { key: None }),
            b'[' => stack.push(Container::Array { index: 0 }),
            _ => {
                // A number or literal: skip to the next delimiter.
                while i + 1 < bytes.len() && !matches!(bytes[i + 1], b',' | b'}' | b']' | b'\n' | b' ' | b'\r' | b'\t')
                {
                    i += 1;
                }
            }
        }
        i += 1;
    }
}

/// A value starts: inside an array it is the next item (object values were entered by their key).
fn enter_item(stack: &mut [Container], matcher: &mut Matcher<JsonPos>, at: JsonPos) {
    let depth = stack.len();
    if let Some(Container::Array { index }) = stack.last_mut() {
        matcher.enter(depth, &index.to_string(), at);
        *index += 1;
    }
}

/// The byte after the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

enum YamlContainer {
    Mapping { expecting_key: bool },
    Sequence { index: usize },
}

/// Walks YAML events (aliases are not expanded: what they stand for is located at its anchor).
fn scan_yaml(text: &str, matcher: &mut Matcher<(usize, usize)>) {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<YamlContainer> = Vec::new();
    while let Ok((event, mark)) = parser.next_token() {
        let at = (mark.line(), mark.col() + 1);
        let depth = stack.len();
        // Whether this event starts a node, and if so whether it is a mapping key.
        let starts_node =
            matches!(event, Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_));
        if starts_node {
            match stack.last_mut() {
                Some(YamlContainer::Mapping { expecting_key }) => {
                    if *expecting_key {
                        if let Event::Scalar(key, ..) = &event {
                            matcher.enter(depth, key, at);
                        }
                    }
                    *expecting_key = !*expecting_key;
                }
                Some(YamlContainer::Sequence { index }) => {
                    matcher.enter(depth, &index.to_string(), at);
                    *index += 1;
                }
                None => {}
            }
        }
        match event {
            Event::MappingStart(..) => stack.push(YamlContainer::Mapping { expecting_key: true }),
            Event::SequenceStart(..) => stack.push(YamlContainer::Sequence { index: 0 }),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
}

/// 1-based line and column (in characters) of a byte offset of `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let mut d = [Diagnostic::error(pointer, "x")];
        locate(text, &mut d);
        d[0].line_col
    }

    #[test]
    fn yaml_pointers_land_on_their_key() {
        let text = "openapi: 3.0.3\npaths:\n  /users:\n    post:\n      tags: [a, b]\n      responses: {}\n";
        assert_eq!(at(text, "#/paths/~1users/post"), Some((4, 5)));
        assert_eq!(at(text, "#/paths/~1users/post/tags/1"), Some((5, 17)));
        // Absent: the deepest ancestor that exists.
        assert_eq!(at(text, "#/paths/~1users/post/requestBody"), Some((4, 5)));
        assert_eq!(at(text, "#/components"), None);
    }

    #[test]
    fn json_pointers_land_on_their_key() {
        let text = "{\n  \"paths\": {\n    \"/a\": {\"get\": {\"x\": [1, {\"y\": 2}]}}\n  }\n}";
        assert_eq!(at(text, "#/paths/~1a/get"), Some((3, 12)));
        assert_eq!(at(text, "#/paths/~1a/get/x/1/y"), Some((3, 30)));
        assert_eq!(at(text, "#/paths/~1a/put"), Some((3, 5)));
    }
}
