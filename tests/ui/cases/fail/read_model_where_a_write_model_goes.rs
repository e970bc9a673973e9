//! A read model where a request body goes: the compiler names both forms apart, and
//! says how to get the write form.
use atlas_admin::apis::clusters;
use atlas_admin::models::ClusterDescription20240805;
use atlas_admin::ObjectId;

fn send_back(group: ObjectId, read: ClusterDescription20240805) {
    let _ = clusters::update_group_cluster(group, "c", read);
}

fn main() {}
