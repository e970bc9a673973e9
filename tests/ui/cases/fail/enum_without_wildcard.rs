use atlas_admin::models::ClusterDescription20240805ClusterType;

fn main() {
    let kind = ClusterDescription20240805ClusterType::from("SHARDED");
    // Enums are non_exhaustive: a future API value must not break this match.
    let _ = match kind {
        ClusterDescription20240805ClusterType::Replicaset => 1,
        ClusterDescription20240805ClusterType::Sharded => 2,
        ClusterDescription20240805ClusterType::Geosharded => 3,
        ClusterDescription20240805ClusterType::UnknownValue(_) => 4,
    };
}
