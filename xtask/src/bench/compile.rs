//! Compile time of the generated crates: ours and progenitor's, from the same description, each
//! a scratch crate under `target/bench-work/compile/`, debug profile, dependencies built once
//! beforehand. Each timed run touches the crate's `src/lib.rs` and runs `cargo build`.

use super::generation::Programs;
use super::process::{self, Sample};
use super::specs::Document;
use super::stats::Summary;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

/// One generated crate.
#[derive(Debug, Clone)]
pub struct Crate {
    pub who: &'static str,
    pub dir: PathBuf,
    /// Lines of Rust in its `src/`.
    pub lines: usize,
    pub command: String,
    pub samples: Vec<Sample>,
    pub error: Option<String>,
}

impl Crate {
    pub fn time(&self) -> Option<Summary> {
        Summary::of_durations(&self.samples.iter().map(|s| s.wall).collect::<Vec<_>>())
    }
}

/// Compile times for one description.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub document: Document,
    pub crates: Vec<Crate>,
}

/// Generates both crates from `document`, builds their dependencies, then times `rounds` builds of
/// each, alternating.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    key: &str,
    document: &Document,
    programs: &Programs,
    root: &Path,
    cargo: &str,
    rounds: usize,
    timeout: Duration,
    work: &Path,
) -> Comparison {
    let base = work.join("compile").join(key);
    let target = work.join("compile").join("target");
    let mut crates = vec![ours(document, programs, root, &base.join("ours")), progenitor(document, programs, &base)];
    let build = |krate: &Crate| {
        let mut command = Command::new(cargo);
        command.arg("build").current_dir(&krate.dir).env("CARGO_TARGET_DIR", &target);
        command
    };
    // Dependencies (and a first build of the crate itself), not timed.
    for krate in crates.iter_mut().filter(|k| k.error.is_none()) {
        eprintln!("bench: compile {key}: building the dependencies of {}'s crate (not timed)", krate.who);
        let log = work.join("logs").join("compile").join(format!("{key}-{}-deps.log", krate.who));
        if let Err(e) = process::run(&mut build(krate), timeout.max(Duration::from_secs(1800)), &log) {
            krate.error = Some(format!("the crate does not build: {e}"));
        }
    }
    for round in 0..rounds {
        for k in 0..crates.len() {
            let krate = &mut crates[(k + round) % 2];
            if krate.error.is_some() {
                continue;
            }
            let lib = krate.dir.join("src").join("lib.rs");
            if let Err(e) = touch(&lib) {
                krate.error = Some(format!("cannot touch {}: {e}", lib.display()));
                continue;
            }
            let command = build(krate);
            krate.command = format!(
                "touch {}/src/lib.rs && CARGO_TARGET_DIR={} cargo build",
                super::shown(&krate.dir),
                super::shown(&target)
            );
            let log = work.join("logs").join("compile").join(format!("{key}-{}.log", krate.who));
            match process::measure(&programs.launcher, &command, timeout, &log) {
                Ok(sample) => {
                    eprintln!(
                        "bench: compile {key}: {} round {}: {}",
                        krate.who,
                        round + 1,
                        super::stats::seconds(sample.wall.as_secs_f64())
                    );
                    krate.samples.push(sample);
                }
                Err(e) => krate.error = Some(e),
            }
        }
    }
    Comparison { document: document.clone(), crates }
}

fn touch(path: &Path) -> std::io::Result<()> {
    std::fs::File::options().append(true).open(path)?.set_modified(SystemTime::now())
}

/// Our generated code in a crate that depends on the runtime crate.
fn ours(document: &Document, programs: &Programs, root: &Path, dir: &Path) -> Crate {
    let mut krate =
        Crate { who: "ours", dir: dir.to_owned(), lines: 0, command: String::new(), samples: Vec::new(), error: None };
    let result = (|| {
        let _ = std::fs::remove_dir_all(dir.join("src"));
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let mut generate = Command::new(&programs.sdkgen);
        generate
            .arg(&document.path)
            .arg(dir.join("src").join("generated"))
            .args(["--runtime-path", codegen::DEFAULT_RUNTIME_PATH]);
        process::run(&mut generate, Duration::from_secs(300), &dir.join("generate.log"))?;
        let manifest = format!(
            "[package]\nname = \"bench-ours\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nsdkgen-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n\n# The generated `mock` module is left out (`#[cfg(feature = \"mock\")]`).\n[features]\nmock = []\n\n# Not a member of the repository's workspace.\n[workspace]\n",
            root.join("runtime").to_string_lossy()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src").join("lib.rs"), "pub mod generated;\npub use generated::*;\n")
            .map_err(|e| e.to_string())?;
        // The workspace's lock file, so the runtime's dependencies are the versions the project uses.
        if !dir.join("Cargo.lock").is_file() {
            std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    })();
    krate.error = result.err().map(|e| format!("cannot set up the crate: {e}"));
    krate.lines = rust_lines(&dir.join("src"));
    krate
}

/// progenitor's crate, as `cargo progenitor` writes it (it depends on `progenitor-client`).
fn progenitor(document: &Document, programs: &Programs, base: &Path) -> Crate {
    let dir = base.join("progenitor");
    let mut krate = Crate {
        who: "progenitor",
        dir: dir.clone(),
        lines: 0,
        command: String::new(),
        samples: Vec::new(),
        error: None,
    };
    let result = (|| {
        let _ = std::fs::remove_dir_all(dir.join("src"));
        let mut generate =
            programs.command(super::generation::Contender::Progenitor, &document.path, &dir, "bench-progenitor")?;
        process::run(&mut generate, Duration::from_secs(600), &base.join("progenitor-generate.log"))?;
        let manifest_path = dir.join("Cargo.toml");
        let mut manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
        if !manifest.contains("[workspace]") {
            manifest.push_str("\n# Not a member of the repository's workspace.\n[workspace]\n");
            std::fs::write(&manifest_path, manifest).map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    })();
    krate.error = result.err().map(|e| format!("progenitor could not generate the crate: {e}"));
    krate.lines = rust_lines(&dir.join("src"));
    krate
}

fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .map(|path| {
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&path).map(|t| t.lines().count()).unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}
