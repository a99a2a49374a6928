//! `PlottersRenderer` through the public API: every chart family to PNG and
//! SVG, antialiasing, determinism across threads, SVG escaping, crowded
//! axes, deadlines, and specs that must never panic.

mod common;
#[path = "render_specs.rs"]
mod specs;

use chartgate::chart::spec::*;
use chartgate::render::{PlottersRenderer, RenderError, Renderer};
use common::image::{decode, near, Image};
use specs::{chart, dataset, request, ys};
use std::time::{Duration, Instant};

fn render(req: &ChartRequest) -> Result<Vec<u8>, RenderError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    PlottersRenderer::new()
        .render(req, deadline)
        .map(|b| b.to_vec())
}

fn rgb(c: Rgba) -> [u8; 3] {
    [c.0, c.1, c.2]
}

trait HasColor {
    fn has_color(&self, c: Rgba) -> bool;
}

impl HasColor for Image {
    fn has_color(&self, c: Rgba) -> bool {
        self.pixels().any(|p| p[3] > 0 && near(p, rgb(c)))
    }
}

/// A chart with nothing but its data: no title, legend or axes.
fn bare(mut c: ChartSpec) -> ChartSpec {
    c.title = None;
    c.legend.display = false;
    for s in [&mut c.x, &mut c.y, &mut c.r] {
        s.display = false;
    }
    c
}

#[test]
fn every_family_renders_a_png_with_its_colors() {
    for (name, c) in specs::all() {
        let ds = &c.datasets[0];
        let (fill, line) = (ds.background.at(0), ds.border.at(0));
        let img = decode(&render(&request(c.clone(), 500, 300, 2.0, Format::Png)).unwrap());
        assert_eq!((img.w, img.h), (1000, 600), "{name}");
        let inked = img.pixels().filter(|p| p[3] > 0).count();
        assert!(
            inked > 1000 * 600 / 20,
            "{name} is nearly blank: {inked} pixels"
        );
        assert!(
            img.has_color(fill) || img.has_color(line),
            "{name} lacks its dataset color"
        );
    }
}

