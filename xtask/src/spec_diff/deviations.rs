//! The "Intended deviations" list of `spec/README.md`, read as locations that excuse differences.
//!
//! Each entry is a line starting with `- `. Its head, the text before the first `:` outside code
//! spans, holds its locations, each in its own code span:
//!
//! | location | covers |
//! |---|---|
//! | `GET /users` | the operation itself: its presence, its `operationId` |
//! | `GET /users parameter status` | that parameter, wherever it is (`query`, `path`, …) |
//! | `GET /users response` | the answers as a whole: success status codes, media types |
//! | `GET /users response users[].email` | that property path |
//! | `GET /users response users[].*` | `users` and every path below it (`*` alone: every path) |
//!
//! A location may end with kinds in parentheses, `(format, enum)`, and then covers only those
//! kinds of difference. Some kinds name what `spec-diff` does not compare (see [`UNCOMPARED`]);
//! they let an entry say precisely what it is about without ever matching. A code span that does
//! not start with an HTTP method (`components/securitySchemes`) is a location outside the
//! operations and is not checked.

use super::compare::{Difference, Kind, Place, Side};
use std::fmt;

/// Kinds a location may name that no comparison produces: constraints (lengths, ranges, item
/// counts), examples, headers, and how compositions are arranged.
pub const UNCOMPARED: [&str; 4] = ["constraint", "example", "header", "structure"];

const METHODS: [&str; 8] = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Operation,
    Parameter(String),
    Body(Side),
    Property {
        side: Side,
        path: String,
    },
    /// `path.*`: the path and everything below it; an empty path is the whole body.
    Below {
        side: Side,
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line of the entry in the file.
    pub line: usize,
    /// As written in the code span.
    pub text: String,
    /// `GET /users`.
    pub operation: String,
    pub target: Target,
    /// Kind names the location is narrowed to; empty covers every kind.
    pub kinds: Vec<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` (line {})", self.text, self.line)
    }
}

impl Location {
    pub fn covers(&self, difference: &Difference) -> bool {
        if self.operation != difference.operation
            || !(self.kinds.is_empty() || self.kinds.iter().any(|k| k == difference.kind.name()))
        {
            return false;
        }
        match (&self.target, &difference.place) {
            (Target::Operation, Place::Operation) => true,
            (Target::Parameter(name), Place::Parameter { name: found, .. }) => name == found,
            (Target::Body(side), Place::Body(found)) => side == found,
            (Target::Property { side, path }, Place::Property { side: s, path: p }) => side == s && path == p,
            (Target::Below { side, path }, Place::Property { side: s, path: p }) => {
                side == s
                    && (path.is_empty()
                        || p.strip_prefix(path.as_str()).is_some_and(|rest| {
                            rest.is_empty() || rest.starts_with('.') || rest.starts_with("[]") || rest.starts_with("{}")
                        }))
            }
            _ => false,
        }
    }

    /// Whether some difference could ever match: false when every kind named is one not compared.
    pub fn checkable(&self) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| !UNCOMPARED.contains(&k.as_str()))
    }
}

/// The locations of every entry in the markdown section whose heading contains "Intended
/// deviations". Errors name the line.
pub fn parse(markdown: &str) -> Result<Vec<Location>, String> {
    let mut lines = markdown.lines().enumerate().map(|(i, l)| (i + 1, l));
    let level = loop {
        let Some((_, line)) = lines.next() else {
            return Err("no heading containing \"Intended deviations\"".into());
        };
        if let Some(level) = heading_level(line).filter(|_| line.contains("Intended deviations")) {
            break level;
        }
    };

    let mut entries: Vec<(usize, String)> = Vec::new();
    let mut fenced = false;
    let mut in_entry = false;
    for (number, line) in lines {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            in_entry = false;
            continue;
        }
        if fenced {
            continue;
        }
        if heading_level(line).is_some_and(|l| l <= level) {
            break;
        }
        if let Some(entry) = line.strip_prefix("- ") {
            entries.push((number, entry.to_owned()));
            in_entry = true;
        } else if in_entry && line.starts_with(' ') && !line.trim().is_empty() {
            // A wrapped entry: its continuation belongs to the same text.
            let last = entries.last_mut().map(|e| &mut e.1);
            last.into_iter().for_each(|text| {
                text.push(' ');
                text.push_str(line.trim());
            });
        } else {
            in_entry = false;
        }
    }

    let mut locations = Vec::new();
    for (line, entry) in entries {
        let spans = head_spans(&entry)
            .ok_or_else(|| format!("line {line}: an entry starts with its locations in code spans, then a colon"))?;
        for span in spans {
            let first = span.split_whitespace().next().unwrap_or("");
            if METHODS.contains(&first) {
                locations.push(location(line, span).map_err(|e| format!("line {line}: `{span}`: {e}"))?);
            }
        }
    }
    Ok(locations)
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|&c| c == '#').count();
    (level > 0 && line[level..].starts_with(' ')).then_some(level)
}

/// The code spans before the first colon outside code spans; `None` without such a colon.
fn head_spans(entry: &str) -> Option<Vec<&str>> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in entry.char_indices() {
        match (c, open) {
            ('`', None) => open = Some(at + 1),
            ('`', Some(start)) => {
                spans.push(&entry[start..at]);
                open = None;
            }
            (':', None) => return Some(spans),
            _ => {}
        }
    }
    None
}

