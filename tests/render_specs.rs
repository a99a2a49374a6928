//! Chart requests for the render tests and benches, built directly as
//! `ChartRequest`s with Chart.js's defaults (the parser that will produce
//! them from Chart.js JSON is tested on its own).
//!
//! Included with `#[path]` by `tests/render_basic.rs` and `benches/render.rs`;
//! on its own this target holds no tests.
#![allow(dead_code)]

use chartgate::chart::spec::*;

/// Chart.js's default palette.
pub const PALETTE: [Rgba; 7] = [
    Rgba(54, 162, 235, 255),
    Rgba(255, 99, 132, 255),
    Rgba(255, 159, 64, 255),
    Rgba(255, 205, 86, 255),
    Rgba(75, 192, 192, 255),
    Rgba(153, 102, 255, 255),
    Rgba(201, 203, 207, 255),
];

pub const GREY: Rgba = Rgba(102, 102, 102, 255);

/// Palette color `i` at alpha 128, Chart.js's default fills.
pub fn translucent(i: usize) -> Rgba {
    let Rgba(r, g, b, _) = PALETTE[i % PALETTE.len()];
    Rgba(r, g, b, 128)
}

pub fn font(size: f64, bold: bool) -> Font {
    Font {
        size,
        bold,
        italic: false,
        color: GREY,
        family: None,
    }
}

pub fn scale(kind: ScaleKind) -> Scale {
    Scale::chartjs(kind)
}

pub fn title(text: &str) -> Title {
    Title {
        lines: vec![text.to_string()],
        position: Position::Top,
        font: font(12.0, true),
        padding: Padding::even(Title::PADDING),
    }
}

/// A dataset of `kind` in palette color `color`, with Chart.js's defaults
/// for that kind.
pub fn dataset(kind: ChartKind, label: &str, data: Vec<Datum>, color: usize) -> Dataset {
    let line_like = matches!(kind, ChartKind::Line | ChartKind::Radar);
    Dataset {
        kind,
        label: label.to_string(),
        data,
        background: Paint::Single(translucent(color)),
        border: Paint::Single(PALETTE[color % PALETTE.len()]),
        border_width: match kind {
            ChartKind::Line | ChartKind::Radar => 3.0,
            ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => 2.0,
            ChartKind::Bubble | ChartKind::Scatter => 1.0,
            ChartKind::Bar => 0.0,
        },
        border_dash: Vec::new(),
        fill: if kind == ChartKind::Radar {
            Fill::Origin
        } else {
            Fill::None
        },
        tension: if line_like { 0.4 } else { 0.0 },
        stepped: Stepped::No,
        point_style: PointStyle::Circle,
        point_radius: if kind == ChartKind::Bar { 0.0 } else { 3.0 },
        show_line: line_like,
        legend_solid: false,
        span_gaps: false,
        point_colors: None,
        bar_fit: Default::default(),
        bar_corners: [0.0; 4],
        border_skipped: true,
        hidden: false,
        on_y2: false,
        stack: String::new(),
        shades: Vec::new(),
        border_shade: None,
        legend_border_width: None,
        datalabels: None,
        marks: Default::default(),
    }
}

pub fn ys(values: &[f64]) -> Vec<Datum> {
    values.iter().map(|&v| Datum::Y(v)).collect()
}

pub fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A chart of `kind` with default scales, legend on top and a title.
pub fn chart(kind: ChartKind, labels: Vec<String>, datasets: Vec<Dataset>) -> ChartSpec {
    let pie_like = matches!(
        kind,
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea
    );
    let numeric_x = matches!(kind, ChartKind::Scatter | ChartKind::Bubble);
    let mut y = scale(ScaleKind::Linear);
    y.begin_at_zero = kind == ChartKind::Bar;
    let mut spec = ChartSpec {
        kind,
        index_axis: Axis::X,
        labels,
        datasets,
        title: Some(title(&format!("A {} chart", kind.as_str()))),
        subtitle: None,
        legend: Legend {
            display: true,
            position: Position::Top,
            font: font(12.0, false),
            filtered: Vec::new(),
            box_width: Legend::BOX_WIDTH,
            use_point_style: false,
            align: Default::default(),
        },
        x: scale(if numeric_x {
            ScaleKind::Linear
        } else {
            ScaleKind::Category
        }),
        y,
        y2: None,
        r: scale(ScaleKind::Linear),
        point_labels: Default::default(),
        cutout: if kind == ChartKind::Doughnut {
            0.5
        } else {
            0.0
        },
        sweep: None,
        padding: Default::default(),
        auto_padding: 0.0,
    };
    if pie_like {
        pie_colors(&mut spec);
    }
    spec
}

