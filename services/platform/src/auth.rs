//! Bearer-token security. Every RPC of the five services carries a JWT (EdDSA) whose claims
//! say who the caller is, their role, and their scope (regions, or an airline). The
//! [`Authenticator`] interceptor turns a valid token into a [`Caller`] in the request's
//! extensions; handlers then check role and scope with the `require_*` methods.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _};
use jedel_api::ApiError;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tonic::{Request, Status};

/// What a caller does in the system; decides which RPCs they may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Role {
    /// 103 call-taker: takes calls in their regions.
    CallTaker,
    /// Regional station dispatcher: assigns units in their regions.
    Dispatcher,
    /// Regional coordinating doctor: files medevac requests for their regions.
    Coordinator,
    /// National medevac dispatcher (NCCEM): reviews requests, tasks airlines, nationwide.
    MedevacDispatcher,
    /// Airline operator: sees and answers their own airline's taskings.
    Airline,
    /// Situation centre: reads everything nationwide.
    Situation,
    /// Administrator: keeps the registry, nationwide.
    Admin,
    /// The system itself (seeding, timers). Never accepted from a token.
    #[value(skip)]
    System,
}

impl Role {
    /// The role's name as tokens and logs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CallTaker => "call_taker",
            Role::Dispatcher => "dispatcher",
            Role::Coordinator => "coordinator",
            Role::MedevacDispatcher => "medevac_dispatcher",
            Role::Airline => "airline",
            Role::Situation => "situation",
            Role::Admin => "admin",
            Role::System => "system",
        }
    }

    /// Roles whose scope is the whole country rather than listed regions.
    pub fn is_national(self) -> bool {
        matches!(self, Role::MedevacDispatcher | Role::Situation | Role::Admin | Role::System)
    }
}

/// The claims of a Jedel token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Who: a user or system id.
    pub sub: String,
    /// What they do.
    pub role: Role,
    /// Regions they act in (call-takers, dispatchers, coordinators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// The airline they act for (airline operators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airline: Option<String>,
    /// Issued at, seconds since the epoch.
    pub iat: u64,
    /// Expires at, seconds since the epoch.
    pub exp: u64,
}

/// The authenticated caller of an RPC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Token subject.
    pub subject: String,
    /// Token role.
    pub role: Role,
    /// Regions in scope; empty for national roles.
    pub regions: Vec<String>,
    /// Airline in scope, for airline operators.
    pub airline: Option<String>,
}

impl Caller {
    /// The system acting on its own (seeding, scheduled work), named for the audit log.
    pub fn system(subject: &str) -> Caller {
        Caller { subject: subject.to_string(), role: Role::System, regions: Vec::new(), airline: None }
    }

    /// The caller from a request's extensions, put there by the [`Authenticator`].
    pub fn of<T>(request: &Request<T>) -> Result<Caller, ApiError> {
        request
            .extensions()
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::Unauthenticated("missing bearer token".into()))
    }

    /// Refuses the call unless the caller has one of `roles`. The system may do anything.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        if self.role == Role::System || roles.contains(&self.role) {
            return Ok(());
        }
        Err(ApiError::PermissionDenied(format!("role {} may not do this", self.role.as_str())))
    }

    /// Whether the caller's scope covers `region_code`.
    pub fn covers_region(&self, region_code: &str) -> bool {
        self.role.is_national() || self.regions.iter().any(|r| r == region_code)
    }

    /// Refuses the call unless the caller's scope covers `region_code`.
    pub fn require_region(&self, region_code: &str) -> Result<(), ApiError> {
        if self.covers_region(region_code) {
            return Ok(());
        }
        Err(ApiError::PermissionDenied(format!("region {region_code} is outside the caller's scope")))
    }

    /// Refuses the call unless the caller acts for `airline_code` (or nationwide).
    pub fn require_airline(&self, airline_code: &str) -> Result<(), ApiError> {
        if self.role.is_national() || self.airline.as_deref() == Some(airline_code) {
            return Ok(());
        }
        Err(ApiError::PermissionDenied(format!("airline {airline_code} is outside the caller's scope")))
    }
}

