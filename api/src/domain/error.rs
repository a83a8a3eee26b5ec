//! The one error type of the domain layer.
//!
//! Domain functions return [`DomainError`]; the GraphQL layer maps it in exactly one place
//! (`graphql::error`). Nothing here knows about HTTP or GraphQL.

use sea_orm::{DbErr, SqlErr, TransactionError};

/// One reason an input was refused, tied to the input field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The key of the offending field, by segment: `["registered_on"]`,
    /// `["disclosure", "name"]`, `["interests", "2"]`; empty when the problem concerns the
    /// input as a whole. Keys are the domain's own names; the API layer maps them to the
    /// paths its clients know (`input.registeredOn`).
    pub field: Vec<String>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The record does not exist, or the caller may not know that it does. `field` is the
    /// input that named it (`cycle_id`), empty when no input did (the caller's own record).
    #[error("{entity} not found")]
    NotFound {
        entity: &'static str,
        field: &'static str,
    },
    /// One or more inputs are malformed or break a rule.
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The write clashes with the stored state: a duplicate, or a stale version.
    #[error("conflict on {}: {}", .0.field.join("."), .0.message)]
    Conflict(FieldError),
    /// The caller is not signed in and the operation needs a signed-in caller.
    #[error("authentication required")]
    Unauthenticated,
    /// The caller is signed in but may not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The caller's token carries scopes, and none of them grants this one.
    #[error("forbidden: {}", .0.refusal)]
    MissingScope(&'static super::scopes::Scope),
    /// The database failed; the details are for the log, never for the client.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// Field errors in plain words, for logs and the command line: `as_of: must not be in the
/// future; name: is empty`.
fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| match e.field.join(".") {
            field if field.is_empty() => e.message.clone(),
            field => format!("{field}: {}", e.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl DomainError {
    /// `NotFound` of `entity`, named by the input `field`.
    pub fn not_found(entity: &'static str, field: &'static str) -> Self {
        Self::NotFound { entity, field }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict(FieldError::new(field, message))
    }

    /// Turns a unique-constraint violation into a `Conflict` on `field`; any other
    /// database error stays a `Db` error.
    pub fn from_db_unique(err: DbErr, field: &str, message: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict(field, message),
            _ => Self::Db(err),
        }
    }
}

impl From<TransactionError<DomainError>> for DomainError {
    fn from(err: TransactionError<DomainError>) -> Self {
        match err {
            TransactionError::Connection(db) => Self::Db(db),
            TransactionError::Transaction(domain) => domain,
        }
    }
}

/// Collects field errors so that one response reports every problem of an input at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the parsed value, or records why it could not be parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.push(field, message);
                None
            }
        }
    }

    /// Keeps the value of a check that reports its own invalid inputs, or records them
    /// with the others; any other error is passed on.
    pub fn absorb<T>(&mut self, checked: Result<T, DomainError>) -> Result<Option<T>, DomainError> {
        match checked {
            Ok(value) => Ok(Some(value)),
            Err(DomainError::Invalid(errors)) => {
                self.0.extend(errors);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Records "is required" for each field whose value is missing.
    pub fn require_present(&mut self, fields: &[(&str, bool)]) {
        for (field, missing) in fields {
            if *missing {
                self.push(field, "is required");
            }
        }
    }

    pub fn into_result(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// What kind of failure a database error is, for callers deciding whether to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFailure {
    /// The database could not be reached or gave no connection in time: retrying later
    /// may succeed, and nothing was written.
    Unavailable,
    /// A statement ran past its time limit or waited too long for a lock, and was
    /// cancelled with its transaction.
    TimedOut,
    /// Anything else: a fault on our side.
    Other,
}

/// Classifies a database error.
pub fn db_failure(err: &DbErr) -> DbFailure {
    use sea_orm::{RuntimeErr, sqlx};
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return DbFailure::Unavailable,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return DbFailure::Other,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return match err {
            DbErr::Conn(_) => DbFailure::Unavailable,
            _ => DbFailure::Other,
        };
    };
    match sqlx.as_ref() {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => DbFailure::Unavailable,
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // PostgreSQL: query_canceled (statement_timeout), lock_not_available.
            Some("57014" | "55P03") => DbFailure::TimedOut,
            // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now,
            // too_many_connections; SQLite: SQLITE_BUSY and its extended codes.
            Some("57P01" | "57P02" | "57P03" | "53300" | "5" | "261" | "517" | "773") => {
                DbFailure::Unavailable
            }
            _ => DbFailure::Other,
        },
        _ => DbFailure::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_reads_as_plain_words() {
        let err = DomainError::Invalid(vec![
            FieldError::new("as_of", "must not be in the future (dates are in Japan)"),
            FieldError::new("", "incomplete input"),
        ]);
        assert_eq!(
            err.to_string(),
            "invalid input: as_of: must not be in the future (dates are in Japan); incomplete input"
        );
    }
}
