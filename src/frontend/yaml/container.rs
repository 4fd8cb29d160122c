//! One container as compose, Kubernetes and Helm describe it: its image, its
//! environment and its command line, and the generic evaluation of the
//! catalogue's auth model against them. Nothing here knows a particular
//! engine: which settings switch authentication off or on, which variables
//! hold passwords and which engines are off by default is catalogue data.

use crate::span::Span;
use crate::vocab::{AuthDefault, Catalogue, Engine, SettingMatch, image_tag, version_before};

use super::tree::{Node, NodeKind};

/// Where an environment variable's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvSource {
    /// A value written in the file (after `${VAR:-default}` resolution).
    Literal(String),
    /// A value the file does not show: a Secret or ConfigMap reference, a
    /// `${VAR}` interpolation without default, a variable passed through
    /// from the shell.
    External,
}

#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvSource,
    /// The value as written (for `EnvValue` facts); `None` for references.
    pub raw: Option<String>,
    /// The whole entry (`- KEY=value`, `KEY: value`, `- name: … value: …`).
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub text: String,
    /// The list item or scalar the word was read from.
    pub span: Span,
}

/// What a deployment says about one container.
#[derive(Debug, Clone, Default)]
pub struct Container {
    pub image: Option<String>,
    pub env: Vec<EnvVar>,
    /// Words of `command` followed by those of `args`.
    pub args: Vec<Arg>,
    /// Environment loaded from somewhere the file does not show
    /// (`env_file`, `envFrom` of an unseen Secret).
    pub opaque_env: bool,
    /// A configuration file is mounted or passed, which may switch
    /// authentication on where this file cannot see it.
    pub external_config: bool,
}

/// An authentication gap found in a container.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// `security-disabled`, `no-credentials`, `empty-password`,
    /// `default-password`.
    pub how: &'static str,
    pub detail: String,
    /// The setting that causes it; `None` for an absent setting (the finding
    /// then covers the whole resource block).
    pub span: Option<Span>,
}

/// Resolves compose-style interpolation: `${VAR:-default}`/`${VAR-default}`
/// become the default, `$$` a dollar; `None` when a variable without a
/// default (`${VAR}`, `${VAR:?err}`, `$VAR`, Kubernetes `$(VAR)`) remains,
/// whose value the file does not show.
pub fn interpolate(value: &str) -> Option<String> {
    let (s, unresolved) = resolve(value, "");
    (!unresolved).then_some(s)
}

/// Like [`interpolate`], but writes `mask` for each variable without a
/// default instead of giving up.
pub fn interpolate_masked(value: &str, mask: &str) -> String {
    resolve(value, mask).0
}

fn resolve(value: &str, mask: &str) -> (String, bool) {
    interpolate_vars(value, &mut |_| None, Some(mask))
}

/// Compose interpolation with known variable values: `lookup` gives a
/// variable's value when something shows it (a project `.env` file) and
/// `None` when it is unknown (it may come from the shell). `${VAR:-d}` uses
/// the default when VAR is unknown or empty, `${VAR-d}` when unknown;
/// `${VAR:?e}`/`${VAR?e}`, `${VAR:+a}`/`${VAR+a}`, `${VAR}` and `$VAR` need
/// the value. Each variable left unknown is written as `mask`, or as written
/// when `mask` is `None`; the flag says whether one was left.
pub fn interpolate_vars(
    value: &str,
    lookup: &mut dyn FnMut(&str) -> Option<String>,
    mask: Option<&str>,
) -> (String, bool) {
    if !value.contains('$') {
        return (value.to_string(), false);
    }
    let chars: Vec<char> = value.chars().collect();
    interpolate_chars(&chars, lookup, mask, 0)
}

/// Nesting of defaults (`${A:-${B:-x}}`) followed at most this deep.
const MAX_INTERPOLATION_DEPTH: usize = 16;

