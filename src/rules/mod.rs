//! The rule pack: rules are data (YAML under rules/, embedded at build time,
//! plus user rule files), each citing the policy clauses it enforces, with a
//! matcher over facts and examples the test suite runs.

pub mod matcher;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{InputError, PathKey};
use crate::finding::{Category, PolicyRef, Severity};
use crate::policies::PolicyCatalogue;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    pub policies: Vec<String>,
    pub rationale: String,
    pub remediation: String,
    /// One sentence with `{attribute}` placeholders from the matched fact.
    pub message: String,
    #[serde(rename = "match")]
    pub matcher: MatcherDef,
    #[serde(default)]
    pub examples: Vec<Example>,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatcherDef {
    /// A fact kind (see `facts::FACT_KINDS`).
    pub fact: String,
    /// Every attribute condition must hold.
    #[serde(default, rename = "where")]
    pub conditions: BTreeMap<String, Cond>,
    /// No attribute condition here may hold.
    #[serde(default)]
    pub unless: BTreeMap<String, Cond>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Cond {
    Bool(bool),
    One(String),
    Any(Vec<String>),
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Flagged,
    Clean,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    pub expect: Expect,
    /// The line a flagged example's finding must start on (first file).
    #[serde(default)]
    pub line: Option<u32>,
    /// Files of the example project: relative path -> content.
    pub files: BTreeMap<String, String>,
}

/// A validated rule in force.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    #[serde(flatten)]
    pub def: RuleDef,
    /// Where it was read from (`rules/contact/LG-STORE-001.yaml`).
    pub source: String,
    #[serde(skip)]
    pub policy_refs: Vec<PolicyRef>,
    /// The default severity before config overrides.
    pub default_severity: Severity,
    pub builtin: bool,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.def.id
    }
}

#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub policies: PolicyCatalogue,
    pub digest: String,
}

/// Overrides from config: disabled rules and severities.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub disable: Vec<String>,
    pub enable: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// The config file's path and text, so errors point into it.
    pub source: Option<(String, String)>,
}

impl RuleSet {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.def.id == id)
    }

    /// The built-in pack plus user rule files/folders, with overrides.
    pub fn load(
        user_paths: &[std::path::PathBuf],
        overrides: &Overrides,
        vocab_digest: &str,
    ) -> Result<Self, Box<InputError>> {
        let policies = PolicyCatalogue::builtin();
        let mut rules = Vec::new();
        for (path, text) in BUILTIN_RULE_FILES {
            rules.extend(parse_rule_file(path, text, &policies, true)?);
        }
        for p in user_paths {
            for (path, text) in read_user_rule_files(p)? {
                rules.extend(parse_rule_file(&path, &text, &policies, false)?);
            }
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for r in &rules {
            if let Some(prev) = seen.insert(r.def.id.clone(), r.source.clone()) {
                let text = source_text(&r.source);
                return Err(Box::new(InputError::at_path(
                    &r.source,
                    &text,
                    0,
                    &[PathKey::Key("id")],
                    format!("rule id {} is already defined in {prev}", r.def.id),
                )));
            }
        }
        let unknown = |keys: &[PathKey], message: String| {
            Box::new(match &overrides.source {
                Some((path, text)) => InputError::at_path(path, text, 0, keys, message),
                None => InputError::new("leakguard.yaml", "", 1, 1, message),
            })
        };
        for (id, sev) in &overrides.severity {
            match rules.iter_mut().find(|r| r.def.id == *id) {
                Some(r) => r.def.severity = *sev,
                None => {
                    return Err(unknown(
                        &[PathKey::Key("severity"), PathKey::Key(id)],
                        format!("severity override for unknown rule {id}"),
                    ));
                }
            }
        }
        for (i, id) in overrides.disable.iter().enumerate() {
            match rules.iter_mut().find(|r| r.def.id == *id) {
                Some(r) => r.def.enabled = false,
                None => {
                    return Err(unknown(
                        &[PathKey::Key("disable"), PathKey::Index(i)],
                        format!("cannot disable unknown rule {id}"),
                    ));
                }
            }
        }
        for (i, id) in overrides.enable.iter().enumerate() {
            match rules.iter_mut().find(|r| r.def.id == *id) {
                Some(r) => r.def.enabled = true,
                None => {
                    return Err(unknown(
                        &[PathKey::Key("enable"), PathKey::Index(i)],
                        format!("cannot enable unknown rule {id}"),
                    ));
                }
            }
        }
        rules.sort_by(|a, b| a.def.id.cmp(&b.def.id));
        let digest = digest(&rules, vocab_digest);
        Ok(RuleSet {
            rules,
            policies,
            digest,
        })
    }
}

