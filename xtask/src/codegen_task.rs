//! `cargo xtask codegen [--spec PATH] [--out DIR] [--check]`.

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
    /// Write nothing; fail if the output directory differs from what the spec produces.
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let root = crate::root();
    let spec = resolve(&root, &args.spec);
    let out = resolve(&root, &args.out);
    let source_name = display(&root, &spec);
    let text = std::fs::read(&spec).map_err(|e| format!("error: cannot read {source_name}: {e}"))?;
    let text = String::from_utf8(text).map_err(|e| {
        format!("error: {source_name} is not UTF-8 text (first bad byte at offset {})", e.utf8_error().valid_up_to())
    })?;
    let options = codegen::Options { runtime_path: args.runtime_path, source_name: source_name.clone() };
    let generated =
        codegen::generate(&text, &options).map_err(|e| format!("{e}\nerror: {source_name}: nothing was written"))?;
    for warning in &generated.api.warnings {
        eprintln!("{warning}");
    }
    let (operations, types) = generated.api.counts();
    let out_name = display(&root, &out);

    if args.check {
        let changes =
            output::diff(&out, &generated.files).map_err(|e| format!("error: cannot read {out_name}: {e}"))?;
        let stale: Vec<&String> = changes.written.iter().chain(&changes.removed).collect();
        if !stale.is_empty() {
            let names: Vec<String> = stale.iter().map(|n| format!("{out_name}/{n}")).collect();
            return Err(format!(
                "error: generated code is stale: {}\nrun `cargo xtask codegen` and commit the result",
                names.join(", ")
            ));
        }
        println!(
            "codegen --check: {out_name} is up to date with {source_name} ({operations} operations, {types} types)"
        );
        return Ok(());
    }

    let changes = output::write(&out, &generated.files).map_err(|e| format!("error: cannot write {out_name}: {e}"))?;
    println!(
        "codegen: {source_name} -> {out_name}: {operations} operations, {types} types; files {} written, {} unchanged, {} removed; {} warnings; {} ms",
        changes.written.len(),
        changes.unchanged.len(),
        changes.removed.len(),
        generated.api.warnings.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn resolve(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        root.join(path)
    }
}

/// A path as shown to people and in generated headers: relative to the workspace when inside it.
fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}
