use atlas_admin::models::OrgUserResponse;

fn check(user: OrgUserResponse) -> u8 {
    // Unions are non_exhaustive too: Atlas may add a membership status.
    match user {
        OrgUserResponse::OrgActiveUserResponse(_) => 1,
        OrgUserResponse::OrgPendingUserResponse(_) => 2,
        OrgUserResponse::UnknownValue(_) => 3,
    }
}

fn main() {
    let _ = check;
}
