//! Business rules of Kakehashi.
//!
//! Functions here take a database connection (`&impl ConnectionTrait`) and a [`Caller`];
//! they know nothing of HTTP or GraphQL, so the API, the command line, the seeder and the
//! tests share them.

pub mod active_list;
pub mod actor;
pub mod analytics;
pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod camp;
pub mod community;
pub mod consent;
pub mod documents;
pub mod erasure;
pub mod error;
pub mod holidays;
pub mod hooks;
pub mod idempotency;
pub mod industry;
pub mod matching;
pub mod pagination;
pub mod permissions;
pub mod personal_data;
pub mod places;
pub mod prefecture;
pub mod rate_limit;
pub mod registry;
pub mod renewal;
pub mod retention;
pub mod scopes;
pub mod seed;
pub mod stored_enum;
pub mod versioned;
pub mod visible;

pub use actor::{Actor, Principal, Role};
pub use visible::Visible;

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

/// The tables of the shared modules here (the audit trail, the consent ledger, the rights
/// of data subjects, idempotency keys, the rate limits' buckets, the persisted documents),
/// which every area may read; each area declares its own (`TABLES`).
pub const SHARED_TABLES: &[&str] = &[
    "audit_event",
    "consent_record",
    "consent_terms",
    "erasure_request",
    "idempotency_key",
    "persisted_document",
    "rate_limit_bucket",
    "retention_period",
];

/// A stable code: 1–40 characters of A–Z, 0–9 and `_` (`DEEMED_2028`, `BASIC_POLICY`).
pub fn is_code(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 40
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The rows of `E` whose `id` column is one of `ids` and that meet `condition`, in the
/// order of `ids` (`None` where there is none); one statement per [`CHUNK`] ids.
pub async fn find_in_order<E, C>(
    db: &C,
    id: E::Column,
    ids: &[i64],
    condition: sea_orm::Condition,
    key: impl Fn(&E::Model) -> i64,
) -> DomainResult<Vec<Option<E::Model>>>
where
    E: sea_orm::EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut rows = std::collections::HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for row in E::find()
            .filter(condition.clone())
            .filter(id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            rows.insert(key(&row), row);
        }
    }
    Ok(ids.iter().map(|id| rows.remove(id)).collect())
}

/// Where a domain operation takes the time from: the system's clock, an instant held
/// still (any run that must see one moment throughout), or a clock moved by hand (tests
/// that walk a journey through its calendar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(chrono::DateTime<chrono::Utc>),
    Manual(&'static ManualClock),
}

impl Clock {
    /// The instant now.
    pub fn now(self) -> chrono::DateTime<chrono::Utc> {
        match self {
            Clock::System => chrono::Utc::now(),
            Clock::Fixed(at) => at,
            Clock::Manual(clock) => clock.now(),
        }
    }

    /// Today's date in Japan.
    pub fn today(self) -> chrono::NaiveDate {
        calendar::japan_date(self.now())
    }
}

/// An instant that stays where it is put until it is moved (microseconds since the epoch).
#[derive(Debug)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

impl ManualClock {
    /// A clock showing `at`, living as long as the process (a [`Clock`] is `Copy`).
    pub fn leak(at: chrono::DateTime<chrono::Utc>) -> &'static ManualClock {
        Box::leak(Box::new(ManualClock(std::sync::atomic::AtomicI64::new(
            at.timestamp_micros(),
        ))))
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let micros = self.0.load(std::sync::atomic::Ordering::SeqCst);
        chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default()
    }

    /// Moves the clock to `at` (forwards or back).
    pub fn set(&self, at: chrono::DateTime<chrono::Utc>) {
        self.0
            .store(at.timestamp_micros(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl PartialEq for ManualClock {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ManualClock {}

/// The caller of a domain operation, the request it came in and the clock it reads, for
/// authorization, the audit trail and every rule that depends on the date.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub request_id: Option<String>,
    pub clock: Clock,
}

impl Caller {
    pub fn new(actor: Actor, request_id: Option<String>) -> Self {
        Self {
            actor,
            request_id,
            clock: Clock::System,
        }
    }

    /// The service itself, for command-line tasks.
    pub fn system() -> Self {
        Self::new(Actor::System, None)
    }

    /// The same caller, reading `clock`.
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The instant now, by the caller's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Today's date in Japan, by the caller's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }
}
