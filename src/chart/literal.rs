//! The Chart.js config reader: strict JSON and the JavaScript object-literal
//! form people paste from the Chart.js docs, read as data and never executed.
//!
//! Accepted beyond JSON: unquoted keys, single-quoted strings with JS escapes,
//! trailing commas and array holes, `//` and `/* */` comments, JS number forms
//! (`.5`, `+1`, `1.`, `0x1F`) and `undefined` (read as `null`). Code of any
//! kind (`function`, `=>`, `new`, template literals, bare identifiers) is
//! refused with its position, so nothing a client sends is ever evaluated.
//!
//! The parser recurses once per nesting level and checks the depth limit
//! before each step down, so no input can overflow the stack (config
//! validation keeps `limits.max_depth` at 512 or less). Every number is
//! stored as a finite f64, so `1`, `1.0` and `1e0` are the same value.

use super::packed::Packed;
use super::ChartError;
use crate::config::Limits;
use serde_json::{Map, Number, Value};

/// Reads a chart config (JSON or a JS object literal) into a JSON value.
/// Code is `ChartError::Code`: the caller may hand the text to the script
/// sandbox instead.
pub fn parse(input: &str, limits: &Limits) -> Result<Value, ChartError> {
    let mut p = Parser::new(input, limits.max_depth, limits.max_string_chars);
    p.document()
}

/// `parse`, with the datasets' `{x, y}` point arrays read apart (`Packed`):
/// the value holds `[]` where they were.
pub fn parse_packed(input: &str, limits: &Limits) -> Result<(Value, Packed), ChartError> {
    let mut p = Parser::new(input, limits.max_depth, limits.max_string_chars);
    p.packing = Some(Packing::along(CONFIG_PATH));
    let value = p.document()?;
    Ok((value, p.packed()))
}

/// The config as data with its code cut out: each value that is code (a
/// function, `Math.PI / 2`, a call) becomes the string `"\u0000hole:N"`
/// and its source text the N-th entry of the list, for the script sandbox
/// to evaluate alone, so that the engine never parses the data around it.
/// `Code` when the code is not a value (a method, a spread, a computed
/// key) or the whole config is code: then the config is evaluated whole.
/// A config without code comes back with no holes: it is data.
///
/// The datasets' `{x, y}` point arrays come apart (`Packed`) when the config
/// has no code; with code, the scripts may read the data, so they stay in.
pub(crate) fn parse_with_holes(
    input: &str,
    limits: &Limits,
) -> Result<(Value, Vec<String>, Packed), ChartError> {
    let mut p = Parser::new(input, limits.max_depth, limits.max_string_chars);
    p.holes = Some(Vec::new());
    p.packing = Some(Packing::along(CONFIG_PATH));
    let mut value = p.document()?;
    let holes = p.holes.take().unwrap_or_default();
    if !holes.is_empty() && value == Value::String(hole_name(0)) {
        return Err(ChartError::Code("the whole config is code".into()));
    }
    let mut packed = p.packed();
    if !holes.is_empty() {
        std::mem::take(&mut packed).unpack_into(&mut value);
    }
    Ok((value, holes, packed))
}

/// What marks a hole: no client string can start with it (`member`
/// refuses those), so only `parse_with_holes` makes one.
const HOLE: &str = "\u{0}hole:";

/// The placeholder of the `n`-th hole.
pub(crate) fn hole_name(n: usize) -> String {
    format!("{HOLE}{n}")
}

/// Which hole a placeholder stands for.
pub(crate) fn hole_index(s: &str) -> Option<usize> {
    s.strip_prefix(HOLE)?.parse().ok()
}

/// Reads what the script sandbox made of a config (JSON in which functions
/// travel as `{"\u0000function": source}`), under the same limits.
pub(crate) fn parse_evaluated(json: &str, limits: &Limits) -> Result<Value, ChartError> {
    let mut p = Parser::new(json, limits.max_depth, limits.max_string_chars);
    p.evaluated = true;
    p.document()
}

/// Reads a POST body: the config sits one level deeper (under `chart`), and
/// a config sent as a string is one long string, so the string limit holds
/// from the second level on: inside an object config, not for the body's
/// own fields. Checked as the strings are read, not in a second walk over
/// the value (which cost a 2.4 MB body of points 8 ms). The datasets'
/// `{x, y}` point arrays of an object `chart` come apart (`Packed`).
pub(crate) fn parse_body(input: &str, limits: &Limits) -> Result<(Value, Packed), ChartError> {
    let mut p = Parser::new(
        input,
        limits.max_depth.saturating_add(1),
        limits.max_string_chars,
    );
    p.shown_depth = limits.max_depth;
    p.strings_bounded_from = 2;
    p.packing = Some(Packing::along(BODY_PATH));
    let value = p.document()?;
    Ok((value, p.packed()))
}

/// The keys from a config's root to a dataset's `data`; `None` steps
/// into any item of an array (the dataset's index).
const CONFIG_PATH: &[Option<&str>] = &[Some("data"), Some("datasets"), None, Some("data")];
/// The same from a POST body's root, through its `chart` object.
const BODY_PATH: &[Option<&str>] = &[
    Some("chart"),
    Some("data"),
    Some("datasets"),
    None,
    Some("data"),
];
/// `Packing::at` off the path.
const OFF: usize = usize::MAX;

/// Where the reader stands on the way to the datasets' `data`, and the
/// points it packed there.
struct Packing {
    path: &'static [Option<&'static str>],
    /// How many steps of `path` lead to the value being read, or `OFF`.
    at: usize,
    /// The dataset being read, once past `datasets`.
    dataset: usize,
    packed: Packed,
}

impl Packing {
    fn along(path: &'static [Option<&'static str>]) -> Packing {
        Packing {
            path,
            at: 0,
            dataset: 0,
            packed: Packed::default(),
        }
    }
}

