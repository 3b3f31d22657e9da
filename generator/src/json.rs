//! Lenient JSON reading for annotations and example bodies.
//!
//! Docs JSON is written by hand: trailing commas, `//` comments, raw control characters in strings and
//! unquoted keys all occur. Strict parsing is tried first; on failure the lenient reader runs and the
//! caller is told which repair was needed, so it can warn.

use serde_json::Value;

pub struct Read {
    pub value: Value,
    /// `None` when the text was strict JSON; otherwise what had to be tolerated.
    pub repaired: Option<&'static str>,
}

pub fn read(text: &str) -> Result<Read, String> {
    let strict_error = match serde_json::from_str::<Value>(text) {
        Ok(value) => return Ok(Read { value, repaired: None }),
        Err(error) => error,
    };
    if let Ok(value) = serde_json_lenient::from_str_lenient::<Value>(text) {
        return Ok(Read { value, repaired: Some(describe(&strict_error)) });
    }
    let quoted = quote_bare_keys(text);
    if let Ok(value) = serde_json_lenient::from_str_lenient::<Value>(&quoted) {
        return Ok(Read { value, repaired: Some("unquoted object key") });
    }
    Err(strict_error.to_string())
}

fn describe(error: &serde_json::Error) -> &'static str {
    let message = error.to_string();
    if message.contains("trailing comma") {
        "trailing comma"
    } else if message.contains("control character") {
        "control character in a string"
    } else if message.contains("expected value") {
        "comment or trailing comma"
    } else {
        "non-standard JSON"
    }
}

/// Puts quotes around object keys written as bare identifiers (`{ isCollection: true }`).
fn quote_bare_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting_key = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                expecting_key = false;
                out.push(c);
            }
            '{' | ',' => {
                expecting_key = true;
                out.push(c);
            }
            c if expecting_key && (c.is_ascii_alphabetic() || c == '_' || c == '@') => {
                let rest = &text[i..];
                let len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' || ch == '@'))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                if rest[len..].trim_start().starts_with(':') {
                    out.push('"');
                    out.push_str(word);
                    out.push('"');
                } else {
                    out.push_str(word);
                }
                for _ in 1..word.chars().count() {
                    chars.next();
                }
                expecting_key = false;
            }
            c if c.is_whitespace() => out.push(c),
            _ => {
                expecting_key = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_needs_no_repair() {
        assert!(read(r#"{"a": 1}"#).unwrap().repaired.is_none());
    }

    #[test]
    fn trailing_commas_comments_and_bare_keys_are_tolerated() {
        let r = read("{\"blockType\": \"response\", }").unwrap();
        assert_eq!(r.value["blockType"], "response");
        assert!(r.repaired.is_some());
        assert_eq!(read("{ // note\n \"a\": 1 }").unwrap().value["a"], 1);
        let r = read("{ \"blockType\": \"response\", isCollection: true }").unwrap();
        assert_eq!(r.value["isCollection"], true);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read("{ \"a\": ").is_err());
        assert!(read(&"[".repeat(10_000)).is_err());
    }
}
