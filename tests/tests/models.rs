//! Behaviour of generated models: discriminated unions, open enums, ids, round trips.

use atlas_admin::models::{ClusterDescription20240805ClusterType, OrgUserResponse};
use atlas_admin::ObjectId;
use serde_json::{json, Value};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    (decoded, encoded)
}

fn pending(status: &str) -> Value {
    json!({
        "id": "5e2211c17a3e5a48f5497de3",
        "orgMembershipStatus": status,
        "roles": {"orgRoles": ["ORG_MEMBER"]},
        "username": "someone@example.com",
        "invitationCreatedAt": "2026-01-02T03:04:05Z",
        "inviterUsername": "admin@example.com"
    })
}

#[test]
fn pending_statuses_decode_to_the_pending_variant_and_keep_their_value() {
    for status in ["PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED"] {
        let body = pending(status);
        let (user, encoded) = round_trip::<OrgUserResponse>(&body);
        let OrgUserResponse::OrgPendingUserResponse(p) = &user else {
            panic!("{status} decoded as {user:?}");
        };
        assert_eq!(
            p.org_membership_status.as_ref().map(|s| s.as_str()),
            Some(status)
        );
        assert_eq!(encoded, body, "{status} re-encodes to the same JSON");
    }
}

#[test]
fn active_user_decodes_to_the_active_variant() {
    let body = json!({
        "id": "5e2211c17a3e5a48f5497de3",
        "orgMembershipStatus": "ACTIVE",
        "roles": {"orgRoles": ["ORG_OWNER"]},
        "username": "someone@example.com",
        "createdAt": "2026-01-02T03:04:05Z",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "teamIds": ["6a793f532c88faeba59ba0df"]
    });
    let (user, encoded) = round_trip::<OrgUserResponse>(&body);
    let OrgUserResponse::OrgActiveUserResponse(active) = &user else {
        panic!("decoded as {user:?}");
    };
    assert_eq!(active.first_name.as_deref(), Some("Ada"));
    assert_eq!(encoded, body);
}

#[test]
fn unknown_discriminator_is_kept_verbatim() {
    let body = json!({"id": "5e2211c17a3e5a48f5497de3", "orgMembershipStatus": "SUSPENDED", "username": "x"});
    let (user, encoded) = round_trip::<OrgUserResponse>(&body);
    assert!(matches!(user, OrgUserResponse::UnknownValue(_)), "{user:?}");
    assert_eq!(encoded, body);
}

#[test]
fn a_broken_variant_reports_the_field_path() {
    let mut body = pending("PENDING");
    body["invitationCreatedAt"] = json!("not a date");
    let err = serde_json::from_value::<OrgUserResponse>(body)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invitationCreatedAt"), "{err}");
}

#[test]
fn unknown_enum_values_round_trip() {
    let (known, _) = round_trip::<ClusterDescription20240805ClusterType>(&json!("SHARDED"));
    assert_eq!(known, ClusterDescription20240805ClusterType::Sharded);
    let (unknown, encoded) =
        round_trip::<ClusterDescription20240805ClusterType>(&json!("HYPERSHARDED"));
    assert_eq!(
        unknown,
        ClusterDescription20240805ClusterType::UnknownValue("HYPERSHARDED".into())
    );
    assert_eq!(encoded, json!("HYPERSHARDED"));
    assert_eq!(unknown.to_string(), "HYPERSHARDED");
    assert_eq!(
        ClusterDescription20240805ClusterType::VALUES,
        ["REPLICASET", "SHARDED", "GEOSHARDED"]
    );
}

