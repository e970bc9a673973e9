use super::*;

const VERSION_1: &str = r#"
telemetry_enabled = false

[default]
  org_id = "5e2211c17a3e5a48f5497de3"
  project_id = "6a0b2c3d4e5f60718293a4b5"
  public_api_key = "abcdefgh"
  private_api_key = "v1-private-1f2e3d"
  output = "json"
  service = "cloud"

[gov]
  public_api_key = "govpublic"
  private_api_key = "gov-private-9a8b"
  service = "cloudgov"
"#;

const VERSION_2: &str = r#"
version = 2

[default]
  auth_type = "service_account"
  org_id = "5e2211c17a3e5a48f5497de3"
  service = "cloud"

[onprem]
  auth_type = "api_keys"
  ops_manager_url = "https://opsmanager.example.com/"
"#;

fn no_env(_: &str) -> Option<String> {
    None
}

fn no_keychain(_: &str, _: &str) -> Result<Option<String>, String> {
    Ok(None)
}

fn parse(text: &str) -> AtlasCliConfig {
    AtlasCliConfig::parse(text, "/home/u/.config/atlascli/config.toml").unwrap()
}

fn api_key(credentials: &Credentials) -> (&str, &str) {
    match credentials {
        Credentials::ApiKey {
            public_key,
            private_key,
        } => (public_key, private_key.expose()),
        other => panic!("not an API key: {other:?}"),
    }
}

#[test]
fn a_version_1_profile_keeps_its_keys_and_ids_in_the_file() {
    let config = parse(VERSION_1);
    assert_eq!(config.version(), 1);
    assert_eq!(
        config.profile_names().collect::<Vec<_>>(),
        ["default", "gov"]
    );
    let profile = config.resolve("default", &no_env, &no_keychain).unwrap();
    assert_eq!(
        api_key(&profile.credentials),
        ("abcdefgh", "v1-private-1f2e3d")
    );
    assert_eq!(
        profile.project_id.as_deref(),
        Some("6a0b2c3d4e5f60718293a4b5")
    );
    assert!(!profile.government);
    let client = profile.client_builder().build().unwrap();
    assert_eq!(client.base_url(), "https://cloud.mongodb.com");
}

#[test]
fn cloudgov_is_atlas_for_government() {
    let profile = parse(VERSION_1)
        .resolve("GOV", &no_env, &no_keychain)
        .unwrap();
    assert!(profile.government);
    let client = profile.client_builder().build().unwrap();
    assert_eq!(client.base_url(), "https://cloud.mongodbgov.com");
}

#[test]
fn variables_win_over_the_file() {
    let env = |name: &str| match name {
        "MONGODB_ATLAS_PRIVATE_API_KEY" => Some("from-env".to_owned()),
        "MONGODB_ATLAS_PROJECT_ID" => Some("7a0b2c3d4e5f60718293a4b5".to_owned()),
        "MONGODB_ATLAS_BASE_URL" => Some("http://127.0.0.1:9/".to_owned()),
        "MONGODB_ATLAS_PUBLIC_API_KEY" => Some(String::new()),
        _ => None,
    };
    let profile = parse(VERSION_1)
        .resolve("default", &env, &no_keychain)
        .unwrap();
    assert_eq!(api_key(&profile.credentials), ("abcdefgh", "from-env"));
    assert_eq!(
        profile.project_id.as_deref(),
        Some("7a0b2c3d4e5f60718293a4b5")
    );
    let client = profile.client_builder().build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
}

#[test]
fn a_version_2_profile_reads_its_secrets_from_the_keychain_entries_the_cli_writes() {
    let asked = std::cell::RefCell::new(Vec::new());
    let keychain = |service: &str, account: &str| {
        asked.borrow_mut().push(format!("{service}/{account}"));
        Ok(match (service, account) {
            ("atlascli_default", "client_id") => Some("mdb_sa_id_1".to_owned()),
            ("atlascli_default", "client_secret") => Some("mdb_sa_sk_2".to_owned()),
            _ => None,
        })
    };
    let profile = parse(VERSION_2)
        .resolve("default", &no_env, &keychain)
        .unwrap();
    match &profile.credentials {
        Credentials::ServiceAccount {
            client_id,
            client_secret,
        } => assert_eq!(
            (client_id.as_str(), client_secret.expose()),
            ("mdb_sa_id_1", "mdb_sa_sk_2")
        ),
        other => panic!("{other:?}"),
    }
    assert!(asked
        .borrow()
        .contains(&"atlascli_default/client_secret".to_owned()));
}