#[test]
fn every_family_renders_an_svg_with_its_title() {
    for (name, c) in specs::all() {
        let title = c.title.as_ref().unwrap().lines[0].clone();
        let svg =
            String::from_utf8(render(&request(c, 500, 300, 2.0, Format::Svg)).unwrap()).unwrap();
        assert!(
            svg.starts_with("<svg width=\"500\" height=\"300\""),
            "{name}: {}",
            &svg[..60]
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        assert!(svg.contains(&title), "{name} lacks its title");
        assert_eq!(
            svg.matches("<text").count(),
            svg.matches("</text>").count(),
            "{name}"
        );
    }
}

/// Chart.js passes the title box's width to `fillText` as `maxWidth`: a
/// title wider than a 200×150 canvas is narrowed into it, whole, in PNG
/// (its ink spans the canvas, inside it) and in SVG (`textLength`).
#[test]
fn a_title_wider_than_the_canvas_is_narrowed_into_it() {
    let mut c = specs::bar();
    let title = "Quarterly revenue by region and product line, 2025";
    let color = Rgba(200, 0, 0, 255);
    c.title.as_mut().unwrap().lines = vec![title.into()];
    c.title.as_mut().unwrap().font.color = color;
    let img = decode(&render(&request(c.clone(), 200, 150, 1.0, Format::Png)).unwrap());
    let (x0, _, x1, _) = img.extent_of(rgb(color)).expect("the title is drawn");
    assert!(x0 <= 6 && x1 >= 193, "spans the canvas: {x0}-{x1}");
    let svg = String::from_utf8(render(&request(c, 200, 150, 1.0, Format::Svg)).unwrap()).unwrap();
    assert!(svg.contains(title), "whole, not cut");
    assert!(
        svg.contains("lengthAdjust=\"spacingAndGlyphs\""),
        "narrowed"
    );
}

/// Italic text is written italic in SVG, bold italic too (plotters'
/// style holds bold or italic, not both), and upright text is not.
#[test]
fn italic_text_is_written_italic_in_svg() {
    let mut c = specs::bar();
    let title = c.title.as_ref().unwrap().lines[0].clone();
    let font = &mut c.title.as_mut().unwrap().font;
    (font.bold, font.italic) = (true, true);
    c.legend.font.italic = true;
    let svg = String::from_utf8(render(&request(c, 500, 300, 2.0, Format::Svg)).unwrap()).unwrap();
    let element = |text: &str| {
        let end = svg.find(&format!(">\n{text}\n</text>")).unwrap();
        let start = svg[..end].rfind("<text").unwrap();
        svg[start..end].to_owned()
    };
    let title = element(&title);
    assert!(title.contains("font-weight=\"bold\""), "{title}");
    assert!(title.contains("font-style=\"italic\""), "{title}");
    assert_eq!(
        svg.matches("font-style=\"italic\"").count(),
        3,
        "title and two legend entries"
    );
}

#[test]
fn the_reference_chart_is_small() {
    let req = request(specs::reference(), 800, 400, 1.0, Format::Png);
    let bytes = render(&req).unwrap();
    let img = decode(&bytes);
    assert_eq!((img.w, img.h), (800, 400));
    assert!(bytes.len() <= 30 * 1024, "{} bytes", bytes.len());
    assert!(img.has_color(Rgba(0x1f, 0x77, 0xb4, 255)));
}

#[test]
fn a_bar_lands_where_its_value_says() {
    let mut c = bare(chart(
        ChartKind::Bar,
        specs::labels(&["only"]),
        vec![dataset(ChartKind::Bar, "a", ys(&[10.0]), 0)],
    ));
    c.y.min = Some(0.0);
    c.y.max = Some(20.0);
    let img = decode(&render(&request(c, 200, 100, 1.0, Format::Png)).unwrap());
    let fill = specs::translucent(0);
    assert!(near(img.px(100, 80), rgb(fill)), "{:?}", img.px(100, 80));
    assert_eq!(img.px(100, 20)[3], 0, "above the bar's value");
    assert_eq!(img.px(10, 80)[3], 0, "beside the bar");
}

/// Chart.js 3 and 4's `borderRadius`: a bar's corners away from its base
/// are cut round (no ink at the corner pixel, ink halfway along the
/// edge), the base's stay square, and `borderSkipped: false` rounds those
/// too.
#[test]
fn rounded_bars_leave_their_corners_empty() {
    let drawn = |corners: [f64; 4], skipped: bool| {
        let mut ds = dataset(ChartKind::Bar, "a", ys(&[10.0]), 0);
        ds.bar_corners = corners;
        ds.border_skipped = skipped;
        let mut c = bare(chart(ChartKind::Bar, specs::labels(&["only"]), vec![ds]));
        c.y.min = Some(0.0);
        c.y.max = Some(10.0);
        decode(&render(&request(c, 200, 100, 1.0, Format::Png)).unwrap())
    };
    let fill = rgb(specs::translucent(0));
    let inked = |img: &Image, x: u32, y: u32| near(img.px(x, y), fill);
    let square = drawn([0.0; 4], true);
    let (l, t, r, b) = square.extent_of(fill).expect("the bar");
    assert!(inked(&square, l, t) && inked(&square, r, t));
    let round = drawn([12.0; 4], true);
    assert_eq!(round.extent_of(fill), Some((l, t, r, b)), "the same bar");
    assert!(
        !inked(&round, l, t) && !inked(&round, r, t),
        "top corners cut"
    );
    assert!(inked(&round, (l + r) / 2, t), "the top edge kept");
    assert!(
        inked(&round, l, b) && inked(&round, r, b),
        "the base stays square"
    );
    let all_round = drawn([12.0; 4], false);
    assert!(
        !inked(&all_round, l, b) && !inked(&all_round, r, b),
        "base rounded too"
    );
    // One corner of an object radius.
    let one = drawn([0.0, 12.0, 0.0, 0.0], true);
    assert!(inked(&one, l, t) && !inked(&one, r, t));
}

#[test]
fn a_diagonal_line_is_antialiased() {
    let blue = Rgba(0, 0, 255, 255);
    let mut ds = dataset(ChartKind::Line, "d", ys(&[0.0, 1.0]), 0);
    ds.border = Paint::Single(blue);
    ds.point_radius = 0.0;
    ds.tension = 0.0;
    let c = bare(chart(ChartKind::Line, specs::labels(&["a", "b"]), vec![ds]));
    let img = decode(&render(&request(c, 120, 80, 1.0, Format::Png)).unwrap());
    let edge = img
        .pixels()
        .filter(|p| near(*p, rgb(blue)) && p[3] > 0 && p[3] < 255)
        .count();
    let solid = img
        .pixels()
        .filter(|p| near(*p, rgb(blue)) && p[3] == 255)
        .count();
    assert!(edge > 100, "only {edge} partially covered pixels");
    assert!(solid > 50);
}

#[test]
fn renders_are_identical_across_threads() {
    let reqs: Vec<ChartRequest> = [specs::line(), specs::pie(), specs::reference()]
        .into_iter()
        .flat_map(|c| [Format::Png, Format::Svg].map(|f| request(c.clone(), 500, 300, 2.0, f)))
        .collect();
    let expected: Vec<Vec<u8>> = reqs.iter().map(|r| render(r).unwrap()).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| reqs.iter().map(|r| render(r).unwrap()).collect::<Vec<_>>()))
            .collect();
        for h in handles {
            assert!(
                h.join().unwrap() == expected,
                "a thread drew different bytes"
            );
        }
    });
}

