//! A rule-free summary of one Rust file: its structs (with stored field
//! names), the struct types it writes to datastores, what each function
//! returns to HTTP clients, and its routers. It is data (serialisable, kept
//! in the file's [`RustUnit`](super::RustUnit) and the cache): the crate
//! resolution step builds the crate index from the summaries of all files.
//!
//! Summaries are vocabulary-free but for [`classify`], which records each
//! field's and handler value's contact kind so that resolution needs no
//! vocabulary.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use serde::{Deserialize, Serialize};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Block, GenericArgument, Signature};

use super::envcfg::EnvFill;
use super::handlers::{WriteFinder, handler_info};
use super::infer::{Env, first_type_arg, primary_type, type_idents};
use super::routes::{self, RouteTable};
use super::{Src, Verdicts, expr_lit_str, ident_str, is_test_attrs};
use crate::facts::DataKind;
use crate::span::Span;
use crate::vocab::Vocabulary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FieldInfo {
    #[serde(rename = "n")]
    pub rust_name: String,
    /// Name given by an ORM attribute (`sqlx(rename)`, `diesel(column_name)`).
    #[serde(rename = "orm", default, skip_serializing_if = "Option::is_none")]
    pub orm_name: Option<String>,
    /// Name given by serde (`rename`, `rename_all`).
    #[serde(rename = "ser", default, skip_serializing_if = "Option::is_none")]
    pub serde_name: Option<String>,
    /// The innermost type (`Option<&str>` -> `str`), for the classifier.
    #[serde(rename = "ty", default, skip_serializing_if = "String::is_empty")]
    pub inner_ty: String,
    /// Every path segment named in the type, for nested struct lookups.
    #[serde(rename = "tys", default, skip_serializing_if = "Vec::is_empty")]
    pub ty_idents: Vec<String>,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub serde_skip: bool,
    /// `#[serde(flatten)]`: the field's own fields sit beside its siblings.
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub serde_flatten: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub orm_skip: bool,
    /// The contact kind of the stored field (see `model::classify_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<DataKind>,
    /// The contact kind of a value read from this field (`x.field`), by its
    /// Rust name and type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_kind: Option<DataKind>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StructInfo {
    pub name: String,
    /// The table an ORM attribute names (`#[sea_orm(table_name = "x")]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Derives an ORM mapping (sqlx FromRow, diesel, sea-orm).
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub relational: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldInfo>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub is_test: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct WriteInfo {
    pub type_name: String,
    pub engine: String,
    pub family: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AttrRoute {
    pub framework: String,
    pub method: String,
    pub path: String,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub wrap_auth: bool,
}

/// A value a handler hands to its response (`Json(x)`, `.json(x)`, tail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ValueRef {
    pub text: String,
    pub name: String,
    pub ty: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HandlerInfo {
    pub name: String,
    #[serde(rename = "ret", default, skip_serializing_if = "Vec::is_empty")]
    pub ret_idents: Vec<String>,
    #[serde(rename = "vt", default, skip_serializing_if = "Vec::is_empty")]
    pub value_types: Vec<String>,
    /// Folded into `served_values` by [`classify`]; not kept.
    #[serde(skip)]
    pub values: Vec<ValueRef>,
    #[serde(skip)]
    pub json_keys: Vec<String>,
    /// The response values and `json!` keys that hold contact data
    /// (`creator.email`, `json.phone`), in order.
    #[serde(rename = "sv", default, skip_serializing_if = "Vec::is_empty")]
    pub served_values: Vec<String>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub extractor_auth: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attr_route: Option<AttrRoute>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub is_test: bool,
}

/// Which crates and clients a file mentions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Mentions {
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub elasticsearch: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub opensearch: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub mongodb: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub redis: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub actix: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub rocket: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub postgres: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub mysql: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub sqlite: bool,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub macro_use_log: bool,
}

impl Mentions {
    fn of(text: &str) -> Self {
        let has = |ws: &[&str]| ws.iter().any(|w| text.contains(w));
        // `within(p, ws)`: whether a word of `ws`, each of which holds `p`,
        // is in the text; one search settles a file without `p`.
        let within = |p: &str, ws: &[&str]| text.contains(p) && has(ws);
        Mentions {
            elasticsearch: within(
                "lasticsearch",
                &["elasticsearch::", "use elasticsearch", "Elasticsearch"],
            ),
            opensearch: within("opensearch", &["opensearch::", "use opensearch"])
                || has(&["OpenSearch::"]),
            mongodb: within("mongodb", &["mongodb::", "use mongodb"]) || has(&["wither::"]),
            redis: within(
                "redis",
                &["redis::", "use redis", "deadpool_redis", "bb8_redis"],
            ) || has(&["fred::"]),
            actix: within("actix", &["actix_web", "actix-web"]),
            rocket: within(
                "rocket",
                &["rocket::", "use rocket", "#[macro_use] extern crate rocket"],
            ),
            postgres: within("Pg", &["PgPool", "PgConnection", "PgPoolOptions"])
                || within(
                    "ostgres",
                    &["sqlx::Postgres", "tokio_postgres", "postgres::"],
                )
                || has(&["diesel::pg"]),
            mysql: within("ySql", &["MySqlPool", "sqlx::MySql"])
                || within("ysql", &["MysqlConnection", "mysql_async"]),
            sqlite: within(
                "qlite",
                &["SqlitePool", "SqliteConnection", "rusqlite", "sqlx::Sqlite"],
            ),
            macro_use_log: within(
                "#[macro_use]",
                &[
                    "#[macro_use]\nextern crate log",
                    "#[macro_use] extern crate log",
                    "#[macro_use] extern crate tracing",
                    "#[macro_use]\nextern crate tracing",
                ],
            ),
        }
    }

    pub fn search_engine(&self) -> &'static str {
        if self.opensearch && !self.elasticsearch {
            "opensearch"
        } else if self.opensearch && self.elasticsearch {
            // `Elasticsearch` may be a word in an OpenSearch file's docs.
            "opensearch"
        } else {
            "elasticsearch"
        }
    }
}

