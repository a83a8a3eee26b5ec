//! Service accounts: a token with a `scope` claim does only what both its role and its
//! scopes allow, by every path (a root field, a nested edge, an alias, a fragment, a node
//! ID, the HTTP files); training providers record their own courses' completions; every
//! token's subject and client are in the audit trail.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use entities::{course, guidance_theme, support_organization};
use kakehashi::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    audit::latest,
    support::{TestApp, error_code, factories::matching::proposed},
};

/// One operation of the matrix: its name, the document, its variables (made unique per
/// run for the writes), the scope it needs, and the row a write leaves (table, code).
struct Op {
    name: &'static str,
    document: &'static str,
    scope: &'static str,
    writes: Option<&'static str>,
}

const OPS: &[Op] = &[
    Op {
        name: "specialists",
        document: "{ specialists(first: 2) { edges { node { registrationNumber } } } }",
        scope: "registry:read",
        writes: None,
    },
    Op {
        name: "courses",
        document: "{ courses(first: 2) { edges { node { code providerCode } } } }",
        scope: "renewal:read",
        writes: None,
    },
    Op {
        name: "guidanceThemes",
        document: "{ guidanceThemes { code } }",
        scope: "activelist:read",
        writes: None,
    },
    Op {
        name: "supportOrganizations",
        document: "{ supportOrganizations(first: 2) { edges { node { code } } } }",
        scope: "matching:read",
        writes: None,
    },
    Op {
        name: "campPrograms",
        document: "{ campPrograms { id kind } }",
        scope: "camps:read",
        writes: None,
    },
    Op {
        name: "specialistCount",
        document: r#"{ specialistCount(asOf: "2026-04-01") }"#,
        scope: "analytics:read",
        writes: None,
    },
    Op {
        name: "auditEvents",
        document: "{ auditEvents(first: 1) { edges { node { action } } } }",
        scope: "audit:read",
        writes: None,
    },
    Op {
        name: "retentionPeriods",
        document: "{ retentionPeriods { kind } }",
        scope: "rights:read",
        writes: None,
    },
    Op {
        name: "createGuidanceTheme",
        document: r#"mutation($code: String!) { createGuidanceTheme(input: { code: $code,
            nameJa: "テスト", nameEn: "Test", description: "A theme", category: RECOVERY }) {
            theme { code } userErrors { code } } }"#,
        scope: "activelist:write",
        writes: Some("theme"),
    },
    Op {
        name: "createCourse",
        document: r#"mutation($code: String!) { createCourse(input: { code: $code,
            name: "講習", provider: "IPA", providerCode: "IPA", kind: ONLINE,
            fiscalYear: 2026, feeYen: 1000, hours: 1.5 }) { course { code } userErrors { code } } }"#,
        scope: "renewal:write",
        writes: Some("course"),
    },
    Op {
        name: "createSupportOrganization",
        document: r#"mutation($code: String!) { createSupportOrganization(input: { code: $code,
            name: "商工会議所", kind: CHAMBER_OF_COMMERCE, prefectures: ["13"],
            contactEmail: "soudan@example.jp" }) { organization { code } userErrors { code } } }"#,
        scope: "matching:write",
        writes: Some("organization"),
    },
];

const ROLES: &[Role] = &[
    Role::Admin,
    Role::ProgramStaff,
    Role::SupportOrgStaff,
    Role::Analyst,
    Role::PartnerService,
    Role::TrainingProvider,
    Role::Specialist,
];

/// The scope sets every role and operation is tried with, beside the operation's own
/// scope and its area's other scope.
const SCOPE_SETS: &[&str] = &[
    "",
    "openid profile",
    "read write",
    "events:read webhooks:manage",
];

/// What a response came to: `OK`, or the code of its first error.
fn outcome(response: &Value) -> String {
    match response["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => "OK".to_owned(),
    }
}

static RUN: AtomicUsize = AtomicUsize::new(0);

/// A code no earlier run used.
fn fresh_code() -> String {
    format!("SCOPED_{}", RUN.fetch_add(1, Ordering::Relaxed))
}

