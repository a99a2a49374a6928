//! A line, scatter or radar dataset's point options (`spec::Marks`):
//! `pointRadius`, `pointStyle`, `pointBackgroundColor`, `pointBorderColor`
//! and `pointBorderWidth`, each given once, as a list or as a function.
//!
//! Chart.js resolves each point's option along a chain (2.9.4
//! `_resolveDataElementOptions`, 3.9.1 `_resolveWithPrefixes`): the
//! `point`-prefixed key, then the dataset's own key (`borderWidth` for the
//! border's width, `radius` for the radius), then the point element's
//! default. A list is read at the point's index: past its end Chart.js 2
//! goes on down the chain, Chart.js 3 and 4 start the list again (checked
//! side by side in Chromium).

use super::node::{size, Node, Res};
use super::scripted::PerPoint;
use super::shades::color;
use super::styles::point_style;
use super::Ctx;
use crate::chart::spec::{ChartKind, Dataset, Marks, POINT_BORDER};
use crate::script::Call;
use serde_json::Value;

/// The point options of dataset `k` (`ds`, of `kind`, with `points` data
/// points; `element` is `options.elements.point`) that are not the
/// dataset's defaults. Its radius and style are
/// read here only as lists or functions: given once, they are the
/// dataset's `point_radius` and `point_style`.
pub(super) fn marks<'a>(
    (ds, element): (&Node<'a>, &Node<'a>),
    (k, kind): (usize, ChartKind),
    points: usize,
    ctx: &Ctx,
) -> Res<Marks> {
    if !matches!(
        kind,
        ChartKind::Line | ChartKind::Scatter | ChartKind::Radar
    ) {
        return Ok(Marks::default());
    }
    let chain = Chain {
        ds,
        element,
        k,
        points,
        ctx,
    };
    let mut width = chain.each(
        &chain.given(&["pointBorderWidth", "borderWidth"], "borderWidth")?,
        size,
    )?;
    if width
        .iter()
        .all(|w| w.unwrap_or(POINT_BORDER) == POINT_BORDER)
    {
        width.clear();
    }
    Ok(Marks {
        radius: chain.listed(&chain.given(&["pointRadius", "radius"], "radius")?, size)?,
        style: chain.listed(&chain.given(&["pointStyle"], "pointStyle")?, |v, _| {
            Ok(point_style(Some(v)))
        })?,
        fill: chain.each(&chain.given(&["pointBackgroundColor"], "")?, color)?,
        stroke: chain.each(&chain.given(&["pointBorderColor"], "")?, color)?,
        width,
    })
}

/// How far dataset `ds`'s drawing reaches past a point or line at the
/// chart area's edge, as Chart.js 3.9.1's `getMaxOverflow` measures it: a
/// line (and a scatter dataset that draws one) the larger of its line's
/// width and its first and last points' sizes, halved (the line's whole
/// width when it has no points); a scatter dataset without a line its
/// largest point's; other kinds nothing. A point's size keeps room for its
/// `hover` radius (`PointElement.size`).
pub(super) fn overflow(ds: &Dataset, hover: f64) -> f64 {
    let size = |i: usize| {
        let r = ds.point_radius_at(i);
        if r > 0.0 {
            (r.max(hover) + ds.point_border_width(i)) * 2.0
        } else {
            0.0
        }
    };
    let n = ds.data.len();
    match ds.kind {
        ChartKind::Scatter if !ds.show_line => (0..n).map(size).fold(0.0, f64::max) / 2.0,
        ChartKind::Line | ChartKind::Scatter if n == 0 => ds.border_width,
        ChartKind::Line | ChartKind::Scatter => ds.border_width.max(size(0)).max(size(n - 1)) / 2.0,
        _ => 0.0,
    }
}

/// Where a dataset's point options are looked up: the dataset, then the
/// point element (`options.elements.point`).
struct Chain<'n, 'a, 'c> {
    ds: &'n Node<'a>,
    element: &'n Node<'a>,
    k: usize,
    points: usize,
    ctx: &'n Ctx<'c>,
}

/// One link of a chain, as given.
struct Given<'v> {
    path: String,
    value: PerPoint<'v>,
}

impl Given<'_> {
    /// Whether it answers per point (a list or a function).
    fn varies(&self) -> bool {
        !matches!(self.value, PerPoint::Same(v) if !v.is_array())
    }
}

impl<'a> Chain<'_, 'a, '_> {
    /// The links given: the dataset's `keys`, then the point element's
    /// `element` key (none when empty).
    fn given(&self, keys: &[&'static str], element: &'static str) -> Res<Vec<Given<'a>>> {
        let element = Some((self.element, element)).filter(|_| !element.is_empty());
        let links = keys.iter().map(|k| (self.ds, *k)).chain(element);
        let mut out = Vec::new();
        for (node, key) in links {
            let value = self
                .ctx
                .scripted
                .per_point(node, key, self.k, Call::Option)?;
            if let Some(value) = value {
                out.push(Given {
                    path: node.path_of(key),
                    value,
                });
            }
        }
        Ok(out)
    }

    /// Each point's value along the links `given`: one value when the
    /// first link is given once, one per point otherwise (`None`, the
    /// point element's built-in default, where no link answers); empty when
    /// none is given.
    fn each<T: Copy>(
        &self,
        given: &[Given],
        read: impl Fn(&Value, &str) -> Res<T>,
    ) -> Res<Vec<Option<T>>> {
        match given.first() {
            None => Ok(Vec::new()),
            Some(first) if !first.varies() => Ok(vec![self.at(given, 0, &read)?]),
            Some(_) => (0..self.points).map(|i| self.at(given, i, &read)).collect(),
        }
    }

    /// Like `each`, for an option whose one value the dataset keeps
    /// itself (`point_radius`, `point_style`): only a list or a function
    /// is read here.
    fn listed<T: Copy>(
        &self,
        given: &[Given],
        read: impl Fn(&Value, &str) -> Res<T>,
    ) -> Res<Vec<Option<T>>> {
        match given.first() {
            Some(first) if first.varies() => self.each(given, read),
            _ => Ok(Vec::new()),
        }
    }

    /// Point `i`'s value: the first link that answers for it.
    fn at<T>(
        &self,
        given: &[Given],
        i: usize,
        read: &impl Fn(&Value, &str) -> Res<T>,
    ) -> Res<Option<T>> {
        for link in given {
            let value = match &link.value {
                PerPoint::Same(Value::Array(items)) => self.item(items, i),
                other => other.at(i),
            };
            if let Some(v) = value.filter(|v| !v.is_null()) {
                return read(v, &link.path).map(Some);
            }
        }
        Ok(None)
    }

    /// A list's item for point `i`, as the config's Chart.js reads it.
    fn item<'v>(&self, items: &'v [Value], i: usize) -> Option<&'v Value> {
        match (self.ctx.v3, items.len()) {
            (_, 0) => None,
            (true, n) => items.get(i % n),
            (false, _) => items.get(i),
        }
    }
}