/// Names the file imports from `tracing`/`log`, and macros it defines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct LogImports {
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub names: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub glob: bool,
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub local_macros: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Summary {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub module: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub structs: Vec<StructInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub writes: Vec<WriteInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlers: Vec<HandlerInfo>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_default")]
    pub routes: RouteTable,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_default")]
    pub mentions: Mentions,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_default")]
    pub log_imports: LogImports,
    /// Struct types the file fills from the environment (envy, config).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_fills: Vec<EnvFill>,
}

/// `fns` are the file's [`functions`] and `envs` their local names, in the
/// same order (built once per file and shared by the analyses).
pub(crate) fn summarize(
    file: &syn::File,
    src: &Src,
    module: &str,
    fns: &Functions,
    envs: &[Env],
) -> Summary {
    let mentions = Mentions::of(src.text);
    let mut c = Collector {
        src,
        test_depth: 0,
        structs: Vec::new(),
        log_imports: LogImports::default(),
        collections: Vec::new(),
        mentions: &mentions,
    };
    c.visit_file(file);
    let Collector {
        structs,
        log_imports,
        collections,
        ..
    } = c;
    let mut writes = collections;
    let mut handlers = Vec::new();
    // Writes are looked for only in files that mention a datastore client.
    let writes_possible =
        mentions.elasticsearch || mentions.opensearch || mentions.mongodb || mentions.redis;
    for (f, env) in fns.fns.iter().zip(envs) {
        if writes_possible {
            let mut w = WriteFinder {
                src,
                env,
                mentions: &mentions,
                out: &mut writes,
            };
            w.visit_block(f.block);
        }
        handlers.push(handler_info(f, env, &mentions, src));
    }
    let routes = routes::evaluate(&fns.fns, fns.router_calls, src);
    Summary {
        module: module.to_string(),
        structs,
        writes,
        handlers,
        routes,
        mentions,
        log_imports,
        env_fills: super::envcfg::fills(fns, envs, src),
    }
}

