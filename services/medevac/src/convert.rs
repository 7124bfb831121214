//! From the medevac records to the API's messages. A request is shown whole (with its
//! personal data) only to callers in its scope; an airline operator gets a [`pb::Tasking`],
//! whose summary has no patient identity or diagnosis.

use jedel_api::common::v1 as common;
use jedel_api::medevac::v1 as pb;
use jedel_core::call::Actor;
use jedel_core::local_time::Micros;
use jedel_core::medevac::StatusChange;
use jedel_platform::time::to_timestamp;
use prost_types::Duration;

use crate::model::{
    Alert, Care, Clinician, Document, Facility, Message, Point, Position, Request, Summary, Tasking, Vitals,
};

fn actor(a: &Actor) -> Option<common::Actor> {
    Some(common::Actor { subject: a.subject.clone(), role: a.role.clone() })
}

/// A span as a protobuf duration.
pub fn duration(micros: Micros) -> Duration {
    Duration { seconds: micros.div_euclid(1_000_000), nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32 }
}

fn ts(micros: Option<Micros>) -> Option<prost_types::Timestamp> {
    micros.map(to_timestamp)
}

fn lat_lon(p: &Point) -> common::LatLon {
    common::LatLon { lat: p.lat, lon: p.lon }
}

fn clinician(c: &Clinician) -> pb::Clinician {
    pb::Clinician { full_name: c.full_name.clone(), title: c.title.clone(), phone: c.phone.clone() }
}

fn facility(f: &Facility) -> pb::Facility {
    pb::Facility {
        hospital_id: f.hospital_id.clone().unwrap_or_default(),
        name: f.name.clone(),
        department: f.department.clone(),
        position: f.position.as_ref().map(lat_lon),
    }
}

fn window(from: Option<Micros>, to: Option<Micros>) -> Option<common::TimeRange> {
    (from.is_some() || to.is_some()).then(|| common::TimeRange { from: ts(from), to: ts(to) })
}

fn vitals(v: &Vitals) -> pb::VitalSigns {
    pb::VitalSigns {
        heart_rate_bpm: v.heart_rate_bpm,
        systolic_mmhg: v.systolic_mmhg,
        diastolic_mmhg: v.diastolic_mmhg,
        respiratory_rate_per_min: v.respiratory_rate_per_min,
        spo2_percent: v.spo2_percent,
        temperature_c: v.temperature_c,
        gcs: v.gcs,
        measured_at: ts(v.measured_at),
    }
}

fn needs(care: &Care) -> Vec<i32> {
    care.needs.iter().map(|n| n.number()).collect()
}

fn status_change(c: &StatusChange) -> pb::StatusChange {
    pb::StatusChange {
        from_status: c.from.map_or(0, |s| s.number()),
        to_status: c.to.number(),
        occurred_at: Some(to_timestamp(c.occurred_at)),
        recorded_at: Some(to_timestamp(c.recorded_at)),
        actor: actor(&c.actor),
        reason: c.reason.clone(),
        time_in_from_status: c.from.map(|_| duration(c.time_in_from)),
    }
}

/// A request as callers in its scope see it, with its current tasking.
pub fn request_to_proto(r: &Request, current: Option<&Tasking>) -> pb::MedevacRequest {
    let d = &r.details;
    let p = &r.personal;
    let patient = pb::Patient {
        iin: p.iin.clone(),
        family_name: p.family_name.clone(),
        given_name: p.given_name.clone(),
        patronymic: p.patronymic.clone(),
        birth_date: p.birth_date.clone(),
        sex: p.sex.map_or(0, |s| s.number()),
        weight_kg: d.care.weight_kg.unwrap_or_default(),
        icd10_code: p.icd10_code.clone(),
        diagnosis: p.diagnosis.clone(),
        severity: d.care.severity.map_or(0, |s| s.number()),
        vital_signs: p.vital_signs.as_ref().map(vitals),
        ventilated: d.care.ventilated,
        needs: needs(&d.care),
        infectious: d.care.infectious,
    };
    let consent = &d.receiving_consent;
    let details = pb::RequestDetails {
        mission_type: d.mission_type.map_or(0, |m| m.number()),
        urgency: d.urgency.map_or(0, |u| u.number()),
        coordinating_doctor: Some(clinician(&d.coordinating_doctor)),
        patient: Some(patient),
        accompanying_persons: p
            .accompanying
            .iter()
            .map(|c| pb::AccompanyingPerson {
                full_name: c.full_name.clone(),
                relation: c.relation.clone(),
                weight_kg: c.weight_kg.unwrap_or_default(),
            })
            .collect(),
        origin: Some(facility(&d.origin)),
        destination: Some(facility(&d.destination)),
        receiving_consent: Some(pb::ReceivingConsent {
            doctor: Some(clinician(&consent.doctor)),
            given_at: ts(consent.given_at),
        }),
        wanted_window: window(d.wanted_from, d.wanted_to),
        notes: p.notes.clone(),
    };
    pb::MedevacRequest {
        id: r.id.clone(),
        number: r.number.clone(),
        region_code: r.region_code.clone(),
        details: Some(details),
        status: r.status().number(),
        history: r.workflow.history.iter().map(status_change).collect(),
        current_tasking: current.map(tasking_to_proto),
        created_by: actor(&r.created_by),
        created_at: Some(to_timestamp(r.created_at)),
        updated_at: Some(to_timestamp(r.updated_at)),
        version: r.version,
    }
}

