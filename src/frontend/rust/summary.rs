//! A rule-free, vocabulary-free summary of one Rust file: its structs (with
//! stored field names), the struct types it writes to datastores, what each
//! function returns to HTTP clients, and its routers. Built for the file
//! being analysed and for every file of its crate (see `index`).

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Block, Expr, FnArg, GenericArgument, Pat, PathArguments, Signature, Type};

use super::routes::{self, RouteTable};
use super::{Src, expr_lit_str, ident_str, is_auth_text, is_test_attrs, last_seg, lit_strs_in};
use crate::span::Span;

#[derive(Debug, Clone)]
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
    pub orm_skip: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct StructInfo {
    pub name: String,
    /// The table an ORM attribute names (`#[sea_orm(table_name = "x")]`).
    pub table: Option<String>,
    /// Derives an ORM mapping (sqlx FromRow, diesel, sea-orm).
    pub relational: bool,
    pub fields: Vec<FieldInfo>,
    pub is_test: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct WriteInfo {
    pub type_name: String,
    pub engine: &'static str,
    pub family: &'static str,
    pub target: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct AttrRoute {
    pub framework: &'static str,
    pub method: String,
    pub path: String,
    pub span: Span,
    pub wrap_auth: bool,
}

/// A value a handler hands to its response (`Json(x)`, `.json(x)`, tail).
#[derive(Debug, Clone)]
pub(crate) struct ValueRef {
    pub text: String,
    pub name: String,
    pub ty: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct HandlerInfo {
    pub name: String,
    pub ret_idents: Vec<String>,
    pub value_types: Vec<String>,
    pub values: Vec<ValueRef>,
    pub json_keys: Vec<String>,
    pub extractor_auth: bool,
    pub attr_route: Option<AttrRoute>,
    pub is_test: bool,
}

/// Which crates and clients a file mentions.
#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone, Default)]
pub(crate) struct LogImports {
    pub names: BTreeSet<String>,
    pub glob: bool,
    pub local_macros: BTreeSet<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub module: String,
    pub structs: Vec<StructInfo>,
    pub writes: Vec<WriteInfo>,
    pub handlers: Vec<HandlerInfo>,
    pub routes: RouteTable,
    pub mentions: Mentions,
    pub log_imports: LogImports,
}

pub(crate) fn summarize(file: &syn::File, src: &Src, module: &str) -> Summary {
    let mentions = Mentions::of(src.text);
    let mut c = Collector {
        src,
        test_depth: 0,
        structs: Vec::new(),
        fns: Vec::new(),
        log_imports: LogImports::default(),
        collections: Vec::new(),
        mentions: &mentions,
    };
    c.visit_file(file);
    let Collector {
        structs,
        fns,
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
    }
}

/// A function (free or in an impl) with its body.
pub(crate) struct FnRef<'a> {
    pub attrs: &'a [Attribute],
    pub sig: &'a Signature,
    pub block: &'a Block,
    pub is_test: bool,
}

struct Collector<'a, 's> {
    src: &'s Src<'s>,
    test_depth: usize,
    structs: Vec<StructInfo>,
    fns: Vec<FnRef<'a>>,
    log_imports: LogImports,
    collections: Vec<WriteInfo>,
    mentions: &'s Mentions,
}

impl<'a> Visit<'a> for Collector<'a, '_> {
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
                engine: "mongodb",
                family: "document",
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
                engine: "mongodb",
                family: "document",
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
fn is_model_name(t: &str) -> bool {
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
                orm_skip: attr_has(&f.attrs, "sqlx", &["skip"])
                    || attr_has(&f.attrs, "sea_orm", &["ignore"]),
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

// ------------------------------------------------------------------ types

const WRAPPERS: &[&str] = &[
    "Option",
    "Vec",
    "Box",
    "Arc",
    "Rc",
    "Cow",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Json",
    "Data",
    "Path",
    "Query",
    "Form",
    "Result",
    "HashSet",
    "BTreeSet",
    "VecDeque",
    "Nullable",
    "Array",
    "Extension",
    "State",
    "Valid",
    "ReqData",
    "Pin",
    "Reverse",
    "Wrapping",
    "Ready",
];

/// The type a value "is" for our purposes: wrappers, references, slices
/// stripped (`&[Option<Creator>]` -> `Creator`).
pub(crate) fn primary_type(ty: &Type) -> Option<String> {
    primary_type_d(ty, 0)
}

fn primary_type_d(ty: &Type, d: usize) -> Option<String> {
    if d > 32 {
        return None;
    }
    match ty {
        Type::Reference(r) => primary_type_d(&r.elem, d + 1),
        Type::Slice(s) => primary_type_d(&s.elem, d + 1),
        Type::Array(a) => primary_type_d(&a.elem, d + 1),
        Type::Paren(p) => primary_type_d(&p.elem, d + 1),
        Type::Group(g) => primary_type_d(&g.elem, d + 1),
        Type::Ptr(p) => primary_type_d(&p.elem, d + 1),
        Type::Path(p) => {
            let seg = p.path.segments.last()?;
            let name = ident_str(&seg.ident);
            if WRAPPERS.contains(&name.as_str())
                && let Some(t) = first_type_arg(&seg.arguments)
            {
                return primary_type_d(t, d + 1);
            }
            Some(name)
        }
        _ => None,
    }
}

pub(crate) fn first_type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// Every path segment a type names, generics included.
pub(crate) fn type_idents(ty: &Type, out: &mut Vec<String>) {
    struct V<'o>(&'o mut Vec<String>);
    impl<'ast> Visit<'ast> for V<'_> {
        fn visit_path_segment(&mut self, s: &'ast syn::PathSegment) {
            if self.0.len() < 64 {
                self.0.push(ident_str(&s.ident));
            }
            visit::visit_path_segment(self, s);
        }
    }
    V(out).visit_type(ty);
}

// -------------------------------------------------------------------- env

/// What is known about a local name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Binding {
    /// Primary type name (`Creator`, `str`, `i64`).
    pub ty: Option<String>,
    /// A serialized value of this type (`serde_json::to_string(&c)`).
    pub serialized: Option<String>,
    /// A `Collection<T>`: T and the collection name when known.
    pub collection: Option<(String, Option<String>)>,
    /// Keys of a `json!({...})` object.
    pub json_keys: Vec<String>,
}

/// Local names of one function, flow-insensitive.
#[derive(Debug, Default)]
pub(crate) struct Env {
    pub vars: HashMap<String, Binding>,
}

impl Env {
    pub fn build(sig: &Signature, block: &Block) -> Env {
        let mut env = Env::default();
        for input in &sig.inputs {
            if let FnArg::Typed(pt) = input {
                let b = binding_of_type(&pt.ty);
                env.bind_pat(&pt.pat, &b, 0);
            }
        }
        let mut v = EnvBuilder { env: &mut env };
        v.visit_block(block);
        env
    }

    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.vars.get(name)
    }

    fn bind_pat(&mut self, pat: &Pat, b: &Binding, d: usize) {
        if d > 16 {
            return;
        }
        match pat {
            Pat::Ident(pi) => {
                let name = ident_str(&pi.ident);
                let e = self.vars.entry(name).or_default();
                if e.ty.is_none() {
                    e.ty = b.ty.clone();
                }
                if e.serialized.is_none() {
                    e.serialized = b.serialized.clone();
                }
                if e.collection.is_none() {
                    e.collection = b.collection.clone();
                }
                if e.json_keys.is_empty() {
                    e.json_keys = b.json_keys.clone();
                }
            }
            Pat::TupleStruct(ts) => {
                for p in &ts.elems {
                    self.bind_pat(p, b, d + 1);
                }
            }
            Pat::Reference(r) => self.bind_pat(&r.pat, b, d + 1),
            Pat::Type(pt) => {
                let b2 = binding_of_type(&pt.ty);
                self.bind_pat(&pt.pat, &b2, d + 1);
            }
            Pat::Paren(p) => self.bind_pat(&p.pat, b, d + 1),
            _ => {}
        }
    }
}

