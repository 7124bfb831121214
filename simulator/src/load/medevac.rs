//! Medical-aviation requests as the simulator files them (Medevac/CreateRequest, as the region's
//! coordinating doctor): a complete patient transport from a hospital of the region to a
//! national centre (Astana, or Almaty for Astana's own requests), so the request could be
//! submitted as it stands.

use jedel_api::common::v1::{LatLon as PbLatLon, Sex, TimeRange};
use jedel_api::medevac::v1 as pb;
use jedel_core::dispatch::Hospital;

use crate::client::timestamp;
use crate::reference::Reference;

/// A valid IIN (born 1990-01-01, male); the simulated patients share it.
const IIN: &str = "900101300017";
/// Where requests of other regions go, and where Astana's go.
const NATIONAL_CENTRE: &str = "KZ-71";
const SECOND_CENTRE: &str = "KZ-75";

/// The hospital of `region` with the most profiles (the regional centre's), if it has any.
fn main_hospital<'a>(reference: &'a Reference, region: &str) -> Option<&'a Hospital> {
    reference.hospitals.iter().filter(|h| h.region.as_str() == region).max_by_key(|h| h.profiles.len())
}

fn facility(hospital: &Hospital, department: &str) -> pb::Facility {
    pb::Facility {
        hospital_id: String::new(),
        name: hospital.name.clone(),
        department: department.into(),
        position: Some(PbLatLon { lat: hospital.position.lat(), lon: hospital.position.lon() }),
    }
}

/// The request number `seq` of a run tagged `tag` files for region `region` (an index into
/// the reference regions) at `now` (µs since the epoch); `None` when the region has no
/// hospital to fly from.
pub fn create_request(
    reference: &Reference,
    region: usize,
    seq: u64,
    tag: &str,
    now: i64,
) -> Option<pb::CreateRequestRequest> {
    let code = reference.regions[region].code.as_str();
    let origin = main_hospital(reference, code)?;
    let centre = if code == NATIONAL_CENTRE { SECOND_CENTRE } else { NATIONAL_CENTRE };
    let destination = main_hospital(reference, centre)?;
    let minutes = |m: i64| timestamp(now + m * 60_000_000);
    let details = pb::RequestDetails {
        mission_type: pb::MissionType::PatientTransport.into(),
        urgency: pb::Urgency::Urgent.into(),
        coordinating_doctor: Some(pb::Clinician {
            full_name: "simulated coordinating doctor".into(),
            title: "regional coordinating doctor".into(),
            phone: "+77015550101".into(),
        }),
        patient: Some(pb::Patient {
            iin: IIN.into(),
            family_name: "Simulated".into(),
            given_name: format!("Patient {seq}"),
            sex: Sex::Male.into(),
            weight_kg: 80.0,
            icd10_code: "I21.0".into(),
            diagnosis: "acute myocardial infarction".into(),
            severity: pb::Severity::Severe.into(),
            vital_signs: Some(pb::VitalSigns {
                heart_rate_bpm: Some(105),
                systolic_mmhg: Some(95),
                spo2_percent: Some(92),
                measured_at: Some(minutes(-10)),
                ..Default::default()
            }),
            needs: vec![pb::PatientNeed::Stretcher.into(), pb::PatientNeed::Oxygen.into()],
            ..Default::default()
        }),
        accompanying_persons: Vec::new(),
        origin: Some(facility(origin, "ICU")),
        destination: Some(facility(destination, "cardiology")),
        receiving_consent: Some(pb::ReceivingConsent {
            doctor: Some(pb::Clinician {
                full_name: "simulated receiving doctor".into(),
                title: "head of cardiology".into(),
                phone: "+77015550102".into(),
            }),
            given_at: Some(minutes(-5)),
        }),
        wanted_window: Some(TimeRange { from: Some(minutes(0)), to: Some(minutes(240)) }),
        notes: format!("simulated request {seq}"),
    };
    Some(pb::CreateRequestRequest {
        request_id: format!("{tag}-medevac-{seq}"),
        region_code: code.to_string(),
        details: Some(details),
    })
}
