//! The write side of intake: each operation reads the call inside one transaction, checks
//! the caller's region scope and the expected version, applies the domain rule from
//! `jedel_core` (the lifecycle, the protocol, the norm), writes the call and commits it with
//! its event and audit row. Nothing here reads the clock: `now` comes from the handler.

use jedel_core::call::{Actor, Progress, Recorded};
use jedel_core::call_number::{call_number, local_day};
use jedel_core::duplicates::{BoundingBox, DuplicateRule};
use jedel_core::local_time::Micros;
use jedel_core::norms::{ResponseStandard, Standards};
use jedel_core::triage::{Evaluation, GivenAnswer, Protocol, Protocols};
use jedel_core::{Category, RegionCode};
use jedel_platform::db::Change;
use jedel_platform::{Caller, Db, NewEvent};

use crate::details::{self, CallerInput, LocationInput, PatientInput};
use crate::error::IntakeError;
use crate::events;
use crate::model::{Call, Personal, Triage};
use crate::store;

/// What intake runs on besides storage: the protocol versions, the response standards and
/// the duplicate rule. All are data, loaded once at start.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Triage protocol versions.
    pub protocols: Protocols,
    /// Response standards, one active.
    pub standards: Standards,
    /// When a call is offered as a duplicate.
    pub duplicates: DuplicateRule,
}

impl Rules {
    /// The rules shipped with Jedel (the files under `data/`, checked by their tests).
    pub fn builtin() -> Rules {
        Rules {
            protocols: Protocols::builtin().expect("data/protocols holds a valid protocol (tested in jedel-core)"),
            standards: Standards::builtin().expect("data/standards holds valid standards (tested in jedel-core)"),
            duplicates: DuplicateRule::default(),
        }
    }

    /// The standard a call is measured against.
    pub fn standard_of(&self, call: &Call) -> &ResponseStandard {
        self.standards.get(&call.response_standard_id).unwrap_or_else(|| self.standards.active())
    }
}

/// The audit name of each RPC; also the idempotency scope of CreateCall.
pub mod rpc {
    /// CreateCall.
    pub const CREATE: &str = "CallIntake/CreateCall";
    /// UpdateCallDetails.
    pub const UPDATE_DETAILS: &str = "CallIntake/UpdateCallDetails";
    /// Categorise.
    pub const CATEGORISE: &str = "CallIntake/Categorise";
    /// OverrideCategory.
    pub const OVERRIDE: &str = "CallIntake/OverrideCategory";
    /// LinkCall.
    pub const LINK: &str = "CallIntake/LinkCall";
    /// CancelCall.
    pub const CANCEL: &str = "CallIntake/CancelCall";
    /// CloseCall.
    pub const CLOSE: &str = "CallIntake/CloseCall";
    /// RecordProgress.
    pub const PROGRESS: &str = "CallIntake/RecordProgress";
}

/// The actor on timelines: the token's subject and role.
pub fn actor_of(caller: &Caller) -> Actor {
    Actor { subject: caller.subject.clone(), role: caller.role.as_str().to_string() }
}

/// A checked CreateCall.
pub struct NewCall {
    /// Client idempotency key.
    pub request_id: String,
    /// Region taking the call.
    pub region: RegionCode,
    /// The region's UTC offset, for the call number's date.
    pub utc_offset_minutes: i32,
    /// When the call reached 103.
    pub received_at: Micros,
    /// Who called.
    pub caller: CallerInput,
    /// Where the patient is.
    pub location: LocationInput,
    /// Who the patient is.
    pub patient: PatientInput,
    /// The complaint.
    pub complaint: String,
    /// Triage answers so far.
    pub answers: Vec<GivenAnswer>,
}

