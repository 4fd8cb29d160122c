//! The SQL and JSON front ends, end to end through `engine::scan`: dialects,
//! migration layouts, vendor syntax, naming styles, look-alikes, error
//! recovery, embedded SQL, index mappings and hostile input.

use std::path::{Path, PathBuf};

use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::facts::{DataKind, FactData};
use leakguard::frontend::sql::embedded_contact_columns;
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

/// One contact-field fact, flattened for assertions.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    path: String,
    container: String,
    name: String,
    kind: DataKind,
    line: u32,
    column: u32,
    origin: &'static str,
    engine: Option<String>,
    family: Option<String>,
    platform: bool,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sql")
}

fn scan_dir(dir: &Path) -> ScanResult {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load");
    let vocab = Vocabulary::builtin();
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        threads: 1,
        ..Default::default()
    };
    engine::scan(&opts, &rules, &vocab)
}

fn fields_of(result: &ScanResult) -> Vec<Field> {
    let mut out = Vec::new();
    for f in &result.files {
        for fact in &f.facts.facts {
            if let FactData::ContactField(c) = &fact.data {
                out.push(Field {
                    path: f.path.clone(),
                    container: c.container.clone(),
                    name: c.name.clone(),
                    kind: c.kind,
                    line: fact.span.line,
                    column: fact.span.column,
                    origin: c.origin.as_str(),
                    engine: c.store_engine.clone(),
                    family: c.store_family.clone(),
                    platform: !c.platform_signals.is_empty(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    out
}

/// Writes files into a fresh temp dir and scans it.
fn scan_files(files: &[(&str, &str)]) -> (ScanResult, Vec<Field>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let r = scan_dir(dir.path());
    let f = fields_of(&r);
    (r, f)
}

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

fn lines(fields: &[Field]) -> Vec<u32> {
    fields.iter().map(|f| f.line).collect()
}

fn errors_for<'a>(r: &'a ScanResult, suffix: &str) -> Vec<&'a engine::ErrorEntry> {
    r.errors
        .iter()
        .filter(|e| e.path.ends_with(suffix))
        .collect()
}

#[test]
fn postgres_create_table_exact_spans_and_engine() {
    let (r, f) = scan_files(&[(
        "migrations/0001_init.sql",
        "-- scraped profiles\nCREATE TABLE public.influencers (\n    id BIGSERIAL PRIMARY KEY,\n    instagram_handle TEXT NOT NULL,\n    email TEXT,\n    phone_number VARCHAR(32),\n    email_verified BOOLEAN NOT NULL DEFAULT FALSE,\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE INDEX influencers_email_idx ON influencers (email);\n",
    )]);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["email", "phone_number"]);
    assert_eq!(lines(&f), [5, 6]);
    assert_eq!(f[0].column, 5);
    assert_eq!(f[0].container, "influencers");
    assert_eq!(f[0].kind, DataKind::Email);
    assert_eq!(f[1].kind, DataKind::Phone);
    assert_eq!(f[0].origin, "sql-column");
    assert_eq!(f[0].engine.as_deref(), Some("postgres"));
    assert_eq!(f[0].family.as_deref(), Some("relational"));
    assert!(f[0].platform, "instagram_handle is a platform signal");
}

#[test]
fn mysqldump_with_versioned_comments_delimiter_and_data() {
    let r = scan_dir(&fixtures().join("mysqldump"));
    let f = fields_of(&r);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["primaryEmail", "MobileNo", "home_address"]);
    assert_eq!(lines(&f), [22, 23, 43]);
    assert!(f.iter().all(|x| x.engine.as_deref() == Some("mysql")));
    assert!(f.iter().all(|x| x.container == "talent_contacts"));
    // tiktok_username makes the table a platform-derived profile, also for
    // the column added later by ALTER TABLE.
    assert!(f.iter().all(|x| x.platform));
    // INSERT data and the trigger body are not definitions.
    assert!(f.iter().all(|x| x.line != 34 && x.line != 39));
}

#[test]
fn pg_dump_copy_data_do_blocks_and_function_bodies() {
    let r = scan_dir(&fixtures().join("pgdump"));
    let f = fields_of(&r);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["businessEmail", "secondary_emails"]);
    assert_eq!(lines(&f), [35, 36]);
    assert_eq!(f[0].container, "youtube_channels");
    assert!(
        f[0].platform,
        "subscriber_count and channel_handle are platform signals"
    );
    assert_eq!(f[0].engine.as_deref(), Some("postgres"));
}

#[test]
fn sqlite_brackets_autoincrement_and_trigger_bodies() {
    let r = scan_dir(&fixtures().join("sqlite"));
    let f = fields_of(&r);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["Email", "Tel"]);
    assert_eq!(lines(&f), [5, 7]);
    assert!(f.iter().all(|x| x.engine.as_deref() == Some("sqlite")));
    // A newsletter's `subscribers` table is not a platform profile.
    assert!(f.iter().all(|x| !x.platform));
}