/// Reads a number written as text the way `Number(text)` does in JavaScript,
/// for the places Chart.js coerces strings ("3" in data, "500" as a width).
/// Only plain decimal forms are taken; never `inf` or `nan`.
pub(crate) fn number_text(s: &str) -> Option<f64> {
    let s = s.trim();
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !plain {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(if v == 0.0 { 0.0 } else { v })
}

/// A number as JavaScript's `String(n)` prints it: `1` not `1.0`, `0.5`,
/// `1e+21`, `1.5e-7`. Labels and keys given as numbers are shown this way.
pub(crate) fn js_number(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    if n < 0.0 {
        return format!("-{}", js_number(-n));
    }
    // Whole numbers below 2^53 (most labels: indexes, years) print as
    // their integer digits, which are exact and the shortest.
    if n.fract() == 0.0 && n < 9_007_199_254_740_992.0 {
        return (n as u64).to_string();
    }
    // `{:e}` gives the shortest round-tripping digits: "1.5e-7", "1e21".
    let sci = format!("{n:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n_pos = exp.parse::<i64>().unwrap_or(0) + 1;
    if k <= n_pos && n_pos <= 21 {
        format!("{digits}{}", "0".repeat((n_pos - k) as usize))
    } else if 0 < n_pos && n_pos <= 21 {
        let (int, frac) = digits.split_at(n_pos as usize);
        format!("{int}.{frac}")
    } else if -6 < n_pos && n_pos <= 0 {
        format!("0.{}{digits}", "0".repeat((-n_pos) as usize))
    } else {
        let e = n_pos - 1;
        let sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{sign}{}", e.abs())
    }
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// The depth limit as the client knows it (a POST body adds one level).
    shown_depth: usize,
    max_chars: usize,
    /// The depth from which `max_chars` holds (a POST body's own fields, at
    /// depth 1, are not config strings).
    strings_bounded_from: usize,
    /// Reading the sandbox's output: keys that start with NUL (functions,
    /// gradients) are the engine's and allowed; from a client they are not.
    evaluated: bool,
    /// Cutting code out as holes (`parse_with_holes`): their source texts.
    holes: Option<Vec<String>>,
    /// Reading the datasets' point arrays apart (`Packed`).
    packing: Option<Packing>,
}

type Res<T> = Result<T, ChartError>;

impl<'a> Parser<'a> {
    fn new(src: &'a str, max_depth: usize, max_chars: usize) -> Self {
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            depth: 0,
            max_depth,
            shown_depth: max_depth,
            max_chars,
            strings_bounded_from: 0,
            evaluated: false,
            holes: None,
            packing: None,
        }
    }

    fn packed(&mut self) -> Packed {
        self.packing.take().map(|p| p.packed).unwrap_or_default()
    }

    /// Steps into the value of `key` (an object's member) or of array item
    /// `item` (`key` `None`); gives the place to step back out to.
    fn step_in(&mut self, key: Option<&str>, item: usize) -> usize {
        let Some(p) = &mut self.packing else {
            return OFF;
        };
        let outer = p.at;
        let on_path = outer != OFF && p.path.get(outer).is_some_and(|step| *step == key);
        p.at = if on_path { outer + 1 } else { OFF };
        match (on_path, key) {
            (false, _) => {}
            (true, None) => p.dataset = item,
            // A key read again replaces what was packed under it before.
            (true, Some(_)) if p.at == p.path.len() => p.packed.forget(Some(p.dataset)),
            (true, Some(_)) => p.packed.forget(None),
        }
        outer
    }

    fn step_out(&mut self, outer: usize) {
        if let Some(p) = &mut self.packing {
            p.at = outer;
        }
    }

    /// Whether the value about to be read is a dataset's `data`.
    fn at_points(&self) -> bool {
        self.packing.as_ref().is_some_and(|p| p.at == p.path.len())
    }

    /// A member's value; a dataset's `data` of `{x, y}` points packed.
    fn member_in(&mut self, key: Option<&str>, item: usize) -> Res<Value> {
        let outer = self.step_in(key, item);
        let value = match self.at_points().then(|| self.dense_points()).flatten() {
            Some(points) => {
                let p = self.packing.as_mut().expect("packing");
                p.packed.set(p.dataset, points);
                Value::Array(Vec::new())
            }
            None => self.member()?,
        };
        self.step_out(outer);
        Ok(value)
    }

    /// An array of nothing but `{x: number, y: number}` points, read
    /// without a value per point; `None`, with the reader back where it
    /// was, when it is anything else (or empty): the value reader reads
    /// it then, and says what is wrong with it.
    fn dense_points(&mut self) -> Option<Vec<[f64; 2]>> {
        let start = self.pos;
        let points = self.try_dense_points().filter(|p| !p.is_empty());
        if points.is_none() {
            self.pos = start;
        }
        points
    }

    fn try_dense_points(&mut self) -> Option<Vec<[f64; 2]>> {
        // The points sit two levels down: past the limit, the value reader
        // says so.
        if self.peek() != Some(b'[') || self.depth + 2 > self.max_depth {
            return None;
        }
        self.pos += 1;
        let mut points = Vec::new();
        loop {
            self.skip_ws().ok()?;
            match self.peek()? {
                b']' => break,
                b'{' => points.push(self.dense_point()?),
                _ => return None,
            }
            if !self.dense_next(b']')? {
                break;
            }
        }
        self.pos += 1;
        Some(points)
    }

    /// After an item of a dense array or point: `Some(true)` past a `,`,
    /// `Some(false)` at `close`, `None` at anything else.
    fn dense_next(&mut self, close: u8) -> Option<bool> {
        self.skip_ws().ok()?;
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// `{x: number, y: number}`, keys in either order, quoted or not.
    fn dense_point(&mut self) -> Option<[f64; 2]> {
        self.pos += 1;
        let mut xy = [None, None];
        loop {
            self.skip_ws().ok()?;
            if self.peek()? == b'}' {
                break;
            }
            let slot = self.dense_key()?;
            self.skip_ws().ok()?;
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.skip_ws().ok()?;
            if !matches!(self.peek()?, b'-' | b'+' | b'.' | b'0'..=b'9') {
                return None;
            }
            let Value::Number(n) = self.number().ok()? else {
                return None;
            };
            // A key given twice: the last one wins, as in `object`.
            xy[slot] = Some(n.as_f64()?);
            if !self.dense_next(b'}')? {
                break;
            }
        }
        self.pos += 1;
        Some([xy[0]?, xy[1]?])
    }

    /// `x` or `y` as a key (bare, or in either quote): its slot.
    fn dense_key(&mut self) -> Option<usize> {
        let b = self.bytes;
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'$' || c == b'_' || c >= 0x80;
        let (key, len) = match (*b.get(self.pos)?, b.get(self.pos + 1), b.get(self.pos + 2)) {
            (q @ (b'"' | b'\''), Some(&k), Some(&end)) if end == q => (k, 3),
            (k, next, _) if !next.is_some_and(|&c| ident(c)) => (k, 1),
            _ => return None,
        };
        let slot = match key {
            b'x' => 0,
            b'y' => 1,
            _ => return None,
        };
        self.pos += len;
        Some(slot)
    }

    fn document(&mut self) -> Res<Value> {
        self.skip_ws()?;
        if self.pos >= self.bytes.len() {
            return Err(ChartError::bad(
                "empty chart config: expected an object like {type: 'bar', data: {...}}",
            ));
        }
        let value = self.member()?;
        self.skip_ws()?;
        if self.at_operator() {
            return Err(self.after_value("the end of the config"));
        }
        if self.pos < self.bytes.len() {
            return Err(ChartError::bad(format!(
                "invalid chart config: unexpected {} after the end of the config at {}",
                self.found(),
                self.location(self.pos)
            )));
        }
        Ok(value)
    }

    /// A value; when cutting holes, a value that is code becomes a hole.
    fn member(&mut self) -> Res<Value> {
        if self.holes.is_none() {
            return self.value();
        }
        let (start, depth) = (self.pos, self.depth);
        let read = self.value();
        if let Ok(Value::String(s)) = &read {
            if s.starts_with('\0') {
                // Could be taken for a hole: evaluate the config whole.
                return Err(ChartError::Code("a string that starts with NUL".into()));
            }
        }
        let code = match read {
            Err(ChartError::Code(_)) => true,
            Ok(_) => {
                self.skip_ws()?;
                self.at_operator()
            }
            Err(e) => return Err(e),
        };
        if !code {
            return read;
        }
        self.depth = depth;
        let end = expression_end(self.bytes, start)
            .ok_or_else(|| ChartError::Code("code whose end cannot be found".into()))?;
        let holes = self.holes.as_mut().expect("cutting holes");
        holes.push(self.src[start..end].trim_end().to_owned());
        self.pos = end;
        Ok(Value::String(hole_name(holes.len() - 1)))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self) -> Res<Value> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(q @ (b'"' | b'\'')) => Ok(Value::String(self.string(q)?)),
            Some(b'.') if self.src[self.pos..].starts_with("...") => {
                Err(self.code_error("a spread `...`", self.pos))
            }
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(),
            Some(b'/') => Err(self.code_error("a regular expression literal", self.pos)),
            Some(b'`') => Err(self.code_error("a template literal", self.pos)),
            Some(b'(') => Err(self.code_error("`(`", self.pos)),
            Some(_) if self.at_ident_start() => self.word(),
            _ => Err(self.unexpected("a value")),
        }
    }

    /// Steps one level down, refusing to go past the depth limit.
    fn enter(&mut self) -> Res<()> {
        if self.depth >= self.max_depth {
            return Err(ChartError::limit(format!(
                "the chart config nests objects and arrays more than {} levels deep (at {})",
                self.shown_depth,
                self.location(self.pos)
            )));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    fn object(&mut self) -> Res<Value> {
        self.enter()?;
        let mut map = Map::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                Some(b'}') => break,
                None => return Err(self.unexpected("a key or `}`")),
                _ => {}
            }
            let key = self.key()?;
            self.skip_ws()?;
            match self.peek() {
                Some(b':') => self.pos += 1,
                Some(b'(') => return Err(self.code_error("a method", self.pos)),
                _ => return Err(self.unexpected("`:` after the key")),
            }
            self.skip_ws()?;
            let value = self.member_in(Some(key.as_str()), 0)?;
            // Duplicate keys: the last one wins, as in JavaScript.
            map.insert(key, value);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => break,
                _ => return Err(self.after_value("`,` or `}`")),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Value::Object(map))
    }

    fn array(&mut self) -> Res<Value> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                Some(b']') => break,
                // A hole (`[1,,2]`) is `undefined` in JavaScript.
                Some(b',') => {
                    self.pos += 1;
                    items.push(Value::Null);
                    continue;
                }
                None => return Err(self.unexpected("a value or `]`")),
                _ => {}
            }
            let item = match self.plain_number() {
                Some(number) => number,
                None => self.member_in(None, items.len())?,
            };
            items.push(item);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => break,
                _ => return Err(self.after_value("`,` or `]`")),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    /// An array item that is a number and nothing more (`12.5`, not `1 + x`),
    /// read without a member's bookkeeping: nothing is packed below a
    /// number, and a data array of 20,000 spent most of its read there.
    /// `None`, with the reader back where it was, for anything else, which
    /// the member reader reads (and says what is wrong with).
    #[inline]
    fn plain_number(&mut self) -> Option<Value> {
        if !matches!(self.peek(), Some(b'0'..=b'9' | b'-')) {
            return None;
        }
        let start = self.pos;
        let number = self.number().ok().filter(|_| {
            // Reading code into holes, a number before an operator is
            // an expression (`member`).
            self.holes.is_none() || (self.skip_ws().is_ok() && !self.at_operator())
        });
        if number.is_none() {
            self.pos = start;
        }
        number
    }

    fn key(&mut self) -> Res<String> {
        if self.src[self.pos..].starts_with("...") {
            return Err(self.code_error("a spread `...`", self.pos));
        }
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                let at = self.pos;
                let key = self.string(q)?;
                if key.starts_with('\0') && !self.evaluated {
                    return Err(ChartError::bad(format!(
                        "keys may not start with a NUL character (\\u0000) at {}",
                        self.location(at)
                    )));
                }
                Ok(key)
            }
            Some(b'0'..=b'9' | b'.') => match self.number()? {
                Value::Number(n) => Ok(js_number(n.as_f64().unwrap_or(0.0))),
                _ => Err(self.unexpected("a key")),
            },
            Some(b'[') => Err(self.code_error("a computed key `[`", self.pos)),
            Some(b'*') => Err(self.code_error("a generator method", self.pos)),
            Some(_) if self.at_ident_start() => {
                let start = self.pos;
                let key = self.ident();
                if key.chars().nth(self.max_chars_here()).is_some() {
                    return Err(self.too_long(start));
                }
                if matches!(key, "get" | "set" | "async") {
                    self.skip_ws()?;
                    if self.at_ident_start() || matches!(self.peek(), Some(b'[' | b'*')) {
                        return Err(self.code_error(&format!("a `{key}` method"), start));
                    }
                }
                Ok(key.to_owned())
            }
            _ => Err(self.unexpected("a key")),
        }
    }

    /// Whether an operator follows a value: `1 + 2`, `[1].map`, `a ? b : c`.
    fn at_operator(&self) -> bool {
        self.peek().is_some_and(|b| b"+-*/%?&|<>=!^.(".contains(&b))
    }

    /// The error for what follows a complete value: code when it is an
    /// operator, else a plain syntax error expecting `expected`.
    fn after_value(&self, expected: &str) -> ChartError {
        if self.at_operator() {
            let op = self.found();
            self.code_error(&format!("an expression ({op} after a value)"), self.pos)
        } else {
            self.unexpected(expected)
        }
    }

    /// A bare word in value position: a literal, or code.
    fn word(&mut self) -> Res<Value> {
        let start = self.pos;
        let word = self.ident();
        match word {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" | "undefined" => Ok(Value::Null),
            "NaN" | "Infinity" => Err(self.not_finite(start)),
            "function" | "new" => Err(self.code_error(&format!("`{word}`"), start)),
            _ => {
                let shown = format!("`{}`", truncate(word, 40));
                self.skip_ws()?;
                if self.src[self.pos..].starts_with("=>") {
                    return Err(self.code_error("an arrow function `=>`", self.pos));
                }
                Err(self.code_error(&shown, start))
            }
        }
    }

    fn at_ident_start(&self) -> bool {
        match self.peek() {
            Some(b) if b.is_ascii() => b.is_ascii_alphabetic() || b == b'$' || b == b'_',
            Some(_) => self.src[self.pos..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic),
            None => false,
        }
    }

    /// Reads an identifier; the caller has checked that one starts here.
    fn ident(&mut self) -> &'a str {
        let start = self.pos;
        let rest = &self.src[start..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '$' || c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        &self.src[start..start + len]
    }

    /// The longest string allowed where the parser stands.
    fn max_chars_here(&self) -> usize {
        if self.depth >= self.strings_bounded_from {
            self.max_chars
        } else {
            usize::MAX
        }
    }

    fn string(&mut self, quote: u8) -> Res<String> {
        let start = self.pos;
        self.pos += 1;
        let max_chars = self.max_chars_here();
        let mut out = String::new();
        let mut chars = 0usize;
        loop {
            let run_start = self.pos;
            let run_len = self.bytes[run_start..]
                .iter()
                .position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'\r')
                .unwrap_or(self.bytes.len() - run_start);
            self.pos += run_len;
            // The run ends on an ASCII byte, so it is whole characters.
            let run = &self.src[run_start..self.pos];
            chars += run.bytes().filter(|b| (b & 0xC0) != 0x80).count();
            out.push_str(run);
            match self.peek() {
                Some(b'\\') => {
                    self.escape(&mut out)?;
                    chars += 1;
                }
                Some(q) if q == quote => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return Err(ChartError::bad(format!(
                        "invalid chart config: unterminated string starting at {}",
                        self.location(start)
                    )))
                }
            }
            if chars > max_chars {
                return Err(self.too_long(start));
            }
        }
        if chars > max_chars {
            return Err(self.too_long(start));
        }
        Ok(out)
    }

    fn too_long(&self, start: usize) -> ChartError {
        ChartError::limit(format!(
            "a string in the chart config is longer than {} characters (starting at {})",
            self.max_chars,
            self.location(start)
        ))
    }

    /// Reads one backslash escape (JS rules) into `out`.
    fn escape(&mut self, out: &mut String) -> Res<()> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.src[self.pos..].chars().next() else {
            return Err(self.unexpected("an escaped character"));
        };
        self.pos += c.len_utf8();
        match c {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' if !self.peek().is_some_and(|b| b.is_ascii_digit()) => out.push('\0'),
            '0'..='9' => {
                return Err(ChartError::bad(format!(
                    "invalid chart config: octal escapes are not allowed in strings (at {})",
                    self.location(at)
                )))
            }
            'x' => {
                let v = self.hex_digits(2, at)?;
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'u' => self.unicode_escape(out, at)?,
            // A backslash before a line break continues the string.
            '\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' => {}
            other => out.push(other),
        }
        Ok(())
    }

    fn unicode_escape(&mut self, out: &mut String, at: usize) -> Res<()> {
        let unit = self.code_point(at)?;
        if (0xD800..0xDC00).contains(&unit) && self.src[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let low = self.code_point(at)?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                return Ok(());
            }
            self.pos = save;
        }
        // A lone surrogate cannot live in a Rust string.
        out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
        Ok(())
    }

    /// `XXXX` or `{X…}` after `\u`.
    fn code_point(&mut self, at: usize) -> Res<u32> {
        if self.peek() != Some(b'{') {
            return self.hex_digits(4, at);
        }
        self.pos += 1;
        let len = self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'}')
            .filter(|&n| (1..=6).contains(&n))
            .ok_or_else(|| self.bad_escape(at))?;
        let v = self.hex_digits(len, at)?;
        self.pos += 1;
        if v > 0x10FFFF {
            return Err(self.bad_escape(at));
        }
        Ok(v)
    }

    fn hex_digits(&mut self, n: usize, at: usize) -> Res<u32> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + n)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.bad_escape(at))?;
        self.pos += n;
        let text = std::str::from_utf8(digits).map_err(|_| self.bad_escape(at))?;
        u32::from_str_radix(text, 16).map_err(|_| self.bad_escape(at))
    }

    fn bad_escape(&self, at: usize) -> ChartError {
        ChartError::bad(format!(
            "invalid chart config: malformed escape sequence at {}",
            self.location(at)
        ))
    }

    fn number(&mut self) -> Res<Value> {
        let start = self.pos;
        let negative = match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                true
            }
            Some(b'+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        // `-Math.PI`, `-(1)`, `+x`: a sign before something other than a
        // number is an expression.
        if self.pos > start
            && (self.at_ident_start() || matches!(self.peek(), Some(b'(' | b'[' | b'-' | b'+')))
            && !self.src[self.pos..].starts_with("Infinity")
        {
            return Err(self.code_error("an expression (a sign before a name)", start));
        }
        let magnitude = self.unsigned_number(start)?;
        if self.at_ident_start() || self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(self.unexpected("`,` or the end of the number"));
        }
        let v = if negative { -magnitude } else { magnitude };
        // -0 and 0 draw the same, so they must be one value.
        let v = if v == 0.0 { 0.0 } else { v };
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.not_finite(start))
    }

    fn unsigned_number(&mut self, start: usize) -> Res<f64> {
        let rest = &self.src[self.pos..];
        if rest.starts_with("Infinity") || rest.starts_with("NaN") {
            return Err(self.not_finite(start));
        }
        let radix = match rest.as_bytes() {
            [b'0', b'x' | b'X', ..] => 16,
            [b'0', b'o' | b'O', ..] => 8,
            [b'0', b'b' | b'B', ..] => 2,
            _ => return self.decimal(start),
        };
        self.pos += 2;
        let digits_start = self.pos;
        let mut v = 0f64;
        loop {
            match self.peek() {
                // A separator between two digits, as in `0xFF_FF`.
                Some(b'_')
                    if self.pos > digits_start
                        && self
                            .bytes
                            .get(self.pos + 1)
                            .is_some_and(|b| (*b as char).is_digit(radix)) =>
                {
                    self.pos += 1
                }
                Some(b) => match (b as char).to_digit(radix) {
                    Some(d) => {
                        v = v * radix as f64 + d as f64;
                        self.pos += 1;
                    }
                    None => break,
                },
                None => break,
            }
        }
        if self.pos == digits_start {
            return Err(self.unexpected("digits"));
        }
        if !v.is_finite() {
            return Err(self.not_finite(start));
        }
        Ok(v)
    }

    fn decimal(&mut self, start: usize) -> Res<f64> {
        let digits_start = self.pos;
        let int_digits = self.skip_digits();
        if int_digits > 1 && self.bytes[digits_start] == b'0' {
            return Err(ChartError::bad(format!(
                "invalid chart config: numbers may not start with 0 (at {})",
                self.location(digits_start)
            )));
        }
        let mut frac_digits = 0;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            frac_digits = self.skip_digits();
        }
        if int_digits + frac_digits == 0 {
            return Err(self.unexpected("a number"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.skip_digits() == 0 {
                return Err(self.unexpected("the digits of an exponent"));
            }
        }
        // Rust's float grammar takes every form read above (`1.`, `.5`, `1.e3`)
        // once the separators are gone.
        let text = &self.src[digits_start..self.pos];
        let parsed = if text.contains('_') {
            text.replace('_', "").parse()
        } else {
            text.parse()
        };
        let v: f64 = parsed.map_err(|_| self.unexpected("a number"))?;
        if !v.is_finite() {
            return Err(self.not_finite(start));
        }
        Ok(v)
    }

    /// Skips decimal digits and JavaScript's numeric separators (`1_000`:
    /// an underscore between two digits); returns how many bytes it skipped.
    fn skip_digits(&mut self) -> usize {
        let rest = &self.bytes[self.pos..];
        let mut n = 0;
        while n < rest.len() {
            let b = rest[n];
            let separator = b == b'_'
                && n > 0
                && rest[n - 1].is_ascii_digit()
                && rest.get(n + 1).is_some_and(u8::is_ascii_digit);
            if !(b.is_ascii_digit() || separator) {
                break;
            }
            n += 1;
        }
        self.pos += n;
        n
    }

    /// Skips whitespace (JS's, including NBSP and BOM) and comments.
    fn skip_ws(&mut self) -> Res<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    let rest = &self.bytes[self.pos..];
                    self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                }
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let end = self.src[self.pos + 2..].find("*/").ok_or_else(|| {
                        ChartError::bad(format!(
                            "invalid chart config: unterminated /* comment starting at {}",
                            self.location(self.pos)
                        ))
                    })?;
                    self.pos += 2 + end + 2;
                }
                b if b >= 0x80 => match self.src[self.pos..].chars().next() {
                    Some(c) if c.is_whitespace() || c == '\u{feff}' => self.pos += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        Ok(())
    }

    fn code_error(&self, what: &str, at: usize) -> ChartError {
        ChartError::Code(format!(
            "functions and code are not supported in chart configs (found {what} at {}); \
             chartgate reads the config as data, so write values as literals and quote strings",
            self.location(at)
        ))
    }

    fn not_finite(&self, at: usize) -> ChartError {
        let end = self.src[at..]
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '+' | '-')))
            .map_or(self.src.len(), |n| at + n);
        ChartError::bad(format!(
            "numbers must be finite: `{}` at {} is not a number a chart can draw",
            truncate(&self.src[at..end], 40),
            self.location(at)
        ))
    }

    fn unexpected(&self, expected: &str) -> ChartError {
        ChartError::bad(format!(
            "invalid chart config: expected {expected} but found {} at {}",
            self.found(),
            self.location(self.pos)
        ))
    }

    /// What sits at the current position, for messages.
    fn found(&self) -> String {
        match self.src[self.pos.min(self.src.len())..].chars().next() {
            None => "the end of the config".into(),
            Some(c) => format!("`{}`", c.escape_debug()),
        }
    }

    /// "line L, column C" (both from 1, columns in characters) of a byte offset.
    fn location(&self, at: usize) -> String {
        let mut at = at.min(self.src.len());
        while !self.src.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.src[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        format!("line {line}, column {column}")
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// Where the expression that starts at `start` ends: at the first `,`, `}`
/// or `]` outside brackets, strings, template literals, comments and
/// regular expressions (or at the end of the text). `None` when its
/// brackets do not match.
fn expression_end(src: &[u8], start: usize) -> Option<usize> {
    scan_code(src, start, None)
}

/// Whether code cut out of a config (a hole) is one function expression
/// and nothing more: `(v) => …`, `v => …`, `function (v) { … }`, each
/// maybe `async`. Such a hole evaluates to itself (its source is what
/// `Function.prototype.toString` gives), so it needs no engine run. Any
/// doubt (a comment in the head, a call after the body) answers no.
pub(crate) fn is_function_literal(hole: &str) -> bool {
    let b = hole.as_bytes();
    let mut i = skip_word(b, 0, b"async").map_or(0, |at| skip_spaces(b, at));
    if let Some(at) = skip_word(b, i, b"function") {
        i = skip_spaces(b, at);
        if b.get(i) == Some(&b'*') {
            i = skip_spaces(b, i + 1);
        }
        i = skip_spaces(b, ident_end(b, i));
        let Some(params) = group_end(b, i, b'(', b')') else {
            return false;
        };
        let body = skip_spaces(b, params);
        return group_end(b, body, b'{', b'}') == Some(b.len());
    }
    let params = match b.get(i) {
        Some(b'(') => group_end(b, i, b'(', b')'),
        _ => Some(ident_end(b, i)).filter(|&end| end > i),
    };
    params.is_some_and(|end| b[skip_spaces(b, end)..].starts_with(b"=>"))
}

/// Past the `close` that matches the `open` at `i`.
fn group_end(b: &[u8], i: usize, open: u8, close: u8) -> Option<usize> {
    (b.get(i) == Some(&open))
        .then(|| scan_code(b, i + 1, Some(close)))
        .flatten()
}

/// Past `word` at `i`, when it is a whole word there.
fn skip_word(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    let end = i + word.len();
    (b.get(i..end) == Some(word) && ident_end(b, end) == end).then_some(end)
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Past the (ASCII) identifier at `i`; `i` when there is none.
fn ident_end(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
    {
        i += 1;
    }
    i
}

/// Scans code from `i`: to the end of an expression (`closer` None, ended
/// by a `,` or a bracket it did not open), or past the `closer` that ends
/// a group it is inside (a template literal's `${…}`, a parenthesis).
fn scan_code(src: &[u8], mut i: usize, closer: Option<u8>) -> Option<usize> {
    let mut open: Vec<u8> = Vec::new();
    // The last significant byte: a `/` after a value divides, else it
    // starts a regular expression.
    let mut prev = b'(';
    while i < src.len() {
        let c = src[i];
        match c {
            b'\'' | b'"' => {
                i = skip_quoted(src, i)?;
                prev = b'"';
                continue;
            }
            b'`' => {
                i = skip_template(src, i)?;
                prev = b'"';
                continue;
            }
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                i = i + 2 + memchr::memmem::find(&src[i + 2..], b"*/")? + 2;
                continue;
            }
            b'/' if !(prev.is_ascii_alphanumeric() || b"_$)]}\"".contains(&prev))
                || after_keyword(src, i) =>
            {
                i = skip_regex(src, i)?;
                prev = b'"';
                continue;
            }
            b'(' | b'[' | b'{' => open.push(c),
            b')' | b']' | b'}' => match open.pop() {
                Some(o) if matches!((o, c), (b'(', b')') | (b'[', b']') | (b'{', b'}')) => {}
                Some(_) => return None,
                None if closer == Some(c) => return Some(i + 1),
                None if closer.is_some() || c == b')' => return None,
                None => return Some(i),
            },
            b',' if open.is_empty() && closer.is_none() => return Some(i),
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            prev = c;
        }
        i += 1;
    }
    (open.is_empty() && closer.is_none()).then_some(i)
}

/// Whether the code before `i` ends with a keyword after which a `/`
/// starts a regular expression (`return /x/.test(v)`), not a division.
fn after_keyword(src: &[u8], i: usize) -> bool {
    let end = src[..i]
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let start = src[..end]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'$'))
        .map_or(0, |p| p + 1);
    crate::script::regex_follows(&src[start..end])
}

