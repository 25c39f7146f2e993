//! Where the server URL and the credential come from: flag > environment > config file.
//!
//! The config file (default `$HOME/.config/hikyaku/cli.toml`, or `$HIKYAKU_CONFIG`, or
//! `--config`) is TOML with three optional keys: `url`, `key` (an API key or session token) and
//! `session` (written by `hikyaku login`), plus `language` (the logged-in account's, also written
//! by `hikyaku login`). A saved session is used only when no key is given by flag, environment or
//! the config file's `key`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

/// Server URL when none is configured.
pub const DEFAULT_URL: &str = "http://127.0.0.1:8525";

/// Reads an environment variable; empty values count as unset.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The config file's contents.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Server URL.
    pub url: Option<String>,
    /// API key or session token.
    pub key: Option<String>,
    /// Session token saved by `hikyaku login`.
    pub session: Option<String>,
    /// Language of the human output (`en` or `ja`), saved by `hikyaku login` and
    /// `hikyaku users update-me` from the account's preference.
    pub language: Option<String>,
}

/// Where the credential in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `--key`.
    Flag,
    /// `HIKYAKU_KEY`.
    Env,
    /// The config file's `key`.
    ConfigKey,
    /// The config file's `session` (saved by `hikyaku login`).
    ConfigSession,
    /// No credential.
    None,
}

/// The resolved connection settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Server URL.
    pub url: String,
    /// Bearer token, if any.
    pub key: Option<String>,
    /// Where `key` came from.
    pub key_source: KeySource,
    /// The config file in use (it may not exist yet).
    pub config_path: Option<PathBuf>,
}

/// The config file's path: `--config`, else `$HIKYAKU_CONFIG`, else
/// `$HOME/.config/hikyaku/cli.toml`; `None` when there is no home directory either.
pub fn config_path(flag: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = env("HIKYAKU_CONFIG") {
        return Some(PathBuf::from(p));
    }
    env("HOME").map(|home| {
        Path::new(&home)
            .join(".config")
            .join("hikyaku")
            .join("cli.toml")
    })
}

/// Reads the config file; a missing file is an empty config.
pub fn load_config(path: &Path) -> anyhow::Result<ConfigFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read config file {}", path.display()))
        }
    };
    parse_config(&text).with_context(|| format!("config file {}", path.display()))
}

/// Parses the config file's text.
pub fn parse_config(text: &str) -> anyhow::Result<ConfigFile> {
    let mut c: ConfigFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    for v in [&mut c.url, &mut c.key, &mut c.session] {
        if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *v = None;
        }
    }
    Ok(c)
}

/// A one-line TOML error: `line N: message`.
fn toml_error(text: &str, e: &toml::de::Error) -> anyhow::Error {
    let message = e.message().trim_end().replace('\n', "; ");
    match e.span() {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(0, |t| t.matches('\n').count())
                + 1;
            anyhow::anyhow!("line {line}: {message}")
        }
        None => anyhow::anyhow!("{message}"),
    }
}

/// Applies the precedence flag > environment > config file (and, for the credential, the
/// config file's `key` before its saved `session`).
pub fn resolve(
    flag_url: Option<&str>,
    flag_key: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    config: &ConfigFile,
    config_path: Option<PathBuf>,
) -> Credentials {
    let url = flag_url
        .map(str::to_string)
        .or_else(|| env("HIKYAKU_URL"))
        .or_else(|| config.url.clone())
        .unwrap_or_else(|| DEFAULT_URL.to_string());
    let (key, key_source) = if let Some(k) = flag_key.filter(|k| !k.is_empty()) {
        (Some(k.to_string()), KeySource::Flag)
    } else if let Some(k) = env("HIKYAKU_KEY") {
        (Some(k), KeySource::Env)
    } else if let Some(k) = &config.key {
        (Some(k.clone()), KeySource::ConfigKey)
    } else if let Some(k) = &config.session {
        (Some(k.clone()), KeySource::ConfigSession)
    } else {
        (None, KeySource::None)
    };
    Credentials {
        url,
        key,
        key_source,
        config_path,
    }
}

/// Sets (or with `None` removes) the `session` key of the config file, keeping its other keys;
/// creates the file and its directory as needed, readable by the owner only.
pub fn save_session(path: &Path, session: Option<&str>) -> anyhow::Result<()> {
    save_entries(path, &[("session", session)])
}

/// Sets (`Some`) or removes (`None`) top-level keys of the config file, keeping the rest; a
/// missing file is created only when something is set.
pub fn save_entries(path: &Path, entries: &[(&str, Option<&str>)]) -> anyhow::Result<()> {
    let mut table = match std::fs::read_to_string(path) {
        Ok(text) => text
            .parse::<toml::Table>()
            .map_err(|e| toml_error(&text, &e))
            .with_context(|| format!("config file {}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read config file {}", path.display()))
        }
    };
    let mut changed = false;
    for (key, value) in entries {
        match value {
            Some(v) => {
                table.insert((*key).into(), toml::Value::String((*v).to_string()));
                changed = true;
            }
            None => changed |= table.remove(*key).is_some(),
        }
    }
    if !changed && !path.exists() {
        return Ok(());
    }
    let text = toml::to_string(&table).context("encoding the config file")?;
    write_private(path, &text)
        .with_context(|| format!("cannot write config file {}", path.display()))
}

