//! `POST /console/documents`: a document uploaded from the browser. `UploadDocument` is a
//! client stream, which gRPC-web cannot carry, so the console takes the file as one HTTP body
//! and forwards it to Medevac `UploadDocument` on this same server over gRPC, with the
//! caller's own `Authorization` header. The RPC checks the token, the scope and the file; its
//! document, or its refusal (code, message and each field violation), comes back as JSON.

use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use serde::Deserialize;
use tonic::transport::Channel;
use tonic_types::StatusExt as _;

use crate::json;

/// The largest body taken: a little over the API's default 20 MiB, so that the RPC (which
/// knows the deployment's limit) is the one to refuse a file that is too large.
pub const MAX_BODY: usize = 21 << 20;

/// Bytes per upload message (the API's limit is 1 MiB).
const CHUNK: usize = 1 << 20;

/// Where the file goes: metadata in the query, the content type in `Content-Type`.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// The medevac request the document belongs to.
    request: String,
    /// `DocumentKind` as its number.
    kind: i32,
    /// The original file name.
    name: String,
    /// Client idempotency key.
    request_id: String,
}

/// `POST /console/documents?request=…&kind=…&name=…&request_id=…` with the file as the body.
pub async fn handle(
    channel: Channel,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let query = match query {
        Ok(Query(query)) => query,
        Err(e) => return refusal(StatusCode::BAD_REQUEST, "InvalidArgument", &e.body_text(), Vec::new()),
    };
    let body = match body {
        Ok(body) => body,
        Err(e) => return refusal(e.status(), "InvalidArgument", &e.body_text(), Vec::new()),
    };
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let mut messages = vec![pb::UploadDocumentRequest {
        payload: Some(pb::upload_document_request::Payload::Metadata(pb::DocumentUpload {
            request_id: query.request_id,
            medevac_request_id: query.request,
            kind: query.kind,
            file_name: query.name,
            content_type: text(header::CONTENT_TYPE),
            size_bytes: body.len() as i64,
        })),
    }];
    messages.extend(body.chunks(CHUNK).map(|chunk| pb::UploadDocumentRequest {
        payload: Some(pb::upload_document_request::Payload::Chunk(chunk.to_vec())),
    }));
    let mut request = tonic::Request::new(futures::stream::iter(messages));
    if let Ok(auth) = text(header::AUTHORIZATION).parse() {
        request.metadata_mut().insert("authorization", auth);
    }
    match MedevacClient::new(channel).upload_document(request).await {
        Ok(document) => {
            let d = document.into_inner();
            json(
                StatusCode::OK,
                serde_json::json!({
                    "id": d.id,
                    "medevac_request_id": d.medevac_request_id,
                    "kind": d.kind,
                    "file_name": d.file_name,
                    "content_type": d.content_type,
                    "size_bytes": d.size_bytes,
                    "sha256_hex": d.sha256_hex,
                }),
            )
        }
        Err(status) => {
            let violations = status
                .get_details_bad_request()
                .map(|b| b.field_violations.into_iter().map(|v| (v.field, v.description)).collect())
                .unwrap_or_default();
            refusal(http_status(status.code()), &format!("{:?}", status.code()), status.message(), violations)
        }
    }
}

/// A refusal as JSON: `{code, error, violations: [{field, description}]}`.
fn refusal(status: StatusCode, code: &str, message: &str, violations: Vec<(String, String)>) -> Response {
    let violations: Vec<_> = violations
        .into_iter()
        .map(|(field, description)| serde_json::json!({ "field": field, "description": description }))
        .collect();
    json(status, serde_json::json!({ "code": code, "error": message, "violations": violations }))
}

/// The HTTP status closest to a gRPC code.
fn http_status(code: tonic::Code) -> StatusCode {
    use tonic::Code;
    match code {
        Code::InvalidArgument | Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::FailedPrecondition | Code::Aborted => StatusCode::CONFLICT,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
