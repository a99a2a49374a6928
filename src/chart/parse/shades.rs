//! Gradients and patterns: what QuickChart's helpers (`getGradientFill`,
//! `getGradientFillHelper`, `pattern.draw`) made in the sandbox, as
//! `{"\0paint": …}` values where a color goes, read into `Shade`s.

use super::node::{color_at, num_of, wrong, Res};
use super::scripted::PerPoint;
use crate::chart::spec::{PathCmd, Rgba, Shade, TileOp};
use crate::script::PAINT_KEY;
use serde_json::Value;

/// Tiles and gradients are small; these bound what a script can make one.
const MAX_STOPS: usize = 64;
const MAX_TILE_OPS: usize = 64;
const MAX_PATH_LEN: usize = 4096;

/// The paint inside a helper's value, if `v` is one.
fn paint(v: &Value) -> Option<&Value> {
    v.as_object()?.get(PAINT_KEY)
}

/// A color that stands for a shade where one color is drawn (legend
/// boxes, point markers): a gradient's first stop, a tile's background.
pub(super) fn stand_in(v: &Value, path: &str) -> Option<Res<Rgba>> {
    Some(shade(paint(v)?, path).map(|s| match s {
        Shade::Linear { stops, .. } => stops.first().map_or(Rgba::TRANSPARENT, |s| s.1),
        Shade::Pattern { ops, .. } => ops.first().map_or(Rgba::TRANSPARENT, |o| o.color),
    }))
}

/// One color: a CSS color, or the color standing in for a gradient or
/// pattern helper's fill.
pub(super) fn color(v: &Value, path: &str) -> Res<Rgba> {
    match (v, stand_in(v, path)) {
        (Value::String(s), _) => color_at(s, path),
        (_, Some(c)) => c,
        (other, None) => Err(wrong(path, "a color string", other)),
    }
}

/// The shades of a color option (given once, per point, or by a function
/// per point); empty when it holds none.
pub(super) fn shades(
    given: Option<&PerPoint>,
    path: &str,
    points: usize,
) -> Res<Vec<Option<Shade>>> {
    let one = |v: Option<&Value>| v.and_then(paint).map(|p| shade(p, path)).transpose();
    let out = match given {
        None => return Ok(Vec::new()),
        Some(PerPoint::Same(Value::Array(items))) => items
            .iter()
            .map(|v| one(Some(v)))
            .collect::<Res<Vec<_>>>()?,
        Some(PerPoint::Same(v)) => vec![one(Some(v))?],
        Some(each) => (0..points)
            .map(|i| one(each.at(i)))
            .collect::<Res<Vec<_>>>()?,
    };
    Ok(if out.iter().all(Option::is_none) {
        Vec::new()
    } else {
        out
    })
}

fn shade(p: &Value, path: &str) -> Res<Shade> {
    let bad = || wrong(path, "a gradient or pattern from QuickChart's helpers", p);
    if let Some(line) = p.get("gradient") {
        let n: Vec<f64> = line
            .as_array()
            .filter(|a| a.len() == 4)
            .ok_or_else(bad)?
            .iter()
            .map(|v| num_of(v).filter(|f| f.is_finite()).ok_or_else(bad))
            .collect::<Res<_>>()?;
        let stops = p
            .get("stops")
            .and_then(Value::as_array)
            .filter(|s| s.len() <= MAX_STOPS)
            .ok_or_else(bad)?
            .iter()
            .map(|s| {
                let offset = s
                    .get(0)
                    .and_then(num_of)
                    .filter(|o| (0.0..=1.0).contains(o));
                let color = s.get(1).and_then(Value::as_str);
                match (offset, color) {
                    (Some(o), Some(c)) => Ok((o, color_at(c, path)?)),
                    _ => Err(wrong(path, "gradient stops with offsets from 0 to 1", s)),
                }
            })
            .collect::<Res<Vec<_>>>()?;
        return Ok(Shade::Linear {
            from: (n[0], n[1]),
            to: (n[2], n[3]),
            stops,
        });
    }
    let tile = p.get("pattern").ok_or_else(bad)?;
    let size = tile
        .get("size")
        .and_then(num_of)
        .filter(|s| *s >= 1.0 && *s <= 200.0);
    let ops = tile
        .get("ops")
        .and_then(Value::as_array)
        .filter(|o| o.len() <= MAX_TILE_OPS);
    let (Some(size), Some(ops)) = (size, ops) else {
        return Err(bad());
    };
    Ok(Shade::Pattern {
        size,
        ops: ops.iter().map(|o| tile_op(o, path)).collect::<Res<_>>()?,
    })
}

fn tile_op(o: &Value, path: &str) -> Res<TileOp> {
    let bad = || wrong(path, "a pattern tile", o);
    let cmds = o
        .get("path")
        .and_then(Value::as_array)
        .filter(|p| p.len() <= MAX_PATH_LEN)
        .ok_or_else(bad)?;
    let mut out = Vec::new();
    let mut it = cmds.iter();
    while let Some(cmd) = it.next() {
        let mut xy = || -> Res<(f64, f64)> {
            let x = it.next().and_then(num_of).filter(|v| v.is_finite());
            let y = it.next().and_then(num_of).filter(|v| v.is_finite());
            x.zip(y).ok_or_else(bad)
        };
        out.push(match cmd.as_str() {
            Some("M") => xy().map(|(x, y)| PathCmd::Move(x, y))?,
            Some("L") => xy().map(|(x, y)| PathCmd::Line(x, y))?,
            Some("Z") => PathCmd::Close,
            _ => return Err(bad()),
        });
    }
    let color = o.get("color").and_then(Value::as_str).ok_or_else(bad)?;
    Ok(TileOp {
        fill: o.get("fill").and_then(Value::as_bool).unwrap_or(true),
        color: color_at(color, path)?,
        width: o
            .get("width")
            .and_then(num_of)
            .unwrap_or(1.0)
            .clamp(0.0, 200.0),
        path: out,
    })
}
