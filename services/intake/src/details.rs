//! Checking request fields into domain values, recording a violation for every bad field
//! (with its path, e.g. `patient.iin`) so a request is refused whole. Messages describe what
//! is wrong without repeating personal data.

use chrono::NaiveDate;
use jedel_api::Violations;
use jedel_api::intake::v1 as pb;
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::patient::age_on;
use jedel_core::triage::{GivenAnswer, Protocol};
use jedel_core::{Iin, LatLon, PhoneNumber, RegionCode, Sex};
use jedel_platform::time::from_timestamp;

use crate::model::{Call, Position};

/// Longest names (caller, patient).
const MAX_NAME_CHARS: usize = 200;
/// Longest address.
const MAX_ADDRESS_CHARS: usize = 500;
/// Longest complaint.
const MAX_COMPLAINT_CHARS: usize = 2_000;
/// Longest reason (cancel, override).
const MAX_REASON_CHARS: usize = 1_000;
/// Longest unit id.
const MAX_UNIT_ID_CHARS: usize = 128;
/// Oldest age accepted, years.
const MAX_AGE_YEARS: i32 = 130;
/// How far back a call's reception may be registered.
pub const MAX_RECEIVED_AGE: Micros = 24 * 60 * MINUTE;

pub use jedel_api::fields::{expected_version, finish, record_id, request_id};

/// A required free-text reason.
pub fn reason(value: &str) -> Result<String, &'static str> {
    let trimmed = value.trim();
    match trimmed.chars().count() {
        0 => Err("is required"),
        n if n > MAX_REASON_CHARS => Err("is longer than 1000 characters"),
        _ => Ok(trimmed.to_string()),
    }
}

/// A unit id reported by dispatch: non-empty, at most 128 characters.
pub fn unit_id(value: &str) -> Result<String, &'static str> {
    match value.chars().count() {
        0 => Err("is required"),
        n if n > MAX_UNIT_ID_CHARS => Err("is longer than 128 characters"),
        _ => Ok(value.to_string()),
    }
}

/// A region code, for the region a call belongs to.
pub fn region_code(value: &str) -> Result<RegionCode, String> {
    RegionCode::parse(value).map_err(|e| e.to_string())
}

fn text(value: &str, max: usize, field: &str, violations: &mut Violations) -> Option<String> {
    if value.chars().count() > max {
        violations.add(field, format!("is longer than {max} characters"));
        return None;
    }
    Some(value.trim().to_string())
}

/// A time given in a request: `None` when unset (meaning now), else the instant, which must
/// not be after `now` nor earlier than `earliest`.
pub fn past_time(
    value: Option<&prost_types::Timestamp>,
    now: Micros,
    earliest: Micros,
    earliest_reason: &'static str,
) -> Result<Option<Micros>, &'static str> {
    let Some(value) = value else { return Ok(None) };
    let at = from_timestamp(value).ok_or("is not a valid timestamp")?;
    if at > now {
        return Err("is in the future");
    }
    if at < earliest {
        return Err(earliest_reason);
    }
    Ok(Some(at))
}

/// Who called, checked.
#[derive(Clone)]
pub struct CallerInput {
    /// Normalised phone.
    pub phone: PhoneNumber,
    /// Name, possibly empty.
    pub name: String,
}

/// Where the patient is, checked.
#[derive(Clone)]
pub struct LocationInput {
    /// Scene position inside Kazakhstan, when known.
    pub position: Option<LatLon>,
    /// Address text.
    pub address: String,
}

/// Who the patient is, checked; with an IIN, the birth date, sex and age come from it.
#[derive(Clone)]
pub struct PatientInput {
    /// IIN, when given.
    pub iin: Option<Iin>,
    /// Name.
    pub name: String,
    /// Age in full years.
    pub age_years: Option<u32>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Birth date from the IIN.
    pub birth_date: Option<NaiveDate>,
}

/// Checks `caller` (the `field` of the request); `None` after recording violations.
pub fn caller(msg: Option<&pb::Caller>, field: &str, violations: &mut Violations) -> Option<CallerInput> {
    let Some(msg) = msg else {
        violations.add(format!("{field}.phone"), "is required");
        return None;
    };
    let phone = violations.check(&format!("{field}.phone"), PhoneNumber::parse(&msg.phone));
    let name = text(&msg.name, MAX_NAME_CHARS, &format!("{field}.name"), violations);
    Some(CallerInput { phone: phone?, name: name? })
}

