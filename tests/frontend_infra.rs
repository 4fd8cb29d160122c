//! The docker-compose, Kubernetes and Helm values front ends: datastores,
//! exposures, auth gaps, environment values and init-script folders read
//! from small fixtures under tests/fixtures/infra/.

use std::path::PathBuf;

use leakguard::discover::FileKind;
use leakguard::engine::{self, ScanOptions};
use leakguard::facts::{FactData, FileFacts, Source};
use leakguard::frontend::{Ctx, analyze_text};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/infra")
}

fn analyze_str(path: &str, text: &str) -> FileFacts {
    let vocab = Vocabulary::builtin();
    let ctx = Ctx {
        vocab: &vocab,
        path,
    };
    analyze_text(text, FileKind::Yaml, &ctx)
}

fn analyze(rel: &str) -> FileFacts {
    let text = std::fs::read_to_string(fixture_dir().join(rel)).expect("fixture exists");
    analyze_str(rel, &text)
}

/// `(store, how, line)` of every exposure, sorted.
fn exposures(f: &FileFacts) -> Vec<(String, String, u32)> {
    let mut v: Vec<_> = f
        .facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::Exposure(e) => Some((e.store_name.clone(), e.how.clone(), x.span.line)),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

/// `(store, how, line)` of every auth gap, sorted.
fn gaps(f: &FileFacts) -> Vec<(String, String, u32)> {
    let mut v: Vec<_> = f
        .facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::AuthGap(a) => Some((a.store_name.clone(), a.how.clone(), x.span.line)),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

/// `(key, engine, hostnames, line)` of every datastore.
fn datastores(f: &FileFacts) -> Vec<(String, String, Vec<String>, u32)> {
    let mut v: Vec<_> = f
        .facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::Datastore(d) => Some((
                d.key.clone(),
                d.engine.clone(),
                d.hostnames.clone(),
                x.span.line,
            )),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

fn env_values(f: &FileFacts) -> Vec<(Option<String>, String, String)> {
    f.facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::EnvValue(e) => Some((e.scope.clone(), e.name.clone(), e.value.clone())),
            _ => None,
        })
        .collect()
}

fn t(store: &str, how: &str, line: u32) -> (String, String, u32) {
    (store.to_string(), how.to_string(), line)
}

#[test]
fn compose_ports_env_anchors_and_host_network() {
    let f = analyze("compose/docker-compose.yml");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(
        exposures(&f),
        vec![
            // short syntax; one finding at the first public item
            t("catalog-search", "published-port", 16),
            // range with an interpolated all-interfaces default
            t("queue-cache", "published-port", 62),
            t("reports", "host-network", 56),
            // long syntax without host_ip, service built from a merge key
            t("sessions", "published-port", 25),
        ]
    );
    assert_eq!(
        gaps(&f),
        vec![
            // an env list inherited through an alias points at the anchor
            t("catalog-search", "security-disabled", 3),
            t("profiles", "default-password", 48),
            t("reports", "security-disabled", 55),
            // a setting inherited through `<<:` points at the anchor's setting
            t("sessions", "security-disabled", 8),
        ]
    );
    let ds = datastores(&f);
    let keys: Vec<&str> = ds.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(
        keys,
        [
            "compose:bound",
            "compose:catalog-search",
            "compose:ledger",
            "compose:profiles",
            "compose:queue-cache",
            "compose:reports",
            "compose:sessions",
        ]
    );
    let search = ds
        .iter()
        .find(|d| d.0 == "compose:catalog-search")
        .expect("search");
    assert_eq!(search.1, "elasticsearch");
    assert_eq!(
        search.2,
        ["catalog-search", "catalog-es", "es", "search.internal"]
    );
    assert_eq!(search.3, 11, "the datastore starts at the service key");
    let engines: Vec<(&str, &str)> = ds.iter().map(|d| (d.0.as_str(), d.1.as_str())).collect();
    assert!(engines.contains(&("compose:sessions", "redis")));
    assert!(engines.contains(&("compose:queue-cache", "valkey")));
    assert!(engines.contains(&("compose:reports", "mariadb")));

    let env = env_values(&f);
    assert!(env.contains(&(
        Some("portal".into()),
        "ELASTIC_URL".into(),
        "http://catalog-search:9200".into()
    )));
    assert!(env.contains(&(
        Some("catalog-search".into()),
        "xpack.security.enabled".into(),
        "false".into()
    )));
    assert!(env.contains(&(
        Some("ledger".into()),
        "POSTGRES_PASSWORD".into(),
        "${LEDGER_DB_PASSWORD:?required}".into()
    )));

    let init: Vec<_> = f
        .facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::InitScripts(i) => {
                Some((i.datastore.clone(), i.host_path.clone(), x.span.line))
            }
            _ => None,
        })
        .collect();
    assert_eq!(init, [("compose:ledger".into(), "./sql/init".into(), 40)]);
}

