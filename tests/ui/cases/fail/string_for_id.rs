use atlas_admin::apis::clusters;

fn main() {
    // A plain string is not a validated 24-hex id.
    let _ = clusters::get_group_cluster("5e2211c17a3e5a48f5497de3", "Cluster0");
}
