//! Security Camp: programs and their eligibility rules, cohorts, the application state
//! machine, capacity under concurrent selection, who sees which application, one person
//! with two roles, and what a page costs.

use chrono::Duration;
use kakehashi::domain::{Role, calendar::japan_today};
use serde_json::{Value, json};

use crate::support::{
    Operation, TestApp, assert_authorization, error_code,
    factories::camp::{
        ADVANCE, APPLY, CREATE_COHORT, SAVE_PERSON, advance, advance_early, apply, day, decide,
        graduate, move_on, open_cohort, program_id, save_person,
    },
    japan_morning,
};

fn fields(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no userErrors in {payload}"))
        .iter()
        .map(|e| {
            e["field"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

#[tokio::test]
async fn programs_are_seeded_and_camp_staff_change_their_rules() {
    let app = TestApp::spawn().await;
    let listed = app
        .gql(
            None,
            "{ campPrograms { kind minAge maxAge attendOnce } }",
            json!({}),
        )
        .await;
    let programs = listed["data"]["campPrograms"].as_array().unwrap();
    let kinds: Vec<&str> = programs
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["NATIONAL", "MINI", "JUNIOR", "NEXT", "CONNECT", "OTHER"]
    );
    assert_eq!(programs[0]["attendOnce"], true);
    assert_eq!(programs[0]["maxAge"], 22);

    let id = program_id(&app, "MINI").await;
    let update = r#"mutation($input: UpdateCampProgramInput!) {
      updateCampProgram(input: $input) { program { minAge maxAge version } userErrors { field message } } }"#;
    let staff = app.token(Role::CampStaff);
    let refused = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "minAge": 30 } }),
        )
        .await;
    assert_eq!(
        fields(&refused["data"]["updateCampProgram"]),
        ["input.minAge"],
        "{refused}"
    );
    let changed = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "minAge": 15, "maxAge": null } }),
        )
        .await;
    assert_eq!(
        changed["data"]["updateCampProgram"]["program"],
        json!({ "minAge": 15, "maxAge": null, "version": 2 }),
        "{changed}"
    );
    let stale = app
        .gql(
            Some(&staff),
            update,
            json!({ "input": { "id": id, "expectedVersion": 1, "name": "x" } }),
        )
        .await;
    assert_eq!(
        stale["data"]["updateCampProgram"]["userErrors"][0]["field"],
        json!(["input", "expectedVersion"])
    );
}

#[tokio::test]
async fn cohorts_are_checked_and_move_forward_one_step_at_a_time() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::CampStaff);
    let program = program_id(&app, "NATIONAL").await;
    let bad = app
        .gql(
            Some(&staff),
            CREATE_COHORT,
            json!({ "input": {
                "programId": program, "name": " ", "startsOn": day(30), "endsOn": day(29),
                "capacity": 10, "applicationsOpenOn": day(5), "applicationsCloseOn": day(31),
                "prefecture": "48",
                "tracks": [{ "name": "Web", "capacity": 11 }, { "name": "web", "capacity": 5 }] } }),
        )
        .await;
    let mut got = fields(&bad["data"]["createCampCohort"]);
    got.sort();
    assert_eq!(
        got,
        [
            "input.applicationsCloseOn",
            "input.endsOn",
            "input.name",
            "input.prefecture",
            "input.tracks.0.capacity",
            "input.tracks.1.name",
            "input.venue",
        ],
        "{bad}"
    );
    assert_eq!(
        app.gql(None, "{ campCohorts { totalCount } }", json!({}))
            .await["data"]["campCohorts"]["totalCount"],
        0
    );

    let cohort = open_cohort(&app, "NATIONAL", &[10, 10]).await;
    let fiscal_year = {
        let start = japan_today() + Duration::days(30);
        let year: i32 = start.format("%Y").to_string().parse().unwrap();
        let month: u32 = start.format("%m").to_string().parse().unwrap();
        if month >= 4 { year } else { year - 1 }
    };
    assert_eq!(cohort["fiscalYear"], fiscal_year);
    let skipped = advance_early(&app, &cohort, "IN_SESSION").await;
    assert_eq!(
        skipped["userErrors"][0]["field"],
        json!(["input", "status"])
    );
    assert!(
        skipped["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("SELECTING"),
        "{skipped}"
    );
    let tracks_now = app
        .gql(
            Some(&staff),
            r#"mutation($input: UpdateCampCohortInput!) { updateCampCohort(input: $input) {
                 cohort { id } userErrors { field message } } }"#,
            json!({ "input": { "id": cohort["id"], "expectedVersion": 2,
                    "tracks": [{ "name": "Web", "capacity": 5 }] } }),
        )
        .await;
    assert_eq!(
        fields(&tracks_now["data"]["updateCampCohort"]),
        ["input.tracks"],
        "{tracks_now}"
    );

    let open = app
        .gql(
            None,
            "query($on: Date!) { campCohorts(filter: { acceptingOn: $on, programs: [NATIONAL] }) {
               nodes { name acceptingApplications placesTaken applicationCount program { kind } } } }",
            json!({ "on": day(0) }),
        )
        .await;
    assert_eq!(
        open["data"]["campCohorts"]["nodes"],
        json!([{ "name": "NATIONAL camp", "acceptingApplications": true, "placesTaken": null,
                 "applicationCount": null, "program": { "kind": "NATIONAL" } }]),
        "{open}"
    );
    for to in ["SELECTING", "IN_SESSION", "COMPLETED"] {
        let moved = advance_early(&app, &cohort, to).await;
        assert_eq!(moved["cohort"]["status"], to, "{moved}");
    }
    let after = advance_early(&app, &cohort, "COMPLETED").await;
    assert_eq!(
        after["userErrors"][0]["message"],
        "a completed cohort does not move on"
    );
}

