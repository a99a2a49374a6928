//! The chart gallery: renders every QuickChart POST body in
//! `tests/gallery/*.json` to `docs/gallery/<name>.png` (or `.svg`) and writes
//! `docs/gallery.md`, one section per chart type or option family with the
//! picture and the request that made it.
//!
//! Run it with `cargo run --release --example gallery`. The same specs are the
//! golden images of `tests/render_golden.rs` (`UPDATE_GOLDEN=1 cargo test
//! --test render_golden`), so the gallery shows what the tests pin.

use chartgate::chart::params;
use chartgate::chart::spec::{ChartRequest, Format};
use chartgate::config::{Limits, ScriptConfig};
use chartgate::render::{PlottersRenderer, Renderer};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// The gallery's specs in order, as the tests walk them.
#[path = "../tests/common/gallery.rs"]
mod gallery;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One gallery entry: file stem, POST body as written, and what it parses to.
struct Entry {
    name: String,
    body: String,
    request: ChartRequest,
}

fn main() -> Res<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let entries = read_specs()?;
    let out_dir = root.join("docs/gallery");
    std::fs::create_dir_all(&out_dir)?;
    let mut files = Vec::new();
    for e in &entries {
        let deadline = Instant::now() + Duration::from_secs(60);
        let bytes = PlottersRenderer::new()
            .render(&e.request, deadline)
            .map_err(|err| format!("{}: {err}", e.name))?;
        let file = format!("{}.{}", e.name, extension(e.request.output.format));
        std::fs::write(out_dir.join(&file), &bytes)?;
        println!("docs/gallery/{file} ({} bytes)", bytes.len());
        files.push(file);
    }
    let md = markdown(&entries, &files);
    std::fs::write(root.join("docs/gallery.md"), md)?;
    println!("docs/gallery.md: {} charts", entries.len());
    Ok(())
}

/// Every gallery spec, in the order of their number prefixes.
fn read_specs() -> Res<Vec<Entry>> {
    gallery::paths()
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .ok_or("a spec without a name")?
                .to_string_lossy()
                .into_owned();
            let body = std::fs::read_to_string(&path)?;
            let request = params::scripted_post(
                body.as_bytes(),
                &Limits::default(),
                Some(&ScriptConfig::default()),
            )
            .map_err(|e| format!("{}: {e:?}", path.display()))?;
            Ok(Entry {
                name,
                body,
                request,
            })
        })
        .collect()
}

/// Which renderer drew it and which Chart.js it follows: the spec's
/// `version` (QuickChart's default, 2, when it gives none).
fn follows(e: &Entry) -> String {
    let body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
    let version = match &body["version"] {
        serde_json::Value::String(v) => v.chars().next().unwrap_or('2'),
        serde_json::Value::Number(n) => n.to_string().chars().next().unwrap_or('2'),
        _ => '2',
    };
    let chartjs = match version {
        '2' => "Chart.js 2.9.4 with QuickChart's v2 defaults",
        '3' => "Chart.js 3.9.1",
        _ => "Chart.js 4.4.1",
    };
    match e.request.drawer() {
        chartgate::labels::Drawer::ChartJs => {
            format!("drawn by {chartjs}, itself (renderer: chartjs)")
        }
        chartgate::labels::Drawer::Native => {
            format!("drawn natively after {chartjs} (renderer: native)")
        }
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Png => "png",
        Format::Svg => "svg",
    }
}

/// A section heading: the chart's own title, else its file name.
fn heading(e: &Entry) -> String {
    e.request
        .chart
        .title
        .as_ref()
        .map(|t| t.lines.join(" "))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| e.name.clone())
}

/// A GitHub-style anchor for `heading`.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn markdown(entries: &[Entry], files: &[String]) -> String {
    let mut md = String::new();
    md.push_str(
        "# Chart gallery\n\n\
         What chartgate draws for common Chart.js configs. Each picture below was\n\
         rendered by chartgate from the request under it: send that JSON as the body\n\
         of `POST /chart` (or its `chart` as `GET /chart?c=...`) and you get this\n\
         image (the same bytes on every run and replica).\n\n\
         ```sh\n\
         curl -s -X POST http://127.0.0.1:8080/chart \\\n  \
         -H 'Content-Type: application/json' \\\n  \
         -d @tests/gallery/01-bar.json -o bar.png\n\
         ```\n\n\
         The requests live in [`tests/gallery/`](../tests/gallery/); the same files are\n\
         the golden images of `tests/render_golden.rs`. Regenerate after a renderer\n\
         change with:\n\n\
         ```sh\n\
         cargo run --release --example gallery             # docs/gallery.md and docs/gallery/*\n\
         UPDATE_GOLDEN=1 cargo test --test render_golden   # tests/golden/*.png\n\
         ```\n\n\
         This file is generated by `examples/gallery.rs`; edit the specs, not this page.\n\n",
    );
    md.push_str("## Contents\n\n");
    for e in entries {
        let h = heading(e);
        let _ = writeln!(md, "- [{h}](#{})", anchor(&h));
    }
    md.push('\n');
    for (e, file) in entries.iter().zip(files) {
        let out = &e.request.output;
        let (pw, ph) = out.pixel_size();
        let _ = writeln!(md, "## {}\n", heading(e));
        let size = match out.format {
            Format::Png => format!(
                "PNG, {}x{} CSS pixels at devicePixelRatio {} = {pw}x{ph} pixels",
                out.width, out.height, out.device_pixel_ratio
            ),
            Format::Svg => format!("SVG, {}x{}", out.width, out.height),
        };
        let _ = writeln!(
            md,
            "<img src=\"gallery/{file}\" width=\"{}\" alt=\"{}\">\n\n\
             {size}; chart type `{}`; spec `tests/gallery/{}.json`; {}.\n",
            out.width,
            e.name,
            e.request.type_name(),
            e.name,
            follows(e)
        );
        let _ = writeln!(
            md,
            "<details><summary>POST /chart body</summary>\n\n```json\n{}\n```\n\n</details>\n",
            e.body.trim_end()
        );
    }
    md
}
