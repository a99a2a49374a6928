//! `fonts.dirs`: the font files found there, loaded once at start-up.
//!
//! Files are mapped, not read: Debian's Noto CJK collections are 20 MB
//! each, and a replica touches only the pages of the glyphs it draws. The
//! fingerprint is read through the file, not the map, so hashing them does
//! not fault every page into the process.

use super::{FontSet, Loaded, SET};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why the configured fonts could not be loaded.
#[derive(Debug)]
pub struct LoadError(String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Loads every `.ttf`, `.otf`, `.ttc` and `.otc` under `dirs` (recursively,
/// in path order, so every replica gets the same chain) behind the embedded
/// faces, and makes it the set every render uses. Call once, before the
/// first render; with no dirs the embedded set stays and this is cheap.
pub fn load(dirs: &[PathBuf]) -> Result<&'static FontSet, LoadError> {
    if dirs.is_empty() {
        return Ok(super::set());
    }
    let mut files = Vec::new();
    for dir in dirs {
        walk(dir, &mut files)
            .map_err(|e| LoadError(format!("fonts.dirs: {}: {e}", dir.display())))?;
    }
    files.sort();
    let mut hasher = blake3::Hasher::new();
    let mut extra = Vec::new();
    for path in &files {
        let err = |e: std::io::Error| LoadError(format!("fonts.dirs: {}: {e}", path.display()));
        hasher.update(path.file_name().map_or(&[][..], |n| n.as_encoded_bytes()));
        hasher
            .update_reader(std::fs::File::open(path).map_err(err)?)
            .map_err(err)?;
        extra.extend(faces_of(map(path).map_err(err)?));
    }
    let set = FontSet::with(extra, Some(*hasher.finalize().as_bytes()));
    SET.set(set)
        .map_err(|_| LoadError("fonts were already in use when fonts.dirs was loaded".into()))?;
    Ok(super::set())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_font(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_font(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

/// The file's bytes for the rest of the process: fonts are loaded once and
/// used by every render until exit, so the mapping is never unmapped.
fn map(path: &Path) -> std::io::Result<&'static [u8]> {
    let file = std::fs::File::open(path)?;
    // SAFETY: the map is read-only and lives until exit. A font file
    // rewritten in place while mapped would change under us; package
    // managers replace font files by renaming, which leaves the mapped
    // inode as it was.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(Box::leak(Box::new(map)))
}

/// Every face of a font file or collection that both parsers read; files
/// that are not fonts are skipped (a fonts directory holds licenses too).
fn faces_of(bytes: &'static [u8]) -> Vec<Loaded> {
    let count = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
    (0..count).filter_map(|i| Loaded::parse(bytes, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_files_are_recognised_by_extension() {
        assert!(is_font(Path::new("a/NotoSansCJK-Regular.ttc")));
        assert!(is_font(Path::new("DejaVuSans.TTF")));
        assert!(!is_font(Path::new("LICENSE.txt")));
        assert!(!is_font(Path::new("fonts")));
    }

    #[test]
    fn a_font_file_gives_its_faces_and_other_files_none() {
        // A plain font file is a collection of one (the integration test
        // loads Debian's Noto CJK collections, ten faces each).
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans.ttf");
        let bytes: &'static [u8] = std::fs::read(path).unwrap().leak();
        let faces = faces_of(bytes);
        assert_eq!(faces.len(), 1);
        assert_eq!(faces[0].family, "DejaVu Sans");
        assert!(faces_of(b"not a font").is_empty());
    }
}
