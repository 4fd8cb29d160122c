//! Helm chart definitions as scanned files: a values file is resolved
//! against the `Chart.yaml` of its own folder (aliases, the chart's own
//! name, dependency conditions) without the front end reading any other
//! file, and the result cache sees a change to `Chart.yaml` alone.
//! Fixtures: tests/fixtures/helm_chart/.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};

use leakguard::discover::FileKind;
use leakguard::engine::{self, ScanOptions, ScanResult, ScannedFile};
use leakguard::facts::{FactData, FileFacts};
use leakguard::frontend::{Ctx, analyze_text};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/helm_chart")
        .join(name)
}

/// Scans a folder; reported paths are made relative to it.
fn scan_at(path: &Path, cache_dir: Option<PathBuf>) -> ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules load");
    let opts = ScanOptions {
        paths: vec![path.to_path_buf()],
        threads: 1,
        cache_dir,
        ..Default::default()
    };
    let mut r = engine::scan(&opts, &rules, &Vocabulary::builtin());
    let root = format!("{}/", path.display());
    let rel = |p: &mut String| {
        if let Some(rest) = p.strip_prefix(&root) {
            *p = rest.to_string();
        }
    };
    r.files.iter_mut().for_each(|f| rel(&mut f.path));
    r.findings.iter_mut().for_each(|f| rel(&mut f.path));
    r.errors.iter_mut().for_each(|e| rel(&mut e.path));
    r
}

fn scan(name: &str) -> ScanResult {
    scan_at(&fixture(name), None)
}

/// `(path, datastore key, engine, line)` of every datastore fact, sorted.
fn datastores(r: &ScanResult) -> Vec<(String, String, String, u32)> {
    let mut v: Vec<_> = r
        .files
        .iter()
        .flat_map(|f| {
            f.facts.facts.iter().filter_map(|x| match &x.data {
                FactData::Datastore(d) => {
                    Some((f.path.clone(), d.key.clone(), d.engine.clone(), x.span.line))
                }
                _ => None,
            })
        })
        .collect();
    v.sort();
    v
}

/// `(rule, path, line)` of every finding, sorted.
fn findings(r: &ScanResult) -> Vec<(String, String, u32)> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.path.clone(), f.span.line))
        .collect();
    v.sort();
    v
}

fn s(a: &str, b: &str, c: &str, line: u32) -> (String, String, String, u32) {
    (a.into(), b.into(), c.into(), line)
}

fn f(rule: &str, path: &str, line: u32) -> (String, String, u32) {
    (rule.into(), path.into(), line)
}

#[test]
fn an_alias_in_chart_yaml_makes_the_renamed_sub_chart_a_datastore() {
    let r = scan("alias");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(
        datastores(&r),
        [
            // `nginx` aliased `edge` is no datastore; the values file in a
            // sub-folder belongs to no chart and `profiles-db` means nothing
            // there.
            s("values-prod.yaml", "helm:profiles-db", "mongodb", 1),
            s("values.yaml", "helm:profiles-db", "mongodb", 1),
        ]
    );
    assert_eq!(
        findings(&r),
        [
            f("LG-AUTH-001", "values.yaml", 4),
            f("LG-BIND-001", "values-prod.yaml", 3),
            f("LG-BIND-001", "values.yaml", 6),
        ]
    );
}

#[test]
fn the_chart_name_decides_the_engine_of_a_single_charts_values() {
    let r = scan("single");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    // `cache/` holds a chart named `memcached`; `redis/` holds a chart named
    // `billing-api`, so its folder's name does not make it a Redis.
    assert_eq!(
        datastores(&r),
        [s("cache/values.yaml", "helm:memcached", "memcached", 1)]
    );
    assert_eq!(
        findings(&r)
            .iter()
            .filter(|x| x.0 == "LG-BIND-001")
            .collect::<Vec<_>>(),
        [&f("LG-BIND-001", "cache/values.yaml", 2)]
    );
}

#[test]
fn without_chart_yaml_keys_images_and_folders_decide() {
    let r = scan("nochart");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(
        datastores(&r),
        [
            s("app/values.yaml", "helm:mongodb", "mongodb", 1),
            s("app/values.yaml", "helm:sessions", "redis", 4),
            s("memcached/values.yaml", "helm:memcached", "memcached", 1),
        ]
    );
    let bind: Vec<_> = findings(&r)
        .into_iter()
        .filter(|x| x.0 == "LG-BIND-001")
        .collect();
    assert_eq!(
        bind,
        [
            f("LG-BIND-001", "app/values.yaml", 9),
            f("LG-BIND-001", "memcached/values.yaml", 2),
        ]
    );
}

#[test]
fn a_malformed_chart_yaml_is_an_error_and_its_values_are_still_judged() {
    let r = scan("broken");
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].path, "Chart.yaml");
    // The alias it meant to declare is unknown: `sessions` is no datastore.
    assert_eq!(
        datastores(&r),
        [s("values.yaml", "helm:mongodb", "mongodb", 4)]
    );
    assert_eq!(findings(&r), [f("LG-BIND-001", "values.yaml", 6)]);
}

#[test]
fn a_dependency_condition_set_false_switches_the_sub_chart_off() {
    let r = scan("condition");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    // `features.cache: false` is redis's condition; mongodb's condition path
    // is not set, so it has no effect.
    assert_eq!(
        datastores(&r),
        [s("values.yaml", "helm:mongodb", "mongodb", 6)]
    );
    assert_eq!(findings(&r), [f("LG-AUTH-001", "values.yaml", 8)]);
}

