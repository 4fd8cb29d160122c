//! CloudFormation templates (YAML): managed datastores (RDS/Aurora,
//! Redshift, OpenSearch/Elasticsearch domains, ElastiCache, MemoryDB,
//! DocumentDB, Neptune, S3 buckets), the ways they are opened to the
//! internet (public endpoints, security groups, ACLs and resource policies)
//! and the ways their authentication is missing.
//!
//! Values are read statically: `!Ref Param` resolves to the parameter's
//! `Default`, `!Sub` without unresolvable variables to its text; anything
//! else (`!GetAtt`, `!If`, imports) is unknown and never flagged.
//!
//! Environment variables the template gives a function or container
//! (Lambda and SAM functions, ECS task definitions, Batch jobs, App Runner
//! services, Elastic Beanstalk environments) become `EnvValue` facts, so
//! the linker can follow code that reads them. A reference to another
//! resource's attribute is written the way `!Sub` writes it:
//! `!GetAtt Db.Endpoint.Address` becomes `${Db.Endpoint.Address}`, and
//! `!Sub "https://${Search.DomainEndpoint}"` keeps its text.

use std::collections::{BTreeMap, HashMap};

use super::tree::{self, Node, NodeKind};
use crate::facts::{AuthGap, Datastore, EnvValue, Exposure, FactData, FileFacts, Source};
use crate::frontend::Ctx;
use crate::span::Span;

/// Ports guessed for a security group that no datastore in the template
/// uses: (port, engine id).
const GUESS_PORTS: &[(u16, &str)] = &[
    (5432, "postgres"),
    (3306, "mysql"),
    (6379, "redis"),
    (27017, "mongodb"),
    (27018, "mongodb"),
    (27019, "mongodb"),
    (9200, "elasticsearch"),
    (9300, "elasticsearch"),
    (5601, "kibana"),
    (5439, "redshift"),
    (1433, "sqlserver"),
    (1521, "oracle"),
    (11211, "memcached"),
    (9042, "cassandra"),
    (5984, "couchdb"),
    (7687, "neo4j"),
    (8182, "neptune"),
];

/// Properties through which a datastore names its security groups.
const SG_PROPS: &[&[&str]] = &[
    &["VPCSecurityGroups"],
    &["VpcSecurityGroupIds"],
    &["SecurityGroupIds"],
    &["DBSecurityGroups"],
    &["VPCOptions", "SecurityGroupIds"],
    &["VpcOptions", "SecurityGroupIds"],
];

/// Properties that carry a datastore's own name.
const NAME_PROPS: &[&str] = &[
    "DomainName",
    "DBInstanceIdentifier",
    "DBClusterIdentifier",
    "ClusterIdentifier",
    "ClusterName",
    "ReplicationGroupId",
    "CacheClusterId",
    "ServerlessCacheName",
    "BucketName",
];

struct Template<'a> {
    params: HashMap<&'a str, &'a Node>,
}

/// An intrinsic function call: short form (`!Ref X`, a tagged node) or long
/// form (`{"Ref": X}`, `{"Fn::GetAtt": …}`). Returns the function name
/// without `Fn::` and its argument.
fn fn_call(n: &Node) -> Option<(&str, &Node)> {
    if let Some(t) = n.tag.as_deref() {
        return Some((t, n));
    }
    if let NodeKind::Map(pairs) = &n.kind
        && pairs.len() == 1
    {
        let (k, v) = &pairs[0];
        let name = k.as_str()?;
        if name == "Ref" {
            return Some(("Ref", v));
        }
        if let Some(f) = name.strip_prefix("Fn::") {
            return Some((f, v));
        }
    }
    None
}

/// The logical id a `Ref`/`GetAtt` points at.
fn ref_target(n: &Node) -> Option<&str> {
    let (f, arg) = fn_call(n)?;
    match f {
        "Ref" => arg.as_str(),
        "GetAtt" => match &arg.kind {
            NodeKind::Scalar { value, .. } => value.split('.').next(),
            NodeKind::Seq(items) => items.first().and_then(Node::as_str),
            NodeKind::Map(_) => None,
        },
        _ => None,
    }
}

impl<'a> Template<'a> {
    fn new(doc: &'a Node) -> Self {
        let mut params = HashMap::new();
        if let Some(p) = doc.get("Parameters") {
            for (name, _, body) in p.entries() {
                params.insert(name, body);
            }
        }
        Template { params }
    }

    /// A parameter's default as text.
    fn param_default(&self, name: &str) -> Option<String> {
        let d = self.params.get(name)?.get("Default")?;
        if d.tag.is_some() {
            return None;
        }
        d.as_str().map(str::to_string)
    }

