//! Which fields hold a credential, so that a model's `Debug` never prints it.
//!
//! A string field is a secret when its wire name says so: its last word is `password`,
//! `secret` or `token` (`bindPassword`, `webhookSecret`, `apiToken`), or its last two
//! words name a key that authenticates (`privateKey`, `apiKey`, `secretAccessKey`,
//! `sslKey`, `licenseKey`, `routingKey`, ...), unless the name says it is public
//! (`publicKey`, `destinationOrgPublicApiKey`) or counts, limits or names something about
//! the credential (`maxTokenLength`, `tokenEndpointUrl`, `apiKeyId` end in other words).
//! A `writeOnly` string whose description calls it a password, secret, token, private
//! key or credential is one too: the spec says it is sent and never shown back.

use crate::ir::TypeRef;

/// Last words that make a string a secret.
const SECRET_WORDS: &[&str] = &["password", "secret", "token", "passphrase"];

/// Last two words that make a string a secret key.
const SECRET_KEYS: &[&str] = &[
    "api key",
    "private key",
    "access key",
    "account key",
    "ssl key",
    "license key",
    "service key",
    "routing key",
    "secret key",
    "encryption key",
];

/// Words of a description that mark a `writeOnly` string as a credential.
const SECRET_PROSE: &[&str] = &["password", "secret", "private key", "token", "credential"];

/// Whether a field of type `ty` named `wire` on the wire holds a credential.
pub fn is_secret(wire: &str, ty: &TypeRef, write_only: bool, description: Option<&str>) -> bool {
    if *ty != TypeRef::String {
        return false;
    }
    let words = words(wire);
    if words.iter().any(|w| w == "public") {
        return false;
    }
    let last = words.last().map(String::as_str).unwrap_or_default();
    let last_two = match words.as_slice() {
        [.., a, b] => format!("{a} {b}"),
        _ => String::new(),
    };
    if SECRET_WORDS.contains(&last) || SECRET_KEYS.contains(&last_two.as_str()) {
        return true;
    }
    write_only
        && description.is_some_and(|text| {
            let text = text.to_ascii_lowercase();
            SECRET_PROSE.iter().any(|word| text.contains(word))
        })
}

/// The lowercase words of a camelCase, snake_case or kebab-case name.
fn words(name: &str) -> Vec<String> {
    heck::ToSnakeCase::to_snake_case(name)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(wire: &str) -> bool {
        is_secret(wire, &TypeRef::String, false, None)
    }

    #[test]
    fn credentials_are_found_by_their_last_words() {
        for wire in [
            "password",
            "bindPassword",
            "sslKeyPassword",
            "secret",
            "webhookSecret",
            "clientSecret",
            "apiToken",
            "hecToken",
            "privateKey",
            "apiKey",
            "datadogApiKey",
            "destinationOrgPrivateApiKey",
            "secretAccessKey",
            "serviceAccountKey",
            "sslKey",
            "licenseKey",
            "routingKey",
        ] {
            assert!(named(wire), "{wire}");
        }
    }

    #[test]
    fn names_about_a_credential_are_not_one() {
        for wire in [
            "publicKey",
            "destinationOrgPublicApiKey",
            "apiKeyId",
            "maxTokenLength",
            "tokenEndpointUrl",
            "secretExpiresAfterHours",
            "privateEndpointIpAddress",
            "customShardKey",
            "kmsKey",
            "passwordChangedAt",
        ] {
            assert!(!named(wire), "{wire}");
        }
    }

    #[test]
    fn only_strings_and_described_write_only_fields() {
        assert!(!is_secret("password", &TypeRef::Bool, false, None));
        assert!(!is_secret(
            "value",
            &TypeRef::String,
            false,
            Some("The secret.")
        ));
        assert!(is_secret(
            "value",
            &TypeRef::String,
            true,
            Some("The Secret to send.")
        ));
        assert!(!is_secret(
            "name",
            &TypeRef::String,
            true,
            Some("Human-readable label.")
        ));
    }
}
