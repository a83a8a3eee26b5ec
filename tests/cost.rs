//! Cost and rate limits: every response says what it cost and what is left; a caller whose
//! budget cannot pay is refused with 429 before any SQL runs; budgets refill over time, are
//! kept per principal (anonymous callers by address) and hold across replicas.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode, header},
};
use chrono::{Duration, TimeZone, Utc};
use kakehashi::domain::{Clock, ManualClock, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, error_code, post_json_to};

/// A page of 100 specialists with a few fields each: a large read when rows exist.
const PAGE: &str = "{ specialists(first: 100) { edges { node { id registrationNumber status \
    statusSince registeredOn examPassedYear examPassedSeason createdAt updatedAt version } } } }";

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
}

/// The smallest budget the configuration takes (the most one operation may cost), and
/// a slow refill.
const SMALL: &[(&str, &str)] = &[
    ("KAKEHASHI_RATE_LIMIT_POINTS", "5000"),
    ("KAKEHASHI_RATE_LIMIT_RESTORE_PER_SEC", "10"),
    ("KAKEHASHI_ANONYMOUS_RATE_LIMIT_POINTS", "5000"),
    ("KAKEHASHI_ANONYMOUS_RATE_LIMIT_RESTORE_PER_SEC", "5"),
];

fn cost(response: &Value) -> &Value {
    &response["extensions"]["cost"]
}

fn remaining(response: &Value) -> i64 {
    cost(response)["limit"]["remaining"].as_i64().unwrap()
}

/// Reads pages until one is refused; returns the refusal.
async fn drain(app: &TestApp, token: Option<&str>) -> Reply {
    for _ in 0..50 {
        let reply = app.post_graphql(token, PAGE, json!({})).await;
        if reply.status != StatusCode::OK {
            return reply;
        }
        assert!(reply.json()["errors"].is_null(), "{}", reply.body);
    }
    panic!("50 pages of 100 never ran out of a budget of 5,000 points");
}

fn assert_throttled(reply: &Reply) -> u64 {
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    let json = reply.json();
    assert_eq!(error_code(&json), "THROTTLED", "{}", reply.body);
    let wait: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    assert_eq!(json["errors"][0]["extensions"]["retryAfter"], wait);
    assert!(json["data"].is_null(), "{}", reply.body);
    assert_eq!(cost(&json)["limit"]["maximum"], 5000, "{}", reply.body);
    wait
}

#[tokio::test]
async fn every_response_says_what_it_asked_for_what_it_read_and_what_is_left() {
    let app = TestApp::build(&[], Clock::Fixed(at())).await;
    app.seed(30).await;
    let staff = app.token(Role::ProgramStaff);
    let first = app.gql(Some(&staff), PAGE, json!({})).await;
    let spent = cost(&first);
    let requested = spent["requested"].as_i64().unwrap();
    let actual = spent["actual"].as_i64().unwrap();
    // 100 rows asked for, 30 found: the read costs what 30 rows cost.
    assert_eq!(
        first["data"]["specialists"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        30
    );
    assert!(requested > actual && actual > 30, "{spent}");
    assert_eq!(spent["limit"]["maximum"], 10_000);
    assert_eq!(spent["limit"]["restoreRate"], 100.0);
    // The clock stands still: nothing refills, so what is left is the budget less what
    // was read.
    assert_eq!(remaining(&first), 10_000 - actual);
    let second = app.gql(Some(&staff), PAGE, json!({})).await;
    assert_eq!(remaining(&second), 10_000 - 2 * actual);
    // Another principal has a budget of its own; anonymous callers have a smaller one.
    let other = app
        .gql(
            Some(&app.token(Role::Analyst)),
            "{ viewer { role } }",
            json!({}),
        )
        .await;
    assert!(remaining(&other) > remaining(&second), "{other}");
    let anonymous = app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(cost(&anonymous)["limit"]["maximum"], 5_000);
    assert_eq!(cost(&anonymous)["limit"]["restoreRate"], 25.0);
    // A document that does not validate costs nothing.
    let invalid = app.gql(Some(&staff), "{ noSuchField }", json!({})).await;
    assert_eq!(cost(&invalid)["requested"], 0, "{invalid}");
    assert_eq!(remaining(&invalid), remaining(&second));
}

#[tokio::test]
async fn a_spent_budget_is_refused_with_429_before_any_sql_and_refills_with_time() {
    let clock = ManualClock::leak(at());
    let app = TestApp::build(SMALL, Clock::Manual(clock)).await;
    app.seed(120).await;
    let staff = app.token(Role::ProgramStaff);
    let refused = drain(&app, Some(&staff)).await;
    let wait = assert_throttled(&refused);
    // Refused again, and not one statement ran for it.
    app.take_statement_count();
    let again = app.post_graphql(Some(&staff), PAGE, json!({})).await;
    assert_throttled(&again);
    assert_eq!(app.take_statement_count(), 0);
    // A cheap read of the same caller is refused only when less than it is left.
    // After the wait the bucket holds what the page asks for.
    clock.set(at() + Duration::seconds(wait as i64));
    let later = app.post_graphql(Some(&staff), PAGE, json!({})).await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    // Other callers were never limited by it.
    let other = app
        .post_graphql(
            Some(&app.token(Role::Analyst)),
            "{ viewer { role } }",
            json!({}),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
}

#[tokio::test]
async fn a_request_refused_for_want_of_points_leaves_its_idempotency_key_free() {
    let clock = ManualClock::leak(at());
    let app = TestApp::build(SMALL, Clock::Manual(clock)).await;
    app.seed(120).await;
    let staff = app.token(Role::ProgramStaff);
    let wait = assert_throttled(&drain(&app, Some(&staff)).await);
    let keyed = || {
        Request::builder()
            .method(Method::POST)
            .uri("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {staff}"))
            .header("idempotency-key", "\"page-1\"")
            .body(Body::from(json!({ "query": PAGE }).to_string()))
            .unwrap()
    };
    assert_throttled(&app.send(keyed()).await);
    // Once the budget has refilled, the retry with the same key runs (it is not a replay
    // of the refusal).
    clock.set(at() + Duration::seconds(wait as i64));
    let retried = app.send(keyed()).await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert!(!retried.headers.contains_key("idempotent-replayed"));
    assert!(retried.json()["errors"].is_null(), "{}", retried.body);
}

#[tokio::test]
async fn a_batch_is_charged_operation_by_operation_and_429_only_when_none_ran() {
    let app = TestApp::build(SMALL, Clock::Fixed(at())).await;
    app.seed(120).await;
    let staff = app.token(Role::ProgramStaff);
    let page = json!({ "query": PAGE });
    let batch = json!([page, page, page, page, page, page]);
    let reply = post_json_to(&app.router, Some(&staff), batch.clone()).await;
    // Some pages ran and then the budget ran out: the batch answers 200, each operation
    // with its own outcome.
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results = reply.json();
    let codes: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            if r["errors"].is_null() {
                "ok"
            } else {
                error_code(r)
            }
        })
        .collect();
    assert_eq!(codes[0], "ok", "{codes:?}");
    assert_eq!(codes[5], "THROTTLED", "{codes:?}");
    // Nothing left: the whole batch is refused.
    let reply = post_json_to(&app.router, Some(&staff), batch).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
}

