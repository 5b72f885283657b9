//! `measure REPORT PROGRAM [ARGS...]`: runs PROGRAM to its end and writes to REPORT its wall time
//! (nanoseconds), its peak resident set (KiB) and how it ended, as one line:
//! `wall_ns=... max_rss_kib=... exit=CODE` or `... signal=N`. Exits as PROGRAM did.
//!
//! Why a program of its own: Linux counts, in a process's peak resident set, the memory of the
//! process it was spawned from until it `exec`s. Timing straight from `cargo xtask bench` (a large
//! process) would add its size to every contender's peak; this launcher is a few hundred KiB, the
//! way GNU time works. Its output goes where its own goes (inherited).

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    use std::process::{Command, ExitCode};
    use std::time::Instant;

    let mut args = std::env::args_os().skip(1);
    let (Some(report), Some(program)) = (args.next(), args.next()) else {
        eprintln!("usage: measure REPORT PROGRAM [ARGS...]");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let child = match Command::new(&program).args(args).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("measure: cannot start {}: {e}", program.to_string_lossy());
            return ExitCode::from(127);
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waits for our own child; both pointers are valid for the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            eprintln!("measure: waiting for {}: {error}", program.to_string_lossy());
            return ExitCode::from(125);
        }
    }
    let wall = started.elapsed();
    // Reaped above: dropping the handle neither waits nor kills.
    drop(child);
    let (ending, code) = if libc::WIFEXITED(status) {
        let code = libc::WEXITSTATUS(status);
        (format!("exit={code}"), code)
    } else {
        let signal = libc::WTERMSIG(status);
        (format!("signal={signal}"), 128 + signal)
    };
    // Linux reports ru_maxrss in KiB.
    let line = format!("wall_ns={} max_rss_kib={} {ending}\n", wall.as_nanos(), usage.ru_maxrss);
    if let Err(e) = std::fs::write(&report, line) {
        eprintln!("measure: cannot write {}: {e}", report.to_string_lossy());
        return ExitCode::from(125);
    }
    ExitCode::from(u8::try_from(code).unwrap_or(255))
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    eprintln!("measure: needs a Unix system (wait4)");
    std::process::ExitCode::from(2)
}
