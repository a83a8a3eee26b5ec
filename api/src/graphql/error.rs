//! The one place where domain errors become GraphQL errors.
//!
//! Request-level errors carry `extensions.code` from a fixed set ([`ErrorCode`]). Input
//! problems of a mutation become `userErrors` in its payload instead ([`UserError`]).
//! Internal failures are logged (inside the request's span, which carries its id) and the
//! client sees only that something went wrong on our side.

use async_graphql::{Enum, ErrorExtensions, SimpleObject};

use crate::domain::{
    DomainError, FieldError,
    error::{DbFailure, db_failure},
};

/// The message of a request cancelled at its time limit.
pub const TIMED_OUT: &str = "the request took longer than its time limit and was cancelled; \
     a change not yet committed was rolled back (read before retrying a mutation)";

/// The `extensions.code` of a request-level error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// No valid bearer token, and the operation needs one.
    Unauthenticated,
    /// The token is valid but its role may not do this.
    Forbidden,
    /// The record does not exist or is not visible to the caller.
    NotFound,
    /// An argument is malformed (a bad ID, cursor or page size, an over-long list).
    BadUserInput,
    /// The request clashes with the stored state.
    Conflict,
    /// The request ran past its time limit and was cancelled; nothing of it was kept.
    Timeout,
    /// The database is unavailable: retry after the time the `Retry-After` header names.
    ServiceUnavailable,
    /// The caller's budget of points cannot pay for the operation: retry after the
    /// seconds `Retry-After` (and `extensions.retryAfter`) name.
    Throttled,
    /// The request named a persisted document (`documentId`, `doc_id` or APQ's
    /// `sha256Hash`) the service does not hold; an APQ client sends the text with the hash.
    PersistedQueryNotFound,
    /// The caller is a service account and the service runs only trusted documents for
    /// them (`KAKEHASHI_TRUSTED_DOCUMENTS_ONLY`): send a registered `documentId`.
    PersistedQueryRequired,
    /// Something failed on the server; the log has the details under the request id.
    Internal,
    /// The `Idempotency-Key` was used for a different request within its 24 hours
    /// (HTTP 422): a new request needs a new key.
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running (HTTP 409): retry
    /// after the time the `Retry-After` header names, to get its response.
    IdempotencyInProgress,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorCode::Throttled => "THROTTLED",
            ErrorCode::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            ErrorCode::PersistedQueryRequired => "PERSISTED_QUERY_REQUIRED",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            ErrorCode::IdempotencyInProgress => "IDEMPOTENCY_IN_PROGRESS",
        }
    }
}

