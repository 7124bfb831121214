//! The server harness: the chosen Jedel services on one port, with gRPC health (NOT_SERVING
//! until storage and bus answer, and again from the moment shutdown begins), reflection,
//! gRPC-web for browsers, plain HTTP routes beside them on the same port (the console), a
//! request span and metrics for every RPC, and graceful shutdown that drains in-flight
//! requests for at most the drain time.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;
use tracing::{info, info_span, warn};

use crate::metrics::{Metrics, RpcMetricsLayer};

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The transport failed.
    #[error("grpc server: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The reflection service could not be built from the descriptor sets.
    #[error("reflection: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),
}

/// The gRPC services of one process and their health names.
pub struct Services {
    routes: tonic::service::RoutesBuilder,
    names: Vec<&'static str>,
    http: Vec<axum::Router>,
}

impl Default for Services {
    fn default() -> Self {
        Services { routes: Routes::builder(), names: Vec::new(), http: Vec::new() }
    }
}

impl Services {
    /// Adds a service; its proto name is also its health name.
    pub fn add<S>(&mut self, service: S)
    where
        S: tower::Service<tonic::codegen::http::Request<tonic::body::Body>, Error = std::convert::Infallible>
            + tonic::server::NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Response: axum::response::IntoResponse,
        S::Future: Send + 'static,
    {
        self.routes.add_service(service);
        self.names.push(S::NAME);
    }

    /// Adds plain HTTP routes (e.g. the console's assets) served on the same port as gRPC.
    /// They must not overlap the `/package.Service/` paths and carry no bearer-token check.
    pub fn add_http(&mut self, router: axum::Router) {
        self.http.push(router);
    }

    /// The proto names of the services added.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }
}

/// Marks every service (and the server as a whole, the empty name) with `status`.
pub async fn set_health(reporter: &HealthReporter, names: &[&'static str], status: ServingStatus) {
    reporter.set_service_status("", status).await;
    for name in names {
        reporter.set_service_status(*name, status).await;
    }
}

/// Serves `services` on `listener` until `shutdown` resolves. Health reports SERVING once
/// `ready` resolves; at shutdown it turns NOT_SERVING before the listener closes, and
/// in-flight requests get `drain` to finish.
pub async fn serve(
    listener: TcpListener,
    services: Services,
    metrics: Arc<Metrics>,
    ready: impl Future<Output = ()> + Send + 'static,
    shutdown: impl Future<Output = ()> + Send + 'static,
    drain: Duration,
) -> Result<(), ServeError> {
    let (reporter, health_service) = tonic_health::server::health_reporter();
    let names = services.names.clone();
    set_health(&reporter, &names, ServingStatus::NotServing).await;

    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(jedel_api::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(jedel_api::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    let mut routes = services.routes;
    routes.add_service(health_service).add_service(reflection).add_service(reflection_alpha);
    // gRPC-web wraps the gRPC routes only: it answers any other HTTP/1.1 request with 400, so
    // the plain HTTP routes are merged in beside it.
    let mut router = routes.routes().into_axum_router().layer(tonic_web::GrpcWebLayer::new());
    for http in services.http {
        router = router.merge(http);
    }

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = Server::builder()
        .accept_http1(true)
        .trace_fn(|request| info_span!("rpc", path = %request.uri().path()))
        .layer(RpcMetricsLayer(metrics))
        .add_routes(Routes::from(router))
        // `Server::tcp_nodelay` only reaches sockets tonic binds itself; accepted sockets of a
        // listener passed in need it set here, or Nagle's algorithm meets the client's delayed
        // ACK and small responses wait ~40 ms.
        .serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), async {
            let _ = stop_rx.await;
        });
    let mut server = tokio::spawn(server);

    let ready_reporter = reporter.clone();
    let ready_names = names.clone();
    let readiness = tokio::spawn(async move {
        ready.await;
        set_health(&ready_reporter, &ready_names, ServingStatus::Serving).await;
        info!("serving");
    });

    tokio::select! {
        finished = &mut server => {
            readiness.abort();
            return finished.unwrap_or_else(|e| panic!("server task failed: {e}")).map_err(Into::into);
        }
        () = shutdown => {}
    }
    readiness.abort();
    set_health(&reporter, &names, ServingStatus::NotServing).await;
    info!(drain_secs = drain.as_secs(), "shutting down: draining in-flight requests");
    let _ = stop_tx.send(());
    match tokio::time::timeout(drain, &mut server).await {
        Ok(finished) => finished.unwrap_or_else(|e| panic!("server task failed: {e}")).map_err(Into::into),
        Err(_) => {
            warn!("drain time exceeded; closing remaining requests");
            server.abort();
            Ok(())
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
