//! From intake's records and `jedel_core`'s protocol and standards to the API's messages.

use jedel_api::common::v1 as common;
use jedel_api::intake::v1 as pb;
use jedel_core::call::{Actor, TimelineEntry};
use jedel_core::norms::{ClockTrigger, ResponseClock, ResponseStandard, ResponseTarget, RoutingRule};
use jedel_core::triage::{Condition, LocalizedText, Protocol};
use jedel_core::{Category, TeamKind};
use jedel_platform::time::to_timestamp;
use prost_types::Duration;

use crate::model::{Call, Outcome, Override, Triage};

fn text(t: &LocalizedText) -> Option<common::LocalizedText> {
    Some(common::LocalizedText { kk: t.kk.clone(), ru: t.ru.clone(), en: t.en.clone() })
}

fn actor(a: &Actor) -> Option<common::Actor> {
    Some(common::Actor { subject: a.subject.clone(), role: a.role.clone() })
}

fn category(c: Option<Category>) -> i32 {
    c.map_or(0, |c| i32::from(c.number()))
}

fn seconds(s: i64) -> Option<Duration> {
    Some(Duration { seconds: s, nanos: 0 })
}

fn team_kinds(kinds: &[TeamKind]) -> Vec<i32> {
    kinds.iter().map(|k| k.number()).collect()
}

fn timeline_entry(e: &TimelineEntry) -> pb::TimelineEntry {
    pb::TimelineEntry {
        milestone: e.milestone.number(),
        occurred_at: Some(to_timestamp(e.occurred_at)),
        recorded_at: Some(to_timestamp(e.recorded_at)),
        actor: actor(&e.actor),
        unit_id: e.unit.as_ref().map(|u| u.unit_id.clone()).unwrap_or_default(),
        team_kind: e.unit.as_ref().map_or(0, |u| u.team_kind.number()),
    }
}

fn triage(t: &Triage) -> pb::TriageResult {
    pb::TriageResult {
        protocol_version: t.protocol_version.clone(),
        answers: t
            .answers
            .iter()
            .map(|a| pb::TriageAnswer { question_id: a.question_id.clone(), answer_id: a.answer_id.clone() })
            .collect(),
        category: category(t.category),
        determinant: t.determinant.clone(),
        hospital_profiles: t.hospital_profiles.iter().map(|p| p.number()).collect(),
        categorised_at: Some(to_timestamp(t.categorised_at)),
    }
}

fn category_override(o: &Override) -> pb::CategoryOverride {
    pb::CategoryOverride {
        category: i32::from(o.category.number()),
        previous_category: category(o.previous_category),
        reason: o.reason.clone(),
        actor: actor(&o.actor),
        overridden_at: Some(to_timestamp(o.overridden_at)),
    }
}

fn outcome(o: &Outcome) -> pb::Outcome {
    pb::Outcome {
        kind: o.kind.number(),
        hospital_id: o.hospital_id.clone(),
        resuscitation_attempted: o.resuscitation_attempted,
        resuscitation_successful: o.resuscitation_successful,
    }
}

/// A call as the API shows it.
pub fn call_to_proto(call: &Call) -> pb::Call {
    let personal = &call.personal;
    pb::Call {
        id: call.id.clone(),
        number: call.number.clone(),
        region_code: call.region_code.clone(),
        status: call.status().number(),
        received_at: Some(to_timestamp(call.received_at)),
        caller: Some(pb::Caller { phone: personal.caller_phone.clone(), name: personal.caller_name.clone() }),
        location: Some(pb::Location {
            position: call.position.map(|p| common::LatLon { lat: p.lat, lon: p.lon }),
            address: call.address.clone(),
        }),
        patient: Some(pb::Patient {
            iin: personal.patient_iin.clone(),
            name: personal.patient_name.clone(),
            age_years: call.patient_age_years.map(|a| a as i32),
            sex: call.patient_sex.map_or(0, |s| s.number()),
            birth_date: personal.patient_birth_date.clone(),
        }),
        complaint: personal.complaint.clone(),
        triage: call.triage.as_ref().map(triage),
        category: category(call.category),
        category_override: call.category_override.as_ref().map(category_override),
        response_standard_id: call.response_standard_id.clone(),
        deadline_at: call.deadline_at.map(to_timestamp),
        team_kinds: team_kinds(&call.team_kinds),
        timeline: call.lifecycle.timeline.iter().map(timeline_entry).collect(),
        duplicate_of_id: call.duplicate_of_id.clone().unwrap_or_default(),
        repeat_of_id: call.repeat_of_id.clone().unwrap_or_default(),
        linked_call_ids: call.linked_call_ids.clone(),
        repeat_count: call.repeat_count as i32,
        duplicate_count: call.duplicate_count as i32,
        outcome: call.outcome.as_ref().map(outcome),
        cancel_reason: call.cancel_reason.clone(),
        created_at: Some(to_timestamp(call.created_at)),
        updated_at: Some(to_timestamp(call.updated_at)),
        version: call.version,
    }
}

