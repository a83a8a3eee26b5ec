//! The real process: starting several at once on a new database, and stopping with
//! SIGTERM: readiness turns 503 at once, requests in flight finish within the grace
//! period, the rest are cancelled with an answer, nothing is left half-written, and the
//! process exits 0.

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use entities::guidance_theme;
use kakehashi::domain::Role;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    process::{Child, Command},
};

use crate::support::{TEST_SECRET, TestApp, hold_themes};

/// A served process on `port`.
struct Served {
    child: Child,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Served {
    /// Serves the real binary on the test database, with the shutdown drain and grace
    /// periods given.
    async fn start(app: &TestApp, drain: &str, grace: &str) -> Self {
        Self::serve(
            app.database_url(),
            &[
                ("KAKEHASHI_SHUTDOWN_DRAIN_SECS", drain),
                ("KAKEHASHI_SHUTDOWN_GRACE_SECS", grace),
            ],
        )
        .await
    }

    /// Serves the real binary on the database `url`, in development, with nothing of this
    /// process's environment but `PATH` and with `settings` on top; returns once ready.
    async fn serve(url: &str, settings: &[(&str, &str)]) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_kakehashi"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", url)
            .env("KAKEHASHI_BIND", format!("127.0.0.1:{port}"))
            .env("KAKEHASHI_JWT_HS256_SECRET", TEST_SECRET)
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let served = Self { child, port };
        // A new database is migrated (and maybe seeded) before the process is ready.
        let started = Instant::now();
        while http(port, "GET", "/readyz", None, None).await.map(|r| r.0) != Some(200) {
            assert!(started.elapsed() < Duration::from_secs(120), "never ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        served
    }

    fn terminate(&self) {
        let pid = self.child.id().unwrap().to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// One HTTP/1.1 exchange on a new connection: the status and the body; `None` when no
/// connection could be made or it closed without an answer.
async fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some((status, body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// Sends `createGuidanceTheme` in the background; its answer, if any, when awaited.
fn in_flight(
    port: u16,
    code: &str,
    token: String,
) -> tokio::task::JoinHandle<Option<(u16, String)>> {
    let body = create_theme(code);
    tokio::spawn(async move { http(port, "POST", "/graphql", Some(&body), Some(&token)).await })
}

/// Waits for the process to exit and tells whether it exited 0.
async fn exits_cleanly(mut child: Child) -> bool {
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the process exits")
        .unwrap()
        .success()
}

fn create_theme(code: &str) -> Value {
    json!({
        "query": "mutation($code: String!) { createGuidanceTheme(input: { code: $code, \
                  nameJa: \"テスト\", nameEn: \"Test\", description: \"A theme\", \
                  category: RECOVERY }) { theme { code } userErrors { code } } }",
        "variables": { "code": code },
    })
}

#[tokio::test]
async fn sigterm_turns_readiness_off_and_lets_requests_in_flight_finish() {
    let app = TestApp::spawn().await;
    let served = Served::start(&app, "1", "5").await;
    let token = app.token(Role::ProgramStaff);
    let (_other, lock) = hold_themes(&app).await;
    let port = served.port;
    let in_flight = in_flight(port, "IN_FLIGHT", token);
    tokio::time::sleep(Duration::from_millis(300)).await;
    served.terminate();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Draining: still answering, and not ready.
    let readiness = http(port, "GET", "/readyz", None, None).await;
    assert_eq!(readiness.map(|r| r.0), Some(503));
    lock.rollback().await.unwrap();
    let (status, body) = in_flight.await.unwrap().expect("an answer");
    assert_eq!(status, 200, "{body}");
    let response: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        response["data"]["createGuidanceTheme"]["theme"]["code"], "IN_FLIGHT",
        "{response}"
    );
    assert!(exits_cleanly(served.child).await);
    // Stopped: nothing listens any more.
    assert!(http(port, "GET", "/healthz", None, None).await.is_none());
}

#[tokio::test]
async fn what_runs_past_the_grace_period_is_cancelled_with_an_answer_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.count(guidance_theme::Entity).await;
    let served = Served::start(&app, "0", "0.5").await;
    let token = app.token(Role::ProgramStaff);
    let (_other, lock) = hold_themes(&app).await;
    let port = served.port;
    let in_flight = in_flight(port, "TOO_LATE", token);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = Instant::now();
    served.terminate();
    let (status, body) = in_flight.await.unwrap().expect("an answer, not a reset");
    assert_eq!(status, 503, "{body}");
    let response: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
        "{response}"
    );
    // The waiting write can go on now; it was rolled back with its request.
    lock.rollback().await.unwrap();
    assert!(exits_cleanly(served.child).await);
    assert!(
        stopping.elapsed() < Duration::from_secs(5),
        "{:?}",
        stopping.elapsed()
    );
    assert_eq!(app.count(guidance_theme::Entity).await, before);
}

#[tokio::test]
async fn processes_starting_together_on_a_new_sqlite_file_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..4 {
        let url = format!("sqlite://{}/race-{round}.db?mode=rwc", dir.path().display());
        let start = || {
            Command::new(env!("CARGO_BIN_EXE_kakehashi"))
                .arg("migrate")
                .env_clear()
                .env("DATABASE_URL", &url)
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .unwrap()
        };
        let (first, second, third) = (start(), start(), start());
        for child in [first, second, third] {
            let output = child.wait_with_output().await.unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// Serves the SQLite file `url` with `demo` demo specialists for a new database.
async fn serve_new(url: &str, demo: &str) -> Served {
    Served::serve(url, &[("KAKEHASHI_DEMO_SEED", demo)]).await
}

async fn registered(port: u16, token: &str) -> Value {
    let body = json!({ "query": "{ specialists { totalCount } }" });
    let (_, text) = http(port, "POST", "/graphql", Some(&body), Some(token))
        .await
        .unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["data"]["specialists"]["totalCount"].clone()
}

#[tokio::test]
async fn a_new_development_database_gets_demo_data_once() {
    let app = TestApp::spawn().await;
    let staff = app.token(Role::ProgramStaff);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/new.db?mode=rwc", dir.path().display());
    let mut first = serve_new(&url, "40").await;
    assert_eq!(registered(first.port, &staff).await, 40);
    first.child.kill().await.unwrap();
    // The same database again: not new, so not seeded again.
    let mut again = serve_new(&url, "40").await;
    assert_eq!(registered(again.port, &staff).await, 40);
    again.child.kill().await.unwrap();
    // Told to start empty, a new database stays empty.
    let empty = format!("sqlite://{}/empty.db?mode=rwc", dir.path().display());
    let mut bare = serve_new(&empty, "0").await;
    assert_eq!(registered(bare.port, &staff).await, 0);
    bare.child.kill().await.unwrap();
}
