//! Checking request fields into the service's records, recording a violation for every bad
//! field (with its path, e.g. `details.patient.iin`) so a request is refused whole. Messages
//! describe what is wrong without repeating personal data.
//!
//! A draft may be incomplete: [`details`] checks every field that is given; [`incomplete`]
//! lists what SubmitRequest still needs.

use chrono::NaiveDate;
use jedel_api::Violations;
use jedel_api::medevac::v1 as pb;
use jedel_core::calendar::{format_date, parse_date};
use jedel_core::icd10::Icd10Code;
use jedel_core::local_time::Micros;
use jedel_core::medevac::{MissionType, PatientNeed, Severity, Urgency};
use jedel_core::patient::age_on;
use jedel_core::{Iin, LatLon, PhoneNumber, RegionCode, Sex};
use jedel_platform::time::from_timestamp;

use crate::model::{Care, Clinician, Companion, Consent, Details, Facility, Personal, Point, Vitals};

/// Longest reason or remark.
const MAX_REASON_CHARS: usize = 1_000;
/// Longest name of a person.
const MAX_NAME_CHARS: usize = 200;
/// Longest title, relation or department.
const MAX_LABEL_CHARS: usize = 200;
/// Longest facility name.
const MAX_FACILITY_NAME_CHARS: usize = 300;
/// Longest diagnosis text.
const MAX_DIAGNOSIS_CHARS: usize = 2_000;
/// Longest notes.
const MAX_NOTES_CHARS: usize = 4_000;
/// Most accompanying persons.
const MAX_ACCOMPANYING: usize = 10;
/// Oldest patient accepted, years.
const MAX_AGE_YEARS: u32 = 130;
/// Body weight range, kg (a premature neonate to a very heavy adult).
const WEIGHT_KG: std::ops::RangeInclusive<f64> = 0.3..=350.0;

pub use jedel_api::fields::{expected_version, finish, record_id, request_id};

/// A required free-text reason.
pub fn reason(value: &str) -> Result<String, &'static str> {
    match optional_reason(value)? {
        r if r.is_empty() => Err("is required"),
        r => Ok(r),
    }
}

/// An optional free-text reason or remark, trimmed.
pub fn optional_reason(value: &str) -> Result<String, &'static str> {
    let trimmed = value.trim();
    if trimmed.chars().count() > MAX_REASON_CHARS {
        Err("is longer than 1000 characters")
    } else {
        Ok(trimmed.to_string())
    }
}

/// A region code.
pub fn region_code(value: &str) -> Result<RegionCode, String> {
    RegionCode::parse(value).map_err(|e| e.to_string())
}

/// A timestamp given in a request.
pub fn timestamp(value: &prost_types::Timestamp) -> Result<Micros, &'static str> {
    from_timestamp(value).ok_or("is not a valid timestamp")
}

/// A time that must not be after `now`.
pub fn past_time(value: &prost_types::Timestamp, now: Micros) -> Result<Micros, &'static str> {
    let at = timestamp(value)?;
    if at > now { Err("is in the future") } else { Ok(at) }
}

fn text(value: &str, max: usize, field: &str, v: &mut Violations) -> Option<String> {
    if value.chars().count() > max {
        v.add(field, format!("is longer than {max} characters"));
        return None;
    }
    Some(value.trim().to_string())
}

/// A phone number: empty, or normalised to E.164.
pub fn phone(value: &str, field: &str, v: &mut Violations) -> Option<String> {
    if value.trim().is_empty() {
        return Some(String::new());
    }
    v.check(field, PhoneNumber::parse(value)).map(|p| p.expose().to_string())
}

/// A position inside Kazakhstan, one violation per bad coordinate.
pub fn point(msg: &jedel_api::common::v1::LatLon, field: &str, v: &mut Violations) -> Option<Point> {
    match LatLon::parse(msg.lat, msg.lon) {
        Ok(p) => Some(Point { lat: p.lat(), lon: p.lon() }),
        Err(e) => {
            if let Some(lat) = e.lat {
                v.add(format!("{field}.lat"), lat.to_string());
            }
            if let Some(lon) = e.lon {
                v.add(format!("{field}.lon"), lon.to_string());
            }
            None
        }
    }
}

