//! The records the medevac service keeps: a [`Request`] (its details, workflow and — apart,
//! in [`Personal`] — the patient's identity and clinical details), the [`Tasking`] of one
//! aircraft for it, a [`Document`], a [`Message`] of an airline thread, a [`Position`] of a
//! flight, and an active [`Alert`].
//!
//! [`Request`] serialises without its personal data: that JSON is both the stored `state` and
//! the payload of every request event, so events (and the bus) never carry an IIN, a name or
//! a diagnosis. A [`Tasking`] holds only what flying needs, which is also what an airline
//! operator is shown.

use std::fmt;

use jedel_core::Sex;
use jedel_core::call::Actor;
use jedel_core::local_time::Micros;
use jedel_core::medevac::alerts::AlertKind;
use jedel_core::medevac::flight::{Plan, Schedule};
use jedel_core::medevac::{
    CrewRole, DocumentKind, Milestone, MissionType, Party, PatientNeed, PositionSource, RequestStatus, Severity,
    TaskingStatus, Urgency, Workflow,
};
use serde::{Deserialize, Serialize};

/// A position in decimal degrees (checked inside Kazakhstan on the way in).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// A clinician named on a request (staff, not patient data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinician {
    /// Full name.
    pub full_name: String,
    /// Job title and department.
    pub title: String,
    /// E.164 phone, or empty.
    pub phone: String,
}

/// Where a mission starts or ends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    /// Registry hospital id, if the place is one.
    pub hospital_id: Option<String>,
    /// Name as people say it.
    pub name: String,
    /// Department.
    pub department: String,
    /// Where it is.
    pub position: Option<Point>,
}

/// The receiving doctor's agreement to admit the patient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Who agreed.
    pub doctor: Clinician,
    /// When; `None` until given.
    pub given_at: Option<Micros>,
}

/// What the flight must provide for the patient; an airline sees this.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Care {
    /// Body weight, kg.
    pub weight_kg: Option<f64>,
    /// Overall severity.
    pub severity: Option<Severity>,
    /// On mechanical ventilation.
    pub ventilated: bool,
    /// Equipment needed on board.
    pub needs: Vec<PatientNeed>,
    /// Infectious or possibly so.
    pub infectious: bool,
}

/// The details of a request that are not personal data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Details {
    /// What the flight is for; `None` while a draft leaves it out.
    pub mission_type: Option<MissionType>,
    /// How soon; `None` while a draft leaves it out.
    pub urgency: Option<Urgency>,
    /// The regional coordinating doctor.
    pub coordinating_doctor: Clinician,
    /// What the flight must provide.
    pub care: Care,
    /// How many people fly with the patient.
    pub accompanying_count: u32,
    /// Their total weight, kg.
    pub accompanying_weight_kg: f64,
    /// Pick-up place.
    pub origin: Facility,
    /// Delivery place.
    pub destination: Facility,
    /// The receiving doctor's consent.
    pub receiving_consent: Consent,
    /// When the flight should take place: from, to.
    pub wanted_from: Option<Micros>,
    /// End of the wanted window.
    pub wanted_to: Option<Micros>,
}

/// Vital signs at one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vitals {
    /// Beats per minute.
    pub heart_rate_bpm: Option<i32>,
    /// mmHg.
    pub systolic_mmhg: Option<i32>,
    /// mmHg.
    pub diastolic_mmhg: Option<i32>,
    /// Breaths per minute.
    pub respiratory_rate_per_min: Option<i32>,
    /// Percent.
    pub spo2_percent: Option<i32>,
    /// Degrees Celsius.
    pub temperature_c: Option<f64>,
    /// Glasgow Coma Scale.
    pub gcs: Option<i32>,
    /// When measured.
    pub measured_at: Option<Micros>,
}

/// A person flying with the patient or on the mission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Companion {
    /// Full name.
    pub full_name: String,
    /// Relation or role.
    pub relation: String,
    /// Weight, kg.
    pub weight_kg: Option<f64>,
}

