//! String literals that matter on their own: datastore connection strings,
//! listener addresses on datastore ports, SQL that writes contact columns;
//! and connection URLs read from the environment.

use serde::{Deserialize, Serialize};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprLit, Lit};

use super::unit::{Pending, StoreFill};
use super::{
    Out, Src, World, expr_lit_str, fn_item_span, ident_str, is_test_attrs, last_seg, lit_strs_in,
    segs,
};
use crate::facts::{Connection, ContactField, Exposure, FactData, FieldOrigin, Source};
use crate::span::Span;

/// Ports of web servers that also appear as some datastore's default.
const WEB_PORTS: &[u16] = &[80, 443, 3000, 5000, 8000, 8080, 8081, 8443, 8888, 9000];

pub(crate) fn emit<'s>(file: &syn::File, src: &'s Src<'s>, world: &World, out: &mut Out<'s>) {
    // Module level (consts, statics): no function context of its own.
    let mut v = Lits {
        src,
        file,
        world,
        out,
        fn_texts: None,
        flags: vec![Context::File],
        calls: Vec::new(),
        test_depth: 0,
    };
    v.visit_file(file);
}

/// What the enclosing function does besides (credentials, clients).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Flags {
    credentials: bool,
    search_client: bool,
    mongo_client: bool,
    redis_client: bool,
    pg_client: bool,
    mysql_client: bool,
}

impl Flags {
    /// The function builds some datastore client.
    pub(crate) fn any_client(&self) -> bool {
        self.search_client
            || self.mongo_client
            || self.redis_client
            || self.pg_client
            || self.mysql_client
    }

    pub(crate) fn of(text: &str) -> Flags {
        let has = |ws: &[&str]| ws.iter().any(|w| text.contains(w));
        // `within(p, ws)`: whether a word of `ws`, each of which holds `p`,
        // is in the text; one search settles a text without `p`.
        let within = |p: &str, ws: &[&str]| text.contains(p) && has(ws);
        Flags {
            credentials: within(
                "redential",
                &[
                    "Credentials::",
                    "credential(",
                    "Credential::",
                    "with_credentials",
                ],
            ) || within("auth(", &[".auth(", ".basic_auth(", ".bearer_auth("])
                || within(
                    "assword",
                    &[".password(", "password: Some(", "set_password("],
                ),
            search_client: has(&["single_node(", "TransportBuilder"])
                || within(
                    "ConnectionPool",
                    &[
                        "SingleNodeConnectionPool",
                        "MultiNodeConnectionPool",
                        "CloudConnectionPool",
                    ],
                )
                || within("earch::new", &["Elasticsearch::new", "OpenSearch::new"]),
            mongo_client: has(&["with_uri_str", "ClientOptions::parse", "mongodb::Client"]),
            redis_client: within("redis", &["redis::Client", "deadpool_redis", "bb8_redis"])
                || has(&["RedisConnectionManager"]),
            pg_client: within("Pg", &["PgPool", "PgConnection", "PgPoolOptions"])
                || within("ostgres", &["tokio_postgres", "Postgres"]),
            mysql_client: within("ySql", &["MySqlPool", "MySqlPoolOptions"])
                || within("ysql", &["MysqlConnection", "mysql_async"]),
        }
    }
}

/// The text of every function, to see what uses a module-level constant.
struct FnTexts<'s>(Vec<String>, &'s Src<'s>);

impl<'ast> Visit<'ast> for FnTexts<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.0.push(self.1.text_of(item_fn_span(f)));
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.0.push(self.1.text_of(impl_fn_span(f)));
    }
}

/// What `f.span()` gives, without printing the function.
fn item_fn_span(f: &syn::ItemFn) -> proc_macro2::Span {
    fn_item_span(&f.attrs, &f.vis, None, &f.sig, &f.block)
}

fn impl_fn_span(f: &syn::ImplItemFn) -> proc_macro2::Span {
    fn_item_span(
        &f.attrs,
        &f.vis,
        f.defaultness.map(|d| d.span),
        &f.sig,
        &f.block,
    )
}