#[test]
fn migration_layouts_naming_styles_alter_and_rename() {
    let r = scan_dir(&fixtures().join("migrations"));
    let f = fields_of(&r);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let got: Vec<(&str, &str, u32)> = f
        .iter()
        .map(|x| {
            (
                x.path.rsplit('/').next().unwrap_or(""),
                x.name.as_str(),
                x.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("up.sql", "Mobile-Phone", 4),
            ("up.sql", "home_address", 5),
            ("V1__init.sql", "BILLING_EMAIL", 6),
            ("V1__init.sql", "ph_number", 8),
            ("20240301_add_contact_details.sql", "alt_email", 2),
            ("20240301_add_contact_details.sql", "street_address", 4),
            ("20240105093000_creators.sql", "contactEmail", 5),
            ("20240105093000_creators.sql", "whatsapp_number", 6),
        ]
    );
    let renamed = f.iter().find(|x| x.name == "ph_number").expect("rename");
    assert_eq!(renamed.column, 54, "span sits on the new name");
    let quoted = f.iter().find(|x| x.name == "contactEmail").expect("quoted");
    assert_eq!(
        quoted.container, "creators",
        "bare table name without schema"
    );
    assert!(quoted.platform);
}

#[test]
fn add_column_if_not_exists_in_a_mysql_file() {
    let (r, f) = scan_files(&[(
        "db/002.sql",
        "CREATE TABLE `fans` (`id` INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\nALTER TABLE fans ADD COLUMN IF NOT EXISTS fan_email VARCHAR(255);\n",
    )]);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["fan_email"]);
    assert_eq!(f[0].line, 2);
}

#[test]
fn lookalikes_and_non_definitions_stay_quiet() {
    let (r, f) = scan_files(&[(
        "migrations/0009_lookalikes.sql",
        r#"-- contact data is owned by the CRM; email and phone are not stored here
CREATE TABLE staff (
    id                    BIGSERIAL PRIMARY KEY,
    -- email TEXT,
    email_verified        BOOLEAN NOT NULL DEFAULT FALSE,
    phone_verified_at     TIMESTAMPTZ,
    email_sent_at         TIMESTAMPTZ,
    email_template_id     INTEGER,
    contact_count         INTEGER NOT NULL DEFAULT 0,
    has_phone             BOOLEAN NOT NULL DEFAULT FALSE,
    email_enabled         BOOLEAN,
    address_type          TEXT CHECK (address_type IN ('home', 'office')),
    ip_address            INET,
    remote_addr           TEXT,
    wallet_address        TEXT,
    email_opt_in          BOOLEAN,
    whatsapp_opt_in       BOOLEAN,
    crm_contact_id        UUID,
    phone                 BOOLEAN,
    postcode              TEXT,
    city                  TEXT,
    /* mobile TEXT, */
    send_email            BOOLEAN
);
COMMENT ON COLUMN staff.crm_contact_id IS 'email lives in the CRM';
CREATE INDEX staff_email_idx ON staff (email_sent_at);
CREATE VIEW staff_contacts AS SELECT id, email FROM crm.people;
SELECT email, phone FROM crm.people WHERE email = 'x@example.com';
DELETE FROM crm.people WHERE phone IS NULL;
INSERT INTO crm.people (email, phone) VALUES ('a@example.com', '+1555');
UPDATE crm.people SET email = 'b@example.com' WHERE id = 1;
"#,
    )]);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn broken_statement_is_reported_and_later_statements_count() {
    let r = scan_dir(&fixtures().join("broken"));
    let f = fields_of(&r);
    assert_eq!(names(&f), ["email", "mobile_number"]);
    assert_eq!(lines(&f), [3, 10]);
    let errs = errors_for(&r, "mixed.sql");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].line, Some(6));
    assert!(
        errs[0]
            .message
            .starts_with("could not parse statement at line 6:"),
        "{}",
        errs[0].message
    );
}

