//! Time axes as the native renderer draws them: the x values it reads as
//! times (ISO 8601 strings, epoch milliseconds, `{t, y}` in Chart.js 2,
//! labels that are dates) and the `time` options it draws. A value or an
//! option it cannot read stays unread, so the router gives the chart to
//! Chart.js and its moment (a `time.parser` function or a format it does
//! not read, `time.min`, Chart.js 3 and 4's `ticks.source`, a format token
//! it does not write, …).

use super::node::{Node, Obj, Res};
use crate::chart::spec::{Axis, ChartKind, Datum, TimeScale, TimeUnit};
use crate::chart::{moment, route};
use serde_json::Value;

/// How a Chart.js 2 time axis reads its x values: with the moment format
/// of `time.parser` (or its older name `time.format`) when it gives one
/// `moment::reads`, else as ISO 8601 strings and epoch milliseconds.
#[derive(Clone, Copy)]
pub(super) struct TimeRead<'a> {
    parser: Option<&'a str>,
    /// `time.round`: each time moved to the start of this unit.
    round: Option<TimeUnit>,
}

/// How the chart's x values are read as times, when its x axis is a time
/// axis the native renderer may draw: the first `xAxes` entry (v2) or the
/// `x` scale (v3/v4) of a vertical line, scatter or bar chart (the router
/// has checked there is one x axis).
pub(super) fn time_x<'a>(
    options: &Node<'a>,
    kind: ChartKind,
    version: u8,
    index_axis: Axis,
) -> Option<TimeRead<'a>> {
    let v3 = version >= 3;
    let scales = options.map?.get("scales")?;
    let axis = if v3 {
        scales.get("x")?
    } else {
        scales.get("xAxes")?.get(0)?
    };
    let timed = index_axis == Axis::X
        && matches!(kind, ChartKind::Line | ChartKind::Scatter | ChartKind::Bar)
        && time_type(axis.get("type")?, version >= 4);
    timed.then(|| time_read(axis.as_object()))
}

/// How Chart.js reads times on each axis direction (x, y) that has a time
/// scale the native renderer does not draw: a time `y`, an x time scale by
/// another id (`xAxis`), a horizontal chart's time value axis. The router
/// gives those charts to Chart.js; the parser reads their times only to
/// count and bound the points, where it would otherwise refuse, as no
/// number, a value Chart.js draws.
pub(super) fn times_elsewhere<'a>(options: &Node<'a>, v3: bool) -> [Option<TimeRead<'a>>; 2] {
    let Some(scales) = options.get("scales") else {
        return [None, None];
    };
    let first = |axis: char| {
        let found = if v3 {
            let mut all = scales.as_object()?.iter();
            all.find(|(id, s)| route::time_typed(s) && route::scale_axis(id, s) == Some(axis))
                .map(|(_, s)| s)
        } else {
            let key = if axis == 'x' { "xAxes" } else { "yAxes" };
            scales
                .get(key)?
                .as_array()?
                .iter()
                .find(|s| route::time_typed(s))
        };
        found.map(|s| time_read(s.as_object()))
    };
    [first('x'), first('y')]
}

/// How a time scale reads times: by its `time.parser` and `time.round`.
pub(super) fn time_read(axis: Option<&Obj>) -> TimeRead<'_> {
    let time = axis.and_then(|a| a.get("time")).and_then(Value::as_object);
    TimeRead {
        parser: time.and_then(parser).map(|(_, format)| format),
        round: time.and_then(round),
    }
}

/// Whether a scale's `type` is a time scale the native renderer draws:
/// `time`, and in Chart.js 4 `timeseries` (its data's times evenly apart,
/// each a tick: Chart.js 2.9.4 spells that `distribution: 'series'`, which
/// `time_scale` reads; 3.9.1's generates ticks between them, which stays
/// Chart.js's).
pub(super) fn time_type(ty: &Value, v4: bool) -> bool {
    match ty.as_str() {
        Some("time") => true,
        Some("timeseries") => v4,
        _ => false,
    }
}

/// `time.round` when the native reader rounds as moment does: a unit's
/// start, but not a week's from an `isoWeekday` (Chart.js 4 rounds to
/// that; 2.9.4 to Sunday).
fn round(time: &Obj) -> Option<TimeUnit> {
    let unit = TimeUnit::named(time.get("round")?.as_str()?)?;
    let iso = time
        .get("isoWeekday")
        .is_some_and(|v| iso_weekday(v).is_some());
    (unit != TimeUnit::Week || !iso).then_some(unit)
}

/// `time.isoWeekday`: `true` (Monday) or a day 1 (Monday) … 7 (Sunday);
/// `false` is none. Other values (0, fractions) stay unread, for Chart.js.
fn iso_weekday(v: &Value) -> Option<Option<u8>> {
    match v {
        Value::Bool(b) => Some(b.then_some(1)),
        v => {
            let day = v.as_f64()?;
            ((1.0..=7.0).contains(&day) && day.fract() == 0.0).then_some(Some(day as u8))
        }
    }
}

/// Where the `time` options give the axis's moment format (`parser`, else
/// its older name `format`, as Chart.js 2 takes `parser || format`), and
/// the format, when it is one the native reader reads as moment does.
fn parser(time: &Obj) -> Option<(&'static str, &str)> {
    let (key, given) = ["parser", "format"]
        .into_iter()
        .find_map(|k| Some((k, time.get(k).filter(|v| !v.is_null())?)))?;
    Some((key, given.as_str().filter(|f| moment::reads(f))?))
}