/// Tokens of an environment variable's name that make it a location
/// (`ELASTIC_URL`, `MONGO_HOST`, `DATABASE_DSN`).
pub(crate) fn is_urlish(name: &str) -> bool {
    // Every token below holds one of these, and an ASCII name's tokens are
    // pieces of its lower-cased text: a name with none of them has none of
    // the tokens (without tokenizing it).
    if name.is_ascii() {
        let b = name.as_bytes();
        let has = |w: &str| {
            b.windows(w.len())
                .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
        };
        if ![
            "url", "uri", "dsn", "host", "addr", "endpoint", "conn", "node", "server", "cluster",
            "cloud",
        ]
        .into_iter()
        .any(has)
        {
            return false;
        }
    }
    crate::vocab::tokenize(name).iter().any(|t| {
        matches!(
            t.as_str(),
            "url"
                | "uri"
                | "dsn"
                | "host"
                | "addr"
                | "address"
                | "endpoint"
                | "connection"
                | "conn"
                | "node"
                | "server"
                | "cluster"
                | "cloud"
        )
    })
}

/// The connection an environment variable's value makes, judged by the
/// variable's name and the clients of the function that reads it
/// (`search_engine`: the file's Elasticsearch/OpenSearch reading).
pub(crate) fn env_connection(name: &str, f: &Flags, search_engine: &str) -> Option<Connection> {
    if !is_urlish(name) {
        return None;
    }
    // Tokens come singular: `REDIS` reads as `redi`, `POSTGRES` as `postgre`.
    let tokens = crate::vocab::tokenize(name);
    let has = |ws: &[&str]| tokens.iter().any(|t| ws.contains(&t.as_str()));
    let engine = if has(&["mongo", "mongodb"]) {
        "mongodb"
    } else if has(&["redis", "redi", "valkey", "cache"]) {
        "redis"
    } else if has(&["opensearch"]) {
        "opensearch"
    } else if has(&["elastic", "elasticsearch", "es", "search"]) {
        search_engine
    } else if has(&["postgres", "postgre", "postgresql", "pg"]) {
        "postgres"
    } else if has(&["mysql", "mariadb"]) {
        "mysql"
    } else if f.mongo_client {
        "mongodb"
    } else if f.redis_client {
        "redis"
    } else if f.search_client {
        search_engine
    } else if has(&["database", "db"]) && f.pg_client {
        "postgres"
    } else if has(&["database", "db"]) && f.mysql_client {
        "mysql"
    } else {
        return None;
    };
    Some(Connection {
        engine: engine.into(),
        host: None,
        port: None,
        target: format!("${name}"),
        has_credentials: true,
        weak_credential: false,
        env_var: Some(name.to_string()),
    })
}

/// The calls whose literals [`Lits::literal`] treats apart.
const CALL_NAMES: &[&str] = &[
    "connect",
    "with_uri_str",
    "open",
    "single_node",
    "get_connection",
];

fn call_name(name: &str) -> Option<&'static str> {
    CALL_NAMES.iter().find(|n| **n == name).copied()
}

struct Lits<'a, 's> {
    src: &'s Src<'s>,
    file: &'a syn::File,
    /// The text of every function, worked out when a module-level item
    /// first asks.
    fn_texts: Option<Vec<String>>,
    world: &'a World<'a>,
    out: &'a mut Out<'s>,
    /// The enclosing contexts, innermost last; each context's flags are
    /// worked out when a literal first asks for them.
    flags: Vec<Context>,
    /// The calls a literal sits in, innermost last: their names when one
    /// of [`CALL_NAMES`].
    calls: Vec<Option<&'static str>>,
    test_depth: usize,
}

/// Where a literal sits, for the flags of what surrounds it.
enum Context {
    /// Worked out.
    Ready(Flags),
    /// Module level: the file's clients, no credentials.
    File,
    /// A function (its span).
    Fn(proc_macro2::Span),
    /// A `const`/`static` (its name) inside the context below it:
    /// credentials count when a function using it supplies them.
    Module(String),
}

/// A parsed `scheme://[user[:password]@]host[:port][/…]`.
struct Url {
    scheme: String,
    user: Option<String>,
    password: Option<String>,
    host: String,
    port: Option<u16>,
    masked: String,
    query: String,
}

