//! Security Camp fixtures through the API: programs, cohorts moved through their states,
//! personal details, applications, decisions and graduates.

use chrono::Duration;
use kakehashi::domain::{Role, calendar::japan_today};
use serde_json::{Value, json};

use crate::support::TestApp;

/// The day `offset` days from today in Japan, as the API writes it.
pub fn day(offset: i64) -> String {
    (japan_today() + Duration::days(offset)).to_string()
}

/// The global ID of the program of this kind.
pub async fn program_id(app: &TestApp, kind: &str) -> String {
    let response = app
        .gql(None, "{ campPrograms { id kind } }", json!({}))
        .await;
    response["data"]["campPrograms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} program in {response}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub const CREATE_COHORT: &str = r#"mutation($input: CreateCampCohortInput!) {
  createCampCohort(input: $input) {
    cohort { id status fiscalYear version tracks { id name capacity } }
    userErrors { field message code } } }"#;

pub const ADVANCE: &str = r#"mutation($input: AdvanceCampCohortInput!) {
  advanceCampCohort(input: $input) { cohort { status version } userErrors { field message } } }"#;

/// A cohort of `kind` starting in 30 days, with the given track capacities, taking
/// applications today (`APPLICATIONS_OPEN`). Returns the cohort.
pub async fn open_cohort(app: &TestApp, kind: &str, tracks: &[i32]) -> Value {
    let staff = app.token(Role::CampStaff);
    let program = program_id(app, kind).await;
    let tracks: Vec<Value> = tracks
        .iter()
        .enumerate()
        .map(|(i, capacity)| json!({ "name": format!("Track {i}"), "description": "講義と演習", "capacity": capacity }))
        .collect();
    let response = app
        .gql(
            Some(&staff),
            CREATE_COHORT,
            json!({ "input": {
                "programId": program, "name": format!("{kind} camp"), "startsOn": day(30), "endsOn": day(34),
                "venue": "東京都内の研修施設", "prefecture": "13", "capacity": 40,
                "applicationsOpenOn": day(-1), "applicationsCloseOn": day(10),
                "questions": ["志望動機を書いてください。"], "tracks": tracks } }),
        )
        .await;
    let cohort = response["data"]["createCampCohort"]["cohort"].clone();
    assert_eq!(cohort["status"], "PLANNED", "{response}");
    advance(app, &cohort, "APPLICATIONS_OPEN").await;
    cohort
}

/// Moves a cohort on (camp staff), reading its version first: on its date, no reason given.
pub async fn advance(app: &TestApp, cohort: &Value, to: &str) -> Value {
    move_on(app, cohort, to, None).await
}

/// Moves a cohort on before its date (camp staff), as staff do with a reason: for tests of
/// what follows a state rather than of the calendar.
pub async fn advance_early(app: &TestApp, cohort: &Value, to: &str) -> Value {
    move_on(app, cohort, to, Some("検証のため前倒し")).await
}

/// Moves a cohort on (camp staff), reading its version first, with `reason` when given.
pub async fn move_on(app: &TestApp, cohort: &Value, to: &str, reason: Option<&str>) -> Value {
    let staff = app.token(Role::CampStaff);
    let current = app
        .gql(
            Some(&staff),
            "query($id: ID!) { node(id: $id) { ... on CampCohort { version } } }",
            json!({ "id": cohort["id"] }),
        )
        .await;
    app.gql(
        Some(&staff),
        ADVANCE,
        json!({ "input": { "cohortId": cohort["id"], "expectedVersion": current["data"]["node"]["version"],
                           "status": to, "overrideReason": reason } }),
    )
    .await["data"]["advanceCampCohort"]
        .clone()
}

pub const SAVE_PERSON: &str = r#"mutation($input: SaveMyPersonInput!) {
  saveMyPerson(input: $input) { person { id name version specialist { registrationNumber } }
    userErrors { field message code } } }"#;

/// Saves personal details for the caller of `token`, born on `birth`.
pub async fn save_person(app: &TestApp, token: &str, birth: &str) -> Value {
    let response = app
        .gql(
            Some(token),
            SAVE_PERSON,
            json!({ "input": { "name": "情報 花子", "nameKana": "ジョウホウ ハナコ", "birthDate": birth,
                    "email": "hanako@example.jp", "prefecture": "27" } }),
        )
        .await;
    let payload = &response["data"]["saveMyPerson"];
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload["person"].clone()
}

pub const APPLY: &str = r#"mutation($input: ApplyToCampCohortInput!) {
  applyToCampCohort(input: $input) {
    application { id status version preferredTracks { name } }
    userErrors { field message code } } }"#;

pub async fn apply(app: &TestApp, token: &str, cohort: &Value, track: usize) -> Value {
    app.gql(
        Some(token),
        APPLY,
        json!({ "input": { "cohortId": cohort["id"], "preferredTrackIds": [cohort["tracks"][track]["id"]],
                "answers": ["脆弱性診断を学びたいです。"] } }),
    )
    .await["data"]["applyToCampCohort"]
        .clone()
}

pub const DECIDE: &str = r#"mutation($input: DecideCampApplicationsInput!) {
  decideCampApplications(input: $input) {
    applications { id status track { name } }
    userErrors { field message code } } }"#;

pub async fn decide(app: &TestApp, decisions: Value) -> Value {
    app.gql(
        Some(&app.token(Role::CampStaff)),
        DECIDE,
        json!({ "input": { "decisions": decisions } }),
    )
    .await["data"]["decideCampApplications"]
        .clone()
}

/// Makes the caller of `token` (born 2006-05-01) an alumnus of a new cohort of `kind`.
/// Returns the cohort.
pub async fn graduate(app: &TestApp, tokens: &[&str], kind: &str) -> Value {
    let cohort = open_cohort(app, kind, &[40]).await;
    let mut ids = Vec::new();
    for token in tokens {
        if app.gql(Some(token), "{ myPerson { id } }", json!({})).await["data"]["myPerson"]
            .is_null()
        {
            save_person(app, token, "2006-05-01").await;
        }
        let applied = apply(app, token, &cohort, 0).await;
        assert_eq!(applied["userErrors"], json!([]), "{applied}");
        ids.push(applied["application"]["id"].clone());
    }
    advance_early(app, &cohort, "SELECTING").await;
    for status in ["SELECTED", "ATTENDED", "COMPLETED"] {
        if status == "ATTENDED" {
            advance_early(app, &cohort, "IN_SESSION").await;
        }
        let decisions: Vec<Value> = ids
            .iter()
            .map(|id| json!({ "applicationId": id, "status": status }))
            .collect();
        let decided = decide(app, json!(decisions)).await;
        assert_eq!(decided["userErrors"], json!([]), "{decided}");
    }
    advance_early(app, &cohort, "COMPLETED").await;
    cohort
}
