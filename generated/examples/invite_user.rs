//! Invite a user to an organization and branch on what Atlas answers: an invitation
//! still pending, or a user who is already an active member.
//!
//! `ATLAS_ORG_ID=.. ATLAS_INVITEE=alice@example.com MONGODB_ATLAS_CLIENT_ID=.. MONGODB_ATLAS_CLIENT_SECRET=.. cargo run --example invite_user`

use atlas_admin::apis::mongodb_cloud_users;
use atlas_admin::models::{write, OrgUserResponse, OrgUserRolesRequestOrgRolesItem};
use atlas_admin::{Client, Error, ObjectId};

/// What the invitation led to.
#[derive(Debug, PartialEq)]
pub enum Membership {
    /// Atlas e-mailed an invitation; it expires at this time (RFC 3339).
    Pending { expires: Option<String> },
    /// The user was already a member and now has the role.
    Active { name: Option<String> },
    /// A membership status this version of the crate does not know.
    Other,
}

pub async fn run(client: &Client, org: ObjectId, email: &str) -> Result<Membership, Error> {
    let roles = write::OrgUserRolesRequestWrite::default()
        .org_roles(vec![OrgUserRolesRequestOrgRolesItem::OrgMember]);
    let invite = write::OrgUserRequestWrite::default()
        .username(email)
        .roles(roles);
    let answer = mongodb_cloud_users::create_org_user(org, invite)
        .send(client)
        .await?;
    // `orgMembershipStatus` chose the variant when the response was decoded.
    Ok(match answer {
        OrgUserResponse::OrgPendingUserResponse(pending) => Membership::Pending {
            expires: pending.invitation_expires_at.map(|t| t.to_rfc3339()),
        },
        OrgUserResponse::OrgActiveUserResponse(active) => {
            let name = match (active.first_name, active.last_name) {
                (Some(first), Some(last)) => Some(format!("{first} {last}")),
                (first, last) => first.or(last),
            };
            Membership::Active { name }
        }
        _ => Membership::Other,
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let var = |name: &str| std::env::var(name).map_err(|_| Error::Config(format!("set {name}")));
    let org: ObjectId = var("ATLAS_ORG_ID")?
        .parse()
        .map_err(|e| Error::Config(format!("ATLAS_ORG_ID: {e}")))?;
    match run(&client, org, &var("ATLAS_INVITEE")?).await? {
        Membership::Pending { expires } => println!("invitation sent, expires {expires:?}"),
        Membership::Active { name } => println!("{name:?} is already a member"),
        Membership::Other => {
            println!("Atlas answered a membership status this crate does not know")
        }
    }
    Ok(())
}
