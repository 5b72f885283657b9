//! `docs/benchmarks.md`: every figure from the run that writes it, with the commands behind it.
//!
//! The issue's targets are one table, [`SUBJECTS`]; the targets section, the notes on missed targets
//! and the console's summary lines are all rendered from it.

use super::compile::Crate;
use super::generation::{Case, Contender, Measured};
use super::runtime::Runtime;
use super::stats::{mib, ratio, seconds, Summary};
use super::Run;
use std::fmt::Write as _;
use Contender::{Floor, OpenApiGenerator, Ours, Progenitor};
use Goal::{AtLeast, Faster, Within};

/// What a target asks of the ratio between our figure and theirs.
#[derive(Clone, Copy)]
enum Goal {
    /// Theirs / ours at least this: "≥ 30x faster".
    Faster(f64),
    /// Ours / theirs at most this, said with a word: "≤ 2x the floor".
    Within(f64, &'static str),
    /// Ours / theirs at least this: "≥ 0.95x".
    AtLeast(f64),
}

/// Who is compared (ours, then theirs), what the target asks of the ratio, and the two figures
/// from a run, or why they are not there (a contender failed or did not run).
type Versus = ([&'static str; 2], Goal, fn(&Run) -> Result<(f64, f64), String>);

/// What the issue's targets measure, and the targets on each.
struct Subject {
    /// `{users}` stands for the size of the decoded page.
    what: &'static str,
    /// How one figure reads.
    unit: fn(f64) -> String,
    /// What else a run's figures say, when it missed a target on this subject.
    why: fn(&Run) -> Option<String>,
    targets: &'static [Versus],
}

const SUBJECTS: &[Subject] = &[
    Subject {
        what: "generation",
        unit: seconds,
        why: steps_note,
        targets: &[
            (["ours", "progenitor"], Faster(30.0), |run| generation(run, true, Progenitor)),
            (["ours", "openapi-generator"], Faster(100.0), |run| generation(run, false, OpenApiGenerator)),
            (["ours", "the parse floor"], Within(2.0, "the floor"), |run| generation(run, false, Floor)),
        ],
    },
    Subject {
        what: "compile time of the generated crate",
        unit: seconds,
        why: compile_note,
        targets: &[(["ours", "progenitor's"], Within(1.0, "progenitor's"), |run| {
            compiled(run).map(|[(_, ours), (_, theirs)]| (ours.median, theirs.median))
        })],
    },
    Subject {
        what: "GET throughput",
        unit: |rate| format!("{rate:.0} requests/s"),
        why: cpu_note,
        targets: &[(["SDK", "hand-written reqwest + serde_json"], AtLeast(0.95), |run| {
            runtime(run, |r| [&r.sdk_rps, &r.plain_rps])
        })],
    },
    Subject {
        what: "decode of a {users} page",
        unit: |ns| seconds(ns / 1e9),
        why: |_| None,
        targets: &[(["SDK types", "plain serde_json structs"], Within(1.2, "the time"), |run| {
            runtime(run, |r| [&r.sdk_decode_ns, &r.plain_decode_ns])
        })],
    },
];

/// A target and what a run measured for it.
struct Check {
    what: String,
    target: String,
    measured: String,
    /// `None` when it could not be measured.
    met: Option<bool>,
    /// When missed, what our figure would need to be: "at most 29.9 ms against progenitor (now 108 ms)".
    needed: Option<String>,
}

/// A subject as this run's report says it.
fn what(run: &Run, subject: &Subject) -> String {
    let users = run.runtime.as_ref().map_or("list".to_owned(), |r| format!("{}-user", r.users));
    subject.what.replace("{users}", &users)
}

/// Each subject's checks.
fn checks(run: &Run) -> Vec<Vec<Check>> {
    let check = |subject: &Subject, (who, goal, figures): &Versus| {
        let figures = figures(run);
        // Not-a-number when not measured: nothing below is shown then but the reason.
        let (o, t) = figures.clone().unwrap_or((f64::NAN, f64::NAN));
        let (target, word, r, met, bound, need) = match *goal {
            Faster(x) => (format!("≥ {x}x faster"), " faster".to_owned(), t / o, t / o >= x, "at most", t / x),
            Within(x, w) => (format!("≤ {x}x {w}"), format!(" {w}"), o / t, o / t <= x, "at most", t * x),
            AtLeast(x) => (format!("≥ {x}x"), String::new(), o / t, o / t >= x, "at least", t * x),
        };
        let (unit, ok) = (subject.unit, figures.is_ok());
        Check {
            what: format!("{}, {} vs {}", what(run, subject), who[0], who[1]),
            target,
            measured: figures.map_or_else(|e| e, |_| format!("{}{word} ({} vs {})", ratio(r), unit(o), unit(t))),
            met: ok.then_some(met),
            needed: (ok && !met).then(|| format!("{bound} {} against {} (now {})", unit(need), who[1], unit(o))),
        }
    };
    SUBJECTS.iter().map(|s| s.targets.iter().map(|t| check(s, t)).collect()).collect()
}

/// For each subject with a missed target, what it would take, from the run's own figures.
fn misses(run: &Run, checks: &[Vec<Check>]) -> Vec<String> {
    let note = |(subject, checks): (&Subject, &Vec<Check>)| {
        let needed: Vec<&str> = checks.iter().filter_map(|c| c.needed.as_deref()).collect();
        // Ours, as the subject's targets name it.
        let (ours, s) = (subject.targets[0].0[0], if needed.len() > 1 { "s" } else { "" });
        let mut what = what(run, subject);
        what[..1].make_ascii_uppercase();
        let why = (subject.why)(run).unwrap_or_default();
        let note = format!("{what}: to meet the target{s}, {ours} would need {}.{why}", needed.join(", "));
        (!needed.is_empty()).then_some(note)
    };
    SUBJECTS.iter().zip(checks).filter_map(note).collect()
}

/// One line per target, for the console.
pub fn summary_lines(run: &Run) -> Vec<String> {
    let line =
        |c: Check| format!("{}: {} (target {}) {}", c.what, c.measured, c.target, verdict(c.met).trim_matches('*'));
    checks(run).into_iter().flatten().map(line).collect()
}

/// Our generation time and a peer's on the targets' description; with `stripped`, on its copy
/// without uploads where there is one, which progenitor is given.
fn generation(run: &Run, stripped: bool, theirs: Contender) -> Result<(f64, f64), String> {
    let key = target_key(run);
    let case = case(run, key, stripped).or_else(|| case(run, key, false));
    let time = |who| {
        let m = case.and_then(|c| c.get(who));
        ok_median(m).ok_or_else(|| failure(m))
    };
    Ok((time(Ours)?, time(theirs)?))
}

/// Our generated crate and progenitor's, with their build times, on the targets' description.
fn compiled(run: &Run) -> Result<[(&Crate, Summary); 2], String> {
    let comparison = run.compile.iter().find(|(k, _)| k == target_key(run)).map(|(_, c)| c);
    let get = |who: &str| {
        let k = comparison.and_then(|c| c.crates.iter().find(|k| k.who == who)).ok_or("not measured")?;
        match (&k.error, k.time()) {
            (Some(e), _) => Err(format!("{who}: {}", first_line(e))),
            (None, time) => Ok((k, time.ok_or("not measured")?)),
        }
    };
    Ok([get("ours")?, get("progenitor")?])
}

/// The SDK's median and the hand-written code's, of the figures `get` picks.
fn runtime(run: &Run, get: fn(&Runtime) -> [&Vec<f64>; 2]) -> Result<(f64, f64), String> {
    let r = run.runtime.as_ref().map_err(|e| format!("failed: {}", first_line(e)))?;
    let [sdk, plain] = get(r).map(|figures| Summary::of(figures).map(|s| s.median).ok_or("not measured"));
    Ok((sdk?, plain?))
}

/// Where our generation time goes on the targets' description, from `--timings`.
fn steps_note(run: &Run) -> Option<String> {
    let c = case(run, target_key(run), false).filter(|c| !c.phases.is_empty())?;
    let step = |s: &str| c.phases.get(s).copied().unwrap_or_default() / 1e6;
    let (total, render, emit) = (step("total"), step("render"), step("emit"));
    let mut note = format!(
        " Timed step by step on `{}`, on one thread (`--timings`), `render` (tokens parsed back by `syn`, then \
         printed by `prettyplease`) takes {} and `emit` (building `quote` tokens) {}: {:.0}% of the {} there; a \
         normal run spreads both over the cores, one piece of each file per core, which is why the whole process \
         takes less than that sum.",
        c.name(),
        seconds(render),
        seconds(emit),
        (render + emit) / total * 100.0,
        seconds(total)
    );
    if let Some(floor) = c.phases.get("floor(apart)").map(|us| us / 1e6) {
        let _ = write!(
            note,
            " Without them the rest ({}) is still {} the in-process floor ({}): the document is read twice over \
             (text to a JSON value, then that value into `openapiv3::OpenAPI` with path tracking, {} together) \
             where the floor reads it once.",
            seconds(total - render - emit),
            ratio((total - render - emit) / floor),
            seconds(floor),
            seconds(step("parse") + step("typed(apart)"))
        );
    }
    Some(note)
}

fn compile_note(run: &Run) -> Option<String> {
    let [(o, ot), (p, pt)] = compiled(run).ok()?;
    Some(format!(
        " Spreads (min–max): ours {}–{}, progenitor's {}–{}; our crate has {} lines of Rust to progenitor's {} \
         (doc comments and enums that keep unknown values included).",
        seconds(ot.min),
        seconds(ot.max),
        seconds(pt.min),
        seconds(pt.max),
        o.lines,
        p.lines
    ))
}

fn cpu_note(run: &Run) -> Option<String> {
    let r = run.runtime.as_ref().ok()?;
    let cpu = Summary::of(&r.sdk_cpu_ns).zip(Summary::of(&r.plain_cpu_ns)).map(|(s, p)| {
        let (s, p) = (s.median / 1e3, p.median / 1e3);
        format!(" Its client thread spends {s:.1} µs of CPU per request to {p:.1} µs, {:.1} µs more.", s - p)
    });
    let end = " On one client thread, throughput follows the client's own CPU time per request.";
    Some(format!("{}{end}", cpu.unwrap_or_default()))
}

/// The description the targets are stated for: Zoom's own when present, else ours.
fn target_key(run: &Run) -> &'static str {
    let reference = run.cases.iter().any(|c| c.spec.key == "zoom-reference");
    if reference {
        "zoom-reference"
    } else {
        "zoom-users"
    }
}

fn case<'a>(run: &'a Run, key: &str, without_multipart: bool) -> Option<&'a Case> {
    run.cases.iter().find(|c| c.spec.key == key && c.without_multipart == without_multipart)
}

