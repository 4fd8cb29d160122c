//! Tests of the Rust front end, run through the engine (parse threads with
//! a large stack, crate resolution over the scanned files) on small fixtures
//! and temp crates.

use std::path::{Path, PathBuf};

use leakguard::engine::{self, ScanOptions};
use leakguard::facts::{Fact, FactData};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

fn scan_dir(dir: &Path) -> engine::ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules");
    let vocab = Vocabulary::builtin();
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        threads: 1,
        ..Default::default()
    };
    engine::scan(&opts, &rules, &vocab)
}

/// Facts of every Rust file: (file name relative to dir, fact).
fn facts(dir: &Path) -> Vec<(String, Fact)> {
    let r = scan_dir(dir);
    let base = dir.to_string_lossy().replace('\\', "/");
    r.files
        .iter()
        .flat_map(|f| {
            let p = f
                .path
                .strip_prefix(&base)
                .unwrap_or(&f.path)
                .trim_start_matches('/')
                .to_string();
            f.facts.facts.iter().map(move |x| (p.clone(), x.clone()))
        })
        .collect()
}

/// A temp crate with the given files (a Cargo.toml is added).
fn krate(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"t\"\n").expect("write");
    for (p, text) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rust")
        .join(name)
}

#[test]
#[ignore]
fn dump_facts() {
    let p = std::env::var("LG_DUMP").expect("LG_DUMP");
    for (f, x) in facts(Path::new(&p)) {
        println!("{f}:{} {:?}", x.span.line, x.data);
    }
}

// ------------------------------------------------------------------ helpers

/// Lines of facts of one kind in one file.
fn lines_of(fs: &[(String, Fact)], file: &str, kind: &str) -> Vec<u32> {
    let mut v: Vec<u32> = fs
        .iter()
        .filter(|(f, x)| f == file && x.data.kind_name() == kind)
        .map(|(_, x)| x.span.line)
        .collect();
    v.sort();
    v.dedup();
    v
}

fn contact_fields(fs: &[(String, Fact)], file: &str) -> Vec<(u32, String, String)> {
    fs.iter()
        .filter(|(f, _)| f == file)
        .filter_map(|(_, x)| match &x.data {
            FactData::ContactField(c) => Some((x.span.line, c.container.clone(), c.name.clone())),
            _ => None,
        })
        .collect()
}

