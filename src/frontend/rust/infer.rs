//! Types and values inside function bodies, as far as simple means tell:
//! the type a type expression stands for, the local names of a function
//! (flow-insensitive) and what an expression evaluates to.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Block, Expr, FnArg, GenericArgument, Pat, PathArguments, Signature, Type};

use super::summary::is_model_name;
use super::{expr_lit_str, ident_str, last_seg, segs};

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
#[derive(Clone, Default)]
pub(crate) struct Binding<'a> {
    /// Primary type name (`Creator`, `str`, `i64`).
    pub ty: Option<String>,
    /// A serialized value of this type (`serde_json::to_string(&c)`).
    pub serialized: Option<String>,
    /// A `Collection<T>`: T and the collection name when known.
    pub collection: Option<(String, Option<String>)>,
    /// Keys of a `json!({...})` object.
    pub json_keys: Vec<String>,
    /// The expression the name is bound from (`let m = s.phone.as_deref()`,
    /// `if let Some(m) = …`, a `match` arm), when the function binds the
    /// name exactly once.
    pub origin: Option<&'a Expr>,
}

/// Local names of one function, flow-insensitive.
#[derive(Default)]
pub(crate) struct Env<'a> {
    pub vars: HashMap<String, Binding<'a>>,
}

impl<'a> Env<'a> {
    pub fn build(sig: &'a Signature, block: &'a Block) -> Env<'a> {
        let mut env = Env::default();
        for input in &sig.inputs {
            if let FnArg::Typed(pt) = input {
                let b = binding_of_type(&pt.ty);
                env.bind_pat(&pt.pat, &b, 0);
            }
        }
        // A name bound more than once (shadowed, or bound in two places)
        // has no single origin: the builder counts the bindings of the
        // body as it walks it.
        let mut counts = PatCounter::default();
        for input in &sig.inputs {
            if let FnArg::Typed(pt) = input {
                counts.visit_pat(&pt.pat);
            }
        }
        let mut v = EnvBuilder {
            env: &mut env,
            counts: &mut counts,
        };
        v.visit_block(block);
        for (name, b) in env.vars.iter_mut() {
            if counts.0.get(name).copied().unwrap_or(0) != 1 {
                b.origin = None;
            }
        }
        env
    }

    pub fn get(&self, name: &str) -> Option<&Binding<'a>> {
        self.vars.get(name)
    }

    /// The expression a local is bound from, when bound once.
    pub fn origin(&self, name: &str) -> Option<&'a Expr> {
        self.vars.get(name)?.origin
    }

    fn bind_pat(&mut self, pat: &Pat, b: &Binding<'a>, d: usize) {
        if d > 16 {
            return;
        }
        match pat {
            Pat::Ident(pi) => {
                let name = ident_str(&pi.ident);
                let e = self.vars.entry(name).or_default();
                if e.origin.is_none() {
                    e.origin = b.origin;
                }
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
                // `Some(x)`, `Ok(x)`: x is the wrapped value; elsewhere the
                // element is some part of it.
                let wraps =
                    ts.elems.len() == 1 && matches!(last_seg(&ts.path).as_str(), "Some" | "Ok");
                let part;
                let b = if wraps {
                    b
                } else {
                    part = Binding {
                        origin: None,
                        ..b.clone()
                    };
                    &part
                };
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

fn binding_of_type<'a>(ty: &Type) -> Binding<'a> {
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

/// How often each name is bound by a pattern.
#[derive(Default)]
struct PatCounter(HashMap<String, u32>);

impl PatCounter {
    fn count(&mut self, pi: &syn::PatIdent) {
        if self.0.len() < 4096 {
            let c = self.0.entry(ident_str(&pi.ident)).or_default();
            *c = c.saturating_add(1);
        }
    }
}

impl<'ast> Visit<'ast> for PatCounter {
    fn visit_pat_ident(&mut self, pi: &'ast syn::PatIdent) {
        self.count(pi);
        visit::visit_pat_ident(self, pi);
    }
}

struct EnvBuilder<'e, 'ast> {
    env: &'e mut Env<'ast>,
    /// Every pattern binding of the body, counted on the same walk.
    counts: &'e mut PatCounter,
}

impl<'ast> Visit<'ast> for EnvBuilder<'_, 'ast> {
    fn visit_pat_ident(&mut self, pi: &'ast syn::PatIdent) {
        self.counts.count(pi);
        visit::visit_pat_ident(self, pi);
    }

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
                b.origin = init.as_ref().map(|i| &*i.expr);
                b
            }
            (_, Some(init)) => {
                let mut b = infer(&init.expr, self.env, 0);
                // `let … else`: the pattern still binds from the value.
                b.origin = Some(&*init.expr);
                b
            }
            _ => Binding::default(),
        };
        let pat = match &l.pat {
            Pat::Type(pt) => &*pt.pat,
            p => p,
        };
        self.env.bind_pat(pat, &b, 0);
        visit::visit_local(self, l);
    }

    fn visit_expr_let(&mut self, l: &'ast syn::ExprLet) {
        // `if let` / `while let` (and let chains).
        let mut b = infer(&l.expr, self.env, 0);
        b.origin = Some(&*l.expr);
        self.env.bind_pat(&l.pat, &b, 0);
        visit::visit_expr_let(self, l);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let mut b = infer(&m.expr, self.env, 0);
        b.origin = Some(&*m.expr);
        for arm in &m.arms {
            self.env.bind_pat(&arm.pat, &b, 0);
        }
        visit::visit_expr_match(self, m);
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

/// Methods of `Result`/`Option` that keep the success value
/// (`serde_json::to_string(v).map_err(..)?`).
const RESULT_ADAPTERS: &[&str] = &[
    "map_err",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
    "ok",
    "ok_or",
    "ok_or_else",
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
pub(crate) fn infer<'a>(e: &Expr, env: &Env<'a>, d: usize) -> Binding<'a> {
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
            if TRANSPARENT.contains(&m.as_str()) || RESULT_ADAPTERS.contains(&m.as_str()) {
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
                let segs: Vec<String> = segs(&fp.path);
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

fn infer_macro<'a>(mac: &syn::Macro, env: &Env<'a>, d: usize) -> Binding<'a> {
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
                // `json!(lead)`: the value, serialized.
                let mut b = infer(&inner, env, d + 1);
                if b.serialized.is_none() {
                    b.serialized = b.ty.clone().filter(|t| is_model_name(t));
                }
                return b;
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
