//! The gallery's specs (`tests/gallery/*.json`): QuickChart POST bodies
//! that the golden, SVG and renderer-comparison tests all walk.

use std::path::{Path, PathBuf};

/// Every `tests/gallery/*.json`, in the order of their number prefixes.
pub fn paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gallery");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort_by_key(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let number: u32 = name
            .split('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(u32::MAX);
        (number, name.into_owned())
    });
    paths
}
