//! From the engine's records to the API's messages, and the dispatch policy both ways. Enum
//! numbers are the API's (`UnitStatus::number`, `TeamKind::number`, `Category::number`);
//! instants and spans are µs, turned into `Timestamp` and `Duration`.

use jedel_api::Violations;
use jedel_api::common::v1 as common;
use jedel_api::dispatch::v1 as pb;
use jedel_core::call::Actor;
use jedel_core::dispatch::{
    Alert, AlertKind, Assignment, AssignmentKind, AssignmentState, Candidate, CapabilityFit, CapabilityRule,
    DispatchPolicy, HospitalOption, LocalTimeWindow, PolicyRules, ProfileFit, QueuedCall, Recommendation,
    RedispatchRule, Unit, Weekday,
};
use jedel_core::local_time::Micros;
use jedel_core::{Category, LatLon, RegionCode, TeamKind};
use jedel_platform::time::to_timestamp;
use prost_types::Duration;

use crate::store::PolicyMeta;

/// A span of µs as a protobuf duration (negative spans keep one sign throughout).
pub fn duration(micros: Micros) -> Duration {
    Duration { seconds: micros / 1_000_000, nanos: ((micros % 1_000_000) * 1_000) as i32 }
}

/// A position as the API writes it.
pub fn lat_lon(position: LatLon) -> common::LatLon {
    common::LatLon { lat: position.lat(), lon: position.lon() }
}

fn actor(a: &Actor) -> common::Actor {
    common::Actor { subject: a.subject.clone(), role: a.role.clone() }
}

fn category(c: Category) -> i32 {
    i32::from(c.number())
}

/// A unit as the API shows it.
pub fn unit(u: &Unit) -> pb::Unit {
    pb::Unit {
        id: u.spec.id.to_string(),
        call_sign: u.spec.call_sign.clone(),
        kind: u.spec.kind.number(),
        station_id: u.spec.station_id.clone(),
        region_code: u.spec.region.to_string(),
        status: u.status.number(),
        status_changed_at: Some(to_timestamp(u.status_changed_at)),
        position: u.fix.map(|f| lat_lon(f.position)),
        position_at: u.fix.map(|f| to_timestamp(f.recorded_at)),
        speed_kmh: u.fix.and_then(|f| f.speed_kmh),
        heading_deg: u.fix.and_then(|f| f.heading_deg),
        call_id: u.call.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        assignment_id: u.assignment.as_ref().map(|a| a.to_string()).unwrap_or_default(),
        created_at: Some(to_timestamp(u.created_at)),
        updated_at: Some(to_timestamp(u.updated_at)),
        version: u.version,
    }
}

/// One ranked candidate, with the unit as it was when ranked.
pub fn recommendation(c: &Candidate, u: Option<&Unit>) -> pb::Recommendation {
    pb::Recommendation {
        rank: c.rank as i32,
        unit: u.map(unit),
        eta: Some(duration(c.eta)),
        distance_m: c.distance_m,
        capability_fit: match c.fit {
            CapabilityFit::Preferred => pb::CapabilityFit::Preferred,
            CapabilityFit::Allowed => pb::CapabilityFit::Allowed,
        } as i32,
        meets_norm: c.meets_norm,
        cross_border: c.cross_border,
        redispatch_from_call_id: c.redispatch_from.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        reason: c.reason.clone(),
    }
}

/// The answer to Recommend, each candidate with its unit.
pub fn recommend_response(r: &Recommendation, units: &[Option<Unit>]) -> pb::RecommendResponse {
    pb::RecommendResponse {
        recommendation_id: r.id.to_string(),
        call_id: r.call.to_string(),
        category: category(r.category),
        deadline_at: Some(to_timestamp(r.deadline_at)),
        computed_at: Some(to_timestamp(r.computed_at)),
        recommendations: r.candidates.iter().zip(units).map(|(c, u)| recommendation(c, u.as_ref())).collect(),
        no_unit_meets_norm: r.no_unit_meets_norm,
        message: r.message.clone().unwrap_or_default(),
        air_option: None,
    }
}

