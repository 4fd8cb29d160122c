//! The Rust front end: reads one `.rs` file with syn (proc-macro2
//! span-locations) and emits contact fields of persisted structs, diesel
//! `table!` columns, contact columns written by SQL in string literals, log
//! calls carrying contact values, HTTP routes serving contact data, datastore
//! connection strings (literal, or read from the environment directly or
//! through a configuration struct filled by envy/config/figment), listeners
//! bound to all interfaces on datastore ports, and the struct types the code writes into datastores.
//!
//! [`analyze`] parses its one file once and reads nothing else. Some
//! questions span files of the same crate (a handler returning
//! `models::Creator`, a serde struct written to MongoDB by another module,
//! an actix handler registered in `main.rs`): the file's [`RustUnit`] keeps
//! its summary and the facts it could not decide alone, and [`resolve`],
//! which the engine runs over all analysed files before linking, groups the
//! units by crate, builds each crate's index from them and adds the facts
//! that need it. Cargo manifests are read by [`manifest`] for the crate's
//! dependencies.

mod conn;
mod envcfg;
mod handlers;
mod index;
mod infer;
mod log_args;
mod log_parts;
mod logs;
pub mod manifest;
mod model;
mod resolve;
mod route_facts;
mod routes;
mod summary;
mod unit;
mod view;

use proc_macro2::{Span as PmSpan, TokenStream, TokenTree};

pub use resolve::resolve;
pub use unit::{CargoManifest, RustUnit};

use super::Ctx;
use crate::facts::{Fact, FactData, FileFacts};
use crate::span::{LineIndex, Span};
use unit::{Candidate, Pending};
use view::View;

pub fn analyze(text: &str, ctx: &Ctx) -> FileFacts {
    let file = match syn::parse_file(text) {
        Ok(f) => f,
        Err(e) => {
            let mut out = FileFacts::default();
            let line = e.span().start().line.max(1) as u32;
            out.error(Some(line), format!("Rust syntax error: {e}"));
            return out;
        }
    };
    let src = Src::new(text);
    let module = module_name(ctx.path);
    let mut summary = summary::summarize(&file, &src, &module);
    summary::classify(&mut summary, ctx.vocab);
    let mut out = Out {
        facts: FileFacts::default(),
        pending: Vec::new(),
        src: &src,
    };
    let world = World {
        local: &summary,
        view: View::local(&summary),
        vocab: ctx.vocab,
    };
    model::emit(&file, &src, &world, &mut out);
    route_facts::emit(&world, &mut out);
    logs::emit(&file, &src, &world, &mut out);
    conn::emit(&file, &src, &world, &mut out);
    envcfg::emit(&file, &src, &world, &mut out);
    // One write per type and engine and target; a bare `Collection<T>`
    // annotation only when nothing names the collection.
    let mut kept: Vec<&summary::WriteInfo> = Vec::new();
    for w in &summary.writes {
        let same = |k: &&summary::WriteInfo| k.type_name == w.type_name && k.engine == w.engine;
        if w.target.is_none()
            && summary
                .writes
                .iter()
                .any(|k| same(&k) && k.target.is_some())
        {
            continue;
        }
        if kept.iter().any(|k| same(k) && k.target == w.target) {
            continue;
        }
        kept.push(w);
    }
    for w in kept {
        out.push(
            w.span,
            FactData::StoreWrite(crate::facts::StoreWrite {
                type_name: w.type_name.clone(),
                engine: w.engine.clone(),
                target: w.target.clone(),
            }),
        );
    }
    let Out {
        mut facts, pending, ..
    } = out;
    facts.rust = Some(Box::new(RustUnit {
        summary,
        pending,
        resolved_at: Vec::new(),
    }));
    facts
}

/// What the analysis of one file may consult: its own summary (and, through
/// the view, what it lacks of the crate) and the vocabulary.
pub(crate) struct World<'a> {
    pub local: &'a summary::Summary,
    pub view: View<'a>,
    pub vocab: &'a crate::vocab::Vocabulary,
}

/// The facts a file's analysis decided, and the candidates it left to
/// crate resolution.
pub(crate) struct Out<'s> {
    pub facts: FileFacts,
    pub pending: Vec<Candidate>,
    src: &'s Src<'s>,
}

impl Out<'_> {
    /// A fact decided in the file (the front-end driver adds its anchor).
    pub fn push(&mut self, span: Span, data: FactData) {
        self.facts.push(span, data);
    }

    /// Leaves a candidate to crate resolution, after the facts so far.
    pub fn defer(&mut self, what: Pending) {
        self.pending.push(Candidate {
            at: self.facts.facts.len(),
            what,
        });
    }

    /// The anchor of a span: its first line, normalised as the front-end
    /// driver does for decided facts.
    pub fn anchor(&self, span: Span) -> String {
        super::normalise(self.src.idx.line_text(span.line))
    }

    /// A complete fact for a candidate.
    pub fn fact(&self, span: Span, data: FactData) -> Fact {
        Fact {
            span,
            anchor: self.anchor(span),
            data,
        }
    }
}

