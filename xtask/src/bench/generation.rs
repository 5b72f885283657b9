//! Generation time and peak memory: each contender as a whole process, alternating run by run.

use super::process::{self, Sample};
use super::specs::{Document, Spec};
use super::stats::Summary;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Contender {
    /// Deserializing into `openapiv3::OpenAPI`, nothing else.
    Floor,
    Ours,
    Progenitor,
    OpenApiGenerator,
}

impl Contender {
    pub fn name(self) -> &'static str {
        match self {
            Contender::Floor => "parse floor",
            Contender::Ours => "ours (sdkgen)",
            Contender::Progenitor => "progenitor",
            Contender::OpenApiGenerator => "openapi-generator",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Contender::Floor => "floor",
            Contender::Ours => "ours",
            Contender::Progenitor => "progenitor",
            Contender::OpenApiGenerator => "openapi-generator",
        }
    }
}

/// The programs each contender runs.
pub struct Programs {
    /// The launcher every measured process is started by (`bench/src/bin/measure.rs`).
    pub launcher: PathBuf,
    pub floor: PathBuf,
    pub sdkgen: PathBuf,
    pub progenitor: Result<PathBuf, String>,
    pub openapi_generator: Result<PathBuf, String>,
}

impl Programs {
    /// The command that generates `spec` into `out` (or, for the floor, only parses it).
    pub fn command(&self, contender: Contender, spec: &Path, out: &Path, crate_name: &str) -> Result<Command, String> {
        let mut command = match contender {
            Contender::Floor => {
                let mut c = Command::new(&self.floor);
                c.arg(spec);
                c
            }
            Contender::Ours => {
                let mut c = Command::new(&self.sdkgen);
                c.arg(spec).arg(out);
                c
            }
            Contender::Progenitor => {
                let mut c = Command::new(self.progenitor.as_ref().map_err(Clone::clone)?);
                // A cargo subcommand is called with its own name first, as `cargo progenitor` does.
                c.arg("progenitor").arg("-i").arg(spec).arg("-o").arg(out).args(["-n", crate_name, "-v", "0.1.0"]);
                c
            }
            Contender::OpenApiGenerator => {
                let mut c = Command::new(self.openapi_generator.as_ref().map_err(Clone::clone)?);
                c.args(["generate", "-i"]).arg(spec).args(["-g", "rust", "-o"]).arg(out);
                c.arg("--additional-properties=library=reqwest");
                c
            }
        };
        // Rust programs print their error, not a stack trace (which also costs time to capture).
        command.env("RUST_BACKTRACE", "0").env("RUST_LIB_BACKTRACE", "0");
        Ok(command)
    }
}

/// One contender on one document.
#[derive(Debug, Clone)]
pub struct Measured {
    pub contender: Contender,
    pub command: String,
    pub samples: Vec<Sample>,
    /// Why it stopped: its error as it printed it, or why it did not run.
    pub error: Option<String>,
}

impl Measured {
    pub fn time(&self) -> Option<Summary> {
        Summary::of_durations(&self.samples.iter().map(|s| s.wall).collect::<Vec<_>>())
    }

    pub fn memory_kib(&self) -> Option<Summary> {
        Summary::of(&self.samples.iter().filter_map(|s| s.max_rss_kib).map(|k| k as f64).collect::<Vec<_>>())
    }

    /// The median time, when it ran at all.
    pub fn median(&self) -> Option<f64> {
        self.time().map(|s| s.median)
    }
}

/// One document and the contenders run on it.
#[derive(Debug, Clone)]
pub struct Case {
    pub spec: Spec,
    /// True for the copy without uploads.
    pub without_multipart: bool,
    pub document: Document,
    pub results: Vec<Measured>,
    /// Our generator's steps (`sdkgen --timings`): step -> median microseconds.
    pub phases: BTreeMap<String, f64>,
}

impl Case {
    pub fn get(&self, contender: Contender) -> Option<&Measured> {
        self.results.iter().find(|m| m.contender == contender)
    }

