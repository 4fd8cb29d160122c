//! Matching facts against a rule's `match:` block, and rendering its message.

use crate::facts::{AttrValue, FactData};

use super::{Cond, RuleDef};

fn cond_holds(cond: &Cond, value: Option<AttrValue>) -> bool {
    match (cond, value) {
        (Cond::Bool(b), Some(AttrValue::Bool(v))) => *b == v,
        (Cond::Bool(b), Some(AttrValue::List(v))) => *b != v.is_empty(),
        (Cond::Bool(b), Some(AttrValue::Text(_))) => *b,
        (Cond::Bool(b), None) => !*b,
        (Cond::One(s), Some(v)) => matches_any(std::slice::from_ref(s), &v),
        (Cond::Any(list), Some(v)) => matches_any(list, &v),
        (_, None) => false,
    }
}

fn matches_any(allowed: &[String], v: &AttrValue) -> bool {
    match v {
        AttrValue::Text(t) => allowed.iter().any(|a| a == t),
        AttrValue::Bool(b) => allowed.iter().any(|a| *a == b.to_string()),
        AttrValue::List(items) => items.iter().any(|i| allowed.iter().any(|a| a == i)),
    }
}

/// Whether a fact satisfies a rule's matcher.
pub fn matches(def: &RuleDef, fact: &FactData) -> bool {
    if fact.kind_name() != def.matcher.fact {
        return false;
    }
    def.matcher
        .conditions
        .iter()
        .all(|(k, c)| cond_holds(c, fact.attr(k)))
        && !def
            .matcher
            .unless
            .iter()
            .any(|(k, c)| cond_holds(c, fact.attr(k)))
}

/// A derived placeholder: the engine's display name from the datastore
/// catalogue (`elasticsearch` -> `Elasticsearch`), for facts with `engine`.
pub const ENGINE_NAME: &str = "engine_name";

fn engine_name(fact: &FactData) -> Option<String> {
    static CATALOGUE: std::sync::OnceLock<crate::vocab::Catalogue> = std::sync::OnceLock::new();
    let id = fact.attr("engine")?.render();
    let catalogue = CATALOGUE.get_or_init(|| crate::vocab::Vocabulary::builtin().catalogue);
    Some(
        catalogue
            .engine(&id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| display_engine(&id)),
    )
}

/// Names of managed engines that are not in the container catalogue.
fn display_engine(id: &str) -> String {
    match id {
        "s3" => "S3 bucket".into(),
        "aurora-postgresql" => "Aurora PostgreSQL".into(),
        "aurora-mysql" => "Aurora MySQL".into(),
        "redshift" => "Redshift".into(),
        "memorydb" => "MemoryDB".into(),
        "neptune" => "Neptune".into(),
        "documentdb" | "docdb" => "DocumentDB".into(),
        other => other.to_string(),
    }
}

/// Fills `{attribute}` placeholders from the fact.
pub fn render(template: &str, fact: &FactData) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                let value = if name == ENGINE_NAME {
                    engine_name(fact)
                } else {
                    fact.attr(name).map(|v| v.render())
                };
                match value {
                    Some(v) => out.push_str(&v),
                    None => out.push('?'),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholder names used in a template.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// Checks a rule's matcher and message against the fact model; on error
/// returns the key path of the offending entry and a message.
pub fn validate(def: &RuleDef) -> Result<(), (Vec<String>, String)> {
    let kind = def.matcher.fact.as_str();
    if !crate::facts::FACT_KINDS.contains(&kind) {
        return Err((
            vec!["match".into(), "fact".into()],
            format!(
                "unknown fact kind `{kind}`; expected one of: {}",
                crate::facts::FACT_KINDS.join(", ")
            ),
        ));
    }
    let names = FactData::attr_names(kind);
    for (section, map) in [
        ("where", &def.matcher.conditions),
        ("unless", &def.matcher.unless),
    ] {
        for k in map.keys() {
            if !names.contains(&k.as_str()) {
                return Err((
                    vec!["match".into(), section.into(), k.clone()],
                    format!(
                        "fact `{kind}` has no attribute `{k}`; it has: {}",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    for p in placeholders(&def.message) {
        let derived = p == ENGINE_NAME && names.contains(&"engine");
        if !names.contains(&p) && !derived {
            return Err((
                vec!["message".into()],
                format!("message placeholder `{{{p}}}` is not an attribute of fact `{kind}`"),
            ));
        }
    }
    Ok(())
}
