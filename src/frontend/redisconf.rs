//! `redis.conf`: plain `directive arg…` lines. One file is one Redis (or
//! Valkey) server: which interfaces it binds and whether clients must
//! authenticate (`requirepass`, ACL users, an ACL file).

use super::Ctx;
use super::yaml::dsconfig::{classify_addr, describe_addr};
use crate::facts::{AuthGap, Datastore, Exposure, FactData, FileFacts, Source};
use crate::span::{LineIndex, Span};

/// Directives read per file; a larger file is still scanned, only lines
/// beyond this are ignored.
const MAX_LINES: usize = 200_000;

/// Passwords the stock redis.conf shows as its example.
const REDIS_EXAMPLE_PASSWORDS: &[&str] = &["foobared"];

struct Directive {
    span: Span,
    name: String,
    args: Vec<String>,
}

/// Splits a config line into words, honouring `"…"` and `'…'` quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut word = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            let mut escaped = false;
            for c in chars.by_ref() {
                if escaped {
                    word.push(c);
                    escaped = false;
                } else if c == '\\' && first == '"' {
                    escaped = true;
                } else if c == first {
                    break;
                } else {
                    word.push(c);
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        out.push(word);
    }
    out
}

fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate().take(MAX_LINES) {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let w = words(trimmed);
        let Some((name, args)) = w.split_first() else {
            continue;
        };
        let n = i as u32 + 1;
        let col = (raw.chars().count() - trimmed.chars().count()) as u32 + 1;
        let end = raw.trim_end().chars().count() as u32 + 1;
        out.push(Directive {
            span: Span::new(n, col, n, end),
            name: name.to_ascii_lowercase(),
            args: args.to_vec(),
        });
    }
    out
}

/// Whether a `user default …` rule list leaves the default user enabled
/// without a password (it starts as `on nopass`).
fn default_user_open(rules: &[String]) -> bool {
    let (mut on, mut nopass) = (true, true);
    for r in rules {
        match r.to_ascii_lowercase().as_str() {
            "on" => on = true,
            "off" => on = false,
            "nopass" => nopass = true,
            "resetpass" => nopass = false,
            "reset" => {
                on = false;
                nopass = false;
            }
            s if s.starts_with('>') || s.starts_with('#') => nopass = false,
            _ => {}
        }
    }
    on && nopass
}

pub fn analyze(text: &str, ctx: &Ctx) -> FileFacts {
    let mut out = FileFacts::default();
    let ds = directives(text);
    if ds.is_empty() {
        return out;
    }
    // Sentinel configs describe a monitor, not a datastore.
    if ds.iter().any(|d| d.name == "sentinel") {
        return out;
    }
    let path = ctx.path;
    let engine = if path.to_ascii_lowercase().contains("valkey") {
        "valkey"
    } else {
        "redis"
    };
    let key = format!("config:{path}");
    let index = LineIndex::new(text);
    let (mut end_line, mut end_col) = index.end_position();
    if end_col == 1 && end_line > 1 {
        end_line -= 1;
        end_col = index.line_text(end_line).chars().count() as u32 + 1;
    }
    let whole = Span::new(1, 1, end_line, end_col);
    out.push(
        whole,
        FactData::Datastore(Datastore {
            key: key.clone(),
            engine: engine.into(),
            name: path.to_string(),
            source: Source::ConfigFile,
            hostnames: Vec::new(),
        }),
    );
    let last = |name: &str| ds.iter().rev().find(|d| d.name == name);
    let exposure = |detail: String| {
        FactData::Exposure(Exposure {
            datastore: Some(key.clone()),
            engine: engine.into(),
            store_name: path.to_string(),
            source: Source::ConfigFile,
            how: "bind-all-interfaces".into(),
            detail,
        })
    };
    let gap = |how: &str, detail: String| {
        FactData::AuthGap(AuthGap {
            datastore: Some(key.clone()),
            engine: engine.into(),
            store_name: path.to_string(),
            source: Source::ConfigFile,
            how: how.into(),
            detail,
        })
    };

    let port_zero = last("port").is_some_and(|d| d.args.first().is_some_and(|p| p == "0"))
        && last("tls-port").is_none();

    // The last `bind` wins; `-addr` marks an address that may be missing.
    let bind = last("bind");
    if let Some(b) = bind
        && !port_zero
    {
        let hit = b.args.iter().find_map(|a| {
            let addr = a.strip_prefix('-').unwrap_or(a);
            let c = classify_addr(addr);
            c.is_public().then(|| (addr.to_string(), c))
        });
        if let Some((addr, class)) = hit {
            out.push(
                b.span,
                exposure(format!("`bind` includes {}", describe_addr(&addr, class))),
            );
        }
    }

    let mut has_credentials = false;
    if let Some(rp) = last("requirepass") {
        let pw = rp.args.first().map(String::as_str).unwrap_or("");
        if pw.is_empty() {
            out.push(
                rp.span,
                gap(
                    "empty-password",
                    "`requirepass` is set to an empty password".into(),
                ),
            );
            return out;
        }
        if ctx.vocab.catalogue.is_weak_password(pw)
            || REDIS_EXAMPLE_PASSWORDS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(pw))
        {
            out.push(
                rp.span,
                gap(
                    "default-password",
                    format!("`requirepass` uses the well-known password `{pw}`"),
                ),
            );
            return out;
        }
        has_credentials = true;
    }
    if last("aclfile").is_some() || last("include").is_some() {
        // Users live in another file, or credentials may be included.
        has_credentials = true;
    }
    let users: Vec<&Directive> = ds.iter().filter(|d| d.name == "user").collect();
    if let Some(default_user) = users
        .iter()
        .rev()
        .find(|d| d.args.first().is_some_and(|n| n == "default"))
    {
        if default_user_open(&default_user.args[1..]) && !has_credentials {
            out.push(
                default_user.span,
                gap(
                    "no-credentials",
                    "the `default` user is enabled with `nopass`, so clients need no credentials"
                        .into(),
                ),
            );
            return out;
        }
        has_credentials = true;
    } else if !users.is_empty() {
        has_credentials = true;
    }
    if has_credentials || port_zero {
        return out;
    }
    let protected_off = last("protected-mode")
        .filter(|d| d.args.first().is_some_and(|v| v.eq_ignore_ascii_case("no")));
    if let Some(pm) = protected_off {
        out.push(
            pm.span,
            gap(
                "security-disabled",
                "`protected-mode no` with no `requirepass` or ACL users accepts any client".into(),
            ),
        );
    } else if bind.is_some() || last("port").is_some() {
        out.push(
            whole,
            gap(
                "no-credentials",
                "no `requirepass`, ACL `user` or `aclfile`, so clients need no credentials".into(),
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::yaml::dsconfig::AddrClass;

    #[test]
    fn quoted_words() {
        assert_eq!(
            words(r#"requirepass "a b\"c" 'x'"#),
            vec!["requirepass", "a b\"c", "x"]
        );
        assert_eq!(words("bind * -::*"), vec!["bind", "*", "-::*"]);
    }

    #[test]
    fn default_user_rules() {
        let r = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(default_user_open(&r("on nopass ~* +@all")));
        assert!(!default_user_open(&r("off")));
        assert!(!default_user_open(&r("on >secret ~* +@all")));
        assert!(default_user_open(&r("on >secret nopass")));
    }

    #[test]
    fn loopback_is_not_public() {
        assert!(!classify_addr("127.0.0.1").is_public());
        assert_eq!(classify_addr("::1"), AddrClass::Loopback);
    }
}