/// The personal data of a request: who the patient is and their clinical details, who flies
/// with them, and the free-text notes. Stored apart and never in events; its `Debug` shows
/// nothing.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Personal {
    /// IIN, or empty.
    pub iin: String,
    /// Surname.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// Patronymic.
    pub patronymic: String,
    /// `YYYY-MM-DD`, or empty.
    pub birth_date: String,
    /// Sex.
    pub sex: Option<Sex>,
    /// Main diagnosis, ICD-10, or empty.
    pub icd10_code: String,
    /// Main diagnosis in words.
    pub diagnosis: String,
    /// Latest vital signs.
    pub vital_signs: Option<Vitals>,
    /// People flying with the patient.
    pub accompanying: Vec<Companion>,
    /// Remarks for the reviewer.
    pub notes: String,
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(<redacted>)")
    }
}

/// A medevac request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// UUIDv7.
    pub id: String,
    /// `MA-71-261122-0003`.
    pub number: String,
    /// Requesting region; never changes.
    pub region_code: String,
    /// What is asked for, without personal data.
    pub details: Details,
    /// Status and history.
    pub workflow: Workflow,
    /// The latest tasking, once an aircraft was chosen.
    pub current_tasking_id: Option<String>,
    /// Who created it.
    pub created_by: Actor,
    /// Created.
    pub created_at: Micros,
    /// Last changed.
    pub updated_at: Micros,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Personal data; never serialised with the rest.
    #[serde(skip)]
    pub personal: Personal,
}

impl Request {
    /// Current status.
    pub fn status(&self) -> RequestStatus {
        self.workflow.status
    }

    /// Marks a change made at `now`.
    pub fn touch(&mut self, now: Micros) {
        self.version += 1;
        self.updated_at = now;
    }
}

/// What an airline needs to know to fly a mission: no patient identity, no diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// What the flight is for.
    pub mission_type: Option<MissionType>,
    /// How soon.
    pub urgency: Option<Urgency>,
    /// Pick-up place.
    pub origin: Facility,
    /// Delivery place.
    pub destination: Facility,
    /// Wanted window start.
    pub wanted_from: Option<Micros>,
    /// Wanted window end.
    pub wanted_to: Option<Micros>,
    /// What the flight must provide.
    pub care: Care,
    /// People flying with the patient.
    pub accompanying_count: u32,
    /// Their weight, kg.
    pub accompanying_weight_kg: f64,
}

impl Summary {
    /// The summary of a request's details.
    pub fn of(details: &Details) -> Summary {
        Summary {
            mission_type: details.mission_type,
            urgency: details.urgency,
            origin: details.origin.clone(),
            destination: details.destination.clone(),
            wanted_from: details.wanted_from,
            wanted_to: details.wanted_to,
            care: details.care.clone(),
            accompanying_count: details.accompanying_count,
            accompanying_weight_kg: details.accompanying_weight_kg,
        }
    }
}

/// A member of a crew (airline staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrewMember {
    /// Full name.
    pub full_name: String,
    /// Role on board.
    pub role: CrewRole,
    /// E.164 phone, or empty.
    pub phone: String,
}

/// One aircraft offered to one airline for one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tasking {
    /// UUIDv7.
    pub id: String,
    /// The request.
    pub medevac_request_id: String,
    /// Its number.
    pub request_number: String,
    /// Its region.
    pub region_code: String,
    /// The airline operating the aircraft.
    pub airline_code: String,
    /// The aircraft.
    pub aircraft_registration: String,
    /// The contract it flies under.
    pub contract_number: String,
    /// Rank among the options, 1 = top.
    pub option_rank: u32,
    /// Why not the top option, or why it replaced an open tasking.
    pub choice_reason: String,
    /// Where it stands.
    pub status: TaskingStatus,
    /// What flying needs.
    pub summary: Summary,
    /// The option's plan.
    pub plan: Plan,
    /// Milestones: provisional until accepted, then anchored at the committed departure.
    pub schedule: Schedule,
    /// The crew, once named.
    pub crew: Vec<CrewMember>,
    /// When offered.
    pub tasked_at: Option<Micros>,
    /// When accepted or declined.
    pub responded_at: Option<Micros>,
    /// Who accepted or declined.
    pub responded_by: Option<Actor>,
    /// The airline's reason for declining.
    pub decline_reason: String,
    /// Flight time reported on completion.
    pub actual_flight_time: Option<Micros>,
    /// Created (the aircraft chosen).
    pub created_at: Micros,
    /// Last changed.
    pub updated_at: Micros,
    /// 1 on create, +1 on each change.
    pub version: i64,
}