fn parse_url(s: &str) -> Option<Url> {
    if s.len() > 2048 || s.chars().any(char::is_whitespace) {
        return None;
    }
    let (scheme, rest) = s.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let first = hostport.split(',').next().unwrap_or("");
    let (host, port) = split_host_port(first);
    if host.is_empty() {
        return None;
    }
    let (user, password) = match userinfo {
        Some(ui) => match ui.split_once(':') {
            Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
            None => (Some(ui.to_string()), None),
        },
        None => (None, None),
    };
    let masked = match (&user, &password) {
        (Some(u), Some(p)) if !p.is_empty() => format!("{scheme}://{u}:***@{hostport}{tail}"),
        _ => s.to_string(),
    };
    let query = tail
        .split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default();
    Some(Url {
        scheme: scheme.to_ascii_lowercase(),
        user,
        password,
        host,
        port,
        masked,
        query,
    })
}

fn split_host_port(hp: &str) -> (String, Option<u16>) {
    if let Some(rest) = hp.strip_prefix('[') {
        // [v6]:port
        if let Some((h, p)) = rest.split_once(']') {
            let port = p.strip_prefix(':').and_then(|p| p.parse().ok());
            return (format!("[{h}]"), port);
        }
    }
    match hp.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h.to_string(), p.parse().ok()),
        _ => (hp.to_string(), None),
    }
}

/// `0.0.0.0:9200`, `[::]:27017`, `:::6379` -> port, when all interfaces.
fn all_interfaces_addr(s: &str) -> Option<u16> {
    let (host, port) = s.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    matches!(host, "0.0.0.0" | "[::]" | "::" | "*" | "[0:0:0:0:0:0:0:0]").then_some(port)
}

impl Lits<'_, '_> {
    fn flags(&mut self) -> Flags {
        match self.flags.len() {
            0 => Flags::default(),
            n => self.flags_at(n - 1),
        }
    }

    /// The flags of the context at `i` in the stack.
    fn flags_at(&mut self, i: usize) -> Flags {
        let f = match &self.flags[i] {
            Context::Ready(f) => return *f,
            Context::File => Flags {
                credentials: false,
                ..Flags::of(self.src.text)
            },
            Context::Fn(span) => Flags::of(&self.src.text_of(*span)),
            Context::Module(name) => {
                let name = name.clone();
                let mut f = match i {
                    0 => Flags::default(),
                    _ => self.flags_at(i - 1),
                };
                let (src, file) = (self.src, self.file);
                f.credentials = self
                    .fn_texts
                    .get_or_insert_with(|| {
                        let mut texts = FnTexts(Vec::new(), src);
                        texts.visit_file(file);
                        texts.0
                    })
                    .iter()
                    .any(|t| t.contains(&name) && Flags::of(t).credentials);
                f
            }
        };
        self.flags[i] = Context::Ready(f);
        f
    }

    fn in_call(&self, names: &[&str]) -> bool {
        self.calls.iter().flatten().any(|c| names.contains(c))
    }

    fn literal(&mut self, value: &str, span: Span) {
        if self.test_depth > 0 {
            return;
        }
        self.sql(value, span);
        if let Some(url) = parse_url(value) {
            self.url(&url, span);
            return;
        }
        if let Some(port) = all_interfaces_addr(value)
            && !self.in_call(&[
                "connect",
                "with_uri_str",
                "open",
                "single_node",
                "get_connection",
            ])
        {
            self.exposure(value, port, span);
        }
    }

    fn datastore_engine_for_port(&self, port: u16) -> Option<String> {
        if WEB_PORTS.contains(&port) {
            return None;
        }
        self.world
            .vocab
            .catalogue
            .engines_for_port(port)
            .next()
            .map(|e| e.id.clone())
    }

    fn exposure(&mut self, written: &str, port: u16, span: Span) {
        let Some(engine) = self.datastore_engine_for_port(port) else {
            return;
        };
        self.out.push(
            span,
            FactData::Exposure(Exposure {
                datastore: None,
                engine,
                store_name: written.to_string(),
                source: Source::Rust,
                how: "listener-all-interfaces".into(),
                detail: format!("binds {written}"),
            }),
        );
    }

