//! Models are not exhaustively constructible: a field Atlas adds must not break this crate.
use atlas_admin::models::{write, ClusterDescription20240805};

fn main() {
    let _ = write::CloudDatabaseUserWrite {
        description: Some("new text".into()),
        ..Default::default()
    };
    let _ = ClusterDescription20240805 {
        name: Some("Cluster0".into()),
        ..Default::default()
    };
}
