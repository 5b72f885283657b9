//! `cargo xtask codegen [--spec PATH] [--out DIR] [--check] [--json] [--strict]`.

use crate::api_report;
use codegen::output;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// The API description (OpenAPI 3.0, YAML or JSON).
    #[arg(long, default_value = "spec/zoom-users.yaml")]
    spec: PathBuf,
    /// Where the generated modules go.
    #[arg(long, default_value = "sdk/src/generated")]
    out: PathBuf,
    /// Rust path of the runtime the generated code calls.
    #[arg(long, default_value = "crate::runtime")]
    runtime_path: String,
    /// Rust path, from outside the crate, of the module holding the generated `Client` and
    /// `types` (the SDK's root re-exports them), used in the doc examples; empty for none.
    #[arg(long, default_value = "zoom_users_sdk")]
    doc_path: String,
    /// Write nothing; fail if the output directory or the API listing differs from what the spec produces.
    #[arg(long)]
    check: bool,
    /// Print the public-API change report as JSON (the summary line goes to standard error).
    #[arg(long)]
    json: bool,
    /// Refuse a description that breaks a rule the generator can repair (a response without
    /// `description`, `type: Integer`, ...): each repair warning becomes an error.
    #[arg(long)]
    strict: bool,
}

pub fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let root = crate::root();
    let spec = resolve(&root, &args.spec);
    let out = resolve(&root, &args.out);
    let (source_name, generated) =
        generate_file(&root, &spec, args.runtime_path, Some(args.doc_path).filter(|p| !p.is_empty()))
            .map_err(|(source_name, e)| format!("{e}\nerror: {source_name}: nothing was written"))?;
    if args.strict {
        refuse_repairs(&generated.api.warnings, &source_name)?;
    }
    let (operations, types) = generated.api.counts();
    let warnings = generated.api.warnings.len();
    let out_name = display(&root, &out);
    let listing = match api_report::listing_for(&out) {
        Some((listing, manifest)) => {
            let name = display(&root, &listing);
            let outcome = api_report::compare(&generated.api, &listing, &name, &manifest, args.json)?;
            print!("{}", outcome.report);
            Some((name, listing, outcome))
        }
        None => None,
    };
    // With `--json` standard output holds the report alone.
    let summary = |line: String| if args.json { eprintln!("{line}") } else { println!("{line}") };

    if args.check {
        if let Some(leftovers) = output::leftovers(&out) {
            return Err(format!("error: {leftovers}\nrun `cargo xtask codegen` to finish or undo it"));
        }
        let changes =
            output::diff(&out, &generated.files).map_err(|e| format!("error: cannot read {out_name}: {e}"))?;
        let stale = changes.written.iter().chain(&changes.removed).map(|n| format!("{out_name}/{n}"));
        let stale_listing = listing.iter().filter(|(_, _, outcome)| outcome.stale).map(|(name, _, _)| name.clone());
        let names: Vec<String> = stale.chain(stale_listing).collect();
        if !names.is_empty() {
            return Err(format!(
                "error: generated code is stale: {}\nrun `cargo xtask codegen` and commit the result",
                names.join(", ")
            ));
        }
        summary(format!(
            "codegen --check: {out_name} is up to date with {source_name} ({operations} operations, {types} types; {warnings} warnings)"
        ));
        return Ok(());
    }

    let changes = output::write(&out, &generated.files).map_err(|e| {
        format!("error: cannot write {out_name}: {e}\nerror: {out_name} still holds the previous output")
    })?;
    if let Some((name, path, outcome)) = listing.filter(|(_, _, outcome)| outcome.stale) {
        api_report::write(&path, &name, &outcome.text)?;
    }
    summary(format!(
        "codegen: {source_name} -> {out_name}: {operations} operations, {types} types; files {} written, {} unchanged, {} removed; {warnings} warnings; {} ms",
        changes.written.len(),
        changes.unchanged.len(),
        changes.removed.len(),
        started.elapsed().as_millis()
    ));
    Ok(())
}

/// Reads and generates one description as `cargo xtask codegen` does, printing its warnings:
/// errors name the file, line and column, and a generator panic becomes one line. Returns the
/// file's name as shown to people with the result or the error.
pub(crate) fn generate_file(
    root: &Path,
    spec: &Path,
    runtime_path: String,
    doc_path: Option<String>,
) -> Result<(String, codegen::Generated), (String, String)> {
    let source_name = display(root, spec);
    let fail = |message: String| (source_name.clone(), message);
    let bytes = std::fs::read(spec).map_err(|e| fail(format!("error: cannot read {source_name}: {e}")))?;
    let options = codegen::Options { runtime_path, source_name: source_name.clone(), doc_path };
    let generated = quietly(|| codegen::generate_bytes(&bytes, &options))
        .map_err(fail)?
        .map_err(|e| fail(with_file(&e, &source_name)))?;
    for warning in &generated.api.warnings {
        eprintln!("{}", with_file_one(warning, &source_name));
    }
    Ok((source_name, generated))
}

