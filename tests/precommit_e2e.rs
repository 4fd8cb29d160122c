//! End to end with the real `pre-commit` tool from PyPI: a temporary git
//! repository whose `.pre-commit-config.yaml` runs leakguard as this
//! repository's `.pre-commit-hooks.yaml` declares it (as a `repo: local`
//! hook whose entry is the binary built for this test, so that pre-commit
//! does not build it again with cargo). A commit adding a leaky compose file
//! is refused with leakguard's message; a compliant one passes.
//!
//! Needs `python3 -m venv` and PyPI. Without them the test is skipped with a
//! message, unless the environment variable CI is set: then it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_leakguard");

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Skips (returns) outside CI, fails under CI.
macro_rules! require {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            let msg = format!($($msg)+);
            if in_ci() {
                panic!("{msg}");
            }
            eprintln!("SKIPPED precommit_e2e: {msg} (set CI=true to make this a failure)");
            return;
        }
    };
}

fn output(cmd: &mut Command) -> Option<Output> {
    cmd.stdin(std::process::Stdio::null()).output().ok()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

/// Single-quotes a path for pre-commit's shlex splitting of `entry`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The hook as this repository declares it, run as a local system hook.
fn local_hook_config() -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect(".pre-commit-hooks.yaml at the repository root");
    let hooks: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).expect("valid YAML");
    let mut hook = hooks
        .into_iter()
        .find(|h| h["id"].as_str() == Some("leakguard"))
        .expect("a leakguard hook");
    let entry = hook["entry"].as_str().expect("an entry").to_string();
    let args = entry
        .strip_prefix("leakguard")
        .expect("entry runs leakguard");
    let map = hook.as_mapping_mut().expect("a mapping");
    map.insert("entry".into(), format!("{}{args}", shell_quote(BIN)).into());
    map.insert("language".into(), "system".into());
    let config = serde_json::json!({
        "repos": [{ "repo": "local", "hooks": [hook] }]
    });
    // JSON is YAML.
    serde_json::to_string_pretty(&config).expect("serialises")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    output(
        Command::new("git")
            .args([
                "-c",
                "user.name=leakguard test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir),
    )
    .expect("git runs")
}

#[test]
fn precommit_refuses_a_leaky_compose_file_and_accepts_a_compliant_one() {
    let start = Instant::now();
    let git_ok = output(Command::new("git").arg("--version")).is_some_and(|o| o.status.success());
    require!(git_ok, "git is not installed");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let venv = tmp.path().join("venv");
    let made = output(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    require!(
        made.as_ref().is_some_and(|o| o.status.success()),
        "`python3 -m venv` is unavailable: {}",
        made.as_ref().map(text).unwrap_or_default()
    );
    let bin = venv.join("bin");
    let pip = output(
        Command::new(bin.join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pre-commit",
            ])
            .env("PIP_NO_INPUT", "1"),
    );
    require!(
        pip.as_ref().is_some_and(|o| o.status.success()),
        "cannot install pre-commit from PyPI: {}",
        pip.as_ref().map(text).unwrap_or_default()
    );
    let pre_commit = bin.join("pre-commit");
    eprintln!("pre-commit installed in {:?}", start.elapsed());

    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    assert!(git(&repo, &["init", "-q"]).status.success());
    std::fs::write(repo.join(".pre-commit-config.yaml"), local_hook_config()).unwrap();
    std::fs::write(repo.join("README.md"), "a test repository\n").unwrap();
    let home = tmp.path().join("pre-commit-home");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let with_env = |c: &mut Command| {
        c.env("PRE_COMMIT_HOME", &home)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE");
    };
    let mut install = Command::new(&pre_commit);
    install.arg("install").current_dir(&repo);
    with_env(&mut install);
    let o = output(&mut install).expect("pre-commit runs");
    assert!(o.status.success(), "pre-commit install: {}", text(&o));

    let commit = |msg: &str| {
        let mut c = Command::new("git");
        c.args([
            "-c",
            "user.name=leakguard test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-m",
            msg,
        ])
        .current_dir(&repo);
        with_env(&mut c);
        output(&mut c).expect("git commit runs")
    };

    // The setup commit: no scannable file, the hook is skipped or passes.
    assert!(git(&repo, &["add", "-A"]).status.success());
    let o = commit("setup");
    assert!(o.status.success(), "setup commit: {}", text(&o));

    // A leaky compose file: refused, with leakguard's diagnostics.
    std::fs::copy(
        fixture("leaky-compose.yml"),
        repo.join("docker-compose.yml"),
    )
    .unwrap();
    assert!(git(&repo, &["add", "docker-compose.yml"]).status.success());
    let o = commit("add search");
    let out = text(&o);
    assert!(!o.status.success(), "the leaky commit went through:\n{out}");
    assert!(out.contains("leakguard"), "{out}");
    assert!(out.contains("docker-compose.yml"), "{out}");
    assert!(
        out.contains("LG-BIND-001") || out.contains("LG-AUTH-001"),
        "no leakguard finding in the hook output:\n{out}"
    );
    let head = git(&repo, &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&head.stdout).trim(), "1");

    // The compliant version passes.
    std::fs::copy(
        fixture("compliant-compose.yml"),
        repo.join("docker-compose.yml"),
    )
    .unwrap();
    assert!(git(&repo, &["add", "docker-compose.yml"]).status.success());
    let o = commit("add search, hardened");
    assert!(
        o.status.success(),
        "the compliant commit was refused:\n{}",
        text(&o)
    );
    let head = git(&repo, &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&head.stdout).trim(), "2");
    eprintln!("precommit_e2e took {:?}", start.elapsed());
}
