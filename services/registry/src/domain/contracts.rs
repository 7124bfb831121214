//! Contracts between NCCEM and an airline for the aircraft they list.

use chrono::NaiveDate;
use jedel_core::aviation::{AirlineCode, ContractNumber, Registration};
use jedel_core::calendar::{Period, format_date};

use super::{Problems, Reference, whole, word_enum};

/// Most aircraft one contract lists.
const MAX_AIRCRAFT: usize = 200;
/// Highest tariff per flight hour, whole tenge (with margin).
const MAX_TARIFF_KZT: i64 = 1_000_000_000;

word_enum!(
    /// The administrative state of a contract.
    ContractStatus, "a contract status" {
        /// In force between its dates.
        Active = 1, "active";
        /// Temporarily not in force.
        Suspended = 2, "suspended";
        /// Ended early for good.
        Terminated = 3, "terminated";
    }
);

/// A contract's writable fields as they arrive, not yet checked.
#[derive(Debug, Clone)]
pub struct ContractInput<'a> {
    /// Contract number.
    pub number: &'a str,
    /// Contracted airline's code.
    pub airline_code: &'a str,
    /// First day, `None` when not given, or why it could not be read.
    pub starts: Result<Option<NaiveDate>, String>,
    /// Last day, `None` when not given, or why it could not be read.
    pub ends: Result<Option<NaiveDate>, String>,
    /// Registrations of the aircraft covered.
    pub aircraft: Vec<&'a str>,
    /// Tariff per flight hour in whole tenge, or why it could not be read.
    pub tariff_kzt_per_hour: Result<i64, String>,
    /// Readiness commitment in minutes, if given.
    pub readiness_minutes: Option<i64>,
    /// Status, or why it could not be read.
    pub status: Result<ContractStatus, String>,
}

/// A contract's writable fields, checked (except that its airline and aircraft exist).
#[derive(Debug, Clone, PartialEq)]
pub struct ContractFields {
    /// Contract number; the contract's code.
    pub number: ContractNumber,
    /// Contracted airline.
    pub airline_code: AirlineCode,
    /// First and last day in force.
    pub period: Period,
    /// Aircraft covered, at least one, without repeats.
    pub aircraft: Vec<Registration>,
    /// Tariff per flight hour, whole tenge, positive.
    pub tariff_kzt_per_hour: i64,
    /// Airborne within this many minutes of tasking, positive.
    pub readiness_minutes: i32,
    /// Status.
    pub status: ContractStatus,
}

impl ContractFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &ContractInput<'_>, problems: &mut Problems) -> Option<ContractFields> {
        let number = problems.check("number", ContractNumber::parse(input.number));
        let airline_code = problems.check("airline_code", AirlineCode::parse(input.airline_code));
        let starts = problems.check("starts", input.starts.clone().and_then(|d| d.ok_or("is required".into())));
        let ends = problems.check("ends", input.ends.clone().and_then(|d| d.ok_or("is required".into())));
        let period = match (starts, ends) {
            (Some(starts), Some(ends)) => match Period::new(starts, ends) {
                Ok(period) => Some(period),
                Err(_) => problems
                    .check("ends", Err(format!("{} is before starts {}", format_date(ends), format_date(starts)))),
            },
            _ => None,
        };
        let aircraft = problems.check("aircraft", registrations(&input.aircraft));
        let tariff_kzt_per_hour = problems.check(
            "tariff_kzt_per_hour",
            input.tariff_kzt_per_hour.clone().and_then(|t| match t {
                t if t <= 0 => Err("must be positive".to_string()),
                t if t > MAX_TARIFF_KZT => Err(format!("is more than {MAX_TARIFF_KZT}")),
                t => Ok(t),
            }),
        );
        let readiness_minutes = problems.check("readiness_minutes", whole(input.readiness_minutes, 1..=10_080));
        let status = problems.check("status", input.status.clone());
        Some(ContractFields {
            number: number?,
            airline_code: airline_code?,
            period: period?,
            aircraft: aircraft?,
            tariff_kzt_per_hour: tariff_kzt_per_hour?,
            readiness_minutes: readiness_minutes?,
            status: status?,
        })
    }
}