/// Runs `protocol` over `answers` at `now`: the triage record (decided, with the rule's
/// category, or not yet) and, while undecided, the questions to ask next.
fn run_protocol(protocol: &Protocol, answers: Vec<GivenAnswer>, now: Micros) -> (Triage, Vec<String>) {
    let (category, determinant, hospital_profiles, next) = match protocol.evaluate(&answers) {
        Evaluation::Decided(rule) => {
            (Some(rule.category), rule.determinant.clone(), rule.hospital_profiles.clone(), Vec::new())
        }
        Evaluation::Undecided { next_questions } => {
            (None, String::new(), Vec::new(), next_questions.iter().map(|q| q.id.clone()).collect())
        }
    };
    let triage = Triage {
        protocol_version: protocol.version.clone(),
        answers,
        category,
        determinant,
        hospital_profiles,
        categorised_at: now,
    };
    (triage, next)
}

/// Creates a call, or returns the one an earlier request with the same id created; the flag
/// says whether this request created it.
pub async fn create(
    db: &Db,
    rules: &Rules,
    caller: &Caller,
    new: NewCall,
    now: Micros,
) -> Result<(Call, bool), IntakeError> {
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin().await?;
    if let Some(existing) = tx.claim_request_id(rpc::CREATE, &new.request_id, &id).await? {
        let call = store::by_id(tx.conn(), &existing).await?.ok_or(IntakeError::NotFound(existing))?;
        caller.require_region(&call.region_code)?;
        return Ok((call, false));
    }
    let day = local_day(new.received_at, new.utc_offset_minutes);
    let sequence = tx.next_daily_number("call", new.region.as_str(), &day.format("%Y-%m-%d").to_string()).await?;
    let standard = rules.standards.active();
    let mut call = Call {
        id,
        number: call_number(&new.region, day, sequence),
        region_code: new.region.to_string(),
        received_at: new.received_at,
        lifecycle: jedel_core::Lifecycle::received(new.received_at, now, actor_of(caller)),
        position: None,
        address: String::new(),
        patient_age_years: None,
        patient_sex: None,
        triage: None,
        category: None,
        category_override: None,
        response_standard_id: standard.id.clone(),
        deadline_at: None,
        team_kinds: Vec::new(),
        duplicate_of_id: None,
        repeat_of_id: None,
        linked_call_ids: Vec::new(),
        repeat_count: 0,
        duplicate_count: 0,
        outcome: None,
        cancel_reason: String::new(),
        created_at: now,
        updated_at: now,
        version: 1,
        personal: Personal { complaint: new.complaint, ..Personal::default() },
    };
    details::apply_caller(&mut call, new.caller);
    details::apply_location(&mut call, new.location);
    details::apply_patient(&mut call, new.patient);
    if !new.answers.is_empty() {
        let (triage, _) = run_protocol(rules.protocols.in_force(now), new.answers, now);
        if let Some(category) = triage.category {
            call.lifecycle.categorise(now, actor_of(caller))?;
            call.apply_category(category, standard);
        }
        call.triage = Some(triage);
    }
    store::insert(tx.conn(), &call).await?;
    tx.commit(Change {
        actor: caller.clone(),
        rpc: rpc::CREATE,
        entity_type: events::AGGREGATE,
        entity_id: call.id.clone(),
        events: vec![events::event(events::CREATED, &call, None)],
    })
    .await?;
    Ok((call, true))
}

/// Whether an edit changed the call (and so is written with an event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Write it, with the event of this kind.
    Changed(&'static str),
    /// Nothing changed (a repeated report); return the call as it is.
    Unchanged,
}

/// Loads call `id` in a transaction, checks scope and version, lets `edit` change it, and
/// commits the change with its event.
pub async fn change(
    db: &Db,
    caller: &Caller,
    rpc: &'static str,
    id: &str,
    expected_version: i64,
    now: Micros,
    edit: impl FnOnce(&mut Call) -> Result<Edit, IntakeError>,
) -> Result<Call, IntakeError> {
    let mut tx = db.begin().await?;
    let mut call = store::by_id(tx.conn(), id).await?.ok_or_else(|| IntakeError::NotFound(id.to_string()))?;
    caller.require_region(&call.region_code)?;
    if expected_version != 0 && expected_version != call.version {
        return Err(IntakeError::VersionMismatch {
            id: id.to_string(),
            expected: expected_version,
            current: call.version,
        });
    }
    let before = call.category;
    let Edit::Changed(kind) = edit(&mut call)? else { return Ok(call) };
    call.touch(now);
    store::update(tx.conn(), &call).await?;
    tx.commit(Change {
        actor: caller.clone(),
        rpc,
        entity_type: events::AGGREGATE,
        entity_id: call.id.clone(),
        events: vec![events::event(kind, &call, before)],
    })
    .await?;
    Ok(call)
}

