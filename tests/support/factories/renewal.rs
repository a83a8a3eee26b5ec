//! Renewal fixtures: courses, rosters of completions, cycles with every requirement met,
//! applications for renewal, and deemed-attendance claims.

use chrono::{Datelike, NaiveDate};
use kakehashi::{
    domain::{
        Caller, Role,
        renewal::{
            courses::{self, NewCourse},
            types::{CourseKind, fiscal_year},
        },
    },
    graphql::node::{NodeKind, encode_id},
};
use serde_json::{Value, json};

use crate::support::TestApp;

/// Adds a course for the fiscal year of `on`; returns its global ID.
pub async fn course(app: &TestApp, kind: CourseKind, on: NaiveDate) -> String {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let fy = fiscal_year(on);
    let row = courses::create(
        &app.db,
        &Caller::system(),
        NewCourse {
            code: format!("{}-{fy}-{}-{n}", kind.as_str(), on.ordinal()),
            name: format!("{} {fy}", kind.as_str()),
            provider: "IPA".into(),
            provider_code: Some("IPA".into()),
            kind,
            fiscal_year: fy,
            fee_yen: 20_000,
            hours: 6.0,
        },
    )
    .await
    .unwrap();
    encode_id(NodeKind::COURSE, row.id).0
}

pub const RECORD: &str = r#"mutation($rows: [TrainingCompletionInput!]!) {
  recordTrainingCompletions(input: { rows: $rows }) {
    recordedCount alreadyRecordedCount
    rejectedRows { index field message }
    userErrors { field message code }
  } }"#;

/// Records a roster of completions as programme staff; returns the payload.
pub async fn record(app: &TestApp, rows: Value) -> Value {
    let staff = app.token(Role::ProgramStaff);
    let response = app.gql(Some(&staff), RECORD, json!({ "rows": rows })).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["recordTrainingCompletions"].clone()
}

/// Completes every requirement of the standard policy for a cycle starting on `start`
/// (the third year's course on `third`).
pub async fn complete_standard(app: &TestApp, number: &str, start: NaiveDate, third: NaiveDate) {
    let y1 = start + chrono::Days::new(60);
    let y2 = start + chrono::Days::new(430);
    let mut rows = Vec::new();
    for on in [y1, y2, third] {
        rows.push(json!({
            "registrationNumber": number,
            "courseId": course(app, CourseKind::Online, on).await,
            "completedOn": on.to_string(),
        }));
    }
    rows.push(json!({
        "registrationNumber": number,
        "courseId": course(app, CourseKind::Practical, y2).await,
        "completedOn": y2.to_string(),
    }));
    let outcome = record(app, json!(rows)).await;
    assert_eq!(outcome["recordedCount"], 4, "{outcome}");
}

/// Completes every requirement of the policy for cycles from fiscal 2026 on (the standard
/// one and the ethics course).
pub async fn complete_from_2026(app: &TestApp, number: &str, start: NaiveDate, third: NaiveDate) {
    complete_standard(app, number, start, third).await;
    let on = start + chrono::Days::new(200);
    let rows = json!([{
        "registrationNumber": number,
        "courseId": course(app, CourseKind::Ethics, on).await,
        "completedOn": on.to_string(),
    }]);
    let outcome = record(app, rows).await;
    assert_eq!(outcome["recordedCount"], 1, "{outcome}");
}

/// The global ID of the current cycle of `number`, as the specialist reads it.
pub async fn current_cycle_id(app: &TestApp, number: &str) -> Value {
    let response = app
        .gql(
            Some(&app.specialist_token(number)),
            "query($n: String!) { specialist(registrationNumber: $n) { currentCycle { id } } }",
            json!({ "n": number }),
        )
        .await;
    let id = response["data"]["specialist"]["currentCycle"]["id"].clone();
    assert!(id.is_string(), "{response}");
    id
}

pub const APPLY: &str = r#"mutation($id: ID!) { applyForRenewal(input: { cycleId: $id }) {
  cycle { status appliedOn } userErrors { field message code } } }"#;

/// Applies for the renewal of the current cycle of `number` (whose requirements are met),
/// as the specialist; returns the cycle's global ID.
pub async fn apply_for_renewal(app: &TestApp, number: &str) -> Value {
    let id = current_cycle_id(app, number).await;
    let applied = app
        .gql(
            Some(&app.specialist_token(number)),
            APPLY,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        applied["data"]["applyForRenewal"]["userErrors"],
        json!([]),
        "{applied}"
    );
    id
}

pub const FILE: &str = r#"mutation($id: ID!, $code: String!, $details: ClaimDetailsInput!) {
  fileDeemedAttendanceClaim(input: { cycleId: $id, requirementCode: $code, details: $details }) {
    claim { id status requirementCode evidenceLinks version cycle { id sequence } }
    userErrors { field message code } } }"#;

/// The details of a claim that passes every rule.
pub fn details() -> Value {
    json!({
        "activity": "Four advisory visits to a manufacturer: risks, basic policy, rules, review",
        "beneficiary": "株式会社さくら精機 (Ōta, Tokyo)",
        "periodFrom": "2026-05-01",
        "periodTo": "2026-09-30",
        "hours": 24.0,
        "evidenceLinks": ["https://example.jp/report.pdf"],
    })
}

/// Two specialists registered on 2026-04-01; returns the first one's token, a staff token
/// and the global ID of the first one's current cycle.
pub async fn claimant(app: &TestApp) -> (String, String, Value) {
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    super::register_on(app, "000001", start).await;
    super::register_on(app, "000002", start).await;
    let own = app.specialist_token("000001");
    let staff = app.token(Role::ProgramStaff);
    let id = current_cycle_id(app, "000001").await;
    (own, staff, id)
}

/// Files a claim for the practical requirement of cycle `id`; returns its global ID.
pub async fn file_practical(app: &TestApp, own: &str, id: &Value) -> Value {
    let filed = app
        .gql(
            Some(own),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": details() }),
        )
        .await;
    let claim = &filed["data"]["fileDeemedAttendanceClaim"]["claim"];
    assert_eq!(claim["status"], "SUBMITTED", "{filed}");
    claim["id"].clone()
}
