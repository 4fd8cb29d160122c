//! Linking: the one stage that sees every file's facts at once. It groups
//! datastore declarations into logical stores, resolves which store each
//! contact field is written to (connection strings, environment values,
//! init-script mounts, store writes, or — when the repository holds exactly
//! one candidate — inference), and raises an [`ExposedStore`] fact for every
//! store that holds contact data and is reachable and/or unauthenticated.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::ScannedFile;
use crate::facts::{
    ChainLink, ContactField, DataKind, ExposedStore, Fact, FactData, FieldOrigin, Source,
};
use crate::paths::{ancestors, dir_of};
use crate::span::Span;
use crate::vocab::Vocabulary;

/// A datastore declaration somewhere in the repository.
struct Store<'a> {
    path: &'a str,
    /// `path`'s folder, compared pairwise among stores sharing a host name.
    folder: &'a str,
    key: &'a str,
    engine: &'a str,
    family: String,
    name: &'a str,
    source: Source,
    hostnames: BTreeSet<String>,
    span: Span,
}

struct Located<'a, T> {
    path: &'a str,
    span: Span,
    fact: &'a T,
}

impl<'a, T> Located<'a, T> {
    fn at((path, span): (&'a str, Span), fact: &'a T) -> Self {
        Located { path, span, fact }
    }
}

/// The engine family, from the catalogue or, for managed cloud engines,
/// from the engine id's shape.
pub fn family_of(engine: &str, vocab: &Vocabulary) -> String {
    if let Some(e) = vocab.catalogue.engine(engine) {
        return e.family.clone();
    }
    let e = engine.to_ascii_lowercase();
    let family = if e.contains("postgres")
        || e.contains("mysql")
        || e.contains("mariadb")
        || e.contains("aurora")
        || e == "sqlite"
        || e.contains("oracle")
        || e.contains("sqlserver")
        || e == "rds"
    {
        "relational"
    } else if e.contains("redshift") {
        "analytical"
    } else if e.contains("opensearch") || e.contains("elasticsearch") {
        "search"
    } else if e.contains("docdb")
        || e.contains("documentdb")
        || e.contains("mongo")
        || e.contains("dynamodb")
    {
        "document"
    } else if e.contains("redis")
        || e.contains("memcache")
        || e.contains("memorydb")
        || e.contains("elasticache")
        || e.contains("valkey")
    {
        "key-value"
    } else if e.contains("s3") || e.contains("bucket") {
        "object"
    } else if e.contains("neptune") {
        "graph"
    } else {
        "other"
    };
    family.to_string()
}

/// The host of a URL-ish string (`scheme://user:pw@host:port/db` -> host).
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    // The first of a host list (`mongodb://a:1,b:2`).
    let hostport = hostport.split(',').next()?;
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        hostport.split(':').next()?
    };
    let host = host.trim().to_ascii_lowercase();
    if host.is_empty() || host.contains('$') || host.contains('{') {
        None
    } else {
        Some(host)
    }
}

/// The host an environment value points the application at: a URL's (or a
/// bare host's) host, or for a CloudFormation endpoint reference
/// (`${Db.Endpoint.Address}`, `https://${Search.DomainEndpoint}`) `${db}`,
/// the name under which the store with that logical id is indexed.
fn env_host(value: &str) -> Option<String> {
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let Some(inner) = host.trim().strip_prefix("${") else {
        return url_host(value);
    };
    let (id, attr) = inner.split('}').next()?.split_once('.')?;
    let attr = attr.to_ascii_lowercase();
    let last = attr.rsplit('.').next().unwrap_or_default();
    let endpoint = (attr.contains("endpoint") && !matches!(last, "port" | "ports"))
        || matches!(attr.as_str(), "domainname" | "regionaldomainname");
    (endpoint && !id.trim().is_empty()).then(|| format!("${{{}}}", id.trim().to_ascii_lowercase()))
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut c = i;
        while self.0[c] != r {
            let next = self.0[c];
            self.0[c] = r;
            c = next;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Joins a folder and a relative path lexically (`a/b` + `./c/../d`).
fn join(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') || base.is_empty() || base == "." {
        Vec::new()
    } else {
        base.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect()
    };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Stores a connection reaches, the links that show it, and words naming it
/// (for matching a connection to what the code stores).
type ConnHit = (Vec<usize>, Vec<ChainLink>, Vec<String>);

/// What an exposure or an auth gap says of the datastore it concerns.
struct StoreRef<'a> {
    datastore: Option<&'a str>,
    engine: &'a str,
    source: Source,
    name: &'a str,
}

macro_rules! store_ref {
    ($($t:ty),*) => {$(
        impl $t {
            fn store_ref(&self) -> StoreRef<'_> {
                StoreRef {
                    datastore: self.datastore.as_deref(),
                    engine: &self.engine,
                    source: self.source,
                    name: &self.store_name,
                }
            }
        }
    )*};
}
store_ref!(crate::facts::Exposure, crate::facts::AuthGap);

/// The one logical store a field can only be in, and the deployed values
/// that single it out.
type Inferred = (usize, Vec<ChainLink>);

/// Where the linker looks for a field's store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Want {
    Family(String),
    Engine(String),
}

/// Where one stored contact field lives, for the auditor's data inventory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Placement {
    pub path: String,
    pub span: Span,
    pub container: String,
    pub name: String,
    pub kind: DataKind,
    pub origin: FieldOrigin,
    /// The engine and name of the store it resolves to, if any.
    pub engine: Option<String>,
    pub store: Option<String>,
    pub reachable: bool,
    pub unauthenticated: bool,
    /// The store was inferred (the only candidate), not referenced.
    pub inferred: bool,
}

/// What linking produced: chain facts (with the path they sit at) and the
/// placement of every contact field.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    pub chains: Vec<(String, Fact)>,
    pub placements: Vec<Placement>,
}

