//! Changing the registry: registrations, corrections, status changes and profiles. Bad
//! input comes back as `userErrors` and writes nothing.

use chrono::Datelike;
use entities::{audit_event, specialist, specialist_status_event};
use kakehashi::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::support::{
    TestApp, error_code,
    factories::{after_round, recent_round, register, specialist},
};

const REGISTER: &str = r#"mutation($input: RegisterSpecialistInput!) {
  registerSpecialist(input: $input) {
    specialist { id registrationNumber status familyName version statusHistory { status effectiveOn reason } }
    userErrors { field message code }
  }
}"#;

fn valid_input() -> Value {
    json!({
        "registrationNumber": "011172", "familyName": "山田", "givenName": "太郎",
        "familyNameKana": "ヤマダ", "givenNameKana": "タロウ", "birthYearMonth": "1985-04",
        "email": "taro@example.jp", "phone": "03-1234-5678", "prefecture": "14",
        "employer": "株式会社あおば総研", "employerIndustry": "PROFESSIONAL_AND_TECHNICAL_SERVICES",
        "examPassedYear": recent_round().year() - 1, "examPassedSeason": "AUTUMN",
        "registeredOn": recent_round().to_string(), "disclosure": { "name": true }
    })
}

fn with(mut input: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        input[k] = v.clone();
    }
    input
}

async fn register_as_staff(app: &TestApp, input: Value) -> Value {
    let response = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            REGISTER,
            json!({ "input": input }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["registerSpecialist"].clone()
}

#[tokio::test]
async fn staff_register_a_specialist_with_history_and_audit_in_one_go() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::ProgramStaff);
    let reply = app
        .post_graphql(Some(&token), REGISTER, json!({ "input": valid_input() }))
        .await;
    let request_id = reply.headers["x-request-id"].to_str().unwrap().to_owned();
    let payload = reply.json()["data"]["registerSpecialist"].clone();
    assert_eq!(payload["userErrors"], json!([]));
    let created = &payload["specialist"];
    assert_eq!(created["registrationNumber"], "011172");
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["version"], 1);
    assert_eq!(
        created["statusHistory"],
        json!([{ "status": "ACTIVE", "effectiveOn": recent_round().to_string(), "reason": "registered" }])
    );

    let audit = audit_event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "specialist.register");
    assert_eq!(audit[0].actor_subject, "test-program_staff");
    assert_eq!(audit[0].actor_role, "PROGRAM_STAFF");
    assert_eq!(audit[0].target_id, "011172");
    assert_eq!(audit[0].request_id.as_deref(), Some(request_id.as_str()));
    let history = specialist_status_event::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(history[0].request_id.as_deref(), Some(request_id.as_str()));
}

#[tokio::test]
async fn bad_input_is_reported_field_by_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({ "registrationNumber": "11172" }),
            "registrationNumber",
        ),
        (
            json!({ "registrationNumber": "01117a" }),
            "registrationNumber",
        ),
        (
            json!({ "registeredOn": (recent_round() + chrono::Days::new(1)).to_string() }),
            "registeredOn",
        ),
        (json!({ "prefecture": "48" }), "prefecture"),
        (json!({ "birthYearMonth": "2999-01" }), "birthYearMonth"),
        (json!({ "birthYearMonth": "1985-13" }), "birthYearMonth"),
        (json!({ "familyNameKana": "山田" }), "familyNameKana"),
        (json!({ "email": "not-an-address" }), "email"),
        (
            json!({ "examPassedYear": recent_round().year() + 1 }),
            "examPassedYear",
        ),
        (json!({ "familyName": "  " }), "familyName"),
    ];
    for (change, field) in cases {
        let payload = register_as_staff(&app, with(valid_input(), change.clone())).await;
        assert!(payload["specialist"].is_null(), "{change}");
        let errors = payload["userErrors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{change}: {errors:?}");
        assert_eq!(errors[0]["field"], json!(["input", field]), "{change}");
        assert_eq!(errors[0]["code"], "INVALID");
    }
    // Several problems at once are all reported.
    let payload = register_as_staff(
        &app,
        with(
            valid_input(),
            json!({ "registrationNumber": "x", "prefecture": "00", "email": "@" }),
        ),
    )
    .await;
    assert_eq!(payload["userErrors"].as_array().unwrap().len(), 3);

    assert_eq!(app.count(specialist::Entity).await, 0);
    assert_eq!(app.count(specialist_status_event::Entity).await, 0);
    assert_eq!(app.count(audit_event::Entity).await, 0);
}

