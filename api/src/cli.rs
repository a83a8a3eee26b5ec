//! The `kakehashi` command line.

use std::time::Instant;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{
    auth::{TokenRequest, mint_hs256},
    config::Config,
    domain::{Caller, Role, calendar::japan_today, renewal::sweep, seed::seed_demo},
    graphql::sdl,
    startup::{Application, Pool, StartupError, grant_service_role, open},
    telemetry,
};

/// Kakehashi: the GraphQL API of Japan's cybersecurity talent programs.
///
/// Configuration comes from environment variables; see the README.
#[derive(Parser, Debug)]
#[command(name = "kakehashi", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API (the default): migrates the database, then listens on KAKEHASHI_BIND.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// PostgreSQL: also grant this existing role what the serving process needs and no
        /// more (reading and writing every table, appending to the audit trail only), so
        /// the service can run as a role that neither owns the tables nor can change the
        /// trail. Run as the role that owns them.
        #[arg(long, value_name = "ROLE")]
        grant_to: Option<String>,
    },
    /// Fill an empty database with deterministic demo data.
    Seed {
        /// How many specialists to create; by default as many as the published counts need
        /// (about 35,700 up to October 2026).
        #[arg(long, default_value_t = crate::domain::registry::seed::demo_specialists(japan_today()))]
        specialists: u32,
    },
    /// Print the GraphQL schema (SDL); `kakehashi schema > schema.graphql` refreshes it.
    Schema,
    /// Renewal batch work, for a daily scheduler.
    Renewals {
        #[command(subcommand)]
        task: RenewalTask,
    },
    /// Matching batch work, for a daily scheduler.
    Matches {
        #[command(subcommand)]
        task: MatchTask,
    },
    /// Retention of records no longer needed, for a daily scheduler.
    Retention {
        #[command(subcommand)]
        task: RetentionTask,
    },
    /// Idempotency keys of `POST /graphql`, for a daily scheduler.
    Idempotency {
        #[command(subcommand)]
        task: IdempotencyTask,
    },
    /// Persisted operations: the trusted documents partners' front-ends run by id.
    Documents {
        #[command(subcommand)]
        task: DocumentTask,
    },
    /// Mint a development token signed with KAKEHASHI_JWT_HS256_SECRET.
    Token {
        /// The role the token grants.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The subject (`sub`): who the caller is.
        #[arg(long, default_value = "dev-user")]
        sub: String,
        /// Registration number of the specialist the caller is (role SPECIALIST).
        #[arg(long)]
        specialist_id: Option<String>,
        /// Support organization of the caller (role SUPPORT_ORG_STAFF).
        #[arg(long)]
        org_id: Option<String>,
        /// Company of the caller (role SME_USER).
        #[arg(long)]
        company_id: Option<String>,
        /// Code of the training provider the caller is (role TRAINING_PROVIDER).
        #[arg(long)]
        provider_id: Option<String>,
        /// The OAuth client the token is issued to (a service account's name).
        #[arg(long)]
        client_id: Option<String>,
        /// Space-separated scopes: a system's token (see the README's table of scopes).
        #[arg(long)]
        scope: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl_seconds: i64,
    },
}

/// Trusted documents.
#[derive(Subcommand, Debug)]
pub enum DocumentTask {
    /// Register the documents of a manifest, all or none: Relay's `persistConfig` output
    /// (`{ "<id>": "<document>" }`) or an Apollo persisted-query manifest. Each is checked
    /// against the schema; ids already registered with the same text are left as they are.
    Add {
        /// The manifest (JSON).
        file: std::path::PathBuf,
        /// The partner application the documents belong to.
        #[arg(long)]
        client: Option<String>,
    },
}

/// Registers the documents of the manifest `file` as the service itself; the line to
/// print, or why nothing was registered (each refused document named by its id).
pub async fn add_documents(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    client: Option<&str>,
) -> Result<String, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|err| format!("documents: {}: {err}", file.display()))?;
    let documents = crate::domain::documents::parse_manifest(&text)
        .map_err(|why| format!("documents: {}: {why}", file.display()))?;
    let registration = crate::domain::documents::register(
        db,
        &Caller::system(),
        &documents,
        client,
        &crate::graphql::documents::validator::SchemaValidator,
    )
    .await
    .map_err(|err| refused_documents(&documents, err))?;
    Ok(format!(
        "{} documents: {} added, {} already registered",
        registration.documents.len(),
        registration.added,
        registration.documents.len() - registration.added
    ))
}

