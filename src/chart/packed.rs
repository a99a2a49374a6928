//! Datasets' `{x, y}` point arrays, read apart from the config's JSON value.
//!
//! As `serde_json::Value`s, every `{x: 1, y: 2}` is a `BTreeMap` node and
//! two `String`s: a 100,000-point scatter took the literal parser 30-50 ms
//! to build, the spec reader 11-17 ms to read and 12 ms to drop. The parser
//! reads a dataset's `data` that is nothing but `{x: number, y: number}`
//! points into pairs of floats here instead (`literal::parse_packed`),
//! leaving an empty array in its place in the value; the spec reader takes
//! them from here, and a config that Chart.js draws, or whose scripts see
//! its data, gets them back (`unpack_into`) before anything reads it whole.
//! Public for the fuzz check that packing changes nothing it reads.

use serde_json::{Map, Value};

/// The packed datasets of one config, by their index in `data.datasets`.
#[derive(Debug, Default, PartialEq)]
pub struct Packed {
    /// `sets[i]`: dataset `i`'s points as `[x, y]`, when they were packed.
    sets: Vec<Option<Vec<[f64; 2]>>>,
}

impl Packed {
    /// Nothing packed: a config read whole.
    pub(crate) const NONE: Packed = Packed { sets: Vec::new() };

    /// Dataset `dataset`'s points, when they were packed.
    pub(crate) fn points(&self, dataset: usize) -> Option<&[[f64; 2]]> {
        self.sets.get(dataset)?.as_deref()
    }

    /// How many points were packed, over all datasets.
    pub(crate) fn count(&self) -> usize {
        self.sets.iter().flatten().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(Option::is_none)
    }

    /// Holds `points` as dataset `dataset`'s data.
    pub(crate) fn set(&mut self, dataset: usize, points: Vec<[f64; 2]>) {
        if self.sets.len() <= dataset {
            self.sets.resize_with(dataset + 1, || None);
        }
        self.sets[dataset] = Some(points);
    }

    /// Forgets dataset `dataset`'s points (a later duplicate key replaced
    /// its `data`), or all of them (`None`: `data` or `datasets` replaced).
    pub(crate) fn forget(&mut self, dataset: Option<usize>) {
        match dataset {
            Some(i) => {
                if let Some(set) = self.sets.get_mut(i) {
                    *set = None;
                }
            }
            None => self.sets.clear(),
        }
    }

    /// Puts every packed dataset's points back into `config` as the
    /// `{x, y}` objects the parser would have built.
    pub fn unpack_into(self, config: &mut Value) {
        if self.is_empty() {
            return;
        }
        let Some(Value::Array(datasets)) = config.pointer_mut("/data/datasets") else {
            return;
        };
        for (set, points) in datasets.iter_mut().zip(self.sets) {
            if let (Some(points), Some(data)) = (points, set.get_mut("data")) {
                *data = Value::Array(points.into_iter().map(point_value).collect());
            }
        }
    }
}

/// `[x, y]` as the `{x, y}` object it was read from.
pub(crate) fn point_value([x, y]: [f64; 2]) -> Value {
    let mut map = Map::new();
    map.insert("x".into(), Value::from(x));
    map.insert("y".into(), Value::from(y));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unpacking_gives_back_the_points_of_the_datasets_that_were_packed() {
        let mut packed = Packed::default();
        packed.set(1, vec![[1.0, 2.0], [3.5, -4.0]]);
        assert_eq!(packed.count(), 2);
        assert_eq!(packed.points(0), None);
        let mut config = json!({"data": {"datasets": [{"data": [7]}, {"data": [], "label": "b"}]}});
        packed.unpack_into(&mut config);
        assert_eq!(
            config,
            json!({"data": {"datasets": [{"data": [7]},
                {"data": [{"x": 1.0, "y": 2.0}, {"x": 3.5, "y": -4.0}], "label": "b"}]}})
        );
    }

    #[test]
    fn forgotten_datasets_are_not_unpacked() {
        let mut packed = Packed::default();
        packed.set(0, vec![[1.0, 2.0]]);
        packed.set(2, vec![[1.0, 2.0]]);
        packed.forget(Some(0));
        assert_eq!(packed.count(), 1);
        packed.forget(None);
        assert!(packed.is_empty());
    }
}
