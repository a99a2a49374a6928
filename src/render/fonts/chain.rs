//! The font set and its fallback chains: which face draws a character a
//! style asks for, and which family a CSS family list names.

use super::{Loaded, SVG_FAMILY};

/// The style text asks for: a weight, and the family a `fontFamily` named
/// when a loaded one matches (its faces head the chain).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Face {
    pub(crate) bold: bool,
    /// 0: the default chain (DejaVu Sans first); else 1 + the family's
    /// place in `FontSet::families`.
    family: u16,
}

impl Face {
    pub(crate) const REGULAR: Face = Face::of(false);
    #[cfg(test)]
    pub(crate) const BOLD: Face = Face::of(true);

    pub(crate) const fn of(bold: bool) -> Face {
        Face { bold, family: 0 }
    }

    /// This weight in the first family of the CSS list `families` (as
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

    /// Index of the weight, for tables kept per weight.
    pub(crate) fn weight(self) -> usize {
        usize::from(self.bold)
    }
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

/// A family of the set: its name, the chains of its two weights, and the
/// `font-family` an SVG names it with.
struct Family {
    /// As the font names it; matched case-insensitively, as CSS does.
    name: String,
    chains: [Box<[FontId]>; 2],
    svg: String,
}

macro_rules! embedded {
    ($($file:literal),* $(,)?) => {
        [$(($file, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/", $file)) as &[u8])),*]
    };
}

/// The compiled-in faces, in chain order; the first two are DejaVu Sans
/// regular and bold (`Face`'s values). `scripts/subset-fonts.sh` makes the
/// Noto files from Debian's packages.
static EMBEDDED: [(&str, &[u8]); 12] = embedded![
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
];

/// Every face chartgate draws with, and the order each style tries them in.
pub struct FontSet {
    pub(crate) fonts: Vec<Loaded>,
    chains: [Box<[FontId]>; 2],
    /// Every family but DejaVu Sans (the default chain's), in load order.
    families: Vec<Family>,
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
        let chains = [false, true].map(|bold| chain_of(&fonts, bold));
        let families = families_of(&fonts, &chains);
        FontSet {
            fonts,
            chains,
            families,
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
            0 => &self.chains[face.weight()],
            f => &self.families[usize::from(f - 1)].chains[face.weight()],
        }
    }

    /// blake3 over the fonts loaded from `fonts.dirs`, for the key context;
    /// `None` for the embedded set alone.
    pub fn fingerprint(&self) -> Option<[u8; 32]> {
        self.fingerprint
    }

    /// The faces loaded, for the start-up log: (family, bold).
    pub fn faces(&self) -> impl Iterator<Item = (&str, bool)> {
        self.fonts.iter().map(|f| (f.family.as_str(), f.bold))
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

/// The faces of `fonts` that `member` picks, those of weight `bold` first:
/// the order a chain tries them in (a bold label in a script only a regular
/// face has is drawn regular rather than as boxes).
fn weight_first<'a>(
    fonts: &'a [Loaded],
    member: impl Fn(&Loaded) -> bool + Copy + 'a,
    bold: bool,
) -> impl Iterator<Item = FontId> + 'a {
    let of = move |weight: bool| {
        (0..fonts.len())
            .filter(move |&i| member(&fonts[i]) && fonts[i].bold == weight)
            .map(id)
    };
    of(bold).chain(of(!bold))
}

/// The families of `fonts` other than the first face's (DejaVu Sans), each
/// chain its own faces (`weight_first`), then the default chain (so a
/// character the family lacks still falls back).
fn families_of(fonts: &[Loaded], defaults: &[Box<[FontId]>; 2]) -> Vec<Family> {
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
            let chains = [false, true].map(|bold| {
                weight_first(fonts, member, bold)
                    .chain(defaults[usize::from(bold)].iter().copied())
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

/// The default chain of a weight: its DejaVu face, then every other face
/// (`weight_first`).
fn chain_of(fonts: &[Loaded], bold: bool) -> Box<[FontId]> {
    let head = FontId(u16::from(bold));
    std::iter::once(head)
        .chain(weight_first(fonts, |_| true, bold).filter(|&i| i != head))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_face_parses_with_its_weight() {
        let set = FontSet::embedded();
        assert_eq!(set.fonts.len(), EMBEDDED.len());
        let bold: Vec<bool> = set.fonts.iter().map(|f| f.bold).collect();
        // Regular and bold alternate; the CJK and emoji subsets have one
        // weight.
        let expected: Vec<bool> = (0..EMBEDDED.len()).map(|i| i % 2 == 1 && i < 10).collect();
        assert_eq!(bold, expected);
        assert_eq!(set.fonts[0].family, "DejaVu Sans");
        assert!(set.fonts[10].family.starts_with("Noto Sans CJK"));
    }

    #[test]
    fn chains_start_with_their_dejavu_face_and_hold_every_face_once() {
        let set = FontSet::embedded();
        for face in [Face::REGULAR, Face::BOLD] {
            let chain = set.chain(face);
            assert_eq!(chain[0], FontId(u16::from(face.bold)));
            let mut sorted = chain.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), set.fonts.len());
        }
        // Bold Arabic before regular Arabic in the bold chain.
        assert_eq!(
            &set.chain(Face::BOLD)[..3],
            &[FontId(1), FontId(3), FontId(5)]
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
        for bold in [false, true] {
            let face = Face { bold, family: thai };
            let head = set.face(set.chain(face)[0]);
            assert_eq!((head.family.as_str(), head.bold), ("Noto Sans Thai", bold));
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
}
