//! The result cache: per-file facts keyed by the file's content hash and the
//! tool and rule-pack digests, so a re-run parses only what changed. A file
//! whose size and modification time match its entry is not even read.
//!
//! The cache is one file per scanned root. A corrupt, truncated or foreign
//! cache is ignored and rebuilt, never trusted: entries are only used when
//! the tool version and digest match, and a content hash always backs them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::facts::FileFacts;

const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: u128,
    pub hash: String,
    pub facts: FileFacts,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    tool: String,
    digest: String,
    entries: BTreeMap<String, Entry>,
}

/// The cache of one run: what was loaded, and what this run found.
pub struct Cache {
    file: PathBuf,
    tool: String,
    digest: String,
    old: BTreeMap<String, Entry>,
    new: std::sync::Mutex<BTreeMap<String, Entry>>,
    pub hits: std::sync::atomic::AtomicUsize,
}

/// Where the cache of a root lives inside a cache folder.
pub fn cache_file(dir: &Path, root: &Path) -> PathBuf {
    let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut h = Sha256::new();
    h.update(canon.to_string_lossy().as_bytes());
    dir.join(format!(
        "facts-{}.json",
        &crate::rules::hex(&h.finalize())[..16]
    ))
}

/// The default cache folder: the user's cache directory, so that scanning
/// never writes into the audited repository.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("leakguard"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("leakguard"))
}

pub fn content_hash(bytes: &[u8]) -> String {
    crate::rules::hex(&Sha256::digest(bytes)[..16])
}

pub fn mtime_of(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

impl Cache {
    pub fn open(file: PathBuf, digest: &str) -> Self {
        let tool = env!("CARGO_PKG_VERSION").to_string();
        let old = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|c| c.format == FORMAT && c.tool == tool && c.digest == digest)
            .map(|c| c.entries)
            .unwrap_or_default();
        Cache {
            file,
            tool,
            digest: digest.to_string(),
            old,
            new: std::sync::Mutex::new(BTreeMap::new()),
            hits: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Facts for a file whose size and mtime are unchanged.
    pub fn by_stat(&self, path: &str, size: u64, mtime: u128) -> Option<FileFacts> {
        let e = self.old.get(path)?;
        (mtime != 0 && e.size == size && e.mtime == mtime).then(|| {
            self.keep(path, e.clone());
            e.facts.clone()
        })
    }

    /// Facts for a file whose content hash is unchanged.
    pub fn by_hash(&self, path: &str, hash: &str, size: u64, mtime: u128) -> Option<FileFacts> {
        let e = self.old.get(path)?;
        (e.hash == hash).then(|| {
            let mut e = e.clone();
            e.size = size;
            e.mtime = mtime;
            self.keep(path, e.clone());
            e.facts
        })
    }

    fn keep(&self, path: &str, e: Entry) {
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut m) = self.new.lock() {
            m.insert(path.to_string(), e);
        }
    }

    pub fn store(&self, path: &str, e: Entry) {
        // Internal errors (caught panics) are not cached: a fixed build
        // should look at the file again.
        if e.facts.errors.iter().any(|x| x.internal) {
            return;
        }
        if let Ok(mut m) = self.new.lock() {
            m.insert(path.to_string(), e);
        }
    }

    /// Writes the entries of this run (atomically; errors are ignored: a
    /// cache that cannot be written only costs time).
    pub fn save(self) {
        let entries = match self.new.into_inner() {
            Ok(m) => m,
            Err(_) => return,
        };
        let unchanged = entries.len() == self.old.len()
            && entries.iter().all(|(k, v)| {
                self.old
                    .get(k)
                    .is_some_and(|o| o.hash == v.hash && o.mtime == v.mtime && o.size == v.size)
            });
        if unchanged {
            return;
        }
        let file = CacheFile {
            format: FORMAT,
            tool: self.tool,
            digest: self.digest,
            entries,
        };
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        let ok = std::fs::File::create(&tmp)
            .and_then(|mut f| {
                let bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
                f.write_all(&bytes)
            })
            .is_ok();
        if ok {
            let _ = std::fs::rename(&tmp, &self.file);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
