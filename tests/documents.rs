//! Persisted operations: trusted documents registered by staff and run by `documentId`
//! (or Relay's `doc_id`, over POST and GET), Apollo's automatic persisted queries, and
//! `KAKEHASHI_TRUSTED_DOCUMENTS_ONLY` for service accounts.

use axum::http::StatusCode;
use entities::persisted_document;
use kakehashi::domain::{Role, documents::sha256_hex};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::support::{TestApp, assert_authorization, error_code, post_json_to};

const VIEWER: &str = "query Viewer { viewer { role } }";
const PAGE: &str = "query Page($first: Int) { trustedDocuments(first: $first) { totalCount nodes { documentId } } }";
const REGISTER: &str = "mutation Register($input: RegisterTrustedDocumentsInput!) {
    registerTrustedDocuments(input: $input) {
        added documents { documentId sha256 client registeredBy }
        userErrors { field message code } } }";

/// Registers `documents` (id, text) as an administrator; the payload.
async fn register(app: &TestApp, documents: &[(&str, &str)]) -> Value {
    let documents: Vec<Value> = documents
        .iter()
        .map(|(id, document)| json!({ "id": id, "document": document }))
        .collect();
    let response = app
        .gql(
            Some(&app.token(Role::Admin)),
            REGISTER,
            json!({ "input": { "documents": documents, "client": "web-portal" } }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["registerTrustedDocuments"].clone()
}

async fn post(app: &TestApp, token: Option<&str>, body: Value) -> Value {
    let reply = post_json_to(&app.router, token, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn stored(app: &TestApp) -> u64 {
    app.count(persisted_document::Entity).await
}

#[tokio::test]
async fn a_registered_document_runs_by_document_id_doc_id_and_over_get() {
    let app = TestApp::spawn().await;
    let payload = register(&app, &[("v1", VIEWER), ("p1", PAGE)]).await;
    assert_eq!(payload["added"], 2, "{payload}");
    assert_eq!(payload["documents"][0]["sha256"], sha256_hex(VIEWER));
    assert_eq!(payload["documents"][0]["registeredBy"], "test-admin");
    let staff = app.token(Role::ProgramStaff);

    let by_id = post(&app, Some(&staff), json!({ "documentId": "v1" })).await;
    assert_eq!(by_id["data"]["viewer"]["role"], "PROGRAM_STAFF", "{by_id}");
    let relay = post(
        &app,
        Some(&staff),
        json!({ "doc_id": "v1", "variables": {} }),
    )
    .await;
    assert_eq!(relay["data"]["viewer"]["role"], "PROGRAM_STAFF", "{relay}");
    let reply = app.get(Some(&staff), "/graphql?documentId=v1").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["data"]["viewer"]["role"], "PROGRAM_STAFF");

    // Variables work as with the text.
    let page = post(
        &app,
        Some(&staff),
        json!({ "documentId": "p1", "variables": { "first": 1 } }),
    )
    .await;
    assert_eq!(page["data"]["trustedDocuments"]["totalCount"], 2, "{page}");
    assert_eq!(
        page["data"]["trustedDocuments"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // In a batch, each operation names its own.
    let reply = post_json_to(
        &app.router,
        Some(&staff),
        json!([{ "documentId": "v1" }, { "query": VIEWER }]),
    )
    .await;
    let batch = reply.json();
    assert_eq!(batch[0]["data"], batch[1]["data"], "{batch}");
    // Naming a document and sending a text is one too many.
    let both = post(
        &app,
        Some(&staff),
        json!({ "documentId": "v1", "query": VIEWER }),
    )
    .await;
    assert_eq!(error_code(&both), "BAD_USER_INPUT", "{both}");
}

#[tokio::test]
async fn a_mutation_named_over_get_is_refused_with_405() {
    let app = TestApp::spawn().await;
    let payload = register(&app, &[("reg", REGISTER)]).await;
    assert_eq!(payload["added"], 1, "{payload}");
    let reply = app
        .get(Some(&app.token(Role::Admin)), "/graphql?documentId=reg")
        .await;
    assert_eq!(
        reply.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn an_unknown_document_id_is_persisted_query_not_found() {
    let app = TestApp::spawn().await;
    let response = post(&app, None, json!({ "documentId": "nope" })).await;
    assert_eq!(error_code(&response), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(response["errors"][0]["message"], "PersistedQueryNotFound");
    let reply = app.get(None, "/graphql?doc_id=nope").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(error_code(&reply.json()), "PERSISTED_QUERY_NOT_FOUND");
}

fn apq(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn apollo_apq_stores_a_document_once_its_hash_is_checked() {
    let app = TestApp::spawn().await;
    let hash = sha256_hex(VIEWER);
    let person = app.person_token("alice");

    let unknown = post(&app, Some(&person), json!({ "extensions": apq(&hash) })).await;
    assert_eq!(
        error_code(&unknown),
        "PERSISTED_QUERY_NOT_FOUND",
        "{unknown}"
    );
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

    let wrong = post(
        &app,
        Some(&person),
        json!({ "query": "{ viewer { authenticated } }", "extensions": apq(&hash) }),
    )
    .await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT", "{wrong}");
    assert_eq!(stored(&app).await, 0);

    let sent = post(
        &app,
        Some(&person),
        json!({ "query": VIEWER, "extensions": apq(&hash) }),
    )
    .await;
    assert_eq!(sent["data"]["viewer"]["role"], "PERSON", "{sent}");
    assert_eq!(stored(&app).await, 1);

    let by_hash = post(&app, Some(&person), json!({ "extensions": apq(&hash) })).await;
    assert_eq!(by_hash["data"]["viewer"]["role"], "PERSON", "{by_hash}");
    let uri = format!(
        "/graphql?extensions={}",
        urlencode(&apq(&hash.to_ascii_uppercase()).to_string())
    );
    let reply = app.get(None, &uri).await;
    assert!(reply.json()["data"]["viewer"].is_object(), "{}", reply.body);

    // Another replica on the same database finds it.
    let replica = app.replica().await;
    let reply = post_json_to(&replica, None, json!({ "extensions": apq(&hash) })).await;
    assert!(reply.json()["errors"].is_null(), "{}", reply.body);

    // A document that does not validate is reported and not stored.
    let broken = "{ viewer { shoeSize } }";
    let response = post(
        &app,
        None,
        json!({ "query": broken, "extensions": apq(&sha256_hex(broken)) }),
    )
    .await;
    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
    assert_eq!(stored(&app).await, 1);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_registered_document_is_found_by_another_replica() {
    let app = TestApp::spawn().await;
    register(&app, &[("v1", VIEWER)]).await;
    let replica = app.replica().await;
    let reply = post_json_to(&replica, None, json!({ "documentId": "v1" })).await;
    assert!(reply.json()["data"]["viewer"].is_object(), "{}", reply.body);
}

#[tokio::test]
async fn only_program_staff_and_administrators_register_and_read_trusted_documents() {
    let app = TestApp::spawn().await;
    let register = format!(
        "mutation {{ registerTrustedDocuments(input: {{ documents: [{{ id: \"v1\", document: {} }}] }}) {{ added }} }}",
        serde_json::to_string(VIEWER).unwrap()
    );
    let read = "{ trustedDocuments { totalCount } }".to_owned();
    let staff: &[Role] = &[Role::Admin, Role::ProgramStaff];
    assert_authorization(
        &app,
        "000001",
        &[
            ("registerTrustedDocuments", register, staff),
            ("trustedDocuments", read, staff),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_document_that_does_not_validate_is_refused_and_nothing_is_registered() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            REGISTER,
            json!({ "input": { "documents": [
                { "id": "v1", "document": VIEWER },
                { "id": "bad", "document": "{ viewer { shoeSize } }" },
                { "id": "has space", "document": VIEWER },
            ] } }),
        )
        .await;
    let errors = &response["data"]["registerTrustedDocuments"]["userErrors"];
    assert_eq!(
        errors[0]["field"],
        json!(["input", "documents", "1", "document"]),
        "{response}"
    );
    assert!(errors[0]["message"].as_str().unwrap().contains("shoeSize"));
    assert_eq!(errors[1]["field"], json!(["input", "documents", "2", "id"]));
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn registering_again_changes_nothing_and_another_text_under_an_id_is_a_conflict() {
    let app = TestApp::spawn().await;
    register(&app, &[("v1", VIEWER)]).await;
    let again = register(&app, &[("v1", VIEWER), ("p1", PAGE)]).await;
    assert_eq!(again["added"], 1, "{again}");
    assert_eq!(again["userErrors"], json!([]));
    let changed = register(&app, &[("v1", "{ viewer { authenticated } }")]).await;
    assert_eq!(changed["userErrors"][0]["code"], "CONFLICT", "{changed}");
    assert_eq!(
        changed["userErrors"][0]["field"],
        json!(["input", "documents", "0", "id"])
    );
    assert_eq!(stored(&app).await, 2);
}

#[tokio::test]
async fn the_command_line_registers_relay_and_apollo_manifests() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let relay = dir.path().join("relay.json");
    std::fs::write(&relay, json!({ "r1": VIEWER }).to_string()).unwrap();
    let apollo = dir.path().join("apollo.json");
    let manifest = json!({
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            { "id": sha256_hex(PAGE), "name": "Page", "type": "query", "body": PAGE },
            { "id": "r1-again", "name": "Viewer", "type": "query", "body": VIEWER },
        ],
    });
    std::fs::write(&apollo, manifest.to_string()).unwrap();

    let report = kakehashi::cli::add_documents(&app.db, &relay, Some("relay-app"))
        .await
        .unwrap();
    assert_eq!(report, "1 documents: 1 added, 0 already registered");
    let report = kakehashi::cli::add_documents(&app.db, &apollo, None)
        .await
        .unwrap();
    assert_eq!(report, "2 documents: 2 added, 0 already registered");
    let again = kakehashi::cli::add_documents(&app.db, &relay, None)
        .await
        .unwrap();
    assert_eq!(again, "1 documents: 0 added, 1 already registered");

    // An Apollo client with persisted queries sends the manifest's hash.
    let staff = app.token(Role::Admin);
    let by_hash = post(
        &app,
        Some(&staff),
        json!({ "extensions": apq(&sha256_hex(PAGE)) }),
    )
    .await;
    assert_eq!(
        by_hash["data"]["trustedDocuments"]["totalCount"], 3,
        "{by_hash}"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        json!({ "ok": VIEWER, "broken": "{ nope }" }).to_string(),
    )
    .unwrap();
    let refused = kakehashi::cli::add_documents(&app.db, &bad, None)
        .await
        .unwrap_err();
    assert!(refused.contains("`broken`"), "{refused}");
    assert_eq!(stored(&app).await, 3);
}

/// A service whose service accounts run trusted documents only.
async fn trusted_only() -> TestApp {
    let app = TestApp::with_env(&[("KAKEHASHI_TRUSTED_DOCUMENTS_ONLY", "true")]).await;
    register(&app, &[("v1", VIEWER), ("reg", REGISTER)]).await;
    app
}

#[tokio::test]
async fn with_trusted_documents_only_a_service_account_runs_registered_documents_alone() {
    let app = trusted_only().await;
    let service = app.scoped_token(Role::ProgramStaff, "registry:read");

    let free_form = post(&app, Some(&service), json!({ "query": VIEWER })).await;
    assert_eq!(
        error_code(&free_form),
        "PERSISTED_QUERY_REQUIRED",
        "{free_form}"
    );
    let by_id = post(&app, Some(&service), json!({ "documentId": "v1" })).await;
    assert_eq!(by_id["data"]["viewer"]["role"], "PROGRAM_STAFF", "{by_id}");
    // The hash of a trusted document finds it too.
    let by_hash = post(
        &app,
        Some(&service),
        json!({ "extensions": apq(&sha256_hex(VIEWER)) }),
    )
    .await;
    assert!(by_hash["errors"].is_null(), "{by_hash}");

    // APQ cannot bring in new text for it, nor run what others stored through APQ.
    let text = "{ viewer { authenticated } }";
    let hash = sha256_hex(text);
    let sent = post(
        &app,
        Some(&service),
        json!({ "query": text, "extensions": apq(&hash) }),
    )
    .await;
    assert_eq!(error_code(&sent), "PERSISTED_QUERY_REQUIRED", "{sent}");
    assert_eq!(stored(&app).await, 2);
    let person = app.person_token("alice");
    post(
        &app,
        Some(&person),
        json!({ "query": text, "extensions": apq(&hash) }),
    )
    .await;
    assert_eq!(stored(&app).await, 3);
    let stored_by_apq = post(&app, Some(&service), json!({ "extensions": apq(&hash) })).await;
    assert_eq!(
        error_code(&stored_by_apq),
        "PERSISTED_QUERY_REQUIRED",
        "{stored_by_apq}"
    );
}

#[tokio::test]
async fn with_trusted_documents_only_people_staff_and_anonymous_callers_keep_free_form() {
    let app = trusted_only().await;
    for token in [
        None,
        Some(app.person_token("alice")),
        Some(app.token(Role::ProgramStaff)),
        Some(app.token(Role::Admin)),
        Some(app.token(Role::SupportOrgStaff)),
    ] {
        let response = post(&app, token.as_deref(), json!({ "query": VIEWER })).await;
        assert!(response["errors"].is_null(), "{token:?}: {response}");
    }
}

#[tokio::test]
async fn a_trusted_document_is_still_subject_to_the_service_accounts_scopes() {
    let app = trusted_only().await;
    let input = json!({ "input": { "documents": [{ "id": "p1", "document": PAGE }] } });
    let reader = app.scoped_token(Role::Admin, "registry:read");
    let refused = post(
        &app,
        Some(&reader),
        json!({ "documentId": "reg", "variables": input }),
    )
    .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["missingScope"],
        "documents:write"
    );
    assert_eq!(stored(&app).await, 2);
    // A deployment pipeline's account with the scope registers through the trusted
    // registration document.
    let pipeline = app.scoped_token(Role::Admin, "documents:write");
    let done = post(
        &app,
        Some(&pipeline),
        json!({ "documentId": "reg", "variables": input }),
    )
    .await;
    assert_eq!(
        done["data"]["registerTrustedDocuments"]["added"], 1,
        "{done}"
    );
    // Its role still decides: a scoped token of a role that may not register cannot.
    let partner = app.scoped_token(Role::PartnerService, "documents:write");
    let refused = post(
        &app,
        Some(&partner),
        json!({ "documentId": "reg", "variables": input }),
    )
    .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
}

#[tokio::test]
async fn the_database_refuses_a_source_that_is_not_one_of_its_names() {
    let app = TestApp::spawn().await;
    let insert = format!(
        "INSERT INTO persisted_documents (document_id, sha256, body, source, created_at) \
         VALUES ('x', '{}', '{{ a }}', 'OTHER', '2026-12-07T00:00:00Z')",
        "0".repeat(64)
    );
    let refused = app
        .db
        .execute_unprepared(&insert)
        .await
        .expect_err("the CHECK constraint refuses it");
    assert!(
        refused.to_string().to_lowercase().contains("check"),
        "{refused}"
    );
}
