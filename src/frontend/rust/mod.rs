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

pub use resolve::{CrateGroup, crate_groups, resolve};
pub use unit::{CargoManifest, RustUnit};

use super::Ctx;
use crate::facts::{Fact, FactData, FileFacts};
use crate::span::{LineIndex, Span};
use infer::Env;
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
    // The file's functions and their local names, worked out once for all
    // the analyses below.
    let fns = summary::functions(&file);
    let envs: Vec<Env> = fns.fns.iter().map(|f| Env::build(f.sig, f.block)).collect();
    let mut summary = summary::summarize(&file, &src, &module, &fns, &envs);
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
    logs::emit(&fns, &envs, &src, &world, &mut out);
    conn::emit(&file, &src, &world, &mut out);
    envcfg::emit(&fns, &envs, &src, &world, &mut out);
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

/// The classifier's verdicts within one file, each name and type asked
/// once: struct fields and response values repeat across a file (`id`,
/// `email` in every struct).
pub(crate) struct Verdicts<'v> {
    cls: &'v crate::vocab::Classifier,
    /// By name: each type asked with it and the verdict.
    seen: std::collections::HashMap<String, Vec<Verdict>>,
}

/// A type asked with a name, and the classifier's verdict.
type Verdict = (Option<String>, Option<crate::facts::DataKind>);

impl<'v> Verdicts<'v> {
    pub fn new(cls: &'v crate::vocab::Classifier) -> Self {
        Verdicts {
            cls,
            seen: std::collections::HashMap::new(),
        }
    }

    /// What `Classifier::classify(name, ty)` gives.
    pub fn classify(&mut self, name: &str, ty: Option<&str>) -> Option<crate::facts::DataKind> {
        if let Some(tys) = self.seen.get(name)
            && let Some((_, k)) = tys.iter().find(|(t, _)| t.as_deref() == ty)
        {
            return *k;
        }
        let k = self.cls.classify(name, ty);
        self.seen
            .entry(name.to_string())
            .or_default()
            .push((ty.map(str::to_string), k));
        k
    }
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

    /// The source from a macro's opening delimiter to its closing one
    /// (both included): all its body's text, for cheap textual pre-checks
    /// (the whole text when the positions are out of range). The delimiters
    /// are kept so that a position one character off (a byte-order mark on
    /// the first line) still covers the body.
    pub fn delimited_text(&self, d: &proc_macro2::extra::DelimSpan) -> &'a str {
        let (s, e) = (d.open().start(), d.close().end());
        let n = self.idx.line_count();
        if s.line == 0 || (s.line, s.column) > (e.line, e.column) || e.line > n {
            return self.text;
        }
        let start = self.byte_offset(s.line as u32, s.column as u32 + 1);
        let end = self.byte_offset(e.line as u32, e.column as u32 + 1);
        self.text.get(start..end).unwrap_or(self.text)
    }

    /// `LineIndex::byte_offset`, without counting characters when the line
    /// is ASCII up to the column (a column is then a byte count).
    fn byte_offset(&self, line: u32, column: u32) -> usize {
        let start = self.idx.byte_offset(line, 1);
        if column <= 1 {
            return start;
        }
        let k = column as usize - 1;
        match self.text.as_bytes().get(start..=start + k) {
            Some(b) if b[..k].is_ascii() && !b[..k].contains(&b'\n') => start + k,
            _ => self.idx.byte_offset(line, column),
        }
    }

    pub fn text2(&self, a: PmSpan, b: PmSpan) -> String {
        let sp = self.span2(a, b);
        let start = self.byte_offset(sp.line, sp.column);
        let end = self.byte_offset(sp.end_line, sp.end_column);
        let t = self.text.get(start..end.max(start)).unwrap_or("");
        // The first 400 characters (bytes, when those are ASCII).
        if t.len() <= 400 {
            return t.to_string();
        }
        if t.as_bytes()[..400].is_ascii() {
            return t[..400].to_string();
        }
        match t.char_indices().nth(400) {
            Some((cut, _)) => t[..cut].to_string(),
            None => t.to_string(),
        }
    }
}

