//! Pre-commit, diff and subfolder scope: when leakguard is given file names
//! (a hook passes the staged files, `--changed-since` the changed ones) or
//! a folder inside a repository whose root holds `leakguard.yaml`, it
//! reports findings for those files and folders only, but reads the whole
//! repository they belong to, so that chains through other files (manifests
//! in `deploy/`, migrations in `db/`) are still found.
//!
//! The repository root of a file is the nearest folder above it holding
//! `leakguard.yaml` or `.git`; that of a folder, the nearest folder above it
//! holding `leakguard.yaml` (a folder of a plain git checkout is scanned on
//! its own, as it always was). The root is scanned under a path chosen so
//! that the named files and folders keep the paths the user gave; where that
//! is not possible (`cd services/api; leakguard check .`) the report's paths
//! under the named files and folders are mapped back to the names as given,
//! and paths outside them (related locations of a chain) stay relative to
//! the current folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::config::CONFIG_FILE;
use crate::discover::{SKIPPED_DIRS, display_path};

/// What to scan and what to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Paths to hand to the engine: each repository root, then each named
    /// file, or folder the root's walk would skip, as a path under it (so a
    /// hidden or vendored one that is named explicitly is still read), then
    /// the folders scanned on their own.
    pub scan_paths: Vec<PathBuf>,
    /// The engine's display paths of the named files.
    pub only: BTreeSet<String>,
    /// The engine's display paths of the named folders: every file under
    /// one is reported.
    pub folders: BTreeSet<String>,
    /// Engine display path -> the path as the user gave it, where they
    /// differ: of a named file, or of a named folder (then every path under
    /// it is renamed alike).
    pub rename: BTreeMap<String, String>,
}

impl Scope {
    /// The named folder (engine display path) that holds `path`, the
    /// innermost when several do. Costs one set lookup per folder level.
    fn folder_of<'a>(&self, path: &'a str) -> Option<&'a str> {
        let mut found = None;
        if self.folders.contains(".") && !path.starts_with('/') && !path.starts_with("../") {
            found = Some(".");
        }
        for (i, _) in path.match_indices('/') {
            let pre = &path[..i];
            if !pre.is_empty() && self.folders.contains(pre) {
                found = Some(pre);
            }
        }
        found
    }

    /// Whether findings, warnings and errors of `path` (an engine display
    /// path) are reported.
    pub fn reports(&self, path: &str) -> bool {
        self.only.contains(path) || self.folder_of(path).is_some()
    }

    /// `path` (an engine display path) as the user would name it: under
    /// the name they gave for its file or folder.
    pub fn display(&self, path: &str) -> Option<String> {
        if let Some(n) = self.rename.get(path) {
            return Some(n.clone());
        }
        if self.rename.is_empty() {
            return None;
        }
        let folder = self.folder_of(path)?;
        let given = self.rename.get(folder)?;
        let rest = if folder == "." {
            path
        } else {
            path.get(folder.len() + 1..)?
        };
        Some(if given == "." {
            rest.to_string()
        } else {
            format!("{given}/{rest}")
        })
    }
}

impl Scope {
    /// The same scope in the names the user gave (baseline entries record
    /// the reported paths).
    pub fn as_given(&self) -> Scope {
        let given = |p: &String| self.rename.get(p).cloned().unwrap_or_else(|| p.clone());
        Scope {
            scan_paths: Vec::new(),
            only: self.only.iter().map(given).collect(),
            folders: self.folders.iter().map(given).collect(),
            rename: BTreeMap::new(),
        }
    }
}

/// The nearest folder at or above `path` (a file or folder) holding
/// `leakguard.yaml` or `.git`, canonical.
pub fn repo_root(path: &Path) -> Option<PathBuf> {
    let abs = path.canonicalize().ok()?;
    let dir = if abs.is_dir() {
        abs
    } else {
        abs.parent()?.to_path_buf()
    };
    dir.ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file() || d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The nearest folder above the folder `dir` (canonical) holding
/// `leakguard.yaml`; `None` when `dir` holds one itself (it is its own
/// root) or none is found.
fn config_root(dir: &Path) -> Option<PathBuf> {
    if dir.join(CONFIG_FILE).is_file() {
        return None;
    }
    dir.ancestors()
        .skip(1)
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// A path to `root` (canonical) as short as possible from the current
/// folder: `.`, `../..`, a relative path below, or the absolute path.
pub fn friendly(root: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) else {
        return root.to_path_buf();
    };
    if cwd == root {
        return PathBuf::from(".");
    }
    if let Ok(below) = cwd.strip_prefix(root) {
        let depth = below.components().count();
        let mut p = PathBuf::new();
        for _ in 0..depth {
            p.push("..");
        }
        return p;
    }
    if let Ok(rel) = root.strip_prefix(&cwd) {
        return rel.to_path_buf();
    }
    root.to_path_buf()
}

/// `given` with its last `n` components removed, when those components are
/// exactly `tail` (lexically; `.` components ignored).
fn strip_tail(given: &Path, tail: &Path) -> Option<PathBuf> {
    let g: Vec<Component> = given
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let t: Vec<Component> = tail.components().collect();
    if t.is_empty() || t.len() > g.len() || t.iter().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let (head, rest) = g.split_at(g.len() - t.len());
    if rest != t.as_slice() {
        return None;
    }
    let p: PathBuf = head.iter().collect();
    Some(if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    })
}

