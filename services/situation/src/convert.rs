//! Fold figures → API messages.

use std::collections::BTreeMap;

use jedel_api::situation::v1 as pb;
use jedel_core::Category;
use jedel_core::situation::{
    self as fold, AircraftKind, AirlineTotals, Distribution, Fleet, Ratio, Scope, Snapshot, Target,
};
use jedel_platform::time::to_timestamp;

/// A duration message of µs.
pub fn duration(micros: i64) -> prost_types::Duration {
    prost_types::Duration {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}

/// The API category number of a category (0 when not categorised).
pub fn category(category: Option<Category>) -> i32 {
    category.map_or(0, |c| i32::from(c.number()))
}

fn categories(counts: &BTreeMap<Option<Category>, i64>) -> Vec<pb::CategoryCount> {
    counts.iter().map(|(c, n)| pb::CategoryCount { category: category(*c), count: *n }).collect()
}

/// A share message.
pub fn share(ratio: Ratio) -> pb::Share {
    pb::Share { numerator: ratio.numerator, denominator: ratio.denominator, value: ratio.value() }
}

/// A target message.
pub fn target(target: Target) -> pb::IndicatorTarget {
    let bound = if target.at_least { pb::TargetBound::AtLeast } else { pb::TargetBound::AtMost };
    pb::IndicatorTarget { year: target.year, value: target.value, bound: bound as i32 }
}

/// Arrival times of one category.
pub fn arrivals(c: Option<Category>, d: Distribution) -> pb::ArrivalTimes {
    pb::ArrivalTimes { category: category(c), count: d.count, mean: Some(duration(d.mean)), p90: Some(duration(d.p90)) }
}

/// The API scope of a fold scope.
pub fn scope(scope: &Scope) -> pb::Scope {
    match scope {
        Scope::Nation => pb::Scope { level: pb::Level::Nation as i32, ..Default::default() },
        Scope::Region(region) => {
            pb::Scope { level: pb::Level::Region as i32, region_code: region.clone(), station_id: String::new() }
        }
        Scope::Station { region, station } => {
            pb::Scope { level: pb::Level::Station as i32, region_code: region.clone(), station_id: station.clone() }
        }
    }
}

/// The Metrics message of a snapshot, with airline names and ids from `fleet`. `computed_at`
/// and `sequence` are left to the caller.
pub fn metrics(of: &Scope, s: &Snapshot, fleet: &Fleet, now: i64, window: i64) -> pb::Metrics {
    let year = fold::local_year(now);
    let medevac = (!matches!(of, Scope::Station { .. })).then(|| pb::MedevacMetrics {
        open_requests: s
            .medevac_open
            .iter()
            .map(|(step, n)| pb::MedevacStepCount { step: *step as i32, count: *n })
            .collect(),
        flights_in_progress: kinds(&s.flights_in_progress),
        flights_today: kinds(&s.flights_today),
        airlines_today: airlines(&s.airlines_today, fleet),
    });
    pb::Metrics {
        scope: Some(scope(of)),
        sequence: 0,
        computed_at: None,
        day_started_at: Some(to_timestamp(s.day_started_at)),
        rolling_window: Some(duration(window)),
        calls_last_hour: categories(&s.calls_last_hour),
        calls_today: categories(&s.calls_today),
        open_calls: s.open_calls.iter().map(|(st, n)| pb::CallStatusCount { status: *st as i32, count: *n }).collect(),
        waiting_calls: categories(&s.waiting_calls),
        arrival_times: s.arrival_times.iter().map(|(c, d)| arrivals(*c, *d)).collect(),
        served_within_norm: Some(pb::LiveIndicator {
            rolling: Some(share(s.within_norm_rolling)),
            today: Some(share(s.within_norm_today)),
            target: fold::target_24(year).map(target),
        }),
        late_today: categories(&s.late_today),
        overdue: categories(&s.overdue),
        units: s.units.iter().map(|(st, n)| pb::UnitStatusCount { status: *st as i32, count: *n }).collect(),
        category4_served_by_ems: Some(pb::LiveIndicator {
            rolling: Some(share(s.category4_by_ems_rolling)),
            today: Some(share(s.category4_by_ems_today)),
            target: fold::target_18(year).map(target),
        }),
        resuscitation_success_today: Some(share(s.resuscitation_today)),
        medevac,
        expiring_documents: s
            .expiring
            .iter()
            .map(|e| {
                let (airline_id, airline_name) = airline(fleet, &e.airline_code);
                pb::ExpiringDocument {
                    kind: e.kind as i32,
                    document_id: e.document_id.clone(),
                    number: e.number.clone(),
                    airline_id,
                    airline_name,
                    expires_at: Some(to_timestamp(e.expires_at)),
                }
            })
            .collect(),
    }
}

/// The Registry id and name of airline `code` (the code itself for an airline the Registry's
/// events do not name).
fn airline(fleet: &Fleet, code: &str) -> (String, String) {
    fleet.airlines.get(code).map_or_else(|| (String::new(), code.to_string()), |a| (a.id.clone(), a.name.clone()))
}

/// Flights by aircraft kind (UNSPECIFIED: an aircraft the Registry's events do not name).
pub fn kinds(flights: &BTreeMap<Option<AircraftKind>, i64>) -> Vec<pb::AircraftKindCount> {
    flights.iter().map(|(kind, n)| pb::AircraftKindCount { kind: kind.map_or(0, |k| k as i32), count: *n }).collect()
}

/// Flights, flight time and cost by airline, with names and ids from `fleet`.
pub fn airlines(totals: &BTreeMap<String, AirlineTotals>, fleet: &Fleet) -> Vec<pb::AirlineFlights> {
    totals
        .iter()
        .map(|(code, t)| {
            let (airline_id, airline_name) = airline(fleet, code);
            pb::AirlineFlights {
                airline_id,
                airline_name,
                flights: t.flights,
                flight_time: Some(duration(t.flight_time)),
                cost: Some(jedel_api::common::v1::Money { currency: "KZT".into(), minor_units: t.cost_tiyn }),
            }
        })
        .collect()
}
