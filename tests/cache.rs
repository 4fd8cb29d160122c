//! The result cache: reuse, invalidation, and distrust of corrupt or foreign
//! cache files. No timing assertions: hits and misses are counted.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};

use leakguard::cache::{self, Cache};
use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

const FILES: usize = 5;

struct Fixture {
    _tmp: tempfile::TempDir,
    repo: PathBuf,
    cache_dir: PathBuf,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cache/repo"),
        &repo,
    );
    let cache_dir = tmp.path().join("cache");
    Fixture {
        _tmp: tmp,
        repo,
        cache_dir,
    }
}

fn rules() -> RuleSet {
    RuleSet::load(&[], &Overrides::default(), "").unwrap()
}

fn scan(f: &Fixture, cached: bool) -> ScanResult {
    let opts = ScanOptions {
        paths: vec![f.repo.clone()],
        threads: 2,
        cache_dir: cached.then(|| f.cache_dir.clone()),
        ..Default::default()
    };
    engine::scan(&opts, &rules(), &Vocabulary::builtin())
}

/// Everything a report shows, plus every file's facts.
fn observable(r: &ScanResult) -> (String, Vec<(String, leakguard::facts::FileFacts)>) {
    (
        leakguard::report::json::render(r),
        r.files
            .iter()
            .map(|f| (f.path.clone(), without_unit(&f.facts)))
            .collect(),
    )
}

/// A file's facts without the Rust unit: resolution's input, which a re-run
/// whose crate is unchanged does not decode (its resolved facts stand).
fn without_unit(facts: &leakguard::facts::FileFacts) -> leakguard::facts::FileFacts {
    let mut f = facts.clone();
    f.rust = None;
    f
}

fn cache_path(f: &Fixture) -> PathBuf {
    cache::cache_file(&f.cache_dir, &f.repo)
}