/// A cohort's state and the day it may move on, as camp staff read them.
async fn next_on(app: &TestApp, cohort: &Value) -> Value {
    app.gql(
        Some(&app.token(Role::CampStaff)),
        "query($id: ID!) { node(id: $id) { ... on CampCohort { status nextStatusOn } } }",
        json!({ "id": cohort["id"] }),
    )
    .await["data"]["node"]
        .clone()
}

// A cohort moves on by its calendar: selection after applications close, the session from
// the first day of camp, completion from the last. Before a date only with a reason, which
// the cohort's history keeps for camp staff.

fn on(date: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
}

/// On 2026-12-01, a NATIONAL cohort taking applications from that day to 12-31, in session
/// from 2027-01-30 to 02-03; returns the app, a camp staff token and the cohort (`PLANNED`).
async fn national_2027() -> (TestApp, String, Value) {
    let app = TestApp::on_calendar(japan_morning(on("2026-12-01"))).await;
    let staff = app.token(Role::CampStaff);
    let program = program_id(&app, "NATIONAL").await;
    let created = app
        .gql(
            Some(&staff),
            CREATE_COHORT,
            json!({ "input": {
                "programId": program, "name": "全国大会2027", "startsOn": "2027-01-30", "endsOn": "2027-02-03",
                "venue": "東京都内の研修施設", "prefecture": "13", "capacity": 40,
                "applicationsOpenOn": "2026-12-01", "applicationsCloseOn": "2026-12-31",
                "questions": ["志望動機を書いてください。"],
                "tracks": [{ "name": "Web", "description": "講義と演習", "capacity": 40 }] } }),
        )
        .await;
    let cohort = created["data"]["createCampCohort"]["cohort"].clone();
    (app, staff, cohort)
}

/// The reason staff give to start the 2027 session ten days early.
const EARLY_START: &str = "事前課題の講義を会場の都合で前倒しする";

/// Moves `cohort` on to `to` on `date`, with `reason` when given, expecting no user error.
async fn move_on_day(app: &TestApp, cohort: &Value, date: &str, to: &str, reason: Option<&str>) {
    app.travel_to(on(date));
    let moved = move_on(app, cohort, to, reason).await;
    assert_eq!(moved["userErrors"], json!([]), "{to} on {date}: {moved}");
}

#[tokio::test]
async fn a_cohort_shows_the_day_it_may_move_on() {
    let (app, _, cohort) = national_2027().await;
    assert_eq!(
        next_on(&app, &cohort).await,
        json!({ "status": "PLANNED", "nextStatusOn": "2026-12-01" })
    );
    let opened = advance(&app, &cohort, "APPLICATIONS_OPEN").await;
    assert_eq!(opened["userErrors"], json!([]), "{opened}");
    assert_eq!(
        next_on(&app, &cohort).await,
        json!({ "status": "APPLICATIONS_OPEN", "nextStatusOn": "2027-01-01" })
    );
}

/// Applications close on 12-31: no selection before 2027-01-01 without a reason, and a
/// blank reason is none.
#[tokio::test]
async fn selection_waits_for_applications_to_close_unless_staff_give_a_reason() {
    let (app, staff, cohort) = national_2027().await;
    advance(&app, &cohort, "APPLICATIONS_OPEN").await;
    let early = advance(&app, &cohort, "SELECTING").await;
    assert_eq!(fields(&early), ["input.status"], "{early}");
    let message = early["userErrors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("2027-01-01") && message.contains("overrideReason"),
        "{message}"
    );
    let blank = app
        .gql(
            Some(&staff),
            ADVANCE,
            json!({ "input": { "cohortId": cohort["id"], "expectedVersion": 2, "status": "SELECTING",
                               "overrideReason": "  " } }),
        )
        .await;
    assert_eq!(
        fields(&blank["data"]["advanceCampCohort"]),
        ["input.overrideReason"],
        "{blank}"
    );
    app.travel_to(on("2027-01-01"));
    let selecting = advance(&app, &cohort, "SELECTING").await;
    assert_eq!(selecting["cohort"]["status"], "SELECTING", "{selecting}");
}