#[tokio::test]
async fn a_taken_registration_number_is_a_conflict() {
    let app = TestApp::spawn().await;
    register_as_staff(&app, valid_input()).await;
    let payload = register_as_staff(
        &app,
        with(valid_input(), json!({ "email": "other@example.jp" })),
    )
    .await;
    assert_eq!(
        payload["userErrors"][0],
        json!({
            "field": ["input", "registrationNumber"],
            "message": "registration number 011172 is already taken (numbers are never reused)",
            "code": "CONFLICT"
        })
    );
    assert_eq!(app.count(specialist::Entity).await, 1);
}

const UPDATE: &str = r#"mutation($input: UpdateSpecialistInput!) {
  updateSpecialist(input: $input) {
    specialist { familyName email phone employer employerIndustry version }
    userErrors { field message code }
  }
}"#;

#[tokio::test]
async fn staff_corrections_need_the_current_version() {
    let app = TestApp::spawn().await;
    let created = register_as_staff(&app, valid_input()).await;
    let id = created["specialist"]["id"].clone();
    let token = app.token(Role::Admin);

    let updated = app
        .gql(
            Some(&token),
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": 1, "familyName": "山本", "phone": null, "employer": "独立", "employerIndustry": "INFORMATION_AND_COMMUNICATIONS" } }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateSpecialist"]["specialist"],
        json!({ "familyName": "山本", "email": "taro@example.jp", "phone": null, "employer": "独立", "employerIndustry": "INFORMATION_AND_COMMUNICATIONS", "version": 2 })
    );

    let stale = app
        .gql(
            Some(&token),
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": 1, "familyName": "川田" } }),
        )
        .await;
    let payload = &stale["data"]["updateSpecialist"];
    assert!(payload["specialist"].is_null());
    assert_eq!(payload["userErrors"][0]["code"], "CONFLICT");
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["input", "expectedVersion"])
    );

    let row = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.family_name.as_str(), row.version), ("山本", 2));
    let actions: Vec<String> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["specialist.register", "specialist.update"]);

    // null clears the employer's industry.
    let cleared = app
        .gql(
            Some(&token),
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": 2, "employerIndustry": null } }),
        )
        .await;
    assert_eq!(
        cleared["data"]["updateSpecialist"]["specialist"]["employerIndustry"],
        Value::Null,
        "{cleared}"
    );
    let stored = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.employer_industry, None);
    assert_eq!(stored.version, 3);
}

