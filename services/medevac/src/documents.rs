//! Documents of a request: receiving an upload (chunks of at most 1 MiB, never more than the
//! declared size, which must also be what arrives; the bytes must be what the content type
//! says), storing it with its SHA-256 in one transaction with its event and audit row
//! (idempotent by request id), recording every download the same way before any byte is
//! sent, and streaming the content back one stored chunk at a time.

use futures::StreamExt as _;
use jedel_api::ApiError;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::upload_document_request::Payload as UploadPayload;
use jedel_core::local_time::Micros;
use jedel_core::medevac::DocumentKind;
use jedel_core::medevac::documents::{ContentType, MAX_CHUNK_BYTES, check_content};
use jedel_platform::db::Change;
use jedel_platform::{Caller, Db};
use sha2::{Digest as _, Sha256};
use tonic::Status;
use tonic::codegen::BoxStream;

use crate::access;
use crate::convert::document_to_proto;
use crate::error::MedevacError;
use crate::events::{self, Payload};
use crate::model::{Document, Request};
use crate::requests::{actor_of, rpc};
use crate::store;

/// A checked upload's metadata.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Client idempotency key.
    pub request_id: String,
    /// The request the document belongs to.
    pub medevac_request_id: String,
    /// What it is.
    pub kind: DocumentKind,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: ContentType,
}

/// Reads the content after the metadata: every message a chunk of at most 1 MiB, no more in
/// total than `declared`, and exactly `declared` in the end.
pub async fn receive(
    stream: &mut (impl futures::Stream<Item = Result<pb::UploadDocumentRequest, Status>> + Unpin),
    declared: u64,
) -> Result<Vec<u8>, Status> {
    let mut content = Vec::with_capacity(declared.min(MAX_CHUNK_BYTES as u64) as usize);
    while let Some(message) = stream.next().await {
        match message?.payload {
            Some(UploadPayload::Chunk(chunk)) => {
                if chunk.len() > MAX_CHUNK_BYTES {
                    return Err(ApiError::invalid("chunk", format!("is larger than {MAX_CHUNK_BYTES} bytes")).into());
                }
                if content.len() as u64 + chunk.len() as u64 > declared {
                    return Err(ApiError::invalid(
                        "metadata.size_bytes",
                        format!("is {declared}, but more bytes arrived; nothing was stored"),
                    )
                    .into());
                }
                content.extend_from_slice(&chunk);
            }
            Some(UploadPayload::Metadata(_)) => {
                return Err(ApiError::invalid("metadata", "comes only in the first message").into());
            }
            None => return Err(ApiError::invalid("payload", "is required: metadata or a chunk").into()),
        }
    }
    if content.len() as u64 != declared {
        return Err(ApiError::invalid(
            "metadata.size_bytes",
            format!("is {declared}, but {} bytes arrived; nothing was stored", content.len()),
        )
        .into());
    }
    Ok(content)
}

/// Refuses a document action on `request` unless the caller may use its documents.
pub fn check_access(caller: &Caller, request: &Request) -> Result<(), MedevacError> {
    access::check_request(caller, request)
}

/// Stores a received document, or returns the one an earlier upload with the same request id
/// stored; the flag says whether this upload stored it.
pub async fn store(
    db: &Db,
    caller: &Caller,
    upload: Upload,
    content: Vec<u8>,
    now: Micros,
) -> Result<(Document, bool), MedevacError> {
    check_content(upload.content_type, &content)
        .map_err(|e| ApiError::invalid("metadata.content_type", e.to_string()))?;
    let document = Document {
        id: uuid::Uuid::now_v7().to_string(),
        medevac_request_id: upload.medevac_request_id.clone(),
        kind: upload.kind,
        file_name: upload.file_name,
        content_type: upload.content_type.mime().to_string(),
        size_bytes: content.len() as i64,
        sha256_hex: hex::encode(Sha256::digest(&content)),
        uploaded_by: actor_of(caller),
        created_at: now,
    };
    let mut tx = db.begin().await?;
    if let Some(existing) = tx.claim_request_id(rpc::UPLOAD, &upload.request_id, &document.id).await? {
        let found = store::documents::by_id(tx.conn(), &existing)
            .await?
            .ok_or(MedevacError::NotFound { entity: "document", id: existing })?;
        return Ok((found, false));
    }
    let request = store::request(tx.conn(), &upload.medevac_request_id)
        .await?
        .ok_or_else(|| MedevacError::NotFound { entity: "request", id: upload.medevac_request_id.clone() })?;
    check_access(caller, &request)?;
    if request.status().is_terminal() {
        return Err(MedevacError::Precondition(format!(
            "request {} is {}; documents can be added only to an open request",
            request.number,
            request.status()
        )));
    }
    let tasking = match &request.current_tasking_id {
        Some(id) => store::tasking(tx.conn(), id).await?,
        None => None,
    };
    store::documents::insert(tx.conn(), &document, &content).await?;
    let mut payload = Payload::of(&request, tasking.as_ref());
    payload.about = serde_json::json!({
        "document_id": document.id,
        "kind": document.kind,
        "size_bytes": document.size_bytes,
        "sha256_hex": document.sha256_hex,
    });
    tx.commit(Change {
        actor: caller.clone(),
        rpc: rpc::UPLOAD,
        entity_type: "medevac_document",
        entity_id: document.id.clone(),
        events: vec![payload.event(events::DOCUMENT_ADDED)],
    })
    .await?;
    Ok((document, true))
}

/// Records that the caller downloads `document` (an event and an audit row, committed before
/// any byte is sent).
pub async fn record_download(
    db: &Db,
    caller: &Caller,
    request: &Request,
    document: &Document,
) -> Result<(), MedevacError> {
    let tx = db.begin().await?;
    let mut payload = Payload::of(request, None);
    payload.about = serde_json::json!({ "document_id": document.id, "sha256_hex": document.sha256_hex });
    tx.commit(Change {
        actor: caller.clone(),
        rpc: rpc::DOWNLOAD,
        entity_type: "medevac_document",
        entity_id: document.id.clone(),
        events: vec![payload.event(events::DOCUMENT_DOWNLOADED)],
    })
    .await?;
    Ok(())
}

/// The download stream: the metadata, then each stored chunk in order.
pub async fn download_stream(
    db: Db,
    document: Document,
) -> Result<BoxStream<pb::DownloadDocumentResponse>, MedevacError> {
    use pb::download_document_response::Payload as DownloadPayload;
    let chunks = store::documents::chunk_count(db.reader(), &document.id).await?;
    let first = pb::DownloadDocumentResponse { payload: Some(DownloadPayload::Metadata(document_to_proto(&document))) };
    let id = document.id.clone();
    let rest = futures::stream::unfold((db, id, 0_i64), move |(db, id, position)| async move {
        if position >= chunks {
            return None;
        }
        let item = match store::documents::chunk(db.reader(), &id, position).await {
            Ok(Some(bytes)) => Ok(pb::DownloadDocumentResponse { payload: Some(DownloadPayload::Chunk(bytes)) }),
            Ok(None) => Err(Status::from(MedevacError::Corrupt {
                entity: "document",
                id: id.clone(),
                reason: format!("chunk {position} is missing"),
            })),
            Err(e) => Err(Status::from(e)),
        };
        let next = if item.is_ok() { position + 1 } else { chunks };
        Some((item, (db, id, next)))
    });
    Ok(futures::stream::once(async move { Ok(first) }).chain(rest).boxed())
}
