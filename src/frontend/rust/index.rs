//! The crate index: what the files of one crate declare for each other
//! (models, writes, handlers, router wiring, logging), built by the
//! crate-resolution step from the files' summaries and the crate's
//! manifest. No I/O and no parsing.

use std::collections::HashMap;

use super::envcfg::EnvFill;
use super::summary::{HandlerInfo, StructInfo, Summary, WriteInfo};

#[derive(Debug, Default)]
pub(crate) struct CrateIndex<'u> {
    /// Handlers by name, with the module of their file, in file order.
    handlers: HashMap<&'u str, Vec<(&'u str, &'u HandlerInfo)>>,
    structs: HashMap<&'u str, &'u StructInfo>,
    pub writes: Vec<&'u WriteInfo>,
    pub protected_fns: Vec<(Option<String>, String)>,
    /// `(handler name, module of the registering path, effectively protected)`.
    regs: Vec<(String, Option<String>, bool)>,
    /// The crate depends on `tracing` or `log`.
    pub uses_log: bool,
    pub macro_use_log: bool,
    /// The relational engine the crate talks to, when only one.
    pub relational_engine: Option<&'static str>,
    /// Struct types the crate fills from the environment.
    pub env_fills: Vec<&'u EnvFill>,
}

impl<'u> CrateIndex<'u> {
    /// The index of the files of one crate, in a stable order.
    pub fn build(files: Vec<&'u Summary>, uses_log: bool) -> Self {
        let mut idx = CrateIndex {
            uses_log,
            ..Default::default()
        };
        let (mut pg, mut my, mut lite) = (false, false, false);
        for s in &files {
            pg |= s.mentions.postgres;
            my |= s.mentions.mysql;
            lite |= s.mentions.sqlite;
            idx.macro_use_log |= s.mentions.macro_use_log;
        }
        idx.relational_engine = match (pg, my, lite) {
            (true, false, false) => Some("postgres"),
            (false, true, false) => Some("mysql"),
            (false, false, true) => Some("sqlite"),
            _ => None,
        };
        for f in files.iter().copied() {
            for s in &f.structs {
                if !s.is_test {
                    idx.structs.entry(s.name.as_str()).or_insert(s);
                }
            }
            idx.writes.extend(f.writes.iter());
            idx.env_fills.extend(f.env_fills.iter());
            for pf in &f.routes.protected_fns {
                if !idx.protected_fns.contains(pf) {
                    idx.protected_fns.push(pf.clone());
                }
            }
        }
        let mut regs = Vec::new();
        for f in &files {
            for g in &f.routes.regs {
                let owner_protected = idx
                    .protected_fns
                    .iter()
                    .any(|(m, n)| *n == g.owner && m.as_deref().is_none_or(|x| x == f.module));
                regs.push((
                    g.name.clone(),
                    g.module.clone(),
                    g.protected || owner_protected,
                ));
            }
        }
        idx.regs = regs;
        for f in files.iter().copied() {
            for h in &f.handlers {
                if !h.is_test {
                    idx.handlers
                        .entry(h.name.as_str())
                        .or_default()
                        .push((f.module.as_str(), h));
                }
            }
        }
        idx
    }

    pub fn struct_named(&self, name: &str) -> Option<&'u StructInfo> {
        self.structs.get(name).copied()
    }

    /// A handler by name: the one of the named module, else the first.
    pub fn handler(&self, name: &str, module: Option<&str>) -> Option<&'u HandlerInfo> {
        let found = self.handlers.get(name)?;
        module
            .and_then(|m| found.iter().find(|(fm, _)| *fm == m))
            .or(found.first())
            .map(|(_, h)| *h)
    }

    pub fn registration_protected(&self, name: &str, module: &str) -> bool {
        self.regs
            .iter()
            .any(|(n, m, p)| *p && n == name && m.as_deref().is_none_or(|x| x == module))
    }
}
