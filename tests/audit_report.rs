//! The auditor's report (`leakguard report`, `report::audit::{html,
//! markdown}`): snapshots of both formats on the examples, escaping of
//! hostile names and contents, no external resource in the HTML, git
//! provenance, and the CLI's file and exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::finding::Severity;
use leakguard::report::audit::{self, AuditInput, GitProvenance};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

const FIXED_TIME: &str = "2026-11-20 12:00:00 UTC";
const BIN: &str = env!("CARGO_BIN_EXE_leakguard");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> RuleSet {
    RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load")
}

fn scan(paths: &[PathBuf], rules: &RuleSet) -> ScanResult {
    let opts = ScanOptions {
        paths: paths.to_vec(),
        threads: 1,
        ..Default::default()
    };
    engine::scan(&opts, rules, &Vocabulary::builtin())
}

fn input<'a>(result: &'a ScanResult, rules: &'a RuleSet, paths: &[&str]) -> AuditInput<'a> {
    AuditInput {
        result,
        rules,
        threshold: Severity::Low,
        paths: paths.iter().map(|p| p.to_string()).collect(),
        generated_at: FIXED_TIME.into(),
        tool_version: "0.0.0-test".into(),
        git: GitProvenance::NotRecorded,
    }
}

/// Renders an example with relative display paths (the tests run from the
/// crate root), the digest masked so rule edits alone do not churn it.
fn render_example(name: &str) -> (String, String) {
    let rel = format!("examples/{name}");
    let rules = rules();
    // Relative to the crate root (cargo runs tests there), as a user types it.
    let result = scan(&[PathBuf::from(&rel)], &rules);
    let inp = input(&result, &rules, &[&rel]);
    let mask = |s: String| s.replace(&result.rules_digest, "sha256:(digest)");
    (mask(audit::html(&inp)), mask(audit::markdown(&inp)))
}

#[test]
fn snapshot_leaky_example() {
    let (html, md) = render_example("leaky-agency");
    assert!(html.contains(">FAIL<"), "the leaky example fails");
    insta::assert_snapshot!("leaky_agency_html", html);
    insta::assert_snapshot!("leaky_agency_markdown", md);
}

#[test]
fn snapshot_compliant_example() {
    let (html, md) = render_example("compliant-agency");
    insta::assert_snapshot!("compliant_agency_html", html);
    insta::assert_snapshot!("compliant_agency_markdown", md);
}

#[test]
fn output_is_deterministic() {
    let (a, b) = render_example("leaky-agency");
    let (c, d) = render_example("leaky-agency");
    assert_eq!(a, c);
    assert_eq!(b, d);
}

// ---------------------------------------------------------------------------
// Hostile names and contents.

const HOSTILE_COMPOSE: &str = r#"services:
  search:
    image: elasticsearch:8.13.0
    environment:
      - xpack.security.enabled=false
      - "NOTE=<img src=x onerror=alert(1)>"
    ports:
      - "9200:9200"
"#;

const HOSTILE_SQL: &str = "-- </code></pre><script>alert(2)</script> | `tick` ``` ~~~\n\
CREATE TABLE \"<b>creators</b>|x\" (\n  id BIGINT PRIMARY KEY,\n  email TEXT NOT NULL, -- <iframe src=//evil>\u{202E} `|`\n  phone_number TEXT\n);\n";

fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    // A file shown as `<script>alert(1)</script>.yml`: the `/` makes a folder.
    let d = dir.path().join("<script>alert(1)<");
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("script>.yml"), HOSTILE_COMPOSE).expect("write");
    let m = dir.path().join("migrations");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(m.join("0001_we`ird|<i>name.sql"), HOSTILE_SQL).expect("write");
    // A compose file holding HTML in its values, under a normal name.
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n      POSTGRES_DB: \"<svg onload=alert(3)>\"\n    ports:\n      - \"5432:5432\"\n",
    )
    .expect("write");
    dir
}