#[test]
fn svg_text_is_escaped() {
    let mut c = specs::bar();
    c.title = Some(specs::title("<script>alert(1)</script> & more"));
    c.labels[0] = "<b>Q1 & Q2</b>".into();
    c.datasets[0].label = "R&D <i>".into();
    let svg = String::from_utf8(render(&request(c, 900, 300, 1.0, Format::Svg)).unwrap()).unwrap();
    assert!(!svg.contains("<script>") && !svg.contains("<b>") && !svg.contains("<i>"));
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(svg.contains("&lt;b&gt;Q1 &amp; Q2&lt;/b&gt;"));
    assert!(svg.contains("R&amp;D &lt;i&gt;"));
}

/// `(x, y, rotated, text)` of each SVG text element.
fn svg_texts(svg: &str) -> Vec<(f64, f64, bool, String)> {
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap();
            let tag = format!(" {tag}");
            let text = rest.split("</text>").next().unwrap().trim().to_string();
            (
                attr(&tag, "x"),
                attr(&tag, "y"),
                tag.contains("rotate("),
                text,
            )
        })
        .collect()
}

#[test]
fn crowded_category_labels_never_overlap() {
    let names: Vec<String> = (0..200)
        .map(|i| format!("Category label number {i}"))
        .collect();
    let values: Vec<f64> = (0..200).map(|i| f64::from(i % 17)).collect();
    for (w, index_axis) in [(500, Axis::X), (900, Axis::X), (500, Axis::Y)] {
        let mut c = chart(
            ChartKind::Bar,
            names.clone(),
            vec![dataset(ChartKind::Bar, "n", ys(&values), 0)],
        );
        c.index_axis = index_axis;
        let svg =
            String::from_utf8(render(&request(c, w, 300, 1.0, Format::Svg)).unwrap()).unwrap();
        let labels: Vec<_> = svg_texts(&svg)
            .into_iter()
            .filter(|t| t.3.starts_with("Category"))
            .collect();
        assert!(
            labels.len() >= 2 && labels.len() < 200,
            "{} labels shown",
            labels.len()
        );
        // 16 SVG units per CSS pixel; 12px text.
        let em = 12.0 * 16.0;
        for pair in labels.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let apart = if index_axis == Axis::Y {
                (b.1 - a.1).abs()
            } else {
                (b.0 - a.0).abs()
            };
            let need = if a.2 || index_axis == Axis::Y {
                1.2 * em
            } else {
                0.45 * em * a.3.chars().count().max(b.3.chars().count()) as f64
            };
            assert!(
                apart >= need,
                "labels {:?} and {:?} overlap ({apart} < {need})",
                a.3,
                b.3
            );
        }
    }
}

