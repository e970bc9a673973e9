//! Every project the credentials can see, and each project's clusters, across all pages.
//!
//! `MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example list_projects_and_clusters`

use atlas_admin::apis::{clusters, projects};
use atlas_admin::{Client, Error};
use futures_util::TryStreamExt as _;

/// Project names, each with its cluster names, in the order Atlas lists them.
pub async fn run(client: &Client) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut inventory = Vec::new();
    let mut groups = projects::list_groups().paginate(client, 500);
    while let Some(group) = groups.try_next().await? {
        let Some(id) = group.id else { continue };
        let names: Vec<String> = clusters::list_group_clusters(id)
            .paginate(client, 500)
            .map_ok(|cluster| cluster.name.unwrap_or_default())
            .try_collect()
            .await?;
        inventory.push((group.name, names));
    }
    Ok(inventory)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    for (project, clusters) in run(&client).await? {
        println!("{project}: {}", clusters.join(", "));
    }
    Ok(())
}
