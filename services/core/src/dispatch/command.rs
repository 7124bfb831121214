//! [`Command`]: every change to the engine as one serialisable value, and [`Engine::apply`],
//! which runs it and returns its [`Reply`] and events. A recorded list of `(now, Command)`
//! replays a shift exactly; replayed under another policy it shows what that policy does.

use serde::{Deserialize, Serialize};

use super::assignment::Assignment;
use super::call::CallSpec;
use super::destination::Hospital;
use super::engine::{AssignRequest, Engine, ReassignRequest, RedispatchRequest, ReleaseRequest, StatusChange};
use super::error::DispatchError;
use super::event::Event;
use super::ids::{CallId, UnitId};
use super::policy::DispatchPolicy;
use super::rank::RankOptions;
use super::recommend::Recommendation;
use super::serde_with;
use super::travel::TravelTimeModel;
use super::unit::{PositionRejection, PositionReport, Unit, UnitSpec, UnitStatus};
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// One change to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Add a unit or replace its Registry data.
    UpsertUnit {
        /// The Registry data.
        spec: UnitSpec,
        /// Status of a new unit.
        initial: UnitStatus,
    },
    /// Remove a unit not on a call.
    RemoveUnit {
        /// The unit.
        unit: UnitId,
    },
    /// A tracker fix.
    Position(PositionReport),
    /// A status change.
    SetStatus(StatusChange),
    /// A categorised call to dispatch.
    OpenCall(CallSpec),
    /// New facts about an open call.
    UpdateCall(CallSpec),
    /// The call ended.
    EndCall {
        /// The call.
        call: CallId,
        /// Cancelled rather than closed.
        cancelled: bool,
        /// Why.
        reason: Option<String>,
    },
    /// Rank units for a call and keep the answer.
    Recommend {
        /// The call.
        call: CallId,
        /// What to rank.
        options: RankOptions,
    },
    /// Assign a unit.
    Assign(AssignRequest),
    /// Replace an assignment's unit.
    Reassign(ReassignRequest),
    /// End an assignment early.
    Release(ReleaseRequest),
    /// Divert a unit to a more urgent call.
    Redispatch(RedispatchRequest),
    /// Replace a region's policy.
    SetPolicy(DispatchPolicy),
    /// Set a region's UTC offset.
    SetUtcOffset {
        /// The region.
        #[serde(with = "serde_with::region")]
        region: RegionCode,
        /// Minutes east of UTC.
        minutes: i32,
    },
    /// Replace the hospitals.
    SetHospitals(Vec<Hospital>),
    /// Let time pass.
    Tick,
}

/// What a command answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// Nothing to say.
    Done,
    /// The unit after the change.
    Unit(Box<Unit>),
    /// A position report was not taken.
    PositionRejected(PositionRejection),
    /// The recommendation.
    Recommendation(Box<Recommendation>),
    /// The assignment made or ended.
    Assignment(Box<Assignment>),
}

/// What a command did: its answer or why it was refused, and the events it caused. Events
/// come back even when the command is refused: the norm-clock timers due before `now` fired
/// first, and they stand.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The answer, or why the command was refused (then it changed nothing else).
    pub result: Result<Reply, DispatchError>,
    /// What changed, in order.
    pub events: Vec<Event>,
}

impl<M: TravelTimeModel> Engine<M> {
    /// Runs one command at `now`.
    pub fn apply(&mut self, now: Micros, command: Command) -> Outcome {
        let mut events = Vec::new();
        self.tick(now, &mut events);
        let result = self.run(now, command, &mut events);
        Outcome { result, events }
    }

    fn run(&mut self, now: Micros, command: Command, out: &mut Vec<Event>) -> Result<Reply, DispatchError> {
        Ok(match command {
            Command::UpsertUnit { spec, initial } => {
                Reply::Unit(Box::new(self.upsert_unit(now, spec, initial, out)?.clone()))
            }
            Command::RemoveUnit { unit } => {
                self.remove_unit(now, &unit, out)?;
                Reply::Done
            }
            Command::Position(report) => match self.ingest_position(now, &report, out) {
                Ok(()) => Reply::Done,
                Err(rejection) => Reply::PositionRejected(rejection),
            },
            Command::SetStatus(change) => Reply::Unit(Box::new(self.set_status(now, change, out)?.clone())),
            Command::OpenCall(spec) => {
                self.open_call(now, spec, out)?;
                Reply::Done
            }
            Command::UpdateCall(spec) => {
                self.update_call(now, spec, out)?;
                Reply::Done
            }
            Command::EndCall { call, cancelled, reason } => {
                self.end_call(now, &call, cancelled, reason, out)?;
                Reply::Done
            }
            Command::Recommend { call, options } => {
                Reply::Recommendation(Box::new(self.recommend(now, &call, options, out)?))
            }
            Command::Assign(request) => Reply::Assignment(Box::new(self.assign(now, request, out)?)),
            Command::Reassign(request) => Reply::Assignment(Box::new(self.reassign(now, request, out)?)),
            Command::Release(request) => Reply::Assignment(Box::new(self.release(now, request, out)?)),
            Command::Redispatch(request) => Reply::Assignment(Box::new(self.redispatch(now, request, out)?)),
            Command::SetPolicy(policy) => {
                self.set_policy(now, policy, out)?;
                Reply::Done
            }
            Command::SetUtcOffset { region, minutes } => {
                self.set_utc_offset(now, region, minutes, out)?;
                Reply::Done
            }
            Command::SetHospitals(hospitals) => {
                self.set_hospitals(now, hospitals, out);
                Reply::Done
            }
            Command::Tick => Reply::Done,
        })
    }
}
