//! Calls as the engine sees them: [`CallSpec`], what Intake hands over once a call is
//! categorised (where, how urgent, by when), and [`CallView`], where the call stands in
//! dispatch (queued, units working it, norm clock).

use serde::{Deserialize, Serialize};

use super::ids::{AssignmentId, CallId, RecommendationId, UnitId};
use super::serde_with;
use super::travel::AreaType;
use super::unit::EquipmentSet;
use crate::category::Category;
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// A categorised, open call. The deadline comes from Intake's response standard (received
/// plus the category's threshold), so any standard works without the engine knowing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSpec {
    /// Intake's call id.
    pub id: CallId,
    /// Human call number for radio use.
    pub number: String,
    /// Region of the scene; its policy applies.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// Urgency category.
    pub category: Category,
    /// Where the patient is.
    #[serde(with = "serde_with::lat_lon")]
    pub position: LatLon,
    /// Area type at the scene (from geocoding, or the nearest station's).
    pub area: AreaType,
    /// When the call was received; orders calls within a category.
    pub received_at: Micros,
    /// When the norm runs out; after `received_at`.
    pub deadline_at: Micros,
    /// Equipment a unit must carry.
    #[serde(default)]
    pub equipment: EquipmentSet,
}

impl CallSpec {
    /// The norm as a duration (deadline minus received).
    pub fn norm(&self) -> Micros {
        self.deadline_at - self.received_at
    }
}

/// The last recommendation made for a call, kept so Assign can tell a non-top choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationRecord {
    /// Its id.
    pub id: RecommendationId,
    /// The ranked units, best first.
    pub units: Vec<UnitId>,
}

/// Where a call stands in dispatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallView {
    /// The call.
    pub spec: CallSpec,
    /// When it (last) entered the queue; `None` while a unit works it.
    pub queued_at: Option<Micros>,
    /// Active assignments.
    pub assignments: Vec<AssignmentId>,
    /// When the first crew reached the scene; stops the norm clock.
    pub on_scene_at: Option<Micros>,
    /// An at-risk alert is in force.
    pub at_risk: bool,
    /// The deadline passed with no crew on scene.
    pub breached: bool,
    /// The last recommendation.
    pub last_recommendation: Option<RecommendationRecord>,
    /// Order the engine opened calls in; breaks ties of equal age in the queue.
    pub seq: u64,
}