fn skip_quoted(src: &[u8], start: usize) -> Option<usize> {
    let quote = src[start];
    let mut i = start + 1;
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_template(src: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            b'`' => return Some(i + 1),
            b'$' if src.get(i + 1) == Some(&b'{') => i = scan_code(src, i + 2, Some(b'}'))?,
            _ => i += 1,
        }
    }
    None
}

fn skip_regex(src: &[u8], start: usize) -> Option<usize> {
    let (mut i, mut class) = (start + 1, false);
    while i < src.len() {
        match src[i] {
            b'\\' => i += 1,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                i += 1;
                while i < src.len() && src[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return Some(i);
            }
            b'\n' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_literals_are_known_from_other_code() {
        for function in [
            "(v) => v",
            "v=>'$' + v",
            "async (a, b) => { return a; }",
            "(v, { w = 1 }) => v + w",
            "function (v) { return '}' + v; }",
            "function named(a) { if (a) { return /}/.test(a); } }",
            "function* gen() {}",
        ] {
            assert!(is_function_literal(function), "{function}");
        }
        for other in [
            "function () { return 1; }()",
            "function () {} || 1",
            "(() => 1)()",
            "(v)",
            "Math.PI / 2",
            "new Date('2020-06-14')",
            "v",
            "function /* named */ f() {}",
            "function (a) { return a; ",
        ] {
            assert!(!is_function_literal(other), "{other}");
        }
    }
    use serde_json::json;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn expressions_end_where_javascript_ends_them() {
        fn end(src: &str) -> Option<&str> {
            expression_end(src.as_bytes(), 0).map(|i| &src[..i])
        }
        assert_eq!(end("a + b, c"), Some("a + b"));
        assert_eq!(end("f(1, 2)}"), Some("f(1, 2)"));
        assert_eq!(
            end("[1, 2].map(v => ({v}))]"),
            Some("[1, 2].map(v => ({v}))")
        );
        assert_eq!(end("'x,y' + `a${[b, c]}`, d"), Some("'x,y' + `a${[b, c]}`"));
        assert_eq!(end("/,]/g.test(s) / 2, x"), Some("/,]/g.test(s) / 2"));
        assert_eq!(
            end("v // a, comment\n + 1 /* , */}"),
            Some("v // a, comment\n + 1 /* , */")
        );
        assert_eq!(end("Math.PI"), Some("Math.PI"));
        assert_eq!(end("f(1]"), None);
        assert_eq!(end("'unterminated"), None);
    }

    #[test]
    fn code_in_value_places_is_cut_out() {
        let (value, holes, _) = parse_with_holes(
            "{type:'bar',data:{datasets:[{data:[1, Math.PI / 2, 3]}]},options:{cb:function (v) { return v + ','; }}}",
            &limits(),
        )
        .unwrap();
        assert_eq!(holes, ["Math.PI / 2", "function (v) { return v + ','; }"]);
        assert_eq!(
            value["data"]["datasets"][0]["data"],
            json!([1.0, hole_name(0), 3.0])
        );
        assert_eq!(value["options"]["cb"], json!(hole_name(1)));
        // Code that is not a value, or a whole config of code, is evaluated whole.
        for whole in [
            "{a: 1, f() { return 1; }}",
            "{...x}",
            "(() => ({a: 1}))()",
            "{a: '\\u0000hole:0', b: x}",
        ] {
            assert!(
                matches!(parse_with_holes(whole, &limits()), Err(ChartError::Code(_))),
                "{whole}"
            );
        }
        // Data is data: no holes when there is no code.
        let (data, holes, _) = parse_with_holes("{a: [1, 'b']}", &limits()).unwrap();
        assert!(
            holes.is_empty() && data == json!({"a": [1.0, "b"]}),
            "{data}"
        );
    }

    fn ok(s: &str) -> Value {
        parse(s, &limits()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn bad(s: &str) -> String {
        match parse(s, &limits()) {
            Err(ChartError::BadRequest(m) | ChartError::Code(m)) => m,
            other => panic!("{s}: expected BadRequest, got {other:?}"),
        }
    }

    fn over(s: &str, limits: &Limits) -> String {
        match parse(s, limits) {
            Err(ChartError::LimitExceeded(m)) => m,
            other => panic!("{s}: expected LimitExceeded, got {other:?}"),
        }
    }

    fn num(v: f64) -> Value {
        Value::Number(Number::from_f64(v).unwrap())
    }

    #[test]
    fn strict_json_reads_with_numbers_as_f64() {
        let v = ok(r#"{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\u00e9\n"}}"#);
        assert_eq!(v["a"], json!([1.0, 2.5, -300.0, true, false, null]));
        assert_eq!(v["b"]["c"], "d\u{e9}\n");
        assert_eq!(ok("1"), ok("1.0"));
        assert_eq!(ok("1"), ok("1e0"));
        assert_eq!(ok("-0"), num(0.0));
        assert_eq!(ok("-0").to_string(), "0.0");
    }

    #[test]
    fn object_literal_forms() {
        let v = ok(
            "{ type: 'bar', $x: 1, _y: 2, 'q': \"s\", 3: 4, // c\n /* block\n */ arr: [1, 2,], }",
        );
        assert_eq!(v["type"], "bar");
        assert_eq!(v["$x"], num(1.0));
        assert_eq!(v["_y"], num(2.0));
        assert_eq!(v["q"], "s");
        assert_eq!(v["3"], num(4.0));
        assert_eq!(v["arr"], json!([1.0, 2.0]));
        assert_eq!(ok("{a: undefined}")["a"], Value::Null);
        assert_eq!(ok("[1,,2]"), json!([1.0, null, 2.0]));
        assert_eq!(ok("[1,,]"), json!([1.0, null]));
        assert_eq!(ok("\u{feff} {a:1}\u{a0}"), json!({"a": 1.0}));
    }

    #[test]
    fn js_number_forms() {
        for (text, want) in [
            (".5", 0.5),
            ("+1", 1.0),
            ("1.", 1.0),
            ("0x1F", 31.0),
            ("0XfF", 255.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("1e3", 1000.0),
            ("1.E3", 1000.0),
            ("-.5e-1", -0.05),
            ("-0x10", -16.0),
        ] {
            assert_eq!(ok(text), num(want), "{text}");
        }
        for text in ["01", "1e", "0x", "1.2.3", "1a", "-", "+.", "1__0", "1_"] {
            bad(text);
        }
    }

    #[test]
    fn js_string_escapes() {
        let v = ok(
            r#"['a\nb\t\'\"\\\/', "\x41\u0042\u{1F600}\uD83D\uDE00", 'line\
next', '\0', '\q']"#,
        );
        assert_eq!(
            v,
            json!([
                "a\nb\t'\"\\/",
                "AB\u{1F600}\u{1F600}",
                "linenext",
                "\0",
                "q"
            ])
        );
        assert_eq!(ok(r#"'\uD800'"#), json!("\u{fffd}"));
        assert!(bad(r#"'\x4'"#).contains("escape"));
        assert!(bad(r#"'\u12'"#).contains("escape"));
        assert!(bad("'\\01'").contains("octal"));
        assert!(bad("'abc").contains("unterminated string"));
        assert!(bad("'a\nb'").contains("unterminated string"));
    }

    #[test]
    fn duplicate_keys_last_wins() {
        assert_eq!(ok("{a: 1, a: 2}")["a"], num(2.0));
    }

    #[test]
    fn code_is_refused_with_its_position() {
        let m = bad("{\n  type: 'bar',\n  onClick: function() {}\n}");
        assert!(m.contains("functions and code are not supported"), "{m}");
        assert!(m.contains("`function` at line 3, column 12"), "{m}");
        let m = bad("{f: x => x}");
        assert!(m.contains("`=>` at line 1, column 7"), "{m}");
        let m = bad("{f: () => 1}");
        assert!(m.contains("not supported") && m.contains("column 5"), "{m}");
        let m = bad("{labels: [new Date()]}");
        assert!(m.contains("`new` at line 1, column 11"), "{m}");
        assert!(bad("{type: `bar`}").contains("template literal"));
        assert!(bad("{type: bar}").contains("`bar`"));
        assert!(bad("{a: Math.PI}").contains("`Math`"));
        assert!(bad("{onClick() {}}").contains("method"));
        assert!(bad("{[k]: 1}").contains("computed key"));
        assert!(bad("{a: /ab+c/i}").contains("regular expression"));
        assert!(bad("{get a() { return 1 }}").contains("`get` method"));
        assert!(bad("{...base, a: 1}").contains("spread"));
        assert!(bad("{data: [...xs]}").contains("spread"));
        let m = bad("{a: 1 + 2}");
        assert!(m.contains("not supported") && m.contains("`+`"), "{m}");
        assert!(bad("{a: [1, 2].map(f)}").contains("expression"));
        assert!(bad("{a: 1} + 1").contains("expression"));
        // Plain keys that happen to be named get/set still read as data.
        assert_eq!(ok("{get: 1, set: 2}")["set"], num(2.0));
    }

    #[test]
    fn numeric_separators_read_as_in_javascript() {
        assert_eq!(ok("{a: 1_000}")["a"], num(1000.0));
        assert_eq!(ok("{a: 1_000.000_5e1_0}")["a"], num(1000.0005e10));
        assert_eq!(ok("{a: 0xFF_FF}")["a"], num(65535.0));
        assert_eq!(ok("{1_0: 'x'}")["10"], Value::String("x".into()));
        for bad_separator in ["{a: 1__0}", "{a: 1_}", "{a: _1}", "{a: 1._5}"] {
            assert!(!bad(bad_separator).is_empty(), "{bad_separator}");
        }
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        for text in [
            "NaN",
            "Infinity",
            "-Infinity",
            "+Infinity",
            "[1e999]",
            "{a: -1e400}",
        ] {
            assert!(bad(text).contains("numbers must be finite"), "{text}");
        }
        assert!(bad("[1e999]").contains("`1e999` at line 1, column 2"));
        let hex = format!("0x{}", "f".repeat(300));
        assert!(bad(&hex).contains("finite"));
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let m = bad("{\n  a: 1\n  b: 2\n}");
        assert!(
            m.contains("expected `,` or `}` but found `b` at line 3, column 3"),
            "{m}"
        );
        assert!(bad("").contains("empty"));
        assert!(bad("   // nothing\n").contains("empty"));
        assert!(bad("{a:1}}").contains("after the end"));
        assert!(bad("{a:1} x").contains("after the end"));
        assert!(bad("{a:1").contains("end of the config"));
        assert!(bad("[1 2]").contains("`2`"));
        assert!(bad("{a 1}").contains("`:`"));
        assert!(bad("/* open").contains("unterminated"));
        assert!(bad("{é: 1, 'x': ü}").contains("line 1, column 13"));
    }

    #[test]
    fn depth_is_bounded_without_overflowing_the_stack() {
        let l = limits();
        let deep = "[".repeat(100_000);
        assert!(over(&deep, &l).contains("32 levels"));
        let deep_obj = "{a:".repeat(100_000);
        over(&deep_obj, &l);
        let at_limit = format!("{}{}", "[".repeat(32), "]".repeat(32));
        ok(&at_limit);
        let past = format!("{}{}", "[".repeat(33), "]".repeat(33));
        over(&past, &l);
        // The deepest limit config validation allows still fits a test thread's stack.
        let widest = Limits {
            max_depth: 512,
            ..Limits::default()
        };
        let deepest = format!("{}1{}", "[{a:".repeat(256), "}]".repeat(256));
        parse(&deepest, &widest).unwrap();
        over(&"[".repeat(100_000), &widest);
        let body = format!("{{chart: {at_limit}}}");
        parse_body(&body, &l).unwrap();
        let body = format!("{{chart: {past}}}");
        assert!(matches!(
            parse_body(&body, &l),
            Err(ChartError::LimitExceeded(m)) if m.contains("32 levels")
        ));
    }

    #[test]
    fn long_strings_are_bounded_in_characters() {
        let l = Limits {
            max_string_chars: 5,
            ..Limits::default()
        };
        assert_eq!(parse("'ééééé'", &l).unwrap(), json!("ééééé"));
        assert_eq!(parse(r"'\n\n\n\n\n'", &l).unwrap(), json!("\n\n\n\n\n"));
        assert!(over("'abcdef'", &l).contains("longer than 5 characters"));
        over(r"'abcd\n\n'", &l);
        over("{abcdef_key_as_string: 1, 'abcdefgh': 2}", &l);
        parse_body(&format!("{{chart: '{}'}}", "x".repeat(100)), &l).unwrap();
    }

    /// What an item reads to in an array (`plain_number`'s path for a
    /// number) and as an object member (the member reader's), values and
    /// errors, plain and cutting code into holes.
    #[test]
    fn array_numbers_read_as_members_do() {
        let limits = Limits::default();
        let kind = |e: &ChartError| std::mem::discriminant(e);
        for item in [
            "12.5",
            "-3",
            "0x1F",
            "1e3",
            "-0",
            "1 + 2",
            "-Math.PI",
            "2 * x",
            "1abc",
            "01",
            "-",
            "1.5.2",
            "-Infinity",
            "1_000",
            "3 // note\n",
        ] {
            let (array, object) = (format!("[{item}]"), format!("{{\"k\": {item}}}"));
            match (parse(&array, &limits), parse(&object, &limits)) {
                (Ok(a), Ok(o)) => assert_eq!(a[0], o["k"], "{item}"),
                (Err(a), Err(o)) => assert_eq!(kind(&a), kind(&o), "{item}: {a:?} {o:?}"),
                (a, o) => panic!("{item}: {a:?} against {o:?}"),
            }
            match (
                parse_with_holes(&array, &limits),
                parse_with_holes(&object, &limits),
            ) {
                (Ok((a, ah, _)), Ok((o, oh, _))) => {
                    assert_eq!((&a[0], &ah), (&o["k"], &oh), "{item}")
                }
                (Err(a), Err(o)) => assert_eq!(kind(&a), kind(&o), "{item}: {a:?} {o:?}"),
                (a, o) => panic!("{item}: {a:?} against {o:?}"),
            }
        }
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        for (n, s) in [
            (1.0, "1"),
            (0.5, "0.5"),
            (-2.25, "-2.25"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456.789, "123456.789"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (2e300, "2e+300"),
            (0.0, "0"),
            (999.0, "999"),
            (-1999.0, "-1999"),
            (9007199254740991.0, "9007199254740991"),
            (9007199254740992.0, "9007199254740992"),
            (1.2345678901234568e20, "123456789012345680000"),
        ] {
            assert_eq!(js_number(n), s);
        }
    }

    #[test]
    fn number_text_reads_plain_decimals_only() {
        assert_eq!(number_text(" 3 "), Some(3.0));
        assert_eq!(number_text("-0"), Some(0.0));
        assert_eq!(number_text("1e3"), Some(1000.0));
        for s in ["", "inf", "NaN", "infinity", "1e999", "3px", "0x10"] {
            assert_eq!(number_text(s), None, "{s}");
        }
    }

    #[test]
    fn a_megabyte_config_parses() {
        let data: Vec<String> = (0..200_000).map(|i| format!("{}.5", i % 1000)).collect();
        let text = format!(
            "{{type:'line',data:{{datasets:[{{data:[{}]}}]}}}}",
            data.join(",")
        );
        assert!(text.len() > 1_000_000);
        let v = ok(&text);
        assert_eq!(
            v["data"]["datasets"][0]["data"].as_array().unwrap().len(),
            200_000
        );
    }

    /// `parse_packed`, its points put back: what `parse` reads, errors too.
    fn packed_then_unpacked(text: &str, limits: &Limits) -> (Res<Value>, bool) {
        match parse_packed(text, limits) {
            Ok((mut value, packed)) => {
                let any = !packed.is_empty();
                packed.unpack_into(&mut value);
                (Ok(value), any)
            }
            Err(e) => (Err(e), false),
        }
    }

    #[test]
    fn packed_points_unpack_to_what_the_value_reader_reads() {
        let packs = [
            "{data: {datasets: [{data: [{x: 1, y: 2}, {y: 4, x: 3}]}]}}",
            "{\"data\": {\"datasets\": [{\"data\": [{\"x\": 1.5e3, \"y\": -0}]}]}}",
            "{data: {datasets: [{data: [ { 'x' : .5 , \"y\" : +2, } , ] // c\n }, 7, {data: [{x: 0x1F, y: 1_000}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2, x: 5}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2}]}], datasets: [{label: 'a'}, {data: [{x: 1, y: 9}]}]}}",
        ];
        let value_only = [
            "{data: {datasets: [{data: [{x: 1, y: 2}, {x: 'a', y: 2}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2}, null]}]}}",
            "{data: {datasets: [{data: [,{x: 1, y: 2}]}]}}",
            "{data: {datasets: [{data: [{x: 1}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2, r: 3}]}]}}",
            "{data: {datasets: [{data: [{xx: 1, y: 2}]}]}}",
            "{data: {datasets: [{data: [{\"\\u0078\": 1, y: 2}]}]}}",
            "{data: {datasets: [{data: []}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2}], data: [3]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2}]}]}, data: {datasets: []}}",
            "{options: {data: {datasets: [{data: [{x: 1, y: 2}]}]}}}",
            "{data: {datasets: {a: {data: [{x: 1, y: 2}]}}}}",
            "{data: {datasets: [[{data: [{x: 1, y: 2}]}]]}}",
            // Read as the value reader reads it, for its error.
            "{data: {datasets: [{data: [{x: 1, y: 2 + 1}]}]}}",
            "{data: {datasets: [{data: [{x: NaN, y: 2}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 1e999}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2}",
            "{data: {datasets: [{data: [{x: 01, y: 2}]}]}}",
            "{data: {datasets: [{data: [{x: 1, y: 2} /* open",
        ];
        let limits = Limits::default();
        for (texts, want_packed) in [(&packs[..], true), (&value_only[..], false)] {
            for text in texts {
                let (read, any) = packed_then_unpacked(text, &limits);
                assert_eq!(read, parse(text, &limits), "{text}");
                assert_eq!(any, want_packed, "{text}");
            }
        }
        // At the depth limit the value reader says so.
        let shallow = Limits {
            max_depth: 5,
            ..Limits::default()
        };
        let text = packs[0];
        assert!(matches!(
            packed_then_unpacked(text, &shallow).0,
            Err(ChartError::LimitExceeded(_))
        ));
        assert_eq!(
            packed_then_unpacked(text, &shallow).0,
            parse(text, &shallow)
        );
    }

    #[test]
    fn a_post_body_packs_its_chart_object_only() {
        let limits = Limits::default();
        let points = "{datasets: [{data: [{x: 1, y: 2}]}]}";
        for (body, packs) in [
            (format!("{{chart: {{data: {points}}}}}"), true),
            (format!("{{c: {{data: {points}}}}}"), false),
            (format!("{{data: {points}}}"), false),
            (format!("{{chart: {{data: {points}}}, chart: {{}}}}"), false),
        ] {
            let (value, packed) = parse_body(&body, &limits).unwrap();
            assert_eq!(!packed.is_empty(), packs, "{body}");
            let mut whole = value;
            if let Some(chart) = whole.get_mut("chart") {
                packed.unpack_into(chart);
            }
            let mut unpacked = Parser::new(&body, limits.max_depth + 1, limits.max_string_chars);
            assert_eq!(whole, unpacked.document().unwrap(), "{body}");
        }
    }
}