#[tokio::test]
async fn updates_of_unknown_or_malformed_ids_are_user_errors() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin);
    let unknown =
        kakehashi::graphql::node::encode_id(kakehashi::graphql::node::NodeKind::SPECIALIST, 999);
    let response = app
        .gql(
            Some(&token),
            UPDATE,
            json!({ "input": { "id": unknown, "expectedVersion": 1, "familyName": "x" } }),
        )
        .await;
    assert_eq!(
        response["data"]["updateSpecialist"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    let response = app
        .gql(
            Some(&token),
            UPDATE,
            json!({ "input": { "id": "garbage", "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        response["data"]["updateSpecialist"]["userErrors"][0]["code"],
        "INVALID"
    );
}

const CHANGE_STATUS: &str = r#"mutation($input: ChangeSpecialistStatusInput!) {
  changeSpecialistStatus(input: $input) {
    specialist { status statusSince version statusHistory { status effectiveOn reason recordedBy } }
    statusChange { status effectiveOn }
    userErrors { field message code }
  }
}"#;

#[tokio::test]
async fn status_changes_append_to_a_history_that_is_never_rewritten() {
    let app = TestApp::spawn().await;
    let id = register_as_staff(&app, valid_input()).await["specialist"]["id"].clone();
    let token = app.token(Role::ProgramStaff);
    let change = |status: &str, on: &str, reason: &str| json!({ "input": { "id": id, "status": status, "effectiveOn": on, "reason": reason } });

    let suspended = app
        .gql(
            Some(&token),
            CHANGE_STATUS,
            change("SUSPENDED", &after_round(60), "ministry order"),
        )
        .await;
    let payload = &suspended["data"]["changeSpecialistStatus"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(
        payload["statusChange"],
        json!({ "status": "SUSPENDED", "effectiveOn": after_round(60) })
    );
    assert_eq!(payload["specialist"]["status"], "SUSPENDED");
    assert_eq!(payload["specialist"]["statusSince"], after_round(60));

    let active = app
        .gql(
            Some(&token),
            CHANGE_STATUS,
            change("ACTIVE", &after_round(150), "suspension ended"),
        )
        .await;
    let history = &active["data"]["changeSpecialistStatus"]["specialist"]["statusHistory"];
    assert_eq!(
        history,
        &json!([
            { "status": "ACTIVE", "effectiveOn": recent_round().to_string(), "reason": "registered", "recordedBy": "test-program_staff" },
            { "status": "SUSPENDED", "effectiveOn": after_round(60), "reason": "ministry order", "recordedBy": "test-program_staff" },
            { "status": "ACTIVE", "effectiveOn": after_round(150), "reason": "suspension ended", "recordedBy": "test-program_staff" },
        ])
    );
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("specialist.change_status"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
}

#[tokio::test]
async fn refused_status_changes_write_nothing() {
    let app = TestApp::spawn().await;
    let id = register_as_staff(&app, valid_input()).await["specialist"]["id"].clone();
    let token = app.token(Role::ProgramStaff);
    let change = |status: &str, on: &str, reason: &str| json!({ "input": { "id": id, "status": status, "effectiveOn": on, "reason": reason } });
    let cases = [
        (change("ACTIVE", &after_round(60), "again"), "status"),
        (change("SUSPENDED", "2099-01-01", "future"), "effectiveOn"),
        (
            change("SUSPENDED", "2016-01-01", "before registration"),
            "effectiveOn",
        ),
        (change("SUSPENDED", &after_round(60), " "), "reason"),
    ];
    for (variables, field) in cases {
        let response = app
            .gql(Some(&token), CHANGE_STATUS, variables.clone())
            .await;
        let payload = &response["data"]["changeSpecialistStatus"];
        assert!(payload["specialist"].is_null(), "{variables}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", field]),
            "{variables}"
        );
    }
    // A final status is final.
    let revoked = app
        .gql(
            Some(&token),
            CHANGE_STATUS,
            change("REVOKED", &after_round(60), "revoked"),
        )
        .await;
    assert_eq!(
        revoked["data"]["changeSpecialistStatus"]["userErrors"],
        json!([])
    );
    let back = app
        .gql(
            Some(&token),
            CHANGE_STATUS,
            change("ACTIVE", &after_round(90), "undo"),
        )
        .await;
    assert_eq!(
        back["data"]["changeSpecialistStatus"]["userErrors"][0]["field"],
        json!(["input", "status"])
    );

    assert_eq!(app.count(specialist_status_event::Entity).await, 2);
    let row = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.status,
        entities::enums::registry::SpecialistStatus::Revoked
    );
}

#[tokio::test]
async fn a_stale_expected_version_stops_a_status_change() {
    let app = TestApp::spawn().await;
    let id = register_as_staff(&app, valid_input()).await["specialist"]["id"].clone();
    let response = app
        .gql(
            Some(&app.token(Role::Admin)),
            CHANGE_STATUS,
            json!({ "input": { "id": id, "status": "SUSPENDED", "effectiveOn": after_round(60), "reason": "x", "expectedVersion": 7 } }),
        )
        .await;
    assert_eq!(
        response["data"]["changeSpecialistStatus"]["userErrors"][0]["code"],
        "CONFLICT"
    );
    assert_eq!(app.count(specialist_status_event::Entity).await, 1);
}

const MY_PROFILE: &str = r#"mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    specialist { registrationNumber email employer prefecture { code } version disclosure { name kana employer prefecture birthYearMonth } }
    userErrors { field message code }
  }
}"#;

