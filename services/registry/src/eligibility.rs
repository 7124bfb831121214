//! The registry's side of medevac eligibility: stored rows read as the terms of
//! [`jedel_core::eligibility`], judged at a moment in the deployment's local time, and the
//! certificates and contracts that end soon.

use chrono::NaiveDate;
use jedel_core::TimeZone;
use jedel_core::calendar::{Period, local_date, parse_date};
use jedel_core::eligibility::{self, Verdict};
use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use sqlx::AnyPool;

use crate::domain::ContractStatus;
use crate::store::{self, AircraftRow, AirlineFilter, AirlineRow, ContractFilter, ContractRow};

/// The time zone certificate and contract dates are read in: Kazakhstan keeps one offset,
/// UTC+5, all year.
pub const LOCAL_TIME_ZONE: &str = "Asia/Almaty";

/// UTC offset of [`LOCAL_TIME_ZONE`] in minutes.
pub fn utc_offset_minutes() -> i32 {
    TimeZone::parse(LOCAL_TIME_ZONE).map_or(300, |zone| zone.utc_offset_minutes())
}

/// The local date of an instant in [`LOCAL_TIME_ZONE`].
pub fn local_today(at: Micros) -> NaiveDate {
    local_date(at, utc_offset_minutes())
}

fn period(first: &str, last: &str) -> Option<Period> {
    Period::new(parse_date(first).ok()?, parse_date(last).ok()?).ok()
}

/// Judges a stored aircraft of a stored airline, given the contracts that list it, at `at`.
pub fn judge(aircraft: &AircraftRow, airline: &AirlineRow, contracts: &[ContractRow], at: Micros) -> Verdict {
    let terms = eligibility::Aircraft {
        registration: aircraft.registration.clone(),
        in_maintenance: aircraft.status == "maintenance",
    };
    let certificate = match (&airline.certificate_number, &airline.certificate_issued, &airline.certificate_expires) {
        (Some(number), Some(issued), Some(expires)) => {
            period(issued, expires).map(|validity| eligibility::Certificate { number: number.clone(), validity })
        }
        _ => None,
    };
    let airline_terms =
        eligibility::Airline { code: airline.code.clone(), active: airline.status == "active", certificate };
    let contract_terms: Vec<eligibility::Contract> = contracts
        .iter()
        .filter_map(|c| {
            let state = match ContractStatus::parse(&c.status).ok()? {
                ContractStatus::Active => eligibility::ContractState::Active,
                ContractStatus::Suspended => eligibility::ContractState::Suspended,
                ContractStatus::Terminated => eligibility::ContractState::Terminated,
            };
            Some(eligibility::Contract { number: c.number.clone(), period: period(&c.starts, &c.ends)?, state })
        })
        .collect();
    eligibility::judge(&terms, &airline_terms, &contract_terms, at, utc_offset_minutes())
}

/// What kind of record ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpiryKind {
    /// An airline's medical-aviation certificate.
    Certificate,
    /// A contract that is not terminated.
    Contract,
}

impl ExpiryKind {
    /// The metric label and the sort position.
    pub fn as_str(self) -> &'static str {
        match self {
            ExpiryKind::Certificate => "certificate",
            ExpiryKind::Contract => "contract",
        }
    }
}

/// A certificate or contract and the days it has left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    /// Certificate or contract.
    pub kind: ExpiryKind,
    /// The airline holding it.
    pub airline_code: String,
    /// Certificate or contract number.
    pub number: String,
    /// Last valid day.
    pub expires: NaiveDate,
    /// Whole days from the local date judged to `expires`: 0 on the last day, negative after.
    pub days_left: i64,
    /// Sort and page key: last day, kind, number.
    pub key: String,
}

impl Expiry {
    fn new(kind: ExpiryKind, airline_code: &str, number: &str, expires: &str, today: NaiveDate) -> Option<Expiry> {
        let last = parse_date(expires).ok()?;
        Some(Expiry {
            kind,
            airline_code: airline_code.to_string(),
            number: number.to_string(),
            expires: last,
            days_left: (last - today).num_days(),
            key: format!("{expires}|{}|{number}", kind.as_str()),
        })
    }
}

/// Every current certificate and every contract not terminated (only `airline`'s when
/// given) with its days left from `today`, soonest first.
pub async fn expiries(db: &AnyPool, airline: Option<&str>, today: NaiveDate) -> Result<Vec<Expiry>, DbError> {
    const ALL: i64 = 1_000_000;
    let filter = AirlineFilter { code: airline.map(Into::into), status: None };
    let mut entries: Vec<Expiry> = store::airlines::list(db, &filter, "", ALL)
        .await?
        .iter()
        .filter_map(|a| {
            let (number, expires) = (a.certificate_number.as_deref()?, a.certificate_expires.as_deref()?);
            Expiry::new(ExpiryKind::Certificate, &a.code, number, expires, today)
        })
        .collect();
    let filter = ContractFilter { airline: airline.map(Into::into), ..Default::default() };
    for contract in store::contracts::list(db, &filter, "", ALL).await? {
        if contract.status != ContractStatus::Terminated.as_str()
            && let Some(entry) =
                Expiry::new(ExpiryKind::Contract, &contract.airline_code, &contract.number, &contract.ends, today)
        {
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(entries)
}
