//! A deterministic synthetic monorepo for the benchmark: about one million
//! lines at size 1.0 (60% Rust across crates, 15% SQL migrations in the
//! PostgreSQL, MySQL and SQLite styles, 25% YAML of every kind leakguard reads
//! plus some JSON index mappings), with findings sprinkled at a realistic
//! density: most files are clean.
//!
//! The corpus scales by the number of services (each one a crate with its
//! migrations and deployment files), so per-file and per-crate costs stay the
//! same from 0.1x to 10x.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Lines per service; 40 services make the 1x corpus.
const RUST_LINES_PER_SERVICE: usize = 15_000;
const SQL_LINES_PER_SERVICE: usize = 3_750;
const YAML_LINES_PER_SERVICE: usize = 5_700;
const JSON_LINES_PER_SERVICE: usize = 550;
const SERVICES_AT_1X: f64 = 40.0;

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const NOUNS: &[&str] = &[
    "invoice",
    "order",
    "shipment",
    "ledger",
    "campaign",
    "tenant",
    "payment",
    "refund",
    "catalog",
    "product",
    "warehouse",
    "courier",
    "subscription",
    "coupon",
    "review",
    "session",
    "audit",
    "report",
    "metric",
    "quota",
    "webhook",
    "notification",
    "asset",
    "upload",
    "schedule",
    "booking",
    "vendor",
    "contract",
    "budget",
    "parcel",
    "route",
    "forecast",
    "inventory",
    "pricing",
    "basket",
    "voucher",
    "settlement",
    "dispute",
    "payout",
    "tariff",
    "region",
    "carrier",
    "manifest",
    "pallet",
    "ticket",
    "incident",
    "deployment",
    "artifact",
];
const VERBS: &[&str] = &[
    "load",
    "sync",
    "apply",
    "compute",
    "merge",
    "reconcile",
    "validate",
    "refresh",
    "expire",
    "archive",
    "publish",
    "collect",
    "rebuild",
    "score",
    "assign",
    "flush",
    "import",
    "export",
];
const PLAIN_FIELDS: &[(&str, &str)] = &[
    ("status", "String"),
    ("title", "String"),
    ("amount_cents", "i64"),
    ("currency", "String"),
    ("sku", "String"),
    ("quantity", "i32"),
    ("notes", "Option<String>"),
    ("priority", "u8"),
    ("retries", "u32"),
    ("checksum", "Vec<u8>"),
    ("slug", "String"),
    ("version", "i32"),
    ("created_at", "chrono::DateTime<chrono::Utc>"),
    ("updated_at", "chrono::DateTime<chrono::Utc>"),
    ("owner_id", "i64"),
    ("tenant_id", "uuid::Uuid"),
    ("label", "Option<String>"),
    ("score", "f64"),
    ("is_active", "bool"),
    ("tags", "Vec<String>"),
    ("external_ref", "Option<String>"),
    ("weight_grams", "u32"),
    ("locale", "String"),
    ("email_template_id", "Option<i64>"),
    ("phone_verified", "bool"),
];
const CONTACT_FIELDS: &[(&str, &str)] = &[
    ("email", "String"),
    ("contact_email", "Option<String>"),
    ("phone", "Option<String>"),
    ("phone_number", "String"),
    ("billing_address", "Option<String>"),
    ("street_address", "String"),
    ("mobile", "Option<String>"),
];
const SQL_PLAIN: &[(&str, &str, &str, &str)] = &[
    // name, postgres, mysql, sqlite
    (
        "status",
        "TEXT NOT NULL DEFAULT 'pending'",
        "VARCHAR(32) NOT NULL DEFAULT 'pending'",
        "TEXT NOT NULL DEFAULT 'pending'",
    ),
    (
        "amount_cents",
        "BIGINT NOT NULL",
        "BIGINT NOT NULL",
        "INTEGER NOT NULL",
    ),
    (
        "currency",
        "CHAR(3) NOT NULL",
        "CHAR(3) NOT NULL",
        "TEXT NOT NULL",
    ),
    (
        "title",
        "VARCHAR(200) NOT NULL",
        "VARCHAR(200) NOT NULL",
        "TEXT NOT NULL",
    ),
    ("notes", "TEXT", "TEXT", "TEXT"),
    (
        "quantity",
        "INTEGER NOT NULL DEFAULT 0",
        "INT NOT NULL DEFAULT 0",
        "INTEGER NOT NULL DEFAULT 0",
    ),
    (
        "created_at",
        "TIMESTAMPTZ NOT NULL DEFAULT now()",
        "DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP",
        "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP",
    ),
    ("updated_at", "TIMESTAMPTZ", "DATETIME NULL", "TEXT"),
    (
        "payload",
        "JSONB NOT NULL DEFAULT '{}'::jsonb",
        "JSON NULL",
        "TEXT",
    ),
    (
        "is_active",
        "BOOLEAN NOT NULL DEFAULT TRUE",
        "TINYINT(1) NOT NULL DEFAULT 1",
        "INTEGER NOT NULL DEFAULT 1",
    ),
    ("external_ref", "VARCHAR(64)", "VARCHAR(64) NULL", "TEXT"),
    (
        "region",
        "VARCHAR(16) NOT NULL",
        "VARCHAR(16) NOT NULL",
        "TEXT NOT NULL",
    ),
    ("score", "DOUBLE PRECISION", "DOUBLE NULL", "REAL"),
];
const SQL_CONTACT: &[(&str, &str, &str, &str)] = &[
    (
        "email",
        "VARCHAR(320) NOT NULL",
        "VARCHAR(320) NOT NULL",
        "TEXT NOT NULL",
    ),
    ("phone", "VARCHAR(32)", "VARCHAR(32) NULL", "TEXT"),
    ("billing_address", "TEXT", "TEXT NULL", "TEXT"),
];

