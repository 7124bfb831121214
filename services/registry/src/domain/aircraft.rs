//! Aircraft of the airlines, with what air tasking needs to know about each.

use jedel_core::aviation::{AirfieldCode, AirlineCode, Registration};

use super::{Problems, Reference, RunwaySurface, distinct, flag, required_text, whole, word_enum};

/// Longest model designation.
const MAX_MODEL_CHARS: usize = 100;

word_enum!(
    /// Fixed or rotary wing.
    AircraftKind, "an aircraft kind" {
        /// Fixed-wing; needs a runway.
        Plane = 1, "plane";
        /// Helicopter; can use helipads.
        Helicopter = 2, "helicopter";
    }
);

word_enum!(
    /// The medical module installed.
    MedicalModule, "a medical module" {
        /// None.
        None = 1, "none";
        /// Stretcher, oxygen, monitoring.
        Basic = 2, "basic";
        /// Ventilator, infusion, full monitoring.
        IntensiveCare = 3, "intensive_care";
        /// Transport incubator.
        Neonatal = 4, "neonatal";
    }
);

word_enum!(
    /// What an aircraft is doing, as far as the registry knows.
    AircraftStatus, "an aircraft status" {
        /// Ready for tasking.
        Available = 1, "available";
        /// Flying a mission.
        OnMission = 2, "on_mission";
        /// In maintenance; not eligible.
        Maintenance = 3, "maintenance";
    }
);

/// An aircraft's writable fields as they arrive, not yet checked.
#[derive(Debug, Clone)]
pub struct AircraftInput<'a> {
    /// Registration.
    pub registration: &'a str,
    /// Operating airline's code.
    pub airline_code: &'a str,
    /// Kind, or why it could not be read.
    pub kind: Result<AircraftKind, String>,
    /// Type designation.
    pub model: &'a str,
    /// Cruise speed km/h, if given.
    pub cruise_speed_kmh: Option<i64>,
    /// Range km, if given.
    pub range_km: Option<i64>,
    /// Shortest usable runway m, if given.
    pub min_runway_m: Option<i64>,
    /// Usable surfaces, or why they could not be read.
    pub surfaces: Result<Vec<RunwaySurface>, String>,
    /// Helipad-capable, if given.
    pub helipad_capable: Option<bool>,
    /// Night-capable, if given.
    pub night_capable: Option<bool>,
    /// Pressurised, if given.
    pub pressurised: Option<bool>,
    /// Medical module, or why it could not be read.
    pub medical_module: Result<MedicalModule, String>,
    /// Stretcher places, if given.
    pub stretchers: Option<i64>,
    /// Seats, if given.
    pub seats: Option<i64>,
    /// Tracker installed, if given.
    pub tracker_installed: Option<bool>,
    /// Year of manufacture, if given.
    pub year_built: Option<i64>,
    /// Home airfield's code.
    pub base_airfield_code: &'a str,
    /// Status, or why it could not be read.
    pub status: Result<AircraftStatus, String>,
}

/// An aircraft's writable fields, checked (except that its airline and base exist).
#[derive(Debug, Clone, PartialEq)]
pub struct AircraftFields {
    /// Registration; the aircraft's code.
    pub registration: Registration,
    /// Operating airline.
    pub airline_code: AirlineCode,
    /// Kind.
    pub kind: AircraftKind,
    /// Type designation.
    pub model: String,
    /// Cruise speed km/h, positive.
    pub cruise_speed_kmh: i32,
    /// Range km without reserve, positive.
    pub range_km: i32,
    /// Shortest usable runway m: 0 for helicopters, positive for planes.
    pub min_runway_m: i32,
    /// Usable surfaces (paved, unpaved); empty only for helicopters.
    pub surfaces: Vec<RunwaySurface>,
    /// Can land on a helipad; helicopters only.
    pub helipad_capable: bool,
    /// Equipped and certified for night flight.
    pub night_capable: bool,
    /// Pressurised cabin.
    pub pressurised: bool,
    /// Medical module.
    pub medical_module: MedicalModule,
    /// Stretcher places.
    pub stretchers: i32,
    /// Seats.
    pub seats: i32,
    /// Position tracker installed.
    pub tracker_installed: bool,
    /// Year of manufacture.
    pub year_built: i32,
    /// Home airfield.
    pub base_airfield_code: AirfieldCode,
    /// Status.
    pub status: AircraftStatus,
}