/// Records the vocabulary's verdicts in a summary: each field's stored
/// contact kind and value kind, and each handler's contact values.
pub(crate) fn classify(s: &mut Summary, vocab: &Vocabulary) {
    let mut cls = Verdicts::new(&vocab.classifier);
    for st in &mut s.structs {
        let relational = st.relational;
        for f in &mut st.fields {
            f.contact = super::model::classify_field(f, relational, &mut cls);
            f.value_kind = cls.classify(&f.rust_name, Some(f.inner_ty.as_str()));
        }
    }
    for h in &mut s.handlers {
        let mut out: Vec<String> = Vec::new();
        for v in &h.values {
            if cls.classify(&v.name, v.ty.as_deref()).is_some() {
                out.push(v.text.clone());
            }
        }
        for k in &h.json_keys {
            if cls.classify(k, None).is_some() {
                out.push(format!("json.{k}"));
            }
        }
        h.served_values = out;
    }
}

/// A function (free or in an impl) with its body.
pub(crate) struct FnRef<'a> {
    pub attrs: &'a [Attribute],
    pub sig: &'a Signature,
    pub block: &'a Block,
    pub is_test: bool,
    /// Inside an `impl` marked as test code (`#[cfg(test)] impl …`).
    pub in_test_impl: bool,
    /// The primary type of the enclosing `impl` (for `self` and `Self`);
    /// `None` for free functions.
    pub self_ty: Option<String>,
}

/// The functions, statics and constants of a file, from one walk.
pub(crate) struct Functions<'a> {
    /// Every function (free and in impls), in source order, marked when it
    /// is test code.
    pub fns: Vec<FnRef<'a>>,
    /// Module-level `static`s outside test modules and test impls.
    pub statics: Vec<&'a syn::ItemStatic>,
    /// Every `const` item.
    pub consts: Vec<&'a syn::ItemConst>,
    /// Whether some method call is named one of
    /// [`routes::ROUTER_METHODS`] (else the file builds no router).
    pub router_calls: bool,
}

/// Every function of a file (free and in impls), marked when it is test
/// code, with its statics and constants: one walk shared by the summary,
/// the log analysis and the environment configuration.
pub(crate) fn functions(file: &syn::File) -> Functions<'_> {
    let mut c = FnCollector {
        out: Functions {
            fns: Vec::new(),
            statics: Vec::new(),
            consts: Vec::new(),
            router_calls: false,
        },
        test_depth: 0,
        impl_test_depth: 0,
        self_ty: Vec::new(),
    };
    c.visit_file(file);
    c.out
}

struct FnCollector<'a> {
    out: Functions<'a>,
    /// Test modules around.
    test_depth: usize,
    /// Test impls around.
    impl_test_depth: usize,
    self_ty: Vec<Option<String>>,
}

impl<'a> Visit<'a> for FnCollector<'a> {
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        let t = is_test_attrs(&m.attrs) as usize;
        self.test_depth += t;
        visit::visit_item_mod(self, m);
        self.test_depth -= t;
    }
    fn visit_item_impl(&mut self, i: &'a syn::ItemImpl) {
        let t = is_test_attrs(&i.attrs) as usize;
        self.impl_test_depth += t;
        self.self_ty.push(primary_type(&i.self_ty));
        visit::visit_item_impl(self, i);
        self.self_ty.pop();
        self.impl_test_depth -= t;
    }
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.out.fns.push(FnRef {
            attrs: &f.attrs,
            sig: &f.sig,
            block: &f.block,
            is_test: self.test_depth > 0 || is_test_attrs(&f.attrs),
            in_test_impl: self.impl_test_depth > 0,
            self_ty: None,
        });
        visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.out.fns.push(FnRef {
            attrs: &f.attrs,
            sig: &f.sig,
            block: &f.block,
            is_test: self.test_depth > 0 || is_test_attrs(&f.attrs),
            in_test_impl: self.impl_test_depth > 0,
            self_ty: self.self_ty.last().cloned().flatten(),
        });
        visit::visit_impl_item_fn(self, f);
    }
    fn visit_item_static(&mut self, s: &'a syn::ItemStatic) {
        if self.test_depth == 0 && self.impl_test_depth == 0 {
            self.out.statics.push(s);
        }
        visit::visit_item_static(self, s);
    }
    fn visit_item_const(&mut self, c: &'a syn::ItemConst) {
        self.out.consts.push(c);
        visit::visit_item_const(self, c);
    }
    fn visit_expr_method_call(&mut self, mc: &'a syn::ExprMethodCall) {
        if !self.out.router_calls {
            self.out.router_calls = routes::ROUTER_METHODS.iter().any(|m| mc.method == m);
        }
        visit::visit_expr_method_call(self, mc);
    }
}

