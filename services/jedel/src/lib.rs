//! The `jedel` binary's work: serving, operating the database and the audit log, issuing
//! tokens, and the `ctl` client. `main.rs` only parses and hands over.

pub mod cli;
pub mod ctl;
mod serve;

use std::process::ExitCode;

use anyhow::Context as _;
use cli::{AuditCommand, Cli, Command, Output, TokenCommand};
use jedel_platform::config::{LogFormat, StorageArgs};
use jedel_platform::{Db, audit, auth, telemetry};
use jedel_registry::ReferenceData;

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            telemetry::init(args.log_format);
            serve::serve(args, jedel_platform::server::shutdown_signal()).await?;
        }
        Command::Migrate(storage) => {
            telemetry::init(LogFormat::Auto);
            open(&storage).await?;
            println!("migrations applied");
        }
        Command::Seed { storage, reference_data } => {
            telemetry::init(LogFormat::Auto);
            let db = open(&storage).await?;
            let bus = jedel_platform::bus::connect(None, "jedel").await?;
            let metrics = jedel_platform::metrics::Metrics::new(&[]);
            let context = jedel_platform::Context { db, bus, metrics };
            let data = match reference_data {
                Some(dir) => ReferenceData::Dir(dir),
                None => ReferenceData::kazakhstan(),
            };
            let report = jedel_registry::seed_reference(&context, &data).await?;
            println!("{report}");
        }
        Command::Token(TokenCommand::Issue(args)) => {
            let private = match &args.private_key {
                Some(path) => path.clone(),
                None => auth::ensure_key_pair(&args.data_dir)?.0,
            };
            let issuer = auth::TokenIssuer::from_pem_file(&private)?;
            let now = chrono::Utc::now().timestamp().max(0) as u64;
            let token = issuer.issue(&args.subject, args.role, args.regions, args.airline, now, args.ttl)?;
            println!("{token}");
        }
        Command::Audit(AuditCommand::Verify { storage, output }) => {
            let db = open(&storage).await?;
            let verification = audit::verify(db.reader()).await?;
            match output {
                Output::Json => println!("{}", serde_json::to_string(&verification)?),
                Output::Table => match &verification.first_broken {
                    None => println!("audit chain verifies: {} rows", verification.rows),
                    Some(broken) => println!(
                        "audit chain BROKEN at row {}: {} ({} rows verify before it)",
                        broken.seq, broken.reason, verification.rows
                    ),
                },
            }
            if verification.first_broken.is_some() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Ctl(args) => return ctl::run(args).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// Connects to the configured database and brings its schema up to date.
async fn open(storage: &StorageArgs) -> anyhow::Result<Db> {
    let url = storage.database_url();
    let db = Db::connect(&url).await.context("cannot open the database")?;
    db.migrate().await.context("cannot apply migrations")?;
    Ok(db)
}
