//! Download a host's `mongod` log to a file, streamed: memory stays flat however large the
//! archive, and the file is either complete or absent.
//!
//! `ATLAS_GROUP_ID=.. MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example download_log -- cluster0-shard-00-00.abcde.mongodb.net mongodb.log.gz`

use std::path::Path;

use atlas_admin::apis::monitoring_and_logs;
use atlas_admin::models::DownloadGroupClusterLogLogName;
use atlas_admin::{Client, Error, ObjectId};

/// The number of bytes written to `path`.
pub async fn run(client: &Client, group: ObjectId, host: &str, path: &Path) -> Result<u64, Error> {
    monitoring_and_logs::download_group_cluster_log(
        group,
        host,
        DownloadGroupClusterLogLogName::Mongodb,
    )
    .download_to(client, path)
    .await
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let group: ObjectId = std::env::var("ATLAS_GROUP_ID")
        .map_err(|_| Error::Config("set ATLAS_GROUP_ID to a project id".into()))?
        .parse()
        .map_err(|e| Error::Config(format!("ATLAS_GROUP_ID: {e}")))?;
    let mut args = std::env::args().skip(1);
    let (Some(host), Some(path)) = (args.next(), args.next()) else {
        return Err(Error::Config("usage: download_log HOST FILE".into()));
    };
    let bytes = run(&client, group, &host, Path::new(&path)).await?;
    println!("{bytes} bytes written to {path}");
    Ok(())
}
