//! A call as intake keeps it: the lifecycle from `jedel_core`, the triage result, the
//! override, the norm's deadline and team kinds, links, outcome, and — apart, in
//! [`Personal`] — the caller's and patient's personal data.
//!
//! [`Call`] serialises without its personal data: that JSON is both the stored `state` and
//! the payload of every call event, so events (and the bus) never carry an IIN, a name, a
//! phone number or a complaint.

use std::fmt;

use jedel_core::call::{Actor, Lifecycle, OutcomeKind};
use jedel_core::local_time::Micros;
use jedel_core::norms::ResponseStandard;
use jedel_core::triage::GivenAnswer;
use jedel_core::{CallStatus, Category, HospitalProfile, Sex, TeamKind};
use serde::{Deserialize, Serialize};

/// An emergency call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// UUIDv7.
    pub id: String,
    /// Radio number, e.g. `71-261122-0042`.
    pub number: String,
    /// Region that owns the call.
    pub region_code: String,
    /// When the call reached 103.
    pub received_at: Micros,
    /// Status and timeline.
    pub lifecycle: Lifecycle,
    /// Position of the scene, when known.
    pub position: Option<Position>,
    /// Address as the crew needs it.
    pub address: String,
    /// Age in full years, given or computed from the IIN.
    pub patient_age_years: Option<u32>,
    /// Sex, given or derived from the IIN.
    pub patient_sex: Option<Sex>,
    /// The latest triage protocol run.
    pub triage: Option<Triage>,
    /// Effective category: the override's, else the triage result's.
    pub category: Option<Category>,
    /// The call-taker's override, if any.
    pub category_override: Option<Override>,
    /// Standard the call is measured against.
    pub response_standard_id: String,
    /// Latest arrival time of the first qualifying unit.
    pub deadline_at: Option<Micros>,
    /// Team kinds that may take the call.
    pub team_kinds: Vec<TeamKind>,
    /// Set when linked as a duplicate of that call.
    pub duplicate_of_id: Option<String>,
    /// Set when linked as a repeat of that call.
    pub repeat_of_id: Option<String>,
    /// Calls linked to this one.
    pub linked_call_ids: Vec<String>,
    /// Repeat calls linked to this one.
    pub repeat_count: u32,
    /// Duplicate calls linked to this one.
    pub duplicate_count: u32,
    /// Medical outcome, once closed.
    pub outcome: Option<Outcome>,
    /// Why it was cancelled.
    pub cancel_reason: String,
    /// Created in Jedel.
    pub created_at: Micros,
    /// Last changed.
    pub updated_at: Micros,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Personal data; never serialised with the rest.
    #[serde(skip)]
    pub personal: Personal,
}

impl Call {
    /// Current status.
    pub fn status(&self) -> CallStatus {
        self.lifecycle.status
    }

    /// Sets the effective category and recomputes what follows from it under `standard`:
    /// the deadline and the team kinds.
    pub fn apply_category(&mut self, category: Category, standard: &ResponseStandard) {
        self.category = Some(category);
        self.team_kinds = standard.team_kinds(category, &self.region_code, self.received_at).to_vec();
        self.refresh_deadline(standard);
    }

    /// Recomputes the deadline from the timeline (a clock may start at a later milestone).
    pub fn refresh_deadline(&mut self, standard: &ResponseStandard) {
        self.deadline_at = self.category.and_then(|c| standard.deadline(c, &self.lifecycle.timeline));
    }

    /// Marks a change made at `now`.
    pub fn touch(&mut self, now: Micros) {
        self.version += 1;
        self.updated_at = now;
    }
}

/// A position in decimal degrees (checked inside Kazakhstan on the way in).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// The personal data of a call: who called and who the patient is. Its `Debug` shows nothing.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Personal {
    /// Caller's phone, E.164.
    pub caller_phone: String,
    /// Caller's name.
    pub caller_name: String,
    /// Patient's IIN; empty when unknown.
    pub patient_iin: String,
    /// Patient's name.
    pub patient_name: String,
    /// Birth date derived from the IIN, `YYYY-MM-DD`; empty without an IIN.
    pub patient_birth_date: String,
    /// The caller's complaint in their words.
    pub complaint: String,
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(<redacted>)")
    }
}

/// The result of the triage protocol on a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    /// Protocol version run.
    pub protocol_version: String,
    /// Answers it ran on.
    pub answers: Vec<GivenAnswer>,
    /// Category of the rule that fired; `None` while the answers decide nothing yet.
    pub category: Option<Category>,
    /// Determinant of the rule that fired; empty while undecided.
    pub determinant: String,
    /// Hospital profiles the rule suggests.
    pub hospital_profiles: Vec<HospitalProfile>,
    /// When it ran.
    pub categorised_at: Micros,
}

/// A call-taker's override of the category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The category set.
    pub category: Category,
    /// Effective category before.
    pub previous_category: Option<Category>,
    /// Why.
    pub reason: String,
    /// Who.
    pub actor: Actor,
    /// When.
    pub overridden_at: Micros,
}

/// How a call ended medically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Main result.
    pub kind: OutcomeKind,
    /// Receiving hospital, for HOSPITALISED.
    pub hospital_id: String,
    /// Whether CPR was attempted.
    pub resuscitation_attempted: bool,
    /// Whether circulation returned and held.
    pub resuscitation_successful: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_never_reaches_debug_or_json() {
        let personal = Personal {
            caller_phone: "+77012345678".into(),
            caller_name: "Aigerim".into(),
            patient_iin: "900101300017".into(),
            patient_name: "Nurlan".into(),
            patient_birth_date: "1990-01-01".into(),
            complaint: "chest pain".into(),
        };
        let call = Call {
            id: "c".into(),
            number: "71-250101-0001".into(),
            region_code: "KZ-71".into(),
            received_at: 0,
            lifecycle: Lifecycle::received(0, 0, Actor::default()),
            position: None,
            address: String::new(),
            patient_age_years: Some(35),
            patient_sex: Some(Sex::Male),
            triage: None,
            category: None,
            category_override: None,
            response_standard_id: String::new(),
            deadline_at: None,
            team_kinds: vec![],
            duplicate_of_id: None,
            repeat_of_id: None,
            linked_call_ids: vec![],
            repeat_count: 0,
            duplicate_count: 0,
            outcome: None,
            cancel_reason: String::new(),
            created_at: 0,
            updated_at: 0,
            version: 1,
            personal,
        };
        let shown = format!("{call:?} {}", serde_json::to_string(&call).unwrap());
        for secret in ["77012345678", "Aigerim", "900101300017", "Nurlan", "1990-01-01", "chest pain"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        let back: Call = serde_json::from_str(&serde_json::to_string(&call).unwrap()).unwrap();
        assert_eq!(back.personal, Personal::default());
        assert_eq!(back.patient_age_years, Some(35));
    }
}
