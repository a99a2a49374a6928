//! The font set and its fallback chains: which face draws a character a
//! style asks for.

use super::Loaded;

/// The style text asks for. Its value is also the id of the DejaVu face
/// that draws it, the head of its chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Face {
    Regular = 0,
    Bold = 1,
}

impl Face {
    pub(crate) fn of(bold: bool) -> Face {
        if bold {
            Face::Bold
        } else {
            Face::Regular
        }
    }
}

/// A face of the loaded set, by its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FontId(pub(crate) u16);

impl From<Face> for FontId {
    fn from(face: Face) -> FontId {
        FontId(face as u16)
    }
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
    /// blake3 over the configured fonts' bytes; `None` when only the
    /// embedded faces are loaded (those change only with the code, whose
    /// key context is versioned).
    pub(crate) fingerprint: Option<[u8; 32]>,
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
        let chains = [Face::Regular, Face::Bold].map(|face| chain_of(&fonts, face));
        FontSet {
            fonts,
            chains,
            fingerprint,
        }
    }

    /// The faces `face` tries, in order: its DejaVu face, then every other
    /// face of its weight, then the rest (a bold label in a script only a
    /// regular face has is drawn regular rather than as boxes).
    pub(crate) fn chain(&self, face: Face) -> &[FontId] {
        &self.chains[face as usize]
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

fn chain_of(fonts: &[Loaded], face: Face) -> Box<[FontId]> {
    let bold = face == Face::Bold;
    let id = |i: usize| FontId(u16::try_from(i).unwrap_or(u16::MAX));
    let head = FontId::from(face);
    let same = (0..fonts.len()).filter(|&i| fonts[i].bold == bold);
    let other = (0..fonts.len()).filter(|&i| fonts[i].bold != bold);
    std::iter::once(head)
        .chain(same.chain(other).map(id).filter(|&i| i != head))
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
        for face in [Face::Regular, Face::Bold] {
            let chain = set.chain(face);
            assert_eq!(chain[0], FontId::from(face));
            let mut sorted = chain.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), set.fonts.len());
        }
        // Bold Arabic before regular Arabic in the bold chain.
        assert_eq!(
            &set.chain(Face::Bold)[..3],
            &[FontId(1), FontId(3), FontId(5)]
        );
    }
}
