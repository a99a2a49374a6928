//! The font set and its fallback chains: which face draws a character a
//! style asks for, and which family a CSS family list names.

use super::{Loaded, SVG_FAMILY};

/// The style text asks for: a weight, a slant, and the family a
/// `fontFamily` named when a loaded one matches (its faces head the chain).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Face {
    pub(crate) bold: bool,
    /// CSS `font-style: italic` (or `oblique`): italic faces head the
    /// chain, and upright ones are slanted (`fonts::oblique`).
    pub(crate) italic: bool,
    /// 0: the default chain (DejaVu Sans first); else 1 + the family's
    /// place in `FontSet::families`.
    family: u16,
}

impl Face {
    pub(crate) const REGULAR: Face = Face::of(false);
    #[cfg(test)]
    pub(crate) const BOLD: Face = Face::of(true);
    #[cfg(test)]
    pub(crate) const ITALIC: Face = Face::REGULAR.italic(true);

    pub(crate) const fn of(bold: bool) -> Face {
        Face {
            bold,
            italic: false,
            family: 0,
        }
    }

    /// This style, slanted or not.
    pub(crate) const fn italic(self, italic: bool) -> Face {
        Face { italic, ..self }
    }

    /// This style in the first family of the CSS list `families` (as
    /// Chart.js writes `fontFamily`, e.g. `'Noto Serif', serif`) that is
    /// loaded; the default chain when none is, or when a generic family
    /// (`sans-serif`) comes first.
    pub(crate) fn in_family(self, families: &str) -> Face {
        Face {
            family: super::set().family_of(families),
            ..self
        }
    }

    /// Whether this is a default-chain style (DejaVu Sans first).
    pub(crate) fn is_default(self) -> bool {
        self.family == 0
    }

    /// Index of the weight and slant, for tables kept per style.
    pub(crate) fn style(self) -> usize {
        usize::from(self.bold) + 2 * usize::from(self.italic)
    }

    /// The four styles, in `style()` order.
    const STYLES: [Face; 4] = [
        Face::of(false),
        Face::of(true),
        Face::of(false).italic(true),
        Face::of(true).italic(true),
    ];
}

/// A face of the loaded set, by its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FontId(pub(crate) u16);

impl From<Face> for FontId {
    /// The head of the style's chain: the face its plain text is drawn in.
    fn from(face: Face) -> FontId {
        super::set().chain(face)[0]
    }
}

/// A family of the set: its name, the chains of its four styles, and the
/// `font-family` an SVG names it with.
struct Family {
    /// As the font names it; matched case-insensitively, as CSS does.
    name: String,
    chains: [Box<[FontId]>; 4],
    svg: String,
}