fn enum_value<T>(
    number: i32,
    parse: fn(i32) -> Option<T>,
    what: &str,
    field: &str,
    v: &mut Violations,
) -> Option<Option<T>> {
    match number {
        0 => Some(None),
        n => match parse(n) {
            Some(value) => Some(Some(value)),
            None => {
                v.add(field, format!("{n} is not {what}"));
                None
            }
        },
    }
}

fn weight(value: f64, field: &str, v: &mut Violations) -> Option<Option<f64>> {
    if value == 0.0 {
        return Some(None);
    }
    if !value.is_finite() || !WEIGHT_KG.contains(&value) {
        v.add(field, "must be between 0.3 and 350 kg");
        return None;
    }
    Some(Some(value))
}

/// A clinician.
pub fn clinician(msg: Option<&pb::Clinician>, field: &str, v: &mut Violations) -> Option<Clinician> {
    let Some(msg) = msg else { return Some(Clinician::default()) };
    let full_name = text(&msg.full_name, MAX_NAME_CHARS, &format!("{field}.full_name"), v);
    let title = text(&msg.title, MAX_LABEL_CHARS, &format!("{field}.title"), v);
    let phone = phone(&msg.phone, &format!("{field}.phone"), v);
    Some(Clinician { full_name: full_name?, title: title?, phone: phone? })
}

/// A facility; a registry hospital it names is checked (and completes it) separately.
pub fn facility(msg: Option<&pb::Facility>, field: &str, v: &mut Violations) -> Option<Facility> {
    let Some(msg) = msg else { return Some(Facility::default()) };
    let hospital_id = match msg.hospital_id.as_str() {
        "" => Some(None),
        id => v.check(&format!("{field}.hospital_id"), record_id(id)).map(Some),
    };
    let name = text(&msg.name, MAX_FACILITY_NAME_CHARS, &format!("{field}.name"), v);
    let department = text(&msg.department, MAX_LABEL_CHARS, &format!("{field}.department"), v);
    let position = match &msg.position {
        None => Some(None),
        Some(p) => point(p, &format!("{field}.position"), v).map(Some),
    };
    Some(Facility { hospital_id: hospital_id?, name: name?, department: department?, position: position? })
}

fn range(
    value: Option<i32>,
    bounds: std::ops::RangeInclusive<i32>,
    field: &str,
    v: &mut Violations,
) -> Option<Option<i32>> {
    match value {
        Some(n) if !bounds.contains(&n) => {
            v.add(field, format!("must be between {} and {}", bounds.start(), bounds.end()));
            None
        }
        other => Some(other),
    }
}

fn vitals(msg: &pb::VitalSigns, field: &str, now: Micros, v: &mut Violations) -> Option<Vitals> {
    let f = |name: &str| format!("{field}.{name}");
    let heart_rate_bpm = range(msg.heart_rate_bpm, 0..=300, &f("heart_rate_bpm"), v);
    let systolic_mmhg = range(msg.systolic_mmhg, 0..=300, &f("systolic_mmhg"), v);
    let diastolic_mmhg = range(msg.diastolic_mmhg, 0..=250, &f("diastolic_mmhg"), v);
    if let (Some(Some(s)), Some(Some(d))) = (systolic_mmhg, diastolic_mmhg)
        && d > s
    {
        v.add(f("diastolic_mmhg"), "is above the systolic pressure");
    }
    let respiratory_rate_per_min = range(msg.respiratory_rate_per_min, 0..=100, &f("respiratory_rate_per_min"), v);
    let spo2_percent = range(msg.spo2_percent, 0..=100, &f("spo2_percent"), v);
    let gcs = range(msg.gcs, 3..=15, &f("gcs"), v);
    let temperature_c = match msg.temperature_c {
        Some(t) if !(t.is_finite() && (25.0..=45.0).contains(&t)) => {
            v.add(f("temperature_c"), "must be between 25 and 45 °C");
            None
        }
        other => Some(other),
    };
    let measured_at = match &msg.measured_at {
        None => Some(None),
        Some(ts) => v.check(&f("measured_at"), past_time(ts, now)).map(Some),
    };
    Some(Vitals {
        heart_rate_bpm: heart_rate_bpm?,
        systolic_mmhg: systolic_mmhg?,
        diastolic_mmhg: diastolic_mmhg?,
        respiratory_rate_per_min: respiratory_rate_per_min?,
        spo2_percent: spo2_percent?,
        temperature_c: temperature_c?,
        gcs: gcs?,
        measured_at: measured_at?,
    })
}

