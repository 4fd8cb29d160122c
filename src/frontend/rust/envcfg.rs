//! Configuration structs filled from the environment: `envy::from_env`,
//! `envy::prefixed("APP_")`, the `config` crate's `Environment` source and
//! figment's `Env` provider, each deserialising a struct whose fields are
//! then read where the code connects (`PgPool::connect(&cfg.database_url)`).
//!
//! A file records, in its summary, the struct types it fills from the
//! environment and with which names ([`EnvFill`]); each typed field read
//! that may be a connection URL becomes a candidate ([`EnvRead`]). Crate
//! resolution decides the candidates: the read's type chain is followed
//! through the crate's structs, and when a struct on it is filled from the
//! environment the read becomes a `Connection` with the variable's name, as
//! `std::env::var("DATABASE_URL")` would.
//!
//! Precision: a struct is an environment struct only when some non-test code
//! of the crate hands it to one of these deserialisers; a struct read from a
//! file (`toml::from_str`, `serde_json::from_str`) or never deserialised is
//! not.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, GenericArgument, Pat, PathArguments, ReturnType, Signature, Stmt, Type};

use super::conn::{Flags, env_connection, is_urlish};
use super::infer::{Env, TRANSPARENT, primary_type};
use super::summary::{FnRef, Functions};
use super::unit::{Pending, TypeExpr};
use super::view::View;
use super::{Out, Src, World, expr_lit_str, ident_str, last_seg, segs};
use crate::facts::{Connection, FactData};
use crate::span::Span;

/// At most this many fills and reads are kept per file.
const MAX_FILLS: usize = 64;
const MAX_READS: usize = 256;

/// A struct type some code of the file deserialises from the environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EnvFill {
    pub type_name: String,
    /// Text of every variable name before the first key segment (`APP_`,
    /// `APP__`, empty).
    pub prefix: String,
    /// Between the key segments of a nested struct's field (`__`); `None`
    /// when only top-level fields can come from the environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<String>,
    /// `envy`, `config` or `figment`.
    pub via: String,
}

/// A field read (`cfg.database_url`, `state.config.mongo.url`): a
/// connection when a struct on its type chain is filled from the
/// environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct EnvRead {
    pub span: Span,
    pub anchor: String,
    /// The type of the read's base and the fields read, the read field last.
    pub value: TypeExpr,
    /// The clients the reading function builds (the engine of a variable
    /// named only `DATABASE_URL`).
    pub flags: Flags,
    pub search_engine: String,
}

// ------------------------------------------------------------ functions

/// Whether a function is test code for this analysis: in a test module, a
/// test impl, or marked itself.
fn is_test_fn(f: &FnRef) -> bool {
    f.is_test || f.in_test_impl
}

/// A module-level `static` (`static CONFIG: Lazy<Config> = …`).
struct StaticItem<'a> {
    name: String,
    ty: Option<String>,
    init: &'a Expr,
}

fn statics_of<'a>(fns: &Functions<'a>) -> Vec<StaticItem<'a>> {
    fns.statics
        .iter()
        .map(|s| StaticItem {
            name: ident_str(&s.ident),
            ty: cell_type(&s.ty),
            init: &s.expr,
        })
        .collect()
}

/// The file's string constants (`const PREFIX: &str = "APP_";`), the last
/// of a name winning.
fn consts_of(fns: &Functions) -> HashMap<String, String> {
    let mut consts = HashMap::new();
    for c in &fns.consts {
        if let Some(l) = expr_lit_str(&c.expr) {
            consts.insert(ident_str(&c.ident), l.value());
        }
    }
    consts
}

/// The type a `static` holds, through lazy cells.
fn static_types(statics: &[StaticItem]) -> HashMap<String, String> {
    statics
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.ty.clone()?)))
        .collect()
}

/// Primary return types of the file's free functions, by name.
fn fn_returns(fns: &Functions) -> HashMap<String, String> {
    fns.fns
        .iter()
        .filter(|f| f.self_ty.is_none() && !is_test_fn(f))
        .filter_map(|f| Some((ident_str(&f.sig.ident), return_type(f.sig, None)?)))
        .collect()
}

/// The type a value of `ty` gives access to, through lazy and once cells
/// and the usual wrappers (`Lazy<Arc<Config>>` -> `Config`).
fn cell_type(ty: &Type) -> Option<String> {
    if let Type::Path(p) = ty
        && let Some(seg) = p.path.segments.last()
        && matches!(
            ident_str(&seg.ident).as_str(),
            "Lazy" | "LazyLock" | "LazyCell" | "OnceLock" | "OnceCell"
        )
        && let Some(inner) = type_arg(&seg.arguments)
    {
        return primary_type(inner);
    }
    primary_type(ty)
}

