//! The test harness: a real service on a real database, driven through its router.

pub mod auditor;
pub mod db;
pub mod factories;

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use kakehashi::{
    auth::{TokenRequest, mint_hs256},
    config::Config,
    domain::{Clock, ManualClock, Role},
    startup::{Pool, build_router},
};
use sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde_json::{Value, json};
use tower::ServiceExt;

pub use db::TestDb;

pub const TEST_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// A response as the client sees it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub config: Config,
    statements: Arc<AtomicUsize>,
    database: TestDb,
}

impl TestApp {
    /// The service in its development configuration, with an HS256 secret for tokens.
    pub async fn spawn() -> Self {
        Self::with_env(&[]).await
    }

    /// The service with extra environment variables.
    pub async fn with_env(extra: &[(&str, &str)]) -> Self {
        Self::build(extra, Clock::System).await
    }

    /// The service with its clock held still at `at`: every request, and the seed, see
    /// that instant as now.
    pub async fn frozen_at(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self::build(&[], Clock::Fixed(at)).await
    }

    /// The service with a clock that shows `at` until [`TestApp::travel_to`] moves it: for
    /// journeys that walk through a calendar (a cohort's application period, a renewal
    /// cycle, a proposal's window).
    pub async fn on_calendar(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self::build(&[], Clock::Manual(ManualClock::leak(at))).await
    }

    /// Moves the clock of an app built by [`TestApp::on_calendar`] to 09:00 in Japan on
    /// `date`.
    pub fn travel_to(&self, date: chrono::NaiveDate) {
        let Clock::Manual(clock) = self.config.clock else {
            panic!("travel_to needs an app built by TestApp::on_calendar");
        };
        clock.set(japan_morning(date));
    }

    /// The service on a database seeded as by [`TestApp::seeded`], its clock held at `at`.
    pub async fn seeded_at(specialists: u32, at: chrono::DateTime<chrono::Utc>) -> Self {
        let app = Self::frozen_at(at).await;
        app.seed(specialists).await;
        app
    }

