//! What one file's facts may consult beyond its own syntax: its summary and,
//! once the crate is known, the crate index. The same questions are asked
//! twice: during the file's analysis with no index (an answer that another
//! file could change is marked as a miss, and the fact is left pending), and
//! by the crate-resolution step with the index.

use std::cell::Cell;

use super::index::CrateIndex;
use super::summary::{HandlerInfo, StructInfo, Summary};
use crate::facts::DataKind;

pub(crate) struct View<'a> {
    pub local: &'a Summary,
    pub index: Option<&'a CrateIndex<'a>>,
    missed: Cell<bool>,
}

/// Type names no crate defines as a struct.
fn is_builtin_type(name: &str) -> bool {
    matches!(
        name,
        "" | "str"
            | "String"
            | "bool"
            | "char"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
    )
}

impl<'a> View<'a> {
    /// The file alone (during its analysis).
    pub fn local(local: &'a Summary) -> Self {
        View {
            local,
            index: None,
            missed: Cell::new(false),
        }
    }

    /// The file within its crate (during resolution).
    pub fn in_crate(local: &'a Summary, index: &'a CrateIndex<'a>) -> Self {
        View {
            local,
            index: Some(index),
            missed: Cell::new(false),
        }
    }

    fn miss(&self) {
        if self.index.is_none() {
            self.missed.set(true);
        }
    }

    /// Whether an answer since the last call rested on crate knowledge
    /// this view lacks; resets the mark.
    pub fn take_missed(&self) -> bool {
        self.missed.replace(false)
    }

    /// A struct by name: this file's first, then the crate's.
    pub fn lookup_struct(&self, name: &str) -> Option<&'a StructInfo> {
        if let Some(s) = self.local.structs.iter().find(|s| s.name == name) {
            return Some(s);
        }
        match self.index {
            Some(i) => i.struct_named(name),
            None => {
                if !is_builtin_type(name) {
                    self.miss();
                }
                None
            }
        }
    }

    /// Contact fields of a struct type, following field types into other
    /// structs (bounded): `(Struct.field, kind)`.
    pub fn contact_fields_deep(&self, ty: &str) -> Vec<(String, DataKind)> {
        let mut out = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut queue = vec![(ty.to_string(), 0usize)];
        while let Some((name, depth)) = queue.pop() {
            if seen.contains(&name) || seen.len() > 32 {
                continue;
            }
            seen.push(name.clone());
            let Some(s) = self.lookup_struct(&name) else {
                continue;
            };
            for f in &s.fields {
                if let Some(k) = f.contact {
                    out.push((format!("{}.{}", s.name, f.rust_name), k));
                }
                if depth < 3 {
                    for t in &f.ty_idents {
                        if *t != name && t.chars().next().is_some_and(char::is_uppercase) {
                            queue.push((t.clone(), depth + 1));
                        }
                    }
                }
            }
        }
        out
    }

    /// A handler function by name and the module a path names it through:
    /// this file's when the module is this one (or unnamed), else the
    /// crate's.
    pub fn find_handler(&self, name: &str, module: Option<&str>) -> Option<&'a HandlerInfo> {
        let local_ok = module.is_none() || module == Some(self.local.module.as_str());
        if local_ok
            && let Some(h) = self
                .local
                .handlers
                .iter()
                .find(|h| h.name == name && !h.is_test)
        {
            return Some(h);
        }
        match self.index {
            Some(i) => i.handler(name, module),
            None => {
                self.miss();
                None
            }
        }
    }

    /// Whether a router-building function of this file is wrapped in auth
    /// where it is used (here or in another module).
    pub fn fn_protected(&self, owner: &str) -> bool {
        let m = self.local.module.as_str();
        let hit = |fns: &[(Option<String>, String)]| {
            fns.iter()
                .any(|(fm, f)| f == owner && fm.as_deref().is_none_or(|x| x == m))
        };
        if hit(&self.local.routes.protected_fns) {
            return true;
        }
        match self.index {
            Some(i) => hit(&i.protected_fns),
            None => {
                self.miss();
                false
            }
        }
    }

    /// Whether an actix handler of this file is registered somewhere in the
    /// crate under auth.
    pub fn registration_protected(&self, name: &str) -> bool {
        match self.index {
            Some(i) => i.registration_protected(name, &self.local.module),
            None => {
                self.miss();
                false
            }
        }
    }

    /// How the crate stores a serde struct: the store of a write of it, or
    /// of a type that nests it (bounded): `(family, engine)`.
    pub fn written(&self, name: &str) -> Option<(String, String)> {
        let writes = self.local.writes.iter().chain(
            self.index
                .map(|i| i.writes.as_slice())
                .unwrap_or(&[])
                .iter()
                .copied(),
        );
        let mut frontier: Vec<(&str, &str, &str, usize)> = writes
            .map(|w| {
                (
                    w.type_name.as_str(),
                    w.family.as_str(),
                    w.engine.as_str(),
                    0,
                )
            })
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        while let Some((t, family, engine, depth)) = frontier.pop() {
            if t == name {
                return Some((family.to_string(), engine.to_string()));
            }
            if seen.contains(&t) || depth >= 3 || seen.len() > 128 {
                continue;
            }
            seen.push(t);
            if let Some(st) = self.lookup_struct(t) {
                for f in &st.fields {
                    if f.serde_skip {
                        continue;
                    }
                    for id in &f.ty_idents {
                        if id.chars().next().is_some_and(char::is_uppercase) {
                            frontier.push((id.as_str(), family, engine, depth + 1));
                        }
                    }
                }
            }
        }
        None
    }

    /// How the crate fills a struct type from the environment (this
    /// file's fills alone during its analysis).
    pub fn env_fills(&self, name: &str) -> Vec<&'a super::envcfg::EnvFill> {
        let all: Vec<&'a super::envcfg::EnvFill> = match self.index {
            Some(i) => i.env_fills.clone(),
            None => {
                self.miss();
                self.local.env_fills.iter().collect()
            }
        };
        all.into_iter().filter(|f| f.type_name == name).collect()
    }

    /// The crate's one relational engine, when its files mention only one.
    pub fn relational_engine(&self) -> Option<String> {
        self.index
            .and_then(|i| i.relational_engine)
            .map(str::to_string)
    }

    /// Whether bare log macros (`info!`) are the logging crates'.
    pub fn crate_logs(&self) -> bool {
        self.local.mentions.macro_use_log
            || self.index.is_some_and(|i| i.uses_log || i.macro_use_log)
    }
}
