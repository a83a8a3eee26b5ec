//! The service under attack and under faults: documents built to exhaust it, hostile
//! strings and lists, tokens that grant no writing, requests past their time limit, and a
//! database that goes away or holds a lock.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use entities::guidance_theme;
use kakehashi::{
    auth::TokenRequest,
    domain::Role,
    startup::{Pool, build_router, connect},
};
use sea_orm::{ConnectionTrait, DatabaseBackend};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{Reply, TestApp, assert_unavailable, error_code, hold_themes, post_json_to};

/// Asserts that `response` failed as a whole with `code`, saying `saying`.
fn assert_refused(response: &Value, code: &str, saying: &str) {
    assert_eq!(error_code(response), code, "{response}");
    let message = response["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(saying), "{response}");
}

/// Thirty fragments, each spreading the next twice: 2^30 selections once expanded.
fn fragment_bomb(levels: usize) -> String {
    let mut query = String::from("query { ...F1 }\n");
    for i in 1..levels {
        query.push_str(&format!(
            "fragment F{i} on Query {{ viewer {{ role }} ...F{next} ...F{next} }}\n",
            next = i + 1
        ));
    }
    query.push_str(&format!(
        "fragment F{levels} on Query {{ viewer {{ role }} }}\n"
    ));
    query
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_before_it_is_expanded() {
    let app = TestApp::spawn().await;
    let bomb = fragment_bomb(30);
    assert!(bomb.len() < 2_000, "{} bytes", bomb.len());
    let started = Instant::now();
    let reply = app.post_graphql(None, &bomb, json!({})).await;
    let took = started.elapsed();
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let response = reply.json();
    assert_refused(&response, "BAD_USER_INPUT", "expands to more than");
    // Refused without expanding: milliseconds, where expanding takes minutes.
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // The same document over GET, and inside a batch, meets the same refusal.
    let batch = json!([{ "query": bomb }, { "query": "{ viewer { role } }" }]);
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/graphql")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(batch.to_string()))
        .unwrap();
    let replies = app.send(request).await.json();
    assert_eq!(
        replies[0]["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(replies[1]["data"]["viewer"]["role"], Value::Null);
    // A document whose fragments spread each other a few times still runs.
    let small = app.gql(None, &fragment_bomb(4), json!({})).await;
    assert!(small["errors"].is_null(), "{small}");
}

#[tokio::test]
async fn brackets_nested_past_the_limit_are_refused_before_parsing() {
    let app = TestApp::spawn().await;
    let deep = format!("{}{}", "{ viewer ".repeat(5_000), "}".repeat(5_000));
    let reply = app.post_graphql(None, &deep, json!({})).await;
    assert_eq!(
        error_code(&reply.json()),
        "BAD_USER_INPUT",
        "{}",
        reply.body
    );
    let uri = format!("/graphql?query={}", "%7B".repeat(5_000));
    assert_eq!(
        error_code(&app.get(None, &uri).await.json()),
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn one_field_under_many_aliases_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::ProgramStaff);
    let aliases: String = (0..500)
        .map(|i| format!("a{i}: matchCandidates(requestId: \"x\", first: 1) {{ totalCount }} "))
        .collect();
    let response = app
        .gql(Some(&token), &format!("query {{ {aliases} }}"), json!({}))
        .await;
    assert_refused(
        &response,
        "BAD_USER_INPUT",
        "matchCandidates appears under 500 names",
    );
    // The same through inline fragments and named ones.
    let inline: String = (0..20)
        .map(|i| format!("... on Query {{ s{i}: specialistCount(asOf: \"2025-04-01\") }} "))
        .collect();
    let response = app
        .gql(
            Some(&app.token(Role::Analyst)),
            &format!("query {{ {inline} }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
}

#[tokio::test]
async fn expensive_fields_cost_more_than_plain_ones() {
    let app = TestApp::spawn().await;
    let analyst = app.token(Role::Analyst);
    // Ten aliases of a 26-year monthly series are within the alias cap, and over the
    // complexity limit because each series costs what it reads.
    let series: String = (0..10)
        .map(|i| {
            format!(
                "s{i}: specialistSeries(from: \"2000-04-01\", to: \"2026-03-31\", \
                 interval: MONTH) {{ activeAtEnd }} "
            )
        })
        .collect();
    let response = app
        .gql(Some(&analyst), &format!("query {{ {series} }}"), json!({}))
        .await;
    assert_refused(&response, "BAD_USER_INPUT", "complex");
    let one = app
        .gql(
            Some(&analyst),
            "query { specialistSeries(from: \"2020-04-01\", to: \"2026-03-31\", interval: MONTH) { activeAtEnd } }",
            json!({}),
        )
        .await;
    assert!(one["errors"].is_null(), "{one}");
}

#[tokio::test]
async fn control_characters_and_overlong_lists_are_refused_as_bad_input() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let query = "query($f: SpecialistFilterInput) { specialists(filter: $f) { totalCount } }";
    for filter in [
        json!({ "nameContains": "a\u{0}b" }),
        json!({ "nameContains": "\u{1b}[2J" }),
        json!({ "prefectures": vec!["13"; 70_000] }),
    ] {
        let response = app.gql(Some(&staff), query, json!({ "f": filter })).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
        assert!(response["data"].is_null(), "{response}");
    }
    // Written into the document rather than passed as variables.
    let literal = r#"query { specialists(filter: { nameContains: "a\u0000b" }) { totalCount } }"#;
    let response = app.gql(Some(&staff), literal, json!({})).await;
    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
    // Into a mutation: refused before anything is written.
    let before = app.count(guidance_theme::Entity).await;
    let response = app
        .gql(
            Some(&staff),
            r#"mutation($d: String!) { createGuidanceTheme(input: { code: "NUL_TEST", nameJa: "テスト",
                nameEn: "Test", description: $d, category: RECOVERY }) { userErrors { code } } }"#,
            json!({ "d": "line\u{0}break" }),
        )
        .await;
    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
    assert_eq!(app.count(guidance_theme::Entity).await, before);
    // Tabs and new lines are text, and pass.
    let fine = app
        .gql(
            Some(&staff),
            query,
            json!({ "f": { "nameContains": "a\tb\nc" } }),
        )
        .await;
    assert!(fine["errors"].is_null(), "{fine}");
}

const CREATE_THEME: &str = r#"mutation($code: String!) { createGuidanceTheme(input: { code: $code,
    nameJa: "テスト", nameEn: "Test", description: "A theme", category: RECOVERY }) {
    theme { code } userErrors { code message } } }"#;

