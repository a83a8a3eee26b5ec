//! Browsers on other origins (CORS): an allowed origin's preflight and requests, and what
//! every other origin gets. (A real browser reading a response, and refused one, is
//! `tests/browser/run.py`.)

use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use serde_json::json;

use crate::support::{Reply, TestApp};

const FRONT_END: &str = "https://app.example.jp";
const OTHER: &str = "https://evil.example.com";

/// The service allowing [`FRONT_END`] and a local development page.
async fn allowing_front_end() -> TestApp {
    TestApp::with_env(&[(
        "KAKEHASHI_CORS_ORIGINS",
        "https://APP.example.jp, http://localhost:5173",
    )])
    .await
}

/// A browser's preflight from `origin` before a request of `method` to `path` with
/// `headers`.
fn preflight(path: &str, origin: &str, method: &str, headers: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri(path)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, headers)
        .body(Body::empty())
        .unwrap()
}

/// A page's `fetch` of a query from `origin`, signed in with `token`.
fn query_from(origin: &str, token: &str) -> Request<Body> {
    Request::post("/graphql")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(
            json!({ "query": "{ viewer { authenticated role } }" }).to_string(),
        ))
        .unwrap()
}

/// The comma-separated values of `name`, lower case, across all its lines.
fn listed(headers: &HeaderMap, name: header::HeaderName) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect()
}

fn cors_headers(reply: &Reply) -> Vec<&str> {
    reply
        .headers
        .keys()
        .map(header::HeaderName::as_str)
        .filter(|name| name.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn an_allowed_origins_preflight_is_204_with_the_methods_headers_and_max_age() {
    let app = allowing_front_end().await;

    let reply = app
        .send(preflight(
            "/graphql",
            FRONT_END,
            "POST",
            "content-type,authorization",
        ))
        .await;

    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.headers);
    assert_eq!(
        reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        FRONT_END
    );
    assert_eq!(
        listed(&reply.headers, header::ACCESS_CONTROL_ALLOW_METHODS),
        ["get", "post"]
    );
    let allowed = listed(&reply.headers, header::ACCESS_CONTROL_ALLOW_HEADERS);
    for name in [
        "content-type",
        "authorization",
        "idempotency-key",
        "x-request-id",
    ] {
        assert!(allowed.iter().any(|a| a == name), "{name} in {allowed:?}");
    }
    assert_eq!(reply.headers[header::ACCESS_CONTROL_MAX_AGE], "600");
    assert!(listed(&reply.headers, header::VARY).contains(&"origin".to_owned()));
    assert!(
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none(),
        "tokens travel in a header, never in cookies"
    );
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn every_browser_facing_route_answers_an_allowed_origins_preflight() {
    let app = allowing_front_end().await;
    for path in [
        "/graphql",
        "/analytics/specialist-series.csv",
        "/me/personal-data.json",
    ] {
        let reply = app
            .send(preflight(
                path,
                "http://localhost:5173",
                "GET",
                "authorization",
            ))
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{path}");
        assert_eq!(
            reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "http://localhost:5173",
            "{path}"
        );
    }
}

#[tokio::test]
async fn another_origin_gets_no_allow_origin_so_its_browser_keeps_the_answer_from_the_page() {
    let app = allowing_front_end().await;
    let token = app.token(kakehashi::domain::Role::ProgramStaff);

    let preflight = app
        .send(preflight(
            "/graphql",
            OTHER,
            "POST",
            "content-type,authorization",
        ))
        .await;
    // A look-alike of an allowed origin is another origin.
    let look_alike = app
        .send(query_from(
            "https://app.example.jp.evil.example.com",
            &token,
        ))
        .await;
    let over_http = app.send(query_from("http://app.example.jp", &token)).await;
    let request = app.send(query_from(OTHER, &token)).await;

    for reply in [&preflight, &look_alike, &over_http, &request] {
        assert!(
            reply
                .headers
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .is_none(),
            "{:?}",
            reply.headers
        );
    }
    // The service still answers (it cannot tell a browser from any other client); the
    // browser is what keeps the response from the other origin's page.
    assert_eq!(request.status, StatusCode::OK);
}

#[tokio::test]
async fn an_allowed_origins_request_names_it_varies_by_origin_and_exposes_the_request_id() {
    let app = allowing_front_end().await;
    let token = app.token(kakehashi::domain::Role::ProgramStaff);

    let reply = app.send(query_from(FRONT_END, &token)).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.json()["data"]["viewer"],
        json!({ "authenticated": true, "role": "PROGRAM_STAFF" })
    );
    assert_eq!(
        reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        FRONT_END
    );
    assert!(listed(&reply.headers, header::VARY).contains(&"origin".to_owned()));
    let exposed = listed(&reply.headers, header::ACCESS_CONTROL_EXPOSE_HEADERS);
    assert!(exposed.contains(&"x-request-id".to_owned()), "{exposed:?}");
    assert!(exposed.contains(&"retry-after".to_owned()), "{exposed:?}");
    assert!(
        exposed.contains(&"idempotent-replayed".to_owned()),
        "{exposed:?}"
    );
    assert!(
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );
}

#[tokio::test]
async fn without_origins_no_route_carries_a_cors_header() {
    let app = TestApp::spawn().await;
    let token = app.token(kakehashi::domain::Role::ProgramStaff);

    let preflight = app
        .send(preflight("/graphql", FRONT_END, "POST", "content-type"))
        .await;
    let request = app.send(query_from(FRONT_END, &token)).await;

    assert_eq!(
        preflight.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "no preflight is answered"
    );
    assert_eq!(cors_headers(&preflight), Vec::<&str>::new());
    assert_eq!(request.status, StatusCode::OK);
    assert_eq!(cors_headers(&request), Vec::<&str>::new());
}

#[tokio::test]
async fn methods_other_than_get_and_post_are_not_allowed_to_other_origins() {
    let app = allowing_front_end().await;
    let token = app.token(kakehashi::domain::Role::Admin);

    for method in ["PUT", "DELETE", "PATCH"] {
        let reply = app
            .send(preflight("/graphql", FRONT_END, method, "content-type"))
            .await;
        let allowed = listed(&reply.headers, header::ACCESS_CONTROL_ALLOW_METHODS);
        assert!(
            !allowed.contains(&method.to_ascii_lowercase()),
            "{method} in {allowed:?}"
        );
        assert!(!allowed.iter().any(|m| m == "*"), "{allowed:?}");

        let sent = app
            .send(
                Request::builder()
                    .method(method)
                    .uri("/graphql")
                    .header(header::ORIGIN, FRONT_END)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(sent.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
}

#[tokio::test]
async fn a_wildcard_in_development_allows_any_origin_without_credentials() {
    let app = TestApp::with_env(&[("KAKEHASHI_CORS_ORIGINS", "*")]).await;
    let token = app.token(kakehashi::domain::Role::ProgramStaff);

    let reply = app.send(query_from(OTHER, &token)).await;

    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );
}

#[tokio::test]
async fn the_probes_are_not_for_other_origins() {
    let app = allowing_front_end().await;
    for path in ["/healthz", "/readyz"] {
        let reply = app
            .send(
                Request::get(path)
                    .header(header::ORIGIN, FRONT_END)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(cors_headers(&reply), Vec::<&str>::new(), "{path}");
    }
}
