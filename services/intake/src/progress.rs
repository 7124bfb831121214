//! The call timeline as the Dispatcher advances it. When a dispatcher assigns or releases a
//! unit, or a crew reports en route, on scene, transporting, at hospital or handover, the
//! call's timeline must move in the same transaction as the dispatcher's own state, so the
//! two never disagree. [`record`] applies intake's RecordProgress rule (the same function the
//! RPC uses) to a call inside the caller's [`Tx`] and hands back the `call.progress_recorded`
//! event for the caller's `Change`; it never commits.

use std::sync::OnceLock;

use jedel_core::call::{Milestone, Progress};
use jedel_core::local_time::Micros;
use jedel_platform::{NewEvent, Tx};

use crate::calls::{self, Edit, Rules};
use crate::error::IntakeError;
use crate::events;
use crate::store;

/// The shipped rules, loaded once (the deadline of a call may depend on its timeline).
fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(Rules::builtin)
}

/// Records `progress` on call `call_id` at `now` inside `tx`, and returns the event to commit
/// with it, or `None` when nothing changed: the same milestone, unit and time were recorded
/// before, or a RECOMMENDED milestone when the call already has one (the timeline keeps when
/// a dispatcher was *first* shown a recommendation). Refusals are intake's: a terminal or
/// uncategorised call, a unit not assigned to it, a time in the future.
pub async fn record(
    tx: &mut Tx,
    call_id: &str,
    progress: Progress,
    now: Micros,
) -> Result<Option<NewEvent>, IntakeError> {
    let mut call = store::by_id(tx.conn(), call_id).await?.ok_or_else(|| IntakeError::NotFound(call_id.to_string()))?;
    if progress.milestone == Milestone::Recommended && call.lifecycle.first(Milestone::Recommended).is_some() {
        return Ok(None);
    }
    let before = call.category;
    let Edit::Changed(kind) = calls::record_progress(&mut call, rules(), progress, now)? else { return Ok(None) };
    call.touch(now);
    store::update(tx.conn(), &call).await?;
    Ok(Some(events::event(kind, &call, before)))
}