/// Writes `text` to `path` atomically (temporary file, then rename), mode 0600 on Unix.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let Some(name) = path.file_name() else {
        bail!("not a file name");
    };
    let mut tmp_name = name.to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn config(url: Option<&str>, key: Option<&str>, session: Option<&str>) -> ConfigFile {
        ConfigFile {
            url: url.map(Into::into),
            key: key.map(Into::into),
            session: session.map(Into::into),
            language: None,
        }
    }

    #[test]
    fn defaults_without_anything() {
        let c = resolve(None, None, &env_of(&[]), &ConfigFile::default(), None);
        assert_eq!(c.url, DEFAULT_URL);
        assert_eq!(c.key, None);
        assert_eq!(c.key_source, KeySource::None);
    }

    #[test]
    fn flag_beats_env_beats_config() {
        let env = env_of(&[("HIKYAKU_URL", "http://env:1"), ("HIKYAKU_KEY", "env-key")]);
        let cfg = config(Some("http://cfg:1"), Some("cfg-key"), Some("cfg-session"));

        let c = resolve(Some("http://flag:1"), Some("flag-key"), &env, &cfg, None);
        assert_eq!(
            (c.url.as_str(), c.key.as_deref(), c.key_source),
            ("http://flag:1", Some("flag-key"), KeySource::Flag)
        );

        let c = resolve(None, None, &env, &cfg, None);
        assert_eq!(
            (c.url.as_str(), c.key.as_deref(), c.key_source),
            ("http://env:1", Some("env-key"), KeySource::Env)
        );

        let c = resolve(None, None, &env_of(&[]), &cfg, None);
        assert_eq!(
            (c.url.as_str(), c.key.as_deref(), c.key_source),
            ("http://cfg:1", Some("cfg-key"), KeySource::ConfigKey)
        );
    }

    #[test]
    fn session_is_used_only_without_a_key() {
        let cfg = config(None, None, Some("sess"));
        let c = resolve(None, None, &env_of(&[]), &cfg, None);
        assert_eq!(
            (c.key.as_deref(), c.key_source),
            (Some("sess"), KeySource::ConfigSession)
        );
        let c = resolve(None, None, &env_of(&[("HIKYAKU_KEY", "k")]), &cfg, None);
        assert_eq!(c.key_source, KeySource::Env);
        let c = resolve(None, Some("f"), &env_of(&[]), &cfg, None);
        assert_eq!(c.key_source, KeySource::Flag);
        // Each source is independent: URL from the flag, key from the config session.
        let c = resolve(Some("http://x:2"), None, &env_of(&[]), &cfg, None);
        assert_eq!(
            (c.url.as_str(), c.key_source),
            ("http://x:2", KeySource::ConfigSession)
        );
    }

    #[test]
    fn config_path_precedence() {
        let env = env_of(&[("HIKYAKU_CONFIG", "/etc/h.toml"), ("HOME", "/home/u")]);
        assert_eq!(
            config_path(Some(Path::new("/f.toml")), &env),
            Some(PathBuf::from("/f.toml"))
        );
        assert_eq!(config_path(None, &env), Some(PathBuf::from("/etc/h.toml")));
        assert_eq!(
            config_path(None, &env_of(&[("HOME", "/home/u")])),
            Some(PathBuf::from("/home/u/.config/hikyaku/cli.toml"))
        );
        assert_eq!(config_path(None, &env_of(&[])), None);
    }

    #[test]
    fn config_parsing() {
        let c = parse_config("url = \"http://h:1\"\nsession = \"s\"\nkey = \"\"\n").unwrap();
        assert_eq!(c, config(Some("http://h:1"), None, Some("s")));
        assert_eq!(parse_config("").unwrap(), ConfigFile::default());
        let e = parse_config("uurl = \"x\"").unwrap_err().to_string();
        assert!(e.starts_with("line 1: ") && e.contains("uurl"), "{e}");
        let e = parse_config("url = \"x\"\nkey = \n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("line 2: ") && !e.contains('\n'), "{e}");
    }

    #[test]
    fn session_save_keeps_other_keys() {
        let dir = std::env::temp_dir().join(format!("hikyaku-cli-test-{}", std::process::id()));
        let path = dir.join("sub").join("cli.toml");
        save_session(&path, Some("tok1")).unwrap();
        assert_eq!(
            load_config(&path).unwrap(),
            config(None, None, Some("tok1"))
        );
        std::fs::write(&path, "url = \"http://h:1\"\nsession = \"old\"\n").unwrap();
        save_session(&path, Some("tok2")).unwrap();
        assert_eq!(
            load_config(&path).unwrap(),
            config(Some("http://h:1"), None, Some("tok2"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        save_session(&path, None).unwrap();
        assert_eq!(
            load_config(&path).unwrap(),
            config(Some("http://h:1"), None, None)
        );
        assert_eq!(
            load_config(&dir.join("missing.toml")).unwrap(),
            ConfigFile::default()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
