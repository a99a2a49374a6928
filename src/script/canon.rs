//! Functions as keys see them: a function's source with its comments gone
//! and its whitespace reduced to what the language needs, so two configs
//! whose functions differ only in layout share one key, and two whose
//! functions differ in any token do not.
//!
//! Hand-written because no crate does this small job without pulling in a
//! whole JavaScript parser: a scanner that knows strings, template
//! literals, regular expressions and comments is enough, since it never
//! changes a token, only the space between tokens.

use super::FUNCTION_KEY;
use serde_json::Value;

/// Replaces the source of every function in an evaluated config with its
/// canonical form.
pub(crate) fn canonical_functions(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(canonical_functions),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(src)) = map.get_mut(FUNCTION_KEY) {
                    *src = canonical_source(src);
                    return;
                }
            }
            map.values_mut().for_each(canonical_functions);
        }
        _ => {}
    }
}

/// `src` without comments, each run of whitespace dropped or kept as one
/// space (between two words, or two signs that would otherwise fuse) or one
/// newline (where automatic semicolon insertion may read it).
pub fn canonical_source(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut gap = Gap::None;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            gap = gap.with(c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}');
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let start = i;
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            let newline = chars[start..i.min(chars.len())].contains(&'\n');
            i = (i + 2).min(chars.len());
            gap = gap.with(newline).with(false);
            continue;
        }
        if let Some(prev) = out.chars().last() {
            out.push_str(gap.between(prev, c));
        }
        gap = Gap::None;
        let end = match c {
            '\'' | '"' => quoted(&chars, i, c),
            '`' => template(&chars, i),
            '/' if regex_may_start(&out) => regex(&chars, i),
            _ => i + 1,
        };
        out.extend(&chars[i..end]);
        i = end;
    }
    out
}

/// The whitespace seen since the last token.
#[derive(Clone, Copy, PartialEq)]
enum Gap {
    None,
    Space,
    Newline,
}

impl Gap {
    fn with(self, newline: bool) -> Gap {
        if newline || self == Gap::Newline {
            Gap::Newline
        } else {
            Gap::Space
        }
    }

    /// What must stay between `prev` and `next` for the meaning to hold.
    fn between(self, prev: char, next: char) -> &'static str {
        if self == Gap::None {
            return "";
        }
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c as u32 > 127;
        let ends_statement =
            word(prev) || matches!(prev, ')' | ']' | '}' | '\'' | '"' | '`' | '+' | '-');
        let starts_statement = word(next)
            || matches!(
                next,
                '(' | '[' | '\'' | '"' | '`' | '+' | '-' | '/' | '{' | '!' | '~'
            );
        if self == Gap::Newline && ends_statement && starts_statement {
            "\n"
        } else if (word(prev) && word(next)) || (prev == next && matches!(prev, '+' | '-')) {
            " "
        } else {
            ""
        }
    }
}

/// The end (one past the closing quote) of a string starting at `start`.
fn quoted(chars: &[char], start: usize, quote: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// The end of a template literal, `${…}` parts (and templates in them) included.
fn template(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => return i + 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        '`' => i = template(chars, i) - 1,
                        '\'' | '"' => i = quoted(chars, i, chars[i]) - 1,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// Whether a `/` after `before` starts a regular expression (else it divides).
fn regex_may_start(before: &str) -> bool {
    let trimmed = before.trim_end();
    let Some(last) = trimmed.chars().last() else {
        return true;
    };
    if last.is_alphanumeric() || last == '_' || last == '$' {
        let word: String = trimmed
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return regex_follows(word.as_bytes());
    }
    !matches!(last, ')' | ']' | '}' | '\'' | '"' | '`')
}

/// Whether `word` is a keyword after which a `/` starts a regular
/// expression (`return /x/.test(v)`), where after a name it divides.
pub(crate) fn regex_follows(word: &[u8]) -> bool {
    matches!(
        word,
        b"return"
            | b"typeof"
            | b"case"
            | b"do"
            | b"else"
            | b"in"
            | b"of"
            | b"new"
            | b"delete"
            | b"void"
            | b"throw"
            | b"instanceof"
            | b"yield"
            | b"await"
    )
}

/// The end of a regular expression literal with its flags.
fn regex(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    let mut class = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => class = true,
            ']' => class = false,
            '/' if !class => {
                i += 1;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                return i;
            }
            '\n' => return i,
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_comments_go_tokens_stay() {
        let c = canonical_source;
        assert_eq!(
            c("function (value) {\n  // dollars\n  return '$' + value;\n}"),
            "function(value){return'$'+value;}"
        );
        assert_eq!(c("(v) => v + '%'"), "(v)=>v+'%'");
        assert_eq!(c("(v)=>v+'%'"), c("( v ) =>  v +  '%' /* pct */"));
        assert_eq!(c("a + +b"), "a+ +b");
        assert_eq!(c("a - -b"), "a- -b");
        assert_eq!(c("x => 'a  b' + `c  ${ d  }`"), "x=>'a  b'+`c  ${ d  }`");
        assert_eq!(c("v => v.replace(/ +/g, ' ')"), "v=>v.replace(/ +/g,' ')");
        assert_eq!(c("(a, b) => a / 2 / b"), "(a,b)=>a/2/b");
        // A newline where a semicolon may be inserted stays a newline.
        assert_eq!(c("function(){ return\n 1 }"), "function(){return\n1}");
        assert_ne!(c("function(){ return\n 1 }"), c("function(){ return 1 }"));
        assert_ne!(c("v => v + 1"), c("v => v + 2"));
    }

    #[test]
    fn only_function_markers_change() {
        let mut v = serde_json::json!({
            "a": {FUNCTION_KEY: "v  =>  v"},
            "b": ["x  y", {FUNCTION_KEY: "function () { return 1 }"}],
            "c": {FUNCTION_KEY: "not alone", "d": 1},
        });
        canonical_functions(&mut v);
        assert_eq!(v["a"][FUNCTION_KEY], "v=>v");
        assert_eq!(v["b"][0], "x  y");
        assert_eq!(v["b"][1][FUNCTION_KEY], "function(){return 1}");
        assert_eq!(v["c"][FUNCTION_KEY], "not alone");
    }
}