    pub fn name(&self) -> String {
        if self.without_multipart {
            format!("{}-no-multipart", self.spec.key)
        } else {
            self.spec.key.clone()
        }
    }
}

/// Which contenders run on which copy: all four on the whole description (progenitor refuses one
/// with uploads at once, and its refusal is recorded), then, when it has uploads, the floor, ours
/// and progenitor on the copy without them.
pub fn cases(specs: &[Spec]) -> Vec<Case> {
    let mut cases = Vec::new();
    for spec in specs {
        let full = [Contender::Floor, Contender::Ours, Contender::Progenitor, Contender::OpenApiGenerator];
        cases.push(case(spec, false, spec.full.clone(), &full));
        if let Some((document, _)) = &spec.without_multipart {
            cases.push(case(spec, true, document.clone(), &[Contender::Floor, Contender::Ours, Contender::Progenitor]));
        }
    }
    cases
}

fn case(spec: &Spec, without_multipart: bool, document: Document, contenders: &[Contender]) -> Case {
    let results = contenders
        .iter()
        .map(|&contender| Measured { contender, command: String::new(), samples: Vec::new(), error: None })
        .collect();
    Case { spec: spec.clone(), without_multipart, document, results, phases: BTreeMap::new() }
}

/// Runs `rounds` rounds on `case`; each round runs every contender once, in an order that rotates
/// from round to round. A contender that fails is not run again on this document.
pub fn measure(case: &mut Case, programs: &Programs, rounds: usize, timeout: Duration, work: &Path) {
    let name = case.name();
    let crate_name = format!("{}-progenitor", case.spec.key);
    for round in 0..rounds {
        let count = case.results.len();
        for k in 0..count {
            let measured = &mut case.results[(k + round) % count];
            if measured.error.is_some() {
                continue;
            }
            let out = work.join("gen").join(&name).join(measured.contender.slug());
            let _ = std::fs::remove_dir_all(&out);
            let command = match programs.command(measured.contender, &case.document.path, &out, &crate_name) {
                Ok(command) => command,
                Err(why) => {
                    measured.error = Some(format!("not run: {why}"));
                    continue;
                }
            };
            measured.command = super::shown_command(&command);
            let log = work.join("logs").join(&name).join(format!("{}.log", measured.contender.slug()));
            match process::measure(&programs.launcher, &command, timeout, &log) {
                Ok(sample) => measured.samples.push(sample),
                Err(error) => measured.error = Some(error),
            }
            let shown = measured.samples.last().filter(|_| measured.error.is_none());
            eprintln!(
                "bench: {name}: {} round {}: {}",
                measured.contender.name(),
                round + 1,
                shown.map_or_else(|| "failed".to_owned(), |s| super::stats::seconds(s.wall.as_secs_f64()))
            );
        }
    }
}

/// Our generator's steps, `runs` times with `--timings`: median microseconds per step.
pub fn phases(case: &mut Case, programs: &Programs, runs: usize, timeout: Duration, work: &Path) {
    if case.get(Contender::Ours).is_none_or(|m| m.error.is_some()) {
        return;
    }
    let name = case.name();
    let mut steps: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for _ in 0..runs {
        let out = work.join("gen").join(&name).join("ours-timings");
        let _ = std::fs::remove_dir_all(&out);
        let log = work.join("logs").join(&name).join("ours-timings.log");
        let mut command = Command::new(&programs.sdkgen);
        command.arg(&case.document.path).arg(&out).arg("--timings");
        if process::run(&mut command, timeout, &log).is_err() {
            return;
        }
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if let (Some("timing"), Some(step), Some(micros)) = (words.next(), words.next(), words.next()) {
                if let Ok(micros) = micros.parse::<f64>() {
                    steps.entry(step.to_owned()).or_default().push(micros);
                }
            }
        }
    }
    case.phases =
        steps.into_iter().filter_map(|(step, values)| Summary::of(&values).map(|s| (step, s.median))).collect();
}