fn ok_median(m: Option<&Measured>) -> Option<f64> {
    m.filter(|m| m.error.is_none()).and_then(Measured::median)
}

fn failure(m: Option<&Measured>) -> String {
    m.and_then(|m| m.error.as_ref()).map_or("not measured".into(), |e| format!("not comparable: {}", first_line(e)))
}

fn first_line(text: &str) -> String {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().chars().take(160).collect()
}

/// "1 round", "5 rounds".
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// A markdown table (a `|` in a cell is written `/`), and the blank line after it.
fn table(md: &mut String, header: &[&str], rows: impl IntoIterator<Item = impl IntoIterator<Item = impl AsRef<str>>>) {
    let _ = writeln!(md, "| {} |\n|{}", header.join(" | "), "---|".repeat(header.len()));
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|c| c.as_ref().replace('|', "/")).collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    md.push('\n');
}

/// A block of commands, the empty ones left out.
fn commands<'a>(md: &mut String, commands: impl IntoIterator<Item = &'a str>) {
    md.push_str("```sh\n");
    for command in commands.into_iter().filter(|c| !c.is_empty()) {
        let _ = writeln!(md, "{command}");
    }
    md.push_str("```\n\n");
}

/// How something failed: the end of its output.
fn failed(md: &mut String, intro: &str, error: &str) {
    let _ = writeln!(md, "{intro}\n\n```text\n{}\n```\n", error.trim());
}