/// The registrations a contract lists: at least one, each well formed, without repeats.
fn registrations(texts: &[&str]) -> Result<Vec<Registration>, String> {
    if texts.is_empty() {
        return Err("must list at least one aircraft".into());
    }
    if texts.len() > MAX_AIRCRAFT {
        return Err(format!("lists more than {MAX_AIRCRAFT} aircraft"));
    }
    let mut registrations: Vec<Registration> = Vec::with_capacity(texts.len());
    for text in texts {
        let registration = Registration::parse(text).map_err(|e| e.to_string())?;
        if registrations.contains(&registration) {
            return Err(format!("{registration} is listed twice"));
        }
        registrations.push(registration);
    }
    Ok(registrations)
}

/// What a contract references: its airline, and each aircraft, which must be that airline's.
pub fn contract_references(input: &ContractInput<'_>) -> Vec<(&'static str, Reference)> {
    let mut references = Vec::new();
    let Ok(airline) = AirlineCode::parse(input.airline_code) else { return references };
    references.push(("airline_code", Reference::Airline(airline.to_string())));
    for text in &input.aircraft {
        if let Ok(registration) = Registration::parse(text) {
            let (registration, airline) = (registration.to_string(), airline.to_string());
            references.push(("aircraft", Reference::AircraftOf { registration, airline }));
        }
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_core::calendar::parse_date;

    fn seventeen<'a>() -> ContractInput<'a> {
        ContractInput {
            number: "17/2026",
            airline_code: "ORLAN_2000",
            starts: Ok(Some(parse_date("2026-02-01").unwrap())),
            ends: Ok(Some(parse_date("2026-10-01").unwrap())),
            aircraft: vec!["UP-MI805", "UP-MI806", "UP-MI807"],
            tariff_kzt_per_hour: Ok(1_400_000),
            readiness_minutes: Some(120),
            status: Ok(ContractStatus::Active),
        }
    }

    #[test]
    fn a_contract_parses_and_references_its_airline_and_aircraft() {
        let mut problems = Problems::new();
        let fields = ContractFields::parse(&seventeen(), &mut problems).unwrap();
        assert_eq!((fields.aircraft.len(), fields.period.last()), (3, parse_date("2026-10-01").unwrap()));
        let references = contract_references(&seventeen());
        assert_eq!(references.len(), 4);
        assert_eq!(
            references[1],
            ("aircraft", Reference::AircraftOf { registration: "UP-MI805".into(), airline: "ORLAN_2000".into() })
        );
    }

    #[test]
    fn dates_are_ordered_and_the_aircraft_distinct() {
        let input = ContractInput {
            starts: Ok(Some(parse_date("2026-10-02").unwrap())),
            aircraft: vec!["UP-MI805", "UP-MI805"],
            tariff_kzt_per_hour: Ok(0),
            readiness_minutes: Some(0),
            ..seventeen()
        };
        let mut problems = Problems::new();
        assert!(ContractFields::parse(&input, &mut problems).is_none());
        assert_eq!(
            problems.into_vec(),
            [
                ("ends", "2026-10-01 is before starts 2026-10-02".to_string()),
                ("aircraft", "UP-MI805 is listed twice".to_string()),
                ("tariff_kzt_per_hour", "must be positive".to_string()),
                ("readiness_minutes", "must be positive".to_string()),
            ]
        );
        let empty = ContractInput { aircraft: vec![], starts: Ok(None), ..seventeen() };
        let mut problems = Problems::new();
        assert!(ContractFields::parse(&empty, &mut problems).is_none());
        assert_eq!(
            problems.into_vec(),
            [("starts", "is required".to_string()), ("aircraft", "must list at least one aircraft".to_string())]
        );
    }
}
