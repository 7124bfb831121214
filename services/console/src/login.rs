//! The embedded deployment's local login: `POST /console/login` with a name, a role and its
//! scope returns a token signed with the server's own key, as `jedel token issue` would. It
//! exists only when [`crate::Options::new`] turned it on.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use jedel_platform::Role;
use jedel_platform::auth::{KeyError, TokenIssuer};
use serde::Deserialize;

use crate::json;

/// How long a console token lasts: one long shift.
const TTL: Duration = Duration::from_secs(12 * 3_600);

/// Issues console tokens with the deployment's private key.
#[derive(Clone)]
pub struct LocalLogin {
    issuer: Arc<TokenIssuer>,
}

impl LocalLogin {
    /// A login that signs with `issuer`.
    pub fn new(issuer: TokenIssuer) -> LocalLogin {
        LocalLogin { issuer: Arc::new(issuer) }
    }
}

/// What the login form sends.
#[derive(Debug, Deserialize)]
struct LoginRequest {
    subject: String,
    role: Role,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    airline: Option<String>,
}

fn bad_request(message: impl Into<String>) -> Response {
    json(StatusCode::BAD_REQUEST, serde_json::json!({ "error": message.into() }))
}

/// The answer when the local login is off.
pub fn refused() -> Response {
    json(
        StatusCode::FORBIDDEN,
        serde_json::json!({ "error": "local login is off on this server: paste a token from `jedel token issue`" }),
    )
}

fn valid_subject(subject: &str) -> bool {
    (1..=64).contains(&subject.len())
        && subject.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

/// `POST /console/login`: JSON `{subject, role, regions, airline}` → `{token, expires_at}`.
pub async fn handle(login: LocalLogin, headers: HeaderMap, body: Bytes) -> Response {
    // A JSON content type forces a CORS preflight on cross-site forms, which nothing answers.
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return bad_request("content-type must be application/json");
    }
    let request: LoginRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return bad_request(format!("login: {e}")),
    };
    if !valid_subject(&request.subject) {
        return bad_request("name: 1 to 64 letters, digits or . - _ @");
    }
    let regions: Vec<String> = if request.role.is_national() || request.role == Role::Airline {
        Vec::new()
    } else {
        request.regions.into_iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect()
    };
    let airline = if request.role == Role::Airline {
        request.airline.map(|a| a.trim().to_string()).filter(|a| !a.is_empty())
    } else {
        None
    };
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    match login.issuer.issue(&request.subject, request.role, regions, airline, now, TTL) {
        Ok(token) => {
            tracing::info!(subject = %request.subject, role = request.role.as_str(), "console login");
            json(StatusCode::OK, serde_json::json!({ "token": token, "expires_at": now + TTL.as_secs() }))
        }
        Err(KeyError::Claims(reason)) => bad_request(reason),
        Err(e) => json(StatusCode::INTERNAL_SERVER_ERROR, serde_json::json!({ "error": e.to_string() })),
    }
}
