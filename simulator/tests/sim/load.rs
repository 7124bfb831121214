//! `load` for a few seconds against a real Jedel in this process, over gRPC on a socket: calls,
//! position streams, status changes and medevac requests at a fixed rate; every acknowledged
//! call and medevac request must exist afterwards. On the embedded defaults (SQLite) and on
//! PostgreSQL + Redis.

use clap::Parser as _;
use jedel_sim::cli::{Cli, Command};

use crate::support::{Server, start};

async fn load_for_a_few_seconds(server: &Server) {
    let cli = Cli::parse_from([
        "jedel-sim",
        "load",
        "--server",
        &server.url,
        "--data-dir",
        &server.data_dir.display().to_string(),
        "--rate",
        "20",
        "--duration",
        "3s",
        "--vehicles",
        "300",
        "--position-interval",
        "1s",
        "--status-rate",
        "5",
        "--medevac-rate",
        "120",
        "--connections",
        "2",
    ]);
    let Command::Load(args) = cli.command else { unreachable!("parsed load") };
    let scheduled = jedel_sim::load::schedule::instants(args.rate, None, args.duration).len() as u64;
    assert!((59..=61).contains(&scheduled), "{scheduled}");
    let outcome = jedel_sim::load::run(&args).await.unwrap();
    let table = outcome.table();
    let create = &outcome.rpcs[0];
    assert_eq!(create.rpc, "jedel.intake.v1.CallIntake/CreateCall");
    assert_eq!(create.ok, scheduled, "every scheduled call was created:\n{table}");
    assert!(create.errors.is_empty(), "{table}");
    assert_eq!(outcome.acknowledged_calls as u64, scheduled, "{table}");
    assert_eq!(outcome.missing_calls, 0, "nothing lost:\n{table}");
    outcome.check().unwrap();
    assert_eq!(outcome.vehicles, 300);
    assert!(outcome.positions_sent >= 600, "{table}");
    assert_eq!(outcome.positions_accepted + outcome.positions_rejected, outcome.positions_sent, "{table}");
    assert!(outcome.positions_accepted > 0, "{table}");
    assert!(outcome.rpcs[1].ok > 0, "status changes went through:\n{table}");
    let medevac = &outcome.rpcs[2];
    assert_eq!(medevac.rpc, "jedel.medevac.v1.Medevac/CreateRequest");
    let scheduled_medevac = jedel_sim::load::schedule::instants(args.medevac_rate / 60.0, None, args.duration).len();
    assert_eq!(scheduled_medevac, 6);
    assert_eq!(medevac.ok, 6, "every medevac request was created:\n{table}");
    assert!(medevac.errors.is_empty(), "{table}");
    assert_eq!(outcome.acknowledged_medevac, 6, "{table}");
    assert_eq!(outcome.missing_medevac, 0, "no medevac request lost:\n{table}");
    assert!(create.p50_ms <= create.max_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_loses_no_call_on_the_embedded_defaults() {
    let server = start(false).await.expect("embedded always starts");
    load_for_a_few_seconds(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_loses_no_call_on_postgres_and_redis() {
    let Some(server) = start(true).await else { return };
    load_for_a_few_seconds(&server).await;
}
