//! Matching fixtures through the API: support organizations, companies, consultation
//! requests, specialists with a published entry, proposals and the moves of a match.

use chrono::NaiveDate;
use kakehashi::domain::{Role, matching::corporate_number};
use serde_json::{Value, json};

use super::{
    active_list::{entry, publish},
    register_on,
};
use crate::support::TestApp;

/// A corporate number: `base` with its check digit.
pub fn number(base: u64) -> String {
    corporate_number::with_check_digit(base)
}

pub const CREATE_ORG: &str = r#"mutation($input: CreateSupportOrganizationInput!) {
  createSupportOrganization(input: $input) {
    organization { id code kind prefectures { code } version }
    userErrors { field message code } } }"#;

/// Registers an organization covering Tokyo and Kanagawa; returns its global ID.
pub async fn organization(app: &TestApp, code: &str) -> String {
    let staff = app.token(Role::ProgramStaff);
    let response = app
        .gql(
            Some(&staff),
            CREATE_ORG,
            json!({ "input": {
                "code": code, "name": format!("{code} 商工会議所"), "kind": "CHAMBER_OF_COMMERCE",
                "prefectures": ["14", "13", "13"], "contactEmail": "desk@cci.example.jp" } }),
        )
        .await;
    let payload = &response["data"]["createSupportOrganization"];
    assert_eq!(payload["userErrors"], json!([]), "{response}");
    payload["organization"]["id"].as_str().unwrap().to_owned()
}

pub const REGISTER_COMPANY: &str = r#"mutation($input: RegisterCompanyInput!) {
  registerCompany(input: $input) {
    company { id corporateNumber isSme smeSector guideStep capitalYen
              supportOrganization { code } contact { email } version }
    userErrors { field message code } } }"#;

/// A manufacturer in Tokyo with 40 people and ¥30M of capital: an SME.
pub fn company_input(number: &str) -> Value {
    json!({
        "corporateNumber": number, "name": "株式会社かけはし製作所", "nameKana": "カケハシセイサクショ",
        "industry": "MANUFACTURING", "employees": 40, "capitalYen": 30_000_000_i64,
        "prefecture": "13", "contactName": "山田 花子", "contactEmail": "hanako@kakehashi.example.jp",
    })
}

/// Registers a company as the caller of `token`; returns the payload.
pub async fn register_company(app: &TestApp, token: &str, input: Value) -> Value {
    let response = app
        .gql(Some(token), REGISTER_COMPANY, json!({ "input": input }))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["registerCompany"].clone()
}

pub const FILE_REQUEST: &str = r#"mutation($input: FileConsultationRequestInput!) {
  fileConsultationRequest(input: $input) {
    request { id status language prefecture { code } organization { code }
              themes { code } company { corporateNumber } version }
    userErrors { field message code } } }"#;

/// Files a request for `themes`, to be met in person, for the company `company_id` as the
/// caller of `token`; returns the payload.
pub async fn file_request(app: &TestApp, token: &str, company_id: &str, themes: &[&str]) -> Value {
    let response = app
        .gql(
            Some(token),
            FILE_REQUEST,
            json!({ "input": { "companyId": company_id, "themes": themes,
                    "description": "取引先から対策状況を聞かれたが、何から始めればよいか分からない。",
                    "remoteOk": false } }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["fileConsultationRequest"].clone()
}

/// A company of [`company_input`] registered by its own user, with one request for
/// `themes`; returns the company user's token and the request's global ID.
pub async fn company_with_request(app: &TestApp, base: u64, themes: &[&str]) -> (String, String) {
    let number = number(base);
    let token = app.company_token(&number);
    let registered = register_company(app, &token, company_input(&number)).await;
    let company = registered["company"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{registered}"))
        .to_owned();
    let filed = file_request(app, &token, &company, themes).await;
    let request = filed["request"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{filed}"))
        .to_owned();
    (token, request)
}

/// Registers a specialist on 2026-04-01 and publishes an entry; returns the entry's global
/// ID.
pub async fn specialist_with_entry(app: &TestApp, number: &str, input: Value) -> String {
    register_on(app, number, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).await;
    publish(app, number, input).await
}

pub const PROPOSE: &str = r#"mutation($r: ID!, $e: ID!) {
  proposeMatch(input: { requestId: $r, entryId: $e }) {
    match { id status version respondBy score scoreParts { themeCoverage } }
    userErrors { field message code } } }"#;

/// Proposes the entry `entry` for `request` as the caller of `token`; returns the payload.
pub async fn propose(app: &TestApp, token: &str, request: &str, entry: &str) -> Value {
    let r = app
        .gql(Some(token), PROPOSE, json!({ "r": request, "e": entry }))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["proposeMatch"].clone()
}

/// Runs a match action (`acceptMatch`, `startEngagement`, …) and returns its payload.
pub async fn act(app: &TestApp, token: &str, action: &str, id: &Value, version: i64) -> Value {
    let input = format!("{}{}Input", action[..1].to_uppercase(), &action[1..]);
    let query = format!(
        r#"mutation($input: {input}!) {{ {action}(input: $input) {{
            match {{ id status version }} userErrors {{ field message code }} }} }}"#
    );
    let r = app
        .gql(
            Some(token),
            &query,
            json!({ "input": { "matchId": id, "expectedVersion": version } }),
        )
        .await;
    assert!(r["errors"].is_null(), "{action}: {r}");
    r["data"][action].clone()
}

/// A proposal to `number`, made while their registration and entry are in order; returns
/// the request's and the entry's global IDs, the registration's id and the match's ID.
pub async fn proposed(app: &TestApp, base: u64, number: &str) -> (String, String, i64, Value) {
    let (token, request) = company_with_request(app, base, &["BASIC_POLICY"]).await;
    let id = register_on(app, number, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).await;
    let entry_id = publish(app, number, entry(&["BASIC_POLICY"])).await;
    let made = propose(app, &token, &request, &entry_id).await;
    assert_eq!(made["match"]["status"], "PROPOSED", "{made}");
    (request, entry_id, id, made["match"]["id"].clone())
}