/// Whether a write left its row: the row of `E` whose code column is `code`.
async fn exists<E: EntityTrait>(app: &TestApp, code_column: E::Column, code: &str) -> bool
where
    E::Model: Sync,
{
    E::find()
        .filter(code_column.eq(code))
        .count(&app.db)
        .await
        .expect("count")
        > 0
}

/// Whether a write left its row.
async fn written(app: &TestApp, table: &str, code: &str) -> bool {
    match table {
        "theme" => exists::<guidance_theme::Entity>(app, guidance_theme::Column::Code, code).await,
        "course" => exists::<course::Entity>(app, course::Column::Code, code).await,
        _ => {
            exists::<support_organization::Entity>(app, support_organization::Column::Code, code)
                .await
        }
    }
}

/// The other scope of an operation's area: its write scope for a read, its read scope
/// for a write (none for areas that are only read).
fn sibling(scope: &str) -> Option<String> {
    let (area, access) = scope.split_once(':')?;
    let other = if access == "read" { "write" } else { "read" };
    (!matches!(area, "analytics" | "audit")).then(|| format!("{area}:{other}"))
}

#[tokio::test]
async fn a_scoped_token_does_only_what_both_its_role_and_its_scopes_allow() {
    let app = TestApp::spawn().await;
    for &role in ROLES {
        for op in OPS {
            let code = fresh_code();
            let baseline = outcome(
                &app.gql(Some(&app.token(role)), op.document, json!({ "code": code }))
                    .await,
            );
            let mut sets: Vec<String> = SCOPE_SETS.iter().map(|s| (*s).to_owned()).collect();
            sets.push(op.scope.to_owned());
            sets.push(format!("registry:read {} camps:write", op.scope));
            sets.extend(sibling(op.scope));
            for scopes in sets {
                let granted = scopes.split_whitespace().any(|s| {
                    s == op.scope
                        || (op.scope.ends_with(":read") && Some(s.to_owned()) == sibling(op.scope))
                });
                let code = fresh_code();
                let token = app.scoped_token(role, &scopes);
                let response = app
                    .gql(Some(&token), op.document, json!({ "code": code }))
                    .await;
                let case = format!("{role} with `{scopes}` on {}: {response}", op.name);
                if granted {
                    assert_eq!(outcome(&response), baseline, "{case}");
                } else {
                    assert_eq!(outcome(&response), "FORBIDDEN", "{case}");
                    if baseline != "FORBIDDEN" {
                        assert_eq!(
                            response["errors"][0]["extensions"]["missingScope"], op.scope,
                            "{case}"
                        );
                        let message = response["errors"][0]["message"]
                            .as_str()
                            .unwrap_or_default();
                        assert!(message.contains(op.scope), "{case}");
                    }
                    if let Some(table) = op.writes {
                        assert!(!written(&app, table, &code).await, "{case}: written");
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn a_nested_edge_into_another_area_needs_that_areas_scope() {
    let app = TestApp::spawn().await;
    let (_, _, _, match_id) = proposed(&app, 7100, "000071").await;
    let token = app.scoped_token(Role::ProgramStaff, "matching:read");
    let query = r#"query($id: ID!) { node(id: $id) { ... on Match { id status
        specialist { registrationNumber } } } }"#;
    let response = app
        .gql(Some(&token), query, json!({ "id": match_id }))
        .await;
    assert_eq!(response["data"]["node"]["status"], "PROPOSED", "{response}");
    let refusal = &response["errors"][0];
    assert_eq!(refusal["extensions"]["code"], "FORBIDDEN", "{response}");
    assert_eq!(
        refusal["extensions"]["missingScope"], "registry:read",
        "{response}"
    );
    assert_eq!(
        refusal["path"],
        json!(["node", "specialist", "registrationNumber"]),
        "{response}"
    );
    // With both areas' scopes the whole match reads.
    let both = app.scoped_token(Role::ProgramStaff, "matching:read registry:read");
    let response = app.gql(Some(&both), query, json!({ "id": match_id })).await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        response["data"]["node"]["specialist"]["registrationNumber"],
        "000071"
    );
}

#[tokio::test]
async fn neither_a_node_id_nor_an_alias_nor_a_fragment_widens_a_scope() {
    let app = TestApp::spawn().await;
    let (_, _, _, match_id) = proposed(&app, 7200, "000072").await;
    let token = app.scoped_token(Role::ProgramStaff, "registry:read");
    for (query, variables) in [
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": match_id }),
        ),
        (
            "query($id: ID!) { nodes(ids: [$id]) { ... on Match { status } } }",
            json!({ "id": match_id }),
        ),
        (
            "{ orgs: supportOrganizations(first: 1) { totalCount } }",
            json!({}),
        ),
        (
            "{ ...F } fragment F on Query { matches(first: 1) { edges { node { id } } } }",
            json!({}),
        ),
    ] {
        let response = app.gql(Some(&token), query, variables).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{query}: {response}");
        assert_eq!(
            response["errors"][0]["extensions"]["missingScope"], "matching:read",
            "{query}: {response}"
        );
        assert!(!response.to_string().contains("PROPOSED"), "{response}");
    }
    // The same token reads the registry, and its own viewer.
    let response = app
        .gql(Some(&token), "{ viewer { role scopes clientId } specialist(registrationNumber: \"000072\") { registrationNumber } }", json!({}))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        response["data"]["viewer"]["scopes"],
        json!(["registry:read"])
    );
    assert_eq!(response["data"]["viewer"]["clientId"], "case-system");
}

