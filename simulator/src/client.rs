//! Talking to a running Jedel: channels to its gRPC port and bearer tokens minted with the
//! deployment's signing key (as `jedel token issue` does), one per role the simulator plays:
//! call-taker, dispatcher and coordinating doctor of every region.

use std::time::Duration;

use jedel_platform::Role;
use jedel_platform::auth::{Bearer, TokenIssuer, ensure_key_pair};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::cli::ServerArgs;
use crate::error::SimError;

/// A channel that authenticates as one role.
pub type Authed = InterceptedService<Channel, Bearer>;

/// The simulator's identities on one server.
#[derive(Debug, Clone)]
pub struct Session {
    /// Channels, round-robin.
    pub channels: Vec<Channel>,
    call_taker: Bearer,
    dispatcher: Bearer,
    coordinator: Bearer,
}

/// Which identity a request goes out as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    /// 103 call-taker of every region.
    CallTaker,
    /// Dispatcher of every region (units, positions, assignments).
    Dispatcher,
    /// Regional coordinating doctor of every region (medevac requests).
    Coordinator,
}

fn mint(issuer: &TokenIssuer, role: Role, regions: &[String], ttl: Duration) -> Result<Bearer, SimError> {
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let token = issuer
        .issue("jedel-sim", role, regions.to_vec(), None, now, ttl)
        .map_err(|e| SimError::remote("mint a token", e))?;
    Bearer::new(&token).map_err(|e| SimError::remote("mint a token", e))
}

impl Session {
    /// Connects `connections` channels to the server and mints tokens for `regions`, valid
    /// for `ttl`.
    pub async fn open(
        args: &ServerArgs,
        regions: &[String],
        connections: usize,
        ttl: Duration,
    ) -> Result<Session, SimError> {
        let key = match &args.private_key {
            Some(path) => path.clone(),
            None if args.data_dir.is_dir() => {
                ensure_key_pair(&args.data_dir).map_err(|e| SimError::remote("read the signing key", e))?.0
            }
            None => {
                return Err(SimError::Usage(format!(
                    "no data directory {} with the deployment's signing key: pass --data-dir or --private-key",
                    args.data_dir.display()
                )));
            }
        };
        let issuer = TokenIssuer::from_pem_file(&key).map_err(|e| SimError::remote("read the signing key", e))?;
        let endpoint = Endpoint::from_shared(args.server.clone())
            .map_err(|e| SimError::Usage(format!("--server {}: {e}", args.server)))?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .http2_adaptive_window(true);
        let mut channels = Vec::with_capacity(connections);
        for _ in 0..connections.max(1) {
            let channel =
                endpoint.connect().await.map_err(|e| SimError::remote(format!("connect to {}", args.server), e))?;
            channels.push(channel);
        }
        Ok(Session {
            channels,
            call_taker: mint(&issuer, Role::CallTaker, regions, ttl)?,
            dispatcher: mint(&issuer, Role::Dispatcher, regions, ttl)?,
            coordinator: mint(&issuer, Role::Coordinator, regions, ttl)?,
        })
    }

    /// Channel number `n` (modulo the count), authenticated as `who`.
    pub fn channel(&self, n: usize, who: As) -> Authed {
        let bearer = match who {
            As::CallTaker => &self.call_taker,
            As::Dispatcher => &self.dispatcher,
            As::Coordinator => &self.coordinator,
        };
        InterceptedService::new(self.channels[n % self.channels.len()].clone(), bearer.clone())
    }
}

/// A protobuf timestamp of `micros` since the epoch.
pub fn timestamp(micros: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}