fn camel(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// What was written.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub rust_lines: usize,
    pub sql_lines: usize,
    pub yaml_lines: usize,
    pub json_lines: usize,
    pub seeded_findings: usize,
    pub paths: Vec<PathBuf>,
}

impl Stats {
    pub fn lines(&self) -> usize {
        self.rust_lines + self.sql_lines + self.yaml_lines + self.json_lines
    }
}

struct Writer<'a> {
    root: &'a Path,
    stats: Stats,
}

impl Writer<'_> {
    fn write(&mut self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("create corpus folder");
        }
        std::fs::write(&p, text).expect("write corpus file");
        let lines = text.lines().count();
        match rel.rsplit('.').next() {
            Some("rs") => self.stats.rust_lines += lines,
            Some("sql") => self.stats.sql_lines += lines,
            Some("json") => self.stats.json_lines += lines,
            _ => self.stats.yaml_lines += lines,
        }
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        self.stats.paths.push(p);
    }
}

/// Writes the corpus for `size` (0.1 to 10) into `root` (emptied first).
pub fn generate(root: &Path, size: f64, seed: u64) -> Stats {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).expect("create corpus root");
    let mut w = Writer {
        root,
        stats: Stats::default(),
    };
    let services = ((SERVICES_AT_1X * size).round() as usize).max(1);
    let mut rng = Rng::new(seed);
    w.write(
        "Cargo.toml",
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [\"services/*\"]\n\n[workspace.package]\nedition = \"2021\"\nversion = \"0.{}.0\"\n",
            rng.below(40)
        ),
    );
    for s in 0..services {
        let name = format!(
            "{}-{}",
            NOUNS[s % NOUNS.len()],
            ["api", "worker", "svc", "gateway", "sync", "jobs"][(s / NOUNS.len()) % 6]
        );
        let name = if s >= NOUNS.len() * 6 {
            format!("{name}{s}")
        } else {
            name
        };
        let mut srng = Rng::new(seed.wrapping_mul(31).wrapping_add(s as u64 + 1));
        service(&mut w, &mut srng, &name);
    }
    w.stats
}

fn service(w: &mut Writer, rng: &mut Rng, name: &str) {
    let base = format!("services/{name}");
    let uses_tracing = rng.chance(0.8);
    w.write(
        &format!("{base}/Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\naxum = \"0.7\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nsqlx = {{ version = \"0.8\", features = [\"postgres\", \"runtime-tokio\", \"chrono\", \"uuid\"] }}\ntokio = {{ version = \"1\", features = [\"full\"] }}\n{}chrono = \"0.4\"\nuuid = \"1\"\nthiserror = \"2\"\n",
            if uses_tracing { "tracing = \"0.1\"\n" } else { "log = \"0.4\"\n" }
        ),
    );
    // Rust.
    let mut lines = 0;
    let mut i = 0;
    let mut modules = Vec::new();
    while lines < RUST_LINES_PER_SERVICE {
        let noun = NOUNS[rng.below(NOUNS.len())];
        let (folder, text) = match i % 4 {
            0 => ("models", rust_models(rng, noun)),
            1 => ("handlers", rust_handlers(rng, noun, uses_tracing)),
            2 => ("repo", rust_repo(rng, noun, uses_tracing)),
            _ => ("services", rust_service(rng, noun, uses_tracing)),
        };
        let module = format!("{noun}_{i}");
        lines += text.lines().count();
        w.write(&format!("{base}/src/{folder}/{module}.rs"), &text);
        modules.push((folder, module));
        i += 1;
    }
    let mut main = String::new();
    for folder in ["models", "handlers", "repo", "services"] {
        let mut m = String::new();
        for (f, module) in &modules {
            if *f == folder {
                let _ = writeln!(m, "pub mod {module};");
            }
        }
        w.write(&format!("{base}/src/{folder}/mod.rs"), &m);
        let _ = writeln!(main, "mod {folder};");
    }
    main.push_str(&rust_main(rng, name, uses_tracing));
    w.write(&format!("{base}/src/main.rs"), &main);

    // SQL migrations: one dialect per service, as real services have.
    let dialect = rng.below(3);
    let mut lines = 0;
    let mut n = 1;
    while lines < SQL_LINES_PER_SERVICE {
        let noun = NOUNS[rng.below(NOUNS.len())];
        let text = sql_migration(rng, noun, dialect, n);
        lines += text.lines().count();
        w.write(&format!("{base}/migrations/{n:04}_{noun}.sql"), &text);
        n += 1;
    }

    // YAML and JSON.
    let mut lines = 0;
    let mut n = 0;
    while lines < YAML_LINES_PER_SERVICE {
        let noun = NOUNS[rng.below(NOUNS.len())];
        let (rel, text) = match n % 8 {
            0..=2 => (
                format!("{base}/deploy/k8s/{noun}-{n}.yaml"),
                k8s(rng, name, noun),
            ),
            3 => (
                if n == 3 {
                    format!("{base}/docker-compose.yml")
                } else {
                    format!("{base}/deploy/compose/docker-compose.{noun}{n}.yml")
                },
                compose(rng, name, noun),
            ),
            4 => (
                format!("{base}/deploy/cloudformation/{noun}-{n}.yaml"),
                cfn(rng, name, noun),
            ),
            5 => {
                let chart = format!("{base}/charts/{noun}{n}");
                w.write(
                    &format!("{chart}/Chart.yaml"),
                    &format!(
                        "apiVersion: v2\nname: {noun}{n}\nversion: 1.{}.0\nappVersion: \"2.{}\"\ndependencies:\n  - name: postgresql\n    version: 15.5.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: postgresql.enabled\n",
                        rng.below(9),
                        rng.below(30)
                    ),
                );
                (format!("{chart}/values.yaml"), helm_values(rng, name, noun))
            }
            6 => (
                format!("{base}/config/elasticsearch/{noun}{n}/elasticsearch.yml"),
                elasticsearch_yml(rng, name),
            ),
            _ => (
                format!("{base}/config/mongo/{noun}{n}/mongod.conf"),
                mongod_conf(rng),
            ),
        };
        lines += text.lines().count();
        w.write(&rel, &text);
        n += 1;
    }
    let mut lines = 0;
    let mut n = 0;
    while lines < JSON_LINES_PER_SERVICE {
        let noun = NOUNS[rng.below(NOUNS.len())];
        let text = json_mapping(rng, noun);
        lines += text.lines().count();
        w.write(&format!("{base}/search/mappings/{noun}{n}.json"), &text);
        n += 1;
    }
}