fn interpolate_chars(
    chars: &[char],
    lookup: &mut dyn FnMut(&str) -> Option<String>,
    mask: Option<&str>,
    depth: usize,
) -> (String, bool) {
    let mut out = String::new();
    let mut unresolved = false;
    let mut i = 0;
    let unknown = |out: &mut String, written: &[char]| match mask {
        Some(m) => out.push_str(m),
        None => out.extend(written.iter()),
    };
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                out.push('$');
                i += 2;
            }
            Some(&open @ ('{' | '(')) => {
                let close = if open == '{' { '}' } else { ')' };
                // Find the matching bracket (defaults may nest `${…}`).
                let mut level = 0usize;
                let mut end = None;
                for (j, &d) in chars.iter().enumerate().skip(i + 1) {
                    if d == open {
                        level += 1;
                    } else if d == close {
                        level = level.saturating_sub(1);
                        if level == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                }
                let Some(end) = end else {
                    unknown(&mut out, &chars[i..]);
                    return (out, true);
                };
                let inner = &chars[i + 2..end];
                let name_len = inner
                    .iter()
                    .position(|ch| !(ch.is_ascii_alphanumeric() || *ch == '_'))
                    .unwrap_or(inner.len());
                let name: String = inner[..name_len].iter().collect();
                let rest = &inner[name_len..];
                let known = if open == '{' && !name.is_empty() {
                    lookup(&name)
                } else {
                    None
                };
                let op: String = rest.iter().take(2).collect();
                let (op_len, colon) = if op.starts_with(':') {
                    (2, true)
                } else {
                    (1, false)
                };
                let op_char = if colon {
                    op.chars().nth(1)
                } else {
                    op.chars().next()
                };
                let arg = rest.get(op_len.min(rest.len())..).unwrap_or(&[]);
                // Whether the known value counts as set for this operator.
                let set = known.as_deref().map(|v| !(colon && v.is_empty()));
                // What the expression becomes: the known value, the
                // operator's argument, nothing, or unknown.
                enum Then {
                    Value,
                    Arg,
                    Empty,
                    Unknown,
                }
                let then = match (open, rest.is_empty(), op_char, set) {
                    ('{', true, _, Some(_)) => Then::Value,
                    ('{', false, Some('-' | '?'), Some(true)) => Then::Value,
                    ('{', false, Some('-'), _) => Then::Arg,
                    ('{', false, Some('+'), Some(true)) => Then::Arg,
                    ('{', false, Some('+'), Some(false)) => Then::Empty,
                    _ => Then::Unknown,
                };
                match then {
                    Then::Value => out.push_str(known.as_deref().unwrap_or("")),
                    Then::Arg if depth < MAX_INTERPOLATION_DEPTH => {
                        let (r, u) = interpolate_chars(arg, &mut *lookup, mask, depth + 1);
                        out.push_str(&r);
                        unresolved |= u;
                    }
                    Then::Empty => {}
                    Then::Arg | Then::Unknown => {
                        unknown(&mut out, &chars[i..=end]);
                        unresolved = true;
                    }
                }
                i = end + 1;
            }
            Some(ch) if ch.is_ascii_alphabetic() || *ch == '_' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                match lookup(&name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        unknown(&mut out, &chars[i..j]);
                        unresolved = true;
                    }
                }
                i = j;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    (out, unresolved)
}

