//! `cargo xtask bench [--quick]`: generation time and peak memory against progenitor and
//! openapi-generator, the parse floor, compile time of the generated crates, and the SDK's runtime
//! costs against hand-written code; writes `docs/benchmarks.md` and `docs/generation-time.svg`.
//!
//! Everything runs on this machine (servers on 127.0.0.1 only), every process is bounded in time,
//! and contenders alternate run by run. Nothing here asserts a figure: it measures and reports.

mod chart;
mod compile;
mod generation;
mod peers;
mod process;
mod report;
mod runtime;
mod specs;
mod stats;

use generation::{Case, Contender, Programs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Runs each measurement once, as a smoke test; the report goes to target/bench-work/quick/
    /// unless --out says otherwise.
    #[arg(long)]
    quick: bool,
    /// Rounds of each generator on each Zoom description (default 10, 1 with --quick; GitHub's
    /// descriptions get half as many).
    #[arg(long)]
    rounds: Option<usize>,
    /// Where benchmarks.md and generation-time.svg are written (default docs/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Uses the peer generators only if they are installed already.
    #[arg(long)]
    no_install: bool,
    /// Leaves out GitHub's description (no npm fetch).
    #[arg(long)]
    no_github: bool,
}

/// Zoom's own description, beside the repository when the reference material is there.
const ZOOM_REFERENCE: &str = "../shared/reference/zoom-users-subset.openapi.json";
/// GitHub's description cut to its first operations, for the size chart (full runs only).
const GITHUB_CUTS: [usize; 3] = [100, 300, 600];

/// Everything one run measured, for the report.
pub struct Run {
    pub quick: bool,
    pub rounds: usize,
    pub github_rounds: usize,
    pub command: String,
    pub date: String,
    pub took: Duration,
    pub machine: Vec<(String, String)>,
    pub load_before: String,
    pub load_after: String,
    pub versions: Vec<(String, String)>,
    pub peers: Vec<(&'static str, peers::Peer)>,
    pub skipped: Vec<(String, String)>,
    pub cases: Vec<Case>,
    pub phase_runs: usize,
    pub compile: Vec<(String, compile::Comparison)>,
    pub compile_rounds: usize,
    pub runtime: Result<runtime::Runtime, String>,
}

pub fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let root = crate::root();
    let work = root.join("target").join("bench-work");
    let tools = root.join("target").join("bench-tools");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let quick = args.quick;
    let rounds = args.rounds.unwrap_or(if quick { 1 } else { 10 }).max(1);
    let github_rounds = if quick { 1 } else { rounds.div_ceil(2) };
    let timeout = Duration::from_secs(if quick { 300 } else { 900 });
    let out_dir = args.out.clone().map(|o| if o.is_absolute() { o } else { root.join(o) }).unwrap_or_else(|| {
        if quick {
            work.join("quick")
        } else {
            root.join("docs")
        }
    });
    let load_before = load_average();

    eprintln!("bench: building the measured programs (release)");
    let mut build = Command::new(&cargo);
    build.args(["build", "--release", "--quiet", "-p", "codegen", "-p", "sdk-bench", "--bins"]).current_dir(&root);
    process::run(&mut build, Duration::from_secs(1800), &work.join("logs").join("build.log"))
        .map_err(|e| format!("error: building the benchmark programs failed: {e}"))?;
    let release = target_dir.join("release");

    let progenitor = peers::progenitor(&tools, &cargo, !args.no_install);
    let openapi_generator = peers::openapi_generator(&tools, !args.no_install);
    let programs = Programs {
        launcher: release.join("measure"),
        floor: release.join("parse-floor"),
        sdkgen: release.join("sdkgen"),
        progenitor: progenitor.program.clone(),
        openapi_generator: openapi_generator.program.clone(),
    };

