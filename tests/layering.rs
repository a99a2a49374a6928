//! The dependency direction of the source tree, checked on every `cargo test`.
//!
//! Reads `src/**/*.rs`, collects every `crate::…` and `super::…` path (in
//! `use` lines, brace groups and inline paths; comments and `#[cfg(test)]`
//! modules left out) and resolves it to the file it names. Two rules:
//!
//! 1. Between top-level modules, a module may use only modules of a lower
//!    layer (`LAYERS`): `http → app → origin → (analytics → cache → render →
//!    chart) → (metrics → labels, config, intl)`. A lower layer reaching up is a cycle in the
//!    making, so it fails even before the cycle closes.
//! 2. Between the files of one folder (`cache/`, `render/`, …), there is no
//!    cycle. A folder's `mod.rs` is its facade and is not a node: children
//!    using the folder's shared types and the facade re-exporting them is the
//!    usual Rust shape, not a tangle.
//!
//! A cycle that is known and not yet untangled is listed in
//! `KNOWN_FILE_CYCLES` with the reason; the test also fails when a listed
//! cycle is gone, so the list never claims more than is true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up; a module may use only those on
/// earlier lines. Modules on one line may not use each other.
const LAYERS: &[&[&str]] = &[
    &["labels", "config", "intl"],
    &["metrics"],
    &["script"],
    &["chart"],
    &["render"],
    &["cache"],
    &["analytics"],
    &["origin"],
    &["app"],
    &["http"],
    &["server"],
];

/// Sibling folders that never use each other, in either direction: they
/// meet only in their parent (the cache's two tiers meet in `cache/fill.rs`
/// and `cache/mod.rs`).
const APART: &[(&str, &str)] = &[("cache::local", "cache::shared")];

/// File cycles inside a folder that are known and not yet untangled, each
/// as its sorted members (module paths), with why it is still there.
const KNOWN_FILE_CYCLES: &[(&[&str], &str)] = &[];

/// The module path of a source file: `src/cache/shared/tier.rs` → `cache::shared::tier`,
/// `src/cache/mod.rs` → `cache`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text that counts: line comments blanked, `#[cfg(test)] mod …` blocks
/// cut (a unit test may reach anywhere in its own crate).
fn code_of(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            code.push('\n');
            continue;
        }
        code.push_str(line);
        code.push('\n');
    }
    while let Some(at) = find_test_module(&code) {
        let open = at + code[at..].find('{').unwrap();
        let close = matching_brace(&code, open);
        code.replace_range(at..=close, "");
    }
    code
}

fn find_test_module(code: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = code[from..].find("#[cfg(test)]") {
        let at = from + i;
        let rest = code[at + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") && rest.split('\n').next().unwrap().contains('{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn matching_brace(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces");
}

/// Expands the path tree starting at `pos` (just after a `::`), e.g.
/// `{a::{b, c}, d}` → `[a, b], [a, c], [d]`.
fn expand(code: &str, pos: usize) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut i = pos;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if i < bytes.len() && bytes[i] == b'{' {
        let close = matching_brace(code, i);
        let inner = &code[i + 1..close];
        // Split on top-level commas.
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (j, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[start..j]);
                    start = j + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[start..]);
        return parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .flat_map(|p| expand(p, 0))
            .collect();
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    let ident = code[start..i].to_owned();
    if ident.is_empty() {
        return vec![vec![]];
    }
    if code[i..].starts_with("::") {
        expand(code, i + 2)
            .into_iter()
            .map(|mut rest| {
                rest.insert(0, ident.clone());
                rest
            })
            .collect()
    } else {
        vec![vec![ident]]
    }
}

/// Every module path `code` (of module `me`) refers to through `crate::`
/// or `super::`, as written (not yet resolved to a file).
fn references(me: &[String], code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue; // e.g. `$crate::`, `my_crate::`
        }
        for path in expand(code, at + "crate::".len()) {
            found.push(path);
        }
    }
    for (at, _) in code.match_indices("super::") {
        if at > 0
            && (bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b':')
        {
            continue; // the second `super::` of `super::super::` is read with the first
        }
        // `super` is the parent of the file's module (for a `mod.rs`, the
        // folder's module, so its parent is one folder up).
        let mut base: Vec<String> = me.to_vec();
        base.pop();
        let mut pos = at + "super::".len();
        while code[pos..].starts_with("super::") {
            base.pop();
            pos += "super::".len();
        }
        for path in expand(code, pos) {
            let mut full = base.clone();
            full.extend(path);
            found.push(full);
        }
    }
    found
}

