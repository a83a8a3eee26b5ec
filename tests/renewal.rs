//! Renewal: cycles, training completions, applications and decisions, deemed attendance,
//! the lapse sweep, reminders, policies, and who may do what.

use chrono::{Datelike, NaiveDate};
use entities::{renewal_reminder, specialist_status_event, training_completion};
use kakehashi::domain::{
    Caller, Role,
    analytics::registry::{Interval, period_start},
    calendar::japan_today,
    renewal::{
        courses::{self, NewCourse},
        sweep,
        types::CourseKind,
    },
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::support::{
    Operation, TestApp, assert_authorization, error_code,
    factories::{
        register_on,
        renewal::{
            APPLY, FILE, apply_for_renewal, claimant, complete_from_2026, course, current_cycle_id,
            details, file_practical, record,
        },
    },
    japan_morning,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const CYCLE: &str = r#"query($n: String!) { specialist(registrationNumber: $n) {
  renewalDeadline renewalCount latestRenewalOn courseCompletionDates
  trainingCompletions { completedOn course { code kind } }
  currentCycle {
    id sequence startsOn endsOn applicationDueOn status missingRequirements appliedOn
    policy { code }
    requirements { requirement { code deemable } satisfied
      satisfiedByCourse { completedOn course { kind } } satisfiedByClaim { id } }
  }
  nextCycle { sequence startsOn status }
} }"#;

async fn cycle_of(app: &TestApp, token: Option<&str>, number: &str) -> Value {
    let response = app.gql(token, CYCLE, json!({ "n": number })).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["specialist"].clone()
}

#[tokio::test]
async fn a_new_registration_opens_its_first_cycle_with_the_policy_of_its_start() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let staff = app.token(Role::ProgramStaff);
    let seen = cycle_of(&app, Some(&staff), "000001").await;
    let cycle = &seen["currentCycle"];
    assert_eq!(cycle["sequence"], 1);
    assert_eq!(cycle["startsOn"], "2026-04-01");
    assert_eq!(cycle["endsOn"], "2029-03-31");
    assert_eq!(cycle["applicationDueOn"], "2029-01-30");
    assert_eq!(cycle["policy"]["code"], "DEEMED_2026");
    assert_eq!(cycle["status"], "ON_TRACK");
    assert_eq!(cycle["missingRequirements"], 5);
    let codes: Vec<&str> = cycle["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["requirement"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "ETHICS",
            "ONLINE_YEAR_1",
            "ONLINE_YEAR_2",
            "ONLINE_YEAR_3",
            "PRACTICAL"
        ]
    );
    assert_eq!(seen["renewalDeadline"], "2029-03-31");
    assert_eq!(seen["renewalCount"], 0);
    assert!(seen["latestRenewalOn"].is_null());

    // A cycle that started before FY2026 follows the 2020 rules.
    register_on(&app, "000002", d(2024, 4, 1)).await;
    let older = cycle_of(&app, Some(&staff), "000002").await;
    assert_eq!(older["currentCycle"]["policy"]["code"], "STANDARD_2020");
    assert_eq!(older["currentCycle"]["missingRequirements"], 4);
}

#[tokio::test]
async fn rosters_keep_valid_rows_report_bad_ones_and_are_idempotent() {
    let app = TestApp::spawn().await;
    let today = japan_today();
    register_on(&app, "000001", d(2024, 4, 1)).await;
    let on = d(2024, 6, 1);
    let online = course(&app, CourseKind::Online, on).await;
    let rows = json!([
        { "registrationNumber": "000001", "courseId": online, "completedOn": "2024-06-01" },
        { "registrationNumber": "999999", "courseId": online, "completedOn": "2024-06-01" },
        { "registrationNumber": "12", "courseId": online, "completedOn": "2024-06-01" },
        { "registrationNumber": "000001", "courseId": "bm9wZQ", "completedOn": "2024-06-01" },
        { "registrationNumber": "000001", "courseId": online, "completedOn": "2025-06-01" },
        { "registrationNumber": "000001", "courseId": online,
          "completedOn": (today + chrono::Days::new(1)).to_string() },
        { "registrationNumber": "000001", "courseId": online, "completedOn": "2024-06-01" },
    ]);
    let first = record(&app, rows.clone()).await;
    assert_eq!(first["recordedCount"], 1, "{first}");
    assert_eq!(
        first["alreadyRecordedCount"], 1,
        "the repeated row: {first}"
    );
    let rejected: Vec<(u64, &str)> = first["rejectedRows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_u64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rejected,
        [
            (1, "registrationNumber"),
            (2, "registrationNumber"),
            (3, "courseId"),
            (4, "completedOn"),
            (5, "completedOn"),
        ]
    );
    assert!(first["userErrors"].as_array().unwrap().is_empty());

    let again = record(&app, rows).await;
    assert_eq!(again["recordedCount"], 0);
    assert_eq!(again["alreadyRecordedCount"], 2);
    assert_eq!(app.count(training_completion::Entity).await, 1);

    // The public sees the date, the specialist also the course.
    let public = cycle_of(&app, None, "000001").await;
    assert_eq!(public["courseCompletionDates"], json!(["2024-06-01"]));
    assert!(public["trainingCompletions"].is_null());
    assert!(public["currentCycle"].is_null());
    let own = cycle_of(&app, Some(&app.specialist_token("000001")), "000001").await;
    assert_eq!(own["trainingCompletions"][0]["course"]["kind"], "ONLINE");
    assert_eq!(own["currentCycle"]["missingRequirements"], 3);
    assert_eq!(
        own["currentCycle"]["requirements"][0]["satisfiedByCourse"]["completedOn"],
        "2024-06-01"
    );
}