/// Runs, time and time against ours, of something timed round by round that may have stopped.
fn timed(time: Option<Summary>, error: Option<&str>, ours: Option<f64>) -> [String; 3] {
    let shown = match (time, error) {
        (Some(t), e) => format!("{}{}", t.seconds(), if e.is_some() { ", then failed" } else { "" }),
        (None, Some(_)) => "failed".into(),
        (None, None) => "not run".into(),
    };
    let versus = time.zip(ours).map(|(t, o)| ratio(t.median / o)).unwrap_or_default();
    [time.map_or(0, |t| t.n).to_string(), shown, versus]
}

pub fn render(run: &Run) -> String {
    let mut md = String::new();
    let key = target_key(run);
    let _ = writeln!(
        md,
        "# Benchmarks\n\nWritten by `{}` on {} (the whole run took {}). Every figure on this page comes from that \
         run; run the same command to measure again. Nothing here is asserted by a test.\n",
        run.command,
        run.date,
        seconds(run.took.as_secs_f64())
    );
    if run.quick {
        md.push_str(
            "> **Quick mode**: each measurement ran once, GitHub's cut-down descriptions were left out. These are \
             smoke-test figures, not benchmarks; `cargo xtask bench` measures properly.\n\n",
        );
    }
    let title = case(run, key, false).map_or("", |c| c.spec.title.as_str());
    let _ = writeln!(
        md,
        "## Targets\n\nMeasured on {title}; medians of whole processes. Ratios compare the same document: \
         progenitor's on the copy without upload operations, which it refuses.\n"
    );
    let checks = checks(run);
    let rows =
        checks.iter().flatten().map(|c| [c.what.as_str(), c.target.as_str(), c.measured.as_str(), verdict(c.met)]);
    table(&mut md, &["what", "target", "measured", ""], rows);
    anchors(&mut md, run, key);
    let notes = misses(run, &checks);
    if !notes.is_empty() {
        let _ = writeln!(md, "What the figures say about the targets this run missed:\n\n- {}\n", notes.join("\n- "));
    }

    md.push_str("## Machine and versions\n\n");
    let load = ("load average (1, 5, 15 min)".into(), format!("{} before, {} after", run.load_before, run.load_after));
    table(&mut md, &["", ""], run.machine.iter().chain(&run.versions).chain([&load]).map(|(k, v)| [k, v]));
    md.push_str("Peers are pinned and installed under `target/bench-tools/` by the bench itself:\n\n");
    for (name, peer) in &run.peers {
        let state = peer.program.as_ref().map_or_else(|e| format!("**unavailable**: {e}"), |_| "available".into());
        let _ = writeln!(md, "- {name}: `{}` ({state})", peer.install);
    }
    md.push('\n');

    generation_section(&mut md, run);
    floor_section(&mut md, run);
    compile_section(&mut md, run);
    runtime_section(&mut md, run);
    md + &METHOD.replace("{command}", &run.command).replace("{octokit}", super::specs::OCTOKIT_PACKAGE)
}

