//! The descriptions generated from: the project's spec, Zoom's own description when it is beside
//! the repository, and GitHub's public description (fetched with `npm pack`, kept under
//! `target/`, never committed), whole and cut to its first operations for the size chart.
//!
//! progenitor refuses `multipart/form-data` request bodies, so each description with such
//! operations also gets a copy without them, in the same format, for progenitor (and for our
//! generator and the parse floor, so the comparison is on the same document).

use super::process;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const OCTOKIT_PACKAGE: &str = "@octokit/openapi@23.0.2";
const OCTOKIT_TARBALL: &str = "octokit-openapi-23.0.2.tgz";
const GITHUB_MEMBER: &str = "package/generated/api.github.com.json";

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One description as a contender is given it.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub operations: usize,
}

/// One description and, when it has uploads, its copy without them.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Short name used in folders and in the report: `zoom-users`, `github-300`.
    pub key: String,
    /// What it is, for the report.
    pub title: String,
    pub full: Document,
    /// The copy without `multipart/form-data` operations, and the operations left out.
    pub without_multipart: Option<(Document, Vec<String>)>,
    /// Whether it is drawn in the size chart.
    pub charted: bool,
}

impl Spec {
    /// Reads `path`, counts its operations, and writes the copy without uploads under `work` when
    /// it has any.
    pub fn prepare(key: &str, title: &str, path: &Path, work: &Path, charted: bool) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let yaml = !text.trim_start().starts_with('{');
        let document = parse(&text, yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        let full = Document { path: path.to_owned(), operations: count_operations(&document) };
        let uploads = multipart_operations(&document);
        let without_multipart = if uploads.is_empty() {
            None
        } else {
            let stripped = remove_operations(&document, &uploads);
            let extension = if yaml { "yaml" } else { "json" };
            let copy = work.join(format!("{key}.no-multipart.{extension}"));
            write(&copy, &stripped, yaml)?;
            let names = uploads.iter().map(|(path, method)| format!("{} {path}", method.to_uppercase())).collect();
            Some((Document { path: copy, operations: count_operations(&stripped) }, names))
        };
        Ok(Spec { key: key.to_owned(), title: title.to_owned(), full, without_multipart, charted })
    }
}

fn parse(text: &str, yaml: bool) -> Result<Value, String> {
    if yaml {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

fn write(path: &Path, document: &Value, yaml: bool) -> Result<(), String> {
    let text = if yaml {
        serde_yaml::to_string(document).map_err(|e| e.to_string())?
    } else {
        serde_json::to_string_pretty(document).map_err(|e| e.to_string())?
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn operations(document: &Value) -> impl Iterator<Item = (&String, &str, &Value)> {
    document.get("paths").and_then(Value::as_object).into_iter().flatten().flat_map(|(path, item)| {
        METHODS.iter().filter_map(move |&method| item.get(method).map(|op| (path, method, op)))
    })
}

pub fn count_operations(document: &Value) -> usize {
    operations(document).count()
}

/// `(path, method)` of every operation whose request body can be `multipart/form-data`.
fn multipart_operations(document: &Value) -> Vec<(String, String)> {
    operations(document)
        .filter(|(_, _, op)| {
            let mut body = op.get("requestBody");
            if let Some(target) = body.and_then(|b| b.get("$ref")).and_then(Value::as_str) {
                body = target.strip_prefix('#').and_then(|pointer| document.pointer(pointer));
            }
            body.and_then(|b| b.get("content")).and_then(Value::as_object).is_some_and(|c| {
                c.keys().any(|media| media.split(';').next().unwrap_or_default().trim() == "multipart/form-data")
            })
        })
        .map(|(path, method, _)| (path.clone(), method.to_owned()))
        .collect()
}

fn remove_operations(document: &Value, remove: &[(String, String)]) -> Value {
    let mut document = document.clone();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, method) in remove {
            if let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) {
                item.remove(method);
            }
        }
        // A path left with no operation would be an empty item; drop it.
        paths.retain(|_, item| METHODS.iter().any(|m| item.get(*m).is_some()));
    }
    document
}

/// The description cut to its first operations (whole path items, in document order, until at
/// least `wanted`), with only the components those operations reach, directly or not.
pub fn first_operations(document: &Value, wanted: usize) -> Value {
    let mut cut = document.clone();
    let Some(object) = cut.as_object_mut() else { return cut };
    let mut kept = Map::new();
    let mut count = 0;
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        if count >= wanted {
            break;
        }
        count += METHODS.iter().filter(|m| item.get(**m).is_some()).count();
        kept.insert(path.clone(), item.clone());
    }
    object.insert("paths".into(), Value::Object(kept));
    object.retain(|key, _| !key.starts_with("x-webhooks") && key != "webhooks");

    // Components reached from the kept paths, following references through components.
    let mut reached = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    collect_refs(object.get("paths").unwrap_or(&Value::Null), &mut queue);
    while let Some(reference) = queue.pop_front() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = reference.strip_prefix('#').and_then(|p| document.pointer(p)) {
            collect_refs(target, &mut queue);
        }
    }
    if let Some(components) = object.get_mut("components").and_then(Value::as_object_mut) {
        for (section, entries) in components.iter_mut() {
            // Security schemes are named by `security`, not referenced: keep them all.
            if section == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| {
                    reached.contains(&format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1")))
                });
            }
        }
    }
    cut
}