#[test]
fn compose_old_images_consoles_config_files_and_default_interpolation() {
    let f = analyze("compose/compose.legacy.yaml");
    assert_eq!(exposures(&f), vec![t("kibana", "published-port", 11)]);
    assert_eq!(
        gaps(&f),
        vec![
            t("db", "security-disabled", 20),
            // 7.x images run without security unless it is switched on
            t("search", "no-credentials", 2),
        ]
    );
}

#[test]
fn compose_override_is_judged_on_its_own() {
    let f = analyze("compose/docker-compose.override.yml");
    assert_eq!(
        exposures(&f),
        vec![t("catalog-search", "published-port", 4)]
    );
    assert!(
        gaps(&f).is_empty(),
        "defaults are judged where the image is"
    );
}

#[test]
fn compose_command_forms_and_secrets() {
    let f = analyze_str(
        "docker-compose.yml",
        "services:\n  a:\n    image: mongo\n    command: mongod --noauth\n  b:\n    image: redis\n    command: [\"sh\", \"-c\", \"redis-server --requirepass $$PW\"]\n  c:\n    image: redis\n    entrypoint: redis-server --appendonly yes\n  d:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: \"\"\n  e:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/root\n  f:\n    image: mongo\n    env_file: .env.mongo\n  g:\n    image: redis\n    command: redis-server --requirepass \"\"\n",
    );
    assert_eq!(
        gaps(&f),
        vec![
            t("a", "security-disabled", 4),
            t("c", "no-credentials", 8),
            t("d", "empty-password", 14),
            t("g", "empty-password", 24),
        ]
    );
}

#[test]
fn compose_loopback_expose_and_web_apps_are_quiet() {
    let f = analyze_str(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    environment: [\"POSTGRES_PASSWORD_FILE=/run/secrets/pg\"]\n    ports: [\"127.0.0.1:5432:5432\", \"localhost:5433:5432\"]\n  search:\n    image: opensearchproject/opensearch:2.13.0\n    expose: [\"9200\"]\n    command: [\"--bind_ip_all\"]\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\", \"443:443\", \"8080:8080\"]\n",
    );
    assert!(exposures(&f).is_empty(), "{:?}", exposures(&f));
    assert!(gaps(&f).is_empty(), "{:?}", gaps(&f));
}

#[test]
fn every_catalogued_image_is_recognised_with_registry_tag_and_digest() {
    let vocab = Vocabulary::builtin();
    for engine in &vocab.catalogue.engines {
        for image in &engine.images {
            for reference in [
                image.clone(),
                format!("{image}:1.2.3"),
                format!("registry.example.com:5000/{image}:1.2.3@sha256:abcdef"),
            ] {
                let text = format!(
                    "services:\n  store:\n    image: {reference}\n    ports: [\"{}:{}\"]\n",
                    engine.ports[0], engine.ports[0]
                );
                let f = analyze_str("docker-compose.yml", &text);
                let ds = datastores(&f);
                assert_eq!(ds.len(), 1, "{reference} is a datastore");
                assert_eq!(ds[0].1, engine.id, "{reference}");
                assert_eq!(
                    exposures(&f),
                    vec![t("store", "published-port", 4)],
                    "{reference}"
                );
            }
        }
    }
}

#[test]
fn kubernetes_service_types_selectors_and_ingress() {
    let f = analyze("k8s/search.yaml");
    assert_eq!(
        exposures(&f),
        vec![
            t("catalog-es", "external-ips", 93),
            t("catalog-es", "ingress", 110),
            t("catalog-es", "node-port", 56),
        ]
    );
    assert_eq!(gaps(&f), vec![t("catalog-es", "security-disabled", 23)]);
    let ds = datastores(&f);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].0, "k8s:search/catalog-es");
    assert_eq!(ds[0].1, "elasticsearch");
    assert_eq!(ds[0].3, 1);
    for h in [
        "catalog-es",
        "catalog-es.search",
        "catalog-es.search.svc",
        "catalog-es.search.svc.cluster.local",
        "catalog-es-headless.search.svc.cluster.local",
    ] {
        assert!(ds[0].2.iter().any(|x| x == h), "missing host name {h}");
    }
    assert!(
        !ds[0].2.iter().any(|x| x.starts_with("catalog-es-other-ns")),
        "a Service in another namespace does not select the pods"
    );
}