fn staff_with_scope(app: &TestApp, scope: Option<&str>) -> String {
    app.token_for(TokenRequest {
        subject: "partner-system".into(),
        role: Role::ProgramStaff,
        specialist_id: None,
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: scope.map(str::to_owned),
        ttl_seconds: 600,
    })
}

#[tokio::test]
async fn a_token_whose_scopes_do_not_name_the_area_cannot_write_it() {
    let app = TestApp::spawn().await;
    let before = app.count(guidance_theme::Entity).await;
    // An empty scope claim is a system's token that was granted nothing; generic or other
    // areas' scopes grant nothing here either.
    for scope in [
        "read",
        "write",
        "registry:read activelist:read",
        "events:read",
        "",
        "  ",
    ] {
        let token = staff_with_scope(&app, Some(scope));
        let response = app
            .gql(Some(&token), CREATE_THEME, json!({ "code": "SCOPED" }))
            .await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{scope}: {response}");
        assert_eq!(
            response["errors"][0]["extensions"]["missingScope"], "activelist:write",
            "{scope}: {response}"
        );
        // Reading the area takes its read scope (or its write scope).
        let read = app
            .gql(Some(&token), "{ guidanceThemes { code } }", json!({}))
            .await;
        let may_read = scope.split_whitespace().any(|s| s == "activelist:read");
        assert_eq!(read["errors"].is_null(), may_read, "{scope}: {read}");
    }
    assert_eq!(app.count(guidance_theme::Entity).await, before);
    for (scope, code) in [
        (None, "PERSON_TOKEN"),
        (Some("registry:read activelist:write"), "WRITE_SCOPE"),
    ] {
        let token = staff_with_scope(&app, scope);
        let response = app
            .gql(Some(&token), CREATE_THEME, json!({ "code": code }))
            .await;
        assert_eq!(
            response["data"]["createGuidanceTheme"]["theme"]["code"], code,
            "{response}"
        );
    }
}

