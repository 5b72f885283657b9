//! The public-API listing kept beside a generated crate (`sdk/api.txt`) and the change report
//! `cargo xtask codegen` prints: the committed listing against the one the description generates.

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
    // The report is against the committed listing, so running codegen again still shows the whole
    // change waiting to be committed; outside git, or before the first commit, against the file.
    let Some(old) = committed(listing).or(on_disk) else {
        let report = format!("public API: no listing at {name} yet; this run writes the first one\n");
        return Ok(Outcome { text, stale, report: if json { "{}\n".into() } else { report } });
    };
    let old =
        Surface::parse(&old).map_err(|e| format!("error: {name}: {e}; run `cargo xtask codegen` to rewrite it"))?;
    let new = Surface::parse(&text).map_err(|e| format!("error: the new listing does not read back: {e}"))?;
    let report = diff::diff(&old, &new);
    // Changes since the last release add up to one bump from it, whatever the manifest says now.
    let (current, released) = (package_version(manifest)?, released_version(manifest)?);
    let bump = report.bump(released.as_deref().unwrap_or(&current))?;
    let behind = released.is_some() && diff::numbers(&current)? < diff::numbers(&bump.to)?;
    let report = if json {
        let mut json = report.to_json(&bump);
        json["bump"]["crate_version"] = current.into();
        format!("{json:#}\n")
    } else if behind {
        let manifest = Path::new(name).with_file_name("Cargo.toml");
        let manifest = manifest.display();
        format!("{}semver: {manifest} has {current}; the next release needs {}\n", report.render(&bump), bump.to)
    } else {
        report.render(&bump)
    };
    Ok(Outcome { text, stale, report })
}

/// The version of the crate's last release, from `release-baseline` beside its manifest
/// (`VERSION COMMIT` on the first line that is not a comment); `None` before the first release.
fn released_version(manifest: &Path) -> Result<Option<String>, String> {
    let path = manifest.with_file_name("release-baseline");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("error: cannot read {}: {e}", path.display())),
    };
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
    Ok(line.and_then(|l| l.split_whitespace().next()).map(str::to_owned))
}

/// The listing as `HEAD` has it, when the file is in a git work tree and committed.
fn committed(listing: &Path) -> Option<String> {
    let (dir, file) = (listing.parent()?, listing.file_name()?.to_str()?);
    let show = std::process::Command::new("git").arg("-C").arg(dir).arg("show").arg(format!("HEAD:./{file}")).output();
    let show = show.ok().filter(|out| out.status.success())?;
    String::from_utf8(show.stdout).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch crate at version 1.2.3 whose generated code would be in `src/generated`.
    fn scratch_crate(name: &str) -> PathBuf {
        let dir = crate::root().join("target/tmp").join(format!("xtask-api-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/generated")).expect("target/tmp is writable");
        let manifest = "[package]\nname = \"scratch\"\nversion = \"1.2.3\"\n\n[dependencies]\nversion = \"9\"\n";
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("writable");
        dir
    }

    #[test]
    fn only_a_crate_s_generated_folder_has_a_listing() {
        let dir = scratch_crate("where");
        assert_eq!(listing_for(&dir.join("src/generated")), Some((dir.join("api.txt"), dir.join("Cargo.toml"))));
        assert_eq!(listing_for(&dir.join("generated")), None);
        assert_eq!(listing_for(&dir.join("elsewhere/src/generated")), None, "no Cargo.toml there");
    }

    #[test]
    fn the_report_compares_the_listing_on_disk_and_bumps_the_crate_s_version() {
        let dir = scratch_crate("report");
        let text = std::fs::read_to_string(crate::root().join("tests/fixtures/openapi/params.yaml")).expect("fixture");
        let api = codegen::load::load(&text).expect("loads");
        let (listing, manifest) = (dir.join("api.txt"), dir.join("Cargo.toml"));

        let first = compare(&api, &listing, "api.txt", &manifest, false).expect("no listing yet");
        assert!(first.stale && first.report.contains("no listing at api.txt yet"), "{}", first.report);
        // The listing without its first operation: the new one adds it back.
        let operation = first.text.lines().find(|l| l.starts_with("operation ")).expect("an operation");
        let shorter: String = first.text.lines().filter(|l| *l != operation).map(|l| format!("{l}\n")).collect();
        write(&listing, "api.txt", &shorter).expect("writable");

        let outcome = compare(&api, &listing, "api.txt", &manifest, false).expect("compares");
        assert!(outcome.stale);
        assert!(outcome.report.contains("additive  operation "), "{}", outcome.report);
        assert!(outcome.report.ends_with("semver: additive change, 1.2.3 -> 1.3.0\n"), "{}", outcome.report);
        // Once released as 1.2.0, the change is counted from that release, and the manifest is behind.
        std::fs::write(dir.join("release-baseline"), "# version commit\n1.2.0 0123abc\n").expect("writable");
        let outcome = compare(&api, &listing, "api.txt", &manifest, false).expect("compares");
        let ending =
            "semver: additive change, 1.2.0 -> 1.3.0\nsemver: Cargo.toml has 1.2.3; the next release needs 1.3.0\n";
        assert!(outcome.report.ends_with(ending), "{}", outcome.report);
        std::fs::remove_file(dir.join("release-baseline")).expect("removable");
        let json = compare(&api, &listing, "api.txt", &manifest, true).expect("compares");
        let json: serde_json::Value = serde_json::from_str(&json.report).expect("JSON");
        assert_eq!([&json["bump"]["to"], &json["bump"]["crate_version"]], ["1.3.0", "1.2.3"]);

        write(&listing, "api.txt", &first.text).expect("writable");
        let same = compare(&api, &listing, "api.txt", &manifest, false).expect("compares");
        assert!(!same.stale && same.report == "semver: no public API change, no bump needed\n", "{}", same.report);
    }
}