/// The patient: identity (IIN, names, birth date, sex), diagnosis and vitals into
/// [`Personal`], what the flight must provide into [`Care`]. With an IIN, the birth date and
/// sex it encodes must agree with any given.
fn patient(
    msg: Option<&pb::Patient>,
    field: &str,
    today: NaiveDate,
    now: Micros,
    v: &mut Violations,
) -> Option<(Personal, Care)> {
    let Some(msg) = msg else { return Some((Personal::default(), Care::default())) };
    let f = |name: &str| format!("{field}.{name}");
    let family_name = text(&msg.family_name, MAX_NAME_CHARS, &f("family_name"), v);
    let given_name = text(&msg.given_name, MAX_NAME_CHARS, &f("given_name"), v);
    let patronymic = text(&msg.patronymic, MAX_NAME_CHARS, &f("patronymic"), v);
    let sex = enum_value(msg.sex, Sex::from_number, "a sex (1 male, 2 female)", &f("sex"), v);
    let birth_date = match msg.birth_date.trim() {
        "" => Some(None),
        text => match parse_date(text) {
            Err(e) => {
                v.add(f("birth_date"), e.to_string());
                None
            }
            Ok(date) if date > today => {
                v.add(f("birth_date"), "is in the future");
                None
            }
            Ok(date) if age_on(date, today).is_some_and(|age| age > MAX_AGE_YEARS) => {
                v.add(f("birth_date"), format!("is more than {MAX_AGE_YEARS} years ago"));
                None
            }
            Ok(date) => Some(Some(date)),
        },
    };
    let iin = match msg.iin.trim() {
        "" => Some(None),
        text => match Iin::parse(text).map_err(|e| e.to_string()).and_then(|iin| {
            let birth = iin.birth().map_err(|e| e.to_string())?;
            Ok((iin, birth))
        }) {
            Err(e) => {
                v.add(f("iin"), e);
                None
            }
            Ok((iin, birth)) => {
                if birth.date > today {
                    v.add(f("iin"), "encodes a birth date in the future");
                }
                if let Some(Some(given)) = birth_date
                    && given != birth.date
                {
                    v.add(f("birth_date"), "conflicts with the birth date the iin encodes");
                }
                if let Some(Some(given)) = sex
                    && given != birth.sex
                {
                    v.add(f("sex"), "conflicts with the sex the iin encodes");
                }
                Some(Some((iin, birth)))
            }
        },
    };
    let icd10_code = match msg.icd10_code.trim() {
        "" => Some(String::new()),
        code => v.check(&f("icd10_code"), Icd10Code::parse(code)).map(|c| c.to_string()),
    };
    let diagnosis = text(&msg.diagnosis, MAX_DIAGNOSIS_CHARS, &f("diagnosis"), v);
    let severity = enum_value(msg.severity, Severity::from_number, "a severity", &f("severity"), v);
    let vital_signs = match &msg.vital_signs {
        None => Some(None),
        Some(vs) => vitals(vs, &f("vital_signs"), now, v).map(Some),
    };
    let weight_kg = weight(msg.weight_kg, &f("weight_kg"), v);
    let mut needs = Some(Vec::new());
    for (i, &n) in msg.needs.iter().enumerate() {
        let field = format!("{field}.needs[{i}]");
        match PatientNeed::from_number(n) {
            None => {
                v.add(field, format!("{n} is not a patient need"));
                needs = None;
            }
            Some(need) if msg.needs[..i].contains(&n) => {
                v.add(field, format!("{need} is listed twice"));
                needs = None;
            }
            Some(need) => {
                if let Some(list) = needs.as_mut() {
                    list.push(need);
                }
            }
        }
    }
    let iin = iin?;
    let birth_date = birth_date?.or(iin.as_ref().map(|(_, birth)| birth.date));
    let sex = sex?.or(iin.as_ref().map(|(_, birth)| birth.sex));
    let personal = Personal {
        iin: iin.map(|(iin, _)| iin.expose().to_string()).unwrap_or_default(),
        family_name: family_name?,
        given_name: given_name?,
        patronymic: patronymic?,
        birth_date: birth_date.map(format_date).unwrap_or_default(),
        sex,
        icd10_code: icd10_code?,
        diagnosis: diagnosis?,
        vital_signs: vital_signs?,
        accompanying: Vec::new(),
        notes: String::new(),
    };
    let care = Care {
        weight_kg: weight_kg?,
        severity: severity?,
        ventilated: msg.ventilated,
        needs: needs?,
        infectious: msg.infectious,
    };
    Some((personal, care))
}