    fn url(&mut self, url: &Url, span: Span) {
        let world = self.world;
        let cat = &world.vocab.catalogue;
        let engine = match cat.engine_for_scheme(&url.scheme) {
            Some(e) => e.id.clone(),
            None if (url.scheme == "http" || url.scheme == "https")
                && (self.flags().search_client || self.in_call(&["single_node"])) =>
            {
                world.local.mentions.search_engine().to_string()
            }
            None => return,
        };
        let templated = |s: &str| s.contains('{') || s.contains('$');
        let pw_from_code = url.password.as_deref().is_some_and(templated)
            || url.user.as_deref().is_some_and(templated) && url.password.is_some();
        let user_ok = url.user.as_deref().is_some_and(|u| !u.is_empty())
            || url.scheme.starts_with("redis")
            || url.scheme == "rediss";
        let pw_nonempty = url.password.as_deref().is_some_and(|p| !p.is_empty());
        let q = url.query.to_ascii_lowercase();
        let query_creds = q.contains("password=")
            || q.contains("authmechanism=mongodb-x509")
            || q.contains("authmechanism=mongodb-aws");
        let has_credentials =
            (user_ok && pw_nonempty) || pw_from_code || query_creds || self.flags().credentials;
        let weak_credential = !pw_from_code
            && url
                .password
                .as_deref()
                .is_some_and(|p| p.is_empty() || cat.is_weak_password(p));
        self.out.push(
            span,
            FactData::Connection(Connection {
                engine,
                host: Some(url.host.clone()).filter(|h| !templated(h)),
                port: url.port,
                target: url.masked.clone(),
                has_credentials,
                weak_credential,
                env_var: None,
            }),
        );
    }

    fn sql(&mut self, value: &str, span: Span) {
        let head = value.trim_start().to_ascii_lowercase();
        if ![
            "insert", "update", "create", "alter", "replace", "upsert", "with", "merge",
        ]
        .iter()
        .any(|k| head.starts_with(k))
        {
            return;
        }
        let cls = &self.world.vocab.classifier;
        let mut facts = Vec::new();
        for col in crate::frontend::sql::embedded_contact_columns(value, self.world.vocab) {
            let mut names: Vec<&str> = col.sibling_columns.iter().map(String::as_str).collect();
            names.push(&col.table);
            let signals = cls.platform_signals(names);
            facts.push(self.out.fact(
                span,
                FactData::ContactField(ContactField {
                    container: col.table.clone(),
                    name: col.column.clone(),
                    kind: col.kind,
                    origin: FieldOrigin::SqlInRust,
                    platform_signals: signals,
                    store_family: Some("relational".into()),
                    // The crate's relational engine: see crate resolution.
                    store_engine: None,
                }),
            ));
        }
        if !facts.is_empty() {
            self.out.defer(Pending::Fields {
                store: StoreFill::Relational { fallback: None },
                facts,
            });
        }
    }

    /// `std::env::var("MONGO_URI")` and friends: a connection whose URL
    /// (and credentials) come from the environment.
    fn env_var(&mut self, name: &str, span: Span) {
        if self.test_depth > 0 {
            return;
        }
        // Without a location in its name the variable is no connection,
        // whatever the function does.
        if !is_urlish(name) {
            return;
        }
        let search = self.world.local.mentions.search_engine();
        if let Some(c) = env_connection(name, &self.flags(), search) {
            self.out.push(span, FactData::Connection(c));
        }
    }

    /// A `const`/`static`: credentials count when a function using it
    /// supplies them.
    fn module_item(&mut self, name: &str, e: &Expr) {
        self.flags.push(Context::Module(name.to_string()));
        self.visit_expr(e);
        self.flags.pop();
    }