/// The session starts on 01-30; staff start it ten days early, saying why.
#[tokio::test]
async fn the_session_starts_early_only_with_a_reason() {
    let (app, staff, cohort) = national_2027().await;
    advance(&app, &cohort, "APPLICATIONS_OPEN").await;
    move_on_day(&app, &cohort, "2027-01-01", "SELECTING", None).await;
    app.travel_to(on("2027-01-20"));
    assert_eq!(
        fields(&advance(&app, &cohort, "IN_SESSION").await),
        ["input.status"]
    );
    let started = app
        .gql(
            Some(&staff),
            ADVANCE,
            json!({ "input": { "cohortId": cohort["id"], "expectedVersion": 3, "status": "IN_SESSION",
                               "overrideReason": EARLY_START } }),
        )
        .await;
    assert_eq!(
        started["data"]["advanceCampCohort"]["cohort"]["status"], "IN_SESSION",
        "{started}"
    );
}

/// Completion from the last day, 02-03.
#[tokio::test]
async fn a_cohort_completes_on_its_last_day() {
    let (app, _, cohort) = national_2027().await;
    advance(&app, &cohort, "APPLICATIONS_OPEN").await;
    move_on_day(&app, &cohort, "2027-01-01", "SELECTING", None).await;
    move_on_day(&app, &cohort, "2027-01-20", "IN_SESSION", Some(EARLY_START)).await;
    app.travel_to(on("2027-02-02"));
    assert_eq!(
        fields(&advance(&app, &cohort, "COMPLETED").await),
        ["input.status"]
    );
    app.travel_to(on("2027-02-03"));
    let completed = advance(&app, &cohort, "COMPLETED").await;
    assert_eq!(completed["cohort"]["status"], "COMPLETED", "{completed}");
}

/// The cohort's history keeps each move, how early it was and the reason given, for camp
/// staff; moves refused leave no trace in it.
#[tokio::test]
async fn a_cohorts_history_keeps_each_move_and_its_reason_for_camp_staff() {
    let (app, staff, cohort) = national_2027().await;
    advance(&app, &cohort, "APPLICATIONS_OPEN").await;
    advance(&app, &cohort, "SELECTING").await;
    move_on_day(&app, &cohort, "2027-01-01", "SELECTING", None).await;
    app.travel_to(on("2027-01-20"));
    advance(&app, &cohort, "IN_SESSION").await;
    move_on_day(&app, &cohort, "2027-01-20", "IN_SESSION", Some(EARLY_START)).await;
    app.travel_to(on("2027-02-02"));
    advance(&app, &cohort, "COMPLETED").await;
    move_on_day(&app, &cohort, "2027-02-03", "COMPLETED", None).await;

    const HISTORY: &str = "query($id: ID!) { node(id: $id) { ... on CampCohort {
        nextStatusOn statusHistory { from to movedOn earlyByDays reason } } } }";
    let history = app
        .gql(Some(&staff), HISTORY, json!({ "id": cohort["id"] }))
        .await;
    assert_eq!(
        history["data"]["node"],
        json!({ "nextStatusOn": null, "statusHistory": [
            { "from": "PLANNED", "to": "APPLICATIONS_OPEN", "movedOn": "2026-12-01", "earlyByDays": 0, "reason": null },
            { "from": "APPLICATIONS_OPEN", "to": "SELECTING", "movedOn": "2027-01-01", "earlyByDays": 0, "reason": null },
            { "from": "SELECTING", "to": "IN_SESSION", "movedOn": "2027-01-20", "earlyByDays": 10, "reason": EARLY_START },
            { "from": "IN_SESSION", "to": "COMPLETED", "movedOn": "2027-02-03", "earlyByDays": 0, "reason": null },
        ] }),
        "{history}"
    );
    let public = app.gql(None, HISTORY, json!({ "id": cohort["id"] })).await;
    assert_eq!(
        public["data"]["node"]["statusHistory"],
        Value::Null,
        "{public}"
    );
}

const PLACES: &str = "query($id: ID!) { node(id: $id) { ... on CampCohort { placesTaken tracks { placesTaken } } } }";

const WITHDRAW: &str = r#"mutation($input: WithdrawCampApplicationInput!) {
  withdrawCampApplication(input: $input) { application { status } userErrors { field message code } } }"#;

