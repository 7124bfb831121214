//! The dispatcher web console, served by `jedel serve` on the gRPC port: the built app
//! (`dist/`, embedded at compile time), its runtime settings, the embedded deployment's
//! local login, and document upload (forwarded to the server's own Medevac over gRPC). The
//! app itself (TypeScript, beside this crate) calls every service over gRPC-web with the
//! user's bearer token, from the same origin, so no CORS is needed.

mod assets;
mod documents;
mod login;

use std::net::SocketAddr;
use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jedel_platform::auth::{KeyError, TokenIssuer};
use jedel_platform::config::ConsoleLogin;

pub use login::LocalLogin;

/// What the console is served with.
pub struct Options {
    /// The local login, when this deployment allows it.
    pub login: Option<LocalLogin>,
    /// A map tile URL template the app may use instead of its offline map.
    pub tile_url: Option<String>,
    /// This server's own gRPC address, which document uploads are forwarded to; without it
    /// `POST /console/documents` answers 503.
    pub grpc_addr: Option<SocketAddr>,
}

impl Options {
    /// The options `jedel serve` implies: the local login is on only when the server holds
    /// the signing key (`private_key`, the embedded mode) and `mode` allows it — `auto` only
    /// for a loopback `listen` address, so an exposed Jedel is never an open door.
    pub fn new(
        mode: ConsoleLogin,
        listen: SocketAddr,
        private_key: Option<&Path>,
        tile_url: Option<String>,
    ) -> Result<Options, KeyError> {
        let login = match private_key {
            Some(key) if login_allowed(mode, listen) => Some(LocalLogin::new(TokenIssuer::from_pem_file(key)?)),
            None if mode == ConsoleLogin::On => {
                tracing::warn!("console login needs the signing key in the data dir; it stays off");
                None
            }
            _ => None,
        };
        Ok(Options { login, tile_url, grpc_addr: None })
    }
}

/// Whether `mode` lets the local login run on a server listening on `listen`.
pub fn login_allowed(mode: ConsoleLogin, listen: SocketAddr) -> bool {
    match mode {
        ConsoleLogin::Auto => listen.ip().is_loopback(),
        ConsoleLogin::On => true,
        ConsoleLogin::Off => false,
    }
}

/// The console's routes: `/` and `/assets/…` (the app), `GET /console/config` (whether the
/// local login is on, the tile URL), `POST /console/login` (refused when off) and
/// `POST /console/documents` (see [`documents`]).
pub fn router(options: Options) -> axum::Router {
    let config = serde_json::json!({
        "local_login": options.login.is_some(),
        "tile_url": options.tile_url,
    })
    .to_string();
    let mut router = axum::Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .route("/console/config", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], config) }));
    if let Some(login) = options.login {
        router = router.route("/console/login", post(move |h, b| login::handle(login.clone(), h, b)));
    } else {
        router = router.route("/console/login", post(|| async { login::refused().into_response() }));
    }
    let upload = match options.grpc_addr {
        Some(addr) => {
            // A server listening on every address is reached on loopback.
            let host = if addr.ip().is_unspecified() { SocketAddr::new(loopback(addr), addr.port()) } else { addr };
            let channel = tonic::transport::Endpoint::from_shared(format!("http://{host}"))
                .expect("a socket address is a valid URI")
                .connect_lazy();
            post(move |q, h, b| documents::handle(channel.clone(), q, h, b))
        }
        None => post(|| async {
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({ "error": "document upload is not wired on this server" }),
            )
        }),
    };
    router.route("/console/documents", upload.layer(DefaultBodyLimit::max(documents::MAX_BODY)))
}

fn loopback(addr: SocketAddr) -> std::net::IpAddr {
    if addr.is_ipv4() { std::net::Ipv4Addr::LOCALHOST.into() } else { std::net::Ipv6Addr::LOCALHOST.into() }
}

/// A JSON response.
fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

#[cfg(test)]
mod tests;