/// Raw HTML tags in the document, outside our own markup.
fn foreign_tags(html: &str) -> Vec<String> {
    const BAD: &[&str] = &[
        "<script", "<img", "<iframe", "<svg", "<b>", "<i>", "</script",
    ];
    let lower = html.to_ascii_lowercase();
    BAD.iter()
        .filter(|t| lower.contains(*t))
        .map(|t| t.to_string())
        .collect()
}

#[test]
fn hostile_names_and_contents_are_escaped_in_html() {
    let dir = hostile_tree();
    let rules = rules();
    let result = scan(&[dir.path().to_path_buf()], &rules);
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.path.contains("<script>alert(1)</script>.yml")),
        "the hostile compose file is scanned: {:?}",
        result.findings.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    let root = dir.path().display().to_string();
    let inp = input(&result, &rules, &[&root]);
    let html = audit::html(&inp);
    assert_eq!(foreign_tags(&html), Vec::<String>::new(), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.yml"));
    assert!(html.contains("&lt;b&gt;creators&lt;/b&gt;"));
    // The bidi override is shown, not applied.
    assert!(!html.contains('\u{202E}'));
    assert!(html.contains("&lt;U+202E&gt;"));
    // Our own markup is intact: one body, balanced excerpts.
    assert_eq!(html.matches("<body>").count(), 1);
    assert_eq!(html.matches("<pre").count(), html.matches("</pre>").count());
}

/// Strips fenced blocks and code spans, which render their text literally.
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) && t.trim_end().chars().all(|c| c == '`') {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            let n = t.chars().take_while(|&c| c == '`').count();
            fence = Some("`".repeat(n));
            continue;
        }
        // Code spans: a run of n backticks up to the next run of exactly n.
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' && i + 1 < chars.len() {
                out.push(chars[i]);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            if chars[i] == '`' {
                let n = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + n;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let m = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if m == n {
                            closed = Some(j + m);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => {
                        out.push_str("CODE");
                        i = end;
                    }
                    None => {
                        out.push_str(&"`".repeat(n));
                        i += n;
                    }
                }
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        out.push('\n');
    }
    out
}

/// Unescaped `|` in a table row (escaped ones stay inside the cell).
fn cell_separators(row: &str) -> usize {
    let b = row.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
        .count()
}

fn assert_markdown_safe(md: &str) {
    assert!(!md.contains('\u{202E}'));
    let prose = outside_code(md);
    for (n, line) in prose.lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find('<') {
            let escaped = pos > 0 && rest.as_bytes()[pos - 1] == b'\\';
            let ours = ["<a id=\"", "</a>", "<br>"]
                .iter()
                .any(|t| rest[pos..].starts_with(t));
            assert!(escaped || ours, "raw `<` on line {}: {line}", n + 1);
            rest = &rest[pos + 1..];
        }
    }
    // Every table row has as many cells as its header.
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cell_separators(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(n, h, "table row breaks its columns: {line}"),
            }
        } else {
            header = None;
        }
    }
}

#[test]
fn hostile_names_and_contents_are_escaped_in_markdown() {
    let dir = hostile_tree();
    let rules = rules();
    let result = scan(&[dir.path().to_path_buf()], &rules);
    let root = dir.path().display().to_string();
    let inp = input(&result, &rules, &[&root]);
    let md = audit::markdown(&inp);
    assert_markdown_safe(&md);
    assert!(md.contains("script>.yml"), "{md}");
    // A code span holding backticks gets a longer fence.
    assert!(md.contains("``"), "{md}");
}

#[test]
fn examples_markdown_tables_hold_their_shape() {
    for name in ["leaky-agency", "compliant-agency"] {
        let (_, md) = render_example(name);
        assert_markdown_safe(&md);
    }
}

// ---------------------------------------------------------------------------
// Waivers.

