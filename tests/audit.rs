//! The audit trail: append-only in the database, refusals recorded without the values of
//! the request, and readable by administrators only.

use axum::http::StatusCode;
use entities::audit_event;
use kakehashi::{auth::TokenRequest, domain::Role};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::support::{TestApp, error_code};

const CREATE_THEME: &str = r#"mutation($d: String!) { createGuidanceTheme(input: { code: "AUDITED",
    nameJa: "監査", nameEn: "Audited", description: $d, category: RECOVERY }) {
    theme { code } userErrors { code } } }"#;

const EVENTS: &str = r#"query($f: AuditEventFilterInput) { auditEvents(first: 100, filter: $f) {
    totalCount edges { node { id occurredAt actorSubject actorRole action targetType targetId
    requestId details } } } }"#;

/// The latest event of the trail.
pub async fn latest(app: &TestApp) -> audit_event::Model {
    audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("an audit event")
}

#[tokio::test]
async fn the_trail_refuses_updates_and_deletes_even_from_the_service() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let created = app
        .gql(Some(&staff), CREATE_THEME, json!({ "d": "A theme" }))
        .await;
    assert_eq!(
        created["data"]["createGuidanceTheme"]["theme"]["code"],
        "AUDITED"
    );
    let before = latest(&app).await;
    let mut attempts = vec![
        "UPDATE audit_events SET action = 'rewritten'",
        "DELETE FROM audit_events",
    ];
    if app.db.get_database_backend() == DatabaseBackend::Postgres {
        attempts.push("TRUNCATE audit_events");
    }
    for attempt in attempts {
        let refused = app.db.execute_unprepared(attempt).await;
        let message = refused.expect_err(attempt).to_string();
        assert!(message.contains("append-only"), "{attempt}: {message}");
    }
    assert_eq!(latest(&app).await, before);
    // Appending still works.
    let again = app
        .gql(
            Some(&staff),
            &CREATE_THEME.replace("AUDITED", "AUDITED_TOO"),
            json!({ "d": "Another" }),
        )
        .await;
    assert!(again["errors"].is_null(), "{again}");
    assert!(latest(&app).await.id > before.id);
}

