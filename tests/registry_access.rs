//! Who sees what of a specialist, and who may change the registry: the public-registry
//! rules and a role × operation matrix.

use chrono::Datelike;
use kakehashi::domain::{
    Role,
    registry::{commands::NewSpecialist, types::SpecialistStatus, views::Disclosure},
};
use serde_json::{Value, json};

use crate::support::{
    TestApp, error_code,
    factories::{after_round, all_disclosed, recent_round, register, set_status, specialist},
};

const FULL: &str = r#"query($n: String!) { specialist(registrationNumber: $n) {
  registrationNumber registeredOn examPassedYear examPassedSeason status
  familyName givenName familyNameKana givenNameKana birthYearMonth employer
  prefecture { code nameEn } email phone version
  disclosure { name kana birthYearMonth employer prefecture }
  statusHistory { status effectiveOn }
} }"#;

async fn read(app: &TestApp, token: Option<&str>, number: &str) -> Value {
    let response = app.gql(token, FULL, json!({ "n": number })).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["specialist"].clone()
}

const PRIVATE_FIELDS: [&str; 6] = [
    "email",
    "phone",
    "version",
    "disclosure",
    "statusHistory",
    "birthYearMonth",
];

#[tokio::test]
async fn anonymous_caller_sees_only_public_registry_fields() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;

    let seen = read(&app, None, "000001").await;
    assert_eq!(seen["registrationNumber"], "000001");
    assert_eq!(seen["registeredOn"], recent_round().to_string());
    assert_eq!(seen["examPassedYear"], recent_round().year() - 1);
    assert_eq!(seen["examPassedSeason"], "AUTUMN");
    for withheld in [
        "familyName",
        "givenName",
        "familyNameKana",
        "givenNameKana",
        "employer",
        "prefecture",
    ] {
        assert!(
            seen[withheld].is_null(),
            "{withheld} must be withheld without consent: {seen}"
        );
    }
    for private in PRIVATE_FIELDS {
        assert!(seen[private].is_null(), "{private} is private: {seen}");
    }
}

#[tokio::test]
async fn consented_fields_are_public_and_contact_details_never_are() {
    let app = TestApp::spawn().await;
    register(
        &app.db,
        NewSpecialist {
            disclosure: all_disclosed(),
            ..specialist("000001")
        },
    )
    .await;

    for token in [
        None,
        Some(app.token(Role::PartnerService)),
        Some(app.token(Role::SupportOrgStaff)),
    ] {
        let seen = read(&app, token.as_deref(), "000001").await;
        assert_eq!(seen["familyName"], "山田");
        assert_eq!(seen["givenNameKana"], "ハナコ");
        assert_eq!(seen["birthYearMonth"], "1988-07");
        assert_eq!(seen["employer"], "株式会社みなと情報システム");
        assert_eq!(
            seen["prefecture"],
            json!({ "code": "13", "nameEn": "Tokyo" })
        );
        for private in ["email", "phone", "version", "disclosure", "statusHistory"] {
            assert!(seen[private].is_null(), "{private} is private: {seen}");
        }
    }
}

#[tokio::test]
async fn consent_is_per_field() {
    let app = TestApp::spawn().await;
    let disclosure = Disclosure {
        kana: true,
        prefecture: true,
        ..Disclosure::default()
    };
    register(
        &app.db,
        NewSpecialist {
            disclosure,
            ..specialist("000001")
        },
    )
    .await;
    let seen = read(&app, None, "000001").await;
    assert!(seen["familyName"].is_null());
    assert_eq!(seen["familyNameKana"], "ヤマダ");
    assert_eq!(seen["prefecture"]["code"], "13");
    assert!(seen["employer"].is_null());
}

#[tokio::test]
async fn staff_see_everything() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    for role in [Role::Admin, Role::ProgramStaff] {
        let seen = read(&app, Some(&app.token(role)), "000001").await;
        assert_eq!(seen["familyName"], "山田");
        assert_eq!(seen["email"], "riss000001@example.jp");
        assert_eq!(seen["version"], 1);
        assert_eq!(seen["disclosure"]["name"], false);
        assert_eq!(
            seen["statusHistory"],
            json!([{ "status": "ACTIVE", "effectiveOn": recent_round().to_string() }])
        );
    }
}

