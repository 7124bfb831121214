//! Medical aviation (medevac): the pure rules behind a request from a regional coordinating
//! doctor to the national medevac centre (NCCEM) and on to an airline.
//!
//! - [`vocabulary`]: mission types, urgencies, severities, patient needs, tasking statuses,
//!   flight milestones, crew roles, document kinds (whether an aircraft suits the patient is
//!   the air tasking's rule, [`crate::air`]);
//! - [`workflow`]: the request's state machine with a timestamped history, the time spent in
//!   each step, and which steps need a reason;
//! - [`flight`]: the chosen option's plan, read from the legs the Dispatcher's air tasking
//!   ([`crate::air`]) planned, and the milestone schedule it anchors (planned, expected, actual);
//! - [`documents`]: what may be uploaded (content types, sizes, file names) and whether the
//!   bytes are what their type says;
//! - [`alerts`]: flight-following alerts (no position while airborne, behind plan), evaluated
//!   with the clock passed in.
//!
//! Nothing here reads a clock or does I/O; the Medevac service supplies both.

pub mod alerts;
pub mod documents;
pub mod flight;
pub mod vocabulary;
pub mod workflow;

use chrono::NaiveDate;

use crate::call_number::call_number;
use crate::region_code::RegionCode;

pub use vocabulary::{
    CrewRole, DocumentKind, MedicalModule, Milestone, MissionType, Party, PatientNeed, PositionSource, Severity,
    TaskingStatus, Urgency,
};
pub use workflow::{RequestStatus, StatusChange, Step, Workflow, WorkflowError};

/// The number people read out for a request: `MA-` (medical aviation) and then the region's
/// digits, the local date and the day's sequence in the region, as a call number has them,
/// e.g. `MA-71-261122-0003`.
pub fn request_number(region: &RegionCode, day: NaiveDate, sequence: u32) -> String {
    format!("MA-{}", call_number(region, day, sequence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_numbers_are_told_apart_from_call_numbers() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(request_number(&RegionCode::parse("KZ-71").unwrap(), day, 3), "MA-71-261122-0003");
    }
}