fn collect_refs(value: &Value, out: &mut VecDeque<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.push_back(reference.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// GitHub's description: `npm pack` of the pinned package into `dir`, reused when already there.
pub fn github(dir: &Path) -> Result<PathBuf, String> {
    let spec = dir.join(GITHUB_MEMBER);
    if spec.is_file() {
        return Ok(spec);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let log = dir.join("npm-pack.log");
    let timeout = Duration::from_secs(300);
    if !dir.join(OCTOKIT_TARBALL).is_file() {
        eprintln!("bench: fetching GitHub's description (npm pack {OCTOKIT_PACKAGE})");
        process::run(Command::new("npm").args(["pack", "--silent", OCTOKIT_PACKAGE]).current_dir(dir), timeout, &log)
            .map_err(|e| format!("`npm pack {OCTOKIT_PACKAGE}` failed: {e}"))?;
    }
    process::run(Command::new("tar").args(["-xzf", OCTOKIT_TARBALL, GITHUB_MEMBER]).current_dir(dir), timeout, &log)
        .map_err(|e| format!("cannot unpack {OCTOKIT_TARBALL}: {e}"))?;
    Ok(spec)
}

/// GitHub's description cut to about `wanted` operations, written beside it.
pub fn github_subset(github: &Path, wanted: usize, dir: &Path) -> Result<PathBuf, String> {
    let out = dir.join(format!("github-first-{wanted}.json"));
    if out.is_file() {
        return Ok(out);
    }
    let text = std::fs::read_to_string(github).map_err(|e| format!("cannot read {}: {e}", github.display()))?;
    let document: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", github.display()))?;
    write(&out, &first_operations(&document, wanted), false)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {
                    "get": { "responses": { "200": { "$ref": "#/components/responses/A" } } },
                    "post": { "requestBody": { "content": { "multipart/form-data": {} } } }
                },
                "/b": { "post": { "requestBody": { "$ref": "#/components/requestBodies/Upload" } } },
                "/c": { "get": { "responses": { "200": { "description": "c" } } } }
            },
            "components": {
                "responses": { "A": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } } } },
                "schemas": { "A": { "properties": { "b": { "$ref": "#/components/schemas/B" } } }, "B": {}, "Unused": {} },
                "requestBodies": { "Upload": { "content": { "multipart/form-data; boundary=x": {} } } },
                "securitySchemes": { "bearer": { "type": "http" } }
            }
        })
    }

    #[test]
    fn uploads_are_found_inline_and_by_reference_and_removed() {
        let document = sample();
        let uploads = multipart_operations(&document);
        assert_eq!(uploads, vec![("/a".to_owned(), "post".to_owned()), ("/b".to_owned(), "post".to_owned())]);
        let stripped = remove_operations(&document, &uploads);
        assert_eq!(count_operations(&stripped), 2);
        assert!(stripped.pointer("/paths/~1b").is_none(), "a path with no operation left is dropped");
    }

    #[test]
    fn a_cut_keeps_whole_paths_and_the_components_they_reach() {
        let cut = first_operations(&sample(), 1);
        assert_eq!(count_operations(&cut), 2, "the first path item has two operations");
        let schemas = cut.pointer("/components/schemas").and_then(Value::as_object).unwrap();
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["A", "B"]);
        assert!(cut.pointer("/components/securitySchemes/bearer").is_some());
        assert!(cut.pointer("/components/requestBodies/Upload").is_none());
    }
}
