//! Ground units: [`UnitSpec`] (what the Registry says about a brigade), [`Unit`] (its live
//! state), [`UnitStatus`] with the transitions a crew or dispatcher may make, the on-board
//! [`Equipment`], and [`PositionReport`] from a vehicle tracker.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::ids::{AssignmentId, CallId, UnitId};
use super::serde_with;
use super::travel::Start;
use crate::category::TeamKind;
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// The live status of a ground unit; numbers as in the API's `UnitStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Free and at its station; a candidate from the station.
    AvailableAtStation,
    /// Free and away from its station; a candidate from where it is.
    AvailableOnMove,
    /// Assigned to a call, not yet departed.
    Assigned,
    /// Driving to the call.
    EnRoute,
    /// With the patient; stops the call's norm clock.
    OnScene,
    /// Carrying the patient to hospital.
    Transporting,
    /// Handing the patient over at hospital.
    AtHospital,
    /// Driving back after a call, not yet cleared.
    Returning,
    /// On shift but unable to take calls.
    OutOfService,
    /// Outside its shift.
    OffShift,
}

impl UnitStatus {
    /// Every status, in API order.
    pub const ALL: [UnitStatus; 10] = [
        UnitStatus::AvailableAtStation,
        UnitStatus::AvailableOnMove,
        UnitStatus::Assigned,
        UnitStatus::EnRoute,
        UnitStatus::OnScene,
        UnitStatus::Transporting,
        UnitStatus::AtHospital,
        UnitStatus::Returning,
        UnitStatus::OutOfService,
        UnitStatus::OffShift,
    ];

    /// The number in the API enum (1..=10).
    pub fn number(self) -> i32 {
        self as i32 + 1
    }

    /// The status with this API number; `None` for 0 and unknown numbers.
    pub fn from_number(number: i32) -> Option<UnitStatus> {
        usize::try_from(number - 1).ok().and_then(|i| UnitStatus::ALL.get(i)).copied()
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::AvailableAtStation => "available_at_station",
            UnitStatus::AvailableOnMove => "available_on_move",
            UnitStatus::Assigned => "assigned",
            UnitStatus::EnRoute => "en_route",
            UnitStatus::OnScene => "on_scene",
            UnitStatus::Transporting => "transporting",
            UnitStatus::AtHospital => "at_hospital",
            UnitStatus::Returning => "returning",
            UnitStatus::OutOfService => "out_of_service",
            UnitStatus::OffShift => "off_shift",
        }
    }

    /// Free for a new call.
    pub fn is_available(self) -> bool {
        matches!(self, UnitStatus::AvailableAtStation | UnitStatus::AvailableOnMove)
    }

    /// Working a call (assigned to at hospital).
    pub fn is_on_call(self) -> bool {
        matches!(
            self,
            UnitStatus::Assigned
                | UnitStatus::EnRoute
                | UnitStatus::OnScene
                | UnitStatus::Transporting
                | UnitStatus::AtHospital
        )
    }

    /// On its way to a call and not there yet, so it could still be diverted.
    pub fn is_heading_to_call(self) -> bool {
        matches!(self, UnitStatus::Assigned | UnitStatus::EnRoute)
    }

    /// How the unit would set off for a new call.
    pub fn start(self) -> Start {
        match self {
            UnitStatus::AvailableAtStation | UnitStatus::Assigned => Start::AtStation,
            _ => Start::OnTheMove,
        }
    }

    /// Whether a crew or dispatcher may move a unit from `self` to `to` with UpdateUnitStatus.
    /// Assigned is reached only through Assign. Staying in the same status is not a transition.
    pub fn may_become(self, to: UnitStatus) -> bool {
        use UnitStatus::*;
        match (self, to) {
            (_, Assigned) => false,
            (a, b) if a == b => false,
            (AvailableAtStation | AvailableOnMove, AvailableAtStation | AvailableOnMove | OutOfService | OffShift) => {
                true
            }
            (Assigned, EnRoute | OnScene) | (EnRoute, OnScene) => true,
            (Assigned | EnRoute, Returning | AvailableAtStation | AvailableOnMove | OutOfService) => true,
            (OnScene, Transporting | Returning | AvailableOnMove | AvailableAtStation | OutOfService) => true,
            (Transporting, AtHospital | OutOfService) => true,
            (AtHospital, Returning | AvailableOnMove | AvailableAtStation | OutOfService) => true,
            (Returning, AvailableAtStation | AvailableOnMove | OutOfService | OffShift) => true,
            (OutOfService, AvailableAtStation | AvailableOnMove | OffShift) => true,
            (OffShift, AvailableAtStation | AvailableOnMove | OutOfService) => true,
            _ => false,
        }
    }

    /// Whether moving from `self` to `to` needs a reason: going out of service, or leaving a
    /// call before reaching the scene.
    pub fn needs_reason(self, to: UnitStatus) -> bool {
        to == UnitStatus::OutOfService
            || (self.is_heading_to_call() && !matches!(to, UnitStatus::EnRoute | UnitStatus::OnScene))
    }
}

impl fmt::Display for UnitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Equipment on board that a call may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Equipment {
    /// Defibrillator.
    Defibrillator,
    /// Transport ventilator.
    Ventilator,
    /// Neonatal transport incubator.
    Neonatal,
    /// 12-lead ECG transmission.
    EcgTransmission,
    /// Bariatric stretcher.
    Bariatric,
}

/// A set of [`Equipment`], as a bit set so the ranking tests it in one instruction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<Equipment>", into = "Vec<Equipment>")]
pub struct EquipmentSet(u8);

