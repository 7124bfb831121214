//! The write side of requests: create (idempotent by request id, numbered per region and
//! day) and [`change`], which every other step goes through: it loads the request and its
//! current tasking inside one transaction, checks the caller against them, lets the step edit
//! them, writes what changed (version-guarded) and commits it with its event and audit row.
//! Nothing here reads the clock: `now` comes from the handler.

use jedel_core::RegionCode;
use jedel_core::call::Actor;
use jedel_core::call_number::local_day;
use jedel_core::local_time::Micros;
use jedel_core::medevac::{Workflow, request_number};
use jedel_platform::db::Change;
use jedel_platform::{Caller, Db};

use crate::details::DetailsInput;
use crate::error::MedevacError;
use crate::events::{self, Payload};
use crate::model::{Request, Tasking};
use crate::store;

/// The audit name of each RPC; also the idempotency scope of the creating ones.
pub mod rpc {
    /// CreateRequest.
    pub const CREATE: &str = "Medevac/CreateRequest";
    /// UpdateRequest.
    pub const UPDATE: &str = "Medevac/UpdateRequest";
    /// SubmitRequest.
    pub const SUBMIT: &str = "Medevac/SubmitRequest";
    /// StartReview.
    pub const START_REVIEW: &str = "Medevac/StartReview";
    /// ApproveRequest.
    pub const APPROVE: &str = "Medevac/ApproveRequest";
    /// ReturnRequest.
    pub const RETURN: &str = "Medevac/ReturnRequest";
    /// RejectRequest.
    pub const REJECT: &str = "Medevac/RejectRequest";
    /// ChooseAircraft.
    pub const CHOOSE: &str = "Medevac/ChooseAircraft";
    /// TaskAirline.
    pub const TASK: &str = "Medevac/TaskAirline";
    /// AcceptTasking.
    pub const ACCEPT: &str = "Medevac/AcceptTasking";
    /// DeclineTasking.
    pub const DECLINE: &str = "Medevac/DeclineTasking";
    /// AssignCrew.
    pub const CREW: &str = "Medevac/AssignCrew";
    /// ReportMilestone.
    pub const MILESTONE: &str = "Medevac/ReportMilestone";
    /// CompleteRequest.
    pub const COMPLETE: &str = "Medevac/CompleteRequest";
    /// CancelRequest.
    pub const CANCEL: &str = "Medevac/CancelRequest";
    /// UploadDocument.
    pub const UPLOAD: &str = "Medevac/UploadDocument";
    /// DownloadDocument.
    pub const DOWNLOAD: &str = "Medevac/DownloadDocument";
    /// PostMessage.
    pub const POST_MESSAGE: &str = "Medevac/PostMessage";
    /// ListMessages (delivery receipts).
    pub const LIST_MESSAGES: &str = "Medevac/ListMessages";
    /// MarkMessagesRead.
    pub const MARK_READ: &str = "Medevac/MarkMessagesRead";
    /// StreamFlightPositions.
    pub const POSITIONS: &str = "Medevac/StreamFlightPositions";
    /// The flight-following timer raising and clearing alerts.
    pub const FOLLOW: &str = "Medevac/FlightFollowing";
}

/// The actor on histories: the token's subject and role.
pub fn actor_of(caller: &Caller) -> Actor {
    Actor { subject: caller.subject.clone(), role: caller.role.as_str().to_string() }
}

/// A checked CreateRequest.
pub struct NewRequest {
    /// Client idempotency key.
    pub request_id: String,
    /// Requesting region.
    pub region: RegionCode,
    /// The region's UTC offset, for the number's date.
    pub utc_offset_minutes: i32,
    /// The details.
    pub input: DetailsInput,
}

/// Creates a request in DRAFT, or returns the one an earlier request with the same id
/// created; the flag says whether this request created it.
pub async fn create(db: &Db, caller: &Caller, new: NewRequest, now: Micros) -> Result<(Request, bool), MedevacError> {
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin().await?;
    if let Some(existing) = tx.claim_request_id(rpc::CREATE, &new.request_id, &id).await? {
        let request = store::request(tx.conn(), &existing)
            .await?
            .ok_or(MedevacError::NotFound { entity: "request", id: existing })?;
        caller.require_region(&request.region_code)?;
        return Ok((request, false));
    }
    let day = local_day(now, new.utc_offset_minutes);
    let sequence =
        tx.next_daily_number("medevac_request", new.region.as_str(), &day.format("%Y-%m-%d").to_string()).await?;
    let request = Request {
        id,
        number: request_number(&new.region, day, sequence),
        region_code: new.region.to_string(),
        details: new.input.details,
        workflow: Workflow::created(now, actor_of(caller)),
        current_tasking_id: None,
        created_by: actor_of(caller),
        created_at: now,
        updated_at: now,
        version: 1,
        personal: new.input.personal,
    };
    store::insert_request(tx.conn(), &request).await?;
    tx.commit(Change {
        actor: caller.clone(),
        rpc: rpc::CREATE,
        entity_type: events::AGGREGATE,
        entity_id: request.id.clone(),
        events: vec![Payload::of(&request, None).event(events::CREATED)],
    })
    .await?;
    Ok((request, true))
}