macro_rules! embedded {
    ($($file:literal),* $(,)?) => {
        [$(($file, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/", $file)) as &[u8])),*]
    };
}

/// The compiled-in faces, in chain order; the first two are DejaVu Sans
/// regular and bold (`Face`'s values). `scripts/subset-fonts.sh` makes the
/// subsets from Debian's packages.
static EMBEDDED: [(&str, &[u8]); 14] = embedded![
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansDevanagari-Bold.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansThai-Bold.ttf",
    "NotoSansCJKsc-Regular-subset.otf",
    "Symbola-emoji-subset.ttf",
    "DejaVuSans-Oblique-subset.ttf",
    "DejaVuSans-BoldOblique-subset.ttf",
];

/// Every face chartgate draws with, and the order each style tries them in.
pub struct FontSet {
    pub(crate) fonts: Vec<Loaded>,
    chains: [Box<[FontId]>; 4],
    /// Every family but DejaVu Sans (the default chain's), in load order.
    families: Vec<Family>,
    /// The color faces (`Loaded::color`), in load order: what emoji try
    /// first, as a browser draws them from its color emoji font.
    color: Box<[FontId]>,
    /// blake3 over the configured fonts' bytes; `None` when only the
    /// embedded faces are loaded (those change only with the code, whose
    /// key context is versioned).
    fingerprint: Option<[u8; 32]>,
}

impl FontSet {
    /// The embedded faces alone.
    pub(crate) fn embedded() -> FontSet {
        FontSet::with(Vec::new(), None)
    }

    /// The embedded faces, then `extra` (configured fonts, in a stable
    /// order), hashed to `fingerprint`.
    pub(crate) fn with(extra: Vec<Loaded>, fingerprint: Option<[u8; 32]>) -> FontSet {
        let mut fonts: Vec<Loaded> = EMBEDDED
            .iter()
            .map(|(file, bytes)| {
                // Compiled in and covered by a unit test: cannot fail at run time.
                Loaded::parse(bytes, 0).unwrap_or_else(|| panic!("embedded font {file} parses"))
            })
            .collect();
        fonts.extend(extra);
        let chains = Face::STYLES.map(|style| chain_of(&fonts, style));
        let families = families_of(&fonts, &chains);
        let color = (0..fonts.len())
            .filter(|&i| fonts[i].color)
            .map(id)
            .collect();
        FontSet {
            fonts,
            chains,
            families,
            color,
            fingerprint,
        }
    }

    /// Face `id` of the set.
    pub(crate) fn face(&self, id: FontId) -> &Loaded {
        &self.fonts[usize::from(id.0)]
    }

    /// `Face::in_family`'s lookup: 1 + the index of the first loaded family
    /// in the CSS list, or 0.
    fn family_of(&self, families: &str) -> u16 {
        for name in families.split(',') {
            let name = name.trim().trim_matches(|c| c == '"' || c == '\'');
            if name.eq_ignore_ascii_case(&self.fonts[0].family) || is_generic(name) {
                return 0;
            }
            if let Some(i) = self
                .families
                .iter()
                .position(|f| f.name.eq_ignore_ascii_case(name))
            {
                return u16::try_from(i + 1).unwrap_or(0);
            }
        }
        0
    }

    /// The `font-family` an SVG names `face` with: its family first, then
    /// the default chain's families.
    pub(crate) fn svg_family(&self, face: Face) -> &str {
        match face.family {
            0 => SVG_FAMILY,
            f => &self.families[usize::from(f - 1)].svg,
        }
    }

    /// The faces `face` tries, in order: the default chain (`chain_of`), or
    /// a family's (`families_of`).
    pub(crate) fn chain(&self, face: Face) -> &[FontId] {
        match face.family {
            0 => &self.chains[face.style()],
            f => &self.families[usize::from(f - 1)].chains[face.style()],
        }
    }

    /// The color faces, which emoji try before any chain.
    pub(crate) fn color_faces(&self) -> &[FontId] {
        &self.color
    }

    /// blake3 over the fonts loaded from `fonts.dirs`, for the key context;
    /// `None` for the embedded set alone.
    pub fn fingerprint(&self) -> Option<[u8; 32]> {
        self.fingerprint
    }

    /// The faces loaded, for the start-up log: (family, bold, italic).
    pub fn faces(&self) -> impl Iterator<Item = (&str, bool, bool)> {
        self.fonts
            .iter()
            .map(|f| (f.family.as_str(), f.bold, f.italic))
    }
}

/// CSS's generic families: they name the default chain.
fn is_generic(name: &str) -> bool {
    [
        "sans-serif",
        "serif",
        "monospace",
        "system-ui",
        "cursive",
        "fantasy",
    ]
    .iter()
    .any(|g| name.eq_ignore_ascii_case(g))
}

fn id(i: usize) -> FontId {
    FontId(u16::try_from(i).unwrap_or(u16::MAX))
}

/// The faces of `fonts` that `member` picks, in the order a chain of
/// `style` tries them: as CSS matches, slant before weight (a bold label
/// in a script only a regular face has is drawn regular rather than as
/// boxes; an italic one upright, and slanted, when no italic face has it).
fn style_first<'a>(
    fonts: &'a [Loaded],
    member: impl Fn(&Loaded) -> bool + Copy + 'a,
    style: Face,
) -> impl Iterator<Item = FontId> + 'a {
    let of = move |bold: bool, italic: bool| {
        (0..fonts.len())
            .filter(move |&i| {
                member(&fonts[i]) && fonts[i].bold == bold && fonts[i].italic == italic
            })
            .map(id)
    };
    let (b, i) = (style.bold, style.italic);
    of(b, i).chain(of(!b, i)).chain(of(b, !i)).chain(of(!b, !i))
}

/// The families of `fonts` other than the first face's (DejaVu Sans), each
/// chain its own faces (`style_first`), then the default chain (so a
/// character the family lacks still falls back).
fn families_of(fonts: &[Loaded], defaults: &[Box<[FontId]>; 4]) -> Vec<Family> {
    let mut names: Vec<&str> = Vec::new();
    for f in &fonts[1..] {
        if !f.family.eq_ignore_ascii_case(&fonts[0].family)
            && !names.iter().any(|n| n.eq_ignore_ascii_case(&f.family))
        {
            names.push(&f.family);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let member = |f: &Loaded| f.family.eq_ignore_ascii_case(name);
            let chains = Face::STYLES.map(|style| {
                style_first(fonts, member, style)
                    .chain(defaults[style.style()].iter().copied())
                    .collect()
            });
            Family {
                name: name.to_owned(),
                chains,
                svg: format!("{name}, {SVG_FAMILY}"),
            }
        })
        .collect()
}

/// The default chain of a style: its DejaVu Sans face (the upright one of
/// its weight when the set has no face of its slant), then every other face
/// (`style_first`).
fn chain_of(fonts: &[Loaded], style: Face) -> Box<[FontId]> {
    let dejavu = |f: &Loaded| f.family == fonts[0].family;
    let head = style_first(fonts, dejavu, style)
        .next()
        .filter(|&i| fonts[usize::from(i.0)].italic == style.italic)
        .unwrap_or(FontId(u16::from(style.bold)));
    std::iter::once(head)
        .chain(style_first(fonts, |_| true, style).filter(|&i| i != head))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_face_parses_with_its_weight() {
        let set = FontSet::embedded();
        assert_eq!(set.fonts.len(), EMBEDDED.len());
        let styles: Vec<(bool, bool)> = set.fonts.iter().map(|f| (f.bold, f.italic)).collect();
        // Regular and bold alternate; the CJK and emoji subsets have one
        // weight; DejaVu's obliques come last.
        let expected: Vec<(bool, bool)> = (0..EMBEDDED.len())
            .map(|i| (i % 2 == 1 && i != 11, i >= 12))
            .collect();
        assert_eq!(styles, expected);
        assert_eq!(set.fonts[0].family, "DejaVu Sans");
        assert_eq!(set.fonts[12].family, "DejaVu Sans");
        assert!(set.fonts[10].family.starts_with("Noto Sans CJK"));
    }

    #[test]
    fn chains_start_with_their_dejavu_face_and_hold_every_face_once() {
        let set = FontSet::embedded();
        for face in Face::STYLES {
            let chain = set.chain(face);
            let head = u16::from(face.bold) + if face.italic { 12 } else { 0 };
            assert_eq!(chain[0], FontId(head));
            let mut sorted = chain.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), set.fonts.len());
        }
        // Bold Arabic before regular Arabic in the bold chain; upright
        // chains try the obliques last.
        assert_eq!(
            &set.chain(Face::BOLD)[..3],
            &[FontId(1), FontId(3), FontId(5)]
        );
        assert_eq!(set.chain(Face::REGULAR)[12..], [FontId(12), FontId(13)]);
        // An italic chain: its oblique, the other oblique, then the upright
        // faces of its weight (slanted when drawn), DejaVu's first.
        assert_eq!(
            &set.chain(Face::ITALIC)[..4],
            &[FontId(12), FontId(13), FontId(0), FontId(2)]
        );
    }

    #[test]
    fn a_css_family_list_picks_the_first_loaded_family() {
        let set = FontSet::embedded();
        let family = |css| set.family_of(css);
        // Chart.js's default list names nothing loaded: the default chain.
        assert_eq!(
            family("'Helvetica Neue', 'Helvetica', 'Arial', sans-serif"),
            0
        );
        assert_eq!(family("DejaVu Sans"), 0);
        assert_eq!(
            family("sans-serif, 'Noto Sans Thai'"),
            0,
            "a generic family ends the list"
        );
        let thai = family("Roboto, \"noto sans thai\", serif");
        assert_ne!(thai, 0);
        for style in Face::STYLES {
            let face = Face {
                family: thai,
                ..style
            };
            let head = set.face(set.chain(face)[0]);
            // No italic Thai is embedded: the upright face, slanted.
            assert_eq!(
                (head.family.as_str(), head.bold, head.italic),
                ("Noto Sans Thai", style.bold, false)
            );
            // Characters the family lacks still fall back to every face.
            let mut all = set.chain(face).to_vec();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), set.fonts.len());
            assert!(set
                .svg_family(face)
                .starts_with("Noto Sans Thai, DejaVu Sans"));
        }
    }

    /// Debian's Noto Sans, as `fonts.dirs` loads it (in path order: bold,
    /// bold italic, italic, regular): each style heads with its own face,
    /// so upright text is never drawn in an italic that sorted first.
    #[test]
    fn a_configured_family_heads_each_style_with_its_own_face() {
        let dir = "/usr/share/fonts/truetype/noto";
        let extra: Vec<Loaded> = ["Bold", "BoldItalic", "Italic", "Regular"]
            .iter()
            .map(|style| {
                let path = format!("{dir}/NotoSans-{style}.ttf");
                let bytes = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("{path}: {e} (apt-get install fonts-noto-core)"));
                Loaded::parse(Vec::leak(bytes), 0).unwrap()
            })
            .collect();
        let set = FontSet::with(extra, None);
        let noto = set.family_of("'Noto Sans', sans-serif");
        assert_ne!(noto, 0);
        for style in Face::STYLES {
            let head = set.face(
                set.chain(Face {
                    family: noto,
                    ..style
                })[0],
            );
            assert_eq!(
                (head.family.as_str(), head.bold, head.italic),
                ("Noto Sans", style.bold, style.italic),
                "{style:?}"
            );
        }
    }
}
