//! A spanned YAML tree built from saphyr-parser's event stream without
//! recursion: nesting depth, document count and alias expansion are bounded,
//! so hostile files fail fast with an error instead of overflowing the stack
//! or exhausting memory. Custom tags (`!Ref`, `!Sub`) are kept on the node.

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::span::Span;

pub const MAX_DEPTH: usize = 256;
pub const MAX_DOCUMENTS: usize = 10_000;
/// Nodes a file may hold after alias expansion.
pub const MAX_NODES: usize = 2_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar with its text; `quoted` is false for plain scalars.
    Scalar {
        value: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// A local or custom tag without the leading `!` (`Ref`, `Sub`, `GetAtt`).
    pub tag: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: u32,
    pub message: String,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A plain scalar `null`, `~` or empty.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, quoted: false } if value.is_empty() || value == "~" || value.eq_ignore_ascii_case("null"))
    }

    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_str()?;
        match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    /// The mapping's entries with string keys, own keys first, then those
    /// merged in through `<<` (a map or a list of maps), which own keys
    /// override.
    pub fn entries(&self) -> Vec<(&str, &Node, &Node)> {
        let NodeKind::Map(pairs) = &self.kind else {
            return Vec::new();
        };
        let mut out: Vec<(&str, &Node, &Node)> = Vec::new();
        let mut merged: Vec<&Node> = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                Some("<<") if k.tag.is_none() => match &v.kind {
                    NodeKind::Map(_) => merged.push(v),
                    NodeKind::Seq(items) => merged.extend(items.iter()),
                    _ => {}
                },
                Some(key) => out.push((key, k, v)),
                None => {}
            }
        }
        for m in merged {
            for (key, k, v) in m.entries() {
                if !out.iter().any(|(o, _, _)| *o == key) {
                    out.push((key, k, v));
                }
            }
        }
        out
    }

    /// The value of a key, merge keys included.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// The key node and value of a key (the key's span starts the setting).
    /// The first of [`Node::entries`] with that key, found without listing
    /// them: an own key, else the first merged map that has it.
    pub fn get_entry(&self, key: &str) -> Option<(&Node, &Node)> {
        let NodeKind::Map(pairs) = &self.kind else {
            return None;
        };
        let is_merge = |k: &Node| k.tag.is_none() && k.as_str() == Some("<<");
        let mut merges = false;
        for (k, v) in pairs {
            if is_merge(k) {
                merges = true;
            } else if k.as_str() == Some(key) {
                return Some((k, v));
            }
        }
        if !merges {
            return None;
        }
        for (k, v) in pairs {
            if !is_merge(k) {
                continue;
            }
            let hit = match &v.kind {
                NodeKind::Map(_) => v.get_entry(key),
                NodeKind::Seq(items) => items.iter().find_map(|m| m.get_entry(key)),
                NodeKind::Scalar { .. } => None,
            };
            if hit.is_some() {
                return hit;
            }
        }
        None
    }

    /// Follows a path of keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut cur = self;
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    /// A setting by dotted name, where every split of the name into nested
    /// keys counts as the same setting (`network.host`, `network: {host}`).
    pub fn setting(&self, dotted: &str) -> Option<(&Node, &Node)> {
        if let Some(hit) = self.get_entry(dotted) {
            return Some(hit);
        }
        let mut idx = 0;
        while let Some(pos) = dotted[idx..].find('.') {
            let split = idx + pos;
            let (head, rest) = (&dotted[..split], &dotted[split + 1..]);
            if let Some(child) = self.get(head)
                && let Some(hit) = child.setting(rest)
            {
                return Some(hit);
            }
            idx = split + 1;
        }
        None
    }
}

/// A collection being built. `cover` is the text the collection spans so
/// far: children copied in through an alias count where the alias is
/// written, not where their anchor is.
enum Frame {
    Seq {
        items: Vec<Node>,
        tag: Option<String>,
        cover: Span,
        anchor: usize,
    },
    Map {
        pairs: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        tag: Option<String>,
        cover: Span,
        anchor: usize,
    },
}

fn to_span(s: &saphyr_parser::Span) -> Span {
    Span::new(
        s.start.line() as u32,
        s.start.col() as u32 + 1,
        s.end.line() as u32,
        s.end.col() as u32 + 1,
    )
}

fn tag_name(tag: Option<std::borrow::Cow<'_, saphyr_parser::Tag>>) -> Option<String> {
    let t = tag?;
    if t.is_yaml_core_schema() {
        return None;
    }
    Some(if t.handle == "!" {
        t.suffix.clone()
    } else {
        format!("{}{}", t.handle, t.suffix)
    })
}

fn node_count(n: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.kind {
            NodeKind::Seq(v) => stack.extend(v.iter()),
            NodeKind::Map(p) => {
                for (k, v) in p {
                    stack.push(k);
                    stack.push(v);
                }
            }
            NodeKind::Scalar { .. } => {}
        }
    }
    count
}