#[tokio::test]
async fn the_http_files_need_their_scopes_too() {
    let app = TestApp::spawn().await;
    let uri = "/analytics/specialist-series.csv?from=2024-01-01&interval=MONTH";
    let without = app
        .get(Some(&app.scoped_token(Role::Analyst, "registry:read")), uri)
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN, "{}", without.body);
    assert!(without.body.contains("analytics:read"), "{}", without.body);
    let with = app
        .get(
            Some(&app.scoped_token(Role::Analyst, "analytics:read")),
            uri,
        )
        .await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.body);
    let person = app.get(Some(&app.token(Role::Analyst)), uri).await;
    assert_eq!(person.status, StatusCode::OK, "{}", person.body);

    let mine = "/me/personal-data.json";
    let scoped = app
        .get(
            Some(&app.scoped_token(Role::Specialist, "registry:read")),
            mine,
        )
        .await;
    assert_eq!(scoped.status, StatusCode::FORBIDDEN, "{}", scoped.body);
    assert!(scoped.body.contains("rights:read"), "{}", scoped.body);
}

const ROSTER: &str = r#"mutation($rows: [TrainingCompletionInput!]!) {
  recordTrainingCompletions(input: { rows: $rows }) {
    recordedCount alreadyRecordedCount rejectedRows { index field message } userErrors { code message } } }"#;