/// The reference chart (1,000 labels at 800×400) as Chart.js 2.9.4 draws
/// it in Chromium: its labels turned 50° and every 26th shown, since
/// `_autoSkip` skips for the axis's `_length` (726.09 px: the width beside
/// the y axis less the 8.52 px the last turned label and 3 px take on the
/// right), not for the 734.6 px the layout first gave it (every 25th).
#[test]
fn the_reference_charts_labels_are_skipped_as_chartjs_skips_them() {
    let body = format!(
        r#"{{"chart": {}, "width": 800, "height": 400, "devicePixelRatio": 1, "format": "svg"}}"#,
        include_str!("../benches/reference-chart.json")
    );
    let req =
        chartgate::chart::params::from_post(body.as_bytes(), &chartgate::config::Limits::default())
            .unwrap();
    let svg = String::from_utf8(render(&req).unwrap()).unwrap();
    let turned: Vec<String> = svg_texts(&svg)
        .into_iter()
        .filter(|t| t.2 && t.3 != "rpm")
        .map(|t| t.3)
        .collect();
    let every_26th: Vec<String> = (0..1000).step_by(26).map(|i| i.to_string()).collect();
    assert_eq!(turned, every_26th);
}

#[test]
fn a_passed_deadline_times_out() {
    let req = request(specs::line(), 500, 300, 2.0, Format::Png);
    let past = Instant::now() - Duration::from_millis(1);
    assert_eq!(
        PlottersRenderer::new().render(&req, past),
        Err(RenderError::Timeout)
    );
}

#[test]
fn a_long_render_stops_at_its_deadline() {
    // 100,000 points with markers take seconds to draw; with its deadline
    // already behind it, the render stops at its first drawing call. (How
    // soon after a deadline a render stops is one drawing call, or a piece
    // of one: `skia`'s and `polyline`'s unit tests show the long calls stop
    // part-way; no stopwatch here.)
    let values: Vec<f64> = (0..100_000).map(|i| f64::from(i % 1000)).collect();
    let mut ds = dataset(ChartKind::Line, "dense", ys(&values), 0);
    ds.point_radius = 4.0;
    let c = chart(ChartKind::Line, Vec::new(), vec![ds]);
    let req = request(c, 1000, 1000, 2.0, Format::Png);
    for format in [Format::Png, Format::Svg] {
        let mut req = req.clone();
        req.output.format = format;
        let past = Instant::now() - Duration::from_millis(1);
        let result = PlottersRenderer::new().render(&req, past);
        assert_eq!(result, Err(RenderError::Timeout), "{format:?}");
    }
}

fn odd_specs() -> Vec<(&'static str, ChartSpec)> {
    let mut out = Vec::new();
    for (name, c) in specs::all() {
        let mut empty = c.clone();
        empty.datasets.clear();
        empty.labels.clear();
        out.push((name, empty));
        let mut gaps = c.clone();
        for ds in &mut gaps.datasets {
            ds.data = vec![Datum::Gap; 5];
        }
        out.push((name, gaps));
        let mut single = c.clone();
        for ds in &mut single.datasets {
            ds.data.truncate(1);
        }
        out.push((name, single));
        let mut flat = c.clone();
        for ds in &mut flat.datasets {
            ds.data = ys(&[7.0; 6]);
        }
        out.push((name, flat));
        let mut huge = c.clone();
        for ds in &mut huge.datasets {
            ds.data = vec![
                Datum::Xyr(-1e308, -1e308, 1e308),
                Datum::Xyr(1e308, 1e308, 1e308),
                Datum::Y(1e-300),
            ];
        }
        out.push((name, huge));
        let mut hidden = c;
        hidden.datasets.iter_mut().for_each(|d| d.hidden = true);
        hidden.legend.position = Position::Right;
        out.push((name, hidden));
    }
    let mut log = specs::log_line();
    log.datasets[0].data = ys(&[-5.0, 0.0, -1.0]);
    out.push(("negative log", log));
    let mut clash = specs::line();
    clash.y.min = Some(50.0);
    clash.y.max = Some(10.0);
    clash.y.reverse = true;
    out.push(("min above max, reversed", clash));
    let mut many = specs::bar();
    many.labels.clear();
    many.datasets[0].data = ys(&(0..5000).map(f64::from).collect::<Vec<_>>());
    out.push(("unlabelled", many));
    out
}

