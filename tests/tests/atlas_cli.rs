//! Issue 32 item 10: the client an Atlas CLI profile describes, from sample config files
//! of both versions, talking to a loopback server.

mod support;

use atlas_admin::apis::projects;
use atlas_admin::runtime::{AtlasCliConfig, RetryConfig};
use support::{mount_digest, Algorithm, PASSWORD, USER};
use wiremock::MockServer;

/// A version 1 file: the secrets are in it.
fn version_1(base_url: &str) -> String {
    format!(
        "telemetry_enabled = false\n\n[default]\n  org_id = \"5e2211c17a3e5a48f5497de3\"\n  \
         public_api_key = \"{USER}\"\n  private_api_key = \"{PASSWORD}\"\n  \
         ops_manager_url = \"{base_url}/\"\n  service = \"cloud\"\n"
    )
}

/// A version 2 file: the CLI moved the secrets to the keychain.
const VERSION_2: &str = "version = 2\n\n[work]\n  auth_type = \"api_keys\"\n  \
    project_id = \"6a0b2c3d4e5f60718293a4b5\"\n  service = \"cloudgov\"\n";

fn write(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let path = dir.path().join("atlascli").join("config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn a_version_1_profile_calls_atlas_with_its_digest_keys() {
    let server = MockServer::start().await;
    let counters = mount_digest(&server, vec![Algorithm::Sha256]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = AtlasCliConfig::from_path(write(&dir, &version_1(&server.uri()))).unwrap();
    let profile = config.profile("default", |_| None).unwrap();
    assert_eq!(profile.org_id.as_deref(), Some("5e2211c17a3e5a48f5497de3"));
    let client = profile
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.uri());
    let page = projects::list_groups()
        .send(&client)
        .await
        .expect("authenticated");
    assert_eq!(page.total_count, Some(0));
    assert_eq!(counters.accepted_with(), [Algorithm::Sha256]);
}

#[tokio::test]
async fn a_version_2_profile_takes_its_secrets_from_the_variables_or_says_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let config = AtlasCliConfig::from_path(write(&dir, VERSION_2)).unwrap();
    assert_eq!(config.version(), 2);
    let error = config.profile("work", |_| None).unwrap_err().to_string();
    assert!(error.contains("service `atlascli_work`"), "{error}");
    assert!(error.contains("MONGODB_ATLAS_PRIVATE_API_KEY"), "{error}");

    let env = |name: &str| match name {
        "MONGODB_ATLAS_PUBLIC_API_KEY" => Some("pub".to_owned()),
        "MONGODB_ATLAS_PRIVATE_API_KEY" => Some("priv-from-env".to_owned()),
        _ => None,
    };
    let profile = config.profile("work", env).unwrap();
    let client = profile.client_builder().build().unwrap();
    assert_eq!(client.base_url(), "https://cloud.mongodbgov.com");
    assert!(!format!("{profile:?}{client:?}").contains("priv-from-env"));
}

#[test]
fn a_malformed_file_is_named_without_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "[default]\nprivate_api_key = 'hunter2-secret\n");
    let error = AtlasCliConfig::from_path(&path).unwrap_err().to_string();
    assert!(error.contains(&path.display().to_string()), "{error}");
    assert!(error.contains("line 2"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}
