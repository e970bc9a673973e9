//! The Atlas CLI's profiles: the client the CLI would build, from its config file, the
//! `MONGODB_ATLAS_*` variables and (config version 2, feature `keychain`) the system
//! keychain.
//!
//! What the CLI does, as its source (mongodb/atlas-cli-core `config/`) reads:
//! - the file is `<user config dir>/atlascli/config.toml` (`$XDG_CONFIG_HOME` or
//!   `~/.config` on Linux, `~/Library/Application Support` on macOS, `%AppData%` on
//!   Windows); top-level keys such as `version` are global, every table is a profile;
//! - a value comes from `MONGODB_ATLAS_<KEY>` when set and not empty, else (for the six
//!   secrets) from the keychain, else from the profile's table;
//! - since config version 2 the secrets live in the keychain: service
//!   `atlascli_<profile>`, account the key's name (`private_api_key`, ...);
//! - the base URL is `ops_manager_url` when set (`MONGODB_ATLAS_OPS_MANAGER_URL`, then
//!   `MONGODB_ATLAS_BASE_URL`), else Atlas for Government for `service = "cloudgov"`,
//!   else commercial Atlas;
//! - the profile is `MONGODB_ATLAS_PROFILE`, else the only one, else `default`.
//!
//! No error here quotes a value of the file: a malformed file is named by line and
//! column, a wrong value by profile and key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::client::process_env;
use super::{Client, ClientBuilder, Credentials, Error};

/// The CLI's name for the profile it uses when none is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// The Atlas CLI's config file, read.
pub struct AtlasCliConfig {
    path: PathBuf,
    version: i64,
    profiles: BTreeMap<String, toml::Table>,
}

/// Names the file, its version and profiles; never a value.
impl std::fmt::Debug for AtlasCliConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtlasCliConfig")
            .field("path", &self.path)
            .field("version", &self.version)
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One profile, resolved: what the CLI would send with and where.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AtlasCliProfile {
    pub name: String,
    /// `org_id`: the organization the CLI's commands default to.
    pub org_id: Option<String>,
    /// `project_id`: the project the CLI's commands default to.
    pub project_id: Option<String>,
    /// `service = "cloudgov"`: Atlas for Government.
    pub government: bool,
    /// `ops_manager_url`, when set: the base URL instead of the service's.
    pub base_url: Option<String>,
    pub credentials: Credentials,
}

impl AtlasCliProfile {
    /// A builder for the client this profile describes; change anything before `build`.
    pub fn client_builder(&self) -> ClientBuilder {
        let builder = Client::builder().credentials(self.credentials.clone());
        match (&self.base_url, self.government) {
            (Some(url), _) => builder.base_url(url.clone()),
            (None, true) => builder.government(),
            (None, false) => builder.commercial(),
        }
    }
}

/// Where a secret the file does not hold may be: the keychain entry's lookup.
type Keychain<'a> = &'a dyn Fn(&str, &str) -> Result<Option<String>, String>;

impl AtlasCliConfig {
    /// `<user config dir>/atlascli/config.toml`, as the CLI finds it.
    pub fn default_path() -> Result<PathBuf, Error> {
        config_path(&|name| std::env::var_os(name).filter(|v| !v.is_empty()))
    }

    /// Read the file at [`Self::default_path`].
    pub fn load() -> Result<Self, Error> {
        Self::from_path(Self::default_path()?)
    }

