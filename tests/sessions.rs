//! Sessions of an engagement as they happened: each a node with its day and the side that
//! logged it, corrected with a reason on the version read (the values replaced kept in its
//! history), withdrawn when logged by mistake, and corrected only by staff once the
//! engagement ended.

use chrono::{Days, Utc};
use kakehashi::domain::Role;
use serde_json::{Value, json};

use crate::support::{
    TestApp,
    factories::{
        active_list::entry,
        matching::{act, company_with_request, propose, specialist_with_entry},
    },
};

const LOG: &str = r#"mutation($input: LogSessionInput!) { logSession(input: $input) {
  session { id version loggedBy hours } userErrors { field message code } } }"#;

const CORRECT: &str = r#"mutation($input: CorrectMatchSessionInput!) {
  correctMatchSession(input: $input) {
    session { id version heldOn hours topic notes withdrawnAt
              corrections { version reason correctedBy withdrew heldOnBefore hoursBefore
                            topicBefore notesBefore } }
    match { totalHours }
    userErrors { field message code } } }"#;

/// A running engagement between a company and specialist 000031, with one session of two
/// hours logged by the specialist today; returns the company's and the specialist's tokens,
/// the match and the session.
async fn running_engagement(app: &TestApp) -> (String, String, Value, Value) {
    let (company, request) = company_with_request(app, 31, &["BASIC_POLICY"]).await;
    let entry_id = specialist_with_entry(app, "000031", entry(&["BASIC_POLICY"])).await;
    let m = propose(app, &company, &request, &entry_id).await["match"].clone();
    let specialist = app.specialist_token("000031");
    act(app, &specialist, "acceptMatch", &m["id"], 1).await;
    act(app, &company, "startEngagement", &m["id"], 2).await;
    let logged = app
        .gql(
            Some(&specialist),
            LOG,
            json!({ "input": { "matchId": m["id"], "heldOn": app.today().to_string(),
                    "hours": 2.0, "topic": "RISKS", "notes": "初回訪問" } }),
        )
        .await;
    let session = logged["data"]["logSession"]["session"].clone();
    assert_eq!(session["loggedBy"], "SPECIALIST", "{logged}");
    (company, specialist, m, session)
}

fn correction(session: &Value, version: i64, changes: Value) -> Value {
    let mut input = json!({ "sessionId": session["id"], "expectedVersion": version,
                            "reason": "時間を誤って記録した" });
    input
        .as_object_mut()
        .unwrap()
        .extend(changes.as_object().unwrap().clone());
    json!({ "input": input })
}

#[tokio::test]
async fn a_correction_keeps_the_values_it_replaced_and_moves_the_version() {
    let app = TestApp::on_calendar(Utc::now()).await;
    let (company, _, _, session) = running_engagement(&app).await;
    let corrected = app
        .gql(
            Some(&company),
            CORRECT,
            correction(
                &session,
                1,
                json!({ "hours": 1.5, "topic": "BASIC_POLICY" }),
            ),
        )
        .await;
    let payload = &corrected["data"]["correctMatchSession"];
    assert_eq!(payload["userErrors"], json!([]), "{corrected}");
    assert_eq!(payload["session"]["version"], 2);
    assert_eq!(payload["session"]["hours"], 1.5);
    assert_eq!(payload["session"]["topic"], "BASIC_POLICY");
    assert_eq!(payload["match"]["totalHours"], 1.5);
    assert_eq!(
        payload["session"]["corrections"],
        json!([{ "version": 2, "reason": "時間を誤って記録した", "correctedBy": "COMPANY",
                 "withdrew": false, "heldOnBefore": app.today().to_string(),
                 "hoursBefore": 2.0, "topicBefore": "RISKS", "notesBefore": "初回訪問" }])
    );
}