/// Why keys could not be loaded or a token could not be made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing a key file failed.
    #[error("key file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// A key file is not a valid Ed25519 PEM key.
    #[error("key file {path}: not an Ed25519 PEM key: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// Signing a token failed.
    #[error("cannot sign token: {0}")]
    Sign(#[from] jsonwebtoken::errors::Error),
    /// A claim is not acceptable (e.g. scope missing for a scoped role).
    #[error("{0}")]
    Claims(String),
}

const PRIVATE_KEY_FILE: &str = "jwt-signing-key.pem";
const PUBLIC_KEY_FILE: &str = "jwt-public-key.pem";

/// The embedded deployment's key pair in the data directory, created on first use. The
/// private key file is readable by its owner only.
pub fn ensure_key_pair(data_dir: &Path) -> Result<(PathBuf, PathBuf), KeyError> {
    let private = data_dir.join(PRIVATE_KEY_FILE);
    let public = data_dir.join(PUBLIC_KEY_FILE);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| KeyError::Io { path, source }
    };
    if private.exists() && public.exists() {
        return Ok((private, public));
    }
    fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let invalid = |path: &Path, reason: String| KeyError::Invalid { path: path.to_path_buf(), reason };
    let private_pem = key.to_pkcs8_pem(LineEnding::LF).map_err(|e| invalid(&private, e.to_string()))?;
    let public_pem =
        key.verifying_key().to_public_key_pem(LineEnding::LF).map_err(|e| invalid(&public, e.to_string()))?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&private)
        .and_then(|mut f| f.write_all(private_pem.as_bytes()))
        .map_err(io(&private))?;
    fs::write(&public, public_pem).map_err(io(&public))?;
    Ok((private, public))
}

/// Signs tokens with a deployment's private key (`jedel token issue`).
pub struct TokenIssuer {
    key: EncodingKey,
}

impl TokenIssuer {
    /// Loads the private key from a PKCS#8 PEM file.
    pub fn from_pem_file(path: &Path) -> Result<TokenIssuer, KeyError> {
        let pem = fs::read(path).map_err(|source| KeyError::Io { path: path.to_path_buf(), source })?;
        let key = EncodingKey::from_ed_pem(&pem)
            .map_err(|e| KeyError::Invalid { path: path.to_path_buf(), reason: e.to_string() })?;
        Ok(TokenIssuer { key })
    }

    /// A token for `subject` with `role` and scope, valid for `ttl` from `now_secs`.
    pub fn issue(
        &self,
        subject: &str,
        role: Role,
        regions: Vec<String>,
        airline: Option<String>,
        now_secs: u64,
        ttl: Duration,
    ) -> Result<String, KeyError> {
        match role {
            Role::CallTaker | Role::Dispatcher | Role::Coordinator if regions.is_empty() => {
                return Err(KeyError::Claims(format!("role {} needs at least one region", role.as_str())));
            }
            Role::Airline if airline.is_none() => {
                return Err(KeyError::Claims("role airline needs an airline".into()));
            }
            Role::System => return Err(KeyError::Claims("role system cannot be issued".into())),
            _ => {}
        }
        let claims =
            Claims { sub: subject.to_string(), role, regions, airline, iat: now_secs, exp: now_secs + ttl.as_secs() };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.key)?)
    }
}

/// Checks tokens against a deployment's public key.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    /// Loads the public key from an SPKI PEM file.
    pub fn from_pem_file(path: &Path) -> Result<TokenVerifier, KeyError> {
        let pem = fs::read(path).map_err(|source| KeyError::Io { path: path.to_path_buf(), source })?;
        let key = DecodingKey::from_ed_pem(&pem)
            .map_err(|e| KeyError::Invalid { path: path.to_path_buf(), reason: e.to_string() })?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = 30;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Ok(TokenVerifier { key, validation })
    }

    /// The caller a token names, or why it is refused.
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => ApiError::Unauthenticated("token expired".into()),
                _ => ApiError::Unauthenticated("invalid token".into()),
            })?
            .claims;
        if claims.role == Role::System {
            return Err(ApiError::Unauthenticated("invalid token".into()));
        }
        Ok(Caller { subject: claims.sub, role: claims.role, regions: claims.regions, airline: claims.airline })
    }
}

