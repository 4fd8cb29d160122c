//! docker-compose interpolation from the project's `.env` and container
//! environments from `env_file:` files, resolved after parsing: end to end
//! through `engine::scan` on fixtures under tests/fixtures/compose_env/, and
//! through the CLI with a result cache.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::facts::FactData;
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

const BIN: &str = env!("CARGO_BIN_EXE_leakguard");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/compose_env")
        .join(name)
}

fn scan_dir(dir: &Path) -> ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load");
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        threads: 1,
        ..Default::default()
    };
    engine::scan(&opts, &rules, &Vocabulary::builtin())
}

/// `(rule, path relative to the fixture, line, message)` of every finding.
fn findings(name: &str) -> Vec<(String, String, u32, String)> {
    let dir = fixture(name);
    let prefix = format!("{}/", dir.display());
    let mut v: Vec<_> = scan_dir(&dir)
        .findings
        .into_iter()
        .map(|f| {
            let path = f.path.strip_prefix(&prefix).unwrap_or(&f.path).to_string();
            (f.rule_id, path, f.span.line, f.message)
        })
        .collect();
    v.sort();
    v
}

fn rules_and_lines(name: &str) -> Vec<(String, u32)> {
    findings(name)
        .into_iter()
        .map(|(r, _, l, _)| (r, l))
        .collect()
}

fn message_of(name: &str, rule: &str) -> String {
    findings(name)
        .into_iter()
        .find(|f| f.0 == rule)
        .map(|f| f.3)
        .unwrap_or_default()
}

#[test]
fn dotenv_default_password_is_flagged_at_the_environment_entry() {
    assert_eq!(
        rules_and_lines("env_default"),
        [("LG-AUTH-003".to_string(), 7)]
    );
    let m = message_of("env_default", "LG-AUTH-003");
    assert!(m.contains("`changeme`"), "{m}");
    assert!(m.contains("(from "), "{m}");
    assert!(m.contains(".env:3)"), "names the .env line: {m}");
}

#[test]
fn dotenv_empty_password_is_flagged() {
    assert_eq!(
        rules_and_lines("env_empty"),
        [("LG-AUTH-003".to_string(), 6)]
    );
    let m = message_of("env_empty", "LG-AUTH-003");
    assert!(m.contains("is empty") && m.contains(".env:1)"), "{m}");
}

#[test]
fn dotenv_strong_password_overrides_a_weak_default() {
    assert!(
        findings("env_strong").is_empty(),
        "{:?}",
        findings("env_strong")
    );
}

#[test]
fn variables_set_nowhere_stay_unknown() {
    assert!(findings("unset").is_empty(), "{:?}", findings("unset"));
}

#[test]
fn env_file_without_credentials_is_a_gap_over_the_service() {
    assert_eq!(
        rules_and_lines("env_file_lacking"),
        [("LG-AUTH-001".to_string(), 2)]
    );
    let m = message_of("env_file_lacking", "LG-AUTH-001");
    assert!(m.contains("env_file") && m.contains("mongo.env"), "{m}");
}

#[test]
fn env_file_with_credentials_is_clean() {
    assert!(
        findings("env_file_creds").is_empty(),
        "{:?}",
        findings("env_file_creds")
    );
}

#[test]
fn env_file_missing_from_the_scan_keeps_the_environment_opaque() {
    assert!(
        findings("env_file_missing").is_empty(),
        "{:?}",
        findings("env_file_missing")
    );
}

#[test]
fn env_file_settings_that_switch_auth_off_point_at_the_env_file_entry() {
    assert_eq!(
        rules_and_lines("env_file_off"),
        [
            ("LG-AUTH-001".to_string(), 5),
            ("LG-AUTH-001".to_string(), 9)
        ]
    );
    let all = findings("env_file_off");
    assert!(
        all[0].3.contains("POSTGRES_HOST_AUTH_METHOD=trust") && all[0].3.contains("db.env:2)"),
        "{:?}",
        all[0]
    );
    assert!(
        all[1].3.contains("xpack.security.enabled=false") && all[1].3.contains("search.env:2)"),
        "{:?}",
        all[1]
    );
}

#[test]
fn environment_takes_precedence_over_env_file() {
    assert!(
        findings("env_file_overridden").is_empty(),
        "{:?}",
        findings("env_file_overridden")
    );
}

