use atlas_admin::apis::{clusters, mongodb_cloud_users};
use atlas_admin::models::{ClusterDescription20240805ClusterType, OrgUserResponse};
use atlas_admin::runtime::Operation;
use atlas_admin::ObjectId;

fn main() {
    let group: ObjectId = "5e2211c17a3e5a48f5497de3".parse().unwrap();
    let _ = clusters::get_group_cluster(group, "Cluster0").to_request();
    let _ = clusters::get_group_cluster_2023_02_01(group, String::from("c")).to_request();
    let _ = mongodb_cloud_users::get_org_user(group, group).to_request();

    let kind = ClusterDescription20240805ClusterType::from("SHARDED");
    let _label = match kind {
        ClusterDescription20240805ClusterType::Replicaset => "replica set",
        ClusterDescription20240805ClusterType::Sharded => "sharded",
        _ => "other",
    };
    let user: Option<OrgUserResponse> = None;
    if let Some(user) = user {
        match user {
            OrgUserResponse::OrgActiveUserResponse(active) => drop(active),
            OrgUserResponse::OrgPendingUserResponse(pending) => drop(pending),
            _ => {}
        }
    }
}
