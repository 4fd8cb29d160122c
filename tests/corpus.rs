//! The generalisation corpus: every folder under tests/corpus is a small,
//! realistic project with a `.expected.json` label file in the acceptance
//! suite's format. The built binary runs `check --format json .` in each
//! folder and its findings are matched against the labels exactly as the
//! acceptance scorer does: category, path, line within a range, `via`,
//! `allow`, `expect_errors`, one finding per expectation (maximum bipartite
//! matching); suppressed findings and other categories are ignored.
//!
//! The test fails listing every missed expectation and every false
//! positive, except the entries in [`KNOWN_GAPS`], which name what another
//! engineer's work in progress does not yet handle.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const CATEGORIES: &[&str] = &[
    "contact-field-stored",
    "public-datastore-binding",
    "missing-auth",
    "contact-data-exposed",
    "contact-data-logged",
];

/// What a known gap tolerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// An expectation that may be missed (matched by its label `note`).
    Miss,
    /// A finding that may be reported without a label (category, path, line).
    FalsePositive,
}

/// Known gaps of the Rust front end (src/frontend/rust/**), which is being
/// refactored by another engineer: `(case, gap, category, path, line or
/// note)`. A `Miss` names the label's `note`; a `FalsePositive` names the
/// finding's line. The labels themselves stay as the labelling rules say.
/// Remove an entry once the front end handles it (the test reports stale
/// entries).
const KNOWN_GAPS: &[(&str, Gap, &str, &str, &str)] = &[];

#[derive(Debug, Clone)]
struct Range(u64, u64);

#[derive(Debug, Clone)]
struct Loc {
    path: String,
    ranges: Option<Vec<Range>>,
}

#[derive(Debug, Clone)]
struct Expectation {
    category: String,
    loc: Loc,
    via: Option<Vec<Loc>>,
    note: String,
}

#[derive(Debug, Clone)]
struct Finding {
    category: String,
    path: String,
    line: Option<u64>,
    related: Vec<(String, Option<u64>)>,
    rule_id: String,
    message: String,
}

fn parse_ranges(v: Option<&Value>) -> Option<Vec<Range>> {
    let v = v?;
    let arr = v.as_array().expect("lines must be an array");
    if arr.len() == 2 && arr.iter().all(Value::is_u64) {
        return Some(vec![Range(
            arr[0].as_u64().unwrap(),
            arr[1].as_u64().unwrap(),
        )]);
    }
    let mut out = Vec::new();
    for r in arr {
        out.extend(parse_ranges(Some(r)).expect("nested range"));
    }
    Some(out)
}