/// A folder's display path as the walk under it prints its files' parent:
/// without trailing separators.
fn folder_display(p: &Path) -> String {
    let d = display_path(p);
    let t = d.trim_end_matches('/');
    if t.is_empty() { d } else { t.to_string() }
}

/// Whether the walk of a root skips `rel` (a path below it): a hidden or
/// vendored folder on the way.
fn walk_skips(rel: &Path) -> bool {
    rel.components().any(|c| {
        let n = c.as_os_str().to_string_lossy();
        (n.starts_with('.') && n != "." && n != "..") || SKIPPED_DIRS.contains(&n.as_ref())
    })
}

/// One path to report on and the root it is read with.
struct Named {
    given: PathBuf,
    canon: PathBuf,
    is_dir: bool,
    root: Option<PathBuf>,
}

/// Plans a scan that reports on `paths` only, reading their repositories:
/// a file's (`leakguard.yaml` or `.git`), and, when `widen_folders`, a
/// folder's (`leakguard.yaml` only). A folder that is not widened but lies
/// inside a root read for another path is reported from that root's scan;
/// other paths are scanned on their own. `None` when no path needs a wider
/// scan: a plain scan of the paths as given.
pub fn plan(paths: &[PathBuf], widen_folders: bool) -> Option<Scope> {
    let mut named: Vec<Named> = Vec::new();
    for p in paths {
        let Ok(canon) = p.canonicalize() else {
            named.push(Named {
                given: p.clone(),
                canon: p.clone(),
                is_dir: p.is_dir(),
                root: None,
            });
            continue;
        };
        let is_dir = canon.is_dir();
        let root = if is_dir {
            widen_folders.then(|| config_root(&canon)).flatten()
        } else {
            repo_root(&canon)
        };
        named.push(Named {
            given: p.clone(),
            canon,
            is_dir,
            root,
        });
    }
    if !named.is_empty() && named.iter().all(|n| n.is_dir && n.root.is_none()) {
        return None;
    }
    // A folder not widened itself but inside a root read anyway.
    let roots: BTreeSet<PathBuf> = named.iter().filter_map(|n| n.root.clone()).collect();
    for n in named.iter_mut().filter(|n| n.is_dir && n.root.is_none()) {
        n.root = roots
            .iter()
            .filter(|r| n.canon.starts_with(r))
            .max_by_key(|r| r.components().count())
            .cloned();
    }

    let mut scope = Scope::default();
    // canonical root -> the path it is scanned under
    let mut scan_roots: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut root_order: Vec<PathBuf> = Vec::new();
    let mut extra: Vec<PathBuf> = Vec::new();
    let mut alone: Vec<PathBuf> = Vec::new();
    for n in &named {
        let given_display = if n.is_dir {
            folder_display(&n.given)
        } else {
            display_path(&n.given)
        };
        let located = n.root.as_ref().and_then(|r| {
            let rel = n.canon.strip_prefix(r).ok()?.to_path_buf();
            Some((r.clone(), rel))
        });
        let Some((root, rel)) = located else {
            let fresh = if n.is_dir {
                scope.folders.insert(given_display)
            } else {
                scope.only.insert(given_display)
            };
            if fresh {
                alone.push(n.given.clone());
            }
            continue;
        };
        let scan_root = scan_roots
            .entry(root.clone())
            .or_insert_with(|| {
                root_order.push(root.clone());
                strip_tail(&n.given, &rel).unwrap_or_else(|| friendly(&root))
            })
            .clone();
        let scan_path = if scan_root == Path::new(".") {
            rel.clone()
        } else {
            scan_root.join(&rel)
        };
        let display = if n.is_dir {
            folder_display(&scan_path)
        } else {
            display_path(&scan_path)
        };
        let fresh = if n.is_dir {
            scope.folders.insert(display.clone())
        } else {
            scope.only.insert(display.clone())
        };
        if !fresh {
            continue;
        }
        if display != given_display {
            scope.rename.insert(display, given_display);
        }
        if !n.is_dir || walk_skips(&rel) {
            extra.push(scan_path);
        }
    }
    for r in &root_order {
        if let Some(p) = scan_roots.get(r) {
            scope.scan_paths.push(p.clone());
        }
    }
    scope.scan_paths.extend(extra);
    scope.scan_paths.extend(alone);
    Some(scope)
}

