//! Medevac eligibility: whether an aircraft may be tasked for medical aviation at a moment,
//! and every reason it may not. The Registry answers the question for its callers; the
//! dispatcher applies the same rule to the records it holds, so both always agree.
//!
//! The rule: the aircraft's airline is active and its medical-aviation certificate is in
//! force, a contract listing the aircraft is active and in force, and the aircraft is not in
//! maintenance. Certificates and contracts are valid for whole days, both ends included, in
//! the deployment's local time (Asia/Almaty, UTC+5): from 00:00 of the first day to 24:00
//! of the last. Whether the aircraft suits a particular mission (on a mission already, its
//! medical module, range, runways, night) is the dispatcher's question, not this one.

use chrono::NaiveDate;

use crate::calendar::{Period, PeriodState, format_date, local_date};

/// How many days ahead of its last valid day a certificate or contract counts as about to
/// expire, for the Registry's warnings and the situation centre alike.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// An airline's medical-aviation certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The certificate number as printed.
    pub number: String,
    /// Its validity: first and last day.
    pub validity: Period,
}

/// What the rule needs to know about an airline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Airline {
    /// The airline's code.
    pub code: String,
    /// False while the airline is suspended.
    pub active: bool,
    /// Its current certificate, if it holds one.
    pub certificate: Option<Certificate>,
}

/// The administrative state of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractState {
    /// In force between its dates.
    Active,
    /// Temporarily not in force.
    Suspended,
    /// Ended early for good.
    Terminated,
}

/// What the rule needs to know about a contract that lists the aircraft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// The contract number.
    pub number: String,
    /// Its period: first and last day in force.
    pub period: Period,
    /// Its administrative state.
    pub state: ContractState,
}

/// What the rule needs to know about the aircraft itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aircraft {
    /// The registration.
    pub registration: String,
    /// True while the aircraft is in maintenance.
    pub in_maintenance: bool,
}

/// The kinds of reason an aircraft is not eligible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonKind {
    /// The aircraft is in maintenance.
    AircraftInMaintenance,
    /// The airline is suspended.
    AirlineSuspended,
    /// The airline holds no certificate.
    CertificateMissing,
    /// The certificate's first day is still to come.
    CertificateNotYetValid,
    /// The certificate's last day has passed.
    CertificateExpired,
    /// No contract lists the aircraft.
    NoContract,
    /// A contract's first day is still to come.
    ContractNotStarted,
    /// A contract's last day has passed.
    ContractExpired,
    /// A contract is suspended.
    ContractSuspended,
    /// A contract is terminated.
    ContractTerminated,
}

/// One reason an aircraft is not eligible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// What kind of reason.
    pub kind: ReasonKind,
    /// The record at fault: registration, airline code, certificate or contract number.
    pub record_code: String,
    /// For people, lower case: "contract 17/2026 expired 2026-10-01".
    pub message: String,
}

impl Reason {
    fn new(kind: ReasonKind, record_code: &str, message: String) -> Reason {
        Reason { kind, record_code: record_code.to_string(), message }
    }
}

/// The answer for one aircraft at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The local date judged.
    pub date: NaiveDate,
    /// Every reason the aircraft is not eligible, empty when it is.
    pub reasons: Vec<Reason>,
    /// Index (into the contracts judged) of the contract in force, the one ending last if
    /// several are; `None` when none is.
    pub contract: Option<usize>,
}