/// The reference figures the issue quotes, next to what this run measured.
fn anchors(md: &mut String, run: &Run, key: &str) {
    let (full, stripped) = (case(run, key, false), case(run, key, true));
    let show = |m: Option<&Measured>| match m {
        Some(m) if m.error.is_none() => m.median().map_or("not run".into(), seconds),
        Some(m) => format!("failed ({})", first_line(m.error.as_deref().unwrap_or_default())),
        None => "not run".into(),
    };
    let oag = full.and_then(|c| c.get(OpenApiGenerator));
    let memory = oag.filter(|m| m.error.is_none()).and_then(Measured::memory_kib);
    // On a description with uploads, progenitor also ran once on the whole of it.
    let whole = full.and_then(|c| c.get(Progenitor)).filter(|_| stripped.is_some());
    let floor = show(full.and_then(|c| c.get(Floor)));
    let progenitor = show(stripped.or(full).and_then(|c| c.get(Progenitor)))
        + &whole.map(|m| format!("; whole description: {}", show(Some(m)))).unwrap_or_default();
    let oag = show(oag) + &memory.map(|s| format!(", {}", mib(s.median))).unwrap_or_default();
    md.push_str("The issue's reference figures for Zoom's description, and this run's:\n\n");
    let rows = [
        ["deserializing into `openapiv3::OpenAPI` only", "about 7 ms", &floor],
        [
            "progenitor, two upload operations removed",
            "about 0.6 s (refuses the whole description: `unexpected content type: multipart/form-data`)",
            &progenitor,
        ],
        ["openapi-generator", "about 2.5-2.9 s and 200 MiB", &oag],
    ];
    table(md, &["figure", "issue", "this run"], rows);
}