fn source_text(source: &str) -> String {
    BUILTIN_RULE_FILES
        .iter()
        .find(|(p, _)| *p == source)
        .map(|(_, t)| t.to_string())
        .or_else(|| std::fs::read_to_string(source).ok())
        .unwrap_or_default()
}

fn read_user_rule_files(p: &Path) -> Result<Vec<(String, String)>, Box<InputError>> {
    let display = crate::discover::display_path(p);
    let read = |path: &Path| -> Result<(String, String), Box<InputError>> {
        let d = crate::discover::display_path(path);
        std::fs::read_to_string(path)
            .map(|t| (d.clone(), t))
            .map_err(|e| {
                Box::new(InputError::new(
                    &d,
                    "",
                    1,
                    1,
                    format!("cannot read rule file: {e}"),
                ))
            })
    };
    if p.is_dir() {
        let mut files: Vec<_> = walkdir::WalkDir::new(p)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
            })
            .map(|e| e.path().to_path_buf())
            .collect();
        files.sort();
        files.iter().map(|f| read(f)).collect()
    } else if p.is_file() {
        Ok(vec![read(p)?])
    } else {
        Err(Box::new(InputError::new(
            &display,
            "",
            1,
            1,
            "no such rule file or folder",
        )))
    }
}

/// Parses one rule file (one rule per YAML document) and validates it.
pub fn parse_rule_file(
    path: &str,
    text: &str,
    policies: &PolicyCatalogue,
    builtin: bool,
) -> Result<Vec<Rule>, Box<InputError>> {
    let mut out = Vec::new();
    for (doc_index, doc) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let def = RuleDef::deserialize(doc)
            .map_err(|e| Box::new(InputError::from_serde(path, text, &e)))?;
        let err = |keys: &[PathKey], msg: String| {
            Box::new(InputError::at_path(path, text, doc_index, keys, msg))
        };
        if def.id.trim().is_empty() || def.id.contains(char::is_whitespace) {
            return Err(err(
                &[PathKey::Key("id")],
                "a rule id is one word, such as LG-STORE-001".into(),
            ));
        }
        if def.policies.is_empty() {
            return Err(err(
                &[PathKey::Key("policies")],
                format!("rule {} cites no policy clause", def.id),
            ));
        }
        let mut policy_refs = Vec::new();
        for (i, pid) in def.policies.iter().enumerate() {
            match policies.get(pid) {
                Some(p) => policy_refs.push(p.to_ref()),
                None => {
                    return Err(err(
                        &[PathKey::Key("policies"), PathKey::Index(i)],
                        format!("unknown policy clause id `{pid}` (see `leakguard policies`)"),
                    ));
                }
            }
        }
        matcher::validate(&def).map_err(|(keys, msg)| {
            let keys: Vec<PathKey> = keys.iter().map(|k| PathKey::Key(k)).collect();
            err(&keys, msg)
        })?;
        out.push(Rule {
            default_severity: def.severity,
            def,
            source: path.to_string(),
            policy_refs,
            builtin,
        });
    }
    Ok(out)
}

fn digest(rules: &[Rule], vocab_digest: &str) -> String {
    let mut h = Sha256::new();
    for r in rules {
        let json = serde_json::to_string(&r.def).expect("rule definitions serialise");
        h.update(json.as_bytes());
        h.update(b"\n");
    }
    h.update(crate::policies::POLICIES_YAML.as_bytes());
    h.update(vocab_digest.as_bytes());
    format!("sha256:{}", hex(&h.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
