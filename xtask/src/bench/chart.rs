//! The size chart: median generation time against the number of operations, both axes on a log
//! scale, one line per generator. Plain SVG text.

use super::generation::{Case, Contender};
use super::Run;
use std::fmt::Write as _;

const WIDTH: f64 = 880.0;
const HEIGHT: f64 = 460.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 250.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 56.0;

const SERIES: [(Contender, &str, &str); 4] = [
    (Contender::OpenApiGenerator, "openapi-generator", "#2ca02c"),
    (Contender::Progenitor, "progenitor", "#d62728"),
    (Contender::Ours, "ours (sdkgen)", "#1f77b4"),
    (Contender::Floor, "parse floor (openapiv3 only)", "#7f7f7f"),
];

/// (operations, median seconds, description key) for one contender, from the charted descriptions;
/// and the descriptions it failed on.
fn points(cases: &[Case], contender: Contender) -> (Vec<(f64, f64, String)>, Vec<String>) {
    let mut points = Vec::new();
    let mut failed = Vec::new();
    for case in cases.iter().filter(|c| c.spec.charted) {
        // progenitor is charted on the copy without uploads where there is one; the others on the whole.
        let wanted = contender == Contender::Progenitor && case.spec.without_multipart.is_some();
        if case.without_multipart != wanted {
            continue;
        }
        let Some(measured) = case.get(contender) else { continue };
        match (measured.median(), &measured.error) {
            (Some(median), None) => points.push((case.document.operations as f64, median, case.spec.key.clone())),
            _ => failed.push(case.spec.key.clone()),
        }
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    (points, failed)
}

pub fn render(run: &Run) -> String {
    let series: Vec<_> = SERIES.iter().map(|&(c, name, color)| (name, color, points(&run.cases, c))).collect();
    let all: Vec<(f64, f64)> = series.iter().flat_map(|(_, _, (p, _))| p.iter().map(|&(x, y, _)| (x, y))).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{LEFT}" y="22" font-size="15" font-weight="bold">Generation time by description size (whole process, median)</text>
"#
    );
    if all.is_empty() {
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{}">No generator finished on a charted description.</text></svg>"#,
            HEIGHT / 2.0
        );
        return svg;
    }
    let (x_lo, x_hi) = bounds(all.iter().map(|p| p.0), 1.4);
    let (y_lo, y_hi) = decades(all.iter().map(|p| p.1));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let sx = |x: f64| LEFT + (x.log10() - x_lo.log10()) / (x_hi.log10() - x_lo.log10()) * plot_w;
    let sy = |y: f64| TOP + plot_h - (y.log10() - y_lo.log10()) / (y_hi.log10() - y_lo.log10()) * plot_h;

    // Grid and axes.
    let mut decade = y_lo;
    while decade <= y_hi * 1.0001 {
        let y = sy(decade);
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0,
            decade_label(decade)
        );
        decade *= 10.0;
    }
    for tick in [10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0] {
        if tick < x_lo || tick > x_hi {
            continue;
        }
        let x = sx(tick);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#eee"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{tick}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 18.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w:.1}" height="{plot_h:.1}" fill="none" stroke="#444"/>
<text x="{:.1}" y="{:.1}" text-anchor="middle">operations in the description (log scale)</text>
<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">seconds (log scale)</text>"##,
        LEFT + plot_w / 2.0,
        HEIGHT - 14.0,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );

    // Series and legend.
    for (i, (name, color, (points, failed))) in series.iter().enumerate() {
        let dash = if name.starts_with("parse floor") { r#" stroke-dasharray="5 4""# } else { "" };
        if points.len() > 1 {
            let path: Vec<String> = points.iter().map(|&(x, y, _)| format!("{:.1},{:.1}", sx(x), sy(y))).collect();
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"#,
                path.join(" ")
            );
        }
        for (x, y, key) in points {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{color}"><title>{name}: {key}, {} operations, {}</title></circle>"#,
                sx(*x),
                sy(*y),
                x,
                super::stats::seconds(*y)
            );
        }
        let ly = TOP + 10.0 + i as f64 * 52.0;
        let lx = WIDTH - RIGHT + 16.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/><text x="{}" y="{}">{name}</text>"#,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0
        );
        if !failed.is_empty() {
            // "failed on: a, b, c", wrapped to the legend's width.
            let mut lines = vec![String::from("failed on:")];
            for (n, key) in failed.iter().enumerate() {
                let word = if n + 1 < failed.len() { format!("{key},") } else { key.clone() };
                let last = lines.last_mut().expect("starts with one line");
                if last.len() + word.len() + 1 > 34 {
                    lines.push(word);
                } else {
                    last.push(' ');
                    last.push_str(&word);
                }
            }
            for (n, line) in lines.iter().enumerate() {
                let _ = writeln!(
                    svg,
                    r##"<text x="{}" y="{}" font-size="10" fill="#555">{}</text>"##,
                    lx + 28.0,
                    ly + 17.0 + n as f64 * 12.0,
                    escape(line)
                );
            }
        }
    }
    let _ = writeln!(
        svg,
        r##"<text x="{x}" y="{:.1}" font-size="10" fill="#555">progenitor is given each description</text><text x="{x}" y="{:.1}" font-size="10" fill="#555">without its upload operations, which it refuses</text>"##,
        TOP + plot_h - 6.0,
        TOP + plot_h + 8.0,
        x = WIDTH - RIGHT + 16.0
    );
    svg.push_str("</svg>\n");
    svg
}

/// "1 ms", "10 s": a decade, as an axis label.
fn decade_label(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{:.0} s", seconds)
    } else if seconds >= 1e-3 {
        format!("{:.0} ms", seconds * 1e3)
    } else {
        format!("{:.0} µs", seconds * 1e6)
    }
}

/// A range around the values, widened by `pad` on each side (multiplicatively).
fn bounds(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo / pad, hi * pad)
}

/// Whole decades around the values.
fn decades(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let lo = 10f64.powf(lo.log10().floor());
    let mut hi = 10f64.powf(hi.log10().ceil());
    if hi <= lo {
        hi = lo * 10.0;
    }
    (lo, hi)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
