//! Ranking the fleet for one mission: every aircraft is either offered with its best plan or
//! excluded with the first failing check, in the API's order: the registry's eligibility rule
//! (airline, certificate, contract, maintenance), availability, medical module,
//! pressurisation, capacity, then the legs: range with reserve, a runway (length, surface) or
//! helipad near each end, the night rule and opening hours.
//!
//! Landing sites: near each end, the airfields, airstrips and helipads within the catchment;
//! the nearest few the aircraft may use are tried in pairs, and the pair that plans best by
//! the urgency's key is kept. When no pair passes, the failure of the pair that got furthest
//! through the checks is given (ties: the nearest sites). An emergency picks its sites by time
//! to patient, then time to destination, then cost.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::eligibility::{self, Airline};

use super::exclusion::{Exclusion, ExclusionReason};
use super::fleet::{Aircraft, AircraftKind, AircraftStatus, AirfieldKind, Fleet, MedicalModule};
use super::mission::{Mission, Place, Urgency};
use super::plan::{AirOption, Leg, LegKind, PlanInput, Site, Stop, TravelMode, plan};
use super::rules::AirRules;

/// An aircraft that is not offered, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// Index of the aircraft in [`Fleet::aircraft`].
    pub aircraft: usize,
    /// The first failing check.
    pub exclusion: Exclusion,
}

/// The answer for one mission.
#[derive(Debug, Clone, PartialEq)]
pub struct AirRanking {
    /// Eligible aircraft, best first by the urgency's key (registration breaks ties).
    pub options: Vec<AirOption>,
    /// The whole trip by road ambulance, leaving once the ambulance has mobilised.
    pub ground_transfer: Leg,
    /// Every aircraft not offered, in registration order.
    pub excluded: Vec<Excluded>,
}

/// Ranks every aircraft of `fleet` for `mission`.
pub fn rank(fleet: &Fleet<'_>, mission: &Mission, rules: &AirRules) -> AirRanking {
    let bases: HashMap<&str, usize> = fleet.airfields.iter().enumerate().map(|(i, a)| (a.code.as_str(), i)).collect();
    let ends = Ends {
        origin: candidates(fleet, &mission.origin, rules),
        destination: candidates(fleet, &mission.destination, rules),
    };
    let mut options = Vec::new();
    let mut excluded = Vec::new();
    for (index, aircraft) in fleet.aircraft.iter().enumerate() {
        match judge(fleet, mission, rules, &bases, &ends, index, aircraft) {
            Ok(option) => options.push(option),
            Err(exclusion) => excluded.push(Excluded { aircraft: index, exclusion }),
        }
    }
    options.sort_by(|a, b| {
        compare(mission.urgency, a, b).then_with(|| registration(fleet, a).cmp(registration(fleet, b)))
    });
    excluded.sort_by(|a, b| fleet.aircraft[a.aircraft].registration.cmp(&fleet.aircraft[b.aircraft].registration));
    AirRanking { options, ground_transfer: ground_transfer(mission, rules), excluded }
}

fn registration<'a>(fleet: &Fleet<'a>, option: &AirOption) -> &'a str {
    &fleet.aircraft[option.aircraft].registration
}

/// The order of two options under `urgency` (registration aside).
pub fn compare(urgency: Urgency, a: &AirOption, b: &AirOption) -> Ordering {
    match urgency {
        Urgency::Emergency => (a.time_to_patient, a.cost_tiyn, a.time_to_destination).cmp(&(
            b.time_to_patient,
            b.cost_tiyn,
            b.time_to_destination,
        )),
        Urgency::Urgent => (a.time_to_destination, a.cost_tiyn).cmp(&(b.time_to_destination, b.cost_tiyn)),
        Urgency::Planned => (a.cost_tiyn, a.time_to_destination).cmp(&(b.cost_tiyn, b.time_to_destination)),
    }
}

/// Whether `a` is a better choice of landing sites than `b` for one aircraft. As [`compare`],
/// except that an emergency weighs arrival at the destination before cost: once the team is
/// with the patient, the patient's arrival matters more than the price.
fn better_sites(urgency: Urgency, a: &AirOption, b: &AirOption) -> bool {
    let order = match urgency {
        Urgency::Emergency => (a.time_to_patient, a.time_to_destination, a.cost_tiyn).cmp(&(
            b.time_to_patient,
            b.time_to_destination,
            b.cost_tiyn,
        )),
        Urgency::Urgent | Urgency::Planned => compare(urgency, a, b),
    };
    order == Ordering::Less
}

/// The road-only trip from origin to destination.
fn ground_transfer(mission: &Mission, rules: &AirRules) -> Leg {
    let (from, to) = (&mission.origin, &mission.destination);
    let drive = rules.drive(&from.region, from.position, to.position, mission.start_at);
    let departs_at = mission.start_at + drive.mobilisation;
    Leg {
        kind: LegKind::GroundTransfer,
        mode: TravelMode::Ground,
        from: Stop::Origin,
        to: Stop::Destination,
        distance_m: drive.distance_m,
        departs_at,
        arrives_at: departs_at + drive.duration,
    }
}

