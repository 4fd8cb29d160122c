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
use super::{Src, expr_lit_str, ident_str, is_test_attrs};
use crate::facts::DataKind;
use crate::span::Span;
use crate::vocab::Vocabulary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FieldInfo {
    pub rust_name: String,
    /// Name given by an ORM attribute (`sqlx(rename)`, `diesel(column_name)`).
    pub orm_name: Option<String>,
    /// Name given by serde (`rename`, `rename_all`).
    pub serde_name: Option<String>,
    /// The innermost type (`Option<&str>` -> `str`), for the classifier.
    pub inner_ty: String,
    /// Every path segment named in the type, for nested struct lookups.
    pub ty_idents: Vec<String>,
    pub span: Span,
    pub serde_skip: bool,
    /// `#[serde(flatten)]`: the field's own fields sit beside its siblings.
    #[serde(default)]
    pub serde_flatten: bool,
    pub orm_skip: bool,
    /// The contact kind of the stored field (see `model::classify_field`).
    #[serde(default)]
    pub contact: Option<DataKind>,
    /// The contact kind of a value read from this field (`x.field`), by its
    /// Rust name and type.
    #[serde(default)]
    pub value_kind: Option<DataKind>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StructInfo {
    pub name: String,
    /// The table an ORM attribute names (`#[sea_orm(table_name = "x")]`).
    pub table: Option<String>,
    /// Derives an ORM mapping (sqlx FromRow, diesel, sea-orm).
    pub relational: bool,
    pub fields: Vec<FieldInfo>,
    pub is_test: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct WriteInfo {
    pub type_name: String,
    pub engine: String,
    pub family: String,
    pub target: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AttrRoute {
    pub framework: String,
    pub method: String,
    pub path: String,
    pub span: Span,
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
    pub ret_idents: Vec<String>,
    pub value_types: Vec<String>,
    /// Folded into `served_values` by [`classify`]; not kept.
    #[serde(skip)]
    pub values: Vec<ValueRef>,
    #[serde(skip)]
    pub json_keys: Vec<String>,
    /// The response values and `json!` keys that hold contact data
    /// (`creator.email`, `json.phone`), in order.
    #[serde(default)]
    pub served_values: Vec<String>,
    pub extractor_auth: bool,
    pub attr_route: Option<AttrRoute>,
    pub is_test: bool,
}

/// Which crates and clients a file mentions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Mentions {
    pub elasticsearch: bool,
    pub opensearch: bool,
    pub mongodb: bool,
    pub redis: bool,
    pub actix: bool,
    pub rocket: bool,
    pub postgres: bool,
    pub mysql: bool,
    pub sqlite: bool,
    pub macro_use_log: bool,
}

impl Mentions {
    fn of(text: &str) -> Self {
        let has = |ws: &[&str]| ws.iter().any(|w| text.contains(w));
        Mentions {
            elasticsearch: has(&["elasticsearch::", "use elasticsearch", "Elasticsearch"]),
            opensearch: has(&["opensearch::", "use opensearch", "OpenSearch::"]),
            mongodb: has(&["mongodb::", "use mongodb", "wither::"]),
            redis: has(&[
                "redis::",
                "use redis",
                "deadpool_redis",
                "bb8_redis",
                "fred::",
            ]),
            actix: has(&["actix_web", "actix-web"]),
            rocket: has(&["rocket::", "use rocket", "#[macro_use] extern crate rocket"]),
            postgres: has(&[
                "PgPool",
                "PgConnection",
                "sqlx::Postgres",
                "tokio_postgres",
                "diesel::pg",
                "postgres::",
                "PgPoolOptions",
            ]),
            mysql: has(&["MySqlPool", "MysqlConnection", "mysql_async", "sqlx::MySql"]),
            sqlite: has(&["SqlitePool", "SqliteConnection", "rusqlite", "sqlx::Sqlite"]),
            macro_use_log: has(&[
                "#[macro_use]\nextern crate log",
                "#[macro_use] extern crate log",
                "#[macro_use] extern crate tracing",
                "#[macro_use]\nextern crate tracing",
            ]),
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
    pub names: BTreeSet<String>,
    pub glob: bool,
    pub local_macros: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Summary {
    pub module: String,
    pub structs: Vec<StructInfo>,
    pub writes: Vec<WriteInfo>,
    pub handlers: Vec<HandlerInfo>,
    pub routes: RouteTable,
    pub mentions: Mentions,
    pub log_imports: LogImports,
    /// Struct types the file fills from the environment (envy, config).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_fills: Vec<EnvFill>,
}

pub(crate) fn summarize(file: &syn::File, src: &Src, module: &str) -> Summary {
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
    let fns = functions(file);
    let Collector {
        structs,
        log_imports,
        collections,
        ..
    } = c;
    let mut writes = collections;
    let mut handlers = Vec::new();
    let envs: Vec<Env> = fns.iter().map(|f| Env::build(f.sig, f.block)).collect();
    for (f, env) in fns.iter().zip(&envs) {
        let mut w = WriteFinder {
            src,
            env,
            mentions: &mentions,
            out: &mut writes,
        };
        w.visit_block(f.block);
        handlers.push(handler_info(f, env, &mentions, src));
    }
    let routes = routes::evaluate(&fns, src);
    Summary {
        module: module.to_string(),
        structs,
        writes,
        handlers,
        routes,
        mentions,
        log_imports,
        env_fills: super::envcfg::fills(file, src),
    }
}

/// Records the vocabulary's verdicts in a summary: each field's stored
/// contact kind and value kind, and each handler's contact values.
pub(crate) fn classify(s: &mut Summary, vocab: &Vocabulary) {
    let cls = &vocab.classifier;
    for st in &mut s.structs {
        let relational = st.relational;
        for f in &mut st.fields {
            f.contact = super::model::classify_field(f, relational, vocab);
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
}

/// Every function of a file (free and in impls), marked when it is test
/// code: one walk shared by the summary and the log analysis.
pub(crate) fn functions(file: &syn::File) -> Vec<FnRef<'_>> {
    let mut c = FnCollector {
        fns: Vec::new(),
        test_depth: 0,
    };
    c.visit_file(file);
    c.fns
}

struct FnCollector<'a> {
    fns: Vec<FnRef<'a>>,
    test_depth: usize,
}

impl<'a> Visit<'a> for FnCollector<'a> {
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        let t = is_test_attrs(&m.attrs) as usize;
        self.test_depth += t;
        visit::visit_item_mod(self, m);
        self.test_depth -= t;
    }
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.fns.push(FnRef {
            attrs: &f.attrs,
            sig: &f.sig,
            block: &f.block,
            is_test: self.test_depth > 0 || is_test_attrs(&f.attrs),
        });
        visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.fns.push(FnRef {
            attrs: &f.attrs,
            sig: &f.sig,
            block: &f.block,
            is_test: self.test_depth > 0 || is_test_attrs(&f.attrs),
        });
        visit::visit_impl_item_fn(self, f);
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