struct Collector<'s> {
    src: &'s Src<'s>,
    test_depth: usize,
    structs: Vec<StructInfo>,
    log_imports: LogImports,
    collections: Vec<WriteInfo>,
    mentions: &'s Mentions,
}

impl<'a> Visit<'a> for Collector<'_> {
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        let t = is_test_attrs(&m.attrs);
        self.test_depth += t as usize;
        visit::visit_item_mod(self, m);
        self.test_depth -= t as usize;
    }

    fn visit_item_struct(&mut self, s: &'a syn::ItemStruct) {
        self.structs
            .push(struct_info(s, self.src, self.test_depth > 0));
        visit::visit_item_struct(self, s);
    }

    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        collect_use(&u.tree, &mut Vec::new(), &mut self.log_imports);
    }

    fn visit_item_macro(&mut self, m: &'a syn::ItemMacro) {
        if m.mac.path.is_ident("macro_rules")
            && let Some(id) = &m.ident
        {
            self.log_imports.local_macros.insert(ident_str(id));
        }
        visit::visit_item_macro(self, m);
    }

    fn visit_type_path(&mut self, tp: &'a syn::TypePath) {
        // `Collection<T>`: a typed MongoDB collection stores T documents.
        if self.mentions.mongodb
            && let Some(seg) = tp.path.segments.last()
            && seg.ident == "Collection"
            && let Some(t) = first_type_arg(&seg.arguments).and_then(primary_type)
            && is_model_name(&t)
        {
            self.collections.push(WriteInfo {
                type_name: t,
                engine: "mongodb".into(),
                family: "document".into(),
                target: None,
                span: self.src.span(tp.span()),
            });
        }
        visit::visit_type_path(self, tp);
    }

    fn visit_expr_method_call(&mut self, mc: &'a syn::ExprMethodCall) {
        // `.collection::<T>("name")`
        if self.mentions.mongodb
            && mc.method == "collection"
            && let Some(tf) = &mc.turbofish
            && let Some(t) = tf.args.iter().find_map(|a| match a {
                GenericArgument::Type(t) => primary_type(t),
                _ => None,
            })
            && is_model_name(&t)
        {
            self.collections.push(WriteInfo {
                type_name: t,
                engine: "mongodb".into(),
                family: "document".into(),
                target: mc.args.first().and_then(expr_lit_str).map(|l| l.value()),
                span: self
                    .src
                    .span2(mc.method.span(), mc.paren_token.span.close()),
            });
        }
        visit::visit_expr_method_call(self, mc);
    }
}

fn collect_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut LogImports) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(ident_str(&p.ident));
            collect_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            if is_log_crate(prefix) {
                out.names.insert(ident_str(&n.ident));
            }
        }
        syn::UseTree::Rename(r) => {
            if is_log_crate(prefix) {
                out.names.insert(ident_str(&r.rename));
            }
        }
        syn::UseTree::Glob(_) => {
            if is_log_crate(prefix) {
                out.glob = true;
            }
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                collect_use(t, prefix, out);
            }
        }
    }
}

fn is_log_crate(prefix: &[String]) -> bool {
    matches!(
        prefix.first().map(String::as_str),
        Some("tracing" | "log" | "tracing_log")
    )
}

/// Types that are not the caller's own models.
pub(crate) fn is_model_name(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
        && !matches!(
            t,
            "Document"
                | "Bson"
                | "RawDocumentBuf"
                | "RawDocument"
                | "Value"
                | "Self"
                | "String"
                | "BulkOperation"
                | "BulkOperations"
                | "JsonBody"
                | "Body"
        )
}

// ---------------------------------------------------------------- structs

const RELATIONAL_DERIVES: &[&str] = &[
    "FromRow",
    "Queryable",
    "Selectable",
    "Insertable",
    "AsChangeset",
    "DeriveEntityModel",
];