    /// The static value of a scalar property, or `None` when it cannot be
    /// known without deploying.
    fn resolve(&self, n: &Node) -> Option<String> {
        match fn_call(n) {
            None => n.as_str().map(str::to_string),
            Some(("Ref", arg)) => self.param_default(arg.as_str()?),
            Some(("Sub", arg)) => {
                let (text, vars) = match &arg.kind {
                    NodeKind::Scalar { value, .. } => (value.as_str(), None),
                    NodeKind::Seq(items) => (items.first()?.as_str()?, items.get(1)),
                    NodeKind::Map(_) => return None,
                };
                self.substitute(text, vars)
            }
            _ => None,
        }
    }

    fn substitute(&self, text: &str, vars: Option<&Node>) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find("${") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let close = after.find('}')?;
            let name = &after[..close];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else if let Some(v) = vars.and_then(|m| m.get(name)) {
                out.push_str(&self.resolve(v)?);
            } else {
                out.push_str(&self.param_default(name)?);
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// An environment variable's value as text: literals, parameter
    /// defaults and `!Sub`/`!Join` resolved; a reference to a resource's
    /// attribute (`!GetAtt Db.Endpoint.Address`) and any variable of a
    /// `!Sub` that cannot be known statically kept as `${…}`. `None` for
    /// what has no useful text (`!If`, `!ImportValue`, a bare `!Ref` to a
    /// resource).
    fn env_text(&self, n: &Node) -> Option<String> {
        match fn_call(n) {
            None => n.as_str().map(str::to_string),
            Some(("Ref", arg)) => self.param_default(arg.as_str()?),
            Some(("GetAtt", arg)) => {
                let text = match &arg.kind {
                    NodeKind::Scalar { value, .. } => value.trim().to_string(),
                    NodeKind::Seq(items) => {
                        let id = items.first()?.as_str()?;
                        let attr = items.get(1)?.as_str()?;
                        format!("{}.{}", id.trim(), attr.trim())
                    }
                    NodeKind::Map(_) => return None,
                };
                let (id, attr) = text.split_once('.')?;
                (!id.is_empty() && !attr.is_empty()).then(|| format!("${{{text}}}"))
            }
            Some(("Sub", arg)) => {
                let (text, vars) = match &arg.kind {
                    NodeKind::Scalar { value, .. } => (value.as_str(), None),
                    NodeKind::Seq(items) => (items.first()?.as_str()?, items.get(1)),
                    NodeKind::Map(_) => return None,
                };
                Some(self.env_sub(text, vars))
            }
            Some(("Join", arg)) => {
                let items = arg.as_seq()?;
                let sep = items.first()?.as_str()?;
                let parts = items.get(1)?.as_seq()?;
                let mut out: Vec<String> = Vec::with_capacity(parts.len());
                for p in parts {
                    out.push(self.env_text(p)?);
                }
                Some(out.join(sep))
            }
            _ => None,
        }
    }

    /// A `!Sub` template's text with what is known filled in and every
    /// other `${…}` kept as written.
    fn env_sub(&self, text: &str, vars: Option<&Node>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find("${") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = after[..close].trim();
            let known = if name.starts_with('!') {
                None
            } else if let Some(v) = vars.and_then(|m| m.get(name)) {
                self.env_text(v)
            } else {
                self.param_default(name)
            };
            match known {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn resolve_bool(&self, n: &Node) -> Option<bool> {
        match self.resolve(n)?.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    fn resolve_int(&self, n: &Node) -> Option<i64> {
        self.resolve(n)?.trim().parse().ok()
    }
}

/// One resource of the template.
struct Res<'a> {
    id: &'a str,
    key: &'a Node,
    body: &'a Node,
    ty: &'a str,
}

impl<'a> Res<'a> {
    fn span(&self) -> Span {
        self.key.span.cover(self.body.span)
    }

    fn props(&self) -> Option<&'a Node> {
        self.body.get("Properties")
    }

    fn prop(&self, name: &str) -> Option<(&'a Node, &'a Node)> {
        self.props()?.get_entry(name)
    }

    fn prop_path(&self, path: &[&str]) -> Option<&'a Node> {
        self.props()?.path(path)
    }
}

fn setting_span(key: &Node, value: &Node) -> Span {
    key.span.cover(value.span)
}

/// A datastore resource as the template declares it.
struct Store<'a> {
    res: Res<'a>,
    key: String,
    engine: String,
    /// Words for messages: "RDS instance (PostgreSQL)".
    what: String,
    ports: Vec<u16>,
}

