//! Documents: upload over a client stream, list, download over a server stream. Every upload
//! and every download is a committed change with its event and audit row.

use futures::StreamExt as _;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::upload_document_request::Payload as UploadPayload;
use jedel_api::{ApiError, Violations};
use jedel_core::medevac::DocumentKind;
use jedel_core::medevac::documents::file_name;
use jedel_platform::Caller;
use jedel_platform::time::now_micros;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::info;

use super::MedevacService;
use crate::access::DOCUMENT_USERS;
use crate::convert::document_to_proto;
use crate::details::{self, finish};
use crate::documents::{self, Upload};
use crate::error::MedevacError;
use crate::paging::{self, List};
use crate::store::{self, After};

impl MedevacService {
    pub(super) async fn upload(
        &self,
        request: Request<Streaming<pb::UploadDocumentRequest>>,
    ) -> Result<Response<pb::Document>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DOCUMENT_USERS)?;
        let mut stream = request.into_inner();
        let metadata = match stream.next().await {
            Some(Ok(pb::UploadDocumentRequest { payload: Some(UploadPayload::Metadata(m)) })) => m,
            Some(Err(status)) => return Err(status),
            _ => return Err(ApiError::invalid("metadata", "must come first, before any chunk").into()),
        };
        let rules = &self.settings.documents;
        let mut v = Violations::new();
        let request_id = v.check("metadata.request_id", details::request_id(&metadata.request_id));
        let medevac_request_id =
            v.check("metadata.medevac_request_id", details::record_id(&metadata.medevac_request_id));
        let kind = DocumentKind::from_number(metadata.kind);
        if kind.is_none() {
            v.add("metadata.kind", "is required: one of the DOCUMENT_KIND_ values");
        }
        let name = v.check("metadata.file_name", file_name(&metadata.file_name));
        let content_type = v.check("metadata.content_type", rules.content_type(&metadata.content_type));
        let size = v.check("metadata.size_bytes", rules.declared_size(metadata.size_bytes));
        let ((request_id, medevac_request_id), ((kind, name), (content_type, size))) =
            finish(v, request_id.zip(medevac_request_id).zip(kind.zip(name).zip(content_type.zip(size))))?;
        // Refuse early, before the bytes arrive; the write transaction checks again.
        let target = self.visible_request(&caller, &medevac_request_id).await?;
        if target.status().is_terminal() {
            return Err(MedevacError::Precondition(format!(
                "request {} is {}; documents can be added only to an open request",
                target.number,
                target.status()
            ))
            .into());
        }
        let content = documents::receive(&mut stream, size).await?;
        let upload = Upload { request_id, medevac_request_id, kind, file_name: name, content_type };
        let (document, fresh) = documents::store(&self.context.db, &caller, upload, content, now_micros()).await?;
        if fresh {
            self.metrics.document(document.size_bytes as u64);
        }
        info!(
            document_id = %document.id,
            request_id = %document.medevac_request_id,
            kind = %document.kind,
            size_bytes = document.size_bytes,
            retried = !fresh,
            "document uploaded"
        );
        Ok(Response::new(document_to_proto(&document)))
    }

    pub(super) async fn documents(
        &self,
        request: Request<pb::ListDocumentsRequest>,
    ) -> Result<Response<pb::ListDocumentsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DOCUMENT_USERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let id = v.check("medevac_request_id", details::record_id(&r.medevac_request_id));
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode(List::Documents, &r.page_token));
        let kind = match r.kind {
            0 => Some(None),
            n => match DocumentKind::from_number(n) {
                Some(kind) => Some(Some(kind)),
                None => {
                    v.add("kind", format!("{n} is not a document kind"));
                    None
                }
            },
        };
        let ((id, size), (after, kind)) = finish(v, id.zip(size).zip(after.zip(kind)))?;
        self.visible_request(&caller, &id).await?;
        let mut rows =
            store::documents::list(self.context.db.reader(), &id, kind, after.as_ref(), i64::from(size) + 1).await?;
        let next_page_token =
            paging::page(List::Documents, &mut rows, size, |d| After { at: d.created_at, id: d.id.clone() });
        Ok(Response::new(pb::ListDocumentsResponse {
            documents: rows.iter().map(document_to_proto).collect(),
            next_page_token,
        }))
    }

    pub(super) async fn download(
        &self,
        request: Request<pb::DownloadDocumentRequest>,
    ) -> Result<Response<BoxStream<pb::DownloadDocumentResponse>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DOCUMENT_USERS)?;
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let document = store::documents::by_id(self.context.db.reader(), &id)
            .await?
            .ok_or_else(|| MedevacError::NotFound { entity: "document", id: id.clone() })?;
        let owner = self.visible_request(&caller, &document.medevac_request_id).await?;
        documents::record_download(&self.context.db, &caller, &owner, &document).await?;
        info!(document_id = %document.id, request_id = %owner.id, "document downloaded");
        Ok(Response::new(documents::download_stream(self.context.db.clone(), document).await?))
    }
}
