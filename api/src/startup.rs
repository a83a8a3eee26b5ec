//! Building the service from its configuration: database, migrations, schema, router and
//! listener. `main` and the tests both start the service through [`Application`].

use std::{net::SocketAddr, sync::Arc, time::Duration};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;

use crate::{
    auth::TokenVerifier,
    config::{Config, ConfigError, Limits},
    domain::rate_limit::RateLimiter,
    graphql::{SchemaOptions, build_schemas},
    http::{AppHttpState, persisted::PersistedDocuments, router, shutdown::Shutdown},
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// An arbitrary, fixed key for the PostgreSQL advisory lock that serializes migrations
/// when several replicas start at once.
const MIGRATION_LOCK_KEY: i64 = 0x6b616b65_68617368;

/// How the service's own connections behave: a request waits at most
/// `acquire_timeout` for a connection, and on PostgreSQL no statement runs longer than
/// `statement_timeout`. Command-line tasks (seeding, sweeps) take [`Pool::tasks`].
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    pub acquire_timeout: Duration,
    pub statement_timeout: Option<Duration>,
}

impl Pool {
    /// The pool of the serving process, from its limits. No statement outlives the
    /// shorter of the two request time limits: a request given up on must not leave its
    /// statement holding a connection until the longer one.
    pub fn serving(limits: &Limits) -> Self {
        Self {
            acquire_timeout: limits.db_acquire_timeout,
            statement_timeout: Some(limits.request_timeout.min(limits.anonymous_request_timeout)),
        }
    }

    /// The pool of a command-line task: long statements are its point.
    pub fn tasks() -> Self {
        Self {
            acquire_timeout: Duration::from_secs(10),
            statement_timeout: None,
        }
    }
}

