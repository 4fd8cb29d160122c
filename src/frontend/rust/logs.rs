//! Log, trace and print macros (and `#[instrument]`) whose arguments,
//! fields or inline format captures carry contact values.

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Pat};

use super::infer::{Env, TRANSPARENT};
use super::log_args::{Arg, ExprList, Placeholder, Seg, classify_seg, placeholders, split_args};
use super::log_parts;
use super::summary::{FnRef, Functions};
use super::unit::{LogCandidate, LogPart, Pending, TypeExpr};
use super::{Out, Src, World, ident_str, last_seg};
use crate::facts::FactData;

const LEVELS: &[&str] = &[
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "event",
    "log",
    "span",
    "trace_span",
    "debug_span",
    "info_span",
    "warn_span",
    "error_span",
];
const PRINTS: &[&str] = &["println", "eprintln", "print", "eprint", "dbg"];

/// `envs` are the local names of `fns.fns`, in order.
pub(crate) fn emit<'s>(
    fns: &Functions,
    envs: &[Env],
    src: &'s Src<'s>,
    world: &World,
    out: &mut Out<'s>,
) {
    for (f, env) in fns.fns.iter().zip(envs) {
        if f.is_test {
            continue;
        }
        let mut lv = LogVisitor {
            src,
            world,
            env,
            out: &mut *out,
            deferring: None,
            gate_depth: 0,
        };
        lv.instrument(f);
        lv.visit_block(f.block);
    }
}

struct LogVisitor<'a, 's> {
    src: &'s Src<'s>,
    world: &'a World<'a>,
    env: &'a Env<'a>,
    out: &'a mut Out<'s>,
    /// Inside a gated macro: the log calls found in its arguments, kept as
    /// its alternative.
    deferring: Option<Vec<LogCandidate>>,
    gate_depth: usize,
}

/// Gated macros nested deeper than this keep no alternative.
const MAX_GATE_DEPTH: usize = 8;

impl LogVisitor<'_, '_> {
    /// Whether a macro path is a logging/printing macro: its name, and
    /// whether that rests on the crate (a bare level macro the file neither
    /// imports nor `#[macro_use]`s).
    fn log_macro(&self, path: &syn::Path) -> Option<(String, bool)> {
        let n = path.segments.len();
        let last = ident_str(&path.segments.last()?.ident);
        if PRINTS.contains(&last.as_str()) && n == 1 {
            return Some((last, false));
        }
        if !LEVELS.contains(&last.as_str()) {
            return None;
        }
        if n >= 2 {
            let parent = ident_str(&path.segments[n - 2].ident);
            return matches!(parent.as_str(), "tracing" | "log")
                .then(|| (super::segs(path).join("::"), false));
        }
        let li = &self.world.local.log_imports;
        if li.local_macros.contains(&last) {
            return None;
        }
        let local = li.glob || li.names.contains(&last) || self.world.local.mentions.macro_use_log;
        Some((last, !local))
    }