/// Alice (born 2007-04-02) and Bob (born 2008-01-15) apply to track 0 of `cohort`; returns
/// their tokens and application IDs.
async fn alice_and_bob_apply(app: &TestApp, cohort: &Value) -> (String, String, Value, Value) {
    let (alice, bob) = (app.person_token("alice"), app.person_token("bob"));
    save_person(app, &alice, "2007-04-02").await;
    save_person(app, &bob, "2008-01-15").await;
    let a = apply(app, &alice, cohort, 0).await;
    let b = apply(app, &bob, cohort, 0).await;
    assert_eq!(a["application"]["status"], "APPLIED", "{a}");
    assert_eq!(b["application"]["status"], "APPLIED", "{b}");
    let (a_id, b_id) = (
        a["application"]["id"].clone(),
        b["application"]["id"].clone(),
    );
    (alice, bob, a_id, b_id)
}

/// One application named twice in a batch is reported as named twice (not as missing),
/// and the batch writes nothing.
#[tokio::test]
async fn a_batch_naming_one_application_twice_says_so_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "NATIONAL", &[10]).await;
    let (_, _, a_id, b_id) = alice_and_bob_apply(&app, &cohort).await;
    advance_early(&app, &cohort, "SELECTING").await;
    let decided = decide(
        &app,
        json!([
            { "applicationId": a_id, "status": "SELECTED" },
            { "applicationId": b_id, "status": "WAITLISTED" },
            { "applicationId": a_id, "status": "REJECTED" },
        ]),
    )
    .await;
    assert_eq!(
        fields(&decided),
        ["input.decisions.2.applicationId"],
        "{decided}"
    );
    let message = decided["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("twice"), "{message}");
    for id in [&a_id, &b_id] {
        let status = app
            .gql(
                Some(&app.token(Role::CampStaff)),
                "query($id: ID!) { node(id: $id) { ... on CampApplication { status } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(status["data"]["node"]["status"], "APPLIED", "{status}");
    }
}

/// The version of an application, as camp staff read it.
async fn version_of(app: &TestApp, id: &Value) -> Value {
    app.gql(
        Some(&app.token(Role::CampStaff)),
        "query($id: ID!) { node(id: $id) { ... on CampApplication { version } } }",
        json!({ "id": id }),
    )
    .await["data"]["node"]["version"]
        .clone()
}

#[tokio::test]
async fn an_application_needs_personal_details_answers_and_distinct_tracks_and_is_made_once() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[1, 5]).await;
    let (alice, bob) = (app.person_token("alice"), app.person_token("bob"));

    // No personal details yet.
    let early = apply(&app, &alice, &cohort, 0).await;
    assert!(
        early["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("saveMyPerson"),
        "{early}"
    );
    save_person(&app, &alice, "2007-04-02").await;
    save_person(&app, &bob, "2008-01-15").await;
    let unanswered = app
        .gql(
            Some(&alice),
            APPLY,
            json!({ "input": { "cohortId": cohort["id"], "answers": [],
                    "preferredTrackIds": [cohort["tracks"][0]["id"], cohort["tracks"][0]["id"]] } }),
        )
        .await;
    let mut got = fields(&unanswered["data"]["applyToCampCohort"]);
    got.sort();
    assert_eq!(got, ["input.answers", "input.preferredTrackIds.1"]);

    let a = apply(&app, &alice, &cohort, 0).await;
    assert_eq!(a["application"]["status"], "APPLIED", "{a}");
    let b = apply(&app, &bob, &cohort, 0).await;
    assert_eq!(b["application"]["status"], "APPLIED", "{b}");
    let again = apply(&app, &alice, &cohort, 1).await;
    assert_eq!(again["userErrors"][0]["code"], "CONFLICT", "{again}");
}

