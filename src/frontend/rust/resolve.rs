//! Crate resolution: the step between parsing and linking that sees every
//! analysed file. It groups the Rust files' units by crate, builds each
//! crate's index from the units (no I/O, no parsing) and adds to each file
//! the facts its analysis left pending.
//!
//! A file's crate is the nearest ancestor folder, among the folders of the
//! scanned `Cargo.toml` files, that holds one; without one, the parent of
//! the nearest `src` folder, else the file's own folder (from the paths
//! alone: nothing outside the scan is read).
//!
//! Resolving is idempotent: the facts a previous resolution inserted (facts
//! reloaded from the cache) are taken out first.

use std::collections::{BTreeMap, HashMap};

use super::index::CrateIndex;
use super::unit::{Pending, RustUnit, StoreFill};
use super::view::View;
use super::{envcfg, log_parts, route_facts};
use crate::engine::ScannedFile;
use crate::facts::{Fact, FactData, FileFacts};
use crate::paths::{ancestors, dir_of};

/// The crate a Rust file belongs to, named by its root folder.
fn crate_root<'p>(path: &'p str, manifests: &HashMap<&str, bool>) -> &'p str {
    let dir = dir_of(path);
    if let Some(d) = ancestors(dir).find(|d| manifests.contains_key(d)) {
        return d;
    }
    if let Some(d) = ancestors(dir).find(|d| d.rsplit('/').next() == Some("src")) {
        return dir_of(d);
    }
    dir
}

/// One crate of the scan: its root folder, whether its manifest uses the
/// `log` crate, and its member files (indexes, in scan order).
pub struct CrateGroup<'a> {
    pub root: &'a str,
    pub uses_log: bool,
    pub members: Vec<usize>,
}

/// Groups the files `is_member` accepts by crate. Everything a crate's
/// resolution reads is its members' units and `uses_log`: the cache keeps a
/// crate's resolved facts while these are unchanged.
pub fn crate_groups<'a>(
    files: &'a [ScannedFile],
    is_member: impl Fn(&ScannedFile) -> bool,
) -> Vec<CrateGroup<'a>> {
    let mut manifests: HashMap<&str, bool> = HashMap::new();
    for f in files {
        if let Some(c) = &f.facts.cargo {
            manifests.insert(dir_of(&f.path), c.uses_log());
        }
    }
    let mut crates: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if is_member(f) {
            crates
                .entry(crate_root(&f.path, &manifests))
                .or_default()
                .push(i);
        }
    }
    crates
        .into_iter()
        .map(|(root, members)| CrateGroup {
            root,
            uses_log: manifests.get(root).copied().unwrap_or(false),
            members,
        })
        .collect()
}

/// Adds to every Rust file the facts that need its crate. Files without a
/// unit (not Rust, or a crate the cache answered whole) take no part.
pub fn resolve(files: &mut [ScannedFile]) {
    let mut results: Vec<(usize, Vec<(usize, Fact)>)> = Vec::new();
    for group in crate_groups(files, |f| f.facts.rust.is_some()) {
        let units: Vec<(usize, &RustUnit)> = group
            .members
            .iter()
            .filter_map(|&i| files[i].facts.rust.as_deref().map(|u| (i, u)))
            .collect();
        let index = CrateIndex::build(
            units.iter().map(|(_, u)| &u.summary).collect(),
            group.uses_log,
        );
        for (i, unit) in units {
            results.push((i, resolve_unit(unit, &index)));
        }
    }
    for (i, new) in results {
        if let Some(f) = files.get_mut(i) {
            apply(&mut f.facts, new);
        }
    }
}