#[test]
fn unparsable_create_table_still_yields_its_column_list() {
    // Vendor syntax the parser does not know, in an otherwise ordinary
    // column list.
    let (r, f) = scan_files(&[(
        "schema.sql",
        "CREATE TABLE leads (\n    id INT PRIMARY KEY,\n    email TEXT\n) WITH WIBBLE WOBBLE = 3;\nCREATE TABLE later (contact_number TEXT);\n",
    )]);
    assert_eq!(names(&f), ["email", "contact_number"]);
    assert_eq!(errors_for(&r, "schema.sql").len(), 1);
}

#[test]
fn unterminated_string_is_reported_and_the_rest_scanned() {
    let (r, f) = scan_files(&[(
        "seed.sql",
        "INSERT INTO notes (body) VALUES ('oops);\nCREATE TABLE buyers (id INT, buyer_email TEXT);\n",
    )]);
    assert_eq!(names(&f), ["buyer_email"]);
    let errs = errors_for(&r, "seed.sql");
    assert!(!errs.is_empty());
    assert_eq!(errs[0].line, Some(1));
}

#[test]
fn deeply_nested_input_does_not_crash() {
    let depth = 10_000;
    let mut sql = String::from("SELECT ");
    sql.push_str(&"(".repeat(depth));
    sql.push('1');
    sql.push_str(&")".repeat(depth));
    sql.push_str(";\nCREATE TABLE t (id INT, x INT DEFAULT ");
    sql.push_str(&"(".repeat(depth));
    sql.push('1');
    sql.push_str(&")".repeat(depth));
    sql.push_str(", email TEXT);\nCREATE TABLE u (phone TEXT);\n");
    let (r, f) = scan_files(&[("deep.sql", &sql)]);
    assert!(!r.incomplete(), "{:?}", r.errors);
    assert!(names(&f).contains(&"phone"));
    assert_eq!(errors_for(&r, "deep.sql").len(), 2);
}

#[test]
fn embedded_sql_inserts_updates_and_definitions_count_reads_do_not() {
    let v = Vocabulary::builtin();
    let cols = |sql: &str| -> Vec<(String, String, DataKind)> {
        embedded_contact_columns(sql, &v)
            .into_iter()
            .map(|c| (c.table, c.column, c.kind))
            .collect()
    };
    assert_eq!(
        cols(
            "INSERT INTO creators (ig_handle, contact_email) VALUES ($1, $2) ON CONFLICT (ig_handle) DO UPDATE SET contact_email = EXCLUDED.contact_email"
        ),
        [("creators".into(), "contact_email".into(), DataKind::Email)]
    );
    assert_eq!(
        cols("UPDATE creators SET whatsapp = ?, updated_at = now() WHERE email = ?"),
        [("creators".into(), "whatsapp".into(), DataKind::Phone)]
    );
    assert_eq!(
        cols("UPDATE {table} SET mobile = :mobile WHERE id = :id"),
        [("fmt_hole".into(), "mobile".into(), DataKind::Phone)]
    );
    assert_eq!(
        cols("CREATE TABLE IF NOT EXISTS leads (id BIGSERIAL, email TEXT, email_verified BOOLEAN)"),
        [("leads".into(), "email".into(), DataKind::Email)]
    );
    assert_eq!(
        cols("ALTER TABLE leads ADD COLUMN home_address TEXT"),
        [("leads".into(), "home_address".into(), DataKind::Address)]
    );
    assert!(cols("SELECT email, phone FROM creators WHERE email = $1").is_empty());
    assert!(cols("DELETE FROM creators WHERE phone = $1").is_empty());
    assert!(cols("UPDATE creators SET email_verified = true WHERE email = $1").is_empty());
    assert!(
        cols("SELECT count(*) FROM creators WHERE email IN (SELECT email FROM bounces)").is_empty()
    );
    let sib = embedded_contact_columns(
        "INSERT INTO profiles (instagram_handle, follower_count, phone) VALUES ($1, $2, $3)",
        &v,
    );
    assert_eq!(sib.len(), 1);
    assert_eq!(
        sib[0].sibling_columns,
        ["instagram_handle", "follower_count", "phone"]
    );
}