/// An assignment as the API shows it.
pub fn assignment(a: &Assignment) -> pb::Assignment {
    pb::Assignment {
        id: a.id.to_string(),
        call_id: a.call.to_string(),
        unit_id: a.unit.to_string(),
        kind: match a.kind {
            AssignmentKind::Manual => pb::AssignmentKind::Manual,
            AssignmentKind::Auto => pb::AssignmentKind::Auto,
            AssignmentKind::Reassign => pb::AssignmentKind::Reassign,
            AssignmentKind::Redispatch => pb::AssignmentKind::Redispatch,
        } as i32,
        state: match a.state {
            AssignmentState::Active => pb::AssignmentState::Active,
            AssignmentState::Completed => pb::AssignmentState::Completed,
            AssignmentState::Released => pb::AssignmentState::Released,
            AssignmentState::Reassigned => pb::AssignmentState::Reassigned,
            AssignmentState::Redispatched => pb::AssignmentState::Redispatched,
            AssignmentState::Cancelled => pb::AssignmentState::Cancelled,
        } as i32,
        recommendation_rank: a.recommendation_rank as i32,
        eta: Some(duration(a.eta)),
        reason: a.reason.clone().unwrap_or_default(),
        assigned_by: Some(actor(&a.assigned_by)),
        previous_assignment_id: a.previous.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        ended_at: a.ended_at.map(to_timestamp),
        end_reason: a.end_reason.clone().unwrap_or_default(),
        created_at: Some(to_timestamp(a.created_at)),
        updated_at: Some(to_timestamp(a.updated_at)),
        version: a.version,
    }
}

/// A waiting call as GetQueue lists it.
pub fn queued_call(q: &QueuedCall) -> pb::QueuedCall {
    pb::QueuedCall {
        position_in_queue: q.position as i32,
        call_id: q.spec.id.to_string(),
        call_number: q.spec.number.clone(),
        region_code: q.spec.region.to_string(),
        category: category(q.spec.category),
        position: Some(lat_lon(q.spec.position)),
        received_at: Some(to_timestamp(q.spec.received_at)),
        queued_at: Some(to_timestamp(q.queued_at)),
        deadline_at: Some(to_timestamp(q.spec.deadline_at)),
        time_left: Some(duration(q.time_left)),
    }
}

/// An alert as WatchAlerts streams it.
pub fn alert(a: &Alert, sequence: u64) -> pb::Alert {
    pb::Alert {
        sequence,
        occurred_at: Some(to_timestamp(a.at)),
        kind: match a.kind {
            AlertKind::AtRisk => pb::AlertKind::AtRisk,
            AlertKind::Breached => pb::AlertKind::Breached,
            AlertKind::Cleared => pb::AlertKind::Cleared,
        } as i32,
        call_id: a.call.to_string(),
        call_number: a.call_number.clone(),
        region_code: a.region.to_string(),
        category: category(a.category),
        deadline_at: Some(to_timestamp(a.deadline_at)),
        best_eta: a.best_eta.map(duration),
        best_unit_id: a.best_unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
    }
}

/// A ranked hospital.
pub fn hospital_option(o: &HospitalOption) -> pb::HospitalOption {
    pb::HospitalOption {
        rank: o.rank as i32,
        hospital_id: o.hospital.id.to_string(),
        name: o.hospital.name.clone(),
        region_code: o.hospital.region.to_string(),
        position: Some(lat_lon(o.hospital.position)),
        fit: match o.fit {
            ProfileFit::Full => pb::ProfileFit::Full,
            ProfileFit::Partial => pb::ProfileFit::Partial,
            ProfileFit::None => pb::ProfileFit::None,
        } as i32,
        matched_profiles: o.matched.iter().map(|p| p.number()).collect(),
        missing_profiles: o.missing.iter().map(|p| p.number()).collect(),
        trauma_level: i32::from(o.hospital.trauma_level),
        perinatal_level: i32::from(o.hospital.perinatal_level),
        distance_m: o.distance_m,
        travel_time: Some(duration(o.travel_time)),
        reason: o.reason.clone(),
    }
}

fn window_to_proto(w: &LocalTimeWindow) -> pb::LocalTimeWindow {
    pb::LocalTimeWindow {
        weekdays: w.weekdays.iter().map(|d| i32::from(d.number())).collect(),
        start_minute: i32::from(w.start_minute),
        end_minute: i32::from(w.end_minute),
    }
}

/// A region's policy with who set it.
pub fn policy(p: &DispatchPolicy, meta: &PolicyMeta) -> pb::DispatchPolicy {
    let rules = &p.rules;
    pb::DispatchPolicy {
        region_code: p.region.to_string(),
        capability_rules: rules
            .capability_rules
            .iter()
            .map(|r| pb::CapabilityRule {
                category: category(r.category),
                window: r.window.as_ref().map(window_to_proto),
                preferred_kinds: r.preferred_kinds.iter().map(|k| k.number()).collect(),
                allowed_kinds: r.allowed_kinds.iter().map(|k| k.number()).collect(),
            })
            .collect(),
        auto_assign_categories: rules.auto_assign_categories.iter().map(|c| category(*c)).collect(),
        redispatch: Some(pb::RedispatchRule {
            enabled: rules.redispatch.enabled,
            from_categories: rules.redispatch.from_categories.iter().map(|c| category(*c)).collect(),
            to_categories: rules.redispatch.to_categories.iter().map(|c| category(*c)).collect(),
        }),
        cross_border_help: rules.cross_border_help,
        updated_by: Some(actor(&meta.updated_by)),
        created_at: Some(to_timestamp(meta.created_at)),
        updated_at: Some(to_timestamp(meta.updated_at)),
        version: meta.version,
    }
}