/// Parses every document of a YAML (or JSON) stream.
pub fn parse(text: &str) -> Result<Vec<Node>, YamlError> {
    let mut parser = Parser::new_from_str(text).keep_tags(true);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    let mut nodes = 0usize;
    let mut doc_root: Option<Node> = None;

    for item in parser.by_ref() {
        let (event, span) = item.map_err(|e| YamlError {
            line: e.marker().line() as u32,
            message: e.info().to_string(),
        })?;
        let sp = to_span(&span);
        let is_seq = matches!(event, Event::SequenceStart(..));
        let mut written_at = sp;
        let complete: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                anchors.clear();
                if docs.len() >= MAX_DOCUMENTS {
                    return Err(YamlError {
                        line: sp.line,
                        message: format!("more than {MAX_DOCUMENTS} YAML documents in one file"),
                    });
                }
                None
            }
            Event::DocumentEnd => {
                docs.push(doc_root.take().unwrap_or(Node {
                    kind: NodeKind::Scalar {
                        value: String::new(),
                        quoted: false,
                    },
                    tag: None,
                    span: sp,
                }));
                None
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(YamlError {
                        line: sp.line,
                        message: "alias to an unknown anchor".into(),
                    });
                };
                nodes += node_count(target);
                if nodes > MAX_NODES {
                    return Err(YamlError {
                        line: sp.line,
                        message: format!(
                            "alias expansion exceeds {MAX_NODES} nodes (a \"billion laughs\" document?)"
                        ),
                    });
                }
                written_at = sp;
                Some((target.clone(), 0))
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                Some((
                    Node {
                        kind: NodeKind::Scalar {
                            value: value.into_owned(),
                            quoted: !matches!(style, ScalarStyle::Plain),
                        },
                        tag: tag_name(tag),
                        span: sp,
                    },
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        line: sp.line,
                        message: format!("YAML nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                nodes += 1;
                let tag = tag_name(tag);
                stack.push(if is_seq {
                    Frame::Seq {
                        items: Vec::new(),
                        tag,
                        cover: Span::new(sp.line, sp.column, sp.line, sp.column),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        pairs: Vec::new(),
                        pending_key: None,
                        tag,
                        cover: Span::new(sp.line, sp.column, sp.line, sp.column),
                        anchor,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    tag,
                    cover,
                    anchor,
                }) => {
                    written_at = cover;
                    Some((
                        Node {
                            kind: NodeKind::Seq(items),
                            tag,
                            span: cover,
                        },
                        anchor,
                    ))
                }
                Some(Frame::Map {
                    pairs,
                    tag,
                    cover,
                    anchor,
                    ..
                }) => {
                    written_at = cover;
                    Some((
                        Node {
                            kind: NodeKind::Map(pairs),
                            tag,
                            span: cover,
                        },
                        anchor,
                    ))
                }
                None => None,
            },
        };
        if nodes > MAX_NODES {
            return Err(YamlError {
                line: sp.line,
                message: format!("more than {MAX_NODES} YAML nodes in one file"),
            });
        }
        let Some((node, anchor)) = complete else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq { items, cover, .. }) => {
                *cover = cover.cover(written_at);
                items.push(node)
            }
            Some(Frame::Map {
                pairs,
                pending_key,
                cover,
                ..
            }) => {
                *cover = cover.cover(written_at);
                match pending_key.take() {
                    Some(k) => pairs.push((k, node)),
                    None => *pending_key = Some(node),
                }
            }
            None => doc_root = Some(node),
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_tags_and_merge_keys() {
        let docs = parse(
            "x-base: &base\n  image: redis\nservices:\n  cache:\n    <<: *base\n    ports: [\"6379:6379\"]\n  ref: !Ref Param\n",
        )
        .unwrap();
        let root = &docs[0];
        let cache = root.path(&["services", "cache"]).unwrap();
        assert_eq!(cache.get("image").and_then(Node::as_str), Some("redis"));
        assert_eq!(cache.span.line, 5);
        let r = root.path(&["services", "ref"]).unwrap();
        assert_eq!(r.tag.as_deref(), Some("Ref"));
        assert_eq!(r.span.line, 7);
    }

    #[test]
    fn dotted_and_nested_settings_are_the_same() {
        let docs = parse("network:\n  host: 0.0.0.0\nxpack.security:\n  enabled: false\n").unwrap();
        assert_eq!(
            docs[0].setting("network.host").unwrap().1.as_str(),
            Some("0.0.0.0")
        );
        assert_eq!(
            docs[0]
                .setting("xpack.security.enabled")
                .unwrap()
                .1
                .as_str(),
            Some("false")
        );
    }

    #[test]
    fn lookups_agree_with_entries() {
        let docs = parse(
            "a: &a {x: 1, y: 2, x: 3}\nb: &b {y: 4, z: 5}\nc:\n  <<: [*a, *b]\n  z: 6\n  w: {<<: *b, <<: {q: 7}}\n  !t <<: 8\n  1: one\nd: [1, 2]\n",
        )
        .unwrap();
        let mut stack: Vec<&Node> = docs.iter().collect();
        while let Some(n) = stack.pop() {
            for key in ["a", "b", "c", "w", "x", "y", "z", "q", "<<", "1", "none"] {
                let listed = n
                    .entries()
                    .into_iter()
                    .find(|(k, _, _)| *k == key)
                    .map(|(_, k, v)| (k, v));
                assert_eq!(n.get_entry(key), listed, "{key}");
            }
            match &n.kind {
                NodeKind::Seq(v) => stack.extend(v),
                NodeKind::Map(p) => stack.extend(p.iter().flat_map(|(k, v)| [k, v])),
                NodeKind::Scalar { .. } => {}
            }
        }
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = c;
        }
        assert!(parse(&s).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let s = "[".repeat(100_000);
        assert!(parse(&s).is_err());
    }

    #[test]
    fn multi_document() {
        let docs = parse("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].span.line, 3);
    }
}
