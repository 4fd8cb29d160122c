//! The result cache: per-file facts keyed by the file's content hash, the
//! context the facts depend on (for Rust, the crate the file belongs to), the
//! tool build and the rule-pack digest, so a re-run parses only what changed.
//! A file whose size and modification time match its entry is not even read.
//!
//! The cache is one file per scanned root, in a cache folder outside the
//! audited repository. A corrupt, truncated or foreign cache is ignored and
//! rebuilt, never trusted: entries are only used when the format, the tool
//! build and the digest match, and a content hash always backs them.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::facts::FileFacts;

const FORMAT: u32 = 2;
/// Magic bytes of a cache file, before its JSON body.
const MAGIC: &[u8] = b"leakguard-cache\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: u128,
    pub hash: String,
    /// Digest of what else the facts were derived from (the Rust crate's
    /// files); empty when only the file itself counts.
    #[serde(default)]
    pub ctx: String,
    pub facts: FileFacts,
}

#[derive(Deserialize)]
struct CacheFile {
    format: u32,
    tool: String,
    digest: String,
    entries: HashMap<String, Entry>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    size: u64,
    mtime: u128,
    hash: &'a str,
    ctx: &'a str,
    facts: &'a FileFacts,
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    format: u32,
    tool: &'a str,
    digest: &'a str,
    entries: std::collections::BTreeMap<&'a str, EntryRef<'a>>,
}

/// One file's result as this run saves it.
pub struct Saved<'a> {
    pub path: &'a str,
    pub size: u64,
    pub mtime: u128,
    pub hash: &'a str,
    pub ctx: &'a str,
    pub facts: &'a FileFacts,
}

/// The cache of one run: what was loaded, and how much of it was used.
pub struct Cache {
    file: PathBuf,
    tool: String,
    digest: String,
    /// Entries loaded from disk; a hit takes its entry's facts out.
    old: HashMap<String, Mutex<Option<Entry>>>,
    /// Whether a cache file was loaded and accepted.
    pub loaded: bool,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    /// Hits whose entry needs a new size or mtime recorded.
    restamped: AtomicUsize,
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

/// The identity of this build: the package version plus the size and
/// modification time of the running executable, so that a rebuilt binary
/// (whose front ends may read files differently) never trusts facts an
/// older build cached under the same version number.
pub fn tool_id() -> String {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| format!("{}-{}", m.len(), mtime_of(&m)))
            .unwrap_or_else(|| "unknown".into());
        format!("{}+{exe}", env!("CARGO_PKG_VERSION"))
    })
    .clone()
}

fn parse_cache(bytes: &[u8]) -> Option<CacheFile> {
    let body = bytes.strip_prefix(MAGIC)?;
    serde_json::from_slice::<CacheFile>(body).ok()
}

impl Cache {
    pub fn open(file: PathBuf, digest: &str) -> Self {
        Self::open_as(file, digest, &tool_id())
    }

    /// Opens a cache for a given tool identity (tests use this to play an
    /// older or newer build).
    pub fn open_as(file: PathBuf, digest: &str, tool: &str) -> Self {
        let loaded = std::fs::read(&file)
            .ok()
            .and_then(|bytes| parse_cache(&bytes))
            .filter(|c| c.format == FORMAT && c.tool == tool && c.digest == digest);
        let is_loaded = loaded.is_some();
        let old = loaded
            .map(|c| c.entries)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, Mutex::new(Some(v))))
            .collect();
        Cache {
            file,
            tool: tool.to_string(),
            digest: digest.to_string(),
            old,
            loaded: is_loaded,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            restamped: AtomicUsize::new(0),
        }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Number of entries loaded.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// The content hash recorded for a file whose size and mtime are
    /// unchanged (so it need not be read to be hashed).
    pub fn hash_by_stat(&self, path: &str, size: u64, mtime: u128) -> Option<String> {
        if mtime == 0 {
            return None;
        }
        let slot = self.old.get(path)?.lock().ok()?;
        let e = slot.as_ref()?;
        (e.size == size && e.mtime == mtime).then(|| e.hash.clone())
    }

    /// The cached facts of a file when its content hash and context digest
    /// match; takes them out of the cache (each path is asked once per run).
    pub fn take(
        &self,
        path: &str,
        hash: &str,
        ctx: &str,
        size: u64,
        mtime: u128,
    ) -> Option<FileFacts> {
        let found = self.old.get(path).and_then(|slot| {
            let mut slot = slot.lock().ok()?;
            let ok = slot
                .as_ref()
                .is_some_and(|e| e.hash == hash && e.ctx == ctx);
            if !ok {
                return None;
            }
            let e = slot.take()?;
            if e.size != size || e.mtime != mtime {
                self.restamped.fetch_add(1, Ordering::Relaxed);
            }
            Some(e.facts)
        });
        match &found {
            Some(_) => self.hits.fetch_add(1, Ordering::Relaxed),
            None => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        found
    }

    /// Writes this run's entries (atomically; errors are ignored: a cache
    /// that cannot be written only costs time). Nothing is written when
    /// every file was a hit with an unchanged stamp and no file came or went.
    /// Facts with internal errors (caught panics) are not cached: a fixed
    /// build should look at the file again.
    pub fn save<'a>(&self, files: impl IntoIterator<Item = Saved<'a>>) {
        let mut entries = std::collections::BTreeMap::new();
        for f in files {
            if f.facts.errors.iter().any(|x| x.internal) {
                continue;
            }
            entries.insert(
                f.path,
                EntryRef {
                    size: f.size,
                    mtime: f.mtime,
                    hash: f.hash,
                    ctx: f.ctx,
                    facts: f.facts,
                },
            );
        }
        let unchanged = self.loaded
            && self.misses.load(Ordering::Relaxed) == 0
            && self.restamped.load(Ordering::Relaxed) == 0
            && entries.len() == self.old.len();
        if unchanged {
            return;
        }
        let file = CacheFileRef {
            format: FORMAT,
            tool: &self.tool,
            digest: &self.digest,
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
            .and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                w.write_all(MAGIC)?;
                serde_json::to_writer(&mut w, &file).map_err(std::io::Error::other)?;
                // No fsync: a torn file after a crash fails to parse and is
                // ignored, which only costs one cold run.
                w.flush()
            })
            .is_ok();
        if ok {
            if std::fs::rename(&tmp, &self.file).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
