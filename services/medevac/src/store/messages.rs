//! Message threads: one per request and airline, oldest first (send time, then id). Messages
//! are never deleted or edited; only their delivery and read receipts are set, once.

use jedel_core::call::Actor;
use jedel_core::local_time::Micros;
use jedel_core::medevac::Party;
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use super::After;
use crate::error::MedevacError;
use crate::model::Message;

/// `SELECT` of the columns a message is read from, followed by the given clause.
macro_rules! select_messages {
    ($rest:literal) => {
        concat!(
            "SELECT id, medevac_request_id, airline_code, sender_party, sender_subject, sender_role, body, sent_at, ",
            "delivered_at, read_at FROM medevac_messages ",
            $rest
        )
    };
}

fn message_from_row(row: &AnyRow) -> Result<Message, MedevacError> {
    let id: String = row.try_get("id")?;
    let party: String = row.try_get("sender_party")?;
    Ok(Message {
        sender_party: Party::parse(&party).ok_or_else(|| MedevacError::Corrupt {
            entity: "message",
            id: id.clone(),
            reason: format!("unknown party {party}"),
        })?,
        id,
        medevac_request_id: row.try_get("medevac_request_id")?,
        airline_code: row.try_get("airline_code")?,
        sender: Actor { subject: row.try_get("sender_subject")?, role: row.try_get("sender_role")? },
        body: row.try_get("body")?,
        sent_at: row.try_get("sent_at")?,
        delivered_at: row.try_get("delivered_at")?,
        read_at: row.try_get("read_at")?,
    })
}

/// The message with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Message>, MedevacError> {
    let row = sqlx::query(select_messages!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(message_from_row).transpose()
}

/// Writes a new message.
pub async fn insert(conn: &mut AnyConnection, message: &Message) -> Result<(), MedevacError> {
    sqlx::query(
        "INSERT INTO medevac_messages (id, medevac_request_id, airline_code, sender_party, sender_subject, \
         sender_role, body, sent_at, delivered_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&message.id)
    .bind(&message.medevac_request_id)
    .bind(&message.airline_code)
    .bind(message.sender_party.as_str())
    .bind(&message.sender.subject)
    .bind(&message.sender.role)
    .bind(&message.body)
    .bind(message.sent_at)
    .bind(message.delivered_at)
    .bind(message.read_at)
    .execute(conn)
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// Up to `limit` messages of the thread of `request_id` with `airline` after `after`, oldest
/// first.
pub async fn thread<'e>(
    db: impl Executor<'e, Database = Any>,
    request_id: &str,
    airline: &str,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Message>, MedevacError> {
    let (after_at, after_id) = after.map_or((Micros::MIN, String::new()), |a| (a.at, a.id.clone()));
    let rows = sqlx::query(select_messages!(
        "WHERE medevac_request_id = $1 AND airline_code = $2 AND (sent_at > $3 OR (sent_at = $3 AND id > $4)) \
         ORDER BY sent_at, id LIMIT $5"
    ))
    .bind(request_id)
    .bind(airline)
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(message_from_row).collect()
}

/// Sets `delivered_at` on the message, if it has none yet; true when it was set now.
pub async fn mark_delivered(conn: &mut AnyConnection, id: &str, at: Micros) -> Result<bool, MedevacError> {
    let updated = sqlx::query("UPDATE medevac_messages SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await
        .map_err(DbError::from)?
        .rows_affected();
    Ok(updated == 1)
}

/// Marks read every unread message of the thread sent by `sender` up to and including
/// `up_to` (by send time and id), setting `delivered_at` too where it is unset. Returns the
/// ids marked.
pub async fn mark_read(
    conn: &mut AnyConnection,
    request_id: &str,
    airline: &str,
    sender: Party,
    up_to: &Message,
    at: Micros,
) -> Result<Vec<String>, MedevacError> {
    let rows = sqlx::query(
        "SELECT id FROM medevac_messages WHERE medevac_request_id = $1 AND airline_code = $2 AND sender_party = $3 \
         AND read_at IS NULL AND (sent_at < $4 OR (sent_at = $4 AND id <= $5)) ORDER BY sent_at, id",
    )
    .bind(request_id)
    .bind(airline)
    .bind(sender.as_str())
    .bind(up_to.sent_at)
    .bind(&up_to.id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    for id in &ids {
        sqlx::query(
            "UPDATE medevac_messages SET read_at = $1, delivered_at = COALESCE(delivered_at, $1) WHERE id = $2",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(DbError::from)?;
    }
    Ok(ids)
}
