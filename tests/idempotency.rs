//! `Idempotency-Key` on `POST /graphql`: a retry with the same key gets the first response
//! and runs nothing; the same key with another request is refused; a key whose first
//! request still runs is busy; keys belong to their caller, live in the database and
//! expire after 24 hours.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use entities::{
    audit_event, enums::idempotency::IdempotencyState, guidance_theme, idempotency_key,
};
use kakehashi::domain::{Clock, ManualClock, Role, idempotency};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, error_code, hold_themes, send_to};

const CREATE_THEME: &str = r#"mutation($code: String!) { createGuidanceTheme(input: { code: $code,
    nameJa: "テスト", nameEn: "Test", description: "A theme", category: RECOVERY }) {
    theme { code } userErrors { code message } } }"#;

fn create_theme(code: &str) -> Value {
    json!({ "query": CREATE_THEME, "variables": { "code": code } })
}

/// POSTs `body` (sent as written) to `/graphql` of `router`, with `key` as the
/// `Idempotency-Key` header value when given.
async fn post_with_key(
    router: &axum::Router,
    token: Option<&str>,
    key: Option<&str>,
    body: &str,
) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    send_to(router, request.body(Body::from(body.to_owned())).unwrap()).await
}

fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z")
        .unwrap()
        .to_utc()
}

/// The clock of an app built by `TestApp::on_calendar`.
fn clock(app: &TestApp) -> &'static ManualClock {
    let Clock::Manual(clock) = app.config.clock else {
        panic!("the test needs an app built by TestApp::on_calendar");
    };
    clock
}

/// Asserts that `reply` created the theme `code`.
fn assert_created(reply: &Reply, code: &str) {
    assert_eq!(
        themes_created(reply).as_deref(),
        Some(code),
        "{}",
        reply.body
    );
}

fn themes_created(reply: &Reply) -> Option<String> {
    reply.json()["data"]["createGuidanceTheme"]["theme"]["code"]
        .as_str()
        .map(str::to_owned)
}

async fn key_row(app: &TestApp, key: &str) -> Option<idempotency_key::Model> {
    idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|row| row.key == key)
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_response_and_runs_nothing() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("ONCE").to_string();

    let first = post_with_key(&app.router, Some(&staff), Some("\"order-1\""), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_created(&first, "ONCE");
    assert!(first.headers.get("idempotent-replayed").is_none());
    let themes = app.count(guidance_theme::Entity).await;
    let audited = app.count(audit_event::Entity).await;

    // The retry is serialised differently (key order, spacing): the same request still.
    let retried = format!(
        "{{ \"variables\": {{ \"code\": \"ONCE\" }},\n \"query\": {} }}",
        Value::from(CREATE_THEME)
    );
    app.take_statement_count();
    let replay = post_with_key(&app.router, Some(&staff), Some("\"order-1\""), &retried).await;
    let statements = app.take_statement_count();

    assert_eq!(replay.status, first.status);
    assert_eq!(
        replay.body, first.body,
        "the body is replayed byte for byte"
    );
    assert_eq!(
        replay.headers[header::CONTENT_TYPE],
        first.headers[header::CONTENT_TYPE]
    );
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
    assert_eq!(
        app.count(audit_event::Entity).await,
        audited,
        "nothing audited"
    );
    // The lookup of the key, and nothing else, ran.
    assert!(statements <= 2, "a replay ran {statements} statements");
}

#[tokio::test]
async fn a_bare_key_is_the_same_key_as_its_quoted_form() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("BARE").to_string();
    let key = "8e03978e-40d5-43e8-bc93-6894a57f9324";
    let first = post_with_key(&app.router, Some(&staff), Some(key), &body).await;
    assert_created(&first, "BARE");
    let quoted = format!("\"{key}\"");
    let replay = post_with_key(&app.router, Some(&staff), Some(&quoted), &body).await;
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert_eq!(replay.body, first.body);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused_with_422_and_runs_nothing() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let first = create_theme("FIRST").to_string();
    let reply = post_with_key(&app.router, Some(&staff), Some("\"k-1\""), &first).await;
    assert_created(&reply, "FIRST");
    let themes = app.count(guidance_theme::Entity).await;

    let other = create_theme("OTHER").to_string();
    let refused = post_with_key(&app.router, Some(&staff), Some("\"k-1\""), &other).await;

    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(error_code(&refused.json()), "IDEMPOTENCY_KEY_REUSED");
    assert!(refused.headers.get("idempotent-replayed").is_none());
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
}

