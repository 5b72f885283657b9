//! Project tasks. `cargo xtask codegen` regenerates the SDK from the spec; `--check` verifies the
//! committed output is what the spec produces. `cargo xtask spec-diff OTHER` reports how the spec
//! differs from another description of the same API; `cargo xtask compare A B` compares two
//! descriptions (OpenAPI or Postman) operation by operation.

mod api_report;
mod bench;
mod codegen_task;
mod compare_task;
mod compat;
mod spec_diff;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Project tasks for the SDK generator", version)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generates the SDK source from an API description.
    Codegen(codegen_task::Args),
    /// Compares the spec with another description and fails on differences not listed as intended.
    SpecDiff(spec_diff::Args),
    /// Compares two descriptions (OpenAPI or Postman) operation by operation: methods, paths, parameters, bodies.
    Compare(compare_task::Args),
    /// Benchmarks generation, compile time and runtime against progenitor and openapi-generator.
    Bench(bench::Args),
    /// Generates and compiles SDKs for large public descriptions; rewrites docs/compatibility.md.
    Compat(compat::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Codegen(args) => codegen_task::run(args),
        Task::SpecDiff(args) => spec_diff::run(args),
        Task::Compare(args) => compare_task::run(args),
        Task::Bench(args) => bench::run(args),
        Task::Compat(args) => compat::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, so tasks behave the same from any directory.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
