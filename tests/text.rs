//! Text in every script, as a user sends it: Chinese, Japanese, Korean,
//! Arabic and Persian, Hebrew, Hindi, Thai and emoji labels are drawn with
//! real glyphs (not boxes) by both renderers; characters no font has are
//! counted, never silent; the fonts loaded from `fonts.dirs` are part of the
//! key. None of these depend on a font's exact pixels: they compare two
//! pictures the gateway drew.

mod common;

use common::image::decode;
use common::process::Gateway;
use common::{chart_path, metric, request, Server};
use serde_json::json;

/// A small bar chart titled `title` with category `labels`.
fn chart(title: &str, labels: &[&str]) -> String {
    json!({
        "type": "bar",
        "data": {"labels": labels, "datasets": [{"label": title, "data": [3, 5, 2]}]},
        "options": {"title": {"display": true, "text": title}, "legend": {"display": false}}
    })
    .to_string()
}

/// The pixels of `config` drawn by `server`, and the response's headers.
async fn draw(server: &Server, config: &str) -> (Vec<[u8; 4]>, common::Resp) {
    let r = server
        .get(&chart_path(config, &[("w", "300"), ("h", "200")]))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    (decode(&r.body).pixels().collect(), r)
}

/// The PNG of a Chart.js 3 `config` (`v=3`) drawn by `server`.
async fn draw_v3(server: &Server, config: &str) -> bytes::Bytes {
    let path = chart_path(config, &[("w", "300"), ("h", "200"), ("v", "3")]);
    let r = server.get(&path).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.body
}

async fn same_picture(server: &Server, a: &str, b: &str) -> bool {
    draw(server, a).await.0 == draw(server, b).await.0
}

#[tokio::test]
async fn two_chinese_titles_draw_differently_where_boxes_would_not() {
    let s = Server::default().await;
    // Boxes of two private-use characters are the same picture: the check
    // below can tell boxes from glyphs.
    let boxes = same_picture(
        &s,
        &chart("\u{E000}\u{E001}", &[]),
        &chart("\u{E002}\u{E003}", &[]),
    )
    .await;
    assert!(boxes, "two strings no font has draw the same boxes");
    for (a, b) in [
        ("销售报告", "利润报告"),
        ("營收報告", "利潤報告"),
        ("売上レポート", "利益レポート"),
        ("매출 보고서", "이익 보고서"),
    ] {
        assert!(
            !same_picture(&s, &chart(a, &[]), &chart(b, &[])).await,
            "{a} / {b}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn arabic_is_joined_not_drawn_as_isolated_letters() {
    let s = Server::default().await;
    // ZWNJ between the letters forbids joining: the same letters, isolated.
    let joined = chart("سلام", &[]);
    let isolated = chart("س\u{200C}ل\u{200C}ا\u{200C}م", &[]);
    assert!(!same_picture(&s, &joined, &isolated).await);
    // A ZWNJ where letters do not join anyway changes nothing: the check
    // above is about joining, not about the joiner drawing something.
    let plain = chart("دوره", &[]);
    let nonjoiner = chart("د\u{200C}وره", &[]);
    assert!(same_picture(&s, &plain, &nonjoiner).await);
    s.stop().await;
}

#[tokio::test]
async fn right_to_left_text_is_mirrored() {
    let s = Server::default().await;
    // Hebrew typed in logical order is drawn right to left: the picture of
    // the word is the picture of its letters reversed and forced left to
    // right with an override.
    let word = chart("אבגד", &["שלום", "עולם", "ב"]);
    let forced = chart(
        "\u{202D}דגבא\u{202C}",
        &["\u{202D}םולש\u{202C}", "\u{202D}םלוע\u{202C}", "ב"],
    );
    assert!(same_picture(&s, &word, &forced).await);
    // And it is not the word in typed order.
    let typed = chart(
        "\u{202D}אבגד\u{202C}",
        &["\u{202D}שלום\u{202C}", "\u{202D}עולם\u{202C}", "ב"],
    );
    assert!(!same_picture(&s, &word, &typed).await);
    s.stop().await;
}

#[tokio::test]
async fn missing_glyphs_are_counted_and_named_on_the_response() {
    let s = Server::default().await;
    let (_, r) = draw(&s, &chart("Sales 2025 年 📈", &["一月", "สวัสดี", "हिन्दी"])).await;
    assert_eq!(
        r.header("x-chartgate-missing-glyphs"),
        "",
        "every script here has a font"
    );
    let series = "chartgate_missing_glyphs_total{script=\"Unknown\"}";
    assert_eq!(metric(s.addr, series).await, 0.0);
    let (_, r) = draw(&s, &chart("a\u{E000}\u{E001}", &[])).await;
    assert_eq!(
        r.header("x-chartgate-missing-glyphs"),
        "2",
        "the title's two"
    );
    assert_eq!(metric(s.addr, series).await, 2.0);
    // A hit of that chart still says so.
    let again = s
        .get(&chart_path(
            &chart("a\u{E000}\u{E001}", &[]),
            &[("w", "300"), ("h", "200")],
        ))
        .await;
    assert_eq!(again.header("x-cache"), "hit-memory");
    assert_eq!(again.header("x-chartgate-missing-glyphs"), "2");
    s.stop().await;
}

#[tokio::test]
async fn the_gallery_draws_no_boxes() {
    let s = Server::default().await;
    for path in common::gallery::paths() {
        let spec = std::fs::read_to_string(&path).unwrap();
        let r = s.post("/chart", &spec).await;
        assert_eq!(r.status, 200, "{}", path.display());
        assert_eq!(
            r.header("x-chartgate-missing-glyphs"),
            "",
            "{}",
            path.display()
        );
    }
    let m = request(s.addr, "GET", "/metrics", &[], Default::default()).await;
    let text = String::from_utf8_lossy(&m.body);
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("chartgate_missing_glyphs_total{")),
        "{text}"
    );
    s.stop().await;
}

