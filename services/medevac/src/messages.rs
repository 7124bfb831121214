//! The message thread between the national centre and one airline about one request. A
//! thread exists once the airline has been offered a tasking for the request; both sides
//! post to it, listing it delivers the other side's messages (sets `delivered_at` once) and
//! marking read sets `read_at` once. Every post and every receipt is a change with an event
//! and an audit row; messages are never edited or deleted.

use jedel_api::ApiError;
use jedel_core::local_time::Micros;
use jedel_core::medevac::{Party, RequestStatus};
use jedel_platform::db::Change;
use jedel_platform::{Caller, Db, Role, Tx};

use crate::access::party_of;
use crate::error::MedevacError;
use crate::events::{self, Payload};
use crate::model::{Message, Request};
use crate::requests::{actor_of, rpc};
use crate::store::{self, After};

/// Loads the request of a thread and checks the caller may use the thread with `airline`.
async fn thread_request(
    tx: &mut Tx,
    caller: &Caller,
    request_id: &str,
    airline: &str,
) -> Result<Request, MedevacError> {
    let not_found = || MedevacError::NotFound { entity: "request", id: request_id.to_string() };
    let request = store::request(tx.conn(), request_id).await?.ok_or_else(not_found)?;
    let offered = store::airline_was_offered(tx.conn(), request_id, airline).await?;
    if caller.role == Role::Airline {
        caller.require_airline(airline)?;
        if !offered {
            return Err(ApiError::PermissionDenied(format!(
                "airline {airline} holds no tasking for request {}",
                request.number
            ))
            .into());
        }
    } else {
        if request.status() == RequestStatus::Draft {
            return Err(not_found());
        }
        if !offered {
            return Err(MedevacError::Precondition(format!(
                "airline {airline} has not been offered a tasking for request {}; there is no thread",
                request.number
            )));
        }
    }
    Ok(request)
}

async fn commit(
    mut tx: Tx,
    caller: &Caller,
    rpc: &'static str,
    request: &Request,
    about: serde_json::Value,
) -> Result<(), MedevacError> {
    let tasking = match &request.current_tasking_id {
        Some(id) => store::tasking(tx.conn(), id).await?,
        None => None,
    };
    let mut payload = Payload::of(request, tasking.as_ref());
    payload.about = about;
    tx.commit(Change {
        actor: caller.clone(),
        rpc,
        entity_type: events::AGGREGATE,
        entity_id: request.id.clone(),
        events: vec![payload.event(events::MESSAGES_CHANGED)],
    })
    .await?;
    Ok(())
}

/// Posts `body` to the thread; a retry with the same `request_id` returns the first message.
pub async fn post(
    db: &Db,
    caller: &Caller,
    request_id: &str,
    medevac_request_id: &str,
    airline: &str,
    body: String,
    now: Micros,
) -> Result<(Message, bool), MedevacError> {
    let message = Message {
        id: uuid::Uuid::now_v7().to_string(),
        medevac_request_id: medevac_request_id.to_string(),
        airline_code: airline.to_string(),
        sender_party: party_of(caller),
        sender: actor_of(caller),
        body,
        sent_at: now,
        delivered_at: None,
        read_at: None,
    };
    let mut tx = db.begin().await?;
    if let Some(existing) = tx.claim_request_id(rpc::POST_MESSAGE, request_id, &message.id).await? {
        let found = store::messages::by_id(tx.conn(), &existing)
            .await?
            .ok_or(MedevacError::NotFound { entity: "message", id: existing })?;
        return Ok((found, false));
    }
    let request = thread_request(&mut tx, caller, medevac_request_id, airline).await?;
    store::messages::insert(tx.conn(), &message).await?;
    let about = serde_json::json!({ "airline_code": airline, "posted": [message.id] });
    commit(tx, caller, rpc::POST_MESSAGE, &request, about).await?;
    Ok((message, true))
}

/// A page of the thread, oldest first; the other side's messages on it that were not yet
/// delivered are delivered now.
pub async fn list(
    db: &Db,
    caller: &Caller,
    medevac_request_id: &str,
    airline: &str,
    after: Option<&After>,
    limit: i64,
    now: Micros,
) -> Result<Vec<Message>, MedevacError> {
    let mut tx = db.begin().await?;
    let request = thread_request(&mut tx, caller, medevac_request_id, airline).await?;
    let mut messages = store::messages::thread(tx.conn(), medevac_request_id, airline, after, limit).await?;
    let own = party_of(caller);
    let mut delivered = Vec::new();
    for message in messages.iter_mut().filter(|m| m.sender_party != own && m.delivered_at.is_none()) {
        if store::messages::mark_delivered(tx.conn(), &message.id, now).await? {
            message.delivered_at = Some(now);
            delivered.push(message.id.clone());
        }
    }
    if !delivered.is_empty() {
        let about = serde_json::json!({ "airline_code": airline, "delivered": delivered });
        commit(tx, caller, rpc::LIST_MESSAGES, &request, about).await?;
    }
    Ok(messages)
}

/// Marks read the other side's messages up to `up_to_id`; returns how many were newly read.
pub async fn mark_read(
    db: &Db,
    caller: &Caller,
    medevac_request_id: &str,
    airline: &str,
    up_to_id: &str,
    now: Micros,
) -> Result<usize, MedevacError> {
    let mut tx = db.begin().await?;
    let request = thread_request(&mut tx, caller, medevac_request_id, airline).await?;
    let up_to = store::messages::by_id(tx.conn(), up_to_id)
        .await?
        .filter(|m| m.medevac_request_id == medevac_request_id && m.airline_code == airline)
        .ok_or_else(|| ApiError::invalid("up_to_message_id", format!("message {up_to_id} is not in this thread")))?;
    let other = match party_of(caller) {
        Party::Airline => Party::NationalCentre,
        Party::NationalCentre => Party::Airline,
    };
    let read = store::messages::mark_read(tx.conn(), medevac_request_id, airline, other, &up_to, now).await?;
    if !read.is_empty() {
        let about = serde_json::json!({ "airline_code": airline, "read": read });
        commit(tx, caller, rpc::MARK_READ, &request, about).await?;
    }
    Ok(read.len())
}
