//! Log, trace and print macros (and `#[instrument]`) whose arguments,
//! fields or inline format captures carry contact values.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Pat};

use super::summary::{Env, FnRef, TRANSPARENT};
use super::{Src, World, ident_str, is_test_attrs, last_seg};
use crate::facts::{DataKind, FactData, FileFacts, LogCall};

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

pub(crate) fn emit(file: &syn::File, src: &Src, world: &World, out: &mut FileFacts) {
    let mut fns = FnCollector {
        fns: Vec::new(),
        test_depth: 0,
    };
    fns.visit_file(file);
    for f in &fns.fns {
        if f.is_test {
            continue;
        }
        let env = Env::build(f.sig, f.block);
        let mut lv = LogVisitor {
            src,
            world,
            env: &env,
            out: &mut *out,
        };
        lv.instrument(f);
        lv.visit_block(f.block);
    }
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

struct LogVisitor<'a, 's> {
    src: &'s Src<'s>,
    world: &'a World<'a>,
    env: &'a Env,
    out: &'a mut FileFacts,
}

/// One comma-separated piece of a macro's arguments.
enum Seg {
    /// `target: "x"`, `parent: span`, `name: "n"`
    Label,
    /// A lone string literal.
    Str(syn::LitStr),
    /// `name = [%|?] value`
    Named {
        name: String,
        sigil: Option<char>,
        value: TokenStream,
    },
    /// `[%|?] expr`
    Expr {
        sigil: Option<char>,
        value: TokenStream,
    },
}

fn split_args(ts: &TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for tt in ts.clone() {
        if let TokenTree::Punct(p) = &tt
            && (p.as_char() == ',' || p.as_char() == ';')
        {
            out.push(Vec::new());
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.push(tt);
        }
        if out.len() > 256 {
            break;
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn classify_seg(toks: Vec<TokenTree>) -> Seg {
    if let (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p))) = (toks.first(), toks.get(1))
        && p.as_char() == ':'
        && p.spacing() == Spacing::Alone
    {
        return Seg::Label;
    }
    if toks.len() == 1
        && let Some(l) = super::lit_str_of(&toks[0])
    {
        return Seg::Str(l);
    }
    // name = value, where name is a dotted path or a string literal
    let mut i = 0;
    let mut name = String::new();
    loop {
        match toks.get(i) {
            Some(TokenTree::Ident(id)) if name.is_empty() || name.ends_with('.') => {
                name.push_str(&ident_str(id));
                i += 1;
            }
            Some(TokenTree::Literal(_)) if name.is_empty() => match super::lit_str_of(&toks[i]) {
                Some(l) => {
                    name = l.value();
                    i += 1;
                }
                None => break,
            },
            Some(TokenTree::Punct(p))
                if p.as_char() == '.' && !name.is_empty() && !name.ends_with('.') =>
            {
                name.push('.');
                i += 1;
            }
            _ => break,
        }
    }
    if !name.is_empty()
        && let Some(TokenTree::Punct(p)) = toks.get(i)
        && p.as_char() == '='
        && p.spacing() == Spacing::Alone
    {
        let rest = &toks[i + 1..];
        let (sigil, rest) = sigil_of(rest);
        return Seg::Named {
            name,
            sigil,
            value: rest.iter().cloned().collect(),
        };
    }
    let (sigil, rest) = sigil_of(&toks);
    Seg::Expr {
        sigil,
        value: rest.iter().cloned().collect(),
    }
}

fn sigil_of(toks: &[TokenTree]) -> (Option<char>, &[TokenTree]) {
    match toks.first() {
        Some(TokenTree::Punct(p))
            if (p.as_char() == '%' || p.as_char() == '?') && toks.len() > 1 =>
        {
            (Some(p.as_char()), &toks[1..])
        }
        _ => (None, toks),
    }
}

/// A `{…}` placeholder of a format string.
struct Placeholder {
    arg: Arg,
    debug: bool,
}

enum Arg {
    Next,
    Index(usize),
    Name(String),
}

fn placeholders(fmt: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' if chars.get(i + 1) == Some(&'{') => i += 2,
            '}' if chars.get(i + 1) == Some(&'}') => i += 2,
            '{' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != '}' && chars[j] != '{' {
                    j += 1;
                }
                let inner: String = chars[start..j.min(chars.len())].iter().collect();
                let (arg, spec) = match inner.split_once(':') {
                    Some((a, s)) => (a.trim().to_string(), s.to_string()),
                    None => (inner.trim().to_string(), String::new()),
                };
                let arg = if arg.is_empty() {
                    Arg::Next
                } else if let Ok(n) = arg.parse::<usize>() {
                    Arg::Index(n)
                } else {
                    Arg::Name(arg)
                };
                out.push(Placeholder {
                    arg,
                    debug: spec.contains('?'),
                });
                i = j + 1;
                if out.len() > 128 {
                    break;
                }
            }
            _ => i += 1,
        }
    }
    out
}

