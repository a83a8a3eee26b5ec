//! Errors the HTTP layer answers itself, before GraphQL runs, in GraphQL's response shape.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    domain::DomainError,
    graphql::error::{ErrorCode, classify},
};

/// Seconds a client should wait before retrying when the database is away.
pub const RETRY_AFTER_SECONDS: &str = "1";

/// A response `{"errors":[{"message", "extensions":{"code"}}]}` with `status`.
pub fn error_response(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    (status, axum::Json(body)).into_response()
}

/// 401 for a bearer token that does not verify.
pub fn unauthenticated(message: &str) -> Response {
    let mut response = error_response(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
        message,
    );
    let challenge = format!(
        "Bearer error=\"invalid_token\", error_description=\"{}\"",
        message.replace('"', "'")
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// 405 for a method the endpoint does not take; `allow` lists the ones it does.
pub fn method_not_allowed(allow: &'static str, message: &str) -> Response {
    let mut response = error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::BadUserInput,
        message,
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// The HTTP status of an error code, for endpoints outside GraphQL (which answers 200).
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::PersistedQueryNotFound => StatusCode::NOT_FOUND,
        ErrorCode::PersistedQueryRequired => StatusCode::FORBIDDEN,
        ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Timeout | ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::IdempotencyInProgress => StatusCode::CONFLICT,
    }
}

/// A domain error as a plain HTTP response, with the code and message GraphQL would give.
pub fn domain_error(err: DomainError) -> Response {
    let (code, message) = classify(err);
    if code == ErrorCode::Unauthenticated {
        return unauthenticated(&message);
    }
    let mut response = error_response(status_of(code), code, &message);
    if code == ErrorCode::ServiceUnavailable {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    response
}
