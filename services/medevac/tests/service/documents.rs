//! Documents: chunked upload with the SHA-256 recorded, download that returns the same bytes,
//! idempotent retries, the size limit and the content-type list, and an audited access for
//! every upload and download.

use futures::StreamExt as _;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::download_document_response::Payload as Down;
use jedel_api::medevac::v1::upload_document_request::Payload as Up;
use jedel_platform::Role;
use sha2::{Digest as _, Sha256};
use tonic::Code;

use crate::{App, airline, as_, caller, coordinator, create, nccem, on_each_backend, transfer, violated_fields};

on_each_backend!(
    a_document_round_trips_with_its_hash_and_every_access_is_audited,
    documents_over_the_limit_of_a_wrong_type_or_size_are_refused_whole,
);

fn metadata(request_id: &str, medevac_request_id: &str, content_type: &str, size: usize) -> pb::UploadDocumentRequest {
    pb::UploadDocumentRequest {
        payload: Some(Up::Metadata(pb::DocumentUpload {
            request_id: request_id.into(),
            medevac_request_id: medevac_request_id.into(),
            kind: pb::DocumentKind::MedicalRecordExtract.into(),
            file_name: "выписка.pdf".into(),
            content_type: content_type.into(),
            size_bytes: size as i64,
        })),
    }
}

/// The upload stream: metadata, then `content` in chunks of `chunk` bytes.
fn upload(first: pb::UploadDocumentRequest, content: &[u8], chunk: usize) -> Vec<pb::UploadDocumentRequest> {
    let mut messages = vec![first];
    messages.extend(content.chunks(chunk).map(|c| pb::UploadDocumentRequest { payload: Some(Up::Chunk(c.to_vec())) }));
    messages
}

/// A PDF-looking document of `size` bytes.
fn pdf(size: usize) -> Vec<u8> {
    let mut content = b"%PDF-1.7\n".to_vec();
    content.extend((0..size - content.len()).map(|i| (i % 251) as u8));
    content
}

