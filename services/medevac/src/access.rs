//! Who may do what to medevac requests, and within what scope.
//!
//! | what | coordinator | medevac_dispatcher | situation, admin | airline |
//! |---|---|---|---|---|
//! | create, edit, submit | their regions | — | — | — |
//! | read requests, watch | their regions (drafts too) | all but drafts | all but drafts, read only | — (taskings only) |
//! | review, approve, return, reject, choose, task, complete | — | all | — | — |
//! | cancel | their regions | all | — | — |
//! | accept, decline | — | — | — | its offered taskings |
//! | crew, milestones, positions | — | all | — | its accepted taskings |
//! | documents: upload, list, download | their regions | all | — | — |
//! | taskings: list | their regions | all | all | its offered taskings |
//! | messages | — | all threads | — | its threads |
//! | flight track, alerts | their regions | all | all | its flights |
//!
//! A draft is the coordinator's until submitted: to anyone else it does not exist. An
//! airline operator never sees a request, only its airline's taskings once offered, and a
//! tasking of another airline is refused.

use jedel_api::ApiError;
use jedel_core::RegionCode;
use jedel_core::medevac::{Party, RequestStatus};
use jedel_platform::{Caller, Role};

use crate::error::MedevacError;
use crate::model::{Request, Tasking};

/// Roles that write requests.
pub const COORDINATORS: &[Role] = &[Role::Coordinator];
/// The national medevac centre.
pub const NCCEM: &[Role] = &[Role::MedevacDispatcher];
/// Roles that read requests (scoped roles within their regions).
pub const REQUEST_READERS: &[Role] = &[Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin];
/// Roles that may cancel a request.
pub const CANCELLERS: &[Role] = &[Role::Coordinator, Role::MedevacDispatcher];
/// Roles that attach and read documents (medical records: the clinical chain only).
pub const DOCUMENT_USERS: &[Role] = &[Role::Coordinator, Role::MedevacDispatcher];
/// Airline operators.
pub const AIRLINES: &[Role] = &[Role::Airline];
/// Roles that report a flight: the airline, or the national centre on its behalf.
pub const FLIGHT_REPORTERS: &[Role] = &[Role::Airline, Role::MedevacDispatcher];
/// Roles that read taskings, flight tracks and alerts.
pub const FLIGHT_READERS: &[Role] =
    &[Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin, Role::Airline];
/// The two sides of a message thread.
pub const THREAD_PARTIES: &[Role] = &[Role::MedevacDispatcher, Role::Airline];

/// Refuses the read of `request` unless it is in the caller's scope. Airline operators are
/// refused (they read taskings); a draft is visible to its region's coordinators only.
pub fn check_request(caller: &Caller, request: &Request) -> Result<(), MedevacError> {
    if caller.role == Role::Airline {
        return Err(ApiError::PermissionDenied(
            "airline operators see taskings, not requests: use ListTaskings".into(),
        )
        .into());
    }
    caller.require_region(&request.region_code)?;
    if request.status() == RequestStatus::Draft && !matches!(caller.role, Role::Coordinator | Role::System) {
        return Err(MedevacError::NotFound { entity: "request", id: request.id.clone() });
    }
    Ok(())
}

/// The regions a list may cover: the one asked for (if in scope), or every region the caller
/// sees (`None` for all).
pub fn region_scope(caller: &Caller, requested: Option<&RegionCode>) -> Result<Option<Vec<String>>, ApiError> {
    Ok(match requested {
        Some(code) if caller.role == Role::Airline => Some(vec![code.to_string()]),
        Some(code) => {
            caller.require_region(code.as_str())?;
            Some(vec![code.to_string()])
        }
        None if caller.role.is_national() || caller.role == Role::Airline => None,
        None => Some(caller.regions.clone()),
    })
}

/// An airline operator's airline.
pub fn own_airline(caller: &Caller) -> Result<String, ApiError> {
    caller.airline.clone().ok_or_else(|| ApiError::PermissionDenied("the token names no airline".into()))
}

/// Refuses an airline operator a tasking of another airline, or one not offered to it yet
/// (which, to the airline, does not exist); other roles pass.
pub fn check_tasking(caller: &Caller, tasking: &Tasking) -> Result<(), MedevacError> {
    if caller.role != Role::Airline {
        return Ok(());
    }
    caller.require_airline(&tasking.airline_code)?;
    if !tasking.offered() {
        return Err(MedevacError::NotFound { entity: "tasking", id: tasking.id.clone() });
    }
    Ok(())
}

/// The caller's side of a message thread.
pub fn party_of(caller: &Caller) -> Party {
    if caller.role == Role::Airline { Party::Airline } else { Party::NationalCentre }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, regions: &[&str], airline: Option<&str>) -> Caller {
        Caller {
            subject: "t".into(),
            role,
            regions: regions.iter().map(|r| r.to_string()).collect(),
            airline: airline.map(Into::into),
        }
    }

    #[test]
    fn list_scopes_follow_the_role() {
        let coordinator = caller(Role::Coordinator, &["KZ-71"], None);
        assert_eq!(region_scope(&coordinator, None).unwrap(), Some(vec!["KZ-71".to_string()]));
        let other = RegionCode::parse("KZ-75").unwrap();
        assert!(matches!(region_scope(&coordinator, Some(&other)), Err(ApiError::PermissionDenied(_))));
        assert_eq!(region_scope(&caller(Role::MedevacDispatcher, &[], None), None).unwrap(), None);
        assert_eq!(party_of(&caller(Role::Airline, &[], Some("A"))), Party::Airline);
        assert_eq!(party_of(&caller(Role::MedevacDispatcher, &[], None)), Party::NationalCentre);
    }
}
