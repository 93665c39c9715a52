//! SVG charts, written by hand (no plotting dependency: the charts are two simple figures and
//! the xtask must build quickly in CI):
//! * [`ratios`]: per scenario, sockscope's median wall time relative to the reference's, as a
//!   bar from 1× on a log axis (left = faster), with the floor's ratio (what the kernel allows)
//!   and the target marked;
//! * [`scaling`]: median wall time against socket count, log–log, for ss, sockscope and the
//!   floor.

use std::fmt::Write as _;

use super::report::{RunInfo, ScalingPoint, ScenarioResult};
use super::scenario::Metric;

const FONT: &str = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";
const OURS: &str = "#2b7bba";
const SLOWER: &str = "#d9534f";
const REFERENCE: &str = "#e08a1e";
const FLOOR: &str = "#555555";
const REFERENCE_FLOOR: &str = "#aaaaaa";
const VARIANT: &str = "#8fb8de";

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A log10 axis mapping [lo, hi] onto [a, b] pixels.
#[derive(Clone, Copy, Debug)]
struct LogAxis {
    lo: f64,
    hi: f64,
    a: f64,
    b: f64,
}

impl LogAxis {
    fn px(&self, v: f64) -> f64 {
        let v = v.clamp(self.lo, self.hi);
        self.a
            + (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
                * (self.b - self.a)
    }

    /// 1-2-5 ticks within the range.
    fn ticks(&self) -> Vec<f64> {
        let mut t = Vec::new();
        let mut decade = 10f64.powf(self.lo.log10().floor());
        while decade <= self.hi * 1.0001 {
            for m in [1.0, 2.0, 5.0] {
                let v = decade * m;
                if v >= self.lo * 0.9999 && v <= self.hi * 1.0001 {
                    t.push(v);
                }
            }
            decade *= 10.0;
        }
        t
    }
}

/// Rounds a bound outward to the 1-2-5 grid.
fn nice(v: f64, up: bool) -> f64 {
    let d = 10f64.powf(v.log10().floor());
    let steps = [1.0, 2.0, 5.0, 10.0];
    if up {
        steps
            .iter()
            .map(|m| m * d)
            .find(|x| *x >= v * 0.9999)
            .unwrap_or(10.0 * d)
    } else {
        steps
            .iter()
            .rev()
            .map(|m| m * d)
            .find(|x| *x <= v * 1.0001)
            .unwrap_or(d)
    }
}

fn fmt_tick(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// The ratio chart of a full run.
pub fn ratios(info: &RunInfo, results: &[ScenarioResult]) -> String {
    let row = 30.0;
    let top = 70.0;
    let left = 250.0;
    let right = 980.0;
    let width = 1100.0;
    let height = top + row * results.len() as f64 + 70.0;
    let mut values: Vec<f64> = results
        .iter()
        .flat_map(|r| [r.vs_reference(), r.reference_vs_floor().map(|f| 1.0 / f)])
        .flatten()
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    values.extend([0.1, 2.0]);
    let lo = nice(
        values.iter().cloned().fold(f64::INFINITY, f64::min) / 1.2,
        false,
    );
    let hi = nice(values.iter().cloned().fold(0.0, f64::max) * 1.2, true);
    let ax = LogAxis {
        lo,
        hi,
        a: left,
        b: right,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"13\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    let _ = writeln!(
        s,
        "<text x=\"20\" y=\"24\" font-size=\"16\" font-weight=\"bold\">sockscope wall time \
         relative to the reference tool (median, log scale; left of 1× is faster)</text>"
    );
    let _ = writeln!(
        s,
        "<text x=\"20\" y=\"44\" font-size=\"11\" fill=\"#444\">{}; {} runs</text>",
        esc(&info.fixture),
        info.runs
    );
    let bottom = top + row * results.len() as f64;
    for t in ax.ticks() {
        let px = ax.px(t);
        let (stroke, w) = if (t - 1.0).abs() < 1e-9 {
            ("#000", 1.5)
        } else {
            ("#ddd", 1.0)
        };
        let _ = writeln!(
            s,
            "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{bottom:.1}\" stroke=\"{stroke}\" stroke-width=\"{w}\"/>",
            top - 8.0
        );
        let _ = writeln!(
            s,
            "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444\">{}×</text>",
            bottom + 18.0,
            fmt_tick(t)
        );
    }
    let one = ax.px(1.0);
    for (i, r) in results.iter().enumerate() {
        let y = top + row * i as f64;
        let mid = y + row / 2.0;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 10.0,
            mid + 4.5,
            esc(&r.scenario.id)
        );
        match r.vs_reference() {
            Some(v) => {
                let px = ax.px(v);
                let (x0, w) = if px < one {
                    (px, one - px)
                } else {
                    (one, px - one)
                };
                let color = if v <= 1.0 { OURS } else { SLOWER };
                let _ = writeln!(
                    s,
                    "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"/>",
                    y + 6.0,
                    w.max(1.0),
                    row - 12.0
                );
                let (tx, anchor) = if px < one {
                    (px - 5.0, "end")
                } else {
                    (px + 5.0, "start")
                };
                let _ = writeln!(
                    s,
                    "<text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{v:.2}×</text>",
                    mid + 4.5
                );
            }
            None => {
                let timed_out =
                    |n: &Option<String>| n.as_deref().is_some_and(|n| n.starts_with("timed out"));
                let what = if timed_out(&r.sockscope.note) {
                    "sockscope timed out"
                } else if r.sockscope.wall().is_none() {
                    "n/a"
                } else {
                    "reference not run"
                };
                let _ = writeln!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#888\">{what}</text>",
                    one + 6.0,
                    mid + 4.5
                );
            }
        }
        // The floor relative to the reference: the fastest a listing could be.
        if let Some(f) = r.reference_vs_floor().map(|f| 1.0 / f) {
            let px = ax.px(f);
            let _ = writeln!(
                s,
                "<path d=\"M{px:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"{FLOOR}\"/>",
                mid - 5.0
            );
        }
        for t in &r.scenario.targets {
            if t.metric == Metric::WallVsReference {
                let px = ax.px(t.limit);
                let _ = writeln!(
                    s,
                    "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#2a2\" stroke-width=\"2\" stroke-dasharray=\"3,2\"/>",
                    y + 2.0,
                    y + row - 2.0
                );
            }
        }
    }
    let ly = bottom + 44.0;
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{OURS}\"/>\
         <text x=\"{:.1}\" y=\"{ly:.1}\">sockscope / reference</text>",
        ly - 9.0,
        left + 20.0
    );
    let _ = writeln!(
        s,
        "<path d=\"M{:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"{FLOOR}\"/>\
         <text x=\"{:.1}\" y=\"{ly:.1}\">floor / reference (netlink dump, discarded)</text>",
        left + 200.0,
        ly - 10.0,
        left + 212.0
    );
    let _ = writeln!(
        s,
        "<line x1=\"{0:.1}\" y1=\"{1:.1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#2a2\" stroke-width=\"2\" stroke-dasharray=\"3,2\"/>\
         <text x=\"{3:.1}\" y=\"{ly:.1}\">target</text>",
        left + 510.0,
        ly - 11.0,
        ly + 2.0,
        left + 518.0
    );
    s.push_str("</svg>\n");
    s
}