#[test]
fn odd_specs_never_panic() {
    for (name, c) in odd_specs() {
        for (w, h, dpr) in [(500, 300, 1.0), (1, 1, 1.0), (0, 0, 1.0), (3, 2, 3.0)] {
            for format in [Format::Png, Format::Svg] {
                match render(&request(c.clone(), w, h, dpr, format)) {
                    Ok(bytes) => assert!(!bytes.is_empty(), "{name}"),
                    Err(RenderError::Invalid(msg)) => assert!(!msg.is_empty(), "{name}"),
                    Err(e) => panic!("{name} at {w}x{h}: {e:?}"),
                }
            }
        }
    }
}

#[test]
fn ranges_at_the_ends_of_f64_are_drawn() {
    // Any finite data is a valid chart: a span wider than f64::MAX, the
    // largest value, and subnormal values all draw, and differently.
    let mut pictures = Vec::new();
    for data in [
        &[-1e308, 1e308][..],
        &[0.0, f64::MAX],
        &[5e-324, 1e-323, 0.0],
        &[0.0, 1.0, 2.0],
    ] {
        let mut c = specs::line();
        c.datasets[0].data = ys(data);
        let png = render(&request(c, 500, 300, 1.0, Format::Png))
            .unwrap_or_else(|e| panic!("{data:?}: {e}"));
        pictures.push(decode(&png).rgba);
    }
    for (i, a) in pictures.iter().enumerate() {
        for b in &pictures[i + 1..] {
            assert_ne!(a, b, "two ranges drew the same picture");
        }
    }
}

#[test]
fn extreme_canvases() {
    let big = render(&request(specs::bar(), 4096, 4096, 1.0, Format::Png)).unwrap();
    assert_eq!(decode(&big).w, 4096);
    let tiny = render(&request(specs::pie(), 1, 1, 1.0, Format::Png)).unwrap();
    assert_eq!((decode(&tiny).w, decode(&tiny).h), (1, 1));
    for dpr in [0.0, -1.0, f64::NAN] {
        let err = render(&request(specs::bar(), 100, 100, dpr, Format::Png));
        assert!(matches!(err, Err(RenderError::Invalid(_))), "dpr {dpr}");
    }
}

#[test]
fn gradients_and_patterns_fill_bars_in_png_and_svg() {
    let (red, blue) = (Rgba(255, 0, 0, 255), Rgba(0, 0, 255, 255));
    let bar = |shade: Shade| {
        let mut ds = dataset(ChartKind::Bar, "a", ys(&[10.0]), 0);
        ds.shades = vec![Some(shade)];
        let mut c = bare(chart(ChartKind::Bar, specs::labels(&["only"]), vec![ds]));
        c.y.min = Some(0.0);
        c.y.max = Some(10.0);
        c
    };
    // Top to bottom, red to blue: the bar is red at its top, blue at its foot.
    let gradient = Shade::Linear {
        from: (0.0, 0.0),
        to: (0.0, 100.0),
        stops: vec![(0.0, red), (1.0, blue)],
    };
    let img = decode(&render(&request(bar(gradient.clone()), 200, 100, 1.0, Format::Png)).unwrap());
    let (top, foot) = (img.px(100, 15), img.px(100, 85));
    assert!(top[3] == 255 && top[0] > 200 && top[2] < 55, "{top:?}");
    assert!(foot[3] == 255 && foot[2] > 200 && foot[0] < 55, "{foot:?}");
    // Over 400 rows, more colors than a palette holds: still a smooth
    // ramp, no step between rows wider than the gradient's own, no bands.
    let tall = Shade::Linear {
        from: (0.0, 0.0),
        to: (0.0, 400.0),
        stops: vec![(0.0, red), (1.0, blue)],
    };
    let img = decode(&render(&request(bar(tall), 200, 400, 1.0, Format::Png)).unwrap());
    let steps = (40..360).map(|y| img.px(100, y)[0].abs_diff(img.px(100, y + 1)[0]));
    assert!(
        steps.clone().all(|d| d <= 2),
        "{:?}",
        steps.collect::<Vec<_>>()
    );
    // A tile of white with a black stroke across it, repeated.
    let tile = Shade::Pattern {
        size: 10.0,
        ops: vec![
            TileOp {
                fill: true,
                color: Rgba::WHITE,
                width: 0.0,
                path: vec![
                    PathCmd::Move(0.0, 0.0),
                    PathCmd::Line(10.0, 0.0),
                    PathCmd::Line(10.0, 10.0),
                    PathCmd::Line(0.0, 10.0),
                    PathCmd::Close,
                ],
            },
            TileOp {
                fill: false,
                color: Rgba(0, 0, 0, 255),
                width: 2.0,
                path: vec![PathCmd::Move(0.0, 5.0), PathCmd::Line(10.0, 5.0)],
            },
        ],
    };
    let img = decode(&render(&request(bar(tile.clone()), 200, 100, 1.0, Format::Png)).unwrap());
    let column: Vec<[u8; 4]> = (0..100).map(|y| img.px(100, y)).collect();
    let (white, black) = (Rgba::WHITE, Rgba(0, 0, 0, 255));
    assert!(column.iter().filter(|p| near(**p, rgb(white))).count() > 40);
    assert!(
        column
            .iter()
            .filter(|p| p[3] > 0 && near(**p, rgb(black)))
            .count()
            > 10
    );
    for (shade, element) in [(gradient, "<linearGradient"), (tile, "<pattern")] {
        let svg =
            String::from_utf8(render(&request(bar(shade), 200, 100, 1.0, Format::Svg)).unwrap())
                .unwrap();
        assert_eq!(svg.matches(element).count(), 1, "{svg}");
        assert_eq!(svg.matches("url(#chartgate-shade-0)").count(), 1, "{svg}");
    }
}