#[tokio::test]
async fn a_specialist_sees_all_of_their_own_record_and_only_public_fields_of_others() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    register(&app.db, specialist("000002")).await;
    let token = app.specialist_token("000001");

    let own = read(&app, Some(&token), "000001").await;
    assert_eq!(own["email"], "riss000001@example.jp");
    assert_eq!(own["familyName"], "山田");

    let other = read(&app, Some(&token), "000002").await;
    assert!(other["email"].is_null());
    assert!(other["familyName"].is_null());

    let viewer = app
        .gql(
            Some(&token),
            "{ viewer { specialist { registrationNumber email } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        viewer["data"]["viewer"]["specialist"],
        json!({ "registrationNumber": "000001", "email": "riss000001@example.jp" })
    );
}

#[tokio::test]
async fn registrations_no_longer_active_leave_the_public_registry() {
    let app = TestApp::spawn().await;
    let id = register(
        &app.db,
        NewSpecialist {
            disclosure: all_disclosed(),
            ..specialist("000001")
        },
    )
    .await;
    set_status(
        &app.db,
        id,
        SpecialistStatus::Lapsed,
        recent_round() + chrono::Days::new(30),
    )
    .await;

    assert!(read(&app, None, "000001").await.is_null());
    let listed = app
        .gql(None, "{ specialists { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["data"]["specialists"]["totalCount"], 0);

    let staff = read(&app, Some(&app.token(Role::ProgramStaff)), "000001").await;
    assert_eq!(staff["status"], "LAPSED");
    let own = read(&app, Some(&app.specialist_token("000001")), "000001").await;
    assert_eq!(own["status"], "LAPSED");
}

#[tokio::test]
async fn analysts_never_read_a_person() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    let token = app.token(Role::Analyst);
    for query in [
        r#"{ specialist(registrationNumber: "000001") { registrationNumber } }"#,
        "{ specialists { totalCount } }",
    ] {
        let response = app.gql(Some(&token), query, json!({})).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{query}");
    }
}

#[tokio::test]
async fn public_filters_never_reveal_withheld_values() {
    let app = TestApp::spawn().await;
    // Same name, one published and one not; same prefecture, one published and one not.
    register(
        &app.db,
        NewSpecialist {
            disclosure: all_disclosed(),
            ..specialist("000001")
        },
    )
    .await;
    register(&app.db, specialist("000002")).await;
    let numbers = |response: &Value| -> Vec<String> {
        response["data"]["specialists"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["registrationNumber"].as_str().unwrap().to_owned())
            .collect()
    };
    let by_name = r#"{ specialists(filter: { nameContains: "山田" }) { edges { node { registrationNumber } } } }"#;
    let by_prefecture = r#"{ specialists(filter: { prefectures: ["13"] }) { edges { node { registrationNumber } } } }"#;
    for query in [by_name, by_prefecture] {
        assert_eq!(
            numbers(&app.gql(None, query, json!({})).await),
            ["000001"],
            "{query}"
        );
        let staff = app
            .gql(Some(&app.token(Role::ProgramStaff)), query, json!({}))
            .await;
        assert_eq!(numbers(&staff), ["000001", "000002"], "{query}");
        let own = app
            .gql(Some(&app.specialist_token("000002")), query, json!({}))
            .await;
        assert_eq!(numbers(&own), ["000001", "000002"], "{query}");
    }
    let by_kana_order = app
        .gql(
            None,
            "{ specialists(orderBy: { field: NAME_KANA }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&by_kana_order), "FORBIDDEN");
}

/// What an operation did for a role.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Outcome {
    Allowed,
    Forbidden,
    Unauthenticated,
}

fn outcome(response: &Value, payload: &str) -> Outcome {
    match response["errors"][0]["extensions"]["code"].as_str() {
        Some("FORBIDDEN") => Outcome::Forbidden,
        Some("UNAUTHENTICATED") => Outcome::Unauthenticated,
        Some(other) => panic!("unexpected error {other}: {response}"),
        None => {
            let errors = &response["data"][payload]["userErrors"];
            assert_eq!(errors, &json!([]), "{response}");
            Outcome::Allowed
        }
    }
}

