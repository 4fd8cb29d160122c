//! The result cache: per-file facts keyed by the file's content hash, the
//! context the facts depend on (for Rust, the crate the file belongs to), the
//! tool build and the rule-pack digest, so a re-run parses only what changed.
//! A file whose size and modification time match its entry is not even read.
//!
//! The cache is one file per scanned root, in a cache folder outside the
//! audited repository. A corrupt, truncated or foreign cache is ignored and
//! rebuilt, never trusted: entries are only used when the format, the tool
//! build and the digest match, and a content hash always backs them.
//!
//! Layout (format 3): the magic line, a JSON header line
//! (`{"format":3,"tool":…,"digest":…,"entries":N}`), then one line per
//! entry: a JSON head (`{"path":…,"size":…,"mtime":…,"hash":…,"len":L,
//! "sum":S}`), a tab, the entry's facts as L bytes of compact JSON whose
//! [`checksum`] is S, and a newline. A Rust file's unit (the input of crate
//! resolution) follows its facts after another tab, as `unit` bytes whose
//! checksum is `usum`; `group` records the crate it was resolved with, so a
//! re-run whose crate is unchanged keeps the resolved facts and never
//! decodes the units. Loading reads only the heads (the
//! length skips the facts); an entry's facts are checked and decoded when
//! [`Cache::take`] asks for them, on the scan's worker threads, so decoding
//! is spread over threads and unused entries are never decoded. A damaged
//! layout (a short file, a wrong count, a bad head, anything after the last
//! entry) rejects the whole cache; facts that fail their checksum or do not
//! decode make their file a miss, which analyses it again.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::facts::FileFacts;

const FORMAT: u32 = 4;
/// Magic bytes of a cache file, before its header.
const MAGIC: &[u8] = b"leakguard-cache\n";

/// Compact serde forms for the cached types: their attributes name these
/// (`skip_serializing_if = "crate::cache::compact::is_false"`,
/// `with = "crate::cache::compact::span"`), so that defaults are not written
/// and a span is four numbers. Short field names and externally tagged
/// enums on those types serve the same end: only the cache serialises them.
pub(crate) mod compact {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::span::Span;

    pub(crate) fn is_false(b: &bool) -> bool {
        !*b
    }

    pub(crate) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
        *t == T::default()
    }

    /// A [`Span`] as `[line, column, end_line, end_column]`.
    pub(crate) mod span {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(s: &Span, ser: S) -> Result<S::Ok, S::Error> {
            (s.line, s.column, s.end_line, s.end_column).serialize(ser)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
            let (line, column, end_line, end_column) = <(u32, u32, u32, u32)>::deserialize(d)?;
            // As written: `Span::new` would reorder a reversed span.
            Ok(Span {
                line,
                column,
                end_line,
                end_column,
            })
        }
    }
}

#[derive(Deserialize)]
struct Header {
    format: u32,
    tool: String,
    digest: String,
    entries: usize,
}

#[derive(Serialize)]
struct HeaderRef<'a> {
    format: u32,
    tool: &'a str,
    digest: &'a str,
    entries: usize,
}

#[derive(Deserialize)]
struct Head {
    path: String,
    size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown;
    /// 64 bits last until 2554).
    mtime: u64,
    hash: String,
    /// Digest of what else the facts were derived from (the Rust crate's
    /// files); empty when only the file itself counts.
    #[serde(default)]
    ctx: String,
    /// Length in bytes of the facts after the tab.
    len: usize,
    /// [`checksum`] of those bytes.
    sum: u64,
    /// Length of the Rust unit after the facts (0: none), and its checksum.
    #[serde(default)]
    unit: usize,
    #[serde(default)]
    usum: u64,
    /// The crate signature the facts were resolved with (Rust files).
    #[serde(default)]
    group: String,
}

