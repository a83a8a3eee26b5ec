//! A database of its own for every test, migrated by the real migrations.
//!
//! SQLite (the default): a fresh file in a temporary folder. PostgreSQL (when
//! `TEST_DATABASE_URL` is set): the migrations run once per test process into a template
//! database, and each test gets `CREATE DATABASE … TEMPLATE` of it, dropped afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};

use kakehashi::startup::{Pool, connect, migrate};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;
use tokio::sync::{Mutex, OnceCell};

/// Owns a test database and removes it when dropped.
pub enum TestDb {
    Sqlite {
        url: String,
        _dir: tempfile::TempDir,
    },
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static CREATE_LOCK: Mutex<()> = Mutex::const_new(());
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// `postgres://…/db?x` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let base = base.rsplit_once('/').map_or(base, |(prefix, _)| prefix);
    format!("{base}/{name}{query}")
}

async fn template(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let admin = Database::connect(admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            // Databases left behind by test processes that no longer run.
            let rows = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname FROM pg_database WHERE datname LIKE 'kk\\_%'",
                ))
                .await
                .expect("list databases");
            for row in rows {
                let name: String = row.try_get("", "datname").expect("datname");
                let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                }
            }
            let name = format!("kk_tpl_{}", std::process::id());
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .expect("drop old template");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create template");
            let db = connect(
                &SecretString::from(with_database(admin_url, &name)),
                Pool::tasks(),
            )
            .await
            .expect("connect to template");
            migrate(&db).await.expect("migrate template");
            db.close().await.expect("close template");
            admin.close().await.expect("close admin");
            name
        })
        .await
        .clone()
}

impl TestDb {
    pub async fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/kakehashi.db?mode=rwc", dir.path().display());
                TestDb::Sqlite { url, _dir: dir }
            }
            Some(admin_url) => {
                let template = template(&admin_url).await;
                let name = format!(
                    "kk_t_{}_{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                );
                {
                    let _guard = CREATE_LOCK.lock().await;
                    let admin = Database::connect(&admin_url).await.expect("connect admin");
                    admin
                        .execute_unprepared(&format!(
                            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                        ))
                        .await
                        .expect("create test database");
                    admin.close().await.expect("close admin");
                }
                TestDb::Postgres {
                    url: with_database(&admin_url, &name),
                    admin_url,
                    name,
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    /// Opens the database, applying the migrations (already applied on PostgreSQL, where
    /// this checks that the template is current).
    pub async fn connect(&self) -> DatabaseConnection {
        self.connect_with(Pool::tasks()).await
    }

    /// Opens the database with the given pool settings (those of the serving process, say).
    pub async fn connect_with(&self, pool: Pool) -> DatabaseConnection {
        let db = connect(&SecretString::from(self.url().to_owned()), pool)
            .await
            .expect("connect to test database");
        migrate(&db).await.expect("migrate test database");
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres {
            admin_url, name, ..
        } = self
        else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop runs outside async code: use a small runtime on a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
            Ok::<_, std::io::Error>(())
        })
        .join();
    }
}