fn type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The primary type a function returns (`Result<Self, E>` -> the impl's
/// type).
fn return_type(sig: &Signature, self_ty: Option<&str>) -> Option<String> {
    let ReturnType::Type(_, t) = &sig.output else {
        return None;
    };
    let t = primary_type(t)?;
    if t == "Self" {
        return self_ty.map(str::to_string);
    }
    Some(t)
}

/// A function's local names, with `self` (and `Self`) as the impl's type:
/// a view of the function's [`Env`] that changes nothing in it.
#[derive(Clone, Copy)]
struct FnEnv<'e, 'a> {
    env: &'e Env<'a>,
    self_ty: Option<&'e str>,
}

impl<'e, 'a> FnEnv<'e, 'a> {
    /// The type of a bound name: `None` when unbound, `Some(None)` when
    /// bound without a known type.
    fn ty(&self, name: &str) -> Option<Option<String>> {
        if let Some(t) = self.self_ty
            && name == "self"
        {
            return Some(Some(t.to_string()));
        }
        let b = self.env.get(name)?;
        Some(match (&b.ty, self.self_ty) {
            (Some(t), Some(s)) if t == "Self" => Some(s.to_string()),
            (t, _) => t.clone(),
        })
    }

    /// The expression a local is bound from, when bound once (`self` is
    /// bound by the receiver, from nothing).
    fn origin(&self, name: &str) -> Option<&'a Expr> {
        if self.self_ty.is_some() && name == "self" {
            return None;
        }
        self.env.origin(name)
    }
}

/// A type a configuration could be: a named, non-builtin struct type.
fn is_struct_name(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
        && !matches!(
            t,
            "String" | "Self" | "Value" | "Map" | "HashMap" | "BTreeMap"
        )
}

// ------------------------------------------------------------------ fills

/// Which deserialisers a file may use, from its text.
#[derive(Clone, Copy)]
struct Crates {
    envy: bool,
    config: bool,
    figment: bool,
}

/// A source of variables for one deserialisation: `(prefix, nested, via)`.
type Source = (String, Option<String>, &'static str);

/// The struct types a file fills from the environment.
/// `envs` are the local names of `fns.fns`, in order.
pub(crate) fn fills(fns: &Functions, envs: &[Env], src: &Src) -> Vec<EnvFill> {
    let t = src.text;
    let crates = Crates {
        envy: t.contains("envy"),
        config: t.contains("config::") || t.contains("config ::"),
        figment: t.contains("figment"),
    };
    if !crates.envy && !crates.config && !crates.figment {
        return Vec::new();
    }
    let consts = consts_of(fns);
    let mut out: Vec<EnvFill> = Vec::new();
    for (f, env) in fns.fns.iter().zip(envs) {
        if is_test_fn(f) {
            continue;
        }
        let ret = return_type(f.sig, f.self_ty.as_deref());
        let mut finder = Finder {
            env: FnEnv {
                env,
                self_ty: f.self_ty.as_deref(),
            },
            consts: &consts,
            crates,
            sources: Vec::new(),
            locals: HashMap::new(),
            self_ty: f.self_ty.as_deref(),
            found: Vec::new(),
        };
        let mut sources = SourceFinder {
            finder: &finder,
            found: Vec::new(),
        };
        sources.visit_block(f.block);
        finder.sources = sources.found;
        finder.visit_block(f.block);
        // The function's value: its tail and its `return`s.
        let mut values: Vec<&Expr> = Vec::new();
        if let Some(Stmt::Expr(e, None)) = f.block.stmts.last() {
            values.push(e);
        }
        let mut returns = Returns(Vec::new());
        returns.visit_block(f.block);
        values.extend(returns.0);
        if let Some(ty) = ret {
            for v in values {
                finder.typed(&ty, v);
            }
        }
        out.extend(finder.found);
    }
    let empty = Env::default();
    for s in &statics_of(fns) {
        let Some(ty) = &s.ty else { continue };
        let mut finder = Finder {
            env: FnEnv {
                env: &empty,
                self_ty: None,
            },
            consts: &consts,
            crates,
            sources: Vec::new(),
            locals: HashMap::new(),
            self_ty: None,
            found: Vec::new(),
        };
        let mut sources = SourceFinder {
            finder: &finder,
            found: Vec::new(),
        };
        sources.visit_expr(s.init);
        finder.sources = sources.found;
        finder.visit_expr(s.init);
        finder.typed(ty, s.init);
        out.extend(finder.found);
    }
    let mut kept: Vec<EnvFill> = Vec::new();
    for f in out {
        if kept.len() < MAX_FILLS && !kept.contains(&f) {
            kept.push(f);
        }
    }
    kept
}

/// `return` expressions of a function body (not of its closures).
struct Returns<'a>(Vec<&'a Expr>);