fn companions(list: &[pb::AccompanyingPerson], field: &str, v: &mut Violations) -> Option<Vec<Companion>> {
    if list.len() > MAX_ACCOMPANYING {
        v.add(field, format!("lists more than {MAX_ACCOMPANYING} persons"));
        return None;
    }
    let mut out = Some(Vec::new());
    for (i, person) in list.iter().enumerate() {
        let f = |name: &str| format!("{field}[{i}].{name}");
        let full_name = match text(&person.full_name, MAX_NAME_CHARS, &f("full_name"), v) {
            Some(name) if name.is_empty() => {
                v.add(f("full_name"), "is required");
                None
            }
            other => other,
        };
        let relation = text(&person.relation, MAX_LABEL_CHARS, &f("relation"), v);
        let weight_kg = weight(person.weight_kg, &f("weight_kg"), v);
        match (full_name, relation, weight_kg, out.as_mut()) {
            (Some(full_name), Some(relation), Some(weight_kg), Some(list)) => {
                list.push(Companion { full_name, relation, weight_kg })
            }
            _ => out = None,
        }
    }
    out
}

/// Checked request details: what everyone in scope may see, and the personal data.
#[derive(Debug, Clone, Default)]
pub struct DetailsInput {
    /// The non-personal details.
    pub details: Details,
    /// The personal data.
    pub personal: Personal,
}

