//! QuickChart's `tickFormat` plugin (`options.plugins.tickFormat`): the
//! labels of numeric axes written by `Intl.NumberFormat` with the plugin's
//! options, between its `prefix` and `suffix` (QuickChart's custom tick
//! format guide; the plugin's source is not public).
//!
//! The options read are those `crate::intl` implements; any other key
//! stays unread, so the router gives the chart to the Chart.js renderer,
//! as it does radar and polar area charts (whose radial scale the native
//! renderer labels without it) and `applyToDataLabels: true`.

use super::node::Node;
use super::Res;
use crate::chart::spec::{ChartKind, LocaleNumbers, NumberLabels};
use crate::chart::ChartError;
use serde_json::{Map, Value};

/// The `Intl.NumberFormat` options `crate::intl` implements.
const INTL_OPTIONS: [&str; 13] = [
    "style",
    "currency",
    "currencyDisplay",
    "unit",
    "minimumIntegerDigits",
    "minimumFractionDigits",
    "maximumFractionDigits",
    "minimumSignificantDigits",
    "maximumSignificantDigits",
    "useGrouping",
    "notation",
    "compactDisplay",
    "signDisplay",
];

/// The `Intl.NumberFormat` options of `node` that `crate::intl` reads;
/// the others stay unread.
pub(super) fn intl_options(node: &Node) -> Map<String, Value> {
    let mut read = Map::new();
    for key in INTL_OPTIONS {
        if let Some(v) = node.get(key) {
            read.insert(key.to_owned(), v.clone());
        }
    }
    read
}

/// Chart.js 3 and 4's own number labels: the chart's `options.locale` and
/// the scale's `ticks.format`, when either is given; checked as the first
/// tick label would be made (a browser's `RangeError` is a bad request).
pub(super) fn locale_numbers(ticks: &Node, locale: Option<&str>) -> Res<Option<LocaleNumbers>> {
    if ticks.get("format").is_none() && locale.is_none() {
        return Ok(None);
    }
    let format = ticks.child("format")?;
    let numbers = LocaleNumbers {
        locale: locale.map(str::to_owned),
        format: intl_options(&format),
    };
    numbers
        .number_format(0, false)
        .map_err(|e| ChartError::bad(format!("{}: {e}", ticks.path_of("format"))))?;
    Ok(Some(numbers))
}

/// The chart's `tickFormat`, when it has one the native renderer draws.
/// Options a browser's `Intl.NumberFormat` refuses are a bad request, with
/// its message: Chart.js would draw nothing.
pub(super) fn tick_format(options: &Node, kind: ChartKind) -> Res<Option<NumberLabels>> {
    if matches!(kind, ChartKind::Radar | ChartKind::PolarArea) {
        return Ok(None);
    }
    let peek = options
        .map
        .and_then(|o| o.get("plugins"))
        .and_then(|p| p.get("tickFormat"));
    if peek.is_none_or(Value::is_null) {
        return Ok(None);
    }
    let node = options.child("plugins")?.child("tickFormat")?;
    let on_labels = node.map.and_then(|m| m.get("applyToDataLabels"));
    if on_labels.is_some_and(|v| v.as_bool() != Some(false)) {
        return Ok(None);
    }
    node.bool("applyToDataLabels")?;
    let labels = NumberLabels {
        locale: node.str("locale")?.map(str::to_owned),
        options: intl_options(&node),
        prefix: node.text("prefix")?.unwrap_or_default(),
        suffix: node.text("suffix")?.unwrap_or_default(),
    };
    labels
        .number_format()
        .map_err(|e| ChartError::bad(format!("options.plugins.tickFormat: {e}")))?;
    Ok(Some(labels))
}