fn analyze(path: &str, text: &str, vocab: &Vocabulary) -> FileFacts {
    analyze_text(text, FileKind::Yaml, &Ctx { vocab, path })
}

#[test]
fn chart_definitions_with_shapes_helm_refuses_are_errors() {
    let vocab = Vocabulary::builtin();
    let f = analyze(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: crm\ndependencies:\n  mongodb: {alias: db}\n",
        &vocab,
    );
    assert_eq!(f.errors.len(), 1, "{:?}", f.errors);
    assert_eq!(f.errors[0].line, Some(4));
    let f = analyze(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: crm\ndependencies:\n  - alias: db\n    version: 1.0.0\n",
        &vocab,
    );
    assert_eq!(f.errors.len(), 1, "{:?}", f.errors);
    assert_eq!(f.errors[0].line, Some(4));
    // A requirements.yaml of another tool is none of Helm's business.
    let f = analyze("tools/requirements.yaml", "- numpy\n- pandas\n", &vocab);
    assert!(f.errors.is_empty() && f.helm.is_none(), "{f:?}");
    // A chart definition is no datastore of its own.
    let f = analyze(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: redis\nversion: 1.0.0\n",
        &vocab,
    );
    assert!(f.facts.is_empty() && f.errors.is_empty(), "{f:?}");
    assert!(f.helm.is_some());
}

/// Resolution is idempotent and works on facts reloaded from a cache: the
/// facts inserted before give way to the new ones.
#[test]
fn resolving_reloaded_facts_again_replaces_what_was_resolved() {
    let vocab = Vocabulary::builtin();
    let file = |path: &str, text: &str| ScannedFile {
        path: path.into(),
        fs_path: path.into(),
        kind: FileKind::Yaml,
        size: text.len() as u64,
        facts: analyze(path, text, &vocab),
    };
    let values = "db:\n  auth:\n    enabled: false\n";
    let chart = "apiVersion: v2\nname: crm\ndependencies:\n  - name: postgresql\n    alias: db\n";
    let keys = |f: &ScannedFile| -> Vec<String> {
        f.facts
            .facts
            .iter()
            .filter_map(|x| match &x.data {
                FactData::Datastore(d) => Some(format!("{}={}", d.key, d.engine)),
                _ => None,
            })
            .collect()
    };
    let mut files = vec![
        file("crm/values.yaml", values),
        file("crm/Chart.yaml", chart),
    ];
    assert!(keys(&files[0]).is_empty(), "no chart known yet");
    leakguard::frontend::yaml::helm::resolve(&mut files);
    assert_eq!(keys(&files[0]), ["helm:db=postgres"]);
    let n = files[0].facts.facts.len();
    leakguard::frontend::yaml::helm::resolve(&mut files);
    assert_eq!(
        files[0].facts.facts.len(),
        n,
        "resolving twice adds nothing"
    );
    let json = serde_json::to_string(&files[0].facts).expect("serialise");
    files[0].facts = serde_json::from_str(&json).expect("deserialise");
    leakguard::frontend::yaml::helm::resolve(&mut files);
    assert_eq!(files[0].facts.facts.len(), n);
    assert_eq!(keys(&files[0]), ["helm:db=postgres"]);
    // The chart drops the alias: the sub-chart goes.
    files[1] = file(
        "crm/Chart.yaml",
        "apiVersion: v2\nname: crm\ndependencies:\n  - name: postgresql\n",
    );
    leakguard::frontend::yaml::helm::resolve(&mut files);
    assert!(keys(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
    // Another folder's chart does not count.
    files[1] = file("other/Chart.yaml", chart);
    leakguard::frontend::yaml::helm::resolve(&mut files);
    assert!(keys(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
}

/// The cache keys a values file by its own bytes: a change to Chart.yaml
/// alone reuses the values file's cached facts and still changes the
/// findings.
#[test]
fn changing_only_chart_yaml_changes_the_cached_rerun() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    copy_dir(&fixture("alias"), &repo);
    let cache_dir = tmp.path().join("cache");
    let first = scan_at(&repo, Some(cache_dir.clone()));
    assert!(!first.cache.loaded);
    assert!(
        findings(&first).contains(&f("LG-AUTH-001", "values.yaml", 4)),
        "{:?}",
        findings(&first)
    );

    let chart = repo.join("Chart.yaml");
    let text = std::fs::read_to_string(&chart)
        .expect("read")
        .replace("    alias: profiles-db\n", "");
    std::fs::write(&chart, text).expect("write");
    // A modification time certainly different from the cached one.
    let t = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&chart)
        .and_then(|f| f.set_modified(t))
        .expect("touch");

    let second = scan_at(&repo, Some(cache_dir.clone()));
    assert!(second.cache.loaded);
    assert_eq!(
        (second.cache.hits, second.cache.misses),
        (first.files.len() - 1, 1),
        "only Chart.yaml is analysed again"
    );
    assert!(datastores(&second).is_empty(), "{:?}", datastores(&second));
    assert!(findings(&second).is_empty(), "{:?}", findings(&second));
    // And the same as a scan without the cache.
    let plain = scan_at(&repo, None);
    assert_eq!(findings(&plain), findings(&second));
    assert_eq!(datastores(&plain), datastores(&second));

    // Putting the alias back brings the findings back from the cache.
    std::fs::copy(fixture("alias/Chart.yaml"), &chart).expect("restore");
    let t = t + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&chart)
        .and_then(|f| f.set_modified(t))
        .expect("touch");
    let third = scan_at(&repo, Some(cache_dir));
    assert_eq!(findings(&third), findings(&first));
}