#[test]
fn json_index_mappings_nested_legacy_and_lookalikes() {
    let (r, f) = scan_files(&[
        (
            "search/index-templates/creators.json",
            r#"{
  "index_patterns": ["creators-*"],
  "template": {
    "mappings": {
      "properties": {
        "handle":          { "type": "keyword" },
        "followers":       { "type": "long" },
        "contactEmail":    { "type": "keyword", "fields": { "raw": { "type": "keyword" } } },
        "email_verified":  { "type": "boolean" },
        "phone":           { "type": "boolean" },
        "contact": {
          "properties": {
            "mobile":      { "type": "keyword" },
            "opt_in":      { "type": "boolean" }
          }
        },
        "home_address": {
          "properties": {
            "street":      { "type": "text" },
            "zip":         { "type": "keyword" },
            "city":        { "type": "keyword" }
          }
        },
        "last_ip_address": { "type": "ip" }
      }
    }
  }
}
"#,
        ),
        (
            "es/legacy.json",
            "{\n  \"template\": \"leads-*\",\n  \"mappings\": {\n    \"lead\": {\n      \"properties\": {\n        \"WhatsAppNumber\": { \"type\": \"keyword\" }\n      }\n    }\n  }\n}\n",
        ),
        (
            "package.json",
            "{\"name\": \"web\", \"dependencies\": {\"email-validator\": \"2.0.0\"}}",
        ),
        (
            "schemas/contact.schema.json",
            "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"properties\": {\"email\": {\"type\": \"string\"}}}",
        ),
        (
            "tsconfig.json",
            "{\n  // comments are allowed here\n  \"compilerOptions\": {\"strict\": true}\n}\n",
        ),
    ]);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let got: Vec<(&str, &str, u32)> = f
        .iter()
        .map(|x| (x.container.as_str(), x.name.as_str(), x.line))
        .collect();
    assert_eq!(
        got,
        [
            ("leads", "WhatsAppNumber", 6),
            ("creators", "contactEmail", 8),
            ("creators", "contact.mobile", 13),
            ("creators", "home_address", 17),
        ]
    );
    assert!(f.iter().all(|x| x.origin == "mapping"));
    assert!(f.iter().all(|x| x.family.as_deref() == Some("search")));
    assert!(
        f.iter()
            .filter(|x| x.container == "creators")
            .all(|x| x.platform)
    );
}

#[test]
fn mongodb_json_schema_validator() {
    let (r, f) = scan_files(&[(
        "db/validators/talent.json",
        r#"{
  "collMod": "talent",
  "validator": {
    "$jsonSchema": {
      "bsonType": "object",
      "properties": {
        "email": { "bsonType": "string" },
        "phone": { "bsonType": ["string", "null"] },
        "email_bounced": { "bsonType": "bool" }
      }
    }
  }
}
"#,
    )]);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&f), ["email", "phone"]);
    assert_eq!(f[0].container, "talent");
    assert_eq!(f[0].family.as_deref(), Some("document"));
    assert_eq!(f[0].engine.as_deref(), Some("mongodb"));
}

#[test]
fn invalid_json_is_reported_with_its_line() {
    let (r, f) = scan_files(&[(
        "search/broken.json",
        "{\n  \"mappings\": {\n    \"properties\": {,\n  }\n}\n",
    )]);
    assert!(f.is_empty());
    let errs = errors_for(&r, "broken.json");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, Some(3));
}
