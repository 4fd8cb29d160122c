//! The arguments of log, trace and print macros, which are opaque token
//! streams to syn: split at commas into labels, format strings, `name =
//! value` fields and expressions; and format strings' placeholders.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::Expr;

use super::ident_str;

/// One comma-separated piece of a macro's arguments.
pub(crate) enum Seg {
    /// `target: "x"`, `parent: span`, `name: "n"`
    Label,
    /// A lone string literal.
    Str(syn::LitStr),
    /// `name = [%|?] value`
    Named {
        name: String,
        sigil: Option<char>,
        value: Vec<TokenTree>,
    },
    /// `[%|?] expr`
    Expr {
        sigil: Option<char>,
        value: Vec<TokenTree>,
    },
}

pub(crate) fn split_args(ts: &TokenStream) -> Vec<Vec<TokenTree>> {
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

pub(crate) fn classify_seg(toks: Vec<TokenTree>) -> Seg {
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
            value: rest.to_vec(),
        };
    }
    let (sigil, rest) = sigil_of(&toks);
    let skip = toks.len() - rest.len();
    let mut value = toks;
    value.drain(..skip);
    Seg::Expr { sigil, value }
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
pub(crate) struct Placeholder {
    pub arg: Arg,
    pub debug: bool,
}

pub(crate) enum Arg {
    Next,
    Index(usize),
    Name(String),
}

pub(crate) fn placeholders(fmt: &str) -> Vec<Placeholder> {
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

/// Comma-separated expressions.
pub(crate) struct ExprList(pub Vec<Expr>);

impl syn::parse::Parse for ExprList {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let p = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated(input)?;
        Ok(ExprList(p.into_iter().collect()))
    }
}
