//! CloudFormation, elasticsearch.yml/opensearch.yml, mongod.conf and
//! redis.conf front ends: the datastore, exposure and auth-gap facts they
//! emit, where those facts point, and the look-alikes that must stay quiet.

use std::path::Path;

use leakguard::discover;
use leakguard::facts::{FactData, FileFacts};
use leakguard::frontend::{Ctx, analyze_text};
use leakguard::vocab::Vocabulary;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cloud");

fn analyze(path: &str, text: &str) -> FileFacts {
    let vocab = Vocabulary::builtin();
    let ctx = Ctx {
        vocab: &vocab,
        path,
    };
    let kind = discover::kind_of(Path::new(path)).expect("a scanned file kind");
    analyze_text(text, kind, &ctx)
}

fn fixture(rel: &str) -> FileFacts {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{rel}")).expect("fixture exists");
    analyze(rel, &text)
}

/// (how, first line, last line, datastore key, store name) of each exposure.
fn exposures(f: &FileFacts) -> Vec<(String, u32, u32, Option<String>, String)> {
    f.facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::Exposure(e) => Some((
                e.how.clone(),
                x.span.line,
                x.span.end_line,
                e.datastore.clone(),
                e.store_name.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// (how, first line, store name) of each auth gap.
fn gaps(f: &FileFacts) -> Vec<(String, u32, String)> {
    f.facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::AuthGap(a) => Some((a.how.clone(), x.span.line, a.store_name.clone())),
            _ => None,
        })
        .collect()
}

fn datastores(f: &FileFacts) -> Vec<(String, String, Vec<String>, u32, u32)> {
    f.facts
        .iter()
        .filter_map(|x| match &x.data {
            FactData::Datastore(d) => Some((
                d.key.clone(),
                d.engine.clone(),
                d.hostnames.clone(),
                x.span.line,
                x.span.end_line,
            )),
            _ => None,
        })
        .collect()
}

fn hows(v: &[(String, u32, u32, Option<String>, String)]) -> Vec<&str> {
    v.iter().map(|e| e.0.as_str()).collect()
}

// ---------------------------------------------------------------------------
// CloudFormation

#[test]
fn cfn_rds_param_default_and_sg_range() {
    let f = fixture("cfn/rds_public.yaml");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let ds = datastores(&f);
    let cluster = ds
        .iter()
        .find(|d| d.0 == "cfn:MembersCluster")
        .expect("cluster datastore");
    assert_eq!(cluster.1, "postgres", "aurora-postgresql is a postgres");
    assert_eq!(cluster.2, ["MembersCluster", "loyalty-members"]);
    assert_eq!((cluster.3, cluster.4), (34, 43));
    assert!(ds.iter().any(|d| d.0 == "cfn:LedgerDb" && d.1 == "mysql"));

    let ex = exposures(&f);
    // `!Ref ExposeDatabase` resolves to its default "true".
    assert!(ex.iter().any(|e| e.0 == "publicly-accessible"
        && e.1 == 41
        && e.3.as_deref() == Some("cfn:MembersCluster")));
    // A standalone ingress whose range 5000-6000 includes 5432, from a
    // parameter defaulting to 0.0.0.0/0: spans the ingress resource.
    assert!(ex.iter().any(|e| e.0 == "open-security-group"
        && e.1 == 25
        && e.2 == 32
        && e.3.as_deref() == Some("cfn:MembersCluster")));
    // `!If` cannot be resolved statically; protocol -1 from 10/8 is private.
    assert!(
        !ex.iter().any(|e| e.3.as_deref() == Some("cfn:LedgerDb")),
        "{ex:?}"
    );
    assert_eq!(ex.len(), 2, "{ex:?}");
    assert!(gaps(&f).is_empty(), "{:?}", gaps(&f));
}

#[test]
fn cfn_sg_protocol_all_ipv6_and_guessed_engine() {
    let f = fixture("cfn/sg_variants.yaml");
    let ex = exposures(&f);
    // Protocol -1 from anywhere, referenced through long-form Fn::GetAtt.
    assert!(ex.iter().any(|e| e.0 == "open-security-group"
        && e.1 == 10
        && e.3.as_deref() == Some("cfn:Warehouse")));
    // ::/0 on 27017 for DocumentDB (Ref long form); udp is not a finding.
    assert!(
        ex.iter().any(|e| e.0 == "open-security-group"
            && e.1 == 29
            && e.3.as_deref() == Some("cfn:Docs"))
    );
    assert!(!ex.iter().any(|e| e.1 == 33), "udp rule flagged: {ex:?}");
    // An unreferenced group open on 27017: the engine is guessed.
    let legacy = ex
        .iter()
        .find(|e| e.4 == "LegacyMongoSg")
        .expect("unattributed group");
    assert_eq!(legacy.3, None);
    assert_eq!(legacy.1, 51);
    let engine = f.facts.iter().find_map(|x| match &x.data {
        FactData::Exposure(e) if e.store_name == "LegacyMongoSg" => Some(e.engine.clone()),
        _ => None,
    });
    assert_eq!(engine.as_deref(), Some("mongodb"));
    // Web ports 443/80 open to the world are not datastore exposure.
    assert!(!ex.iter().any(|e| e.4 == "WebSg"));
    assert_eq!(ex.len(), 3, "{ex:?}");
}

#[test]
fn cfn_buckets_acl_policy_and_public_access_block() {
    let f = fixture("cfn/buckets.yaml");
    let ex = exposures(&f);
    assert!(ex.iter().all(|e| e.0 == "public-bucket"), "{ex:?}");
    // PublicReadWrite without a block.
    assert!(
        ex.iter()
            .any(|e| e.1 == 9 && e.3.as_deref() == Some("cfn:SharedReports"))
    );
    // Policy for AWS:* whose SourceIp condition is 0.0.0.0/0, blocks off:
    // spans the policy from its logical id to the open statement's end.
    let policy = ex
        .iter()
        .find(|e| e.3.as_deref() == Some("cfn:ExportBucket"))
        .expect("public policy");
    assert_eq!((policy.1, policy.2), (30, 53));
    // Ignored ACLs, a VPC-endpoint condition, a blocked bucket, a Deny
    // statement and a CloudFront service principal are all fine.
    for quiet in [
        "cfn:AclIgnoredBucket",
        "cfn:EndpointOnlyBucket",
        "cfn:BlockedBucket",
    ] {
        assert!(!ex.iter().any(|e| e.3.as_deref() == Some(quiet)), "{quiet}");
    }
    assert_eq!(ex.len(), 2, "{ex:?}");
    assert!(datastores(&f).iter().any(|d| d.0 == "cfn:SharedReports"
        && d.1 == "s3"
        && d.2.contains(&"shared-member-reports".to_string())));
}

#[test]
fn cfn_search_domain_policies_and_fgac() {
    let f = fixture("cfn/search.yaml");
    let ex = exposures(&f);
    let open: Vec<_> = ex.iter().map(|e| (e.0.as_str(), e.4.as_str())).collect();
    assert!(open.contains(&("open-access-policy", "LegacySearch")));
    // A JSON-string policy for ["*"]: open, although FGAC is on.
    assert!(open.contains(&("open-access-policy", "GuardedSearch")));
    // A specific source IP, a VPC domain and a role principal are not open.
    assert_eq!(open.len(), 2, "{open:?}");
    let legacy = ex.iter().find(|e| e.4 == "LegacySearch").expect("legacy");
    assert_eq!((legacy.1, legacy.2), (15, 20));

    let g = gaps(&f);
    // No AdvancedSecurityOptions at all: the whole resource.
    assert!(g.contains(&("fgac-disabled".into(), 10, "LegacySearch".into())));
    // FGAC on: no fgac gap, but the committed master password is weak.
    assert!(g.contains(&("default-password".into(), 60, "GuardedSearch".into())));
    // FGAC off behind a role-scoped policy is not open.
    assert!(!g.iter().any(|x| x.2 == "AdminOnlySearch"));
    assert_eq!(g.len(), 2, "{g:?}");
}

#[test]
fn cfn_caches_auth_tokens_and_acls() {
    let f = fixture("cfn/caches.yaml");
    let g = gaps(&f);
    // TransitEncryptionEnabled alone is not auth: spans the whole resource.
    assert!(g.contains(&("no-auth-token".into(), 14, "SessionStore".into())));
    // A NoEcho parameter without a default is fine; one whose default is a
    // well-known password is not.
    assert!(!g.iter().any(|x| x.2 == "TokenStore"));
    assert!(g.contains(&("default-password".into(), 38, "LegacyStore".into())));
    assert!(
        !g.iter().any(|x| x.2 == "RbacStore"),
        "user groups are auth"
    );
    assert!(!g.iter().any(|x| x.2 == "PageCache"), "memcached");
    assert!(g.contains(&("no-auth-token".into(), 56, "RateLimits".into())));
    assert!(g.contains(&("open-access-acl".into(), 68, "OpenMemory".into())));
    assert!(!g.iter().any(|x| x.2 == "GuardedMemory"));
    assert_eq!(g.len(), 4, "{g:?}");
    assert!(exposures(&f).is_empty());
}

#[test]
fn cfn_master_passwords() {
    let f = fixture("cfn/passwords.yaml");
    let g = gaps(&f);
    assert!(g.contains(&("empty-password".into(), 20, "StagingDb".into())));
    assert!(g.contains(&("default-password".into(), 26, "DocsCluster".into())));
    assert_eq!(g.len(), 2, "{g:?}");
    assert!(exposures(&f).is_empty());
    let docs = datastores(&f);
    assert!(
        docs.iter()
            .any(|d| d.0 == "cfn:DocsCluster" && d.1 == "mongodb")
    );
    assert!(
        docs.iter()
            .any(|d| d.0 == "cfn:WarehouseDb" && d.1 == "redshift")
    );
    assert!(
        docs.iter()
            .any(|d| d.0 == "cfn:StagingDb" && d.1 == "mariadb")
    );
}

#[test]
fn cfn_compliant_template_has_no_findings() {
    let f = fixture("cfn/compliant.yaml");
    assert!(f.errors.is_empty());
    assert!(exposures(&f).is_empty(), "{:?}", exposures(&f));
    assert!(gaps(&f).is_empty(), "{:?}", gaps(&f));
    assert_eq!(datastores(&f).len(), 5);
}

#[test]
fn cfn_long_form_intrinsics() {
    let f = fixture("cfn/long_form.yaml");
    let ex = exposures(&f);
    assert_eq!(
        hows(&ex),
        ["publicly-accessible", "open-security-group"],
        "{ex:?}"
    );
    assert!(ex.iter().all(|e| e.3.as_deref() == Some("cfn:QuotesDb")));
    let ds = datastores(&f);
    assert_eq!(ds[0].2, ["QuotesDb", "quotes-db"]);
}

#[test]
fn cfn_getatt_values_are_never_guessed() {
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      PubliclyAccessible: !GetAtt Flags.Public\n      MasterUserPassword: !GetAtt Secret.Value\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: !GetAtt Ports.From\n          ToPort: 5432\n          CidrIp: 0.0.0.0/0\n";
    let f = analyze("infra/db.yaml", text);
    assert!(exposures(&f).is_empty(), "{:?}", exposures(&f));
    assert!(gaps(&f).is_empty());
    assert_eq!(datastores(&f).len(), 1);
}

#[test]
fn cfn_malformed_yaml_is_an_error_without_facts() {
    let f = fixture("cfn/broken.yaml");
    assert!(!f.errors.is_empty());
    assert!(f.facts.is_empty());
}

#[test]
fn cfn_hostile_input_does_not_panic() {
    for text in [
        "Resources:\n  X:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      PolicyDocument: !Ref\n",
        "Resources:\n  X:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      AccessPolicies: '{{{'\n",
        "Resources:\n  X:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      IpProtocol: tcp\n      FromPort: 99999999999999999999\n      ToPort: -5\n      CidrIp: 0.0.0.0/0\n",
        "Resources:\n  X:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: !Sub '${'\n      Port: 70000\n",
        "Resources: [1, 2]\n",
    ] {
        let f = analyze("infra/x.yaml", text);
        assert!(
            f.errors.iter().all(|e| !e.internal),
            "{text}: {:?}",
            f.errors
        );
    }
}

// ---------------------------------------------------------------------------
// elasticsearch.yml / opensearch.yml

#[test]
fn es_nested_settings_global_binding_and_security_off() {
    let f = fixture("config/es-public/elasticsearch.yml");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!(ex[0].1, 4, "at network.host");
    assert_eq!(
        ex[0].3.as_deref(),
        Some("config:config/es-public/elasticsearch.yml")
    );
    assert_eq!(
        gaps(&f),
        [(
            "security-disabled".to_string(),
            8,
            "config/es-public/elasticsearch.yml".to_string()
        )]
    );
    let ds = datastores(&f);
    assert_eq!(ds.len(), 1);
    assert_eq!((ds[0].1.as_str(), ds[0].3), ("elasticsearch", 1));
}

#[test]
fn es_site_binding_and_tls_settings_are_quiet() {
    let f = fixture("config/es-tls-only/elasticsearch.yml");
    assert!(exposures(&f).is_empty());
    assert!(gaps(&f).is_empty(), "TLS off is not an auth gap");
    assert_eq!(datastores(&f).len(), 1);
}

#[test]
fn es_specific_layers_override_network_host() {
    let f = fixture("config/es-http-loopback/elasticsearch.yml");
    assert!(exposures(&f).is_empty(), "{:?}", exposures(&f));
    assert!(gaps(&f).is_empty());
}

#[test]
fn opensearch_security_plugin_disabled() {
    let f = fixture("config/os-open/opensearch.yml");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!(ex[0].1, 2);
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("security-disabled", 3));
    assert_eq!(datastores(&f)[0].1, "opensearch");
}

