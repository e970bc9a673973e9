//! Credentials and the two Atlas authentication schemes.

pub(crate) mod digest;
pub(crate) mod oauth;

use std::fmt;

/// A secret string that never appears in `Debug` output, logs or errors.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// How the client authenticates.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// No authentication (for loopback test servers).
    None,
    /// Programmatic API key: HTTP Digest (RFC 7616), MD5 or SHA-256 as Atlas asks.
    /// Atlas for Government requires SHA-256.
    ApiKey {
        public_key: String,
        private_key: SecretString,
    },
    /// Service account: OAuth 2.0 client credentials, tokens cached until near expiry.
    ServiceAccount {
        client_id: String,
        client_secret: SecretString,
    },
}

/// A secret credential string; its `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(pub(crate) Secret);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(Secret::new(value))
    }

    /// The secret itself: only for sending it to Atlas.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        SecretString::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        SecretString::new(value)
    }
}

impl Credentials {
    /// A programmatic API key (HTTP Digest).
    pub fn api_key(public_key: impl Into<String>, private_key: impl Into<SecretString>) -> Self {
        Credentials::ApiKey {
            public_key: public_key.into(),
            private_key: private_key.into(),
        }
    }

    /// A service account (OAuth 2.0 client credentials).
    pub fn service_account(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::ApiKey {
                public_key,
                private_key,
            } => f
                .debug_struct("ApiKey")
                .field("public_key", public_key)
                .field("private_key", private_key)
                .finish(),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => f
                .debug_struct("ServiceAccount")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .finish(),
        }
    }
}