fn location(line: usize, text: &str) -> Result<Location, String> {
    let (body, kinds) = match text.trim_end().strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        Some((body, kinds)) => (body, kinds.split(',').map(|k| k.trim().to_owned()).collect::<Vec<_>>()),
        None => (text, Vec::new()),
    };
    for kind in &kinds {
        if !Kind::ALL.iter().any(|k| k.name() == kind) && !UNCOMPARED.contains(&kind.as_str()) {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).chain(UNCOMPARED).collect();
            return Err(format!("unknown kind `{kind}`; known: {}", known.join(", ")));
        }
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let (operation, rest) = match words.as_slice() {
        [method, path, rest @ ..] if path.starts_with('/') => (format!("{method} {path}"), rest),
        _ => return Err("expected `METHOD /path`, then what in the operation".into()),
    };
    let side = |word: &str| match word {
        "request" => Some(Side::Request),
        "response" => Some(Side::Response),
        _ => None,
    };
    let expected = "after the operation: nothing, `parameter NAME`, `request [PATH]` or `response [PATH]`";
    let target = match rest {
        [] => Target::Operation,
        ["parameter", name] => Target::Parameter((*name).to_owned()),
        [word, path @ ..] if path.len() <= 1 => {
            let side = side(word).ok_or(expected)?;
            match path.first() {
                None => Target::Body(side),
                Some(path) => match path.strip_suffix('*') {
                    Some(prefix) => Target::Below { side, path: prefix.trim_end_matches('.').to_owned() },
                    None => Target::Property { side, path: (*path).to_owned() },
                },
            }
        }
        _ => return Err(expected.into()),
    };
    Ok(Location { line, text: text.to_owned(), operation, target, kinds })
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "\
# Spec

- `GET /users response ignored`: a list outside the section.

## Intended deviations

How entries are read:

```text
- `GET /users response fenced`: an example, not an entry
```

- `components/securitySchemes`: outside the operations.
- `GET /users/{userId}/pac response pac_accounts[].conference_id`, `GET /users parameter status (enum, default)`: two
  locations; the colon inside `a: b` comes after the head.
- `PATCH /users/{userId}/settings request * (extra)`: every path the update has beyond theirs.
- `PUT /users/{userId}/status response (status)`: answers.
- `GET /users/{userId}/token parameter type (constraint)`: never compared.

## Checking

