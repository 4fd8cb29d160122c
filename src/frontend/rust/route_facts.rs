//! Route facts: a route (from a router or an actix/rocket attribute)
//! serving contact data, and whether auth protects it. The file decides the
//! routes whose handler, returned types and wrapping routers it holds; the
//! rest are left to crate resolution, which asks the same questions with the
//! crate index.

use std::collections::HashSet;

use super::routes::RouteEntry;
use super::summary::HandlerInfo;
use super::unit::Pending;
use super::view::View;
use super::{Out, World};
use crate::facts::{FactData, Route};
use crate::span::Span;

/// What a handler serves: the contact fields of the types it returns, then
/// the contact values and `json!` keys it responds with.
fn serves(view: &View, h: &HandlerInfo) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) && out.len() < 32 {
            out.push(s);
        }
    };
    let mut types: Vec<&String> = h.ret_idents.iter().chain(&h.value_types).collect();
    types.dedup();
    for t in types {
        if !t.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        for (f, _) in view.contact_fields_deep(t) {
            push(f);
        }
    }
    for v in &h.served_values {
        push(v.clone());
    }
    out
}

/// The fact of one route of the file's route table, if it serves contact
/// data.
pub(crate) fn route_fact(view: &View, r: &RouteEntry) -> Option<Route> {
    let h = view.find_handler(&r.handler_name, r.handler_module.as_deref())?;
    let served = serves(view, h);
    if served.is_empty() {
        return None;
    }
    let authenticated = r.authenticated || h.extractor_auth || view.fn_protected(&r.owner);
    Some(Route {
        framework: r.framework.clone(),
        method: r.method.clone(),
        path: r.path.clone(),
        handler: r.handler.clone(),
        serves: served,
        authenticated,
    })
}

/// The fact of an actix/rocket attribute route on one of the file's
/// handlers, if it serves contact data.
pub(crate) fn attr_route_fact(view: &View, h: &HandlerInfo) -> Option<(Span, Route)> {
    let ar = h.attr_route.as_ref()?;
    if h.is_test {
        return None;
    }
    let served = serves(view, h);
    if served.is_empty() {
        return None;
    }
    let m = view.local.module.as_str();
    let authenticated = h.extractor_auth
        || ar.wrap_auth
        || view.local.routes.regs.iter().any(|g| {
            g.name == h.name
                && g.module.as_deref().is_none_or(|x| x == m)
                && (g.protected || view.fn_protected(&g.owner))
        })
        || view.registration_protected(&h.name);
    Some((
        ar.span,
        Route {
            framework: ar.framework.clone(),
            method: ar.method.clone(),
            path: ar.path.clone(),
            handler: h.name.clone(),
            serves: served,
            authenticated,
        },
    ))
}

/// Routes the file decides alone become facts; the others (a handler,
/// returned type or protecting router elsewhere) are left to crate
/// resolution.
pub(crate) fn emit(world: &World, out: &mut Out) {
    let view = &world.view;
    let table = &world.local.routes;
    let mut seen: HashSet<(u32, u32, String)> = HashSet::new();
    for (i, r) in table.routes.iter().enumerate() {
        let key = (r.span.line, r.span.column, r.handler.clone());
        if seen.contains(&key) {
            continue;
        }
        view.take_missed();
        let fact = route_fact(view, r);
        if view.take_missed() {
            seen.insert(key);
            out.defer(Pending::Route {
                route: i,
                anchor: out.anchor(r.span),
            });
        } else if let Some(route) = fact {
            seen.insert(key);
            out.push(r.span, FactData::Route(route));
        }
    }
    for (i, h) in world.local.handlers.iter().enumerate() {
        if h.attr_route.is_none() || h.is_test {
            continue;
        }
        view.take_missed();
        let fact = attr_route_fact(view, h);
        if view.take_missed() {
            let span = h.attr_route.as_ref().map(|a| a.span).unwrap_or_default();
            out.defer(Pending::AttrRoute {
                handler: i,
                anchor: out.anchor(span),
            });
        } else if let Some((span, route)) = fact {
            out.push(span, FactData::Route(route));
        }
    }
}