/// The landing sites near both ends, each list nearest first.
struct Ends<'a> {
    origin: End<'a>,
    destination: End<'a>,
}

/// The landing sites near one end.
struct End<'a> {
    place: &'a Place,
    sites: Vec<Site>,
}

/// Every airfield within the catchment of `place`, nearest first (code breaks ties).
fn candidates<'a>(fleet: &Fleet<'_>, place: &'a Place, rules: &AirRules) -> End<'a> {
    let mut sites: Vec<Site> = fleet
        .airfields
        .iter()
        .enumerate()
        .map(|(airfield, a)| Site {
            airfield,
            distance_m: crate::dispatch::geometry::great_circle_m(place.position, a.position),
        })
        .filter(|s| s.distance_m <= rules.catchment_m)
        .collect();
    sites.sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then_with(|| fleet.airfields[a.airfield].code.cmp(&fleet.airfields[b.airfield].code))
    });
    End { place, sites }
}

/// Offers `aircraft` with its best plan, or says why not.
fn judge(
    fleet: &Fleet<'_>,
    mission: &Mission,
    rules: &AirRules,
    bases: &HashMap<&str, usize>,
    ends: &Ends<'_>,
    index: usize,
    aircraft: &Aircraft,
) -> Result<AirOption, Exclusion> {
    let contract_index = eligible(fleet, mission, rules, aircraft)?;
    suits(mission, aircraft)?;
    let base = *bases.get(aircraft.base_airfield_code.as_str()).ok_or_else(|| {
        Exclusion::new(
            ExclusionReason::OutOfRange,
            format!(
                "base airfield {} of {} is not in the registry",
                aircraft.base_airfield_code, aircraft.registration
            ),
        )
    })?;
    let origin = usable_sites(fleet, rules, aircraft, &ends.origin);
    let destination = usable_sites(fleet, rules, aircraft, &ends.destination);
    let (origin, destination) = match (origin, destination) {
        (Ok(o), Ok(d)) => (o, d),
        (Err(o), Err(d)) => return Err(if d.reason < o.reason { d } else { o }),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let input = PlanInput {
        rules,
        mission,
        airfields: fleet.airfields,
        aircraft,
        aircraft_index: index,
        base,
        contract: &fleet.contracts[contract_index],
        contract_index,
    };
    let mut best: Option<AirOption> = None;
    let mut furthest: Option<Exclusion> = None;
    for o in &origin {
        for d in destination.iter().filter(|d| d.airfield != o.airfield) {
            match plan(&input, *o, *d) {
                Ok(option) => {
                    if best.as_ref().is_none_or(|b| better_sites(mission.urgency, &option, b)) {
                        best = Some(option);
                    }
                }
                Err(e) => {
                    if furthest.as_ref().is_none_or(|f| e.reason > f.reason) {
                        furthest = Some(e);
                    }
                }
            }
        }
    }
    best.ok_or_else(|| {
        furthest.unwrap_or_else(|| {
            let only = &fleet.airfields[origin[0].airfield].code;
            let reason = match aircraft.kind {
                AircraftKind::Helicopter => ExclusionReason::NoHelipad,
                AircraftKind::Plane => ExclusionReason::RunwayTooShort,
            };
            Exclusion::new(
                reason,
                format!(
                    "the only landing site near {} for {} is {only}, the origin's own",
                    ends.destination.place.name, aircraft.registration
                ),
            )
        })
    })
}

/// The registry's rule at the mission's start, then availability: the index of the contract
/// in force that prices the mission.
fn eligible(fleet: &Fleet<'_>, mission: &Mission, rules: &AirRules, aircraft: &Aircraft) -> Result<usize, Exclusion> {
    let airline = fleet.airlines.iter().find(|a| a.code == aircraft.airline_code).cloned().unwrap_or_else(|| Airline {
        code: aircraft.airline_code.clone(),
        active: true,
        certificate: None,
    });
    let covering: Vec<usize> =
        (0..fleet.contracts.len()).filter(|&i| fleet.contracts[i].aircraft.contains(&aircraft.registration)).collect();
    let terms: Vec<eligibility::Contract> = covering.iter().map(|&i| fleet.contracts[i].terms.clone()).collect();
    let verdict =
        eligibility::judge(&aircraft.eligibility_terms(), &airline, &terms, mission.start_at, rules.utc_offset_minutes);
    if let Some(first) = verdict.reasons.iter().map(|r| ExclusionReason::from_eligibility(r.kind)).min() {
        let messages: Vec<&str> = verdict
            .reasons
            .iter()
            .filter(|r| ExclusionReason::from_eligibility(r.kind) == first)
            .map(|r| r.message.as_str())
            .collect();
        return Err(Exclusion::new(first, messages.join("; ")));
    }
    if aircraft.status == AircraftStatus::OnMission {
        return Err(Exclusion::new(
            ExclusionReason::OnMission,
            format!("aircraft {} is flying another mission", aircraft.registration),
        ));
    }
    let Some(contract) = verdict.contract else {
        return Err(Exclusion::new(
            ExclusionReason::ContractNotInForce,
            format!("no contract covers {}", aircraft.registration),
        ));
    };
    Ok(covering[contract])
}

fn module_phrase(module: MedicalModule) -> &'static str {
    match module {
        MedicalModule::None => "no medical module",
        MedicalModule::Basic => "a basic module",
        MedicalModule::IntensiveCare => "an intensive-care module",
        MedicalModule::Neonatal => "a neonatal module",
    }
}

