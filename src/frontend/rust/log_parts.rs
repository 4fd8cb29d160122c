//! Evaluating a log call's values ([`LogPart`]s) against what is known of
//! the crate: during the file's analysis (local structs only) and again in
//! crate resolution for the calls the file could not decide.

use super::unit::{LogCandidate, LogPart, TypeExpr};
use super::view::View;
use crate::facts::{DataKind, Fact, FactData, LogCall};

/// The contact values of a call, in order: `(kind, text)`.
pub(crate) fn eval(parts: &[LogPart], view: &View) -> Vec<(DataKind, String)> {
    let mut out = Vec::new();
    eval_into(parts, view, &mut out);
    out
}

fn eval_into(parts: &[LogPart], view: &View, out: &mut Vec<(DataKind, String)>) {
    for p in parts {
        match p {
            LogPart::Hit { kind, text } => out.push((*kind, text.clone())),
            LogPart::Var { text, ty, kind } => {
                if view.lookup_struct(ty).is_none() {
                    out.push((*kind, text.clone()));
                }
            }
            LogPart::Field {
                text,
                base,
                field,
                untyped,
            } => {
                let declared = resolve_type(base, view)
                    .and_then(|t| view.lookup_struct(&t))
                    .and_then(|s| s.fields.iter().find(|f| f.rust_name == *field));
                let kind = match declared {
                    Some(f) => f.value_kind,
                    None => *untyped,
                };
                if let Some(k) = kind {
                    out.push((k, text.clone()));
                }
            }
            LogPart::Debug { primary, ty, text } => {
                let before = out.len();
                eval_into(primary, view, out);
                if out.len() == before
                    && let Some(t) = resolve_type(ty, view)
                    && let Some((_, k)) = view.contact_fields_deep(&t).first()
                {
                    out.push((*k, text.clone()));
                }
            }
        }
    }
}

/// The type a type expression names: the root, then each field's declared
/// type.
fn resolve_type(te: &TypeExpr, view: &View) -> Option<String> {
    let mut t = te.root.clone();
    for field in &te.fields {
        let s = view.lookup_struct(&t)?;
        t = s
            .fields
            .iter()
            .find(|f| f.rust_name == *field)?
            .inner_ty
            .clone();
    }
    Some(t)
}

/// The fact of a call with these contact values, if any: the first value's
/// kind, each value once.
pub(crate) fn log_call(macro_name: String, found: Vec<(DataKind, String)>) -> Option<LogCall> {
    let kind = found.first()?.0;
    let mut values: Vec<String> = Vec::new();
    for (_, v) in found {
        if !values.contains(&v) {
            values.push(v);
        }
    }
    Some(LogCall {
        macro_name,
        values,
        kind,
    })
}

/// The facts of a log candidate within its crate.
pub(crate) fn resolve(c: &LogCandidate, view: &View, out: &mut Vec<Fact>) {
    if c.gated && !view.crate_logs() {
        for o in &c.otherwise {
            resolve(o, view, out);
        }
        return;
    }
    if let Some(call) = log_call(c.macro_name.clone(), eval(&c.parts, view)) {
        out.push(Fact {
            span: c.span,
            anchor: c.anchor.clone(),
            data: FactData::LogCall(call),
        });
    }
}