    /// Read the file at `path`. A missing or unreadable file, or one that is not the
    /// CLI's TOML, is [`Error::Config`] naming the path.
    pub fn from_path(path: impl Into<PathBuf>) -> Result<Self, Error> {
        let path = path.into();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                " (create it with `atlas config init`, or set MONGODB_ATLAS_* variables and \
                 use `Client::from_env`)"
            } else {
                ""
            };
            Error::Config(format!("Atlas CLI config {}: {e}{hint}", path.display()))
        })?;
        Self::parse(&text, path)
    }

    /// Parse the text of a config file; `path` names it in errors.
    pub fn parse(text: &str, path: impl Into<PathBuf>) -> Result<Self, Error> {
        let path = path.into();
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            // The error's own Display quotes the offending line, which may hold a key.
            let (line, column) = e.span().map_or((0, 0), |s| line_column(text, s.start));
            Error::Config(format!(
                "Atlas CLI config {} line {line} column {column}: {}",
                path.display(),
                e.message()
            ))
        })?;
        let mut version = 1;
        let mut profiles = BTreeMap::new();
        for (key, value) in table {
            match value {
                toml::Value::Table(profile) => {
                    profiles.insert(key, profile);
                }
                toml::Value::Integer(v) if key == "version" => version = v,
                _ if key == "version" => {
                    return Err(Error::Config(format!(
                        "Atlas CLI config {}: `version` is not an integer",
                        path.display()
                    )))
                }
                _ => {}
            }
        }
        Ok(AtlasCliConfig {
            path,
            version,
            profiles,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The config version: 1 keeps secrets in the file, 2 in the keychain.
    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The profile the CLI uses without `--profile`: `MONGODB_ATLAS_PROFILE`, else the
    /// only one, else `default`.
    pub fn active_profile_name(&self, env: impl Fn(&str) -> Option<String>) -> String {
        if let Some(name) = env("MONGODB_ATLAS_PROFILE").filter(|n| !n.is_empty()) {
            return name.to_lowercase();
        }
        match self.profiles.keys().collect::<Vec<_>>().as_slice() {
            [only] => (*only).clone(),
            _ => DEFAULT_PROFILE.to_owned(),
        }
    }

    /// Resolve `name` as the CLI would, over `env` (a variable lookup: `std::env::var`,
    /// or a map in tests) and, with the `keychain` feature, the system keychain.
    pub fn profile(
        &self,
        name: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<AtlasCliProfile, Error> {
        self.resolve(name, &env, &system_keychain)
    }

    /// [`Self::profile`] with the keychain lookup given (tests).
    pub(crate) fn resolve(
        &self,
        name: &str,
        env: &dyn Fn(&str) -> Option<String>,
        keychain: Keychain<'_>,
    ) -> Result<AtlasCliProfile, Error> {
        let name = name.to_lowercase();
        let empty = toml::Table::new();
        let table = match self.profiles.get(&name) {
            Some(table) => table,
            // Variables alone make a profile, as in the CLI.
            None if env("MONGODB_ATLAS_PUBLIC_API_KEY").is_some()
                || env("MONGODB_ATLAS_CLIENT_ID").is_some() =>
            {
                &empty
            }
            None => return Err(self.no_such_profile(&name)),
        };
        let lookup = Lookup {
            config: self,
            profile: &name,
            table,
            env,
            keychain,
        };
        let service = lookup.plain("service")?;
        let government = match service.as_deref() {
            None | Some("cloud") => false,
            Some("cloudgov") => true,
            Some(_) => {
                return Err(lookup.invalid("service", "is neither \"cloud\" nor \"cloudgov\""))
            }
        };
        let base_url = match env("MONGODB_ATLAS_OPS_MANAGER_URL")
            .or_else(|| env("MONGODB_ATLAS_BASE_URL"))
            .filter(|u| !u.is_empty())
        {
            Some(url) => Some(url),
            None => lookup.file("ops_manager_url")?.or(lookup.file("base_url")?),
        };
        Ok(AtlasCliProfile {
            org_id: lookup.plain("org_id")?,
            project_id: lookup.plain("project_id")?,
            credentials: lookup.credentials()?,
            government,
            base_url,
            name,
        })
    }

    fn no_such_profile(&self, name: &str) -> Error {
        let known: Vec<&str> = self.profile_names().collect();
        Error::Config(format!(
            "Atlas CLI config {} has no profile `{name}` (it has: {})",
            self.path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    }
}

/// Where each value of one profile comes from.
struct Lookup<'a> {
    config: &'a AtlasCliConfig,
    profile: &'a str,
    table: &'a toml::Table,
    env: &'a dyn Fn(&str) -> Option<String>,
    keychain: Keychain<'a>,
}

impl Lookup<'_> {
    fn invalid(&self, key: &str, what: &str) -> Error {
        Error::Config(format!(
            "Atlas CLI config {} profile `{}`: `{key}` {what}",
            self.config.path.display(),
            self.profile
        ))
    }

    /// The file's value of `key` (a string; empty is unset).
    fn file(&self, key: &str) -> Result<Option<String>, Error> {
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.is_empty() => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(key, "is not a string")),
        }
    }

    fn variable(&self, key: &str) -> Option<String> {
        (self.env)(&format!("MONGODB_ATLAS_{}", key.to_uppercase())).filter(|v| !v.is_empty())
    }

    /// A setting that is not secret: the variable, else the file.
    fn plain(&self, key: &str) -> Result<Option<String>, Error> {
        match self.variable(key) {
            Some(value) => Ok(Some(value)),
            None => self.file(key),
        }
    }

    /// A secret: the variable, else the keychain, else the file. `Err` carries why the
    /// keychain could not answer, for the error when the file has nothing either.
    fn secret(&self, key: &str) -> Result<Result<String, String>, Error> {
        if let Some(value) = self.variable(key) {
            return Ok(Ok(value));
        }
        let service = format!("atlascli_{}", self.profile);
        let keychain = (self.keychain)(&service, key);
        if let Ok(Some(value)) = keychain {
            return Ok(Ok(value));
        }
        Ok(match (self.file(key)?, keychain) {
            (Some(value), _) => Ok(value),
            (None, Err(why)) => Err(why),
            (None, Ok(_)) => Err(String::new()),
        })
    }

    /// The credentials of `auth_type` (or, as the CLI infers them, of the pairs present).
    fn credentials(&self) -> Result<Credentials, Error> {
        let service_account = self.pair("client_id", "client_secret")?;
        let api_keys = self.pair("public_api_key", "private_api_key")?;
        let auth_type = self.plain("auth_type")?;
        // The stored type decides when its pair is there; else the pair that is (a
        // service account first, as the CLI infers).
        match (auth_type.as_deref(), service_account, api_keys) {
            (Some("api_keys"), _, Some((public, private))) | (_, None, Some((public, private))) => {
                Ok(Credentials::api_key(public, private))
            }
            (_, Some((id, secret)), _) => Ok(Credentials::service_account(id, secret)),
            (Some("no_auth"), None, None) => Ok(Credentials::None),
            (Some("user_account"), None, None) => Err(self.invalid(
                "auth_type",
                "is \"user_account\" (`atlas auth login`): its tokens are the CLI's own; \
                 use an API key or a service account",
            )),
            (_, None, None) => Err(self.missing_credentials()),
        }
    }

    /// Both halves of a credential pair, or neither; one without the other is an error.
    fn pair(&self, first: &str, second: &str) -> Result<Option<(String, String)>, Error> {
        match (self.secret(first)?, self.secret(second)?) {
            (Ok(a), Ok(b)) => Ok(Some((a, b))),
            (Err(_), Err(_)) => Ok(None),
            (Ok(_), Err(why)) => Err(self.secret_missing(second, &why)),
            (Err(why), Ok(_)) => Err(self.secret_missing(first, &why)),
        }
    }

    fn secret_missing(&self, key: &str, why: &str) -> Error {
        self.invalid(key, &format!("is missing{}", self.where_secrets_are(why)))
    }

    fn missing_credentials(&self) -> Error {
        self.invalid(
            "public_api_key/private_api_key or client_id/client_secret",
            &format!("are not set{}", self.where_secrets_are("")),
        )
    }

    /// Where the secret is when the file does not hold it.
    fn where_secrets_are(&self, why: &str) -> String {
        let variables = "; set MONGODB_ATLAS_PUBLIC_API_KEY/MONGODB_ATLAS_PRIVATE_API_KEY or \
                         MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET";
        if self.config.version < 2 {
            return variables.to_owned();
        }
        let place = format!(
            " (config version {} keeps secrets in the system keychain, service `atlascli_{}`, \
             one entry per key",
            self.config.version, self.profile
        );
        let reason = if cfg!(feature = "keychain") {
            if why.is_empty() {
                "; the keychain has no such entry)".to_owned()
            } else {
                format!("; the keychain could not be read: {why})")
            }
        } else {
            "; enable the `keychain` feature of atlas-admin to read it)".to_owned()
        };
        format!("{place}{reason}{variables}")
    }
}