/// The facts of one file's candidates, each with the position it takes
/// among the file's own facts.
fn resolve_unit(unit: &RustUnit, index: &CrateIndex) -> Vec<(usize, Fact)> {
    let view = View::in_crate(&unit.summary, index);
    let mut out = Vec::new();
    for c in &unit.pending {
        match &c.what {
            Pending::Fields { store, facts } => {
                let (family, engine) = match store {
                    StoreFill::Relational { fallback } => {
                        (None, view.relational_engine().or_else(|| fallback.clone()))
                    }
                    StoreFill::Written { name } => match view.written(name) {
                        Some((family, engine)) => (Some(family), Some(engine)),
                        None => continue,
                    },
                };
                for f in facts {
                    let mut f = f.clone();
                    if let FactData::ContactField(cf) = &mut f.data {
                        if family.is_some() {
                            cf.store_family = family.clone();
                        }
                        cf.store_engine = engine.clone();
                    }
                    out.push((c.at, f));
                }
            }
            Pending::Route { route, anchor } => {
                if let Some(r) = unit.summary.routes.routes.get(*route)
                    && let Some(data) = route_facts::route_fact(&view, r)
                {
                    out.push((
                        c.at,
                        Fact {
                            span: r.span,
                            anchor: anchor.clone(),
                            data: FactData::Route(data),
                        },
                    ));
                }
            }
            Pending::AttrRoute { handler, anchor } => {
                if let Some(h) = unit.summary.handlers.get(*handler)
                    && let Some((span, data)) = route_facts::attr_route_fact(&view, h)
                {
                    out.push((
                        c.at,
                        Fact {
                            span,
                            anchor: anchor.clone(),
                            data: FactData::Route(data),
                        },
                    ));
                }
            }
            Pending::Log(l) => {
                let mut facts = Vec::new();
                log_parts::resolve(l, &view, &mut facts);
                out.extend(facts.into_iter().map(|f| (c.at, f)));
            }
            Pending::EnvRead(r) => {
                for data in envcfg::resolve_read(r, &view) {
                    out.push((
                        c.at,
                        Fact {
                            span: r.span,
                            anchor: r.anchor.clone(),
                            data,
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Replaces the facts a previous resolution inserted with `new`.
fn apply(facts: &mut FileFacts, new: Vec<(usize, Fact)>) {
    if let Some(unit) = facts.rust.as_mut() {
        crate::frontend::replace_resolved(&mut facts.facts, &mut unit.resolved_at, new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileKind;
    use crate::frontend::{Ctx, analyze_text};
    use crate::vocab::Vocabulary;

    fn scanned(path: &str, kind: FileKind, text: &str, vocab: &Vocabulary) -> ScannedFile {
        let facts = analyze_text(text, kind, &Ctx { vocab, path });
        ScannedFile {
            path: path.into(),
            fs_path: path.into(),
            kind,
            size: text.len() as u64,
            facts,
        }
    }

    fn engines(f: &ScannedFile) -> Vec<Option<String>> {
        f.facts
            .facts
            .iter()
            .filter_map(|x| match &x.data {
                FactData::ContactField(c) => Some(c.store_engine.clone()),
                _ => None,
            })
            .collect()
    }

    /// Facts reloaded from a cache (resolved, serialised, read back) and
    /// resolved again against a changed sibling: the previous resolution's
    /// facts give way to the new ones.
    #[test]
    fn resolving_cached_facts_again_replaces_what_was_resolved() {
        let vocab = Vocabulary::builtin();
        let model = "#[derive(serde::Serialize)]\npub struct Lead {\n    pub email: String,\n}\n";
        let mongo = "use mongodb::Collection;\nuse crate::models::Lead;\npub async fn save(c: Collection<Lead>, l: Lead) {\n    let _ = c.insert_one(l).await;\n}\n";
        let mut files = vec![
            scanned("app/src/models.rs", FileKind::Rust, model, &vocab),
            scanned("app/src/store.rs", FileKind::Rust, mongo, &vocab),
        ];
        resolve(&mut files);
        assert_eq!(engines(&files[0]), [Some("mongodb".to_string())]);
        // As the cache stores them: the facts, and the unit on its own.
        let json = serde_json::to_string(&files[0].facts).expect("serialise");
        let unit = serde_json::to_string(&files[0].facts.rust).expect("serialise");
        files[0].facts = serde_json::from_str(&json).expect("deserialise");
        files[0].facts.rust = serde_json::from_str(&unit).expect("deserialise");
        resolve(&mut files);
        assert_eq!(engines(&files[0]), [Some("mongodb".to_string())]);
        files[1] = scanned(
            "app/src/store.rs",
            FileKind::Rust,
            "pub fn save() {}\n",
            &vocab,
        );
        resolve(&mut files);
        assert!(engines(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
        // Another crate's write does not count.
        files.push(scanned(
            "other/Cargo.toml",
            FileKind::CargoManifest,
            "[package]\n",
            &vocab,
        ));
        files.push(scanned("other/src/store.rs", FileKind::Rust, mongo, &vocab));
        resolve(&mut files);
        assert!(engines(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
    }

    #[test]
    fn crate_roots_from_paths() {
        let m: HashMap<&str, bool> = [("repo", false), ("repo/api", true), ("", false)]
            .into_iter()
            .collect();
        assert_eq!(crate_root("repo/api/src/x/y.rs", &m), "repo/api");
        assert_eq!(crate_root("repo/src/main.rs", &m), "repo");
        assert_eq!(crate_root("build.rs", &m), "");
        let none = HashMap::new();
        assert_eq!(crate_root("a/b/src/handlers/mod.rs", &none), "a/b");
        assert_eq!(crate_root("/tmp/x/src/lib.rs", &none), "/tmp/x");
        assert_eq!(crate_root("scripts/gen.rs", &none), "scripts");
        assert_eq!(crate_root("gen.rs", &none), "");
    }
}
