//! HTTP routes (axum routers, actix-web apps and scopes) and whether auth
//! protects them, by the frameworks' own semantics: axum's `layer` and
//! `route_layer` wrap only the routes added before them; actix's `wrap`
//! wraps its whole `App` or `Scope`, in any order.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Pat};

use serde::{Deserialize, Serialize};

use super::summary::FnRef;
use super::{Src, expr_lit_str, ident_str, is_auth_text, last_seg, segs};
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RouteEntry {
    key: (u32, u32, String),
    pub framework: String,
    pub method: String,
    pub path: String,
    pub handler: String,
    pub handler_name: String,
    pub handler_module: Option<String>,
    pub span: Span,
    pub authenticated: bool,
    /// The function whose body adds the route.
    pub owner: String,
}

/// An actix `.service(handler)` registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Registration {
    pub name: String,
    pub module: Option<String>,
    pub protected: bool,
    pub owner: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RouteTable {
    pub routes: Vec<RouteEntry>,
    pub regs: Vec<Registration>,
    /// Router-building functions of other modules whose routers are wrapped
    /// in auth here: `(module, fn)`.
    pub protected_fns: Vec<(Option<String>, String)>,
}

#[derive(Debug, Clone, Default)]
struct Val {
    routes: Vec<usize>,
    regs: Vec<usize>,
    ext_fns: Vec<(Option<String>, String)>,
    resource: Option<String>,
    /// actix `wrap` with auth: everything in this App/Scope is protected.
    wrapped: bool,
}

impl Val {
    fn merge(&mut self, o: Val) {
        self.routes.extend(o.routes);
        self.regs.extend(o.regs);
        self.ext_fns.extend(o.ext_fns);
    }
}

struct Eval<'a, 's> {
    src: &'s Src<'s>,
    fns: HashMap<String, &'a FnRef<'a>>,
    memo: HashMap<String, Val>,
    stack: Vec<String>,
    table: RouteTable,
    route_keys: HashMap<(u32, u32, String), usize>,
    reg_keys: HashMap<(u32, u32), usize>,
    depth: usize,
}

/// Methods that add routes, registrations or auth to a router: a file
/// calling none of them has no routes.
pub(crate) const ROUTER_METHODS: &[&str] = &[
    "route",
    "to",
    "merge",
    "nest",
    "service",
    "services",
    "configure",
    "default_service",
    "nest_service",
    "mount",
    "layer",
    "route_layer",
    "wrap",
    "wrap_fn",
    "guard",
];

/// `router_calls`: whether the file calls any of [`ROUTER_METHODS`].
pub(crate) fn evaluate(fns: &[FnRef], router_calls: bool, src: &Src) -> RouteTable {
    if !router_calls {
        return RouteTable::default();
    }
    let mut ev = Eval {
        src,
        fns: HashMap::new(),
        memo: HashMap::new(),
        stack: Vec::new(),
        table: RouteTable::default(),
        route_keys: HashMap::new(),
        reg_keys: HashMap::new(),
        depth: 0,
    };
    for f in fns {
        if !f.is_test {
            ev.fns.entry(ident_str(&f.sig.ident)).or_insert(f);
        }
    }
    let names: Vec<String> = {
        let mut v: Vec<String> = ev.fns.keys().cloned().collect();
        v.sort();
        v
    };
    for n in names {
        ev.eval_fn(&n);
    }
    ev.table
}

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "any",
];