#[test]
fn example_env_files_are_not_used_for_interpolation() {
    assert!(
        findings("env_example").is_empty(),
        "{:?}",
        findings("env_example")
    );
    // They are still scanned (for linking), as dotenv files.
    let r = scan_dir(&fixture("env_example"));
    let scanned: Vec<&str> = r
        .files
        .iter()
        .filter(|f| f.kind == leakguard::discover::FileKind::DotEnv)
        .map(|f| f.path.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(scanned, [".env.example", "db.env.example"]);
}

#[test]
fn image_ports_command_and_bare_entries_are_interpolated() {
    assert_eq!(
        rules_and_lines("ports_image_command"),
        [
            ("LG-AUTH-003".to_string(), 11),
            ("LG-AUTH-003".to_string(), 15),
            ("LG-BIND-001".to_string(), 8),
        ]
    );
    let m = message_of("ports_image_command", "LG-BIND-001");
    assert!(m.contains(".env:2)"), "{m}");
    // The environment values the linker reads are interpolated.
    let r = scan_dir(&fixture("ports_image_command"));
    let compose = r
        .files
        .iter()
        .find(|f| f.path.ends_with("docker-compose.yml"))
        .expect("compose file scanned");
    let env: Vec<(String, String)> = compose
        .facts
        .facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::EnvValue(e) => Some((e.name.clone(), e.value.clone())),
            _ => None,
        })
        .collect();
    assert!(env.contains(&("POSTGRES_PASSWORD".into(), "postgres".into())));
    assert!(env.contains(&(
        "ELASTIC_PASSWORD".into(),
        "${ELASTIC_PASSWORD:?set it}".into()
    )));
}

#[test]
fn only_the_compose_files_own_folder_supplies_dotenv_values() {
    assert!(
        findings("subfolder").is_empty(),
        "{:?}",
        findings("subfolder")
    );
}

/// `(rule_id, line)` of the findings of a CLI run whose cache folder (the
/// user's cache directory) is `cache`.
fn cli_check(repo: &Path, cache: &Path) -> Vec<(String, u64)> {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "."])
        .env("XDG_CACHE_HOME", cache)
        .current_dir(repo)
        .output()
        .expect("run leakguard");
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    let mut v: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn editing_only_dotenv_changes_the_compose_finding_through_the_cache() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    let cache = tmp.path().join("cache");
    copy_dir(&fixture("env_default"), &repo);
    let first = cli_check(&repo, &cache);
    assert_eq!(first, [("LG-AUTH-003".to_string(), 7)]);
    assert!(
        std::fs::read_dir(&cache).is_ok_and(|mut d| d.next().is_some()),
        "the cache was written"
    );
    // A strong password: the compose file is unchanged and served from the
    // cache, yet its finding goes.
    let env = repo.join(".env");
    std::fs::write(
        &env,
        "# local development settings\nCOMPOSE_PROJECT_NAME=creators\nELASTIC_PASSWORD=Hq7!vR2mXk9w\n",
    )
    .expect("rewrite .env");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&env)
        .and_then(|f| f.set_modified(later))
        .expect("touch .env");
    assert!(cli_check(&repo, &cache).is_empty());
    // And back: an empty password.
    std::fs::write(&env, "ELASTIC_PASSWORD=\n").expect("rewrite .env");
    let later = later + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&env)
        .and_then(|f| f.set_modified(later))
        .expect("touch .env");
    assert_eq!(cli_check(&repo, &cache), [("LG-AUTH-003".to_string(), 7)]);
}

#[test]
fn cached_and_uncached_scans_agree() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    copy_dir(&fixture("ports_image_command"), &repo);
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules");
    let vocab = Vocabulary::builtin();
    let run = |cache: Option<PathBuf>| {
        let opts = ScanOptions {
            paths: vec![repo.clone()],
            threads: 1,
            cache_dir: cache,
            ..Default::default()
        };
        let r = engine::scan(&opts, &rules, &vocab);
        let files: Vec<_> = r
            .files
            .iter()
            .map(|f| (f.path.clone(), f.facts.clone()))
            .collect();
        (leakguard::report::json::render(&r), files)
    };
    let plain = run(None);
    let cache = tmp.path().join("cache");
    assert_eq!(plain, run(Some(cache.clone())));
    assert_eq!(plain, run(Some(cache)));
}
