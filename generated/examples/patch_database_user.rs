//! Change a database user's description and nothing else: the PATCH body holds only the
//! field that was set, `{"description":"..."}`.
//!
//! `ATLAS_GROUP_ID=.. MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example patch_database_user -- alice "reporting, read only"`

use atlas_admin::apis::database_users;
use atlas_admin::models::write;
use atlas_admin::{Client, Error, ObjectId};

/// The description Atlas reports after the update.
pub async fn run(
    client: &Client,
    group: ObjectId,
    username: &str,
    description: &str,
) -> Result<Option<String>, Error> {
    let change = write::CloudDatabaseUserWrite::default().description(description);
    // SCRAM users live in the `admin` authentication database.
    let updated = database_users::update_group_database_user(group, "admin", username, change)
        .send(client)
        .await?;
    Ok(updated.description)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let group: ObjectId = std::env::var("ATLAS_GROUP_ID")
        .map_err(|_| Error::Config("set ATLAS_GROUP_ID to a project id".into()))?
        .parse()
        .map_err(|e| Error::Config(format!("ATLAS_GROUP_ID: {e}")))?;
    let mut args = std::env::args().skip(1);
    let (Some(user), Some(description)) = (args.next(), args.next()) else {
        return Err(Error::Config(
            "usage: patch_database_user USER DESCRIPTION".into(),
        ));
    };
    let now = run(&client, group, &user, &description).await?;
    println!("{user}: {now:?}");
    Ok(())
}