/// The registry's callers: anonymous, then every role, each with its name and token.
fn callers(app: &TestApp) -> Vec<(String, Option<String>)> {
    let mut callers: Vec<(String, Option<String>)> = vec![("ANONYMOUS".into(), None)];
    for role in Role::ALL {
        callers.push((role.as_str().into(), Some(app.token(role))));
    }
    callers
}

/// The outcome of an operation for registry staff alone.
fn staff_only(caller: &str) -> Outcome {
    match caller {
        "ANONYMOUS" => Outcome::Unauthenticated,
        "ADMIN" | "PROGRAM_STAFF" => Outcome::Allowed,
        _ => Outcome::Forbidden,
    }
}

/// The outcome of an operation for the specialist alone.
fn specialist_only(caller: &str) -> Outcome {
    match caller {
        "ANONYMOUS" => Outcome::Unauthenticated,
        "SPECIALIST" => Outcome::Allowed,
        _ => Outcome::Forbidden,
    }
}

/// The current version of 000001, as an administrator reads it.
async fn version_of_000001(app: &TestApp) -> Value {
    app.gql(
        Some(&app.token(Role::Admin)),
        r#"{ specialist(registrationNumber: "000001") { version } }"#,
        json!({}),
    )
    .await["data"]["specialist"]["version"]
        .clone()
}

/// Registers specialist `number` as the caller of `token`.
async fn try_register(app: &TestApp, token: Option<&str>, number: u32) -> Outcome {
    let register = app
        .gql(
            token,
            "mutation($i: RegisterSpecialistInput!) { registerSpecialist(input: $i) { userErrors { message } } }",
            json!({ "i": {
                "registrationNumber": format!("{number:06}"), "familyName": "佐藤", "givenName": "翔",
                "familyNameKana": "サトウ", "givenNameKana": "ショウ", "birthYearMonth": "1990-01",
                "email": "s@example.jp", "prefecture": "01", "examPassedYear": recent_round().year() - 1,
                "examPassedSeason": "SPRING", "registeredOn": recent_round().to_string()
            }}),
        )
        .await;
    outcome(&register, "registerSpecialist")
}

/// Corrects the email of `id` (000001) as `caller`.
async fn try_update(app: &TestApp, caller: &str, token: Option<&str>, id: &Value) -> Outcome {
    let version = version_of_000001(app).await;
    let update = app
        .gql(
            token,
            "mutation($i: UpdateSpecialistInput!) { updateSpecialist(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": id, "expectedVersion": version, "email": format!("{caller}@example.jp").to_lowercase() } }),
        )
        .await;
    outcome(&update, "updateSpecialist")
}

/// Moves `id` to `status` as the caller of `token`.
async fn try_change_status(
    app: &TestApp,
    token: Option<&str>,
    id: &Value,
    status: &str,
) -> Outcome {
    let change = app
        .gql(
            token,
            "mutation($i: ChangeSpecialistStatusInput!) { changeSpecialistStatus(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": id, "status": status, "effectiveOn": after_round(30), "reason": "matrix" } }),
        )
        .await;
    outcome(&change, "changeSpecialistStatus")
}

/// Changes the consents of the caller's own record (000001 for a specialist's token).
async fn try_update_my_profile(app: &TestApp, token: Option<&str>) -> Outcome {
    let version = version_of_000001(app).await;
    let profile = app
        .gql(
            token,
            "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { userErrors { message } } }",
            json!({ "i": { "expectedVersion": version, "disclosure": { "kana": true } } }),
        )
        .await;
    outcome(&profile, "updateMyProfile")
}