async fn a_document_round_trips_with_its_hash_and_every_access_is_audited(app: App) {
    let mut client = app.client();
    let request = create(&app, "req-docs", transfer(&app)).await;
    // 2.5 MiB in 1 MiB chunks: stored as three chunk rows.
    let content = pdf(5 << 19);
    let messages = upload(metadata("doc-1", &request.id, "application/pdf", content.len()), &content, 1 << 20);
    let document = client
        .upload_document(as_(&coordinator(), futures::stream::iter(messages.clone())))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(document.sha256_hex, hex::encode(Sha256::digest(&content)));
    assert_eq!((document.size_bytes, document.content_type.as_str()), (content.len() as i64, "application/pdf"));
    assert_eq!(document.file_name, "выписка.pdf");
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_document_chunks").await, 3);
    // A retry returns the first document, not a twin.
    let again =
        client.upload_document(as_(&coordinator(), futures::stream::iter(messages))).await.unwrap().into_inner();
    assert_eq!(again, document);
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_documents").await, 1);

    // The national centre downloads it once submitted; the bytes hash to what was recorded.
    client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: request.id.clone() })).await.unwrap();
    let audit_before = app.count("SELECT COUNT(*) FROM audit").await;
    let mut stream = client
        .download_document(as_(&nccem(), pb::DownloadDocumentRequest { id: document.id.clone() }))
        .await
        .unwrap()
        .into_inner();
    let Some(Down::Metadata(first)) = stream.next().await.unwrap().unwrap().payload else { panic!("metadata first") };
    assert_eq!(first, document);
    let mut received = Vec::new();
    while let Some(message) = stream.next().await {
        let Some(Down::Chunk(bytes)) = message.unwrap().payload else { panic!("chunks after the metadata") };
        assert!(bytes.len() <= 1 << 20);
        received.extend(bytes);
    }
    assert_eq!(hex::encode(Sha256::digest(&received)), document.sha256_hex);
    assert_eq!(received, content);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit").await, audit_before + 1, "the download is audited");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/DownloadDocument'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/UploadDocument'").await, 1);

    // Listed oldest first, by kind.
    let listed = client
        .list_documents(as_(
            &nccem(),
            pb::ListDocumentsRequest { medevac_request_id: request.id.clone(), ..Default::default() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.documents, std::slice::from_ref(&document));
    let consents = client
        .list_documents(as_(
            &nccem(),
            pb::ListDocumentsRequest {
                medevac_request_id: request.id.clone(),
                kind: pb::DocumentKind::Consent.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(consents.documents.is_empty());

    // Out of scope: another region's coordinator, an airline, the situation centre.
    for outsider in
        [caller(Role::Coordinator, &["KZ-75"], None), airline("KAZAVIASPAS"), caller(Role::Situation, &[], None)]
    {
        let refused = client
            .download_document(as_(&outsider, pb::DownloadDocumentRequest { id: document.id.clone() }))
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::PermissionDenied, "{outsider:?}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/DownloadDocument'").await, 1);
    assert_eq!(jedel_platform::audit::verify(app.ctx.db.reader()).await.unwrap().first_broken, None);
}

async fn documents_over_the_limit_of_a_wrong_type_or_size_are_refused_whole(app: App) {
    let mut client = app.client();
    let request = create(&app, "req-limits", transfer(&app)).await;
    let send = |messages: Vec<pb::UploadDocumentRequest>| {
        let mut client = app.client();
        async move { client.upload_document(as_(&coordinator(), futures::stream::iter(messages))).await.unwrap_err() }
    };
    // Declared over 20 MiB: refused before any byte is read.
    let too_big = send(vec![metadata("big", &request.id, "application/pdf", (20 << 20) + 1)]).await;
    assert_eq!(violated_fields(&too_big), ["metadata.size_bytes"]);
    assert!(too_big.message().contains("over the limit of 20971520 bytes"), "{}", too_big.message());
    // A type not on the list.
    let zip = send(upload(metadata("zip", &request.id, "application/zip", 4), b"PK\x03\x04", 4)).await;
    assert_eq!(violated_fields(&zip), ["metadata.content_type"]);
    // Bytes that are not what the type says.
    let fake = send(upload(metadata("fake", &request.id, "application/pdf", 6), b"GIF89a", 6)).await;
    assert_eq!(violated_fields(&fake), ["metadata.content_type"]);
    assert!(fake.message().contains("the content is not a PDF document"));
    // More or fewer bytes than declared.
    let content = pdf(1_000);
    let more = send(upload(metadata("more", &request.id, "application/pdf", 999), &content, 100)).await;
    assert_eq!(violated_fields(&more), ["metadata.size_bytes"]);
    let fewer = send(upload(metadata("fewer", &request.id, "application/pdf", 1_001), &content, 100)).await;
    assert_eq!(violated_fields(&fewer), ["metadata.size_bytes"]);
    // Chunks over 1 MiB, chunks before the metadata, bad metadata fields all at once.
    let big_chunk = pdf((1 << 20) + 1);
    let chunky =
        send(upload(metadata("chunky", &request.id, "application/pdf", big_chunk.len()), &big_chunk, big_chunk.len()))
            .await;
    assert_eq!(violated_fields(&chunky), ["chunk"]);
    let headless = send(vec![pb::UploadDocumentRequest { payload: Some(Up::Chunk(b"%PDF-".to_vec())) }]).await;
    assert_eq!(violated_fields(&headless), ["metadata"]);
    let mut bad = metadata("", "nope", "", 0);
    if let Some(Up::Metadata(m)) = bad.payload.as_mut() {
        m.kind = 0;
        m.file_name = "../../etc/passwd".into();
    }
    let all = send(vec![bad]).await;
    assert_eq!(
        violated_fields(&all),
        [
            "metadata.request_id",
            "metadata.medevac_request_id",
            "metadata.kind",
            "metadata.file_name",
            "metadata.content_type",
            "metadata.size_bytes"
        ]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_documents").await, 0, "nothing stored");
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_document_chunks").await, 0);

    // Plain text, PNG and DICOM are allowed too; a closed request takes no more documents.
    let text = "ЭКГ: подъём ST в V1-V4".as_bytes();
    let stored = client
        .upload_document(as_(
            &coordinator(),
            futures::stream::iter(upload(
                metadata("txt", &request.id, "text/plain; charset=utf-8", text.len()),
                text,
                7,
            )),
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored.content_type, "text/plain");
    client
        .cancel_request(as_(
            &coordinator(),
            pb::CancelRequestRequest { id: request.id.clone(), reason: "improved".into() },
        ))
        .await
        .unwrap();
    let closed = send(upload(metadata("late", &request.id, "text/plain", text.len()), text, 64)).await;
    assert_eq!(closed.code(), Code::FailedPrecondition);
}