fn rds_engine(engine: Option<&str>) -> (String, Vec<u16>, &'static str) {
    let e = engine.unwrap_or("").to_ascii_lowercase();
    if e.contains("postgres") {
        ("postgres".into(), vec![5432], "PostgreSQL")
    } else if e == "mariadb" {
        ("mariadb".into(), vec![3306], "MariaDB")
    } else if e.contains("mysql") || e == "aurora" {
        ("mysql".into(), vec![3306], "MySQL")
    } else if e.starts_with("oracle") {
        ("oracle".into(), vec![1521], "Oracle")
    } else if e.starts_with("sqlserver") {
        ("sqlserver".into(), vec![1433], "SQL Server")
    } else if e.starts_with("db2") {
        ("db2".into(), vec![50000], "Db2")
    } else {
        ("rds".into(), vec![5432, 3306, 1521, 1433], "database")
    }
}

/// A cache's engine: the `Engine` property when it resolves, the type's
/// default when it is absent, unknown (`elasticache`) otherwise.
fn cache_engine(declared: bool, engine: Option<&str>, default: &str) -> (String, Vec<u16>) {
    let e = match engine {
        Some(e) => e.to_ascii_lowercase(),
        None if !declared => default.to_string(),
        None => String::new(),
    };
    match e.as_str() {
        "memcached" => ("memcached".into(), vec![11211]),
        "valkey" => ("valkey".into(), vec![6379]),
        "redis" => ("redis".into(), vec![6379]),
        _ => ("elasticache".into(), vec![6379, 11211]),
    }
}

fn classify<'a>(tpl: &Template, res: Res<'a>) -> Option<Store<'a>> {
    let engine_declared = res.prop("Engine").is_some();
    let engine_prop = res.prop("Engine").and_then(|(_, v)| tpl.resolve(v));
    let (engine, mut ports, what): (String, Vec<u16>, String) = match res.ty {
        "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => {
            let (e, p, words) = rds_engine(engine_prop.as_deref());
            let kind = if res.ty.ends_with("DBCluster") {
                "RDS cluster"
            } else {
                "RDS instance"
            };
            (e, p, format!("{kind} ({words})"))
        }
        "AWS::Redshift::Cluster" => ("redshift".into(), vec![5439], "Redshift cluster".into()),
        "AWS::OpenSearchService::Domain" => (
            "opensearch".into(),
            vec![443, 80, 9200],
            "OpenSearch domain".into(),
        ),
        "AWS::Elasticsearch::Domain" => (
            "elasticsearch".into(),
            vec![443, 80, 9200],
            "Elasticsearch domain".into(),
        ),
        "AWS::ElastiCache::ReplicationGroup" => {
            let (e, p) = cache_engine(engine_declared, engine_prop.as_deref(), "redis");
            (e, p, "ElastiCache replication group".into())
        }
        "AWS::ElastiCache::CacheCluster" => {
            let (e, p) = cache_engine(engine_declared, engine_prop.as_deref(), "");
            (e, p, "ElastiCache cluster".into())
        }
        "AWS::ElastiCache::ServerlessCache" => {
            let (e, p) = cache_engine(engine_declared, engine_prop.as_deref(), "");
            (e, p, "ElastiCache serverless cache".into())
        }
        "AWS::MemoryDB::Cluster" => {
            let (e, p) = cache_engine(engine_declared, engine_prop.as_deref(), "redis");
            (e, p, "MemoryDB cluster".into())
        }
        "AWS::DocDB::DBCluster" => ("mongodb".into(), vec![27017], "DocumentDB cluster".into()),
        "AWS::Neptune::DBCluster" => ("neptune".into(), vec![8182], "Neptune cluster".into()),
        "AWS::S3::Bucket" => ("s3".into(), Vec::new(), "S3 bucket".into()),
        _ => return None,
    };
    if let Some(port) = res
        .prop("Port")
        .and_then(|(_, v)| tpl.resolve_int(v))
        .and_then(|p| u16::try_from(p).ok())
    {
        ports = vec![port];
    }
    Some(Store {
        key: format!("cfn:{}", res.id),
        res,
        engine,
        what,
        ports,
    })
}

fn exposure(store: &Store, how: &str, detail: String) -> FactData {
    FactData::Exposure(Exposure {
        datastore: Some(store.key.clone()),
        engine: store.engine.clone(),
        store_name: store.res.id.to_string(),
        source: Source::Cloudformation,
        how: how.into(),
        detail,
    })
}

fn auth_gap(store: &Store, how: &str, detail: String) -> FactData {
    FactData::AuthGap(AuthGap {
        datastore: Some(store.key.clone()),
        engine: store.engine.clone(),
        store_name: store.res.id.to_string(),
        source: Source::Cloudformation,
        how: how.into(),
        detail,
    })
}

// ---------------------------------------------------------------------------
// Resource policies

#[derive(Clone, Copy, PartialEq, Eq)]
enum Service {
    S3,
    Search,
}

fn items(n: &Node) -> Vec<&Node> {
    match &n.kind {
        NodeKind::Seq(v) => v.iter().collect(),
        _ => vec![n],
    }
}

