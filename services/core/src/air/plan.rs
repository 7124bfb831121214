//! One aircraft's whole plan for a mission between two chosen landing sites: the
//! positioning flight from its base, the ambulance to the departure site, the patient
//! flight, the ambulance to the destination and the return flight, each timed from the
//! mission's start; then the checks that depend on the legs (range with reserve, the night
//! rule from sunrise and sunset at each site, opening hours), and the price.
//!
//! Timing: the aircraft takes off from its base when the contract's readiness has passed.
//! The ambulance leaves the origin so as to reach the site when the aircraft does, but not
//! before it has mobilised. The patient flight leaves once both are there and boarding is
//! done; the ambulance at the other end leaves after the handover. The return flight leaves
//! after a turnaround; it counts for flight hours and cost, not for arrival times, and is not
//! held to the night rule or opening hours (an aircraft may wait for the morning to return).

use chrono::Timelike as _;

use crate::local_time::{Micros, local_date_time};

use super::exclusion::{Exclusion, ExclusionReason};
use super::fleet::{Aircraft, AircraftKind, Airfield, Contract};
use super::mission::Mission;
use super::rules::AirRules;
use super::sun::{SolarDay, solar_day_at};

/// The role of a leg. Numbers match `jedel.dispatch.v1.LegKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegKind {
    /// Aircraft from its base to the departure site; absent when based there.
    PositioningFlight = 1,
    /// Ambulance from the origin to the departure site; absent when the aircraft lands at the origin.
    GroundToAirfield = 2,
    /// The mission flight.
    PatientFlight = 3,
    /// Ambulance from the arrival site to the destination; absent when it lands at the destination.
    GroundToHospital = 4,
    /// Aircraft back to its base.
    ReturnFlight = 5,
    /// The whole trip by road, for comparison.
    GroundTransfer = 6,
}

impl LegKind {
    /// The API's enum number.
    pub fn number(self) -> i32 {
        self as i32
    }
}

/// How a leg is travelled. Numbers match `jedel.dispatch.v1.TravelMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TravelMode {
    /// By plane.
    Plane = 1,
    /// By helicopter.
    Helicopter = 2,
    /// By road ambulance.
    Ground = 3,
}

impl TravelMode {
    /// The API's enum number.
    pub fn number(self) -> i32 {
        self as i32
    }

    /// How an aircraft of `kind` flies.
    pub fn of(kind: AircraftKind) -> TravelMode {
        match kind {
            AircraftKind::Plane => TravelMode::Plane,
            AircraftKind::Helicopter => TravelMode::Helicopter,
        }
    }
}

/// Where a leg starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stop {
    /// The mission's origin.
    Origin,
    /// The mission's destination.
    Destination,
    /// An airfield, airstrip or helipad: its index in [`super::Fleet::airfields`].
    Airfield(usize),
}

/// One leg of a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    /// Its role.
    pub kind: LegKind,
    /// How it is travelled.
    pub mode: TravelMode,
    /// Where it starts.
    pub from: Stop,
    /// Where it ends.
    pub to: Stop,
    /// Great circle for flights, road estimate for ground legs, m.
    pub distance_m: f64,
    /// Planned departure, µs since the epoch.
    pub departs_at: Micros,
    /// Planned arrival, µs since the epoch.
    pub arrives_at: Micros,
}

impl Leg {
    /// From departure to arrival.
    pub fn duration(&self) -> Micros {
        self.arrives_at - self.departs_at
    }

    /// True for the flight legs.
    pub fn is_flight(&self) -> bool {
        self.mode != TravelMode::Ground
    }
}

/// An eligible aircraft with its whole plan.
#[derive(Debug, Clone, PartialEq)]
pub struct AirOption {
    /// Index of the aircraft in [`super::Fleet::aircraft`].
    pub aircraft: usize,
    /// Index of the contract in force in [`super::Fleet::contracts`], whose tariff prices it.
    pub contract: usize,
    /// The legs in time order, the return flight last.
    pub legs: Vec<Leg>,
    /// From the start until the team is with the patient: at the departure site for patient
    /// transport (aircraft and patient both there), at the destination otherwise.
    pub time_to_patient: Micros,
    /// From the start until arrival at the destination.
    pub time_to_destination: Micros,
    /// Airborne time of every flight leg, return included: the billed hours.
    pub flight_time: Micros,
    /// `flight_time` at the contract's tariff, tiyn (1/100 tenge), rounded half up.
    pub cost_tiyn: i64,
}

/// A landing site chosen for one end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Site {
    /// Index into the airfields.
    pub airfield: usize,
    /// Great circle to the end, m.
    pub distance_m: f64,
}

