//! `jedel serve`: wires configuration to storage, bus, keys, the chosen services and the console,
//! then runs the harness until shutdown.

use std::sync::Arc;

use anyhow::Context as _;
use jedel_platform::config::{ServeArgs, ServiceName};
use jedel_platform::metrics::{self, Metrics};
use jedel_platform::relay::Relay;
use jedel_platform::server::{self, Services};
use jedel_platform::{Context, Db, auth, bus};
use jedel_registry::ReferenceData;
use tonic::service::interceptor::InterceptedService;
use tracing::info;

/// Runs the services `args` names until `shutdown` resolves.
pub async fn serve(args: ServeArgs, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
    let url = args.storage.database_url();
    let db = Db::connect(&url).await.context("cannot open the database")?;
    db.migrate().await.context("cannot apply migrations")?;
    let bus =
        bus::connect(args.redis_url.as_deref(), &args.redis_prefix).await.context("cannot reach the event bus")?;

    let (public_key, private_key) = match &args.jwt_public_key {
        Some(path) => (path.clone(), None),
        None => {
            let (private, public) = auth::ensure_key_pair(&args.storage.data_dir)?;
            (public, Some(private))
        }
    };
    let verifier = Arc::new(auth::TokenVerifier::from_pem_file(&public_key)?);
    let authenticator = auth::Authenticator::new(verifier);

    let metrics = Metrics::new(&[jedel_api::FILE_DESCRIPTOR_SET]);
    let context = Context { db: db.clone(), bus: bus.clone(), metrics: metrics.clone() };
    if args.services.contains(&ServiceName::Registry) {
        let report = jedel_registry::seed_reference(&context, &ReferenceData::kazakhstan()).await?;
        info!(%report, "reference data");
    }
    let mut services = Services::default();
    for name in dedup(&args.services) {
        let auth = authenticator.clone();
        match name {
            ServiceName::Intake => add(&mut services, jedel_intake::server(context.clone()), auth),
            ServiceName::Registry => add(&mut services, jedel_registry::server(context.clone()), auth),
            ServiceName::Dispatch => add(
                &mut services,
                jedel_dispatch::server_with(
                    context.clone(),
                    jedel_dispatch::Config::with_redis(args.redis_url.clone(), args.redis_prefix.clone()),
                ),
                auth,
            ),
            ServiceName::Medevac => add(&mut services, jedel_medevac::server(context.clone()), auth),
            ServiceName::Situation => add(&mut services, jedel_situation::server(context.clone()), auth),
        }
    }

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let mut console = jedel_console::Options::new(
        args.console_login,
        args.listen,
        private_key.as_deref(),
        args.console_tile_url.clone(),
    )?;
    // Document uploads from the browser are forwarded to this server's own Medevac.
    console.grpc_addr = listener.local_addr().ok();
    info!(local_login = console.login.is_some(), "console");
    services.add_http(jedel_console::router(console));
    let metrics_listener = tokio::net::TcpListener::bind(args.metrics_listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.metrics_listen))?;
    info!(
        grpc_addr = %metrics::local_addr(&listener),
        metrics_addr = %metrics::local_addr(&metrics_listener),
        database = if url.starts_with("sqlite") { "sqlite" } else { "postgres" },
        bus = if args.redis_url.is_some() { "redis" } else { "in-process" },
        services = ?services.names(),
        "listening"
    );

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let relay = tokio::spawn(Relay::new(db.clone(), bus.clone()).run(stop_rx.clone()));
    let mut metrics_stop = stop_rx.clone();
    let metrics_server = tokio::spawn(metrics::serve(metrics_listener, metrics, async move {
        let _ = metrics_stop.changed().await;
    }));

    let ready = {
        let (db, bus) = (db.clone(), bus.clone());
        async move {
            loop {
                match (db.ping().await, bus.ping().await) {
                    (Ok(()), Ok(())) => return,
                    (db_result, bus_result) => tracing::warn!(
                        db = ?db_result.err().map(|e| e.to_string()),
                        bus = ?bus_result.err().map(|e| e.to_string()),
                        "waiting for storage and bus"
                    ),
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        }
    };
    let result = server::serve(listener, services, context.metrics.clone(), ready, shutdown, args.drain_timeout).await;
    let _ = stop_tx.send(true);
    let _ = relay.await;
    let _ = metrics_server.await;
    db.close().await;
    info!("stopped");
    result.map_err(Into::into)
}

fn add<S>(services: &mut Services, server: S, auth: auth::Authenticator)
where
    S: tonic::server::NamedService
        + tower::Service<
            tonic::codegen::http::Request<tonic::body::Body>,
            Response = tonic::codegen::http::Response<tonic::body::Body>,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    services.add(InterceptedService::new(server, auth));
}

fn dedup(names: &[ServiceName]) -> Vec<ServiceName> {
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(name) {
            seen.push(*name);
        }
    }
    seen
}
