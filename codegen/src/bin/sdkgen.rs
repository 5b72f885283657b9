//! `sdkgen SPEC OUT_DIR [--runtime-path PATH] [--doc-path PATH] [--timings]`: the generator as a program of its own.
//!
//! A thin wrapper over [`codegen::generate`] and [`codegen::output::write`], with no argument
//! parser and nothing of the project tasks, so what `cargo xtask bench` times is the generator
//! itself. `--timings` runs the same steps one by one and prints how long each took, in
//! microseconds, to standard error, with some parts timed apart on copies (see
//! `generate_timed`): the profile `cargo xtask bench` reports.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: sdkgen SPEC OUT_DIR [--runtime-path PATH] [--doc-path PATH] [--timings]";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    runtime_path: String,
    /// [`codegen::Options::doc_path`].
    doc_path: Option<String>,
    timings: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut runtime_path = codegen::DEFAULT_RUNTIME_PATH.to_owned();
    let mut doc_path = None;
    let mut timings = false;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--runtime-path") => {
                runtime_path = args
                    .next()
                    .and_then(|v| v.into_string().ok())
                    .ok_or_else(|| format!("--runtime-path needs a Rust path\n{USAGE}"))?;
            }
            Some("--doc-path") => {
                doc_path = Some(
                    args.next()
                        .and_then(|v| v.into_string().ok())
                        .ok_or_else(|| format!("--doc-path needs a Rust path\n{USAGE}"))?,
                );
            }
            Some("--timings") => timings = true,
            Some("-h" | "--help") => return Err(USAGE.to_owned()),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option `{flag}`\n{USAGE}")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [spec, out]: [PathBuf; 2] = positional.try_into().map_err(|_| USAGE.to_owned())?;
    Ok(Args { spec, out, runtime_path, doc_path, timings })
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let source_name = args.spec.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(&args.spec).map_err(|e| format!("error: cannot read {source_name}: {e}"))?;
    let options =
        codegen::Options { runtime_path: args.runtime_path, source_name: source_name.clone(), doc_path: args.doc_path };
    let (generated, apart) = if args.timings {
        generate_timed(&text, &options, started)?
    } else {
        let generated = codegen::generate(&text, &options)
            .map_err(|e| format!("{e}\nerror: {source_name}: nothing was written"))?;
        (generated, Duration::ZERO)
    };
    let write_started = Instant::now();
    codegen::output::write(&args.out, &generated.files)
        .map_err(|e| format!("error: cannot write {}: {e}", args.out.display()))?;
    if args.timings {
        eprintln!("timing write {}", write_started.elapsed().as_micros());
        eprintln!("timing total {}", started.elapsed().saturating_sub(apart).as_micros());
    }
    let (operations, types) = generated.api.counts();
    let lines: usize = generated.files.iter().map(|f| f.text.lines().count()).sum();
    println!(
        "sdkgen: {source_name}: {operations} operations, {types} types, {lines} lines; {} warnings; {} ms",
        generated.api.warnings.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}

/// [`codegen::generate`], step by step, printing each step's duration. Steps marked `(apart)`
/// time, on a copy, a part of the next step or what a leaner step would cost; the time they take
/// (copies included) is returned, so the total leaves it out.
fn generate_timed(
    text: &str,
    options: &codegen::Options,
    started: Instant,
) -> Result<(codegen::Generated, Duration), String> {
    use codegen::Diagnostic;
    let report = |step: &str, since: Instant| eprintln!("timing {step} {}", since.elapsed().as_micros());
    let mut apart = Duration::ZERO;
    report("read", started);

    // The parse floor inside the process, for JSON: text straight into `openapiv3::OpenAPI`.
    if text.trim_start().starts_with('{') {
        let block = Instant::now();
        let floor: Result<openapiv3::OpenAPI, _> = serde_json::from_str(text);
        report("floor(apart)", block);
        drop(floor);
        apart += block.elapsed();
    }

    let at = Instant::now();
    let document = codegen::load::parse(text).map_err(|e| e.to_string())?;
    report("parse", at);

    // The typed-document step `lower` starts with, as it does it (tracking the path for messages)
    // and without tracking.
    let block = Instant::now();
    let copy = document.clone();
    let at = Instant::now();
    let typed: Result<openapiv3::OpenAPI, _> = serde_path_to_error::deserialize(copy);
    report("typed(apart)", at);
    drop(typed);
    let copy = document.clone();
    let at = Instant::now();
    let typed: Result<openapiv3::OpenAPI, _> = serde_json::from_value(copy);
    report("typed-untracked(apart)", at);
    drop(typed);
    apart += block.elapsed();

    let at = Instant::now();
    let api = codegen::load::lower(document).map_err(|e| e.to_string())?;
    report("lower", at);

    // Step by step on this thread (`codegen::generate` runs each file's emit and render on its
    // own thread), so each step's share can be seen.
    let target = codegen::emit::target(options).map_err(|e| Diagnostic::error("#", e).to_string())?;
    let at = Instant::now();
    let tokens = codegen::emit::files(&api, &target);
    report("emit", at);

    // The two halves of `render`: tokens parsed back into a syntax tree, then printed.
    let block = Instant::now();
    let copies: Vec<proc_macro2::TokenStream> = tokens.iter().map(|(_, t)| t.clone()).collect();
    let at = Instant::now();
    let trees: Vec<syn::File> = copies.into_iter().filter_map(|t| syn::parse2(t).ok()).collect();
    report("render-syn(apart)", at);
    let at = Instant::now();
    let printed: usize = trees.iter().map(|tree| prettyplease::unparse(tree).len()).sum();
    report("render-print(apart)", at);
    drop((trees, printed));
    apart += block.elapsed();

    let at = Instant::now();
    let files = tokens
        .into_iter()
        .map(|(name, tokens)| codegen::render::render(name, tokens, &options.source_name))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Diagnostic::error("#", e).to_string())?;
    report("render", at);
    Ok((codegen::Generated { api, files }, apart))
}