impl<'a> Eval<'a, '_> {
    fn owner(&self) -> String {
        self.stack.last().cloned().unwrap_or_default()
    }

    fn eval_fn(&mut self, name: &str) -> Val {
        if let Some(v) = self.memo.get(name) {
            return v.clone();
        }
        if self.stack.iter().any(|s| s == name) || self.stack.len() > 16 {
            return Val::default();
        }
        let Some(f) = self.fns.get(name).copied() else {
            return Val::default();
        };
        self.stack.push(name.to_string());
        let mut body = Body {
            ev: self,
            env: HashMap::new(),
            all: Val::default(),
        };
        body.visit_block(f.block);
        let all = body.all;
        self.stack.pop();
        self.memo.insert(name.to_string(), all.clone());
        all
    }

    fn add_route(&mut self, mut r: RouteEntry, v: &mut Val) {
        r.authenticated = r.authenticated || v.wrapped;
        let idx = match self.route_keys.get(&r.key) {
            Some(&i) => {
                let auth = self.table.routes[i].authenticated || r.authenticated;
                self.table.routes[i].authenticated = auth;
                i
            }
            None => {
                self.table.routes.push(r.clone());
                let i = self.table.routes.len() - 1;
                self.route_keys.insert(r.key, i);
                i
            }
        };
        v.routes.push(idx);
    }

    fn add_reg(&mut self, e: &Expr, v: &mut Val) {
        let Expr::Path(p) = e else { return };
        let segs: Vec<String> = segs(&p.path);
        let Some(name) = segs.last().cloned() else {
            return;
        };
        let module = if segs.len() >= 2 {
            Some(segs[segs.len() - 2].clone())
                .filter(|m| !matches!(m.as_str(), "self" | "crate" | "super"))
        } else {
            None
        };
        let st = e.span().start();
        let key = (st.line as u32, st.column as u32);
        let idx = match self.reg_keys.get(&key) {
            Some(&i) => i,
            None => {
                self.table.regs.push(Registration {
                    name,
                    module,
                    protected: false,
                    owner: self.owner(),
                });
                let i = self.table.regs.len() - 1;
                self.reg_keys.insert(key, i);
                i
            }
        };
        if v.wrapped {
            self.table.regs[idx].protected = true;
        }
        v.regs.push(idx);
    }

    fn protect(&mut self, v: &Val) {
        for &i in &v.routes {
            self.table.routes[i].authenticated = true;
        }
        for &i in &v.regs {
            self.table.regs[i].protected = true;
        }
        for f in &v.ext_fns {
            if !self.table.protected_fns.contains(f) {
                self.table.protected_fns.push(f.clone());
            }
        }
    }

    fn eval(&mut self, e: &Expr, env: &HashMap<String, Val>) -> Val {
        if self.depth > 200 {
            return Val::default();
        }
        self.depth += 1;
        let v = self.eval_inner(e, env);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &Expr, env: &HashMap<String, Val>) -> Val {
        match e {
            Expr::MethodCall(mc) => {
                let mut v = self.eval(&mc.receiver, env);
                let m = mc.method.to_string();
                // Any other method hands on its receiver's value.
                if !ROUTER_METHODS.contains(&m.as_str()) {
                    return v;
                }
                let args: Vec<&Expr> = mc.args.iter().collect();
                let span = self
                    .src
                    .span2(mc.method.span(), mc.paren_token.span.close());
                match m.as_str() {
                    "route" if args.len() == 2 => {
                        let path = expr_lit_str(args[0]).map(|l| l.value()).unwrap_or_default();
                        for (framework, method, handler, auth) in method_router(args[1], self.src) {
                            let r = self.entry(framework, method, &path, handler, auth, span);
                            if let Some(r) = r {
                                self.add_route(r, &mut v);
                            }
                        }
                    }
                    "route" if args.len() == 1 && v.resource.is_some() => {
                        let path = v.resource.clone().unwrap_or_default();
                        for (framework, method, handler, auth) in method_router(args[0], self.src) {
                            if let Some(r) =
                                self.entry(framework, method, &path, handler, auth, span)
                            {
                                self.add_route(r, &mut v);
                            }
                        }
                    }
                    "to" if args.len() == 1 && v.resource.is_some() => {
                        let path = v.resource.clone().unwrap_or_default();
                        if let Some(r) =
                            self.entry("actix-web", "ANY".into(), &path, Some(args[0]), false, span)
                        {
                            self.add_route(r, &mut v);
                        }
                    }
                    "merge" | "nest" | "service" | "services" | "configure" | "default_service"
                    | "nest_service" | "mount" => {
                        for a in args {
                            if expr_lit_str(a).is_some() {
                                continue;
                            }
                            let is_var = matches!(a, Expr::Path(p) if p.path.segments.len() == 1
                                && env.contains_key(&last_seg(&p.path)));
                            if let Expr::Path(p) = a
                                && !is_var
                            {
                                let name = last_seg(&p.path);
                                if m == "configure" {
                                    if p.path.segments.len() == 1 && self.fns.contains_key(&name) {
                                        let sub = self.eval_fn(&name);
                                        self.attach(&mut v, sub);
                                    } else {
                                        let f = ext_fn(&p.path);
                                        v.ext_fns.push(f);
                                        if v.wrapped {
                                            let w = v.clone();
                                            self.protect(&w);
                                        }
                                    }
                                } else {
                                    self.add_reg(a, &mut v);
                                }
                                continue;
                            }
                            let sub = self.eval(a, env);
                            self.attach(&mut v, sub);
                        }
                    }
                    "layer" | "route_layer"
                        if args
                            .iter()
                            .any(|a| is_auth_text(&self.src.text_of(a.span()))) =>
                    {
                        let w = v.clone();
                        self.protect(&w);
                    }
                    "wrap" | "wrap_fn" | "guard"
                        if args
                            .iter()
                            .any(|a| is_auth_text(&self.src.text_of(a.span()))) =>
                    {
                        v.wrapped = true;
                        let w = v.clone();
                        self.protect(&w);
                    }
                    _ => {}
                }
                v
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else {
                    return Val::default();
                };
                let segs: Vec<String> = segs(&p.path);
                let last = segs.last().cloned().unwrap_or_default();
                if last == "resource" {
                    return Val {
                        resource: c.args.first().and_then(expr_lit_str).map(|l| l.value()),
                        ..Default::default()
                    };
                }
                if last == "scope" || last == "new" || last == "default" {
                    return Val::default();
                }
                if segs.len() == 1 && self.fns.contains_key(&last) {
                    return self.eval_fn(&last);
                }
                if last.chars().next().is_some_and(char::is_lowercase) {
                    return Val {
                        ext_fns: vec![ext_fn(&p.path)],
                        ..Default::default()
                    };
                }
                Val::default()
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                env.get(&last_seg(&p.path)).cloned().unwrap_or_default()
            }
            Expr::Paren(p) => self.eval(&p.expr, env),
            Expr::Reference(r) => self.eval(&r.expr, env),
            Expr::Try(t) => self.eval(&t.expr, env),
            Expr::Await(a) => self.eval(&a.base, env),
            Expr::Group(g) => self.eval(&g.expr, env),
            _ => Val::default(),
        }
    }

    /// Adds a sub-router/scope's routes to `v` (protected if `v` is wrapped).
    fn attach(&mut self, v: &mut Val, sub: Val) {
        if v.wrapped {
            self.protect(&sub);
        }
        v.merge(sub);
    }

    fn entry(
        &self,
        framework: &'static str,
        method: String,
        path: &str,
        handler: Option<&Expr>,
        auth: bool,
        span: Span,
    ) -> Option<RouteEntry> {
        let Some(Expr::Path(hp)) = handler else {
            return None;
        };
        let segs: Vec<String> = segs(&hp.path);
        let name = segs.last()?.clone();
        let module = if segs.len() >= 2 {
            Some(segs[segs.len() - 2].clone())
                .filter(|m| !matches!(m.as_str(), "self" | "crate" | "super"))
        } else {
            None
        };
        Some(RouteEntry {
            key: (span.line, span.column, segs.join("::") + &method),
            framework: framework.to_string(),
            method,
            path: path.to_string(),
            handler: segs.join("::"),
            handler_name: name,
            handler_module: module,
            span,
            authenticated: auth,
            owner: self.owner(),
        })
    }
}

