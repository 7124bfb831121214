//! Documents: metadata in `medevac_documents`, content in `medevac_document_chunks`, at most
//! 1 MiB per row (BYTEA on PostgreSQL, BLOB on SQLite; sqlx `Any` binds and decodes
//! `Vec<u8>` on both), read back one chunk at a time so a download never holds a whole file.

use jedel_core::call::Actor;
use jedel_core::local_time::Micros;
use jedel_core::medevac::DocumentKind;
use jedel_core::medevac::documents::MAX_CHUNK_BYTES;
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use super::After;
use crate::error::MedevacError;
use crate::model::Document;

/// `SELECT` of the columns a document is read from, followed by the given clause.
macro_rules! select_documents {
    ($rest:literal) => {
        concat!(
            "SELECT id, medevac_request_id, kind, file_name, content_type, size_bytes, sha256_hex, ",
            "uploaded_by_subject, uploaded_by_role, created_at FROM medevac_documents ",
            $rest
        )
    };
}

fn document_from_row(row: &AnyRow) -> Result<Document, MedevacError> {
    let id: String = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    Ok(Document {
        kind: DocumentKind::parse(&kind).ok_or_else(|| MedevacError::Corrupt {
            entity: "document",
            id: id.clone(),
            reason: format!("unknown kind {kind}"),
        })?,
        id,
        medevac_request_id: row.try_get("medevac_request_id")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256_hex: row.try_get("sha256_hex")?,
        uploaded_by: Actor { subject: row.try_get("uploaded_by_subject")?, role: row.try_get("uploaded_by_role")? },
        created_at: row.try_get("created_at")?,
    })
}

/// The document with this id (metadata).
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Document>, MedevacError> {
    let row = sqlx::query(select_documents!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(document_from_row).transpose()
}

/// Writes a document and its content in chunks of at most 1 MiB.
pub async fn insert(conn: &mut AnyConnection, document: &Document, content: &[u8]) -> Result<(), MedevacError> {
    sqlx::query(
        "INSERT INTO medevac_documents (id, medevac_request_id, kind, file_name, content_type, size_bytes, \
         sha256_hex, uploaded_by_subject, uploaded_by_role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&document.id)
    .bind(&document.medevac_request_id)
    .bind(document.kind.as_str())
    .bind(&document.file_name)
    .bind(&document.content_type)
    .bind(document.size_bytes)
    .bind(&document.sha256_hex)
    .bind(&document.uploaded_by.subject)
    .bind(&document.uploaded_by.role)
    .bind(document.created_at)
    .execute(&mut *conn)
    .await
    .map_err(DbError::from)?;
    for (position, chunk) in content.chunks(MAX_CHUNK_BYTES).enumerate() {
        sqlx::query("INSERT INTO medevac_document_chunks (document_id, position, content) VALUES ($1, $2, $3)")
            .bind(&document.id)
            .bind(position as i64)
            .bind(chunk.to_vec())
            .execute(&mut *conn)
            .await
            .map_err(DbError::from)?;
    }
    Ok(())
}

/// How many chunks a document's content has.
pub async fn chunk_count<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<i64, MedevacError> {
    let row = sqlx::query("SELECT COUNT(*) FROM medevac_document_chunks WHERE document_id = $1")
        .bind(id)
        .fetch_one(db)
        .await?;
    Ok(row.try_get(0)?)
}

/// Chunk `position` (from 0) of a document's content.
pub async fn chunk<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
    position: i64,
) -> Result<Option<Vec<u8>>, MedevacError> {
    let row = sqlx::query("SELECT content FROM medevac_document_chunks WHERE document_id = $1 AND position = $2")
        .bind(id)
        .bind(position)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.try_get::<Vec<u8>, _>(0)).transpose()?)
}

/// Up to `limit` documents of a request after `after`, oldest first; `kind` filters.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    request_id: &str,
    kind: Option<DocumentKind>,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Document>, MedevacError> {
    let (after_at, after_id) = after.map_or((Micros::MIN, String::new()), |a| (a.at, a.id.clone()));
    let rows = sqlx::query(select_documents!(
        "WHERE medevac_request_id = $1 AND ($2 = '' OR kind = $2) \
         AND (created_at > $3 OR (created_at = $3 AND id > $4)) ORDER BY created_at, id LIMIT $5"
    ))
    .bind(request_id)
    .bind(kind.map_or("", |k| k.as_str()))
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(document_from_row).collect()
}
