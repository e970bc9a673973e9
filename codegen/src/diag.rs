//! Diagnostics: every construct the generator cannot translate faithfully is reported here
//! with the JSON pointer of the spec node, never dropped silently.

use std::fmt;

/// A warning about a spec construct the generator translated with a documented loss.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer into the spec, e.g. `#/components/schemas/Foo/properties/bar`.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

/// Collected warnings, kept sorted and deduplicated for deterministic output.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    warnings: Vec<Warning>,
}

impl Diagnostics {
    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    pub fn into_sorted(mut self) -> Vec<Warning> {
        self.warnings.sort();
        self.warnings.dedup();
        self.warnings
    }
}

/// A fatal problem with the input: the generator stops and names the place.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// serde_yaml names a line and column, except for whole-document limits (alias
    /// expansion, nesting), which are reported at `#`.
    #[error("{path}: invalid YAML{}: {source}", if source.location().is_none() { " at # (the whole document)" } else { "" })]
    Yaml {
        path: String,
        #[source]
        source: serde_yaml::Error,
    },
    #[error("{path}: not an OpenAPI 3.0 document at {pointer}: {message}")]
    OpenApi {
        path: String,
        pointer: String,
        message: String,
    },
    #[error("{path}: override #{index} ({pointer}): {message}")]
    Override {
        path: String,
        index: usize,
        pointer: String,
        message: String,
    },
    #[error("{path}: overlay action #{index} ({target}): {message}")]
    Overlay {
        path: String,
        index: usize,
        target: String,
        message: String,
    },
    #[error("{pointer}: {message}")]
    Spec { pointer: String, message: String },
    /// Every error normalization found, each with its own pointer.
    #[error("{} errors in the spec:\n{}", .0.len(), list(.0))]
    Many(Vec<Error>),
    #[error("{path}: {message}")]
    Lock { path: String, message: String },
    /// `spec/names.yaml`: a name that is not a Rust type name.
    #[error("{path}: {message}")]
    Names { path: String, message: String },
    /// `spec/government.yaml`: a rule that cannot be read.
    #[error("{path}: {message}")]
    Government { path: String, message: String },
    #[error("generated code for {file} does not parse: {message}")]
    Emit { file: String, message: String },
}

fn list(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// One error as is; several as [`Error::Many`].
    pub fn from_list(mut errors: Vec<Error>) -> Self {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    pub fn spec(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Escape one JSON pointer token (RFC 6901): `~` -> `~0`, `/` -> `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append a token to a pointer.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