    /// The service with extra environment variables, taking the time from `clock`.
    pub async fn build(extra: &[(&str, &str)], clock: Clock) -> Self {
        let database = TestDb::create().await;
        let mut vars: HashMap<String, String> = HashMap::from([
            ("DATABASE_URL".into(), database.url().to_owned()),
            ("KAKEHASHI_BIND".into(), "127.0.0.1:0".into()),
            ("KAKEHASHI_JWT_HS256_SECRET".into(), TEST_SECRET.into()),
        ]);
        for (k, v) in extra {
            vars.insert((*k).to_owned(), (*v).to_owned());
        }
        let mut config = Config::from_lookup(|name| vars.get(name).cloned()).expect("test config");
        config.clock = clock;
        // The pool the service runs with: its acquire and statement time limits.
        let mut db = database.connect_with(Pool::serving(&config.limits)).await;
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        // A request's own statements: the rate limiter's bookkeeping (one read of a
        // principal's bucket when first seen, the periodic writes) is not a request's.
        db.set_metric_callback(move |metric| {
            if !metric.statement.sql.contains("rate_limit_buckets") {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let router = build_router(&config, db.clone()).expect("router");
        Self {
            router,
            db,
            config,
            statements,
            database,
        }
    }

    /// The service on a database seeded with `specialists` demo specialists and all that
    /// the seed writes with them (cycles, the Active List, organizations, companies,
    /// requests, matches, the camps and the community).
    pub async fn seeded(specialists: u32) -> Self {
        let app = Self::spawn().await;
        app.seed(specialists).await;
        app
    }

    /// Seeds `specialists` demo specialists and all that the seed writes with them.
    pub async fn seed(&self, specialists: u32) {
        kakehashi::domain::seed::seed_demo(&self.db, &self.system(), specialists, |_| {})
            .await
            .expect("seed");
    }

    /// The service itself as a caller, reading the app's clock.
    pub fn system(&self) -> kakehashi::domain::Caller {
        kakehashi::domain::Caller::system().with_clock(self.config.clock)
    }

    /// Today in Japan, by the app's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.config.clock.today()
    }

    /// A second instance of the service on the same database, as a replica behind a load
    /// balancer would be.
    pub async fn replica(&self) -> Router {
        build_router(&self.config, self.database.connect().await).expect("replica router")
    }

    /// SQL statements run since the last call (or since start).
    pub fn take_statement_count(&self) -> usize {
        self.statements.swap(0, Ordering::SeqCst)
    }

    /// Reads `query` with `$first` set to each of `sizes`, checks that each page holds that
    /// many nodes at `nodes` (a JSON pointer into the response) and that every page costs
    /// the same number of SQL statements, whatever its size; returns that number.
    pub async fn assert_constant_cost(
        &self,
        token: Option<&str>,
        query: &str,
        nodes: &str,
        sizes: &[usize],
    ) -> usize {
        let mut costs = Vec::new();
        for first in sizes {
            self.take_statement_count();
            let response = self.gql(token, query, json!({ "first": first })).await;
            assert!(response["errors"].is_null(), "{response}");
            let read = response
                .pointer(nodes)
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("no list at {nodes}: {response}"));
            assert_eq!(read.len(), *first, "{nodes} with first: {first}");
            costs.push(self.take_statement_count());
        }
        assert!(
            costs.windows(2).all(|w| w[0] == w[1]),
            "statements for pages of {sizes:?}: {costs:?}"
        );
        costs[0]
    }

    pub fn token_for(&self, request: TokenRequest) -> String {
        mint_hs256(&self.config.jwt, &request).expect("mint token")
    }

    /// A token for `role`, with the ids that role needs.
    pub fn token(&self, role: Role) -> String {
        self.token_for(Self::request_for(role, None))
    }

    /// A system's token for `role` with the ids that role needs, carrying `scope` (a
    /// space-separated list, perhaps empty) and naming its OAuth client.
    pub fn scoped_token(&self, role: Role, scope: &str) -> String {
        self.token_for(TokenRequest {
            client_id: Some("case-system".into()),
            ..Self::request_for(role, Some(scope))
        })
    }

    fn request_for(role: Role, scope: Option<&str>) -> TokenRequest {
        TokenRequest {
            subject: format!("test-{}", role.as_str().to_lowercase()),
            role,
            specialist_id: (role == Role::Specialist).then(|| "000001".into()),
            org_id: (role == Role::SupportOrgStaff).then(|| "org-1".into()),
            company_id: (role == Role::SmeUser).then(|| "company-1".into()),
            provider_id: (role == Role::TrainingProvider).then(|| "IPA".into()),
            client_id: None,
            scope: scope.map(str::to_owned),
            ttl_seconds: 600,
        }
    }

    /// A token of staff of the support organization with this code.
    pub fn org_token(&self, code: &str) -> String {
        self.token_for(TokenRequest {
            subject: format!("staff-{code}"),
            role: Role::SupportOrgStaff,
            specialist_id: None,
            org_id: Some(code.into()),
            company_id: None,
            provider_id: None,
            client_id: None,
            scope: None,
            ttl_seconds: 600,
        })
    }

    /// A token of a user of the company with this corporate number.
    pub fn company_token(&self, number: &str) -> String {
        self.token_for(TokenRequest {
            subject: format!("user-{number}"),
            role: Role::SmeUser,
            specialist_id: None,
            org_id: None,
            company_id: Some(number.into()),
            provider_id: None,
            client_id: None,
            scope: None,
            ttl_seconds: 600,
        })
    }

    /// A token for the specialist with this registration number.
    pub fn specialist_token(&self, registration_number: &str) -> String {
        self.token_for(TokenRequest {
            subject: format!("specialist-{registration_number}"),
            role: Role::Specialist,
            specialist_id: Some(registration_number.into()),
            org_id: None,
            company_id: None,
            provider_id: None,
            client_id: None,
            scope: None,
            ttl_seconds: 600,
        })
    }

    /// A token of an individual (role `PERSON`) with this subject.
    pub fn person_token(&self, subject: &str) -> String {
        self.token_for(TokenRequest {
            subject: subject.into(),
            role: Role::Person,
            specialist_id: None,
            org_id: None,
            company_id: None,
            provider_id: None,
            client_id: None,
            scope: None,
            ttl_seconds: 600,
        })
    }

    /// The URL of this test's database.
    pub fn database_url(&self) -> &str {
        self.database.url()
    }

    /// On PostgreSQL, this test's database URL in its parts: the credentials, the
    /// `host:port` and the database with its parameters. `None` on SQLite.
    pub fn postgres_parts(&self) -> Option<(&str, &str, &str)> {
        let rest = self.database_url().strip_prefix("postgres://")?;
        let (credentials, rest) = rest.split_once('@')?;
        let (host, path) = rest.split_once('/')?;
        Some((credentials, host, path))
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(&self.router, request).await
    }

    /// POSTs a GraphQL operation, with a bearer token when given.
    pub async fn post_graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        let body = json!({ "query": query, "variables": variables });
        post_json_to(&self.router, token, body).await
    }