impl<'a> Visit<'a> for Returns<'a> {
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.0.push(e);
        }
        visit::visit_expr_return(self, r);
    }
    fn visit_expr_closure(&mut self, _c: &'a syn::ExprClosure) {}
    fn visit_item(&mut self, _i: &'a syn::Item) {}
}

/// What a deserialisation call reads and the type it names, if any.
struct Site {
    sources: Vec<Source>,
    turbofish: Option<String>,
}

struct Finder<'e> {
    env: FnEnv<'e, 'e>,
    consts: &'e HashMap<String, String>,
    crates: Crates,
    /// The environment sources built in the function (config, figment).
    sources: Vec<Source>,
    /// Locals bound, untyped, from a deserialisation (`let cfg =
    /// envy::from_env()?;`): their type is what the function returns.
    locals: HashMap<String, Vec<Source>>,
    self_ty: Option<&'e str>,
    found: Vec<EnvFill>,
}

/// Methods and calls through which a deserialised value stays the value
/// (`?`, `.expect(..)`, `.map_err(..)`, `Ok(..)`, `Arc::new(..)`).
const KEEPS_VALUE: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "unwrap_or_else",
    "unwrap_or",
    "map_err",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
    "ok",
    "ok_or",
    "ok_or_else",
    "into",
];

/// The expression whose value an expression hands on: through `?`,
/// `.await`, result adapters, `Ok(..)`, `Arc::new(..)`, blocks and
/// closures (`Lazy::new(|| envy::from_env().unwrap())`).
fn value_root(e: &Expr, d: usize) -> &Expr {
    if d > 32 {
        return e;
    }
    match e {
        Expr::Try(t) => value_root(&t.expr, d + 1),
        Expr::Await(a) => value_root(&a.base, d + 1),
        Expr::Paren(p) => value_root(&p.expr, d + 1),
        Expr::Group(g) => value_root(&g.expr, d + 1),
        Expr::Reference(r) => value_root(&r.expr, d + 1),
        Expr::Closure(c) => value_root(&c.body, d + 1),
        Expr::Match(m) => value_root(&m.expr, d + 1),
        Expr::Block(b) => match b.block.stmts.last() {
            Some(Stmt::Expr(x, None)) => value_root(x, d + 1),
            _ => e,
        },
        Expr::MethodCall(mc) if KEEPS_VALUE.contains(&mc.method.to_string().as_str()) => {
            value_root(&mc.receiver, d + 1)
        }
        Expr::Call(c) if c.args.len() == 1 => {
            let Expr::Path(p) = &*c.func else { return e };
            match last_seg(&p.path).as_str() {
                "Ok" | "Some" | "new" | "from" => match c.args.first() {
                    Some(a) => value_root(a, d + 1),
                    None => e,
                },
                _ => e,
            }
        }
        _ => e,
    }
}

fn turbofish_type(args: &syn::AngleBracketedGenericArguments) -> Option<String> {
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => primary_type(t),
        _ => None,
    })
}

