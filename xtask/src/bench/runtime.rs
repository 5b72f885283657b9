//! The SDK at run time: `bench/src/bin/runtime_bench.rs` does the measuring; this runs it and reads
//! its report.

use super::process;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Runtime {
    pub command: String,
    pub requests_per_round: u64,
    pub concurrency: u64,
    pub body_bytes: u64,
    pub sdk_rps: Vec<f64>,
    pub plain_rps: Vec<f64>,
    /// The client thread's CPU time per request, nanoseconds, one figure per round.
    pub sdk_cpu_ns: Vec<f64>,
    pub plain_cpu_ns: Vec<f64>,
    pub users: u64,
    pub page_bytes: u64,
    pub decode_reps: u64,
    /// Nanoseconds per decode of the whole page, one figure per round.
    pub sdk_decode_ns: Vec<f64>,
    pub plain_decode_ns: Vec<f64>,
}

pub struct Settings {
    pub requests: usize,
    pub concurrency: usize,
    pub rounds: usize,
    pub decode_reps: usize,
    pub decode_rounds: usize,
    pub max_seconds: u64,
}

pub fn run(program: &Path, spec: &Path, settings: &Settings, work: &Path) -> Result<Runtime, String> {
    let mut command = Command::new(program);
    command
        .arg("--spec")
        .arg(spec)
        .args(["--requests", &settings.requests.to_string()])
        .args(["--concurrency", &settings.concurrency.to_string()])
        .args(["--rounds", &settings.rounds.to_string()])
        .args(["--decode-reps", &settings.decode_reps.to_string()])
        .args(["--decode-rounds", &settings.decode_rounds.to_string()])
        .args(["--users", "2000"])
        .args(["--max-seconds", &settings.max_seconds.to_string()]);
    let shown = super::shown_command(&command);
    let log = work.join("logs").join("runtime-bench.log");
    // Two bounded phases of rounds (requests and decoding), warm-ups included, plus slack.
    let bound = settings.max_seconds * (2 * settings.rounds as u64 + 4) + 60;
    process::run(&mut command, Duration::from_secs(bound), &log)?;
    let text = std::fs::read_to_string(&log).map_err(|e| e.to_string())?;
    let report: Value = text
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| format!("runtime-bench printed no report:\n{}", process::tail(&log)))?;
    let number = |pointer: &str| report.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
    let list = |pointer: &str| -> Vec<f64> {
        report.pointer(pointer).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_f64).collect()
    };
    Ok(Runtime {
        command: shown,
        requests_per_round: number("/http/requests_per_round"),
        concurrency: number("/http/concurrency"),
        body_bytes: number("/http/body_bytes"),
        sdk_rps: list("/http/sdk_rps"),
        plain_rps: list("/http/plain_rps"),
        sdk_cpu_ns: list("/http/sdk_cpu_ns_per_request"),
        plain_cpu_ns: list("/http/plain_cpu_ns_per_request"),
        users: number("/decode/users"),
        page_bytes: number("/decode/bytes"),
        decode_reps: number("/decode/reps_per_round"),
        sdk_decode_ns: list("/decode/sdk_ns"),
        plain_decode_ns: list("/decode/plain_ns"),
    })
}