#[test]
fn a_version_2_secret_nowhere_says_where_it_is() {
    let error = parse(VERSION_2)
        .resolve("onprem", &no_env, &no_keychain)
        .unwrap_err()
        .to_string();
    assert!(error.contains("profile `onprem`"), "{error}");
    assert!(error.contains("service `atlascli_onprem`"), "{error}");
    assert!(error.contains("MONGODB_ATLAS_PRIVATE_API_KEY"), "{error}");
    let unreadable = |_: &str, _: &str| Err("no D-Bus session".to_owned());
    let profile = parse(VERSION_2).resolve("onprem", &no_env, &unreadable);
    assert!(profile.is_err());
}

#[test]
fn half_a_pair_names_the_missing_half() {
    let config = parse("[default]\npublic_api_key = \"abc\"\n");
    let error = config
        .resolve("default", &no_env, &no_keychain)
        .unwrap_err()
        .to_string();
    assert!(error.contains("`private_api_key` is missing"), "{error}");
}

#[test]
fn ops_manager_url_sets_the_base_url() {
    let env = |name: &str| {
        let value = match name {
            "MONGODB_ATLAS_PUBLIC_API_KEY" => "p",
            "MONGODB_ATLAS_PRIVATE_API_KEY" => "k",
            _ => return None,
        };
        Some(value.to_owned())
    };
    let profile = parse(VERSION_2)
        .resolve("onprem", &env, &no_keychain)
        .unwrap();
    assert_eq!(
        profile.base_url.as_deref(),
        Some("https://opsmanager.example.com/")
    );
}

#[test]
fn malformed_files_and_values_never_quote_a_secret() {
    let text = "[default]\nprivate_api_key = \"s3cret-never-shown\nother = 1\n";
    let error = AtlasCliConfig::parse(text, "/x/config.toml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("/x/config.toml line 2"), "{error}");
    assert!(!error.contains("s3cret"), "{error}");

    let config = parse("[default]\npublic_api_key = 12345678\nprivate_api_key = \"k\"\n");
    let error = config
        .resolve("default", &no_env, &no_keychain)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`public_api_key` is not a string"),
        "{error}"
    );
    assert!(!error.contains("12345678"), "{error}");

    let config = parse(
        "[default]\nservice = \"cloudgovx\"\npublic_api_key = \"a\"\nprivate_api_key = \"b\"\n",
    );
    let error = config
        .resolve("default", &no_env, &no_keychain)
        .unwrap_err();
    assert!(
        error.to_string().contains("`service` is neither"),
        "{error}"
    );
    assert!(!format!("{config:?}").contains("\"b\""), "{config:?}");
}

#[test]
fn missing_files_and_profiles_are_named() {
    let error = AtlasCliConfig::from_path("/nonexistent/atlascli/config.toml")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("/nonexistent/atlascli/config.toml"),
        "{error}"
    );
    assert!(error.contains("atlas config init"), "{error}");
    let error = parse(VERSION_1)
        .resolve("staging", &no_env, &no_keychain)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no profile `staging` (it has: default, gov)"),
        "{error}"
    );
}

#[test]
fn the_active_profile_is_the_variable_then_the_only_one_then_default() {
    let config = parse(VERSION_1);
    assert_eq!(config.active_profile_name(no_env), "default");
    let env = |name: &str| (name == "MONGODB_ATLAS_PROFILE").then(|| "Gov".to_owned());
    assert_eq!(config.active_profile_name(env), "gov");
    let only = parse("[work]\npublic_api_key = \"a\"\n");
    assert_eq!(only.active_profile_name(no_env), "work");
}

#[test]
fn user_account_logins_are_refused_with_what_to_use_instead() {
    let config = parse("version = 2\n[default]\nauth_type = \"user_account\"\n");
    let error = config
        .resolve("default", &no_env, &no_keychain)
        .unwrap_err()
        .to_string();
    assert!(error.contains("user_account"), "{error}");
}

#[test]
fn the_config_file_is_where_the_cli_looks() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    if cfg!(any(windows, target_os = "macos")) {
        return;
    }
    let path = config_path(&vars(&[("HOME", "/home/u")])).unwrap();
    assert_eq!(path, PathBuf::from("/home/u/.config/atlascli/config.toml"));
    let path = config_path(&vars(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "/xdg")])).unwrap();
    assert_eq!(path, PathBuf::from("/xdg/atlascli/config.toml"));
    let path = config_path(&vars(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "rel")])).unwrap();
    assert_eq!(path, PathBuf::from("/home/u/.config/atlascli/config.toml"));
    assert!(config_path(&vars(&[])).is_err());
}
