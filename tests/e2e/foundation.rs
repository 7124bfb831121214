//! The foundation: health, reflection, gRPC-web, metrics, token refusals, persistence across
//! restarts, and the audit chain, on both backends.

use std::time::Duration;

use jedel_api::common::v1::LatLon;
use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_api::registry::v1::{
    AreaType, CreateStationRequest, GetStationRequest, ListRegionsRequest, ListStationsRequest, Station, StationKind,
    get_station_request,
};
use jedel_platform::Role;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tonic::Code;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

use crate::on_each_backend;
use crate::support::{Server, http_get};

fn station(code: &str, region: &str) -> Station {
    Station {
        code: code.to_string(),
        name: format!("Test station {code}"),
        kind: StationKind::CitySubstation as i32,
        region_code: region.to_string(),
        position: Some(LatLon { lat: 51.16, lon: 71.47 }),
        address: "Kabanbay Batyr Ave 1".to_string(),
        area_type: AreaType::City as i32,
        ..Default::default()
    }
}

async fn create_station(server: &Server, code: &str) -> Station {
    let admin = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&admin).await);
    registry
        .create_station(CreateStationRequest {
            request_id: format!("req-{code}"),
            station: Some(station(code, "KZ-71")),
        })
        .await
        .expect("admin creates a station")
        .into_inner()
}

on_each_backend!(reflection_lists_the_five_services, async |server: Server| {
    let mut reflection = ServerReflectionClient::new(server.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = reflection.server_reflection_info(futures::stream::iter([request])).await.unwrap().into_inner();
    let response = responses.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else { panic!("a service list") };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in [
        "jedel.intake.v1.CallIntake",
        "jedel.registry.v1.Registry",
        "jedel.dispatch.v1.Dispatcher",
        "jedel.medevac.v1.Medevac",
        "jedel.situation.v1.SituationCentre",
        "grpc.health.v1.Health",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} is listed in {names:?}");
    }
});

on_each_backend!(every_service_reports_serving, async |server: Server| {
    let (code, out) = server.jedel(&["ctl", "health", "--output", "json"]).await;
    assert_eq!(code, 0, "all services serving: {out}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["status"] == "SERVING"), "{out}");
});

on_each_backend!(calls_without_a_valid_token_are_refused, async |server: Server| {
    let mut anonymous = RegistryClient::new(server.channel().await);
    let status = anonymous.list_regions(ListRegionsRequest::default()).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    assert_eq!(status.message(), "missing bearer token");

    let mut forged = RegistryClient::new(server.authed("not.a.jwt").await);
    assert_eq!(forged.list_regions(ListRegionsRequest::default()).await.unwrap_err().code(), Code::Unauthenticated);

    let long_ago = chrono::Utc::now().timestamp() as u64 - 7_200;
    let expired = server.token_at(Role::Admin, &[], None, long_ago, Duration::from_secs(60));
    let status = RegistryClient::new(server.authed(&expired).await)
        .list_regions(ListRegionsRequest::default())
        .await
        .unwrap_err();
    assert_eq!((status.code(), status.message()), (Code::Unauthenticated, "token expired"));

    let call_taker = server.token(Role::CallTaker, &["KZ-71"], None);
    let mut registry = RegistryClient::new(server.authed(&call_taker).await);
    let status = registry
        .create_station(CreateStationRequest { request_id: "r".into(), station: Some(station("TST-9", "KZ-71")) })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "wrong role: {status:?}");

    let dispatcher = server.token(Role::Dispatcher, &["KZ-71"], None);
    let mut registry = RegistryClient::new(server.authed(&dispatcher).await);
    let own = registry.list_stations(ListStationsRequest { region_code: "KZ-71".into(), ..Default::default() }).await;
    assert!(own.is_ok(), "own region is readable: {own:?}");
    let status = registry
        .list_stations(ListStationsRequest { region_code: "KZ-75".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "wrong region: {status:?}");
});

on_each_backend!(data_survives_a_restart, async |mut server: Server| {
    let created = create_station(&server, "TST-1").await;
    server.restart().await;
    let admin = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&admin).await);
    let fetched = registry
        .get_station(GetStationRequest { key: Some(get_station_request::Key::Id(created.id.clone())) })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(fetched, created);
});

on_each_backend!(the_audit_chain_verifies_and_detects_a_tampered_row, async |mut server: Server| {
    create_station(&server, "TST-2").await;
    create_station(&server, "TST-3").await;
    let (code, out) = server.jedel(&["audit", "verify", "--output", "json"]).await;
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = report["rows"].as_u64().unwrap();
    assert!(rows >= 2, "{out}");
    assert!(report["first_broken"].is_null(), "{out}");

    server.stop().await;
    let db = jedel_platform::Db::connect(&server.database_url).await.unwrap();
    sqlx::query("UPDATE audit SET actor_subject = 'someone-else' WHERE seq = $1")
        .bind(rows as i64)
        .execute(db.reader())
        .await
        .unwrap();
    db.close().await;
    let (code, out) = server.jedel(&["audit", "verify", "--output", "json"]).await;
    assert_eq!(code, 1, "a tampered chain fails verification: {out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["first_broken"]["seq"].as_u64(), Some(rows), "{out}");
});

on_each_backend!(metrics_count_rpcs_with_bounded_labels, async |server: Server| {
    let admin = server.token(Role::Admin, &[], None);
    RegistryClient::new(server.authed(&admin).await).list_regions(ListRegionsRequest::default()).await.unwrap();
    let body = http_get(&server.metrics, "/metrics").await;
    assert!(
        body.contains(r#"jedel_rpc_requests_total{rpc="/jedel.registry.v1.Registry/ListRegions",code="0"}"#),
        "{body}"
    );
});

// gRPC-web, as a browser sends it: HTTP/1.1, `application/grpc-web+proto`, framed body.
on_each_backend!(grpc_web_answers_over_http1, async |server: Server| {
    let addr = server.grpc.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("connect {addr}: {e}\n{}", server.log.lock().unwrap()));
    // One uncompressed frame holding an empty HealthCheckRequest (service "" = the server).
    let body = [0u8, 0, 0, 0, 0];
    let mut request = format!(
        "POST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/grpc-web+proto\r\n\
         X-Grpc-Web: 1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    stream.write_all(&request).await.unwrap();
    // The response is chunked and the connection stays open: read until the trailer frame.
    let mut response = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&response).contains("grpc-status") {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await.unwrap().unwrap();
        assert!(read > 0, "the server closed the connection early: {}", String::from_utf8_lossy(&response));
        response.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("application/grpc-web"), "{text}");
    assert!(text.contains("grpc-status:0"), "the trailer frame reports OK: {text}");
});

#[tokio::test]
async fn a_bad_flag_exits_with_code_64_and_one_line() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_jedel"))
        .args(["serve", "--listen", "not-an-address"])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(64));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--listen"), "{stderr}");
}