/// The span `syn::spanned::Spanned` gives a function item (free, or in an
/// impl with its `default`): from its first token (an outer attribute, the
/// visibility, a qualifier or `fn`) to its body's closing brace, found
/// without printing the item into tokens.
pub(crate) fn fn_item_span(
    attrs: &[syn::Attribute],
    vis: &syn::Visibility,
    defaultness: Option<PmSpan>,
    sig: &syn::Signature,
    block: &syn::Block,
) -> PmSpan {
    let vis = match vis {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    };
    let first = attrs
        .iter()
        .find(|a| matches!(a.style, syn::AttrStyle::Outer))
        .map(|a| a.pound_token.spans[0])
        .or(vis)
        .or(defaultness)
        .or(sig.constness.map(|t| t.span))
        .or(sig.asyncness.map(|t| t.span))
        .or(sig.unsafety.map(|t| t.span))
        .or(sig.abi.as_ref().map(|a| a.extern_token.span))
        .unwrap_or(sig.fn_token.span);
    first.join(block.brace_token.span.join()).unwrap_or(first)
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
        // What parsing the one token as a `LitStr` gives, without the
        // parser.
        TokenTree::Literal(l) => match syn::Lit::new(l.clone()) {
            syn::Lit::Str(s) => Some(s),
            _ => None,
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use syn::spanned::Spanned;
    use syn::visit::Visit;

    /// `(fn_item_span text, Spanned text)` of every function of a file.
    fn fn_texts(text: &str) -> Vec<(String, String)> {
        struct V<'s>(&'s Src<'s>, Vec<(String, String)>);
        impl<'ast> Visit<'ast> for V<'_> {
            fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
                let cheap = fn_item_span(&f.attrs, &f.vis, None, &f.sig, &f.block);
                self.1
                    .push((self.0.text_of(cheap), self.0.text_of(f.span())));
                syn::visit::visit_item_fn(self, f);
            }
            fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
                let d = f.defaultness.map(|d| d.span);
                let cheap = fn_item_span(&f.attrs, &f.vis, d, &f.sig, &f.block);
                self.1
                    .push((self.0.text_of(cheap), self.0.text_of(f.span())));
                syn::visit::visit_impl_item_fn(self, f);
            }
        }
        let file = syn::parse_file(text).expect("parses");
        let src = Src::new(text);
        let mut v = V(&src, Vec::new());
        v.visit_file(&file);
        proc_macro2::extra::invalidate_current_thread_spans();
        v.1
    }

    /// The kinds of the facts a Rust file yields on its own, by line.
    fn fact_lines(text: &str) -> Vec<(u32, &'static str)> {
        let vocab = crate::vocab::Vocabulary::builtin();
        let ctx = crate::frontend::Ctx {
            vocab: &vocab,
            path: "svc/src/lib.rs",
        };
        let facts = crate::frontend::analyze_text(text, crate::discover::FileKind::Rust, &ctx);
        facts
            .facts
            .iter()
            .filter_map(|f| {
                let k = match &f.data {
                    FactData::LogCall(_) => "log",
                    FactData::Exposure(_) => "exposure",
                    FactData::Connection(_) => "connection",
                    _ => return None,
                };
                Some((f.span.line, k))
            })
            .collect()
    }

    #[test]
    fn macro_bodies_still_yield_their_calls_pairs_and_logs() {
        // The bodies are parsed only when their source can hold what is
        // looked for: these must still be.
        let text = r#"
pub fn run(email: &str) {
    spawn_all!(tracing::info!(email = %email, "signed up"));
    serve!(("0.0.0.0", 6379));
    init!(
        std::env::var("MONGO_URL")
    );
    plain!(a, b);
}
"#;
        assert_eq!(
            fact_lines(text),
            [(3, "log"), (4, "exposure"), (6, "connection")]
        );
    }

    #[test]
    fn delimited_text_covers_the_delimiters() {
        let text = "fn a() {\n    m!(x,\n       y);\n    \u{e9}\u{e9}!{z}\n}\n";
        let file = syn::parse_file(text).expect("parses");
        let src = Src::new(text);
        let syn::Item::Fn(f) = &file.items[0] else {
            panic!("a function")
        };
        let texts: Vec<&str> = f
            .block
            .stmts
            .iter()
            .map(|s| match s {
                syn::Stmt::Macro(m) => src.delimited_text(m.mac.delimiter.span()),
                _ => panic!("a macro"),
            })
            .collect();
        assert_eq!(texts, ["(x,\n       y)", "{z}"]);
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    #[test]
    fn fn_item_span_is_the_spanned_span() {
        let text = r#"
/// Docs first.
#[inline]
pub(crate) const async unsafe extern "C" fn a() { #![allow(unused)] let x = 1; }
#[cfg(test)] fn b() {}
pub fn c() -> u8 { fn inner() {} 1 }
async fn d() {}
unsafe fn e() {}
extern "C" fn f() {}
const fn g() {}
fn h<T: Clone>(t: T) where T: Copy { let _ = t; }
impl S {
    /// Doc.
    pub default fn i(&self) {}
    default fn j() {}
    pub(super) async fn k() {}
    fn l() {}
    #[rustfmt::skip] fn m() {}
}
"#;
        let texts = fn_texts(text);
        assert_eq!(texts.len(), 14);
        for (cheap, spanned) in texts {
            assert_eq!(cheap, spanned);
        }
    }
}