#[tokio::test]
async fn decisions_wait_for_selection_and_a_batch_beyond_a_tracks_places_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::CampStaff);
    let cohort = open_cohort(&app, "MINI", &[1, 5]).await;
    let (_, _, a_id, b_id) = alice_and_bob_apply(&app, &cohort).await;

    // Decisions wait for selection.
    let too_soon = decide(
        &app,
        json!([{ "applicationId": a_id, "status": "SELECTED" }]),
    )
    .await;
    assert!(
        too_soon["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("SELECTING"),
        "{too_soon}"
    );
    advance_early(&app, &cohort, "SELECTING").await;
    let late = apply(&app, &app.person_token("carol"), &cohort, 0).await;
    assert!(!late["userErrors"].as_array().unwrap().is_empty(), "{late}");

    // Track 0 takes one: selecting both is refused as a whole.
    let both = decide(
        &app,
        json!([{ "applicationId": a_id, "status": "SELECTED" }, { "applicationId": b_id, "status": "SELECTED" }]),
    )
    .await;
    assert_eq!(fields(&both), ["input.decisions.1.trackId"], "{both}");
    let still = app
        .gql(
            Some(&staff),
            "query($id: ID!) { campApplications(filter: { cohorts: [$id], statuses: [APPLIED] }) { totalCount } }",
            json!({ "id": cohort["id"] }),
        )
        .await;
    assert_eq!(
        still["data"]["campApplications"]["totalCount"], 2,
        "nothing written: {still}"
    );

    let decided = decide(
        &app,
        json!([{ "applicationId": a_id, "status": "SELECTED" }, { "applicationId": b_id, "status": "WAITLISTED" }]),
    )
    .await;
    assert_eq!(decided["userErrors"], json!([]), "{decided}");
    assert_eq!(decided["applications"][0]["track"]["name"], "Track 0");
    let taken = app
        .gql(Some(&staff), PLACES, json!({ "id": cohort["id"] }))
        .await;
    assert_eq!(
        taken["data"]["node"],
        json!({ "placesTaken": 1, "tracks": [{ "placesTaken": 1 }, { "placesTaken": 0 }] })
    );
}