/// The Chart.js renderer lays text out with the same fonts: a Chinese
/// title it draws is glyphs, not boxes, and looks as the native one's.
#[tokio::test]
async fn the_chartjs_renderer_draws_the_same_scripts() {
    let s = Server::default().await;
    // A v2 chart with the annotation plugin is drawn by Chart.js itself.
    let timed = |title: &str| {
        json!({
            "type": "line",
            "data": {"datasets": [{"label": title, "data": [{"x": "2024-01-01", "y": 1}, {"x": "2024-03-01", "y": 3}]}]},
            "options": {"title": {"display": true, "text": title}, "scales": {"xAxes": [{"type": "time"}]}, "annotation": {"annotations": []}}
        })
        .to_string()
    };
    let (a, r) = draw(&s, &timed("销售报告 مبيعات")).await;
    assert_eq!(r.header("x-chartgate-renderer"), "chartjs");
    assert_eq!(r.header("x-chartgate-missing-glyphs"), "");
    let (b, _) = draw(&s, &timed("利润报告 مبيعات")).await;
    assert_ne!(a, b);
    let (_, r) = draw(&s, &timed("\u{E000}")).await;
    assert_eq!(
        r.header("x-chartgate-missing-glyphs"),
        "2",
        "title and legend"
    );
    s.stop().await;
}