/// Opens the database. For SQLite, creates the file's folder first and turns on WAL so
/// that readers do not wait for writers.
pub async fn connect(url: &SecretString, pool: Pool) -> Result<DatabaseConnection, StartupError> {
    let url = url.expose_secret();
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .max_connections(20)
        .min_connections(1)
        .connect_timeout(pool.acquire_timeout.max(Duration::from_secs(1)))
        .acquire_timeout(pool.acquire_timeout)
        // Pinging every connection on checkout doubles the round trips of a lookup; only
        // connections idle long enough to have been dropped by a proxy are checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if let Some(limit) = pool.statement_timeout
        && !url.starts_with("sqlite:")
    {
        // Also ends waits for locks: a statement behind a held lock gives up with the request.
        options.statement_timeout(limit);
    }
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

/// Opens the database and applies pending migrations: what every command does first. On
/// an SQLite file, processes starting together (two `serve`s, a `serve` and a `seed`)
/// take turns through a lock file beside the database, held from before the first
/// connection until the migrations are done, so only the first creates the file, turns on
/// WAL and migrates while the others wait; on PostgreSQL [`migrate`] takes an advisory lock.
pub async fn open(url: &SecretString, pool: Pool) -> Result<DatabaseConnection, StartupError> {
    Ok(open_reporting_new(url, pool).await?.0)
}

/// [`open`], also saying whether the database was new: it had no migration applied.
async fn open_reporting_new(
    url: &SecretString,
    pool: Pool,
) -> Result<(DatabaseConnection, bool), StartupError> {
    let lock = match sqlite_path(url.expose_secret()) {
        Some(path) => Some(lock_file(format!("{path}.migrate-lock")).await?),
        None => None,
    };
    let db = connect(url, pool).await?;
    let created = migrate(&db).await?;
    // Dropping the file releases the lock.
    drop(lock);
    Ok((db, created))
}

/// Takes an exclusive lock on `path` (created if missing, with its folder), waiting for
/// another process that holds it.
async fn lock_file(path: String) -> Result<std::fs::File, StartupError> {
    // Waiting for the lock blocks; keep it off the async workers.
    let file = tokio::task::spawn_blocking(move || {
        if let Some(parent) = std::path::Path::new(&path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(std::io::Error::other)??;
    Ok(file)
}

/// The file path of an SQLite URL (`sqlite://data/kakehashi.db?mode=rwc` →
/// `data/kakehashi.db`); `None` for other databases and in-memory SQLite.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Applies pending migrations. On PostgreSQL they run in one transaction holding an
/// advisory lock, so replicas starting together migrate once and never half-way. Returns
/// whether the database was new (every migration was pending).
pub async fn migrate(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let all = Migrator::migrations().len();
    let created = if db.get_database_backend() == DatabaseBackend::Postgres {
        let txn = db.begin().await?;
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
        ))
        .await?;
        // Asked first without creating anything, so that a service role that may not
        // change the schema (see [`grant_service_role`]) starts on a migrated database.
        // Asked under the lock, so that of replicas starting together only the one that
        // migrates sees a new database.
        let pending = Migrator::get_pending_migrations_read_only(&txn)
            .await?
            .len();
        if pending > 0 {
            Migrator::up(&txn, None).await?;
        }
        txn.commit().await?;
        pending == all
    } else {
        // The caller holds the file lock (see [`open`]).
        let pending = Migrator::get_pending_migrations_read_only(db).await?.len();
        Migrator::up(db, None).await?;
        pending == all
    };
    // Registrations that predate renewal tracking get their cycles (idempotent; a no-op
    // once every registration has them).
    crate::domain::renewal::cycles::backfill(db, crate::domain::Clock::System)
        .await
        .map_err(|err| match err {
            crate::domain::DomainError::Db(db) => db,
            other => DbErr::Custom(other.to_string()),
        })?;
    Ok(created)
}

/// The tables only ever appended to (their triggers refuse changes): a service role may
/// read them and add rows, nothing else.
pub const APPEND_ONLY_TABLES: [&str; 2] = ["audit_events", "consent_records"];

/// Grants `role` (an existing PostgreSQL role) what the serving process needs on a
/// migrated database, and no more: reading and writing every table and sequence, but on
/// the append-only tables only reading and appending, and on the migrations' own table
/// only reading. Tables later migrations add are granted by default the same way; run it
/// again after each migration (as `docker-compose.yml` does) to take the append-only ones
/// back. A role that neither owns the tables, nor is a member of their owner, nor is a
/// superuser cannot switch the triggers off, so the trails stay append-only whatever the
/// service is made to run. Run as the tables' owner; idempotent.
pub async fn grant_service_role(db: &DatabaseConnection, role: &str) -> Result<(), StartupError> {
    let refuse = |message: String| {
        StartupError::Config(ConfigError {
            variable: "--grant-to",
            message,
        })
    };
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Err(StartupError::Config(ConfigError {
            variable: "DATABASE_URL",
            message: "--grant-to needs PostgreSQL: an SQLite file has no roles".into(),
        }));
    }
    if role.is_empty()
        || role.len() > 63
        || !role
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        || role.starts_with("pg_")
        || role == "public"
    {
        return Err(refuse(format!(
            "`{role}` is not a role this can grant to: name one role of lower-case letters, \
             digits and underscores (not `public`, not a `pg_` role)"
        )));
    }
    let found = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT rolsuper, rolname = current_user AS is_self, \
             pg_has_role(rolname, current_user, 'MEMBER') AS in_owner \
             FROM pg_roles WHERE rolname = $1",
            [role.into()],
        ))
        .await?;
    let Some(found) = found else {
        return Err(refuse(format!(
            "no role `{role}`: create it first (CREATE ROLE {role} LOGIN PASSWORD '…')"
        )));
    };
    let flag = |column: &str| found.try_get::<bool>("", column);
    if flag("rolsuper")? || flag("is_self")? || flag("in_owner")? {
        return Err(refuse(format!(
            "`{role}` is a superuser, the owner running this, or a member of the owner: \
             it could switch the audit trail's triggers off; serve as a role of its own"
        )));
    }
    // The name is checked above; quoted all the same.
    let quoted = format!("\"{role}\"");
    let mut statements = vec![
        format!("GRANT USAGE ON SCHEMA public TO {quoted}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"),
        format!("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}"),
        format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public \
             GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}"
        ),
        format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public \
             GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted}"
        ),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM {quoted}"),
    ];
    statements.extend(
        APPEND_ONLY_TABLES
            .iter()
            .map(|table| format!("REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}")),
    );
    let txn = db.begin().await?;
    for statement in statements {
        txn.execute_unprepared(&statement).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Fills a database just created with demo data, and says so.
async fn seed_demo(db: &DatabaseConnection, specialists: u32) -> Result<(), StartupError> {
    let started = std::time::Instant::now();
    let seeded =
        crate::domain::seed::seed_demo(db, &crate::domain::Caller::system(), specialists, |_| {})
            .await
            .map_err(|err| match err {
                crate::domain::DomainError::Db(db) => StartupError::Db(db),
                other => StartupError::Db(DbErr::Custom(other.to_string())),
            })?;
    tracing::info!(
        specialists = seeded,
        seconds = started.elapsed().as_secs_f32(),
        "seeded the new development database with demo data; set KAKEHASHI_DEMO_SEED=0 \
         (and remove the database) to start empty"
    );
    Ok(())
}

/// A built service, bound to its port and ready to run.
pub struct Application {
    listener: TcpListener,
    port: u16,
    router: axum::Router,
    db: DatabaseConnection,
    shutdown: Shutdown,
    limits: Limits,
}

impl Application {
    /// Connects to the configured database, migrates it and binds the listener. A
    /// database it creates gets `KAKEHASHI_DEMO_SEED` demo specialists first (development
    /// only; none in production).
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let (db, created) =
            open_reporting_new(&config.database_url, Pool::serving(&config.limits)).await?;
        if created && config.demo_seed > 0 {
            seed_demo(&db, config.demo_seed).await?;
        }
        Self::build_with_db(config, db).await
    }

    /// Builds the service on an open, migrated database (tests pass their own).
    pub async fn build_with_db(
        config: &Config,
        db: DatabaseConnection,
    ) -> Result<Self, StartupError> {
        let shutdown = Shutdown::default();
        let router = router_with(config, db.clone(), shutdown.clone())?;
        let listener =
            TcpListener::bind(config.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.bind,
                    source,
                })?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            listener,
            port,
            router,
            db,
            shutdown,
            limits: config.limits,
        })
    }

    /// The port the service listens on (useful with `KAKEHASHI_BIND=127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then stops in the order [`Shutdown`] describes:
    /// drain (readiness 503, still accepting), stop accepting, let requests in flight
    /// finish within the grace period, cancel the rest, close the pool.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Limits {
            shutdown_drain: drain,
            shutdown_grace: grace,
            ..
        } = self.limits;
        let (signalled_tx, mut signalled_rx) = tokio::sync::watch::channel(false);
        let shutdown = self.shutdown.clone();
        let stop_accepting = async move {
            shutdown_signal().await;
            shutdown.start_draining();
            signalled_tx.send_replace(true);
            tokio::time::sleep(drain).await;
            tracing::info!("no longer accepting connections");
        };
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop_accepting);
        let shutdown = self.shutdown.clone();
        let watchdog = async move {
            if signalled_rx.wait_for(|s| *s).await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(drain + grace).await;
            tracing::warn!(
                grace_secs = grace.as_secs_f64(),
                "grace period over; cancelling the requests still running"
            );
            shutdown.cancel();
            // Cancelled requests answer at once; a connection that still will not close
            // (a client sending its body slowly) does not hold the process.
            tokio::time::sleep(Duration::from_secs(1)).await;
        };
        let served = tokio::select! {
            served = serve => served,
            () = watchdog => Ok(()),
        };
        if let Err(err) = self.db.close().await {
            tracing::warn!(error = %err, "closing the database pool");
        }
        tracing::info!("stopped");
        served
    }
}