/// A request and its current tasking, as a step sees and edits them.
#[derive(Debug, Clone)]
pub struct State {
    /// The request.
    pub request: Request,
    /// Its current tasking; a step choosing an aircraft puts a new one here.
    pub tasking: Option<Tasking>,
    /// The tasking a new choice replaced, if any.
    pub replaced: Option<Tasking>,
}

/// Loads request `id` and its current tasking in a transaction, lets `access` check the
/// caller against them, checks `expected_version` (0 skips it), lets `edit` change them and
/// name the event kind, and commits what changed with that event.
#[allow(clippy::too_many_arguments)]
pub async fn change(
    db: &Db,
    caller: &Caller,
    rpc: &'static str,
    id: &str,
    expected_version: i64,
    now: Micros,
    access: impl FnOnce(&Caller, &State) -> Result<(), MedevacError>,
    edit: impl FnOnce(&mut State) -> Result<&'static str, MedevacError>,
) -> Result<State, MedevacError> {
    let mut tx = db.begin().await?;
    let request = store::request(tx.conn(), id)
        .await?
        .ok_or_else(|| MedevacError::NotFound { entity: "request", id: id.into() })?;
    let tasking = match &request.current_tasking_id {
        Some(tasking_id) => {
            Some(store::tasking(tx.conn(), tasking_id).await?.ok_or_else(|| MedevacError::Corrupt {
                entity: "request",
                id: id.to_string(),
                reason: format!("current tasking {tasking_id} is missing"),
            })?)
        }
        None => None,
    };
    let mut state = State { request, tasking, replaced: None };
    access(caller, &state)?;
    if expected_version != 0 && expected_version != state.request.version {
        return Err(MedevacError::VersionMismatch {
            id: id.to_string(),
            expected: expected_version,
            current: state.request.version,
        });
    }
    let original = state.tasking.clone();
    let kind = edit(&mut state)?;
    state.request.touch(now);
    let mut others = Vec::new();
    if let Some(replaced) = state.replaced.as_mut()
        && Some(&*replaced) != original.as_ref()
    {
        replaced.touch(now);
        store::update_tasking(tx.conn(), replaced).await?;
        others.push(replaced.clone());
    }
    match (state.tasking.as_mut(), &original) {
        (Some(tasking), Some(before)) if tasking.id == before.id => {
            if tasking != before {
                tasking.touch(now);
                store::update_tasking(tx.conn(), tasking).await?;
            }
        }
        (Some(new), _) => store::insert_tasking(tx.conn(), new).await?,
        (None, _) => {}
    }
    store::update_request(tx.conn(), &state.request).await?;
    let mut payload = Payload::of(&state.request, state.tasking.as_ref());
    payload.other_taskings = others;
    tx.commit(Change {
        actor: caller.clone(),
        rpc,
        entity_type: events::AGGREGATE,
        entity_id: state.request.id.clone(),
        events: vec![payload.event(kind)],
    })
    .await?;
    Ok(state)
}

/// The request a tasking belongs to, for the RPCs that name a tasking.
pub async fn request_of_tasking(db: &Db, caller: &Caller, tasking_id: &str) -> Result<String, MedevacError> {
    let tasking = store::tasking(db.reader(), tasking_id)
        .await?
        .ok_or_else(|| MedevacError::NotFound { entity: "tasking", id: tasking_id.to_string() })?;
    crate::access::check_tasking(caller, &tasking)?;
    Ok(tasking.medevac_request_id)
}

/// Refuses the step unless the request's current tasking is `tasking_id` (a tasking replaced
/// by another choice can no longer be answered or flown).
pub fn current_tasking<'a>(state: &'a State, tasking_id: &str) -> Result<&'a Tasking, MedevacError> {
    match &state.tasking {
        Some(t) if t.id == tasking_id => Ok(t),
        _ => {
            Err(MedevacError::Precondition(format!("tasking {tasking_id} is no longer the request's current tasking")))
        }
    }
}