#[test]
fn es_malformed_yaml_is_an_error() {
    let f = fixture("config/broken/elasticsearch.yml");
    assert!(!f.errors.is_empty());
    assert!(f.facts.is_empty());
}

// ---------------------------------------------------------------------------
// mongod.conf

#[test]
fn mongod_private_bind_list_with_authorization_is_quiet() {
    let f = fixture("config/mongo-private/mongod.conf");
    assert!(exposures(&f).is_empty());
    assert!(gaps(&f).is_empty());
    assert_eq!(datastores(&f)[0].1, "mongodb");
}

#[test]
fn mongod_all_interfaces_and_authorization_disabled() {
    let f = fixture("config/mongo-disabled/mongod.conf");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!(ex[0].1, 4);
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("security-disabled", 6));
}

#[test]
fn mongod_loopback_without_security_is_missing_auth_only() {
    let f = fixture("config/mongo-loopback-noauth/mongod.conf");
    assert!(exposures(&f).is_empty());
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("no-credentials", 1));
}

#[test]
fn mongod_public_address_with_keyfile_auth() {
    let f = fixture("config/mongo-keyfile/mongod.conf");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!(ex[0].1, 2);
    assert!(gaps(&f).is_empty(), "keyFile implies authorization");
}

#[test]
fn mongod_bind_ip_all() {
    let f = analyze(
        "ops/mongod.yaml",
        "net:\n  port: 27017\n  bindIpAll: true\nsecurity:\n  authorization: enabled\n",
    );
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!((ex[0].1, ex[0].2), (3, 3));
    assert!(gaps(&f).is_empty());
}

