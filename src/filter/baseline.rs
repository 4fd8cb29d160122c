//! Baselines: accepted findings keyed by fingerprint, so CI gates only on
//! new ones. The file is sorted JSON, one entry per finding, diff-friendly.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Waiver};

pub const DEFAULT_FILE: &str = ".leakguard-baseline.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    pub path: String,
    pub message: String,
    /// Why the finding is accepted, written by a person; kept when the
    /// baseline is written again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Self {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| !f.suppressed || f.waiver.as_ref().is_some_and(|w| w.kind == "baseline"))
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                path: f.path.clone(),
                message: f.message.clone(),
                reason: None,
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule_id, &a.fingerprint).cmp(&(&b.path, &b.rule_id, &b.fingerprint))
        });
        entries.dedup();
        Baseline {
            version: 1,
            findings: entries,
        }
    }

    /// Carries over the reasons given in `previous` for the findings that
    /// are still accepted.
    pub fn keep_reasons(&mut self, previous: &Baseline) {
        let reasons: std::collections::BTreeMap<&str, &str> = previous
            .findings
            .iter()
            .filter_map(|e| Some((e.fingerprint.as_str(), e.reason.as_deref()?)))
            .collect();
        for e in &mut self.findings {
            if let Some(r) = reasons.get(e.fingerprint.as_str()) {
                e.reason = Some(r.to_string());
            }
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("baseline serialises");
        s.push('\n');
        s
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| format!("not a leakguard baseline: {e}"))?;
        if b.version != 1 {
            return Err(format!("unsupported baseline version {}", b.version));
        }
        Ok(b)
    }
}

/// Waives findings in the baseline; returns (waived, entries now fixed).
pub fn apply(baseline: &Baseline, findings: &mut [Finding]) -> (usize, usize) {
    let known: std::collections::BTreeMap<&str, Option<&str>> = baseline
        .findings
        .iter()
        .map(|e| (e.fingerprint.as_str(), e.reason.as_deref()))
        .collect();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    let mut waived = 0;
    for f in findings.iter_mut() {
        if let Some((fp, reason)) = known.get_key_value(f.fingerprint.as_str()) {
            matched.insert(fp);
            if !f.suppressed {
                f.suppressed = true;
                f.waiver = Some(Waiver {
                    kind: "baseline".into(),
                    reason: Some(reason.unwrap_or("accepted in the baseline").into()),
                    line: None,
                });
                waived += 1;
            }
        }
    }
    (waived, known.len() - matched.len())
}