impl Finder<'_> {
    /// A string argument: a literal or a module-level constant.
    fn str_arg(&self, e: Option<&Expr>) -> Option<String> {
        let e = e?;
        if let Some(l) = expr_lit_str(e) {
            return Some(l.value());
        }
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 => {
                self.consts.get(&last_seg(&p.path)).cloned()
            }
            Expr::Reference(r) => self.str_arg(Some(&r.expr)),
            _ => None,
        }
    }

    /// `envy::prefixed("APP_")` (directly or through a local).
    fn envy_prefix(&self, e: &Expr, d: usize) -> Option<String> {
        if d > 8 {
            return None;
        }
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let s = segs(&p.path);
                let named = match s.as_slice() {
                    [.., a, b] => a == "envy" && b == "prefixed",
                    [b] => b == "prefixed",
                    [] => false,
                };
                if !named {
                    return None;
                }
                self.str_arg(c.args.first())
            }
            Expr::Paren(p) => self.envy_prefix(&p.expr, d + 1),
            Expr::Reference(r) => self.envy_prefix(&r.expr, d + 1),
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let o = self.env.origin(&last_seg(&p.path))?;
                self.envy_prefix(o, d + 1)
            }
            _ => None,
        }
    }

    /// A deserialisation from the environment.
    fn site(&self, e: &Expr) -> Option<Site> {
        match e {
            Expr::Call(c) if self.crates.envy => {
                let Expr::Path(p) = &*c.func else { return None };
                let s = segs(&p.path);
                let named = match s.as_slice() {
                    [.., a, b] => a == "envy" && b == "from_env",
                    [b] => b == "from_env",
                    [] => false,
                };
                if !named {
                    return None;
                }
                let turbofish = p.path.segments.last().and_then(|seg| match &seg.arguments {
                    PathArguments::AngleBracketed(a) => turbofish_type(a),
                    _ => None,
                });
                Some(Site {
                    sources: vec![(String::new(), None, "envy")],
                    turbofish,
                })
            }
            Expr::MethodCall(mc) => {
                let m = mc.method.to_string();
                let turbofish = mc.turbofish.as_ref().and_then(turbofish_type);
                if m == "from_env" && self.crates.envy {
                    let prefix = self.envy_prefix(&mc.receiver, 0)?;
                    return Some(Site {
                        sources: vec![(prefix, None, "envy")],
                        turbofish,
                    });
                }
                let wanted = match m.as_str() {
                    "try_deserialize" | "try_into" => "config",
                    "extract" => "figment",
                    _ => return None,
                };
                let sources: Vec<Source> = self
                    .sources
                    .iter()
                    .filter(|s| s.2 == wanted)
                    .cloned()
                    .collect();
                (!sources.is_empty()).then_some(Site { sources, turbofish })
            }
            _ => None,
        }
    }

    fn push(&mut self, ty: &str, sources: &[Source]) {
        let ty = if ty == "Self" {
            match self.self_ty {
                Some(t) => t,
                None => return,
            }
        } else {
            ty
        };
        if !is_struct_name(ty) {
            return;
        }
        for (prefix, nested, via) in sources {
            self.found.push(EnvFill {
                type_name: ty.to_string(),
                prefix: prefix.clone(),
                nested: nested.clone(),
                via: (*via).to_string(),
            });
        }
    }

    /// A value of type `ty` (a typed `let`, a function's result): a fill
    /// when it is a deserialisation or a local bound from one.
    fn typed(&mut self, ty: &str, value: &Expr) {
        let root = value_root(value, 0);
        if let Some(site) = self.site(root) {
            self.push(ty, &site.sources);
            return;
        }
        if let Expr::Path(p) = root
            && p.path.segments.len() == 1
            && let Some(sources) = self.locals.get(&last_seg(&p.path)).cloned()
        {
            self.push(ty, &sources);
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if let Some(site) = self.site(e)
            && let Some(t) = &site.turbofish
        {
            let t = t.clone();
            self.push(&t, &site.sources);
        }
        visit::visit_expr(self, e);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let Some(init) = &l.init {
            match &l.pat {
                Pat::Type(pt) => {
                    if let Some(t) = primary_type(&pt.ty) {
                        self.typed(&t, &init.expr);
                    }
                }
                Pat::Ident(pi) => {
                    if let Some(site) = self.site(value_root(&init.expr, 0))
                        && site.turbofish.is_none()
                    {
                        self.locals.insert(ident_str(&pi.ident), site.sources);
                    }
                }
                _ => {}
            }
        }
        visit::visit_local(self, l);
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}

/// The environment sources an expression builds: config's
/// `Environment::with_prefix("APP").separator("__")`, figment's
/// `Env::prefixed("APP_").split("__")`.
struct SourceFinder<'f, 'e> {
    finder: &'f Finder<'e>,
    found: Vec<Source>,
}

/// A source being read off a builder chain.
#[derive(Default)]
struct Builder {
    via: &'static str,
    prefix: Option<String>,
    separator: Option<String>,
    prefix_separator: Option<String>,
}

impl SourceFinder<'_, '_> {
    fn builder(&self, e: &Expr, d: usize) -> Option<Builder> {
        if d > 32 {
            return None;
        }
        let f = self.finder;
        match e {
            Expr::MethodCall(mc) => {
                let m = mc.method.to_string();
                let mut b = self.builder(&mc.receiver, d + 1)?;
                let arg = || f.str_arg(mc.args.first());
                match (b.via, m.as_str()) {
                    ("config", "separator") | ("figment", "split") => b.separator = Some(arg()?),
                    ("config", "prefix_separator") => b.prefix_separator = Some(arg()?),
                    ("config", "prefix") => b.prefix = Some(arg()?),
                    // Key rewriting: the names are no longer the fields'.
                    (_, "map" | "filter_map" | "convert_case" | "with_convert_case") => {
                        return None;
                    }
                    _ => {}
                }
                Some(b)
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let s = segs(&p.path);
                let [.., ty, ctor] = s.as_slice() else {
                    return None;
                };
                match (ty.as_str(), ctor.as_str()) {
                    ("Environment", "default" | "new") if f.crates.config => Some(Builder {
                        via: "config",
                        ..Default::default()
                    }),
                    ("Environment", "with_prefix") if f.crates.config => Some(Builder {
                        via: "config",
                        prefix: Some(f.str_arg(c.args.first())?),
                        ..Default::default()
                    }),
                    ("Env", "prefixed") if f.crates.figment => Some(Builder {
                        via: "figment",
                        prefix: Some(f.str_arg(c.args.first())?),
                        ..Default::default()
                    }),
                    ("Env", "raw") if f.crates.figment => Some(Builder {
                        via: "figment",
                        ..Default::default()
                    }),
                    _ => None,
                }
            }
            Expr::Paren(p) => self.builder(&p.expr, d + 1),
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let o = f.env.origin(&last_seg(&p.path))?;
                self.builder(o, d + 1)
            }
            _ => None,
        }
    }
}

