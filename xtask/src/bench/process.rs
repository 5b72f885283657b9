//! Running processes bounded in time, and measuring one contender: whole process, wall time and
//! peak memory.
//!
//! Peak memory is `ru_maxrss` from `wait4(2)`: the largest resident set of the process and of the
//! children it waited for (a launcher's JVM included), the figure GNU time prints as "Maximum
//! resident set size". Linux also counts in it the process it was spawned from, until the `exec`,
//! so contenders are started by the small `measure` launcher (`bench/src/bin/measure.rs`), as GNU
//! time starts them, never straight from this (large) process. No external `time` is needed.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One finished run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    /// KiB; `None` where the platform does not tell.
    pub max_rss_kib: Option<u64>,
}

/// Runs `command` to its end, its output (stdout and stderr) into `log`, and returns its wall time.
/// Fails, with the end of the output, when it exits non-zero, dies of a signal, or outlives
/// `timeout` (then its process group is killed).
pub fn run(command: &mut Command, timeout: Duration, log: &Path) -> Result<Duration, String> {
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let out = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    command.stdin(Stdio::null()).stdout(out).stderr(err);
    let (status, wall) = spawn_and_wait(command, timeout)?;
    match status {
        Exit::Code(0) => Ok(wall),
        Exit::Code(code) => Err(format!("exit status {code}\n{}", tail(log))),
        Exit::Signal(signal) => Err(format!("killed by signal {signal}\n{}", tail(log))),
        Exit::TimedOut => Err(format!("timed out after {} s and was stopped\n{}", timeout.as_secs(), tail(log))),
    }
}

enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
}

#[cfg(unix)]
fn spawn_and_wait(command: &mut Command, timeout: Duration) -> Result<(Exit, Duration), String> {
    use std::os::unix::process::CommandExt;
    use std::sync::mpsc;

    // Its own process group, so a timeout stops the JVM a launcher started too.
    command.process_group(0);
    let started = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
            // SAFETY: signals the process group this function started and has not reaped yet.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            true
        } else {
            false
        }
    });
    let mut status: libc::c_int = 0;
    loop {
        // SAFETY: waits for our own child; the pointer is valid for the call.
        let reaped = unsafe { libc::waitpid(pid, &mut status, 0) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for {:?}: {error}", command.get_program()));
        }
    }
    let wall = started.elapsed();
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    // Reaped above: dropping the handle neither waits nor kills.
    drop(child);
    let exit = if timed_out {
        Exit::TimedOut
    } else if libc::WIFEXITED(status) {
        Exit::Code(libc::WEXITSTATUS(status))
    } else {
        Exit::Signal(libc::WTERMSIG(status))
    };
    Ok((exit, wall))
}

#[cfg(not(unix))]
fn spawn_and_wait(command: &mut Command, timeout: Duration) -> Result<(Exit, Duration), String> {
    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((Exit::Code(status.code().unwrap_or(-1)), started.elapsed()));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((Exit::TimedOut, started.elapsed()));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `command` under the `measure` launcher (`bench/src/bin/measure.rs`), which times it and
/// reads its peak memory without counting its own, then as [`run`].
pub fn measure(launcher: &Path, command: &Command, timeout: Duration, log: &Path) -> Result<Sample, String> {
    let report = log.with_extension("measure");
    let _ = std::fs::remove_file(&report);
    let mut wrapped = Command::new(launcher);
    wrapped.arg(&report).arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    run(&mut wrapped, timeout, log)?;
    let line = std::fs::read_to_string(&report).map_err(|e| format!("measure wrote no report: {e}"))?;
    let field =
        |name: &str| line.split_whitespace().find_map(|f| f.strip_prefix(name)?.strip_prefix('=')?.parse::<u64>().ok());
    let wall = field("wall_ns").ok_or_else(|| format!("measure's report is not understood: {line}"))?;
    Ok(Sample { wall: Duration::from_nanos(wall), max_rss_kib: field("max_rss_kib").filter(|&k| k > 0) })
}

/// The end of a log, as the tool wrote it: from its first error line when it has one (what
/// follows cut short), else its last lines.
pub fn tail(log: &Path) -> String {
    const LINES: usize = 12;
    const CHARS: usize = 2_000;
    let text = std::fs::read(log).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let is_error = |l: &&str| {
        let l = l.trim_start();
        ["error", "Error", "ERROR", "Exception", "gen fail", "thread 'main' panicked"].iter().any(|p| l.starts_with(p))
            || l.contains("Exception:")
    };
    let start = lines.iter().position(is_error).unwrap_or(lines.len().saturating_sub(LINES));
    let mut tail = lines[start..lines.len().min(start + LINES)].join("\n");
    if tail.len() > CHARS {
        let cut = tail.char_indices().map(|(i, _)| i).find(|&i| i >= tail.len() - CHARS).unwrap_or(0);
        tail = format!("…{}", &tail[cut..]);
    }
    tail
}

/// Runs a short helper command (a version query, an install step) and returns its output.
pub fn output(command: &mut Command) -> Result<String, String> {
    let program = format!("{:?}", command.get_program());
    let out = command.stdin(Stdio::null()).output().map_err(|e| format!("cannot start {program}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text.trim().to_owned())
    } else {
        Err(format!("{program} failed ({}): {}", out.status, text.trim()))
    }
}
