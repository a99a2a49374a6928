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

/// The objects a parse looked into, and the keys it asked for, each by its
/// address in the config (the config outlives the parse, so addresses
/// hold; a key's address names its object too): no key is copied.
#[derive(Default)]
pub(super) struct Reads {
    entered: HashSet<usize>,
    asked: HashSet<usize>,
}

thread_local! {
    /// The reads of the parse running on this thread, when one is noted.
    static READS: RefCell<Option<Reads>> = const { RefCell::new(None) };
}

/// A config object, as `node::Obj` names it (not named from there: the
/// node reader calls into this file).
type Obj = Map<String, Value>;

fn id<T>(at: &T) -> usize {
    std::ptr::from_ref(at) as usize
}

fn note(what: impl FnOnce(&mut Reads)) {
    READS.with(|cell| {
        if let Some(reads) = cell.borrow_mut().as_mut() {
            what(reads);
        }
    });
}

/// Notes that the parse looked into `map`.
pub(super) fn entered(map: &Obj) {
    note(|reads| {
        reads.entered.insert(id(map));
    });
}

/// Notes that the parse asked for `key`, a key of a config object (one it
/// asked for and that is not there needs no note: nothing is set there).
pub(super) fn asked(key: &String) {
    note(|reads| {
        reads.asked.insert(id(key));
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
/// asked for, if any. The path is written only for that one.
pub(super) fn first_unread(config: &Value, reads: &Reads) -> Option<String> {
    match config {
        Value::Object(map) if reads.entered.contains(&id(map)) => map.iter().find_map(|(k, v)| {
            if v.is_null() || NO_PICTURE.contains(&k.as_str()) {
                None
            } else if !reads.asked.contains(&id(k)) {
                Some(k.clone())
            } else {
                first_unread(v, reads).map(|rest| joined(k, &rest))
            }
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            first_unread(item, reads).map(|rest| joined(&format!("[{i}]"), &rest))
        }),
        _ => None,
    }
}

/// `head` then `rest` as a path: `a.b`, `a[0]`.
fn joined(head: &str, rest: &str) -> String {
    if rest.starts_with('[') {
        format!("{head}{rest}")
    } else {
        format!("{head}.{rest}")
    }
}