#[tokio::test]
async fn a_training_provider_records_completions_of_its_own_courses_only() {
    let app = TestApp::spawn().await;
    crate::support::factories::register_on(
        &app,
        "000081",
        chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
    )
    .await;
    let staff = app.token(Role::ProgramStaff);
    let ipa = app
        .gql(
            Some(&staff),
            r#"mutation { createCourse(input: { code: "IPA-ONLINE-2026", name: "オンライン講習", provider: "IPA",
               providerCode: "IPA", kind: ONLINE, fiscalYear: 2026, feeYen: 20000, hours: 6 }) {
               course { providerCode } userErrors { message } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        ipa["data"]["createCourse"]["course"]["providerCode"], "IPA",
        "{ipa}"
    );
    let created = app
        .gql(
            Some(&staff),
            r#"mutation { createCourse(input: { code: "OTHER-2026", name: "他社講習", provider: "他社",
               providerCode: "OTHER_PROVIDER", kind: ONLINE, fiscalYear: 2026, feeYen: 5000, hours: 2 }) {
               course { providerCode } userErrors { message } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["data"]["createCourse"]["course"]["providerCode"], "OTHER_PROVIDER",
        "{created}"
    );
    // The test provider token is IPA's.
    let rows = json!([
        { "registrationNumber": "000081", "courseCode": "IPA-ONLINE-2026", "completedOn": "2026-06-01" },
        { "registrationNumber": "000081", "courseCode": "OTHER-2026", "completedOn": "2026-06-01" },
    ]);
    let provider = app.scoped_token(Role::TrainingProvider, "renewal:write");
    let response = app
        .gql(Some(&provider), ROSTER, json!({ "rows": rows }))
        .await;
    let payload = &response["data"]["recordTrainingCompletions"];
    assert_eq!(payload["recordedCount"], 1, "{response}");
    assert_eq!(payload["rejectedRows"][0]["index"], 1, "{response}");
    assert_eq!(
        payload["rejectedRows"][0]["field"], "courseCode",
        "{response}"
    );
    assert!(
        payload["rejectedRows"][0]["message"]
            .as_str()
            .unwrap()
            .contains("provider IPA"),
        "{response}"
    );

    // Without the write scope the roster is refused before anything is recorded.
    let reader = app.scoped_token(Role::TrainingProvider, "renewal:read");
    let response = app
        .gql(Some(&reader), ROSTER, json!({ "rows": rows }))
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["missingScope"], "renewal:write",
        "{response}"
    );
    // A provider's person token (no scope claim) may record too, by its role.
    let response = app
        .gql(
            Some(&app.token(Role::TrainingProvider)),
            ROSTER,
            json!({ "rows": rows }),
        )
        .await;
    assert_eq!(
        response["data"]["recordTrainingCompletions"]["alreadyRecordedCount"], 1,
        "{response}"
    );
    // A provider reads nothing of the registry by its role.
    let response = app
        .gql(
            Some(&app.token(Role::TrainingProvider)),
            "{ renewalCycles(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&response), "FORBIDDEN", "{response}");
}

#[tokio::test]
async fn a_training_provider_token_must_name_its_provider() {
    let app = TestApp::spawn().await;
    let token = app.token_for(kakehashi::auth::TokenRequest {
        subject: "roster-upload".into(),
        role: Role::TrainingProvider,
        specialist_id: None,
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: Some("renewal:write".into()),
        ttl_seconds: 600,
    });
    let reply = app
        .post_graphql(Some(&token), "{ viewer { role } }", json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert!(reply.body.contains("provider_id"), "{}", reply.body);
}

#[tokio::test]
async fn the_audit_trail_names_the_subject_and_the_client_of_every_token() {
    let app = TestApp::spawn().await;
    let token = app.scoped_token(Role::ProgramStaff, "activelist:write");
    let response = app
        .gql(
            Some(&token),
            OPS[8].document,
            json!({ "code": "AUDITED_THEME" }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let event = latest(&app).await;
    assert_eq!(event.actor_subject, "test-program_staff");
    assert_eq!(event.actor_client_id.as_deref(), Some("case-system"));
    // A refused attempt names them too.
    let refused = app
        .gql(
            Some(&token),
            OPS[10].document,
            json!({ "code": "NOT_MINE" }),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let event = latest(&app).await;
    assert_eq!(event.action, "refused");
    assert_eq!(event.actor_client_id.as_deref(), Some("case-system"));
    assert!(
        event.details.to_string().contains("matching:write"),
        "{:?}",
        event.details
    );
    // Read back through the API.
    let admin = app.token(Role::Admin);
    let trail = app
        .gql(
            Some(&admin),
            "{ auditEvents(first: 2) { edges { node { actorSubject actorClientId action } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        trail["data"]["auditEvents"]["edges"][0]["node"]["actorClientId"], "case-system",
        "{trail}"
    );
    // A person's token names no client.
    let person = app
        .gql(
            Some(&app.token(Role::ProgramStaff)),
            OPS[8].document,
            json!({ "code": "PERSON_THEME" }),
        )
        .await;
    assert!(person["errors"].is_null(), "{person}");
    let event = latest(&app).await;
    assert_eq!(event.actor_client_id, None);
}