#[derive(Serialize)]
struct HeadRef<'a> {
    path: &'a str,
    size: u64,
    mtime: u64,
    hash: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    ctx: &'a str,
    len: usize,
    sum: u64,
    #[serde(skip_serializing_if = "is_zero")]
    unit: usize,
    #[serde(skip_serializing_if = "is_zero")]
    usum: u64,
    #[serde(skip_serializing_if = "str::is_empty")]
    group: &'a str,
}

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// A loaded entry; its facts stay undecoded bytes of the cache file.
struct Slot {
    size: u64,
    mtime: u128,
    hash: String,
    ctx: String,
    facts: Range<usize>,
    sum: u64,
    unit: Option<UnitRef>,
    usum: u64,
    group: String,
}

/// A cached Rust unit, still undecoded bytes of the cache file (its
/// checksum was checked when its entry was taken).
#[derive(Debug, Clone)]
pub struct UnitRef(Range<usize>);

/// A cache hit: the facts (without the Rust unit), the unit's place, and
/// the crate signature the facts were resolved with.
#[derive(Debug)]
pub struct Taken {
    pub facts: FileFacts,
    pub unit: Option<UnitRef>,
    pub group: String,
}

/// One file's result as this run saves it.
pub struct Saved<'a> {
    pub path: &'a str,
    pub size: u64,
    pub mtime: u128,
    pub hash: &'a str,
    pub ctx: &'a str,
    pub facts: &'a FileFacts,
    /// The unit as cached, for a file whose unit this run did not decode.
    pub unit: Option<&'a UnitRef>,
    pub group: &'a str,
}

/// The cache of one run: what was loaded, and how much of it was used.
pub struct Cache {
    file: PathBuf,
    tool: String,
    digest: String,
    /// The cache file as read; slots point into it.
    bytes: Vec<u8>,
    /// Entries loaded from disk; a hit takes its entry out.
    old: HashMap<String, Mutex<Option<Slot>>>,
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

/// A fast 64-bit checksum of an entry's facts, so that damage inside them
/// (which could still be valid JSON) makes the entry a miss rather than
/// wrong facts. Each step is a bijection of the running value, so a change
/// of any one 8-byte word always changes the sum. Not a defence against a
/// forger: whoever can write the cache folder can write any cache.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut h = step(0x9e37_79b9_7f4a_7c15, bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = step(h, u64::from_le_bytes(a));
    }
    let mut a = [0u8; 8];
    a[..words.remainder().len()].copy_from_slice(words.remainder());
    step(h, u64::from_le_bytes(a))
}

/// Reads the layout of a cache file: its entries (facts as byte ranges of
/// `bytes`), or `None` when the file is not a complete cache of this
/// format, tool and digest.
fn parse_cache(
    bytes: &[u8],
    tool: &str,
    digest: &str,
) -> Option<HashMap<String, Mutex<Option<Slot>>>> {
    let body = bytes.strip_prefix(MAGIC)?;
    let mut at = MAGIC.len();
    let nl = body.iter().position(|&b| b == b'\n')?;
    let header: Header = serde_json::from_slice(&body[..nl]).ok()?;
    if header.format != FORMAT || header.tool != tool || header.digest != digest {
        return None;
    }
    at += nl + 1;
    // Every entry takes more than 8 bytes: a count beyond that is a lie.
    let mut old = HashMap::with_capacity(header.entries.min(bytes.len() / 8));
    for _ in 0..header.entries {
        let rest = bytes.get(at..)?;
        // The head ends where its JSON value ends; a tab must follow.
        let mut heads = serde_json::Deserializer::from_slice(rest).into_iter::<Head>();
        let head = heads.next()?.ok()?;
        let tab = heads.byte_offset();
        if rest.get(tab) != Some(&b'\t') {
            return None;
        }
        let start = at + tab + 1;
        let end = start.checked_add(head.len)?;
        let (unit, end_all) = if head.unit > 0 {
            if bytes.get(end) != Some(&b'\t') {
                return None;
            }
            let u = end + 1..(end + 1).checked_add(head.unit)?;
            let e = u.end;
            (Some(UnitRef(u)), e)
        } else {
            (None, end)
        };
        if bytes.get(end_all) != Some(&b'\n') {
            return None;
        }
        at = end_all + 1;
        old.insert(
            head.path,
            Mutex::new(Some(Slot {
                size: head.size,
                mtime: u128::from(head.mtime),
                hash: head.hash,
                ctx: head.ctx,
                facts: start..end,
                sum: head.sum,
                unit,
                usum: head.usum,
                group: head.group,
            })),
        );
    }
    // Nothing may follow the last entry.
    (at == bytes.len()).then_some(old)
}

