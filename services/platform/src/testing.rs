//! Test support shared by every crate's tests (feature `testing`): a fresh real database per
//! test — a SQLite file in a temporary directory, or a new PostgreSQL database — and a unique
//! Redis key prefix. PostgreSQL and Redis come from `JEDEL_TEST_POSTGRES_URL` and
//! `JEDEL_TEST_REDIS_URL` (defaults: the local servers). When one is unreachable a test skips
//! with a message, except under `CI=true`, where it fails.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Executor as _;

use crate::db::{Backend, Db};

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("JEDEL_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The Redis tests use.
pub fn redis_url() -> String {
    std::env::var("JEDEL_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Whether missing services must fail tests rather than skip them.
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A name no other test (or earlier run) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let now = chrono::Utc::now().timestamp();
    format!("{prefix}_{now}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A fresh, migrated database that lives as long as this value (SQLite) or until the next
/// test run cleans it up (PostgreSQL).
pub struct TestDb {
    /// The handle.
    pub db: Db,
    /// Its URL, for starting a server process on it.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh SQLite database in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("jedel.db").display());
        let db = Db::connect(&url).await.expect("open sqlite");
        db.migrate().await.expect("migrate sqlite");
        TestDb { db, url, _dir: Some(dir) }
    }

    /// A fresh PostgreSQL database, or `None` (after saying why) when PostgreSQL is not
    /// reachable outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        let admin = match Db::connect(&admin_url).await {
            Ok(admin) => admin,
            Err(e) => return unavailable("PostgreSQL", &admin_url, &e.to_string()),
        };
        // Databases of earlier runs that did not finish cleanly, older than an hour.
        let cutoff = chrono::Utc::now().timestamp() - 3_600;
        let stale: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'jedel_t_%'")
            .fetch_all(admin.reader())
            .await
            .unwrap_or_default();
        for name in stale {
            let created = name.split('_').nth(2).and_then(|s| s.parse::<i64>().ok()).unwrap_or(i64::MAX);
            if created < cutoff {
                let _ = admin
                    .reader()
                    .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .await;
            }
        }
        let name = unique_name("jedel_t");
        admin
            .reader()
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create test database");
        admin.close().await;
        // The admin URL names a database (`…/postgres`); the test database replaces it.
        let server = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(server, _)| server);
        let url = format!("{server}/{name}");
        let db = Db::connect(&url).await.expect("open test database");
        db.migrate().await.expect("migrate postgres");
        assert_eq!(db.backend(), Backend::Postgres);
        Some(TestDb { db, url, _dir: None })
    }
}

/// A unique key prefix on a reachable Redis, or `None` (after saying why) when Redis is not
/// reachable outside CI.
pub async fn redis_prefix() -> Option<String> {
    let url = redis_url();
    let reachable = async {
        let client = redis::Client::open(url.as_str())?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    match reachable.await {
        Ok(_) => Some(unique_name("jedel_t")),
        Err(e) => unavailable("Redis", &url, &e.to_string()),
    }
}

fn unavailable<T>(what: &str, url: &str, error: &str) -> Option<T> {
    if required() {
        panic!("{what} at {url} is required (CI=true) but unreachable: {error}");
    }
    eprintln!("skipping: {what} at {url} unreachable: {error}");
    None
}

/// Signing keys shared by a test process: the server side verifies what `token_for` signs.
struct TestKeys {
    issuer: crate::auth::TokenIssuer,
    verifier: std::sync::Arc<crate::auth::TokenVerifier>,
    _dir: tempfile::TempDir,
}

fn keys() -> &'static TestKeys {
    static KEYS: std::sync::OnceLock<TestKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (private, public) = crate::auth::ensure_key_pair(dir.path()).expect("test key pair");
        TestKeys {
            issuer: crate::auth::TokenIssuer::from_pem_file(&private).expect("test signing key"),
            verifier: std::sync::Arc::new(crate::auth::TokenVerifier::from_pem_file(&public).expect("test public key")),
            _dir: dir,
        }
    })
}

/// The real authenticator, checking tokens from [`token_for`].
pub fn authenticator() -> crate::auth::Authenticator {
    crate::auth::Authenticator::new(keys().verifier.clone())
}

/// A bearer token for `caller`, valid for an hour.
pub fn token_for(caller: &crate::Caller) -> String {
    let now = chrono::Utc::now().timestamp() as u64;
    keys()
        .issuer
        .issue(
            &caller.subject,
            caller.role,
            caller.regions.clone(),
            caller.airline.clone(),
            now,
            std::time::Duration::from_secs(3_600),
        )
        .expect("issue test token")
}

/// `message` as a request from `caller`, with its bearer token.
pub fn request_as<T>(caller: &crate::Caller, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    let value = format!("Bearer {}", token_for(caller)).parse().expect("token is header text");
    request.metadata_mut().insert("authorization", value);
    request
}

/// Serves `services` with the real harness on a free loopback port until the test process
/// ends, and returns the address to connect to (`http://127.0.0.1:PORT`).
pub async fn serve(services: crate::server::Services) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let addr = listener.local_addr().expect("bound address");
    let metrics = crate::metrics::Metrics::new(&[]);
    tokio::spawn(crate::server::serve(
        listener,
        services,
        metrics,
        async {},
        std::future::pending(),
        std::time::Duration::from_secs(1),
    ));
    format!("http://{addr}")
}