#[test]
fn ids_are_validated_in_models() {
    let bad =
        json!({"id": "not-an-id", "orgMembershipStatus": "ACTIVE", "username": "x", "roles": {}});
    let err = serde_json::from_value::<atlas_admin::models::OrgActiveUserResponse>(bad)
        .unwrap_err()
        .to_string();
    // The error says what was wrong, never the value (it may be a secret).
    assert!(err.contains("expected a 24-hex id"), "{err}");
    assert!(!err.contains("not-an-id"), "{err}");
    let id: ObjectId = "6a793f532c88faeba59ba0df".parse().unwrap();
    assert_eq!(
        serde_json::to_value(id).unwrap(),
        json!("6a793f532c88faeba59ba0df")
    );
}

#[test]
fn response_models_decode_when_atlas_omits_or_nulls_a_required_field() {
    use atlas_admin::models::CloudDatabaseUser;
    // `databaseName` (an enum, no empty value) and `username` (a string) are required by
    // the spec: absence gives `None`, `null` gives the empty string.
    let body = json!({"username": null, "groupId": "5e2211c17a3e5a48f5497de3"});
    let user: CloudDatabaseUser = serde_json::from_value(body).expect("decodes");
    assert_eq!(user.database_name, None);
    assert_eq!(user.username, "");
    // A wrong type is still an error, not silently defaulted.
    let wrong = json!({"username": 42});
    assert!(serde_json::from_value::<CloudDatabaseUser>(wrong).is_err());
}