/// Rewrites a file with new content and a modification time certainly
/// different from the cached one.
fn rewrite(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let t = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn rerun_reuses_cached_facts_and_matches_an_uncached_scan() {
    let f = fixture();
    let plain = scan(&f, false);
    assert_eq!(plain.files.len(), FILES);
    assert!(!plain.findings.is_empty(), "the fixture has findings");
    assert!(!plain.cache.enabled);

    let first = scan(&f, true);
    assert!(first.cache.enabled && !first.cache.loaded);
    assert_eq!((first.cache.hits, first.cache.misses), (0, FILES));
    assert!(cache_path(&f).is_file(), "the cache was written");

    let second = scan(&f, true);
    assert!(second.cache.loaded);
    assert_eq!((second.cache.hits, second.cache.misses), (FILES, 0));
    assert_eq!(observable(&plain), observable(&first));
    assert_eq!(observable(&plain), observable(&second));
}

#[test]
fn cache_is_written_outside_the_scanned_tree() {
    let f = fixture();
    scan(&f, true);
    assert!(cache_path(&f).starts_with(&f.cache_dir));
    let mut names = Vec::new();
    for e in walkdir::WalkDir::new(&f.repo) {
        names.push(e.unwrap().file_name().to_string_lossy().to_string());
    }
    assert!(
        !names
            .iter()
            .any(|n| n.contains("cache") || n.starts_with("facts-"))
    );
}

#[test]
fn an_edited_file_is_analysed_again() {
    let f = fixture();
    scan(&f, true);
    let sql = f.repo.join("migrations/0001_customers.sql");
    let text = std::fs::read_to_string(&sql).unwrap().replace(
        "amount_cents BIGINT NOT NULL",
        "amount_cents BIGINT NOT NULL,\n    phone VARCHAR(32)",
    );
    rewrite(&sql, &text);
    let after = scan(&f, true);
    assert_eq!((after.cache.hits, after.cache.misses), (FILES - 1, 1));
    let sql_facts = &after
        .files
        .iter()
        .find(|x| x.path.ends_with("0001_customers.sql"))
        .unwrap()
        .facts;
    assert!(
        sql_facts.facts.iter().any(
            |x| matches!(&x.data, leakguard::facts::FactData::ContactField(c) if c.name == "phone")
        ),
        "the new column was read"
    );
    assert_eq!(observable(&after), observable(&scan(&f, false)));
    // And the edit is cached in turn.
    let again = scan(&f, true);
    assert_eq!((again.cache.hits, again.cache.misses), (FILES, 0));
}

#[test]
fn editing_a_rust_file_reanalyses_that_file_and_the_crate_is_resolved_again() {
    // A Rust file's own facts depend on its bytes alone; what depends on the
    // rest of its crate (models used by handlers) is resolved after parsing
    // on every run. So an edit re-parses one file, and results still match a
    // cold scan.
    let f = fixture();
    scan(&f, true);
    let models = f.repo.join("shop/src/models.rs");
    let text =
        std::fs::read_to_string(&models).unwrap() + "\npub struct Note { pub text: String }\n";
    rewrite(&models, &text);
    let after = scan(&f, true);
    assert_eq!((after.cache.hits, after.cache.misses), (FILES - 1, 1));
    assert_eq!(observable(&after), observable(&scan(&f, false)));
    // A new file in the crate is the only one parsed.
    std::fs::write(f.repo.join("shop/src/extra.rs"), "pub fn extra() {}\n").unwrap();
    let added = scan(&f, true);
    assert_eq!(added.files.len(), FILES + 1);
    assert_eq!(added.cache.misses, 1);
    assert_eq!(observable(&added), observable(&scan(&f, false)));
    // Cargo.toml is a file of its own; the crate reads its dependencies
    // from its facts.
    let toml = f.repo.join("shop/Cargo.toml");
    let t = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("tracing = \"0.1\"\n", "");
    rewrite(&toml, &t);
    let dep = scan(&f, true);
    assert_eq!(dep.cache.misses, 1);
    assert_eq!(observable(&dep), observable(&scan(&f, false)));
}

#[test]
fn touched_but_unchanged_files_are_hashed_not_parsed() {
    let f = fixture();
    scan(&f, true);
    let yaml = f.repo.join("docker-compose.yml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    rewrite(&yaml, &text);
    let after = scan(&f, true);
    assert_eq!((after.cache.hits, after.cache.misses), (FILES, 0));
}

#[test]
fn a_deleted_file_leaves_the_results() {
    let f = fixture();
    scan(&f, true);
    std::fs::remove_file(f.repo.join("docker-compose.yml")).unwrap();
    let after = scan(&f, true);
    assert_eq!(after.files.len(), FILES - 1);
    assert_eq!(observable(&after), observable(&scan(&f, false)));
}

fn assert_rebuilt(f: &Fixture, plain: &ScanResult) {
    let r = scan(f, true);
    assert!(!r.cache.loaded, "a bad cache is not trusted");
    assert_eq!((r.cache.hits, r.cache.misses), (0, FILES));
    assert_eq!(observable(&r), observable(plain));
    let again = scan(f, true);
    assert!(again.cache.loaded, "the cache was rebuilt");
    assert_eq!((again.cache.hits, again.cache.misses), (FILES, 0));
}

#[test]
fn garbage_cache_is_ignored_and_rebuilt() {
    let f = fixture();
    let plain = scan(&f, false);
    std::fs::create_dir_all(&f.cache_dir).unwrap();
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(cache_path(&f), garbage).unwrap();
    assert_rebuilt(&f, &plain);
}

#[test]
fn truncated_cache_is_ignored_and_rebuilt() {
    let f = fixture();
    let plain = scan(&f, false);
    scan(&f, true);
    let bytes = std::fs::read(cache_path(&f)).unwrap();
    std::fs::write(cache_path(&f), &bytes[..bytes.len() / 2]).unwrap();
    assert_rebuilt(&f, &plain);
    // Empty, too.
    std::fs::write(cache_path(&f), b"").unwrap();
    assert_rebuilt(&f, &plain);
}

#[test]
fn cache_of_another_build_or_rule_pack_is_ignored() {
    let f = fixture();
    let plain = scan(&f, false);
    scan(&f, true);
    let good = std::fs::read_to_string(cache_path(&f)).unwrap();
    let tool = cache::tool_id();
    let digest = rules().digest;
    assert!(good.contains(&tool) && good.contains(&digest));

    std::fs::write(cache_path(&f), good.replace(&tool, "0.0.1+other-build")).unwrap();
    assert_rebuilt(&f, &plain);

    std::fs::write(cache_path(&f), good.replace(&digest, "0123456789abcdef")).unwrap();
    assert_rebuilt(&f, &plain);

    std::fs::write(cache_path(&f), good.replace("\"format\":4", "\"format\":3")).unwrap();
    assert_rebuilt(&f, &plain);

    // The API agrees: another tool identity or digest loads nothing.
    assert!(Cache::open_as(cache_path(&f), &digest, "9.9.9").is_empty());
    assert!(Cache::open(cache_path(&f), "another-digest").is_empty());
    assert!(!Cache::open(cache_path(&f), &digest).is_empty());
}

/// Replaces the value after every `"key":` in a JSON text.
fn replace_values(text: &str, key: &str, value: &str) -> String {
    let pat = format!("\"{key}\":");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&pat) {
        out.push_str(&rest[..at + pat.len()]);
        out.push_str(value);
        rest = &rest[at + pat.len()..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn entry_whose_hash_differs_from_the_file_is_not_used() {
    // Without the stat shortcut (no mtime recorded) the file is hashed, and
    // an entry recorded for other content is never served.
    let f = fixture();
    scan(&f, true);
    let text = std::fs::read_to_string(cache_path(&f)).unwrap();
    let text = replace_values(&text, "mtime", "0");
    let text = replace_values(&text, "hash", "\"ffffffffffffffffffffffffffffffff\"");
    std::fs::write(cache_path(&f), text).unwrap();
    let r = scan(&f, true);
    assert!(r.cache.loaded);
    assert_eq!((r.cache.hits, r.cache.misses), (0, FILES));
    assert_eq!(observable(&r), observable(&scan(&f, false)));
}

#[test]
fn unwritable_cache_folder_costs_nothing_but_time() {
    let f = fixture();
    // A file where the cache folder should be.
    std::fs::write(&f.cache_dir, b"not a folder").unwrap();
    let plain = scan(&f, false);
    let r = scan(&f, true);
    assert_eq!(observable(&r), observable(&plain));
    assert_eq!(r.cache.misses, FILES);
}

#[test]
fn stage_timings_are_reported() {
    let f = fixture();
    let r = scan(&f, false);
    let t = r.timings;
    assert!(t.total >= t.discover + t.parse + t.link + t.rules + t.filter);
    assert!(t.parse > std::time::Duration::ZERO);
}

/// The cache file's entry lines (after the magic and header lines), as
/// `(head, facts)`.
fn entry_lines(bytes: &[u8]) -> (Vec<u8>, Vec<(String, String)>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut lines = text.split_inclusive('\n');
    let prefix = format!("{}{}", lines.next().unwrap(), lines.next().unwrap());
    let entries = lines
        .map(|l| {
            let (head, facts) = l.strip_suffix('\n').unwrap().split_once('\t').unwrap();
            (head.to_string(), facts.to_string())
        })
        .collect();
    (prefix.into_bytes(), entries)
}

/// Writes a cache file from its parts (facts, then a Rust unit after a
/// tab), with each head's `len` and `unit` set to their lengths.
fn write_entries(path: &Path, prefix: &[u8], entries: &[(String, String)]) {
    let mut out = prefix.to_vec();
    for (head, rest) in entries {
        let (facts, unit) = rest.split_once('\t').unwrap_or((rest, ""));
        let head = replace_values(head, "len", &facts.len().to_string());
        let head = replace_values(&head, "unit", &unit.len().to_string());
        out.extend_from_slice(head.as_bytes());
        out.push(b'\t');
        out.extend_from_slice(facts.as_bytes());
        if !unit.is_empty() {
            out.push(b'\t');
            out.extend_from_slice(unit.as_bytes());
        }
        out.push(b'\n');
    }
    std::fs::write(path, out).unwrap();
}

/// The index of the entry of the file whose path ends with `name`.
fn entry_of(entries: &[(String, String)], name: &str) -> usize {
    entries
        .iter()
        .position(|(h, _)| h.contains(&format!("{name}\"")))
        .unwrap()
}

#[test]
fn a_corrupt_entry_is_a_miss_and_only_its_file_is_analysed_again() {
    let f = fixture();
    let plain = scan(&f, false);
    scan(&f, true);
    let bytes = std::fs::read(cache_path(&f)).unwrap();
    let (prefix, mut entries) = entry_lines(&bytes);
    assert_eq!(entries.len(), FILES);
    // Same length, so the layout stays sound: only the facts are damaged.
    let i = entry_of(&entries, "models.rs");
    entries[i].1 = entries[i].1.replacen('{', "!", 1);
    write_entries(&cache_path(&f), &prefix, &entries);
    let r = scan(&f, true);
    assert!(r.cache.loaded, "one bad entry does not discard the others");
    assert_eq!((r.cache.hits, r.cache.misses), (FILES - 1, 1));
    assert_eq!(observable(&r), observable(&plain));
    // The entry was written again.
    let again = scan(&f, true);
    assert_eq!((again.cache.hits, again.cache.misses), (FILES, 0));
    assert_eq!(observable(&again), observable(&plain));
}

#[test]
fn facts_of_another_shape_or_cut_short_are_a_miss_never_wrong_facts() {
    let f = fixture();
    let plain = scan(&f, false);
    scan(&f, true);
    let bytes = std::fs::read(cache_path(&f)).unwrap();
    let (prefix, good) = entry_lines(&bytes);
    let compose = entry_of(&good, "docker-compose.yml");
    let models = entry_of(&good, "models.rs");
    let half = good[models].1.len() / 2;
    let bad: [(usize, String); 6] = [
        (compose, "{\"facts\":7}".into()),
        (compose, "[]".into()),
        (
            compose,
            "{\"rust\":{\"summary\":{\"structs\":[{\"fields\":1}]}}}".into(),
        ),
        (models, good[models].1[..half].to_string()),
        (models, format!("{} ", good[models].1)),
        // Still valid JSON of the right shape, with one letter changed.
        (models, good[models].1.replacen("Customer", "Cuxtomer", 1)),
    ];
    assert!(good[models].1.contains("Customer"));
    for (i, facts) in bad {
        let mut entries = good.clone();
        entries[i].1 = facts.clone();
        write_entries(&cache_path(&f), &prefix, &entries);
        let r = scan(&f, true);
        assert!(r.cache.loaded, "{facts}");
        assert_eq!((r.cache.hits, r.cache.misses), (FILES - 1, 1), "{facts}");
        assert_eq!(observable(&r), observable(&plain), "{facts}");
    }
}

#[test]
fn a_damaged_layout_discards_the_whole_cache() {
    let f = fixture();
    let plain = scan(&f, false);
    scan(&f, true);
    let good = std::fs::read(cache_path(&f)).unwrap();
    let (prefix, entries) = entry_lines(&good);
    // The last entry is missing, cut exactly at a line end.
    write_entries(&cache_path(&f), &prefix, &entries[..FILES - 1]);
    assert_rebuilt(&f, &plain);
    // Something follows the last entry.
    let mut extra = good.clone();
    extra.extend_from_slice(b"{}\t{}\n");
    std::fs::write(cache_path(&f), &extra).unwrap();
    assert_rebuilt(&f, &plain);
    // A length that does not end at the line's end.
    let text = String::from_utf8(good.clone()).unwrap();
    std::fs::write(cache_path(&f), replace_values(&text, "len", "3")).unwrap();
    assert_rebuilt(&f, &plain);
    // A length past the end of the file.
    let huge = replace_values(&text, "len", &u64::MAX.to_string());
    std::fs::write(cache_path(&f), huge).unwrap();
    assert_rebuilt(&f, &plain);
    // A head that is not JSON.
    std::fs::write(cache_path(&f), text.replacen("\"path\":", "\"path\"", 1)).unwrap();
    assert_rebuilt(&f, &plain);
    // An entry count larger than the file could hold.
    let many = replace_values(&text, "entries", "18446744073709551615");
    std::fs::write(cache_path(&f), many).unwrap();
    assert_rebuilt(&f, &plain);
}

/// A repository whose facts use the non-default values the compact cache
/// forms leave out by default: renamed and skipped fields, optional names,
/// routes with and without authentication, compose options, Helm values.
fn rich_repo(root: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "api/Cargo.toml",
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\nsqlx = \"0.8\"\nserde = \"1\"\ntracing = \"0.1\"\n",
        ),
        (
            "api/src/main.rs",
            r#"mod models;

use axum::{Json, Router, routing::get};
use tracing::info;

use crate::models::Subscriber;

async fn list(Json(s): Json<Subscriber>) -> Json<Vec<Subscriber>> {
    info!("subscriber {}", s.email);
    Json(vec![s])
}

pub fn router() -> Router {
    Router::new().route("/subscribers", get(list))
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let _pool = sqlx::PgPool::connect(&url).await;
    let _ = router();
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_works() {}
}
"#,
        ),
        (
            "api/src/models.rs",
            r#"use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Subscriber {
    pub id: i64,
    #[sqlx(rename = "email_address")]
    pub email: String,
    #[serde(skip)]
    pub phone_number: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
    #[sqlx(skip)]
    pub home_address: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extra {
    pub note: String,
}
"#,
        ),
        (
            "docker-compose.yml",
            "services:\n  search:\n    image: elasticsearch:8.13.0\n    environment:\n      - discovery.type=single-node\n      - xpack.security.enabled=false\n      - PASSTHROUGH\n    env_file:\n      - path: ./search.env\n        required: false\n    ports:\n      - \"9200:9200\"\n      - target: 9300\n        published: \"9300\"\n        host_ip: 0.0.0.0\n    command: [\"bin/elasticsearch\", \"-E\", \"http.port=9200\"]\n    network_mode: bridge\n  api:\n    build: ./api\n    environment:\n      DATABASE_URL: postgres://app:secret@db:5432/app\n",
        ),
        (
            "charts/redis/values.yaml",
            "architecture: standalone\nauth:\n  enabled: false\nmaster:\n  service:\n    type: LoadBalancer\n",
        ),
    ];
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

#[test]
fn compact_cache_forms_round_trip_and_leave_defaults_out() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    rich_repo(&repo);
    let f = Fixture {
        repo,
        cache_dir: tmp.path().join("cache"),
        _tmp: tmp,
    };
    let plain = scan(&f, false);
    let n = plain.files.len();
    assert!(n >= 5);
    assert!(
        plain
            .files
            .iter()
            .any(|x| x.facts.facts.iter().any(|f| !f.anchor.is_empty())),
        "facts with anchors"
    );
    // Every file's facts survive serialisation as they are.
    for file in &plain.files {
        let json = serde_json::to_string(&file.facts).unwrap();
        let back: leakguard::facts::FileFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, without_unit(&file.facts), "{}", file.path);
        // The cache writes the unit on its own.
        if let Some(unit) = &file.facts.rust {
            let json = serde_json::to_string(unit).unwrap();
            let back: leakguard::frontend::rust::RustUnit = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, unit.as_ref(), "{}", file.path);
        }
        for noise in [
            "\"serde_skip\":false",
            "\"orm\":null",
            "\"is_test\":false",
            "\"errors\":[]",
            "\"suppressions\":[]",
            "\"internal\":false",
        ] {
            assert!(!json.contains(noise), "{}: {noise} in {json}", file.path);
        }
    }
    // And through the cache file.
    let first = scan(&f, true);
    let second = scan(&f, true);
    assert_eq!((second.cache.hits, second.cache.misses), (n, 0));
    assert_eq!(observable(&plain), observable(&first));
    assert_eq!(observable(&plain), observable(&second));
    let text = std::fs::read_to_string(cache_path(&f)).unwrap();
    for kept in [
        "\"serde_skip\":true",
        "\"serde_flatten\":true",
        "\"orm_skip\":true",
        "\"orm\":\"email_address\"",
        "\"is_test\":true",
        "\"span\":[",
    ] {
        assert!(text.contains(kept), "{kept} is kept");
    }
}