fn generation_section(md: &mut String, run: &Run) {
    let _ = writeln!(
        md,
        "## 1. Generation time and peak memory\n\nEach generator runs as a whole process, from start to exit, \
         writing into an empty folder; contenders alternate run by run, the order rotating each round. {} on the \
         Zoom descriptions, {} on GitHub's. Every process is started by the small `measure` launcher \
         (`target/release/measure`, from `bench/`), which times it and reads its peak memory: the largest resident \
         set of the process and the children it waited for (`ru_maxrss` from `wait4`, what GNU time reports), \
         without the bench's own memory, which Linux would count in a process it spawned directly. Time shown as \
         median (min–max).\n\n![Generation time by description size](generation-time.svg)\n",
        count(run.rounds, "round"),
        count(run.github_rounds, "round")
    );
    for (name, why) in &run.skipped {
        let _ = writeln!(md, "- Not measured: {name}: {why}");
    }
    if !run.skipped.is_empty() {
        md.push('\n');
    }
    for (i, case) in run.cases.iter().enumerate() {
        if i == 0 || run.cases[i - 1].spec.key != case.spec.key {
            let _ = writeln!(md, "### {}\n", case.spec.title);
        }
        let document = format!("{} operations, `{}`.", case.document.operations, super::shown(&case.document.path));
        let _ = match case.spec.without_multipart.as_ref().filter(|_| case.without_multipart) {
            Some((_, removed)) => writeln!(
                md,
                "Copy without its upload operations (`{}`), since progenitor refuses `multipart/form-data`: \
                 {document}\n",
                removed.join("`, `")
            ),
            None => writeln!(md, "Whole description: {document}\n"),
        };
        let ours = ok_median(case.get(Ours));
        let rows = case.results.iter().map(|m| {
            let [runs, time, versus] = timed(m.time(), m.error.as_deref(), ours);
            let memory = m.memory_kib().map(|s| mib(s.median)).unwrap_or_default();
            [m.contender.name().to_owned(), runs, time, memory, versus]
        });
        table(md, &["contender", "runs", "time", "peak memory", "time / ours"], rows);
        md.push_str("Commands:\n\n");
        commands(md, case.results.iter().map(|m| m.command.as_str()));
        for m in &case.results {
            if let Some(error) = &m.error {
                failed(md, &format!("{} failed on this document; the end of its output:", m.contender.name()), error);
            }
        }
    }
}

