//! Airfields: airports, district airstrips and helipads where a medevac flight starts or ends.

use jedel_core::aviation::AirfieldCode;
use jedel_core::calendar::ClockTime;
use jedel_core::{LatLon, RegionCode};

use super::{MAX_NAME_CHARS, Problems, Reference, flag, position, required_text, whole, word_enum};

/// Longest runway anywhere, in metres (with margin).
const MAX_RUNWAY_M: i32 = 6_000;

word_enum!(
    /// What an airfield is.
    AirfieldKind, "an airfield kind" {
        /// An airport with an ICAO code.
        Airport = 1, "airport";
        /// A district airstrip.
        Airstrip = 2, "airstrip";
        /// A helipad; helicopters only.
        Helipad = 3, "helipad";
    }
);

word_enum!(
    /// A runway surface.
    RunwaySurface, "a runway surface" {
        /// Concrete or asphalt.
        Paved = 1, "paved";
        /// Grass, gravel or earth.
        Unpaved = 2, "unpaved";
        /// No runway: helipads.
        None = 3, "none";
    }
);

/// An airfield's writable fields as they arrive, not yet checked.
#[derive(Debug, Clone)]
pub struct AirfieldInput<'a> {
    /// ICAO or local code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Kind, or why it could not be read.
    pub kind: Result<AirfieldKind, String>,
    /// Region code.
    pub region_code: &'a str,
    /// Latitude, if given.
    pub lat: Option<f64>,
    /// Longitude, if given.
    pub lon: Option<f64>,
    /// Runway length in metres, if given.
    pub runway_length_m: Option<i64>,
    /// Surface, or why it could not be read.
    pub surface: Result<RunwaySurface, String>,
    /// Lit for night operations, if given.
    pub night_lighting: Option<bool>,
    /// Opening time `HH:MM`.
    pub opens_local: &'a str,
    /// Closing time `HH:MM`.
    pub closes_local: &'a str,
}

/// An airfield's writable fields, checked (except that its region exists).
#[derive(Debug, Clone, PartialEq)]
pub struct AirfieldFields {
    /// ICAO or local code.
    pub code: AirfieldCode,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AirfieldKind,
    /// Region.
    pub region_code: RegionCode,
    /// Reference point.
    pub position: LatLon,
    /// Runway length in metres: 0 for helipads, positive otherwise.
    pub runway_length_m: i32,
    /// Surface: `none` exactly for helipads.
    pub surface: RunwaySurface,
    /// Lit for night operations.
    pub night_lighting: bool,
    /// Opening time, local.
    pub opens_local: ClockTime,
    /// Closing time, local; equal to opening means 24 hours.
    pub closes_local: ClockTime,
}

impl AirfieldFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &AirfieldInput<'_>, problems: &mut Problems) -> Option<AirfieldFields> {
        let code = problems.check("code", AirfieldCode::parse(input.code));
        let name = problems.check("name", required_text(input.name, MAX_NAME_CHARS));
        let kind = problems.check("kind", input.kind.clone());
        let region_code = problems.check("region_code", RegionCode::parse(input.region_code));
        let position = position(input.lat, input.lon, problems);
        let helipad = kind.map(|k| k == AirfieldKind::Helipad);
        let runway_length_m = match (helipad, whole(input.runway_length_m, 0..=MAX_RUNWAY_M)) {
            (Some(true), Ok(length)) if length != 0 => {
                problems.check("runway_length_m", Err("must be 0 for a helipad"))
            }
            (Some(false), Ok(0)) => {
                problems.check("runway_length_m", Err("must be positive for an airport or airstrip"))
            }
            (_, length) => problems.check("runway_length_m", length),
        };
        let surface = match (helipad, input.surface.clone()) {
            (Some(true), Ok(surface)) if surface != RunwaySurface::None => {
                problems.check("surface", Err("must be none for a helipad"))
            }
            (Some(false), Ok(RunwaySurface::None)) => {
                problems.check("surface", Err("must be paved or unpaved for an airport or airstrip"))
            }
            (_, surface) => problems.check("surface", surface),
        };
        let night_lighting = problems.check("night_lighting", flag(input.night_lighting));
        let opens_local = problems.check("opens_local", ClockTime::parse(input.opens_local));
        let closes_local = problems.check("closes_local", ClockTime::parse(input.closes_local));
        Some(AirfieldFields {
            code: code?,
            name: name?,
            kind: kind?,
            region_code: region_code?,
            position: position?,
            runway_length_m: runway_length_m?,
            surface: surface?,
            night_lighting: night_lighting?,
            opens_local: opens_local?,
            closes_local: closes_local?,
        })
    }
}

/// What an airfield references: its region.
pub fn airfield_references(input: &AirfieldInput<'_>) -> Vec<(&'static str, Reference)> {
    match RegionCode::parse(input.region_code) {
        Ok(code) => vec![("region_code", Reference::Region(code.to_string()))],
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helipad<'a>() -> AirfieldInput<'a> {
        AirfieldInput {
            code: "KZ-H001",
            name: "Astana Regional Hospital helipad",
            kind: Ok(AirfieldKind::Helipad),
            region_code: "KZ-71",
            lat: Some(51.1),
            lon: Some(71.4),
            runway_length_m: Some(0),
            surface: Ok(RunwaySurface::None),
            night_lighting: Some(true),
            opens_local: "00:00",
            closes_local: "00:00",
        }
    }

    #[test]
    fn a_helipad_has_no_runway_and_an_airport_has_one() {
        let mut problems = Problems::new();
        assert!(AirfieldFields::parse(&helipad(), &mut problems).is_some());
        let paved_helipad =
            AirfieldInput { runway_length_m: Some(800), surface: Ok(RunwaySurface::Paved), ..helipad() };
        let mut problems = Problems::new();
        assert!(AirfieldFields::parse(&paved_helipad, &mut problems).is_none());
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(columns, ["runway_length_m", "surface"]);

        let bare_airport =
            AirfieldInput { code: "UACC", kind: Ok(AirfieldKind::Airport), opens_local: "7:00", ..helipad() };
        let mut problems = Problems::new();
        assert!(AirfieldFields::parse(&bare_airport, &mut problems).is_none());
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(columns, ["runway_length_m", "surface", "opens_local"]);
    }
}