    /// GETs a path, with a bearer token when given.
    pub async fn get(&self, token: Option<&str>, uri: &str) -> Reply {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// Runs a GraphQL operation that must get HTTP 200, and returns its JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let reply = self.post_graphql(token, query, variables).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()
    }

    pub async fn count<E: EntityTrait>(&self, _entity: E) -> u64
    where
        E::Model: Sync,
    {
        E::find().count(&self.db).await.expect("count")
    }
}

/// Sends a request to `router` and reads the whole response.
/// A JSON `POST /graphql` of `body` to `router`, with `token` when given.
pub async fn post_json_to(router: &Router, token: Option<&str>, body: Value) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/graphql")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send_to(router, request.body(Body::from(body.to_string())).unwrap()).await
}

/// Asserts a 503 that tells the client to come back: `Retry-After: 1`, and
/// `SERVICE_UNAVAILABLE` as the (first) error's code.
pub fn assert_unavailable(reply: &Reply) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert_eq!(reply.headers["retry-after"], "1");
    let json = reply.json();
    let first = json.as_array().and_then(|a| a.first()).unwrap_or(&json);
    assert_eq!(error_code(first), "SERVICE_UNAVAILABLE", "{}", reply.body);
}

pub async fn send_to(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");

    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Another session of `app`'s database holding the guidance themes, so that a write to
/// them waits until the transaction ends: on SQLite the write lock, on PostgreSQL a lock
/// that keeps out readers too.
pub async fn hold_themes(app: &TestApp) -> (DatabaseConnection, DatabaseTransaction) {
    let other = Database::connect(app.database_url())
        .await
        .expect("connect");
    let txn = if other.get_database_backend() == DatabaseBackend::Postgres {
        let txn = other.begin().await.expect("begin");
        txn.execute_unprepared("LOCK TABLE guidance_themes IN ACCESS EXCLUSIVE MODE")
            .await
            .expect("lock");
        txn
    } else {
        other
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
            .expect("begin immediate")
    };
    (other, txn)
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response}"))
}

/// One operation of an authorization matrix: its name, the document, and the roles that
/// pass authorization (the call may still fail on its input).
pub type Operation<'a> = (&'a str, String, &'a [Role]);

/// Checks an authorization matrix: anonymous callers get `UNAUTHENTICATED`, the roles in
/// each operation's list are not refused, every other role gets `FORBIDDEN`, and nobody
/// gets any other request error. `SPECIALIST` tokens are for registration `specialist`.
pub async fn assert_authorization(app: &TestApp, specialist: &str, operations: &[Operation<'_>]) {
    for (name, query, allowed) in operations {
        let anonymous = app.gql(None, query, serde_json::json!({})).await;
        assert_eq!(
            error_code(&anonymous),
            "UNAUTHENTICATED",
            "{name} anonymous: {anonymous}"
        );
        for role in Role::ALL {
            let token = if role == Role::Specialist {
                app.specialist_token(specialist)
            } else {
                app.token(role)
            };
            let response = app.gql(Some(&token), query, serde_json::json!({})).await;
            let refused = response["errors"].as_array().is_some_and(|errors| {
                errors
                    .iter()
                    .any(|e| e["extensions"]["code"] == "FORBIDDEN")
            });
            assert!(
                response["errors"].is_null() || refused,
                "{name} as {role}: unexpected error {response}"
            );
            assert_eq!(
                !refused,
                allowed.contains(&role),
                "{name} as {role}: {response}"
            );
        }
    }
}

/// 09:00 in Japan (00:00 UTC) on `date`.
pub fn japan_morning(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}
