//! The documented ways of building models from a downstream crate.
use atlas_admin::apis::{clusters, database_users};
use atlas_admin::models::{self, write};
use atlas_admin::{Nullable, ObjectId};

fn main() {
    let group: ObjectId = "5e2211c17a3e5a48f5497de3".parse().unwrap();
    // A write model: default, then setters.
    let user = write::CloudDatabaseUserWrite::default()
        .description("new text")
        .roles(vec![write::DatabaseUserRoleWrite::default().database_name("admin")]);
    let _ = database_users::update_group_database_user(group, "admin", "alice", user);
    // Fields stay public: assign them, including an explicit null.
    let mut patch = write::ClusterDescription20240805Write::default();
    patch.adaptive_capacity = Nullable::Null;
    patch.name = Some("Cluster0".into());
    let _ = clusters::update_group_cluster(group, "Cluster0", patch);
    // A union from its variant.
    let region: write::CloudRegionConfig20240805Write =
        write::AwsRegionConfig20240805Write::default().priority(7).into();
    let _ = region;
    // A read model (for a mock response): default, then assign.
    let mut cluster = models::ClusterDescription20240805::default();
    cluster.name = Some("Cluster0".into());
    let _ = cluster.name;
}