/// Splits a command string into words the way a shell would (quotes and
/// backslashes; no expansion).
pub fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            Some(_) => cur.push(c),
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    in_word = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                    in_word = true;
                }
                c if c.is_whitespace() || c == ';' => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                _ => {
                    cur.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// The words of a `command`/`args`/`entrypoint` value: a string (split like
/// a shell) or a list whose items may themselves be command strings
/// (`["sh", "-c", "redis-server --requirepass x"]`).
pub fn read_args(node: &Node, out: &mut Vec<Arg>) {
    let mut push_words = |n: &Node, s: &str| {
        for w in shell_words(s) {
            out.push(Arg {
                text: w,
                span: n.span,
            });
        }
    };
    match &node.kind {
        NodeKind::Scalar { value, .. } => {
            if !node.is_null() {
                push_words(node, value);
            }
        }
        NodeKind::Seq(items) => {
            for it in items {
                if let Some(s) = it.as_str() {
                    push_words(it, s);
                }
            }
        }
        NodeKind::Map(_) => {}
    }
}

fn env_from_raw(name: &str, raw: Option<&str>, span: Span) -> EnvVar {
    let value = match raw {
        Some(v) => match interpolate(v) {
            Some(r) => EnvSource::Literal(r),
            None => EnvSource::External,
        },
        None => EnvSource::External,
    };
    EnvVar {
        name: name.to_string(),
        value,
        raw: raw.map(str::to_string),
        span,
    }
}

/// Compose `environment`: a list of `KEY=VALUE` (or bare `KEY`, passed
/// through from the shell) or a map.
pub fn read_compose_env(node: &Node, out: &mut Vec<EnvVar>) {
    match &node.kind {
        NodeKind::Seq(items) => {
            for it in items {
                let Some(s) = it.as_str() else { continue };
                let (name, raw) = match s.split_once('=') {
                    Some((n, v)) => (n.trim(), Some(v)),
                    None => (s.trim(), None),
                };
                if name.is_empty() {
                    continue;
                }
                out.push(env_from_raw(name, raw, it.span));
            }
        }
        NodeKind::Map(_) => {
            for (name, k, v) in node.entries() {
                let raw = if v.is_null() {
                    None
                } else {
                    match &v.kind {
                        NodeKind::Scalar { value, .. } => Some(value.as_str()),
                        _ => continue,
                    }
                };
                out.push(env_from_raw(name, raw, entry_span(k, v)));
            }
        }
        NodeKind::Scalar { .. } => {}
    }
}

/// Kubernetes `env`: `- name: X` with `value` or `valueFrom`.
pub fn read_k8s_env(node: &Node, out: &mut Vec<EnvVar>) {
    let Some(items) = node.as_seq() else { return };
    for it in items {
        let Some(name) = it.get("name").and_then(Node::as_str) else {
            continue;
        };
        let (value, raw) = match it.get("value") {
            Some(v) if !v.is_null() || it.get("valueFrom").is_none() => {
                let s = if v.is_null() {
                    String::new()
                } else {
                    v.as_str().unwrap_or("").to_string()
                };
                // `$(OTHER)` refers to another variable.
                let value = if s.contains("$(") {
                    EnvSource::External
                } else {
                    EnvSource::Literal(s.clone())
                };
                (value, Some(s))
            }
            None if it.get("valueFrom").is_none() => {
                (EnvSource::Literal(String::new()), Some(String::new()))
            }
            _ => (EnvSource::External, None),
        };
        out.push(EnvVar {
            name: name.to_string(),
            value,
            raw,
            span: it.span,
        });
    }
}

/// The span of a map entry from its key to the end of its value (values
/// copied from an anchor elsewhere keep the key's extent).
pub fn entry_span(k: &Node, v: &Node) -> Span {
    if (v.span.line, v.span.column) >= (k.span.line, k.span.column) {
        k.span.cover(v.span)
    } else {
        k.span
    }
}

/// A resource block from its key to the last of its own lines: merged or
/// aliased content copied from earlier anchors does not pull the start up.
pub fn block_span(key: &Node, value: &Node) -> Span {
    let mut span = key.span;
    let start = (key.span.line, key.span.column);
    let mut stack = vec![value];
    while let Some(n) = stack.pop() {
        if (n.span.line, n.span.column) >= start {
            span = span.cover(Span::new(
                n.span.end_line,
                n.span.end_column,
                n.span.end_line,
                n.span.end_column,
            ));
        }
        if let NodeKind::Map(pairs) = &n.kind {
            for (k, v) in pairs {
                stack.push(k);
                stack.push(v);
            }
        } else if let NodeKind::Seq(items) = &n.kind {
            stack.extend(items.iter());
        }
    }
    Span::new(start.0, start.1, span.end_line, span.end_column)
}

const CONFIG_EXTENSIONS: &[&str] = &[".conf", ".cnf", ".cfg", ".yml", ".yaml", ".toml", ".ini"];
const CONFIG_FLAGS: &[&str] = &["--config", "-f", "--config-file", "--defaults-file"];

fn looks_like_config(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    CONFIG_EXTENSIONS.iter().any(|e| p.ends_with(e))
}

/// Whether a mount target is a configuration file or folder.
pub fn is_config_mount(target: &str) -> bool {
    let t = target.to_ascii_lowercase();
    looks_like_config(&t)
        || t.split('/')
            .any(|seg| seg == "config" || seg == "conf" || seg == "conf.d" || seg == "etc")
}

impl Container {
    /// Notes command-line words that pass a configuration file.
    pub fn note_config_args(&mut self) {
        let passes_config = self.args.iter().enumerate().any(|(i, a)| {
            (i > 0 && looks_like_config(&a.text))
                || CONFIG_FLAGS
                    .iter()
                    .any(|f| a.text == *f || a.text.starts_with(&format!("{f}=")))
        });
        if passes_config {
            self.external_config = true;
        }
    }

    fn env_named(&self, name: &str) -> impl Iterator<Item = &EnvVar> {
        self.env
            .iter()
            .filter(move |e| e.name.eq_ignore_ascii_case(name))
    }

    /// Where a setting of the catalogue is present with a matching value:
    /// the span and a description of it.
    fn find(&self, m: &SettingMatch, presence_only_if_external: bool) -> Option<(Span, String)> {
        let env_hit = |name: &str| -> Option<(Span, String)> {
            self.env_named(name).find_map(|e| match &e.value {
                EnvSource::Literal(v) => {
                    let v = v.trim();
                    if m.equals.is_empty() && m.contains.is_none() && v.is_empty() {
                        // An empty variable is not a setting.
                        return None;
                    }
                    m.value_matches(v)
                        .then(|| (e.span, format!("`{}={}`", e.name, v)))
                }
                EnvSource::External => {
                    // `REDIS_ARGS="--requirepass ${PASSWORD}"`: the written
                    // part of the value shows the flag even when the
                    // interpolated part is unknown.
                    if let (Some(c), Some(raw)) = (&m.contains, &e.raw)
                        && m.equals.is_empty()
                    {
                        return interpolate_masked(raw, "\u{1}")
                            .contains(c.as_str())
                            .then(|| (e.span, format!("`{}={}`", e.name, raw.trim())));
                    }
                    (presence_only_if_external && m.equals.is_empty() && m.contains.is_none())
                        .then(|| (e.span, format!("`{}`", e.name)))
                }
            })
        };
        if let Some(name) = &m.env
            && let Some(hit) = env_hit(name)
        {
            return Some(hit);
        }
        if let Some(setting) = &m.setting {
            if let Some(hit) = env_hit(setting) {
                return Some(hit);
            }
            // `-Ekey=value` / `--key=value` on the command line.
            for (i, a) in self.args.iter().enumerate() {
                let t = a.text.as_str();
                let body = t
                    .strip_prefix("-E")
                    .or_else(|| t.strip_prefix("--"))
                    .map(str::trim_start)
                    .filter(|b| !b.is_empty())
                    .or_else(|| {
                        (t == "-E")
                            .then(|| self.args.get(i + 1).map(|n| n.text.as_str()))
                            .flatten()
                    });
                if let Some(body) = body
                    && let Some((k, v)) = body.split_once('=')
                    && k.eq_ignore_ascii_case(setting)
                    && m.value_matches(v)
                {
                    return Some((a.span, format!("`{setting}={v}`")));
                }
            }
        }
        if let Some(flag) = &m.arg {
            for (i, a) in self.args.iter().enumerate() {
                let t = a.text.as_str();
                let inline = t
                    .strip_prefix(flag.as_str())
                    .and_then(|r| r.strip_prefix('='));
                let is_flag = t == flag.as_str();
                if !is_flag && inline.is_none() {
                    continue;
                }
                if m.equals.is_empty() && m.contains.is_none() {
                    return Some((a.span, format!("`{flag}`")));
                }
                let value = inline.or_else(|| {
                    is_flag
                        .then(|| self.args.get(i + 1).map(|n| n.text.as_str()))
                        .flatten()
                });
                if let Some(v) = value
                    && m.value_matches(v)
                {
                    return Some((a.span, format!("`{flag} {v}`")));
                }
            }
        }
        None
    }
}

/// The engine whose primary (first-listed) port is among `ports`,
/// preferring one that `name` mentions; for resources that show a port but
/// not the image (a compose override, a Service in its own file).
pub fn engine_for_primary_ports<'a>(
    name: &str,
    ports: &[u16],
    cat: &'a Catalogue,
) -> Option<&'a Engine> {
    let candidates: Vec<&Engine> = cat
        .engines
        .iter()
        .filter(|e| e.ports.first().is_some_and(|p| ports.contains(p)))
        .collect();
    let lname = name.to_ascii_lowercase();
    candidates
        .iter()
        .find(|e| {
            lname.contains(&e.id)
                || e.images
                    .iter()
                    .any(|i| !i.contains('/') && lname.contains(i.as_str()))
        })
        .or(candidates.first())
        .copied()
}

