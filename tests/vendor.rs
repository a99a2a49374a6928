//! The JavaScript embedded in the binary is what `src/script/vendor/MANIFEST`
//! pins: each vendored file's bytes hash to the sha256 written there when
//! `scripts/vendor-js.sh` fetched it from npm and checked npm's integrity
//! hash. A file edited by hand, or a manifest line without its file, fails.

use std::path::Path;
use std::process::Command;

#[test]
fn vendored_files_match_their_pinned_hashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/script/vendor");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST")).unwrap();
    let mut checked = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, version, _, file, integrity, sha256] = fields[..] else {
            panic!("a manifest line has six fields: {line}");
        };
        assert!(
            integrity.starts_with("sha512-"),
            "{name}@{version}: npm integrity"
        );
        let out = Command::new("sha256sum")
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert!(out.status.success(), "{file} is vendored");
        let got = String::from_utf8(out.stdout).unwrap();
        assert_eq!(got.split_whitespace().next(), Some(sha256), "{file}");
        checked += 1;
    }
    assert!(checked >= 1, "the manifest pins Chart.js at least");
}
