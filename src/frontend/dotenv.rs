//! Dotenv files (`.env`, `.env.local`, `mongo.env`): `NAME=value` lines, read
//! as environment values for linking (code that reads `ELASTIC_URL` connects
//! where the `.env` file says) and, after parsing, for docker-compose
//! interpolation and `env_file` (`frontend::yaml::compose::resolve`).
//!
//! The syntax is docker-compose's: `export` prefixes, single quotes (literal),
//! double quotes, ` #` comments after unquoted values, and `${VAR}` in
//! unquoted and double-quoted values, resolved from the lines above.

use std::collections::HashMap;

use crate::facts::{EnvValue, FactData, FileFacts};
use crate::frontend::yaml::container::interpolate_vars;
use crate::span::Span;

use super::Ctx;

/// A value as written: its text and whether interpolation applies.
fn parse_value(value: &str) -> (&str, bool) {
    let value = value.trim();
    for q in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(q) {
            // The closing quote (a backslash escapes one in double quotes);
            // without one, the rest of the line.
            let mut escaped = false;
            let mut end = None;
            for (i, c) in rest.char_indices() {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    end = Some(i);
                    break;
                }
            }
            let inner = match end {
                Some(e) => &rest[..e],
                None => rest,
            };
            return (inner, q == '"');
        }
    }
    let value = match value.find(" #").or_else(|| value.find("\t#")) {
        Some(i) => &value[..i],
        None => value,
    };
    (value.trim(), true)
}

/// Bytes of variable values one value may take in by interpolation.
pub const MAX_SUBSTITUTED: usize = 64 * 1024;

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

pub fn analyze(text: &str, _ctx: &Ctx) -> FileFacts {
    let mut out = FileFacts::default();
    let mut seen: HashMap<String, String> = HashMap::new();
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
        if !is_name(name) {
            continue;
        }
        let (value, interpolated) = parse_value(value);
        let value = if interpolated && value.contains('$') {
            // Values built from values grow; a budget keeps a hostile file
            // from doubling its way to gigabytes.
            let mut budget = MAX_SUBSTITUTED;
            let mut lookup = |n: &str| {
                let v = seen.get(n)?;
                budget = budget.checked_sub(v.len())?;
                Some(v.clone())
            };
            interpolate_vars(value, &mut lookup, None).0
        } else {
            value.to_string()
        };
        seen.insert(name.to_string(), value.clone());
        let n = i as u32 + 1;
        out.push(
            Span::new(n, 1, n, raw.chars().count() as u32 + 1),
            FactData::EnvValue(EnvValue {
                scope: None,
                name: name.to_string(),
                value,
            }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Vocabulary;

    fn values(text: &str) -> Vec<(String, String)> {
        let vocab = Vocabulary::builtin();
        let ctx = Ctx {
            vocab: &vocab,
            path: ".env",
        };
        analyze(text, &ctx)
            .facts
            .into_iter()
            .filter_map(|f| match f.data {
                FactData::EnvValue(e) => Some((e.name, e.value)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn quoting_comments_and_interpolation() {
        let v = values(
            "# comment\nexport A=1\nB=\"two words\" # note\nC='${A}'\nD=${A}-x # c\nxpack.security.enabled=false\nE=\"unterminated\nF=${UNSET}\nbad name=1\n",
        );
        let pairs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("A", "1"),
                ("B", "two words"),
                ("C", "${A}"),
                ("D", "1-x"),
                ("xpack.security.enabled", "false"),
                ("E", "unterminated"),
                ("F", "${UNSET}"),
            ]
        );
    }
}