fn principal_is_public(tpl: &Template, p: &Node) -> bool {
    if fn_call(p).is_none()
        && let Some(s) = p.as_str()
    {
        return s.trim() == "*";
    }
    let Some(aws) = p.get("AWS") else {
        return false;
    };
    items(aws)
        .into_iter()
        .any(|i| tpl.resolve(i).is_some_and(|s| s.trim() == "*"))
}

fn is_data_action(service: Service, action: &str) -> bool {
    let a = action.trim().to_ascii_lowercase();
    if a == "*" {
        return true;
    }
    match service {
        Service::S3 => {
            let Some(rest) = a.strip_prefix("s3:") else {
                return false;
            };
            rest == "*"
                || rest.contains("object")
                || rest.starts_with("list")
                || rest.ends_with('*')
        }
        Service::Search => {
            let Some(rest) = a.strip_prefix("es:") else {
                return false;
            };
            rest == "*"
                || rest.starts_with("eshttp")
                || rest.starts_with("escrosscluster")
                || (rest.ends_with('*') && "eshttp".starts_with(rest.trim_end_matches('*')))
        }
    }
}

fn is_open_cidr(s: &str) -> bool {
    let s = s.trim();
    if let Some((addr, len)) = s.split_once('/') {
        return len.trim() == "0"
            && (addr.parse::<std::net::Ipv4Addr>().is_ok()
                || addr.parse::<std::net::Ipv6Addr>().is_ok());
    }
    false
}

/// Whether a statement's `Condition` limits who may use it. `aws:SourceIp`
/// of `0.0.0.0/0`, `NotIpAddress` and `aws:SecureTransport` limit nobody;
/// any other condition (a specific address, a VPC endpoint, an
/// organisation, an ARN) does.
fn condition_restricts(tpl: &Template, cond: &Node) -> bool {
    if !cond.is_map() {
        return true;
    }
    for (op, _, body) in cond.entries() {
        let op_l = op.to_ascii_lowercase();
        if !body.is_map() {
            return true;
        }
        for (ckey, _, values) in body.entries() {
            let k = ckey.to_ascii_lowercase();
            if k == "aws:securetransport" {
                continue;
            }
            if k == "aws:sourceip" {
                if op_l.starts_with("notipaddress") {
                    continue;
                }
                if op_l.starts_with("ipaddress")
                    && items(values)
                        .into_iter()
                        .any(|v| tpl.resolve(v).is_some_and(|s| is_open_cidr(&s)))
                {
                    continue;
                }
            }
            return true;
        }
    }
    false
}

/// The first statement of a policy document that allows anyone to reach
/// the data.
fn open_statement<'a>(tpl: &Template, doc: &'a Node, service: Service) -> Option<&'a Node> {
    let stmts = doc.get("Statement")?;
    items(stmts).into_iter().find(|s| {
        s.is_map()
            && s.get("Effect")
                .and_then(|e| tpl.resolve(e))
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("allow"))
            && s.get("Principal")
                .is_some_and(|p| principal_is_public(tpl, p))
            && (s.get("NotAction").is_some()
                || s.get("Action").is_some_and(|a| {
                    items(a)
                        .into_iter()
                        .any(|x| tpl.resolve(x).is_some_and(|x| is_data_action(service, &x)))
                }))
            && !s
                .get("Condition")
                .is_some_and(|c| condition_restricts(tpl, c))
    })
}

// ---------------------------------------------------------------------------
// Security groups

#[derive(Debug, Clone, Copy)]
enum PortRange {
    All,
    Range(i64, i64),
}

impl PortRange {
    fn covers(self, port: u16) -> bool {
        match self {
            PortRange::All => true,
            PortRange::Range(a, b) => (a..=b).contains(&i64::from(port)),
        }
    }

    fn describe(self) -> String {
        match self {
            PortRange::All => "all ports and protocols".into(),
            PortRange::Range(a, b) if a == b => format!("port {a}"),
            PortRange::Range(a, b) => format!("ports {a}-{b}"),
        }
    }
}

/// An ingress rule open to the whole internet: its ports and source.
fn open_ingress(tpl: &Template, rule: &Node) -> Option<(PortRange, String)> {
    if !rule.is_map() {
        return None;
    }
    let source = ["CidrIp", "CidrIpv6", "CIDRIP"]
        .iter()
        .filter_map(|k| rule.get(k))
        .filter_map(|v| tpl.resolve(v))
        .find(|s| is_open_cidr(s))?;
    // RDS DB security groups (`CIDRIP`) carry no ports: all of the DB's.
    let Some(proto) = rule.get("IpProtocol") else {
        return rule.get("CIDRIP").map(|_| (PortRange::All, source));
    };
    let proto = tpl.resolve(proto)?.trim().to_ascii_lowercase();
    match proto.as_str() {
        "-1" | "all" => Some((PortRange::All, source)),
        "tcp" | "6" => {
            let from = tpl.resolve_int(rule.get("FromPort")?)?;
            let to = tpl.resolve_int(rule.get("ToPort")?)?;
            if from == -1 && to == -1 {
                return Some((PortRange::All, source));
            }
            (from >= 0 && to >= from).then_some((PortRange::Range(from, to), source))
        }
        _ => None,
    }
}

