//! The console's routes in-process: the login's on/off rule, tokens that verify, refusals.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jedel_platform::Role;
use jedel_platform::auth::{TokenVerifier, ensure_key_pair};
use jedel_platform::config::ConsoleLogin;
use tower::Service as _;

use super::*;

fn addr(text: &str) -> SocketAddr {
    text.parse().unwrap()
}

#[test]
fn auto_login_needs_a_loopback_address() {
    assert!(login_allowed(ConsoleLogin::Auto, addr("127.0.0.1:50051")));
    assert!(login_allowed(ConsoleLogin::Auto, addr("[::1]:50051")));
    assert!(!login_allowed(ConsoleLogin::Auto, addr("0.0.0.0:50051")));
    assert!(!login_allowed(ConsoleLogin::Auto, addr("10.1.2.3:50051")));
    assert!(login_allowed(ConsoleLogin::On, addr("0.0.0.0:50051")));
    assert!(!login_allowed(ConsoleLogin::Off, addr("127.0.0.1:50051")));
}

async fn call(router: &mut axum::Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = router.call(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

fn login(body: serde_json::Value) -> Request<Body> {
    Request::post("/console/login")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_local_login_issues_tokens_the_server_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = ensure_key_pair(dir.path()).unwrap();
    let options = Options::new(ConsoleLogin::Auto, addr("127.0.0.1:0"), Some(&private), None).unwrap();
    let mut router = router(options);

    let config = Request::get("/console/config").body(Body::empty()).unwrap();
    assert_eq!(call(&mut router, config).await.1["local_login"], true);

    let (status, body) =
        call(&mut router, login(serde_json::json!({"subject": "aigerim", "role": "dispatcher", "regions": ["KZ-71"]})))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let caller = TokenVerifier::from_pem_file(&public).unwrap().verify(body["token"].as_str().unwrap()).unwrap();
    assert_eq!((caller.subject.as_str(), caller.role), ("aigerim", Role::Dispatcher));
    assert_eq!(caller.regions, vec!["KZ-71".to_string()]);

    let (status, body) = call(&mut router, login(serde_json::json!({"subject": "a", "role": "dispatcher"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("region"), "{body}");
    let (status, _) = call(&mut router, login(serde_json::json!({"subject": "a", "role": "system"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(&mut router, login(serde_json::json!({"subject": "a b", "role": "admin"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_the_key_or_on_an_open_address_the_login_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (private, _) = ensure_key_pair(dir.path()).unwrap();
    for options in [
        Options::new(ConsoleLogin::Auto, addr("0.0.0.0:0"), Some(&private), None).unwrap(),
        Options::new(ConsoleLogin::On, addr("127.0.0.1:0"), None, None).unwrap(),
    ] {
        let mut router = router(options);
        let (status, _) = call(&mut router, login(serde_json::json!({"subject": "a", "role": "admin"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

fn upload(query: &str, body: &'static str) -> Request<Body> {
    Request::post(format!("/console/documents?{query}"))
        .header("content-type", "text/plain")
        .header("authorization", "Bearer not-checked-here")
        .body(Body::from(body))
        .unwrap()
}

const QUERY: &str = "request=01a2425f-c357-73d8-9ef1-2fb9c3f09d4c&kind=1&name=extract.txt&request_id=k1";

#[tokio::test]
async fn an_upload_is_refused_as_json_when_it_cannot_reach_the_rpc() {
    // Nothing listens on the address the upload is forwarded to.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let options = Options { login: None, tile_url: None, grpc_addr: Some(closed) };
    let mut router = router(options);

    let (status, body) = call(&mut router, upload("kind=1&name=a.txt", "x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("request"), "{body}");

    let (status, body) = call(&mut router, upload(QUERY, "Discharge extract")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "Unavailable", "{body}");

    let mut unwired = super::router(Options { login: None, tile_url: None, grpc_addr: None });
    let (status, body) = call(&mut unwired, upload(QUERY, "x")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body["error"].as_str().unwrap().contains("not wired"), "{body}");
}
