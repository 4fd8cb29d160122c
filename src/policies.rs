//! The policy catalogue (rules/policies.yaml): the clauses rules cite.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::PolicyRef;

pub const POLICIES_YAML: &str = include_str!("../rules/policies.yaml");

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub document: String,
    pub clause: String,
    pub summary: String,
    pub url: String,
    pub status: String,
}

impl Policy {
    pub fn title(&self) -> String {
        format!("{} {}", self.document, self.clause)
    }

    pub fn to_ref(&self) -> PolicyRef {
        PolicyRef {
            id: self.id.clone(),
            title: self.title(),
            url: self.url.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    policies: Vec<Policy>,
}

#[derive(Debug, Clone, Default)]
pub struct PolicyCatalogue {
    pub by_id: BTreeMap<String, Policy>,
}

impl PolicyCatalogue {
    pub fn builtin() -> Self {
        let file: PolicyFile =
            serde_yaml::from_str(POLICIES_YAML).expect("built-in policy catalogue is valid");
        PolicyCatalogue {
            by_id: file
                .policies
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.by_id.get(id)
    }
}