#[tokio::test]
async fn a_withdrawn_selection_frees_its_place_for_the_waitlisted() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::CampStaff);
    let cohort = open_cohort(&app, "MINI", &[1, 5]).await;
    let (alice, _, a_id, b_id) = alice_and_bob_apply(&app, &cohort).await;
    advance_early(&app, &cohort, "SELECTING").await;
    let decided = decide(
        &app,
        json!([{ "applicationId": a_id, "status": "SELECTED" }, { "applicationId": b_id, "status": "WAITLISTED" }]),
    )
    .await;
    assert_eq!(decided["userErrors"], json!([]), "{decided}");

    // Alice withdraws: her place is free again and Bob takes it.
    let stale = app
        .gql(
            Some(&alice),
            WITHDRAW,
            json!({ "input": { "applicationId": a_id, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(
        stale["data"]["withdrawCampApplication"]["userErrors"][0]["field"],
        json!(["input", "expectedVersion"])
    );
    let not_hers = app
        .gql(
            Some(&alice),
            WITHDRAW,
            json!({ "input": { "applicationId": b_id, "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        not_hers["data"]["withdrawCampApplication"]["userErrors"][0]["code"], "NOT_FOUND",
        "{not_hers}"
    );
    let withdrawn = app
        .gql(
            Some(&alice),
            WITHDRAW,
            json!({ "input": { "applicationId": a_id, "expectedVersion": 2 } }),
        )
        .await;
    assert_eq!(
        withdrawn["data"]["withdrawCampApplication"]["application"]["status"], "WITHDRAWN",
        "{withdrawn}"
    );
    let taken = app
        .gql(Some(&staff), PLACES, json!({ "id": cohort["id"] }))
        .await;
    assert_eq!(taken["data"]["node"]["placesTaken"], 0);
    let promoted = decide(
        &app,
        json!([{ "applicationId": b_id, "status": "SELECTED" }]),
    )
    .await;
    assert_eq!(promoted["userErrors"], json!([]), "{promoted}");
}

#[tokio::test]
async fn attendance_waits_for_the_session_and_completion_makes_an_alumnus() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[1, 5]).await;
    let (_, bob, _, b_id) = alice_and_bob_apply(&app, &cohort).await;
    advance_early(&app, &cohort, "SELECTING").await;
    let selected = decide(
        &app,
        json!([{ "applicationId": b_id, "status": "SELECTED" }]),
    )
    .await;
    assert_eq!(selected["userErrors"], json!([]), "{selected}");

    // Attendance waits for the session; completion follows attendance.
    let early = decide(
        &app,
        json!([{ "applicationId": b_id, "status": "ATTENDED" }]),
    )
    .await;
    assert_eq!(fields(&early), ["input.decisions.0.status"]);
    advance_early(&app, &cohort, "IN_SESSION").await;
    let skip = decide(
        &app,
        json!([{ "applicationId": b_id, "status": "COMPLETED" }]),
    )
    .await;
    assert!(
        skip["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot become COMPLETED"),
        "{skip}"
    );
    for status in ["ATTENDED", "COMPLETED"] {
        let ok = decide(&app, json!([{ "applicationId": b_id, "status": status }])).await;
        assert_eq!(ok["applications"][0]["status"], status, "{ok}");
    }
    for status in ["REJECTED", "SELECTED", "WITHDRAWN", "APPLIED"] {
        let refused = decide(&app, json!([{ "applicationId": b_id, "status": status }])).await;
        assert_eq!(
            fields(&refused),
            ["input.decisions.0.status"],
            "{status}: {refused}"
        );
    }
    let done = app
        .gql(
            Some(&bob),
            WITHDRAW,
            json!({ "input": { "applicationId": b_id, "expectedVersion": version_of(&app, &b_id).await } }),
        )
        .await;
    assert!(
        done["data"]["withdrawCampApplication"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("can no longer be withdrawn"),
        "{done}"
    );
    let bob_sees = app
        .gql(
            Some(&bob),
            "{ myPerson { isAlumnus completedCohorts { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        bob_sees["data"]["myPerson"],
        json!({ "isAlumnus": true, "completedCohorts": [{ "name": "MINI camp" }] })
    );
}

#[tokio::test]
async fn eligibility_rules_are_the_programs_data() {
    let app = TestApp::spawn().await;
    let veteran = app.person_token("veteran");
    graduate(&app, &[&veteran], "NATIONAL").await;
    let next_year = open_cohort(&app, "NATIONAL", &[10]).await;
    let refused = apply(&app, &veteran, &next_year, 0).await;
    let message = refused["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("may be attended once"), "{refused}");
    assert_eq!(fields(&refused), ["input.cohortId"]);

    // Mini camps may be attended again.
    let mini = open_cohort(&app, "MINI", &[10]).await;
    graduate_into(&app, &veteran, &mini).await;

    // Too old for the national camp, too young for nothing else.
    let older = app.person_token("older");
    let birth = (japan_today() + Duration::days(30) - Duration::days(365 * 23 + 10)).to_string();
    save_person(&app, &older, &birth).await;
    let too_old = apply(&app, &older, &next_year, 0).await;
    assert!(
        too_old["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("22 or under"),
        "{too_old}"
    );
    let junior = open_cohort(&app, "JUNIOR", &[10]).await;
    let also = apply(&app, &older, &junior, 0).await;
    assert!(
        also["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("17 or under"),
        "{also}"
    );
    let connect = open_cohort(&app, "CONNECT", &[10]).await;
    let fine = apply(&app, &older, &connect, 0).await;
    assert_eq!(fine["userErrors"], json!([]), "{fine}");
}

async fn graduate_into(app: &TestApp, token: &str, cohort: &Value) {
    let applied = apply(app, token, cohort, 0).await;
    assert_eq!(applied["userErrors"], json!([]), "{applied}");
    let id = applied["application"]["id"].clone();
    advance_early(app, cohort, "SELECTING").await;
    decide(app, json!([{ "applicationId": id, "status": "SELECTED" }])).await;
    advance_early(app, cohort, "IN_SESSION").await;
    decide(app, json!([{ "applicationId": id, "status": "ATTENDED" }])).await;
    let done = decide(app, json!([{ "applicationId": id, "status": "COMPLETED" }])).await;
    assert_eq!(done["userErrors"], json!([]), "{done}");
}

#[tokio::test]
async fn concurrent_selections_never_overfill_a_track() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[2, 10]).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let token = app.person_token(&format!("applicant-{i}"));
        save_person(&app, &token, "2007-07-07").await;
        ids.push(apply(&app, &token, &cohort, 0).await["application"]["id"].clone());
    }
    advance_early(&app, &cohort, "SELECTING").await;
    let decisions = ids.iter().map(|id| {
        let app = &app;
        async move { decide(app, json!([{ "applicationId": id, "status": "SELECTED" }])).await }
    });
    let results = futures_util::future::join_all(decisions).await;
    let selected = results
        .iter()
        .filter(|r| r["userErrors"] == json!([]))
        .count();
    assert_eq!(selected, 2, "{results:?}");
    let staff = app.token(Role::CampStaff);
    let counted = app
        .gql(
            Some(&staff),
            "query($id: ID!) { campApplications(filter: { cohorts: [$id], statuses: [SELECTED] }) { totalCount }
               node(id: $id) { ... on CampCohort { placesTaken tracks { placesTaken } } } }",
            json!({ "id": cohort["id"] }),
        )
        .await;
    assert_eq!(counted["data"]["campApplications"]["totalCount"], 2);
    assert_eq!(
        counted["data"]["node"],
        json!({ "placesTaken": 2, "tracks": [{ "placesTaken": 2 }, { "placesTaken": 0 }] })
    );
}

#[tokio::test]
async fn applicants_see_their_own_applications_only() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[10]).await;
    let (alice, bob) = (app.person_token("alice"), app.person_token("bob"));
    save_person(&app, &alice, "2007-04-02").await;
    save_person(&app, &bob, "2007-04-02").await;
    let a = apply(&app, &alice, &cohort, 0).await["application"]["id"].clone();
    let b = apply(&app, &bob, &cohort, 0).await["application"]["id"].clone();
    let list = "{ campApplications { totalCount nodes { id applicant { name } } } }";
    let own = app.gql(Some(&alice), list, json!({})).await;
    assert_eq!(own["data"]["campApplications"]["totalCount"], 1, "{own}");
    assert_eq!(own["data"]["campApplications"]["nodes"][0]["id"], a);
    let staff = app
        .gql(Some(&app.token(Role::CampStaff)), list, json!({}))
        .await;
    assert_eq!(staff["data"]["campApplications"]["totalCount"], 2);
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let theirs = app.gql(Some(&alice), node, json!({ "id": b })).await;
    assert_eq!(theirs["data"]["node"], Value::Null, "{theirs}");
    let anonymous = app.gql(None, node, json!({ "id": a })).await;
    assert_eq!(anonymous["data"]["node"], Value::Null);
    for role in [
        Role::ProgramStaff,
        Role::SmeUser,
        Role::Analyst,
        Role::PartnerService,
    ] {
        let refused = app.gql(Some(&app.token(role)), list, json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{role}: {refused}");
    }
    assert_eq!(
        error_code(&app.gql(None, list, json!({})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn camp_operations_follow_the_role_matrix() {
    let app = TestApp::spawn().await;
    let nobody = "Q2FtcEFwcGxpY2F0aW9uOjk5OTk"; // CampApplication:9999
    let ops: Vec<Operation<'_>> = vec![
        (
            "createCampCohort",
            r#"mutation { createCampCohort(input: { programId: "Q2FtcFByb2dyYW06MQ", name: "x", startsOn: "2027-08-01",
                 endsOn: "2027-08-05", capacity: 1, applicationsOpenOn: "2027-05-01",
                 applicationsCloseOn: "2027-06-01", tracks: [] }) { userErrors { message } } }"#
                .into(),
            &[Role::Admin, Role::CampStaff],
        ),
        (
            "decideCampApplications",
            format!(
                r#"mutation {{ decideCampApplications(input: {{ decisions: [{{ applicationId: "{nobody}", status: SELECTED }}] }}) {{ userErrors {{ message }} }} }}"#
            ),
            &[Role::Admin, Role::CampStaff],
        ),
        (
            "saveMyPerson",
            r#"mutation { saveMyPerson(input: { name: "x", nameKana: "エックス", birthDate: "1900-01-01",
                 email: "x" }) { userErrors { message } } }"#
                .into(),
            &[Role::Person, Role::Specialist],
        ),
        (
            "withdrawCampApplication",
            format!(
                r#"mutation {{ withdrawCampApplication(input: {{ applicationId: "{nobody}", expectedVersion: 1 }}) {{ userErrors {{ message }} }} }}"#
            ),
            &[Role::Admin, Role::CampStaff, Role::Person, Role::Specialist],
        ),
        (
            "campApplications",
            "{ campApplications { totalCount } }".into(),
            &[Role::Admin, Role::CampStaff, Role::Person, Role::Specialist],
        ),
        (
            "campFigures",
            "{ campFigures(baselineFiscalYear: 2024) { targetGraduates } }".into(),
            &[Role::Admin, Role::CampStaff, Role::ProgramStaff, Role::Analyst],
        ),
        (
            "createCommunityEvent",
            r#"mutation { createCommunityEvent(input: { title: "x", startsAt: "2000-01-01T00:00:00Z",
                 endsAt: "2000-01-01T01:00:00Z", capacity: 0 }) { userErrors { message } } }"#
                .into(),
            &[Role::Admin, Role::CampStaff],
        ),
        (
            "featureAlumniActivity",
            r#"mutation { featureAlumniActivity(input: { activityId: "QWx1bW5pQWN0aXZpdHk6OTk" }) { userErrors { message } } }"#.into(),
            &[Role::Admin, Role::CampStaff],
        ),
        (
            "joinCommunity",
            r#"mutation { joinCommunity(input: { displayName: "x" }) { userErrors { message } } }"#.into(),
            &[Role::Person, Role::Specialist],
        ),
    ];
    assert_authorization(&app, "000001", &ops).await;
}