    /// `SocketAddr::from(([0, 0, 0, 0], 9200))`, `(Ipv4Addr::UNSPECIFIED, 6379)`.
    /// `whole` gives the span of the whole pair (worked out only for a
    /// listener).
    fn addr_pair(&mut self, ip: &Expr, port: &Expr, whole: impl FnOnce() -> proc_macro2::Span) {
        if self.test_depth > 0 {
            return;
        }
        let Expr::Lit(ExprLit {
            lit: Lit::Int(p), ..
        }) = port
        else {
            return;
        };
        let Ok(port) = p.base10_parse::<u16>() else {
            return;
        };
        if self.datastore_engine_for_port(port).is_none() {
            return;
        }
        let ip_text = self.src.text_of(ip.span()).replace([' ', '\n'], "");
        let unspecified = ip_text.contains("UNSPECIFIED")
            || ip_text.starts_with("[0,0,0,0]")
            || ip_text.contains("Ipv4Addr::new(0,0,0,0)")
            || ip_text.starts_with("[0;4]")
            || ip_text.starts_with("[0u8;4]")
            || ip_text.starts_with("[0,0,0,0,0,0,0,0]")
            || expr_lit_str(ip).is_some_and(|l| matches!(l.value().as_str(), "0.0.0.0" | "::"));
        if !unspecified {
            return;
        }
        let whole = whole();
        let written = self.src.text_of(whole);
        let Some(engine) = self.datastore_engine_for_port(port) else {
            return;
        };
        let host = if ip_text.contains("V6") || ip_text.contains("Ipv6") || ip_text.contains("::\"")
        {
            "[::]"
        } else {
            "0.0.0.0"
        };
        self.out.push(
            self.src.span(whole),
            FactData::Exposure(Exposure {
                datastore: None,
                engine,
                store_name: written,
                source: Source::Rust,
                how: "listener-all-interfaces".into(),
                detail: format!("binds {host}:{port}"),
            }),
        );
    }
}

impl<'ast> Visit<'ast> for Lits<'_, '_> {
    fn visit_attribute(&mut self, _a: &'ast syn::Attribute) {}

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let t = is_test_attrs(&m.attrs) as usize;
        self.test_depth += t;
        visit::visit_item_mod(self, m);
        self.test_depth -= t;
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let t = is_test_attrs(&f.attrs) as usize;
        self.test_depth += t;
        self.flags.push(Context::Fn(item_fn_span(f)));
        visit::visit_item_fn(self, f);
        self.flags.pop();
        self.test_depth -= t;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let t = is_test_attrs(&f.attrs) as usize;
        self.test_depth += t;
        self.flags.push(Context::Fn(impl_fn_span(f)));
        visit::visit_impl_item_fn(self, f);
        self.flags.pop();
        self.test_depth -= t;
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.module_item(&ident_str(&c.ident), &c.expr);
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.module_item(&ident_str(&s.ident), &s.expr);
    }

    fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
        let span = self.src.span(l.span());
        self.literal(&l.value(), span);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let mut name = None;
        if let Expr::Path(p) = &*c.func {
            let last = last_seg(&p.path);
            let n = p.path.segments.len();
            // The segment before the last, when the name asks for it.
            let parent = || (n >= 2).then(|| ident_str(&p.path.segments[n - 2].ident));
            let env_fn = matches!(last.as_str(), "var" | "var_os")
                && (n == 1
                    || parent()
                        .is_some_and(|s| matches!(s.as_str(), "env" | "dotenvy" | "dotenv")));
            if env_fn && let Some(l) = c.args.first().and_then(expr_lit_str) {
                let span = self.src.span(l.span());
                self.env_var(&l.value(), span);
            }
            if matches!(last.as_str(), "new" | "from")
                && parent().is_some_and(|s| s.starts_with("SocketAddr"))
            {
                let args: Vec<&Expr> = c.args.iter().collect();
                if args.len() == 2 {
                    self.addr_pair(args[0], args[1], || c.span());
                }
            }
            name = call_name(&last);
        }
        self.calls.push(name);
        visit::visit_expr_call(self, c);
        self.calls.pop();
    }

    fn visit_expr_method_call(&mut self, mc: &'ast syn::ExprMethodCall) {
        self.visit_expr(&mc.receiver);
        // The method's name as written (a raw `r#open` is not `open`).
        self.calls
            .push(CALL_NAMES.iter().find(|n| mc.method == **n).copied());
        for a in &mc.args {
            self.visit_expr(a);
        }
        self.calls.pop();
    }

    fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
        if t.elems.len() == 2 {
            self.addr_pair(&t.elems[0], &t.elems[1], || t.span());
        }
        visit::visit_expr_tuple(self, t);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = last_seg(&m.path);
        if matches!(name.as_str(), "env" | "option_env") {
            let mut lits = Vec::new();
            lit_strs_in(&m.tokens, &mut lits, 0);
            if let Some(l) = lits.first() {
                let span = self.src.span(l.span());
                self.env_var(&l.value(), span);
            }
            return;
        }
        if self.test_depth > 0 {
            return;
        }
        // Literals inside macro bodies (`format!`, `query!`, `json!`).
        let mut lits = Vec::new();
        lit_strs_in(&m.tokens, &mut lits, 0);
        self.calls.push(call_name(&name));
        for l in lits {
            let span = self.src.span(l.span());
            self.literal(&l.value(), span);
        }
        // Code inside (`tokio::select!`, `vec![...]`): tuples and calls.
        // Only a pair with an integer port (a parenthesis and a digit
        // inside the delimiters) or a `var` call counts: any other body
        // needs no parsing.
        let text = self.src.delimited_text(m.delimiter.span());
        if may_hold_pair_or_var(text)
            && let Ok(list) = syn::parse2::<ExprList>(m.tokens.clone())
        {
            let mut inner = Inner { outer: self };
            for e in &list.0 {
                inner.visit_expr(e);
            }
        }
        self.calls.pop();
    }
}