fn floor_section(md: &mut String, run: &Run) {
    md.push_str(
        "## 2. The parse floor\n\n`target/release/parse-floor SPEC` reads the document and deserializes it into \
         `openapiv3::OpenAPI`, nothing else (JSON with `serde_json::from_str`, YAML with `serde_yaml::from_str`). \
         It runs in the same rounds as the generators above.\n\n",
    );
    let rows = run.cases.iter().filter_map(|c| {
        let (floor, ours) = (ok_median(c.get(Floor))?, ok_median(c.get(Ours))?);
        let name = format!("`{}`", c.name());
        Some([name, c.document.operations.to_string(), seconds(floor), seconds(ours), ratio(ours / floor)])
    });
    table(md, &["description", "operations", "parse floor", "ours", "ours / floor"], rows);
    let _ = writeln!(
        md,
        "### Where our time goes\n\n`target/release/sdkgen SPEC OUT --timings` runs the generator's steps one by \
         one, on one thread, and prints each one's time inside the process; median of {}. A normal run emits and \
         renders each file in pieces, one per core, at the same time, so its whole process can take less than \
         this total. Rows marked *apart* are timed on a copy and are not part of the total: they split a step in \
         two or show what a leaner step costs.\n",
        count(run.phase_runs, "run")
    );
    let profiled: Vec<&Case> = run.cases.iter().filter(|c| !c.phases.is_empty()).collect();
    if profiled.is_empty() {
        return md.push_str("Not measured.\n\n");
    }
    let names: Vec<String> = profiled.iter().map(|c| format!("`{}`", c.name())).collect();
    let header: Vec<&str> = ["step", "what it does"].into_iter().chain(names.iter().map(String::as_str)).collect();
    let row = |step: String, what: &str, cell: &dyn Fn(&Case) -> Option<String>| -> Vec<String> {
        [step, what.to_owned()].into_iter().chain(profiled.iter().map(|c| cell(c).unwrap_or_default())).collect()
    };
    let rows = STEPS.iter().map(|(step, what)| {
        row(step.replace("(apart)", " *(apart)*"), what, &|c| c.phases.get(*step).map(|us| seconds(us / 1e6)))
    });
    let whole: Vec<String> =
        row("whole process".into(), "as timed in section 1", &|c| ok_median(c.get(Ours)).map(seconds));
    table(md, &header, rows.chain([whole]));
    if let Some(line) = biggest_step(run) {
        let _ = writeln!(md, "{line}\n");
    }
}

/// The steps `sdkgen --timings` prints, in order, and what each is.
const STEPS: &[(&str, &str)] = &[
    ("read", "reading the file, from process start"),
    ("floor(apart)", "the parse floor inside the process (JSON only): text straight into `openapiv3::OpenAPI`"),
    ("parse", "text into a JSON value (`codegen::load::parse`, the generator's bounded parser)"),
    ("typed(apart)", "that value into `openapiv3::OpenAPI` with `serde_path_to_error`, as `lower` does first"),
    ("typed-untracked(apart)", "the same with `serde_json::from_value`, no path tracking"),
    ("lower", "the typed document into the generator's IR (includes the typed step)"),
    ("emit", "IR into Rust tokens (`quote`)"),
    ("render-syn(apart)", "tokens parsed back into a `syn` tree"),
    ("render-print(apart)", "the tree printed by `prettyplease`"),
    ("render", "both, plus the header and blank lines between items"),
    ("write", "the files, all or nothing"),
    ("total", "inside the process, start to end, less the *apart* rows"),
];