impl LogVisitor<'_, '_> {
    /// Whether a macro path is a logging/printing macro, and its name.
    fn log_macro(&self, path: &syn::Path) -> Option<String> {
        let segs: Vec<String> = path.segments.iter().map(|s| ident_str(&s.ident)).collect();
        let last = segs.last()?.clone();
        if PRINTS.contains(&last.as_str()) && segs.len() == 1 {
            return Some(last);
        }
        if !LEVELS.contains(&last.as_str()) {
            return None;
        }
        if segs.len() >= 2 {
            return matches!(segs[segs.len() - 2].as_str(), "tracing" | "log")
                .then(|| segs.join("::"));
        }
        let li = &self.world.local.log_imports;
        if li.local_macros.contains(&last) {
            return None;
        }
        let crate_wide = self
            .world
            .index
            .is_some_and(|i| i.uses_log || i.macro_use_log)
            || self.world.local.mentions.macro_use_log;
        (li.glob || li.names.contains(&last) || crate_wide).then_some(last)
    }

    /// Contact values among a macro's arguments: `(kind, text)`.
    fn scan_args(
        &self,
        ts: &TokenStream,
        all_debug: bool,
        depth: usize,
    ) -> Vec<(DataKind, String)> {
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
                    found.push((k, n.clone()));
                } else if p.debug
                    && let Some(t) = ty
                    && let Some((_, k)) = self.world.contact_fields_deep(&t).first()
                {
                    found.push((*k, n.clone()));
                }
            }
        }
        found
    }

    fn check_tokens(
        &self,
        ts: &TokenStream,
        debug: bool,
        depth: usize,
        found: &mut Vec<(DataKind, String)>,
    ) {
        match syn::parse2::<Expr>(ts.clone()) {
            Ok(e) => {
                let hits = self.contact_expr(&e, depth);
                if !hits.is_empty() {
                    found.extend(hits);
                } else if debug
                    && let Some(t) = self.type_of(&e, 0)
                    && let Some((_, k)) = self.world.contact_fields_deep(&t).first()
                {
                    found.push((*k, self.src.text_of(e.span())));
                }
            }
            Err(_) => {
                // Fall back on a plain `a.b.c` path.
                let idents: Vec<String> = ts
                    .clone()
                    .into_iter()
                    .filter_map(|t| match t {
                        TokenTree::Ident(i) => Some(ident_str(&i)),
                        _ => None,
                    })
                    .collect();
                let simple = ts.clone().into_iter().all(|t| match t {
                    TokenTree::Ident(_) => true,
                    TokenTree::Punct(p) => p.as_char() == '.' || p.as_char() == '&',
                    _ => false,
                });
                if simple
                    && let Some(last) = idents.last()
                    && let Some(k) = self.world.vocab.classifier.classify(last, None)
                {
                    found.push((k, idents.join(".")));
                }
            }
        }
    }

    /// Contact values an expression is (`user.email`, `email.clone()`,
    /// `format!("{email}")`); none for derived facts (`email.len()`).
    fn contact_expr(&self, e: &Expr, depth: usize) -> Vec<(DataKind, String)> {
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
                // A struct value (`mail: Mailer`) is judged by its fields.
                if ty
                    .as_deref()
                    .is_some_and(|t| self.world.lookup_struct(t).is_some())
                {
                    return Vec::new();
                }
                cls.classify(&name, ty.as_deref())
                    .map(|k| vec![(k, text())])
                    .unwrap_or_default()
            }
            Expr::Field(f) => {
                let syn::Member::Named(n) = &f.member else {
                    return Vec::new();
                };
                let name = ident_str(n);
                let ty = self.field_type(&f.base, &name);
                cls.classify(&name, ty.as_deref())
                    .map(|k| vec![(k, text())])
                    .unwrap_or_default()
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

    fn field_type(&self, base: &Expr, field: &str) -> Option<String> {
        let t = self.type_of(base, 0)?;
        let s = self.world.lookup_struct(&t)?;
        s.fields
            .iter()
            .find(|f| f.rust_name == field)
            .map(|f| f.inner_ty.clone())
    }

    fn type_of(&self, e: &Expr, d: usize) -> Option<String> {
        if d > 16 {
            return None;
        }
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 => {
                self.env.get(&last_seg(&p.path)).and_then(|b| b.ty.clone())
            }
            Expr::Reference(r) => self.type_of(&r.expr, d + 1),
            Expr::Paren(p) => self.type_of(&p.expr, d + 1),
            Expr::MethodCall(mc) if TRANSPARENT.contains(&mc.method.to_string().as_str()) => {
                self.type_of(&mc.receiver, d + 1)
            }
            Expr::Field(f) => {
                let syn::Member::Named(n) = &f.member else {
                    return None;
                };
                self.field_type(&f.base, &ident_str(n))
            }
            _ => None,
        }
    }

    fn push(
        &mut self,
        span: crate::span::Span,
        macro_name: String,
        found: Vec<(DataKind, String)>,
    ) {
        let Some(kind) = found.first().map(|f| f.0) else {
            return;
        };
        let mut values: Vec<String> = Vec::new();
        for (_, v) in found {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        self.out.push(
            span,
            FactData::LogCall(LogCall {
                macro_name,
                values,
                kind,
            }),
        );
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
                    let ty = super::summary::primary_type(&pt.ty);
                    if let Some(k) = self.world.vocab.classifier.classify(&name, ty.as_deref()) {
                        found.push((k, name));
                    } else if let Some(t) = ty
                        && let Some((_, k)) = self.world.contact_fields_deep(&t).first()
                    {
                        found.push((*k, name));
                    }
                }
            }
            let span = self
                .src
                .span2(a.pound_token.span, a.bracket_token.span.close());
            self.push(span, "#[instrument]".into(), found);
        }
    }
}

impl<'ast> Visit<'ast> for LogVisitor<'_, '_> {
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if let Some(name) = self.log_macro(&m.path) {
            let found = self.scan_args(&m.tokens, name == "dbg", 0);
            let start = m
                .path
                .segments
                .first()
                .map(|s| s.ident.span())
                .unwrap_or_else(|| m.path.span());
            let start = m.path.leading_colon.map(|c| c.spans[0]).unwrap_or(start);
            let span = self.src.span2(start, m.delimiter.span().close());
            self.push(span, name, found);
            return;
        }
        // Macros holding ordinary code (`tokio::select!`, `vec!`…): look
        // for log calls inside when the body parses as expressions.
        if let Ok(block) = syn::parse2::<ExprList>(m.tokens.clone()) {
            for e in &block.0 {
                self.visit_expr(e);
            }
        }
        visit::visit_macro(self, m);
    }

    fn visit_item(&mut self, _i: &'ast syn::Item) {}
}

/// Comma-separated expressions.
struct ExprList(Vec<Expr>);

impl syn::parse::Parse for ExprList {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let p = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated(input)?;
        Ok(ExprList(p.into_iter().collect()))
    }
}