#[tokio::test]
async fn specialists_edit_their_own_contact_details_and_consents() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    register(&app.db, specialist("000002")).await;
    let token = app.specialist_token("000002");

    let response = app
        .gql(
            Some(&token),
            MY_PROFILE,
            json!({ "input": {
                "expectedVersion": 1, "email": "new@example.jp", "employer": null, "prefecture": "27",
                "disclosure": { "name": true, "prefecture": true }
            }}),
        )
        .await;
    let payload = &response["data"]["updateMyProfile"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(
        payload["specialist"],
        json!({
            "registrationNumber": "000002", "email": "new@example.jp", "employer": null,
            "prefecture": { "code": "27" }, "version": 2,
            "disclosure": { "name": true, "kana": false, "employer": false, "prefecture": true, "birthYearMonth": false }
        })
    );

    // The change shows in the public registry at once.
    let public = app
        .gql(None, r#"{ specialist(registrationNumber: "000002") { familyName prefecture { code } email } }"#, json!({}))
        .await;
    assert_eq!(
        public["data"]["specialist"],
        json!({ "familyName": "山田", "prefecture": { "code": "27" }, "email": null })
    );

    // Nobody else's record changed.
    let other = specialist::Entity::find()
        .filter(specialist::Column::RegistrationNumber.eq("000001"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((other.version, other.disclose_name), (1, false));
}

#[tokio::test]
async fn invalid_profile_changes_write_nothing() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    let token = app.specialist_token("000001");
    let response = app
        .gql(
            Some(&token),
            MY_PROFILE,
            json!({ "input": { "expectedVersion": 1, "email": "nope", "prefecture": "99", "disclosure": { "name": true } } }),
        )
        .await;
    let errors = response["data"]["updateMyProfile"]["userErrors"]
        .as_array()
        .unwrap();
    let fields: Vec<&Value> = errors.iter().map(|e| &e["field"]).collect();
    assert_eq!(
        fields,
        [&json!(["input", "email"]), &json!(["input", "prefecture"])]
    );
    let row = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.version, row.disclose_name), (1, false));
    assert_eq!(
        app.count(audit_event::Entity).await,
        1,
        "only the registration is audited"
    );
}

#[tokio::test]
async fn anonymous_callers_cannot_change_anything() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(None, REGISTER, json!({ "input": valid_input() }))
        .await;
    assert_eq!(error_code(&response), "UNAUTHENTICATED");
    assert_eq!(app.count(specialist::Entity).await, 0);
}

#[tokio::test]
async fn concurrent_updates_of_one_version_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let id = register_as_staff(&app, valid_input()).await["specialist"]["id"].clone();
    let token = app.token(Role::Admin);
    let attempts = (0..8).map(|i| {
        let (app, token, id) = (&app, token.clone(), id.clone());
        async move {
            let variables = json!({ "input": { "id": id, "expectedVersion": 1, "email": format!("n{i}@example.jp") } });
            app.gql(Some(&token), UPDATE, variables).await
        }
    });
    let responses = futures_util::future::join_all(attempts).await;
    let mut outcomes: Vec<String> = responses
        .iter()
        .map(|r| {
            assert!(r["errors"].is_null(), "no request-level error: {r}");
            match r["data"]["updateSpecialist"]["userErrors"][0]["code"].as_str() {
                None => "OK".to_owned(),
                Some(code) => code.to_owned(),
            }
        })
        .collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        ["CONFLICT"; 7]
            .iter()
            .map(|s| s.to_string())
            .chain(["OK".to_string()])
            .collect::<Vec<_>>()
    );
    let row = specialist::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, 2);
}
