//! Chains across folders when a subfolder is scanned, and CloudFormation
//! environment values as link evidence.
//!
//! A folder inside a repository whose root holds `leakguard.yaml` is
//! reported on alone, but the root is read: the chain through `db/`
//! migrations, `services/api` code and a `deploy/` compose file is found from
//! `deploy`, whether named as an argument or as the current folder, with
//! related paths relative to where the user stands. Without `leakguard.yaml`
//! (a `.git` alone) or with `--no-widen` the folder is scanned on its own.
//!
//! CloudFormation gives functions and containers their environment:
//! `!GetAtt Db.Endpoint.Address`, `!Sub "https://${Search.DomainEndpoint}"`
//! and the long forms tie the code that reads the variable to the store of
//! that logical id. Each fixture holds two exposed stores of the engine, so
//! no chain can come from "the only store there is".

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

use leakguard::discover;
use leakguard::facts::FactData;
use leakguard::frontend::{Ctx, analyze_text};
use leakguard::vocab::Vocabulary;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_leakguard");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/chains_scope");

/// A fresh copy of a fixture (outside this crate's git checkout).
fn project(name: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(FIXTURES).join(name), d.path());
    d
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cwd.join(".no-cache"))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check_json(cwd: &Path, args: &[&str]) -> Value {
    let mut all = vec!["check", "--no-cache", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(cwd, &all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn findings(doc: &Value) -> Vec<Value> {
    doc["findings"].as_array().cloned().unwrap_or_default()
}

fn chains(doc: &Value) -> Vec<Value> {
    findings(doc)
        .into_iter()
        .filter(|f| f["category"] == "contact-data-exposed")
        .collect()
}

fn related_paths(f: &Value) -> Vec<String> {
    f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

fn related_messages(f: &Value) -> Vec<String> {
    f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap().to_string())
        .collect()
}

fn paths(doc: &Value) -> Vec<String> {
    findings(doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn subfolder_argument_reads_the_root_and_reports_the_folder() {
    let d = project("monorepo");
    let root = d.path();
    let full = check_json(root, &["."]);
    let doc = check_json(root, &["deploy"]);
    let c = chains(&doc);
    assert_eq!(c.len(), 1, "{doc:#}");
    assert_eq!(c[0]["path"], "deploy/docker-compose.yml");
    assert_eq!(c[0]["severity"], "critical");
    let rel = related_paths(&c[0]);
    for p in [
        "db/migrations/001_creators.sql",
        "services/api/src/main.rs",
        "deploy/docker-compose.yml",
    ] {
        assert!(rel.iter().any(|r| r == p), "{p} not in {rel:?}");
    }
    // Only the folder's findings, exactly as the full scan reports them.
    let expected: Vec<Value> = findings(&full)
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("deploy/"))
        .collect();
    assert_eq!(findings(&doc), expected);
    assert!(
        paths(&full).iter().any(|p| p.starts_with("db/migrations/")),
        "the full scan has findings outside deploy/"
    );
    // The whole repository was read.
    assert_eq!(
        doc["summary"]["files_scanned"],
        full["summary"]["files_scanned"]
    );
}

#[test]
fn subfolder_as_current_folder_prints_paths_from_there() {
    let d = project("monorepo");
    let deploy = d.path().join("deploy");
    let doc = check_json(&deploy, &["."]);
    let c = chains(&doc);
    assert_eq!(c.len(), 1, "{doc:#}");
    assert_eq!(c[0]["path"], "docker-compose.yml");
    let rel = related_paths(&c[0]);
    for p in [
        "../db/migrations/001_creators.sql",
        "../services/api/src/main.rs",
        "docker-compose.yml",
    ] {
        assert!(rel.iter().any(|r| r == p), "{p} not in {rel:?}");
    }
    assert!(
        paths(&doc).iter().all(|p| !p.contains('/')),
        "{:?}",
        paths(&doc)
    );
    // The human report shows the snippet of the renamed file and the chain
    // in paths usable from here.
    let r = run(&deploy, &["check", "--no-cache", "--color", "never", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("╭─[docker-compose.yml:13:9]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("../services/api/src/main.rs:5:"),
        "{}",
        r.stdout
    );

    // Named by another relative path, from another folder.
    let api = d.path().join("services/api");
    let doc = check_json(&api, &["../../deploy"]);
    let c = chains(&doc);
    assert_eq!(c.len(), 1, "{doc:#}");
    assert_eq!(c[0]["path"], "../../deploy/docker-compose.yml");
    let rel = related_paths(&c[0]);
    for p in [
        "../../db/migrations/001_creators.sql",
        "../../services/api/src/main.rs",
        "../../deploy/docker-compose.yml",
    ] {
        assert!(rel.iter().any(|r| r == p), "{p} not in {rel:?}");
    }
}

#[test]
fn baseline_written_from_a_subfolder_matches_its_check() {
    let d = project("monorepo");
    let deploy = d.path().join("deploy");
    let r = run(
        &deploy,
        &["baseline", "--no-cache", "--output", "base.json", "."],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(deploy.join("base.json")).unwrap()).unwrap();
    let entries = base["findings"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["path"] == "docker-compose.yml"));
    assert!(
        entries
            .iter()
            .all(|e| !e["path"].as_str().unwrap().contains('/'))
    );
    let doc = check_json(&deploy, &["--baseline", "base.json", "."]);
    assert_eq!(doc["summary"]["findings"], 0, "{doc:#}");
    assert_eq!(doc["summary"]["baseline_fixed"], 0, "{doc:#}");
    // The same findings as a plain scan of the folder would name them.
    let plain = check_json(&deploy, &["--no-widen", "."]);
    let fp = |doc: &Value, path: &str, rule: &str| -> Vec<Value> {
        findings(doc)
            .into_iter()
            .filter(|f| f["path"] == path && f["rule_id"] == rule)
            .map(|f| f["fingerprint"].clone())
            .collect()
    };
    let widened = check_json(&deploy, &["."]);
    assert_eq!(
        fp(&widened, "docker-compose.yml", "LG-BIND-001"),
        fp(&plain, "docker-compose.yml", "LG-BIND-001")
    );
}

#[test]
fn a_folder_is_scanned_alone_without_the_config_or_with_no_widen() {
    let d = project("monorepo");
    let root = d.path();
    // The opt-out.
    let doc = check_json(root, &["--no-widen", "deploy"]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["files_scanned"], 1);
    // A git checkout without leakguard.yaml keeps a folder scan's meaning.
    std::fs::remove_file(root.join("leakguard.yaml")).unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    let doc = check_json(root, &["deploy"]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["files_scanned"], 1);
    assert!(
        !findings(&doc).is_empty(),
        "the compose file's own findings"
    );
    let doc = check_json(&root.join("deploy"), &["."]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
    assert!(paths(&doc).iter().all(|p| p == "docker-compose.yml"));
}

#[test]
fn a_folder_holding_no_file_of_the_chain_reports_none() {
    let d = project("monorepo");
    let root = d.path();
    let r = run(root, &["check", "--no-cache", "services/web"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = check_json(root, &["services/web"]);
    assert!(findings(&doc).is_empty(), "{doc:#}");
    // The code of the chain is in services/api, but the chain sits at the
    // exposure in deploy/: a scan of services/api reports neither it nor
    // anything outside the folder.
    let doc = check_json(root, &["services/api"]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
    assert!(
        paths(&doc).iter().all(|p| p.starts_with("services/api/")),
        "{:?}",
        paths(&doc)
    );
    let doc = check_json(&root.join("services/web"), &["."]);
    assert!(findings(&doc).is_empty(), "{doc:#}");
}

// ---------------------------------------------------------------------------
// CloudFormation environment values

fn cfn_chain_to(doc: &Value, store: &str) -> Option<Value> {
    chains(doc).into_iter().find(|f| {
        f["message"]
            .as_str()
            .unwrap()
            .contains(&format!("`{store}`"))
    })
}

#[test]
fn lambda_environment_getatt_links_code_to_the_domain() {
    let d = project("cfn_lambda");
    let doc = check_json(d.path(), &["."]);
    let c = chains(&doc);
    assert_eq!(c.len(), 1, "{doc:#}");
    let chain = cfn_chain_to(&doc, "SearchDomain").expect("a chain to SearchDomain");
    assert_eq!(chain["path"], "infra/template.yaml");
    let msgs = related_messages(&chain);
    assert!(
        msgs.iter().any(|m| m.contains("`SEARCH_URL` is set to")
            && m.contains("${SearchDomain.DomainEndpoint}")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("connects to") && m.contains("$SEARCH_URL")),
        "{msgs:?}"
    );
    let env = chain["related"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["message"]
                .as_str()
                .unwrap()
                .contains("SEARCH_URL` is set")
        })
        .unwrap();
    assert_eq!(env["path"], "infra/template.yaml");
    assert_eq!(env["line"], 44);
}

#[test]
fn ecs_environment_long_form_getatt_links_code_to_the_instance() {
    let d = project("cfn_ecs");
    let doc = check_json(d.path(), &["."]);
    let c = chains(&doc);
    assert_eq!(c.len(), 1, "{doc:#}");
    let chain = cfn_chain_to(&doc, "CrmDb").expect("a chain to CrmDb");
    assert_eq!(chain["path"], "infra/stack.json");
    let msgs = related_messages(&chain);
    assert!(
        msgs.iter()
            .any(|m| m.contains("`DATABASE_HOST` is set to `${CrmDb.Endpoint.Address}`")),
        "{msgs:?}"
    );
    assert!(
        related_paths(&chain)
            .iter()
            .any(|p| p == "migrations/001_leads.sql")
    );
}

/// Rewrites one file of a fixture copy; the old text must be there.
fn edit(root: &Path, rel: &str, old: &str, new: &str) {
    let p: PathBuf = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(old), "{rel} lacks {old:?}");
    std::fs::write(&p, text.replacen(old, new, 1)).unwrap();
}

#[test]
fn getatt_of_a_resource_that_is_no_datastore_links_nothing() {
    let d = project("cfn_lambda");
    edit(
        d.path(),
        "infra/template.yaml",
        "SEARCH_URL: !Sub \"https://${SearchDomain.DomainEndpoint}\"",
        "SEARCH_URL: !GetAtt SearchApi.ApiEndpoint",
    );
    edit(
        d.path(),
        "infra/template.yaml",
        "  IndexerRole:\n",
        "  SearchApi:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: creator-search\n      ProtocolType: HTTP\n\n  IndexerRole:\n",
    );
    let doc = check_json(d.path(), &["."]);
    assert!(chains(&doc).is_empty(), "{doc:#}");

    let d = project("cfn_ecs");
    edit(
        d.path(),
        "infra/stack.json",
        "{ \"Fn::GetAtt\": [\"CrmDb\", \"Endpoint.Address\"] }",
        "{ \"Fn::GetAtt\": [\"ApiTask\", \"TaskDefinitionArn\"] }",
    );
    let doc = check_json(d.path(), &["."]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
}

#[test]
fn an_endpoint_in_a_variable_the_code_never_reads_links_nothing() {
    let d = project("cfn_lambda");
    edit(
        d.path(),
        "infra/template.yaml",
        "SEARCH_URL: !Sub",
        "ARCHIVE_SEARCH_URL: !Sub",
    );
    let doc = check_json(d.path(), &["."]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
    // An endpoint attribute that is not a host (the port) links nothing.
    let d = project("cfn_ecs");
    edit(
        d.path(),
        "infra/stack.json",
        "\"Endpoint.Address\"",
        "\"Endpoint.Port\"",
    );
    let doc = check_json(d.path(), &["."]);
    assert!(chains(&doc).is_empty(), "{doc:#}");
}

const ENV_TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SearchHost:
    Type: String
    Default: search.internal
  DbPassword:
    Type: String
    NoEcho: true
Globals:
  Function:
    Environment:
      Variables:
        SHARED_URL: https://shared.internal:9200
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          PLAIN_URL: https://search.internal:9200
          FROM_PARAM: !Ref SearchHost
          SHORT: !GetAtt Search.DomainEndpoint
          LIST_FORM: !GetAtt [Db, Endpoint.Address]
          LONG: {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
          CACHE_HOST: !GetAtt Cache.RedisEndpoint.Address
          SUBBED: !Sub "postgres://crm:${DbPassword}@${Db.Endpoint.Address}:5432/crm"
          SUB_VARS: !Sub ["https://${Host}/", {Host: !GetAtt Search.DomainEndpoint}]
          JOINED: !Join ["", ["https://", !GetAtt Search.DomainEndpoint, ":443"]]
          CHOSEN: !If [IsProd, a, b]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: api
          Environment:
            - Name: DATABASE_HOST
              Value: !GetAtt Db.Endpoint.Address
  Job:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      ContainerProperties:
        Environment:
          - Name: BATCH_URL
            Value: https://batch.internal
  Runner:
    Type: AWS::AppRunner::Service
    Properties:
      SourceConfiguration:
        ImageRepository:
          ImageConfiguration:
            RuntimeEnvironmentVariables:
              - Name: RUNNER_URL
                Value: !GetAtt Search.DomainEndpoint
  Beanstalk:
    Type: AWS::ElasticBeanstalk::Environment
    Properties:
      OptionSettings:
        - Namespace: aws:elasticbeanstalk:application:environment
          OptionName: EB_URL
          Value: https://eb.internal
        - Namespace: aws:autoscaling:asg
          OptionName: MinSize
          Value: "1"
"#;

#[test]
fn cloudformation_environment_values_as_written() {
    let vocab = Vocabulary::builtin();
    let ctx = Ctx {
        vocab: &vocab,
        path: "infra/app.yaml",
    };
    let kind = discover::kind_of(Path::new("infra/app.yaml")).unwrap();
    let facts = analyze_text(ENV_TEMPLATE, kind, &ctx);
    let env: Vec<(String, String, String, u32)> = facts
        .facts
        .iter()
        .filter_map(|f| match &f.data {
            FactData::EnvValue(e) => Some((
                e.scope.clone().unwrap_or_default(),
                e.name.clone(),
                e.value.clone(),
                f.span.line,
            )),
            _ => None,
        })
        .collect();
    let want: Vec<(&str, &str, &str, u32)> = vec![
        ("Globals", "SHARED_URL", "https://shared.internal:9200", 13),
        ("Fn", "PLAIN_URL", "https://search.internal:9200", 20),
        ("Fn", "FROM_PARAM", "search.internal", 21),
        ("Fn", "SHORT", "${Search.DomainEndpoint}", 22),
        ("Fn", "LIST_FORM", "${Db.Endpoint.Address}", 23),
        ("Fn", "LONG", "${Db.Endpoint.Address}", 24),
        ("Fn", "CACHE_HOST", "${Cache.RedisEndpoint.Address}", 25),
        (
            "Fn",
            "SUBBED",
            "postgres://crm:${DbPassword}@${Db.Endpoint.Address}:5432/crm",
            26,
        ),
        ("Fn", "SUB_VARS", "https://${Search.DomainEndpoint}/", 27),
        ("Fn", "JOINED", "https://${Search.DomainEndpoint}:443", 28),
        ("Task/api", "DATABASE_HOST", "${Db.Endpoint.Address}", 36),
        ("Job", "BATCH_URL", "https://batch.internal", 44),
        ("Runner", "RUNNER_URL", "${Search.DomainEndpoint}", 53),
        ("Beanstalk", "EB_URL", "https://eb.internal", 59),
    ];
    let got: Vec<(&str, &str, &str, u32)> = env
        .iter()
        .map(|(s, n, v, l)| (s.as_str(), n.as_str(), v.as_str(), *l))
        .collect();
    assert_eq!(got, want);
}