fn ext_fn(p: &syn::Path) -> (Option<String>, String) {
    let segs: Vec<String> = p.segments.iter().map(|s| ident_str(&s.ident)).collect();
    let name = segs.last().cloned().unwrap_or_default();
    let module = if segs.len() >= 2 {
        Some(segs[segs.len() - 2].clone())
            .filter(|m| !matches!(m.as_str(), "self" | "crate" | "super"))
    } else {
        None
    };
    (module, name)
}

/// The (framework, method, handler, route-level auth) pairs of a method
/// router: axum `get(h).post(h2).layer(auth)`, actix `web::get().to(h)`.
fn method_router<'e>(
    e: &'e Expr,
    src: &Src,
) -> Vec<(&'static str, String, Option<&'e Expr>, bool)> {
    let mut calls: Vec<&'e syn::ExprMethodCall> = Vec::new();
    let mut cur = e;
    let mut n = 0;
    while let Expr::MethodCall(mc) = cur {
        calls.push(mc);
        cur = &mc.receiver;
        n += 1;
        if n > 64 {
            break;
        }
    }
    calls.reverse();
    let mut out = Vec::new();
    let mut auth = false;
    let mut actix_method: Option<String> = None;
    if let Expr::Call(c) = cur
        && let Expr::Path(p) = &*c.func
    {
        let last = last_seg(&p.path);
        if METHODS.contains(&last.as_str()) || last == "route" || last == "method" {
            if c.args.is_empty() {
                // actix `web::get()`: the handler comes with `.to(h)`.
                actix_method = Some(if last == "route" || last == "method" {
                    "ANY".into()
                } else {
                    last.to_ascii_uppercase()
                });
            } else if let Some(h) = c.args.first() {
                out.push(("axum", last.to_ascii_uppercase(), Some(h), false));
            }
        }
    }
    for mc in calls {
        let m = mc.method.to_string();
        if METHODS.contains(&m.as_str()) && mc.args.len() == 1 {
            out.push(("axum", m.to_ascii_uppercase(), mc.args.first(), false));
        } else if m == "to" && mc.args.len() == 1 {
            out.push((
                "actix-web",
                actix_method.clone().unwrap_or_else(|| "ANY".into()),
                mc.args.first(),
                false,
            ));
        } else if (m == "layer" || m == "route_layer" || m == "wrap" || m == "guard")
            && mc.args.iter().any(|a| is_auth_text(&src.text_of(a.span())))
        {
            auth = true;
        }
    }
    for o in &mut out {
        o.3 = auth;
    }
    out
}

