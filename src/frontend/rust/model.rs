//! Contact fields of persisted structs (ORM derives, or serde models the
//! crate writes to a datastore) and of diesel `table!` schemas; and, for
//! crate resolution, where such fields are stored.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::visit::{self, Visit};

use super::summary::FieldInfo;
use super::unit::{Pending, StoreFill};
use super::{Out, Src, Verdicts, World, ident_str, last_seg};
use crate::facts::{ContactField, DataKind, FactData, FieldOrigin};

/// The name a field is stored under.
pub(crate) fn stored_name(f: &FieldInfo, relational: bool) -> String {
    let n = if relational {
        f.orm_name.as_ref()
    } else {
        f.serde_name.as_ref()
    };
    n.cloned().unwrap_or_else(|| f.rust_name.clone())
}

/// The contact kind of a field: its stored name, serde name or Rust name
/// classifies (the value is the same whatever it is called).
pub(crate) fn classify_field(
    f: &FieldInfo,
    relational: bool,
    verdicts: &mut Verdicts,
) -> Option<DataKind> {
    if (relational && f.orm_skip) || (!relational && f.serde_skip) {
        return None;
    }
    let ty = Some(f.inner_ty.as_str()).filter(|t| !t.is_empty());
    let stored = if relational {
        f.orm_name.as_ref()
    } else {
        f.serde_name.as_ref()
    }
    .unwrap_or(&f.rust_name);
    let names = [
        Some(stored),
        f.serde_name.as_ref(),
        f.orm_name.as_ref(),
        Some(&f.rust_name),
    ];
    // A name met before gave no verdict: it need not be asked again.
    names.iter().enumerate().find_map(|(i, n)| {
        let n = (*n)?;
        if names[..i].contains(&Some(n)) {
            return None;
        }
        verdicts.classify(n, ty)
    })
}

/// The contact fields of this file's structs. Where each is stored is the
/// crate's to say (the one relational engine for ORM models; a write of the
/// struct for serde models), so they are left to crate resolution.
pub(crate) fn emit<'s>(file: &syn::File, src: &'s Src<'s>, world: &World, out: &mut Out<'s>) {
    let cls = &world.vocab.classifier;
    for s in &world.local.structs {
        if s.is_test || !s.fields.iter().any(|f| f.contact.is_some()) {
            continue;
        }
        let mut names: Vec<String> = s
            .fields
            .iter()
            .map(|f| stored_name(f, s.relational))
            .collect();
        names.extend(s.fields.iter().map(|f| f.rust_name.clone()));
        names.push(s.name.clone());
        let signals = cls.platform_signals(names.iter().map(String::as_str));
        // sea-orm entities are all called `Model`: name them by their table.
        let container = match &s.table {
            Some(t) if s.relational && s.name == "Model" => t.clone(),
            _ => s.name.clone(),
        };
        let (store, family) = if s.relational {
            let m = &world.local.mentions;
            let fallback = match (m.postgres, m.mysql, m.sqlite) {
                (true, false, false) => Some("postgres"),
                (false, true, false) => Some("mysql"),
                (false, false, true) => Some("sqlite"),
                _ => None,
            };
            (
                StoreFill::Relational {
                    fallback: fallback.map(str::to_string),
                },
                Some("relational".to_string()),
            )
        } else {
            (
                StoreFill::Written {
                    name: s.name.clone(),
                },
                None,
            )
        };
        let facts = s
            .fields
            .iter()
            .filter_map(|f| {
                let kind = f.contact?;
                Some(out.fact(
                    f.span,
                    FactData::ContactField(ContactField {
                        container: container.clone(),
                        name: stored_name(f, s.relational),
                        kind,
                        origin: FieldOrigin::RustField,
                        platform_signals: signals.clone(),
                        store_family: family.clone(),
                        store_engine: None,
                    }),
                ))
            })
            .collect();
        out.defer(Pending::Fields { store, facts });
    }
    // A diesel `table!` needs the word in the source.
    if src.text.contains("table") {
        let mut d = Diesel {
            src,
            world,
            out,
            test_depth: 0,
        };
        d.visit_file(file);
    }
}

struct Diesel<'a, 's> {
    src: &'s Src<'s>,
    world: &'a World<'a>,
    out: &'a mut Out<'s>,
    test_depth: usize,
}

impl<'ast> Visit<'ast> for Diesel<'_, '_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let t = super::is_test_attrs(&m.attrs) as usize;
        self.test_depth += t;
        visit::visit_item_mod(self, m);
        self.test_depth -= t;
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if self.test_depth == 0 && last_seg(&m.path) == "table" {
            self.table(&m.tokens);
        }
        visit::visit_macro(self, m);
    }
}