/// Bars on a time axis, as Chart.js draws them: each as wide as 80% × 90%
/// of the closest gap between two bars or two ticks, centred on its time.
/// Chart.js 2.9.4's time axis has no `offset` unless the config asks, so
/// the first and last bars are cut in half at the chart area's edges; with
/// `offset: true` (and in Chart.js 4's bar charts, by default) the axis
/// keeps half a gap at each end and every bar is whole.
#[test]
fn bars_on_a_time_axis_sit_on_their_days() {
    let drawn = |version: &str, x: serde_json::Value| {
        let days = ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"];
        let scales = match version {
            "2" => {
                serde_json::json!({"xAxes": [x], "yAxes": [{"display": false, "ticks": {"min": 0, "max": 10}}]})
            }
            _ => serde_json::json!({"x": x, "y": {"display": false, "min": 0, "max": 10}}),
        };
        let body = serde_json::json!({
            "width": 400, "height": 100, "devicePixelRatio": 1, "version": version,
            "chart": {
                "type": "bar",
                "data": {"labels": days, "datasets": [{"data": [10, 10, 10, 10], "backgroundColor": "#ff0000"}]},
                "options": {"legend": {"display": false}, "plugins": {"legend": {"display": false}},
                            "layout": {"padding": 0}, "scales": scales}
            }
        });
        let req =
            chartgate::chart::params::from_post(body.to_string().as_bytes(), &Default::default())
                .expect("a time bar chart reads");
        decode(&render(&req).expect("it renders"))
    };
    let red = [255, 0, 0];
    // By the day: left to choose, Chart.js ticks these three days by the
    // hour, and its bars take an hour's width.
    let hidden = serde_json::json!({"type": "time", "display": false, "time": {"unit": "day"}});
    // Three day-gaps of 400 / 3 px: bars 96 px wide, the first cut at 48.
    let cut = drawn("2", hidden.clone());
    let (l, _, r, _) = cut.extent_of(red).expect("bars");
    assert!(
        near(cut.px(0, 50), red),
        "the first bar starts cut at the edge"
    );
    assert_eq!((l, r), (0, 399));
    let first_end = (0..400).find(|x| !near(cut.px(*x, 50), red)).unwrap();
    assert!((47..=49).contains(&first_end), "half a bar: {first_end}");
    // Four gaps of 100 px with the offset: bars 72 px wide, 14 px in.
    let mut offset = hidden.clone();
    offset["offset"] = true.into();
    for img in [drawn("2", offset), drawn("4", hidden)] {
        let (l, _, r, _) = img.extent_of(red).expect("bars");
        assert!(
            (13..=15).contains(&l) && (384..=386).contains(&r),
            "{l}..{r}"
        );
    }
}