impl AircraftFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &AircraftInput<'_>, problems: &mut Problems) -> Option<AircraftFields> {
        let registration = problems.check("registration", Registration::parse(input.registration));
        let airline_code = problems.check("airline_code", AirlineCode::parse(input.airline_code));
        let kind = problems.check("kind", input.kind.clone());
        let helicopter = kind.map(|k| k == AircraftKind::Helicopter);
        let model = problems.check("model", required_text(input.model, MAX_MODEL_CHARS));
        let cruise_speed_kmh = problems.check("cruise_speed_kmh", whole(input.cruise_speed_kmh, 1..=1_500));
        let range_km = problems.check("range_km", whole(input.range_km, 1..=20_000));
        let min_runway_m = match (helicopter, whole(input.min_runway_m, 0..=5_000)) {
            (Some(true), Ok(m)) if m != 0 => problems.check("min_runway_m", Err("must be 0 for a helicopter")),
            (Some(false), Ok(0)) => problems.check("min_runway_m", Err("must be positive for a plane")),
            (_, m) => problems.check("min_runway_m", m),
        };
        let surfaces = match (helicopter, distinct(input.surfaces.clone())) {
            (_, Ok(s)) if s.contains(&RunwaySurface::None) => {
                problems.check("surfaces", Err("may list only paved and unpaved"))
            }
            (Some(false), Ok(s)) if s.is_empty() => {
                problems.check("surfaces", Err("must list at least one surface for a plane"))
            }
            (_, s) => problems.check("surfaces", s),
        };
        let helipad_capable = match (helicopter, flag(input.helipad_capable)) {
            (Some(false), Ok(true)) => {
                problems.check("helipad_capable", Err("only a helicopter can land on a helipad"))
            }
            (_, capable) => problems.check("helipad_capable", capable),
        };
        let night_capable = problems.check("night_capable", flag(input.night_capable));
        let pressurised = problems.check("pressurised", flag(input.pressurised));
        let medical_module = problems.check("medical_module", input.medical_module.clone());
        let stretchers = problems.check("stretchers", whole(input.stretchers, 0..=20));
        let seats = problems.check("seats", whole(input.seats, 0..=200));
        let tracker_installed = problems.check("tracker_installed", flag(input.tracker_installed));
        let year_built = problems.check("year_built", whole(input.year_built, 1930..=2100));
        let base_airfield_code = problems.check("base_airfield_code", AirfieldCode::parse(input.base_airfield_code));
        let status = problems.check("status", input.status.clone());
        Some(AircraftFields {
            registration: registration?,
            airline_code: airline_code?,
            kind: kind?,
            model: model?,
            cruise_speed_kmh: cruise_speed_kmh?,
            range_km: range_km?,
            min_runway_m: min_runway_m?,
            surfaces: surfaces?,
            helipad_capable: helipad_capable?,
            night_capable: night_capable?,
            pressurised: pressurised?,
            medical_module: medical_module?,
            stretchers: stretchers?,
            seats: seats?,
            tracker_installed: tracker_installed?,
            year_built: year_built?,
            base_airfield_code: base_airfield_code?,
            status: status?,
        })
    }
}

/// What an aircraft references: its airline and its base airfield.
pub fn aircraft_references(input: &AircraftInput<'_>) -> Vec<(&'static str, Reference)> {
    let mut references = Vec::new();
    if let Ok(code) = AirlineCode::parse(input.airline_code) {
        references.push(("airline_code", Reference::Airline(code.to_string())));
    }
    if let Ok(code) = AirfieldCode::parse(input.base_airfield_code) {
        references.push(("base_airfield_code", Reference::Airfield(code.to_string())));
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mi8<'a>() -> AircraftInput<'a> {
        AircraftInput {
            registration: "UP-MI801",
            airline_code: "KAZAVIASPAS",
            kind: Ok(AircraftKind::Helicopter),
            model: "Mi-8",
            cruise_speed_kmh: Some(230),
            range_km: Some(500),
            min_runway_m: Some(0),
            surfaces: Ok(vec![RunwaySurface::Paved, RunwaySurface::Unpaved]),
            helipad_capable: Some(true),
            night_capable: Some(true),
            pressurised: Some(false),
            medical_module: Ok(MedicalModule::IntensiveCare),
            stretchers: Some(4),
            seats: Some(8),
            tracker_installed: Some(true),
            year_built: Some(2012),
            base_airfield_code: "UACC",
            status: Ok(AircraftStatus::Available),
        }
    }

    #[test]
    fn a_helicopter_parses_and_references_airline_and_base() {
        let mut problems = Problems::new();
        assert!(AircraftFields::parse(&mi8(), &mut problems).is_some());
        assert_eq!(aircraft_references(&mi8()).len(), 2);
    }

    #[test]
    fn speeds_and_ranges_are_positive_and_planes_need_runways() {
        let plane = AircraftInput {
            registration: "RA-12345",
            kind: Ok(AircraftKind::Plane),
            cruise_speed_kmh: Some(0),
            range_km: Some(-5),
            surfaces: Ok(vec![]),
            ..mi8()
        };
        let mut problems = Problems::new();
        assert!(AircraftFields::parse(&plane, &mut problems).is_none());
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(
            columns,
            ["registration", "cruise_speed_kmh", "range_km", "min_runway_m", "surfaces", "helipad_capable"]
        );
    }
}