/// Checks `details` (the `field` of the request) as written on local day `today` at `now`;
/// an unset message is an empty draft.
pub fn details(
    msg: Option<&pb::RequestDetails>,
    field: &str,
    today: NaiveDate,
    now: Micros,
    v: &mut Violations,
) -> Option<DetailsInput> {
    let Some(msg) = msg else { return Some(DetailsInput::default()) };
    let f = |name: &str| format!("{field}.{name}");
    let mission_type = enum_value(msg.mission_type, MissionType::from_number, "a mission type", &f("mission_type"), v);
    let urgency = enum_value(msg.urgency, Urgency::from_number, "an urgency", &f("urgency"), v);
    let coordinating_doctor = clinician(msg.coordinating_doctor.as_ref(), &f("coordinating_doctor"), v);
    let patient = patient(msg.patient.as_ref(), &f("patient"), today, now, v);
    let accompanying = companions(&msg.accompanying_persons, &f("accompanying_persons"), v);
    let origin = facility(msg.origin.as_ref(), &f("origin"), v);
    let destination = facility(msg.destination.as_ref(), &f("destination"), v);
    let receiving_consent = match &msg.receiving_consent {
        None => Some(Consent::default()),
        Some(c) => {
            let doctor = clinician(c.doctor.as_ref(), &f("receiving_consent.doctor"), v);
            let given_at = match &c.given_at {
                None => Some(None),
                Some(ts) => v.check(&f("receiving_consent.given_at"), past_time(ts, now)).map(Some),
            };
            doctor.zip(given_at).map(|(doctor, given_at)| Consent { doctor, given_at })
        }
    };
    let window = msg.wanted_window.unwrap_or_default();
    let wanted_from = match &window.from {
        None => Some(None),
        Some(ts) => v.check(&f("wanted_window.from"), timestamp(ts)).map(Some),
    };
    let wanted_to = match &window.to {
        None => Some(None),
        Some(ts) => v.check(&f("wanted_window.to"), timestamp(ts)).map(Some),
    };
    if let (Some(Some(from)), Some(Some(to))) = (wanted_from, wanted_to)
        && to <= from
    {
        v.add(f("wanted_window.to"), "is not after wanted_window.from");
    }
    let notes = text(&msg.notes, MAX_NOTES_CHARS, &f("notes"), v);
    let (mut personal, care) = patient?;
    let accompanying = accompanying?;
    personal.notes = notes?;
    let details = Details {
        mission_type: mission_type?,
        urgency: urgency?,
        coordinating_doctor: coordinating_doctor?,
        care,
        accompanying_count: accompanying.len() as u32,
        accompanying_weight_kg: accompanying.iter().filter_map(|c| c.weight_kg).sum(),
        origin: origin?,
        destination: destination?,
        receiving_consent: receiving_consent?,
        wanted_from: wanted_from?,
        wanted_to: wanted_to?,
    };
    personal.accompanying = accompanying;
    Some(DetailsInput { details, personal })
}