    // The descriptions.
    let spec_dir = work.join("specs");
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    let reference = root.join(ZOOM_REFERENCE);
    let has_reference = reference.is_file();
    specs.push(specs::Spec::prepare(
        "zoom-users",
        "spec/zoom-users.yaml: this project's description of Zoom's Users API (YAML)",
        &root.join("spec").join("zoom-users.yaml"),
        &spec_dir,
        !has_reference,
    )?);
    if has_reference {
        specs.push(specs::Spec::prepare(
            "zoom-reference",
            "Zoom's own description of its Users API (JSON, ../shared/reference/)",
            &reference,
            &spec_dir,
            true,
        )?);
    } else {
        skipped.push(("Zoom's own description".to_owned(), format!("{ZOOM_REFERENCE} is absent")));
    }
    if args.no_github {
        skipped.push(("GitHub's description".to_owned(), "left out with --no-github".to_owned()));
    } else {
        match specs::github(&spec_dir) {
            Ok(github) => {
                let cuts: &[usize] = if quick { &[] } else { &GITHUB_CUTS };
                for &wanted in cuts {
                    match specs::github_subset(&github, wanted, &spec_dir).and_then(|path| {
                        specs::Spec::prepare(
                            &format!("github-{wanted}"),
                            &format!("GitHub's description cut to its first {wanted} or so operations, with the components they use"),
                            &path,
                            &spec_dir,
                            true,
                        )
                    }) {
                        Ok(spec) => specs.push(spec),
                        Err(e) => skipped.push((format!("GitHub's first {wanted} operations"), e)),
                    }
                }
                match specs::Spec::prepare(
                    "github",
                    &format!("GitHub's public REST description (npm {}, api.github.com.json)", specs::OCTOKIT_PACKAGE),
                    &github,
                    &spec_dir,
                    true,
                ) {
                    Ok(spec) => specs.push(spec),
                    Err(e) => skipped.push(("GitHub's description".to_owned(), e)),
                }
            }
            Err(e) => skipped.push(("GitHub's description".to_owned(), e)),
        }
    }

    // 1 and 2: generation and the parse floor.
    let mut cases = generation::cases(&specs);
    let phase_runs = if quick { 1 } else { 5 };
    for case in &mut cases {
        let n = if case.spec.key.starts_with("github") { github_rounds } else { rounds };
        generation::measure(case, &programs, n, timeout, &work);
        // The profile, on each whole description that is not a cut-down copy.
        if !case.without_multipart && !case.spec.key.starts_with("github-") {
            generation::phases(case, &programs, phase_runs, timeout, &work);
        }
    }

    // 3: compile time, on the Zoom descriptions as progenitor is given them (with --quick, only
    // on the one the targets are stated for).
    let compile_rounds = if quick { 1 } else { 5 };
    let mut compiled = Vec::new();
    let target_key = if has_reference { "zoom-reference" } else { "zoom-users" };
    for spec in specs.iter().filter(|s| s.key.starts_with("zoom") && (!quick || s.key == target_key)) {
        let document = spec.without_multipart.as_ref().map_or(&spec.full, |(d, _)| d);
        let comparison =
            compile::compare(&spec.key, document, &programs, &root, &cargo, compile_rounds, timeout, &work);
        compiled.push((spec.key.clone(), comparison));
    }

    // 4: runtime.
    let settings = if quick {
        runtime::Settings {
            requests: 2_000,
            concurrency: 8,
            rounds: 1,
            decode_reps: 3,
            decode_rounds: 1,
            max_seconds: 30,
        }
    } else {
        runtime::Settings {
            requests: 20_000,
            concurrency: 8,
            rounds: 10,
            decode_reps: 20,
            decode_rounds: 10,
            max_seconds: 30,
        }
    };
    eprintln!("bench: runtime (requests per second and decoding)");
    let runtime =
        runtime::run(&release.join("runtime-bench"), &root.join("spec").join("zoom-users.yaml"), &settings, &work);

    let mut versions = vec![
        ("ours".to_owned(), commit(&root)),
        ("rustc".to_owned(), process::output(Command::new("rustc").arg("-V")).unwrap_or_else(|e| e)),
        ("progenitor".to_owned(), progenitor.version.clone()),
        ("openapi-generator".to_owned(), openapi_generator.version.clone()),
        ("Java".to_owned(), peers::java_version()),
    ];
    versions
        .push(("python3".to_owned(), process::output(Command::new("python3").arg("--version")).unwrap_or_else(|e| e)));

    let run = Run {
        quick,
        rounds,
        github_rounds,
        command: if quick { "cargo xtask bench --quick".to_owned() } else { "cargo xtask bench".to_owned() },
        date: process::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default(),
        took: started.elapsed(),
        machine: machine(),
        load_before,
        load_after: load_average(),
        versions,
        peers: vec![("progenitor", progenitor), ("openapi-generator", openapi_generator)],
        skipped,
        cases,
        phase_runs,
        compile: compiled,
        compile_rounds,
        runtime,
    };

