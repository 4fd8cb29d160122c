//! Linking in a monorepo: every service calls its database `db` and reads
//! `DATABASE_URL`, so only folder proximity says which store holds which
//! service's contact data. A service with no deployment of its own must not
//! borrow a neighbour's; one application deployed twice (`deploy/dev`,
//! `deploy/test`) links to both; absolute and relative scan paths agree.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_leakguard");

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const MAIN_RS: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let _ = pool;
    Ok(())
}
"#;

fn service(root: &Path, name: &str, column: &str, compose: Option<&str>) {
    write(
        root,
        &format!("services/{name}/Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[dependencies]\nsqlx = \"0.8\"\n"
        ),
    );
    write(root, &format!("services/{name}/src/main.rs"), MAIN_RS);
    write(
        root,
        &format!("services/{name}/migrations/0001_init.sql"),
        &format!(
            "CREATE TABLE {name}_contacts (\n    id BIGINT PRIMARY KEY,\n    {column} TEXT NOT NULL\n);\n"
        ),
    );
    if let Some(c) = compose {
        write(root, &format!("services/{name}/docker-compose.yml"), c);
    }
}

fn compose(db_name: &str, ports: &str, auth: &str) -> String {
    format!(
        "services:\n  app:\n    image: {db_name}-app:dev\n    environment:\n      DATABASE_URL: postgres://app:${{PW}}@db:5432/{db_name}\n  db:\n    image: postgres:16\n    environment:\n{auth}    ports:\n      - \"{ports}\"\n"
    )
}

fn scan(cwd: &Path, target: &str) -> Value {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--no-cache", target])
        .current_dir(cwd)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad json ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

/// `(path, [related paths])` of each chain finding.
fn chains(v: &Value) -> Vec<(String, Vec<String>)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] == "contact-data-exposed")
        .map(|f| {
            let related = f["related"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|x| x["path"].as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default();
            (f["path"].as_str().unwrap().to_string(), related)
        })
        .collect()
}

fn monorepo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    // Published and without a password: exposed.
    service(
        root,
        "alpha",
        "email",
        Some(&compose(
            "alpha",
            "5432:5432",
            "      POSTGRES_HOST_AUTH_METHOD: trust\n",
        )),
    );
    // Loopback only, with a password: not exposed.
    service(
        root,
        "beta",
        "phone",
        Some(&compose(
            "beta",
            "127.0.0.1:5432:5432",
            "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n",
        )),
    );
    // No deployment of its own.
    service(root, "gamma", "contact_email", None);
    d
}

#[test]
fn each_service_links_to_its_own_store_only() {
    let d = monorepo();
    let found = chains(&scan(d.path(), "."));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (path, related) = &found[0];
    assert_eq!(path, "services/alpha/docker-compose.yml");
    assert!(
        related
            .iter()
            .any(|p| p == "services/alpha/migrations/0001_init.sql"),
        "{related:#?}"
    );
    for p in related {
        assert!(p.starts_with("services/alpha/"), "foreign link {p}");
    }
}

#[test]
fn absolute_and_relative_scan_paths_link_alike() {
    let d = monorepo();
    let rel = chains(&scan(d.path(), "."));
    let abs_root = d.path().canonicalize().unwrap();
    let abs = chains(&scan(d.path(), abs_root.to_str().unwrap()));
    let prefix = format!("{}/", abs_root.display());
    let strip = |v: Vec<(String, Vec<String>)>| -> Vec<(String, Vec<String>)> {
        v.into_iter()
            .map(|(p, r)| {
                (
                    p.trim_start_matches(&prefix).to_string(),
                    r.into_iter()
                        .map(|x| x.trim_start_matches(&prefix).to_string())
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(strip(abs), rel);
}

#[test]
fn one_application_deployed_twice_links_to_both() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "src/main.rs", MAIN_RS);
    write(
        root,
        "migrations/0001_init.sql",
        "CREATE TABLE creators (\n    id BIGINT PRIMARY KEY,\n    email TEXT NOT NULL\n);\n",
    );
    let open = compose(
        "app",
        "5432:5432",
        "      POSTGRES_HOST_AUTH_METHOD: trust\n",
    );
    write(root, "deploy/dev/docker-compose.yml", &open);
    write(root, "deploy/test/docker-compose.yml", &open);
    let found = chains(&scan(root, "."));
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "deploy/dev/docker-compose.yml",
            "deploy/test/docker-compose.yml"
        ]
    );
}