/// The checked details an update replaces; `None` keeps the stored value.
pub struct DetailsUpdate {
    /// New caller.
    pub caller: Option<CallerInput>,
    /// New location.
    pub location: Option<LocationInput>,
    /// New patient.
    pub patient: Option<PatientInput>,
    /// New complaint.
    pub complaint: Option<String>,
}

/// Replaces the details of an open call.
pub fn update_details(call: &mut Call, update: DetailsUpdate) -> Result<Edit, IntakeError> {
    if call.status().is_terminal() {
        return Err(jedel_core::call::TransitionError::Terminal(call.status()).into());
    }
    if let Some(caller) = update.caller {
        details::apply_caller(call, caller);
    }
    if let Some(location) = update.location {
        details::apply_location(call, location);
    }
    if let Some(patient) = update.patient {
        details::apply_patient(call, patient);
    }
    if let Some(complaint) = update.complaint {
        call.personal.complaint = complaint;
    }
    Ok(Edit::Changed(events::DETAILS_UPDATED))
}

/// Runs `protocol` over `answers` on an open call and stores the result; the effective
/// category follows unless a call-taker's override stands.
pub fn categorise(
    call: &mut Call,
    rules: &Rules,
    protocol: &Protocol,
    answers: Vec<GivenAnswer>,
    actor: Actor,
    now: Micros,
) -> Result<Edit, IntakeError> {
    if call.status().is_terminal() {
        return Err(jedel_core::call::TransitionError::Terminal(call.status()).into());
    }
    let (triage, next) = run_protocol(protocol, answers, now);
    let Some(category) = triage.category else {
        let message = format!("decide no category yet; ask next: {}", next.join(", "));
        return Err(jedel_api::ApiError::invalid("triage_answers", message).into());
    };
    call.lifecycle.categorise(now, actor)?;
    call.triage = Some(triage);
    let effective = call.category_override.as_ref().map_or(category, |o| o.category);
    call.apply_category(effective, rules.standard_of(call));
    Ok(Edit::Changed(events::CATEGORISED))
}

/// Sets the category by the call-taker's judgement.
pub fn override_category(
    call: &mut Call,
    rules: &Rules,
    category: Category,
    reason: String,
    actor: Actor,
    now: Micros,
) -> Result<Edit, IntakeError> {
    call.lifecycle.categorise(now, actor.clone())?;
    call.category_override =
        Some(crate::model::Override { category, previous_category: call.category, reason, actor, overridden_at: now });
    call.apply_category(category, rules.standard_of(call));
    Ok(Edit::Changed(events::CATEGORY_OVERRIDDEN))
}

/// Records a dispatch milestone on a call (the RecordProgress rule): the lifecycle decides
/// whether it is allowed, a new entry refreshes the deadline (a clock may start at it), and the
/// same milestone, unit and time again changes nothing.
pub fn record_progress(call: &mut Call, rules: &Rules, progress: Progress, now: Micros) -> Result<Edit, IntakeError> {
    match call.lifecycle.record(progress, now)? {
        Recorded::AlreadyRecorded => Ok(Edit::Unchanged),
        Recorded::Added => {
            call.refresh_deadline(rules.standard_of(call));
            Ok(Edit::Changed(events::PROGRESS_RECORDED))
        }
    }
}

/// How a call is linked to its primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Another caller, same incident.
    Duplicate,
    /// Same caller again.
    Repeat,
}

