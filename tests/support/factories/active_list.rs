//! Active List fixtures: an entry's input, and entries saved, submitted and published
//! through the API.

use kakehashi::domain::Role;
use serde_json::{Value, json};

use crate::support::TestApp;

pub fn entry(themes: &[&str]) -> Value {
    json!({
        "themes": themes,
        "industries": ["MANUFACTURING"],
        "domains": ["工場のネットワーク"],
        "prefectures": ["13", "14"],
        "remoteOk": false,
        "languages": ["ja"],
        "feePolicy": "SUBSIDISED",
        "capacity": 3,
        "bioJa": "中小製造業の情報セキュリティ支援を10年続けています。",
    })
}

pub const SAVE: &str = r#"mutation($input: SaveMyActiveListEntryInput!) {
  saveMyActiveListEntry(input: $input) {
    entry { id status eligible version themes { code } }
    userErrors { field message code } } }"#;
pub const SUBMIT: &str = r#"mutation { submitMyActiveListEntry { entry { status } userErrors { field message code } } }"#;
pub const REVIEW: &str = r#"mutation($id: ID!, $d: ActiveListDecision!, $c: String) {
  reviewActiveListEntry(input: { entryId: $id, decision: $d, comment: $c }) {
    entry { status reviewComment } userErrors { field message code } } }"#;
/// Saves the entry of `number`, expecting no request-level error.
pub async fn save(app: &TestApp, number: &str, input: Value) -> Value {
    let token = app.specialist_token(number);
    let response = app.gql(Some(&token), SAVE, json!({ "input": input })).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["saveMyActiveListEntry"].clone()
}

/// Saves, submits and publishes an entry; returns its global ID.
pub async fn publish(app: &TestApp, number: &str, input: Value) -> String {
    let saved = save(app, number, input).await;
    assert!(
        saved["userErrors"].as_array().unwrap().is_empty(),
        "{saved}"
    );
    let id = saved["entry"]["id"].as_str().unwrap().to_owned();
    let submitted = app
        .gql(Some(&app.specialist_token(number)), SUBMIT, json!({}))
        .await;
    assert_eq!(
        submitted["data"]["submitMyActiveListEntry"]["entry"]["status"], "PENDING_REVIEW",
        "{submitted}"
    );
    let staff = app.token(Role::ProgramStaff);
    let published = app
        .gql(Some(&staff), REVIEW, json!({ "id": id, "d": "PUBLISH" }))
        .await;
    assert_eq!(
        published["data"]["reviewActiveListEntry"]["entry"]["status"], "PUBLISHED",
        "{published}"
    );
    id
}