    /// Contact values among a macro's arguments, in order.
    fn scan_args(&self, ts: &TokenStream, all_debug: bool, depth: usize) -> Vec<LogPart> {
        let mut found = Vec::new();
        if depth > 8 {
            return found;
        }
        let segs: Vec<Seg> = split_args(ts).into_iter().map(classify_seg).collect();
        let mut fmt: Option<Vec<Placeholder>> = None;
        let mut pos = 0usize;
        let mut named_args: Vec<String> = Vec::new();
        for seg in &segs {
            match seg {
                Seg::Label => {}
                Seg::Str(l) if fmt.is_none() && !all_debug => {
                    fmt = Some(placeholders(&l.value()));
                }
                Seg::Str(_) => {
                    if fmt.is_some() {
                        pos += 1;
                    }
                }
                Seg::Named { name, sigil, value } => {
                    let debug = match &fmt {
                        Some(ph) => {
                            named_args.push(name.clone());
                            ph.iter()
                                .any(|p| p.debug && matches!(&p.arg, Arg::Name(n) if n == name))
                        }
                        None => *sigil == Some('?'),
                    } || all_debug;
                    self.check_tokens(value, debug, depth, &mut found);
                }
                Seg::Expr { sigil, value } => {
                    let debug = match &fmt {
                        Some(ph) => {
                            let i = pos;
                            pos += 1;
                            let mut next = 0usize;
                            ph.iter().any(|p| {
                                let idx = match &p.arg {
                                    Arg::Next => {
                                        next += 1;
                                        Some(next - 1)
                                    }
                                    Arg::Index(n) => Some(*n),
                                    Arg::Name(_) => None,
                                };
                                p.debug && idx == Some(i)
                            })
                        }
                        None => *sigil == Some('?'),
                    } || all_debug;
                    self.check_tokens(value, debug, depth, &mut found);
                }
            }
        }
        // Inline captures: `{email}`, `{email:?}`.
        if let Some(ph) = &fmt {
            for p in ph {
                let Arg::Name(n) = &p.arg else { continue };
                if named_args.contains(n) {
                    continue;
                }
                let last = n.rsplit('.').next().unwrap_or(n);
                if !last.chars().all(|c| c.is_alphanumeric() || c == '_') || last.is_empty() {
                    continue;
                }
                let ty = if n.contains('.') {
                    None
                } else {
                    self.env.get(n).and_then(|b| b.ty.clone())
                };
                if let Some(k) = self.world.vocab.classifier.classify(last, ty.as_deref()) {
                    found.push(LogPart::Hit {
                        kind: k,
                        text: n.clone(),
                    });
                } else if !n.contains('.')
                    && let parts = self.origin_parts(n, depth)
                    && !parts.is_empty()
                {
                    found.extend(parts);
                } else if p.debug
                    && let Some(t) = ty
                {
                    found.push(LogPart::Debug {
                        primary: Vec::new(),
                        ty: TypeExpr {
                            root: t,
                            fields: Vec::new(),
                        },
                        text: n.clone(),
                    });
                }
            }
        }
        found
    }