fn binding_of_type(ty: &Type) -> Binding {
    let mut b = Binding {
        ty: primary_type(ty),
        ..Default::default()
    };
    let mut t = ty;
    while let Type::Reference(r) = t {
        t = &r.elem;
    }
    if let Type::Path(p) = t
        && let Some(seg) = p.path.segments.last()
        && seg.ident == "Collection"
        && let Some(inner) = first_type_arg(&seg.arguments).and_then(primary_type)
    {
        b.collection = Some((inner, None));
        b.ty = None;
    }
    b
}

struct EnvBuilder<'e> {
    env: &'e mut Env,
}

impl<'ast> Visit<'ast> for EnvBuilder<'_> {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        let b = match (&l.pat, &l.init) {
            (Pat::Type(pt), init) => {
                let mut b = binding_of_type(&pt.ty);
                // `let c: Collection<T> = db.collection("name")`
                if let (Some((t, None)), Some(init)) = (&b.collection, init)
                    && let Some((_, target)) = infer(&init.expr, self.env, 0).collection
                {
                    b.collection = Some((t.clone(), target));
                }
                if let (Some((t, None)), Some(init)) = (&b.collection, init)
                    && let Expr::MethodCall(mc) = &*init.expr
                    && mc.method == "collection"
                {
                    let target = mc.args.first().and_then(expr_lit_str).map(|l| l.value());
                    b.collection = Some((t.clone(), target));
                }
                b
            }
            (_, Some(init)) => infer(&init.expr, self.env, 0),
            _ => Binding::default(),
        };
        let pat = match &l.pat {
            Pat::Type(pt) => &*pt.pat,
            p => p,
        };
        self.env.bind_pat(pat, &b, 0);
        visit::visit_local(self, l);
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        let b = infer(&f.expr, self.env, 0);
        self.env.bind_pat(&f.pat, &b, 0);
        visit::visit_expr_for_loop(self, f);
    }

    fn visit_expr_method_call(&mut self, mc: &'ast syn::ExprMethodCall) {
        // `docs.iter().map(|d| ..)`: the closure's item is a doc.
        if matches!(
            mc.method.to_string().as_str(),
            "map"
                | "for_each"
                | "filter"
                | "filter_map"
                | "flat_map"
                | "try_for_each"
                | "inspect"
                | "find"
                | "any"
                | "all"
                | "and_then"
        ) && let Some(Expr::Closure(c)) = mc.args.first()
            && let Some(p) = c.inputs.first()
        {
            let b = infer(&mc.receiver, self.env, 0);
            self.env.bind_pat(p, &b, 0);
        }
        visit::visit_expr_method_call(self, mc);
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        for p in &c.inputs {
            if let Pat::Type(pt) = p {
                let b = binding_of_type(&pt.ty);
                self.env.bind_pat(&pt.pat, &b, 0);
            }
        }
        visit::visit_expr_closure(self, c);
    }
}

