//! The CI and pre-commit user: every output format (SARIF against the
//! official schema, well-formed JUnit, GitHub annotations), `--output`, exit
//! codes, baselines, inline suppressions, pre-commit and diff scope, and
//! hostile file names. Runs the built binary on small temporary projects.
//!
//! Most findings come from `tests/fixtures/cli/test-rules.yaml`, rules over
//! `.env` values, so these tests depend on no front end but the dotenv one.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_leakguard");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

fn rules() -> String {
    fixture("test-rules.yaml").to_string_lossy().into_owned()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the leakguard binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `check --rules <test rules> ARGS...`
fn check(dir: &Path, args: &[&str]) -> Run {
    let r = rules();
    let mut all = vec!["check", "--rules", r.as_str()];
    all.extend_from_slice(args);
    run(dir, &all)
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr))
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    // An empty config marks the repository root.
    write(d.path(), "leakguard.yaml", "");
    d
}

fn findings(doc: &Value) -> Vec<Value> {
    doc["findings"].as_array().cloned().unwrap_or_default()
}

fn paths_of(doc: &Value) -> Vec<String> {
    findings(doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn active(doc: &Value) -> Vec<Value> {
    findings(doc)
        .into_iter()
        .filter(|f| f["suppressed"] == false)
        .collect()
}

/// A file name no report may choke on: quotes, markup, separators of the
/// GitHub command syntax, a percent sign, non-ASCII and a newline.
const HOSTILE: &str = ".env.q\"uo'te <script>alert(1)&amp; a,b:c%d é\nnext";

fn hostile_project() -> tempfile::TempDir {
    let d = project();
    write(
        d.path(),
        HOSTILE,
        "PASSWORD=\"<b>&amp;]]></b>\"\nEXPORT_URL=http://x\n# leakguard-ignore T-ENV-003: debug only in the local sandbox\nDEBUG=1\n",
    );
    write(d.path(), "app/.env", "PASSWORD=x\n");
    // A file that cannot be scanned: binary content.
    std::fs::write(d.path().join("broken.sql"), b"CREATE TABLE t (\0);").unwrap();
    d
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
}

#[test]
fn sarif_validates_and_carries_rules_results_and_suppressions() {
    let d = hostile_project();
    let r = check(d.path(), &["--format", "sarif", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    assert_valid_sarif(&doc);
    // The validator does reject a broken log.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_validator().is_valid(&broken));
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "leakguard");
    assert!(driver["semanticVersion"].is_string());
    assert!(driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in ["T-ENV-001", "T-ENV-002", "T-ENV-003"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let t1 = rules.iter().find(|r| r["id"] == "T-ENV-001").unwrap();
    assert_eq!(t1["name"], "PasswordSetInAnEnvFile");
    assert_eq!(
        t1["shortDescription"]["text"],
        "Password set in an env file"
    );
    assert_eq!(t1["fullDescription"]["text"], "A test rule.");
    assert!(
        t1["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Remove the password.")
    );
    assert!(
        t1["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("gdpr-32-2")
    );
    assert!(t1["helpUri"].as_str().unwrap().ends_with("#t-env-001"));
    assert_eq!(t1["defaultConfiguration"]["level"], "error");
    assert_eq!(t1["properties"]["security-severity"], "8.0");
    let tags: Vec<&str> = t1["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(tags.contains(&"missing-auth") && tags.contains(&"gdpr-32-2"));
    let t3 = rules.iter().find(|r| r["id"] == "T-ENV-003").unwrap();
    assert_eq!(t3["defaultConfiguration"]["level"], "note");
    assert_eq!(t3["properties"]["security-severity"], "1.0");

    let results = run["results"].as_array().unwrap();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at its rule"
        );
        assert!(res["partialFingerprints"]["leakguard/v1"].is_string());
    }
    // Percent-encoded URI of the hostile file, relative to %SRCROOT%.
    let hostile: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "T-ENV-001")
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with(".env.q%22uo%27te%20%3Cscript%3E")
        })
        .collect();
    assert_eq!(hostile.len(), 1, "{results:#?}");
    let loc = &hostile[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .contains("%C3%A9%0Anext")
    );
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 1);
    assert_eq!(hostile[0]["level"], "error");
    // The chain category carries a code flow.
    let chain = results.iter().find(|r| r["ruleId"] == "T-ENV-002").unwrap();
    assert_eq!(
        chain["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The inline suppression, with its justification.
    let debug = results.iter().find(|r| r["ruleId"] == "T-ENV-003").unwrap();
    assert_eq!(debug["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        debug["suppressions"][0]["justification"],
        "debug only in the local sandbox"
    );
    // The unreadable file is a notification; the run is still complete.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    assert!(
        inv["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("broken.sql"))
    );
}

#[test]
fn sarif_marks_baselined_findings_external() {
    let d = project();
    write(d.path(), ".env", "PASSWORD=x\n");
    let r = check(d.path(), &["--format", "json", "."]);
    let _ = r;
    let b = run(d.path(), &["baseline", "--rules", &rules(), "."]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let r = check(
        d.path(),
        &[
            "--format",
            "sarif",
            "--baseline",
            ".leakguard-baseline.json",
            ".",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    assert_valid_sarif(&doc);
    let res = &doc["runs"][0]["results"][0];
    assert_eq!(res["suppressions"][0]["kind"], "external");
}

#[test]
fn junit_is_well_formed_with_one_case_per_rule() {
    let d = hostile_project();
    let r = check(d.path(), &["--format", "junit", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = quick_junit::Report::deserialize_from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not well-formed JUnit: {e}\n{}", r.stdout));
    assert_eq!(report.test_suites.len(), 1);
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "leakguard");
    let rules_json = run(
        d.path(),
        &["rules", "--format", "json", "--rules", &rules()],
    );
    let enabled = json(&rules_json)
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["enabled"] == true)
        .count();
    let per_rule = suite
        .test_cases
        .iter()
        .filter(|c| c.name.as_str().starts_with("LG-") || c.name.as_str().starts_with("T-"))
        .count();
    assert_eq!(per_rule, enabled);
    let case = |prefix: &str| {
        suite
            .test_cases
            .iter()
            .find(|c| c.name.as_str().starts_with(prefix))
            .unwrap_or_else(|| panic!("no test case {prefix}"))
    };
    let t1 = case("T-ENV-001");
    assert_eq!(t1.name.as_str(), "T-ENV-001 Password set in an env file");
    assert_eq!(t1.classname.as_ref().unwrap().as_str(), "missing-auth");
    match &t1.status {
        quick_junit::TestCaseStatus::NonSuccess { description, .. } => {
            let text = description.as_ref().unwrap().as_str();
            assert!(text.contains("app/.env:1:1 PASSWORD is set in an env file."));
            assert!(text.contains("<script>alert(1)&amp;"), "{text}");
        }
        other => panic!("T-ENV-001 should fail: {other:?}"),
    }
    // Suppressed: passes.
    assert!(matches!(
        case("T-ENV-003").status,
        quick_junit::TestCaseStatus::Success { .. }
    ));
    match &case("parse-errors").status {
        quick_junit::TestCaseStatus::NonSuccess { description, .. } => {
            assert!(
                description
                    .as_ref()
                    .unwrap()
                    .as_str()
                    .contains("broken.sql")
            );
        }
        other => panic!("parse-errors should fail: {other:?}"),
    }
    // A clean project: every case passes.
    let clean = project();
    write(clean.path(), ".env", "USER=app\n");
    let r = check(clean.path(), &["--format", "junit", "."]);
    assert_eq!(r.code, 0);
    let report = quick_junit::Report::deserialize_from_str(&r.stdout).unwrap();
    assert!(
        report.test_suites[0]
            .test_cases
            .iter()
            .all(|c| matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
    );
}

#[test]
fn github_annotations_escape_properties_and_messages() {
    let d = hostile_project();
    let r = check(d.path(), &["--format", "github", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // Every line is a whole command or the summary: nothing broke a line.
    for l in &lines {
        assert!(
            l.starts_with("::error ")
                || l.starts_with("::warning ")
                || l.starts_with("::notice ")
                || l.starts_with("leakguard: "),
            "stray line {l:?}"
        );
    }
    let esc = ".env.q\"uo'te <script>alert(1)&amp; a%2Cb%3Ac%25d é%0Anext";
    let hostile = lines
        .iter()
        .find(|l| l.contains("title=T-ENV-001") && l.contains(esc))
        .unwrap_or_else(|| panic!("no escaped annotation in {lines:#?}"));
    assert!(hostile.starts_with(&format!(
        "::error file={esc},line=1,col=1,endLine=1,endColumn="
    )));
    assert!(hostile.contains(",title=T-ENV-001 Password set in an env file (high)::"));
    // critical -> error, info -> notice (when not suppressed).
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error ") && l.contains("T-ENV-002"))
    );
    assert!(
        !lines.iter().any(|l| l.contains("T-ENV-003")),
        "suppressed findings are not annotated"
    );
    let d2 = project();
    write(d2.path(), ".env", "DEBUG=1\n");
    let r = check(d2.path(), &["--format", "github", "--fail-on", "high", "."]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("::notice file=.env,line=1,col=1,"));
    // Unreadable files and messages with newlines stay on one line.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=broken.sql"))
    );
}

#[test]
fn output_flag_writes_every_format_to_a_file() {
    let d = hostile_project();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let out = d.path().join(format!("report.{format}"));
        let stdout_run = check(d.path(), &["--format", format, "--color", "never", "."]);
        let r = check(
            d.path(),
            &[
                "--format",
                format,
                "--color",
                "never",
                "--output",
                out.to_str().unwrap(),
                ".",
            ],
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{format} with --output prints nothing");
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(written, stdout_run.stdout, "{format}");
        std::fs::remove_file(&out).unwrap();
    }
    // An unwritable output is a usage error.
    let r = check(
        d.path(),
        &["--format", "json", "--output", "no/such/dir/x.json", "."],
    );
    assert_eq!(r.code, 2);
}

#[test]
fn exit_codes() {
    let d = project();
    write(d.path(), ".env", "USER=app\n");
    assert_eq!(check(d.path(), &["."]).code, 0);
    write(d.path(), ".env", "PASSWORD=x\n");
    assert_eq!(check(d.path(), &["."]).code, 1);
    // Below the threshold: 0.
    assert_eq!(check(d.path(), &["--fail-on", "critical", "."]).code, 0);
    // Usage errors: 2.
    assert_eq!(check(d.path(), &["no-such-path"]).code, 2);
    assert_eq!(check(d.path(), &["--format", "xml", "."]).code, 2);
    write(d.path(), "leakguard.yaml", "fail_on: sometimes\n");
    assert_eq!(check(d.path(), &["."]).code, 2);
    write(d.path(), "leakguard.yaml", "");
    write(d.path(), "bad-baseline.json", "{\"nope\": 1}");
    assert_eq!(
        check(d.path(), &["--baseline", "bad-baseline.json", "."]).code,
        2
    );
    // The contract is documented in --help.
    let help = run(d.path(), &["check", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit status:"));
    assert!(help.stdout.contains("suppression"));
    assert!(help.stdout.contains("sarif") && help.stdout.contains("junit"));
}

#[test]
fn baseline_reasons_show_as_waivers_and_survive_a_rewrite() {
    let d = project();
    write(d.path(), "a/.env", "USER=app\nPASSWORD=one\n");
    assert_eq!(
        run(d.path(), &["baseline", "--rules", &rules(), "."]).code,
        0
    );
    let file = d.path().join(".leakguard-baseline.json");
    let mut base: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(base["findings"][0].get("reason").is_none());
    base["findings"][0]["reason"] = "test fixture, ticket SEC-12".into();
    std::fs::write(&file, serde_json::to_string_pretty(&base).unwrap()).unwrap();

    let r = check(
        d.path(),
        &[
            "--format",
            "json",
            "--baseline",
            ".leakguard-baseline.json",
            ".",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        findings(&json(&r))[0]["waiver"]["reason"],
        "test fixture, ticket SEC-12"
    );

    // Writing the baseline again (a new finding appeared) keeps the reason.
    write(d.path(), "b/.env", "PASSWORD=two\n");
    assert_eq!(
        run(d.path(), &["baseline", "--rules", &rules(), "."]).code,
        0
    );
    let again: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entries = again["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["reason"], "test fixture, ticket SEC-12");
    assert!(entries[1].get("reason").is_none());
}

#[test]
fn baseline_round_trip_survives_line_shifts_and_reindentation() {
    let d = project();
    write(d.path(), "a/.env", "USER=app\nPASSWORD=one\n");
    write(d.path(), "b/.env", "PASSWORD=two\n");
    let b = run(d.path(), &["baseline", "--rules", &rules(), "."]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let text = std::fs::read_to_string(d.path().join(".leakguard-baseline.json")).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    let entries = base["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["path"], "a/.env");
    assert_eq!(entries[1]["path"], "b/.env");

    let with_baseline = |d: &Path| {
        check(
            d,
            &[
                "--format",
                "json",
                "--baseline",
                ".leakguard-baseline.json",
                ".",
            ],
        )
    };
    let r = with_baseline(d.path());
    assert_eq!(r.code, 0, "{}", r.stdout);
    let doc = json(&r);
    assert!(active(&doc).is_empty());
    assert!(
        findings(&doc)
            .iter()
            .all(|f| f["waiver"]["kind"] == "baseline")
    );

    // Lines inserted above and the finding re-indented: same fingerprint.
    write(
        d.path(),
        "a/.env",
        "# a new comment\n\nHOST=db\nUSER=app\n   PASSWORD=one\n",
    );
    let r = with_baseline(d.path());
    assert_eq!(r.code, 0, "line shift broke the baseline: {}", r.stdout);
    let doc = json(&r);
    assert_eq!(findings(&doc)[0]["line"], 5);
    assert_eq!(findings(&doc)[0]["suppressed"], true);

    // A new finding is reported; a fixed one is counted.
    write(d.path(), "a/.env", "PASSWORD=one\nPASSWORD=three\n");
    write(d.path(), "b/.env", "USER=app\n");
    let r = with_baseline(d.path());
    assert_eq!(r.code, 1);
    let doc = json(&r);
    let new = active(&doc);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["line"], 2);
    assert_eq!(doc["summary"]["baseline_fixed"], 1);
    let human = check(
        d.path(),
        &[
            "--baseline",
            ".leakguard-baseline.json",
            "--color",
            "never",
            ".",
        ],
    );
    assert!(
        human.stdout.contains("1 baseline entry now fixed"),
        "{}",
        human.stdout
    );

    // The baseline path can come from leakguard.yaml, for both commands;
    // until it is written, every finding counts.
    write(d.path(), "leakguard.yaml", "baseline: ci/accepted.json\n");
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("does not exist yet"), "{}", r.stderr);
    std::fs::create_dir_all(d.path().join("ci")).unwrap();
    let b = run(d.path(), &["baseline", "--rules", &rules(), "."]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(d.path().join("ci/accepted.json").is_file());
    assert_eq!(check(d.path(), &["."]).code, 0);
}

#[test]
fn inline_suppressions_with_and_without_reason_unknown_and_unused() {
    let d = project();
    write(
        d.path(),
        ".env",
        "# leakguard-ignore T-ENV-001: rotated test credential, reviewed 2026-11\nPASSWORD=x\n",
    );
    let r = check(d.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let doc = json(&r);
    let f = &findings(&doc)[0];
    assert_eq!(f["suppressed"], true);
    assert_eq!(f["waiver"]["kind"], "inline");
    assert_eq!(
        f["waiver"]["reason"],
        "rotated test credential, reviewed 2026-11"
    );
    assert_eq!(doc["summary"]["suppressed"], 1);
    assert!(doc["warnings"].as_array().unwrap().is_empty());

    // On the flagged line itself.
    write(
        d.path(),
        ".env",
        "PASSWORD=x # leakguard-ignore T-ENV-001: local sandbox only\n",
    );
    assert_eq!(check(d.path(), &["."]).code, 0);

    // No reason: nothing suppressed, a warning, exit 1.
    write(
        d.path(),
        ".env",
        "# leakguard-ignore T-ENV-001\nPASSWORD=x\n",
    );
    let r = check(d.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert_eq!(active(&doc).len(), 1);
    let w = &doc["warnings"][0];
    assert_eq!(w["line"], 1);
    assert!(w["message"].as_str().unwrap().contains("no reason"));
    // The human output shows it, also with --quiet.
    let human = check(d.path(), &["--color", "never", "-q", "."]);
    assert!(
        human.stdout.contains("warning: .env:1:1:"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("1 suppression warning"));

    // An unknown rule: reported, exit 1, even with no finding at all.
    write(
        d.path(),
        ".env",
        "# leakguard-ignore T-ENV-999: typo in the id\nUSER=app\n",
    );
    let r = check(d.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert!(
        doc["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown rule T-ENV-999")
    );

    // Unused: reported only with the flag.
    write(
        d.path(),
        ".env",
        "# leakguard-ignore T-ENV-001: kept from an old setup\nUSER=app\n",
    );
    let r = check(d.path(), &["--format", "json", "."]);
    assert_eq!(r.code, 0);
    assert!(json(&r)["warnings"].as_array().unwrap().is_empty());
    let r = check(
        d.path(),
        &["--format", "json", "--report-unused-suppressions", "."],
    );
    assert_eq!(r.code, 1);
    assert!(
        json(&r)["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("matches no finding")
    );
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn precommit_mode_reports_only_named_files_but_reads_the_repository() {
    let d = project();
    let root = d.path();
    write(root, "app/.env", "PASSWORD=a\n");
    write(root, "ops/.env", "PASSWORD=b\n");
    write(
        root,
        "docker-compose.yml",
        &std::fs::read_to_string(fixture("leaky-compose.yml")).unwrap(),
    );
    write(
        root,
        "migrations/001_init.sql",
        "CREATE TABLE creators (\n  id BIGINT PRIMARY KEY,\n  email TEXT NOT NULL\n);\n",
    );
    let full = json(&check(root, &["--format", "json", "."]));

    // From the root, with the paths a hook passes.
    let r = check(root, &["--format", "json", "app/.env"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    let paths = paths_of(&doc);
    assert_eq!(paths, ["app/.env"]);
    // The whole repository was read.
    assert_eq!(
        doc["summary"]["files_scanned"],
        full["summary"]["files_scanned"]
    );

    // The compose file alone: exactly what a full scan says about it,
    // including any chain through the unchanged migration.
    let r = check(root, &["--format", "json", "docker-compose.yml"]);
    let pre: Vec<Value> = findings(&json(&r));
    let expected: Vec<Value> = findings(&full)
        .into_iter()
        .filter(|f| f["path"] == "docker-compose.yml")
        .collect();
    assert_eq!(pre, expected);

    // From a subfolder: paths as given.
    let r = check(&root.join("app"), &["--format", "json", ".env"]);
    let doc = json(&r);
    let paths = paths_of(&doc);
    assert_eq!(paths, [".env"]);
    // From outside the repository.
    let parent = root.parent().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap();
    let given = format!("{name}/ops/.env");
    let r = check(parent, &["--format", "json", &given]);
    let doc = json(&r);
    let paths = paths_of(&doc);
    assert_eq!(paths, vec![given]);
    // A clean named file passes although other files have findings.
    write(root, "clean/.env", "USER=app\n");
    assert_eq!(check(root, &["clean/.env"]).code, 0);
    // Suppression warnings of other files do not fail it either.
    write(
        root,
        "ops/.env",
        "# leakguard-ignore T-ENV-001\nPASSWORD=b\n",
    );
    assert_eq!(check(root, &["clean/.env"]).code, 0);
}

#[test]
fn changed_since_reports_changed_files_and_runs_no_repository_program() {
    if !git_available() {
        eprintln!("SKIPPED: git is not installed");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    git(root, &["init", "-q"]);
    write(root, "a/.env", "PASSWORD=a\n");
    write(root, "b/.env", "PASSWORD=b\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    git(root, &["branch", "base"]);
    // The repository's own config names programs; none may run.
    let marker = root.join("PWNED");
    let script = root.join("hook.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let s = script.to_str().unwrap();
    git(root, &["config", "core.fsmonitor", s]);
    git(root, &["config", "diff.external", s]);
    git(root, &["config", "core.pager", s]);

    write(root, "b/.env", "USER=x\nPASSWORD=b2\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);
    // An uncommitted change counts too; the unchanged a/.env does not.
    write(root, "c/.env", "PASSWORD=c\n");
    git(root, &["add", "c/.env"]);
    let _ = std::fs::remove_file(&marker);
    let r = check(root, &["--format", "json", "--changed-since", "base"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    let paths = paths_of(&doc);
    assert_eq!(paths, ["b/.env", "c/.env"]);
    assert!(
        !marker.exists(),
        "git ran a program from the repository config"
    );
    // Nothing changed since HEAD beyond c: only c.
    git(root, &["commit", "-q", "-m", "three"]);
    let _ = std::fs::remove_file(&marker);
    let r = check(root, &["--format", "json", "--changed-since", "HEAD"]);
    assert_eq!(r.code, 0);
    assert!(findings(&json(&r)).is_empty());
    // A bad revision is a usage error.
    let r = check(root, &["--changed-since", "no-such-rev"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-rev"));
    assert!(!marker.exists());
}

#[test]
fn hostile_file_names_never_break_json() {
    let d = hostile_project();
    let r = check(d.path(), &["--format", "json", "."]);
    let doc = json(&r);
    assert!(
        findings(&doc)
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("é\nnext"))
    );
    // And in pre-commit mode, named by that name.
    let r = check(d.path(), &["--format", "json", HOSTILE]);
    let doc = json(&r);
    let paths = paths_of(&doc);
    assert!(
        !paths.is_empty() && paths.iter().all(|p| p == HOSTILE),
        "{paths:?}"
    );
    let r = check(d.path(), &["--format", "sarif", HOSTILE]);
    assert_valid_sarif(&json(&r));
}

#[test]
fn precommit_hook_definition_declares_leakguard() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hooks: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
    let hook = hooks
        .iter()
        .find(|h| h["id"].as_str() == Some("leakguard"))
        .expect("a hook with id leakguard");
    assert_eq!(hook["entry"].as_str(), Some("leakguard check"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
    assert_eq!(hook["require_serial"].as_bool(), Some(true));
    assert!(hook["name"].as_str().is_some());
    let types: Vec<&str> = hook["types_or"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(types, ["rust", "sql", "yaml", "json"]);
}
