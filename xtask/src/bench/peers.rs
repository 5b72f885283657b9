//! The peer generators, pinned, installed under `target/bench-tools/` or reused from there.
//!
//! - progenitor: `cargo install cargo-progenitor --locked --version <pin> --root target/bench-tools`
//!   (a few minutes of compiling, once per machine).
//! - openapi-generator: the PyPI wheel `openapi-generator-cli`, which bundles the jar, in a venv;
//!   it needs Java on the PATH.
//!
//! A peer that cannot be installed is recorded as unavailable with the reason; the bench goes on.

use super::process;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PROGENITOR_VERSION: &str = "0.15.1";
pub const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";

/// One peer generator: where its program is, or why it is not there.
#[derive(Debug, Clone)]
pub struct Peer {
    pub program: Result<PathBuf, String>,
    /// What the tool says its version is (or the pin, where it cannot say).
    pub version: String,
    /// How it was installed, for the report.
    pub install: String,
}

pub fn progenitor(tools: &Path, cargo: &str, install: bool) -> Peer {
    let program = tools.join("bin").join("cargo-progenitor");
    let install_command = format!(
        "cargo install cargo-progenitor --locked --version {PROGENITOR_VERSION} --root {}",
        super::shown(tools)
    );
    let installed = std::fs::read_to_string(tools.join(".crates.toml"))
        .is_ok_and(|list| list.contains(&format!("cargo-progenitor {PROGENITOR_VERSION} ")));
    let program = if program.is_file() && installed {
        Ok(program)
    } else if !install {
        Err(format!("not installed (run without --no-install, or: {install_command})"))
    } else {
        eprintln!("bench: installing cargo-progenitor {PROGENITOR_VERSION} (compiles for a few minutes, once)");
        let log = tools.join("cargo-progenitor-install.log");
        let mut command = Command::new(cargo);
        command.args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR_VERSION, "--root"]).arg(tools);
        process::run(&mut command, std::time::Duration::from_secs(1800), &log)
            .map(|_| program)
            .map_err(|e| format!("`{install_command}` failed: {e}"))
    };
    Peer { program, version: format!("cargo-progenitor {PROGENITOR_VERSION}"), install: install_command }
}

pub fn openapi_generator(tools: &Path, install: bool) -> Peer {
    let venv = tools.join("venv");
    let program = venv.join("bin").join("openapi-generator-cli");
    let pip = venv.join("bin").join("pip");
    let install_command = format!(
        "python3 -m venv {venv} && {venv}/bin/pip install openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}",
        venv = super::shown(&venv)
    );
    let installed = || {
        process::output(Command::new(&pip).args(["show", "openapi-generator-cli"]))
            .is_ok_and(|info| info.lines().any(|l| l.trim() == format!("Version: {OPENAPI_GENERATOR_VERSION}")))
    };
    let java = process::output(Command::new("java").arg("-version"))
        .map(|v| v.lines().next().unwrap_or_default().to_owned())
        .map_err(|e| format!("needs Java, which is not available: {e}"));
    let program = match java {
        Err(e) => Err(e),
        Ok(_) if program.is_file() && installed() => Ok(program),
        Ok(_) if !install => Err(format!("not installed (run without --no-install, or: {install_command})")),
        Ok(_) => {
            eprintln!("bench: installing openapi-generator-cli {OPENAPI_GENERATOR_VERSION} from PyPI");
            let log = tools.join("openapi-generator-install.log");
            let timeout = std::time::Duration::from_secs(600);
            let venv_ok = venv.join("bin").join("python3").is_file()
                || process::run(Command::new("python3").args(["-m", "venv"]).arg(&venv), timeout, &log).is_ok();
            let pinned = format!("openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}");
            if !venv_ok {
                Err(format!("`python3 -m venv {}` failed", super::shown(&venv)))
            } else {
                process::run(Command::new(&pip).args(["install", "--quiet", &pinned]), timeout, &log)
                    .map(|_| program)
                    .map_err(|e| format!("`{install_command}` failed: {e}"))
            }
        }
    };
    let version = match &program {
        Ok(program) => process::output(Command::new(program).arg("version"))
            .map(|v| format!("openapi-generator {}", v.lines().last().unwrap_or_default()))
            .unwrap_or_else(|_| format!("openapi-generator-cli {OPENAPI_GENERATOR_VERSION}")),
        Err(_) => format!("openapi-generator-cli {OPENAPI_GENERATOR_VERSION}"),
    };
    Peer { program, version, install: install_command }
}

/// `java -version`'s first line, for the report.
pub fn java_version() -> String {
    process::output(Command::new("java").arg("-version"))
        .map(|v| v.lines().next().unwrap_or_default().to_owned())
        .unwrap_or_else(|e| format!("unavailable ({e})"))
}