/// Methods that hand back (a view of) their receiver's value.
pub(crate) const TRANSPARENT: &[&str] = &[
    "clone",
    "to_string",
    "to_owned",
    "as_str",
    "as_ref",
    "as_deref",
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or",
    "unwrap_or_else",
    "to_lowercase",
    "to_uppercase",
    "trim",
    "borrow",
    "into",
    "iter",
    "into_iter",
    "cloned",
    "copied",
    "as_slice",
    "deref",
    "into_inner",
];

const SERIALIZER_CRATES: &[&str] = &[
    "serde_json",
    "bincode",
    "rmp_serde",
    "serde_cbor",
    "postcard",
    "serde_yaml",
    "toml",
    "simd_json",
    "ciborium",
];

/// What an expression evaluates to, as far as simple means tell.
pub(crate) fn infer(e: &Expr, env: &Env, d: usize) -> Binding {
    if d > 48 {
        return Binding::default();
    }
    match e {
        Expr::Reference(r) => infer(&r.expr, env, d + 1),
        Expr::Paren(p) => infer(&p.expr, env, d + 1),
        Expr::Group(g) => infer(&g.expr, env, d + 1),
        Expr::Try(t) => infer(&t.expr, env, d + 1),
        Expr::Await(a) => infer(&a.base, env, d + 1),
        Expr::Unary(u) => infer(&u.expr, env, d + 1),
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            env.get(&last_seg(&p.path)).cloned().unwrap_or_default()
        }
        Expr::Struct(s) => Binding {
            ty: Some(last_seg(&s.path)),
            ..Default::default()
        },
        Expr::Macro(m) => infer_macro(&m.mac, env, d),
        Expr::MethodCall(mc) => {
            let m = mc.method.to_string();
            if m == "collection"
                && let Some(tf) = &mc.turbofish
                && let Some(t) = tf.args.iter().find_map(|a| match a {
                    GenericArgument::Type(t) => primary_type(t),
                    _ => None,
                })
            {
                return Binding {
                    collection: Some((
                        t,
                        mc.args.first().and_then(expr_lit_str).map(|l| l.value()),
                    )),
                    ..Default::default()
                };
            }
            if TRANSPARENT.contains(&m.as_str()) {
                let b = infer(&mc.receiver, env, d + 1);
                if b.ty.is_some() || b.serialized.is_some() || !b.json_keys.is_empty() {
                    return b;
                }
            }
            Binding {
                ty: chain_turbofish(e, 0),
                ..Default::default()
            }
        }
        Expr::Call(c) => {
            if let Expr::Path(fp) = &*c.func {
                let segs: Vec<String> = fp
                    .path
                    .segments
                    .iter()
                    .map(|s| ident_str(&s.ident))
                    .collect();
                let last = segs.last().cloned().unwrap_or_default();
                if segs.len() >= 2
                    && SERIALIZER_CRATES.contains(&segs[segs.len() - 2].as_str())
                    && (last.starts_with("to_") || last == "serialize")
                    && let Some(a) = c.args.first()
                {
                    return Binding {
                        serialized: infer(a, env, d + 1).ty,
                        ..Default::default()
                    };
                }
                if matches!(last.as_str(), "Some" | "Ok" | "new" | "from")
                    && (segs.len() == 1 || matches!(segs[0].as_str(), "Box" | "Arc" | "Rc"))
                    && let Some(a) = c.args.first()
                {
                    return infer(a, env, d + 1);
                }
                if let Some(t) = chain_turbofish(e, 0) {
                    return Binding {
                        ty: Some(t),
                        ..Default::default()
                    };
                }
                if segs.len() >= 2 && is_model_name(&segs[segs.len() - 2]) {
                    return Binding {
                        ty: Some(segs[segs.len() - 2].clone()),
                        ..Default::default()
                    };
                }
            }
            Binding::default()
        }
        Expr::Array(a) => a
            .elems
            .first()
            .map(|x| infer(x, env, d + 1))
            .unwrap_or_default(),
        _ => Binding::default(),
    }
}