/// Which step dominates on the description the targets are stated for.
fn biggest_step(run: &Run) -> Option<String> {
    let case = case(run, target_key(run), false)?;
    let total = *case.phases.get("total")?;
    let steps = case.phases.iter().filter(|(s, _)| s.as_str() != "total" && !s.ends_with("(apart)"));
    let (step, us) = steps.max_by(|a, b| a.1.total_cmp(b.1))?;
    let phase = |s: &str| case.phases.get(s).copied().unwrap_or_default() / 1e6;
    let (name, share) = (case.name(), us / total * 100.0);
    let (us, total, floor) = (seconds(us / 1e6), seconds(total / 1e6), seconds(phase("floor(apart)")));
    let typed = seconds(phase("parse") + phase("typed(apart)"));
    Some(format!(
        "On `{name}`, the largest step is `{step}`: {us} of the {total} spent inside the process ({share:.0}%). \
         Reading the document into `openapiv3::OpenAPI` the generator's way (`parse`, then `typed`) takes {typed}, \
         where the floor's direct way takes {floor}."
    ))
}

fn compile_section(md: &mut String, run: &Run) {
    let _ = writeln!(
        md,
        "## 3. Compile time of the generated crate\n\nBoth crates are generated from the same document (the copy \
         without uploads) into scratch crates under `target/bench-work/compile/`: ours depends on the runtime crate \
         `sdkgen-runtime` (the generator's default runtime path), progenitor's on `progenitor-client` as `cargo \
         progenitor` writes it. Dependencies are built once beforehand; each timed run touches the crate's \
         `src/lib.rs` and runs `cargo build` (debug), whole process, {}, alternating.\n",
        count(run.compile_rounds, "round")
    );
    if run.compile.is_empty() {
        md.push_str("Not measured.\n\n");
    }
    for (key, comparison) in &run.compile {
        let (operations, path) = (comparison.document.operations, super::shown(&comparison.document.path));
        let _ = writeln!(md, "### `{key}` ({operations} operations, `{path}`)\n");
        let ours = comparison.crates.iter().find(|k| k.who == "ours" && k.error.is_none()).and_then(Crate::time);
        let rows = comparison.crates.iter().map(|k| {
            let [runs, time, versus] = timed(k.time(), k.error.as_deref(), ours.map(|t| t.median));
            [k.who.to_owned(), k.lines.to_string(), runs, time, versus]
        });
        table(md, &["crate", "lines of Rust", "runs", "build time", "time / ours"], rows);
        commands(md, comparison.crates.iter().map(|k| k.command.as_str()));
        for k in &comparison.crates {
            if let Some(error) = &k.error {
                failed(md, &format!("{}'s crate failed:", k.who), error);
            }
        }
    }
}