#[tokio::test]
async fn a_correction_on_a_stale_version_or_without_a_change_writes_nothing() {
    let app = TestApp::on_calendar(Utc::now()).await;
    let (_, specialist, _, session) = running_engagement(&app).await;
    let stale = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(&session, 7, json!({ "hours": 1.0 })),
        )
        .await;
    assert_eq!(
        stale["data"]["correctMatchSession"]["userErrors"][0]["field"],
        json!(["input", "expectedVersion"]),
        "{stale}"
    );
    let nothing = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(&session, 1, json!({ "hours": 2.0 })),
        )
        .await;
    assert_eq!(
        nothing["data"]["correctMatchSession"]["userErrors"][0]["field"],
        json!(["input"]),
        "{nothing}"
    );
    let future = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(
                &session,
                1,
                json!({ "heldOn": (app.today() + Days::new(1)).to_string() }),
            ),
        )
        .await;
    assert_eq!(
        future["data"]["correctMatchSession"]["userErrors"][0]["field"],
        json!(["input", "heldOn"]),
        "{future}"
    );
    let node = app
        .gql(
            Some(&specialist),
            "query($id: ID!) { node(id: $id) { ... on MatchSession { version hours corrections { version } } } }",
            json!({ "id": session["id"] }),
        )
        .await;
    assert_eq!(
        node["data"]["node"],
        json!({ "version": 1, "hours": 2.0, "corrections": [] }),
        "{node}"
    );
}

#[tokio::test]
async fn a_withdrawn_session_counts_for_nothing_and_stays_in_the_history() {
    let app = TestApp::on_calendar(Utc::now()).await;
    let (_, specialist, m, session) = running_engagement(&app).await;
    let withdrawn = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(&session, 1, json!({ "withdraw": true })),
        )
        .await;
    let payload = &withdrawn["data"]["correctMatchSession"];
    assert!(payload["session"]["withdrawnAt"].is_string(), "{withdrawn}");
    assert_eq!(payload["match"]["totalHours"], 0.0);
    let listed = app
        .gql(
            Some(&specialist),
            "query($id: ID!) { node(id: $id) { ... on Match {
               sessions { id } all: sessions(includeWithdrawn: true) { id } } } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(listed["data"]["node"]["sessions"], json!([]), "{listed}");
    assert_eq!(
        listed["data"]["node"]["all"],
        json!([{ "id": session["id"] }])
    );
    let again = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(&session, 2, json!({ "hours": 1.0 })),
        )
        .await;
    assert_eq!(
        again["data"]["correctMatchSession"]["userErrors"][0]["field"],
        json!(["input", "sessionId"]),
        "{again}"
    );
}

#[tokio::test]
async fn once_the_engagement_ended_only_registry_staff_correct_its_sessions() {
    let app = TestApp::on_calendar(Utc::now()).await;
    let (company, specialist, m, session) = running_engagement(&app).await;
    let cancelled = act(&app, &company, "cancelMatch", &m["id"], 3).await;
    assert_eq!(cancelled["match"]["status"], "CANCELLED", "{cancelled}");
    let refused = app
        .gql(
            Some(&specialist),
            CORRECT,
            correction(&session, 1, json!({ "hours": 1.0 })),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let staff = app.token(Role::ProgramStaff);
    let corrected = app
        .gql(
            Some(&staff),
            CORRECT,
            correction(&session, 1, json!({ "hours": 1.0 })),
        )
        .await;
    assert_eq!(
        corrected["data"]["correctMatchSession"]["session"]["hours"], 1.0,
        "{corrected}"
    );
}

#[tokio::test]
async fn another_company_neither_reads_nor_corrects_a_session() {
    let app = TestApp::on_calendar(Utc::now()).await;
    let (_, _, _, session) = running_engagement(&app).await;
    let (stranger, _) = company_with_request(&app, 32, &["BASIC_POLICY"]).await;
    let read = app
        .gql(
            Some(&stranger),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": session["id"] }),
        )
        .await;
    assert_eq!(read["data"]["node"], Value::Null, "{read}");
    let corrected = app
        .gql(
            Some(&stranger),
            CORRECT,
            correction(&session, 1, json!({ "hours": 1.0 })),
        )
        .await;
    assert_eq!(
        corrected["data"]["correctMatchSession"]["userErrors"][0]["code"], "NOT_FOUND",
        "{corrected}"
    );
}