fn infer_macro(mac: &syn::Macro, env: &Env, d: usize) -> Binding {
    let name = last_seg(&mac.path);
    match name.as_str() {
        "query_as" | "query_as_unchecked" | "query_file_as" | "query_file_as_unchecked" => {
            let first = mac.tokens.clone().into_iter().next();
            let ty = match first {
                Some(TokenTree::Ident(i)) => {
                    // the last ident of a leading path `models::Creator`
                    let mut last = ident_str(&i);
                    let toks: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
                    let mut k = 1;
                    while k + 2 < toks.len() + 1 {
                        match (toks.get(k), toks.get(k + 1), toks.get(k + 2)) {
                            (
                                Some(TokenTree::Punct(a)),
                                Some(TokenTree::Punct(b)),
                                Some(TokenTree::Ident(n)),
                            ) if a.as_char() == ':' && b.as_char() == ':' => {
                                last = ident_str(n);
                                k += 3;
                            }
                            _ => break,
                        }
                    }
                    Some(last)
                }
                _ => None,
            };
            Binding {
                ty,
                ..Default::default()
            }
        }
        "json" => {
            if let Ok(inner) = syn::parse2::<Expr>(mac.tokens.clone())
                && !matches!(inner, Expr::Block(_))
            {
                return infer(&inner, env, d + 1);
            }
            Binding {
                json_keys: json_keys(&mac.tokens),
                ..Default::default()
            }
        }
        "vec" => match syn::parse2::<Expr>(mac.tokens.clone()) {
            Ok(inner) => infer(&inner, env, d + 1),
            Err(_) => Binding::default(),
        },
        _ => Binding::default(),
    }
}