/// A crate whose files all hit keeps its resolved facts without decoding
/// the units; any change to the crate (an edit, a file removed or added, the
/// manifest) resolves it again, exactly as an uncached scan would.
#[test]
fn a_crate_is_resolved_again_only_when_one_of_its_files_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let src = repo.join("app/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        repo.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\n\n[dependencies]\nmongodb = \"2\"\n",
    )
    .unwrap();
    std::fs::write(
        src.join("models.rs"),
        "#[derive(serde::Serialize)]\npub struct Lead {\n    pub email: String,\n}\n",
    )
    .unwrap();
    let store = "use mongodb::Collection;\nuse crate::models::Lead;\npub async fn save(c: Collection<Lead>, l: Lead) {\n    let _ = c.insert_one(l).await;\n}\n";
    std::fs::write(src.join("store.rs"), store).unwrap();
    let f = Fixture {
        repo,
        cache_dir: tmp.path().join("cache"),
        _tmp: tmp,
    };
    let engines = |r: &ScanResult| -> Vec<Option<String>> {
        let models = r.files.iter().find(|x| x.path.ends_with("models.rs"));
        models
            .into_iter()
            .flat_map(|m| &m.facts.facts)
            .filter_map(|x| match &x.data {
                leakguard::facts::FactData::ContactField(c) => Some(c.store_engine.clone()),
                _ => None,
            })
            .collect()
    };
    let first = scan(&f, true);
    assert_eq!(engines(&first), [Some("mongodb".to_string())]);
    // Unchanged: every file hits, no unit is decoded, the facts stand.
    let warm = scan(&f, true);
    assert_eq!(warm.cache.misses, 0);
    assert!(warm.files.iter().all(|x| x.facts.rust.is_none()));
    assert_eq!(observable(&warm), observable(&scan(&f, false)));

    // The write goes away: the untouched models.rs is resolved again.
    rewrite(&f.repo.join("app/src/store.rs"), "pub fn save() {}\n");
    let edited = scan(&f, true);
    assert_eq!(edited.cache.misses, 1);
    assert!(engines(&edited).is_empty());
    assert_eq!(observable(&edited), observable(&scan(&f, false)));
    // The resolution just made is what the next run reuses.
    let again = scan(&f, true);
    assert_eq!(again.cache.misses, 0);
    assert_eq!(observable(&again), observable(&edited));

    // A file added to the crate (a miss) and then removed (no miss at all).
    std::fs::write(f.repo.join("app/src/store2.rs"), store).unwrap();
    let added = scan(&f, true);
    assert_eq!(engines(&added), [Some("mongodb".to_string())]);
    assert_eq!(observable(&added), observable(&scan(&f, false)));
    scan(&f, true);
    std::fs::remove_file(f.repo.join("app/src/store2.rs")).unwrap();
    let removed = scan(&f, true);
    assert_eq!(removed.cache.misses, 0);
    assert!(engines(&removed).is_empty());
    assert_eq!(observable(&removed), observable(&scan(&f, false)));
}