#[tokio::test]
async fn a_specialist_who_graduated_is_one_person_with_both_roles() {
    let app = TestApp::spawn().await;
    crate::support::factories::register(&app.db, crate::support::factories::specialist("011172"))
        .await;
    let token = app.specialist_token("011172");
    let person = save_person(&app, &token, "2005-09-09").await;
    assert_eq!(person["specialist"]["registrationNumber"], "011172");
    graduate(&app, &[&token], "NEXT").await;
    let me = app
        .gql(
            Some(&token),
            "{ myPerson { isAlumnus completedCohorts { program { kind } } specialist { registrationNumber } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["data"]["myPerson"],
        json!({ "isAlumnus": true, "completedCohorts": [{ "program": { "kind": "NEXT" } }],
                "specialist": { "registrationNumber": "011172" } }),
        "{me}"
    );
    // Updating needs the version read; the link to the registration stays.
    let stale = app
        .gql(
            Some(&token),
            SAVE_PERSON,
            json!({ "input": { "name": "情報 花子", "nameKana": "ジョウホウ ハナコ", "birthDate": "2005-09-09",
                    "email": "new@example.jp" } }),
        )
        .await;
    assert_eq!(
        fields(&stale["data"]["saveMyPerson"]),
        ["input.expectedVersion"]
    );
}

