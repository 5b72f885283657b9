//! Output is all or nothing: a failed write, a write killed by a signal at any moment, and the
//! state a kill can leave between two renames all leave a complete output in place.

use codegen::output;
use codegen::RenderedFile;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use std::{env, fs};

/// Set for the writer process: the directory it writes into, again and again.
const WRITER_DIR: &str = "ATOMIC_OUTPUT_WRITER_DIR";

/// A complete output: `label` in every file, large enough that writing takes a while.
fn output(label: char) -> Vec<RenderedFile> {
    let mut names = vec!["mod.rs", "types.rs", "operations.rs"];
    if label == 'B' {
        // The two outputs differ in their files too, so a swap also removes and adds files.
        names.push("extra.rs");
    }
    names
        .into_iter()
        .map(|name| RenderedFile {
            name: name.to_owned(),
            text: format!("// output {label}, {name}\n{}", format!("// {label}{}\n", "-".repeat(60)).repeat(20_000)),
        })
        .collect()
}

/// Which complete output `dir` holds, if it holds one exactly.
fn complete(dir: &Path) -> Option<char> {
    let mut present: Vec<String> = fs::read_dir(dir)
        .ok()?
        .map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Option<_>>()?;
    present.sort();
    ['A', 'B'].into_iter().find(|&label| {
        let files = output(label);
        let mut expected: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        expected.sort();
        expected == present
            && files.iter().all(|f| fs::read_to_string(dir.join(&f.name)).ok().as_deref() == Some(&f.text))
    })
}

fn listing(dir: &Path) -> String {
    let parent = dir.parent().expect("has a parent");
    let mut names: Vec<String> = fs::read_dir(parent)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names.join(", ")
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("atomic-output-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("target/tmp is writable");
    dir.join("generated")
}

fn leftovers_exist(dir: &Path) -> bool {
    let parent = dir.parent().expect("has a parent");
    parent.join(".generated.new").exists() || parent.join(".generated.old").exists()
}

#[test]
#[ignore = "the writer process that `a_kill_at_any_moment_leaves_a_complete_output` starts and kills"]
fn writer_process() {
    let Some(dir) = env::var_os(WRITER_DIR) else { return };
    let dir = PathBuf::from(dir);
    let (a, b) = (output('A'), output('B'));
    println!("ready");
    // Bounded, in case the test that kills it is itself killed first.
    for _ in 0..2_000 {
        output::write(&dir, &b).expect("writes");
        output::write(&dir, &a).expect("writes");
    }
}

#[test]
fn a_kill_at_any_moment_leaves_a_complete_output() {
    let dir = scratch("kill");
    output::write(&dir, &output('A')).expect("the previous output");
    let (mut rounds, mut caught_midway) = (0, 0);
    // Kill until a few kills have landed in the middle of a write (staging left behind).
    while caught_midway < 3 && rounds < 60 {
        let mut writer = Command::new(env::current_exe().expect("test binary"))
            .args(["--ignored", "--exact", "writer_process", "--nocapture", "--test-threads=1"])
            .env(WRITER_DIR, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the writer starts");
        let stdout = writer.stdout.take().expect("piped");
        let ready = BufReader::new(stdout).lines().map_while(Result::ok).any(|line| line.contains("ready"));
        assert!(ready, "the writer started writing");
        // Varying delays put the kill at different points of the write cycle.
        std::thread::sleep(Duration::from_millis(5 + (rounds * 37 % 120)));
        writer.kill().expect("SIGKILL is delivered");
        writer.wait().expect("the writer is reaped");
        if leftovers_exist(&dir) {
            caught_midway += 1;
        }
        assert!(complete(&dir).is_some(), "round {rounds}: the output is incomplete after a kill: {}", listing(&dir));
        rounds += 1;
    }
    assert!(caught_midway > 0, "no kill in {rounds} rounds landed during a write");
    // The next run cleans up what the kills left.
    output::write(&dir, &output('B')).expect("writes");
    assert_eq!(complete(&dir), Some('B'));
    assert!(!leftovers_exist(&dir), "{}", listing(&dir));
}

#[test]
fn a_write_that_fails_midway_leaves_the_previous_output() {
    let dir = scratch("fail");
    output::write(&dir, &output('A')).expect("the previous output");
    let mut broken = output('B');
    // A file that cannot be created, after others were written to staging.
    broken.push(RenderedFile { name: "no-such-dir/x.rs".into(), text: String::new() });
    output::write(&dir, &broken).expect_err("the write fails");
    assert_eq!(complete(&dir), Some('A'), "{}", listing(&dir));
    assert!(!leftovers_exist(&dir), "a failed write cleans up its staging: {}", listing(&dir));
    output::write(&dir, &output('B')).expect("writes");
    assert_eq!(complete(&dir), Some('B'));
}

#[test]
fn a_kill_between_two_renames_is_undone_by_the_next_run() {
    // Where renaming cannot exchange two directories, the swap is two renames; a kill between
    // them leaves no target, the previous output in `.generated.old` and the new in `.generated.new`.
    let dir = scratch("renames");
    let parent = dir.parent().expect("has a parent").to_owned();
    output::write(&parent.join(".generated.old"), &output('A')).expect("writes");
    output::write(&parent.join(".generated.new"), &output('B')).expect("writes");
    let described = output::leftovers(&dir).expect("the interrupted state is noticed");
    assert!(described.contains("holds the previous output"), "{described}");
    output::recover(&dir).expect("recovers");
    assert_eq!(complete(&dir), Some('A'), "{}", listing(&dir));
    assert!(!leftovers_exist(&dir) && output::leftovers(&dir).is_none(), "{}", listing(&dir));
}