#[test]
fn kubernetes_host_network_host_port_secrets_and_config_maps() {
    let f = analyze("k8s/cache.yaml");
    assert_eq!(
        exposures(&f),
        vec![
            t("sessions", "host-network", 22),
            t("sessions", "host-port", 35),
        ]
    );
    // redis password from a Secret; accounts-db root user from an unseen
    // Secret; scratch-mongo has nothing
    assert_eq!(gaps(&f), vec![t("scratch-mongo", "no-credentials", 37)]);
    let keys: Vec<String> = datastores(&f).into_iter().map(|d| d.0).collect();
    assert_eq!(
        keys,
        [
            "k8s:default/accounts-db",
            "k8s:default/scratch-mongo",
            "k8s:default/sessions"
        ]
    );
    let env = env_values(&f);
    assert!(env.contains(&(
        Some("worker-config".into()),
        "REDIS_HOST".into(),
        "sessions.default.svc.cluster.local".into()
    )));
    assert!(env.contains(&(
        Some("worker".into()),
        "ELASTIC_URL".into(),
        "http://catalog-es.search:9200".into()
    )));
}

#[test]
fn kubernetes_clusterip_lookalikes_are_quiet() {
    let f = analyze_str(
        "k8s/db.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: pg\nspec:\n  type: ClusterIP\n  selector: {app: pg}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: pg-lb\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8, 192.168.0.0/16]\n  selector: {app: pg}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pg\nspec:\n  template:\n    metadata:\n      labels: {app: pg}\n    spec:\n      containers:\n        - name: pg\n          image: postgres:16\n          env:\n            - name: POSTGRES_PASSWORD\n              valueFrom: {secretKeyRef: {name: pg, key: password}}\n",
    );
    assert!(exposures(&f).is_empty(), "{:?}", exposures(&f));
    assert!(gaps(&f).is_empty(), "{:?}", gaps(&f));
    assert_eq!(datastores(&f).len(), 1);
}

#[test]
fn helm_values_subcharts() {
    let f = analyze("helm/values.yaml");
    assert_eq!(
        exposures(&f),
        vec![
            // metrics and disabled externalAccess do not count
            t("mongodb", "load-balancer", 9),
            t("redis", "node-port", 25),
            // the postgresql LoadBalancer is internal
        ]
    );
    assert_eq!(
        gaps(&f),
        vec![
            t("mongodb", "security-disabled", 7),
            t("postgresql", "default-password", 29),
            t("search", "security-disabled", 43),
        ]
    );
    let ds = datastores(&f);
    let keys: Vec<(&str, &str, u32)> = ds
        .iter()
        .map(|d| (d.0.as_str(), d.1.as_str(), d.3))
        .collect();
    assert_eq!(
        keys,
        [
            ("helm:mongodb", "mongodb", 4),
            ("helm:postgresql", "postgres", 27),
            ("helm:redis", "redis", 19),
            ("helm:search", "elasticsearch", 37),
        ]
    );
    assert!(f.facts.iter().all(|x| match &x.data {
        FactData::Exposure(e) => e.source == Source::Helm,
        _ => true,
    }));
}

#[test]
fn malformed_yaml_is_an_error_and_the_scan_goes_on() {
    let f = analyze("broken/docker-compose.yml");
    assert_eq!(f.errors.len(), 1);
    assert!(f.errors[0].line.is_some_and(|l| l >= 6), "{:?}", f.errors);

    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules load");
    let vocab = Vocabulary::builtin();
    let opts = ScanOptions {
        paths: vec![fixture_dir().join("broken")],
        threads: 1,
        ..Default::default()
    };
    let result = engine::scan(&opts, &rules, &vocab);
    assert!(
        result
            .errors
            .iter()
            .any(|e| e.path.ends_with("docker-compose.yml") && e.line.is_some())
    );
    assert!(
        result
            .findings
            .iter()
            .any(|x| x.rule_id == "LG-BIND-001" && x.path.ends_with("compose.yaml")),
        "the good file beside the broken one is still scanned"
    );
}

#[test]
fn kubernetes_service_for_pods_in_another_file_is_judged_by_port() {
    let f = analyze_str(
        "k8s/services.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: profiles-mongo-lb\nspec:\n  type: LoadBalancer\n  selector: {app: profiles-mongo}\n  ports: [{port: 27017, targetPort: 27017}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: LoadBalancer\n  selector: {app: api}\n  ports: [{port: 443, targetPort: 8443}]\n",
    );
    assert_eq!(
        exposures(&f),
        vec![t("profiles-mongo-lb", "load-balancer", 6)]
    );
}

#[test]
fn compose_image_from_interpolation_default() {
    let f = analyze_str(
        "docker-compose.yml",
        "services:\n  search:\n    image: ${ES_IMAGE:-elasticsearch:7.10.2}\n    ports: [\"9200:9200\"]\n",
    );
    assert_eq!(
        gaps(&f),
        vec![t("search", "no-credentials", 2)],
        "7.10 runs without security by default"
    );
    assert_eq!(exposures(&f), vec![t("search", "published-port", 4)]);
}