/// An anonymous GraphQL POST from `address`, with extra headers.
async fn anonymous_from(app: &TestApp, address: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request
        .body(Body::from(json!({ "query": PAGE }).to_string()))
        .unwrap();
    let peer: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    app.send(request).await
}

#[tokio::test]
async fn anonymous_callers_are_kept_apart_by_address_or_by_the_trusted_proxy_header() {
    let app = TestApp::build(SMALL, Clock::Fixed(at())).await;
    app.seed(120).await;
    let mut refused = None;
    for _ in 0..50 {
        let reply = anonymous_from(&app, "192.0.2.1", &[]).await;
        if reply.status != StatusCode::OK {
            refused = Some(reply);
            break;
        }
    }
    assert_throttled(&refused.expect("the budget ran out"));
    let other = anonymous_from(&app, "192.0.2.2", &[]).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    // Without a trusted proxy header, a client cannot choose its own address.
    let spoofed = anonymous_from(&app, "192.0.2.1", &[("x-real-ip", "198.51.100.9")]).await;
    assert_throttled(&spoofed);

    // Behind a proxy that names the client, the header decides.
    let mut env = SMALL.to_vec();
    env.push(("KAKEHASHI_CLIENT_IP_HEADER", "x-real-ip"));
    let proxied = TestApp::build(&env, Clock::Fixed(at())).await;
    proxied.seed(120).await;
    let mut refused = None;
    for _ in 0..50 {
        let reply = anonymous_from(&proxied, "10.0.0.1", &[("x-real-ip", "198.51.100.7")]).await;
        if reply.status != StatusCode::OK {
            refused = Some(reply);
            break;
        }
    }
    assert_throttled(&refused.expect("the budget ran out"));
    let next_client = anonymous_from(&proxied, "10.0.0.1", &[("x-real-ip", "198.51.100.8")]).await;
    assert_eq!(next_client.status, StatusCode::OK, "{}", next_client.body);
}

#[tokio::test]
async fn a_budget_spent_on_one_replica_is_spent_on_the_others() {
    let mut env = SMALL.to_vec();
    env.push(("KAKEHASHI_RATE_LIMIT_SYNC_SECS", "0.05"));
    let app = TestApp::build(&env, Clock::Fixed(at())).await;
    app.seed(120).await;
    let staff = app.token(Role::ProgramStaff);
    assert_throttled(&drain(&app, Some(&staff)).await);
    // The first replica writes what was spent within its sync interval.
    let subject = "token:test-program_staff";
    let mut stored = None;
    for _ in 0..200 {
        stored = entities::rate_limit_bucket::Entity::find_by_id(subject.to_owned())
            .one(&app.db)
            .await
            .unwrap()
            .filter(|row| row.level < 5_000.0 - 1_000.0);
        if stored.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let stored = stored.expect("the spending was written to the database");
    assert!(stored.level < 4_000.0, "{stored:?}");
    // A second replica, which has never seen this caller, reads the stored level.
    let replica = app.replica().await;
    let reply = post_json_to(&replica, Some(&staff), json!({ "query": PAGE })).await;
    assert_throttled(&reply);
}

#[tokio::test]
async fn rate_limits_can_be_turned_off_and_budgets_must_hold_the_largest_operation() {
    let app = TestApp::build(&[("KAKEHASHI_RATE_LIMITS", "off")], Clock::Fixed(at())).await;
    let response = app.gql(None, "{ __typename }", json!({})).await;
    assert!(response.get("extensions").is_none(), "{response}");

    for (name, value) in [
        ("KAKEHASHI_RATE_LIMIT_POINTS", "4999"),
        ("KAKEHASHI_ANONYMOUS_RATE_LIMIT_POINTS", "100"),
        ("KAKEHASHI_RATE_LIMIT_RESTORE_PER_SEC", "0"),
        ("KAKEHASHI_RATE_LIMITS", "sometimes"),
        ("KAKEHASHI_CLIENT_IP_HEADER", "not a header"),
    ] {
        let err = kakehashi::config::Config::from_lookup(|n| (n == name).then(|| value.to_owned()))
            .expect_err(name);
        assert_eq!(err.variable, name);
    }
}