fn summary(s: &Summary) -> pb::MissionSummary {
    pb::MissionSummary {
        mission_type: s.mission_type.map_or(0, |m| m.number()),
        urgency: s.urgency.map_or(0, |u| u.number()),
        origin: Some(facility(&s.origin)),
        destination: Some(facility(&s.destination)),
        wanted_window: window(s.wanted_from, s.wanted_to),
        patient_weight_kg: s.care.weight_kg.unwrap_or_default(),
        severity: s.care.severity.map_or(0, |v| v.number()),
        ventilated: s.care.ventilated,
        needs: needs(&s.care),
        infectious: s.care.infectious,
        accompanying_count: s.accompanying_count as i32,
        accompanying_weight_kg: s.accompanying_weight_kg,
    }
}

/// A tasking as the national centre and its airline see it.
pub fn tasking_to_proto(t: &Tasking) -> pb::Tasking {
    pb::Tasking {
        id: t.id.clone(),
        medevac_request_id: t.medevac_request_id.clone(),
        request_number: t.request_number.clone(),
        region_code: t.region_code.clone(),
        airline_code: t.airline_code.clone(),
        aircraft_registration: t.aircraft_registration.clone(),
        option_rank: t.option_rank as i32,
        choice_reason: t.choice_reason.clone(),
        status: t.status.number(),
        summary: Some(summary(&t.summary)),
        schedule: t
            .schedule
            .entries
            .iter()
            .map(|e| pb::MilestoneTime {
                milestone: e.milestone.number(),
                planned_at: Some(to_timestamp(e.planned_at)),
                expected_at: ts(e.expected_at),
                actual_at: ts(e.actual_at),
            })
            .collect(),
        planned_flight_time: Some(duration(t.plan.flight_time)),
        planned_cost: Some(common::Money { currency: "KZT".into(), minor_units: t.plan.cost_tiyn }),
        crew: t
            .crew
            .iter()
            .map(|c| pb::CrewMember { full_name: c.full_name.clone(), role: c.role.number(), phone: c.phone.clone() })
            .collect(),
        tasked_at: ts(t.tasked_at),
        responded_at: ts(t.responded_at),
        responded_by: t.responded_by.as_ref().and_then(actor),
        decline_reason: t.decline_reason.clone(),
        actual_flight_time: t.actual_flight_time.map(duration),
        created_at: Some(to_timestamp(t.created_at)),
        updated_at: Some(to_timestamp(t.updated_at)),
        version: t.version,
    }
}

/// A document's metadata.
pub fn document_to_proto(d: &Document) -> pb::Document {
    pb::Document {
        id: d.id.clone(),
        medevac_request_id: d.medevac_request_id.clone(),
        kind: d.kind.number(),
        file_name: d.file_name.clone(),
        content_type: d.content_type.clone(),
        size_bytes: d.size_bytes,
        sha256_hex: d.sha256_hex.clone(),
        uploaded_by: actor(&d.uploaded_by),
        created_at: Some(to_timestamp(d.created_at)),
    }
}

/// A message of a thread.
pub fn message_to_proto(m: &Message) -> pb::Message {
    pb::Message {
        id: m.id.clone(),
        medevac_request_id: m.medevac_request_id.clone(),
        airline_code: m.airline_code.clone(),
        sender_party: m.sender_party.number(),
        sender: actor(&m.sender),
        body: m.body.clone(),
        sent_at: Some(to_timestamp(m.sent_at)),
        delivered_at: ts(m.delivered_at),
        read_at: ts(m.read_at),
    }
}

/// A flight position.
pub fn position_to_proto(p: &Position) -> pb::FlightPosition {
    pb::FlightPosition {
        aircraft_registration: p.aircraft_registration.clone(),
        medevac_request_id: p.medevac_request_id.clone(),
        position: Some(lat_lon(&p.point)),
        altitude_m: p.altitude_m,
        ground_speed_kmh: p.ground_speed_kmh,
        recorded_at: Some(to_timestamp(p.recorded_at)),
        source: p.source.number(),
    }
}

/// A flight alert at event sequence `sequence`.
pub fn alert_to_proto(a: &Alert, sequence: u64) -> pb::FlightAlert {
    pb::FlightAlert {
        sequence,
        occurred_at: Some(to_timestamp(a.at)),
        kind: a.kind.number(),
        cleared: a.cleared,
        medevac_request_id: a.medevac_request_id.clone(),
        region_code: a.region_code.clone(),
        tasking_id: a.tasking_id.clone(),
        airline_code: a.airline_code.clone(),
        aircraft_registration: a.aircraft_registration.clone(),
        threshold: Some(duration(a.threshold)),
        lag: Some(duration(a.lag)),
        milestone: a.milestone.map_or(0, |m| m.number()),
        last_position: a.last_position.as_ref().map(position_to_proto),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_microseconds() {
        assert_eq!(duration(1_500_000), Duration { seconds: 1, nanos: 500_000_000 });
        assert_eq!(duration(0), Duration { seconds: 0, nanos: 0 });
    }
}
