//! The target-progress chart, drawn server-side as SVG: the active count month by month,
//! the recent trend carried to the target date, and the goal on its date. SVG scales to
//! any screen (it carries a `viewBox`) and its text is the reader's own font, so nothing
//! is downloaded or embedded.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;

use crate::domain::analytics::registry::TargetProgress;

/// A narrow canvas with large type: a phone shows it at about 0.6 of this size, where the
/// 20-pixel labels still read at 12 pixels.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 560;

/// The y axis reaches this multiple of the highest value drawn: the top third of the plot
/// is left for the legend.
const HEADROOM: f64 = 1.5;

/// A date as a fractional year, the chart's x axis.
fn year_of(day: NaiveDate) -> f64 {
    f64::from(day.year()) + f64::from(day.ordinal0()) / 365.25
}

/// Thousands with commas: 50,000.
fn grouped(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The chart of `points` (the last day of each month and the active count then) and the
/// progress towards the target, as an SVG document.
pub fn target_progress(
    points: &[(NaiveDate, u64)],
    progress: &TargetProgress,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let first = points.first().map_or(progress.as_of, |(day, _)| *day);
        let (x0, x1) = (
            year_of(first),
            year_of(progress.by.max(progress.as_of)) + 0.25,
        );
        let highest = points
            .iter()
            .map(|(_, n)| *n as f64)
            .fold(progress.target as f64, f64::max)
            .max(progress.projected_on_target_date);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Registered specialists: {} of {}",
                    grouped(progress.current as f64),
                    grouped(progress.target as f64),
                ),
                ("sans-serif", 24),
            )
            .margin(12)
            .margin_right(32)
            .x_label_area_size(40)
            .y_label_area_size(76)
            // Headroom above everything drawn, where the legend sits: it never covers the
            // goal line or the series.
            .build_cartesian_2d(x0..x1, 0.0..highest * HEADROOM)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| format!("{:.0}", x.floor()))
            .y_label_formatter(&|y| grouped(*y))
            .label_style(("sans-serif", 20))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| e.to_string())?;

        let blue = RGBColor(0, 90, 170);
        let orange = RGBColor(230, 120, 0);
        let red = RGBColor(200, 30, 30);
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|(day, n)| (year_of(*day), *n as f64)),
                blue.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("Active, month-end (to {})", progress.as_of))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3))
            });

        let trend = [
            (year_of(progress.as_of), progress.current as f64),
            (year_of(progress.by), progress.projected_on_target_date),
        ];
        chart
            .draw_series(DashedLineSeries::new(trend, 10, 6, orange.stroke_width(3)))
            .map_err(|e| e.to_string())?
            .label(format!(
                "Trend {:+.0}/month ({} rounds)",
                progress.trend_per_month, progress.rounds
            ))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], orange.stroke_width(3))
            });

        let goal = (year_of(progress.by), progress.target as f64);
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, goal.1), (goal.0, goal.1)],
                4,
                6,
                red.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(Circle::new(goal, 8, red.filled())))
            .map_err(|e| e.to_string())?
            .label(format!(
                "Goal {} by {}",
                grouped(progress.target as f64),
                progress.by
            ))
            .legend(move |(x, y)| Circle::new((x + 12, y), 6, red.filled()));

        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 20))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(fluid(&svg))
}

/// The document without the root's fixed `width` and `height`: its `viewBox` keeps the
/// proportions and it fills the width of its container.
fn fluid(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let end = svg[start..].find('>').map_or(svg.len(), |e| start + e);
    let root: String = svg[start..end]
        .split(' ')
        .filter(|part| !part.starts_with("width=") && !part.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}{root}{}", &svg[..start], &svg[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress() -> TargetProgress {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        TargetProgress {
            target: 50_000,
            by: day(2030, 3, 31),
            as_of: day(2026, 12, 1),
            current: 24_000,
            gap: 26_000,
            months_left: 39,
            needed_per_month: 26_000.0 / 39.0,
            rounds: 6,
            trend_per_month: 150.0,
            projected_on_target_date: 29_850.0,
            projected_date: None,
        }
    }

    /// The y of every point of `<polyline>`/`<rect>` elements whose tag has `marker`.
    fn ys_of(svg: &str, tag: &str, marker: &str) -> Vec<f64> {
        svg.split('<')
            .filter(|e| e.starts_with(tag) && e.contains(marker))
            .flat_map(|e| {
                let mut ys = Vec::new();
                if let Some(points) = e.split("points=\"").nth(1) {
                    for pair in points.split('"').next().unwrap_or("").split_whitespace() {
                        if let Some((_, y)) = pair.split_once(',') {
                            ys.push(y.parse().unwrap());
                        }
                    }
                }
                if let (Some(y), Some(h)) = (
                    e.split(" y=\"").nth(1).and_then(|v| v.split('"').next()),
                    e.split(" height=\"")
                        .nth(1)
                        .and_then(|v| v.split('"').next()),
                ) {
                    let (y, h): (f64, f64) = (y.parse().unwrap(), h.parse().unwrap());
                    ys.extend([y, y + h]);
                }
                ys
            })
            .collect()
    }

    #[test]
    fn the_chart_fills_its_container_and_its_legend_stays_above_the_goal() {
        let points = [
            (NaiveDate::from_ymd_opt(2025, 4, 30).unwrap(), 23_000),
            (NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 24_000),
        ];
        let svg = target_progress(&points, &progress()).unwrap();
        let root = &svg[svg.find("<svg").unwrap()..];
        let root = &root[..root.find('>').unwrap()];
        assert!(root.contains("viewBox=\"0 0 640 560\""), "{root}");
        assert!(
            !root.contains(" width=") && !root.contains(" height="),
            "{root}"
        );
        // The goal line is drawn in red (#C81E1E); the legend's box is the translucent
        // white rect.
        let goal = ys_of(&svg, "polyline", "#C81E1E");
        let legend = ys_of(&svg, "rect", "opacity=\"0.85\"");
        assert!(!goal.is_empty() && !legend.is_empty(), "{svg}");
        let goal_top = goal.iter().copied().fold(f64::MAX, f64::min);
        let legend_bottom = legend.iter().copied().fold(f64::MIN, f64::max);
        assert!(
            legend_bottom < goal_top,
            "legend down to {legend_bottom}, goal line at {goal_top}"
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(50_000.0), "50,000");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1_234_567.4), "1,234,567");
    }
}
