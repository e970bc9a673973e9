//! Create a cluster, wait until it is IDLE, delete it and wait until it is gone.
//!
//! `ATLAS_GROUP_ID=.. MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example cluster_lifecycle`

use std::time::Duration;

use atlas_admin::apis::clusters;
use atlas_admin::models::{self, write};
use atlas_admin::runtime::WaitConfig;
use atlas_admin::{Client, Error, ObjectId};

/// An M10 replica set on AWS in `US_EAST_1`. The union member sets `providerName`.
fn m10(name: &str) -> write::ClusterDescription20240805Write {
    let specs = write::AwsHardwareSpec20240805Write::default()
        .instance_size("M10")
        .node_count(3);
    let region = write::AwsRegionConfig20240805Write::default()
        .region_name("US_EAST_1")
        .priority(7)
        .electable_specs(specs);
    let spec = write::ReplicationSpec20240805Write::default().region_configs(vec![region.into()]);
    write::ClusterDescription20240805Write::default()
        .name(name)
        .cluster_type("REPLICASET")
        .replication_specs(vec![spec])
}

/// The state the cluster reached once created; it is deleted again before returning.
pub async fn run(
    client: &Client,
    group: ObjectId,
    name: &str,
    wait: &WaitConfig,
) -> Result<Option<models::ClusterDescription20240805StateName>, Error> {
    let create = clusters::create_group_cluster(group, m10(name));
    let created = create.send(client).await?;
    let idle = create.wait(client, &created, wait).await?;

    let delete = clusters::delete_group_cluster(group, name);
    delete.send(client).await?;
    delete.wait(client, wait).await?;
    Ok(idle.state_name)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let group: ObjectId = std::env::var("ATLAS_GROUP_ID")
        .map_err(|_| Error::Config("set ATLAS_GROUP_ID to a project id".into()))?
        .parse()
        .map_err(|e| Error::Config(format!("ATLAS_GROUP_ID: {e}")))?;
    let wait = WaitConfig::default().timeout(Duration::from_secs(3600));
    let state = run(&client, group, "example-m10", &wait).await?;
    println!("reached {state:?}, then deleted");
    Ok(())
}