    fn check_tokens(&self, ts: &[TokenTree], debug: bool, depth: usize, found: &mut Vec<LogPart>) {
        // An expression ending in a call of a method that does not hand on
        // its receiver (`totals.len()`) is, whatever precedes the call
        // (which binds tightest), no contact value and of no known type;
        // and without parsing, tokens holding a group are not a plain path.
        if let [
            ..,
            TokenTree::Punct(dot),
            TokenTree::Ident(m),
            TokenTree::Group(g),
        ] = ts
            && dot.as_char() == '.'
            && g.delimiter() == proc_macro2::Delimiter::Parenthesis
            && !TRANSPARENT.iter().any(|t| m == t)
        {
            return;
        }
        let parsed = match ts {
            // A lone identifier (`email`) parses to the path of that one
            // name: it is made without the parser.
            [TokenTree::Ident(i)] if !KEYWORDS.iter().any(|k| i == k) => {
                Ok(Expr::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: syn::Path::from(i.clone()),
                }))
            }
            _ => syn::parse2::<Expr>(ts.iter().cloned().collect()),
        };
        match parsed {
            Ok(e) => {
                let hits = self.contact_expr(&e, depth);
                let ty = if debug { self.type_of(&e, 0) } else { None };
                match ty {
                    // Its contact values, else the Debug output's first
                    // contact field.
                    Some(ty) => found.push(LogPart::Debug {
                        primary: hits,
                        ty,
                        text: self.src.text_of(e.span()),
                    }),
                    None => found.extend(hits),
                }
            }
            Err(_) => {
                // Fall back on a plain `a.b.c` path.
                let simple = ts.iter().all(|t| match t {
                    TokenTree::Ident(_) => true,
                    TokenTree::Punct(p) => p.as_char() == '.' || p.as_char() == '&',
                    _ => false,
                });
                let mut idents = ts.iter().filter_map(|t| match t {
                    TokenTree::Ident(i) => Some(ident_str(i)),
                    _ => None,
                });
                if simple
                    && let Some(last) = idents.next_back()
                    && let Some(k) = self.world.vocab.classifier.classify(&last, None)
                {
                    let mut text: Vec<String> = idents.collect();
                    text.push(last);
                    found.push(LogPart::Hit {
                        kind: k,
                        text: text.join("."),
                    });
                }
            }
        }
    }

    /// Contact values an expression is (`user.email`, `email.clone()`,
    /// `format!("{email}")`); none for derived facts (`email.len()`).
    fn contact_expr(&self, e: &Expr, depth: usize) -> Vec<LogPart> {
        let cls = &self.world.vocab.classifier;
        let mut x = e;
        for _ in 0..32 {
            match x {
                Expr::Reference(r) => x = &r.expr,
                Expr::Paren(p) => x = &p.expr,
                Expr::Group(g) => x = &g.expr,
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => x = &u.expr,
                Expr::Index(i) => x = &i.expr,
                Expr::MethodCall(mc) if TRANSPARENT.contains(&mc.method.to_string().as_str()) => {
                    x = &mc.receiver
                }
                _ => break,
            }
        }
        let text = || self.src.text_of(e.span());
        match x {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = last_seg(&p.path);
                let ty = self.env.get(&name).and_then(|b| b.ty.clone());
                let Some(kind) = cls.classify(&name, ty.as_deref()) else {
                    // A local bound from a contact value (`if let Some(m) =
                    // s.mobile.as_deref()`) carries it.
                    return self.origin_parts(&name, depth);
                };
                match ty {
                    // A struct value (`mail: Mailer`) is judged by its fields.
                    Some(ty) => vec![LogPart::Var {
                        text: text(),
                        ty,
                        kind,
                    }],
                    None => vec![LogPart::Hit { kind, text: text() }],
                }
            }
            Expr::Field(f) => {
                let syn::Member::Named(n) = &f.member else {
                    return Vec::new();
                };
                let name = ident_str(n);
                let untyped = cls.classify(&name, None);
                match self.type_of(&f.base, 0) {
                    Some(base) => vec![LogPart::Field {
                        text: text(),
                        base,
                        field: name,
                        untyped,
                    }],
                    None => untyped
                        .map(|kind| vec![LogPart::Hit { kind, text: text() }])
                        .unwrap_or_default(),
                }
            }
            Expr::Macro(m) => {
                let n = last_seg(&m.mac.path);
                if matches!(n.as_str(), "format" | "format_args") {
                    self.scan_args(&m.mac.tokens, false, depth + 1)
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    /// The contact values of the expression a local is bound from (bounded
    /// by `depth`: `let a = b; let b = a;` ends).
    fn origin_parts(&self, name: &str, depth: usize) -> Vec<LogPart> {
        match self.env.origin(name) {
            Some(o) if depth < 8 => self.contact_expr(o, depth + 1),
            _ => Vec::new(),
        }
    }

    /// The type of a value, as a local's type and field accesses.
    fn type_of(&self, e: &Expr, d: usize) -> Option<TypeExpr> {
        if d > 16 {
            return None;
        }
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 => self
                .env
                .get(&last_seg(&p.path))
                .and_then(|b| b.ty.clone())
                .map(|root| TypeExpr {
                    root,
                    fields: Vec::new(),
                }),
            Expr::Reference(r) => self.type_of(&r.expr, d + 1),
            Expr::Paren(p) => self.type_of(&p.expr, d + 1),
            Expr::MethodCall(mc) if TRANSPARENT.contains(&mc.method.to_string().as_str()) => {
                self.type_of(&mc.receiver, d + 1)
            }
            Expr::Field(f) => {
                let syn::Member::Named(n) = &f.member else {
                    return None;
                };
                let mut t = self.type_of(&f.base, d + 1)?;
                t.fields.push(ident_str(n));
                Some(t)
            }
            _ => None,
        }
    }

    /// A log call: a fact when the file decides it, else a candidate.
    fn push(
        &mut self,
        span: crate::span::Span,
        macro_name: String,
        parts: Vec<LogPart>,
        gated: bool,
        otherwise: Vec<LogCandidate>,
    ) {
        let view = &self.world.view;
        view.take_missed();
        let found = log_parts::eval(&parts, view);
        let missed = view.take_missed();
        if !gated && !missed && self.deferring.is_none() {
            if let Some(call) = log_parts::log_call(macro_name, found) {
                self.out.push(span, FactData::LogCall(call));
            }
            return;
        }
        if found.is_empty() && !missed && otherwise.is_empty() {
            return;
        }
        let c = LogCandidate {
            span,
            anchor: self.out.anchor(span),
            macro_name,
            gated,
            parts,
            otherwise,
        };
        match &mut self.deferring {
            Some(v) => v.push(c),
            None => self.out.defer(Pending::Log(c)),
        }
    }

    /// `#[instrument]` records its `fields(...)` and, unless skipped, every
    /// argument (with Debug).
    fn instrument(&mut self, f: &FnRef) {
        for a in f.attrs {
            if last_seg(a.path()) != "instrument" {
                continue;
            }
            let tokens = match &a.meta {
                syn::Meta::List(l) => l.tokens.clone(),
                _ => TokenStream::new(),
            };
            let toks: Vec<TokenTree> = tokens.into_iter().collect();
            let mut found = Vec::new();
            let mut skip_all = false;
            let mut skipped: Vec<String> = Vec::new();
            for (i, t) in toks.iter().enumerate() {
                let TokenTree::Ident(id) = t else { continue };
                let group = match toks.get(i + 1) {
                    Some(TokenTree::Group(g)) => Some(g.stream()),
                    _ => None,
                };
                match (id.to_string().as_str(), group) {
                    ("skip_all", _) => skip_all = true,
                    ("skip", Some(g)) => skipped.extend(g.into_iter().filter_map(|t| match t {
                        TokenTree::Ident(i) => Some(ident_str(&i)),
                        _ => None,
                    })),
                    ("fields", Some(g)) => found.extend(self.scan_args(&g, false, 0)),
                    _ => {}
                }
            }
            if !skip_all {
                for input in &f.sig.inputs {
                    let FnArg::Typed(pt) = input else { continue };
                    let Pat::Ident(pi) = &*pt.pat else { continue };
                    let name = ident_str(&pi.ident);
                    if skipped.contains(&name) {
                        continue;
                    }
                    let ty = super::infer::primary_type(&pt.ty);
                    if let Some(k) = self.world.vocab.classifier.classify(&name, ty.as_deref()) {
                        found.push(LogPart::Hit {
                            kind: k,
                            text: name,
                        });
                    } else if let Some(t) = ty {
                        found.push(LogPart::Debug {
                            primary: Vec::new(),
                            ty: TypeExpr {
                                root: t,
                                fields: Vec::new(),
                            },
                            text: name,
                        });
                    }
                }
            }
            let span = self
                .src
                .span2(a.pound_token.span, a.bracket_token.span.close());
            self.push(span, "#[instrument]".into(), found, false, Vec::new());
        }
    }

    /// A macro that is not a log call: log calls inside its arguments count
    /// when the body parses as expressions (`tokio::select!`, `vec!`…).
    fn visit_other_macro(&mut self, m: &syn::Macro) {
        // Only a macro call inside can be a log call: without a `!` in its
        // source the body needs no parsing.
        if self.src.delimited_text(m.delimiter.span()).contains('!')
            && let Ok(block) = syn::parse2::<ExprList>(m.tokens.clone())
        {
            for e in &block.0 {
                self.visit_expr(e);
            }
        }
        visit::visit_macro(self, m);
    }
}

/// Words syn's parser does not take for an identifier (a raw `r#type` is
/// one, and compares unequal to `type`).
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

impl<'ast> Visit<'ast> for LogVisitor<'_, '_> {
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if let Some((name, gated)) = self.log_macro(&m.path) {
            let parts = self.scan_args(&m.tokens, name == "dbg", 0);
            let start = m
                .path
                .segments
                .first()
                .map(|s| s.ident.span())
                .unwrap_or_else(|| m.path.span());
            let start = m.path.leading_colon.map(|c| c.spans[0]).unwrap_or(start);
            let span = self.src.span2(start, m.delimiter.span().close());
            // Should the crate not log, the macro is someone else's and the
            // log calls in its arguments count instead.
            let mut otherwise = Vec::new();
            if gated && self.gate_depth < MAX_GATE_DEPTH {
                let saved = self.deferring.replace(Vec::new());
                self.gate_depth += 1;
                self.visit_other_macro(m);
                self.gate_depth -= 1;
                otherwise = std::mem::replace(&mut self.deferring, saved).unwrap_or_default();
            }
            self.push(span, name, parts, gated, otherwise);
            return;
        }
        self.visit_other_macro(m);
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}
