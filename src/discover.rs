//! Walking the scanned paths: which files to read, and what kind each is.
//! Symlinks are never followed out of the scanned root, directories behind
//! symlinks are never entered (no loops), and special files are never opened.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use serde::Serialize;

/// What a file is, by name (YAML is refined by content in the YAML front end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Rust,
    Sql,
    Json,
    Yaml,
    RedisConf,
    DotEnv,
    /// `Cargo.toml`: which folder a Rust crate's files hang from, and its
    /// dependencies.
    CargoManifest,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Rust => "rust",
            FileKind::Sql => "sql",
            FileKind::Json => "json",
            FileKind::Yaml => "yaml",
            FileKind::RedisConf => "redis-conf",
            FileKind::DotEnv => "dotenv",
            FileKind::CargoManifest => "cargo-manifest",
        }
    }

    /// The line-comment marker suppressions are written after.
    pub fn comment_prefixes(self) -> &'static [&'static str] {
        match self {
            FileKind::Rust => &["//"],
            FileKind::Sql => &["--", "#"],
            FileKind::Json => &[],
            FileKind::Yaml | FileKind::RedisConf | FileKind::DotEnv | FileKind::CargoManifest => {
                &["#"]
            }
        }
    }
}

/// Folders a user never wants scanned: VCS data, build output, vendored code.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "target",
    "node_modules",
    "vendor",
    "third_party",
    "third-party",
    "bower_components",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    ".leakguard-cache",
    "dist",
];

/// Opens a discovered file for reading, refusing anything that is not a
/// regular file now. Discovery skips FIFOs and devices, but the tree may
/// change between the walk and the read: a FIFO swapped in would block a
/// plain open forever, so the open does not wait (`O_NONBLOCK`) and the
/// opened handle's own type decides.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Reads a discovered file whole (see [`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub fn kind_of(path: &Path) -> Option<FileKind> {
    // A name that is not UTF-8 is still a file to scan: its kind comes
    // from its (lossily decoded) extension, never a silent skip.
    let name = path.file_name()?.to_string_lossy();
    if name == "Cargo.toml" {
        return Some(FileKind::CargoManifest);
    }
    let lower = name.to_ascii_lowercase();
    // `.env`, `.env.local`, `*.env` files (`.prod.env`, `mongo.env`, the
    // usual `env_file` names) and their templates (`db.env.example`).
    let env_stem = [".example", ".sample", ".template", ".dist"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .unwrap_or(&lower);
    if lower == ".env" || lower.starts_with(".env.") || env_stem.ends_with(".env") {
        return Some(FileKind::DotEnv);
    }
    if lower == "redis.conf" || lower.starts_with("redis") && lower.ends_with(".conf") {
        return Some(FileKind::RedisConf);
    }
    if lower.starts_with("mongod") && lower.ends_with(".conf") {
        return Some(FileKind::Yaml);
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "rs" => Some(FileKind::Rust),
        "sql" => Some(FileKind::Sql),
        "json" => Some(FileKind::Json),
        "yml" | "yaml" => Some(FileKind::Yaml),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    /// The path to open.
    pub fs_path: PathBuf,
    /// The path to report: the scanned path as given joined with the file,
    /// with `/` separators and no leading `./`.
    pub display: String,
    pub kind: FileKind,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown),
    /// from the same metadata as `size`: the cache compares both.
    pub mtime: u128,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

#[derive(Default)]
pub struct DiscoverOptions {
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub max_file_size: u64,
}

#[derive(Default)]
pub struct Discovery {
    pub files: Vec<DiscoveredFile>,
    pub skipped: Vec<Skipped>,
}

pub fn display_path(p: &Path) -> String {
    // A backslash is a separator only on Windows; elsewhere it is a legal
    // character of a file name and must be reported as it is.
    let s = p.to_string_lossy();
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    if s.is_empty() {
        ".".into()
    } else {
        s.to_string()
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// Helm chart templates are Go templates, not YAML.
fn is_helm_template(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir.parent().is_some_and(|p| p.join("Chart.yaml").is_file())
    })
}

pub fn discover(paths: &[PathBuf], opts: &DiscoverOptions) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        let canon_root = match root.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                out.skipped.push(Skipped {
                    display: display_path(root),
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        // A file named directly on the command line.
        let walk_root_is_file = canon_root.is_file();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                if e.file_type().is_dir() {
                    return !is_hidden(&name) && !SKIPPED_DIRS.contains(&name.as_ref());
                }
                // Hidden files are skipped, but `.env` files feed linking.
                !is_hidden(&name) || name == ".env" || name.starts_with(".env.")
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let display = e
                        .path()
                        .map(display_path)
                        .unwrap_or_else(|| display_path(root));
                    let reason = if e.loop_ancestor().is_some() {
                        "symlink loop; not followed".to_string()
                    } else {
                        format!(
                            "cannot read: {}",
                            e.io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string())
                        )
                    };
                    out.skipped.push(Skipped { display, reason });
                    continue;
                }
            };
            let path = entry.path();
            let ft = entry.file_type();
            let display = display_path(path);
            if ft.is_dir() {
                continue;
            }
            let Some(kind) = kind_of(path) else { continue };
            let rel = if walk_root_is_file {
                path.to_path_buf()
            } else {
                path.strip_prefix(root).unwrap_or(path).to_path_buf()
            };
            let rel_str = display_path(&rel);
            if let Some(inc) = &opts.include
                && !inc.is_match(&rel_str)
                && !inc.is_match(&display)
            {
                continue;
            }
            if let Some(exc) = &opts.exclude
                && (exc.is_match(&rel_str) || exc.is_match(&display))
            {
                continue;
            }
            if kind == FileKind::Yaml && is_helm_template(path) {
                continue;
            }
            let meta = if ft.is_symlink() {
                // Follow a file link only when its target stays in the root.
                match path.canonicalize() {
                    Ok(target) if target.starts_with(&canon_root) && target.is_file() => {
                        match std::fs::metadata(&target) {
                            Ok(m) => m,
                            Err(e) => {
                                out.skipped.push(Skipped {
                                    display,
                                    reason: format!("cannot read: {e}"),
                                });
                                continue;
                            }
                        }
                    }
                    Ok(target) if target.is_dir() => continue,
                    Ok(_) => {
                        out.skipped.push(Skipped {
                            display,
                            reason: "symlink points outside the scanned root; not followed".into(),
                        });
                        continue;
                    }
                    Err(_) => {
                        out.skipped.push(Skipped {
                            display,
                            reason: "broken or looping symlink; not followed".into(),
                        });
                        continue;
                    }
                }
            } else {
                match entry.metadata() {
                    Ok(m) => m,
                    Err(e) => {
                        out.skipped.push(Skipped {
                            display,
                            reason: format!("cannot read: {e}"),
                        });
                        continue;
                    }
                }
            };
            if !meta.is_file() {
                out.skipped.push(Skipped {
                    display,
                    reason: "not a regular file (FIFO, socket or device); not opened".into(),
                });
                continue;
            }
            if opts.max_file_size > 0 && meta.len() > opts.max_file_size {
                out.skipped.push(Skipped {
                    display,
                    reason: format!(
                        "file is {} bytes, over the {} byte limit; not scanned",
                        meta.len(),
                        opts.max_file_size
                    ),
                });
                continue;
            }
            out.files.push(DiscoveredFile {
                fs_path: path.to_path_buf(),
                display,
                kind,
                size: meta.len(),
                mtime: crate::cache::mtime_of(&meta),
            });
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    out.skipped.sort_by(|a, b| a.display.cmp(&b.display));
    out
}
