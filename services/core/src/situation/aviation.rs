//! The aviation side of the fold: what the situation centre keeps of the Registry's airlines,
//! aircraft and contracts (from their `airline.*`, `aircraft.*` and `contract.*` events), the
//! flight of each medevac request (from the tasking its events carry), and the figures made of
//! them: flights by plane and helicopter, flight time and cost by airline, and the certificates
//! and contracts about to expire.
//!
//! A flight is counted from its departure (the request entering the positioning step). Its
//! flight time is the plan's until the airline reports the actual time at completion; its cost
//! is that time at the tariff of the contract it flies under.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::{ALMATY_OFFSET, DAY};
use crate::air::cost_tiyn;
use crate::calendar::{local_date, parse_date};
use crate::eligibility::EXPIRY_WARNING_DAYS;
use crate::local_time::{MINUTE, Micros};

/// Fixed-wing or rotary-wing (the API's `AircraftKind` numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AircraftKind {
    /// Aeroplane.
    Plane = 1,
    /// Helicopter.
    Helicopter = 2,
}

impl AircraftKind {
    /// The Registry's spelling (`plane`, `helicopter`).
    pub fn parse(text: &str) -> Option<AircraftKind> {
        match text {
            "plane" => Some(AircraftKind::Plane),
            "helicopter" => Some(AircraftKind::Helicopter),
            _ => None,
        }
    }
}

/// What the fold keeps of one airline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirlineFact {
    /// Registry id.
    pub id: String,
    /// Name for display.
    pub name: String,
    /// The medical-aviation certificate: number and last valid day, `YYYY-MM-DD`.
    pub certificate: Option<(String, String)>,
}

/// What the fold keeps of one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFact {
    /// Registry id.
    pub id: String,
    /// Contracted airline (code).
    pub airline_code: String,
    /// Last day in force, `YYYY-MM-DD`.
    pub ends: String,
    /// Tariff per flight hour, whole tenge.
    pub tariff_kzt_per_hour: i64,
    /// Terminated contracts no longer expire.
    pub terminated: bool,
}

/// The Registry's aviation records as of the last event folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fleet {
    /// Airlines by code.
    pub airlines: BTreeMap<String, AirlineFact>,
    /// Aircraft kinds by registration.
    pub aircraft: BTreeMap<String, AircraftKind>,
    /// Contracts by number.
    pub contracts: BTreeMap<String, ContractFact>,
}

#[derive(Deserialize)]
struct AirlineRecord {
    id: String,
    code: String,
    name: String,
    certificate_number: Option<String>,
    certificate_expires: Option<String>,
}

#[derive(Deserialize)]
struct AircraftRecord {
    registration: String,
    kind: String,
}

#[derive(Deserialize)]
struct ContractRecord {
    id: String,
    number: String,
    airline_code: String,
    ends: String,
    tariff_kzt_per_hour: i64,
    status: String,
}

impl Fleet {
    /// Folds one Registry row (the payload of `<record>.created` / `.updated`); `None` when the
    /// payload cannot be read, else whether anything changed.
    pub(super) fn apply(&mut self, aggregate_type: &str, payload: &str) -> Option<bool> {
        Some(match aggregate_type {
            "airline" => {
                let a: AirlineRecord = serde_json::from_str(payload).ok()?;
                let certificate = a.certificate_number.zip(a.certificate_expires);
                let fact = AirlineFact { id: a.id, name: a.name, certificate };
                self.airlines.insert(a.code, fact.clone()).as_ref() != Some(&fact)
            }
            "aircraft" => {
                let a: AircraftRecord = serde_json::from_str(payload).ok()?;
                let kind = AircraftKind::parse(&a.kind)?;
                self.aircraft.insert(a.registration, kind) != Some(kind)
            }
            "contract" => {
                let c: ContractRecord = serde_json::from_str(payload).ok()?;
                let fact = ContractFact {
                    id: c.id,
                    airline_code: c.airline_code,
                    ends: c.ends,
                    tariff_kzt_per_hour: c.tariff_kzt_per_hour,
                    terminated: c.status == "terminated",
                };
                self.contracts.insert(c.number, fact.clone()).as_ref() != Some(&fact)
            }
            _ => false,
        })
    }