impl Cache {
    pub fn open(file: PathBuf, digest: &str) -> Self {
        Self::open_as(file, digest, &tool_id())
    }

    /// Opens a cache for a given tool identity (tests use this to play an
    /// older or newer build).
    pub fn open_as(file: PathBuf, digest: &str, tool: &str) -> Self {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let loaded = parse_cache(&bytes, tool, digest);
        let is_loaded = loaded.is_some();
        Cache {
            file,
            tool: tool.to_string(),
            digest: digest.to_string(),
            bytes: if is_loaded { bytes } else { Vec::new() },
            old: loaded.unwrap_or_default(),
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
    /// match and they decode; takes them out of the cache (each path is
    /// asked once per run). Facts that do not decode, or a unit that fails
    /// its checksum, are a miss.
    pub fn take(&self, path: &str, hash: &str, ctx: &str, size: u64, mtime: u128) -> Option<Taken> {
        let found = self
            .old
            .get(path)
            .and_then(|slot| {
                let mut slot = slot.lock().ok()?;
                let ok = slot
                    .as_ref()
                    .is_some_and(|e| e.hash == hash && e.ctx == ctx);
                if !ok {
                    return None;
                }
                slot.take()
            })
            .and_then(|e| {
                let bytes = self.bytes.get(e.facts)?;
                if checksum(bytes) != e.sum {
                    return None;
                }
                if let Some(u) = &e.unit
                    && checksum(self.bytes.get(u.0.clone())?) != e.usum
                {
                    return None;
                }
                // One check of the entry's UTF-8 lets the parser skip the
                // check of every string in it.
                let text = std::str::from_utf8(bytes).ok()?;
                let facts = serde_json::from_str::<FileFacts>(text).ok()?;
                if e.size != size || e.mtime != mtime {
                    self.restamped.fetch_add(1, Ordering::Relaxed);
                }
                Some(Taken {
                    facts,
                    unit: e.unit,
                    group: e.group,
                })
            });
        match &found {
            Some(_) => self.hits.fetch_add(1, Ordering::Relaxed),
            None => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        found
    }

    /// Decodes a cached Rust unit (`None` if it does not decode, which a
    /// checked entry written by this build never does).
    pub fn unit(&self, unit: &UnitRef) -> Option<Box<crate::frontend::rust::RustUnit>> {
        let text = std::str::from_utf8(self.bytes.get(unit.0.clone())?).ok()?;
        serde_json::from_str(text).ok()
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
            entries.insert(f.path, f);
        }
        let unchanged = self.loaded
            && self.misses.load(Ordering::Relaxed) == 0
            && self.restamped.load(Ordering::Relaxed) == 0
            && entries.len() == self.old.len();
        if unchanged {
            return;
        }
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        let header = HeaderRef {
            format: FORMAT,
            tool: &self.tool,
            digest: &self.digest,
            entries: entries.len(),
        };
        let ok = std::fs::File::create(&tmp)
            .and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                w.write_all(MAGIC)?;
                serde_json::to_writer(&mut w, &header).map_err(std::io::Error::other)?;
                w.write_all(b"\n")?;
                let mut facts = Vec::new();
                let mut unit = Vec::new();
                for (path, e) in &entries {
                    facts.clear();
                    serde_json::to_writer(&mut facts, e.facts).map_err(std::io::Error::other)?;
                    unit.clear();
                    if let Some(u) = &e.facts.rust {
                        serde_json::to_writer(&mut unit, u).map_err(std::io::Error::other)?;
                    } else if let Some(raw) = e.unit.and_then(|u| self.bytes.get(u.0.clone())) {
                        unit.extend_from_slice(raw);
                    }
                    let head = HeadRef {
                        path,
                        size: e.size,
                        // A time past 64 bits is recorded as unknown.
                        mtime: u64::try_from(e.mtime).unwrap_or(0),
                        hash: e.hash,
                        ctx: e.ctx,
                        len: facts.len(),
                        sum: checksum(&facts),
                        unit: unit.len(),
                        usum: if unit.is_empty() { 0 } else { checksum(&unit) },
                        group: e.group,
                    };
                    serde_json::to_writer(&mut w, &head).map_err(std::io::Error::other)?;
                    w.write_all(b"\t")?;
                    w.write_all(&facts)?;
                    if !unit.is_empty() {
                        w.write_all(b"\t")?;
                        w.write_all(&unit)?;
                    }
                    w.write_all(b"\n")?;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache file of this build with one entry whose facts are `facts`
    /// and carry a correct checksum.
    fn one_entry(dir: &Path, facts: &str) -> PathBuf {
        let file = dir.join("facts-test.json");
        let mut out = MAGIC.to_vec();
        let header = HeaderRef {
            format: FORMAT,
            tool: "t",
            digest: "d",
            entries: 1,
        };
        out.extend(serde_json::to_vec(&header).unwrap_or_default());
        out.push(b'\n');
        let head = HeadRef {
            path: "a.rs",
            size: 1,
            mtime: 2,
            hash: "h",
            ctx: "",
            len: facts.len(),
            sum: checksum(facts.as_bytes()),
            unit: 0,
            usum: 0,
            group: "",
        };
        out.extend(serde_json::to_vec(&head).unwrap_or_default());
        out.push(b'\t');
        out.extend_from_slice(facts.as_bytes());
        out.push(b'\n');
        std::fs::write(&file, out).unwrap_or_default();
        file
    }

    #[test]
    fn checksummed_facts_that_do_not_decode_are_a_miss() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for bad in [
            "{\"facts\":7}",
            "[7]",
            "\"x\"",
            "{\"cargo\":{\"dependencies\":7}}",
        ] {
            let c = Cache::open_as(one_entry(tmp.path(), bad), "d", "t");
            assert!(c.loaded && c.len() == 1, "{bad}");
            assert_eq!(c.hash_by_stat("a.rs", 1, 2).as_deref(), Some("h"));
            assert!(c.take("a.rs", "h", "", 1, 2).is_none(), "{bad}");
            assert_eq!(c.misses.load(Ordering::Relaxed), 1);
        }
        // An empty file's facts are `{}`.
        let c = Cache::open_as(one_entry(tmp.path(), "{}"), "d", "t");
        assert_eq!(
            c.take("a.rs", "h", "", 1, 2).map(|t| t.facts),
            Some(FileFacts::default())
        );
        assert_eq!(c.hits.load(Ordering::Relaxed), 1);
        // Another hash or context is not served.
        let c = Cache::open_as(one_entry(tmp.path(), "{}"), "d", "t");
        assert!(c.take("a.rs", "other", "", 1, 2).is_none());
        let c = Cache::open_as(one_entry(tmp.path(), "{}"), "d", "t");
        assert!(c.take("a.rs", "h", "crate", 1, 2).is_none());
    }

    #[test]
    fn checksum_sees_any_one_changed_byte() {
        let text: Vec<u8> = (0..100u8).collect();
        let sum = checksum(&text);
        for i in 0..text.len() {
            let mut t = text.clone();
            t[i] ^= 1 << (i % 8);
            assert_ne!(checksum(&t), sum, "{i}");
        }
        assert_ne!(checksum(&text[..99]), sum);
        assert_ne!(checksum(b""), checksum(b"\0"));
    }

    #[test]
    fn compact_span_keeps_the_span_as_written() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct S {
            #[serde(with = "compact::span")]
            at: crate::span::Span,
        }
        // Reversed on purpose: `Span::new` would reorder it.
        let s = S {
            at: crate::span::Span {
                line: 9,
                column: 8,
                end_line: 1,
                end_column: 2,
            },
        };
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(json, "{\"at\":[9,8,1,2]}");
        assert_eq!(serde_json::from_str::<S>(&json).ok(), Some(s));
        assert!(serde_json::from_str::<S>("{\"at\":[1,2,3]}").is_err());
    }
}