/// Whether the aircraft carries what the patient needs.
fn suits(mission: &Mission, aircraft: &Aircraft) -> Result<(), Exclusion> {
    let needs = &mission.needs;
    let reg = &aircraft.registration;
    if !aircraft.medical_module.serves(needs.module()) {
        let need = if needs.incubator {
            "an incubator needs a neonatal module".to_string()
        } else {
            format!("the patient needs {}", module_phrase(needs.module()))
        };
        let detail = format!("{reg} has {}, {need}", module_phrase(aircraft.medical_module));
        return Err(Exclusion::new(ExclusionReason::NoMedicalModule, detail));
    }
    if needs.pressurised && !aircraft.pressurised {
        let detail = format!("{reg} has no pressurised cabin, the patient needs one");
        return Err(Exclusion::new(ExclusionReason::NotPressurised, detail));
    }
    if aircraft.stretchers < needs.stretchers() {
        let detail = format!("{reg} has {} stretcher places, needs {}", aircraft.stretchers, needs.stretchers());
        return Err(Exclusion::new(ExclusionReason::InsufficientCapacity, detail));
    }
    if aircraft.seats < needs.seats {
        let detail = format!("{reg} has {} seats, needs {}", aircraft.seats, needs.seats);
        return Err(Exclusion::new(ExclusionReason::InsufficientCapacity, detail));
    }
    Ok(())
}

/// The nearest sites near `end` where `aircraft` may land, or why there are none.
fn usable_sites(
    fleet: &Fleet<'_>,
    rules: &AirRules,
    aircraft: &Aircraft,
    end: &End<'_>,
) -> Result<Vec<Site>, Exclusion> {
    let mut usable = Vec::new();
    let mut longest: Option<usize> = None;
    let mut wrong_surface: Option<usize> = None;
    for site in &end.sites {
        let field = &fleet.airfields[site.airfield];
        if field.kind == AirfieldKind::Helipad {
            if aircraft.helipad_capable {
                usable.push(*site);
            }
            continue;
        }
        let Some(surface) = field.surface else { continue };
        if longest.is_none_or(|l| field.runway_length_m > fleet.airfields[l].runway_length_m) {
            longest = Some(site.airfield);
        }
        if field.runway_length_m < aircraft.min_runway_m {
            continue;
        }
        if !aircraft.surfaces.contains(&surface) {
            wrong_surface.get_or_insert(site.airfield);
            continue;
        }
        usable.push(*site);
    }
    if !usable.is_empty() {
        usable.truncate(rules.sites_per_end.max(1));
        return Ok(usable);
    }
    let within = format!("within {:.0} km of {}", rules.catchment_m / 1000.0, end.place.name);
    let reg = &aircraft.registration;
    let exclusion = if let Some(field) = wrong_surface.map(|i| &fleet.airfields[i]) {
        let allowed: Vec<&str> = aircraft.surfaces.iter().map(|s| s.as_str()).collect();
        let surface = field.surface.map_or("none", |s| s.as_str());
        Exclusion::new(
            ExclusionReason::UnsuitableSurface,
            format!(
                "runway at {} is {surface}, {reg} needs {} (nearest long enough {within})",
                field.code,
                allowed.join(" or ")
            ),
        )
    } else if let Some(field) = longest.map(|i| &fleet.airfields[i]) {
        Exclusion::new(
            ExclusionReason::RunwayTooShort,
            format!(
                "runway at {} is {} m, {reg} needs {} m (longest {within})",
                field.code, field.runway_length_m, aircraft.min_runway_m
            ),
        )
    } else if aircraft.kind == AircraftKind::Helicopter {
        Exclusion::new(ExclusionReason::NoHelipad, format!("no helipad or airfield {within}"))
    } else {
        Exclusion::new(ExclusionReason::RunwayTooShort, format!("no runway {within}"))
    };
    Err(exclusion)
}