- `GET /users response after`: another section.
";

    fn difference(operation: &str, place: Place, kind: Kind) -> Difference {
        Difference { operation: operation.into(), place, kind, ours: String::new(), theirs: String::new(), note: None }
    }

    fn property(side: Side, path: &str) -> Place {
        Place::Property { side, path: path.into() }
    }

    #[test]
    fn reads_only_the_heads_of_entries_in_the_section() {
        let locations = parse(README).unwrap();
        let found: Vec<(usize, &str)> = locations.iter().map(|l| (l.line, l.text.as_str())).collect();
        assert_eq!(
            found,
            [
                (14, "GET /users/{userId}/pac response pac_accounts[].conference_id"),
                (14, "GET /users parameter status (enum, default)"),
                (16, "PATCH /users/{userId}/settings request * (extra)"),
                (17, "PUT /users/{userId}/status response (status)"),
                (18, "GET /users/{userId}/token parameter type (constraint)"),
            ]
        );
        assert_eq!(locations[1].kinds, ["enum", "default"]);
        assert_eq!(locations[2].target, Target::Below { side: Side::Request, path: String::new() });
        assert!(!locations[4].checkable());
    }

    #[test]
    fn a_location_covers_its_place_and_kinds_only() {
        let locations = parse(README).unwrap();
        let pac =
            difference("GET /users/{userId}/pac", property(Side::Response, "pac_accounts[].conference_id"), Kind::Type);
        assert!(locations[0].covers(&pac));
        let sibling = difference("GET /users/{userId}/pac", property(Side::Response, "pac_accounts[].id"), Kind::Type);
        assert!(!locations.iter().any(|l| l.covers(&sibling)));

        let status = Place::Parameter { name: "status".into(), location: "query".into() };
        assert!(locations[1].covers(&difference("GET /users", status.clone(), Kind::Enum)));
        assert!(!locations[1].covers(&difference("GET /users", status, Kind::Type)));

        let settings = "PATCH /users/{userId}/settings";
        assert!(locations[2].covers(&difference(settings, property(Side::Request, "whiteboard.enable"), Kind::Extra)));
        assert!(!locations[2].covers(&difference(settings, property(Side::Request, "whiteboard"), Kind::Missing)));
        assert!(!locations[2].covers(&difference(settings, property(Side::Response, "whiteboard"), Kind::Extra)));

        let answers = difference("PUT /users/{userId}/status", Place::Body(Side::Response), Kind::Status);
        assert!(locations[3].covers(&answers));
    }

    #[test]
    fn below_matches_whole_segments() {
        let location = location(1, "GET /a response phones.*").unwrap();
        let at = |path: &str| difference("GET /a", property(Side::Response, path), Kind::Missing);
        assert!(location.covers(&at("phones")));
        assert!(location.covers(&at("phones[].number")));
        assert!(location.covers(&at("phones.count")));
        assert!(!location.covers(&at("phones_extra")));
    }

    #[test]
    fn malformed_entries_are_errors_naming_the_line() {
        let readme = "## Intended deviations\n\n- `GET /users answer x`: wrong word.\n";
        assert_eq!(
            parse(readme).unwrap_err(),
            "line 3: `GET /users answer x`: after the operation: nothing, `parameter NAME`, `request [PATH]` or `response [PATH]`"
        );
        let readme = "## Intended deviations\n\n- `GET /users response x (typo)`: unknown kind.\n";
        assert!(parse(readme).unwrap_err().starts_with("line 3: `GET /users response x (typo)`: unknown kind `typo`"));
        let readme = "## Intended deviations\n\n- `GET /users` has no colon\n";
        assert_eq!(
            parse(readme).unwrap_err(),
            "line 3: an entry starts with its locations in code spans, then a colon"
        );
        assert_eq!(parse("# Nothing here\n").unwrap_err(), "no heading containing \"Intended deviations\"");
    }
}