struct Ingress<'a> {
    /// The security group's logical id, when it is in this template.
    group: Option<&'a str>,
    span: Span,
    ports: PortRange,
    source: String,
}

fn collect_ingress<'a>(tpl: &Template, resources: &[Res<'a>]) -> Vec<Ingress<'a>> {
    let mut out = Vec::new();
    for r in resources {
        match r.ty {
            "AWS::EC2::SecurityGroup" | "AWS::RDS::DBSecurityGroup" => {
                let prop = if r.ty == "AWS::EC2::SecurityGroup" {
                    "SecurityGroupIngress"
                } else {
                    "DBSecurityGroupIngress"
                };
                let Some((_, rules)) = r.prop(prop) else {
                    continue;
                };
                for rule in items(rules) {
                    if let Some((ports, source)) = open_ingress(tpl, rule) {
                        out.push(Ingress {
                            group: Some(r.id),
                            span: rule.span,
                            ports,
                            source,
                        });
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::RDS::DBSecurityGroupIngress" => {
                let Some(props) = r.props() else { continue };
                if let Some((ports, source)) = open_ingress(tpl, props) {
                    let group = ["GroupId", "GroupName", "DBSecurityGroupName"]
                        .iter()
                        .filter_map(|k| props.get(k))
                        .find_map(ref_target);
                    out.push(Ingress {
                        group,
                        span: r.span(),
                        ports,
                        source,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

fn store_groups<'a>(store: &Store<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for path in SG_PROPS {
        if let Some(v) = store.res.prop_path(path) {
            for item in items(v) {
                if let Some(t) = ref_target(item) {
                    out.push(t);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------

pub fn analyze(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    for doc in docs {
        if let Some(resources) = doc.get("Resources") {
            analyze_template(doc, resources, ctx, out);
        }
    }
}

fn password_gap(
    tpl: &Template,
    ctx: &Ctx,
    store: &Store,
    key: &Node,
    value: &Node,
    what: &str,
    out: &mut FileFacts,
) {
    let Some(pw) = tpl.resolve(value) else {
        return;
    };
    if pw.contains("{{resolve:") {
        return;
    }
    let (how, detail) = if pw.is_empty() {
        ("empty-password", format!("`{what}` is empty"))
    } else if ctx.vocab.catalogue.is_weak_password(&pw) {
        (
            "default-password",
            format!("`{what}` is the well-known password `{pw}`"),
        )
    } else {
        return;
    };
    out.push(setting_span(key, value), auth_gap(store, how, detail));
}

// ---------------------------------------------------------------------------
// Environment variables of functions and containers

/// Where a resource type lists `{Name, Value}` environment entries: paths
/// from `Properties` to a list of containers (empty: the properties
/// themselves), then from a container to its list of entries.
const ENV_LISTS: &[(&str, &[&str], &[&str])] = &[
    (
        "AWS::ECS::TaskDefinition",
        &["ContainerDefinitions"],
        &["Environment"],
    ),
    (
        "AWS::Batch::JobDefinition",
        &[],
        &["ContainerProperties", "Environment"],
    ),
    (
        "AWS::Batch::JobDefinition",
        &["EcsProperties", "TaskProperties", "Containers"],
        &["Environment"],
    ),
    (
        "AWS::AppRunner::Service",
        &[],
        &[
            "SourceConfiguration",
            "ImageRepository",
            "ImageConfiguration",
            "RuntimeEnvironmentVariables",
        ],
    ),
    (
        "AWS::AppRunner::Service",
        &[],
        &[
            "SourceConfiguration",
            "CodeRepository",
            "CodeConfiguration",
            "CodeConfigurationValues",
            "RuntimeEnvironmentVariables",
        ],
    ),
];

fn env_fact(
    tpl: &Template,
    scope: &str,
    name: &str,
    value: &Node,
    span: Span,
    out: &mut FileFacts,
) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    if let Some(value) = tpl.env_text(value) {
        out.push(
            span,
            FactData::EnvValue(EnvValue {
                scope: Some(scope.to_string()),
                name: name.to_string(),
                value,
            }),
        );
    }
}

/// `Variables: {NAME: value}` maps (Lambda, SAM functions and globals).
fn env_map(tpl: &Template, scope: &str, vars: &Node, out: &mut FileFacts) {
    for (name, k, v) in vars.entries() {
        env_fact(tpl, scope, name, v, super::container::entry_span(k, v), out);
    }
}

/// `[{Name: NAME, Value: value}]` lists (ECS, Batch, App Runner).
fn env_list(tpl: &Template, scope: &str, list: &Node, out: &mut FileFacts) {
    for item in list.as_seq().unwrap_or_default() {
        let (Some(name), Some(value)) = (
            item.get("Name").and_then(|n| tpl.resolve(n)),
            item.get("Value"),
        ) else {
            continue;
        };
        env_fact(tpl, scope, &name, value, item.span, out);
    }
}

fn analyze_env(tpl: &Template, doc: &Node, all: &[Res], out: &mut FileFacts) {
    if let Some(vars) = doc.path(&["Globals", "Function", "Environment", "Variables"]) {
        env_map(tpl, "Globals", vars, out);
    }
    for r in all {
        if matches!(r.ty, "AWS::Lambda::Function" | "AWS::Serverless::Function")
            && let Some(vars) = r.prop_path(&["Environment", "Variables"])
        {
            env_map(tpl, r.id, vars, out);
        }
        for (ty, to_containers, to_list) in ENV_LISTS {
            if r.ty != *ty {
                continue;
            }
            let Some(props) = r.props() else {
                continue;
            };
            if to_containers.is_empty() {
                if let Some(list) = props.path(to_list) {
                    env_list(tpl, r.id, list, out);
                }
                continue;
            }
            let Some(containers) = props.path(to_containers).and_then(Node::as_seq) else {
                continue;
            };
            for c in containers {
                let scope = c
                    .get("Name")
                    .and_then(|n| tpl.resolve(n))
                    .map_or_else(|| r.id.to_string(), |n| format!("{}/{n}", r.id));
                if let Some(list) = c.path(to_list) {
                    env_list(tpl, &scope, list, out);
                }
            }
        }
        // Elastic Beanstalk: option settings of the application namespace.
        if matches!(
            r.ty,
            "AWS::ElasticBeanstalk::Environment" | "AWS::ElasticBeanstalk::ConfigurationTemplate"
        ) && let Some(opts) = r.prop("OptionSettings").and_then(|(_, v)| v.as_seq())
        {
            for o in opts {
                let ns = o.get("Namespace").and_then(|n| tpl.resolve(n));
                if ns.as_deref().map(str::trim)
                    != Some("aws:elasticbeanstalk:application:environment")
                {
                    continue;
                }
                if let (Some(name), Some(value)) = (
                    o.get("OptionName").and_then(|n| tpl.resolve(n)),
                    o.get("Value"),
                ) {
                    env_fact(tpl, r.id, &name, value, o.span, out);
                }
            }
        }
    }
}

fn analyze_template(doc: &Node, resources: &Node, ctx: &Ctx, out: &mut FileFacts) {
    let tpl = Template::new(doc);
    let mut all: Vec<Res> = Vec::new();
    let mut stores: Vec<Store> = Vec::new();
    for (id, key, body) in resources.entries() {
        let Some(ty) = body.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let res = Res { id, key, body, ty };
        if let Some(store) = classify(&tpl, Res { id, key, body, ty }) {
            stores.push(store);
        }
        all.push(res);
    }
    analyze_env(&tpl, doc, &all, out);

    // Datastores.
    for s in &stores {
        let mut hostnames = vec![s.res.id.to_string()];
        for p in NAME_PROPS {
            if let Some(name) = s.res.prop(p).and_then(|(_, v)| tpl.resolve(v))
                && !name.is_empty()
                && !hostnames.contains(&name)
            {
                hostnames.push(name);
            }
        }
        out.push(
            s.res.span(),
            FactData::Datastore(Datastore {
                key: s.key.clone(),
                engine: s.engine.clone(),
                name: s.res.id.to_string(),
                source: Source::Cloudformation,
                hostnames,
            }),
        );
    }

    // Public endpoints.
    for s in &stores {
        if let Some((k, v)) = s.res.prop("PubliclyAccessible")
            && tpl.resolve_bool(v) == Some(true)
        {
            out.push(
                setting_span(k, v),
                exposure(
                    s,
                    "publicly-accessible",
                    format!(
                        "the {} has `PubliclyAccessible: true`, a public endpoint",
                        s.what
                    ),
                ),
            );
        }
    }

    // Security groups open to the internet on a datastore port.
    let mut users: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in stores.iter().enumerate() {
        for g in store_groups(s) {
            let v = users.entry(g).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    for ing in collect_ingress(&tpl, &all) {
        let group_name = ing.group.unwrap_or("(unnamed group)");
        let using = ing.group.and_then(|g| users.get(g));
        match using {
            Some(idx) => {
                for &i in idx {
                    let s = &stores[i];
                    let Some(port) = s.ports.iter().copied().find(|p| ing.ports.covers(*p)) else {
                        continue;
                    };
                    let reach = match ing.ports {
                        PortRange::Range(a, b) if a == b => format!("port {port}"),
                        other => format!("{} (including {port})", other.describe()),
                    };
                    out.push(
                        ing.span,
                        exposure(
                            s,
                            "open-security-group",
                            format!(
                                "security group `{group_name}` allows {reach} from `{}`",
                                ing.source
                            ),
                        ),
                    );
                }
            }
            None => {
                let PortRange::Range(a, b) = ing.ports else {
                    continue;
                };
                if a != b {
                    continue;
                }
                let Some(&(port, engine)) = GUESS_PORTS.iter().find(|(p, _)| i64::from(*p) == a)
                else {
                    continue;
                };
                out.push(
                    ing.span,
                    FactData::Exposure(Exposure {
                        datastore: None,
                        engine: engine.into(),
                        store_name: group_name.to_string(),
                        source: Source::Cloudformation,
                        how: "open-security-group".into(),
                        detail: format!(
                            "security group `{group_name}` allows port {port} ({engine}) from `{}`",
                            ing.source
                        ),
                    }),
                );
            }
        }
    }

    // Buckets: public ACLs and public bucket policies.
    let mut bucket_blocks: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
    for (i, s) in stores.iter().enumerate() {
        if s.res.ty != "AWS::S3::Bucket" {
            continue;
        }
        let pab = s.res.prop("PublicAccessBlockConfiguration").map(|(_, v)| v);
        // A present flag that is not literally false blocks (precision first).
        let blocks = |name: &str| {
            pab.and_then(|p| p.get(name))
                .is_some_and(|v| tpl.resolve_bool(v) != Some(false))
        };
        let owner_enforced = s
            .res
            .prop_path(&["OwnershipControls", "Rules"])
            .is_some_and(|rules| {
                items(rules).into_iter().any(|r| {
                    r.get("ObjectOwnership")
                        .and_then(|o| tpl.resolve(o))
                        .is_some_and(|o| o == "BucketOwnerEnforced")
                })
            });
        let acls_blocked =
            blocks("BlockPublicAcls") || blocks("IgnorePublicAcls") || owner_enforced;
        let policy_blocked = blocks("BlockPublicPolicy") || blocks("RestrictPublicBuckets");
        bucket_blocks.insert(i, (acls_blocked, policy_blocked));
        if let Some((k, v)) = s.res.prop("AccessControl")
            && let Some(acl) = tpl.resolve(v)
            && matches!(acl.as_str(), "PublicRead" | "PublicReadWrite")
            && !acls_blocked
        {
            out.push(
                setting_span(k, v),
                exposure(
                    s,
                    "public-bucket",
                    format!("`AccessControl: {acl}` lets anyone on the internet read the objects"),
                ),
            );
        }
    }
    for r in all.iter().filter(|r| r.ty == "AWS::S3::BucketPolicy") {
        let Some(doc) = r.prop("PolicyDocument").map(|(_, v)| v) else {
            continue;
        };
        let Some(stmt) = open_statement(&tpl, doc, Service::S3) else {
            continue;
        };
        let bucket = r.prop("Bucket").map(|(_, v)| v);
        let target = bucket.and_then(|b| {
            let by_ref = ref_target(b);
            let literal = tpl.resolve(b);
            stores.iter().enumerate().find(|(_, s)| {
                s.res.ty == "AWS::S3::Bucket"
                    && (by_ref == Some(s.res.id)
                        || literal.as_deref().is_some_and(|l| {
                            s.res
                                .prop("BucketName")
                                .and_then(|(_, n)| tpl.resolve(n))
                                .is_some_and(|n| n == l)
                        }))
            })
        });
        let span = Span::new(
            r.key.span.line,
            r.key.span.column,
            stmt.span.end_line,
            stmt.span.end_column,
        );
        let detail = "its bucket policy allows `Principal: *` without a restricting condition";
        match target {
            Some((i, s)) => {
                if bucket_blocks.get(&i).is_some_and(|b| b.1) {
                    continue;
                }
                out.push(span, exposure(s, "public-bucket", detail.to_string()));
            }
            None => {
                let name = bucket
                    .and_then(|b| tpl.resolve(b).or_else(|| ref_target(b).map(str::to_string)))
                    .unwrap_or_else(|| r.id.to_string());
                out.push(
                    span,
                    FactData::Exposure(Exposure {
                        datastore: None,
                        engine: "s3".into(),
                        store_name: name,
                        source: Source::Cloudformation,
                        how: "public-bucket".into(),
                        detail: detail.to_string(),
                    }),
                );
            }
        }
    }

    // Search domains: open access policies and fine-grained access control.
    for s in stores.iter().filter(|s| {
        matches!(
            s.res.ty,
            "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain"
        )
    }) {
        let in_vpc = ["VPCOptions", "VpcOptions"]
            .iter()
            .any(|k| s.res.prop(k).is_some_and(|(_, v)| !v.is_null()));
        if in_vpc {
            continue;
        }
        let Some((pk, pv)) = s.res.prop("AccessPolicies") else {
            continue;
        };
        // A policy given as a JSON string is parsed on its own.
        let parsed;
        let policy: &Node = if pv.is_map() {
            pv
        } else if let Some(text) = tpl.resolve(pv) {
            parsed = tree::parse(&text).ok();
            match parsed.as_ref().and_then(|d| d.first()) {
                Some(d) => d,
                None => continue,
            }
        } else {
            continue;
        };
        if open_statement(&tpl, policy, Service::Search).is_none() {
            continue;
        }
        out.push(
            setting_span(pk, pv),
            exposure(
                s,
                "open-access-policy",
                "its access policy allows `Principal: *` without a restricting condition and it is not in a VPC".into(),
            ),
        );
        let fgac = s.res.prop("AdvancedSecurityOptions").map(|(_, v)| v);
        match fgac.and_then(|a| a.get_entry("Enabled")) {
            Some((k, v)) => {
                if tpl.resolve_bool(v) == Some(false) {
                    out.push(
                        setting_span(k, v),
                        auth_gap(
                            s,
                            "fgac-disabled",
                            "fine-grained access control is disabled and the access policy is open to everyone".into(),
                        ),
                    );
                }
            }
            None => out.push(
                s.res.span(),
                auth_gap(
                    s,
                    "fgac-disabled",
                    "fine-grained access control is not enabled and the access policy is open to everyone".into(),
                ),
            ),
        }
    }

    // Caches without authentication.
    for s in &stores {
        match s.res.ty {
            "AWS::ElastiCache::ReplicationGroup" | "AWS::ElastiCache::CacheCluster" => {
                if !matches!(s.engine.as_str(), "redis" | "valkey") {
                    continue;
                }
                // Members of a global datastore or replication group inherit
                // its authentication.
                let inherited = ["GlobalReplicationGroupId", "PrimaryClusterId"]
                    .iter()
                    .any(|p| s.res.prop(p).is_some())
                    || (s.res.ty == "AWS::ElastiCache::CacheCluster"
                        && s.res.prop("ReplicationGroupId").is_some());
                if inherited {
                    continue;
                }
                let has_users = s
                    .res
                    .prop("UserGroupIds")
                    .is_some_and(|(_, v)| !v.is_null() && !items(v).is_empty());
                match s.res.prop("AuthToken") {
                    Some((k, v)) => password_gap(&tpl, ctx, s, k, v, "AuthToken", out),
                    None if !has_users => out.push(
                        s.res.span(),
                        auth_gap(
                            s,
                            "no-auth-token",
                            format!(
                                "the {} has no `AuthToken` or user group, so any client that reaches it can read and write",
                                s.what
                            ),
                        ),
                    ),
                    None => {}
                }
            }
            "AWS::MemoryDB::Cluster" => {
                if let Some((k, v)) = s.res.prop("ACLName")
                    && tpl.resolve(v).is_some_and(|a| a == "open-access")
                {
                    out.push(
                        setting_span(k, v),
                        auth_gap(
                            s,
                            "open-access-acl",
                            "`ACLName: open-access` lets any client connect without a password"
                                .into(),
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    // Committed master passwords that are empty or well known.
    for s in &stores {
        if let Some((k, v)) = s.res.prop("MasterUserPassword") {
            password_gap(&tpl, ctx, s, k, v, "MasterUserPassword", out);
        }
        if let Some(opts) = s
            .res
            .prop_path(&["AdvancedSecurityOptions", "MasterUserOptions"])
            && let Some((k, v)) = opts.get_entry("MasterUserPassword")
        {
            password_gap(&tpl, ctx, s, k, v, "MasterUserPassword", out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_cidrs() {
        assert!(is_open_cidr("0.0.0.0/0"));
        assert!(is_open_cidr("::/0"));
        assert!(!is_open_cidr("10.0.0.0/8"));
        assert!(!is_open_cidr("0.0.0.0/1"));
    }

    #[test]
    fn search_actions() {
        assert!(is_data_action(Service::Search, "es:ESHttpGet"));
        assert!(is_data_action(Service::Search, "es:ESHttp*"));
        assert!(is_data_action(Service::Search, "es:*"));
        assert!(!is_data_action(Service::Search, "es:DescribeDomain"));
        assert!(is_data_action(Service::S3, "s3:GetObject"));
        assert!(!is_data_action(Service::S3, "s3:GetBucketLocation"));
    }
}