#[tokio::test]
async fn a_retry_while_the_first_request_runs_is_refused_with_409_and_retry_after() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("BUSY");
    // Another caller's row tells this caller's fingerprint; the first run of this key is
    // still going on (on another replica, say) for a minute yet.
    let seen = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"seen\""),
        &create_theme("SEEN").to_string(),
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK);
    let principal = key_row(&app, "seen").await.unwrap().principal;
    running_row(
        &app,
        &principal,
        "busy",
        &body,
        start() + chrono::Duration::minutes(1),
    )
    .await;
    let themes = app.count(guidance_theme::Entity).await;

    let reply = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"busy\""),
        &body.to_string(),
    )
    .await;

    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(error_code(&reply.json()), "IDEMPOTENCY_IN_PROGRESS");
    assert_eq!(reply.headers["retry-after"], "1");
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
}

/// Inserts the row of a run of `body` holding `key` for `principal` until `locked_until`.
async fn running_row(
    app: &TestApp,
    principal: &str,
    key: &str,
    body: &Value,
    locked_until: chrono::DateTime<chrono::Utc>,
) {
    idempotency_key::ActiveModel {
        principal: Set(principal.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(idempotency::request_fingerprint(body)),
        state: Set(IdempotencyState::Running),
        attempt: Set(1),
        status: Set(None),
        content_type: Set(None),
        body: Set(None),
        created_at: Set(start()),
        locked_until: Set(locked_until),
        expires_at: Set(start() + idempotency::RETENTION),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_run_whose_lease_ended_is_taken_over_by_the_retry() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let seen = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"seen\""),
        &create_theme("SEEN").to_string(),
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK);
    let principal = key_row(&app, "seen").await.unwrap().principal;
    let body = create_theme("LOST");
    let lease_end = start() + chrono::Duration::seconds(40);
    running_row(&app, &principal, "lost", &body, lease_end).await;
    let busy = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"lost\""),
        &body.to_string(),
    )
    .await;
    assert_eq!(busy.status, StatusCode::CONFLICT, "{}", busy.body);

    // The replica that ran it is gone; past its lease, the retry runs.
    clock(&app).set(lease_end + chrono::Duration::seconds(1));
    let retried = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"lost\""),
        &body.to_string(),
    )
    .await;

    assert_created(&retried, "LOST");
    assert!(retried.headers.get("idempotent-replayed").is_none());
    let row = key_row(&app, "lost").await.unwrap();
    assert_eq!(row.state, IdempotencyState::Completed);
    assert_eq!(row.attempt, 2);
    let again = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"lost\""),
        &body.to_string(),
    )
    .await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, retried.body);
}

#[tokio::test]
async fn after_24_hours_a_key_is_fresh_again_and_pruned() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let first = create_theme("DAY_ONE").to_string();
    let reply = post_with_key(&app.router, Some(&staff), Some("\"daily\""), &first).await;
    assert_created(&reply, "DAY_ONE");

    let later = start() + idempotency::RETENTION - chrono::Duration::seconds(1);
    clock(&app).set(later);
    assert_eq!(idempotency::prune(&app.db, later).await.unwrap(), 0);
    let other = create_theme("DAY_TWO").to_string();
    let refused = post_with_key(&app.router, Some(&staff), Some("\"daily\""), &other).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let next_day = start() + idempotency::RETENTION;
    clock(&app).set(next_day);
    let reused = post_with_key(&app.router, Some(&staff), Some("\"daily\""), &other).await;
    assert_created(&reused, "DAY_TWO");

    // Pruning deletes what has expired, and only that.
    let stale = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"stale\""),
        &create_theme("STALE").to_string(),
    )
    .await;
    assert_eq!(stale.status, StatusCode::OK);
    let pruned = idempotency::prune(&app.db, next_day + idempotency::RETENTION).await;
    assert_eq!(pruned.unwrap(), 2);
    assert_eq!(app.count(idempotency_key::Entity).await, 0);
}

#[tokio::test]
async fn two_callers_with_the_same_key_are_independent() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let admin = app.token(Role::Admin);
    let mine = post_with_key(
        &app.router,
        Some(&staff),
        Some("\"shared\""),
        &create_theme("STAFFS").to_string(),
    )
    .await;
    let theirs = post_with_key(
        &app.router,
        Some(&admin),
        Some("\"shared\""),
        &create_theme("ADMINS").to_string(),
    )
    .await;
    assert_created(&mine, "STAFFS");
    assert_created(&theirs, "ADMINS");
    assert!(theirs.headers.get("idempotent-replayed").is_none());
}

