//! The HTTP contract of `/graphql`, `/healthz` and `/readyz`.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use entities::specialist;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::support::{TestApp, error_code, factories};

const REGISTER: &str = r#"mutation($input: RegisterSpecialistInput!) {
  registerSpecialist(input: $input) { specialist { registrationNumber } userErrors { code } }
}"#;

fn register_variables() -> serde_json::Value {
    json!({ "input": {
        "registrationNumber": "000777", "familyName": "山田", "givenName": "花子",
        "familyNameKana": "ヤマダ", "givenNameKana": "ハナコ", "birthYearMonth": "1990-01",
        "email": "h@example.jp", "prefecture": "13", "examPassedYear": 2019,
        "examPassedSeason": "AUTUMN", "registeredOn": "2020-04-01"
    }})
}

#[tokio::test]
async fn post_without_json_content_type_is_415_and_runs_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(kakehashi::domain::Role::Admin);
    let body = json!({ "query": REGISTER, "variables": register_variables() }).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request =
            Request::post("/graphql").header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let reply = app
            .send(request.body(Body::from(body.clone())).unwrap())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
    }
    assert_eq!(app.count(specialist::Entity).await, 0);
}

#[tokio::test]
async fn json_with_a_charset_is_accepted() {
    let app = TestApp::spawn().await;
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(r#"{"query":"{ viewer { authenticated } }"}"#))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["data"]["viewer"]["authenticated"], false);
}

#[tokio::test]
async fn get_runs_queries() {
    let app = TestApp::spawn().await;
    let reply = app
        .send(
            Request::get("/graphql?query=%7B%20viewer%20%7B%20authenticated%20%7D%20%7D")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["data"]["viewer"]["authenticated"], false);
}

#[tokio::test]
async fn mutation_over_get_is_405_with_allow_post_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(kakehashi::domain::Role::Admin);
    let query = format!(
        "/graphql?query={}&variables={}",
        urlencode(REGISTER),
        urlencode(&register_variables().to_string())
    );
    let reply = app
        .send(
            Request::get(query)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.headers[header::ALLOW], "POST");
    assert_eq!(app.count(specialist::Entity).await, 0);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn browsers_get_graphiql_only_while_introspection_is_on() {
    let browser = || {
        Request::get("/graphql")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .body(Body::empty())
            .unwrap()
    };
    let app = TestApp::spawn().await;
    let reply = app.send(browser()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("graphiql"),
        "{}",
        &reply.body[..200.min(reply.body.len())]
    );

    let closed = TestApp::with_env(&[("KAKEHASHI_INTROSPECTION", "false")]).await;
    let reply = closed.send(browser()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.body.contains("graphiql"));
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let app = TestApp::spawn().await;
    let padding = " ".repeat(1024 * 1024);
    let body = format!(r#"{{"query":"{{ viewer {{ authenticated }} }}{padding}"}}"#);
    let reply = app
        .send(
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&reply.json()), "BAD_USER_INPUT");
}

#[tokio::test]
async fn healthz_and_readyz_report_the_process_and_the_database() {
    let app = TestApp::spawn().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    assert_eq!(app.send(get("/healthz")).await.status, StatusCode::OK);
    assert_eq!(app.send(get("/readyz")).await.status, StatusCode::OK);

    app.db.clone().close().await.unwrap();
    assert_eq!(
        app.send(get("/readyz")).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.send(get("/healthz")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn batches_run_up_to_ten_operations_and_refuse_more() {
    let app = TestApp::spawn().await;
    let batch = |n: usize| {
        let ops: Vec<_> = (0..n)
            .map(|_| json!({ "query": "{ viewer { authenticated } }" }))
            .collect();
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::Value::Array(ops).to_string()))
            .unwrap()
    };
    let reply = app.send(batch(10)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json().as_array().unwrap().len(), 10);

    let reply = app.send(batch(11)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&reply.json()), "BAD_USER_INPUT");
}

#[tokio::test]
async fn queries_deeper_than_fifteen_levels_are_refused() {
    let app = TestApp::spawn().await;
    let mut selection = String::from("name");
    for _ in 0..16 {
        selection = format!("ofType {{ {selection} }}");
    }
    let response = app
        .gql(
            None,
            &format!("{{ __schema {{ types {{ fields {{ type {{ {selection} }} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert!(response["data"].is_null(), "{response}");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep")
    );
}

#[tokio::test]
async fn a_connection_costs_its_page_size_times_its_selection() {
    let app = TestApp::spawn().await;
    let many_fields: String = (0..60)
        .map(|i| format!("f{i}: registrationNumber "))
        .collect();
    let query = format!("{{ specialists(first: 100) {{ edges {{ node {{ {many_fields} }} }} }} }}");
    let response = app.gql(None, &query, json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{response}"
    );
    // The same selection on a small page is fine.
    let query = query.replace("first: 100", "first: 10");
    let response = app.gql(None, &query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
}

#[tokio::test]
async fn page_sizes_default_to_20_and_are_capped_at_100() {
    let app = TestApp::spawn().await;
    factories::register_many(&app.db, 105).await;
    let count = |response: &serde_json::Value| {
        response["data"]["specialists"]["edges"]
            .as_array()
            .unwrap()
            .len()
    };
    let default = app
        .gql(None, "{ specialists { edges { cursor } } }", json!({}))
        .await;
    assert_eq!(count(&default), 20);
    let capped = app
        .gql(
            None,
            "{ specialists(first: 500) { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(count(&capped), 100);
    let negative = app
        .gql(
            None,
            "{ specialists(first: -1) { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&negative), "BAD_USER_INPUT");
}

#[tokio::test]
async fn without_introspection_there_is_no_schema_and_no_suggestions() {
    let app = TestApp::with_env(&[("KAKEHASHI_INTROSPECTION", "false")]).await;
    let response = app
        .gql(
            None,
            "{ __schema { types { name } } __type(name: \"Specialist\") { name } }",
            json!({}),
        )
        .await;
    assert!(response["data"]["__schema"].is_null(), "{response}");
    assert!(response["data"]["__type"].is_null(), "{response}");
    let response = app
        .gql(
            None,
            "{ specialist(registrationNumbr: \"000001\") { id } }",
            json!({}),
        )
        .await;
    let message = response["errors"].to_string();
    assert!(!message.contains("Did you mean"), "{message}");

    let open = TestApp::spawn().await;
    let response = open
        .gql(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(response["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let reply = app
        .post_graphql(None, "{ viewer { authenticated } }", json!({}))
        .await;
    let id = reply
        .headers
        .get("x-request-id")
        .expect("x-request-id")
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[tokio::test]
async fn other_methods_are_405() {
    let app = TestApp::spawn().await;
    let reply = app
        .send(
            Request::builder()
                .method(Method::DELETE)
                .uri("/graphql")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn malformed_json_is_a_400_with_a_code() {
    let app = TestApp::spawn().await;
    let reply = app
        .send(
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&reply.json()), "BAD_USER_INPUT");
}

#[tokio::test]
async fn every_request_error_carries_a_code() {
    let app = TestApp::spawn().await;
    for query in [
        "{ viewer { noSuchField } }",
        "{ viewer { authenticated }",
        "query($d: Date) { specialists(filter: { registeredFrom: $d }) { totalCount } }",
    ] {
        let response = app.gql(None, query, json!({ "d": "2024-13-45" })).await;
        assert_eq!(
            error_code(&response),
            "BAD_USER_INPUT",
            "{query}: {response}"
        );
    }
}

#[tokio::test]
async fn internal_failures_say_internal_and_nothing_more() {
    let app = TestApp::spawn().await;
    // A table the service needs is gone: a fault on our side, not the client's.
    app.db
        .execute_unprepared("ALTER TABLE specialists RENAME TO specialists_gone")
        .await
        .unwrap();
    let response = app
        .gql(None, "{ specialists { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&response), "INTERNAL");
    let message = response["errors"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "internal error; the request id identifies it in our logs"
    );
}

#[tokio::test]
async fn a_closed_pool_says_service_unavailable_with_retry_after() {
    let app = TestApp::spawn().await;
    app.db.clone().close().await.unwrap();
    let reply = app
        .post_graphql(None, "{ specialists { totalCount } }", json!({}))
        .await;
    crate::support::assert_unavailable(&reply);
}

#[tokio::test]
async fn two_replicas_on_one_database_behave_as_one() {
    let app = TestApp::spawn().await;
    let replica = app.replica().await;
    let token = app.token(kakehashi::domain::Role::Admin);
    let created = app.gql(Some(&token), REGISTER, register_variables()).await;
    assert_eq!(
        created["data"]["registerSpecialist"]["userErrors"],
        json!([])
    );

    let body = json!({ "query": r#"{ specialist(registrationNumber: "000777") { registrationNumber } }"# }).to_string();
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    use tower::ServiceExt;
    let response = replica.oneshot(request).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let seen: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(seen["data"]["specialist"]["registrationNumber"], "000777");
}

#[tokio::test]
async fn get_picks_the_named_operation_before_deciding() {
    let app = TestApp::spawn().await;
    let document = "query A { viewer { authenticated } } mutation B { updateMyProfile(input: { expectedVersion: 1 }) { userErrors { message } } }";
    let get = |operation: &str| {
        Request::get(format!(
            "/graphql?query={}&operationName={operation}",
            urlencode(document)
        ))
        .body(Body::empty())
        .unwrap()
    };
    let query = app.send(get("A")).await;
    assert_eq!(query.status, StatusCode::OK, "{}", query.body);
    assert_eq!(
        query.json()["data"]["viewer"]["authenticated"],
        false,
        "{}",
        query.body
    );
    let mutation = app.send(get("B")).await;
    assert_eq!(mutation.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn get_takes_variables_as_url_encoded_json() {
    let app = TestApp::spawn().await;
    factories::register_many(&app.db, 2).await;
    let query = urlencode(
        "query($n: String!) { specialist(registrationNumber: $n) { registrationNumber } }",
    );
    let ok = app
        .send(
            Request::get(format!(
                "/graphql?query={query}&variables={}",
                urlencode(r#"{"n":"000002"}"#)
            ))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(
        ok.json()["data"]["specialist"]["registrationNumber"],
        "000002",
        "{}",
        ok.body
    );
    let bad = app
        .send(
            Request::get(format!("/graphql?query={query}&variables=not-json"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&bad.json()), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_document_seen_before_still_has_its_variables_and_limits_checked() {
    let app = TestApp::spawn().await;
    factories::register_many(&app.db, 3).await;
    let lookup = "query($n: String!) { specialist(registrationNumber: $n) { registrationNumber } }";
    for _ in 0..2 {
        let ok = app.gql(None, lookup, json!({ "n": "000001" })).await;
        assert_eq!(
            ok["data"]["specialist"]["registrationNumber"], "000001",
            "{ok}"
        );
    }
    for bad in [json!({ "n": 5 }), json!({}), json!({ "n": null })] {
        let response = app.gql(None, lookup, bad.clone()).await;
        assert!(
            response["data"]["specialist"].is_null(),
            "{bad}: {response}"
        );
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{bad}: {response}");
    }

    let page = "query($first: Int) { specialists(first: $first) { edges { node { a0: registrationNumber a1: registrationNumber a2: registrationNumber a3: registrationNumber a4: registrationNumber a5: registrationNumber a6: registrationNumber a7: registrationNumber a8: registrationNumber a9: registrationNumber a10: registrationNumber a11: registrationNumber a12: registrationNumber a13: registrationNumber a14: registrationNumber a15: registrationNumber a16: registrationNumber a17: registrationNumber a18: registrationNumber a19: registrationNumber a20: registrationNumber a21: registrationNumber a22: registrationNumber a23: registrationNumber a24: registrationNumber a25: registrationNumber a26: registrationNumber a27: registrationNumber a28: registrationNumber a29: registrationNumber a30: registrationNumber a31: registrationNumber a32: registrationNumber a33: registrationNumber a34: registrationNumber a35: registrationNumber a36: registrationNumber a37: registrationNumber a38: registrationNumber a39: registrationNumber a40: registrationNumber a41: registrationNumber a42: registrationNumber a43: registrationNumber a44: registrationNumber a45: registrationNumber a46: registrationNumber a47: registrationNumber a48: registrationNumber a49: registrationNumber a50: registrationNumber a51: registrationNumber a52: registrationNumber a53: registrationNumber a54: registrationNumber a55: registrationNumber a56: registrationNumber a57: registrationNumber a58: registrationNumber a59: registrationNumber } } } }";
    for _ in 0..2 {
        let small = app.gql(None, page, json!({ "first": 2 })).await;
        assert!(small["errors"].is_null(), "{small}");
    }
    let large = app.gql(None, page, json!({ "first": 100 })).await;
    assert!(
        large["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{large}"
    );
    assert_eq!(error_code(&large), "BAD_USER_INPUT");
}