/// Visits one function body in order, tracking router variables.
struct Body<'x, 'a, 's> {
    ev: &'x mut Eval<'a, 's>,
    env: HashMap<String, Val>,
    all: Val,
}

impl Body<'_, '_, '_> {
    fn chain(&mut self, e: &Expr) -> Val {
        let v = self.ev.eval(e, &self.env);
        self.all.routes.extend(v.routes.iter().copied());
        self.all.regs.extend(v.regs.iter().copied());
        self.all.ext_fns.extend(v.ext_fns.iter().cloned());
        v
    }
}

impl<'ast> Visit<'ast> for Body<'_, '_, '_> {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let Some(init) = &l.init {
            let v = self.chain(&init.expr);
            let pat = match &l.pat {
                Pat::Type(pt) => &*pt.pat,
                p => p,
            };
            if let Pat::Ident(pi) = pat {
                self.env.insert(ident_str(&pi.ident), v);
            }
            self.visit_expr(&init.expr);
            if let Some((_, d)) = &init.diverge {
                self.visit_expr(d);
            }
        }
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::MethodCall(_) => {
                self.chain(e);
                // Arguments may hold further chains (scopes, closures).
                let mut cur = e;
                let mut n = 0;
                while let Expr::MethodCall(mc) = cur {
                    for a in &mc.args {
                        self.visit_expr(a);
                    }
                    cur = &mc.receiver;
                    n += 1;
                    if n > 256 {
                        return;
                    }
                }
                self.visit_expr(cur);
            }
            Expr::Assign(a) => {
                if let Expr::Path(p) = &*a.left
                    && p.path.segments.len() == 1
                {
                    let v = self.chain(&a.right);
                    self.env.insert(last_seg(&p.path), v);
                }
                self.visit_expr(&a.right);
            }
            _ => visit::visit_expr(self, e),
        }
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}
