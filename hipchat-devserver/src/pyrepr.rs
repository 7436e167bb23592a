//! Python 2 `repr` of JSON values, as HipChat's server (Python 2) wrote them into error
//! messages: `Value u'true' for field 'notify' is not of type 'boolean'`.

use std::fmt::Write;

use serde_json::Value;

/// `repr(value)` as Python 2 prints the decoded JSON value.
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// `repr(text)` for a plain `str` (no `u` prefix), as field names and type names appear.
pub fn repr_str(text: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, text);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
        Value::String(text) => {
            out.push('u');
            write_str(out, text);
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push('u');
                write_str(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// Python picks `'` unless the text holds a `'` and no `"`.
fn write_str(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (' '..='~').contains(&c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prints_like_python_2() {
        assert_eq!(repr(&json!("true")), "u'true'");
        assert_eq!(repr(&json!("it's")), "u\"it's\"");
        assert_eq!(repr(&json!("é☃\n")), "u'\\xe9\\u2603\\n'");
        assert_eq!(
            repr(&json!({"a": [1, 2.5, null, true]})),
            "{u'a': [1, 2.5, None, True]}"
        );
        assert_eq!(repr_str("boolean"), "'boolean'");
    }
}