#[tokio::test]
async fn a_malformed_or_repeated_key_is_refused_with_400_and_runs_nothing() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("MALFORMED").to_string();
    let themes = app.count(guidance_theme::Entity).await;
    let too_long = format!("\"{}\"", "k".repeat(256));
    for key in [
        "\"\"",
        "\"open",
        "\"a\" trailing",
        "two words",
        too_long.as_str(),
    ] {
        let reply = post_with_key(&app.router, Some(&staff), Some(key), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{key}: {}",
            reply.body
        );
        assert_eq!(error_code(&reply.json()), "BAD_USER_INPUT", "{key}");
    }
    let request = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {staff}"))
        .header("idempotency-key", "\"a\"")
        .header("idempotency-key", "\"b\"")
        .body(Body::from(body.clone()))
        .unwrap();
    let twice = send_to(&app.router, request).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST, "{}", twice.body);
    assert_eq!(app.count(idempotency_key::Entity).await, 0);
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
}

#[tokio::test]
async fn an_anonymous_caller_is_asked_to_sign_in_to_use_a_key() {
    let app = TestApp::on_calendar(start()).await;
    let body = json!({ "query": "{ guidanceThemes { code } }" }).to_string();
    let reply = post_with_key(&app.router, None, Some("\"anon\""), &body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let message = reply.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("sign in"), "{message}");
    // Without a key, the same request is served as ever.
    let served = post_with_key(&app.router, None, None, &body).await;
    assert_eq!(served.status, StatusCode::OK);
}

#[tokio::test]
async fn a_batch_is_replayed_as_a_whole() {
    let app = TestApp::on_calendar(start()).await;
    let staff = app.token(Role::ProgramStaff);
    let batch = json!([create_theme("BATCH_A"), create_theme("BATCH_B")]).to_string();
    let first = post_with_key(&app.router, Some(&staff), Some("\"batch\""), &batch).await;
    assert_eq!(
        first.json().as_array().map(Vec::len),
        Some(2),
        "{}",
        first.body
    );
    let themes = app.count(guidance_theme::Entity).await;
    let replay = post_with_key(&app.router, Some(&staff), Some("\"batch\""), &batch).await;
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
}

#[tokio::test]
async fn a_replica_on_the_same_database_replays_the_key() {
    let app = TestApp::on_calendar(start()).await;
    let replica = app.replica().await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("REPLICATED").to_string();
    let first = post_with_key(&app.router, Some(&staff), Some("\"across\""), &body).await;
    assert_created(&first, "REPLICATED");
    let themes = app.count(guidance_theme::Entity).await;

    let replay = post_with_key(&replica, Some(&staff), Some("\"across\""), &body).await;

    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert_eq!(replay.body, first.body);
    assert_eq!(app.count(guidance_theme::Entity).await, themes);
}

#[tokio::test]
async fn a_request_cut_off_for_want_of_the_database_does_not_hold_its_key() {
    let app = TestApp::with_env(&[
        ("KAKEHASHI_REQUEST_TIMEOUT_SECS", "0.5"),
        ("KAKEHASHI_ANONYMOUS_REQUEST_TIMEOUT_SECS", "0.3"),
    ])
    .await;
    let staff = app.token(Role::ProgramStaff);
    let body = create_theme("BLOCKED").to_string();
    let (_other, holder) = hold_themes(&app).await;

    // On PostgreSQL the key is taken and the mutation waits past its time limit; on
    // SQLite the whole database is held, and the key cannot even be taken.
    let cut = post_with_key(&app.router, Some(&staff), Some("\"retry-me\""), &body).await;
    let code = error_code(&cut.json()).to_owned();
    assert!(
        ["TIMEOUT", "SERVICE_UNAVAILABLE"].contains(&code.as_str()),
        "{}",
        cut.body
    );
    holder.rollback().await.unwrap();
    assert!(key_row(&app, "retry-me").await.is_none(), "the key is held");

    let retried = post_with_key(&app.router, Some(&staff), Some("\"retry-me\""), &body).await;

    assert_created(&retried, "BLOCKED");
    assert!(retried.headers.get("idempotent-replayed").is_none());
}