/// The catalogue's `off` settings present in a container.
pub fn disabled_by(engine: &Engine, c: &Container) -> Vec<Gap> {
    let mut gaps: Vec<Gap> = Vec::new();
    for m in &engine.auth.off {
        if let Some((span, what)) = c.find(m, false)
            && !gaps.iter().any(|g| g.span == Some(span))
        {
            gaps.push(Gap {
                how: "security-disabled",
                detail: format!("{what} switches authentication off"),
                span: Some(span),
            });
        }
    }
    gaps
}

/// Password variables of the catalogue set to an empty or well-known value.
pub fn weak_passwords(engine: &Engine, c: &Container, cat: &Catalogue) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for var in &engine.auth.passwords {
        for e in c.env_named(var) {
            let EnvSource::Literal(v) = &e.value else {
                continue;
            };
            if let Some(g) = password_gap(&e.name, v, e.span, cat) {
                gaps.push(g);
            }
        }
    }
    // Command-line password flags (`--requirepass ""`).
    for flag in engine
        .auth
        .on
        .iter()
        .filter_map(|m| m.arg.as_deref())
        .filter(|f| f.to_ascii_lowercase().contains("pass"))
    {
        for (i, a) in c.args.iter().enumerate() {
            let value = if a.text == flag {
                c.args.get(i + 1).map(|n| n.text.as_str())
            } else {
                a.text.strip_prefix(flag).and_then(|r| r.strip_prefix('='))
            };
            let Some(v) = value else { continue };
            if v.contains('$') {
                continue;
            }
            if let Some(g) = password_gap(flag, v, a.span, cat) {
                gaps.push(g);
            }
        }
    }
    gaps
}

