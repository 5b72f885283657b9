//! The public-API listing kept beside a generated crate (`sdk/api.txt`) and the change report
//! `cargo xtask codegen` prints: the listing on disk against the one the description generates.

use codegen::surface::{diff, Surface};
use std::path::{Path, PathBuf};

/// The listing of a crate whose generated code is in `out`, when `out` is a crate's
/// `src/generated`: `(listing, the crate's Cargo.toml)`. Other outputs have no listing.
pub fn listing_for(out: &Path) -> Option<(PathBuf, PathBuf)> {
    let generated = out.file_name()? == "generated" && out.parent()?.file_name()? == "src";
    let krate = out.parent()?.parent()?;
    let manifest = krate.join("Cargo.toml");
    (generated && manifest.is_file()).then(|| (krate.join("api.txt"), manifest))
}

/// What the new listing changes for the crate's users, against the one on disk.
pub struct Outcome {
    /// The listing as the description generates it.
    pub text: String,
    /// Whether the file on disk differs from `text` (or is missing).
    pub stale: bool,
    /// The report, for people or (with `--json`) for machines; one line when there is no listing yet.
    pub report: String,
}

/// `name` is the listing's path as shown to people.
pub fn compare(
    api: &codegen::ir::Api,
    listing: &Path,
    name: &str,
    manifest: &Path,
    json: bool,
) -> Result<Outcome, String> {
    let text = Surface::of(api).to_string();
    let on_disk = match std::fs::read_to_string(listing) {
        Ok(old) => Some(old),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("error: cannot read {name}: {e}")),
    };
    let stale = on_disk.as_deref() != Some(text.as_str());
    let Some(old) = on_disk else {
        let report = format!("public API: no listing at {name} yet; this run writes the first one\n");
        return Ok(Outcome { text, stale, report: if json { "{}\n".into() } else { report } });
    };
    let old =
        Surface::parse(&old).map_err(|e| format!("error: {name}: {e}; run `cargo xtask codegen` to rewrite it"))?;
    let new = Surface::parse(&text).map_err(|e| format!("error: the new listing does not read back: {e}"))?;
    let report = diff::diff(&old, &new);
    let bump = report.bump(&package_version(manifest)?)?;
    let report = match json {
        true => format!("{:#}\n", report.to_json(&bump)),
        false => report.render(&bump),
    };
    Ok(Outcome { text, stale, report })
}

/// Writes the listing through a temporary file, so a reader never sees half of it.
pub fn write(listing: &Path, name: &str, text: &str) -> Result<(), String> {
    let temporary = listing.with_extension("txt.new");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, listing))
        .map_err(|e| format!("error: cannot write {name}: {e}"))
}

/// The `version` of a crate's `[package]`.
fn package_version(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("error: cannot read {}: {e}", manifest.display()))?;
    let package = text.split("\n[").find(|table| table.trim_start_matches('[').starts_with("package]"));
    let version = package.and_then(|table| {
        table.lines().find_map(|line| line.strip_prefix("version = \"").and_then(|v| v.strip_suffix('"')))
    });
    version
        .map(str::to_owned)
        .ok_or_else(|| format!("error: {}: no `version = \"..\"` in [package]", manifest.display()))
}