impl<'ast> Visit<'ast> for SourceFinder<'_, '_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if matches!(e, Expr::MethodCall(_) | Expr::Call(_))
            && let Some(b) = self.builder(e, 0)
        {
            let source = match b.via {
                "config" => {
                    let prefix = match &b.prefix {
                        Some(p) => {
                            let sep = b
                                .prefix_separator
                                .as_deref()
                                .or(b.separator.as_deref())
                                .unwrap_or("_");
                            format!("{p}{sep}")
                        }
                        None => String::new(),
                    };
                    (prefix, b.separator, "config")
                }
                _ => (b.prefix.unwrap_or_default(), b.separator, "figment"),
            };
            if self.found.len() < 16 && !self.found.contains(&source) {
                self.found.push(source);
            }
            // The chain's receivers are the same source.
            if let Expr::MethodCall(mc) = e {
                for a in &mc.args {
                    self.visit_expr(a);
                }
            }
            return;
        }
        visit::visit_expr(self, e);
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}

// ------------------------------------------------------------------ reads

/// Leaves candidates for the field reads of the file's functions that may
/// be connection URLs: a URL-like field name, or any field handed to a
/// connecting call in a function that builds a datastore client.
///
/// `envs` are the local names of `fns.fns`, in order.
pub(crate) fn emit<'s>(
    fns: &Functions,
    envs: &[Env],
    src: &'s Src<'s>,
    world: &World,
    out: &mut Out<'s>,
) {
    // Worked out on first need: most files read no candidate field.
    let mut tables: Option<(HashMap<String, String>, HashMap<String, String>)> = None;
    let search_engine = world.local.mentions.search_engine().to_string();
    let mut count = 0usize;
    for (f, env) in fns.fns.iter().zip(envs) {
        if is_test_fn(f) {
            continue;
        }
        let mut walk = FieldReads {
            in_connect: 0,
            found: Vec::new(),
        };
        walk.visit_block(f.block);
        if walk.found.is_empty() {
            continue;
        }
        // A URL-like name, or any field handed to a client's connecting
        // call (a renamed field: `#[serde(rename = "database_url")] db`):
        // without either the function leaves nothing.
        let any_url = walk.found.iter().any(|(_, n, _)| is_urlish(&ident_str(n)));
        let any_connect = walk.found.iter().any(|(_, _, c)| *c);
        if !any_url && !any_connect {
            continue;
        }
        let flags = Flags::of(&src.text_of(f.block.brace_token.span.join()));
        let clients = flags.any_client();
        if !any_url && !clients {
            continue;
        }
        let (statics, returns) =
            tables.get_or_insert_with(|| (static_types(&statics_of(fns)), fn_returns(fns)));
        let reads = Reads {
            env: FnEnv {
                env,
                self_ty: f.self_ty.as_deref(),
            },
            statics,
            returns,
        };
        // The typed reads, in order (at most `4 * MAX_READS`).
        let mut typed: Vec<(&syn::ExprField, TypeExpr, bool)> = Vec::new();
        for (fe, _, in_connect) in &walk.found {
            if typed.len() >= 4 * MAX_READS {
                break;
            }
            if let Some(t) = reads.field_type(fe, 0) {
                typed.push((fe, t, *in_connect));
            }
        }
        let mut seen: Vec<TypeExpr> = Vec::new();
        for (fe, value, in_connect) in typed {
            let Some(field) = value.fields.last() else {
                continue;
            };
            if !(is_urlish(field) || clients && in_connect) || seen.contains(&value) {
                continue;
            }
            if count >= MAX_READS {
                return;
            }
            count += 1;
            seen.push(value.clone());
            let syn::Member::Named(n) = &fe.member else {
                continue;
            };
            let span = src.span2(fe.base.span(), n.span());
            let anchor = out.anchor(span);
            out.defer(Pending::EnvRead(EnvRead {
                span,
                anchor,
                value,
                flags,
                search_engine: search_engine.clone(),
            }));
        }
    }
}

/// The named field reads of a function body, in order, each marked when it
/// sits in a connecting call's arguments.
struct FieldReads<'ast> {
    /// How many connecting calls the walk is inside.
    in_connect: usize,
    found: Vec<(&'ast syn::ExprField, &'ast syn::Ident, bool)>,
}

/// Types the field reads of one function.
struct Reads<'e> {
    env: FnEnv<'e, 'e>,
    statics: &'e HashMap<String, String>,
    returns: &'e HashMap<String, String>,
}

/// Calls and methods that take a datastore's address
/// (`PgPool::connect(..)`, `Client::with_uri_str(..)`, `Url::parse(..)`).
const CONNECT_CALLS: &[&str] = &[
    "connect",
    "connect_lazy",
    "connect_with",
    "with_uri_str",
    "open",
    "parse",
    "single_node",
    "new",
    "from_url",
    "establish",
    "get_client",
];

/// Methods that hand on (a view of) the value behind a wrapper.
const UNWRAPS: &[&str] = &["lock", "read", "write", "get", "load", "load_full"];

