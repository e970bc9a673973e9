//! Tell apart the errors a caller handles differently: a resource that does not exist
//! (404), a rate limit that outlasted the client's retries (429), and credentials Atlas
//! refuses (401).
//!
//! `ATLAS_GROUP_ID=.. MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example handle_errors -- cluster0`

use std::time::Duration;

use atlas_admin::apis::clusters;
use atlas_admin::{Client, Error, ObjectId};

/// What became of looking a cluster up.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    Found(String),
    /// 404: Atlas's error code says what was missing (`CLUSTER_NOT_FOUND`, ...).
    Missing(Option<String>),
    /// 429 after the client's own retries: try again after this long, if Atlas said.
    RateLimited(Option<Duration>),
    /// 401: the API key or service account is wrong, expired or not allowed here.
    Unauthorized,
}

pub async fn run(client: &Client, group: ObjectId, name: &str) -> Result<Lookup, Error> {
    match clusters::get_group_cluster(group, name).send(client).await {
        Ok(cluster) => Ok(Lookup::Found(
            cluster
                .state_name
                .map(|s| s.to_string())
                .unwrap_or_default(),
        )),
        Err(e) if e.is_not_found() => Ok(Lookup::Missing(e.error_code().map(str::to_owned))),
        Err(e) if e.is_rate_limited() => Ok(Lookup::RateLimited(
            e.metadata().and_then(|m| m.retry_after()),
        )),
        Err(e) if e.is_unauthorized() => Ok(Lookup::Unauthorized),
        // Anything else (a transport failure, a 5xx after retries) goes to the caller.
        Err(e) => Err(e),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let group: ObjectId = std::env::var("ATLAS_GROUP_ID")
        .map_err(|_| Error::Config("set ATLAS_GROUP_ID to a project id".into()))?
        .parse()
        .map_err(|e| Error::Config(format!("ATLAS_GROUP_ID: {e}")))?;
    let name = std::env::args().nth(1).unwrap_or_else(|| "cluster0".into());
    println!("{name}: {:?}", run(&client, group, &name).await?);
    Ok(())
}
