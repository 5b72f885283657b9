//! Writing generated files into a directory: all of them or none.
//!
//! Files are written to a fresh sibling directory first, which then replaces the target with two
//! renames, so a failure or a kill at any point leaves either the old output or the new one.

use crate::render::RenderedFile;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a write changed, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

/// Compares `files` with what is in `dir` now, without writing.
pub fn diff(dir: &Path, files: &[RenderedFile]) -> io::Result<Changes> {
    let mut changes = Changes::default();
    for file in files {
        match fs::read_to_string(dir.join(&file.name)) {
            Ok(old) if old == file.text => changes.unchanged.push(file.name.clone()),
            Ok(_) => changes.written.push(file.name.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => changes.written.push(file.name.clone()),
            Err(e) => return Err(e),
        }
    }
    if dir.is_dir() {
        let mut stale: Vec<String> = fs::read_dir(dir)?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| !files.iter().any(|f| &f.name == name))
            .collect();
        stale.sort();
        changes.removed = stale;
    }
    Ok(changes)
}

/// Makes `dir` hold exactly `files`.
pub fn write(dir: &Path, files: &[RenderedFile]) -> io::Result<Changes> {
    let changes = diff(dir, files)?;
    if changes.written.is_empty() && changes.removed.is_empty() {
        return Ok(changes);
    }
    let staging = sibling(dir, "new");
    let previous = sibling(dir, "old");
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    fs::create_dir_all(&staging)?;
    for file in files {
        fs::write(staging.join(&file.name), &file.text)?;
    }
    if dir.exists() {
        fs::rename(dir, &previous)?;
    }
    fs::rename(&staging, dir)?;
    if previous.exists() {
        fs::remove_dir_all(&previous)?;
    }
    Ok(changes)
}

/// `generated` -> `.generated.new` beside it: same file system, so renames are atomic.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!(".{name}.{suffix}"))
}
