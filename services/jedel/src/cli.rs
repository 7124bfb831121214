//! The command line: `serve`, `migrate`, `seed`, `token issue`, `audit verify`, `ctl …`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jedel_platform::Role;
use jedel_platform::config::{ServeArgs, StorageArgs, parse_duration};

/// Jedel: dispatch for emergency medical care and medical aviation of Kazakhstan.
#[derive(Parser, Debug)]
#[command(name = "jedel", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the services (all by default) until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(StorageArgs),
    /// Load a reference data set into an empty registry (default: the built-in Kazakhstan set).
    Seed {
        /// Where the data is.
        #[command(flatten)]
        storage: StorageArgs,
        /// A directory of data files (`regions.json`, `stations.json`, …) to load instead.
        #[arg(long)]
        reference_data: Option<PathBuf>,
    },
    /// Bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Talk to a running Jedel over gRPC.
    Ctl(crate::ctl::CtlArgs),
}

/// `jedel token …`
#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Print a token signed with the deployment's key.
    Issue(TokenIssueArgs),
}

/// `jedel token issue`
#[derive(Args, Debug)]
pub struct TokenIssueArgs {
    /// The role the token grants.
    #[arg(long, value_enum)]
    pub role: Role,
    /// A region in scope (repeat for several), e.g. KZ-71. Needed for call_taker, dispatcher
    /// and coordinator.
    #[arg(long = "region")]
    pub regions: Vec<String>,
    /// The airline in scope (its code), for the airline role.
    #[arg(long)]
    pub airline: Option<String>,
    /// Who the token is for.
    #[arg(long, default_value = "operator")]
    pub subject: String,
    /// How long the token is valid, e.g. 30m, 12h, 7d.
    #[arg(long, default_value = "12h", value_parser = parse_duration)]
    pub ttl: Duration,
    /// Directory holding the signing key (created on first use).
    #[arg(long, env = "JEDEL_DATA_DIR", default_value = "./jedel-data")]
    pub data_dir: PathBuf,
    /// Private key to sign with, instead of the one in the data directory.
    #[arg(long, env = "JEDEL_JWT_PRIVATE_KEY")]
    pub private_key: Option<PathBuf>,
}

/// `jedel audit …`
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the whole chain; exit 1 and name the first broken link if it does not verify.
    Verify {
        /// Where the data is.
        #[command(flatten)]
        storage: StorageArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
}

/// How commands print results.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Aligned columns, for people.
    Table,
    /// JSON, for scripts.
    Json,
}