/// The keychain entry `service`/`account`: `Ok(None)` when there is none.
#[cfg(feature = "keychain")]
fn system_keychain(service: &str, account: &str) -> Result<Option<String>, String> {
    let entry = keyring::Entry::new(service, account).map_err(|e| e.to_string())?;
    match entry.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Without the `keychain` feature nothing is read from the keychain.
#[cfg(not(feature = "keychain"))]
fn system_keychain(_service: &str, _account: &str) -> Result<Option<String>, String> {
    Ok(None)
}

/// `os.UserConfigDir()/atlascli/config.toml` over a variable lookup.
fn config_path(var: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Result<PathBuf, Error> {
    let under = |dir: PathBuf| dir.join("atlascli").join("config.toml");
    let home = || var("HOME").map(PathBuf::from);
    let dir = if cfg!(windows) {
        var("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library").join("Application Support"))
    } else {
        var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home().map(|h| h.join(".config")))
    };
    dir.map(under).ok_or_else(|| {
        Error::Config(
            "no user config directory for the Atlas CLI's config (HOME, XDG_CONFIG_HOME or \
             APPDATA is unset)"
                .into(),
        )
    })
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Client {
    /// The client the Atlas CLI would use for profile `name`: its config file
    /// ([`AtlasCliConfig::default_path`]), the `MONGODB_ATLAS_*` variables over it, and
    /// for config version 2 the keychain (feature `keychain`); Atlas for Government for
    /// `service = "cloudgov"`. The profile's `project_id` and `org_id` are on
    /// [`AtlasCliProfile`] ([`AtlasCliConfig::profile`]).
    pub fn from_atlas_cli_profile(name: &str) -> Result<Client, Error> {
        AtlasCliConfig::load()?
            .profile(name, process_env)?
            .client_builder()
            .build()
    }

    /// [`Client::from_atlas_cli_profile`] for the profile the CLI would pick
    /// (`MONGODB_ATLAS_PROFILE`, else the only one, else `default`).
    pub fn from_atlas_cli() -> Result<Client, Error> {
        let config = AtlasCliConfig::load()?;
        let name = config.active_profile_name(process_env);
        config.profile(&name, process_env)?.client_builder().build()
    }
}

#[cfg(test)]
mod tests;
