//! Typed configuration, read once at start-up from environment variables.
//!
//! This is the only module that reads the environment. Every variable is listed in the
//! README. A missing or malformed value is a [`ConfigError`] naming the variable, which
//! `main` prints as one line before exiting.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use secrecy::{ExposeSecret, SecretString};

mod cors_origins;
pub use cors_origins::{CorsOrigins, Origin};

/// The default database: an SQLite file under `./data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/kakehashi.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";
pub const DEFAULT_ISSUER: &str = "kakehashi-dev";
pub const DEFAULT_AUDIENCE: &str = "kakehashi";
/// HS256 secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size).
pub const MIN_HS256_SECRET_BYTES: usize = 32;
/// Our own logs at `info`; the database driver only when something is wrong (its notices
/// at start-up are noise).
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn";

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl ConfigError {
    fn new(variable: &'static str, message: impl Into<String>) -> Self {
        Self {
            variable,
            message: message.into(),
        }
    }
}

/// Where the service runs: development defaults are convenient; production refuses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// How bearer tokens are verified.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// Shared secret for HS256 tokens (and for `kakehashi token`).
    pub hs256_secret: Option<SecretString>,
    /// A PEM public key (RSA, EC P-256 or Ed25519) and the file it came from.
    pub public_key: Option<(PathBuf, Vec<u8>)>,
    pub issuer: String,
    pub audience: String,
    /// Accepted `typ` header values, lower case, without an `application/` prefix.
    pub token_types: Vec<String>,
}

/// The token types (`typ` header) accepted by default: RFC 9068's access tokens and plain
/// JWTs. Refresh and ID tokens carry other types and are refused.
pub const DEFAULT_TOKEN_TYPES: &str = "at+jwt,JWT";

/// Demo specialists seeded into a development database that `serve` creates.
pub const DEFAULT_DEMO_SEED: u32 = 2_000;

/// Time limits that keep one request from holding the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most a signed-in caller's request may take.
    pub request_timeout: Duration,
    /// The most an anonymous request may take. The shorter of the two limits is the
    /// PostgreSQL `statement_timeout` of the service's connections.
    pub anonymous_request_timeout: Duration,
    /// How long a request waits for a database connection before answering 503.
    pub db_acquire_timeout: Duration,
    /// How long after SIGTERM `/readyz` answers 503 while connections are still accepted,
    /// for a load balancer to stop sending traffic.
    pub shutdown_drain: Duration,
    /// How long requests in flight may still run once no connection is accepted, before
    /// they are cancelled.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            anonymous_request_timeout: Duration::from_secs(5),
            db_acquire_timeout: Duration::from_secs(1),
            shutdown_drain: Duration::ZERO,
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: SecretString,
    pub bind: SocketAddr,
    pub jwt: JwtConfig,
    pub introspection: bool,
    pub log_format: LogFormat,
    /// A `tracing` filter directive, as in `RUST_LOG`.
    pub log_filter: String,
    pub limits: Limits,
    /// Where requests take the time from: the system's clock, always, outside tests (it
    /// is not read from the environment).
    pub clock: crate::domain::Clock,
    /// Demo specialists (with all the seed writes with them) put into a database that
    /// `serve` creates: `KAKEHASHI_DEMO_SEED`, 2,000 in development, never in production.
    pub demo_seed: u32,
    /// The budgets of query points (see `domain::rate_limit`); `None` when
    /// `KAKEHASHI_RATE_LIMITS=off`.
    pub rate_limits: Option<crate::domain::rate_limit::Budgets>,
    /// How often a replica writes what its callers spent (`KAKEHASHI_RATE_LIMIT_SYNC_SECS`).
    pub rate_limit_sync: Duration,
    /// The header a reverse proxy puts the client's address in
    /// (`KAKEHASHI_CLIENT_IP_HEADER`, e.g. `x-real-ip`): anonymous callers' budgets are
    /// kept by that address instead of the connection's.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Which browser pages on other origins may call the API: `KAKEHASHI_CORS_ORIGINS`.
    pub cors_origins: CorsOrigins,
    /// Whether service accounts (tokens with a `scope` claim) may run only trusted
    /// documents, named by id (`KAKEHASHI_TRUSTED_DOCUMENTS_ONLY`, off by default).
    pub trusted_documents_only: bool,
}

