//! The downstream crate of `cargo xtask bench`: five API areas, about ten operations,
//! written the way an automation crate uses atlas-admin (reads, a write with a waiter, a
//! PATCH, a streamed download, pagination). The bench times its cold build and the
//! rebuild after a one-line edit of this file; it is never run.

use std::path::Path;

use atlas_admin::apis::{
    clusters, database_users, mongodb_cloud_users, monitoring_and_logs, projects,
};
use atlas_admin::models::{write, DownloadGroupClusterLogLogName, OrgUserResponse};
use atlas_admin::runtime::WaitConfig;
use atlas_admin::{Client, Error, ObjectId};
use futures_util::TryStreamExt as _;

/// The line the bench edits between builds.
pub const EDITED: u32 = 0;

/// Project names and their cluster names, across all pages.
pub async fn inventory(client: &Client) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut out = Vec::new();
    let mut groups = projects::list_groups().paginate(client, 500);
    while let Some(group) = groups.try_next().await? {
        let Some(id) = group.id else { continue };
        let names = clusters::list_group_clusters(id)
            .paginate(client, 500)
            .map_ok(|c| c.name.unwrap_or_default())
            .try_collect()
            .await?;
        out.push((group.name, names));
    }
    Ok(out)
}

/// One project's name.
pub async fn project_name(client: &Client, group: ObjectId) -> Result<String, Error> {
    Ok(projects::get_group(group).send(client).await?.name)
}

/// Create an M10 replica set, wait until it is ready, then delete it and wait again.
pub async fn cluster_round_trip(client: &Client, group: ObjectId, name: &str) -> Result<(), Error> {
    let specs = write::AwsHardwareSpec20240805Write::default()
        .instance_size("M10")
        .node_count(3);
    let region = write::AwsRegionConfig20240805Write::default()
        .region_name("US_EAST_1")
        .priority(7)
        .electable_specs(specs);
    let spec = write::ReplicationSpec20240805Write::default().region_configs(vec![region.into()]);
    let body = write::ClusterDescription20240805Write::default()
        .name(name)
        .cluster_type("REPLICASET")
        .replication_specs(vec![spec]);
    let wait = WaitConfig::default();
    let create = clusters::create_group_cluster(group, body);
    let created = create.send(client).await?;
    create.wait(client, &created, &wait).await?;
    let state = clusters::get_group_cluster(group, name)
        .send(client)
        .await?;
    let _ = state.state_name;
    let delete = clusters::delete_group_cluster(group, name);
    delete.send(client).await?;
    delete.wait(client, &wait).await
}

/// Database users' names, and a PATCH of one description.
pub async fn database_user_description(
    client: &Client,
    group: ObjectId,
    user: &str,
    description: &str,
) -> Result<Vec<String>, Error> {
    let change = write::CloudDatabaseUserWrite::default().description(description);
    database_users::update_group_database_user(group, "admin", user, change)
        .send(client)
        .await?;
    database_users::list_group_database_users(group)
        .paginate(client, 100)
        .map_ok(|u| u.username)
        .try_collect()
        .await
}

/// The organization's users' names, active members and pending invitations alike.
pub async fn org_users(client: &Client, org: ObjectId) -> Result<Vec<String>, Error> {
    mongodb_cloud_users::list_org_users(org)
        .paginate(client, 100)
        .try_filter_map(|user| async move {
            Ok(match user {
                OrgUserResponse::OrgActiveUserResponse(active) => active.username,
                OrgUserResponse::OrgPendingUserResponse(pending) => pending.username,
                _ => None,
            })
        })
        .try_collect()
        .await
}

/// Every process's host name, and one host's log streamed to a file.
pub async fn logs(client: &Client, group: ObjectId, path: &Path) -> Result<Vec<String>, Error> {
    let hosts: Vec<String> = monitoring_and_logs::list_group_processes(group)
        .paginate(client, 100)
        .map_ok(|p| p.hostname.unwrap_or_default())
        .try_collect()
        .await?;
    if let Some(host) = hosts.first() {
        monitoring_and_logs::download_group_cluster_log(
            group,
            host,
            DownloadGroupClusterLogLogName::Mongodb,
        )
        .download_to(client, path)
        .await?;
    }
    Ok(hosts)
}