fn categories(values: &[i32], field: &str, v: &mut Violations) -> Vec<Category> {
    let mut out = Vec::new();
    for (i, n) in values.iter().enumerate() {
        if let Some(c) = v.check(&format!("{field}[{i}]"), Category::from_number(i64::from(*n))) {
            out.push(c);
        }
    }
    out
}

fn kinds(values: &[i32], field: &str, v: &mut Violations) -> Vec<TeamKind> {
    let mut out = Vec::new();
    for (i, n) in values.iter().enumerate() {
        match TeamKind::from_number(*n) {
            Some(k) => out.push(k),
            None => v.add(format!("{field}[{i}]"), format!("{n} is not a team kind")),
        }
    }
    out
}

/// The policy a SetDispatchPolicy request asks for, every bad field recorded in `v`; the
/// engine's own checks (windows, fallbacks, kinds in both lists) run last, on a whole policy.
/// `cross_border_max_km` and `auto_assign_max_eta_min`, engine settings the API does not
/// carry, keep `current`'s.
pub fn policy_from_proto(
    p: &pb::DispatchPolicy,
    region: RegionCode,
    current: &PolicyRules,
    v: &mut Violations,
) -> Option<DispatchPolicy> {
    let mut rules = Vec::new();
    for (i, r) in p.capability_rules.iter().enumerate() {
        let field = format!("policy.capability_rules[{i}]");
        let category = v.check(&format!("{field}.category"), Category::from_number(i64::from(r.category)));
        let window = match &r.window {
            None => None,
            Some(w) => {
                let mut weekdays = Vec::new();
                for (j, d) in w.weekdays.iter().enumerate() {
                    match u8::try_from(*d).ok().and_then(Weekday::from_number) {
                        Some(day) => weekdays.push(day),
                        None => v.add(format!("{field}.window.weekdays[{j}]"), format!("{d} is not a weekday (1-7)")),
                    }
                }
                let start = u16::try_from(w.start_minute).ok().filter(|m| *m < 1440);
                if start.is_none() {
                    v.add(format!("{field}.window.start_minute"), "must be 0..1439");
                }
                let end = u16::try_from(w.end_minute).ok().filter(|m| (1..=1440).contains(m));
                if end.is_none() {
                    v.add(format!("{field}.window.end_minute"), "must be 1..1440");
                }
                Some(LocalTimeWindow { weekdays, start_minute: start.unwrap_or(0), end_minute: end.unwrap_or(1) })
            }
        };
        let preferred_kinds = kinds(&r.preferred_kinds, &format!("{field}.preferred_kinds"), v);
        let allowed_kinds = kinds(&r.allowed_kinds, &format!("{field}.allowed_kinds"), v);
        if let Some(category) = category {
            rules.push(CapabilityRule { category, window, preferred_kinds, allowed_kinds });
        }
    }
    let auto_assign_categories = categories(&p.auto_assign_categories, "policy.auto_assign_categories", v);
    let redispatch = p.redispatch.clone().unwrap_or_default();
    let redispatch = RedispatchRule {
        enabled: redispatch.enabled,
        from_categories: categories(&redispatch.from_categories, "policy.redispatch.from_categories", v),
        to_categories: categories(&redispatch.to_categories, "policy.redispatch.to_categories", v),
    };
    let rules = PolicyRules {
        capability_rules: rules,
        auto_assign_categories,
        redispatch,
        cross_border_help: p.cross_border_help,
        cross_border_max_km: current.cross_border_max_km,
        auto_assign_max_eta_min: current.auto_assign_max_eta_min,
    };
    if let Err(e) = rules.validate() {
        v.add(format!("policy.{}", e.field), e.message);
        return None;
    }
    Some(DispatchPolicy { region, rules })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_spans_keep_one_sign() {
        assert_eq!(duration(-1_500_000), Duration { seconds: -1, nanos: -500_000_000 });
        assert_eq!(duration(90_000_001), Duration { seconds: 90, nanos: 1_000 });
    }

    #[test]
    fn the_default_policy_round_trips_through_the_api() {
        let region = RegionCode::parse("KZ-71").unwrap();
        let policy = DispatchPolicy::kazakhstan(region.clone());
        let meta = PolicyMeta {
            updated_by: Actor { subject: "s".into(), role: "system".into() },
            created_at: 1,
            updated_at: 2,
            version: 1,
        };
        let mut v = Violations::new();
        let back = policy_from_proto(&super::policy(&policy, &meta), region, &policy.rules, &mut v);
        assert!(v.finish().is_ok());
        assert_eq!(back, Some(policy));
    }
}
