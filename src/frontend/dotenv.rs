//! `.env` files: `NAME=value` lines, read as environment values for linking
//! (code that reads `ELASTIC_URL` connects where the `.env` file says).

use crate::facts::{EnvValue, FactData, FileFacts};
use crate::span::Span;

use super::Ctx;

pub fn analyze(text: &str, _ctx: &Ctx) -> FileFacts {
    let mut out = FileFacts::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let value = value.trim();
        let value = if let Some(v) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            v
        } else if let Some(v) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            v
        } else {
            value.split(" #").next().unwrap_or(value).trim()
        };
        let n = i as u32 + 1;
        out.push(
            Span::new(n, 1, n, raw.chars().count() as u32 + 1),
            FactData::EnvValue(EnvValue {
                scope: None,
                name: name.to_string(),
                value: value.to_string(),
            }),
        );
    }
    out
}