#[test]
fn mongod_legacy_format() {
    let f = fixture("config/mongo-legacy/mongodb.conf");
    assert_eq!(hows(&exposures(&f)), ["bind-all-interfaces"]);
    assert_eq!(gaps(&f).len(), 1);
    assert_eq!(gaps(&f)[0].0, "no-credentials");
}

// ---------------------------------------------------------------------------
// redis.conf

#[test]
fn redis_open_bind_and_protected_mode_off() {
    let f = fixture("config/redis-open/redis.conf");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert_eq!(ex[0].1, 2);
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("security-disabled", 3));
    assert_eq!(datastores(&f)[0].1, "redis");
}

#[test]
fn redis_loopback_without_password_is_missing_auth_only() {
    let f = fixture("config/redis-local/redis.conf");
    assert!(exposures(&f).is_empty());
    let g = gaps(&f);
    assert_eq!(g.len(), 1, "a commented requirepass does not count");
    assert_eq!((g[0].0.as_str(), g[0].1), ("no-credentials", 1));
}

#[test]
fn redis_all_interfaces_with_password() {
    let f = fixture("config/redis-secured/redis.conf");
    let ex = exposures(&f);
    assert_eq!(hows(&ex), ["bind-all-interfaces"]);
    assert!(gaps(&f).is_empty());
}

