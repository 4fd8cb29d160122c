//! The JSON front end: contact properties declared by search-index mappings
//! and templates (Elasticsearch/OpenSearch: `mappings.properties`,
//! `template.mappings.properties`, legacy `mappings.<type>.properties`,
//! `GET _mapping` responses, bare mapping bodies) and by MongoDB
//! `$jsonSchema` validators; CloudFormation templates written in JSON go to
//! the CloudFormation reader. Every other JSON file yields nothing; a file
//! that is not valid JSON is reported with its line.
//!
//! JSON is parsed as YAML (`yaml::tree`), which gives every node a span.
//! `//` and `/* */` comments (JSONC) are blanked first without moving any
//! position.

use super::Ctx;
use super::yaml::tree::{self, Node, NodeKind};
use crate::facts::{ContactField, DataKind, FactData, FieldOrigin, FileFacts};
use crate::span::Span;
use crate::vocab::Classifier;

/// How deep into a document mappings and validators are looked for.
const MAX_SEARCH_DEPTH: usize = 8;
/// How deep nested `properties` are followed.
const MAX_PROPERTY_DEPTH: usize = 32;

/// JSON Schema's own type names: a root `properties` object that uses them
/// is a JSON Schema, not an index mapping.
const JSON_SCHEMA_TYPES: &[&str] = &["string", "number", "array", "null"];
/// Types a bare mapping and a JSON Schema share.
const SHARED_TYPES: &[&str] = &["integer", "boolean", "object"];

#[derive(Clone, Copy, PartialEq)]
enum Store {
    Search,
    Mongo,
}

impl Store {
    fn family(self) -> &'static str {
        match self {
            Store::Search => "search",
            Store::Mongo => "document",
        }
    }

    fn engine(self) -> Option<&'static str> {
        match self {
            Store::Search => None,
            Store::Mongo => Some("mongodb"),
        }
    }
}

/// One declared property: its dotted name, key span and type.
struct Prop {
    name: String,
    span: Span,
    kind: DataKind,
}