#[test]
fn waivers_show_their_reason_and_flag_a_missing_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let m = dir.path().join("migrations");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(
        m.join("001_leads.sql"),
        "CREATE TABLE leads (\n  id BIGINT PRIMARY KEY,\n  \
-- leakguard-ignore LG-STORE-001: invoices need it; <b>reviewed</b> by the DPO\n  \
email TEXT,\n  phone_number TEXT\n);\n",
    )
    .expect("write");
    let rules = rules();
    let paths = [dir.path().to_path_buf()];
    let first = scan(&paths, &rules);
    let inline = first
        .findings
        .iter()
        .find(|f| f.suppressed)
        .expect("the inline suppression waives the e-mail column");
    assert_eq!(
        inline.waiver.as_ref().map(|w| w.kind.as_str()),
        Some("inline")
    );
    // Accept the phone column in a baseline: the baseline records no reason.
    let phone: Vec<_> = first
        .findings
        .iter()
        .filter(|f| !f.suppressed)
        .cloned()
        .collect();
    assert!(!phone.is_empty());
    let opts = ScanOptions {
        paths: paths.to_vec(),
        threads: 1,
        baseline: Some(leakguard::filter::baseline::Baseline::from_findings(&phone)),
        ..Default::default()
    };
    let result = engine::scan(&opts, &rules, &Vocabulary::builtin());
    assert!(result.findings.iter().all(|f| f.suppressed));
    let root = dir.path().display().to_string();
    let inp = input(&result, &rules, &[&root]);

    let html = audit::html(&inp);
    assert!(html.contains(">PASS<"), "waived findings do not fail");
    assert!(html.contains("invoices need it; &lt;b&gt;reviewed&lt;/b&gt; by the DPO"));
    assert!(html.contains("inline suppression comment at line 3"));
    assert!(html.contains("accepted in the baseline file"));
    assert!(html.contains("class=\"card s-medium noreason\""), "{html}");
    assert!(html.contains("No reason given"));
    assert_eq!(foreign_tags(&html), Vec::<String>::new());

    let md = audit::markdown(&inp);
    assert_markdown_safe(&md);
    assert!(md.contains("**No reason given.**"));
    assert!(
        md.contains("invoices need it; \\<b\\>reviewed\\</b\\> by the DPO"),
        "{md}"
    );
}

// ---------------------------------------------------------------------------
// No external resource.

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find(&needle) {
        let after = &rest[p + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

#[test]
fn html_has_no_external_resource_or_script() {
    let rules = rules();
    let policy_urls: Vec<String> = rules
        .policies
        .by_id
        .values()
        .map(|p| p.url.replace('&', "&amp;"))
        .collect();
    let dir = hostile_tree();
    for html in [
        render_example("leaky-agency").0,
        render_example("compliant-agency").0,
        {
            let result = scan(&[dir.path().to_path_buf()], &rules);
            let root = dir.path().display().to_string();
            audit::html(&input(&result, &rules, &[&root]))
        },
    ] {
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "no script element");
        assert!(!lower.contains("<link"), "no linked stylesheet");
        assert!(
            !lower.contains("@import") && !lower.contains("url("),
            "no CSS fetch"
        );
        assert!(attr_values(&html, "src").is_empty(), "no src attribute");
        assert!(
            attr_values(&html, "srcset").is_empty(),
            "no srcset attribute"
        );
        let hrefs = attr_values(&html, "href");
        assert!(!hrefs.is_empty());
        for h in hrefs {
            assert!(
                h.starts_with('#') || policy_urls.iter().any(|u| u == h),
                "href {h} is neither an in-page anchor nor a policy link"
            );
        }
        // Every in-page link has its target.
        for h in attr_values(&html, "href") {
            if let Some(id) = h.strip_prefix('#') {
                assert!(
                    html.contains(&format!("id=\"{id}\"")),
                    "no target for #{id}"
                );
            }
        }
        assert!(html.contains("@media print"));
        assert!(html.contains("name=\"viewport\""));
    }
}

// ---------------------------------------------------------------------------
// Git provenance.

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "git {args:?}");
}