/// The router over `db`, without a listener (tests call it directly).
pub fn build_router(config: &Config, db: DatabaseConnection) -> Result<axum::Router, StartupError> {
    router_with(config, db, Shutdown::default())
}

/// The router, with the handle that tells it the service is stopping.
fn router_with(
    config: &Config,
    db: DatabaseConnection,
    shutdown: Shutdown,
) -> Result<axum::Router, StartupError> {
    let verifier = TokenVerifier::from_config(&config.jwt)?;
    let limiter = config.rate_limits.map(|budgets| {
        let limiter = RateLimiter::new(db.clone(), config.clock, budgets);
        limiter.spawn_sync(config.rate_limit_sync);
        limiter
    });
    let schemas = build_schemas(
        db.clone(),
        SchemaOptions {
            introspection: config.introspection,
            rate_limits: limiter.is_some(),
        },
    );
    let persisted = PersistedDocuments::new(db.clone(), config.trusted_documents_only);
    Ok(router(AppHttpState {
        schemas,
        db,
        persisted: Arc::new(persisted),
        verifier: Arc::new(verifier),
        introspection: config.introspection,
        documents: Arc::default(),
        limits: config.limits,
        shutdown,
        refused_tokens: Arc::default(),
        clock: config.clock,
        limiter,
        client_ip_header: config.client_ip_header.clone(),
        cors_origins: config.cors_origins.clone(),
    }))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/kakehashi.db?mode=rwc"),
            Some("data/kakehashi.db")
        );
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/db"), None);
    }
}