impl Reads<'_> {
    fn type_of(&self, e: &Expr, d: usize) -> Option<TypeExpr> {
        if d > 16 {
            return None;
        }
        let root = |t: String| TypeExpr {
            root: t,
            fields: Vec::new(),
        };
        match e {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = last_seg(&p.path);
                match self.env.ty(&name) {
                    Some(ty) => match ty {
                        Some(t) => Some(root(t)),
                        // `let cfg = load_config();`
                        None => match self.env.origin(&name).map(|o| value_root(o, 0)) {
                            Some(Expr::Call(c)) => match &*c.func {
                                Expr::Path(fp) if fp.path.segments.len() == 1 => {
                                    self.returns.get(&last_seg(&fp.path)).cloned().map(root)
                                }
                                _ => None,
                            },
                            _ => None,
                        },
                    },
                    None => self.statics.get(&name).cloned().map(root),
                }
            }
            Expr::Reference(r) => self.type_of(&r.expr, d + 1),
            Expr::Paren(p) => self.type_of(&p.expr, d + 1),
            Expr::Group(g) => self.type_of(&g.expr, d + 1),
            Expr::Unary(u) => self.type_of(&u.expr, d + 1),
            Expr::Try(t) => self.type_of(&t.expr, d + 1),
            Expr::Await(a) => self.type_of(&a.base, d + 1),
            Expr::MethodCall(mc) => {
                let m = mc.method.to_string();
                if TRANSPARENT.contains(&m.as_str())
                    || (UNWRAPS.contains(&m.as_str()) && mc.args.is_empty())
                {
                    self.type_of(&mc.receiver, d + 1)
                } else {
                    None
                }
            }
            Expr::Call(c) if c.args.is_empty() => match &*c.func {
                Expr::Path(fp) if fp.path.segments.len() == 1 => {
                    self.returns.get(&last_seg(&fp.path)).cloned().map(root)
                }
                _ => None,
            },
            Expr::Field(f) => self.field_type(f, d + 1),
            _ => None,
        }
    }

    /// `base.field`: the base's type, then the field.
    fn field_type(&self, f: &syn::ExprField, d: usize) -> Option<TypeExpr> {
        let syn::Member::Named(n) = &f.member else {
            return None;
        };
        let mut t = self.type_of(&f.base, d + 1)?;
        if t.fields.len() >= 8 {
            return None;
        }
        t.fields.push(ident_str(n));
        Some(t)
    }
}

impl<'ast> Visit<'ast> for FieldReads<'ast> {
    fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
        if let syn::Member::Named(n) = &f.member {
            self.found.push((f, n, self.in_connect > 0));
        }
        visit::visit_expr_field(self, f);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let connect = matches!(&*c.func, Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| is_connect_call(&s.ident)))
            as usize;
        self.visit_expr(&c.func);
        self.in_connect += connect;
        for a in &c.args {
            self.visit_expr(a);
        }
        self.in_connect -= connect;
    }

    fn visit_expr_method_call(&mut self, mc: &'ast syn::ExprMethodCall) {
        let connect = is_connect_call(&mc.method) as usize;
        self.visit_expr(&mc.receiver);
        self.in_connect += connect;
        for a in &mc.args {
            self.visit_expr(a);
        }
        self.in_connect -= connect;
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}

/// Whether a call's or method's name is one of [`CONNECT_CALLS`].
fn is_connect_call(name: &syn::Ident) -> bool {
    CONNECT_CALLS.iter().any(|c| name == c)
}

// ------------------------------------------------------------- resolution

/// Types a URL can be read as.
fn is_text_type(t: &str) -> bool {
    matches!(
        t,
        "String" | "str" | "Url" | "Uri" | "SecretString" | "Secret" | "SecretBox"
    )
}

/// The connection a field read makes, if a struct on its type chain is
/// filled from the environment and the variable names a datastore.
pub(crate) fn resolve_read(r: &EnvRead, view: &View) -> Vec<FactData> {
    read_connections(r, view)
        .into_iter()
        .map(FactData::Connection)
        .collect()
}