impl Tasking {
    /// Whether the airline has been offered it (and so may see it).
    pub fn offered(&self) -> bool {
        self.tasked_at.is_some()
    }

    /// Marks a change made at `now`.
    pub fn touch(&mut self, now: Micros) {
        self.version += 1;
        self.updated_at = now;
    }
}

/// A document's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// UUIDv7.
    pub id: String,
    /// The request it belongs to.
    pub medevac_request_id: String,
    /// What it is.
    pub kind: DocumentKind,
    /// Original file name.
    pub file_name: String,
    /// MIME type.
    pub content_type: String,
    /// Size as received.
    pub size_bytes: i64,
    /// SHA-256, lowercase hex.
    pub sha256_hex: String,
    /// Who uploaded it.
    pub uploaded_by: Actor,
    /// When the upload completed.
    pub created_at: Micros,
}

/// A message of a thread between the national centre and one airline about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// UUIDv7.
    pub id: String,
    /// The request.
    pub medevac_request_id: String,
    /// The airline of the thread.
    pub airline_code: String,
    /// Which side sent it.
    pub sender_party: Party,
    /// Who sent it.
    pub sender: Actor,
    /// Plain text.
    pub body: String,
    /// Accepted by the server.
    pub sent_at: Micros,
    /// First received by the other side.
    pub delivered_at: Option<Micros>,
    /// Marked read by the other side.
    pub read_at: Option<Micros>,
}

/// A position of an aircraft flying for a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The aircraft.
    pub aircraft_registration: String,
    /// The request flown.
    pub medevac_request_id: String,
    /// The tasking flown.
    pub tasking_id: String,
    /// Where.
    pub point: Point,
    /// Metres above mean sea level.
    pub altitude_m: f64,
    /// km/h.
    pub ground_speed_kmh: f64,
    /// When measured.
    pub recorded_at: Micros,
    /// From a tracker or the crew.
    pub source: PositionSource,
}

/// A flight-following alert, as raised or cleared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// True when its condition ended.
    pub cleared: bool,
    /// The tasking flown.
    pub tasking_id: String,
    /// The request flown.
    pub medevac_request_id: String,
    /// The request's region.
    pub region_code: String,
    /// The airline.
    pub airline_code: String,
    /// The aircraft.
    pub aircraft_registration: String,
    /// The limit crossed.
    pub threshold: Micros,
    /// Silence or delay at the moment.
    pub lag: Micros,
    /// For behind plan, the milestone that is late.
    pub milestone: Option<Milestone>,
    /// The last position received, if any.
    pub last_position: Option<Position>,
    /// When raised (or cleared).
    pub at: Micros,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_never_reaches_debug_or_json() {
        let personal = Personal {
            iin: "900101300017".into(),
            family_name: "Abenov".into(),
            given_name: "Nurlan".into(),
            diagnosis: "STEMI anterior wall".into(),
            icd10_code: "I21.0".into(),
            notes: "lives alone".into(),
            accompanying: vec![Companion { full_name: "Aigerim Abenova".into(), ..Companion::default() }],
            ..Personal::default()
        };
        let request = Request {
            id: "r".into(),
            number: "MA-71-261122-0001".into(),
            region_code: "KZ-71".into(),
            details: Details::default(),
            workflow: Workflow::created(0, Actor::default()),
            current_tasking_id: None,
            created_by: Actor::default(),
            created_at: 0,
            updated_at: 0,
            version: 1,
            personal,
        };
        let shown = format!("{request:?} {}", serde_json::to_string(&request).unwrap());
        for secret in ["900101300017", "Abenov", "Nurlan", "STEMI", "I21.0", "lives alone", "Aigerim"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        let back: Request = serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
        assert_eq!(back.personal, Personal::default());
    }
}