/// How often a replica writes its callers' spending by default.
pub const DEFAULT_RATE_LIMIT_SYNC: Duration = Duration::from_secs(1);

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can pass their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let environment = match get("KAKEHASHI_ENV").as_deref().map(str::trim) {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::new(
                    "KAKEHASHI_ENV",
                    format!("must be `development` or `production`, not `{other}`"),
                ));
            }
        };
        let production = environment == Environment::Production;
        let required_in_production = |name: &'static str| -> Result<(), ConfigError> {
            if production && get(name).is_none() {
                Err(ConfigError::new(
                    name,
                    "must be set when KAKEHASHI_ENV=production",
                ))
            } else {
                Ok(())
            }
        };

        required_in_production("DATABASE_URL")?;
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let scheme = database_url.split(':').next().unwrap_or_default();
        if !matches!(scheme, "sqlite" | "postgres" | "postgresql") {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "must start with postgres:// or sqlite:",
            ));
        }

        let bind_raw = get("KAKEHASHI_BIND").unwrap_or_else(|| DEFAULT_BIND.into());
        let bind = bind_raw.trim().parse::<SocketAddr>().map_err(|_| {
            ConfigError::new(
                "KAKEHASHI_BIND",
                format!("`{bind_raw}` is not an address and port such as 127.0.0.1:8000"),
            )
        })?;

        let hs256_secret = get("KAKEHASHI_JWT_HS256_SECRET").map(SecretString::from);
        if let Some(secret) = &hs256_secret
            && secret.expose_secret().len() < MIN_HS256_SECRET_BYTES
        {
            return Err(ConfigError::new(
                "KAKEHASHI_JWT_HS256_SECRET",
                format!("must be at least {MIN_HS256_SECRET_BYTES} bytes long"),
            ));
        }
        let public_key = match get("KAKEHASHI_JWT_PUBLIC_KEY_FILE") {
            None => None,
            Some(path) => {
                let path = PathBuf::from(path.trim());
                let pem = std::fs::read(&path).map_err(|err| {
                    ConfigError::new(
                        "KAKEHASHI_JWT_PUBLIC_KEY_FILE",
                        format!("cannot read {}: {err}", path.display()),
                    )
                })?;
                Some((path, pem))
            }
        };
        if production && hs256_secret.is_none() && public_key.is_none() {
            return Err(ConfigError::new(
                "KAKEHASHI_JWT_PUBLIC_KEY_FILE",
                "production needs a token verification key (or KAKEHASHI_JWT_HS256_SECRET)",
            ));
        }
        required_in_production("KAKEHASHI_JWT_ISSUER")?;
        required_in_production("KAKEHASHI_JWT_AUDIENCE")?;
        let issuer = get("KAKEHASHI_JWT_ISSUER").unwrap_or_else(|| DEFAULT_ISSUER.into());
        let audience = get("KAKEHASHI_JWT_AUDIENCE").unwrap_or_else(|| DEFAULT_AUDIENCE.into());

        let introspection = match get("KAKEHASHI_INTROSPECTION") {
            None => !production,
            Some(raw) => parse_bool(&raw).ok_or_else(|| {
                ConfigError::new(
                    "KAKEHASHI_INTROSPECTION",
                    format!("must be `true` or `false`, not `{raw}`"),
                )
            })?,
        };
        let log_format = match get("KAKEHASHI_LOG_FORMAT").as_deref().map(str::trim) {
            None => {
                if production {
                    LogFormat::Json
                } else {
                    LogFormat::Pretty
                }
            }
            Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "KAKEHASHI_LOG_FORMAT",
                    format!("must be `pretty` or `json`, not `{other}`"),
                ));
            }
        };
        let token_types: Vec<String> = get("KAKEHASHI_JWT_TYPES")
            .unwrap_or_else(|| DEFAULT_TOKEN_TYPES.into())
            .split(',')
            .map(normalise_token_type)
            .filter(|t| !t.is_empty())
            .collect();
        if token_types.is_empty() {
            return Err(ConfigError::new(
                "KAKEHASHI_JWT_TYPES",
                "name at least one token type, such as at+jwt",
            ));
        }
        let defaults = Limits::default();
        let seconds_from = |name: &'static str,
                            default: Duration,
                            zero_allowed: bool|
         -> Result<Duration, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(raw) => raw
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|s| {
                        s.is_finite() && (*s > 0.0 || (zero_allowed && *s == 0.0)) && *s <= 3600.0
                    })
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| {
                        ConfigError::new(
                            name,
                            format!(
                                "must be a number of seconds above 0 and up to 3600, not `{raw}`"
                            ),
                        )
                    }),
            }
        };
        let seconds = |name, default| seconds_from(name, default, false);
        let demo_seed = match get("KAKEHASHI_DEMO_SEED").map(|raw| raw.trim().parse::<u32>()) {
            None => {
                if production {
                    0
                } else {
                    DEFAULT_DEMO_SEED
                }
            }
            Some(Ok(n)) if n <= 100_000 && !(production && n > 0) => n,
            Some(Ok(_)) if production => {
                return Err(ConfigError::new(
                    "KAKEHASHI_DEMO_SEED",
                    "production never seeds demo data: leave it unset or 0",
                ));
            }
            Some(_) => {
                return Err(ConfigError::new(
                    "KAKEHASHI_DEMO_SEED",
                    "must be a number of specialists from 0 to 100,000",
                ));
            }
        };
        let limits = Limits {
            request_timeout: seconds("KAKEHASHI_REQUEST_TIMEOUT_SECS", defaults.request_timeout)?,
            anonymous_request_timeout: seconds(
                "KAKEHASHI_ANONYMOUS_REQUEST_TIMEOUT_SECS",
                defaults.anonymous_request_timeout,
            )?,
            db_acquire_timeout: seconds(
                "KAKEHASHI_DB_ACQUIRE_TIMEOUT_SECS",
                defaults.db_acquire_timeout,
            )?,
            shutdown_drain: seconds_from(
                "KAKEHASHI_SHUTDOWN_DRAIN_SECS",
                defaults.shutdown_drain,
                true,
            )?,
            shutdown_grace: seconds("KAKEHASHI_SHUTDOWN_GRACE_SECS", defaults.shutdown_grace)?,
        };
        let rate_limits = rate_limits(&get)?;
        let rate_limit_sync = seconds("KAKEHASHI_RATE_LIMIT_SYNC_SECS", DEFAULT_RATE_LIMIT_SYNC)?;
        let client_ip_header = get("KAKEHASHI_CLIENT_IP_HEADER")
            .map(|raw| {
                axum::http::HeaderName::try_from(raw.trim()).map_err(|_| {
                    ConfigError::new(
                        "KAKEHASHI_CLIENT_IP_HEADER",
                        format!("`{raw}` is not a header name such as x-real-ip"),
                    )
                })
            })
            .transpose()?;
        let cors_origins =
            CorsOrigins::parse(get("KAKEHASHI_CORS_ORIGINS").as_deref(), production)?;
        let trusted_documents_only = match get("KAKEHASHI_TRUSTED_DOCUMENTS_ONLY") {
            None => false,
            Some(raw) => parse_bool(&raw).ok_or_else(|| {
                ConfigError::new(
                    "KAKEHASHI_TRUSTED_DOCUMENTS_ONLY",
                    format!("must be `true` or `false`, not `{raw}`"),
                )
            })?,
        };
        let log_filter = get("RUST_LOG").unwrap_or_else(|| DEFAULT_LOG_FILTER.into());
        tracing_subscriber::EnvFilter::try_new(&log_filter)
            .map_err(|err| ConfigError::new("RUST_LOG", format!("not a valid filter: {err}")))?;

        Ok(Self {
            environment,
            database_url: SecretString::from(database_url),
            bind,
            jwt: JwtConfig {
                hs256_secret,
                public_key,
                issuer,
                audience,
                token_types,
            },
            introspection,
            log_format,
            log_filter,
            limits,
            clock: crate::domain::Clock::System,
            demo_seed,
            rate_limits,
            rate_limit_sync,
            client_ip_header,
            cors_origins,
            trusted_documents_only,
        })
    }

    /// Whether the database is SQLite (the embedded development database).
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

