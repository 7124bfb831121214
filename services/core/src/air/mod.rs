//! Air tasking: for a medevac mission (origin, destination, what the patient needs, how
//! urgent, from when), rank the contracted aircraft that may fly it, each with its whole
//! plan, beside a ground-only transfer, and say why every other aircraft is excluded.
//!
//! Pure and deterministic like the dispatch engine: the records and the moment are
//! arguments, nothing reads a clock or does I/O. The Dispatcher's RankAircraft loads the
//! Registry's records, calls [`rank`] and converts the answer; enum numbers match the API.
//!
//! - inputs: [`Fleet`] of [`Aircraft`], airlines ([`crate::eligibility::Airline`]),
//!   [`Contract`]s and [`Airfield`]s; a [`Mission`] with its [`Needs`], [`Urgency`] and
//!   [`Place`]s; [`AirRules`] (reserve, allowances, catchment, the road model)
//! - eligibility: the registry's own rule ([`crate::eligibility::judge`]) at the start, then
//!   availability, module, pressurisation and capacity, then the legs: range with reserve,
//!   runway length and surface or a helipad near each end, the night rule from sunrise and
//!   sunset ([`sun`], NOAA's equation) and opening hours
//! - the plan ([`AirOption`], [`Leg`]): positioning flight, ground leg to the airfield,
//!   patient flight, ground leg to the hospital, return flight; time to patient and to
//!   destination, flight hours, cost at the contract's tariff
//! - the answer: [`AirRanking`], options best first by [`Urgency`] (emergency: time to
//!   patient; urgent: time to destination; planned: cost), [`Excluded`] with an
//!   [`ExclusionReason`] and a detail

#![warn(missing_docs)]

pub mod exclusion;
pub mod fleet;
pub mod mission;
pub mod plan;
pub mod rank;
pub mod rules;
pub mod sun;

#[cfg(test)]
mod tests;

pub use exclusion::{Exclusion, ExclusionReason};
pub use fleet::{
    Aircraft, AircraftKind, AircraftStatus, Airfield, AirfieldKind, Contract, Fleet, MedicalModule, OpeningHours,
    Surface,
};
pub use mission::{Mission, MissionKind, Needs, Place, Urgency};
pub use plan::{AirOption, Leg, LegKind, Stop, TravelMode, cost_tiyn};
pub use rank::{AirRanking, Excluded, rank};
pub use rules::{AirRules, Drive};
pub use sun::{SolarDay, solar_day, solar_day_at};