fn struct_info(s: &syn::ItemStruct, src: &Src, is_test: bool) -> StructInfo {
    let derives = derive_names(&s.attrs);
    let relational = derives
        .iter()
        .any(|d| RELATIONAL_DERIVES.contains(&d.as_str()));
    let serde_all = attr_value(&s.attrs, "serde", "rename_all");
    let orm_all = attr_value(&s.attrs, "sqlx", "rename_all")
        .or_else(|| attr_value(&s.attrs, "sea_orm", "rename_all"));
    let mut fields = Vec::new();
    if let syn::Fields::Named(named) = &s.fields {
        for f in &named.named {
            let Some(id) = &f.ident else { continue };
            let rust_name = ident_str(id);
            let serde_name = attr_value(&f.attrs, "serde", "rename")
                .or_else(|| serde_all.as_deref().map(|c| apply_case(&rust_name, c)));
            let orm_name = attr_value(&f.attrs, "sqlx", "rename")
                .or_else(|| attr_value(&f.attrs, "diesel", "column_name"))
                .or_else(|| attr_value(&f.attrs, "sea_orm", "column_name"))
                .or_else(|| orm_all.as_deref().map(|c| apply_case(&rust_name, c)));
            let mut ty_idents = Vec::new();
            type_idents(&f.ty, &mut ty_idents);
            fields.push(FieldInfo {
                rust_name,
                orm_name,
                serde_name,
                inner_ty: primary_type(&f.ty).unwrap_or_default(),
                ty_idents,
                span: src.span(id.span()),
                serde_skip: attr_has(&f.attrs, "serde", &["skip", "skip_serializing"]),
                serde_flatten: attr_has(&f.attrs, "serde", &["flatten"]),
                orm_skip: attr_has(&f.attrs, "sqlx", &["skip"])
                    || attr_has(&f.attrs, "sea_orm", &["ignore"]),
                contact: None,
                value_kind: None,
            });
        }
    }
    StructInfo {
        name: ident_str(&s.ident),
        table: attr_value(&s.attrs, "sea_orm", "table_name"),
        relational,
        fields,
        is_test,
    }
}

fn derive_names(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if !a.path().is_ident("derive") {
            continue;
        }
        if let syn::Meta::List(l) = &a.meta {
            for tt in l.tokens.clone() {
                if let TokenTree::Ident(i) = tt {
                    out.push(ident_str(&i));
                }
            }
        }
    }
    out
}

/// `#[ns(key = "value")]`, `#[ns(key = ident)]` or
/// `#[ns(key(serialize = "value"))]`.
pub(crate) fn attr_value(attrs: &[Attribute], ns: &str, key: &str) -> Option<String> {
    for a in attrs {
        if !a.path().is_ident(ns) {
            continue;
        }
        let syn::Meta::List(l) = &a.meta else {
            continue;
        };
        if let Some(v) = kv_in_tokens(&l.tokens, key) {
            return Some(v);
        }
    }
    None
}

fn kv_in_tokens(ts: &TokenStream, key: &str) -> Option<String> {
    let toks: Vec<TokenTree> = ts.clone().into_iter().collect();
    for (i, t) in toks.iter().enumerate() {
        let TokenTree::Ident(id) = t else { continue };
        if id != key {
            continue;
        }
        match toks.get(i + 1) {
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => match toks.get(i + 2) {
                Some(TokenTree::Ident(v)) => return Some(ident_str(v)),
                Some(tt) => {
                    if let Some(l) = super::lit_str_of(tt) {
                        return Some(l.value());
                    }
                }
                None => {}
            },
            Some(TokenTree::Group(g)) => {
                if let Some(v) = kv_in_tokens(&g.stream(), "serialize") {
                    return Some(v);
                }
            }
            _ => {}
        }
    }
    None
}

fn attr_has(attrs: &[Attribute], ns: &str, words: &[&str]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident(ns)
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.clone().into_iter().any(
                |t| matches!(&t, TokenTree::Ident(i) if words.iter().any(|w| i == w))
            ))
    })
}

/// serde's `rename_all` rules applied to a snake_case field name.
pub(crate) fn apply_case(name: &str, rule: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let cap = |w: &str| {
        let mut c = w.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    };
    match rule {
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "PascalCase" => words.iter().map(|w| cap(w)).collect(),
        "camelCase" => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.to_string() } else { cap(w) })
            .collect(),
        "SCREAMING_SNAKE_CASE" => name.to_uppercase(),
        "kebab-case" => name.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => name.replace('_', "-").to_uppercase(),
        _ => name.to_string(),
    }
}