/// Blanks `//` and `/* */` comments outside strings (JSONC), keeping
/// newlines and one space per character.
fn blank_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("//") && !text.contains("/*") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_str = false;
    while i < out.len() {
        let c = out[i];
        if in_str {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == '"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            '"' => in_str = true,
            '/' if out.get(i + 1) == Some(&'/') => {
                while i < out.len() && out[i] != '\n' {
                    out[i] = ' ';
                    i += 1;
                }
                continue;
            }
            '/' if out.get(i + 1) == Some(&'*') => {
                let mut j = i;
                while j < out.len()
                    && !(out[j] == '*' && out.get(j + 1) == Some(&'/') && j >= i + 2)
                {
                    j += 1;
                }
                let end = (j + 2).min(out.len());
                for ch in &mut out[i..end] {
                    if *ch != '\n' && *ch != '\r' {
                        *ch = ' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out.into_iter().collect())
}

/// A CloudFormation template: the format version, or resources typed
/// `AWS::…`.
fn is_cloudformation(d: &Node) -> bool {
    d.get("AWSTemplateFormatVersion").is_some()
        || d.get("Resources").is_some_and(|r| {
            r.entries().iter().any(|(_, _, v)| {
                v.get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

fn file_stem(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".json").unwrap_or(file).to_string()
}

/// `influencers-*` -> `influencers`.
fn index_name(pattern: &str) -> String {
    pattern.trim_end_matches(['*', '-', '_', '.']).to_string()
}

fn str_of(n: Option<&Node>) -> Option<&str> {
    n?.as_str().filter(|s| !s.is_empty())
}

/// The name a map gives the index or collection it describes, if any.
fn own_name(n: &Node) -> Option<String> {
    if let Some(p) = n.get("index_patterns") {
        let first = match &p.kind {
            NodeKind::Seq(items) => items.first().and_then(Node::as_str),
            _ => p.as_str(),
        };
        if let Some(f) = first.filter(|f| !f.is_empty()) {
            return Some(index_name(f));
        }
    }
    // A legacy (ES 5) template names its pattern under `template`.
    if let Some(t) = str_of(n.get("template")) {
        return Some(index_name(t));
    }
    for key in ["index", "collection", "create", "collMod", "name"] {
        if let Some(s) = str_of(n.get(key)) {
            return Some(s.to_string());
        }
    }
    None
}

/// The type of a property: a mapping's `type` or a validator's `bsonType`
/// (the first non-null one of a list).
fn prop_type(v: &Node) -> Option<String> {
    for key in ["type", "bsonType"] {
        match v.get(key).map(|t| &t.kind) {
            Some(NodeKind::Scalar { value, .. }) => return Some(value.clone()),
            Some(NodeKind::Seq(items)) => {
                if let Some(t) = items
                    .iter()
                    .filter_map(Node::as_str)
                    .find(|t| !t.eq_ignore_ascii_case("null"))
                {
                    return Some(t.to_string());
                }
            }
            _ => {}
        }
    }
    None
}

fn children(v: &Node) -> Option<&Node> {
    v.get("properties").filter(|p| p.is_map())
}

struct Walker<'a> {
    classifier: &'a Classifier,
    found: Vec<Prop>,
    names: Vec<String>,
}

impl Walker<'_> {
    /// Walks one `properties` object (iteratively, nested objects included).
    fn properties(&mut self, props: &Node) {
        let mut stack: Vec<(&Node, String, usize)> = vec![(props, String::new(), 0)];
        while let Some((props, prefix, depth)) = stack.pop() {
            for (key, knode, v) in props.entries() {
                let full = format!("{prefix}{key}");
                self.names.push(full.clone());
                let ty = prop_type(v);
                if let Some(sub) = children(v) {
                    // An object. A postal-address object (`address` with
                    // `street`, `zip`…) is one finding at its own key.
                    if self.classifier.classify(&full, None) == Some(DataKind::Address)
                        && self.holds_address_parts(sub, &full)
                    {
                        self.found.push(Prop {
                            name: full.clone(),
                            span: knode.span,
                            kind: DataKind::Address,
                        });
                        for (k, _, _) in sub.entries() {
                            self.names.push(format!("{full}.{k}"));
                        }
                        continue;
                    }
                    if depth < MAX_PROPERTY_DEPTH {
                        stack.push((sub, format!("{full}."), depth + 1));
                    }
                    continue;
                }
                let ty = ty.filter(|t| {
                    !matches!(
                        t.to_ascii_lowercase().as_str(),
                        "object" | "nested" | "flattened"
                    )
                });
                if let Some(kind) = self.classifier.classify(&full, ty.as_deref()) {
                    self.found.push(Prop {
                        name: full,
                        span: knode.span,
                        kind,
                    });
                }
            }
        }
        self.found.sort_by_key(|p| (p.span.line, p.span.column));
    }

    fn holds_address_parts(&self, sub: &Node, full: &str) -> bool {
        sub.entries().iter().any(|(k, _, v)| {
            children(v).is_none()
                && self
                    .classifier
                    .classify(&format!("{full}.{k}"), prop_type(v).as_deref())
                    == Some(DataKind::Address)
        })
    }
}

/// The `properties` of a `mappings` object: typeless, or legacy per-type.
fn mapping_properties(m: &Node) -> Vec<&Node> {
    if let Some(p) = children(m) {
        return vec![p];
    }
    m.entries()
        .into_iter()
        .filter(|(k, _, _)| !matches!(*k, "_meta" | "runtime" | "dynamic_templates"))
        .filter_map(|(_, _, v)| children(v))
        .collect()
}

/// A root `properties` object that is an index mapping body (`PUT
/// idx/_mapping`), told apart from a JSON Schema by its type names.
fn bare_mapping(root: &Node) -> Option<&Node> {
    if root.get("$schema").is_some() || root.get("$id").is_some() {
        return None;
    }
    let props = children(root)?;
    let mut search_types = 0;
    for (_, _, v) in props.entries() {
        let Some(t) = prop_type(v) else { continue };
        let t = t.to_ascii_lowercase();
        if JSON_SCHEMA_TYPES.contains(&t.as_str()) {
            return None;
        }
        if !SHARED_TYPES.contains(&t.as_str()) {
            search_types += 1;
        }
    }
    (search_types > 0).then_some(props)
}

type Found<'a> = Vec<(Store, String, &'a Node)>;

/// Finds mappings and validators in a document: (store, container name,
/// `properties` node).
fn find_schemas<'a>(root: &'a Node, stem: &str) -> Found<'a> {
    let mut out: Found<'a> = Vec::new();
    let mut stack: Vec<(&Node, String, usize)> = vec![(root, stem.to_string(), 0)];
    while let Some((node, inherited, depth)) = stack.pop() {
        match &node.kind {
            NodeKind::Seq(items) => {
                if depth < MAX_SEARCH_DEPTH {
                    for it in items {
                        stack.push((it, inherited.clone(), depth + 1));
                    }
                }
            }
            NodeKind::Map(_) => {
                let name = own_name(node).unwrap_or(inherited);
                for (key, _, v) in node.entries() {
                    if !v.is_map() && v.as_seq().is_none() {
                        continue;
                    }
                    match key {
                        "mappings" => {
                            for p in mapping_properties(v) {
                                out.push((Store::Search, name.clone(), p));
                            }
                        }
                        "$jsonSchema" => {
                            if let Some(p) = children(v) {
                                out.push((Store::Mongo, name.clone(), p));
                            }
                        }
                        "settings" | "aliases" | "properties" | "_meta" | "lifecycle" => {}
                        _ if depth < MAX_SEARCH_DEPTH => {
                            // `GET _mapping` responses key each index by name.
                            let child_name = if depth == 0
                                && own_name(node).is_none()
                                && !key.ends_with("template")
                                && v.get("mappings").is_some()
                            {
                                key.to_string()
                            } else {
                                name.clone()
                            };
                            stack.push((v, child_name, depth + 1));
                        }
                        _ => {}
                    }
                }
            }
            NodeKind::Scalar { .. } => {}
        }
    }
    if out.is_empty()
        && let Some(p) = bare_mapping(root)
    {
        out.push((Store::Search, stem.to_string(), p));
    }
    out
}

pub fn analyze(text: &str, ctx: &Ctx) -> FileFacts {
    let mut facts = FileFacts::default();
    if text.trim().is_empty() {
        return facts;
    }
    let text = blank_comments(text);
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        let line = e.line().max(1) as u32;
        facts.error(Some(line), format!("invalid JSON at line {line}: {e}"));
        return facts;
    }
    // A CloudFormation template written in JSON is read like its YAML form.
    if (text.contains("AWS::") || text.contains("AWSTemplateFormatVersion"))
        && let Ok(docs) = tree::parse(&text)
        && docs.iter().any(is_cloudformation)
    {
        super::yaml::cfn::analyze(&docs, ctx, &mut facts);
        return facts;
    }
    if !text.contains("properties") {
        return facts;
    }
    // Valid JSON the spanned reader refuses (nesting past its limit): say
    // so rather than skip the file silently.
    let docs = match tree::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            facts.error(Some(e.line), format!("JSON not analysed: {}", e.message));
            return facts;
        }
    };
    let Some(root) = docs.first() else {
        return facts;
    };
    let stem = file_stem(ctx.path);
    for (store, container, props) in find_schemas(root, &stem) {
        let mut w = Walker {
            classifier: &ctx.vocab.classifier,
            found: Vec::new(),
            names: vec![container.clone()],
        };
        w.properties(props);
        if w.found.is_empty() {
            continue;
        }
        let signals = ctx
            .vocab
            .classifier
            .platform_signals(w.names.iter().map(String::as_str));
        for p in w.found {
            facts.push(
                p.span,
                FactData::ContactField(ContactField {
                    container: container.clone(),
                    name: p.name,
                    kind: p.kind,
                    origin: FieldOrigin::Mapping,
                    platform_signals: signals.clone(),
                    store_family: Some(store.family().into()),
                    store_engine: store.engine().map(str::to_string),
                }),
            );
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Vocabulary;

    fn names(text: &str) -> Vec<(String, u32)> {
        let v = Vocabulary::builtin();
        let ctx = Ctx {
            vocab: &v,
            path: "search/creators.json",
        };
        analyze(text, &ctx)
            .facts
            .into_iter()
            .map(|f| match f.data {
                FactData::ContactField(c) => (c.name, f.span.line),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn json_schema_is_not_a_mapping() {
        assert!(names(r#"{"type":"object","properties":{"email":{"type":"string"}}}"#).is_empty());
        assert_eq!(
            names("{\"properties\":{\n\"email\":{\"type\":\"keyword\"}}}"),
            [("email".to_string(), 2)]
        );
    }

    #[test]
    fn comments_are_blanked() {
        assert_eq!(
            names(
                "// idx\n{\"mappings\":{\"properties\":{ /* c */\n\"phone\":{\"type\":\"keyword\"}}}}"
            ),
            [("phone".to_string(), 3)]
        );
    }
}