/// The longest prefix of `path` that is a module with a file of its own.
fn resolve(modules: &BTreeSet<Vec<String>>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

/// Edges between files: module → the modules it uses.
fn file_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.retain(|f| f.file_name().unwrap() != "main.rs");
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let me = module_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut uses = BTreeSet::new();
        for path in references(&me, &code) {
            if let Some(target) = resolve(&modules, &path) {
                if target != me && !target.is_empty() {
                    uses.insert(target);
                }
            }
        }
        graph.insert(me, uses);
    }
    graph
}

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("top-level module `{module}` has no layer in LAYERS"))
}

/// Strongly connected components with more than one member (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                scc.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn top_level_modules_use_only_lower_layers() {
    let mut wrong = BTreeSet::new();
    for (from, uses) in file_graph() {
        let Some(top) = from.first() else { continue };
        for to in uses {
            let target = &to[0];
            if target != top && layer_of(target) >= layer_of(top) {
                wrong.insert(format!("{} uses {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the layering (a module may use only lower layers):\n  {}",
        wrong.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

#[test]
fn no_cycle_between_top_level_modules() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, uses) in file_graph() {
        let Some(top) = from.first() else { continue };
        let entry = graph.entry(top.clone()).or_default();
        entry.extend(uses.into_iter().map(|t| t[0].clone()).filter(|t| t != top));
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "cycles between top-level modules: {found:?}"
    );
}

#[test]
fn no_cycle_between_files_of_a_folder() {
    let files = file_graph();
    // Each folder's children as nodes; a deeper file counts as its child
    // of the folder (`render::axis::draw` is `render::axis` in `render/`).
    let mut by_folder: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, uses) in &files {
        for depth in 0..from.len() {
            let folder = &from[..depth];
            let node = from[..=depth].join("::");
            let graph = by_folder.entry(folder.to_vec()).or_default();
            let edges = graph.entry(node.clone()).or_default();
            for to in uses {
                if to.len() > depth && to[..depth] == *folder {
                    let target = to[..=depth].join("::");
                    if target != node {
                        edges.insert(target);
                    }
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    for (folder, graph) in &by_folder {
        if folder.is_empty() {
            continue; // the top level has its own, stricter test
        }
        for scc in cycles(graph) {
            found.insert(scc);
        }
    }
    let known: BTreeSet<Vec<String>> = KNOWN_FILE_CYCLES
        .iter()
        .map(|(members, _)| members.iter().map(|m| m.to_string()).collect())
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        new.is_empty(),
        "cycles between files of one folder (untangle them, or list one in \
         KNOWN_FILE_CYCLES with the reason): {new:?}"
    );
    assert!(
        gone.is_empty(),
        "listed in KNOWN_FILE_CYCLES but no longer a cycle (remove it): {gone:?}"
    );
}

#[test]
fn apart_folders_never_use_each_other() {
    let graph = file_graph();
    let within = |m: &[String], folder: &str| {
        let folder: Vec<&str> = folder.split("::").collect();
        m.len() >= folder.len() && m.iter().zip(&folder).all(|(a, b)| a == b)
    };
    let mut wrong = Vec::new();
    for (a, b) in APART {
        assert!(
            graph.keys().any(|m| within(m, a)) && graph.keys().any(|m| within(m, b)),
            "{a} or {b} is not a folder of src/ any more: update APART"
        );
        for (from, uses) in &graph {
            for to in uses {
                if (within(from, a) && within(to, b)) || (within(from, b) && within(to, a)) {
                    wrong.push(format!("{} uses {}", from.join("::"), to.join("::")));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "folders kept apart use each other:\n  {}",
        wrong.join("\n  ")
    );
}

/// The checker itself finds what it must: a use of a higher layer, a
/// cycle, a `super::` path into a brace group.
#[test]
fn the_checker_reads_paths_and_finds_cycles() {
    let me: Vec<String> = vec!["cache".into(), "lease".into()];
    let code = code_of(
        "use super::{frame::FrameCodec, redis::{keys, Cached}};\n\
         // use crate::http::App;\n\
         fn f() { crate::metrics::Metrics::default(); }\n\
         #[cfg(test)]\nmod tests {\n use crate::http::App;\n}\n",
    );
    let refs = references(&me, &code);
    let want: Vec<Vec<String>> = [
        &["metrics", "Metrics", "default"][..],
        &["cache", "frame", "FrameCodec"],
        &["cache", "redis", "keys"],
        &["cache", "redis", "Cached"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(refs, want);

    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    graph.entry("d".into()).or_default().insert("a".into());
    assert_eq!(
        cycles(&graph),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
    graph.get_mut("c").unwrap().clear();
    assert!(cycles(&graph).is_empty());
}