/// Runs the user's `git` in `root` with nothing from the repository's
/// configuration that could run a program (no fsmonitor hook, no external
/// diff, no textconv filter, no pager).
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-c")
        .arg("core.fsmonitor=false")
        .arg("-c")
        .arg("core.untrackedCache=false")
        .arg("--no-pager")
        .args(args)
        .current_dir(root)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn diff_names(root: &Path, range: &str) -> Result<Vec<String>, String> {
    let out = git(
        root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--relative",
            "--diff-filter=d",
            range,
            "--",
        ],
    )?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect())
}

/// The files changed since `rev` in the repository holding `start`: what the
/// branch changed since it forked from `rev` (`git diff REV...`, or `git
/// diff REV` when they share no history) plus uncommitted changes to tracked
/// files. Deleted files are left out; untracked files are not included.
/// Paths are returned as paths usable from the current folder.
pub fn changed_since(start: &Path, rev: &str) -> Result<Vec<PathBuf>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let root = repo_root(start).ok_or_else(|| {
        format!(
            "{} is not inside a repository (no folder above it holds .git or {CONFIG_FILE})",
            start.display()
        )
    })?;
    let mut names: BTreeSet<String> = BTreeSet::new();
    match diff_names(&root, &format!("{rev}...")) {
        Ok(n) => names.extend(n),
        Err(first) => match diff_names(&root, rev) {
            Ok(n) => names.extend(n),
            Err(_) => return Err(format!("git diff {rev}... failed: {first}")),
        },
    }
    // Uncommitted (staged or not) changes; fails harmlessly before the
    // first commit.
    if let Ok(n) = diff_names(&root, "HEAD") {
        names.extend(n);
    }
    let base = friendly(&root);
    Ok(names
        .into_iter()
        .map(|n| {
            if base == Path::new(".") {
                PathBuf::from(n)
            } else {
                base.join(n)
            }
        })
        .filter(|p| p.is_file())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_match_by_prefix_and_rename() {
        let sc = Scope {
            folders: ["../deploy", "../deploy/k8s", "x"]
                .into_iter()
                .map(String::from)
                .collect(),
            only: ["../db/a.sql".to_string()].into_iter().collect(),
            rename: [
                ("../deploy", "."),
                ("../deploy/k8s", "k"),
                ("../db/a.sql", "a"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            ..Default::default()
        };
        assert!(sc.reports("../deploy/c.yml"));
        assert!(sc.reports("../db/a.sql"));
        assert!(!sc.reports("../db/b.sql"));
        assert!(!sc.reports("../deployed/c.yml"));
        assert!(!sc.reports("xy/c.yml"));
        assert_eq!(sc.display("../deploy/c.yml").as_deref(), Some("c.yml"));
        assert_eq!(
            sc.display("../deploy/k8s/s.yml").as_deref(),
            Some("k/s.yml")
        );
        assert_eq!(sc.display("../db/a.sql").as_deref(), Some("a"));
        assert_eq!(sc.display("x/c.yml"), None);
        assert_eq!(sc.display("../other/c.yml"), None);
        let dot = Scope {
            folders: [".".to_string()].into_iter().collect(),
            ..Default::default()
        };
        assert!(dot.reports("a/b.rs"));
        assert!(!dot.reports("../a/b.rs"));
        assert!(!dot.reports("/abs/b.rs"));
    }

    #[test]
    fn tails() {
        assert_eq!(
            strip_tail(Path::new("repo/src/a.rs"), Path::new("src/a.rs")),
            Some(PathBuf::from("repo"))
        );
        assert_eq!(
            strip_tail(Path::new("./src/a.rs"), Path::new("src/a.rs")),
            Some(PathBuf::from("."))
        );
        assert_eq!(
            strip_tail(Path::new("/r/src/a.rs"), Path::new("src/a.rs")),
            Some(PathBuf::from("/r"))
        );
        assert_eq!(strip_tail(Path::new("a.rs"), Path::new("src/a.rs")), None);
        assert_eq!(
            strip_tail(Path::new("../x/a.rs"), Path::new("y/a.rs")),
            None
        );
    }
}