/// What a plan is built from.
pub(super) struct PlanInput<'a> {
    pub rules: &'a AirRules,
    pub mission: &'a Mission,
    pub airfields: &'a [Airfield],
    pub aircraft: &'a Aircraft,
    pub aircraft_index: usize,
    pub base: usize,
    pub contract: &'a Contract,
    pub contract_index: usize,
}

/// Microseconds in an hour.
const HOUR: i128 = 3_600_000_000;

/// The price of `flight_time` at `tariff_kzt_per_hour`, tiyn, rounded half up.
pub fn cost_tiyn(flight_time: Micros, tariff_kzt_per_hour: i64) -> i64 {
    let tiyn = (i128::from(flight_time) * i128::from(tariff_kzt_per_hour) * 100 + HOUR / 2) / HOUR;
    i64::try_from(tiyn).unwrap_or(i64::MAX)
}

/// Builds the plan through `origin` and `destination` sites and judges it.
pub(super) fn plan(input: &PlanInput<'_>, origin: Site, destination: Site) -> Result<AirOption, Exclusion> {
    let PlanInput { rules, mission, airfields, aircraft, .. } = *input;
    let mode = TravelMode::of(aircraft.kind);
    let at = |i: usize| airfields[i].position;
    let flight = |kind, from: usize, to: usize, departs_at: Micros| {
        let distance_m = crate::dispatch::geometry::great_circle_m(at(from), at(to));
        let arrives_at = departs_at + rules.flight_time(distance_m, aircraft.cruise_speed_kmh);
        Leg { kind, mode, from: Stop::Airfield(from), to: Stop::Airfield(to), distance_m, departs_at, arrives_at }
    };
    let start = mission.start_at;
    let mut legs = Vec::with_capacity(5);

    let ready = start + input.contract.readiness;
    let aircraft_there = if input.base == origin.airfield {
        ready
    } else {
        let leg = flight(LegKind::PositioningFlight, input.base, origin.airfield, ready);
        legs.push(leg);
        leg.arrives_at
    };
    let patient_there = if origin.distance_m > rules.at_place_m {
        let drive = rules.drive(&mission.origin.region, mission.origin.position, at(origin.airfield), start);
        let departs_at = (start + drive.mobilisation).max(aircraft_there - drive.duration);
        legs.push(Leg {
            kind: LegKind::GroundToAirfield,
            mode: TravelMode::Ground,
            from: Stop::Origin,
            to: Stop::Airfield(origin.airfield),
            distance_m: drive.distance_m,
            departs_at,
            arrives_at: departs_at + drive.duration,
        });
        departs_at + drive.duration
    } else {
        start
    };
    let together = aircraft_there.max(patient_there);
    let patient_flight =
        flight(LegKind::PatientFlight, origin.airfield, destination.airfield, together + rules.boarding);
    legs.push(patient_flight);
    let arrival = if destination.distance_m > rules.at_place_m {
        let departs_at = patient_flight.arrives_at + rules.handover;
        let drive = rules.drive(
            &mission.destination.region,
            at(destination.airfield),
            mission.destination.position,
            departs_at,
        );
        legs.push(Leg {
            kind: LegKind::GroundToHospital,
            mode: TravelMode::Ground,
            from: Stop::Airfield(destination.airfield),
            to: Stop::Destination,
            distance_m: drive.distance_m,
            departs_at,
            arrives_at: departs_at + drive.duration,
        });
        departs_at + drive.duration
    } else {
        patient_flight.arrives_at
    };
    if destination.airfield != input.base {
        let turnaround = patient_flight.arrives_at + rules.turnaround;
        legs.push(flight(LegKind::ReturnFlight, destination.airfield, input.base, turnaround));
    }

    // Time order, the return flight last (it was pushed last).
    let outbound = legs.len() - usize::from(legs.last().is_some_and(|l| l.kind == LegKind::ReturnFlight));
    legs[..outbound].sort_by_key(|l| l.departs_at);

    check_range(rules, aircraft, airfields, &legs)?;
    let mission_flights: Vec<&Leg> = legs.iter().filter(|l| l.is_flight() && l.kind != LegKind::ReturnFlight).collect();
    check_night(rules, aircraft, airfields, &mission_flights)?;
    check_hours(rules, airfields, &mission_flights)?;

    let flight_time = legs.iter().filter(|l| l.is_flight()).map(Leg::duration).sum();
    let time_to_destination = arrival - start;
    Ok(AirOption {
        aircraft: input.aircraft_index,
        contract: input.contract_index,
        legs,
        time_to_patient: if mission.kind.patient_at_origin() { together - start } else { time_to_destination },
        time_to_destination,
        flight_time,
        cost_tiyn: cost_tiyn(flight_time, input.contract.tariff_kzt_per_hour),
    })
}

fn code(airfields: &[Airfield], stop: Stop) -> &str {
    match stop {
        Stop::Airfield(i) => &airfields[i].code,
        Stop::Origin => "the origin",
        Stop::Destination => "the destination",
    }
}