/// Whether a macro body's source (with its delimiters) may hold what
/// [`Inner`] looks for: a `var` call, or a pair whose second element is an
/// integer literal (`, 6379)`, `, 6379,)`).
fn may_hold_pair_or_var(text: &str) -> bool {
    if text.contains("var") {
        return true;
    }
    let b = text.as_bytes();
    // Comments could sit between those tokens, and non-ASCII text may hold
    // Unicode whitespace: then any parenthesis and digit count.
    if !text.is_ascii() || text.contains("//") || text.contains("/*") {
        return b.get(1..).unwrap_or(b).contains(&b'(') && b.iter().any(u8::is_ascii_digit);
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let space = |c: u8| c.is_ascii_whitespace() || c == 0x0b;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && word(b[i - 1])) {
            i += 1;
            continue;
        }
        // An integer literal's token (digits, `_`, a suffix), preceded by
        // the pair's comma (or an attribute's bracket) and closed by its
        // parenthesis.
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        let prev = b[..start].iter().rev().find(|&&c| !space(c));
        let mut after = b[i..].iter().filter(|&&c| !space(c));
        let next = match after.next() {
            Some(b',') => after.next(),
            n => n,
        };
        if matches!(prev, Some(b',' | b']')) && next == Some(&b')') {
            return true;
        }
    }
    false
}

/// Visits expressions parsed out of a macro body for calls and tuples only
/// (its literals were already seen as tokens).
struct Inner<'x, 'a, 's> {
    outer: &'x mut Lits<'a, 's>,
}

impl<'ast> Visit<'ast> for Inner<'_, '_, '_> {
    fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
        if t.elems.len() == 2 {
            self.outer.addr_pair(&t.elems[0], &t.elems[1], || t.span());
        }
        visit::visit_expr_tuple(self, t);
    }
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            let segs: Vec<String> = segs(&p.path);
            let name = segs.last().cloned().unwrap_or_default();
            if matches!(name.as_str(), "var" | "var_os")
                && let Some(l) = c.args.first().and_then(expr_lit_str)
            {
                let span = self.outer.src.span(l.span());
                self.outer.env_var(&l.value(), span);
            }
        }
        visit::visit_expr_call(self, c);
    }
}

struct ExprList(Vec<Expr>);

impl syn::parse::Parse for ExprList {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let p = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated(input)?;
        Ok(ExprList(p.into_iter().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::may_hold_pair_or_var as may;

    #[test]
    fn macro_bodies_that_may_hold_a_pair_or_a_var_call() {
        for yes in [
            r#"(("0.0.0.0", 6379))"#,
            "(( ip ,\n 6379u16 , ))",
            "(x, #[allow(x)] 0x18EB)",
            "(std::env::var(\"X\"))",
            "((a, /* port */ 1))",
            "((a,\u{2028}1))",
        ] {
            assert!(may(yes), "{yes}");
        }
        for no in [
            r#"("reconcile: {} buckets over limit", totals.len())"#,
            r#"(limit = params.limit.unwrap_or(50), "import asset")"#,
            "(t.0)",
            "(a, 5 as u16)",
            "(a, 1.5)",
            "(x1)",
        ] {
            assert!(!may(no), "{no}");
        }
    }
}