    std::fs::create_dir_all(&out_dir).map_err(|e| format!("error: cannot create {}: {e}", out_dir.display()))?;
    let svg = chart::render(&run);
    std::fs::write(out_dir.join("generation-time.svg"), svg)
        .map_err(|e| format!("error: cannot write the chart: {e}"))?;
    let markdown = scrub(&report::render(&run));
    let report_path = out_dir.join("benchmarks.md");
    std::fs::write(&report_path, markdown).map_err(|e| format!("error: cannot write the report: {e}"))?;
    println!(
        "bench: wrote {} and generation-time.svg beside it ({})",
        shown(&report_path),
        stats::seconds(run.took.as_secs_f64())
    );
    for line in report::summary_lines(&run) {
        println!("bench: {line}");
    }

    // The run itself failed if our own parts did.
    if let Err(e) = &run.runtime {
        return Err(format!("error: the runtime benchmark failed: {e}"));
    }
    let ours_on_our_spec = run.cases.iter().find(|c| c.spec.key == "zoom-users" && !c.without_multipart);
    if let Some(m) = ours_on_our_spec.and_then(|c| c.get(Contender::Ours)).filter(|m| m.error.is_some()) {
        return Err(format!(
            "error: our generator failed on spec/zoom-users.yaml: {}",
            m.error.clone().unwrap_or_default()
        ));
    }
    Ok(())
}

/// A path as shown in the report: relative to the repository (or `../` beside it), never a
/// machine path where that can be helped.
pub fn shown(path: &Path) -> String {
    let root = crate::root();
    if let Ok(inside) = path.strip_prefix(&root) {
        return inside.to_string_lossy().into_owned();
    }
    if let Some(beside) = root.parent().and_then(|parent| path.strip_prefix(parent).ok()) {
        return format!("../{}", beside.to_string_lossy());
    }
    path.to_string_lossy().into_owned()
}

/// The report without this machine's paths: tools quote their own (a panic names its source file
/// under the cargo home), so every absolute path that can be said otherwise is.
fn scrub(text: &str) -> String {
    let root = crate::root();
    let mut prefixes: Vec<(String, String)> = Vec::new();
    prefixes.push((format!("{}/", root.display()), String::new()));
    if let Some(parent) = root.parent() {
        prefixes.push((format!("{}/", parent.display()), "../".to_owned()));
    }
    let home = std::env::var("HOME").ok().filter(|h| h.len() > 1);
    let cargo_home = std::env::var("CARGO_HOME").ok().or_else(|| home.as_ref().map(|h| format!("{h}/.cargo")));
    if let Some(cargo_home) = cargo_home.filter(|c| c.len() > 1) {
        prefixes.push((format!("{}/", cargo_home.trim_end_matches('/')), "$CARGO_HOME/".to_owned()));
    }
    if let Some(home) = home {
        prefixes.push((format!("{}/", home.trim_end_matches('/')), "~/".to_owned()));
    }
    prefixes.into_iter().fold(text.to_owned(), |text, (from, to)| text.replace(&from, &to))
}

/// A command line as shown in the report.
pub fn shown_command(command: &Command) -> String {
    let program = shown(Path::new(command.get_program()));
    let args = command.get_args().map(|a| {
        let text = a.to_string_lossy();
        let path = Path::new(a);
        let text = if path.is_absolute() { shown(path) } else { text.into_owned() };
        if text.contains(' ') || text.contains('{') {
            format!("'{text}'")
        } else {
            text
        }
    });
    std::iter::once(program).chain(args).collect::<Vec<_>>().join(" ")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn machine() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.to_string()).unwrap_or_else(|_| "unknown".to_owned());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_owned();
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let os = process::output(Command::new("uname").args(["-sr"])).unwrap_or_else(|_| std::env::consts::OS.to_owned());
    vec![
        ("CPU".to_owned(), cpu),
        ("cores available".to_owned(), cores),
        ("memory".to_owned(), memory),
        ("OS".to_owned(), os),
    ]
}

fn commit(root: &Path) -> String {
    let head = process::output(Command::new("git").args(["rev-parse", "--short", "HEAD"]).current_dir(root))
        .unwrap_or_else(|_| "unknown commit".to_owned());
    let dirty = process::output(Command::new("git").args(["status", "--porcelain"]).current_dir(root))
        .is_ok_and(|s| !s.trim().is_empty());
    if dirty {
        format!("commit {head} with uncommitted changes")
    } else {
        format!("commit {head}")
    }
}
