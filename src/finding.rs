//! The one finding type every report renders.

use serde::{Deserialize, Serialize};

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The closed category vocabulary of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    ContactFieldStored,
    PublicDatastoreBinding,
    MissingAuth,
    ContactDataExposed,
    ContactDataLogged,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::ContactDataExposed,
        Category::PublicDatastoreBinding,
        Category::MissingAuth,
        Category::ContactFieldStored,
        Category::ContactDataLogged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::ContactFieldStored => "contact-field-stored",
            Category::PublicDatastoreBinding => "public-datastore-binding",
            Category::MissingAuth => "missing-auth",
            Category::ContactDataExposed => "contact-data-exposed",
            Category::ContactDataLogged => "contact-data-logged",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRef {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// Why a finding is waived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// `inline` (a comment in the file) or `baseline`.
    pub kind: String,
    pub reason: Option<String>,
    /// Where the inline comment is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub category: Category,
    pub severity: Severity,
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
    pub message: String,
    pub policy: Vec<PolicyRef>,
    pub related: Vec<Related>,
    pub fingerprint: String,
    pub suppressed: bool,
    /// Additions to the contract: the rule's title, the fix, and the waiver.
    pub title: String,
    pub remediation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Waiver>,
    /// Normalised flagged text, the fingerprint's input.
    #[serde(skip)]
    pub anchor: String,
}

impl Finding {
    /// The contract's order: path, line, column, rule id (then the rest, so
    /// that the order is total and output byte-identical).
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.path,
            self.span.line,
            self.span.column,
            &self.rule_id,
            self.span.end_line,
            self.span.end_column,
            &self.message,
        )
    }
}