fn runtime_section(md: &mut String, run: &Run) {
    md.push_str("## 4. Runtime\n\n");
    let r = match &run.runtime {
        Ok(r) => r,
        Err(e) => return failed(md, "The runtime benchmark failed:", e),
    };
    let _ = writeln!(
        md,
        "`GET /users/me` against a local HTTP/1.1 server (hyper, 127.0.0.1, its own thread) that answers the \
         spec's user example ({} bytes): through the SDK, `client.user(\"me\").send()` into `types::User`; \
         hand-written, `reqwest::Client::get(..).bearer_auth(..).send()`, `error_for_status()`, `bytes()` and \
         `serde_json::from_slice` into plain structs with the same fields. Same `reqwest` build, timeouts (30 s, \
         connect 10 s) and concurrency ({} requests in flight on one client thread); {} requests per round; rounds \
         alternate. Figures are requests per second, median (min–max) of {}.\n",
        r.body_bytes,
        r.concurrency,
        r.requests_per_round,
        count(r.sdk_rps.len(), "round")
    );
    let clients = ["SDK", "hand-written reqwest + serde_json"];
    pair(md, ["client", "requests/s", "vs hand-written"], clients, [&r.sdk_rps, &r.plain_rps], &|s| {
        s.shown(|rate| format!("{rate:.0}"))
    });
    if !r.sdk_cpu_ns.is_empty() && !r.plain_cpu_ns.is_empty() {
        md.push_str(
            "The client thread's CPU time per request (user + system, from `getrusage(RUSAGE_THREAD)`; the server \
             runs on another thread), steadier than throughput on a busy machine:\n\n",
        );
        pair(md, ["client", "CPU per request", "vs hand-written"], clients, [&r.sdk_cpu_ns, &r.plain_cpu_ns], &|s| {
            s.shown(|ns| format!("{:.1} µs", ns / 1e3))
        });
    }
    let _ = writeln!(
        md,
        "Decoding one list page of {} users ({} bytes of JSON, built from the spec's user example cut to \
         `UserListItem`'s fields, ids and emails made distinct): `serde_json::from_slice` into \
         `zoom_users_sdk::types::UserList` against plain `#[derive(Deserialize)]` structs with the same fields \
         (enums as their wire type, `String` or `i64`). Time per decode, median (min–max) of {} of {} decodes \
         each, alternating.\n",
        r.users,
        r.page_bytes,
        count(r.sdk_decode_ns.len(), "round"),
        r.decode_reps
    );
    let decode = |s: Summary| {
        let rate = r.page_bytes as f64 / (s.median / 1e9) / 1e6;
        format!("{}; {rate:.0} MB/s", s.shown(|ns| seconds(ns / 1e9)))
    };
    let decoders = ["SDK types", "plain structs"];
    pair(md, ["decoder", "time per page", "time / plain"], decoders, [&r.sdk_decode_ns, &r.plain_decode_ns], &decode);
    commands(md, [r.command.as_str()]);
}

/// The SDK's row and the hand-written code's, each against the hand-written code's.
fn pair(md: &mut String, header: [&str; 3], names: [&str; 2], figures: [&[f64]; 2], cell: &dyn Fn(Summary) -> String) {
    let plain = Summary::of(figures[1]).map(|s| s.median);
    let rows = names.iter().zip(figures).map(|(name, figures)| {
        let s = Summary::of(figures);
        let versus = s.zip(plain).map(|(s, p)| ratio(s.median / p)).unwrap_or_default();
        [name.to_string(), s.map(cell).unwrap_or_default(), versus]
    });
    table(md, &header, rows);
}

const METHOD: &str = "## How it was measured

- `{command}` builds `sdkgen` (our generator as a program of its own: `codegen/src/bin/sdkgen.rs`, a thin wrapper \
over `codegen::generate` and `codegen::output::write`, so no `cargo run` and no project-task code is timed), \
`parse-floor` and `runtime-bench` (package `sdk-bench`, `bench/`) with `cargo build --release`.
- Peers are installed by the bench, pinned, under `target/bench-tools/`, and reused on later runs. openapi-generator \
is run through the PyPI wheel's launcher (Python starting the bundled jar on the JVM), as a user of that package \
runs it; its time and memory include the JVM.
- GitHub's description comes from `npm pack {octokit}` into `target/bench-work/specs/` and is never committed; the \
cut-down copies keep whole path items in document order and only the components they reach.
- Every process is bounded in time (stopped, with its process group, past the limit) and every request loop in \
count and time; servers listen on 127.0.0.1 only. A peer that fails is recorded with the end of its output and not \
run again on that document.
- The machine is shared: the load average before and after the run is in the table above. Medians are robust to a \
few disturbed runs; min–max shows the spread.
- To look further than these figures: `target/release/sdkgen SPEC OUT --timings` (the step table above); `perf \
record target/release/sdkgen SPEC OUT`; and, for the SDK's cost per request, `valgrind --tool=callgrind \
target/release/runtime-bench --spec spec/zoom-users.yaml --requests 3000 --rounds 1 --decode-rounds 1 --only sdk` \
against the same with `--only plain`, comparing inclusive instruction counts (exact where wall time on a busy \
machine is not).
";

#[cfg(test)]
mod tests;
