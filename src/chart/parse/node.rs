//! The node reader: an optional object of the Chart.js config with the
//! path that names it in messages, typed accessors that say which option
//! had the wrong type, and the coercions Chart.js applies ("3" is 3).

use crate::chart::color::parse_color;
use crate::chart::literal::{js_number, number_text};
use crate::chart::spec::Rgba;
use crate::chart::ChartError;
use serde_json::{Map, Value};
pub(super) type Res<T> = Result<T, ChartError>;
pub(super) type Obj = Map<String, Value>;

/// An optional config object and the path that names it in messages.
#[derive(Clone)]
pub(super) struct Node<'a> {
    pub(super) map: Option<&'a Obj>,
    pub(super) path: String,
}

impl<'a> Node<'a> {
    pub(super) fn new(map: Option<&'a Obj>, path: String) -> Self {
        if let Some(m) = map {
            super::unread::entered(m);
        }
        Node { map, path }
    }

    pub(super) fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// `null` (and `undefined`) mean "not given", as in Chart.js.
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.read_if(key, Some).filter(|v| !v.is_null())
    }

    /// The first of several spellings of one option that is given.
    pub(super) fn pick(&self, keys: &[&'static str]) -> Option<(&'static str, &'a Value)> {
        keys.iter().find_map(|k| self.get(k).map(|v| (*k, v)))
    }

    /// A function the script sandbox found at `key`: its canonical source.
    /// Anything else there is no function, as Chart.js would not call it.
    pub(super) fn function(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::Object(m) if m.len() == 1 => m
                .get(crate::script::FUNCTION_KEY)?
                .as_str()
                .map(str::to_owned),
            _ => None,
        }
    }

    /// The first axis of a v2 axis list at `key` (`xAxes`, `yAxes`): v2
    /// lists axes in arrays, and the first one is the chart's.
    pub(super) fn first_axis(&self, key: &str) -> Res<Node<'a>> {
        self.axis_at(key, 0)
    }

    /// Axis `i` of a v2 axis list at `key`; an absent one reads as empty.
    pub(super) fn axis_at(&self, key: &str, i: usize) -> Res<Node<'a>> {
        let list_path = self.path_of(key);
        let path = format!("{list_path}[{i}]");
        match self.get(key) {
            None => Ok(Node::new(None, path)),
            Some(Value::Array(items)) => match items.get(i) {
                None | Some(Value::Null) => Ok(Node::new(None, path)),
                Some(Value::Object(m)) => Ok(Node::new(Some(m), path)),
                Some(other) => Err(wrong(&path, "an object", other)),
            },
            Some(other) => Err(wrong(&list_path, "an array of axes", other)),
        }
    }

    pub(super) fn child(&self, key: &str) -> Res<Node<'a>> {
        match self.get(key) {
            None => Ok(Node::new(None, self.path_of(key))),
            Some(Value::Object(m)) => Ok(Node::new(Some(m), self.path_of(key))),
            Some(other) => Err(wrong(&self.path_of(key), "an object", other)),
        }
    }

    pub(super) fn bool(&self, key: &str) -> Res<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong(&self.path_of(key), "true or false", other)),
        }
    }

    /// A boolean option Chart.js also takes in other forms (v3's `spanGaps`
    /// as a gap length): only `true` or `false` is read; anything else stays
    /// unread, so the router gives the config to Chart.js.
    pub(super) fn flag(&self, key: &str) -> Option<bool> {
        self.read_if(key, Value::as_bool)
    }

    /// The option at `key` as `read` takes it; a value it refuses stays
    /// unread (the router gives the config to Chart.js, which draws it).
    /// Every read of the config goes through here: it notes what was read.
    pub(super) fn read_if<T>(&self, key: &str, read: impl Fn(&'a Value) -> Option<T>) -> Option<T> {
        let (key, value) = self.map?.get_key_value(key)?;
        let got = read(value)?;
        super::unread::asked(key);
        Some(got)
    }

    pub(super) fn num(&self, key: &str) -> Res<Option<f64>> {
        self.get(key)
            .map(|v| num_of(v).ok_or_else(|| wrong(&self.path_of(key), "a number", v)))
            .transpose()
    }

    pub(super) fn str(&self, key: &str) -> Res<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong(&self.path_of(key), "a string", other)),
        }
    }

    /// A string, or a number shown as JavaScript prints it.
    pub(super) fn text(&self, key: &str) -> Res<Option<String>> {
        self.get(key)
            .map(|v| text_of(v).ok_or_else(|| wrong(&self.path_of(key), "a string", v)))
            .transpose()
    }

    /// Text that may be one line or an array of lines (titles).
    pub(super) fn lines(&self, key: &str) -> Res<Vec<String>> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let expected = "a string or an array of strings";
        match v {
            Value::Array(items) => items
                .iter()
                .map(|item| text_of(item).ok_or_else(|| wrong(&self.path_of(key), expected, item)))
                .collect(),
            other => {
                Ok(vec![text_of(other).ok_or_else(|| {
                    wrong(&self.path_of(key), expected, other)
                })?])
            }
        }
    }

    pub(super) fn color(&self, key: &str) -> Res<Option<Rgba>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => color_at(s, &self.path_of(key)).map(Some),
            Some(other) => Err(wrong(&self.path_of(key), "a color string", other)),
        }
    }

    /// A width or radius. Chart.js also takes per-point arrays here; the spec
    /// keeps one value per dataset, the first.
    pub(super) fn size(&self, keys: &[&'static str]) -> Res<Option<f64>> {
        let Some((key, v)) = self.pick(keys) else {
            return Ok(None);
        };
        let v = match v {
            Value::Array(items) => match items.first() {
                Some(first) => first,
                None => return Ok(None),
            },
            v => v,
        };
        size(v, &self.path_of(key)).map(Some)
    }
}

/// A size: a non-negative number (or a string that reads as one).
pub(super) fn size(v: &Value, path: &str) -> Res<f64> {
    num_of(v)
        .filter(|n| *n >= 0.0)
        .ok_or_else(|| wrong(path, "a non-negative number", v))
}

/// A number, or a string that reads as one (Chart.js coerces "3" to 3).
pub(super) fn num_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(no_negative_zero),
        Value::String(s) => number_text(s),
        _ => None,
    }
}

pub(super) fn no_negative_zero(f: f64) -> f64 {
    if f == 0.0 {
        0.0
    } else {
        f
    }
}

pub(super) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) => num_of(v).map(js_number),
        _ => None,
    }
}

pub(super) fn color_at(s: &str, path: &str) -> Res<Rgba> {
    parse_color(s).map_err(|e| ChartError::bad(format!("`{path}`: {e}")))
}

pub(super) fn wrong(path: &str, expected: &str, got: &Value) -> ChartError {
    ChartError::bad(format!(
        "`{path}` must be {expected}, not {}",
        describe(got)
    ))
}

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(_) => format!("the number {}", num_of(v).map_or("?".into(), js_number)),
        Value::String(s) => {
            let more = if s.chars().nth(40).is_some() {
                "..."
            } else {
                ""
            };
            format!("the string '{}{more}'", crate::chart::quoted(s, 40))
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}