/// Chart.js 2's `distribution: 'series'` puts a Friday, the Monday after
/// and the Tuesday evenly apart (the weekend takes no room), each a tick
/// with `ticks.source: 'data'`; with `offset`, three bars 100 px apart on
/// a 300 px axis, each 72 px wide. Chart.js 4 spells it `timeseries`, and
/// its bar charts offset by default.
#[test]
fn a_series_time_axis_spaces_its_data_evenly() {
    let data = |x: &str| serde_json::json!([{x: "2024-04-05", "y": 10}, {x: "2024-04-08", "y": 10}, {x: "2024-04-09", "y": 10}]);
    let v2 = serde_json::json!({
        "type": "bar",
        "data": {"datasets": [{"backgroundColor": "#ff0000", "data": data("t")}]},
        "options": {"legend": {"display": false}, "layout": {"padding": 0}, "scales": {
            "xAxes": [{"type": "time", "display": false, "distribution": "series", "offset": true,
                       "ticks": {"source": "data"}}],
            "yAxes": [{"display": false, "ticks": {"min": 0, "max": 10}}]
        }}
    });
    let v4 = serde_json::json!({
        "type": "bar",
        "data": {"datasets": [{"backgroundColor": "#ff0000", "data": data("x")}]},
        "options": {"plugins": {"legend": {"display": false}}, "layout": {"padding": 0}, "scales": {
            "x": {"type": "timeseries", "display": false},
            "y": {"display": false, "min": 0, "max": 10}
        }}
    });
    for (version, chart) in [("2", v2), ("4", v4)] {
        let body = serde_json::json!({"width": 300, "height": 100, "devicePixelRatio": 1,
                                      "version": version, "chart": chart});
        let req =
            chartgate::chart::params::from_post(body.to_string().as_bytes(), &Default::default())
                .expect("a series time axis reads");
        assert_eq!(
            req.drawer(),
            chartgate::labels::Drawer::Native,
            "Chart.js {version}"
        );
        evenly_spaced_bars(&decode(&render(&req).expect("it renders")));
    }
}

/// Three red bars 72 px wide at 50, 150 and 250 px along row 50.
fn evenly_spaced_bars(img: &Image) {
    let red = |x: u32| near(img.px(x, 50), [255, 0, 0]);
    let runs: Vec<(u32, u32)> = (0..300)
        .filter(|x| red(*x) && (*x == 0 || !red(x - 1)))
        .map(|start| (start, (start..300).find(|x| !red(*x)).unwrap_or(300)))
        .collect();
    assert_eq!(runs.len(), 3, "{runs:?}");
    for ((start, end), centre) in runs.iter().zip([50, 150, 250]) {
        assert!((start + end).abs_diff(2 * centre) <= 2, "{runs:?}");
        assert!((71..=73).contains(&(end - start)), "{runs:?}");
    }
}

/// Bars share a slot by the index axis's `stacked` and stack their values
/// by the value axis's, as Chart.js's `_getStacks` does: with only `y`
/// stacked, Chart.js 4 draws the two datasets side by side, the second
/// floating on the first's value; with both, one column.
#[test]
fn bars_group_by_the_index_axis_and_stack_by_the_value_axis() {
    let drawn = |x_stacked: bool| {
        let body = serde_json::json!({
            "width": 200, "height": 100, "devicePixelRatio": 1, "version": "4",
            "chart": {
                "type": "bar",
                "data": {"labels": ["only"], "datasets": [
                    {"data": [5], "backgroundColor": "#ff0000"},
                    {"data": [5], "backgroundColor": "#0000ff"}
                ]},
                "options": {"plugins": {"legend": {"display": false}}, "layout": {"padding": 0},
                    "scales": {"x": {"display": false, "stacked": x_stacked},
                               "y": {"display": false, "stacked": true, "min": 0, "max": 10}}}
            }
        });
        let req =
            chartgate::chart::params::from_post(body.to_string().as_bytes(), &Default::default())
                .expect("a stacked bar chart reads");
        decode(&render(&req).expect("it renders"))
    };
    let (red, blue) = ([255, 0, 0], [0, 0, 255]);
    let side_by_side = drawn(false);
    let (rl, rt, rr, _) = side_by_side.extent_of(red).expect("the first bar");
    let (bl, _, _, bb) = side_by_side.extent_of(blue).expect("the second bar");
    assert!(bl > rr, "beside it: red {rl}..{rr}, blue from {bl}");
    assert!(
        bb < rt + 2,
        "floating on the first's value: blue ends at {bb}, red starts at {rt}"
    );
    let column = drawn(true);
    let (rl, rt, rr, _) = column.extent_of(red).expect("the first bar");
    let (bl, _, br, bb) = column.extent_of(blue).expect("the second bar");
    assert_eq!((bl, br), (rl, rr), "one column");
    assert!(
        bb < rt + 2,
        "stacked: blue ends at {bb}, red starts at {rt}"
    );
}