/// A `typ` value as compared: lower case, without the optional `application/` prefix
/// (RFC 7515 §4.1.9).
pub fn normalise_token_type(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    lower
        .strip_prefix("application/")
        .map_or(lower.clone(), str::to_owned)
}

fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The budgets of query points from `KAKEHASHI_RATE_LIMIT_*`; `None` when
/// `KAKEHASHI_RATE_LIMITS=off`. A budget must hold at least the most an operation may
/// cost, or the largest operations could never run.
fn rate_limits(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::domain::rate_limit::Budgets>, ConfigError> {
    use crate::domain::rate_limit::{Budget, Budgets};
    match get("KAKEHASHI_RATE_LIMITS").as_deref().map(str::trim) {
        None | Some("on") => {}
        Some("off") => return Ok(None),
        Some(other) => {
            return Err(ConfigError::new(
                "KAKEHASHI_RATE_LIMITS",
                format!("must be `on` or `off`, not `{other}`"),
            ));
        }
    }
    let floor = crate::graphql::MAX_COMPLEXITY as f64;
    let number = |name: &'static str, default: f64, least: f64| -> Result<f64, ConfigError> {
        match get(name) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= least && *n <= 1e9)
                .ok_or_else(|| {
                    ConfigError::new(
                        name,
                        format!("must be a number from {least} up, not `{raw}`"),
                    )
                }),
        }
    };
    let defaults = Budgets::default();
    Ok(Some(Budgets {
        signed_in: Budget {
            maximum: number(
                "KAKEHASHI_RATE_LIMIT_POINTS",
                defaults.signed_in.maximum,
                floor,
            )?,
            restore_rate: number(
                "KAKEHASHI_RATE_LIMIT_RESTORE_PER_SEC",
                defaults.signed_in.restore_rate,
                0.1,
            )?,
        },
        anonymous: Budget {
            maximum: number(
                "KAKEHASHI_ANONYMOUS_RATE_LIMIT_POINTS",
                defaults.anonymous.maximum,
                floor,
            )?,
            restore_rate: number(
                "KAKEHASHI_ANONYMOUS_RATE_LIMIT_RESTORE_PER_SEC",
                defaults.anonymous.restore_rate,
                0.1,
            )?,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost_with_introspection() {
        let config = config(&[]).unwrap();
        assert_eq!(config.bind.to_string(), "127.0.0.1:8000");
        assert!(config.is_sqlite());
        assert!(config.introspection);
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert!(config.jwt.hs256_secret.is_none());
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases: &[(&str, &str)] = &[
            ("KAKEHASHI_BIND", "localhost"),
            ("KAKEHASHI_ENV", "staging"),
            ("DATABASE_URL", "mysql://x"),
            ("KAKEHASHI_JWT_HS256_SECRET", "short"),
            ("KAKEHASHI_JWT_PUBLIC_KEY_FILE", "/nonexistent/key.pem"),
            ("KAKEHASHI_INTROSPECTION", "maybe"),
            ("KAKEHASHI_LOG_FORMAT", "xml"),
            ("RUST_LOG", "kakehashi=loud"),
            ("KAKEHASHI_REQUEST_TIMEOUT_SECS", "0"),
            ("KAKEHASHI_ANONYMOUS_REQUEST_TIMEOUT_SECS", "soon"),
            ("KAKEHASHI_DB_ACQUIRE_TIMEOUT_SECS", "-1"),
            ("KAKEHASHI_SHUTDOWN_GRACE_SECS", "NaN"),
            ("KAKEHASHI_JWT_TYPES", " , "),
            ("KAKEHASHI_CORS_ORIGINS", "app.example.jp"),
            ("KAKEHASHI_TRUSTED_DOCUMENTS_ONLY", "sometimes"),
        ];
        for (variable, value) in cases {
            let err = config(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, *variable);
            assert!(err.to_string().starts_with(variable), "{err}");
        }
    }

    #[test]
    fn production_refuses_development_defaults() {
        let err = config(&[("KAKEHASHI_ENV", "production")]).unwrap_err();
        assert_eq!(err.variable, "DATABASE_URL");
        let full = [
            ("KAKEHASHI_ENV", "production"),
            ("DATABASE_URL", "postgres://db/kakehashi"),
            (
                "KAKEHASHI_JWT_HS256_SECRET",
                "0123456789abcdef0123456789abcdef",
            ),
            ("KAKEHASHI_JWT_ISSUER", "https://id.example.jp"),
            ("KAKEHASHI_JWT_AUDIENCE", "kakehashi"),
        ];
        let config = config(&full).unwrap();
        assert!(
            !config.introspection,
            "introspection is off by default in production"
        );
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.demo_seed, 0, "production never seeds");
        let mut seeding = full.to_vec();
        seeding.push(("KAKEHASHI_DEMO_SEED", "100"));
        let err = super::Config::from_lookup(|name| {
            seeding
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap_err();
        assert_eq!(err.variable, "KAKEHASHI_DEMO_SEED");
    }

    #[test]
    fn development_seeds_a_new_database_unless_told_not_to() {
        assert_eq!(config(&[]).unwrap().demo_seed, DEFAULT_DEMO_SEED);
        assert_eq!(
            config(&[("KAKEHASHI_DEMO_SEED", "0")]).unwrap().demo_seed,
            0
        );
        let err = config(&[("KAKEHASHI_DEMO_SEED", "many")]).unwrap_err();
        assert_eq!(err.variable, "KAKEHASHI_DEMO_SEED");
    }

    #[test]
    fn production_refuses_a_wildcard_origin() {
        let err = config(&[
            ("KAKEHASHI_ENV", "production"),
            ("DATABASE_URL", "postgres://db/kakehashi"),
            (
                "KAKEHASHI_JWT_HS256_SECRET",
                "0123456789abcdef0123456789abcdef",
            ),
            ("KAKEHASHI_JWT_ISSUER", "https://id.example.jp"),
            ("KAKEHASHI_JWT_AUDIENCE", "kakehashi"),
            ("KAKEHASHI_CORS_ORIGINS", "*"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "KAKEHASHI_CORS_ORIGINS");
        assert_eq!(config(&[]).unwrap().cors_origins, CorsOrigins::None);
    }
}
