//! Connections read through configuration structs filled from the
//! environment (envy, the config crate): the Rust front end turns a field
//! read such as `cfg.mongo_url` into a connection through the variable
//! `MONGO_URL`, which the linker follows to the datastore a deployment sets
//! it to. Small crates under tests/fixtures/rust_config_env/, each deployed
//! next to an unauthenticated, published datastore and a second,
//! authenticated one of the same engine (so that only the connection can
//! say which store holds the contact data).

use std::path::{Path, PathBuf};

use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::facts::FactData;
use leakguard::finding::{Category, Finding};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rust_config_env")
        .join(name)
}

fn scan(name: &str) -> ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules");
    let vocab = Vocabulary::builtin();
    let opts = ScanOptions {
        paths: vec![fixture(name)],
        threads: 1,
        ..Default::default()
    };
    engine::scan(&opts, &rules, &vocab)
}

/// A path relative to the fixture's folder.
fn rel(dir: &Path, path: &str) -> String {
    let base = dir.to_string_lossy().replace('\\', "/");
    path.strip_prefix(&base)
        .unwrap_or(path)
        .trim_start_matches('/')
        .to_string()
}

/// `(file, line, engine, env var)` of every connection read from the
/// environment, in scan order.
fn env_connections(name: &str, r: &ScanResult) -> Vec<(String, u32, String, String)> {
    let dir = fixture(name);
    r.files
        .iter()
        .flat_map(|f| {
            let p = rel(&dir, &f.path);
            f.facts.facts.iter().filter_map(move |x| match &x.data {
                FactData::Connection(c) => c
                    .env_var
                    .as_ref()
                    .map(|v| (p.clone(), x.span.line, c.engine.clone(), v.clone())),
                _ => None,
            })
        })
        .collect()
}

fn chains(r: &ScanResult) -> Vec<&Finding> {
    r.findings
        .iter()
        .filter(|f| f.category == Category::ContactDataExposed)
        .collect()
}

/// The one `contact-data-exposed` chain of a fixture: LG-CHAIN-001, about
/// `store`, and walking through the connection at `file:line`.
fn assert_chain_through(name: &str, r: &ScanResult, store: &str, file: &str, line: u32) {
    let dir = fixture(name);
    let found = chains(r);
    assert_eq!(found.len(), 1, "{name}: {found:#?}");
    let c = found[0];
    assert_eq!(c.rule_id, "LG-CHAIN-001", "{name}");
    assert!(
        c.message.contains(&format!("`{store}`")),
        "{name}: {}",
        c.message
    );
    assert!(
        c.related.iter().any(|x| rel(&dir, &x.path) == file
            && x.line == line
            && x.message.starts_with("the code connects to")),
        "{name}: no link through {file}:{line}: {:#?}",
        c.related
    );
}

#[test]
fn envy_struct_read_in_the_same_file() {
    let name = "envy_same_file";
    let r = scan(name);
    assert_eq!(
        env_connections(name, &r),
        [(
            "src/main.rs".to_string(),
            26,
            "mongodb".to_string(),
            "MONGO_URL".to_string()
        )]
    );
    assert_chain_through(name, &r, "mongo", "src/main.rs", 26);
}

#[test]
fn envy_prefixed_with_renamed_field_and_k8s_deployment() {
    let name = "envy_prefixed";
    let r = scan(name);
    assert_eq!(
        env_connections(name, &r),
        [(
            "src/main.rs".to_string(),
            31,
            "elasticsearch".to_string(),
            "INDEXER_SEARCH_URL".to_string()
        )]
    );
    assert_chain_through(name, &r, "search", "src/main.rs", 31);
}

#[test]
fn envy_struct_declared_elsewhere_read_through_a_parameter_and_app_state() {
    let name = "envy_cross_file";
    let r = scan(name);
    let mut conns = env_connections(name, &r);
    conns.sort();
    assert_eq!(
        conns,
        [
            (
                "src/db.rs".to_string(),
                7,
                "mongodb".to_string(),
                "MONGO_URI".to_string()
            ),
            (
                "src/state.rs".to_string(),
                13,
                "mongodb".to_string(),
                "MONGO_URI".to_string()
            ),
        ]
    );
    assert_chain_through(name, &r, "leads-db", "src/db.rs", 7);
    assert_chain_through(name, &r, "leads-db", "src/state.rs", 13);
    // The value comes from the `.env` file the compose service loads.
    let c = chains(&r)[0];
    assert!(
        c.related
            .iter()
            .any(|x| x.path.ends_with(".env") && x.message.contains("MONGO_URI")),
        "{:#?}",
        c.related
    );
}

#[test]
fn config_crate_with_prefix_and_nested_separator() {
    let name = "config_prefixed";
    let r = scan(name);
    assert_eq!(
        env_connections(name, &r),
        [(
            "src/main.rs".to_string(),
            18,
            "elasticsearch".to_string(),
            "APP__SEARCH__URL".to_string()
        )]
    );
    assert_chain_through(name, &r, "es-public", "src/main.rs", 18);
}

#[test]
fn struct_read_from_a_toml_or_json_file_is_no_environment_connection() {
    let name = "lookalike_toml";
    let r = scan(name);
    assert!(env_connections(name, &r).is_empty());
    assert!(chains(&r).is_empty(), "{:#?}", chains(&r));
    // The store and its contact fields are still reported on their own.
    assert!(
        r.findings
            .iter()
            .any(|f| f.category == Category::PublicDatastoreBinding)
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.category == Category::ContactFieldStored)
    );
}

#[test]
fn struct_never_deserialised_from_the_environment_is_no_connection() {
    let name = "lookalike_never_env";
    let r = scan(name);
    assert!(
        env_connections(name, &r).is_empty(),
        "{:?}",
        env_connections(name, &r)
    );
    assert!(chains(&r).is_empty(), "{:#?}", chains(&r));
}