#[tokio::test]
async fn a_roster_over_the_limit_is_refused_whole() {
    let app = TestApp::spawn().await;
    let row =
        json!({ "registrationNumber": "000001", "courseId": "x", "completedOn": "2024-06-01" });
    let rows: Vec<Value> = std::iter::repeat_n(row, 10_001).collect();
    let outcome = record(&app, json!(rows)).await;
    assert_eq!(outcome["userErrors"][0]["field"], json!(["input", "rows"]));
    assert_eq!(outcome["recordedCount"], 0);
}

const DECIDE: &str = r#"mutation($id: ID!, $d: RenewalDecision!, $r: String) {
  decideRenewal(input: { cycleId: $id, decision: $d, reason: $r }) {
    cycle { status closedOn refusalReason }
    nextCycle { sequence startsOn endsOn status }
    userErrors { field message code } } }"#;

/// Two specialists registered on 2027-04-01, on 2029-12-01: the first one's cycle is in its
/// application window (deadline 2030-01-30). Returns the app, the first one's token, a
/// staff token and the global ID of the first one's current cycle.
async fn in_the_application_window() -> (TestApp, String, String, Value) {
    let app = TestApp::on_calendar(japan_morning(d(2029, 12, 1))).await;
    register_on(&app, "000001", d(2027, 4, 1)).await;
    register_on(&app, "000002", d(2027, 4, 1)).await;
    let own = app.specialist_token("000001");
    let staff = app.token(Role::ProgramStaff);
    let id = current_cycle_id(&app, "000001").await;
    (app, own, staff, id)
}

/// As [`in_the_application_window`], with every requirement of the first one's cycle met.
async fn complete_in_the_application_window() -> (TestApp, String, String, Value) {
    let (app, own, staff, id) = in_the_application_window().await;
    complete_from_2026(&app, "000001", d(2027, 4, 1), d(2029, 4, 10)).await;
    (app, own, staff, id)
}

/// A complete cycle applied for, refused with a reason, applied for again and renewed;
/// returns the app, the specialist's token and the renewal's payload.
async fn renewed_after_a_refusal() -> (TestApp, String, Value) {
    let (app, own, staff, id) = complete_in_the_application_window().await;
    apply_for_renewal(&app, "000001").await;
    let refused = app
        .gql(
            Some(&staff),
            DECIDE,
            json!({ "id": id, "d": "REFUSE", "r": "address proof missing" }),
        )
        .await;
    assert_eq!(
        refused["data"]["decideRenewal"]["userErrors"],
        json!([]),
        "{refused}"
    );
    apply_for_renewal(&app, "000001").await;
    let renewed = app
        .gql(Some(&staff), DECIDE, json!({ "id": id, "d": "RENEW" }))
        .await;
    let payload = renewed["data"]["decideRenewal"].clone();
    (app, own, payload)
}

#[tokio::test]
async fn an_application_is_refused_while_requirements_are_missing() {
    let (app, own, _, id) = in_the_application_window().await;
    let early = app.gql(Some(&own), APPLY, json!({ "id": id })).await;
    assert_eq!(
        early["data"]["applyForRenewal"]["userErrors"][0]["code"],
        "INVALID"
    );
}

#[tokio::test]
async fn a_cycle_whose_requirements_are_all_met_is_complete() {
    let (app, own, _, _) = complete_in_the_application_window().await;
    let seen = cycle_of(&app, Some(&own), "000001").await;
    assert_eq!(seen["currentCycle"]["status"], "COMPLETE", "{seen}");
}

