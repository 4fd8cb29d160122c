//! Pre-commit and diff scope: when leakguard is given file names (a hook
//! passes the staged files, `--changed-since` the changed ones) it reports
//! findings for those files only, but reads the whole repository each file
//! belongs to, so that chains through unchanged files are still found.
//!
//! The repository root of a file is the nearest folder above it holding
//! `leakguard.yaml` or `.git`. The root is scanned under a path chosen so
//! that the named files keep the paths the user gave; where that is not
//! possible (a file named from below the root, `cd src; leakguard check
//! a.rs`) the report's paths are mapped back to the names as given.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::config::CONFIG_FILE;
use crate::discover::display_path;

/// What to scan and what to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Paths to hand to the engine: each repository root, then each named
    /// file as a path under it (so a hidden or vendored file that is named
    /// explicitly is still read).
    pub scan_paths: Vec<PathBuf>,
    /// The engine's display paths of the named files (`ScanOptions.only`).
    pub only: Vec<String>,
    /// Engine display path -> the path as the user gave it, where they differ.
    pub rename: BTreeMap<String, String>,
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

/// Plans a scan that reports on `files` only, reading their repositories.
/// Files outside any repository are scanned on their own.
pub fn plan(files: &[PathBuf]) -> Scope {
    let mut scope = Scope::default();
    // canonical root -> the path it is scanned under
    let mut roots: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut root_order: Vec<PathBuf> = Vec::new();
    let mut named: Vec<PathBuf> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for f in files {
        let given_display = display_path(f);
        let located = f
            .canonicalize()
            .ok()
            .and_then(|c| repo_root(f).map(|r| (c, r)))
            .and_then(|(c, r)| {
                let rel = c.strip_prefix(&r).ok()?.to_path_buf();
                Some((r, rel))
            });
        let Some((root, rel)) = located else {
            if seen.insert(given_display.clone()) {
                named.push(f.clone());
                scope.only.push(given_display);
            }
            continue;
        };
        let scan_root = roots
            .entry(root.clone())
            .or_insert_with(|| {
                root_order.push(root.clone());
                strip_tail(f, &rel).unwrap_or_else(|| friendly(&root))
            })
            .clone();
        let scan_file = if scan_root == Path::new(".") {
            rel.clone()
        } else {
            scan_root.join(&rel)
        };
        let display = display_path(&scan_file);
        if seen.insert(display.clone()) {
            if display != given_display {
                scope.rename.insert(display.clone(), given_display);
            }
            scope.only.push(display);
            named.push(scan_file);
        }
    }
    for r in &root_order {
        if let Some(p) = roots.get(r) {
            scope.scan_paths.push(p.clone());
        }
    }
    scope.scan_paths.extend(named);
    scope
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