/// Checks a location; an unset message means position and address unknown.
pub fn location(msg: Option<&pb::Location>, field: &str, violations: &mut Violations) -> Option<LocationInput> {
    let Some(msg) = msg else { return Some(LocationInput { position: None, address: String::new() }) };
    let position = match &msg.position {
        None => Some(None),
        Some(p) => match LatLon::parse(p.lat, p.lon) {
            Ok(position) => Some(Some(position)),
            Err(e) => {
                if let Some(lat) = e.lat {
                    violations.add(format!("{field}.position.lat"), lat.to_string());
                }
                if let Some(lon) = e.lon {
                    violations.add(format!("{field}.position.lon"), lon.to_string());
                }
                None
            }
        },
    };
    let address = text(&msg.address, MAX_ADDRESS_CHARS, &format!("{field}.address"), violations);
    Some(LocationInput { position: position?, address: address? })
}

/// Checks a patient seen on local day `today` (for the age from an IIN); an unset message
/// means nothing is known about the patient.
pub fn patient(
    msg: Option<&pb::Patient>,
    field: &str,
    today: NaiveDate,
    violations: &mut Violations,
) -> Option<PatientInput> {
    let Some(msg) = msg else {
        return Some(PatientInput { iin: None, name: String::new(), age_years: None, sex: None, birth_date: None });
    };
    let sex = match msg.sex {
        0 => Some(None),
        n => match Sex::from_number(n) {
            Some(sex) => Some(Some(sex)),
            None => {
                violations.add(format!("{field}.sex"), format!("{n} is not a sex (1 male, 2 female)"));
                None
            }
        },
    };
    let age = match msg.age_years {
        None => Some(None),
        Some(age) if (0..=MAX_AGE_YEARS).contains(&age) => Some(Some(age as u32)),
        Some(_) => {
            violations.add(format!("{field}.age_years"), format!("must be between 0 and {MAX_AGE_YEARS}"));
            None
        }
    };
    let name = text(&msg.name, MAX_NAME_CHARS, &format!("{field}.name"), violations);
    if !msg.birth_date.is_empty() {
        violations.add(format!("{field}.birth_date"), "is derived from the iin; leave it empty");
    }
    let iin_field = format!("{field}.iin");
    let (iin, birth) = match msg.iin.as_str() {
        "" => (Some(None), None),
        text => match Iin::parse(text) {
            Err(e) => {
                violations.add(&iin_field, e.to_string());
                (None, None)
            }
            Ok(iin) => match iin.birth() {
                Err(e) => {
                    violations.add(&iin_field, e.to_string());
                    (None, None)
                }
                Ok(birth) => (Some(Some(iin)), Some(birth)),
            },
        },
    };
    let (sex, age) = match (birth, sex, age) {
        (Some(birth), Some(given), _) => {
            if given.is_some_and(|s| s != birth.sex) {
                violations.add(format!("{field}.sex"), "conflicts with the sex the iin encodes");
            }
            let age = age_on(birth.date, today);
            if age.is_none() {
                violations.add(&iin_field, "encodes a birth date after the call");
            }
            (Some(Some(birth.sex)), age.map(Some))
        }
        (_, sex, age) => (sex, age),
    };
    Some(PatientInput { iin: iin?, name: name?, age_years: age?, sex: sex?, birth_date: birth.map(|b| b.date) })
}

/// Checks a complaint.
pub fn complaint(value: &str, field: &str, violations: &mut Violations) -> Option<String> {
    text(value, MAX_COMPLAINT_CHARS, field, violations)
}

/// Converts triage answers and checks them against `protocol`, one violation per bad answer
/// (`field[i].question_id` or `field[i].answer_id`).
pub fn answers(
    given: &[pb::TriageAnswer],
    protocol: &Protocol,
    field: &str,
    violations: &mut Violations,
) -> Option<Vec<GivenAnswer>> {
    let answers: Vec<GivenAnswer> = given
        .iter()
        .map(|a| GivenAnswer { question_id: a.question_id.clone(), answer_id: a.answer_id.clone() })
        .collect();
    match protocol.check_answers(&answers) {
        Ok(()) => Some(answers),
        Err(errors) => {
            for e in errors {
                violations.add(format!("{field}[{}].{}", e.index(), e.field()), e.to_string());
            }
            None
        }
    }
}