fn fields(rng: &mut Rng, contact: bool) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = vec![("id", "i64")];
    let n = rng.range(4, 11);
    for _ in 0..n {
        let f = PLAIN_FIELDS[rng.below(PLAIN_FIELDS.len())];
        if !out.iter().any(|(x, _)| *x == f.0) {
            out.push(f);
        }
    }
    if contact {
        let f = CONTACT_FIELDS[rng.below(CONTACT_FIELDS.len())];
        let at = rng.range(1, out.len());
        out.insert(at, f);
    }
    out
}

fn rust_models(rng: &mut Rng, noun: &str) -> String {
    let mut s = String::from(
        "//! Persisted and transport models.\n\nuse serde::{Deserialize, Serialize};\n\n",
    );
    let count = rng.range(3, 7);
    for k in 0..count {
        let ty = format!(
            "{}{}",
            camel(noun),
            ["", "Record", "Summary", "Row", "Draft", "Event", "Line"][k % 7]
        );
        // About 3% of models store contact data.
        let contact = rng.chance(0.03);
        let persisted = rng.chance(0.6);
        let fs = fields(rng, contact);
        let _ = writeln!(s, "/// A {noun} as the {} keeps it.", rng.pick(VERBS));
        if persisted {
            s.push_str("#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]\n");
        } else {
            s.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n#[serde(rename_all = \"camelCase\")]\n");
        }
        let _ = writeln!(s, "pub struct {ty} {{");
        for (f, t) in &fs {
            if rng.chance(0.15) {
                let _ = writeln!(s, "    /// The {} of this {noun}.", f.replace('_', " "));
            }
            let _ = writeln!(s, "    pub {f}: {t},");
        }
        s.push_str("}\n\n");
        let _ = writeln!(s, "impl {ty} {{");
        let _ = writeln!(
            s,
            "    pub fn is_{}(&self) -> bool {{\n        self.id > 0 && self.id % {} != 0\n    }}\n",
            rng.pick(&["stale", "billable", "visible", "pending", "complete"]),
            rng.range(2, 97)
        );
        let _ = writeln!(
            s,
            "    pub fn cache_key(&self) -> String {{\n        format!(\"{noun}:{{}}:{{}}\", self.id, {})\n    }}",
            rng.range(1, 9)
        );
        s.push_str("}\n\n");
    }
    let _ = writeln!(
        s,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]\npub enum {}State {{",
        camel(noun)
    );
    let states = [
        "Draft",
        "Pending",
        "Active",
        "Suspended",
        "Closed",
        "Archived",
        "Failed",
    ];
    let ns = rng.range(3, states.len());
    for st in &states[..ns] {
        let _ = writeln!(s, "    {st},");
    }
    s.push_str("}\n\n");
    let _ = writeln!(
        s,
        "impl std::fmt::Display for {}State {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        let s = match self {{",
        camel(noun)
    );
    for st in &states[..ns] {
        let _ = writeln!(s, "            Self::{st} => \"{}\",", st.to_lowercase());
    }
    s.push_str("        };\n        f.write_str(s)\n    }\n}\n");
    s
}

fn log_macro(tracing: bool, level: &str) -> String {
    if tracing {
        format!("tracing::{level}!")
    } else {
        format!("log::{level}!")
    }
}

fn rust_handlers(rng: &mut Rng, noun: &str, tracing: bool) -> String {
    let ty = camel(noun);
    let mut s = String::from(
        "use axum::{\n    extract::{Path, Query, State},\n    http::StatusCode,\n    routing::{get, post},\n    Json, Router,\n};\nuse serde::Deserialize;\n\nuse crate::AppState;\n\n#[derive(Debug, Deserialize)]\npub struct ListParams {\n    pub limit: Option<i64>,\n    pub cursor: Option<i64>,\n    pub status: Option<String>,\n}\n\n",
    );
    let count = rng.range(3, 6);
    let mut routes = Vec::new();
    for k in 0..count {
        let verb = rng.pick(VERBS);
        let h = format!("{verb}_{noun}_{k}");
        let info = log_macro(tracing, rng.pick(&["info", "debug", "warn"]));
        // Rarely a handler logs a contact value.
        let log_line = if rng.chance(0.02) {
            format!(
                "    {info}(customer_email = %params.status.clone().unwrap_or_default(), \"{verb} by email\");\n    {info}(\"notify {{}}\", user.email);\n"
            )
        } else {
            format!("    {info}(limit = params.limit.unwrap_or(50), \"{verb} {noun}\");\n")
        };
        let _ = write!(
            s,
            "pub async fn {h}(\n    State(state): State<AppState>,\n    Path(id): Path<i64>,\n    Query(params): Query<ListParams>,\n) -> Result<Json<Vec<crate::models::{ty}>>, (StatusCode, String)> {{\n{log_line}    let limit = params.limit.unwrap_or(50).clamp(1, {});\n    let rows = crate::repo::list(&state.pool, id, limit, params.cursor)\n        .await\n        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;\n    if rows.is_empty() && params.cursor.is_none() {{\n        return Err((StatusCode::NOT_FOUND, format!(\"no {noun} for {{id}}\")));\n    }}\n    let filtered: Vec<_> = rows\n        .into_iter()\n        .filter(|r| params.status.as_deref().map_or(true, |s| r.status == s))\n        .take(limit as usize)\n        .collect();\n    Ok(Json(filtered))\n}}\n\n",
            rng.range(100, 1000)
        );
        routes.push((h, k));
    }
    s.push_str("pub fn router() -> Router<AppState> {\n    Router::new()\n");
    for (h, k) in &routes {
        let _ = writeln!(
            s,
            "        .route(\"/{noun}s/{k}/:id\", {}({h}))",
            if k % 2 == 0 { "get" } else { "post" }
        );
    }
    s.push_str("}\n");
    s
}

fn rust_repo(rng: &mut Rng, noun: &str, tracing: bool) -> String {
    let ty = camel(noun);
    let table = format!("{noun}s");
    let mut s = format!(
        "use sqlx::{{PgPool, Postgres, Transaction}};\n\nuse crate::models::{ty};\n\n#[derive(Debug, thiserror::Error)]\npub enum RepoError {{\n    #[error(\"database: {{0}}\")]\n    Db(#[from] sqlx::Error),\n    #[error(\"{noun} {{0}} not found\")]\n    Missing(i64),\n}}\n\n"
    );
    let count = rng.range(4, 8);
    for k in 0..count {
        let cols: Vec<&str> = (0..rng.range(2, 6))
            .map(|_| SQL_PLAIN[rng.below(SQL_PLAIN.len())].0)
            .collect();
        let cols = cols.join(", ");
        let dbg = log_macro(tracing, "debug");
        match k % 4 {
            0 => {
                let _ = write!(
                    s,
                    "pub async fn find_{noun}_{k}(pool: &PgPool, id: i64) -> Result<{ty}, RepoError> {{\n    let row = sqlx::query_as::<_, {ty}>(\n        \"SELECT id, {cols} FROM {table} WHERE id = $1 AND deleted_at IS NULL\",\n    )\n    .bind(id)\n    .fetch_optional(pool)\n    .await?;\n    row.ok_or(RepoError::Missing(id))\n}}\n\n"
                );
            }
            1 => {
                let _ = write!(
                    s,
                    "pub async fn list_{noun}_{k}(\n    pool: &PgPool,\n    tenant: uuid::Uuid,\n    limit: i64,\n    cursor: Option<i64>,\n) -> Result<Vec<{ty}>, RepoError> {{\n    let rows = sqlx::query_as::<_, {ty}>(\n        \"SELECT id, {cols} FROM {table} WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3\",\n    )\n    .bind(tenant)\n    .bind(cursor.unwrap_or(0))\n    .bind(limit)\n    .fetch_all(pool)\n    .await?;\n    {dbg}(count = rows.len(), \"listed {table}\");\n    Ok(rows)\n}}\n\n"
                );
            }
            2 => {
                let insert_cols = if rng.chance(0.03) {
                    "email, status, created_at".to_string()
                } else {
                    "status, notes, created_at".to_string()
                };
                let _ = write!(
                    s,
                    "pub async fn insert_{noun}_{k}(\n    tx: &mut Transaction<'_, Postgres>,\n    status: &str,\n    notes: Option<&str>,\n) -> Result<i64, RepoError> {{\n    let (id,): (i64,) = sqlx::query_as(\n        \"INSERT INTO {table} ({insert_cols}) VALUES ($1, $2, now()) RETURNING id\",\n    )\n    .bind(status)\n    .bind(notes)\n    .fetch_one(&mut **tx)\n    .await?;\n    Ok(id)\n}}\n\n"
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "pub async fn touch_{noun}_{k}(pool: &PgPool, ids: &[i64]) -> Result<u64, RepoError> {{\n    let mut total = 0;\n    for chunk in ids.chunks({}) {{\n        let done = sqlx::query(\"UPDATE {table} SET updated_at = now() WHERE id = ANY($1)\")\n            .bind(chunk)\n            .execute(pool)\n            .await?\n            .rows_affected();\n        total += done;\n    }}\n    Ok(total)\n}}\n\n",
                    rng.range(50, 500)
                );
            }
        }
    }
    s
}

fn rust_service(rng: &mut Rng, noun: &str, tracing: bool) -> String {
    let ty = camel(noun);
    let mut s = format!(
        "use std::collections::{{BTreeMap, HashMap}};\nuse std::time::Duration;\n\nuse crate::models::{ty};\n\npub struct {ty}Service {{\n    pub pool: sqlx::PgPool,\n    pub timeout: Duration,\n    cache: HashMap<i64, {ty}>,\n}}\n\nimpl {ty}Service {{\n    pub fn new(pool: sqlx::PgPool) -> Self {{\n        Self {{ pool, timeout: Duration::from_secs({}), cache: HashMap::new() }}\n    }}\n\n",
        rng.range(2, 60)
    );
    let count = rng.range(4, 9);
    for k in 0..count {
        let verb = rng.pick(VERBS);
        let warn = log_macro(tracing, "warn");
        let info = log_macro(tracing, "info");
        let _ = write!(
            s,
            "    pub fn {verb}_{k}(&mut self, items: &[{ty}], threshold: f64) -> BTreeMap<String, f64> {{\n        let mut totals: BTreeMap<String, f64> = BTreeMap::new();\n        for item in items.iter().filter(|i| i.score >= threshold) {{\n            let key = match item.status.as_str() {{\n                \"active\" | \"pending\" => item.status.clone(),\n                other if other.starts_with(\"{}\") => format!(\"legacy-{{other}}\"),\n                _ => continue,\n            }};\n            *totals.entry(key).or_insert(0.0) += item.score * {}.0;\n            self.cache.insert(item.id, item.clone());\n        }}\n        if totals.len() > {} {{\n            {warn}(\"{verb}: {{}} buckets over limit\", totals.len());\n        }}\n        totals\n    }}\n\n",
            rng.pick(&["old", "v1", "tmp", "x-"]),
            rng.range(1, 9),
            rng.range(10, 500)
        );
        if rng.chance(0.5) {
            let _ = write!(
                s,
                "    pub async fn {verb}_batch_{k}(&self, ids: Vec<i64>) -> Result<usize, sqlx::Error> {{\n        let mut done = 0usize;\n        for id in ids {{\n            let row: Option<(i64, String)> = sqlx::query_as(\"SELECT id, status FROM {noun}s WHERE id = $1\")\n                .bind(id)\n                .fetch_optional(&self.pool)\n                .await?;\n            if let Some((id, status)) = row {{\n                {info}(id, status = %status, \"{verb} {noun}\");\n                done += 1;\n            }}\n        }}\n        Ok(done)\n    }}\n\n"
            );
        }
    }
    s.push_str("}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn empty_input_gives_empty_totals() {\n        let items: Vec<");
    let _ = write!(
        s,
        "{ty}> = Vec::new();\n        assert!(items.iter().all(|i| i.id > 0));\n        assert_eq!(items.len(), 0);\n    }}\n}}\n"
    );
    s
}

fn rust_main(rng: &mut Rng, name: &str, tracing: bool) -> String {
    let url = if rng.chance(0.1) {
        format!("\"postgres://app:app@db:5432/{}\"", name.replace('-', "_"))
    } else {
        "&std::env::var(\"DATABASE_URL\").expect(\"DATABASE_URL\")".to_string()
    };
    let bind = if rng.chance(0.9) {
        "0.0.0.0:8080"
    } else {
        "127.0.0.1:8080"
    };
    let init = if tracing {
        "    tracing_subscriber::fmt::init();\n"
    } else {
        "    env_logger::init();\n"
    };
    format!(
        "\nuse axum::Router;\n\n#[derive(Clone)]\npub struct AppState {{\n    pub pool: sqlx::PgPool,\n}}\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n{init}    let pool = sqlx::postgres::PgPoolOptions::new()\n        .max_connections({})\n        .connect({url})\n        .await?;\n    let app = Router::new()\n        .merge(handlers::router())\n        .with_state(AppState {{ pool }});\n    let listener = tokio::net::TcpListener::bind(\"{bind}\").await?;\n    axum::serve(listener, app).await?;\n    Ok(())\n}}\n",
        rng.range(4, 32)
    )
}

fn sql_migration(rng: &mut Rng, noun: &str, dialect: usize, n: usize) -> String {
    let mut s = format!("-- Migration {n:04}: {noun} tables.\n");
    if dialect == 2 {
        s.push_str("PRAGMA foreign_keys = ON;\n\n");
    }
    let tables = rng.range(2, 5);
    for t in 0..tables {
        let table = format!(
            "{noun}_{}",
            ["items", "events", "lines", "history", "links", "stats"][t % 6]
        );
        // A few tables store contact data.
        let contact = rng.chance(0.04);
        let q = |x: &str| {
            if dialect == 1 {
                format!("`{x}`")
            } else {
                x.to_string()
            }
        };
        let id = match dialect {
            0 => "BIGSERIAL PRIMARY KEY",
            1 => "BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        let _ = writeln!(s, "CREATE TABLE IF NOT EXISTS {} (", q(&table));
        let _ = write!(s, "    {} {id}", q("id"));
        let mut used = Vec::new();
        for _ in 0..rng.range(5, 12) {
            let c = SQL_PLAIN[rng.below(SQL_PLAIN.len())];
            if used.contains(&c.0) {
                continue;
            }
            used.push(c.0);
            let ty = [c.1, c.2, c.3][dialect];
            let _ = write!(s, ",\n    {} {ty}", q(c.0));
        }
        if contact {
            let c = SQL_CONTACT[rng.below(SQL_CONTACT.len())];
            let _ = write!(s, ",\n    {} {}", q(c.0), [c.1, c.2, c.3][dialect]);
        }
        let _ = write!(s, ",\n    {} BIGINT NOT NULL", q("parent_id"));
        if dialect == 1 {
            s.push_str(",\n    KEY `idx_parent` (`parent_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n\n");
        } else {
            s.push_str("\n);\n\n");
        }
        let _ = writeln!(
            s,
            "CREATE INDEX {}idx_{table}_parent ON {} ({});\n",
            if dialect == 0 { "IF NOT EXISTS " } else { "" },
            q(&table),
            q("parent_id")
        );
        if dialect == 0 && rng.chance(0.5) {
            let _ = writeln!(
                s,
                "COMMENT ON TABLE {table} IS 'Rows of the {noun} {t} pipeline';\n"
            );
        }
        if rng.chance(0.4) {
            let c = SQL_PLAIN[rng.below(SQL_PLAIN.len())];
            let _ = writeln!(
                s,
                "ALTER TABLE {} ADD COLUMN {}_v2 {};\n",
                q(&table),
                c.0,
                [c.1, c.2, c.3][dialect]
            );
        }
        if rng.chance(0.5) {
            let _ = writeln!(
                s,
                "INSERT INTO {} ({}, {}) VALUES",
                q(&table),
                q("parent_id"),
                q("status")
            );
            let rows = rng.range(3, 12);
            for r in 0..rows {
                let _ = writeln!(
                    s,
                    "    ({}, '{}'){}",
                    rng.range(1, 9999),
                    rng.pick(&["pending", "active", "closed"]),
                    if r + 1 == rows { ";" } else { "," }
                );
            }
            s.push('\n');
        }
    }
    if dialect == 0 && rng.chance(0.3) {
        let _ = writeln!(
            s,
            "CREATE OR REPLACE VIEW {noun}_open AS\n    SELECT id, status, created_at\n    FROM {noun}_items\n    WHERE status <> 'closed';\n"
        );
    }
    s
}

fn k8s(rng: &mut Rng, service: &str, noun: &str) -> String {
    let app = format!("{noun}-{}", rng.pick(&["web", "worker", "cron", "api"]));
    let replicas = rng.range(1, 6);
    let ns = service;
    let mut s = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  namespace: {ns}\n  labels:\n    app.kubernetes.io/name: {app}\n    app.kubernetes.io/part-of: {service}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {app}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {app}\n      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/port: \"9090\"\n    spec:\n      serviceAccountName: {app}\n      containers:\n        - name: {app}\n          image: registry.example.com/{service}/{app}:1.{}.{}\n          imagePullPolicy: IfNotPresent\n          args: [\"--port=8080\", \"--metrics-port=9090\"]\n          ports:\n            - name: http\n              containerPort: 8080\n            - name: metrics\n              containerPort: 9090\n          env:\n            - name: RUST_LOG\n              value: info\n            - name: DATABASE_URL\n              valueFrom:\n                secretKeyRef:\n                  name: {service}-db\n                  key: url\n            - name: {}_BATCH_SIZE\n              value: \"{}\"\n          resources:\n            requests:\n              cpu: {}m\n              memory: {}Mi\n            limits:\n              memory: {}Mi\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n            periodSeconds: 10\n          livenessProbe:\n            httpGet:\n              path: /livez\n              port: http\n            initialDelaySeconds: 15\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  namespace: {ns}\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: {app}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-config\n  namespace: {ns}\ndata:\n  settings.toml: |\n    [server]\n    port = 8080\n    workers = {}\n    [features]\n    {noun}_v2 = true\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {app}\n  namespace: {ns}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app}\n  minReplicas: {replicas}\n  maxReplicas: {}\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: {}\n",
        rng.range(0, 40),
        rng.range(0, 20),
        noun.to_uppercase(),
        rng.range(10, 1000),
        rng.range(50, 1000),
        rng.range(64, 512),
        rng.range(512, 2048),
        rng.range(2, 16),
        replicas + rng.range(2, 10),
        rng.range(50, 90)
    );
    // Now and then a datastore in the cluster; rarely exposed.
    if rng.chance(0.15) {
        let (engine, image, port) = [
            ("redis", "redis:7.2-alpine", 6379),
            ("postgres", "postgres:16.3", 5432),
            (
                "elasticsearch",
                "docker.elastic.co/elasticsearch/elasticsearch:8.14.1",
                9200,
            ),
            ("mongo", "mongo:7.0", 27017),
        ][rng.below(4)];
        let exposed = rng.chance(0.08);
        let _ = write!(
            s,
            "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {noun}-{engine}\n  namespace: {ns}\nspec:\n  serviceName: {noun}-{engine}\n  replicas: 1\n  selector:\n    matchLabels:\n      app: {noun}-{engine}\n  template:\n    metadata:\n      labels:\n        app: {noun}-{engine}\n    spec:\n      containers:\n        - name: {engine}\n          image: {image}\n          ports:\n            - containerPort: {port}\n          env:\n            - name: PASSWORD_FILE\n              value: /run/secrets/{engine}\n          volumeMounts:\n            - name: data\n              mountPath: /data\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [\"ReadWriteOnce\"]\n        resources:\n          requests:\n            storage: 20Gi\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {noun}-{engine}\n  namespace: {ns}\nspec:\n  type: {}\n  selector:\n    app: {noun}-{engine}\n  ports:\n    - port: {port}\n      targetPort: {port}\n",
            if exposed { "LoadBalancer" } else { "ClusterIP" }
        );
    }
    s
}

fn compose(rng: &mut Rng, service: &str, noun: &str) -> String {
    let exposed = rng.chance(0.1);
    let db_ports = if exposed {
        "\"5432:5432\""
    } else {
        "\"127.0.0.1:5432:5432\""
    };
    let mut s = format!(
        "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    image: {service}:dev\n    environment:\n      RUST_LOG: debug\n      DATABASE_URL: postgres://app:${{POSTGRES_PASSWORD}}@db:5432/{noun}\n      REDIS_URL: redis://cache:6379/0\n    ports:\n      - \"8080:8080\"\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n\n  worker:\n    image: {service}:dev\n    command: [\"/app/{service}\", \"worker\", \"--concurrency\", \"{}\"]\n    environment:\n      DATABASE_URL: postgres://app:${{POSTGRES_PASSWORD}}@db:5432/{noun}\n    depends_on: [db]\n\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: {noun}\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?set it}}\n    ports:\n      - {db_ports}\n    volumes:\n      - db-data:/var/lib/postgresql/data\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U app\"]\n      interval: 5s\n      retries: 10\n\n  cache:\n    image: redis:7-alpine\n    command: [\"redis-server\", \"--requirepass\", \"${{REDIS_PASSWORD}}\"]\n    expose:\n      - \"6379\"\n",
        rng.range(1, 16)
    );
    if rng.chance(0.3) {
        let _ = write!(
            s,
            "\n  search:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.14.1\n    environment:\n      - discovery.type=single-node\n      - xpack.security.enabled={}\n      - ES_JAVA_OPTS=-Xms512m -Xmx512m\n    ports:\n      - \"127.0.0.1:9200:9200\"\n",
            if rng.chance(0.1) { "false" } else { "true" }
        );
    }
    s.push_str("\nvolumes:\n  db-data:\n");
    s
}

fn cfn(rng: &mut Rng, service: &str, noun: &str) -> String {
    let public = rng.chance(0.05);
    let res = camel(noun);
    let mut s = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: {service} {noun} resources\nParameters:\n  Environment:\n    Type: String\n    AllowedValues: [dev, staging, prod]\n  VpcId:\n    Type: AWS::EC2::VPC::Id\n  SubnetIds:\n    Type: List<AWS::EC2::Subnet::Id>\n  DbPasswordSecret:\n    Type: String\n    NoEcho: true\nResources:\n  {res}Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${{AWS::StackName}}-{noun}-${{Environment}}\"\n      VersioningConfiguration:\n        Status: Enabled\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n  {res}Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub \"{noun}-${{Environment}}\"\n      VisibilityTimeout: {}\n  {res}Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: provided.al2023\n      Handler: bootstrap\n      MemorySize: {}\n      Role: !GetAtt {res}Role.Arn\n      Environment:\n        Variables:\n          QUEUE_URL: !Ref {res}Queue\n          BUCKET: !Ref {res}Bucket\n  {res}Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n  {res}DbSubnets:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: !Sub \"{noun} database subnets\"\n      SubnetIds: !Ref SubnetIds\n  {res}Database:\n    Type: AWS::RDS::DBInstance\n    DeletionPolicy: Snapshot\n    Properties:\n      Engine: postgres\n      EngineVersion: \"16.3\"\n      DBInstanceClass: db.t4g.medium\n      AllocatedStorage: \"{}\"\n      MasterUsername: app\n      MasterUserPassword: !Sub \"{{{{resolve:secretsmanager:${{DbPasswordSecret}}}}}}\"\n      DBSubnetGroupName: !Ref {res}DbSubnets\n      PubliclyAccessible: {public}\n      StorageEncrypted: true\n",
        rng.range(30, 900),
        rng.range(128, 2048),
        rng.range(20, 500)
    );
    if rng.chance(0.3) {
        let _ = write!(
            s,
            "  {res}Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: !Sub \"{noun} cache\"\n      Engine: redis\n      CacheNodeType: cache.t4g.small\n      NumCacheClusters: 2\n      TransitEncryptionEnabled: true\n      AuthToken: !Sub \"{{{{resolve:secretsmanager:{noun}-redis}}}}\"\n"
        );
    }
    let _ = write!(
        s,
        "Outputs:\n  BucketArn:\n    Value: !GetAtt {res}Bucket.Arn\n  DatabaseEndpoint:\n    Value: !GetAtt {res}Database.Endpoint.Address\n    Export:\n      Name: !Sub \"${{AWS::StackName}}-db\"\n"
    );
    s
}

fn helm_values(rng: &mut Rng, service: &str, noun: &str) -> String {
    let mut s = format!(
        "replicaCount: {}\nimage:\n  repository: registry.example.com/{service}/{noun}\n  tag: \"1.{}.{}\"\n  pullPolicy: IfNotPresent\nserviceAccount:\n  create: true\n  annotations: {{}}\nservice:\n  type: ClusterIP\n  port: 80\ningress:\n  enabled: {}\n  className: nginx\n  hosts:\n    - host: {noun}.internal.example.com\n      paths:\n        - path: /\n          pathType: Prefix\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    memory: 512Mi\nautoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: {}\n  targetCPUUtilizationPercentage: 75\nnodeSelector: {{}}\ntolerations: []\naffinity: {{}}\nenv:\n  RUST_LOG: info\n  FEATURE_{}_V2: \"true\"\n",
        rng.range(1, 6),
        rng.range(0, 40),
        rng.range(0, 9),
        rng.chance(0.5),
        rng.range(4, 20),
        noun.to_uppercase()
    );
    let exposed = rng.chance(0.08);
    let _ = write!(
        s,
        "postgresql:\n  enabled: true\n  auth:\n    username: app\n    database: {noun}\n    existingSecret: {service}-postgres\n  primary:\n    persistence:\n      size: {}Gi\n    service:\n      type: {}\n  metrics:\n    enabled: true\n",
        rng.range(8, 200),
        if exposed { "LoadBalancer" } else { "ClusterIP" }
    );
    s
}

fn elasticsearch_yml(rng: &mut Rng, service: &str) -> String {
    let open = rng.chance(0.1);
    format!(
        "cluster.name: {service}-search\nnode.name: ${{HOSTNAME}}\npath.data: /var/lib/elasticsearch\npath.logs: /var/log/elasticsearch\nnetwork.host: {}\nhttp.port: 9200\ndiscovery.seed_hosts: [\"es-0.internal\", \"es-1.internal\", \"es-2.internal\"]\ncluster.initial_master_nodes: [\"es-0\", \"es-1\", \"es-2\"]\nbootstrap.memory_lock: true\nxpack.security.enabled: {}\nxpack.security.transport.ssl.enabled: true\nindices.query.bool.max_clause_count: {}\nthread_pool.write.queue_size: {}\n",
        if open { "0.0.0.0" } else { "_site_" },
        if open && rng.chance(0.5) {
            "false"
        } else {
            "true"
        },
        rng.range(1024, 8192),
        rng.range(200, 2000)
    )
}

fn mongod_conf(rng: &mut Rng) -> String {
    let open = rng.chance(0.08);
    format!(
        "storage:\n  dbPath: /var/lib/mongodb\n  wiredTiger:\n    engineConfig:\n      cacheSizeGB: {}\nsystemLog:\n  destination: file\n  logAppend: true\n  path: /var/log/mongodb/mongod.log\nnet:\n  port: 27017\n  bindIp: {}\nprocessManagement:\n  timeZoneInfo: /usr/share/zoneinfo\nsecurity:\n  authorization: {}\nreplication:\n  replSetName: rs{}\n",
        rng.range(1, 16),
        if open {
            "0.0.0.0"
        } else {
            "127.0.0.1,10.0.0.5"
        },
        if open { "disabled" } else { "enabled" },
        rng.range(0, 3)
    )
}

fn json_mapping(rng: &mut Rng, noun: &str) -> String {
    let mut props = Vec::new();
    for _ in 0..rng.range(5, 14) {
        let (f, _) = PLAIN_FIELDS[rng.below(PLAIN_FIELDS.len())];
        if props.iter().any(|(x, _)| *x == f) {
            continue;
        }
        props.push((
            f,
            rng.pick(&["keyword", "text", "long", "date", "boolean", "float"]),
        ));
    }
    if rng.chance(0.05) {
        props.push(("contact_email", "keyword"));
    }
    let mut s = format!(
        "{{\n  \"settings\": {{\n    \"number_of_shards\": {},\n    \"number_of_replicas\": 1,\n    \"refresh_interval\": \"{}s\"\n  }},\n  \"mappings\": {{\n    \"dynamic\": \"strict\",\n    \"_meta\": {{ \"owner\": \"{noun}-team\" }},\n    \"properties\": {{\n",
        rng.range(1, 6),
        rng.range(1, 30)
    );
    for (i, (f, t)) in props.iter().enumerate() {
        let _ = write!(
            s,
            "      \"{f}\": {{\n        \"type\": \"{t}\"\n      }}{}\n",
            if i + 1 == props.len() { "" } else { "," }
        );
    }
    s.push_str("    }\n  }\n}\n");
    s
}