/// `--strict`: the repairs a description needed, as errors.
fn refuse_repairs(warnings: &[codegen::Diagnostic], source_name: &str) -> Result<(), String> {
    let repairs: Vec<String> = warnings
        .iter()
        .filter(|w| w.repaired)
        .map(|w| with_file_one(&codegen::Diagnostic { severity: codegen::Severity::Error, ..w.clone() }, source_name))
        .collect();
    if repairs.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}\nerror: {source_name}: --strict refuses a description that needs repairs; nothing was written",
        repairs.join("\n")
    ))
}

/// Runs `f`; a panic (a generator bug) becomes one line of error instead of a panic message and
/// backtrace, so even a bug ends with exit code 1 and a sentence.
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let hook = std::panic::take_hook();
    let message = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let slot = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let text = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut slot) = slot.lock() {
            *slot = format!("{text}{place}");
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|_| {
        let detail = message.lock().map(|m| m.clone()).unwrap_or_default();
        format!("error: the generator failed on this description ({detail}); this is a bug in the generator, please report it with the description")
    })
}

/// Diagnostics as `error: FILE:LINE:COLUMN: #/pointer: reason`, so editors can jump to the place.
fn with_file(error: &codegen::Error, file: &str) -> String {
    error.diagnostics.iter().map(|d| with_file_one(d, file)).collect::<Vec<_>>().join("\n")
}

fn with_file_one(diagnostic: &codegen::Diagnostic, file: &str) -> String {
    let level = match diagnostic.severity {
        codegen::Severity::Warning => "warning",
        codegen::Severity::Error => "error",
    };
    let place = match diagnostic.line_col {
        Some((line, column)) => format!("{file}:{line}:{column}"),
        None => file.to_owned(),
    };
    format!("{level}: {place}: {}: {}", diagnostic.pointer, diagnostic.message)
}

pub(crate) fn resolve(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        root.join(path)
    }
}

/// A path as shown to people and in generated headers: relative to the workspace when inside it,
/// however it was spelled (`./spec/x.yaml`, `../main/spec/x.yaml`), so `--check` compares like with like.
fn display(root: &Path, path: &Path) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    let (root, full) = (canonical(root), canonical(path));
    match full.strip_prefix(&root) {
        Ok(inside) => inside.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = crate::root().join("target/tmp").join(format!("xtask-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("generated")).expect("target/tmp is writable");
        std::fs::write(dir.join("generated/previous.rs"), "// previous output\n").expect("writable");
        dir.join("generated")
    }

    fn args(spec: &str, out: &Path, check: bool) -> Args {
        Args {
            spec: spec.into(),
            out: out.to_owned(),
            runtime_path: "crate::runtime".into(),
            doc_path: String::new(),
            check,
            json: false,
            strict: false,
        }
    }

    #[test]
    fn strict_refuses_a_repaired_description_and_writes_nothing() {
        let out = scratch("strict");
        let spec = "tests/fixtures/bad/response_without_description.yaml";
        let error = run(Args { strict: true, ..args(spec, &out, false) }).expect_err("refused");
        assert!(
            error.starts_with(&format!("error: {spec}:7:9: #/paths/~1a/get/responses/200: a response needs")),
            "{error}"
        );
        assert!(error.ends_with("nothing was written"), "{error}");
        assert!(out.join("previous.rs").exists(), "the previous output is untouched");
        run(args(spec, &out, false)).expect("without --strict it is generated");
    }

    #[test]
    fn a_bad_description_is_an_error_with_its_place_and_nothing_is_written() {
        let out = scratch("bad");
        let error = run(args("tests/fixtures/bad/ref_unresolved.yaml", &out, false)).expect_err("refused");
        assert!(error.starts_with("error: tests/fixtures/bad/ref_unresolved.yaml:9:40: #/paths/~1a/get/"), "{error}");
        assert!(error.ends_with("nothing was written"), "{error}");
        let files: Vec<_> = std::fs::read_dir(&out).expect("still there").filter_map(Result::ok).collect();
        assert_eq!(files.len(), 1, "the previous output is untouched");
    }

    #[test]
    fn check_names_stale_files_and_interrupted_runs() {
        let out = scratch("check");
        let error = run(args("spec/zoom-users.yaml", &out, true)).expect_err("stale");
        assert!(error.contains("generated/mod.rs") && error.contains("generated/previous.rs"), "{error}");
        let leftover = out.with_file_name(".generated.new");
        std::fs::create_dir_all(&leftover).expect("writable");
        let error = run(args("spec/zoom-users.yaml", &out, true)).expect_err("interrupted");
        assert!(error.contains("interrupted generation"), "{error}");
        run(args("spec/zoom-users.yaml", &out, false)).expect("generates");
        assert!(!leftover.exists(), "the next run cleans up");
        run(args("spec/zoom-users.yaml", &out, true)).expect("up to date");
    }

    #[test]
    fn paths_are_shown_relative_to_the_workspace_however_spelled() {
        let root = crate::root();
        assert_eq!(display(&root, &root.join("./spec/zoom-users.yaml")), "spec/zoom-users.yaml");
        assert_eq!(display(&root, &root.join("xtask/../spec/zoom-users.yaml")), "spec/zoom-users.yaml");
    }
}