/// Writes checked caller details into a call.
pub fn apply_caller(call: &mut Call, caller: CallerInput) {
    call.personal.caller_phone = caller.phone.expose().to_string();
    call.personal.caller_name = caller.name;
}

/// Writes a checked location into a call.
pub fn apply_location(call: &mut Call, location: LocationInput) {
    call.position = location.position.map(|p| Position { lat: p.lat(), lon: p.lon() });
    call.address = location.address;
}

/// Writes checked patient details into a call.
pub fn apply_patient(call: &mut Call, patient: PatientInput) {
    call.personal.patient_iin = patient.iin.map(|i| i.expose().to_string()).unwrap_or_default();
    call.personal.patient_name = patient.name;
    call.personal.patient_birth_date = patient.birth_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    call.patient_age_years = patient.age_years;
    call.patient_sex = patient.sex;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 11, 21).unwrap()
    }

    fn check_patient(msg: pb::Patient) -> Result<PatientInput, Vec<(String, String)>> {
        let mut v = Violations::new();
        let p = patient(Some(&msg), "patient", today(), &mut v);
        match v.finish() {
            Ok(()) => Ok(p.unwrap()),
            Err(jedel_api::ApiError::InvalidArgument(list)) => {
                Err(list.into_iter().map(|f| (f.field, f.description)).collect())
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn an_iin_gives_birth_date_sex_and_age() {
        let p = check_patient(pb::Patient { iin: "900101300017".into(), ..Default::default() }).unwrap();
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1990, 1, 1));
        assert_eq!((p.sex, p.age_years), (Some(Sex::Male), Some(35)));
        // A given age is replaced by the IIN's; a matching sex is fine.
        let p = check_patient(pb::Patient {
            iin: "900101300017".into(),
            age_years: Some(50),
            sex: Sex::Male.number(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.age_years, Some(35));
    }

    fn refusals(msg: pb::Patient) -> Vec<(String, String)> {
        match check_patient(msg) {
            Ok(_) => panic!("refused"),
            Err(errors) => errors,
        }
    }

    #[test]
    fn every_bad_patient_field_is_reported_without_the_number() {
        let errors = refusals(pb::Patient {
            iin: "900101300017".into(),
            sex: Sex::Female.number(),
            name: "x".repeat(201),
            birth_date: "1990-01-01".into(),
            ..Default::default()
        });
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["patient.name", "patient.birth_date", "patient.sex"]);
        let errors = refusals(pb::Patient { iin: "900101300018".into(), age_years: Some(-1), ..Default::default() });
        assert_eq!(errors[0], ("patient.age_years".to_string(), "must be between 0 and 130".to_string()));
        assert_eq!(errors[1], ("patient.iin".to_string(), "iin checksum does not match".to_string()));
        assert!(errors.iter().all(|(_, message)| !message.contains("9001")));
    }

    #[test]
    fn positions_outside_kazakhstan_name_the_coordinate() {
        let mut v = Violations::new();
        let msg = pb::Location {
            position: Some(jedel_api::common::v1::LatLon { lat: 55.75, lon: 37.62 }),
            address: String::new(),
        };
        assert!(location(Some(&msg), "location", &mut v).is_none());
        let Err(jedel_api::ApiError::InvalidArgument(list)) = v.finish() else { panic!("invalid") };
        let fields: Vec<String> = list.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["location.position.lat", "location.position.lon"]);
    }

    #[test]
    fn times_are_checked_against_now() {
        let ts = |s: i64| prost_types::Timestamp { seconds: s, nanos: 0 };
        let now = 1_000 * 1_000_000;
        assert_eq!(past_time(None, now, 0, "too old"), Ok(None));
        assert_eq!(past_time(Some(&ts(999)), now, 0, "too old"), Ok(Some(999_000_000)));
        assert_eq!(past_time(Some(&ts(1_001)), now, 0, "too old"), Err("is in the future"));
        assert_eq!(past_time(Some(&ts(5)), now, 10_000_000, "too old"), Err("too old"));
    }
}