/// What a request still lacks to be submitted, as `(field, problem)` under `details.`.
pub fn incomplete(details: &Details, personal: &Personal) -> Vec<(String, &'static str)> {
    let mut missing = Vec::new();
    let mut need = |absent: bool, field: &str| {
        if absent {
            missing.push((format!("details.{field}"), "is required to submit"));
        }
    };
    need(details.mission_type.is_none(), "mission_type");
    need(details.urgency.is_none(), "urgency");
    need(details.coordinating_doctor.full_name.is_empty(), "coordinating_doctor.full_name");
    need(details.coordinating_doctor.phone.is_empty(), "coordinating_doctor.phone");
    if personal.iin.is_empty() {
        need(personal.family_name.is_empty(), "patient.family_name");
        need(personal.given_name.is_empty(), "patient.given_name");
        need(personal.birth_date.is_empty(), "patient.birth_date");
    }
    need(personal.icd10_code.is_empty(), "patient.icd10_code");
    need(details.care.severity.is_none(), "patient.severity");
    let transport = details.mission_type == Some(MissionType::PatientTransport);
    need(transport && details.care.weight_kg.is_none(), "patient.weight_kg");
    for (facility, name) in [(&details.origin, "origin"), (&details.destination, "destination")] {
        need(facility.name.is_empty(), &format!("{name}.name"));
        need(facility.position.is_none(), &format!("{name}.position"));
    }
    let consent = &details.receiving_consent;
    need(transport && consent.doctor.full_name.is_empty(), "receiving_consent.doctor.full_name");
    need(transport && consent.given_at.is_none(), "receiving_consent.given_at");
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_api::ApiError;
    use jedel_api::common::v1::LatLon as PbLatLon;

    const NOW: Micros = 1_795_000_000_000_000;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn check(msg: &pb::RequestDetails) -> Result<DetailsInput, Vec<(String, String)>> {
        let mut v = Violations::new();
        let out = details(Some(msg), "details", today(), NOW, &mut v);
        match v.finish() {
            Ok(()) => Ok(out.unwrap()),
            Err(ApiError::InvalidArgument(list)) => Err(list.into_iter().map(|f| (f.field, f.description)).collect()),
            Err(e) => panic!("{e}"),
        }
    }

    fn fields(errors: &[(String, String)]) -> Vec<&str> {
        errors.iter().map(|(f, _)| f.as_str()).collect()
    }

    #[test]
    fn an_empty_draft_is_valid_but_incomplete() {
        let input = check(&pb::RequestDetails::default()).unwrap();
        let missing: Vec<String> = incomplete(&input.details, &input.personal).into_iter().map(|(f, _)| f).collect();
        assert!(missing.contains(&"details.mission_type".to_string()));
        assert!(missing.contains(&"details.patient.family_name".to_string()));
        assert!(missing.contains(&"details.origin.position".to_string()));
        assert!(!missing.contains(&"details.patient.weight_kg".to_string()), "only patient transport needs a weight");
    }

    #[test]
    fn every_bad_field_is_reported_without_the_data() {
        let errors = check(&pb::RequestDetails {
            mission_type: 9,
            coordinating_doctor: Some(pb::Clinician { phone: "12".into(), ..Default::default() }),
            patient: Some(pb::Patient {
                iin: "900101300018".into(),
                icd10_code: "heart".into(),
                weight_kg: -3.0,
                severity: 7,
                needs: vec![1, 1, 9],
                vital_signs: Some(pb::VitalSigns { gcs: Some(2), spo2_percent: Some(101), ..Default::default() }),
                ..Default::default()
            }),
            origin: Some(pb::Facility {
                hospital_id: "nope".into(),
                position: Some(PbLatLon { lat: 55.75, lon: 37.62 }),
                ..Default::default()
            }),
            accompanying_persons: vec![pb::AccompanyingPerson::default()],
            wanted_window: Some(jedel_api::common::v1::TimeRange {
                from: Some(prost_types::Timestamp { seconds: 2_000, nanos: 0 }),
                to: Some(prost_types::Timestamp { seconds: 1_000, nanos: 0 }),
            }),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "details.mission_type",
                "details.coordinating_doctor.phone",
                "details.patient.iin",
                "details.patient.icd10_code",
                "details.patient.severity",
                "details.patient.vital_signs.spo2_percent",
                "details.patient.vital_signs.gcs",
                "details.patient.weight_kg",
                "details.patient.needs[1]",
                "details.patient.needs[2]",
                "details.accompanying_persons[0].full_name",
                "details.origin.hospital_id",
                "details.origin.position.lat",
                "details.origin.position.lon",
                "details.wanted_window.to",
            ]
        );
        assert!(errors.iter().all(|(_, message)| !message.contains("9001")));
    }

    #[test]
    fn an_iin_gives_birth_date_and_sex_and_must_agree_with_them() {
        let ok = check(&pb::RequestDetails {
            patient: Some(pb::Patient { iin: "900101300017".into(), icd10_code: "i21.0".into(), ..Default::default() }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!((ok.personal.birth_date.as_str(), ok.personal.sex), ("1990-01-01", Some(Sex::Male)));
        assert_eq!(ok.personal.icd10_code, "I21.0");
        let errors = check(&pb::RequestDetails {
            patient: Some(pb::Patient {
                iin: "900101300017".into(),
                birth_date: "1991-01-01".into(),
                sex: Sex::Female.number(),
                ..Default::default()
            }),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(fields(&errors), ["details.patient.birth_date", "details.patient.sex"]);
        let errors = check(&pb::RequestDetails {
            patient: Some(pb::Patient { birth_date: "2027-01-01".into(), ..Default::default() }),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(errors[0].1, "is in the future");
    }

    #[test]
    fn transport_needs_weight_and_the_receiving_doctors_consent() {
        let input = check(&pb::RequestDetails { mission_type: 1, ..Default::default() }).unwrap();
        let missing: Vec<String> = incomplete(&input.details, &input.personal).into_iter().map(|(f, _)| f).collect();
        for field in ["patient.weight_kg", "receiving_consent.doctor.full_name", "receiving_consent.given_at"] {
            assert!(missing.contains(&format!("details.{field}")), "{field}");
        }
    }
}
