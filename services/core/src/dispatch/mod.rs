//! The dispatch engine: live units, exact ETA-ranked recommendations that explain themselves,
//! assignments and the waiting queue, norm clocks, and destination hospitals.
//!
//! Plain deterministic code, `state + command(now) → state + events`: no I/O, no clock of its
//! own, no threads. The Dispatcher service wraps it with storage and gRPC; the simulator drives
//! the same [`Engine`] with a simulated clock, so a recorded shift ([`Command`]s with their
//! instants) replays exactly, and under another [`DispatchPolicy`] shows what that policy does.
//!
//! - units: [`UnitSpec`], [`Unit`], [`UnitStatus`], [`PositionReport`]
//! - calls: [`CallSpec`], [`CallView`]
//! - travel time: the [`TravelTimeModel`] trait, the default [`TableTravelModel`] over
//!   [`TravelTimeTable`] (`data/dispatch/travel-time.json`), and [`StraightLineModel`]
//!   (ranks by straight-line distance, for policy comparisons)
//! - policy: [`DispatchPolicy`], [`PolicyRules`] (`data/dispatch/policy.json`)
//! - ranking: [`Engine::rank`], [`Engine::recommend`] → [`Ranking`], [`Recommendation`]
//! - assignment: [`Engine::assign`], [`Engine::reassign`], [`Engine::release`],
//!   [`Engine::redispatch`], [`Engine::queue`]
//! - norm clocks: [`Engine::tick`], [`Alert`]
//! - destination: [`Engine::choose_destination`], [`Hospital`], [`Condition`]
//! - storage: [`Engine::snapshot`], [`Engine::restore`]
//!
//! Categories, team kinds and hospital profiles are the crate's [`crate::category`] types;
//! instants and durations are [`crate::local_time::Micros`] (µs since the Unix epoch, UTC).
//!
//! # Wiring it to `jedel.dispatch.v1.Dispatcher`
//! - One engine per process (or per set of regions), behind a mutex; read the clock once per
//!   request and pass it as `now`. Call [`Engine::tick`] about once a second so that alerts
//!   fire when no request comes; an earlier `now` counts as the latest one seen.
//! - Enum numbers match the API: [`UnitStatus::number`], `TeamKind::number`,
//!   `Category::number`. Instants and durations are µs: convert to `Timestamp`/`Duration`.
//! - Idempotency (`request_id`), tokens and region scope, and coordinate checks stay in the
//!   service; the engine mints assignment and recommendation ids (UUIDv7-shaped, deterministic;
//!   give each instance its own [`EngineConfig::node`]).
//! - UpdateUnitStatus → [`Engine::set_status`] (`expected_version` 0 → `None`);
//!   StreamPositions → [`Engine::ingest_position`] per report ([`PositionRejection`]);
//!   Recommend → [`Engine::recommend`] (the `Unit` of each candidate from [`Engine::unit`];
//!   when [`Recommendation::consider_air`], ask air tasking for `air_option`);
//!   Assign / Reassign / Release / Redispatch → the methods of the same name; GetQueue →
//!   [`Engine::queue`]; Get/SetDispatchPolicy → [`Engine::policy`] / [`Engine::set_policy`];
//!   WatchAlerts → [`Event::Alert`] (from sequence 0: [`Engine::alerts_in_force`] first);
//!   ChooseDestination → [`Engine::choose_destination`] ([`Condition::needs`] for diagnoses).
//! - Every method appends [`Event`]s to the list it is given; write them in the same
//!   transaction as the state rows. At start, rebuild with [`Engine::restore`] from a
//!   [`Snapshot`] assembled from storage (or stored whole).

#![warn(missing_docs)]

pub mod alert;
pub mod assignment;
pub mod call;
pub mod command;
pub mod destination;
pub mod engine;
pub mod error;
pub mod event;
pub mod geometry;
pub mod ids;
mod index;
pub mod local_window;
pub mod policy;
pub mod rank;
pub mod recommend;
mod serde_with;
pub mod straight_line;
pub mod travel;
pub mod travel_table;
pub mod unit;

#[cfg(test)]
mod tests;

pub use alert::{Alert, AlertKind};
pub use assignment::{Assignment, AssignmentKind, AssignmentState};
pub use call::{CallSpec, CallView, RecommendationRecord};
pub use command::{Command, Outcome, Reply};
pub use destination::{Condition, DestinationNeeds, Hospital, HospitalOption, ProfileFit};
pub use engine::{
    AssignRequest, CallRecord, Engine, EngineConfig, EngineStats, QueuedCall, ReassignRequest, RedispatchRequest,
    ReleaseRequest, Snapshot, StatusChange,
};
pub use error::{DispatchError, ErrorKind};
pub use event::Event;
pub use ids::{AssignmentId, CallId, HospitalId, IdError, RecommendationId, UnitId};
pub use local_window::{LocalMoment, LocalTimeWindow, Weekday};
pub use policy::{CapabilityRule, DispatchPolicy, PolicyError, PolicyRules, RedispatchRule};
pub use rank::{CapabilityFit, RankOptions, RankedUnit, Ranking};
pub use recommend::{Candidate, Recommendation};
pub use straight_line::StraightLineModel;
pub use travel::{AreaType, Start, TravelTimeModel, TripQuery};
pub use travel_table::{AreaSpeed, TableTravelModel, TravelParams, TravelTimeTable};
pub use unit::{Equipment, EquipmentSet, Fix, PositionRejection, PositionReport, Unit, UnitSpec, UnitStatus};