#[test]
fn redis_private_bind_with_acl_users_is_quiet() {
    let f = fixture("config/redis-acl/redis.conf");
    assert!(exposures(&f).is_empty());
    assert!(gaps(&f).is_empty());
}

#[test]
fn redis_example_password() {
    let f = fixture("config/redis-foobared/redis.conf");
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("default-password", 2));
}

#[test]
fn redis_snippet_without_server_directives_is_quiet() {
    let f = fixture("config/redis-snippet/redis.conf");
    assert!(exposures(&f).is_empty());
    assert!(gaps(&f).is_empty());
}

#[test]
fn redis_default_user_nopass_and_sentinel() {
    let f = analyze(
        "deploy/redis.conf",
        "bind 10.2.0.4\nuser default on nopass ~* +@all\n",
    );
    let g = gaps(&f);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].0.as_str(), g[0].1), ("no-credentials", 2));
    let s = analyze(
        "deploy/redis-sentinel.conf",
        "bind 0.0.0.0\nport 26379\nsentinel monitor main 10.0.0.4 6379 2\n",
    );
    assert!(s.facts.is_empty());
}

// ---------------------------------------------------------------------------
// Files named like datastore configs that are something else

#[test]
fn cfn_template_named_opensearch_yaml_is_read_as_cloudformation() {
    let f = fixture("cfn/opensearch.yaml");
    let ex = exposures(&f);
    // NotIpAddress only excludes a range: the policy stays open.
    assert_eq!(hows(&ex), ["open-access-policy"]);
    assert_eq!(
        (ex[0].1, ex[0].3.as_deref()),
        (10, Some("cfn:ReviewsSearch"))
    );
    assert!(gaps(&f).is_empty(), "fine-grained access control is on");
    assert!(
        !datastores(&f).iter().any(|d| d.0.starts_with("config:")),
        "not an opensearch.yml"
    );
}

#[test]
fn manifest_named_elasticsearch_yaml_is_not_a_node_config() {
    let f = fixture("config/k8s/elasticsearch.yaml");
    assert!(!datastores(&f).iter().any(|d| d.0.starts_with("config:")));
    assert!(!exposures(&f).iter().any(|e| e.0 == "bind-all-interfaces"));
}

#[test]
fn cfn_cache_with_unresolvable_engine_is_not_judged() {
    let text = "Parameters:\n  CacheEngine:\n    Type: String\n    AllowedValues: [redis, memcached]\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: !Ref CacheEngine\n      CacheNodeType: cache.t4g.micro\n      NumCacheNodes: 1\n  Sessions:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: sessions\n";
    let f = analyze("infra/cache.yaml", text);
    let g = gaps(&f);
    // Engine absent on a replication group means Redis.
    assert_eq!(
        g,
        [("no-auth-token".to_string(), 12, "Sessions".to_string())]
    );
}