/// Converts proc-macro2 positions (1-based lines, 0-based char columns) to
/// our spans and source text.
pub(crate) struct Src<'a> {
    pub text: &'a str,
    idx: LineIndex<'a>,
}

impl<'a> Src<'a> {
    pub fn new(text: &'a str) -> Self {
        Src {
            text,
            idx: LineIndex::new(text),
        }
    }

    pub fn span(&self, s: PmSpan) -> Span {
        self.span2(s, s)
    }

    /// From the start of `a` to the end of `b`.
    pub fn span2(&self, a: PmSpan, b: PmSpan) -> Span {
        let (s, e) = (a.start(), b.end());
        Span::new(
            s.line.max(1) as u32,
            s.column as u32 + 1,
            e.line.max(1) as u32,
            e.column as u32 + 1,
        )
    }

    /// The source text a span covers (capped).
    pub fn text_of(&self, s: PmSpan) -> String {
        self.text2(s, s)
    }

    pub fn text2(&self, a: PmSpan, b: PmSpan) -> String {
        let sp = self.span2(a, b);
        let start = self.idx.byte_offset(sp.line, sp.column);
        let end = self.idx.byte_offset(sp.end_line, sp.end_column);
        let t = self.text.get(start..end.max(start)).unwrap_or("");
        let t: String = t.chars().take(400).collect();
        t
    }
}

/// The module a file defines, as other files name it (`handlers` for
/// `src/handlers.rs` and `src/handlers/mod.rs`; `crate` for lib/main).
pub(crate) fn module_name(path: &str) -> String {
    let p = std::path::Path::new(path);
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    match stem.as_str() {
        "mod" => p
            .parent()
            .and_then(|d| d.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        "lib" | "main" => "crate".into(),
        _ => stem,
    }
}

pub(crate) fn ident_str(i: &proc_macro2::Ident) -> String {
    let s = i.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

/// A path's segments as strings (`std::env::var` -> [std, env, var]).
pub(crate) fn segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| ident_str(&s.ident)).collect()
}

pub(crate) fn last_seg(p: &syn::Path) -> String {
    p.segments
        .last()
        .map(|s| ident_str(&s.ident))
        .unwrap_or_default()
}

/// The string value of a literal token, if it is a string literal.
pub(crate) fn lit_str_of(tt: &TokenTree) -> Option<syn::LitStr> {
    match tt {
        TokenTree::Literal(l) => {
            let ts: TokenStream = TokenTree::Literal(l.clone()).into();
            syn::parse2::<syn::LitStr>(ts).ok()
        }
        TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::None => {
            let mut it = g.stream().into_iter();
            match (it.next(), it.next()) {
                (Some(t), None) => lit_str_of(&t),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Every string literal inside a token stream, depth-first (bounded).
pub(crate) fn lit_strs_in(ts: &TokenStream, out: &mut Vec<syn::LitStr>, depth: usize) {
    if depth > 64 || out.len() > 512 {
        return;
    }
    for tt in ts.clone() {
        match &tt {
            TokenTree::Group(g) => lit_strs_in(&g.stream(), out, depth + 1),
            TokenTree::Literal(_) => {
                if let Some(l) = lit_str_of(&tt) {
                    out.push(l);
                }
            }
            _ => {}
        }
    }
}

/// The string literal an expression is (through references and parens).
pub(crate) fn expr_lit_str(e: &syn::Expr) -> Option<&syn::LitStr> {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        syn::Expr::Reference(r) => expr_lit_str(&r.expr),
        syn::Expr::Paren(p) => expr_lit_str(&p.expr),
        syn::Expr::Group(g) => expr_lit_str(&g.expr),
        _ => None,
    }
}

/// Whether items carry `#[test]`, `#[tokio::test]`, `#[cfg(test)]`…
pub(crate) fn is_test_attrs(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        let last = last_seg(p);
        if last == "test" || last == "rstest" || last == "sqlx_test" {
            return true;
        }
        if p.is_ident("cfg")
            && let syn::Meta::List(l) = &a.meta
        {
            return l
                .tokens
                .clone()
                .into_iter()
                .any(|t| matches!(&t, TokenTree::Ident(i) if i == "test"));
        }
        false
    })
}

/// Words that make a layer, middleware, guard or extractor look like
/// authentication.
pub(crate) fn is_auth_text(text: &str) -> bool {
    let t = text.to_ascii_lowercase().replace([' ', '\n', '\t'], "");
    if t.contains("validaterequestheaderlayer") {
        return t.contains("bearer") || t.contains("basic") || t.contains("custom");
    }
    [
        "auth",
        "session",
        "jwt",
        "login",
        "bearer",
        "guard",
        "require_",
        "requireuser",
        "validate",
        "credential",
        "apikey",
        "api_key",
        "identity",
        "oidc",
        "permission",
        "signed_in",
        "logged_in",
        "token",
    ]
    .iter()
    .any(|w| t.contains(w))
}
