//! Business rules of Kakehashi.
//!
//! Functions here take a database connection (`&impl ConnectionTrait`) and a [`Caller`];
//! they know nothing of HTTP or GraphQL, so the API, the command line, the seeder and the
//! tests share them.

pub mod active_list;
pub mod actor;
pub mod audit;
pub mod calendar;
pub mod error;
pub mod industry;
pub mod matching;
pub mod pagination;
pub mod prefecture;
pub mod registry;
pub mod renewal;
pub mod stored_enum;
pub mod versioned;

pub use actor::{Actor, Principal, Role};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so concurrent writers queue behind the busy timeout instead of
/// failing on a lock upgrade; PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
pub use error::{DomainError, DomainResult, FieldError};

/// Rows per batched statement (an `IN` list or a multi-row `INSERT`): well under the
/// bind-parameter limits of SQLite and PostgreSQL.
pub const CHUNK: usize = 500;

/// The caller of a domain operation and the request it came in, for authorization and
/// the audit trail.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub request_id: Option<String>,
}

impl Caller {
    pub fn new(actor: Actor, request_id: Option<String>) -> Self {
        Self { actor, request_id }
    }

    /// The service itself, for command-line tasks.
    pub fn system() -> Self {
        Self::new(Actor::System, None)
    }
}