impl EquipmentSet {
    const ALL: [Equipment; 5] = [
        Equipment::Defibrillator,
        Equipment::Ventilator,
        Equipment::Neonatal,
        Equipment::EcgTransmission,
        Equipment::Bariatric,
    ];

    /// No equipment.
    pub const EMPTY: EquipmentSet = EquipmentSet(0);

    /// Whether `item` is in the set.
    pub fn has(self, item: Equipment) -> bool {
        self.0 & (1 << item as u8) != 0
    }

    /// Whether every item of `needed` is in the set.
    pub fn covers(self, needed: EquipmentSet) -> bool {
        self.0 & needed.0 == needed.0
    }
}

impl FromIterator<Equipment> for EquipmentSet {
    fn from_iter<I: IntoIterator<Item = Equipment>>(items: I) -> Self {
        EquipmentSet(items.into_iter().fold(0, |bits, item| bits | (1 << item as u8)))
    }
}

impl From<Vec<Equipment>> for EquipmentSet {
    fn from(items: Vec<Equipment>) -> Self {
        items.into_iter().collect()
    }
}

impl From<EquipmentSet> for Vec<Equipment> {
    fn from(set: EquipmentSet) -> Self {
        EquipmentSet::ALL.into_iter().filter(|item| set.has(*item)).collect()
    }
}

/// What the Registry says about a brigade; the unit's static part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSpec {
    /// Registry brigade id.
    pub id: UnitId,
    /// Radio call sign, e.g. `AST-01-07`.
    pub call_sign: String,
    /// Team kind; decides which calls it may take.
    pub kind: TeamKind,
    /// Equipment on board.
    #[serde(default)]
    pub equipment: EquipmentSet,
    /// Home station (Registry id).
    pub station_id: String,
    /// Region that owns the unit.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// Where the home station is.
    #[serde(with = "serde_with::lat_lon")]
    pub home: LatLon,
}

/// A tracker fix of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// Where the unit was.
    #[serde(with = "serde_with::lat_lon")]
    pub position: LatLon,
    /// When the tracker took the fix.
    pub recorded_at: Micros,
    /// Ground speed, km/h, when known.
    pub speed_kmh: Option<f64>,
    /// Heading, degrees clockwise from true north, when known.
    pub heading_deg: Option<f64>,
}

/// One position report from a vehicle tracker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionReport {
    /// The unit reporting.
    pub unit: UnitId,
    /// The fix.
    pub fix: Fix,
}

/// Why a position report was not taken; the API's `RejectionReason` (less the checks the
/// service makes before the engine: permissions, coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PositionRejection {
    /// No unit with that id.
    #[error("no unit with that id")]
    UnknownUnit,
    /// Speed outside 0..=300 km/h or heading outside [0, 360).
    #[error("speed or heading out of range")]
    InvalidValue,
    /// Recorded further in the future than the clock-skew tolerance.
    #[error("recorded in the future")]
    FutureTime,
    /// Older than the unit's latest fix.
    #[error("older than the unit's latest position")]
    Stale,
}

/// A unit as the dispatcher sees it: its spec and live state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// What the Registry says (shared, so that copies of the unit in events are cheap).
    pub spec: Arc<UnitSpec>,
    /// Live status.
    pub status: UnitStatus,
    /// When the status last changed.
    pub status_changed_at: Micros,
    /// Latest accepted fix; `None` until the first report.
    pub fix: Option<Fix>,
    /// The call it works on, from assigned to at hospital.
    pub call: Option<CallId>,
    /// The active assignment behind `call`.
    pub assignment: Option<AssignmentId>,
    /// When the engine first knew the unit.
    pub created_at: Micros,
    /// When status or assignment last changed (position reports do not count).
    pub updated_at: Micros,
    /// 1 on create, +1 on each status, assignment or spec change.
    pub version: i64,
}

impl Unit {
    /// Where the ranking counts the unit from: its home station while available at station,
    /// otherwise its latest fix (the station until the first fix).
    pub fn ranking_position(&self) -> LatLon {
        match (self.status, &self.fix) {
            (UnitStatus::AvailableAtStation, _) | (_, None) => self.spec.home,
            (_, Some(fix)) => fix.position,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for status in UnitStatus::ALL {
            assert_eq!(UnitStatus::from_number(status.number()), Some(status));
        }
        assert_eq!(UnitStatus::from_number(0), None);
        assert_eq!(UnitStatus::from_number(11), None);
        assert_eq!(UnitStatus::OffShift.number(), 10);
    }

    #[test]
    fn the_call_cycle_is_allowed_and_shortcuts_are_not() {
        use UnitStatus::*;
        for (from, to) in [
            (Assigned, EnRoute),
            (EnRoute, OnScene),
            (OnScene, Transporting),
            (Transporting, AtHospital),
            (AtHospital, Returning),
            (Returning, AvailableAtStation),
        ] {
            assert!(from.may_become(to), "{from} → {to}");
            assert!(!from.needs_reason(to), "{from} → {to}");
        }
        assert!(!AvailableAtStation.may_become(OnScene));
        assert!(!AvailableAtStation.may_become(Assigned), "only Assign assigns");
        assert!(!Transporting.may_become(AvailableOnMove));
        assert!(!OffShift.may_become(OffShift));
        assert!(EnRoute.needs_reason(Returning));
        assert!(AvailableAtStation.needs_reason(OutOfService));
    }

    #[test]
    fn equipment_sets_serialise_as_lists() {
        let set: EquipmentSet = [Equipment::Ventilator, Equipment::Defibrillator].into_iter().collect();
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"["defibrillator","ventilator"]"#);
        assert!(set.covers([Equipment::Ventilator].into_iter().collect()));
        assert!(!set.covers([Equipment::Neonatal].into_iter().collect()));
    }
}