/// Why a registration was refused, each document named by its id rather than its place.
fn refused_documents(
    documents: &[crate::domain::documents::NewDocument],
    err: crate::domain::DomainError,
) -> String {
    let errors = match err {
        crate::domain::DomainError::Invalid(errors) => errors,
        crate::domain::DomainError::Conflict(error) => vec![error],
        other => return format!("documents: {other}"),
    };
    let lines: Vec<String> = errors
        .iter()
        .map(|e| {
            let id = e
                .field
                .get(1)
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| documents.get(i));
            match id {
                Some(document) => format!("`{}`: {}", document.id, e.message),
                None => e.message.clone(),
            }
        })
        .collect();
    format!("documents: nothing registered: {}", lines.join("; "))
}

/// Batch work over matching. Idempotent: run it again, nothing changes.
#[derive(Subcommand, Debug)]
pub enum MatchTask {
    /// Expire proposals not answered within their window and requests left unmatched past
    /// their open period.
    Sweep {
        /// The day to sweep as of (Japan); today by default.
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
}

/// Retention batch work. Idempotent: run it again, nothing changes.
#[derive(Subcommand, Debug)]
pub enum RetentionTask {
    /// Anonymise every record whose retention period (kept in `retention_periods`) has
    /// ended: answers of decided camp applications, profiles of members who left.
    Sweep {
        /// The day of the run (YYYY-MM-DD, Japan); today by default.
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
}

/// Upkeep of idempotency keys. Idempotent: run it again, nothing changes.
#[derive(Subcommand, Debug)]
pub enum IdempotencyTask {
    /// Delete the keys, and the responses kept with them, whose 24 hours have passed.
    Prune,
}

/// Batch work over every renewal cycle. Each is idempotent: run it again, nothing changes.
#[derive(Subcommand, Debug)]
pub enum RenewalTask {
    /// Lapse cycles that ended before the date without renewal, recording each lapse in
    /// the specialist's status history.
    Sweep {
        /// The day of the run (YYYY-MM-DD, Japan); today by default. Not in the future.
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
    /// Write the renewal reminders due on the date into the outbox, each once.
    Remind {
        /// The day of the run (YYYY-MM-DD, Japan); today by default. Not in the future.
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(&value.to_ascii_uppercase()).ok_or_else(|| {
        let roles: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("one of {}", roles.join(", "))
    })
}

/// Runs one command. Errors come back as one line for `main` to print.
pub async fn run(cli: Cli, config: Config) -> Result<(), StartupError> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            telemetry::init(config.log_format, &config.log_filter);
            let app = Application::build(&config).await?;
            tracing::info!(
                url = %format!("http://{}:{}/graphql", config.bind.ip(), app.port()),
                sqlite = config.is_sqlite(),
                introspection = config.introspection,
                "Kakehashi is serving"
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate { grant_to } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            println!("migrations applied");
            if let Some(role) = grant_to {
                grant_service_role(&db, &role).await?;
                println!(
                    "{role} may now serve: it reads and writes the tables and appends to the audit trail"
                );
            }
        }
        Command::Seed { specialists } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let started = Instant::now();
            let bar = ProgressBar::new(u64::from(specialists));
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} seeding {bar:40} {pos}/{len} specialists")
            {
                bar.set_style(style);
            }
            let result =
                seed_demo(&db, &Caller::system(), specialists, |n| bar.set_position(n)).await;
            bar.finish_and_clear();
            match result {
                Ok(written) => println!(
                    "seeded {written} specialists in {:.1} s",
                    started.elapsed().as_secs_f64()
                ),
                Err(err) => {
                    return Err(StartupError::Io(std::io::Error::other(format!(
                        "seed: {err}"
                    ))));
                }
            }
        }
        Command::Schema => print!("{}", sdl()),
        Command::Retention {
            task: RetentionTask::Sweep { as_of },
        } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let as_of = as_of.unwrap_or_else(japan_today);
            let started = Instant::now();
            let outcome = crate::domain::retention::sweep(
                &db,
                &Caller::system(),
                as_of,
                Caller::system().now(),
            )
            .await
            .map_err(|err| StartupError::Io(std::io::Error::other(plain("retention", err))))?;
            println!(
                "retention sweep as of {as_of}: {} application answers and {} community \
                 profiles anonymised ({:.2} s)",
                outcome.application_answers,
                outcome.community_profiles,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Renewals { task } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let caller = Caller::system();
            let started = Instant::now();
            let failed = |err| StartupError::Io(std::io::Error::other(plain("renewals", err)));
            match task {
                RenewalTask::Sweep { as_of } => {
                    let as_of = as_of.unwrap_or_else(japan_today);
                    let outcome = sweep::sweep(&db, &caller, as_of).await.map_err(failed)?;
                    println!(
                        "sweep as of {as_of}: {} cycles lapsed, {} registrations lapsed, \
                         {} awaiting a decision ({:.2} s)",
                        outcome.lapsed_cycles,
                        outcome.lapsed_registrations,
                        outcome.awaiting_decision,
                        started.elapsed().as_secs_f64()
                    );
                }
                RenewalTask::Remind { as_of } => {
                    let as_of = as_of.unwrap_or_else(japan_today);
                    let outcome = sweep::remind(&db, &caller, as_of).await.map_err(failed)?;
                    let by_kind: Vec<String> = outcome
                        .written
                        .iter()
                        .map(|(kind, n)| format!("{kind} {n}"))
                        .collect();
                    println!(
                        "reminders as of {as_of}: {} written ({}) ({:.2} s)",
                        outcome.total(),
                        by_kind.join(", "),
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
        Command::Matches {
            task: MatchTask::Sweep { as_of },
        } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let started = Instant::now();
            let as_of = as_of.unwrap_or_else(japan_today);
            let report = crate::domain::matching::matches::sweep(&db, &Caller::system(), as_of)
                .await
                .map_err(|err| StartupError::Io(std::io::Error::other(plain("matches", err))))?;
            println!(
                "matching sweep as of {as_of}: {} proposals expired, {} requests expired \
                 ({:.2} s)",
                report.expired_proposals,
                report.expired_requests,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Idempotency {
            task: IdempotencyTask::Prune,
        } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let started = Instant::now();
            let pruned = crate::domain::idempotency::prune(&db, Caller::system().now())
                .await
                .map_err(|err| {
                    StartupError::Io(std::io::Error::other(plain("idempotency", err)))
                })?;
            println!(
                "idempotency prune: {pruned} expired keys deleted ({:.2} s)",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Documents {
            task: DocumentTask::Add { file, client },
        } => {
            telemetry::init(config.log_format, &config.log_filter);
            let db = open(&config.database_url, Pool::tasks()).await?;
            let report = add_documents(&db, &file, client.as_deref())
                .await
                .map_err(|why| StartupError::Io(std::io::Error::other(why)))?;
            println!("{report}");
        }
        Command::Token {
            role,
            sub,
            specialist_id,
            org_id,
            company_id,
            provider_id,
            client_id,
            scope,
            ttl_seconds,
        } => {
            let token = mint_hs256(
                &config.jwt,
                &TokenRequest {
                    subject: sub,
                    role,
                    specialist_id,
                    org_id,
                    company_id,
                    provider_id,
                    client_id,
                    scope,
                    ttl_seconds,
                },
            )?;
            println!("{token}");
        }
    }
    Ok(())
}

/// A domain error as a command line reports it: a field is named by its option
/// (`--as-of: must not be in the future`).
fn plain(task: &str, err: crate::domain::DomainError) -> String {
    match err {
        crate::domain::DomainError::Invalid(errors) => {
            let described: Vec<String> = errors
                .iter()
                .map(|e| match e.field.join("-").replace('_', "-") {
                    field if field.is_empty() => e.message.clone(),
                    field => format!("--{field}: {}", e.message),
                })
                .collect();
            format!("{task}: {}", described.join("; "))
        }
        other => format!("{task}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::plain;
    use crate::domain::DomainError;

    #[test]
    fn a_refused_option_is_named_as_typed() {
        let err = DomainError::invalid("as_of", "must not be in the future");
        assert_eq!(
            plain("renewals", err),
            "renewals: --as-of: must not be in the future"
        );
    }
}