/// Pie-like charts color each slice from the palette, with white borders.
fn pie_colors(spec: &mut ChartSpec) {
    for ds in &mut spec.datasets {
        let n = ds.data.len().max(1);
        ds.background = Paint::PerPoint((0..n).map(translucent).collect());
        ds.border = Paint::Single(Rgba::WHITE);
    }
}

pub fn request(
    chart: ChartSpec,
    width: u32,
    height: u32,
    dpr: f64,
    format: Format,
) -> ChartRequest {
    ChartRequest {
        chart,
        output: Output {
            width,
            height,
            device_pixel_ratio: dpr,
            background: Rgba::TRANSPARENT,
            format,
        },
        reads_clock: false,
        chartjs: None,
    }
}

const MONTHS: [&str; 7] = [
    "January", "February", "March", "April", "May", "June", "July",
];

pub fn bar() -> ChartSpec {
    chart(
        ChartKind::Bar,
        labels(&MONTHS),
        vec![
            dataset(
                ChartKind::Bar,
                "Revenue",
                ys(&[65.0, 59.0, 80.0, 81.0, 56.0, 55.0, 40.0]),
                0,
            ),
            dataset(
                ChartKind::Bar,
                "Costs",
                ys(&[28.0, 48.0, 40.0, 19.0, 86.0, 27.0, -20.0]),
                1,
            ),
        ],
    )
}

pub fn horizontal_bar() -> ChartSpec {
    let mut c = bar();
    c.index_axis = Axis::Y;
    c
}

pub fn stacked_bar() -> ChartSpec {
    let mut c = bar();
    c.x.stacked = true;
    c.y.stacked = true;
    c.datasets.push(dataset(
        ChartKind::Bar,
        "Other",
        ys(&[10.0, 20.0, 30.0, 20.0, 10.0, 5.0, 15.0]),
        2,
    ));
    c.datasets[2].stack = "b".into();
    for ds in &mut c.datasets {
        ds.border_width = 1.0;
    }
    c
}

pub fn line() -> ChartSpec {
    let mut c = chart(
        ChartKind::Line,
        labels(&MONTHS),
        vec![
            dataset(
                ChartKind::Line,
                "Visitors",
                ys(&[65.0, 59.0, 80.0, 81.0, 56.0, 55.0, 40.0]),
                0,
            ),
            dataset(
                ChartKind::Line,
                "Signups",
                vec![
                    Datum::Y(28.0),
                    Datum::Y(48.0),
                    Datum::Gap,
                    Datum::Y(19.0),
                    Datum::Y(86.0),
                    Datum::Y(27.0),
                    Datum::Y(90.0),
                ],
                1,
            ),
        ],
    );
    c.datasets[0].fill = Fill::Origin;
    c.datasets[1].border_dash = vec![6.0, 4.0];
    c.datasets[1].point_style = PointStyle::RectRot;
    c.datasets[1].point_radius = 5.0;
    c.x.title = Some("month".into());
    c.y.title = Some("people".into());
    c
}

pub fn stepped_line() -> ChartSpec {
    let mut c = line();
    c.datasets[0].stepped = Stepped::Before;
    c.datasets[0].fill = Fill::Start;
    c.datasets[1].stepped = Stepped::Middle;
    c
}

pub fn scatter() -> ChartSpec {
    let points = |k: f64| {
        (0..40)
            .map(|i| {
                let x = f64::from(i) * 2.5 - 50.0;
                Datum::Xy(x, k * x * x / 50.0 + (f64::from(i) * 7.3).sin() * 10.0)
            })
            .collect()
    };
    let mut c = chart(
        ChartKind::Scatter,
        Vec::new(),
        vec![
            dataset(ChartKind::Scatter, "Model A", points(1.0), 0),
            dataset(ChartKind::Scatter, "Model B", points(-0.5), 1),
        ],
    );
    c.datasets[1].point_style = PointStyle::Triangle;
    c.datasets[1].point_radius = 5.0;
    c
}

pub fn bubble() -> ChartSpec {
    let data = |seed: f64| {
        (0..12)
            .map(|i| {
                let t = f64::from(i) + seed;
                Datum::Xyr(
                    (t * 3.7).sin() * 40.0 + 50.0,
                    (t * 1.3).cos() * 30.0 + 40.0,
                    4.0 + (t * 2.1).sin().abs() * 14.0,
                )
            })
            .collect()
    };
    chart(
        ChartKind::Bubble,
        Vec::new(),
        vec![
            dataset(ChartKind::Bubble, "North", data(0.0), 0),
            dataset(ChartKind::Bubble, "South", data(5.0), 1),
        ],
    )
}