fn read_connections(r: &EnvRead, view: &View) -> Vec<Connection> {
    let fields = &r.value.fields;
    let mut types: Vec<String> = vec![r.value.root.clone()];
    let mut infos = Vec::with_capacity(fields.len());
    for name in fields {
        let Some(st) = types.last().and_then(|t| view.lookup_struct(t)) else {
            return Vec::new();
        };
        let Some(fi) = st.fields.iter().find(|f| f.rust_name == *name) else {
            return Vec::new();
        };
        types.push(fi.inner_ty.clone());
        infos.push(fi);
    }
    if !infos.last().is_some_and(|f| is_text_type(&f.inner_ty)) {
        return Vec::new();
    }
    let leaf = fields.len() - 1;
    // The nearest filled struct first (`state.config.database_url`: the
    // config, not the state).
    for i in (0..fields.len()).rev() {
        let fills = view.env_fills(&types[i]);
        if fills.is_empty() {
            continue;
        }
        // A flattened struct's fields sit beside its siblings.
        let names: Vec<&str> = (i..fields.len())
            .filter(|&k| k == leaf || !infos[k].serde_flatten)
            .map(|k| {
                infos[k]
                    .serde_name
                    .as_deref()
                    .unwrap_or(&infos[k].rust_name)
            })
            .collect();
        let mut conns: Vec<Connection> = Vec::new();
        for fill in fills {
            let var = match (&fill.nested, names.len()) {
                (_, 1) => format!("{}{}", fill.prefix, names[0]),
                (Some(sep), _) => format!("{}{}", fill.prefix, names.join(sep)),
                (None, _) => continue,
            }
            .to_uppercase();
            if let Some(c) = env_connection(&var, &r.flags, &r.search_engine)
                && !conns.contains(&c)
            {
                conns.push(c);
            }
        }
        if !conns.is_empty() {
            return conns;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileKind;
    use crate::engine::ScannedFile;
    use crate::frontend::{Ctx, analyze_text};
    use crate::vocab::Vocabulary;

    /// The fills of one file's text: `(type, prefix, nested, via)`.
    fn fills_of(text: &str) -> Vec<(String, String, Option<String>, String)> {
        let file = syn::parse_file(text).expect("parses");
        let src = Src::new(text);
        let fns = crate::frontend::rust::summary::functions(&file);
        let envs: Vec<Env> = fns.fns.iter().map(|f| Env::build(f.sig, f.block)).collect();
        fills(&fns, &envs, &src)
            .into_iter()
            .map(|f| (f.type_name, f.prefix, f.nested, f.via))
            .collect()
    }

    fn fill(
        t: &str,
        prefix: &str,
        nested: Option<&str>,
        via: &str,
    ) -> (String, String, Option<String>, String) {
        (
            t.into(),
            prefix.into(),
            nested.map(str::to_string),
            via.into(),
        )
    }

    /// `(file, env var, engine)` of the environment connections of a crate
    /// after resolution.
    fn connections(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
        let vocab = Vocabulary::builtin();
        let mut scanned: Vec<ScannedFile> = files
            .iter()
            .map(|(path, text)| ScannedFile {
                path: (*path).into(),
                fs_path: (*path).into(),
                kind: FileKind::Rust,
                size: text.len() as u64,
                facts: analyze_text(
                    text,
                    FileKind::Rust,
                    &Ctx {
                        vocab: &vocab,
                        path,
                    },
                ),
            })
            .collect();
        super::super::resolve(&mut scanned);
        let mut out = Vec::new();
        for f in &scanned {
            for x in &f.facts.facts {
                if let FactData::Connection(c) = &x.data
                    && let Some(v) = &c.env_var
                {
                    out.push((f.path.clone(), v.clone(), c.engine.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn envy_fills_by_turbofish_let_type_return_type_and_static() {
        let text = r#"
const PREFIX: &str = "SYNC_";
static SETTINGS: once_cell::sync::Lazy<Settings> =
    once_cell::sync::Lazy::new(|| envy::from_env().expect("settings"));
fn a() { let c = envy::from_env::<A>().unwrap(); }
fn b() -> anyhow::Result<()> { let c: B = envy::from_env()?; Ok(()) }
fn c() -> Result<C, envy::Error> { let c = envy::prefixed(PREFIX).from_env()?; Ok(c) }
impl D { fn load() -> Result<Self, envy::Error> { envy::prefixed("D_").from_env() } }
fn e() -> E { match envy::from_env() { Ok(e) => e, Err(_) => panic!() } }
fn not_env() -> F { toml::from_str("").unwrap() }
#[cfg(test)]
mod tests { fn t() -> G { envy::from_env().unwrap() } }
"#;
        assert_eq!(
            fills_of(text),
            [
                fill("A", "", None, "envy"),
                fill("B", "", None, "envy"),
                fill("C", "SYNC_", None, "envy"),
                fill("D", "D_", None, "envy"),
                fill("E", "", None, "envy"),
                fill("Settings", "", None, "envy"),
            ]
        );
    }

    #[test]
    fn config_and_figment_sources() {
        let text = r#"
use config::{Config, Environment, File};
fn plain() -> Result<Plain, config::ConfigError> {
    Config::builder().add_source(Environment::default()).build()?.try_deserialize()
}
fn prefixed() -> Prefixed {
    let c = Config::builder()
        .add_source(File::with_name("app"))
        .add_source(config::Environment::with_prefix("APP"))
        .build()
        .unwrap();
    c.try_deserialize::<Prefixed>().unwrap()
}
fn nested() -> Nested {
    let env = Environment::with_prefix("APP").separator("__");
    let s: Nested = Config::builder().add_source(env).build().unwrap().try_deserialize().unwrap();
    s
}
fn own_prefix_separator() {
    let b = Config::builder()
        .add_source(Environment::with_prefix("APP").prefix_separator("_").separator("__"));
    let s = b.build().unwrap().try_deserialize::<Own>();
}
fn file_only() -> FileOnly {
    Config::builder().add_source(File::with_name("app")).build().unwrap().try_deserialize().unwrap()
}
fn fig() {
    let c = figment::Figment::new()
        .merge(figment::providers::Env::prefixed("APP_").split("__"))
        .extract::<Fig>();
}
"#;
        assert_eq!(
            fills_of(text),
            [
                fill("Plain", "", None, "config"),
                fill("Prefixed", "APP_", None, "config"),
                fill("Nested", "APP__", Some("__"), "config"),
                fill("Own", "APP_", Some("__"), "config"),
                fill("Fig", "APP_", Some("__"), "figment"),
            ]
        );
    }

    #[test]
    fn reads_resolve_through_the_crate() {
        let config = r#"
use serde::Deserialize;
#[derive(Deserialize)]
pub struct Db { pub url: String }
#[derive(Deserialize)]
pub struct Common { pub redis_url: Option<String> }
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub struct Settings {
    pub database: Db,
    #[serde(flatten)]
    pub common: Common,
    #[serde(rename = "search_endpoint")]
    pub es: String,
    pub flat: Db,
}
#[derive(Deserialize)]
pub struct Unused { pub mongo_url: String }
pub fn load() -> Settings {
    config::Config::builder()
        .add_source(config::Environment::with_prefix("SVC").separator("__"))
        .build().unwrap().try_deserialize().unwrap()
}
#[derive(Deserialize)]
pub struct Flat { pub db: Db, pub cache_url: String }
pub fn flat() -> Flat { envy::from_env().unwrap() }
"#;
        let main = r#"
use crate::config::{Settings, Unused, Flat};
pub async fn pg(s: &Settings) {
    let pool = sqlx::PgPool::connect(&s.database.url).await.unwrap();
}
pub fn cache(s: &Settings) {
    let r = redis::Client::open(s.common.redis_url.as_deref().unwrap()).unwrap();
}
pub fn search(s: &Settings) {
    let e = elasticsearch::http::transport::Transport::single_node(&s.es).unwrap();
}
pub async fn unused(u: Unused) {
    let m = mongodb::Client::with_uri_str(&u.mongo_url).await.unwrap();
}
pub async fn flat(f: Flat) {
    let n = sqlx::PgPool::connect(&f.db.url).await.unwrap();
    let c = redis::Client::open(f.cache_url.as_str()).unwrap();
}
"#;
        assert_eq!(
            connections(&[("app/src/config.rs", config), ("app/src/main.rs", main)]),
            [
                (
                    "app/src/main.rs".into(),
                    "SVC__DATABASE__URL".into(),
                    "postgres".into()
                ),
                (
                    "app/src/main.rs".into(),
                    "SVC__REDIS_URL".into(),
                    "redis".into()
                ),
                (
                    "app/src/main.rs".into(),
                    "SVC__SEARCH_ENDPOINT".into(),
                    "elasticsearch".into()
                ),
                // `Unused` is never filled; envy cannot fill the nested `f.db`.
                ("app/src/main.rs".into(), "CACHE_URL".into(), "redis".into()),
            ]
        );
    }

    #[test]
    fn fills_of_another_crate_do_not_count() {
        let model = "#[derive(serde::Deserialize)]\npub struct Config { pub mongo_url: String }\npub fn load() -> Config { envy::from_env().unwrap() }\n";
        let user = "pub async fn c(cfg: &Config) { mongodb::Client::with_uri_str(&cfg.mongo_url).await; }\npub struct Config { pub mongo_url: String }\n";
        assert_eq!(
            connections(&[("a/src/lib.rs", model), ("b/src/lib.rs", user)]),
            []
        );
        assert_eq!(
            connections(&[("a/src/lib.rs", model), ("a/src/db.rs", user)]).len(),
            1
        );
    }

    #[test]
    fn renamed_fields_statics_and_self() {
        let text = r#"
use once_cell::sync::Lazy;
#[derive(serde::Deserialize)]
pub struct Config {
    #[serde(rename = "database_url")]
    pub db: String,
    pub mongo_url: String,
    pub name: String,
}
static CONFIG: Lazy<Config> = Lazy::new(|| envy::from_env().expect("config"));
pub struct App { config: Config }
impl App {
    pub async fn pool(&self) -> sqlx::PgPool {
        tracing::info!(db = %self.config.name, "connecting");
        sqlx::PgPool::connect(&self.config.db).await.unwrap()
    }
}
pub async fn mongo() {
    let c = mongodb::Client::with_uri_str(&CONFIG.mongo_url).await;
}
"#;
        assert_eq!(
            connections(&[("svc/src/lib.rs", text)]),
            [
                (
                    "svc/src/lib.rs".into(),
                    "DATABASE_URL".into(),
                    "postgres".into()
                ),
                (
                    "svc/src/lib.rs".into(),
                    "MONGO_URL".into(),
                    "mongodb".into()
                ),
            ]
        );
    }
}
