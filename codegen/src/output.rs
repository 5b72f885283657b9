//! Writing generated files into a directory: all of them or none.
//!
//! Files are written (and synced) into a fresh sibling directory, `.NAME.new`, which then takes the
//! target's place. On Linux the two directories are exchanged in one `renameat2(RENAME_EXCHANGE)`,
//! so the target path always holds a complete output, the old or the new. Elsewhere (or on a file
//! system without exchange) the target is first renamed to `.NAME.old`; a kill between that rename
//! and the next leaves no target, and the next run puts `.NAME.old` back before anything else
//! ([`recover`]). Either way, a failure or a kill at any point leaves the previous output whole.

use crate::render::RenderedFile;
use std::fs;
use std::io::{self, Write as _};
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
        match fs::read(dir.join(&file.name)) {
            Ok(old) if old == file.text.as_bytes() => changes.unchanged.push(file.name.clone()),
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

/// What an interrupted earlier write left beside `dir`, described for a message; `None` when
/// nothing is left.
pub fn leftovers(dir: &Path) -> Option<String> {
    let (staging, previous) = (sibling(dir, "new"), sibling(dir, "old"));
    match (dir.exists(), previous.exists(), staging.exists()) {
        (false, true, _) => {
            Some(format!("{} is missing and {} holds the previous output", dir.display(), previous.display()))
        }
        (_, true, _) | (_, _, true) => {
            Some(format!("an interrupted generation left {} or {}", staging.display(), previous.display()))
        }
        _ => None,
    }
}

/// Finishes or undoes what an interrupted write left: the previous output goes back in place if
/// the target is missing, and staging directories are removed.
pub fn recover(dir: &Path) -> io::Result<()> {
    let (staging, previous) = (sibling(dir, "new"), sibling(dir, "old"));
    if previous.exists() {
        if dir.exists() {
            // Killed after the swap, before the clean-up: the target is the complete new output.
            fs::remove_dir_all(&previous)?;
        } else {
            // Killed between the two renames: the previous output is whole in `.old`.
            fs::rename(&previous, dir)?;
        }
    }
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    Ok(())
}

/// Makes `dir` hold exactly `files`.
pub fn write(dir: &Path, files: &[RenderedFile]) -> io::Result<Changes> {
    recover(dir)?;
    let changes = diff(dir, files)?;
    if changes.written.is_empty() && changes.removed.is_empty() {
        return Ok(changes);
    }
    let staging = sibling(dir, "new");
    let staged = stage(&staging, files);
    if let Err(e) = staged {
        // Best effort: what is left is removed by the next run's `recover` anyway.
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        swap(&staging, dir)?;
        // `staging` now holds the previous output.
        fs::remove_dir_all(&staging)?;
    } else {
        fs::rename(&staging, dir)?;
    }
    sync_parent(dir);
    Ok(changes)
}

fn stage(staging: &Path, files: &[RenderedFile]) -> io::Result<()> {
    fs::create_dir_all(staging)?;
    for file in files {
        let mut out = fs::File::create(staging.join(&file.name))?;
        out.write_all(file.text.as_bytes())?;
        // On disk before the swap: a crash after it must not leave empty files in the target.
        out.sync_all()?;
    }
    Ok(())
}

/// Puts `staging` in the place of `dir` (which exists).
fn swap(staging: &Path, dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Old kernels and some file systems have no exchange: fall through to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let previous = sibling(dir, "old");
    fs::rename(dir, &previous)?;
    fs::rename(staging, dir)?;
    // Keep the contract of the exchange: `staging` holds the previous output.
    fs::rename(&previous, staging)
}

/// Makes the renames durable where the platform allows opening a directory.
fn sync_parent(dir: &Path) {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Best effort: a file system that cannot sync a directory has nothing to sync.
        let _ = fs::File::open(parent).and_then(|f| f.sync_all());
    }
}

/// `generated` -> `.generated.new` beside it: same file system, so renames are atomic.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!(".{name}.{suffix}"))
}