#[tokio::test]
async fn refused_writes_and_tokens_are_recorded_without_the_values_sent() {
    let app = TestApp::spawn().await;
    let secret = "the company's confidential incident";
    // A role that may not write this.
    let person = app.person_token("someone");
    let refused = app
        .gql(Some(&person), CREATE_THEME, json!({ "d": secret }))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let event = latest(&app).await;
    assert_eq!(event.action, "refused");
    assert_eq!(event.actor_subject, "someone");
    assert_eq!(event.actor_role, "PERSON");
    assert_eq!(event.target_type, "Operation");
    assert_eq!(event.target_id, "mutation createGuidanceTheme");
    assert_eq!(event.details["code"], "FORBIDDEN");
    assert!(!event.details.to_string().contains("confidential"));

    // A token whose scopes grant no writing.
    let reader = app.token_for(TokenRequest {
        subject: "case-system".into(),
        role: Role::ProgramStaff,
        specialist_id: None,
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: Some("registry:read".into()),
        ttl_seconds: 600,
    });
    let refused = app
        .gql(Some(&reader), CREATE_THEME, json!({ "d": secret }))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let event = latest(&app).await;
    assert_eq!(
        (event.actor_subject.as_str(), event.action.as_str()),
        ("case-system", "refused")
    );

    // A token that does not verify: 401, recorded as an anonymous attempt.
    let reply = app
        .post_graphql(Some("not.a.token"), "{ viewer { role } }", json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let event = latest(&app).await;
    assert_eq!(event.actor_role, "ANONYMOUS");
    assert_eq!(event.target_id, "POST /graphql");
    assert_eq!(event.details["code"], "UNAUTHENTICATED");
    assert!(!event.details.to_string().contains("not.a.token"));

    // Reads refused are not writes: they are answered, not audited.
    let count = app.count(audit_event::Entity).await;
    let read = app
        .gql(Some(&person), "{ renewalCycles { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&read), "FORBIDDEN");
    assert_eq!(app.count(audit_event::Entity).await, count);
}

#[tokio::test]
async fn administrators_read_the_trail_with_filters_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    app.gql(Some(&staff), CREATE_THEME, json!({ "d": "A theme" }))
        .await;
    app.gql(
        Some(&app.person_token("intruder")),
        CREATE_THEME,
        json!({ "d": "x" }),
    )
    .await;
    let admin = app.token(Role::Admin);
    let all = app.gql(Some(&admin), EVENTS, json!({})).await;
    let edges = all["data"]["auditEvents"]["edges"].as_array().unwrap();
    assert_eq!(
        all["data"]["auditEvents"]["totalCount"],
        edges.len(),
        "{all}"
    );
    // Newest first.
    assert_eq!(edges[0]["node"]["action"], "refused");

    let by = |filter: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let response = app.gql(Some(&admin), EVENTS, json!({ "f": filter })).await;
            assert!(response["errors"].is_null(), "{response}");
            response["data"]["auditEvents"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone())
                .collect::<Vec<Value>>()
        }
    };
    let refused = by(json!({ "actions": ["refused"] })).await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["actorSubject"], "intruder");
    let of_staff = by(json!({ "actors": ["test-program_staff"] })).await;
    assert!(!of_staff.is_empty());
    assert!(
        of_staff
            .iter()
            .all(|e| e["actorSubject"] == "test-program_staff")
    );
    let theme_events = by(json!({ "targetTypes": ["GuidanceTheme"] })).await;
    assert!(!theme_events.is_empty());
    let key = theme_events[0]["targetId"].clone();
    let one = by(json!({ "targetTypes": ["GuidanceTheme"], "targetIds": [key] })).await;
    assert!(!one.is_empty() && one.iter().all(|e| e["targetId"] == key));
    let none = by(json!({ "targetTypes": ["GuidanceTheme"], "targetIds": ["no-such-key"] })).await;
    assert!(none.is_empty());
    let future = by(json!({ "from": "2999-01-01T00:00:00Z" })).await;
    assert!(future.is_empty());
    let past = by(json!({ "until": "2000-01-01T00:00:00Z" })).await;
    assert!(past.is_empty());
    let bad = app
        .gql(
            Some(&admin),
            EVENTS,
            json!({ "f": { "from": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z" } }),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");

    // By node ID: administrators only.
    let id = edges[0]["node"]["id"].as_str().unwrap();
    let node = "query($id: ID!) { node(id: $id) { ... on AuditEvent { action } } }";
    let seen = app.gql(Some(&admin), node, json!({ "id": id })).await;
    assert_eq!(seen["data"]["node"]["action"], "refused");
    for role in [Role::ProgramStaff, Role::Analyst, Role::CampStaff] {
        let token = app.token(role);
        let response = app.gql(Some(&token), EVENTS, json!({})).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{role}: {response}");
        if role != Role::Analyst {
            let hidden = app.gql(Some(&token), node, json!({ "id": id })).await;
            assert!(hidden["data"]["node"].is_null(), "{role}: {hidden}");
        }
    }
    let anonymous = app.gql(None, EVENTS, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_unusable_request_id_from_the_client_is_replaced_not_stored() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    for (id, kept) in [
        ("x".repeat(100), false),
        ("bad id\twith spaces".to_owned(), false),
        ("case-4711:retry.2".to_owned(), true),
    ] {
        let body = json!({ "query": CREATE_THEME.replace("AUDITED", &format!("T{}", id.len())), "variables": { "d": "A theme" } });
        let request = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {staff}"))
            .header("x-request-id", &id)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.json()["errors"].is_null(), "{}", reply.body);
        let stored = latest(&app).await.request_id.unwrap();
        assert_eq!(stored == id, kept, "{id:?} stored as {stored:?}");
        assert!(stored.len() <= 64);
    }
}

#[tokio::test]
async fn the_service_role_granted_by_migrate_serves_but_cannot_change_the_trail() {
    let app = TestApp::spawn().await;
    let Some((_, host, path)) = app.postgres_parts() else {
        // SQLite has no roles: the triggers are the trail's only guard there.
        return;
    };
    let role = format!(
        "kakehashi_svc_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    app.db
        .execute_unprepared(&format!("CREATE ROLE {role} LOGIN"))
        .await
        .unwrap();
    kakehashi::startup::grant_service_role(&app.db, &role)
        .await
        .unwrap();
    // Roles that could switch the triggers off, or grant to everyone, are refused.
    let member = format!("{role}_in_owner");
    app.db
        .execute_unprepared(&format!(
            "CREATE ROLE {member} LOGIN; \
             DO $$ BEGIN EXECUTE format('GRANT %I TO {member}', current_user); END $$"
        ))
        .await
        .unwrap();
    for refused in [
        "public",
        "postgres",
        "no_such_role",
        "Mixed",
        "pg_monitor",
        member.as_str(),
    ] {
        let result = kakehashi::startup::grant_service_role(&app.db, refused).await;
        assert!(result.is_err(), "granted to {refused}");
    }

    let as_service = format!("postgres://{role}@{host}/{path}");
    let db = kakehashi::startup::open(
        &secrecy::SecretString::from(as_service),
        kakehashi::startup::Pool::serving(&app.config.limits),
    )
    .await
    .expect("a migrated database opens for the service role");
    let router = kakehashi::startup::build_router(&app.config, db.clone()).unwrap();
    let staff = app.token(Role::ProgramStaff);
    let body = json!({ "query": CREATE_THEME, "variables": { "d": "by the service role" } });
    let reply = crate::support::post_json_to(&router, Some(&staff), body).await;
    assert_eq!(
        reply.json()["data"]["createGuidanceTheme"]["theme"]["code"],
        "AUDITED",
        "{}",
        reply.body
    );
    assert_eq!(latest(&app).await.target_id, "AUDITED");

    for attack in [
        "UPDATE audit_events SET action = 'forged'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "SET session_replication_role = replica",
        "CREATE TABLE forged (id int)",
        "UPDATE consent_records SET given = TRUE",
        "DELETE FROM consent_records",
        "DELETE FROM seaql_migrations",
    ] {
        let refused = db.execute_unprepared(attack).await;
        assert!(refused.is_err(), "{attack} was allowed");
    }
    db.close().await.unwrap();
    app.db
        .execute_unprepared(&format!(
            "DROP OWNED BY {role}; DROP ROLE {role}; DROP ROLE {member}"
        ))
        .await
        .unwrap();
}