fn routes(fs: &[(String, Fact)], file: &str) -> Vec<(u32, String, bool)> {
    let mut v: Vec<(u32, String, bool)> = fs
        .iter()
        .filter(|(f, _)| f == file)
        .filter_map(|(_, x)| match &x.data {
            FactData::Route(r) => Some((x.span.line, r.path.clone(), r.authenticated)),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------ persistence

#[test]
fn orm_derives_and_rename_attributes() {
    let fs = facts(&fixture("models"));
    let got = contact_fields(&fs, "src/models.rs");
    let want = [
        (7, "Brand", "contact_mail"),
        (8, "Brand", "billing_phone"),
        (17, "NewAgent", "mobile_no"),
        (25, "managers", "postal_address"),
    ];
    for (l, c, n) in want {
        assert!(
            got.contains(&(l, c.to_string(), n.to_string())),
            "missing {c}.{n} at {l}: {got:?}"
        );
    }
    // flags, ids and a form that is never stored
    assert!(
        !got.iter()
            .any(|g| g.2 == "phone_verified" || g.1 == "SignupForm"),
        "{got:?}"
    );
}

#[test]
fn serde_models_written_by_other_modules_and_nested_types() {
    let fs = facts(&fixture("models"));
    let got = contact_fields(&fs, "src/models.rs");
    // camelCase rename_all, explicit rename, nested struct, skipped field
    assert!(
        got.contains(&(39, "Talent".into(), "workEmail".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(41, "Talent".into(), "tel".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(49, "Address".into(), "street_address".into())),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|g| g.2 == "scratchPhone" || g.2 == "scratch_phone"),
        "{got:?}"
    );
    let talent = fs.iter().find_map(|(_, x)| match &x.data {
        FactData::ContactField(c) if c.container == "Talent" => Some(c.clone()),
        _ => None,
    });
    let talent = talent.expect("Talent field");
    assert_eq!(talent.store_family.as_deref(), Some("document"));
    assert_eq!(talent.store_engine.as_deref(), Some("mongodb"));
}

#[test]
fn redis_and_opensearch_writes() {
    let fs = facts(&fixture("models"));
    assert_eq!(
        contact_fields(&fs, "src/cache.rs"),
        vec![(7, "CachedLead".into(), "whatsapp_number".into())]
    );
    assert_eq!(
        contact_fields(&fs, "src/search.rs"),
        vec![(7, "ProspectDoc".into(), "email_address".into())]
    );
    let writes: Vec<(String, String)> = fs
        .iter()
        .filter_map(|(_, x)| match &x.data {
            FactData::StoreWrite(w) => Some((w.type_name.clone(), w.engine.clone())),
            _ => None,
        })
        .collect();
    for w in [
        ("CachedLead", "redis"),
        ("ProspectDoc", "opensearch"),
        ("Talent", "mongodb"),
    ] {
        assert!(writes.contains(&(w.0.into(), w.1.into())), "{writes:?}");
    }
    assert!(!writes.iter().any(|w| w.0 == "BulkOperation"), "{writes:?}");
}

#[test]
fn diesel_table_columns() {
    let fs = facts(&fixture("models"));
    let got = contact_fields(&fs, "src/schema.rs");
    // sql_name rename, Nullable<Varchar>, arrays; Bool `email` and
    // `email_notifications` are not contact values
    assert_eq!(
        got,
        vec![
            (6, "agents".into(), "mobile_no".into()),
            (9, "agents".into(), "secondary_emails".into())
        ]
    );
}

#[test]
fn plain_struct_with_email_is_not_persisted() {
    let dir = krate(&[(
        "src/lib.rs",
        "#[derive(Debug, serde::Deserialize, serde::Serialize)]\npub struct Invite {\n    pub email: String,\n}\n\npub fn body(i: &Invite) -> String {\n    serde_json::to_string(i).unwrap_or_default()\n}\n",
    )]);
    let fs = facts(dir.path());
    assert!(contact_fields(&fs, "src/lib.rs").is_empty(), "{fs:?}");
}

#[test]
fn sql_in_string_literals() {
    // Depends on `frontend::sql::embedded_contact_columns` (SQL front end).
    let vocab = Vocabulary::builtin();
    if leakguard::frontend::sql::embedded_contact_columns(
        "INSERT INTO t (email) VALUES ($1)",
        &vocab,
    )
    .is_empty()
    {
        eprintln!("skipped: embedded_contact_columns is not implemented yet");
        return;
    }
    let dir = krate(&[(
        "src/lib.rs",
        r#"pub async fn save(pool: &sqlx::PgPool, e: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO leads (lead_id, contact_email) VALUES ($1, $2)",
        1i64,
        e
    )
    .execute(pool)
    .await?;
    let _rows = sqlx::query("SELECT contact_email FROM leads WHERE contact_email = $1")
        .bind(e)
        .fetch_all(pool)
        .await?;
    sqlx::query(r"UPDATE leads SET mobile = $1").bind(e).execute(pool).await?;
    Ok(())
}
"#,
    )]);
    let fs = facts(dir.path());
    let got = contact_fields(&fs, "src/lib.rs");
    assert_eq!(
        got,
        vec![
            (3, "leads".into(), "contact_email".into()),
            (13, "leads".into(), "mobile".into())
        ]
    );
    assert!(fs.iter().all(|(_, x)| !matches!(&x.data, FactData::ContactField(c) if c.origin != leakguard::facts::FieldOrigin::SqlInRust)));
}

// ---------------------------------------------------------------- logging

#[test]
fn log_macros_and_lookalikes() {
    let fs = facts(&fixture("logging"));
    assert_eq!(
        lines_of(&fs, "src/lib.rs", "log-call"),
        vec![17, 18, 21, 22, 23, 30, 36],
        "{fs:#?}"
    );
    let multi = fs
        .iter()
        .find(|(_, x)| x.span.line == 23)
        .expect("multi-line macro");
    assert_eq!(
        multi.1.span.end_line, 26,
        "span covers the whole invocation"
    );
    match &multi.1.data {
        FactData::LogCall(l) => {
            assert_eq!(l.macro_name, "log::error");
            assert_eq!(l.values, vec!["lead.email".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bare_macros_need_a_logging_crate() {
    // No Cargo.toml dependency and no import: `info!` is someone else's.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "pub fn f(email: &str) {\n    info!(\"{}\", email);\n    tracing::info!(email, \"x\");\n}\n",
    )
    .expect("write");
    let fs = facts(dir.path());
    assert_eq!(lines_of(&fs, "src/lib.rs", "log-call"), vec![3]);
}

// ----------------------------------------------------------------- routes

#[test]
fn axum_layer_order_extractors_and_nested_routers() {
    let fs = facts(&fixture("axum"));
    assert_eq!(
        routes(&fs, "src/main.rs"),
        vec![
            (60, "/agents/:id".into(), true),
            (62, "/agents".into(), false),
            (63, "/me/agent".into(), true),
            (71, "/phone/:id".into(), false),
            (72, "/agents/:id/edit".into(), true),
        ]
    );
    // wrapped by `require_staff` in another module
    assert_eq!(
        routes(&fs, "src/admin.rs"),
        vec![(13, "/admin/contacts".into(), true)]
    );
}

#[test]
fn actix_scopes_and_wrap() {
    let fs = facts(&fixture("actix"));
    assert_eq!(
        routes(&fs, "src/main.rs"),
        vec![
            (10, "/public/creators/{id}".into(), false),
            (16, "/internal/creators/{id}".into(), true),
            (21, "/creators/{id}/mobile".into(), false),
            (52, "/export/{id}".into(), true),
        ]
    );
}

#[test]
fn handler_in_another_module() {
    let dir = krate(&[
        (
            "src/main.rs",
            "mod handlers;\nuse axum::{routing::get, Router};\n\nfn app() -> Router {\n    Router::new()\n        .route(\"/c/:id\", get(handlers::card))\n}\n",
        ),
        (
            "src/handlers.rs",
            "use axum::Json;\nuse crate::models::Card;\n\npub async fn card() -> Json<Card> {\n    todo!()\n}\n",
        ),
        (
            "src/models.rs",
            "#[derive(serde::Serialize)]\npub struct Card {\n    pub contact_number: String,\n}\n",
        ),
    ]);
    let fs = facts(dir.path());
    assert_eq!(
        routes(&fs, "src/main.rs"),
        vec![(6, "/c/:id".into(), false)]
    );
}

// ------------------------------------------------------------ connections

fn conns(fs: &[(String, Fact)]) -> Vec<(u32, String, bool, bool, Option<String>)> {
    let mut v: Vec<_> = fs
        .iter()
        .filter_map(|(_, x)| match &x.data {
            FactData::Connection(c) => Some((
                x.span.line,
                c.target.clone(),
                c.has_credentials,
                c.weak_credential,
                c.env_var.clone(),
            )),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

#[test]
fn connection_strings_with_and_without_credentials() {
    let fs = facts(&fixture("conns"));
    let got = conns(&fs);
    let want: Vec<(u32, String, bool, bool, Option<String>)> = vec![
        (
            8,
            "mongodb+srv://leads.example.net/crm".into(),
            false,
            false,
            None,
        ),
        (
            9,
            "mongodb://auditor:***@audit-db:27017/audit".into(),
            true,
            false,
            None,
        ),
        (
            12,
            "$CACHE_REDIS_URL".into(),
            true,
            false,
            Some("CACHE_REDIS_URL".into()),
        ),
        (12, "redis://:@cache:6379".into(), false, true, None),
        (16, "http://search.internal:9200".into(), false, false, None),
        (21, "https://search.internal:9200".into(), true, false, None),
        (
            29,
            "postgres://postgres:***@db:5432/app".into(),
            true,
            true,
            None,
        ),
        (33, "postgres://app@db/app".into(), false, false, None),
        (
            41,
            "$MONGODB_URI".into(),
            true,
            false,
            Some("MONGODB_URI".into()),
        ),
    ];
    assert_eq!(got, want);
    // the https docs link and the test-only redis URL are not connections
}

#[test]
fn format_string_credentials_come_from_variables() {
    let dir = krate(&[(
        "src/lib.rs",
        "pub fn uri(u: &str, p: &str) -> String {\n    format!(\"mongodb://{u}:{p}@mongo:27017/app\")\n}\n\npub fn open() -> String {\n    format!(\"mongodb://{}:27017\", \"mongo\")\n}\n",
    )]);
    let got = conns(&facts(dir.path()));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].2,
        "placeholders in the userinfo are credentials: {got:?}"
    );
    assert!(!got[1].2, "a templated host is not a credential: {got:?}");
}

// --------------------------------------------------------------- listeners

#[test]
fn listeners_on_datastore_ports() {
    let fs = facts(&fixture("listeners"));
    assert_eq!(lines_of(&fs, "src/main.rs", "exposure"), vec![4, 5, 6, 9]);
    for (_, x) in &fs {
        if let FactData::Exposure(e) = &x.data {
            assert_eq!(e.how, "listener-all-interfaces");
            assert!(e.datastore.is_none());
        }
    }
}

// ------------------------------------------------------------- robustness

#[test]
fn syntax_error_is_reported_not_fatal() {
    let r = scan_dir(&fixture("broken"));
    let errs: Vec<_> = r
        .errors
        .iter()
        .filter(|e| e.path.ends_with("broken/src/lib.rs"))
        .collect();
    assert_eq!(errs.len(), 1, "{:?}", r.errors);
    assert_eq!(errs[0].kind, "parse");
    assert!(errs[0].line.is_some_and(|l| l >= 5), "{:?}", errs[0]);
}

#[test]
fn deeply_nested_expressions_do_not_crash() {
    let depth = 5000;
    let mut s = String::from(
        "pub fn f() -> i32 {\n    let email = \"a@b\";\n    tracing::info!(email);\n    ",
    );
    s.push_str(&"(".repeat(depth));
    s.push('1');
    s.push_str(&")".repeat(depth));
    s.push_str("\n}\n\npub fn g() {\n    let _ = vec![");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push_str("];\n}\n");
    let dir = krate(&[("src/lib.rs", &s)]);
    let r = scan_dir(dir.path());
    // Either analysed, or refused with a parse error; never a crash.
    assert!(!r.incomplete(), "{:?}", r.errors);
    assert!(r.errors.iter().all(|e| e.kind == "parse"), "{:?}", r.errors);
    // A shallower file is analysed in full.
    let shallow = s
        .replace(&"(".repeat(depth), &"(".repeat(200))
        .replace(&")".repeat(depth), &")".repeat(200))
        .replace(&"[".repeat(depth), "[")
        .replace(&"]".repeat(depth), "]");
    let dir = krate(&[("src/lib.rs", &shallow)]);
    let fs = facts(dir.path());
    assert_eq!(lines_of(&fs, "src/lib.rs", "log-call"), vec![3]);
}

#[test]
fn long_method_chains_and_odd_macros_are_bounded() {
    let mut s = String::from("pub fn f(r: Router) -> Router {\n    r");
    for i in 0..3000 {
        s.push_str(&format!(".route(\"/{i}\", get(h))"));
    }
    s.push_str("\n}\n\npub fn g() {\n    info!(, ; ?, %, = = , email =);\n    println!(\"{email:?} {} {0}\", 1);\n}\n");
    let dir = krate(&[("src/lib.rs", &s)]);
    let r = scan_dir(dir.path());
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

// ------------------------------------------------------- crate resolution

fn scan_cached(dir: &Path, cache: &Path) -> engine::ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules");
    let vocab = Vocabulary::builtin();
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        threads: 2,
        cache_dir: Some(cache.to_path_buf()),
        ..Default::default()
    };
    engine::scan(&opts, &rules, &vocab)
}

/// Facts of a scan result: (path relative to dir, fact).
fn facts_of(r: &engine::ScanResult, dir: &Path) -> Vec<(String, Fact)> {
    let base = dir.to_string_lossy().replace('\\', "/");
    r.files
        .iter()
        .flat_map(|f| {
            let p = f
                .path
                .strip_prefix(&base)
                .unwrap_or(&f.path)
                .trim_start_matches('/')
                .to_string();
            f.facts.facts.iter().map(move |x| (p.clone(), x.clone()))
        })
        .collect()
}

/// (container.name, store engine) of the contact fields of one file.
fn stored(fs: &[(String, Fact)], file: &str) -> Vec<(String, Option<String>)> {
    fs.iter()
        .filter(|(f, _)| f == file)
        .filter_map(|(_, x)| match &x.data {
            FactData::ContactField(c) => Some((
                format!("{}.{}", c.container, c.name),
                c.store_engine.clone(),
            )),
            _ => None,
        })
        .collect()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const LEAD_MODEL: &str = "#[derive(serde::Serialize, serde::Deserialize)]\npub struct Lead {\n    pub id: i64,\n    pub email: String,\n}\n";

const MONGO_STORE: &str = "use mongodb::{Collection, Database};\nuse crate::models::Lead;\n\npub async fn save(db: &Database, lead: Lead) -> mongodb::error::Result<()> {\n    let col: Collection<Lead> = db.collection(\"leads\");\n    col.insert_one(lead).await?;\n    Ok(())\n}\n";

const REDIS_CACHE: &str = "use redis::Commands;\nuse crate::models::Lead;\n\npub fn put(con: &mut redis::Connection, lead: &Lead) -> redis::RedisResult<()> {\n    let body = serde_json::to_string(lead).unwrap_or_default();\n    con.set(\"lead:1\", body)\n}\n";

#[test]
fn sibling_edits_between_cached_scans_move_the_store() {
    let dir = krate(&[
        (
            "src/lib.rs",
            "pub mod cache;\npub mod models;\npub mod store;\n",
        ),
        ("src/models.rs", LEAD_MODEL),
        ("src/store.rs", MONGO_STORE),
        ("src/cache.rs", "pub fn warm() {}\n"),
    ]);
    let cache = tempfile::tempdir().expect("cache dir");
    let r = scan_cached(dir.path(), cache.path());
    assert_eq!(
        stored(&facts_of(&r, dir.path()), "src/models.rs"),
        vec![("Lead.email".into(), Some("mongodb".into()))]
    );
    // The write moves from store.rs to cache.rs; models.rs is unchanged.
    write(dir.path(), "src/store.rs", "pub fn save() {}\n");
    write(dir.path(), "src/cache.rs", REDIS_CACHE);
    let r = scan_cached(dir.path(), cache.path());
    assert!(r.cache.loaded, "{:?}", r.cache);
    assert_eq!(
        stored(&facts_of(&r, dir.path()), "src/models.rs"),
        vec![("Lead.email".into(), Some("redis".into()))]
    );
    // A warm scan resolves the cached facts again: same facts, once each.
    let warm = scan_cached(dir.path(), cache.path());
    assert_eq!(warm.cache.misses, 0, "{:?}", warm.cache);
    assert_eq!(facts_of(&warm, dir.path()), facts_of(&r, dir.path()));
    // No module writes the model any more: no stored contact field.
    write(dir.path(), "src/cache.rs", "pub fn warm() {}\n");
    let r = scan_cached(dir.path(), cache.path());
    assert!(stored(&facts_of(&r, dir.path()), "src/models.rs").is_empty());
}

#[test]
fn auth_layer_added_in_main_protects_a_cached_route() {
    let api = "use axum::{routing::get, Json, Router};\n\n#[derive(serde::Serialize)]\npub struct Card {\n    pub contact_number: String,\n}\n\nasync fn card() -> Json<Card> {\n    todo!()\n}\n\npub fn routes() -> Router {\n    Router::new().route(\"/card\", get(card))\n}\n";
    let main = |app: &str| {
        format!(
            "mod api;\nuse axum::Router;\n\n#[tokio::main]\nasync fn main() {{\n    let app = {app};\n    let listener = tokio::net::TcpListener::bind(\"127.0.0.1:8080\").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}}\n"
        )
    };
    let dir = krate(&[
        ("src/main.rs", &main("Router::new().merge(api::routes())")),
        ("src/api.rs", api),
    ]);
    let cache = tempfile::tempdir().expect("cache dir");
    let r = scan_cached(dir.path(), cache.path());
    assert_eq!(
        routes(&facts_of(&r, dir.path()), "src/api.rs"),
        vec![(13, "/card".into(), false)]
    );
    write(
        dir.path(),
        "src/main.rs",
        &main(
            "Router::new()\n        .merge(api::routes())\n        .layer(axum::middleware::from_fn(require_auth))",
        ),
    );
    let r = scan_cached(dir.path(), cache.path());
    assert_eq!(
        routes(&facts_of(&r, dir.path()), "src/api.rs"),
        vec![(13, "/card".into(), true)]
    );
}

/// A crate whose `src/api` folder depends on siblings outside it, one of
/// which nests deeper than any parser should go.
fn crate_with_deep_sibling() -> tempfile::TempDir {
    // Deep enough to overflow any parse stack (a 100k-level sibling
    // aborted the process when siblings were parsed without the guard).
    let depth = 100_000;
    let deep = format!(
        "pub fn f() -> i32 {{\n    {}1{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, text) in [
        (
            "Cargo.toml",
            "[package]\nname = \"t\"\n\n[dependencies]\ntracing = \"0.1\"\n",
        ),
        (
            "src/main.rs",
            "mod api;\nmod deep;\nmod handlers;\nmod store;\n\nfn main() {}\n",
        ),
        (
            "src/api/mod.rs",
            "pub mod models;\nuse axum::{routing::get, Router};\n\npub fn routes() -> Router {\n    Router::new().route(\"/card/:id\", get(crate::handlers::card))\n}\n\npub fn note(email: &str) {\n    info!(\"sent to {}\", email);\n}\n",
        ),
        (
            "src/api/models.rs",
            "#[derive(serde::Serialize, serde::Deserialize)]\npub struct Card {\n    pub contact_number: String,\n}\n",
        ),
        (
            "src/handlers.rs",
            "use axum::Json;\nuse crate::api::models::Card;\n\npub async fn card() -> Json<Card> {\n    todo!()\n}\n",
        ),
        (
            "src/store.rs",
            "use mongodb::Collection;\nuse crate::api::models::Card;\n\npub async fn save(col: Collection<Card>, c: Card) {\n    let _ = col.insert_one(c).await;\n}\n",
        ),
        ("src/deep.rs", deep.as_str()),
    ] {
        write(dir.path(), p, text);
    }
    dir
}

#[test]
fn deeply_nested_sibling_is_an_error_for_that_file_only() {
    let dir = crate_with_deep_sibling();
    let r = scan_dir(dir.path());
    assert!(!r.incomplete(), "{:?}", r.errors);
    let errs: Vec<_> = r
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].0.ends_with("src/deep.rs") && errs[0].1 == "parse",
        "{errs:?}"
    );
    // The other files still see each other.
    let fs = facts_of(&r, dir.path());
    assert_eq!(
        stored(&fs, "src/api/models.rs"),
        vec![("Card.contact_number".into(), Some("mongodb".into()))]
    );
    assert_eq!(
        routes(&fs, "src/api/mod.rs"),
        vec![(5, "/card/:id".into(), false)]
    );
    assert_eq!(lines_of(&fs, "src/api/mod.rs", "log-call"), vec![9]);
}

#[test]
fn scanning_a_subfolder_reads_nothing_outside_it() {
    let dir = crate_with_deep_sibling();
    let sub = dir.path().join("src/api");
    let r = scan_dir(&sub);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let base = sub.to_string_lossy().replace('\\', "/");
    assert!(r.files.iter().all(|f| f.path.starts_with(&base)));
    // The handler, the write and the manifest's `tracing` are outside: no
    // route, no stored field, and `info!` is nobody's log macro.
    let fs = facts_of(&r, &sub);
    assert!(fs.is_empty(), "{fs:?}");
}

// ------------------------------------------- values through local bindings

#[test]
fn serialized_struct_written_to_redis_through_a_local() {
    let fs = facts(&fixture("serialized_writes"));
    let mut writes: Vec<(u32, String, String)> = fs
        .iter()
        .filter_map(|(_, x)| match &x.data {
            FactData::StoreWrite(w) => Some((x.span.line, w.type_name.clone(), w.engine.clone())),
            _ => None,
        })
        .collect();
    writes.sort();
    assert_eq!(
        writes,
        vec![
            (31, "VisitorCard".into(), "redis".into()),
            (37, "CallbackRequest".into(), "redis".into()),
        ],
        "{fs:#?}"
    );
    // Serialised for a response body or a log line: not stored.
    let mut got = contact_fields(&fs, "src/lib.rs");
    got.sort();
    assert_eq!(
        got,
        vec![
            (8, "VisitorCard".into(), "reach_email".into()),
            (14, "CallbackRequest".into(), "callback_phone".into()),
        ]
    );
}

#[test]
fn bindings_carry_the_contact_value_they_are_bound_from() {
    let fs = facts(&fixture("bound_logs"));
    assert_eq!(
        lines_of(&fs, "src/lib.rs", "log-call"),
        vec![10, 16, 23],
        "{fs:#?}"
    );
}
