//! Starting the real `jedel` binary for a test: on free ports, on the embedded defaults
//! (SQLite, in-process bus) or on PostgreSQL + Redis, with its log captured, and clients that
//! carry a bearer token minted with the deployment's own key.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jedel_platform::Role;
pub use jedel_platform::auth::Bearer;
use jedel_platform::auth::{TokenIssuer, ensure_key_pair};
use jedel_platform::testing::{self, TestDb};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// Which storage and bus a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `jedel serve` with no storage flags: SQLite in the data directory, in-process bus.
    Embedded,
    /// PostgreSQL as the system of record and Redis Streams as the bus.
    Distributed,
}

/// A running `jedel serve` process.
pub struct Server {
    child: Option<Child>,
    args: Vec<String>,
    /// The data directory (keys; the SQLite file when embedded).
    pub data_dir: PathBuf,
    /// The database URL in force.
    pub database_url: String,
    /// `http://host:port` of gRPC.
    pub grpc: String,
    /// `host:port` of `/metrics`.
    pub metrics: String,
    /// Everything the process wrote to stderr (its log), for assertions on what is logged.
    pub log: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
    _db: Option<TestDb>,
}

impl Server {
    /// Starts a server on `backend`, or returns `None` when that backend is unavailable
    /// outside CI (the test then skips; under `CI=true` it fails instead).
    pub async fn start(backend: Backend) -> Option<Server> {
        Server::start_with(backend, &[]).await
    }

    /// Starts a server on `backend` as [`Server::start`] does, with `extra` flags for
    /// `jedel serve` (e.g. `--console-tile-url=…`).
    pub async fn start_with(backend: Backend, extra: &[&str]) -> Option<Server> {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let mut args = vec![
            "serve".to_string(),
            "--listen=127.0.0.1:0".to_string(),
            "--metrics-listen=127.0.0.1:0".to_string(),
            format!("--data-dir={}", data_dir.display()),
            "--log-format=json".to_string(),
            "--drain-timeout=2s".to_string(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let (database_url, db) = match backend {
            Backend::Embedded => (format!("sqlite://{}?mode=rwc", data_dir.join("jedel.db").display()), None),
            Backend::Distributed => {
                let db = TestDb::postgres().await?;
                let prefix = testing::redis_prefix().await?;
                args.push(format!("--database-url={}", db.url));
                args.push(format!("--redis-url={}", testing::redis_url()));
                args.push(format!("--redis-prefix={prefix}"));
                db.db.close().await;
                (db.url.clone(), Some(db))
            }
        };
        let mut server = Server {
            child: None,
            args,
            data_dir,
            database_url,
            grpc: String::new(),
            metrics: String::new(),
            log: Arc::default(),
            _dir: dir,
            _db: db,
        };
        server.spawn().await;
        Some(server)
    }

    async fn spawn(&mut self) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jedel"))
            .args(&self.args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start jedel");
        let stderr = child.stderr.take().unwrap();
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        let log = self.log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut addr_tx = Some(addr_tx);
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(&line)
                    && json["message"] == "listening"
                    && let Some(tx) = addr_tx.take()
                {
                    let _ = tx.send((
                        json["grpc_addr"].as_str().unwrap().to_string(),
                        json["metrics_addr"].as_str().unwrap().to_string(),
                    ));
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (grpc, metrics) = tokio::time::timeout(Duration::from_secs(60), addr_rx)
            .await
            .expect("jedel starts listening within 60 s")
            .unwrap_or_else(|_| panic!("jedel exited before listening:\n{}", self.log.lock().unwrap()));
        self.grpc = format!("http://{grpc}");
        self.metrics = metrics;
        self.child = Some(child);
        self.wait_until_serving().await;
    }

    /// Waits until health reports SERVING for the whole server.
    pub async fn wait_until_serving(&self) {
        let mut health = HealthClient::new(self.channel().await);
        for _ in 0..200 {
            if let Ok(response) = health.check(HealthCheckRequest { service: String::new() }).await
                && response.into_inner().status
                    == tonic_health::pb::health_check_response::ServingStatus::Serving as i32
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("jedel did not reach SERVING in 10 s");
    }

    /// Stops the server with SIGTERM and waits for it to exit; returns its exit status.
    pub async fn stop(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("server is running");
        let pid = child.id().expect("server has a pid");
        let _ = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
        tokio::time::timeout(Duration::from_secs(20), child.wait()).await.expect("jedel stops within 20 s").unwrap()
    }

    /// Stops the server and starts it again on the same data.
    pub async fn restart(&mut self) {
        assert!(self.stop().await.success(), "clean exit on SIGTERM");
        self.spawn().await;
    }

    /// A channel to the server's gRPC port.
    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.grpc.clone()).unwrap().connect().await.expect("connect to jedel")
    }

    /// A token signed with this deployment's key.
    pub fn token(&self, role: Role, regions: &[&str], airline: Option<&str>) -> String {
        self.token_at(role, regions, airline, chrono::Utc::now().timestamp() as u64, Duration::from_secs(3_600))
    }

    /// A token issued at `issued_at` (seconds since the epoch) valid for `ttl`.
    pub fn token_at(
        &self,
        role: Role,
        regions: &[&str],
        airline: Option<&str>,
        issued_at: u64,
        ttl: Duration,
    ) -> String {
        let (private, _) = ensure_key_pair(&self.data_dir).unwrap();
        TokenIssuer::from_pem_file(&private)
            .unwrap()
            .issue(
                "e2e",
                role,
                regions.iter().map(|r| r.to_string()).collect(),
                airline.map(Into::into),
                issued_at,
                ttl,
            )
            .unwrap()
    }

    /// A channel that sends `token` as its bearer token.
    pub async fn authed(&self, token: &str) -> InterceptedService<Channel, Bearer> {
        InterceptedService::new(self.channel().await, Bearer::new(token).unwrap())
    }

    /// Runs `jedel` with `args` against this server's storage and returns (exit code, stdout).
    pub async fn jedel(&self, args: &[&str]) -> (i32, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_jedel"))
            .args(args)
            .env("JEDEL_DATA_DIR", &self.data_dir)
            .env("JEDEL_DATABASE_URL", &self.database_url)
            .env("JEDEL_ADDR", &self.grpc)
            .output()
            .await
            .expect("run jedel");
        (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// `GET path` from `addr` (`host:port`) over a plain HTTP/1.1 socket: the whole response,
/// status line and headers included.
pub async fn http_get(addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

/// Runs an async test body once on the embedded defaults and once on PostgreSQL + Redis.
/// Write the body as an async closure (`async |server: Server| { … }`): it owns the whole
/// server, whereas `|server| async move { … }` would capture only the fields it names and
/// drop (kill) the process early.
#[macro_export]
macro_rules! on_each_backend {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn embedded() {
                let server = $crate::support::Server::start($crate::support::Backend::Embedded).await.unwrap();
                ($body)(server).await;
            }

            #[tokio::test]
            async fn distributed() {
                if let Some(server) = $crate::support::Server::start($crate::support::Backend::Distributed).await {
                    ($body)(server).await;
                }
            }
        }
    };
}
