//! Hospitals: where patients are taken, chosen by profile and distance. Profiles are the
//! shared vocabulary of [`jedel_core::HospitalProfile`].

use jedel_core::aviation::AirfieldCode;
use jedel_core::{HospitalProfile, LatLon, RegionCode};

use super::{MAX_NAME_CHARS, Problems, Reference, distinct, flag, hyphen_code, position, required_text, whole};

/// Most beds one hospital plausibly has.
const MAX_BEDS: i32 = 20_000;

hyphen_code!(
    /// A hospital's code, e.g. `AST-H01`.
    HospitalCode,
    "a hospital code",
    "AST-H01"
);

/// A hospital profile from its data-file spelling.
pub fn hospital_profile(text: &str) -> Result<HospitalProfile, String> {
    HospitalProfile::parse(text).ok_or_else(|| {
        let names: Vec<_> = HospitalProfile::ALL.iter().map(|p| p.as_str()).collect();
        format!("{text:?} is not a hospital profile: expected one of {}", names.join(", "))
    })
}

/// A hospital's writable fields as they arrive, not yet checked.
#[derive(Debug, Clone)]
pub struct HospitalInput<'a> {
    /// Hospital code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Region code.
    pub region_code: &'a str,
    /// Latitude, if given.
    pub lat: Option<f64>,
    /// Longitude, if given.
    pub lon: Option<f64>,
    /// Profiles, or why they could not be read.
    pub profiles: Result<Vec<HospitalProfile>, String>,
    /// Trauma level 0..3, if given.
    pub trauma_level: Option<i64>,
    /// Perinatal level 0..3, if given.
    pub perinatal_level: Option<i64>,
    /// Beds, if given.
    pub beds: Option<i64>,
    /// Own helipad, if given.
    pub helipad: Option<bool>,
    /// Airfield for patients arriving by plane; empty for none.
    pub nearest_airfield_code: &'a str,
}

/// A hospital's writable fields, checked (except that its region and airfield exist).
#[derive(Debug, Clone, PartialEq)]
pub struct HospitalFields {
    /// Hospital code.
    pub code: HospitalCode,
    /// Name.
    pub name: String,
    /// Region.
    pub region_code: RegionCode,
    /// Where it is.
    pub position: LatLon,
    /// Profiles, without repeats.
    pub profiles: Vec<HospitalProfile>,
    /// Trauma level: 0 none, 1..3; non-zero exactly when profiles has trauma.
    pub trauma_level: i32,
    /// Perinatal level: 0 none, 1..3; non-zero exactly when profiles has perinatal.
    pub perinatal_level: i32,
    /// Beds.
    pub beds: i32,
    /// Own helipad.
    pub helipad: bool,
    /// Airfield for patients arriving by plane.
    pub nearest_airfield_code: Option<AirfieldCode>,
}

/// A level 0..3 that is above 0 exactly when `profiles` has `profile`.
fn level(value: Option<i64>, profiles: Option<&Vec<HospitalProfile>>, profile: HospitalProfile) -> Result<i32, String> {
    let level = whole(value, 0..=3)?;
    match profiles.map(|p| p.contains(&profile)) {
        Some(true) if level == 0 => Err(format!("must be 1..3 since profiles has {profile}")),
        Some(false) if level != 0 => Err(format!("must be 0 unless profiles has {profile}")),
        _ => Ok(level),
    }
}

impl HospitalFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &HospitalInput<'_>, problems: &mut Problems) -> Option<HospitalFields> {
        let code = problems.check("code", HospitalCode::parse(input.code));
        let name = problems.check("name", required_text(input.name, MAX_NAME_CHARS));
        let region_code = problems.check("region_code", RegionCode::parse(input.region_code));
        let position = position(input.lat, input.lon, problems);
        let profiles = problems.check("profiles", distinct(input.profiles.clone()));
        let trauma_level =
            problems.check("trauma_level", level(input.trauma_level, profiles.as_ref(), HospitalProfile::Trauma));
        let perinatal_level = problems
            .check("perinatal_level", level(input.perinatal_level, profiles.as_ref(), HospitalProfile::Perinatal));
        let beds = problems.check("beds", whole(input.beds, 0..=MAX_BEDS));
        let helipad = problems.check("helipad", flag(input.helipad));
        let nearest_airfield_code = match input.nearest_airfield_code {
            "" => Some(None),
            code => problems.check("nearest_airfield_code", AirfieldCode::parse(code)).map(Some),
        };
        Some(HospitalFields {
            code: code?,
            name: name?,
            region_code: region_code?,
            position: position?,
            profiles: profiles?,
            trauma_level: trauma_level?,
            perinatal_level: perinatal_level?,
            beds: beds?,
            helipad: helipad?,
            nearest_airfield_code: nearest_airfield_code?,
        })
    }
}

/// What a hospital references: its region and its nearest airfield.
pub fn hospital_references(input: &HospitalInput<'_>) -> Vec<(&'static str, Reference)> {
    let mut references = Vec::new();
    if let Ok(code) = RegionCode::parse(input.region_code) {
        references.push(("region_code", Reference::Region(code.to_string())));
    }
    if let Ok(code) = AirfieldCode::parse(input.nearest_airfield_code) {
        references.push(("nearest_airfield_code", Reference::Airfield(code.to_string())));
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good<'a>() -> HospitalInput<'a> {
        HospitalInput {
            code: "AST-H01",
            name: "Astana City Hospital No. 1",
            region_code: "KZ-71",
            lat: Some(51.15),
            lon: Some(71.43),
            profiles: Ok(vec![HospitalProfile::Stroke, HospitalProfile::Trauma]),
            trauma_level: Some(1),
            perinatal_level: Some(0),
            beds: Some(650),
            helipad: Some(true),
            nearest_airfield_code: "UACC",
        }
    }

    #[test]
    fn a_good_hospital_parses() {
        let mut problems = Problems::new();
        let fields = HospitalFields::parse(&good(), &mut problems).unwrap();
        assert_eq!(fields.nearest_airfield_code.unwrap().as_str(), "UACC");
        let none = HospitalInput { nearest_airfield_code: "", ..good() };
        assert_eq!(HospitalFields::parse(&none, &mut problems).unwrap().nearest_airfield_code, None);
        assert_eq!(hospital_references(&none), [("region_code", Reference::Region("KZ-71".into()))]);
        assert_eq!(hospital_references(&good()).len(), 2);
    }

    #[test]
    fn levels_follow_the_profiles() {
        let input = HospitalInput {
            trauma_level: Some(0),
            perinatal_level: Some(2),
            beds: Some(-1),
            lat: Some(30.0),
            nearest_airfield_code: "uacc",
            ..good()
        };
        let mut problems = Problems::new();
        assert!(HospitalFields::parse(&input, &mut problems).is_none());
        assert_eq!(
            problems.into_vec(),
            [
                ("lat", "latitude 30 is outside Kazakhstan (40.5..=55.5)".to_string()),
                ("trauma_level", "must be 1..3 since profiles has trauma".to_string()),
                ("perinatal_level", "must be 0 unless profiles has perinatal".to_string()),
                ("beds", "must not be negative".to_string()),
                ("nearest_airfield_code", AirfieldCode::parse("uacc").unwrap_err().to_string()),
            ]
        );
        assert!(hospital_profile("cardiac").unwrap_err().contains("toxicology"));
    }
}