fn condition(c: &Condition) -> pb::Condition {
    pb::Condition { question_id: c.question_id.clone(), answer_ids: c.answer_ids.clone() }
}

/// A triage protocol version as the API shows it.
pub fn protocol_to_proto(p: &Protocol) -> pb::Protocol {
    pb::Protocol {
        version: p.version.clone(),
        title: text(&p.title),
        effective_at: Some(to_timestamp(p.effective_at)),
        questions: p
            .questions
            .iter()
            .map(|q| pb::Question {
                id: q.id.clone(),
                text: text(&q.text),
                hint: text(&q.hint),
                answers: q.answers.iter().map(|a| pb::Answer { id: a.id.clone(), text: text(&a.text) }).collect(),
                ask_when: q.ask_when.iter().map(condition).collect(),
            })
            .collect(),
        rules: p
            .rules
            .iter()
            .map(|r| pb::Rule {
                determinant: r.determinant.clone(),
                name: text(&r.name),
                category: i32::from(r.category.number()),
                conditions: r.conditions.iter().map(condition).collect(),
                hospital_profiles: r.hospital_profiles.iter().map(|h| h.number()).collect(),
            })
            .collect(),
    }
}

fn trigger(t: &ClockTrigger) -> pb::ClockTrigger {
    pb::ClockTrigger {
        milestone: t.milestone.number(),
        delay: (t.delay_seconds != 0).then(|| seconds(t.delay_seconds)).flatten(),
    }
}

fn target(t: &ResponseTarget) -> pb::ResponseTarget {
    pb::ResponseTarget { statistic: t.statistic.number(), percentile: t.percentile, limit: seconds(t.limit_seconds) }
}

fn clock(c: &ResponseClock) -> pb::ResponseClock {
    pb::ResponseClock {
        code: c.code.clone(),
        name: text(&c.name),
        starts: c.starts.iter().map(trigger).collect(),
        stop_milestones: c.stop_milestones.iter().map(|m| m.number()).collect(),
        stop_team_kinds: team_kinds(&c.stop_team_kinds),
        threshold: c.threshold_seconds.and_then(seconds),
        targets: c.targets.iter().map(target).collect(),
    }
}

fn routing_rule(r: &RoutingRule) -> pb::RoutingRule {
    pb::RoutingRule {
        category: i32::from(r.category.number()),
        region_codes: r.region_codes.clone(),
        time_zone: r.time_zone.clone(),
        windows: r
            .windows
            .iter()
            .map(|w| pb::TimeWindow {
                days: w.days.iter().map(|d| d.number()).collect(),
                start_local_time: w.start.clone(),
                end_local_time: w.end.clone(),
            })
            .collect(),
        team_kinds: team_kinds(&r.team_kinds),
    }
}

fn rfc3339(text: &str) -> Option<prost_types::Timestamp> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| to_timestamp(t.timestamp_micros()))
}

/// A response standard as the API shows it.
pub fn standard_to_proto(s: &ResponseStandard) -> pb::ResponseStandard {
    pb::ResponseStandard {
        id: s.id.clone(),
        code: s.code.clone(),
        name: text(&s.name),
        active: s.active,
        categories: s
            .categories
            .iter()
            .map(|n| pb::CategoryNorm {
                category: i32::from(n.category.number()),
                clocks: n.clocks.iter().map(clock).collect(),
                team_kinds: team_kinds(&n.team_kinds),
            })
            .collect(),
        routing_rules: s.routing_rules.iter().map(routing_rule).collect(),
        created_at: rfc3339(&s.created_at),
        updated_at: rfc3339(&s.updated_at),
        version: s.version,
    }
}
