//! What functions do with values: write them to datastores (search
//! indexes, MongoDB collections, Redis keys) and hand them to HTTP clients.

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, FnArg};

use super::infer::{Env, TRANSPARENT, infer, type_idents};
use super::summary::{AttrRoute, FnRef, HandlerInfo, Mentions, ValueRef, WriteInfo, is_model_name};
use super::{Src, expr_lit_str, ident_str, is_auth_text, last_seg, lit_strs_in};
use crate::span::Span;

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

pub(crate) struct WriteFinder<'a, 's> {
    pub src: &'s Src<'s>,
    pub env: &'a Env<'a>,
    pub mentions: &'a Mentions,
    pub out: &'a mut Vec<WriteInfo>,
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
                engine: engine.to_string(),
                family: family.to_string(),
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

pub(crate) fn handler_info(f: &FnRef, env: &Env, mentions: &Mentions, src: &Src) -> HandlerInfo {
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
        served_values: Vec::new(),
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
            }
            .to_string(),
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
    env: &'e Env<'e>,
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