/// Keys of a `json!` object literal (any depth): string literals followed
/// by `:`.
pub(crate) fn json_keys(ts: &TokenStream) -> Vec<String> {
    fn walk(ts: &TokenStream, out: &mut Vec<String>, d: usize) {
        if d > 32 || out.len() > 256 {
            return;
        }
        let toks: Vec<TokenTree> = ts.clone().into_iter().collect();
        for (i, t) in toks.iter().enumerate() {
            match t {
                TokenTree::Group(g) => walk(&g.stream(), out, d + 1),
                TokenTree::Literal(_) => {
                    if let (Some(l), Some(TokenTree::Punct(p))) =
                        (super::lit_str_of(t), toks.get(i + 1))
                        && p.as_char() == ':'
                    {
                        out.push(l.value());
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(ts, &mut out, 0);
    out
}

/// A model type named by a turbofish in a call chain
/// (`query_as::<_, Creator>(..)`, `.load::<Creator>(..)`).
fn chain_turbofish(e: &Expr, d: usize) -> Option<String> {
    if d > 256 {
        return None;
    }
    let from_args = |args: &syn::AngleBracketedGenericArguments| {
        args.args.iter().rev().find_map(|a| match a {
            GenericArgument::Type(t) => primary_type(t).filter(|n| is_model_name(n)),
            _ => None,
        })
    };
    match e {
        Expr::MethodCall(mc) => mc
            .turbofish
            .as_ref()
            .and_then(from_args)
            .or_else(|| chain_turbofish(&mc.receiver, d + 1)),
        Expr::Call(c) => {
            if let Expr::Path(p) = &*c.func {
                for seg in p.path.segments.iter().rev() {
                    if let PathArguments::AngleBracketed(a) = &seg.arguments
                        && let Some(t) = from_args(a)
                    {
                        return Some(t);
                    }
                }
            }
            None
        }
        Expr::Await(a) => chain_turbofish(&a.base, d + 1),
        Expr::Try(t) => chain_turbofish(&t.expr, d + 1),
        Expr::Paren(p) => chain_turbofish(&p.expr, d + 1),
        _ => None,
    }
}

// ----------------------------------------------------------------- writes

const REDIS_SETS: &[&str] = &[
    "set",
    "set_ex",
    "set_nx",
    "set_options",
    "set_multiple",
    "mset",
    "pset_ex",
    "hset",
    "hset_nx",
    "hset_multiple",
    "lpush",
    "rpush",
    "sadd",
    "zadd",
    "json_set",
    "arg",
    "xadd",
    "getset",
];

struct WriteFinder<'a, 's> {
    src: &'s Src<'s>,
    env: &'a Env,
    mentions: &'a Mentions,
    out: &'a mut Vec<WriteInfo>,
}

impl WriteFinder<'_, '_> {
    fn push(
        &mut self,
        ty: String,
        engine: &'static str,
        family: &'static str,
        target: Option<String>,
        span: Span,
    ) {
        if is_model_name(&ty) {
            self.out.push(WriteInfo {
                type_name: ty,
                engine,
                family,
                target,
                span,
            });
        }
    }
}

/// The first string literal inside the arguments of the first call named
/// one of `methods` in a receiver chain (`.index(IndexParts::IndexId("x", ..))`).
fn chain_target(e: &Expr, methods: &[&str], d: usize) -> Option<String> {
    if d > 256 {
        return None;
    }
    match e {
        Expr::MethodCall(mc) => {
            if methods.iter().any(|m| mc.method == m) {
                for a in &mc.args {
                    if let Some(l) = lit_strs_of_expr(a).into_iter().next() {
                        return Some(l);
                    }
                }
            }
            chain_target(&mc.receiver, methods, d + 1)
        }
        Expr::Await(a) => chain_target(&a.base, methods, d + 1),
        Expr::Try(t) => chain_target(&t.expr, methods, d + 1),
        _ => None,
    }
}

fn chain_has(e: &Expr, methods: &[&str], d: usize) -> bool {
    if d > 256 {
        return false;
    }
    match e {
        Expr::MethodCall(mc) => {
            methods.iter().any(|m| mc.method == m) || chain_has(&mc.receiver, methods, d + 1)
        }
        Expr::Await(a) => chain_has(&a.base, methods, d + 1),
        Expr::Try(t) => chain_has(&t.expr, methods, d + 1),
        _ => false,
    }
}

/// String literals inside an expression (macro bodies included).
pub(crate) fn lit_strs_of_expr(e: &Expr) -> Vec<String> {
    struct L(Vec<String>);
    impl<'ast> Visit<'ast> for L {
        fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
            if self.0.len() < 64 {
                self.0.push(l.value());
            }
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            let mut v = Vec::new();
            lit_strs_in(&m.tokens, &mut v, 0);
            self.0.extend(v.into_iter().map(|l| l.value()));
        }
    }
    let mut l = L(Vec::new());
    l.visit_expr(e);
    l.0
}

impl<'ast> Visit<'ast> for WriteFinder<'_, '_> {
    fn visit_expr_method_call(&mut self, mc: &'ast syn::ExprMethodCall) {
        let m = mc.method.to_string();
        let span = self
            .src
            .span2(mc.method.span(), mc.paren_token.span.close());
        if (self.mentions.elasticsearch || self.mentions.opensearch)
            && m == "body"
            && chain_has(&mc.receiver, &["index", "create", "update", "bulk"], 0)
            && let Some(a) = mc.args.first()
            && let Some(t) = infer(a, self.env, 0).ty
        {
            let target = chain_target(&mc.receiver, &["index", "create", "update", "bulk"], 0);
            let engine = self.mentions.search_engine();
            self.push(t, engine, "search", target, span);
        }
        if self.mentions.mongodb
            && matches!(
                m.as_str(),
                "insert_one" | "insert_many" | "replace_one" | "find_one_and_replace"
            )
        {
            let arg = if m.contains("replace") {
                mc.args.iter().nth(1).or(mc.args.first())
            } else {
                mc.args.first()
            };
            let recv_b = infer(&mc.receiver, self.env, 0);
            let t = arg
                .and_then(|a| infer(a, self.env, 0).ty)
                .or_else(|| recv_b.collection.as_ref().map(|c| c.0.clone()));
            let target = recv_b
                .collection
                .and_then(|c| c.1)
                .or_else(|| chain_target(&mc.receiver, &["collection"], 0));
            if let Some(t) = t {
                self.push(t, "mongodb", "document", target, span);
            }
        }
        if self.mentions.redis && REDIS_SETS.contains(&m.as_str()) {
            for a in &mc.args {
                let b = infer(a, self.env, 0);
                let t = b.serialized.or(if m == "json_set" { b.ty } else { None });
                if let Some(t) = t {
                    let target = if m == "arg" {
                        None
                    } else {
                        mc.args.first().and_then(expr_lit_str).map(|l| l.value())
                    };
                    self.push(t, "redis", "key-value", target, span);
                }
            }
        }
        visit::visit_expr_method_call(self, mc);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if (self.mentions.elasticsearch || self.mentions.opensearch)
            && let Expr::Path(p) = &*c.func
            && p.path.segments.len() >= 2
            && p.path.segments[p.path.segments.len() - 2].ident == "BulkOperation"
            && let Some(a) = c.args.last()
            && let Some(t) = infer(a, self.env, 0).ty
        {
            let engine = self.mentions.search_engine();
            let span = self.src.span(c.span());
            self.push(t, engine, "search", None, span);
        }
        visit::visit_expr_call(self, c);
    }
}

// --------------------------------------------------------------- handlers

const AUTH_EXTRACTOR_WORDS: &[&str] = &[
    "auth",
    "claims",
    "session",
    "currentuser",
    "identity",
    "bearer",
    "jwt",
    "principal",
    "loggedin",
    "signedin",
    "apikey",
    "accesstoken",
    "requireuser",
    "guard",
];

fn handler_info(f: &FnRef, env: &Env, mentions: &Mentions, src: &Src) -> HandlerInfo {
    let mut ret_idents = Vec::new();
    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
        type_idents(ty, &mut ret_idents);
    }
    let extractor_auth = f.sig.inputs.iter().any(|i| match i {
        FnArg::Typed(pt) => {
            let mut ids = Vec::new();
            type_idents(&pt.ty, &mut ids);
            ids.iter().any(|id| {
                let l = id.to_ascii_lowercase();
                AUTH_EXTRACTOR_WORDS.iter().any(|w| l.contains(w))
            })
        }
        FnArg::Receiver(_) => false,
    });
    let mut r = Responses {
        env,
        src,
        value_types: Vec::new(),
        values: Vec::new(),
        json_keys: Vec::new(),
    };
    r.visit_block(f.block);
    if let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last() {
        r.responded(tail, 0);
    }
    let attr_route = if mentions.actix || mentions.rocket {
        attr_route(f.attrs, mentions)
    } else {
        None
    };
    HandlerInfo {
        name: ident_str(&f.sig.ident),
        ret_idents,
        value_types: r.value_types,
        values: r.values,
        json_keys: r.json_keys,
        extractor_auth,
        attr_route,
        is_test: f.is_test,
    }
}

fn attr_route(attrs: &[Attribute], mentions: &Mentions) -> Option<AttrRoute> {
    for a in attrs {
        let last = last_seg(a.path());
        let method = match last.as_str() {
            "get" | "post" | "put" | "delete" | "patch" | "head" | "options" | "trace"
            | "route" => last.to_ascii_uppercase(),
            _ => continue,
        };
        let syn::Meta::List(l) = &a.meta else {
            continue;
        };
        let toks: Vec<TokenTree> = l.tokens.clone().into_iter().collect();
        let Some(path) = toks.first().and_then(super::lit_str_of) else {
            continue;
        };
        let rest: TokenStream = toks.iter().skip(1).cloned().collect();
        let rest_text = rest.to_string();
        let method = if method == "ROUTE" {
            let mut lits = Vec::new();
            lit_strs_in(&rest, &mut lits, 0);
            lits.iter()
                .map(|l| l.value())
                .find(|v| v.chars().all(|c| c.is_ascii_uppercase()))
                .unwrap_or_else(|| "ANY".into())
        } else {
            method
        };
        return Some(AttrRoute {
            framework: if mentions.actix {
                "actix-web"
            } else {
                "rocket"
            },
            method,
            path: path.value(),
            span: Span::default(),
            wrap_auth: is_auth_text(&rest_text),
        })
        .map(|mut r| {
            r.span = span_of_attr(a);
            r
        });
    }
    None
}

fn span_of_attr(a: &Attribute) -> Span {
    let s = a.pound_token.span;
    let e = a.bracket_token.span.close();
    let (st, en) = (s.start(), e.end());
    Span::new(
        st.line.max(1) as u32,
        st.column as u32 + 1,
        en.line.max(1) as u32,
        en.column as u32 + 1,
    )
}

/// Collects what a handler puts in its response.
struct Responses<'e> {
    env: &'e Env,
    src: &'e Src<'e>,
    value_types: Vec<String>,
    values: Vec<ValueRef>,
    json_keys: Vec<String>,
}

impl Responses<'_> {
    fn responded(&mut self, e: &Expr, d: usize) {
        if d > 32 {
            return;
        }
        match e {
            Expr::Call(c) => {
                if let Expr::Path(p) = &*c.func {
                    let last = last_seg(&p.path);
                    if matches!(last.as_str(), "Json" | "Ok" | "Some" | "Html") {
                        if let Some(a) = c.args.first() {
                            self.responded(a, d + 1);
                        }
                        return;
                    }
                }
                self.general(e);
            }
            Expr::Paren(p) => self.responded(&p.expr, d + 1),
            Expr::Reference(r) => self.responded(&r.expr, d + 1),
            Expr::Try(t) => self.responded(&t.expr, d + 1),
            Expr::Await(a) => self.responded(&a.base, d + 1),
            Expr::Tuple(t) => {
                for x in &t.elems {
                    self.responded(x, d + 1);
                }
            }
            Expr::MethodCall(mc) if mc.method == "json" || mc.method == "body" => {
                if let Some(a) = mc.args.first() {
                    self.responded(a, d + 1);
                }
            }
            _ => self.general(e),
        }
    }

    fn general(&mut self, e: &Expr) {
        let b = infer(e, self.env, 0);
        if let Some(t) = &b.ty {
            self.value_types.push(t.clone());
        }
        self.json_keys.extend(b.json_keys.iter().cloned());
        let mut x = e;
        loop {
            match x {
                Expr::Reference(r) => x = &r.expr,
                Expr::Paren(p) => x = &p.expr,
                Expr::MethodCall(mc) if TRANSPARENT.contains(&mc.method.to_string().as_str()) => {
                    x = &mc.receiver
                }
                _ => break,
            }
        }
        let name = match x {
            Expr::Path(p) if p.path.segments.len() == 1 => Some(last_seg(&p.path)),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => Some(ident_str(n)),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = name {
            let ty = match x {
                Expr::Path(_) => b.ty.clone(),
                _ => None,
            };
            let text = self.src.text_of(x.span());
            self.values.push(ValueRef { text, name, ty });
        }
    }
}

impl<'ast> Visit<'ast> for Responses<'_> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func
            && last_seg(&p.path) == "Json"
            && c.args.len() == 1
        {
            self.responded(&c.args[0], 0);
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, mc: &'ast syn::ExprMethodCall) {
        if mc.method == "json" && mc.args.len() == 1 {
            self.responded(&mc.args[0], 0);
        }
        visit::visit_expr_method_call(self, mc);
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.responded(e, 0);
        }
        visit::visit_expr_return(self, r);
    }

    fn visit_expr_closure(&mut self, _c: &'ast syn::ExprClosure) {
        // A closure's `return` is not the handler's.
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}