fn norm(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn parse_entry(e: &Value, case: &Path) -> Expectation {
    let category = e["category"].as_str().expect("category").to_string();
    assert!(
        CATEGORIES.contains(&category.as_str()),
        "{}: unknown category {category}",
        case.display()
    );
    let path = e["path"].as_str().expect("path").to_string();
    let ranges = parse_ranges(e.get("lines"));
    if path != "*" {
        assert!(
            case.join(&path).is_file(),
            "{}: no such file {path}",
            case.display()
        );
    }
    let via = e.get("via").map(|v| {
        v.as_array()
            .expect("via list")
            .iter()
            .map(|x| Loc {
                path: x["path"].as_str().expect("via path").to_string(),
                ranges: parse_ranges(x.get("lines")),
            })
            .collect()
    });
    Expectation {
        category,
        loc: Loc {
            path: if path == "*" { path } else { norm(&path) },
            ranges,
        },
        via,
        note: e
            .get("note")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

fn in_ranges(line: Option<u64>, ranges: &Option<Vec<Range>>) -> bool {
    match ranges {
        None => true,
        Some(rs) => line.is_some_and(|l| rs.iter().any(|Range(a, b)| *a <= l && l <= *b)),
    }
}

fn matches(e: &Expectation, f: &Finding) -> bool {
    if f.category != e.category {
        return false;
    }
    if e.loc.path != "*" && (f.path != e.loc.path || !in_ranges(f.line, &e.loc.ranges)) {
        return false;
    }
    if let Some(via) = &e.via {
        let mut locs = vec![(f.path.clone(), f.line)];
        locs.extend(f.related.iter().cloned());
        let ok = via.iter().any(|v| {
            let vp = norm(&v.path);
            locs.iter()
                .any(|(p, l)| *p == vp && in_ranges(*l, &v.ranges))
        });
        if !ok {
            return false;
        }
    }
    true
}

/// Maximum bipartite matching: expectation index -> finding index.
fn max_matching(candidates: &[Vec<usize>]) -> Vec<Option<usize>> {
    fn augment(
        i: usize,
        cand: &[Vec<usize>],
        owner: &mut Vec<Option<usize>>,
        seen: &mut BTreeSet<usize>,
    ) -> bool {
        for &j in &cand[i] {
            if !seen.insert(j) {
                continue;
            }
            if owner[j].is_none() || augment(owner[j].unwrap(), cand, owner, seen) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    let n_find = candidates
        .iter()
        .flatten()
        .copied()
        .max()
        .map_or(0, |m| m + 1);
    let mut owner: Vec<Option<usize>> = vec![None; n_find];
    for i in 0..candidates.len() {
        augment(i, candidates, &mut owner, &mut BTreeSet::new());
    }
    let mut out = vec![None; candidates.len()];
    for (j, o) in owner.iter().enumerate() {
        if let Some(i) = o {
            out[*i] = Some(j);
        }
    }
    out
}

fn line_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    })
}

fn rel_path(p: &str, case: &Path) -> String {
    let pp = Path::new(p);
    if pp.is_absolute() {
        let base = case.canonicalize().unwrap_or_else(|_| case.to_path_buf());
        if let Ok(r) = pp.strip_prefix(&base) {
            return norm(&r.to_string_lossy());
        }
    }
    norm(p)
}

struct CaseResult {
    tp: usize,
    n_exp: usize,
    problems: Vec<String>,
    used_gaps: BTreeSet<usize>,
}

fn run_case(bin: &Path, case: &Path) -> CaseResult {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let label: Value = serde_json::from_str(
        &std::fs::read_to_string(case.join(".expected.json")).expect("read label"),
    )
    .unwrap_or_else(|e| panic!("{name}: bad label JSON: {e}"));
    assert!(
        label["description"].is_string(),
        "{name}: description missing"
    );
    let exps: Vec<Expectation> = label["expect"]
        .as_array()
        .map(|a| a.iter().map(|e| parse_entry(e, case)).collect())
        .unwrap_or_default();
    let allows: Vec<Expectation> = label
        .get("allow")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|e| parse_entry(e, case)).collect())
        .unwrap_or_default();
    let expect_errors: Vec<String> = label
        .get("expect_errors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| norm(p.as_str().expect("error path")))
                .collect()
        })
        .unwrap_or_default();

    let out = Command::new(bin)
        .args(["check", "--format", "json", "."])
        .current_dir(case)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run leakguard");
    let mut res = CaseResult {
        tp: 0,
        n_exp: exps.len() + expect_errors.len(),
        problems: Vec::new(),
        used_gaps: BTreeSet::new(),
    };
    let code = out.status.code();
    if !matches!(code, Some(0) | Some(1)) {
        res.problems.push(format!(
            "{name}: exit status {code:?}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
        return res;
    }
    let doc: Value = match serde_json::from_slice(&out.stdout) {
        Ok(d) => d,
        Err(e) => {
            res.problems
                .push(format!("{name}: stdout is not JSON: {e}"));
            return res;
        }
    };
    let findings: Vec<Finding> = doc["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .filter(|f| {
            f["category"]
                .as_str()
                .is_some_and(|c| CATEGORIES.contains(&c))
                && f.get("suppressed").and_then(Value::as_bool) != Some(true)
        })
        .map(|f| Finding {
            category: f["category"].as_str().unwrap_or("").to_string(),
            path: rel_path(f["path"].as_str().unwrap_or(""), case),
            line: line_of(&f["line"]),
            related: f
                .get("related")
                .and_then(Value::as_array)
                .map(|rs| {
                    rs.iter()
                        .map(|r| {
                            (
                                rel_path(r["path"].as_str().unwrap_or(""), case),
                                line_of(&r["line"]),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            rule_id: f["rule_id"].as_str().unwrap_or("?").to_string(),
            message: f["message"].as_str().unwrap_or("").replace('\n', " "),
        })
        .collect();

    let candidates: Vec<Vec<usize>> = exps
        .iter()
        .map(|e| {
            (0..findings.len())
                .filter(|&j| matches(e, &findings[j]))
                .collect()
        })
        .collect();
    let assignment = max_matching(&candidates);
    let mut accounted: BTreeSet<usize> = candidates.iter().flatten().copied().collect();
    for a in &allows {
        accounted.extend((0..findings.len()).filter(|&j| matches(a, &findings[j])));
    }
    for (i, e) in exps.iter().enumerate() {
        if assignment[i].is_some() {
            res.tp += 1;
            continue;
        }
        let gap = KNOWN_GAPS.iter().position(|(c, g, cat, p, note)| {
            *c == name
                && *g == Gap::Miss
                && *cat == e.category
                && *p == e.loc.path
                && *note == e.note
        });
        match gap {
            Some(g) => {
                res.used_gaps.insert(g);
            }
            None => res.problems.push(format!(
                "{name}: missed {} {}{} ({})",
                e.category,
                e.loc.path,
                e.loc
                    .ranges
                    .as_ref()
                    .map(|r| format!(
                        ":{}",
                        r.iter()
                            .map(|Range(a, b)| format!("{a}-{b}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    ))
                    .unwrap_or_default(),
                e.note
            )),
        }
    }
    for (j, f) in findings.iter().enumerate() {
        if accounted.contains(&j) {
            continue;
        }
        let gap = KNOWN_GAPS.iter().position(|(c, g, cat, p, line)| {
            *c == name
                && *g == Gap::FalsePositive
                && *cat == f.category
                && *p == f.path
                && f.line.is_some_and(|l| l.to_string() == *line)
        });
        match gap {
            Some(g) => {
                res.used_gaps.insert(g);
            }
            None => res.problems.push(format!(
                "{name}: false positive {} {}:{} [{}] {}",
                f.category,
                f.path,
                f.line.map(|l| l.to_string()).unwrap_or_else(|| "?".into()),
                f.rule_id,
                f.message
            )),
        }
    }
    let reported: BTreeSet<String> = doc
        .get("errors")
        .and_then(Value::as_array)
        .map(|es| {
            es.iter()
                .filter_map(|e| e["path"].as_str())
                .map(|p| rel_path(p, case))
                .collect()
        })
        .unwrap_or_default();
    for p in &expect_errors {
        if reported.contains(p) {
            res.tp += 1;
        } else {
            res.problems
                .push(format!("{name}: missed parse error for {p}"));
        }
    }
    res
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
}

#[test]
fn corpus_cases_match_their_labels() {
    let bin = Path::new(env!("CARGO_BIN_EXE_leakguard"));
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join(".expected.json").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected at least 20 corpus cases, found {}",
        cases.len()
    );

    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    let (mut tp, mut n_exp) = (0, 0);
    for case in &cases {
        let r = run_case(bin, case);
        tp += r.tp;
        n_exp += r.n_exp;
        problems.extend(r.problems);
        used.extend(r.used_gaps);
    }
    let stale: Vec<String> = KNOWN_GAPS
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, g)| format!("{g:?}"))
        .collect();
    eprintln!(
        "corpus: {} cases, {tp}/{n_exp} expectations met, {} known gaps tolerated",
        cases.len(),
        used.len()
    );
    if !stale.is_empty() {
        eprintln!(
            "known gaps no longer needed (remove them):\n  {}",
            stale.join("\n  ")
        );
    }
    assert!(
        problems.is_empty(),
        "{} corpus problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn matching_is_one_finding_per_expectation() {
    // Two expectations that one finding could meet need two findings.
    let cand = vec![vec![0], vec![0, 1], vec![1]];
    let m = max_matching(&cand);
    assert_eq!(m.iter().filter(|x| x.is_some()).count(), 2);
    let m = max_matching(&[vec![0, 1], vec![0]]);
    assert_eq!(m, vec![Some(1), Some(0)]);
}
