//! The Cargo manifest front end: a `Cargo.toml`'s dependency names, which
//! crate resolution needs (a crate that depends on `tracing` or `log` logs
//! through bare `info!` macros), and which folder a crate's files hang from.
//! A line reader for the tables cargo reads dependencies from, not a TOML
//! parser: it never fails, and what it does not understand it skips.

use super::super::Ctx;
use super::unit::CargoManifest;
use crate::facts::FileFacts;

const MAX_DEPENDENCIES: usize = 4096;

pub fn analyze(text: &str, _ctx: &Ctx) -> FileFacts {
    FileFacts {
        cargo: Some(CargoManifest {
            dependencies: dependencies(text),
        }),
        ..Default::default()
    }
}

/// Whether a table header names a dependency table (`dependencies`,
/// `dev-dependencies`, `target.'cfg(unix)'.build-dependencies`,
/// `workspace.dependencies`…), and the dependency a `[dependencies.NAME]`
/// header declares.
fn dependency_table(header: &[String]) -> (bool, Option<&str>) {
    let is_deps = |s: &str| {
        matches!(
            s,
            "dependencies"
                | "dev-dependencies"
                | "dev_dependencies"
                | "build-dependencies"
                | "build_dependencies"
        )
    };
    let rest: &[String] = match header.first().map(String::as_str) {
        Some("workspace") => &header[1..],
        Some("target") if header.len() >= 2 => &header[2..],
        _ => header,
    };
    match rest {
        [t] if is_deps(t) => (true, None),
        [t, name] if is_deps(t) => (false, Some(name.as_str())),
        _ => (false, None),
    }
}

/// The dotted segments of a key or header, quotes removed
/// (`target.'cfg(unix)'.dependencies`).
fn segments(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in key.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => out.push(std::mem::take(&mut cur)),
            (None, c) if c.is_whitespace() => {}
            (None, c) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The text of a line before a comment (a `#` outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The value of `package = "x"` in an inline table or a dependency table.
fn package_rename(value: &str) -> Option<String> {
    let at = value.find("package")?;
    let rest = value[at + "package".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    let end = body.find(q)?;
    Some(body[..end].to_string())
}

/// How many brackets a value leaves open (outside strings).
fn bracket_balance(value: &str) -> i64 {
    let mut quote: Option<char> = None;
    let mut n = 0i64;
    for c in value.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => n += 1,
            (None, ']' | '}') => n -= 1,
            _ => {}
        }
    }
    n
}

pub(crate) fn dependencies(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_deps = false;
    let mut in_dep_table = false;
    let mut open = 0i64;
    let mut in_multiline = false;
    for raw in text.lines() {
        if out.len() >= MAX_DEPENDENCIES {
            break;
        }
        if raw.matches("\"\"\"").count() % 2 == 1 || raw.matches("'''").count() % 2 == 1 {
            in_multiline = !in_multiline;
            continue;
        }
        if in_multiline {
            continue;
        }
        let line = strip_comment(raw).trim();
        if open > 0 {
            open = (open + bracket_balance(line)).max(0);
            continue;
        }
        if line.starts_with('[') {
            let inner = line.trim_start_matches('[').trim_end_matches(']');
            let header = segments(inner);
            let (deps, named) = dependency_table(&header);
            in_deps = deps;
            in_dep_table = named.is_some();
            if let Some(n) = named.filter(|n| !n.is_empty()) {
                out.push(n.to_string());
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        open = bracket_balance(value).max(0);
        if in_deps {
            if let Some(name) = segments(key).into_iter().next().filter(|n| !n.is_empty()) {
                out.push(name);
            }
            if let Some(p) = package_rename(value) {
                out.push(p);
            }
        } else if in_dep_table && segments(key).first().is_some_and(|k| k == "package") {
            if let Some(p) = package_rename(line) {
                out.push(p);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::dependencies;

    #[test]
    fn dependency_names_of_every_table() {
        let toml = r#"
[package]
name = "app"
description = """
log = "not a dependency"
"""

[dependencies]
serde = { version = "1", features = ["derive"] } # log = no
"tokio" = "1"
tr = { package = "tracing", version = "0.1" }

[dependencies.sqlx]
version = "0.8"
features = [
  "log = 1",
]

[target.'cfg(unix)'.dev-dependencies]
nix.workspace = true

[workspace.dependencies]
axum = "0.7"

[features]
log = ["dep:serde"]
"#;
        assert_eq!(
            dependencies(toml),
            ["axum", "nix", "serde", "sqlx", "tokio", "tr", "tracing"]
        );
    }
}
