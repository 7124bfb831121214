//! Shared test support: a small scenario, and a real `jedel serve` started in this process on a
//! free port (embedded, or on PostgreSQL + Redis), waited for until SERVING.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser as _;
use jedel_sim::reference::Reference;
use jedel_sim::scenario::{DEFAULT_SCENARIO, Scenario};
use tonic_health_check::wait_serving;

/// The shipped scenario cut to a few hours of a tenth of the national demand.
pub fn small_scenario() -> (Scenario, Reference) {
    let mut scenario = Scenario::load(Path::new(DEFAULT_SCENARIO)).unwrap();
    scenario.days = 0.25;
    scenario.warmup_hours = 2.0;
    scenario.drain_hours = 3.0;
    scenario.calls_per_year /= 10.0;
    let reference = Reference::load(&scenario.reference_dir()).unwrap();
    (scenario, reference)
}

/// A running server: its address and data directory.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Keys live here.
    pub data_dir: PathBuf,
    _dir: tempfile::TempDir,
    _db: Option<jedel_platform::testing::TestDb>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `jedel serve` in this process: embedded, or (`distributed`) on a fresh PostgreSQL
/// database and a Redis prefix, `None` when those are unreachable outside CI.
pub async fn start(distributed: bool) -> Option<Server> {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let mut args = vec![
        "jedel".to_string(),
        "serve".to_string(),
        format!("--listen=127.0.0.1:{port}"),
        "--metrics-listen=127.0.0.1:0".to_string(),
        format!("--data-dir={}", data_dir.display()),
        "--log-format=text".to_string(),
    ];
    let db = if distributed {
        let db = jedel_platform::testing::TestDb::postgres().await?;
        let prefix = jedel_platform::testing::redis_prefix().await?;
        args.push(format!("--database-url={}", db.url));
        args.push(format!("--redis-url={}", jedel_platform::testing::redis_url()));
        args.push(format!("--redis-prefix={prefix}"));
        Some(db)
    } else {
        None
    };
    let cli = jedel::cli::Cli::parse_from(args);
    tokio::spawn(async move {
        if let Err(e) = jedel::run(cli).await {
            panic!("jedel serve failed: {e:#}");
        }
    });
    let url = format!("http://127.0.0.1:{port}");
    wait_serving(&url, Duration::from_secs(60)).await;
    Some(Server { url, data_dir, _dir: dir, _db: db })
}

/// Waiting for a server's health to turn SERVING.
mod tonic_health_check {
    use std::time::Duration;

    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;

    /// Polls health every 50 ms until SERVING; panics after `limit`.
    pub async fn wait_serving(url: &str, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if let Ok(channel) = tonic::transport::Channel::from_shared(url.to_string()).unwrap().connect().await {
                let mut health = HealthClient::new(channel);
                if let Ok(answer) = health.check(HealthCheckRequest { service: String::new() }).await
                    && answer.into_inner().status == ServingStatus::Serving as i32
                {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("jedel at {url} did not reach SERVING");
    }
}