    /// The certificates and contracts whose last valid day is between the local date of `now`
    /// and [`EXPIRY_WARNING_DAYS`] after it, soonest first.
    pub fn expiring(&self, now: Micros) -> Vec<Expiring> {
        let today = local_date(now, (ALMATY_OFFSET / MINUTE) as i32);
        let soon = |last: &str| {
            let last = parse_date(last).ok()?;
            (0..=EXPIRY_WARNING_DAYS).contains(&(last - today).num_days()).then_some(last)
        };
        let mut out = Vec::new();
        for (code, airline) in &self.airlines {
            if let Some((number, expires)) = &airline.certificate
                && let Some(last) = soon(expires)
            {
                out.push(Expiring {
                    kind: DocumentKind::Certificate,
                    document_id: airline.id.clone(),
                    number: number.clone(),
                    airline_code: code.clone(),
                    expires_at: end_of(last),
                });
            }
        }
        for (number, contract) in self.contracts.iter().filter(|(_, c)| !c.terminated) {
            if let Some(last) = soon(&contract.ends) {
                out.push(Expiring {
                    kind: DocumentKind::Contract,
                    document_id: contract.id.clone(),
                    number: number.clone(),
                    airline_code: contract.airline_code.clone(),
                    expires_at: end_of(last),
                });
            }
        }
        out.sort_by(|a, b| (a.expires_at, a.kind, &a.number).cmp(&(b.expires_at, b.kind, &b.number)));
        out
    }
}

/// The instant a document whose last valid day is `last` stops being valid: the following
/// Asia/Almaty midnight, as UTC µs.
fn end_of(last: NaiveDate) -> Micros {
    let days = (last - NaiveDate::default()).num_days() + 1;
    days * DAY - ALMATY_OFFSET
}

/// Certificate or contract (the API's `DocumentKind` numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    /// An airline's medical-aviation certificate.
    Certificate = 1,
    /// A contract between NCCEM and an airline.
    Contract = 2,
}

/// A certificate or contract about to expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    /// Certificate or contract.
    pub kind: DocumentKind,
    /// The contract's Registry id, or the airline's for its certificate.
    pub document_id: String,
    /// Its number.
    pub number: String,
    /// The airline holding it (code).
    pub airline_code: String,
    /// When it stops being valid.
    pub expires_at: Micros,
}

/// The flight of one medevac request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flight {
    /// When it departed (entered the positioning step).
    pub departed_at: Micros,
    /// Operating airline (code).
    pub airline_code: String,
    /// Plane or helicopter; `None` when the aircraft is not in the Registry's events.
    pub kind: Option<AircraftKind>,
    /// Flight time: the plan's until the airline reports the actual time.
    pub flight_time: Micros,
    /// Cost of `flight_time`, tiyn (1/100 tenge).
    pub cost_tiyn: i64,
}

/// The part of a medevac tasking the fold reads.
#[derive(Debug, Deserialize)]
pub(super) struct TaskingRecord {
    airline_code: String,
    aircraft_registration: String,
    contract_number: String,
    plan: PlanRecord,
    actual_flight_time: Option<Micros>,
}

#[derive(Debug, Deserialize)]
struct PlanRecord {
    flight_time: Micros,
    cost_tiyn: i64,
}

impl Flight {
    /// The flight of `tasking`, departed at `departed_at` (counted, with nothing known of it,
    /// when the event carries no tasking).
    pub(super) fn departed(fleet: &Fleet, tasking: Option<&TaskingRecord>, departed_at: Micros) -> Flight {
        let Some(tasking) = tasking else {
            return Flight { departed_at, airline_code: String::new(), kind: None, flight_time: 0, cost_tiyn: 0 };
        };
        let mut flight = Flight {
            departed_at,
            airline_code: tasking.airline_code.clone(),
            kind: fleet.aircraft.get(&tasking.aircraft_registration).copied(),
            flight_time: tasking.plan.flight_time,
            cost_tiyn: tasking.plan.cost_tiyn,
        };
        flight.update(fleet, tasking);
        flight
    }

    /// Takes the actual flight time once the tasking carries it, priced at its contract's
    /// tariff (the plan's cost stays when the contract is unknown). Returns whether it changed.
    pub(super) fn update(&mut self, fleet: &Fleet, tasking: &TaskingRecord) -> bool {
        let Some(actual) = tasking.actual_flight_time else { return false };
        let cost = fleet
            .contracts
            .get(&tasking.contract_number)
            .map_or(self.cost_tiyn, |c| cost_tiyn(actual, c.tariff_kzt_per_hour));
        let changed = (self.flight_time, self.cost_tiyn) != (actual, cost);
        (self.flight_time, self.cost_tiyn) = (actual, cost);
        changed
    }
}

/// Flights, flight time and cost of one airline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AirlineTotals {
    /// Flights.
    pub flights: i64,
    /// Flight time, µs.
    pub flight_time: Micros,
    /// Cost, tiyn.
    pub cost_tiyn: i64,
}

impl AirlineTotals {
    /// Counts one flight.
    pub fn count(&mut self, flight: &Flight) {
        self.flights += 1;
        self.flight_time += flight.flight_time;
        self.cost_tiyn += flight.cost_tiyn;
    }

    /// Adds another airline's totals.
    pub fn add(&mut self, other: AirlineTotals) {
        self.flights += other.flights;
        self.flight_time += other.flight_time;
        self.cost_tiyn += other.cost_tiyn;
    }
}