/// A request-level error with its code.
pub fn coded(code: ErrorCode, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// A domain key's segment as the API names it: `registered_on` → `registeredOn`.
pub fn camel(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut upper = false;
    for c in segment.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A domain field key as the API names it: each segment in camel case.
pub fn api_path(field: &[String]) -> Vec<String> {
    field.iter().map(|s| camel(s)).collect()
}

/// The path of a mutation's input field: `["input", …]`, or `["input"]` for the input as
/// a whole.
pub fn input_path(field: &[String]) -> Vec<String> {
    std::iter::once("input".to_owned())
        .chain(api_path(field))
        .collect()
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| {
            let path = api_path(&e.field).join(".");
            if path.is_empty() {
                e.message.clone()
            } else {
                format!("{path}: {}", e.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The code and message a domain error is answered with, over GraphQL or plain HTTP: the
/// one place domain errors are mapped. Database errors are logged and told apart from the
/// client's mistakes only by the request id.
pub fn classify(err: DomainError) -> (ErrorCode, String) {
    match err {
        DomainError::NotFound { entity, .. } => {
            (ErrorCode::NotFound, format!("{entity} not found"))
        }
        DomainError::Invalid(errors) => (ErrorCode::BadUserInput, describe(&errors)),
        DomainError::Conflict(error) => (ErrorCode::Conflict, describe(&[error])),
        DomainError::Unauthenticated => (
            ErrorCode::Unauthenticated,
            "sign in: this operation needs a bearer token".to_owned(),
        ),
        DomainError::Forbidden(why) => (ErrorCode::Forbidden, why.to_owned()),
        DomainError::MissingScope(scope) => (ErrorCode::Forbidden, scope.refusal.to_owned()),
        DomainError::Db(db) => match db_failure(&db) {
            DbFailure::Unavailable => {
                tracing::warn!(error = %db, "database unavailable");
                (
                    ErrorCode::ServiceUnavailable,
                    "the database is unavailable; retry in a moment".to_owned(),
                )
            }
            DbFailure::TimedOut => {
                tracing::warn!(error = %db, "statement timed out");
                (ErrorCode::Timeout, TIMED_OUT.to_owned())
            }
            DbFailure::Other => {
                tracing::error!(error = %db, "database error");
                (
                    ErrorCode::Internal,
                    "internal error; the request id identifies it in our logs".to_owned(),
                )
            }
        },
    }
}

/// Maps a domain error to a request-level GraphQL error.
/// A refusal for want of a scope also names the scope (`extensions.missingScope`), so a
/// system can tell which one to ask for.
pub fn to_graphql(err: DomainError) -> async_graphql::Error {
    let missing = match &err {
        DomainError::MissingScope(scope) => Some(scope.name),
        _ => None,
    };
    let (code, message) = classify(err);
    let error = coded(code, message);
    match missing {
        Some(scope) => error.extend_with(|_, ext| ext.set("missingScope", scope)),
        None => error,
    }
}

/// Gives every error of a response a code. Errors our resolvers raise are coded where they
/// arise; what is left comes from parsing, validation, limits and argument coercion, all of
/// them about the request the client sent.
pub fn code_client_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", ErrorCode::BadUserInput.as_str());
        }
    }
}

/// `?`-friendly conversion of domain results in resolvers.
pub trait GqlResultExt<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResultExt<T> for Result<T, DomainError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_graphql)
    }
}

/// Why an input was refused.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserErrorCode {
    /// The value is malformed or breaks a rule; the message says which.
    Invalid,
    /// The value clashes with stored data: a duplicate, or a stale `expectedVersion`.
    Conflict,
    /// The record the input names does not exist or is not visible to you.
    NotFound,
}

/// A problem with a mutation's input, for the client to show next to the field.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// Path to the input field, e.g. `["input", "registeredOn"]`; null when the problem
    /// concerns the input as a whole.
    pub field: Option<Vec<String>>,
    /// A sentence to show the user.
    pub message: String,
    /// A machine-readable reason.
    pub code: UserErrorCode,
}

impl UserError {
    fn from_field(error: FieldError, code: UserErrorCode) -> Self {
        Self {
            field: Some(input_path(&error.field)),
            message: error.message,
            code,
        }
    }
}

/// Splits a mutation's failure: problems with the input become `userErrors`; anything
/// else (authentication, authorization, internal) stays a request-level error.
pub fn user_errors(err: DomainError) -> async_graphql::Result<Vec<UserError>> {
    match err {
        DomainError::Invalid(errors) => Ok(errors
            .into_iter()
            .map(|e| UserError::from_field(e, UserErrorCode::Invalid))
            .collect()),
        DomainError::Conflict(error) => {
            Ok(vec![UserError::from_field(error, UserErrorCode::Conflict)])
        }
        DomainError::NotFound { entity, field } => Ok(vec![UserError::from_field(
            FieldError::new(field, format!("{entity} not found")),
            UserErrorCode::NotFound,
        )]),
        other => Err(to_graphql(other)),
    }
}

/// Splits a mutation's domain result into its value and `userErrors` (see [`user_errors`]).
pub fn payload<T>(
    result: Result<T, DomainError>,
) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(err) => Ok((None, user_errors(err)?)),
    }
}
