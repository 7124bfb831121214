//! Configuration by flags and `JEDEL_*` environment variables. Parsing refuses a bad value with
//! a one-line message; the binary turns that into exit code 64 (EX_USAGE).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Where data lives: the data directory always (keys, SQLite), and optionally a database URL.
#[derive(Args, Debug, Clone)]
pub struct StorageArgs {
    /// Directory for the embedded database and the token signing keys.
    #[arg(long, env = "JEDEL_DATA_DIR", default_value = "./jedel-data")]
    pub data_dir: PathBuf,

    /// Database URL: `postgres://…` for PostgreSQL, `sqlite://…` for SQLite. Default: SQLite in
    /// the data directory.
    #[arg(long, env = "JEDEL_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl StorageArgs {
    /// The database URL in force: the one given, or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("jedel.db").display()),
        }
    }
}

/// Everything `jedel serve` takes.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address for gRPC and gRPC-web. Port 0 picks a free port (logged at start).
    #[arg(long, env = "JEDEL_LISTEN", default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,

    /// Address for Prometheus `/metrics` over HTTP.
    #[arg(long, env = "JEDEL_METRICS_LISTEN", default_value = "127.0.0.1:9464")]
    pub metrics_listen: SocketAddr,

    #[command(flatten)]
    pub storage: StorageArgs,

    /// Redis URL for the event bus and live positions; without it the bus is in-process.
    #[arg(long, env = "JEDEL_REDIS_URL")]
    pub redis_url: Option<String>,

    /// Prefix of every Redis key, so deployments can share one Redis.
    #[arg(long, env = "JEDEL_REDIS_PREFIX", default_value = "jedel")]
    pub redis_prefix: String,

    /// Services to run in this process (comma-separated). Default: all.
    #[arg(
        long,
        env = "JEDEL_SERVICES",
        value_delimiter = ',',
        default_value = "intake,registry,dispatch,medevac,situation"
    )]
    pub services: Vec<ServiceName>,

    /// Public key (PEM, Ed25519) that verifies bearer tokens. Default: the key pair in the
    /// data directory, created on first start.
    #[arg(long, env = "JEDEL_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,

    /// How long shutdown waits for in-flight requests before it stops anyway.
    #[arg(long, env = "JEDEL_DRAIN_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub drain_timeout: Duration,

    /// Log format: `auto` is readable on a terminal and JSON otherwise.
    #[arg(long, env = "JEDEL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,

    /// Whether the web console's local login issues tokens. `auto`: only when this server
    /// holds the signing key (no `--jwt-public-key`) and listens on a loopback address.
    #[arg(long, env = "JEDEL_CONSOLE_LOGIN", value_enum, default_value_t = ConsoleLogin::Auto)]
    pub console_login: ConsoleLogin,

    /// Map tile URL template for the console, e.g. `https://tiles.example/{z}/{x}/{y}.png`.
    /// Without it the console draws its map offline.
    #[arg(long, env = "JEDEL_CONSOLE_TILE_URL")]
    pub console_tile_url: Option<String>,
}

/// When the web console's local login may issue tokens.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleLogin {
    /// On when the server holds the signing key and listens on loopback only.
    Auto,
    /// On whenever the server holds the signing key, whatever the listen address.
    On,
    /// Off: users bring a token issued elsewhere.
    Off,
}

/// A service that `jedel serve` can run.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceName {
    /// `jedel.intake.v1.CallIntake`
    Intake,
    /// `jedel.registry.v1.Registry`
    Registry,
    /// `jedel.dispatch.v1.Dispatcher`
    Dispatch,
    /// `jedel.medevac.v1.Medevac`
    Medevac,
    /// `jedel.situation.v1.SituationCentre`
    Situation,
}

/// Log output format.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable on a terminal, JSON otherwise.
    Auto,
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Parses a span such as `90s`, `15m`, `12h` or `7d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("'{text}' is not a duration such as 30s, 15m, 12h or 7d"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("'{text}' has no unit: use s, m, h or d")),
    };
    number.checked_mul(seconds).map(Duration::from_secs).ok_or_else(|| format!("'{text}' is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert!(parse_duration("12").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5w").is_err());
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let args = StorageArgs { data_dir: PathBuf::from("/tmp/x"), database_url: None };
        assert_eq!(args.database_url(), "sqlite:///tmp/x/jedel.db?mode=rwc");
    }
}