#[test]
fn git_provenance_outside_and_inside_a_repository() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(
        audit::git_provenance(dir.path()),
        GitProvenance::NotRepository
    );
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("a.sql"), "SELECT 1;\n").expect("write");
    git(dir.path(), &["add", "a.sql"]);
    git(dir.path(), &["commit", "-q", "-m", "one"]);
    let GitProvenance::Commit { commit, dirty } = audit::git_provenance(dir.path()) else {
        panic!("a repository");
    };
    assert_eq!(commit.len(), 40);
    assert_eq!(dirty, Some(false));
    // A file path resolves to its folder's repository.
    std::fs::write(dir.path().join("a.sql"), "SELECT 2;\n").expect("write");
    assert_eq!(
        audit::git_provenance(&dir.path().join("a.sql")),
        GitProvenance::Commit {
            commit,
            dirty: Some(true)
        }
    );
}

// ---------------------------------------------------------------------------
// The CLI.

fn run(args: &[&str]) -> Option<i32> {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs")
        .status
        .code()
}

#[test]
fn cli_report_writes_the_file_with_check_exit_codes() {
    let out = tempfile::tempdir().expect("tmp");
    for (example, expected) in [
        ("examples/leaky-agency", 1),
        ("examples/compliant-agency", 0),
    ] {
        let check = run(&["check", "--format", "json", example]);
        assert_eq!(check, Some(expected), "check {example}");
        for format in ["html", "markdown"] {
            let file = out.path().join(format!("r.{format}"));
            let file_s = file.display().to_string();
            let code = run(&["report", example, "--format", format, "--output", &file_s]);
            assert_eq!(code, check, "report {format} {example} exits as check");
            let text = std::fs::read_to_string(&file).expect("report written");
            match format {
                "html" => assert!(text.starts_with("<!DOCTYPE html>")),
                _ => assert!(text.starts_with("# Data-policy audit report")),
            }
            assert!(text.contains(example));
            std::fs::remove_file(&file).expect("rm");
        }
    }
    let file = out.path().join("r.html");
    let file_s = file.display().to_string();
    // --no-fail: a failing scan still exits 0.
    let code = run(&[
        "report",
        "examples/leaky-agency",
        "--no-fail",
        "--output",
        &file_s,
    ]);
    assert_eq!(code, Some(0));
    assert!(file.exists());
    // --fail-on raises the threshold as in check.
    let code = run(&[
        "report",
        "examples/leaky-agency",
        "--fail-on",
        "critical",
        "--output",
        &file_s,
    ]);
    assert_eq!(
        code,
        run(&["check", "--fail-on", "critical", "examples/leaky-agency"])
    );
    // Usage errors: no output file, unknown path, unknown format.
    assert_eq!(run(&["report", "examples/leaky-agency"]), Some(2));
    assert_eq!(
        run(&["report", "no/such/folder", "--output", &file_s]),
        Some(2)
    );
    assert_eq!(
        run(&[
            "report",
            "examples/leaky-agency",
            "--format",
            "pdf",
            "--output",
            &file_s
        ]),
        Some(2)
    );
    assert_eq!(
        run(&[
            "report",
            "examples/leaky-agency",
            "--no-fail",
            "--output",
            "/nonexistent-dir/x.html"
        ]),
        Some(2)
    );
}

#[test]
fn cli_report_lists_rules_changed_by_config_and_git_state() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("db")).expect("mkdir");
    std::fs::write(
        dir.path().join("db/001.sql"),
        "CREATE TABLE subscribers (id INT, email TEXT);\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("leakguard.yaml"),
        "severity:\n  LG-STORE-001: info\ndisable:\n  - LG-LOG-001\n",
    )
    .expect("write");
    let file = dir.path().join("report.md");
    let out = Command::new(BIN)
        .args(["report", "--format", "markdown", "--output"])
        .arg(&file)
        .arg(dir.path())
        .output()
        .expect("runs");
    let check = Command::new(BIN)
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), check.status.code());
    let md = std::fs::read_to_string(&file).expect("written");
    assert!(
        md.contains("`LG-LOG-001` Contact data written to logs: **disabled by configuration**"),
        "{md}"
    );
    assert!(
        md.contains("severity info instead of the default medium"),
        "{md}"
    );
    assert!(md.contains("not a git repository"), "{md}");
}