#[tokio::test]
async fn a_page_of_applications_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[40, 40]).await;
    for i in 0..20 {
        let token = app.person_token(&format!("p{i}"));
        save_person(&app, &token, "2007-04-02").await;
        apply(&app, &token, &cohort, i % 2).await;
    }
    let staff = app.token(Role::CampStaff);
    let query = "query($first: Int!) { campApplications(first: $first) { nodes { status answers
        applicant { name completedCohorts { name } communityProfile { displayName } }
        preferredTracks { name } cohort { name program { kind } tracks { name } } } } }";
    let cost = app
        .assert_constant_cost(
            Some(&staff),
            query,
            "/data/campApplications/nodes",
            &[5, 20],
        )
        .await;
    assert!(cost <= 8, "a page costs {cost} statements");
}

#[tokio::test]
async fn a_minor_is_selected_only_once_a_guardian_has_consented() {
    let app = TestApp::spawn().await;
    let cohort = open_cohort(&app, "MINI", &[5]).await;
    let (minor, adult) = (app.person_token("minor"), app.person_token("adult"));
    // Fifteen on the cohort's first day, and twenty.
    let born = |years: i64| {
        (japan_today() + Duration::days(30) - Duration::days(365 * years + 120)).to_string()
    };
    save_person(&app, &minor, &born(15)).await;
    save_person(&app, &adult, &born(20)).await;
    let m = apply(&app, &minor, &cohort, 0).await;
    let a = apply(&app, &adult, &cohort, 0).await;
    let (m_id, a_id) = (
        m["application"]["id"].clone(),
        a["application"]["id"].clone(),
    );
    let awaits = "query($id: ID!) { node(id: $id) { ... on CampApplication {
        awaitsGuardianConsent guardianName guardianConsentedAt version } } }";
    let read = |token: String, id: Value| {
        let app = &app;
        async move { app.gql(Some(&token), awaits, json!({ "id": id })).await["data"]["node"].clone() }
    };
    assert_eq!(
        read(minor.clone(), m_id.clone()).await["awaitsGuardianConsent"],
        true
    );
    assert_eq!(
        read(adult.clone(), a_id.clone()).await["awaitsGuardianConsent"],
        false
    );

    advance_early(&app, &cohort, "SELECTING").await;
    for status in ["SELECTED", "WAITLISTED"] {
        let refused = decide(
            &app,
            json!([{ "applicationId": m_id, "status": status }, { "applicationId": a_id, "status": status }]),
        )
        .await;
        assert_eq!(fields(&refused), ["input.decisions.0.status"], "{refused}");
        assert!(
            refused["userErrors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("guardian"),
            "{refused}"
        );
    }

    // Only the applicant (or camp staff) records it.
    const CONSENT: &str = r#"mutation($input: RecordGuardianConsentInput!) {
      recordGuardianConsent(input: $input) {
        application { awaitsGuardianConsent guardianName version }
        userErrors { field message code } } }"#;
    let version = read(minor.clone(), m_id.clone()).await["version"].clone();
    let input = |name: &str| json!({ "input": { "applicationId": m_id, "guardianName": name, "expectedVersion": version } });
    let stranger = app.gql(Some(&adult), CONSENT, input("情報 太郎")).await;
    assert_eq!(
        stranger["data"]["recordGuardianConsent"]["userErrors"][0]["code"], "NOT_FOUND",
        "{stranger}"
    );
    let empty = app.gql(Some(&minor), CONSENT, input("  ")).await;
    assert_eq!(
        empty["data"]["recordGuardianConsent"]["userErrors"][0]["field"],
        json!(["input", "guardianName"])
    );
    let recorded = app.gql(Some(&minor), CONSENT, input("情報 太郎")).await;
    let application = &recorded["data"]["recordGuardianConsent"]["application"];
    assert_eq!(application["awaitsGuardianConsent"], false, "{recorded}");
    assert_eq!(application["guardianName"], "情報 太郎");

    let selected = decide(
        &app,
        json!([{ "applicationId": m_id, "status": "SELECTED" }, { "applicationId": a_id, "status": "SELECTED" }]),
    )
    .await;
    assert_eq!(selected["userErrors"], json!([]), "{selected}");
}