/// The interceptor in front of every Jedel service: it admits a request only with a valid
/// bearer token and hands the [`Caller`] to the handler.
#[derive(Clone)]
pub struct Authenticator {
    verifier: Arc<TokenVerifier>,
}

impl Authenticator {
    /// An interceptor that checks tokens with `verifier`.
    pub fn new(verifier: Arc<TokenVerifier>) -> Self {
        Authenticator { verifier }
    }
}

/// The client side of [`Authenticator`]: adds `authorization: Bearer <token>` to every
/// request (for `jedel ctl`, the simulator and the tests).
#[derive(Debug, Clone)]
pub struct Bearer(tonic::metadata::MetadataValue<tonic::metadata::Ascii>);

impl Bearer {
    /// The interceptor for `token`; fails when the token is not valid header text.
    pub fn new(token: &str) -> Result<Bearer, tonic::metadata::errors::InvalidMetadataValue> {
        format!("Bearer {token}").parse().map(Bearer)
    }
}

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request.metadata_mut().insert("authorization", self.0.clone());
        Ok(request)
    }
}

impl tonic::service::Interceptor for Authenticator {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let header = request
            .metadata()
            .get("authorization")
            .ok_or_else(|| ApiError::Unauthenticated("missing bearer token".into()))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or_else(|| ApiError::Unauthenticated("authorization is not a bearer token".into()))?;
        let caller = self.verifier.verify(token.trim())?;
        request.extensions_mut().insert(caller);
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> (tempfile::TempDir, TokenIssuer, TokenVerifier) {
        let dir = tempfile::tempdir().unwrap();
        let (private, public) = ensure_key_pair(dir.path()).unwrap();
        (dir, TokenIssuer::from_pem_file(&private).unwrap(), TokenVerifier::from_pem_file(&public).unwrap())
    }

    #[test]
    fn an_issued_token_verifies_to_its_caller() {
        let (_dir, issuer, verifier) = keys();
        let now = chrono::Utc::now().timestamp() as u64;
        let token = issuer
            .issue("aigerim", Role::Dispatcher, vec!["KZ-71".into()], None, now, Duration::from_secs(3600))
            .unwrap();
        let caller = verifier.verify(&token).unwrap();
        assert_eq!(caller.role, Role::Dispatcher);
        assert!(caller.covers_region("KZ-71"));
        assert!(!caller.covers_region("KZ-75"));
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let (_dir, issuer, verifier) = keys();
        let (_other_dir, other_issuer, _) = keys();
        let long_ago = 1_000_000;
        let expired = issuer.issue("a", Role::Admin, vec![], None, long_ago, Duration::from_secs(60)).unwrap();
        assert_eq!(verifier.verify(&expired), Err(ApiError::Unauthenticated("token expired".into())));
        let now = chrono::Utc::now().timestamp() as u64;
        let foreign = other_issuer.issue("a", Role::Admin, vec![], None, now, Duration::from_secs(60)).unwrap();
        assert_eq!(verifier.verify(&foreign), Err(ApiError::Unauthenticated("invalid token".into())));
    }

    #[test]
    fn the_key_pair_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let first = ensure_key_pair(dir.path()).unwrap();
        let pem = fs::read(&first.0).unwrap();
        ensure_key_pair(dir.path()).unwrap();
        assert_eq!(fs::read(&first.0).unwrap(), pem);
        let mode = fs::metadata(&first.0).unwrap().permissions();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);
    }

    #[test]
    fn scoped_roles_need_their_scope() {
        let (_dir, issuer, _) = keys();
        assert!(issuer.issue("a", Role::CallTaker, vec![], None, 0, Duration::from_secs(1)).is_err());
        assert!(issuer.issue("a", Role::Airline, vec![], None, 0, Duration::from_secs(1)).is_err());
    }
}