#[test]
fn an_event_type_only_one_view_allows_picks_that_view() {
    use atlas_admin::models::GroupAlertsConfig;
    // No discriminator in the spec: `eventTypeName` is an implicit one. The body also
    // carries keys of other views, which ranking alone would weigh.
    let body = json!({
        "eventTypeName": "OUTSIDE_METRIC_THRESHOLD",
        "enabled": true,
        "groupId": "5e2211c17a3e5a48f5497de3",
        "matchers": [],
        "notifications": [],
        "threshold": {"operator": "GREATER_THAN", "threshold": 1, "units": "RAW"},
        "metricThreshold": {"metricName": "ASSERT_REGULAR", "operator": "LESS_THAN"}
    });
    let (config, _) = round_trip::<GroupAlertsConfig>(&body);
    assert!(
        matches!(
            config,
            GroupAlertsConfig::HostMetricAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
    let body = json!({"eventTypeName": "OUTSIDE_FLEX_METRIC_THRESHOLD", "enabled": false, "notifications": []});
    let (config, encoded) = round_trip::<GroupAlertsConfig>(&body);
    assert!(
        matches!(
            config,
            GroupAlertsConfig::FlexMetricAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
    assert_eq!(encoded, body);
}

#[test]
fn a_decode_error_inside_a_union_names_the_path_inside_it() {
    use atlas_admin::models::PaginatedOrgUserView;
    use atlas_admin::runtime::{decode, Error, RawResponse};
    let mut user = pending("PENDING");
    user["invitationCreatedAt"] = json!("not a date");
    let body = json!({"results": [pending("PENDING"), user], "totalCount": 2});
    let response = RawResponse::new(200, Default::default(), serde_json::to_vec(&body).unwrap());
    let err = decode::json::<PaginatedOrgUserView>("listOrgUsers", response).unwrap_err();
    let Error::Decode { path, message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "results[1]", "{err}");
    assert!(
        message.starts_with("at `invitationCreatedAt`: "),
        "{message}"
    );
}

#[test]
fn an_unknown_event_type_is_not_taken_by_the_nested_tagged_union() {
    use atlas_admin::models::GroupAlertsConfig;
    // One member of the union is itself a union tagged by `eventTypeName`; it must not
    // take every value no member knows (its unknown-tag variant would accept anything).
    let body = json!({"eventTypeName": "SOMETHING_NEW", "enabled": true, "notifications": []});
    let (config, encoded) = round_trip::<GroupAlertsConfig>(&body);
    assert!(
        !matches!(
            config,
            GroupAlertsConfig::ReplicaSetThresholdAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
    assert_eq!(encoded["eventTypeName"], "SOMETHING_NEW");
    // A value of that nested union still reaches it, by the implicit tag.
    let body = json!({"eventTypeName": "REPLICATION_OPLOG_WINDOW_RUNNING_OUT", "enabled": true, "notifications": []});
    let (config, _) = round_trip::<GroupAlertsConfig>(&body);
    assert!(
        matches!(
            config,
            GroupAlertsConfig::ReplicaSetThresholdAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
}

#[test]
fn mixed_case_id_patterns_use_the_id_type() {
    // `^[a-fA-F0-9]{24}$` (the standby links' ids) is an id like `^([a-f0-9]{24})$`.
    let link: atlas_admin::models::ApiStandbyLinkResponse = serde_json::from_value(json!({
        "activeClusterUniqueId": "5E2211C17A3E5A48F5497DE3",
        "groupId": "5e2211c17a3e5a48f5497de3",
        "standbyClusterUniqueId": "6e2211c17a3e5a48f5497de3",
    }))
    .unwrap();
    let id: Option<ObjectId> = link.active_cluster_unique_id;
    assert_eq!(id.unwrap().to_string(), "5e2211c17a3e5a48f5497de3");
    assert!(
        serde_json::from_value::<atlas_admin::models::ApiStandbyLinkResponse>(
            json!({"groupId": "not-an-id"})
        )
        .is_err()
    );
}

#[test]
fn integer_enums_keep_their_allowed_values() {
    use atlas_admin::models::DiskBackupApiPolicyItemFrequencyInterval as Interval;
    assert_eq!(Interval::VALUES.first(), Some(&1));
    let known: Interval = serde_json::from_value(json!(12)).unwrap();
    assert_eq!(known, Interval::V12);
    assert_eq!(serde_json::to_value(known).unwrap(), json!(12));
    // A value this crate does not know round-trips as a number.
    assert!(!Interval::VALUES.contains(&29));
    let unknown: Interval = serde_json::from_value(json!(29)).unwrap();
    assert_eq!(unknown, Interval::UnknownValue(29));
    assert_eq!(serde_json::to_value(unknown).unwrap(), json!(29));
    assert!(serde_json::from_value::<Interval>(json!("12")).is_err());
}

#[test]
fn bad_request_detail_is_typed_like_the_spec() {
    let body = json!({
        "error": 400, "errorCode": "INVALID_ATTRIBUTE",
        "badRequestDetail": {"fields": [{"description": "must be set", "field": "name"}]},
    });
    let error: atlas_admin::ApiError = serde_json::from_value(body).unwrap();
    let detail = error.bad_request_detail.expect("typed detail");
    assert_eq!(detail.fields[0].field, "name");
    assert_eq!(detail.fields[0].description, "must be set");
    // The runtime mirrors the spec's schemas: every property they declare is a field here.
    let spec = atlas_admin_tests::spec_path(None).unwrap();
    let text = std::fs::read_to_string(&spec).unwrap();
    let doc = atlas_admin_codegen::load::parse_value(&spec.display().to_string(), &text).unwrap();
    let schemas = &doc["components"]["schemas"];
    let props = |name: &str| -> Vec<String> {
        let mut keys: Vec<String> = schemas[name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has properties in the spec"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(props("BadRequestDetail"), ["fields"]);
    assert_eq!(props("FieldViolation"), ["description", "field"]);
    assert_eq!(
        schemas["ApiError"]["properties"]["badRequestDetail"]["$ref"],
        "#/components/schemas/BadRequestDetail"
    );
}

#[test]
fn enums_order_by_wire_value_not_by_declaration() {
    // Declaration order follows the spec, where a new value may land anywhere; the order
    // of the others must not change when it does (semver: no reordering).
    use ClusterDescription20240805ClusterType as T;
    let mut types = [T::Sharded, T::Geosharded, T::Replicaset];
    types.sort();
    let wire: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    let mut sorted = wire.clone();
    sorted.sort_unstable();
    assert_eq!(wire, sorted);
    assert!(T::from("AAA_NEW") < T::Geosharded);
}

#[test]
fn enum_equality_hash_and_order_agree_on_the_wire_value() {
    // `Ord` compares wire values, so `==` and `Hash` must too (`Ord`'s contract): a known
    // value spelled as the catch-all is the same value on the wire.
    use atlas_admin::models::DiskBackupApiPolicyItemFrequencyInterval as Interval;
    use std::hash::BuildHasher;
    use ClusterDescription20240805ClusterType as T;
    let hashes = std::collections::hash_map::RandomState::new();
    let spelled = T::UnknownValue("SHARDED".into());
    assert_eq!(spelled.cmp(&T::Sharded), std::cmp::Ordering::Equal);
    assert_eq!(spelled, T::Sharded);
    assert_eq!(hashes.hash_one(&spelled), hashes.hash_one(T::Sharded));
    assert_ne!(T::from("AAA_NEW"), T::Sharded);
    let number = Interval::UnknownValue(12);
    assert_eq!(number, Interval::V12);
    assert_eq!(hashes.hash_one(number), hashes.hash_one(Interval::V12));
    // Debug shows the wire value, as Atlas sends it.
    assert_eq!(format!("{:?}", T::Sharded), "\"SHARDED\"");
    assert_eq!(format!("{:?}", Interval::V12), "12");
}

/// The document declares `mode: [AVERAGE]` inline in about 190 metric thresholds; each
/// name is kept, as an alias of one shared enum (`emit::sharing`).
#[test]
fn anonymous_enums_with_the_same_values_are_one_type_under_every_name() {
    use atlas_admin::models::{
        ServerlessOpCounterCdmRawMetricThresholdView,
        ServerlessOpCounterCdmRawMetricThresholdViewMode as ServerlessMode,
        TicketsAvailableWritesRawMetricThresholdViewMode as TicketsMode,
    };
    // Compiles only if both names are one type.
    fn same(mode: ServerlessMode) -> TicketsMode {
        mode
    }
    assert_eq!(same(ServerlessMode::Average), TicketsMode::Average);
    assert_eq!(ServerlessMode::VALUES, ["AVERAGE"]);

    let body = json!({"metricName": "SERVERLESS_OPCOUNTER_CMD", "mode": "AVERAGE"});
    let (view, encoded) = round_trip::<ServerlessOpCounterCdmRawMetricThresholdView>(&body);
    assert_eq!(view.mode, Some(TicketsMode::Average));
    assert_eq!(encoded, body);
    let later: TicketsMode = serde_json::from_value(json!("MEDIAN")).unwrap();
    assert_eq!(
        later.as_str(),
        "MEDIAN",
        "an unknown value still round-trips"
    );
}

/// What every member of a union has is read without matching on the members.
#[test]
fn a_union_reads_the_fields_all_its_members_have() {
    let (pending_user, _) = round_trip::<OrgUserResponse>(&pending("PENDING"));
    let active = json!({
        "id": "6a793f532c88faeba59ba0df",
        "orgMembershipStatus": "ACTIVE",
        "roles": {"orgRoles": ["ORG_OWNER"]},
        "username": "ada@example.com"
    });
    let (active_user, _) = round_trip::<OrgUserResponse>(&active);
    let id = |s: &str| s.parse::<ObjectId>().unwrap();
    for (user, name, user_id) in [
        (
            &pending_user,
            "someone@example.com",
            id("5e2211c17a3e5a48f5497de3"),
        ),
        (
            &active_user,
            "ada@example.com",
            id("6a793f532c88faeba59ba0df"),
        ),
    ] {
        assert_eq!(user.username().map(String::as_str), Some(name));
        assert_eq!(user.id(), Some(&user_id));
        assert!(user.roles().is_some());
    }
    let unknown: OrgUserResponse =
        serde_json::from_value(json!({"orgMembershipStatus": "SUSPENDED", "username": "x"}))
            .unwrap();
    assert_eq!(
        unknown.username(),
        None,
        "an unknown member has no known fields"
    );
}
