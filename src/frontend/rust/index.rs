//! The crate index: summaries of every `.rs` file of the crate a file
//! belongs to, built once per crate root and process (bounded in files and
//! bytes), so that one file's analysis can see models, writes, handlers and
//! router wiring declared in its sibling modules.
//!
//! The crate root is the nearest ancestor (within a few levels) holding a
//! `Cargo.toml`; without one, the parent of the nearest `src` folder, else
//! the file's own folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::Src;
use super::summary::{self, HandlerInfo, StructInfo, Summary, WriteInfo};

const MAX_FILES: usize = 2000;
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
const MAX_TOTAL_BYTES: u64 = 48 * 1024 * 1024;
const ROOT_SEARCH_LEVELS: usize = 5;

#[derive(Debug, Default)]
pub(crate) struct CrateIndex {
    files: Vec<Summary>,
    structs: HashMap<String, (usize, usize)>,
    pub writes: Vec<WriteInfo>,
    pub protected_fns: Vec<(Option<String>, String)>,
    /// `(handler name, module of the registering path, effectively protected)`.
    regs: Vec<(String, Option<String>, bool)>,
    /// The crate depends on `tracing` or `log`.
    pub uses_log: bool,
    pub macro_use_log: bool,
    /// The relational engine the crate talks to, when only one.
    pub relational_engine: Option<&'static str>,
}

impl CrateIndex {
    pub fn struct_named(&self, name: &str) -> Option<&StructInfo> {
        let (f, s) = *self.structs.get(name)?;
        self.files.get(f)?.structs.get(s)
    }

    pub fn handler(&self, name: &str, module: Option<&str>) -> Option<&HandlerInfo> {
        let mut fallback = None;
        for f in &self.files {
            for h in &f.handlers {
                if h.name != name || h.is_test {
                    continue;
                }
                match module {
                    Some(m) if f.module == m => return Some(h),
                    None => return Some(h),
                    _ => fallback = fallback.or(Some(h)),
                }
            }
        }
        fallback
    }

    pub fn registration_protected(&self, name: &str, module: &str) -> bool {
        self.regs
            .iter()
            .any(|(n, m, p)| *p && n == name && m.as_deref().is_none_or(|x| x == module))
    }
}

type Cell = Arc<OnceLock<Arc<CrateIndex>>>;

fn cache() -> &'static Mutex<HashMap<PathBuf, Cell>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Cell>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The index of the crate holding `path`, when the file exists on disk.
pub(crate) fn for_file(path: &str) -> Option<Arc<CrateIndex>> {
    let canon = Path::new(path).canonicalize().ok()?;
    if !canon.is_file() {
        return None;
    }
    let root = crate_root(&canon)?;
    let cell = {
        let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 4096 {
            map.clear();
        }
        map.entry(root.clone()).or_default().clone()
    };
    Some(cell.get_or_init(|| Arc::new(build(&root))).clone())
}

fn crate_root(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    for d in dir.ancestors().take(ROOT_SEARCH_LEVELS) {
        if d.join("Cargo.toml").is_file() {
            return Some(d.to_path_buf());
        }
    }
    for d in dir.ancestors().take(ROOT_SEARCH_LEVELS) {
        if d.file_name().is_some_and(|n| n == "src") {
            return d.parent().map(Path::to_path_buf);
        }
    }
    Some(dir.to_path_buf())
}

fn build(root: &Path) -> CrateIndex {
    let mut idx = CrateIndex::default();
    let mut total = 0u64;
    let walker = walkdir::WalkDir::new(root)
        .max_depth(12)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(n.starts_with('.')
                    || (e.file_type().is_dir()
                        && matches!(n.as_ref(), "target" | "node_modules" | "vendor")))
        });
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    for entry in walker.flatten() {
        if texts.len() >= MAX_FILES {
            break;
        }
        let p = entry.path();
        if !entry.file_type().is_file() || p.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if meta.len() > MAX_FILE_BYTES || total + meta.len() > MAX_TOTAL_BYTES {
            continue;
        }
        total += meta.len();
        if let Ok(t) = std::fs::read_to_string(p) {
            texts.push((p.to_path_buf(), t));
        }
    }
    if let Ok(toml) = std::fs::read_to_string(root.join("Cargo.toml")) {
        idx.uses_log = toml.lines().any(|l| {
            let k = l.split('=').next().unwrap_or("").trim();
            matches!(k, "log" | "tracing") || k.starts_with("log.") || k.starts_with("tracing.")
        });
    }
    let (mut pg, mut my, mut lite) = (false, false, false);
    for (p, text) in &texts {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let Ok(file) = syn::parse_file(text) else {
            continue;
        };
        let src = Src::new(text);
        let module = super::module_name(&p.to_string_lossy());
        let s = summary::summarize(&file, &src, &module);
        pg |= s.mentions.postgres;
        my |= s.mentions.mysql;
        lite |= s.mentions.sqlite;
        idx.macro_use_log |= s.mentions.macro_use_log;
        idx.files.push(s);
    }
    idx.relational_engine = match (pg, my, lite) {
        (true, false, false) => Some("postgres"),
        (false, true, false) => Some("mysql"),
        (false, false, true) => Some("sqlite"),
        _ => None,
    };
    for (fi, f) in idx.files.iter().enumerate() {
        for (si, s) in f.structs.iter().enumerate() {
            if !s.is_test {
                idx.structs.entry(s.name.clone()).or_insert((fi, si));
            }
        }
        idx.writes.extend(f.writes.iter().cloned());
        for pf in &f.routes.protected_fns {
            if !idx.protected_fns.contains(pf) {
                idx.protected_fns.push(pf.clone());
            }
        }
    }
    let mut regs = Vec::new();
    for f in &idx.files {
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
    idx
}
