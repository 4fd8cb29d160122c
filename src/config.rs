//! `leakguard.yaml`: the repository's configuration, found from the scanned
//! path upwards (or given with `--config`). Unknown keys and bad values stop
//! the run with exit 2 and a diagnostic at the exact line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::InputError;
use crate::finding::Severity;
use crate::vocab::ContactVocabExtension;

pub const CONFIG_FILE: &str = "leakguard.yaml";

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Extra rule files or folders, relative to the config file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    #[serde(default)]
    pub disable: Vec<String>,
    /// Rules that are off by default to turn on.
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub fail_on: Option<Severity>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub baseline: Option<PathBuf>,
    #[serde(default)]
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub vocabulary: ContactVocabExtension,
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The config file, when one was found.
    pub file: Option<PathBuf>,
    /// The config file's text, for diagnostics that point into it.
    pub text: Option<String>,
    /// The repository root: the config's folder, else the nearest folder
    /// holding `.git`, else the first scanned path.
    pub root: PathBuf,
}

impl LoadedConfig {
    /// Resolves a path written in the config relative to the config file.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        match &self.file {
            Some(f) if p.is_relative() => f.parent().unwrap_or(Path::new(".")).join(p),
            _ => p.to_path_buf(),
        }
    }
}

/// The nearest ancestor (or self) of `start` holding `name`.
pub fn find_upwards(start: &Path, name: &str) -> Option<PathBuf> {
    let abs = start.canonicalize().ok()?;
    let dir = if abs.is_file() {
        abs.parent()?.to_path_buf()
    } else {
        abs
    };
    dir.ancestors()
        .find(|d| d.join(name).exists())
        .map(Path::to_path_buf)
}

pub fn parse(path: &str, text: &str) -> Result<Config, Box<InputError>> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let cfg: Config =
        serde_yaml::from_str(text).map_err(|e| Box::new(InputError::from_serde(path, text, &e)))?;
    for (key, list) in [("include", &cfg.include), ("exclude", &cfg.exclude)] {
        for (i, g) in list.iter().enumerate() {
            if let Err(e) = globset::Glob::new(g) {
                return Err(Box::new(InputError::at_path(
                    path,
                    text,
                    0,
                    &[
                        crate::diag::PathKey::Key(key),
                        crate::diag::PathKey::Index(i),
                    ],
                    format!("invalid glob `{g}`: {e}"),
                )));
            }
        }
    }
    Ok(cfg)
}

/// Loads `explicit`, or the nearest `leakguard.yaml` above `start`.
pub fn load(explicit: Option<&Path>, start: &Path) -> Result<LoadedConfig, Box<InputError>> {
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => find_upwards(start, CONFIG_FILE).map(|d| d.join(CONFIG_FILE)),
    };
    let root = match &file {
        Some(f) => f
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => find_upwards(start, ".git").unwrap_or_else(|| start.to_path_buf()),
    };
    let (config, text) = match &file {
        Some(f) => {
            let display = crate::discover::display_path(f);
            let text = std::fs::read_to_string(f).map_err(|e| {
                Box::new(InputError::new(
                    &display,
                    "",
                    1,
                    1,
                    format!("cannot read config: {e}"),
                ))
            })?;
            (parse(&display, &text)?, Some(text))
        }
        None => (Config::default(), None),
    };
    Ok(LoadedConfig {
        config,
        file,
        text,
        root,
    })
}

pub fn globset(globs: &[String]) -> Option<globset::GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = globset::Glob::new(g) {
            b.add(glob);
        }
    }
    b.build().ok()
}
