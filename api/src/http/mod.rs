//! The HTTP surface: `/graphql` (with GraphiQL and its assets), `/analytics/<file>`,
//! `/bulk/<kind>` and `/bulk/jobs/<id>`, `/me/personal-data.json`, `/healthz` and
//! `/readyz`, with request ids, tracing and the browsers' cross-origin policy.

pub mod analytics;
pub mod bulk;
pub mod chart;
pub mod cors;
pub mod errors;
pub mod explorer;
pub mod graphql;
pub mod idempotency;
pub mod persisted;
pub mod personal_data;
pub mod shutdown;

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::State,
    http::{Request, StatusCode},
    response::IntoResponse,
    routing::get,
};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    auth::TokenVerifier,
    config::{CorsOrigins, Limits},
    graphql::{Schemas, document_cache::DocumentCache},
};

/// How long `/readyz` waits for the database before it answers 503.
pub const READY_CHECK_TIMEOUT: Duration = Duration::from_millis(800);

/// What the handlers share. Cloning is cheap: everything is behind a handle.
#[derive(Clone)]
pub struct AppHttpState {
    pub schemas: Schemas,
    pub db: DatabaseConnection,
    pub verifier: Arc<TokenVerifier>,
    pub introspection: bool,
    pub documents: Arc<DocumentCache>,
    /// The persisted documents requests may name by id or hash (see [`persisted`]).
    pub persisted: Arc<persisted::PersistedDocuments>,
    pub limits: Limits,
    /// Whether the service is stopping (see [`shutdown`]).
    pub shutdown: shutdown::Shutdown,
    /// How many refused tokens may still be audited one by one this minute.
    pub refused_tokens: Arc<RefusalBudget>,
    /// The clock every request's caller reads.
    pub clock: crate::domain::Clock,
    /// Callers' budgets of query points; `None` when rate limits are off.
    pub limiter: Option<crate::domain::rate_limit::RateLimiter>,
    /// The header a reverse proxy names the client's address in, if one is trusted to.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Which pages on other origins browsers let call the browser-facing routes.
    pub cors_origins: CorsOrigins,
}

/// How many refused tokens one process audits one by one per minute. Anyone can send a
/// bad token; past this, refusals are counted, and the count is recorded with the next
/// refusal that is, so a flood of bad tokens cannot flood the audit trail.
pub const AUDITED_REFUSED_TOKENS_PER_MINUTE: u32 = 120;

/// The budget of [`AUDITED_REFUSED_TOKENS_PER_MINUTE`].
#[derive(Debug, Default)]
pub struct RefusalBudget {
    /// The minute's start, the refusals audited in it, and those not audited since the
    /// last one that was.
    window: std::sync::Mutex<(Option<tokio::time::Instant>, u32, u64)>,
}

impl RefusalBudget {
    /// Whether to audit a refusal seen at `now`; if so, how many went unaudited before it.
    pub fn admit(&self, now: tokio::time::Instant) -> Option<u64> {
        let mut window = self
            .window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (start, audited, unaudited) = &mut *window;
        if start.is_none_or(|start| now.duration_since(start) >= Duration::from_secs(60)) {
            *start = Some(now);
            *audited = 0;
        }
        if *audited < AUDITED_REFUSED_TOKENS_PER_MINUTE {
            *audited += 1;
            Some(std::mem::take(unaudited))
        } else {
            *unaudited += 1;
            None
        }
    }
}

/// The service's router.
pub fn router(state: AppHttpState) -> Router {
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
        let request_id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = request.uri().path(),
            request_id,
        )
    });
    // What a page on another origin may call; the probes and the explorer's own files are
    // not for other origins.
    let mut browser = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/analytics/{file}", get(analytics::get))
        .route("/bulk/jobs/{id}", get(bulk::job))
        .route("/bulk/{kind}", axum::routing::post(bulk::post))
        .route("/me/personal-data.json", get(personal_data::get));
    if let Some(cors) = cors::layer(&state.cors_origins) {
        browser = browser
            .layer(cors)
            .layer(axum::middleware::from_fn(cors::preflight_no_content));
    }
    Router::new()
        .merge(browser)
        .route("/graphql/assets/{file}", get(explorer::asset))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::map_request(sane_request_id))
}

/// The longest `x-request-id` a client may choose; the trail stores it beside each change.
pub const MAX_REQUEST_ID: usize = 64;

/// Keeps a client's `x-request-id` only when it is 1 to 64 characters of letters, digits
/// and `-_.:`; any other is dropped, and the service generates one instead.
async fn sane_request_id<B>(mut request: Request<B>) -> Request<B> {
    let sane = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|id| {
            (1..=MAX_REQUEST_ID).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        });
    if !sane {
        request.headers_mut().remove("x-request-id");
    }
    request
}

/// The process is up.
async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// The service can serve: it is not stopping, and its database answers within
/// [`READY_CHECK_TIMEOUT`].
async fn readyz(State(state): State<AppHttpState>) -> impl IntoResponse {
    let unavailable = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": reason })),
        )
    };
    if state.shutdown.is_draining() {
        return unavailable("shutting down");
    }
    match tokio::time::timeout(READY_CHECK_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "database not reachable");
            unavailable("database not reachable")
        }
        Err(_) => {
            tracing::warn!("database did not answer in time");
            unavailable("database not reachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_tokens_past_the_budget_are_counted_and_reported_with_the_next_audited() {
        let budget = RefusalBudget::default();
        let start = tokio::time::Instant::now();
        for _ in 0..AUDITED_REFUSED_TOKENS_PER_MINUTE {
            assert_eq!(budget.admit(start), Some(0));
        }
        assert_eq!(budget.admit(start), None);
        assert_eq!(budget.admit(start + Duration::from_secs(59)), None);
        // A new minute: the next refusal is audited with the count of those that were not.
        assert_eq!(budget.admit(start + Duration::from_secs(60)), Some(2));
        assert_eq!(budget.admit(start + Duration::from_secs(61)), Some(0));
    }
}
