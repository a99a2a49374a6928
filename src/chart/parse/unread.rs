//! What a parse never read. The native parser reads each option it draws
//! through `Node`, which notes the objects it looks into and the keys it
//! asks them for; an option set in one of those objects that it never
//! asked for is one the native renderer would silently leave out (a
//! `barPercentage`, a v3 scale under an id of its own, a legend's
//! `boxWidth`), so the router sends the chart to Chart.js itself rather
//! than draw it wrong. Objects the parser never looked into (data points,
//! functions, gradients) are values, not options, and are not walked.

use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashSet;

/// Options that change nothing in a still picture (interaction, animation,
/// sizing the gateway decides) or that the router reads itself (axis ids,
/// which matter only with several axes; QuickChart's color scheme, native
/// only as Tableau10): set or not, the picture is the same.
const NO_PICTURE: &[&str] = &[
    "animation",
    "animations",
    "aspectRatio",
    "colorschemes",
    "devicePixelRatio",
    "events",
    "hitRadius",
    "hover",
    "hoverBackgroundColor",
    "hoverBorderColor",
    "hoverBorderDash",
    "hoverBorderWidth",
    "hoverOffset",
    "hoverRadius",
    "id",
    "interaction",
    "maintainAspectRatio",
    "onClick",
    "onComplete",
    "onHover",
    "onProgress",
    "onResize",
    "pointHitRadius",
    "pointHoverBackgroundColor",
    "pointHoverBorderColor",
    "pointHoverBorderWidth",
    "pointHoverRadius",
    "resizeDelay",
    "responsive",
    "tooltip",
    "tooltips",
    "transitions",
    "xAxisID",
    "yAxisID",
];

/// The objects a parse looked into and the keys it asked each for, by the
/// object's address (the config outlives the parse, so addresses hold).
#[derive(Default)]
pub(super) struct Reads {
    entered: HashSet<usize>,
    asked: HashSet<(usize, String)>,
}

thread_local! {
    /// The reads of the parse running on this thread, when one is noted.
    static READS: RefCell<Option<Reads>> = const { RefCell::new(None) };
}

/// A config object, as `node::Obj` names it (not named from there: the
/// node reader calls into this file).
type Obj = Map<String, Value>;

fn id(map: &Obj) -> usize {
    std::ptr::from_ref(map) as usize
}

/// Notes that the parse looked into `map`, and asked it for `key`.
pub(super) fn note(map: &Obj, key: Option<&str>) {
    READS.with(|cell| {
        if let Some(reads) = cell.borrow_mut().as_mut() {
            match key {
                None => reads.entered.insert(id(map)),
                Some(k) => reads.asked.insert((id(map), k.to_owned())),
            };
        }
    });
}

/// Runs `parse`, noting what it reads.
pub(super) fn noted<T>(parse: impl FnOnce() -> T) -> (T, Reads) {
    READS.with(|cell| *cell.borrow_mut() = Some(Reads::default()));
    let out = parse();
    let reads = READS.with(|cell| cell.borrow_mut().take());
    (out, reads.unwrap_or_default())
}

/// The path of the first option set in `config` that the parse never
/// asked for, if any.
pub(super) fn first_unread(config: &Value, reads: &Reads) -> Option<String> {
    walk(config, "", reads)
}

fn walk(v: &Value, path: &str, reads: &Reads) -> Option<String> {
    match v {
        Value::Object(map) if reads.entered.contains(&id(map)) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            let skipped = v.is_null() || NO_PICTURE.contains(&k.as_str());
            if skipped {
                return None;
            }
            if !reads.asked.contains(&(id(map), k.clone())) {
                return Some(here);
            }
            walk(v, &here, reads)
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| walk(item, &format!("{path}[{i}]"), reads)),
        _ => None,
    }
}