/// `fonts.dirs`: a font found there draws what the embedded ones cannot,
/// its bytes are part of every key, and two replicas with the same fonts
/// agree byte for byte.
#[tokio::test]
async fn configured_fonts_draw_more_and_change_the_key() {
    let dir = std::env::temp_dir().join(format!("chartgate-fonts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Ethiopic: no embedded face has it; Debian's fonts-noto-core does
    // (the test script installs it).
    let ethiopic = "/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf";
    std::fs::copy(ethiopic, dir.join("NotoSansEthiopic-Regular.ttf"))
        .unwrap_or_else(|e| panic!("{ethiopic}: {e} (apt-get install fonts-noto-core)"));
    let dirs = format!("[\"{}\"]", dir.display());
    let plain = Gateway::start(&[]);
    let a = Gateway::start(&[("CHARTGATE_FONTS__DIRS", &dirs)]);
    let b = Gateway::start(&[("CHARTGATE_FONTS__DIRS", &dirs)]);
    let path = chart_path(&chart("ሰላም", &[]), &[("w", "300"), ("h", "200")]);
    let get = |addr| request(addr, "GET", &path, &[], Default::default());
    let (p, ra, rb) = (get(plain.addr).await, get(a.addr).await, get(b.addr).await);
    assert_eq!(
        p.header("x-chartgate-missing-glyphs"),
        "3",
        "the title's three letters"
    );
    assert_eq!(ra.header("x-chartgate-missing-glyphs"), "");
    assert_ne!(
        p.header("etag"),
        ra.header("etag"),
        "the font set is part of the key"
    );
    assert_eq!(ra.header("etag"), rb.header("etag"));
    assert_eq!(ra.body, rb.body, "same fonts, same bytes");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A configured color emoji font (Debian's Noto Color Emoji, CBDT bitmaps)
/// draws emoji in color, in both renderers, where Chromium does: what
/// presents as emoji (📈; ❤ before U+FE0F) from the color font, what
/// presents as text (☀, a bare ❤) from DejaVu Sans, as before. Without
/// the font, emoji stay monochrome (Symbola).
#[tokio::test]
async fn a_configured_color_font_draws_emoji_in_color() {
    let dir = std::env::temp_dir().join(format!("chartgate-emoji-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let font = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
    assert!(
        std::path::Path::new(font).exists(),
        "{font} (apt-get install fonts-noto-color-emoji)"
    );
    std::os::unix::fs::symlink(font, dir.join("NotoColorEmoji.ttf")).unwrap();
    let dirs = format!("[\"{}\"]", dir.display());
    let plain = Gateway::start(&[]);
    let color = Gateway::start(&[("CHARTGATE_FONTS__DIRS", &dirs)]);
    // Gray text on white and no data: any saturated pixel is an emoji's.
    let config = |text: &str, v4: bool| {
        let (dataset, options) = if v4 {
            // The annotation plugin is drawn by the Chart.js renderer.
            let title = json!({"display": true, "text": text, "font": {"size": 28}});
            let plugins = json!({"legend": {"display": false}, "title": title,
                "annotation": {"annotations": {}}});
            (json!({"data": []}), json!({"plugins": plugins}))
        } else {
            let title = json!({"display": true, "text": text, "fontSize": 28});
            (
                json!({"data": []}),
                json!({"legend": {"display": false}, "title": title}),
            )
        };
        json!({"type": "bar", "data": {"labels": [], "datasets": [dataset]}, "options": options})
            .to_string()
    };
    let saturated = |png: &[u8]| {
        decode(png)
            .pixels()
            .filter(|p| p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]) > 80)
            .count()
    };
    for (v4, renderer) in [(false, "native"), (true, "chartjs")] {
        for (text, emoji) in [
            ("📈", true),
            ("❤\u{FE0F}", true),
            ("☀", false),
            ("❤", false),
        ] {
            let mut params = vec![("w", "300"), ("h", "200")];
            if v4 {
                params.push(("v", "4"));
            }
            let path = chart_path(&config(text, v4), &params);
            let get = |addr| request(addr, "GET", &path, &[], Default::default());
            let (p, c) = (get(plain.addr).await, get(color.addr).await);
            assert_eq!(c.header("x-chartgate-renderer"), renderer);
            assert_eq!(c.header("x-chartgate-missing-glyphs"), "", "{text}");
            assert_eq!(saturated(&p.body), 0, "{text} without a color font");
            let n = saturated(&c.body);
            if emoji {
                assert!(n > 50, "{text} by {renderer}: {n} colored pixels");
            } else {
                assert_eq!(n, 0, "{text} by {renderer} presents as text");
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `fontFamily` (v2) and `font.family` (v3) pick a loaded family, with the
/// fallback chain behind it; a list naming no loaded family is the default
/// picture, as a browser without those fonts draws it.
#[tokio::test]
async fn font_family_picks_a_loaded_family() {
    let s = Server::default().await;
    let v2 = |family: Option<&str>| {
        let mut c: serde_json::Value =
            serde_json::from_str(&chart("Revenue 2024", &["a", "b", "c"])).unwrap();
        if let Some(f) = family {
            c["options"]["title"]["fontFamily"] = json!(f);
        }
        c.to_string()
    };
    let default = v2(None);
    let absent = v2(Some("'Helvetica Neue', 'Helvetica', 'Arial', sans-serif"));
    let cjk = v2(Some("'Noto Sans CJK SC', sans-serif"));
    assert!(same_picture(&s, &default, &absent).await);
    assert!(!same_picture(&s, &default, &cjk).await);
    // v3 spells it `font.family`; the same family gives the same title.
    let v3 = |family: &str| {
        json!({
            "type": "bar",
            "data": {"labels": ["a", "b", "c"], "datasets": [{"label": "n", "data": [3, 5, 2]}]},
            "options": {"plugins": {"legend": {"display": false},
                "title": {"display": true, "text": "Revenue 2024", "font": {"family": family}}}}
        })
        .to_string()
    };
    let generic = draw_v3(&s, &v3("sans-serif")).await;
    let noto = draw_v3(&s, &v3("Noto Sans CJK SC")).await;
    assert_ne!(generic, noto);
    // The Chart.js renderer reads the family from the canvas's font string.
    let timed = |family: &str| {
        json!({
            "type": "line",
            "data": {"datasets": [{"label": "n", "data": [{"x": "2024-01-01", "y": 1}, {"x": "2024-03-01", "y": 3}]}]},
            "options": {"legend": {"display": false}, "scales": {"xAxes": [{"type": "time"}]}, "annotation": {"annotations": []},
                "title": {"display": true, "text": "Revenue 2024", "fontFamily": family}}
        })
        .to_string()
    };
    let (a, r) = draw(&s, &timed("Arial")).await;
    assert_eq!(r.header("x-chartgate-renderer"), "chartjs");
    let (b, _) = draw(&s, &timed("Noto Sans CJK SC")).await;
    let (c, _) = draw(&s, &timed("Helvetica")).await;
    assert_ne!(a, b);
    assert_eq!(a, c);
    s.stop().await;
}