#[tokio::test]
async fn someone_elses_cycle_does_not_exist_for_an_application() {
    let (app, _, _, id) = complete_in_the_application_window().await;
    let other = app.specialist_token("000002");
    let foreign = app.gql(Some(&other), APPLY, json!({ "id": id })).await;
    assert_eq!(
        foreign["data"]["applyForRenewal"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    assert_eq!(
        foreign["data"]["applyForRenewal"]["userErrors"][0]["field"],
        json!(["input", "cycleId"]),
        "the error points at the input that named the cycle"
    );
}

#[tokio::test]
async fn a_complete_cycle_is_applied_for_today_and_only_once() {
    let (app, own, _, id) = complete_in_the_application_window().await;
    let today = app.today();
    let applied = app.gql(Some(&own), APPLY, json!({ "id": id })).await;
    assert_eq!(
        applied["data"]["applyForRenewal"]["cycle"]["appliedOn"],
        today.to_string(),
        "{applied}"
    );
    let twice = app.gql(Some(&own), APPLY, json!({ "id": id })).await;
    assert_eq!(
        twice["data"]["applyForRenewal"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn a_refusal_needs_a_reason_and_lets_the_specialist_apply_again() {
    let (app, own, staff, id) = complete_in_the_application_window().await;
    apply_for_renewal(&app, "000001").await;
    let no_reason = app
        .gql(Some(&staff), DECIDE, json!({ "id": id, "d": "REFUSE" }))
        .await;
    assert_eq!(
        no_reason["data"]["decideRenewal"]["userErrors"][0]["field"],
        json!(["input", "reason"])
    );
    let refused = app
        .gql(
            Some(&staff),
            DECIDE,
            json!({ "id": id, "d": "REFUSE", "r": "address proof missing" }),
        )
        .await;
    assert_eq!(
        refused["data"]["decideRenewal"]["cycle"]["refusalReason"],
        "address proof missing"
    );
    let reapplied = app.gql(Some(&own), APPLY, json!({ "id": id })).await;
    assert!(
        reapplied["data"]["applyForRenewal"]["userErrors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_renewal_opens_the_next_cycle_from_the_next_april() {
    let (_, _, payload) = renewed_after_a_refusal().await;
    assert_eq!(payload["cycle"]["status"], "RENEWED", "{payload}");
    assert_eq!(payload["nextCycle"]["sequence"], 2);
    assert_eq!(payload["nextCycle"]["startsOn"], "2030-04-01");
    assert_eq!(payload["nextCycle"]["endsOn"], "2033-03-31");
}

/// Until next April the renewed cycle is still the one running; the new one is next, and
/// no public date is in the future.
#[tokio::test]
async fn until_the_next_april_the_renewed_cycle_runs_and_no_public_date_is_in_the_future() {
    let (app, own, _) = renewed_after_a_refusal().await;
    let seen = cycle_of(&app, Some(&own), "000001").await;
    assert_eq!(
        (
            &seen["currentCycle"]["sequence"],
            &seen["currentCycle"]["status"]
        ),
        (&json!(1), &json!("RENEWED")),
        "{seen}"
    );
    assert_eq!(
        seen["nextCycle"],
        json!({ "sequence": 2, "startsOn": "2030-04-01", "status": "ON_TRACK" })
    );
    let public = cycle_of(&app, None, "000001").await;
    assert_eq!(public["renewalCount"], 1);
    assert_eq!(public["latestRenewalOn"], Value::Null, "{public}");
    assert_eq!(public["renewalDeadline"], "2033-03-31");
}

#[tokio::test]
async fn on_its_first_day_the_new_cycle_is_current() {
    let (app, own, _) = renewed_after_a_refusal().await;
    app.travel_to(d(2030, 4, 1));
    let seen = cycle_of(&app, Some(&own), "000001").await;
    assert_eq!(seen["currentCycle"]["sequence"], 2, "{seen}");
    assert_eq!(seen["nextCycle"], Value::Null);
    let public = cycle_of(&app, None, "000001").await;
    assert_eq!(public["latestRenewalOn"], "2030-04-01");
}

/// Staff find the applications waiting for them, oldest first, and see whose cycle and
/// reminder each is.
#[tokio::test]
async fn staff_see_the_applications_waiting_for_a_decision_oldest_first() {
    let app = TestApp::on_calendar(japan_morning(d(2029, 11, 20))).await;
    for number in ["000001", "000002", "000003"] {
        register_on(&app, number, d(2027, 4, 1)).await;
        complete_from_2026(&app, number, d(2027, 4, 1), d(2029, 4, 10)).await;
    }
    apply_for_renewal(&app, "000003").await;
    app.travel_to(d(2029, 12, 1));
    apply_for_renewal(&app, "000001").await;
    let staff = app.token(Role::ProgramStaff);
    let waiting = app
        .gql(
            Some(&staff),
            r#"{ renewalCycles(filter: { awaitingDecision: true }) {
                 totalCount nodes { appliedOn specialist { registrationNumber familyName } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        waiting["data"]["renewalCycles"],
        json!({ "totalCount": 2, "nodes": [
            { "appliedOn": "2029-11-20", "specialist": { "registrationNumber": "000003", "familyName": "山田" } },
            { "appliedOn": "2029-12-01", "specialist": { "registrationNumber": "000001", "familyName": "山田" } },
        ] }),
        "{waiting}"
    );

    // The one who has not applied gets the reminder of the 90 days before the deadline.
    sweep::remind(&app.db, &app.system(), d(2029, 12, 1))
        .await
        .unwrap();
    let reminders = app
        .gql(
            Some(&staff),
            r#"{ renewalReminders(asOf: "2029-12-01") { nodes { kind specialist { registrationNumber } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        reminders["data"]["renewalReminders"]["nodes"],
        json!([{ "kind": "DAYS_90", "specialist": { "registrationNumber": "000002" } }]),
        "{reminders}"
    );
}

/// A provider's roster names courses by the codes the provider knows; an unknown code, or
/// a row naming its course twice over, is rejected at the field that is wrong.
#[tokio::test]
async fn a_roster_names_its_courses_by_their_codes() {
    let app = TestApp::on_calendar(japan_morning(d(2027, 6, 1))).await;
    register_on(&app, "000001", d(2027, 4, 1)).await;
    let id = courses::create(
        &app.db,
        &app.system(),
        NewCourse {
            code: "IPA-ONLINE-2027".into(),
            name: "オンライン講習 2027".into(),
            provider: "IPA".into(),
            provider_code: Some("IPA".into()),
            kind: CourseKind::Online,
            fiscal_year: 2027,
            fee_yen: 20_000,
            hours: 6.0,
        },
    )
    .await
    .unwrap()
    .id;
    let course_id =
        kakehashi::graphql::node::encode_id(kakehashi::graphql::node::NodeKind::COURSE, id).0;
    let outcome = record(
        &app,
        json!([
            { "registrationNumber": "000001", "courseCode": "IPA-ONLINE-2027", "completedOn": "2027-05-20" },
            { "registrationNumber": "000001", "courseCode": "IPA-NOPE", "completedOn": "2027-05-20" },
            { "registrationNumber": "000001", "courseCode": "IPA-ONLINE-2027", "courseId": course_id,
              "completedOn": "2027-05-21" },
            { "registrationNumber": "000001", "completedOn": "2027-05-22" },
        ]),
    )
    .await;
    assert_eq!(outcome["recordedCount"], 1, "{outcome}");
    assert_eq!(
        outcome["rejectedRows"],
        json!([
            { "index": 1, "field": "courseCode", "message": "no course of the catalogue has the code IPA-NOPE" },
            { "index": 2, "field": "courseId", "message": "give the course by courseId or by courseCode, one of them" },
            { "index": 3, "field": "courseId", "message": "give the course by courseId or by courseCode, one of them" },
        ]),
        "{outcome}"
    );
    let seen = cycle_of(&app, Some(&app.token(Role::ProgramStaff)), "000001").await;
    assert_eq!(
        seen["trainingCompletions"],
        json!([{ "completedOn": "2027-05-20", "course": { "code": "IPA-ONLINE-2027", "kind": "ONLINE" } }])
    );
}

const REVIEW: &str = r#"mutation($id: ID!, $d: ClaimReviewDecision!, $c: String) {
  reviewDeemedAttendanceClaim(input: { claimId: $id, decision: $d, comment: $c }) {
    claim { status reviewComment feeSavedYen } userErrors { field message code } } }"#;
const AMEND: &str = r#"mutation($id: ID!, $details: ClaimDetailsInput!) {
  amendDeemedAttendanceClaim(input: { claimId: $id, details: $details }) {
    claim { status version } userErrors { field message code } } }"#;

#[tokio::test]
async fn a_claim_is_refused_for_ethics_another_persons_cycle_bad_details_and_a_second_time() {
    let app = TestApp::spawn().await;
    let (own, _, id) = claimant(&app).await;

    // The ethics requirement can never be deemed; someone else's cycle does not exist.
    let ethics = app
        .gql(
            Some(&own),
            FILE,
            json!({ "id": id, "code": "ETHICS", "details": details() }),
        )
        .await;
    assert_eq!(
        ethics["data"]["fileDeemedAttendanceClaim"]["userErrors"][0]["field"],
        json!(["input", "requirementCode"])
    );
    let foreign = app
        .gql(
            Some(&app.specialist_token("000002")),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": details() }),
        )
        .await;
    assert_eq!(
        foreign["data"]["fileDeemedAttendanceClaim"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    let mut bad = details();
    bad["hours"] = json!(0);
    bad["evidenceLinks"] = json!(["ftp://nope"]);
    let invalid = app
        .gql(
            Some(&own),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": bad }),
        )
        .await;
    assert_eq!(
        invalid["data"]["fileDeemedAttendanceClaim"]["userErrors"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{invalid}"
    );

    let filed = app
        .gql(
            Some(&own),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": details() }),
        )
        .await;
    let claim = &filed["data"]["fileDeemedAttendanceClaim"]["claim"];
    assert_eq!(claim["status"], "SUBMITTED", "{filed}");
    assert_eq!(claim["cycle"]["id"], id, "the claim's cycle, as an object");
    let duplicate = app
        .gql(
            Some(&own),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": details() }),
        )
        .await;
    assert_eq!(
        duplicate["data"]["fileDeemedAttendanceClaim"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn a_claim_sent_back_with_a_comment_is_amended_approved_and_satisfies_its_requirement() {
    let app = TestApp::spawn().await;
    let (own, staff, id) = claimant(&app).await;
    let claim_id = file_practical(&app, &own, &id).await;

    // Asking for changes needs a comment.
    let silent = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": claim_id, "d": "REQUEST_CHANGES" }),
        )
        .await;
    assert_eq!(
        silent["data"]["reviewDeemedAttendanceClaim"]["userErrors"][0]["field"],
        json!(["input", "comment"])
    );
    let sent_back = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": claim_id, "d": "REQUEST_CHANGES", "c": "attach the visit reports" }),
        )
        .await;
    assert_eq!(
        sent_back["data"]["reviewDeemedAttendanceClaim"]["claim"]["status"],
        "CHANGES_REQUESTED"
    );
    // Only a submitted claim is reviewed.
    let early = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": claim_id, "d": "APPROVE" }),
        )
        .await;
    assert_eq!(
        early["data"]["reviewDeemedAttendanceClaim"]["userErrors"][0]["code"],
        "INVALID"
    );

    let amended = app
        .gql(
            Some(&own),
            AMEND,
            json!({ "id": claim_id, "details": details() }),
        )
        .await;
    assert_eq!(
        amended["data"]["amendDeemedAttendanceClaim"]["claim"]["status"],
        "SUBMITTED"
    );
    let approved = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": claim_id, "d": "APPROVE" }),
        )
        .await;
    let approved = &approved["data"]["reviewDeemedAttendanceClaim"]["claim"];
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["feeSavedYen"], 80_000);

    let cycle = cycle_of(&app, Some(&own), "000001").await["currentCycle"].clone();
    assert_eq!(cycle["missingRequirements"], 4);
    let practical = cycle["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"]["code"] == "PRACTICAL")
        .unwrap()
        .clone();
    assert_eq!(practical["satisfied"], true);
    assert_eq!(practical["satisfiedByClaim"]["id"], claim_id);
}

#[tokio::test]
async fn an_approved_claim_counts_in_the_savings_and_the_renewal_health() {
    let app = TestApp::spawn().await;
    let (own, staff, id) = claimant(&app).await;
    let claim_id = file_practical(&app, &own, &id).await;
    let approved = app
        .gql(
            Some(&staff),
            REVIEW,
            json!({ "id": claim_id, "d": "APPROVE" }),
        )
        .await;
    assert_eq!(
        approved["data"]["reviewDeemedAttendanceClaim"]["claim"]["status"], "APPROVED",
        "{approved}"
    );

    let savings = r#"query($s: ID) { deemedAttendanceSavings(specialistId: $s) { approvedClaims feeSavedYen } }"#;
    let analyst = app.token(Role::Analyst);
    let total = app.gql(Some(&analyst), savings, json!({})).await;
    assert_eq!(
        total["data"]["deemedAttendanceSavings"],
        json!({ "approvedClaims": 1, "feeSavedYen": 80000 })
    );
    let specialist_id = app
        .gql(
            Some(&own),
            r#"{ specialist(registrationNumber: "000001") { id } }"#,
            json!({}),
        )
        .await["data"]["specialist"]["id"]
        .clone();
    let mine = app
        .gql(Some(&own), savings, json!({ "s": specialist_id }))
        .await;
    assert_eq!(
        mine["data"]["deemedAttendanceSavings"]["feeSavedYen"],
        80000
    );
    let theirs = app
        .gql(
            Some(&app.specialist_token("000002")),
            savings,
            json!({ "s": specialist_id }),
        )
        .await;
    assert_eq!(error_code(&theirs), "FORBIDDEN");

    // Renewal health counts the claim in today's round, and the fee it saved.
    let health = app
        .gql(
            Some(&analyst),
            r#"query($from: Date!) { renewalHealth(from: $from) { claimsPending
                cyclesByStatus { status count }
                rounds { startsOn claimsFiled claimsApproved claimsRejected feesSavedYen } } }"#,
            json!({ "from": japan_today().to_string() }),
        )
        .await;
    let health = &health["data"]["renewalHealth"];
    assert_eq!(health["claimsPending"], 0, "{health}");
    assert_eq!(
        health["rounds"],
        json!([{ "startsOn": period_start(Interval::Round, japan_today()).to_string(), "claimsFiled": 1, "claimsApproved": 1,
                 "claimsRejected": 0, "feesSavedYen": 80000 }]),
        "{health}"
    );
    let cycles: i64 = health["cyclesByStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(cycles, 2, "{health}");
}

#[tokio::test]
async fn a_specialist_lists_their_own_claims_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let (own, _, id) = claimant(&app).await;
    file_practical(&app, &own, &id).await;

    // The specialist sees their claims; another specialist sees none of them.
    let list = r#"{ deemedAttendanceClaims { totalCount nodes { status } } }"#;
    assert_eq!(
        app.gql(Some(&own), list, json!({})).await["data"]["deemedAttendanceClaims"]["totalCount"],
        1
    );
    assert_eq!(
        app.gql(Some(&app.specialist_token("000002")), list, json!({}))
            .await["data"]["deemedAttendanceClaims"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn the_sweep_lapses_ended_cycles_once_and_records_the_history() {
    // Registered on 2026-10-01, the cycle ends on 2029-09-30.
    let app = TestApp::on_calendar(japan_morning(d(2029, 9, 1))).await;
    let lapsing = register_on(&app, "000001", d(2026, 10, 1)).await;
    register_on(&app, "000002", d(2029, 4, 1)).await;
    app.travel_to(d(2029, 10, 1));
    let today = app.today();
    let staff = app.token(Role::ProgramStaff);
    let sweep_q = r#"mutation($d: Date!) { sweepRenewals(input: { asOf: $d }) {
      lapsedCycles lapsedRegistrations awaitingDecision userErrors { field code } } }"#;

    let future = app
        .gql(
            Some(&staff),
            sweep_q,
            json!({ "d": (today + chrono::Days::new(1)).to_string() }),
        )
        .await;
    assert_eq!(
        future["data"]["sweepRenewals"]["userErrors"][0]["field"],
        json!(["input", "asOf"])
    );

    let first = app
        .gql(Some(&staff), sweep_q, json!({ "d": today.to_string() }))
        .await;
    assert_eq!(first["data"]["sweepRenewals"]["lapsedCycles"], 1, "{first}");
    assert_eq!(first["data"]["sweepRenewals"]["lapsedRegistrations"], 1);
    let events_after_first = app.count(specialist_status_event::Entity).await;

    let second = app
        .gql(Some(&staff), sweep_q, json!({ "d": today.to_string() }))
        .await;
    assert_eq!(second["data"]["sweepRenewals"]["lapsedCycles"], 0);
    assert_eq!(
        app.count(specialist_status_event::Entity).await,
        events_after_first
    );

    let history = specialist_status_event::Entity::find()
        .filter(specialist_status_event::Column::SpecialistId.eq(lapsing))
        .all(&app.db)
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        last.status,
        entities::enums::registry::SpecialistStatus::Lapsed
    );
    assert_eq!(last.effective_on, d(2029, 10, 1));
    let seen = cycle_of(&app, Some(&staff), "000001").await;
    assert_eq!(seen["currentCycle"]["status"], "LAPSED");
    assert!(
        cycle_of(&app, None, "000001").await.is_null(),
        "a lapsed registration is not public"
    );
    assert_eq!(
        cycle_of(&app, Some(&staff), "000002").await["currentCycle"]["status"],
        "ON_TRACK"
    );
}

#[tokio::test]
async fn reminders_are_written_once_and_listed_for_staff() {
    let app = TestApp::spawn().await;
    let today = japan_today();
    // Deadline 2027-01-30 and 2029-01-30: one is within 90 days of the deadline only
    // around today's date; compute what each should get.
    register_on(&app, "000001", d(2024, 4, 1)).await;
    register_on(&app, "000002", d(2026, 4, 1)).await;
    let first = sweep::remind(&app.db, &Caller::system(), today)
        .await
        .unwrap();
    let second = sweep::remind(&app.db, &Caller::system(), today)
        .await
        .unwrap();
    assert_eq!(second.total(), 0, "a second run writes nothing");
    let days = (d(2027, 1, 30) - today).num_days();
    let expected = match days {
        0..=30 => Some("DAYS_30"),
        31..=90 => Some("DAYS_90"),
        91..=180 => Some("DAYS_180"),
        181..=365 => Some("DAYS_365"),
        _ => None,
    };
    assert_eq!(first.total(), u64::from(expected.is_some()), "{first:?}");
    assert_eq!(app.count(renewal_reminder::Entity).await, first.total());

    let list = r#"query($d: Date!) { renewalReminders(asOf: $d) {
      totalCount nodes { kind registrationNumber dueOn applicationDueOn writtenOn
        cycle { applicationDueOn } } } }"#;
    let staff = app.token(Role::ProgramStaff);
    let listed = app
        .gql(Some(&staff), list, json!({ "d": today.to_string() }))
        .await;
    let connection = &listed["data"]["renewalReminders"];
    assert_eq!(connection["totalCount"], first.total(), "{listed}");
    if let Some(kind) = expected {
        assert_eq!(connection["nodes"][0]["kind"], kind);
        assert_eq!(connection["nodes"][0]["registrationNumber"], "000001");
        assert_eq!(connection["nodes"][0]["applicationDueOn"], "2027-01-30");
        assert_eq!(
            connection["nodes"][0]["cycle"]["applicationDueOn"], "2027-01-30",
            "the reminder's cycle, as an object: {listed}"
        );
    }
    let denied = app
        .gql(
            Some(&app.specialist_token("000001")),
            list,
            json!({ "d": today.to_string() }),
        )
        .await;
    assert_eq!(error_code(&denied), "FORBIDDEN");

    // After a lapse, a notice goes out the next day, once.
    register_on(&app, "000003", d(2020, 10, 1)).await;
    let lapse_day = d(2023, 10, 1);
    assert!(lapse_day < today);
    sweep::sweep(&app.db, &Caller::system(), today)
        .await
        .unwrap();
    let lapsed: u64 = renewal_reminder::Entity::find()
        .filter(renewal_reminder::Column::Kind.eq("LAPSED"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(lapsed, 0, "nothing written before a run");
    // The lapse took effect long ago: no stale notice.
    let run = sweep::remind(&app.db, &Caller::system(), today)
        .await
        .unwrap();
    assert_eq!(run.written.get("LAPSED"), Some(&0));
}

#[tokio::test]
async fn renewal_cycle_lists_filter_by_status_and_cost_a_fixed_number_of_statements() {
    let app = TestApp::spawn().await;
    for i in 1..=30u32 {
        let on = if i % 3 == 0 {
            d(2024, 4, 1)
        } else {
            d(2026, 4, 1)
        };
        register_on(&app, &format!("{i:06}"), on).await;
    }
    let staff = app.token(Role::ProgramStaff);
    let query = r#"query($first: Int, $s: [RenewalCycleStatus!]) {
      renewalCycles(first: $first, filter: { statuses: $s }) {
        totalCount
        edges { node { id status applicationDueOn policy { code }
          requirements { satisfied requirement { code } satisfiedByCourse { completedOn } } } }
      } }"#;
    let cost = app
        .assert_constant_cost(Some(&staff), query, "/data/renewalCycles/edges", &[5, 20])
        .await;
    assert!(cost <= 8, "a page costs {cost} statements");

    // Ten cycles from 2024 have their deadline within 180 days and miss everything.
    let today = japan_today();
    let at_risk = if (d(2027, 1, 30) - today).num_days() < 180 {
        10
    } else {
        0
    };
    let filtered = app
        .gql(
            Some(&staff),
            query,
            json!({ "first": 100, "s": ["AT_RISK"] }),
        )
        .await;
    assert_eq!(
        filtered["data"]["renewalCycles"]["totalCount"], at_risk,
        "{filtered}"
    );
    let on_track = app
        .gql(
            Some(&staff),
            query,
            json!({ "first": 100, "s": ["ON_TRACK"] }),
        )
        .await;
    assert_eq!(
        on_track["data"]["renewalCycles"]["totalCount"],
        30 - at_risk
    );
    let prefecture = app
        .gql(
            Some(&staff),
            r#"{ renewalCycles(filter: { prefectures: ["27"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(prefecture["data"]["renewalCycles"]["totalCount"], 0);
}

#[tokio::test]
async fn staff_add_policies_for_the_future_only() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::Admin);
    let mutation = r#"mutation($input: CreateRequirementPolicyInput!) {
      createRequirementPolicy(input: $input) {
        policy { code effectiveFrom requirements { code deemable } }
        userErrors { field message code } } }"#;
    let next_april = d(japan_today().year() + 1, 4, 1);
    let requirement = |code: &str, kinds: Value, deemable: bool| json!({ "code": code, "name": code, "courseKinds": kinds, "deemable": deemable, "standardFeeYen": 20000 });
    let past = app
        .gql(
            Some(&staff),
            mutation,
            json!({ "input": {
            "code": "PAST", "name": "past", "effectiveFrom": "2020-01-01",
            "requirements": [requirement("ETHICS", json!(["ETHICS"]), true)] } }),
        )
        .await;
    let fields: Vec<Value> = past["data"]["createRequirementPolicy"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(
        fields,
        [
            json!(["input", "effectiveFrom"]),
            json!(["input", "requirements", "0", "deemable"])
        ]
    );
    let created = app
        .gql(
            Some(&staff),
            mutation,
            json!({ "input": {
            "code": "ONLINE_ONLY_NEXT", "name": "Online courses only",
            "effectiveFrom": next_april.to_string(),
            "requirements": [requirement("ONLINE_ANY", json!(["ONLINE"]), true)] } }),
        )
        .await;
    assert_eq!(
        created["data"]["createRequirementPolicy"]["policy"]["effectiveFrom"],
        next_april.to_string(),
        "{created}"
    );
    let policies = app
        .gql(None, r#"{ requirementPolicies { code } }"#, json!({}))
        .await;
    assert_eq!(
        policies["data"]["requirementPolicies"],
        json!([{ "code": "STANDARD_2020" }, { "code": "DEEMED_2026" }, { "code": "ONLINE_ONLY_NEXT" }])
    );
}

/// Who may call each renewal operation: `true` where the role passes authorization (the
/// call may still fail on its input), `false` where it is refused.
#[tokio::test]
async fn authorization_matrix_of_renewal_operations() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2026, 4, 1)).await;
    let bogus_cycle = kakehashi::graphql::node::encode_id(
        kakehashi::graphql::node::NodeKind::RENEWAL_CYCLE,
        999_999,
    )
    .0;
    let bogus_claim = kakehashi::graphql::node::encode_id(
        kakehashi::graphql::node::NodeKind::DEEMED_ATTENDANCE_CLAIM,
        999_999,
    )
    .0;
    let today = japan_today().to_string();
    let operations: Vec<Operation> = vec![
        (
            "createCourse",
            r#"mutation { createCourse(input: { code: "X", name: "x", provider: "p", kind: ONLINE, fiscalYear: 2026, feeYen: 1, hours: 1 }) { userErrors { code } } }"#.into(),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "createRequirementPolicy",
            r#"mutation { createRequirementPolicy(input: { code: "X", name: "x", effectiveFrom: "2020-01-01", requirements: [] }) { userErrors { code } } }"#.into(),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "recordTrainingCompletions",
            r#"mutation { recordTrainingCompletions(input: { rows: [] }) { userErrors { code } } }"#.into(),
            &[Role::Admin, Role::ProgramStaff, Role::TrainingProvider],
        ),
        (
            "recordTrainingCompletion",
            r#"mutation { recordTrainingCompletion(input: { registrationNumber: "000001", courseId: "x", completedOn: "2026-05-01" }) { userErrors { code } } }"#.into(),
            &[Role::Admin, Role::ProgramStaff, Role::TrainingProvider],
        ),
        (
            "applyForRenewal",
            format!(r#"mutation {{ applyForRenewal(input: {{ cycleId: "{bogus_cycle}" }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Specialist],
        ),
        (
            "decideRenewal",
            format!(r#"mutation {{ decideRenewal(input: {{ cycleId: "{bogus_cycle}", decision: RENEW }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "sweepRenewals",
            format!(r#"mutation {{ sweepRenewals(input: {{ asOf: "{today}" }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "fileDeemedAttendanceClaim",
            format!(r#"mutation {{ fileDeemedAttendanceClaim(input: {{ cycleId: "{bogus_cycle}", requirementCode: "PRACTICAL", details: {{ activity: "a", beneficiary: "b", periodFrom: "2026-05-01", periodTo: "2026-06-01", hours: 1 }} }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Specialist],
        ),
        (
            "amendDeemedAttendanceClaim",
            format!(r#"mutation {{ amendDeemedAttendanceClaim(input: {{ claimId: "{bogus_claim}", details: {{ activity: "a", beneficiary: "b", periodFrom: "2026-05-01", periodTo: "2026-06-01", hours: 1 }} }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Specialist],
        ),
        (
            "reviewDeemedAttendanceClaim",
            format!(r#"mutation {{ reviewDeemedAttendanceClaim(input: {{ claimId: "{bogus_claim}", decision: APPROVE }}) {{ userErrors {{ code }} }} }}"#),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "renewalCycles",
            r#"{ renewalCycles { totalCount } }"#.into(),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "renewalReminders",
            format!(r#"{{ renewalReminders(asOf: "{today}") {{ totalCount }} }}"#),
            &[Role::Admin, Role::ProgramStaff],
        ),
        (
            "deemedAttendanceClaims",
            r#"{ deemedAttendanceClaims { totalCount } }"#.into(),
            &[Role::Admin, Role::ProgramStaff, Role::Specialist],
        ),
        (
            "deemedAttendanceSavings",
            r#"{ deemedAttendanceSavings { feeSavedYen } }"#.into(),
            &[Role::Admin, Role::ProgramStaff, Role::Analyst],
        ),
    ];
    assert_authorization(&app, "000001", &operations).await;
}

#[tokio::test]
async fn a_closed_cycle_takes_no_claim_and_its_lapse_is_announced_once() {
    // Registered on 2026-10-01, the cycle ends on 2029-09-30: the registration lapses on
    // 2029-10-01.
    let app = TestApp::on_calendar(japan_morning(d(2029, 9, 1))).await;
    register_on(&app, "000001", d(2026, 10, 1)).await;
    let own = app.specialist_token("000001");
    let id = current_cycle_id(&app, "000001").await;
    // The sweep comes two months late.
    app.travel_to(d(2029, 12, 1));
    let swept = sweep::sweep(&app.db, &app.system(), d(2029, 12, 1))
        .await
        .unwrap();
    assert_eq!(swept.lapsed_cycles, 1);

    let filed = app
        .gql(
            Some(&own),
            FILE,
            json!({ "id": id, "code": "PRACTICAL", "details": details() }),
        )
        .await;
    assert_eq!(
        filed["data"]["fileDeemedAttendanceClaim"]["userErrors"][0]["field"],
        json!(["input", "cycleId"]),
        "{filed}"
    );
    let applied = app.gql(Some(&own), APPLY, json!({ "id": id })).await;
    assert_eq!(
        applied["data"]["applyForRenewal"]["userErrors"][0]["code"],
        "INVALID"
    );

    // The run after the sweep announces the lapse, two months on, once.
    let caught_up = sweep::remind(&app.db, &app.system(), d(2029, 12, 1))
        .await
        .unwrap();
    assert_eq!(caught_up.written.get("LAPSED"), Some(&1), "{caught_up:?}");
    app.travel_to(d(2029, 12, 2));
    let next_day = sweep::remind(&app.db, &app.system(), d(2029, 12, 2))
        .await
        .unwrap();
    assert_eq!(next_day.total(), 0);
    let staff = app.token(Role::ProgramStaff);
    let listed = app
        .gql(
            Some(&staff),
            r#"{ renewalReminders(asOf: "2029-12-01") { nodes { kind dueOn registrationNumber } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["renewalReminders"]["nodes"],
        json!([{ "kind": "LAPSED", "dueOn": "2029-10-01", "registrationNumber": "000001" }]),
        "{listed}"
    );

    // A lapse more than a year old is history, not news.
    app.travel_to(d(2030, 10, 5));
    let year_on = sweep::remind(&app.db, &app.system(), d(2030, 10, 5))
        .await
        .unwrap();
    assert_eq!(year_on.written.get("LAPSED"), Some(&0));
}

/// A sweep and a reminder run on the day of a lapse: the notice goes out that day.
#[tokio::test]
async fn a_lapse_is_announced_on_its_day() {
    let app = TestApp::on_calendar(japan_morning(d(2029, 9, 1))).await;
    register_on(&app, "000001", d(2026, 10, 1)).await;
    app.travel_to(d(2029, 10, 1));
    let swept = sweep::sweep(&app.db, &app.system(), d(2029, 10, 1))
        .await
        .unwrap();
    assert_eq!(swept.lapsed_cycles, 1);
    let on_the_day = sweep::remind(&app.db, &app.system(), d(2029, 10, 1))
        .await
        .unwrap();
    assert_eq!(on_the_day.written.get("LAPSED"), Some(&1));
}

/// A registration recorded with a date whose first cycle is over lapses at once: the
/// registry never shows it `ACTIVE` with its cycle ended.
#[tokio::test]
async fn a_backdated_registration_is_evaluated_at_once() {
    let app = TestApp::on_calendar(japan_morning(d(2029, 9, 1))).await;
    let staff = app.token(Role::ProgramStaff);
    const REGISTER: &str = r#"mutation($input: RegisterSpecialistInput!) {
      registerSpecialist(input: $input) {
        specialist { status statusSince statusHistory { status effectiveOn }
                     currentCycle { status endsOn } }
        userErrors { field message } } }"#;
    let input = |number: &str, on: &str| {
        json!({ "input": {
            "registrationNumber": number, "familyName": "山田", "givenName": "太郎",
            "familyNameKana": "ヤマダ", "givenNameKana": "タロウ", "birthYearMonth": "1985-04",
            "email": format!("{number}@example.jp"), "prefecture": "14",
            "examPassedYear": 2025, "examPassedSeason": "AUTUMN", "registeredOn": on } })
    };
    // From 2026-04-01 the cycle ended on 2029-03-31.
    let old = app
        .gql(Some(&staff), REGISTER, input("000001", "2026-04-01"))
        .await;
    let registered = &old["data"]["registerSpecialist"]["specialist"];
    assert_eq!(
        *registered,
        json!({ "status": "LAPSED", "statusSince": "2029-04-01",
                "statusHistory": [{ "status": "ACTIVE", "effectiveOn": "2026-04-01" },
                                  { "status": "LAPSED", "effectiveOn": "2029-04-01" }],
                "currentCycle": { "status": "LAPSED", "endsOn": "2029-03-31" } }),
        "{old}"
    );
    assert!(
        cycle_of(&app, None, "000001").await.is_null(),
        "a lapsed registration is not public"
    );
    // From 2026-10-01 the cycle is still running: active.
    let running = app
        .gql(Some(&staff), REGISTER, input("000002", "2026-10-01"))
        .await;
    assert_eq!(
        running["data"]["registerSpecialist"]["specialist"]["status"], "ACTIVE",
        "{running}"
    );
}

#[tokio::test]
async fn one_completion_is_recorded_once_and_a_bad_one_is_a_user_error() {
    let app = TestApp::spawn().await;
    register_on(&app, "000001", d(2024, 4, 1)).await;
    let online = course(&app, CourseKind::Online, d(2024, 6, 1)).await;
    let staff = app.token(Role::ProgramStaff);
    let one = r#"mutation($n: String!, $c: ID!, $d: Date!) {
      recordTrainingCompletion(input: { registrationNumber: $n, courseId: $c, completedOn: $d }) {
        recorded alreadyRecorded userErrors { field code } } }"#;
    let vars = json!({ "n": "000001", "c": online, "d": "2024-06-01" });
    let first = app.gql(Some(&staff), one, vars.clone()).await;
    assert_eq!(
        first["data"]["recordTrainingCompletion"],
        json!({ "recorded": true, "alreadyRecorded": false, "userErrors": [] })
    );
    let again = app.gql(Some(&staff), one, vars).await;
    assert_eq!(
        again["data"]["recordTrainingCompletion"]["alreadyRecorded"],
        true
    );
    let wrong_year = app
        .gql(
            Some(&staff),
            one,
            json!({ "n": "000001", "c": online, "d": "2025-06-01" }),
        )
        .await;
    assert_eq!(
        wrong_year["data"]["recordTrainingCompletion"]["userErrors"],
        json!([{ "field": ["input", "completedOn"], "code": "INVALID" }])
    );
    assert_eq!(app.count(training_completion::Entity).await, 1);
}

#[tokio::test]
async fn concurrent_decisions_renew_a_cycle_once() {
    use entities::renewal_cycle;
    let app = TestApp::on_calendar(japan_morning(d(2029, 12, 1))).await;
    register_on(&app, "000001", d(2027, 4, 1)).await;
    complete_from_2026(&app, "000001", d(2027, 4, 1), d(2029, 4, 10)).await;
    let id = apply_for_renewal(&app, "000001").await;

    let staff = app.token(Role::ProgramStaff);
    let vars = json!({ "id": id, "d": "RENEW" });
    let decisions =
        futures_util::future::join_all((0..4).map(|_| app.gql(Some(&staff), DECIDE, vars.clone())))
            .await;
    let renewed = decisions
        .iter()
        .filter(|r| r["data"]["decideRenewal"]["nextCycle"].is_object())
        .count();
    assert_eq!(renewed, 1, "{decisions:?}");
    for response in &decisions {
        assert!(response["errors"].is_null(), "{response}");
    }
    let cycles = renewal_cycle::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(cycles, 2, "one cycle and the one renewal opened");
}