/// A series of the scaling chart: name, colour, and which wall time of a result it plots.
type Series = (
    &'static str,
    &'static str,
    fn(&ScenarioResult) -> Option<f64>,
);

/// The scaling chart.
pub fn scaling(points: &[ScalingPoint]) -> String {
    let (width, height) = (800.0, 520.0);
    let (left, right, top, bottom) = (90.0, 760.0, 60.0, 450.0);
    let series: [Series; 5] = [
        ("ss -tan", REFERENCE, |r| r.reference.wall()),
        ("sockscope -tan", OURS, |r| r.sockscope.wall()),
        (
            "sockscope -tan, one walk (SOCKSCOPE_TCP_WALK=once)",
            VARIANT,
            |r| r.variant.wall(),
        ),
        (
            "floor (ss's requests at once, as sockscope makes them)",
            FLOOR,
            |r| r.floor.wall(),
        ),
        ("floor (ss's requests in turn)", REFERENCE_FLOOR, |r| {
            r.reference_floor.wall()
        }),
    ];
    let ys: Vec<f64> = points
        .iter()
        .flat_map(|p| series.iter().filter_map(|(_, _, f)| f(&p.result)))
        .filter(|v| *v > 0.0)
        .collect();
    let xs: Vec<f64> = points
        .iter()
        .map(|p| p.sockets as f64)
        .filter(|v| *v > 0.0)
        .collect();
    let fold = |v: &[f64], f: fn(f64, f64) -> f64, init| v.iter().cloned().fold(init, f);
    let xa = LogAxis {
        lo: nice(fold(&xs, f64::min, f64::INFINITY).min(1e4), false),
        hi: nice(fold(&xs, f64::max, 0.0).max(1e5), true),
        a: left,
        b: right,
    };
    let ya = LogAxis {
        lo: nice(fold(&ys, f64::min, f64::INFINITY).min(0.01) / 1.2, false),
        hi: nice(fold(&ys, f64::max, 0.0).max(0.1) * 1.2, true),
        a: bottom,
        b: top,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"13\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">Wall time (median) \
         against TCP socket count, log–log</text>"
    );
    for t in xa
        .ticks()
        .into_iter()
        .filter(|t| (t.log10().fract()).abs() < 1e-9)
    {
        let px = xa.px(t);
        let _ = writeln!(
            s,
            "<line x1=\"{px:.1}\" y1=\"{top}\" x2=\"{px:.1}\" y2=\"{bottom}\" stroke=\"#ddd\"/>\
             <text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            bottom + 20.0,
            super::fixture::grouped(t as usize)
        );
    }
    for t in ya.ticks() {
        let py = ya.px(t);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{py:.1}\" x2=\"{right}\" y2=\"{py:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} s</text>",
            left - 8.0,
            py + 4.5,
            fmt_tick(t)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">TCP sockets</text>",
        (left + right) / 2.0,
        bottom + 44.0
    );
    for (i, (name, color, f)) in series.iter().enumerate() {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|p| f(&p.result).map(|w| (xa.px(p.sockets as f64), ya.px(w))))
            .collect();
        if pts.len() > 1 {
            let d: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\"/>",
                d.join(" ")
            );
        }
        for (x, y) in &pts {
            let _ = writeln!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{color}\"/>"
            );
        }
        let ly = top + 10.0 + 20.0 * i as f64;
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"4\" fill=\"{color}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left + 16.0,
            ly - 4.0,
            left + 36.0,
            ly + 1.0,
            esc(name)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::result;
    use super::super::report::{Machine, RunInfo};
    use super::*;

    fn info() -> RunInfo {
        RunInfo {
            machine: Machine::default(),
            fixture: "a < b".into(),
            tcp_sockets: 100_000,
            runs: 3,
            command: String::new(),
            setup_secs: 0.0,
            total_secs: 0.0,
            other_tcp: None,
        }
    }

    #[test]
    fn axis_maps_decades_evenly() {
        let ax = LogAxis {
            lo: 0.1,
            hi: 10.0,
            a: 0.0,
            b: 200.0,
        };
        assert!((ax.px(1.0) - 100.0).abs() < 1e-9);
        assert!((ax.px(100.0) - 200.0).abs() < 1e-9, "clamped");
        assert_eq!(ax.ticks(), [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]);
        assert_eq!(nice(0.37, false), 0.2);
        assert_eq!(nice(3.7, true), 5.0);
    }

    #[test]
    fn ratio_chart_is_svg_with_one_row_per_scenario() {
        let rs = vec![
            result("ss -tan", &[0.2], &[0.1], &[0.09]),
            result("ss -tan dport >= :1", &[0.2], &[0.3], &[0.09]),
        ];
        let svg = ratios(&info(), &rs);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains(">0.50×<") && svg.contains(">1.50×<"));
        assert!(svg.contains("dport &gt;= :1") && svg.contains("a &lt; b"));
        assert_eq!(
            svg.matches("l5,5 l-5,5").count(),
            3,
            "two floor marks + legend"
        );
    }

    #[test]
    fn scaling_chart_draws_five_series() {
        let point = |sockets, ref_floor: f64, others: [f64; 3]| {
            let mut result = result("ss -tan", &[others[0]], &[others[1]], &[others[2]]);
            result.reference_floor = result.floor.clone();
            if let Some(m) = result.reference_floor.measured.as_mut() {
                m.samples.iter_mut().for_each(|s| s.wall = ref_floor);
            }
            result.variant = result.sockscope.clone();
            if let Some(m) = result.variant.measured.as_mut() {
                m.samples.iter_mut().for_each(|s| s.wall *= 1.2);
            }
            ScalingPoint { sockets, result }
        };
        let pts = vec![
            point(10_000, 0.012, [0.02, 0.01, 0.01]),
            point(100_000, 0.12, [0.2, 0.1, 0.1]),
        ];
        let svg = scaling(&pts);
        assert_eq!(svg.matches("<polyline").count(), 5);
        assert_eq!(svg.matches("<circle").count(), 10);
    }
}
