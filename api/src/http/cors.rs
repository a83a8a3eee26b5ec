//! Cross-origin access for browsers (CORS): which pages on other origins may call the
//! browser-facing routes (`/graphql`, `/analytics/<file>`, `/me/personal-data.json`).
//!
//! The origins are `KAKEHASHI_CORS_ORIGINS` ([`CorsOrigins`]). An allowed origin's
//! preflight gets 204 with the methods (`GET`, `POST`), the request headers a client sends
//! and how long to remember the answer; its requests' responses name it in
//! `Access-Control-Allow-Origin` and expose the headers a client reads. Any other origin
//! gets no `Access-Control-Allow-Origin`, so its browser keeps the response from the page.
//! Tokens travel in `Authorization`, never in cookies: credentials are never allowed.
//! Without origins the routes carry no CORS header at all.

use std::time::Duration;

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::CorsOrigins;

/// How long a browser may reuse a preflight's answer.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The request headers a page may send besides the CORS-safelisted ones.
pub const ALLOWED_REQUEST_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::AUTHORIZATION,
    HeaderName::from_static("idempotency-key"),
    HeaderName::from_static("x-request-id"),
];

/// The response headers a page may read besides the CORS-safelisted ones.
pub const EXPOSED_RESPONSE_HEADERS: [HeaderName; 3] = [
    HeaderName::from_static("x-request-id"),
    header::RETRY_AFTER,
    HeaderName::from_static("idempotent-replayed"),
];

/// The policy for `origins`; `None` when no origin is allowed, so that the routes answer
/// as if CORS did not exist.
pub fn layer(origins: &CorsOrigins) -> Option<CorsLayer> {
    let allow_origin = match origins {
        CorsOrigins::None => return None,
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::Exact(origins) => AllowOrigin::list(
            origins
                .iter()
                // Parsed origins are ASCII without controls: every one is a header value.
                .filter_map(|origin| HeaderValue::from_str(origin.as_str()).ok()),
        ),
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(ALLOWED_REQUEST_HEADERS)
            .expose_headers(EXPOSED_RESPONSE_HEADERS)
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Answers preflights 204 No Content rather than `tower-http`'s 200: the answer has no
/// content, and 204 is what the Fetch standard's examples and most services send. Behind
/// the CORS layer every `OPTIONS` is a preflight, answered by that layer.
pub async fn preflight_no_content(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS;
    let mut response = next.run(request).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}