/// A diesel column: `#[sql_name = "x"] name -> Type,`.
struct Column {
    name: String,
    ident: proc_macro2::Ident,
    inner_ty: String,
}

impl Diesel<'_, '_> {
    fn table(&mut self, ts: &TokenStream) {
        let toks: Vec<TokenTree> = ts.clone().into_iter().collect();
        let mut i = 0;
        let mut sql_name: Option<String> = None;
        while i < toks.len() {
            match &toks[i] {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some(TokenTree::Group(g)) = toks.get(i + 1) {
                        sql_name = sql_name_attr(&g.stream()).or(sql_name);
                    }
                    i += 2;
                    continue;
                }
                TokenTree::Ident(name) => {
                    // name [. name] [(pk)] { columns }
                    let mut table = ident_str(name);
                    let mut j = i + 1;
                    if let (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(n2))) =
                        (toks.get(j), toks.get(j + 1))
                        && p.as_char() == '.'
                    {
                        table = ident_str(n2);
                        j += 2;
                    }
                    if let Some(TokenTree::Group(g)) = toks.get(j)
                        && g.delimiter() == Delimiter::Parenthesis
                    {
                        j += 1;
                    }
                    if let Some(TokenTree::Group(g)) = toks.get(j)
                        && g.delimiter() == Delimiter::Brace
                    {
                        let table = sql_name.take().unwrap_or(table);
                        self.columns(&table, &g.stream());
                        i = j + 1;
                        continue;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    fn columns(&mut self, table: &str, ts: &TokenStream) {
        let toks: Vec<TokenTree> = ts.clone().into_iter().collect();
        let mut cols: Vec<Column> = Vec::new();
        let mut i = 0;
        let mut sql_name: Option<String> = None;
        while i < toks.len() {
            match &toks[i] {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some(TokenTree::Group(g)) = toks.get(i + 1) {
                        sql_name = sql_name_attr(&g.stream()).or(sql_name);
                    }
                    i += 2;
                }
                TokenTree::Ident(id) => {
                    let is_arrow = matches!(
                        (toks.get(i + 1), toks.get(i + 2)),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == '-' && b.as_char() == '>'
                    );
                    if !is_arrow {
                        i += 1;
                        continue;
                    }
                    // The type runs to the next top-level comma.
                    let mut j = i + 3;
                    let mut ty_idents: Vec<String> = Vec::new();
                    while j < toks.len() {
                        match &toks[j] {
                            TokenTree::Punct(p) if p.as_char() == ',' => break,
                            TokenTree::Ident(t) => ty_idents.push(ident_str(t)),
                            _ => {}
                        }
                        j += 1;
                    }
                    let inner = ty_idents
                        .iter()
                        .rev()
                        .find(|t| {
                            !matches!(t.as_str(), "Nullable" | "Array" | "diesel" | "sql_types")
                        })
                        .cloned()
                        .unwrap_or_default();
                    cols.push(Column {
                        name: sql_name.take().unwrap_or_else(|| ident_str(id)),
                        ident: id.clone(),
                        inner_ty: inner,
                    });
                    i = j + 1;
                }
                _ => i += 1,
            }
        }
        let cls = &self.world.vocab.classifier;
        let mut names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        names.push(table);
        let signals = cls.platform_signals(names);
        let mut facts = Vec::new();
        for c in &cols {
            let ty = Some(c.inner_ty.as_str()).filter(|t| !t.is_empty());
            let Some(kind) = cls.classify(&c.name, ty) else {
                continue;
            };
            facts.push(self.out.fact(
                self.src.span(c.ident.span()),
                FactData::ContactField(ContactField {
                    container: table.to_string(),
                    name: c.name.clone(),
                    kind,
                    origin: FieldOrigin::DieselColumn,
                    platform_signals: signals.clone(),
                    store_family: Some("relational".into()),
                    store_engine: None,
                }),
            ));
        }
        if !facts.is_empty() {
            self.out.defer(Pending::Fields {
                store: StoreFill::Relational { fallback: None },
                facts,
            });
        }
    }
}

/// `sql_name = "x"` inside an attribute's brackets.
fn sql_name_attr(ts: &TokenStream) -> Option<String> {
    let toks: Vec<TokenTree> = ts.clone().into_iter().collect();
    match (toks.first(), toks.get(1), toks.get(2)) {
        (Some(TokenTree::Ident(i)), Some(TokenTree::Punct(p)), Some(v))
            if i == "sql_name" && p.as_char() == '=' =>
        {
            super::lit_str_of(v).map(|l| l.value())
        }
        _ => None,
    }
}