#[tokio::test]
async fn registry_mutations_follow_the_role_matrix() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    let id = app
        .gql(
            Some(&app.token(Role::Admin)),
            r#"{ specialist(registrationNumber: "000001") { id } }"#,
            json!({}),
        )
        .await["data"]["specialist"]["id"]
        .clone();
    let admin = app.token(Role::Admin);
    for (i, (caller, token)) in callers(&app).iter().enumerate() {
        let token = token.as_deref();
        assert_eq!(
            try_register(&app, token, 101 + i as u32).await,
            staff_only(caller),
            "registerSpecialist as {caller}"
        );
        assert_eq!(
            try_update(&app, caller, token, &id).await,
            staff_only(caller),
            "updateSpecialist as {caller}"
        );
        let suspended = try_change_status(&app, token, &id, "SUSPENDED").await;
        assert_eq!(
            suspended,
            staff_only(caller),
            "changeSpecialistStatus as {caller}"
        );
        if suspended == Outcome::Allowed {
            // Put it back so the next caller starts from the same state.
            let restore = try_change_status(&app, Some(&admin), &id, "ACTIVE").await;
            assert_eq!(restore, Outcome::Allowed);
        }
        assert_eq!(
            try_update_my_profile(&app, token).await,
            specialist_only(caller),
            "updateMyProfile as {caller}"
        );
    }
}

#[tokio::test]
async fn registry_queries_follow_the_role_matrix() {
    let app = TestApp::spawn().await;
    register(&app.db, specialist("000001")).await;
    for role in Role::ALL {
        let token = app.token(role);
        let response = app
            .gql(
                Some(&token),
                r#"{ specialist(registrationNumber: "000001") { registrationNumber email } }"#,
                json!({}),
            )
            .await;
        let expected_email = match role {
            Role::Admin | Role::ProgramStaff => json!("riss000001@example.jp"),
            // The test token of a specialist names 000001: their own record.
            Role::Specialist => json!("riss000001@example.jp"),
            _ => Value::Null,
        };
        if role == Role::Analyst {
            assert_eq!(error_code(&response), "FORBIDDEN");
        } else {
            assert_eq!(
                response["data"]["specialist"]["registrationNumber"], "000001",
                "{role}"
            );
            assert_eq!(
                response["data"]["specialist"]["email"], expected_email,
                "{role}"
            );
        }
    }
}

#[tokio::test]
async fn the_public_and_the_staff_view_of_one_specialist() {
    let app = TestApp::spawn().await;
    let disclosure = Disclosure {
        name: true,
        prefecture: true,
        ..Disclosure::default()
    };
    register(
        &app.db,
        NewSpecialist {
            disclosure,
            ..specialist("000001")
        },
    )
    .await;
    let query = r#"{ specialist(registrationNumber: "000001") {
      id registrationNumber registeredOn examPassedYear examPassedSeason status statusSince
      familyName givenName familyNameKana givenNameKana birthYearMonth employer
      prefecture { code nameJa nameEn region } email phone version createdAt updatedAt
      disclosure { name kana birthYearMonth employer prefecture }
      statusHistory { status effectiveOn reason recordedAt recordedBy }
    } }"#;
    // The dates follow the latest registration round.
    let round = recent_round().to_string();
    let mut public = app.gql(None, query, json!({})).await;
    assert_eq!(public["data"]["specialist"]["registeredOn"], round);
    // What the read cost is another test's concern (cost.rs).
    public.as_object_mut().unwrap().remove("extensions");
    insta::assert_json_snapshot!("public_view", public, {
        ".data.specialist.id" => "[id]",
        ".data.specialist.registeredOn" => "[round]",
        ".data.specialist.statusSince" => "[round]",
        ".data.specialist.examPassedYear" => "[year before the round]",
    });
    let mut staff = app
        .gql(Some(&app.token(Role::ProgramStaff)), query, json!({}))
        .await;
    staff.as_object_mut().unwrap().remove("extensions");
    insta::assert_json_snapshot!("staff_view", staff, {
        ".data.specialist.id" => "[id]",
        ".data.specialist.createdAt" => "[instant]",
        ".data.specialist.updatedAt" => "[instant]",
        ".data.specialist.statusHistory[].recordedAt" => "[instant]",
        ".data.specialist.registeredOn" => "[round]",
        ".data.specialist.statusSince" => "[round]",
        ".data.specialist.examPassedYear" => "[year before the round]",
        ".data.specialist.statusHistory[].effectiveOn" => "[round]",
    });
    assert_eq!(staff["data"]["specialist"]["statusSince"], round);
}