pub fn mixed() -> ChartSpec {
    let mut c = bar();
    let mut trend = dataset(
        ChartKind::Line,
        "Trend",
        ys(&[50.0, 55.0, 60.0, 62.0, 70.0, 66.0, 72.0]),
        2,
    );
    trend.point_style = PointStyle::Star;
    trend.point_radius = 6.0;
    c.datasets.insert(0, trend);
    c.title = Some(title("A mixed bar and line chart"));
    c
}

pub fn pie() -> ChartSpec {
    let names = ["Red", "Blue", "Yellow", "Green", "Purple"];
    chart(
        ChartKind::Pie,
        labels(&names),
        vec![dataset(
            ChartKind::Pie,
            "Votes",
            ys(&[12.0, 19.0, 3.0, 5.0, 2.0]),
            0,
        )],
    )
}

pub fn doughnut() -> ChartSpec {
    let mut c = pie();
    c.kind = ChartKind::Doughnut;
    c.cutout = 0.5;
    for ds in &mut c.datasets {
        ds.kind = ChartKind::Doughnut;
    }
    c.title = Some(title("A doughnut chart"));
    c
}

pub fn polar_area() -> ChartSpec {
    let mut c = pie();
    c.kind = ChartKind::PolarArea;
    for ds in &mut c.datasets {
        ds.kind = ChartKind::PolarArea;
    }
    c.title = Some(title("A polarArea chart"));
    c
}

pub fn radar() -> ChartSpec {
    let skills = [
        "Eating",
        "Drinking",
        "Sleeping",
        "Designing",
        "Coding",
        "Cycling",
        "Running",
    ];
    let mut c = chart(
        ChartKind::Radar,
        labels(&skills),
        vec![
            dataset(
                ChartKind::Radar,
                "Alice",
                ys(&[65.0, 59.0, 90.0, 81.0, 56.0, 55.0, 40.0]),
                0,
            ),
            dataset(
                ChartKind::Radar,
                "Bob",
                ys(&[28.0, 48.0, 40.0, 19.0, 96.0, 27.0, 100.0]),
                1,
            ),
        ],
    );
    c.r.begin_at_zero = true;
    c
}

pub fn log_line() -> ChartSpec {
    let values: Vec<f64> = (0..12).map(|i| 3.0 * 2.7f64.powi(i)).collect();
    let mut c = chart(
        ChartKind::Line,
        (0..12).map(|i| format!("Day {i}")).collect(),
        vec![dataset(ChartKind::Line, "Growth", ys(&values), 5)],
    );
    c.y.kind = ScaleKind::Logarithmic;
    c.title = Some(title("A logarithmic line chart"));
    c
}

/// Every chart family, named.
pub fn all() -> Vec<(&'static str, ChartSpec)> {
    vec![
        ("bar", bar()),
        ("horizontal_bar", horizontal_bar()),
        ("stacked_bar", stacked_bar()),
        ("line", line()),
        ("stepped_line", stepped_line()),
        ("log_line", log_line()),
        ("scatter", scatter()),
        ("bubble", bubble()),
        ("mixed", mixed()),
        ("pie", pie()),
        ("doughnut", doughnut()),
        ("polar_area", polar_area()),
        ("radar", radar()),
    ]
}

/// `/work/shared/bench/reference-chart.json` as a v2 request would set it:
/// a line of 1000 points, no fill, no points, title and axis titles.
pub fn reference() -> ChartSpec {
    // The copy of ../shared/bench/reference-chart.json the benches use, so
    // the tests read the same chart wherever the checkout sits.
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../benches/reference-chart.json"))
            .expect("the reference chart is JSON");
    let data = &json["data"];
    let labels: Vec<String> = data["labels"]
        .as_array()
        .map(|a| a.iter().map(|v| v.to_string()).collect())
        .unwrap_or_default();
    let values: Vec<f64> = data["datasets"][0]["data"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    let label = data["datasets"][0]["label"]
        .as_str()
        .unwrap_or("series")
        .to_string();
    let mut ds = dataset(ChartKind::Line, &label, ys(&values), 0);
    ds.border = Paint::Single(Rgba(0x1f, 0x77, 0xb4, 255));
    ds.background = Paint::Single(Rgba(0, 0, 0, 26));
    ds.point_radius = 0.0;
    let mut c = chart(ChartKind::Line, labels, vec![ds]);
    c.title = Some(title("Reference chart"));
    c.x.title = Some("minute".into());
    c.y.title = Some("rpm".into());
    c
}