/// A gap for a password setting whose value is empty or a known default.
pub fn password_gap(name: &str, value: &str, span: Span, cat: &Catalogue) -> Option<Gap> {
    let v = value.trim();
    if v.is_empty() {
        Some(Gap {
            how: "empty-password",
            detail: format!("`{name}` is empty"),
            span: Some(span),
        })
    } else if cat.is_weak_password(v) {
        Some(Gap {
            how: "default-password",
            detail: format!("`{name}` is the well-known password `{v}`"),
            span: Some(span),
        })
    } else {
        None
    }
}

/// Evaluates the catalogue's auth model for a container of `engine`: an
/// `off` setting; else an engine (or image version) without auth by
/// default and no `on` setting; else weak password values.
pub fn evaluate_auth(engine: &Engine, c: &Container, cat: &Catalogue) -> Vec<Gap> {
    let auth = &engine.auth;
    let gaps = disabled_by(engine, c);
    if !gaps.is_empty() {
        return gaps;
    }
    let tag = c.image.as_deref().and_then(image_tag);
    let old = match (&auth.off_before, &tag) {
        (Some(bound), Some(t)) => version_before(t, bound),
        _ => false,
    };
    let default_off = auth.default == AuthDefault::Off || old;
    let on = auth.on.iter().any(|m| c.find(m, true).is_some());
    if default_off && !on && !c.opaque_env && !c.external_config {
        let detail = if old {
            format!(
                "image tag {} predates {}, before which security is off by default, and nothing switches it on",
                tag.as_deref().unwrap_or(""),
                auth.off_before.as_deref().unwrap_or("")
            )
        } else {
            let mut names: Vec<String> = auth
                .on
                .iter()
                .filter_map(|m| m.env.clone().or_else(|| m.arg.clone()))
                .filter(|n| !n.ends_with("_FILE"))
                .map(|n| format!("`{n}`"))
                .take(4)
                .collect();
            names.dedup();
            if names.is_empty() {
                "no credentials are configured".to_string()
            } else {
                format!(
                    "no credentials are configured (none of {} is set)",
                    names.join(", ")
                )
            }
        };
        return vec![Gap {
            how: "no-credentials",
            detail,
            span: None,
        }];
    }
    weak_passwords(engine, c, cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation() {
        assert_eq!(interpolate("plain").as_deref(), Some("plain"));
        assert_eq!(interpolate("${A:-x}y").as_deref(), Some("xy"));
        assert_eq!(interpolate("${A-}").as_deref(), Some(""));
        assert_eq!(interpolate("$$a").as_deref(), Some("$a"));
        assert_eq!(interpolate("${A}"), None);
        assert_eq!(interpolate("${A:?set it}"), None);
        assert_eq!(interpolate("$A"), None);
        assert_eq!(interpolate("$(A)"), None);
        assert_eq!(interpolate("${A:-${B:-z}}").as_deref(), Some("z"));
    }

    #[test]
    fn interpolation_with_known_values() {
        let vars = [("SET", "v"), ("EMPTY", "")];
        let run = |s: &str, mask: Option<&str>| {
            interpolate_vars(
                s,
                &mut |n| {
                    vars.iter()
                        .find(|(k, _)| *k == n)
                        .map(|(_, v)| v.to_string())
                },
                mask,
            )
        };
        let ok = |s: &str| run(s, None).0;
        assert_eq!(ok("${SET}/$SET"), "v/v");
        assert_eq!(ok("${SET:-d}${EMPTY:-d}${UNSET:-d}"), "vdd");
        assert_eq!(ok("[${EMPTY-d}][${UNSET-d}]"), "[][d]");
        assert_eq!(ok("${SET:?e}"), "v");
        assert_eq!(ok("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}"), "alt||alt");
        assert_eq!(ok("${UNSET:-${SET}}"), "v");
        // Unknown variables stay as written, or masked.
        assert_eq!(
            run("a${UNSET}b$UNSET", None),
            ("a${UNSET}b$UNSET".into(), true)
        );
        assert_eq!(run("${EMPTY:?e}", None), ("${EMPTY:?e}".into(), true));
        assert_eq!(run("${UNSET:+x}", Some("?")), ("?".into(), true));
        assert_eq!(run("${UNSET", Some("?")), ("?".into(), true));
        let deep = format!("{}x{}", "${A:-".repeat(100), "}".repeat(100));
        assert!(run(&deep, None).1, "nesting is bounded");
    }

    #[test]
    fn shell_splitting() {
        assert_eq!(
            shell_words(r#"redis-server --save "" --requirepass 'a b'"#),
            ["redis-server", "--save", "", "--requirepass", "a b"]
        );
    }
}