/// Folds call `id` into open call `primary_id` as its duplicate or repeat: the call ends
/// LINKED, the primary counts it. Both change in one transaction.
pub async fn link(
    db: &Db,
    caller: &Caller,
    id: &str,
    expected_version: i64,
    kind: LinkKind,
    primary_id: &str,
    now: Micros,
) -> Result<Call, IntakeError> {
    let mut tx = db.begin().await?;
    let mut call = store::by_id(tx.conn(), id).await?.ok_or_else(|| IntakeError::NotFound(id.to_string()))?;
    caller.require_region(&call.region_code)?;
    let mut primary = store::by_id(tx.conn(), primary_id)
        .await?
        .ok_or_else(|| jedel_api::ApiError::invalid("primary_call_id", format!("call {primary_id} does not exist")))?;
    caller.require_region(&primary.region_code)?;
    if expected_version != 0 && expected_version != call.version {
        return Err(IntakeError::VersionMismatch {
            id: id.to_string(),
            expected: expected_version,
            current: call.version,
        });
    }
    if primary.status().is_terminal() {
        return Err(IntakeError::Precondition(format!(
            "call {primary_id} is {}; a call can only be linked to an open call",
            primary.status()
        )));
    }
    call.lifecycle.link(now, actor_of(caller))?;
    match kind {
        LinkKind::Duplicate => {
            call.duplicate_of_id = Some(primary.id.clone());
            primary.duplicate_count += 1;
        }
        LinkKind::Repeat => {
            call.repeat_of_id = Some(primary.id.clone());
            primary.repeat_count += 1;
        }
    }
    primary.linked_call_ids.push(call.id.clone());
    let (call_before, primary_before) = (call.category, primary.category);
    call.touch(now);
    primary.touch(now);
    store::update(tx.conn(), &call).await?;
    store::update(tx.conn(), &primary).await?;
    let events: Vec<NewEvent> = vec![
        events::event(events::LINKED, &call, call_before),
        events::event(events::LINK_ADDED, &primary, primary_before),
    ];
    tx.commit(Change {
        actor: caller.clone(),
        rpc: rpc::LINK,
        entity_type: events::AGGREGATE,
        entity_id: call.id.clone(),
        events,
    })
    .await?;
    Ok(call)
}

/// Open calls a new call may duplicate (near in space and time, nearest first, with the
/// distance) or repeat (same phone). Read after the call is committed.
pub async fn candidates(db: &Db, rules: &Rules, call: &Call) -> Result<(Vec<(Call, f64)>, Vec<Call>), IntakeError> {
    let reader = db.reader();
    let mut duplicates = Vec::new();
    if let Some(position) = call.position
        && let Ok(scene) = jedel_core::LatLon::parse(position.lat, position.lon)
    {
        let rule = rules.duplicates;
        let area = BoundingBox::around(scene, rule.radius_m);
        let near = store::open_calls_near(
            reader,
            &call.region_code,
            &call.id,
            call.received_at - rule.window,
            call.received_at + rule.window,
            &area,
        )
        .await?;
        let located = near.into_iter().filter_map(|c| {
            let at = c.position.and_then(|p| jedel_core::LatLon::parse(p.lat, p.lon).ok())?;
            let received = c.received_at;
            Some((c, at, received))
        });
        duplicates = rule.candidates(scene, call.received_at, located);
    }
    let repeats = if call.personal.caller_phone.is_empty() {
        Vec::new()
    } else {
        store::open_calls_from(reader, &call.region_code, &call.personal.caller_phone, &call.id).await?
    };
    Ok((duplicates, repeats))
}

/// Whether `call` counts for a filter of effective categories, before or after an event.
pub fn in_categories(filter: &[Category], before: Option<Category>, after: Option<Category>) -> bool {
    filter.is_empty() || [before, after].iter().flatten().any(|c| filter.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_load() {
        let rules = Rules::builtin();
        assert_eq!(rules.standards.active().code, "KZ-DSM-225-2020");
        assert_eq!(rules.duplicates.radius_m, 300.0);
    }

    #[test]
    fn category_filters_see_calls_leave() {
        assert!(in_categories(&[], None, None));
        assert!(!in_categories(&[Category::One], None, None));
        assert!(in_categories(&[Category::One], Some(Category::One), Some(Category::Two)));
        assert!(in_categories(&[Category::Two], Some(Category::One), Some(Category::Two)));
        assert!(!in_categories(&[Category::Three], Some(Category::One), Some(Category::Two)));
    }
}