impl Verdict {
    /// True when nothing stands in the way.
    pub fn eligible(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// Judges `aircraft` of `airline` at the instant `at` (µs since the epoch, UTC), read as a
/// local date at `utc_offset_minutes`. `contracts` are those that list the aircraft. Contract
/// reasons are given only when no contract is in force, one per contract.
pub fn judge(
    aircraft: &Aircraft,
    airline: &Airline,
    contracts: &[Contract],
    at: i64,
    utc_offset_minutes: i32,
) -> Verdict {
    judge_on(aircraft, airline, contracts, local_date(at, utc_offset_minutes))
}

/// [`judge`] on a local date.
pub fn judge_on(aircraft: &Aircraft, airline: &Airline, contracts: &[Contract], date: NaiveDate) -> Verdict {
    let mut reasons = Vec::new();
    if aircraft.in_maintenance {
        let message = format!("aircraft {} is in maintenance", aircraft.registration);
        reasons.push(Reason::new(ReasonKind::AircraftInMaintenance, &aircraft.registration, message));
    }
    if !airline.active {
        let message = format!("airline {} is suspended", airline.code);
        reasons.push(Reason::new(ReasonKind::AirlineSuspended, &airline.code, message));
    }
    match &airline.certificate {
        None => {
            let message = format!("airline {} holds no medical-aviation certificate", airline.code);
            reasons.push(Reason::new(ReasonKind::CertificateMissing, &airline.code, message));
        }
        Some(certificate) => {
            let number = &certificate.number;
            match certificate.validity.state_on(date) {
                PeriodState::InForce => {}
                PeriodState::NotStarted => {
                    let first = format_date(certificate.validity.first());
                    let message = format!("certificate {number} of airline {} is valid from {first}", airline.code);
                    reasons.push(Reason::new(ReasonKind::CertificateNotYetValid, number, message));
                }
                PeriodState::Ended => {
                    let last = format_date(certificate.validity.last());
                    let message = format!("certificate {number} of airline {} expired {last}", airline.code);
                    reasons.push(Reason::new(ReasonKind::CertificateExpired, number, message));
                }
            }
        }
    }

    let in_force = contracts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.state == ContractState::Active && c.period.state_on(date) == PeriodState::InForce)
        .max_by_key(|(i, c)| (c.period.last(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    if in_force.is_none() {
        if contracts.is_empty() {
            let message = format!("no contract lists aircraft {}", aircraft.registration);
            reasons.push(Reason::new(ReasonKind::NoContract, &aircraft.registration, message));
        }
        for contract in contracts {
            reasons.push(contract_reason(contract, date));
        }
    }
    Verdict { date, reasons, contract: in_force }
}

/// Why a contract that is not in force on `date` is not.
fn contract_reason(contract: &Contract, date: NaiveDate) -> Reason {
    let number = &contract.number;
    let (kind, message) = match (contract.state, contract.period.state_on(date)) {
        (ContractState::Terminated, _) => (ReasonKind::ContractTerminated, format!("contract {number} is terminated")),
        (ContractState::Suspended, _) => (ReasonKind::ContractSuspended, format!("contract {number} is suspended")),
        (ContractState::Active, PeriodState::NotStarted) => (
            ReasonKind::ContractNotStarted,
            format!("contract {number} starts {}", format_date(contract.period.first())),
        ),
        (ContractState::Active, _) => {
            (ReasonKind::ContractExpired, format!("contract {number} expired {}", format_date(contract.period.last())))
        }
    };
    Reason::new(kind, number, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use proptest::prelude::*;

    const ALMATY: i32 = 300;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn period(first: &str, last: &str) -> Period {
        Period::new(day(first), day(last)).unwrap()
    }

    /// The instant of a local Almaty wall-clock time.
    fn almaty(local: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap().timestamp_micros()
    }

    fn mi8() -> Aircraft {
        Aircraft { registration: "UP-MI805".into(), in_maintenance: false }
    }

    fn orlan() -> Airline {
        Airline {
            code: "ORLAN_2000".into(),
            active: true,
            certificate: Some(Certificate {
                number: "KZ-MA-2532".into(),
                validity: period("2025-04-20", "2028-04-19"),
            }),
        }
    }

    fn contract_17() -> Contract {
        Contract { number: "17/2026".into(), period: period("2026-02-01", "2026-10-01"), state: ContractState::Active }
    }

    fn kinds(verdict: &Verdict) -> Vec<ReasonKind> {
        verdict.reasons.iter().map(|r| r.kind).collect()
    }

    #[test]
    fn a_contract_is_in_force_from_the_first_local_midnight_to_the_end_of_its_last_day() {
        let contracts = [contract_17()];
        let at = |local| judge(&mi8(), &orlan(), &contracts, almaty(local), ALMATY);
        assert_eq!(kinds(&at("2026-01-31T23:59:59")), [ReasonKind::ContractNotStarted]);
        assert_eq!(at("2026-01-31T23:59:59").reasons[0].message, "contract 17/2026 starts 2026-02-01");
        for inside in ["2026-02-01T00:00:00", "2026-02-01T23:59:59", "2026-10-01T00:00:00", "2026-10-01T23:59:59"] {
            let verdict = at(inside);
            assert!(verdict.eligible(), "{inside}: {verdict:?}");
            assert_eq!(verdict.contract, Some(0));
        }
        let after = at("2026-10-02T00:00:00");
        assert_eq!(after.reasons[0].message, "contract 17/2026 expired 2026-10-01");
        assert_eq!(
            (after.reasons[0].kind, after.reasons[0].record_code.as_str()),
            (ReasonKind::ContractExpired, "17/2026")
        );
        // 23:59:59 in Almaty is 18:59:59 UTC the same day; 00:00 is 19:00 UTC the day before.
        let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_micros();
        assert!(judge(&mi8(), &orlan(), &contracts, utc("2026-10-01T18:59:59Z"), ALMATY).eligible());
        assert!(!judge(&mi8(), &orlan(), &contracts, utc("2026-10-01T19:00:00Z"), ALMATY).eligible());
        assert!(judge(&mi8(), &orlan(), &contracts, utc("2026-01-31T19:00:00Z"), ALMATY).eligible());
    }

    #[test]
    fn a_certificate_is_in_force_on_its_first_and_last_day() {
        let airline = Airline {
            certificate: Some(Certificate { number: "KZ-MA-1".into(), validity: period("2026-03-01", "2026-03-31") }),
            ..orlan()
        };
        let contracts = [Contract { period: period("2026-01-01", "2026-12-31"), ..contract_17() }];
        let at = |local| judge(&mi8(), &airline, &contracts, almaty(local), ALMATY);
        assert_eq!(kinds(&at("2026-02-28T23:59:59")), [ReasonKind::CertificateNotYetValid]);
        assert_eq!(
            at("2026-02-28T23:59:59").reasons[0].message,
            "certificate KZ-MA-1 of airline ORLAN_2000 is valid from 2026-03-01"
        );
        assert!(at("2026-03-01T00:00:00").eligible());
        assert!(at("2026-03-31T23:59:59").eligible());
        let expired = at("2026-04-01T00:00:00");
        assert_eq!(kinds(&expired), [ReasonKind::CertificateExpired]);
        assert_eq!(expired.reasons[0].message, "certificate KZ-MA-1 of airline ORLAN_2000 expired 2026-03-31");
        assert_eq!(expired.reasons[0].record_code, "KZ-MA-1");
    }

    #[test]
    fn every_reason_is_given_at_once() {
        let aircraft = Aircraft { in_maintenance: true, ..mi8() };
        let airline = Airline { active: false, certificate: None, ..orlan() };
        let contracts = [
            Contract { state: ContractState::Terminated, ..contract_17() },
            Contract { number: "18/2026".into(), state: ContractState::Suspended, ..contract_17() },
            Contract { number: "19/2027".into(), period: period("2027-01-01", "2027-12-31"), ..contract_17() },
        ];
        let verdict = judge_on(&aircraft, &airline, &contracts, day("2026-11-22"));
        assert_eq!(
            verdict.reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>(),
            [
                "aircraft UP-MI805 is in maintenance",
                "airline ORLAN_2000 is suspended",
                "airline ORLAN_2000 holds no medical-aviation certificate",
                "contract 17/2026 is terminated",
                "contract 18/2026 is suspended",
                "contract 19/2027 starts 2027-01-01",
            ]
        );
        assert_eq!(verdict.contract, None);
        let none = judge_on(&mi8(), &orlan(), &[], day("2026-11-22"));
        assert_eq!(
            (kinds(&none), none.reasons[0].message.as_str()),
            (vec![ReasonKind::NoContract], "no contract lists aircraft UP-MI805")
        );
    }

    #[test]
    fn one_contract_in_force_is_enough_and_the_longest_is_named() {
        let contracts = [
            contract_17(),
            Contract { number: "18/2026".into(), period: period("2026-02-01", "2027-01-31"), ..contract_17() },
            Contract { number: "19/2026".into(), period: period("2026-01-01", "2026-12-31"), ..contract_17() },
        ];
        let verdict = judge_on(&mi8(), &orlan(), &contracts, day("2026-11-22"));
        assert!(verdict.eligible(), "{verdict:?}");
        assert_eq!(verdict.contract, Some(1));
    }

    fn state() -> impl Strategy<Value = ContractState> {
        prop_oneof![Just(ContractState::Active), Just(ContractState::Suspended), Just(ContractState::Terminated)]
    }

    proptest! {
        #[test]
        fn eligible_exactly_when_every_condition_holds(
            in_maintenance: bool,
            active: bool,
            certificate in proptest::option::of((0i64..60, 0i64..60)),
            contracts in proptest::collection::vec((0i64..60, 0i64..60, state()), 0..4),
            probe in 0i64..120,
        ) {
            let base = day("2026-01-01");
            let span = |start: i64, length: i64| {
                Period::new(base + chrono::TimeDelta::days(start), base + chrono::TimeDelta::days(start + length)).unwrap()
            };
            let date = base + chrono::TimeDelta::days(probe);
            let airline = Airline {
                code: "A".into(),
                active,
                certificate: certificate.map(|(s, l)| Certificate { number: "C".into(), validity: span(s, l) }),
            };
            let contracts: Vec<Contract> = contracts
                .iter()
                .enumerate()
                .map(|(i, &(s, l, state))| Contract { number: format!("{i}/2026"), period: span(s, l), state })
                .collect();
            let aircraft = Aircraft { registration: "UP-TEST1".into(), in_maintenance };
            let verdict = judge_on(&aircraft, &airline, &contracts, date);

            let certificate_ok = airline.certificate.as_ref().is_some_and(|c| c.validity.state_on(date) == PeriodState::InForce);
            let contract_ok = contracts
                .iter()
                .any(|c| c.state == ContractState::Active && c.period.state_on(date) == PeriodState::InForce);
            prop_assert_eq!(verdict.eligible(), !in_maintenance && active && certificate_ok && contract_ok);
            prop_assert_eq!(verdict.contract.is_some(), contract_ok);
            if let Some(i) = verdict.contract {
                let last = contracts[i].period.last();
                prop_assert!(contracts.iter().all(|c| c.state != ContractState::Active
                    || c.period.state_on(date) != PeriodState::InForce
                    || c.period.last() <= last));
            } else {
                let contract_reasons = verdict.reasons.iter().filter(|r| matches!(r.kind,
                    ReasonKind::NoContract | ReasonKind::ContractNotStarted | ReasonKind::ContractExpired
                    | ReasonKind::ContractSuspended | ReasonKind::ContractTerminated)).count();
                prop_assert_eq!(contract_reasons, contracts.len().max(1));
            }
            prop_assert!(verdict.reasons.iter().all(|r| !r.message.is_empty() && r.message.chars().next().unwrap().is_lowercase()));
        }
    }
}