#[tokio::test]
async fn a_request_past_its_time_limit_is_cancelled_and_writes_nothing() {
    let app = TestApp::with_env(&[
        ("KAKEHASHI_REQUEST_TIMEOUT_SECS", "0.5"),
        ("KAKEHASHI_ANONYMOUS_REQUEST_TIMEOUT_SECS", "0.3"),
    ])
    .await;
    let before = app.count(guidance_theme::Entity).await;
    let (other, holder) = hold_themes(&app).await;
    let postgres = other.get_database_backend() == DatabaseBackend::Postgres;
    let staff = app.token(Role::ProgramStaff);
    let started = Instant::now();
    let response = app
        .gql(Some(&staff), CREATE_THEME, json!({ "code": "LATE" }))
        .await;
    let took = started.elapsed();
    assert_eq!(error_code(&response), "TIMEOUT", "{response}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    if postgres {
        // Reads wait behind the lock too, and give up at their limit: 0.3 s anonymous.
        let started = Instant::now();
        let read = app
            .gql(None, "{ guidanceThemes { code } }", json!({}))
            .await;
        assert_eq!(error_code(&read), "TIMEOUT", "{read}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
    if postgres {
        // The statement that waited was cancelled in the database too, by its
        // statement_timeout, not left queued behind the lock.
        tokio::time::sleep(Duration::from_millis(800)).await;
        let waiting = holder
            .query_one_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                 AND datname = current_database()",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(waiting.try_get::<i64>("", "n").unwrap(), 0);
    }
    holder.rollback().await.unwrap();
    // Nothing of the cancelled request was kept, and the service serves again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.count(guidance_theme::Entity).await, before);
    let again = app
        .gql(Some(&staff), CREATE_THEME, json!({ "code": "AFTER" }))
        .await;
    assert_eq!(
        again["data"]["createGuidanceTheme"]["theme"]["code"], "AFTER",
        "{again}"
    );
}

/// A TCP relay in front of the database, which can be cut: connections through it are
/// reset and new ones refused, as when the database host goes away.
struct Relay {
    port: u16,
    cut: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn to(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let flag = cut.clone();
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    break;
                };
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let target = target.clone();
                let flag = flag.clone();
                links.spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let relay = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                    let watch = async {
                        while !flag.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! { _ = relay => {}, () = watch => {} }
                });
            }
        });
        Self { port, cut, task }
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

#[tokio::test]
async fn without_its_database_the_service_answers_503_at_once() {
    let app = TestApp::spawn().await;
    let Some((credentials, host, path)) = app.postgres_parts() else {
        // An embedded SQLite database cannot go away; PostgreSQL's run covers this.
        return;
    };
    let relay = Relay::to(host.to_owned()).await;
    let via_relay = format!("postgres://{credentials}@127.0.0.1:{}/{path}", relay.port);
    let db = connect(
        &SecretString::from(via_relay),
        Pool::serving(&app.config.limits),
    )
    .await
    .unwrap();
    let router = build_router(&app.config, db).unwrap();
    let query = |token: Option<String>| {
        let router = router.clone();
        async move {
            let body = json!({ "query": "{ guidanceThemes { code } }" });
            post_json_to(&router, token.as_deref(), body).await
        }
    };
    let ready = |router: axum::Router| async move {
        let request = axum::http::Request::get("/readyz")
            .body(axum::body::Body::empty())
            .unwrap();
        crate::support::send_to(&router, request).await
    };
    assert_eq!(query(None).await.json()["errors"], Value::Null);
    assert_eq!(ready(router.clone()).await.status, StatusCode::OK);

    relay.cut();
    let started = Instant::now();
    let reply: Reply = query(Some(app.token(Role::ProgramStaff))).await;
    let took = started.elapsed();
    assert_unavailable(&reply);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    // A batch does not wait for a connection once per operation.
    let started = Instant::now();
    let batch: Vec<Value> = (0..10)
        .map(|_| json!({ "query": "{ guidanceThemes { code } }" }))
        .collect();
    let staff = app.token(Role::ProgramStaff);
    let reply = post_json_to(&router, Some(&staff), Value::from(batch)).await;
    let took = started.elapsed();
    assert_unavailable(&reply);
    let answers = reply.json();
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 10);
    assert!(
        answers
            .iter()
            .all(|a| error_code(a) == "SERVICE_UNAVAILABLE"),
        "{answers:?}"
    );
    assert!(took < Duration::from_secs(3), "a batch took {took:?}");
    let started = Instant::now();
    let readiness = ready(router.clone()).await;
    assert_eq!(readiness.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Liveness does not depend on the database.
    let request = axum::http::Request::get("/healthz")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        crate::support::send_to(&router, request).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_and_repeated_directives_are_refused_on_every_field() {
    let app = TestApp::spawn().await;
    for query in [
        "{ __typename @a }",
        "{ __typename @skip(if: false) @skip(if: false) }",
        "{ viewer @nope { role } }",
    ] {
        let response = app.gql(None, query, json!({})).await;
        assert_eq!(
            error_code(&response),
            "BAD_USER_INPUT",
            "{query}: {response}"
        );
        assert!(response["data"].is_null(), "{response}");
    }
    let fine = app
        .gql(None, "{ __typename @skip(if: false) }", json!({}))
        .await;
    assert_eq!(fine["data"]["__typename"], "Query", "{fine}");
}

#[tokio::test]
async fn a_response_lists_at_most_fifty_errors() {
    let app = TestApp::spawn().await;
    // 300 unknown fields: 300 validation errors.
    let fields: String = (0..300).map(|i| format!(" f{i}")).collect();
    let response = app.gql(None, &format!("{{{fields} }}"), json!({})).await;
    let errors = response["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 51, "{response}");
    assert!(
        errors[50]["message"]
            .as_str()
            .unwrap()
            .starts_with("250 more errors"),
        "{}",
        errors[50]
    );
    assert_eq!(
        errors[50]["extensions"]["code"],
        errors[0]["extensions"]["code"]
    );
}