pub fn link(files: &[ScannedFile], vocab: &Vocabulary) -> Linked {
    let mut stores: Vec<Store> = Vec::new();
    let mut fields: Vec<Located<ContactField>> = Vec::new();
    let mut exposures = Vec::new();
    let mut gaps = Vec::new();
    let mut writes = Vec::new();
    let mut connections = Vec::new();
    let mut env_values = Vec::new();
    let mut init_scripts = Vec::new();

    for f in files {
        for fact in &f.facts.facts {
            let at = (f.path.as_str(), fact.span);
            match &fact.data {
                FactData::Datastore(d) => {
                    let mut hostnames: BTreeSet<String> =
                        d.hostnames.iter().map(|h| h.to_ascii_lowercase()).collect();
                    hostnames.insert(d.name.to_ascii_lowercase());
                    if d.source == Source::Cloudformation {
                        // What `env_host` makes of `${Id.Endpoint…}`.
                        hostnames.insert(format!("${{{}}}", d.name.to_ascii_lowercase()));
                    }
                    stores.push(Store {
                        path: &f.path,
                        folder: dir_of(&f.path),
                        key: &d.key,
                        engine: &d.engine,
                        family: family_of(&d.engine, vocab),
                        name: &d.name,
                        source: d.source,
                        hostnames,
                        span: fact.span,
                    });
                }
                FactData::ContactField(c) if c.kind != DataKind::DateOfBirth => {
                    fields.push(Located::at(at, c))
                }
                FactData::Exposure(e) => exposures.push(Located::at(at, e)),
                FactData::AuthGap(g) => gaps.push(Located::at(at, g)),
                FactData::StoreWrite(w) => writes.push(Located::at(at, w)),
                FactData::Connection(c) => connections.push(Located::at(at, c)),
                FactData::EnvValue(e) => env_values.push(Located::at(at, e)),
                FactData::InitScripts(i) => init_scripts.push(Located::at(at, i)),
                _ => {}
            }
        }
    }
    let unplaced = |fields: &[Located<ContactField>]| -> Vec<Placement> {
        fields
            .iter()
            .map(|f| Placement {
                path: f.path.to_string(),
                span: f.span,
                container: f.fact.container.clone(),
                name: f.fact.name.clone(),
                kind: f.fact.kind,
                origin: f.fact.origin,
                engine: None,
                store: None,
                reachable: false,
                unauthenticated: false,
                inferred: false,
            })
            .collect()
    };
    if stores.is_empty() || fields.is_empty() {
        return Linked {
            chains: Vec::new(),
            placements: unplaced(&fields),
        };
    }

    // Logical stores: the same store reached by a shared hostname, or the
    // one store of an engine in each deployment kind (compose for
    // development, Kubernetes or CloudFormation for production).
    let mut host_index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in stores.iter().enumerate() {
        for h in &s.hostnames {
            host_index.entry(h.as_str()).or_default().push(i);
        }
    }
    // A hostname names one store only within its deployment: two compose
    // projects may both call their database `db`. The same name in another
    // kind of deployment (compose for development, Kubernetes for
    // production) is the same logical store.
    let same_scope = |a: &Store, b: &Store| a.source != b.source || a.folder == b.folder;
    let mut uf = UnionFind((0..stores.len()).collect());
    for bucket in host_index.values() {
        for &i in bucket {
            let a = &stores[i];
            if a.family == "console" {
                continue;
            }
            let peers: Vec<usize> = bucket
                .iter()
                .copied()
                .filter(|&j| j != i && stores[j].family == a.family && same_scope(a, &stores[j]))
                .collect();
            for j in nearest_unambiguous(peers, a.path, |&j| stores[j].path, |&j| [j]) {
                uf.union(i, j);
            }
        }
    }
    let mut per_source_engine: BTreeMap<(String, Source), Vec<usize>> = BTreeMap::new();
    for (i, s) in stores.iter().enumerate() {
        let engine_key = if s.family == "relational" {
            s.engine.to_string()
        } else {
            s.family.clone()
        };
        per_source_engine
            .entry((engine_key, s.source))
            .or_default()
            .push(i);
    }
    let mut singles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for ((engine, _), idx) in &per_source_engine {
        if idx.len() == 1 {
            singles.entry(engine.clone()).or_default().push(idx[0]);
        }
    }
    for idx in singles.values() {
        for w in idx.windows(2) {
            if stores[w[0]].family != "console" {
                uf.union(w[0], w[1]);
            }
        }
    }
    let group_of: Vec<usize> = (0..stores.len()).map(|i| uf.find(i)).collect();
    // Stores a host name reaches; a Kubernetes DNS name (`es.search.svc`)
    // also by its first label.
    let by_host = |host: &str| -> Vec<usize> {
        let mut out: Vec<usize> = host_index.get(host).cloned().unwrap_or_default();
        if let Some(first) = host.split('.').next()
            && first != host
            && let Some(more) = host_index.get(first)
        {
            out.extend(
                more.iter()
                    .filter(|&&i| stores[i].source == Source::Kubernetes),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    // The stores of a kind (`kind` names what `keep` accepts) that a host
    // name means when used in the file `from`. Every file of a folder gets
    // the same answer, and a monorepo's folders ask it thousands of times.
    let near_memo: RefCell<HashMap<(String, String, String), Vec<usize>>> =
        RefCell::new(HashMap::new());
    // The stores of a host and kind, indexed by folder, built once.
    type Hits<'s> = std::rc::Rc<(Vec<usize>, NearIndex<'s>)>;
    let hits_memo: RefCell<HashMap<(String, String), Hits>> = RefCell::new(HashMap::new());
    let near_host = |host: &str, kind: &str, keep: &dyn Fn(&Store) -> bool, from: &str| {
        let key = (host.to_string(), kind.to_string(), dir_of(from).to_string());
        if let Some(v) = near_memo.borrow().get(&key) {
            return v.clone();
        }
        let hits = hits_memo
            .borrow_mut()
            .entry((key.0.clone(), key.1.clone()))
            .or_insert_with(|| {
                let hit: Vec<usize> = by_host(host)
                    .into_iter()
                    .filter(|&i| keep(&stores[i]))
                    .collect();
                let index = NearIndex::new(hit.iter().map(|&i| stores[i].path));
                std::rc::Rc::new((hit, index))
            })
            .clone();
        let near: Vec<usize> = hits
            .1
            .nearest(from)
            .into_iter()
            .map(|k| hits.0[k])
            .collect();
        let v = unambiguous(near, from, |&i| stores[i].path, |&i| [group_of[i]]);
        near_memo.borrow_mut().insert(key, v.clone());
        v
    };
    // Engine families, looked up once per engine id (the per-field loops
    // below ask for them millions of times on a large repository).
    let families: HashMap<String, String> = stores
        .iter()
        .map(|s| s.engine)
        .chain(connections.iter().map(|c| c.fact.engine.as_str()))
        .chain(writes.iter().map(|w| w.fact.engine.as_str()))
        .chain(fields.iter().filter_map(|f| f.fact.store_engine.as_deref()))
        .map(|e| (e.to_string(), family_of(e, vocab)))
        .collect();
    // Every engine id met above is in the map.
    let fam = |e: &str| -> &str { families.get(e).map_or("other", String::as_str) };
    let matches_want = |s: &Store, want: &Want| match want {
        Want::Family(f) => s.family == *f,
        Want::Engine(e) => s.engine == e || s.family == "search" && fam(e) == s.family,
    };
    let mut env_by_name: HashMap<&str, Vec<&Located<crate::facts::EnvValue>>> = HashMap::new();
    for e in &env_values {
        env_by_name.entry(e.fact.name.as_str()).or_default().push(e);
    }
    let env_urls = |name: &str| -> Vec<&Located<crate::facts::EnvValue>> {
        env_by_name.get(name).cloned().unwrap_or_default()
    };
    // Relational URLs set in deployments (DATABASE_URL=postgres://…@db/…),
    // resolved once for every field.
    let relational_env: Vec<(Vec<usize>, ChainLink)> = env_values
        .iter()
        .filter_map(|ev| {
            let v = &ev.fact.value;
            let (scheme, _) = v.split_once("://")?;
            let engine = vocab.catalogue.engine_for_scheme(scheme)?;
            if engine.family != "relational" {
                return None;
            }
            let h = env_host(v)?;
            // Two services may both call their database `db`: the value
            // points at the one deployed nearest to where it is set.
            let hit = near_host(&h, "relational", &|s| s.family == "relational", ev.path);
            (!hit.is_empty()).then(|| {
                (
                    hit,
                    ChainLink {
                        path: ev.path.to_string(),
                        span: ev.span,
                        message: format!(
                            "`{}` points the application at `{}`",
                            ev.fact.name,
                            if h.starts_with('$') {
                                mask(v)
                            } else {
                                h.clone()
                            }
                        ),
                    },
                )
            })
        })
        .collect();

    // What a connection reaches for a kind of store: the stores its host
    // names, directly or through the deployed value of its variable.
    let resolve_conn = |conn: &Located<crate::facts::Connection>, want: &Want| -> Vec<ConnHit> {
        let mut resolved: Vec<ConnHit> = Vec::new();
        let want_key = format!("{want:?}");
        let mut hosts: Vec<(String, Option<ChainLink>, String)> = Vec::new();
        if let Some(h) = &conn.fact.host {
            hosts.push((h.to_ascii_lowercase(), None, conn.fact.target.clone()));
        }
        if let Some(var) = &conn.fact.env_var {
            let reach = |ev: &&Located<crate::facts::EnvValue>| -> Vec<usize> {
                env_host(&ev.fact.value)
                    .map(|h| {
                        near_host(&h, &want_key, &|s| matches_want(s, want), ev.path)
                            .into_iter()
                            .map(|i| group_of[i])
                            .collect()
                    })
                    .unwrap_or_default()
            };
            for ev in nearest_unambiguous(env_urls(var), conn.path, |e| e.path, reach) {
                if let Some(h) = env_host(&ev.fact.value) {
                    hosts.push((
                        h,
                        Some(ChainLink {
                            path: ev.path.to_string(),
                            span: ev.span,
                            message: format!("`{var}` is set to `{}`", mask(&ev.fact.value)),
                        }),
                        format!("{var} {}", url_path(&ev.fact.value)),
                    ));
                }
            }
        }
        for (host, via, words) in hosts {
            let from = via.as_ref().map_or(conn.path, |v| v.path.as_str());
            let hit = near_host(&host, &want_key, &|s| matches_want(s, want), from);
            if hit.is_empty() {
                continue;
            }
            let mut l = vec![ChainLink {
                path: conn.path.to_string(),
                span: conn.span,
                message: format!(
                    "the code connects to {} at `{}`",
                    conn.fact.engine, conn.fact.target
                ),
            }];
            l.extend(via);
            let names: Vec<&str> = hit.iter().map(|&i| stores[i].name).collect();
            let words = format!("{words} {host} {}", names.join(" "));
            resolved.push((hit, l, crate::vocab::tokenize(&words)));
        }
        resolved
    };

    // Deployed URLs and the stores their hosts name, once for all fields.
    // Each host once: thousands of services point at a host named `db`.
    let mut host_hits: HashMap<String, Vec<usize>> = HashMap::new();
    let pointing: Vec<(&Located<crate::facts::EnvValue>, String)> = env_values
        .iter()
        .filter_map(|ev| {
            let h = url_host(&ev.fact.value)?;
            let hit = host_hits.entry(h.clone()).or_insert_with(|| by_host(&h));
            (!hit.is_empty()).then_some((ev, h))
        })
        .collect();
    let mut members_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &g) in group_of.iter().enumerate() {
        members_of.entry(g).or_default().push(i);
    }
    let members_of_group = |g: usize| members_of.get(&g).into_iter().flatten().copied();
    // Indirect evidence, which depends on the kind of store wanted and the
    // SQL dialect only: exactly one logical store can hold the field.
    let infer = |want: &Want, dialect: Option<&str>| -> Option<Inferred> {
        let groups: BTreeSet<usize> = stores
            .iter()
            .enumerate()
            .filter(|(_, s)| matches_want(s, want) && s.family != "console")
            .map(|(i, _)| group_of[i])
            .collect();
        // Several relational stores: a dialect the SQL makes clear
        // (MySQL backticks, SQLite AUTOINCREMENT) narrows the choice.
        let groups = match dialect {
            Some(dialect) if groups.len() > 1 => {
                let narrowed: BTreeSet<usize> = groups
                    .iter()
                    .copied()
                    .filter(|&g| {
                        members_of_group(g).any(|i| same_dialect(dialect, stores[i].engine))
                    })
                    .collect();
                if narrowed.is_empty() {
                    groups
                } else {
                    narrowed
                }
            }
            _ => groups,
        };
        if groups.len() == 1 {
            return groups.first().map(|&g| (g, Vec::new()));
        }
        // Several candidates: the one the deployments point their
        // applications at (`ELASTIC_URL=http://es-hot:9200`) narrows it.
        // The groups pointed at, host by host; a second one settles it.
        let points_at = |i: usize| groups.contains(&group_of[i]) && matches_want(&stores[i], want);
        let mut pointed: Option<usize> = None;
        for hit in host_hits.values() {
            for &i in hit {
                if points_at(i) {
                    match pointed {
                        Some(g) if g != group_of[i] => return None,
                        _ => pointed = Some(group_of[i]),
                    }
                }
            }
        }
        let g = pointed?;
        let mut links = Vec::new();
        for (ev, h) in &pointing {
            for &i in host_hits.get(h).into_iter().flatten() {
                if points_at(i) {
                    links.push(ChainLink {
                        path: ev.path.to_string(),
                        span: ev.span,
                        message: format!("`{}` points the application at `{h}`", ev.fact.name),
                    });
                }
            }
        }
        Some((g, links))
    };
    let mut infer_memo: HashMap<(Want, Option<String>), Option<Inferred>> = HashMap::new();

    // Each group's evidence: (group, links) per field.
    let mut group_fields: BTreeMap<usize, Vec<(usize, Vec<ChainLink>, bool)>> = BTreeMap::new();
    let mut writes_of: HashMap<&str, Vec<&Located<crate::facts::StoreWrite>>> = HashMap::new();
    for w in &writes {
        writes_of
            .entry(w.fact.type_name.as_str())
            .or_default()
            .push(w);
    }
    let writes_of = |container: &str| writes_of.get(container).into_iter().flatten().copied();
    // The deployed relational URLs nearest a folder; every field of the
    // folder asks.
    let mut near_relational_env: HashMap<&str, Vec<usize>> = HashMap::new();
    let relational_env_index = NearIndex::new(relational_env.iter().map(|(_, l)| l.path.as_str()));
    // The SQL folders datastore containers run at start, and those stores.
    let init_runs: Vec<(String, Vec<(usize, ChainLink)>)> = init_scripts
        .iter()
        .map(|is| {
            let runs = stores
                .iter()
                .enumerate()
                .filter(|(_, s)| s.path == is.path && s.key == is.fact.datastore)
                .map(|(i, s)| {
                    let link = ChainLink {
                        path: is.path.to_string(),
                        span: is.span,
                        message: format!(
                            "`{}` runs the SQL in `{}` at start",
                            s.name, is.fact.host_path
                        ),
                    };
                    (i, link)
                })
                .collect();
            (join(dir_of(is.path), &is.fact.host_path), runs)
        })
        .collect();
    // The connections of each kind wanted, what each reaches, and where.
    type Candidates<'s> = (Vec<(usize, Vec<ConnHit>)>, NearIndex<'s>);
    let mut want_conns: HashMap<Want, Candidates> = HashMap::new();
    let mut near_conns: HashMap<(&str, Want), Vec<usize>> = HashMap::new();
    for (fi, field) in fields.iter().enumerate() {
        let c = field.fact;
        let want = match (&c.store_engine, &c.store_family, c.origin) {
            (Some(e), _, _) if !matches!(e.as_str(), "postgres" | "mysql" | "sqlite") => {
                Want::Engine(e.clone())
            }
            (_, Some(f), _) => Want::Family(f.clone()),
            (_, None, FieldOrigin::Mapping) => Want::Family("search".into()),
            (_, None, FieldOrigin::RustField) => {
                // A serde model: the engine it is written to.
                match writes_of(&c.container).next() {
                    Some(w) => Want::Engine(w.fact.engine.clone()),
                    None => continue,
                }
            }
            _ => Want::Family("relational".into()),
        };
        let mut links: Vec<ChainLink> = Vec::new();
        let mut targets: BTreeSet<usize> = BTreeSet::new();

        // A struct written by code: follow the write to its connection.
        if c.origin == FieldOrigin::RustField {
            for w in writes_of(&c.container) {
                links.push(ChainLink {
                    path: w.path.to_string(),
                    span: w.span,
                    message: format!(
                        "`{}` values are written to {}{}",
                        w.fact.type_name,
                        w.fact.engine,
                        w.fact
                            .target
                            .as_ref()
                            .map(|t| format!(" `{t}`"))
                            .unwrap_or_default()
                    ),
                });
            }
        }
        // Connections of the wanted engine/family: by host literal or
        // through an environment variable's deployed value. Only those
        // nearest the field speak for it: in a monorepo `services/a`'s
        // migrations are used by `services/a/src`, not by every service that
        // talks to a database of the same engine.
        // The connections of a kind, and what each reaches, are the same
        // for every field that wants that kind.
        let (cands, cand_index) = want_conns.entry(want.clone()).or_insert_with(|| {
            let cands: Vec<(usize, Vec<ConnHit>)> = (0..connections.len())
                .filter(|&ci| {
                    let e = &connections[ci].fact.engine;
                    match &want {
                        Want::Engine(w) => e == w || fam(e) == fam(w),
                        Want::Family(f) => fam(e) == f.as_str(),
                    }
                })
                .map(|ci| (ci, resolve_conn(&connections[ci], &want)))
                .collect();
            let index = NearIndex::new(cands.iter().map(|(ci, _)| connections[*ci].path));
            (cands, index)
        });
        let near = near_conns
            .entry((dir_of(field.path), want.clone()))
            .or_insert_with(|| {
                unambiguous(
                    cand_index.nearest(field.path),
                    field.path,
                    |&k| connections[cands[k].0].path,
                    |&k| {
                        cands[k]
                            .1
                            .iter()
                            .flat_map(|(h, _, _)| h.iter().map(|&i| group_of[i]))
                            .collect::<Vec<usize>>()
                    },
                )
            });
        let mut conn_hits: Vec<ConnHit> = near
            .iter()
            .flat_map(|&k| cands[k].1.iter().cloned())
            .collect();
        // Several stores reached by different connections: keep those whose
        // connection is named like what the code stores (`Pitch` values and
        // `PITCHES_MONGO_URL`), when that singles some out.
        let hit_groups: BTreeSet<usize> = conn_hits
            .iter()
            .flat_map(|(h, _, _)| h.iter().map(|&i| group_of[i]))
            .collect();
        if hit_groups.len() > 1 {
            let mut own: Vec<String> = crate::vocab::tokenize(&c.container);
            for w in writes_of(&c.container) {
                own.extend(w.fact.target.iter().flat_map(|t| crate::vocab::tokenize(t)));
            }
            let scores: Vec<usize> = conn_hits
                .iter()
                .map(|(_, _, words)| affinity(&own, words))
                .collect();
            let best = scores.iter().copied().max().unwrap_or(0);
            if best > 0 {
                let kept: BTreeSet<usize> = conn_hits
                    .iter()
                    .zip(&scores)
                    .filter(|(_, s)| **s == best)
                    .flat_map(|((h, _, _), _)| h.iter().map(|&i| group_of[i]))
                    .collect();
                if kept.len() < hit_groups.len() {
                    let mut i = 0;
                    conn_hits.retain(|_| {
                        i += 1;
                        scores[i - 1] == best
                    });
                }
            }
        }
        for (hit, l, _) in conn_hits {
            links.extend(l);
            targets.extend(hit);
        }
        // Relational variables set in deployments (DATABASE_URL=postgres://…@db/…).
        if matches!(&want, Want::Family(f) if f == "relational") {
            let near = near_relational_env
                .entry(dir_of(field.path))
                .or_insert_with(|| {
                    unambiguous(
                        relational_env_index.nearest(field.path),
                        field.path,
                        |&e| relational_env[e].1.path.as_str(),
                        |&e| {
                            relational_env[e]
                                .0
                                .iter()
                                .map(|&i| group_of[i])
                                .collect::<Vec<usize>>()
                        },
                    )
                });
            for &e in near.iter() {
                let (hit, link) = &relational_env[e];
                links.push(link.clone());
                targets.extend(hit.iter().copied());
            }
            // SQL files a datastore container runs at start.
            if c.origin == FieldOrigin::SqlColumn {
                for (folder, runs) in &init_runs {
                    let inside = folder.is_empty()
                        || field
                            .path
                            .strip_prefix(folder.as_str())
                            .is_some_and(|rest| rest.starts_with('/'));
                    if !inside {
                        continue;
                    }
                    for (i, link) in runs {
                        links.push(link.clone());
                        targets.insert(*i);
                    }
                }
            }
        }
        let mut inferred = false;
        if targets.is_empty()
            && let Some((g, via)) = infer_memo
                .entry((want.clone(), c.store_engine.clone()))
                .or_insert_with(|| infer(&want, c.store_engine.as_deref()))
        {
            for l in via.iter() {
                if !links.iter().any(|x| x.path == l.path && x.span == l.span) {
                    links.push(l.clone());
                }
            }
            targets.extend(members_of_group(*g));
            inferred = true;
        }
        let groups: BTreeSet<usize> = targets.iter().map(|&i| group_of[i]).collect();
        for g in groups {
            group_fields
                .entry(g)
                .or_default()
                .push((fi, links.clone(), inferred));
        }
    }

    // An exposure or gap of a store declared in another file (a Service
    // whose pods live elsewhere) names no datastore: it belongs to the store
    // of its engine and deployment kind that it is named after, or to the
    // only one there is.
    let loose_group = |engine: &str, source: Source, name: &str| -> Option<usize> {
        let name = name.to_ascii_lowercase();
        // The engine may be a guess from the port (9200 is Elasticsearch's
        // and OpenSearch's): compare families.
        let family = family_of(engine, vocab);
        let cands: Vec<usize> = (0..stores.len())
            .filter(|&i| stores[i].family == family && stores[i].source == source)
            .collect();
        let named: BTreeSet<usize> = cands
            .iter()
            .filter(|&&i| {
                let own = stores[i].name.to_ascii_lowercase();
                stores[i].hostnames.contains(&name)
                    || (!own.is_empty() && name.starts_with(&format!("{own}-")))
            })
            .map(|&i| group_of[i])
            .collect();
        if named.len() == 1 {
            return named.first().copied();
        }
        let all: BTreeSet<usize> = cands.iter().map(|&i| group_of[i]).collect();
        (named.is_empty() && all.len() == 1)
            .then(|| all.first().copied())
            .flatten()
    };

    let mut out = Vec::new();
    let mut placements: Vec<Placement> = Vec::new();
    let placed: BTreeSet<usize> = group_fields
        .values()
        .flatten()
        .map(|(fi, _, _)| *fi)
        .collect();
    for (fi, p) in unplaced(&fields).into_iter().enumerate() {
        if !placed.contains(&fi) {
            placements.push(p);
        }
    }
    // Which group each exposure, auth gap and credential-less connection
    // belongs to, worked out once rather than per group.
    let store_group: HashMap<(&str, &str), usize> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.path, s.key), group_of[i]))
        .collect();
    let group_for = |path: &str, r: StoreRef| match r.datastore {
        Some(k) => store_group.get(&(path, k)).copied(),
        None => loose_group(r.engine, r.source, r.name),
    };
    // Exposures and auth gaps name their datastore the same way.
    let exp_group: Vec<Option<usize>> = exposures
        .iter()
        .map(|e| group_for(e.path, e.fact.store_ref()))
        .collect();
    let gap_group: Vec<Option<usize>> = gaps
        .iter()
        .map(|e| group_for(e.path, e.fact.store_ref()))
        .collect();
    let conn_groups: Vec<BTreeSet<usize>> = connections
        .iter()
        .map(|c| {
            if c.fact.has_credentials && !c.fact.weak_credential {
                return BTreeSet::new();
            }
            c.fact
                .host
                .as_deref()
                .map(|h| {
                    near_host(&h.to_ascii_lowercase(), "", &|_| true, c.path)
                        .into_iter()
                        .map(|i| group_of[i])
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    for (g, entries) in group_fields {
        let members: Vec<usize> = members_of.get(&g).cloned().unwrap_or_default();
        let mut exp: Vec<&Located<crate::facts::Exposure>> = exposures
            .iter()
            .zip(&exp_group)
            .filter(|(_, eg)| **eg == Some(g))
            .map(|(e, _)| e)
            .collect();
        let mut gap: Vec<&Located<crate::facts::AuthGap>> = gaps
            .iter()
            .zip(&gap_group)
            .filter(|(_, eg)| **eg == Some(g))
            .map(|(e, _)| e)
            .collect();
        exp.sort_by_key(|e| (e.path, e.span));
        gap.sort_by_key(|e| (e.path, e.span));
        // A credential-less connection to the store shows it is open too.
        let open_conns: Vec<&Located<crate::facts::Connection>> = connections
            .iter()
            .zip(&conn_groups)
            .filter(|(_, cg)| cg.contains(&g))
            .map(|(c, _)| c)
            .collect();
        let reachable = !exp.is_empty();
        let unauthenticated = !gap.is_empty() || !open_conns.is_empty();
        let primary = &stores[members[0]];
        for (fi, _, inferred) in &entries {
            let f = &fields[*fi];
            placements.push(Placement {
                path: f.path.to_string(),
                span: f.span,
                container: f.fact.container.clone(),
                name: f.fact.name.clone(),
                kind: f.fact.kind,
                origin: f.fact.origin,
                engine: Some(primary.engine.to_string()),
                store: Some(primary.name.to_string()),
                reachable,
                unauthenticated,
                inferred: *inferred,
            });
        }
        if !reachable && !unauthenticated {
            continue;
        }
        let store =
            exp.first()
                .and_then(|e| {
                    members
                        .iter()
                        .map(|&i| &stores[i])
                        .find(|s| s.path == e.path && Some(s.key) == e.fact.datastore.as_deref())
                })
                .or_else(|| {
                    gap.first().and_then(|e| {
                        members.iter().map(|&i| &stores[i]).find(|s| {
                            s.path == e.path && Some(s.key) == e.fact.datastore.as_deref()
                        })
                    })
                })
                .unwrap_or(primary);
        let (at_path, at_span) = if let Some(e) = exp.first() {
            (e.path, e.span)
        } else if let Some(e) = gap.first() {
            (e.path, e.span)
        } else {
            (store.path, store.span)
        };

        let mut field_names: Vec<String> = Vec::new();
        let mut links: Vec<ChainLink> = Vec::new();
        let mut inferred_notes: BTreeSet<String> = BTreeSet::new();
        let mut seen_links: BTreeSet<(String, Span)> = BTreeSet::new();
        let mut push = |links: &mut Vec<ChainLink>, l: ChainLink| {
            if seen_links.insert((l.path.clone(), l.span)) {
                links.push(l);
            }
        };
        let mut sorted = entries.clone();
        sorted.sort_by_key(|(fi, _, _)| (fields[*fi].path, fields[*fi].span));
        for (fi, _, inferred) in &sorted {
            let f = &fields[*fi];
            let name = format!("{}.{}", f.fact.container, f.fact.name);
            if !field_names.contains(&name) {
                field_names.push(name.clone());
            }
            push(
                &mut links,
                ChainLink {
                    path: f.path.to_string(),
                    span: f.span,
                    message: format!("`{name}` stores {}", f.fact.kind.describe_plural()),
                },
            );
            if *inferred {
                inferred_notes.insert(format!(
                    "`{}` is linked to {} `{}` because it is the only {} store in the repository",
                    f.fact.container,
                    store.engine,
                    store.name,
                    family_of(store.engine, vocab)
                ));
            }
        }
        for (_, evidence, _) in &sorted {
            for l in evidence {
                push(&mut links, l.clone());
            }
        }
        for &i in &members {
            let s = &stores[i];
            push(
                &mut links,
                ChainLink {
                    path: s.path.to_string(),
                    span: Span::new(s.span.line, s.span.column, s.span.line, s.span.column),
                    message: format!("{} datastore `{}` is declared here", s.engine, s.name),
                },
            );
        }
        for e in &exp {
            push(
                &mut links,
                ChainLink {
                    path: e.path.to_string(),
                    span: e.span,
                    message: format!("reachable: {}", e.fact.detail),
                },
            );
        }
        for e in &gap {
            push(
                &mut links,
                ChainLink {
                    path: e.path.to_string(),
                    span: e.span,
                    message: format!("unauthenticated: {}", e.fact.detail),
                },
            );
        }
        for c in &open_conns {
            push(
                &mut links,
                ChainLink {
                    path: c.path.to_string(),
                    span: c.span,
                    message: format!(
                        "unauthenticated: the code connects to `{}` without credentials",
                        c.fact.target
                    ),
                },
            );
        }
        if field_names.len() > 6 {
            let more = field_names.len() - 5;
            field_names.truncate(5);
            field_names.push(format!("and {more} more"));
        }
        let fields_text = field_names.join(", ");
        let engine_name = vocab
            .catalogue
            .engine(store.engine)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| store.engine.to_string());
        let mut conditions = Vec::new();
        if let Some(e) = exp.first() {
            conditions.push(format!("reachable ({})", e.fact.detail));
        }
        if let Some(g) = gap.first() {
            conditions.push(format!("unauthenticated ({})", g.fact.detail));
        } else if let Some(c) = open_conns.first() {
            conditions.push(format!(
                "unauthenticated (the code connects to `{}` without credentials)",
                c.fact.target
            ));
        }
        let mut others: Vec<String> = members
            .iter()
            .map(|&i| &stores[i])
            .filter(|s| !(s.path == store.path && s.key == store.key))
            .map(|s| format!("`{}` in {}", s.name, s.path))
            .collect();
        others.dedup();
        let also = if others.is_empty() {
            String::new()
        } else {
            format!(" (the same store as {})", others.join(", "))
        };
        let mut summary = format!(
            "{fields_text} stored in {engine_name} `{}`{also}, which is {}",
            store.name,
            conditions.join(" and ")
        );
        if !inferred_notes.is_empty() {
            summary.push_str(&format!(
                "; inferred link: {}",
                inferred_notes
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        out.push((
            at_path.to_string(),
            Fact {
                span: at_span,
                anchor: format!("chain:{}:{}", store.engine, store.name),
                data: FactData::ExposedStore(ExposedStore {
                    engine: store.engine.to_string(),
                    store_name: store.name.to_string(),
                    reachable,
                    unauthenticated,
                    fields: vec![fields_text],
                    exposure: exp.first().map(|e| e.fact.detail.clone()),
                    auth_gap: gap.first().map(|e| e.fact.detail.clone()),
                    links,
                    inferred: inferred_notes.into_iter().collect(),
                    summary,
                }),
            },
        ));
    }
    out.sort_by(|a, b| (&a.0, a.1.span).cmp(&(&b.0, b.1.span)));
    placements.sort_by(|a, b| (&a.path, a.span, &a.store).cmp(&(&b.path, b.span, &b.store)));
    Linked {
        chains: out,
        placements,
    }
}

/// Words too generic to tie a connection to what is stored through it.
const GENERIC_WORDS: &[&str] = &[
    "url",
    "uri",
    "dsn",
    "host",
    "hostname",
    "addr",
    "address",
    "port",
    "db",
    "database",
    "data",
    "store",
    "mongo",
    "mongodb",
    "redis",
    "postgres",
    "postgresql",
    "pg",
    "mysql",
    "sql",
    "elastic",
    "elasticsearch",
    "search",
    "opensearch",
    "es",
    "cache",
    "app",
    "main",
    "primary",
    "default",
    "local",
    "localhost",
    "svc",
    "cluster",
    "internal",
    "server",
    "service",
    "conn",
    "connection",
    "client",
    "auth",
    "source",
    "admin",
    "record",
    "model",
    "entity",
    "doc",
    "document",
    "row",
    "item",
    "com",
    "net",
    "org",
    "io",
];

/// How many of a stored container's name words appear (as a word or a
/// stem of at least four letters) in the words describing a connection.
fn affinity(own: &[String], theirs: &[String]) -> usize {
    let useful = |t: &&String| t.len() >= 3 && !GENERIC_WORDS.contains(&t.as_str());
    own.iter()
        .filter(useful)
        .filter(|o| {
            theirs.iter().filter(useful).any(|t| {
                t == *o
                    || (o.len() >= 4 && t.starts_with(o.as_str()))
                    || (t.len() >= 4 && o.starts_with(t.as_str()))
            })
        })
        .count()
}

/// The path of a URL (`mongodb://h/pitches?x` -> `pitches`).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
    rest.split_once('/')
        .map(|(_, p)| p.split(['?', '#']).next().unwrap_or(""))
        .unwrap_or("")
}

/// The length of the longest common prefix of two byte strings, eight
/// bytes at a time.
fn common_prefix_len(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && a[i..i + 8] == b[i..i + 8] {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// How many leading folders two files share (`a/b/x.rs`, `a/c/y.yml` -> 1;
/// absolute paths alike). Byte comparison, no splitting: the linker asks
/// this millions of times on a large repository.
fn shared_folders(a: &str, b: &str) -> usize {
    let (a, b) = (dir_of(a).as_bytes(), dir_of(b).as_bytes());
    let n = common_prefix_len(a, b);
    let common = &a[..n];
    // Separators inside the common prefix close a shared folder each...
    let mut count = common.iter().filter(|&&c| c == b'/').count();
    // ...and so does its end, when it ends a folder name in both.
    let at_boundary = |s: &[u8]| s.len() == n || s[n] == b'/';
    if n > 0 && common[n - 1] != b'/' && at_boundary(a) && at_boundary(b) {
        count += 1;
    }
    // An absolute path's leading `/` closes no folder.
    if common.first() == Some(&b'/') {
        count -= 1;
    }
    count
}

/// The candidates of a fixed list nearest to a path, as [`nearest`] finds
/// them, answered from the folders that hold candidates instead of by
/// scoring every candidate: a monorepo asks once per folder, and scoring
/// made that quadratic. The nearest candidates are those inside the
/// deepest ancestor of the path's folder that holds any.
struct NearIndex<'a> {
    within: HashMap<&'a str, Vec<usize>>,
}

impl<'a> NearIndex<'a> {
    fn new(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut within: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, p) in paths.into_iter().enumerate() {
            for a in ancestors(dir_of(p)) {
                within.entry(a).or_default().push(k);
            }
        }
        NearIndex { within }
    }

    /// Positions in the list, ascending.
    fn nearest(&self, from: &str) -> Vec<usize> {
        ancestors(dir_of(from))
            .find_map(|a| self.within.get(a))
            .cloned()
            .unwrap_or_default()
    }
}

/// Keeps the candidates declared nearest to `from` in the folder tree: in a
/// monorepo, `services/a/src` reaches `services/a/docker-compose.yml`'s
/// `db`, not `services/b`'s.
fn nearest<'p, T>(items: Vec<T>, from: &str, path_of: impl Fn(&T) -> &'p str) -> Vec<T> {
    // Candidates come in runs from one file, and many files share a
    // folder: score each folder once.
    let mut by_folder: HashMap<&str, usize> = HashMap::new();
    let mut last: Option<(&str, usize)> = None;
    let scores: Vec<usize> = items
        .iter()
        .map(|i| {
            let p = path_of(i);
            if let Some((lp, score)) = last
                && std::ptr::eq(lp, p)
            {
                return score;
            }
            let score = *by_folder
                .entry(dir_of(p))
                .or_insert_with(|| shared_folders(p, from));
            last = Some((p, score));
            score
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    items
        .into_iter()
        .zip(scores)
        .filter_map(|(i, s)| (s == best).then_some(i))
        .collect()
}

/// Keeps the candidates nearest `from` (see [`nearest`]), unless the tie is
/// ambiguous: candidates spread over several sibling subtrees beside
/// `from`'s own (two other services of a monorepo) that lead to different
/// logical stores say nothing about which one `from` uses; then only those
/// in `from`'s folder or above it are kept. A tie within one subtree
/// (`deploy/dev`, `deploy/prod`) or leading to one store stands.
fn nearest_unambiguous<'p, T, G: IntoIterator<Item = usize>>(
    items: Vec<T>,
    from: &str,
    path_of: impl Fn(&T) -> &'p str,
    groups_of: impl Fn(&T) -> G,
) -> Vec<T> {
    let near = nearest(items, from, &path_of);
    unambiguous(near, from, path_of, groups_of)
}

/// The ambiguity test of [`nearest_unambiguous`] on candidates already
/// known to be the nearest to `from`.
fn unambiguous<'p, T, G: IntoIterator<Item = usize>>(
    near: Vec<T>,
    from: &str,
    path_of: impl Fn(&T) -> &'p str,
    groups_of: impl Fn(&T) -> G,
) -> Vec<T> {
    if near.len() < 2 {
        return near;
    }
    let level = shared_folders(path_of(&near[0]), from);
    let from_dir = dir_of(from);
    let on_path = |p: &str| {
        let d = dir_of(p);
        d.is_empty()
            || d == from_dir
            || from_dir.strip_prefix(d).is_some_and(|r| r.starts_with('/'))
    };
    let subtrees: BTreeSet<&str> = near
        .iter()
        .map(&path_of)
        .filter(|p| !on_path(p))
        .filter_map(|p| dir_of(p).split('/').filter(|c| !c.is_empty()).nth(level))
        .collect();
    if subtrees.len() < 2 {
        return near;
    }
    let groups: BTreeSet<usize> = near.iter().flat_map(&groups_of).collect();
    if groups.len() < 2 {
        return near;
    }
    near.into_iter().filter(|i| on_path(path_of(i))).collect()
}

/// Whether SQL written for `dialect` runs on a store of `engine`.
fn same_dialect(dialect: &str, engine: &str) -> bool {
    let kind = |e: &str| {
        let e = e.to_ascii_lowercase();
        if e.contains("postgres") {
            "postgres"
        } else if e.contains("mysql") || e.contains("mariadb") {
            "mysql"
        } else if e.contains("sqlite") {
            "sqlite"
        } else {
            "other"
        }
    };
    kind(dialect) == kind(engine)
}

/// Hides a password in a URL for messages.
fn mask(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            url_host("mongodb://u:p@mongo:27017/db").as_deref(),
            Some("mongo")
        );
        assert_eq!(url_host("http://search:9200").as_deref(), Some("search"));
        assert_eq!(url_host("postgres://app@db/app").as_deref(), Some("db"));
        assert_eq!(url_host("redis://[::1]:6379").as_deref(), Some("::1"));
        assert_eq!(url_host("postgres://u:${P}@${HOST}/x"), None);
    }

    #[test]
    fn connection_affinity() {
        let t = crate::vocab::tokenize;
        let own = t("Pitch");
        assert!(affinity(&own, &t("PITCHES_MONGO_URL pitches pitches-db")) > 0);
        assert_eq!(
            affinity(&own, &t("SESSIONS_MONGO_URL sessions sessions-db")),
            0
        );
        // Engine words alone tie nothing.
        let own = t("MongoRecord");
        assert_eq!(affinity(&own, &t("MONGO_URL mongo")), 0);
        assert_eq!(
            url_path("mongodb://u:p@h:27017/pitches?authSource=admin"),
            "pitches"
        );
        assert_eq!(url_path("redis://cache:6379"), "");
    }

    #[test]
    fn shared_folder_counts() {
        assert_eq!(shared_folders("a/b/x.rs", "a/c/y.yml"), 1);
        assert_eq!(shared_folders("a/b/x.rs", "a/b/y.yml"), 2);
        assert_eq!(shared_folders("a/bc/x.rs", "a/b/y.yml"), 1);
        assert_eq!(shared_folders("a/b/x.rs", "a/b/c/y.yml"), 2);
        assert_eq!(shared_folders("x.rs", "y.rs"), 0);
        assert_eq!(shared_folders("x.rs", "a/y.rs"), 0);
        assert_eq!(shared_folders("ab/x.rs", "a/y.rs"), 0);
        assert_eq!(shared_folders("/r/a/x.rs", "/r/a/y.rs"), 2);
        assert_eq!(shared_folders("/r/a/x.rs", "/r/b/y.rs"), 1);
        assert_eq!(shared_folders("/x.rs", "/y.rs"), 0);
    }

    #[test]
    fn lexical_join() {
        assert_eq!(join("deploy", "./migrations"), "deploy/migrations");
        assert_eq!(
            join("deploy/compose", "../db/migrations"),
            "deploy/db/migrations"
        );
        assert_eq!(join("", "./migrations"), "migrations");
    }
}