/// The texts of `chart` (Chart.js 2) drawn as SVG 500×300.
fn v2_svg_texts(chart: serde_json::Value) -> Vec<String> {
    svg_texts_of(chart, "2")
}

/// The texts of `chart` (for Chart.js `version`) drawn as SVG 500×300.
fn svg_texts_of(chart: serde_json::Value, version: &str) -> Vec<String> {
    let body = serde_json::json!({"width": 500, "height": 300, "format": "svg",
                                  "version": version, "chart": chart});
    let req = chartgate::chart::params::from_post(body.to_string().as_bytes(), &Default::default())
        .expect("the chart reads");
    assert_eq!(req.drawer(), chartgate::labels::Drawer::Native);
    let svg = String::from_utf8(render(&req).expect("it renders")).unwrap();
    svg_texts(&svg).into_iter().map(|t| t.3).collect()
}

#[test]
fn a_time_axis_keeps_to_its_min_unit_and_ticks_at_its_labels() {
    // Six-hourly points over two days: left to choose, Chart.js 2.9.4
    // ticks them by the hour; `time.minUnit: 'day'` by the day.
    let hours: Vec<serde_json::Value> = (0..9)
        .map(|i| serde_json::json!({"x": format!("2024-03-{:02}T{:02}:00:00Z", 1 + i / 4, i % 4 * 6), "y": i}))
        .collect();
    let line = |time: serde_json::Value| {
        serde_json::json!({"type": "line", "data": {"datasets": [{"label": "n", "data": hours}]},
                           "options": {"scales": {"xAxes": [{"type": "time", "time": time}]}}})
    };
    let by_default = v2_svg_texts(line(serde_json::json!({})));
    assert!(
        by_default
            .iter()
            .any(|t| t.ends_with("AM") || t.ends_with("PM")),
        "{by_default:?}"
    );
    let daily = v2_svg_texts(line(serde_json::json!({"minUnit": "day"})));
    assert!(
        ["Mar 1", "Mar 2", "Mar 3"]
            .iter()
            .all(|d| daily.iter().any(|t| t == d)),
        "{daily:?}"
    );
    assert!(
        !daily.iter().any(|t| t.ends_with("AM") || t.ends_with("PM")),
        "{daily:?}"
    );
    // `ticks.source: 'labels'`: a tick at each label, none elsewhere, and
    // the axis from the first label though the data start later.
    let labelled = serde_json::json!({
        "type": "line",
        "data": {"labels": ["2024-01-01", "2024-02-01", "2024-03-01"], "datasets": [{"label": "n",
                 "data": [{"x": "2024-01-05", "y": 3}, {"x": "2024-02-23", "y": 7}, {"x": "2024-03-08", "y": 6}]}]},
        "options": {"scales": {"xAxes": [{"type": "time", "ticks": {"source": "labels"}}]}}
    });
    let texts = v2_svg_texts(labelled.clone());
    let months: Vec<&String> = texts.iter().filter(|t| t.contains("2024")).collect();
    assert_eq!(months, ["Jan 2024", "Feb 2024", "Mar 2024"], "{texts:?}");
    // Whatever the source, 2.9.4 spans the labels: ticked by the day from
    // the first label, January 1, where the first point is on the 5th.
    let mut auto = labelled.clone();
    auto["options"]["scales"]["xAxes"][0]["ticks"]["source"] = "auto".into();
    let texts = v2_svg_texts(auto);
    assert!(texts.iter().any(|t| t == "Jan 1"), "{texts:?}");
    // Chart.js 4 too (`_getLabelBounds`).
    let mut v4 = labelled;
    v4["options"]["scales"] = serde_json::json!({"x": {"type": "time"}});
    let texts = svg_texts_of(v4, "4");
    assert!(texts.iter().any(|t| t == "Jan 1"), "{texts:?}");
}
