//! Jedel's pure domain: types and rules every service shares, with no I/O and no clock of
//! its own. A value of a type from here was checked once, at the edge of the system, and
//! stays valid inside it: a [`RegionCode`] is always `KZ-NN`, a [`LatLon`] is always inside
//! Kazakhstan, a [`Bin`] or [`Iin`] always passes its checksum.

pub mod geo;
pub mod id_number;
pub mod region_code;
pub mod time_zone;

// Medical aviation and the registry: record codes, validity periods, medevac eligibility.
pub mod aviation;
pub mod calendar;
pub mod eligibility;

// Medevac: requests, their workflow, flight plans, documents, flight-following alerts.
pub mod icd10;
pub mod medevac;

// Calls (intake): vocabulary, personal data, triage, norms, the call lifecycle.
pub mod call;
pub mod call_number;
pub mod category;
pub mod duplicates;
pub mod local_time;
pub mod norms;
pub mod patient;
pub mod phone;
pub mod triage;

// Dispatch: the deterministic engine shared by the Dispatcher service and the simulator.
pub mod air;
pub mod dispatch;

// The situation centre: live figures as a fold of the event stream.
pub mod situation;

mod text;

pub use geo::{Axis, CoordinateError, LatLon, LatLonError};
pub use id_number::{Bin, IdNumberError, Iin};
pub use region_code::{RegionCode, RegionCodeError};
pub use time_zone::{TimeZone, TimeZoneError};

pub use call::{CallStatus, Lifecycle, Milestone, OutcomeKind};
pub use category::{Category, HospitalProfile, Sex, TeamKind};
pub use phone::{PhoneNumber, PhoneNumberError};