impl TimeRead<'_> {
    /// A value as a time, in milliseconds: a number as it is, a string
    /// read with the parser's format, else as ISO 8601 in UTC.
    pub(super) fn millis(&self, v: &Value) -> Option<f64> {
        let t = match (v, self.parser) {
            (Value::Number(n), _) => n.as_f64().filter(|f| f.is_finite()),
            (Value::String(s), Some(format)) => moment::parse(s, format),
            (Value::String(s), None) => moment::iso_millis(s),
            _ => None,
        }?;
        match self.round {
            Some(unit) => moment::start_of(t, unit),
            None => Some(t),
        }
    }
}

/// Plain values placed at their labels' times (`data.labels` read as
/// dates); `None` when a label is not a time the parser reads.
pub(super) fn at_labels(data: &mut [Datum], labels: Option<&Value>, read: TimeRead) -> Option<()> {
    let labels = labels.and_then(Value::as_array);
    for (i, d) in data.iter_mut().enumerate() {
        if let Datum::Y(y) = *d {
            *d = match labels.and_then(|l| l.get(i)) {
                Some(label) => Datum::Xy(read.millis(label)?, y),
                // No label, no time: Chart.js draws no point.
                None => Datum::Gap,
            };
        }
    }
    Some(())
}

/// Where Chart.js 2 takes a time axis's ticks from, besides generating
/// them (`ticks.source: 'auto'`).
#[derive(Clone, Copy)]
enum Source {
    /// Every time of the labels and the data.
    Data,
    /// The labels' times only.
    Labels,
}

/// The times of `labels` a time axis reads, sorted, each once (2.9.4's
/// `_timestamps.labels`); a label it cannot read is no tick, as Chart.js
/// drops the `null` it parses to.
pub(super) fn label_times(labels: Option<&Value>, read: TimeRead) -> Vec<f64> {
    let mut times: Vec<f64> = labels
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| read.millis(l))
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    times
}

/// The `time` options of a time axis, and the axis options beside them
/// that only Chart.js's defaults are drawn for, but for `bounds`,
/// `time.minUnit` and Chart.js 2's `distribution: 'series'` and
/// `ticks.source: 'data' | 'labels'`.
/// `offset`: Chart.js 2.9.4's is false on every time axis (a
/// bar chart's `offset: true` is its category axis's, which a `type`
/// replaces) and read either way; 3 and 4's is true in a bar chart (with
/// `grid.offset`), false in others, and the other value stays unread.
pub(super) fn time_scale(node: &Node, v3: bool, bar: bool) -> Res<TimeScale> {
    let time = node.child("time")?;
    let is = |want: &'static str| move |v: &Value| (v.as_str() == Some(want)).then_some(());
    // One of two values: false for the first, true for the second.
    let either = |no: &'static str, yes: &'static str| {
        move |v: &Value| match v.as_str() {
            Some(s) if s == no => Some(false),
            Some(s) if s == yes => Some(true),
            _ => None,
        }
    };
    let (series, data_ticks) = match v3 {
        true => {
            node.child("ticks")?.read_if("source", is("auto"));
            let series = node.get("type").and_then(Value::as_str) == Some("timeseries");
            (series, series.then_some(Source::Data))
        }
        false => (
            node.read_if("distribution", either("linear", "series")) == Some(true),
            node.child("ticks")?
                .read_if("source", |v| match v.as_str() {
                    Some("auto") => Some(None),
                    Some("data") => Some(Some(Source::Data)),
                    Some("labels") => Some(Some(Source::Labels)),
                    _ => None,
                })
                .flatten(),
        ),
    };
    let (data_ticks, label_ticks) = match data_ticks {
        None => (false, false),
        Some(Source::Data) => (true, false),
        Some(Source::Labels) => (true, true),
    };
    let bounds_ticks = node.read_if("bounds", either("data", "ticks")) == Some(true);
    let offset = if v3 {
        node.read_if("offset", |v| (v == &Value::Bool(bar)).then_some(()));
        bar
    } else {
        node.read_if("offset", Value::as_bool).unwrap_or(false)
    };
    // The format `time_x` read the values with; a script's function or a
    // format it cannot read stays unread.
    if let Some((key, _)) = time.map.and_then(parser) {
        time.read_if(key, Some);
    }
    // What a tooltip would show: nothing in a still picture.
    time.read_if("tooltipFormat", |_| Some(()));
    // `time_x` rounded the values read when it reads this `round`.
    if let Some(unit) = time.map.and_then(round) {
        time.read_if("round", |_| Some(unit));
    }
    let formats = time.child("displayFormats")?;
    let mut given: Vec<(TimeUnit, String)> = formats
        .map
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|key| {
            let unit = TimeUnit::named(key)?;
            let format = formats.read_if(key, |v| v.as_str().filter(|f| moment::writes(f)))?;
            Some((unit, format.to_owned()))
        })
        .collect();
    given.sort();
    Ok(TimeScale {
        unit: time.read_if("unit", |v| v.as_str().and_then(TimeUnit::named)),
        min_unit: time
            .read_if("minUnit", |v| v.as_str().and_then(TimeUnit::named))
            .filter(|u| *u != TimeUnit::Millisecond),
        step: time
            .read_if("stepSize", |v| {
                let s = v.as_f64()?;
                (s >= 1.0 && s.fract() == 0.0 && s <= 1e6).then_some(s as u32)
            })
            // One unit a tick is Chart.js's default: no key of its own.
            .filter(|s| *s != 1),
        formats: given,
        iso_weekday: time.read_if("isoWeekday", iso_weekday).flatten(),
        offset,
        data_ticks,
        label_ticks,
        // Read with the data (`label_times`).
        labels: Vec::new(),
        series,
        bounds_ticks,
        // Read with the bounds (`scales::time_axis`).
        loose_bounds: [false; 2],
    })
}
