//! Reading datasets for cartesian charts: each datum's index-axis
//! coordinate and value, stacking, and the extents scales are fitted to.

use super::scale::Extent;
use super::RenderError;
use crate::chart::spec::{ChartKind, ChartSpec, Dataset, Datum};
use std::collections::BTreeMap;

/// Whether a dataset of this kind is drawn on x/y axes.
pub(crate) fn is_cartesian(kind: ChartKind) -> bool {
    matches!(
        kind,
        ChartKind::Bar | ChartKind::Line | ChartKind::Scatter | ChartKind::Bubble
    )
}

/// The datasets a cartesian chart draws, with their indices.
pub(crate) fn drawn(chart: &ChartSpec) -> impl Iterator<Item = (usize, &Dataset)> {
    chart
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.hidden && is_cartesian(d.kind))
}

/// Where datum `i` sits: its index-axis coordinate (the label index on a
/// category axis, `x` on a numeric one) and its value.
pub(crate) fn coords(d: &Datum, i: usize, numeric_index: bool) -> Option<(f64, f64)> {
    let (x, y) = match *d {
        Datum::Gap => return None,
        Datum::Y(y) => (i as f64, y),
        Datum::Xy(x, y) | Datum::Xyr(x, y, _) => (if numeric_index { x } else { i as f64 }, y),
    };
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

/// The value of a datum on a value or radial axis, if it has one.
pub(crate) fn value(d: &Datum) -> Option<f64> {
    match *d {
        Datum::Gap => None,
        Datum::Y(v) | Datum::Xy(_, v) | Datum::Xyr(_, v, _) => v.is_finite().then_some(v),
    }
}

/// Extent of the values of `sets`.
pub(crate) fn value_extent<'a>(sets: impl IntoIterator<Item = &'a Dataset>) -> Extent {
    let mut ext = Extent::default();
    for v in sets.into_iter().flat_map(|d| &d.data).filter_map(value) {
        ext.add(v);
    }
    ext
}

/// One datum resolved: a bar from `base` (`None`: the scale's base) to
/// `top`; lines and points sit at `top`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Span {
    pub(crate) index: f64,
    pub(crate) base: Option<f64>,
    pub(crate) top: f64,
}

/// Spans of every dataset (empty for datasets not drawn), stacked per
/// value axis, `Dataset::stack` group, index and sign where the dataset's
/// value axis is stacked, as Chart.js stacks positive and negative values
/// separately.
pub(crate) fn spans(
    chart: &ChartSpec,
    numeric_index: bool,
) -> Result<Vec<Vec<Option<Span>>>, RenderError> {
    let mut sums: BTreeMap<(bool, &str, u64, bool), f64> = BTreeMap::new();
    let mut out = vec![Vec::new(); chart.datasets.len()];
    for (k, ds) in drawn(chart) {
        let stacked = chart.value_scale(ds).stacked;
        let stacks = stacked && matches!(ds.kind, ChartKind::Bar | ChartKind::Line);
        out[k] = ds
            .data
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (index, v) = coords(d, i, numeric_index)?;
                if !stacks {
                    return Some(Ok(Span {
                        index,
                        base: None,
                        top: v,
                    }));
                }
                let sum = sums
                    .entry((ds.on_y2, &ds.stack, index.to_bits(), v < 0.0))
                    .or_insert(0.0);
                let base = *sum;
                *sum += v;
                Some(if sum.is_finite() {
                    Ok(Span {
                        index,
                        base: Some(base),
                        top: *sum,
                    })
                } else {
                    Err(RenderError::Invalid(
                        "stacked values overflow f64".to_string(),
                    ))
                })
            })
            .map(Option::transpose)
            .collect::<Result<_, _>>()?;
    }
    Ok(out)
}

/// Extents of the index coordinates and of the values (bar bases
/// included) on each value axis: the first's, then the second's
/// (`Dataset::on_y2`).
pub(crate) fn extents(chart: &ChartSpec, spans: &[Vec<Option<Span>>]) -> (Extent, [Extent; 2]) {
    let (mut index, mut value) = (Extent::default(), [Extent::default(); 2]);
    // Chart.js 3 and 4 (`getMinMax`) leave what lies past the index
    // scale's `min` or `max` out of the value axes' ranges; 2 does not.
    let x = &chart.x;
    let shown =
        |i: f64| !x.v3 || (x.min.is_none_or(|min| i >= min) && x.max.is_none_or(|max| i <= max));
    for (ds, spans) in chart.datasets.iter().zip(spans) {
        let value = &mut value[usize::from(ds.on_y2)];
        for s in spans.iter().flatten() {
            index.add(s.index);
            if !shown(s.index) {
                continue;
            }
            value.add(s.top);
            if let Some(b) = s.base {
                value.add(b);
            }
        }
    }
    (index, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_non_finite_values_have_no_coords() {
        assert_eq!(coords(&Datum::Gap, 0, false), None);
        assert_eq!(coords(&Datum::Y(f64::NAN), 0, false), None);
        assert_eq!(coords(&Datum::Xy(7.0, 2.0), 3, false), Some((3.0, 2.0)));
        assert_eq!(coords(&Datum::Xy(7.0, 2.0), 3, true), Some((7.0, 2.0)));
    }
}
