//! The gallery's specs (`tests/gallery/*.json`): QuickChart POST bodies
//! that the golden, SVG and renderer-comparison tests all walk.

use std::path::{Path, PathBuf};

/// Every `tests/gallery/*.json`, sorted by name (the number prefix orders them).
pub fn paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gallery");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}