fn leg_name(kind: LegKind) -> &'static str {
    match kind {
        LegKind::PositioningFlight => "positioning flight",
        LegKind::PatientFlight => "patient flight",
        LegKind::ReturnFlight => "return flight",
        LegKind::GroundToAirfield | LegKind::GroundToHospital | LegKind::GroundTransfer => "ground leg",
    }
}

/// Every flight leg within the range less the reserve.
fn check_range(rules: &AirRules, aircraft: &Aircraft, airfields: &[Airfield], legs: &[Leg]) -> Result<(), Exclusion> {
    let longest = rules.longest_leg_m(aircraft.range_km, aircraft.cruise_speed_kmh);
    match legs.iter().find(|l| l.is_flight() && l.distance_m > longest) {
        None => Ok(()),
        Some(leg) => Err(Exclusion::new(
            ExclusionReason::OutOfRange,
            format!(
                "{} {} → {} is {:.0} km, {} may fly {:.0} km with a {} min reserve (range {} km)",
                leg_name(leg.kind),
                code(airfields, leg.from),
                code(airfields, leg.to),
                leg.distance_m / 1000.0,
                aircraft.registration,
                longest / 1000.0,
                rules.reserve / crate::local_time::MINUTE,
                aircraft.range_km,
            ),
        )),
    }
}

/// A take-off or landing of a mission flight.
struct Movement {
    what: &'static str,
    airfield: usize,
    at: Micros,
}

fn movements(legs: &[&Leg]) -> Vec<Movement> {
    let mut moves = Vec::with_capacity(legs.len() * 2);
    for leg in legs {
        if let (Stop::Airfield(from), Stop::Airfield(to)) = (leg.from, leg.to) {
            moves.push(Movement { what: "take-off from", airfield: from, at: leg.departs_at });
            moves.push(Movement { what: "landing at", airfield: to, at: leg.arrives_at });
        }
    }
    moves
}

/// `HH:MM` local time of an instant.
fn clock(rules: &AirRules, at: Micros) -> String {
    let local = local_date_time(at, rules.utc_offset_minutes);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// No take-off or landing between sunset and sunrise unless both the aircraft and the site may.
fn check_night(rules: &AirRules, aircraft: &Aircraft, airfields: &[Airfield], legs: &[&Leg]) -> Result<(), Exclusion> {
    for movement in movements(legs) {
        let field = &airfields[movement.airfield];
        let day = solar_day_at(field.position, movement.at, rules.utc_offset_minutes);
        if day.is_daylight(movement.at) || (aircraft.night_capable && field.night_lighting) {
            continue;
        }
        let when = match day {
            SolarDay::Rises { sunrise, .. } if movement.at < sunrise => {
                format!("before sunrise ({})", clock(rules, sunrise))
            }
            SolarDay::Rises { sunset, .. } => format!("after sunset ({})", clock(rules, sunset)),
            SolarDay::AlwaysDown | SolarDay::AlwaysUp => "in the polar night".to_string(),
        };
        let who = if aircraft.night_capable {
            format!("{} has no night lighting", field.code)
        } else {
            format!("{} may not fly at night", aircraft.registration)
        };
        let detail = format!("{} {} at {} is {when}, {who}", movement.what, field.code, clock(rules, movement.at));
        return Err(Exclusion::new(ExclusionReason::NightRule, detail));
    }
    Ok(())
}

/// Every take-off and landing of a mission flight within the site's opening hours.
fn check_hours(rules: &AirRules, airfields: &[Airfield], legs: &[&Leg]) -> Result<(), Exclusion> {
    for movement in movements(legs) {
        let field = &airfields[movement.airfield];
        let local = local_date_time(movement.at, rules.utc_offset_minutes);
        let minute = (local.hour() * 60 + local.minute()) as u16;
        if !field.hours.is_open(minute) {
            let detail = format!(
                "{} {} at {} is outside its opening hours {}–{}",
                movement.what,
                field.code,
                clock(rules, movement.at),
                field.hours.opens,
                field.hours.closes
            );
            return Err(Exclusion::new(ExclusionReason::AirfieldClosed, detail));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_the_tariff_per_hour_in_tiyn_rounded_half_up() {
        let hour = 3_600_000_000;
        assert_eq!(cost_tiyn(hour, 1_450_000), 145_000_000);
        assert_eq!(cost_tiyn(hour / 2, 1_450_000), 72_500_000);
        // 1 s at 1 tenge an hour is 1/36 tiyn: rounds to nothing; 18 s is half a tiyn: rounds up.
        assert_eq!(cost_tiyn(1_000_000, 1), 0);
        assert_eq!(cost_tiyn(18_000_000, 1), 1);
    }
}
