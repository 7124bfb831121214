//! The registry's validated records: what each kind of record must be before it is stored.
//! Every edge that writes records (the gRPC API, data-file import, the reference-data seed)
//! turns its input into an `…Input` and parses it here, so the rules are the same whichever
//! way a record comes in. Problems are named by data-file column (`lat`, `name_kk`); each
//! edge maps those names to its own field paths. What a record references by code is listed
//! by its `…_references` function, for the store to check against the database.
//!
//! Regions and stations are here; the other records each have a module under `domain/`.

use std::fmt;
use std::ops::RangeInclusive;

use jedel_core::geo::{Axis, check_coordinate};
use jedel_core::{LatLon, RegionCode, TimeZone};

mod aircraft;
mod airfields;
mod airlines;
mod brigades;
mod contracts;
mod hospitals;

pub use aircraft::{AircraftFields, AircraftInput, AircraftKind, AircraftStatus, MedicalModule, aircraft_references};
pub use airfields::{AirfieldFields, AirfieldInput, AirfieldKind, RunwaySurface, airfield_references};
pub use airlines::{AirlineFields, AirlineInput, AirlineStatus, CertificateFields, airline_references};
pub use brigades::{
    BrigadeCapability, BrigadeFields, BrigadeInput, CallSign, ShiftPattern, VehicleType, brigade_references, team_kind,
};
pub use contracts::{ContractFields, ContractInput, ContractStatus, contract_references};
pub use hospitals::{HospitalCode, HospitalFields, HospitalInput, hospital_profile, hospital_references};

/// Longest name Jedel stores (region and station names, centre names).
pub(crate) const MAX_NAME_CHARS: usize = 200;
/// Longest postal address Jedel stores.
const MAX_ADDRESS_CHARS: usize = 500;
/// Longest station code, call sign or hospital code.
const MAX_CODE_CHARS: usize = 32;
/// Largest plausible population of one region (Kazakhstan has about 20 million people).
const MAX_POPULATION: i64 = 100_000_000;

/// Problems found while checking one record, each under the data-file column at fault: one
/// problem per column, the first found (a later one about the same value follows from it,
/// e.g. "is required" after "is not a number").
#[derive(Debug, Default)]
pub struct Problems(Vec<(&'static str, String)>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `column`, unless that column has one already.
    pub fn add(&mut self, column: &'static str, message: impl fmt::Display) {
        if !self.has(column) {
            self.0.push((column, message.to_string()));
        }
    }

    /// Whether `column` has a problem.
    pub fn has(&self, column: &str) -> bool {
        self.0.iter().any(|(c, _)| *c == column)
    }

    /// Keeps the parsed value, or records the problem and yields `None`.
    pub fn check<T, E: fmt::Display>(&mut self, column: &'static str, parsed: Result<T, E>) -> Option<T> {
        parsed.map_err(|e| self.add(column, e)).ok()
    }

    /// The problems so far, as (column, message).
    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order found.
    pub fn into_vec(self) -> Vec<(&'static str, String)> {
        self.0
    }
}

/// A name or other one-line text: trimmed, not empty, at most `max` characters, no control
/// characters.
pub(crate) fn required_text(value: &str, max: usize) -> Result<String, String> {
    let value = optional_text(value, max)?;
    if value.is_empty() {
        return Err("is required".into());
    }
    Ok(value)
}

/// Like [`required_text`], but may be empty.
pub(crate) fn optional_text(value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(format!("is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("must be one line without control characters".into());
    }
    Ok(value.to_string())
}

/// A whole number from `range`, or why not: "is required", "must be positive", "must not be
/// negative", "is more than N".
pub(crate) fn whole(value: Option<i64>, range: RangeInclusive<i32>) -> Result<i32, String> {
    let Some(value) = value else { return Err("is required".into()) };
    let (low, high) = (i64::from(*range.start()), i64::from(*range.end()));
    match value {
        v if v < low && low == 1 => Err("must be positive".into()),
        v if v < low && low == 0 => Err("must not be negative".into()),
        v if v < low => Err(format!("is less than {low}")),
        v if v > high => Err(format!("is more than {high}")),
        v => Ok(v as i32),
    }
}

/// A yes/no value that must be given.
pub(crate) fn flag(value: Option<bool>) -> Result<bool, &'static str> {
    value.ok_or("is required")
}

/// A list of enum values without repeats.
pub(crate) fn distinct<T: Copy + PartialEq + fmt::Display>(values: Result<Vec<T>, String>) -> Result<Vec<T>, String> {
    let values = values?;
    for (i, value) in values.iter().enumerate() {
        if values[..i].contains(value) {
            return Err(format!("{value} is listed twice"));
        }
    }
    Ok(values)
}

/// What a record names by code, which must exist when it is written. The store checks each
/// against the database (and [`Reference::AircraftOf`] also checks the aircraft's airline).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// A region by code.
    Region(String),
    /// A station by code.
    Station(String),
    /// An airfield by code.
    Airfield(String),
    /// An airline by code.
    Airline(String),
    /// An aircraft by registration, which must belong to `airline`.
    AircraftOf {
        /// The registration.
        registration: String,
        /// The airline it must belong to.
        airline: String,
    },
}

/// Declares a code type of capital Latin letters and digits in groups joined by single
/// hyphens (`AST-01`, `AST-01-07`, `ABA-H01`), at most 32 characters.
macro_rules! hyphen_code {
    ($(#[$doc:meta])* $name:ident, $what:literal, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks the shape of the code; no trimming or case folding.
            pub fn parse(code: &str) -> Result<$name, String> {
                $crate::domain::check_hyphen_code(code, $what, $example).map(|()| $name(code.to_string()))
            }

            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use hyphen_code;

/// Checks a [`hyphen_code`]'s shape; `what` and `example` word the error.
pub(crate) fn check_hyphen_code(code: &str, what: &str, example: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err("is required".into());
    }
    let well_formed = code.len() <= MAX_CODE_CHARS
        && code
            .split('-')
            .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    if well_formed {
        return Ok(());
    }
    let shown: String = code.chars().take(40).collect();
    Err(format!(
        "{shown:?} is not {what}: expected capital letters and digits joined by single hyphens, \
         at most {MAX_CODE_CHARS} characters, e.g. {example}"
    ))
}

/// Declares an enum of a record field: its data-file spelling (also what the database
/// stores) and its number in the API's enum, so files, storage and the API agree.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $number:literal, $text:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order of the API's enum.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The data-file spelling, also what the database stores.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value a data-file spelling names.
            pub fn parse(text: &str) -> Result<$name, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => {
                        let names: Vec<_> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        let shown: String = text.chars().take(40).collect();
                        Err(format!("{shown:?} is not {}: expected one of {}", $what, names.join(", ")))
                    }
                }
            }

            /// The value's number in the API's enum (never 0, which is UNSPECIFIED there).
            pub fn number(self) -> i32 {
                match self {
                    $($name::$variant => $number,)+
                }
            }

            /// The value an API enum number names; 0 is "is required".
            pub fn from_number(number: i32) -> Result<$name, String> {
                match number {
                    0 => Err("is required".into()),
                    $($number => Ok($name::$variant),)+
                    other => Err(format!("{other} is not {}", $what)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use word_enum;

/// A position from optional coordinates, each problem under `lat` or `lon`.
pub(crate) fn position(lat: Option<f64>, lon: Option<f64>, problems: &mut Problems) -> Option<LatLon> {
    let lat = match lat {
        None => {
            problems.add("lat", "is required");
            None
        }
        Some(lat) => problems.check("lat", check_coordinate(Axis::Lat, lat)),
    };
    let lon = match lon {
        None => {
            problems.add("lon", "is required");
            None
        }
        Some(lon) => problems.check("lon", check_coordinate(Axis::Lon, lon)),
    };
    LatLon::parse(lat?, lon?).ok()
}

/// A region's writable fields as they arrive, not yet checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegionInput<'a> {
    /// ISO 3166-2:KZ code.
    pub code: &'a str,
    /// Name in Kazakh.
    pub name_kk: &'a str,
    /// Name in Russian.
    pub name_ru: &'a str,
    /// Name in English.
    pub name_en: &'a str,
    /// Administrative centre, in English.
    pub centre_name: &'a str,
    /// Latitude of the centre, if given.
    pub lat: Option<f64>,
    /// Longitude of the centre, if given.
    pub lon: Option<f64>,
    /// Resident population, if given.
    pub population: Option<i64>,
    /// Urban share of the population, 0..1, if given.
    pub urban_share: Option<f64>,
    /// IANA time zone.
    pub time_zone: &'a str,
    /// UTC offset of the time zone in minutes, if given.
    pub utc_offset_minutes: Option<i64>,
}

/// A region's writable fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionFields {
    /// ISO 3166-2:KZ code; the key other records use.
    pub code: RegionCode,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Administrative centre, in English.
    pub centre_name: String,
    /// Position of the administrative centre.
    pub position: LatLon,
    /// Resident population, positive.
    pub population: i64,
    /// Urban share of the population, 0..=1.
    pub urban_share: f64,
    /// Time zone for local-time rules.
    pub time_zone: TimeZone,
    /// The time zone's current UTC offset in minutes.
    pub utc_offset_minutes: i32,
}

impl RegionFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &RegionInput<'_>, problems: &mut Problems) -> Option<RegionFields> {
        let code = problems.check("code", RegionCode::parse(input.code));
        let name_kk = problems.check("name_kk", required_text(input.name_kk, MAX_NAME_CHARS));
        let name_ru = problems.check("name_ru", required_text(input.name_ru, MAX_NAME_CHARS));
        let name_en = problems.check("name_en", required_text(input.name_en, MAX_NAME_CHARS));
        let centre_name = problems.check("centre_name", required_text(input.centre_name, MAX_NAME_CHARS));
        let position = position(input.lat, input.lon, problems);
        let population = match input.population {
            None => problems.check("population", Err("is required")),
            Some(p) if p <= 0 => problems.check("population", Err("must be positive")),
            Some(p) if p > MAX_POPULATION => {
                problems.check("population", Err(format!("is more than {MAX_POPULATION}")))
            }
            Some(p) => Some(p),
        };
        let urban_share = match input.urban_share {
            None => problems.check("urban_share", Err("is required".to_string())),
            Some(share) if (0.0..=1.0).contains(&share) => Some(share),
            Some(share) => problems.check("urban_share", Err(format!("{share} is not between 0 and 1"))),
        };
        let time_zone = problems.check("time_zone", TimeZone::parse(input.time_zone));
        let utc_offset_minutes = match (time_zone, input.utc_offset_minutes) {
            (_, None) => problems.check("utc_offset_minutes", Err("is required".to_string())),
            (Some(zone), Some(offset)) if i64::from(zone.utc_offset_minutes()) == offset => {
                Some(zone.utc_offset_minutes())
            }
            (Some(zone), Some(_)) => problems.check(
                "utc_offset_minutes",
                Err(format!("must be {}, the current offset of {}", zone.utc_offset_minutes(), zone.name())),
            ),
            (None, Some(_)) => None,
        };
        Some(RegionFields {
            code: code?,
            name_kk: name_kk?,
            name_ru: name_ru?,
            name_en: name_en?,
            centre_name: centre_name?,
            position: position?,
            population: population?,
            urban_share: urban_share?,
            time_zone: time_zone?,
            utc_offset_minutes: utc_offset_minutes?,
        })
    }
}

hyphen_code!(
    /// A station code such as `AST-01`: capital Latin letters and digits in groups joined by
    /// single hyphens, at most 32 characters. Brigades reference stations by it.
    StationCode,
    "a station code",
    "AST-01"
);

/// The organisational level of a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StationKind {
    /// The region's EMS station, which runs its dispatch centre.
    RegionalStation,
    /// A substation inside a city.
    CitySubstation,
    /// An EMS department in a district centre.
    DistrictDepartment,
    /// A primary-care organisation fielding PHC mobile teams.
    PhcOrganisation,
}

impl StationKind {
    /// Every kind, in the order of the API's enum.
    pub const ALL: [StationKind; 4] = [
        StationKind::RegionalStation,
        StationKind::CitySubstation,
        StationKind::DistrictDepartment,
        StationKind::PhcOrganisation,
    ];

    /// The data-file spelling, also what the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::RegionalStation => "regional_station",
            StationKind::CitySubstation => "city_substation",
            StationKind::DistrictDepartment => "district_department",
            StationKind::PhcOrganisation => "phc_organisation",
        }
    }

    /// The kind a data-file spelling names.
    pub fn parse(text: &str) -> Result<StationKind, String> {
        Self::ALL.into_iter().find(|k| k.as_str() == text).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|k| k.as_str()).collect();
            format!("{text:?} is not a station kind: expected one of {}", names.join(", "))
        })
    }
}

/// The kind of area a station serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AreaType {
    /// Urban.
    City,
    /// Rural.
    Rural,
}

impl AreaType {
    /// Every area type, in the order of the API's enum.
    pub const ALL: [AreaType; 2] = [AreaType::City, AreaType::Rural];

    /// The data-file spelling, also what the database stores.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaType::City => "city",
            AreaType::Rural => "rural",
        }
    }

    /// The area type a data-file spelling names.
    pub fn parse(text: &str) -> Result<AreaType, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| format!("{text:?} is not an area type: expected city or rural"))
    }
}

/// A station's writable fields as they arrive, not yet checked. Kind and area type come
/// already decoded, since each edge spells them its own way (an enum number, a word).
#[derive(Debug, Clone)]
pub struct StationInput<'a> {
    /// Station code.
    pub code: &'a str,
    /// Name as dispatchers use it.
    pub name: &'a str,
    /// Organisational level, or why it could not be read.
    pub kind: Result<StationKind, String>,
    /// Region code.
    pub region_code: &'a str,
    /// Latitude, if given.
    pub lat: Option<f64>,
    /// Longitude, if given.
    pub lon: Option<f64>,
    /// Postal address; may be empty.
    pub address: &'a str,
    /// Area served, or why it could not be read.
    pub area_type: Result<AreaType, String>,
}

/// A station's writable fields, checked (except that its region exists, which only the
/// database can tell).
#[derive(Debug, Clone, PartialEq)]
pub struct StationFields {
    /// Station code; the key brigades use.
    pub code: StationCode,
    /// Name as dispatchers use it.
    pub name: String,
    /// Organisational level.
    pub kind: StationKind,
    /// The region it belongs to.
    pub region_code: RegionCode,
    /// Where it is.
    pub position: LatLon,
    /// Postal address; may be empty.
    pub address: String,
    /// Kind of area served.
    pub area_type: AreaType,
}

impl StationFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &StationInput<'_>, problems: &mut Problems) -> Option<StationFields> {
        let code = problems.check("code", StationCode::parse(input.code));
        let name = problems.check("name", required_text(input.name, MAX_NAME_CHARS));
        let kind = problems.check("kind", input.kind.clone());
        let region_code = problems.check("region_code", RegionCode::parse(input.region_code));
        let position = position(input.lat, input.lon, problems);
        let address = problems.check("address", optional_text(input.address, MAX_ADDRESS_CHARS));
        let area_type = problems.check("area_type", input.area_type.clone());
        Some(StationFields {
            code: code?,
            name: name?,
            kind: kind?,
            region_code: region_code?,
            position: position?,
            address: address?,
            area_type: area_type?,
        })
    }
}

/// What a station references: its region.
pub fn station_references(input: &StationInput<'_>) -> Vec<(&'static str, Reference)> {
    match RegionCode::parse(input.region_code) {
        Ok(code) => vec![("region_code", Reference::Region(code.to_string()))],
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn astana<'a>() -> RegionInput<'a> {
        RegionInput {
            code: "KZ-71",
            name_kk: "Астана",
            name_ru: "Астана",
            name_en: "Astana",
            centre_name: "Astana",
            lat: Some(51.17),
            lon: Some(71.45),
            population: Some(1_430_000),
            urban_share: Some(1.0),
            time_zone: "Asia/Almaty",
            utc_offset_minutes: Some(300),
        }
    }

    #[test]
    fn a_good_region_parses() {
        let mut problems = Problems::new();
        let region = RegionFields::parse(&astana(), &mut problems).unwrap();
        assert!(problems.is_empty());
        assert_eq!(region.code.as_str(), "KZ-71");
        assert_eq!(region.utc_offset_minutes, 300);
    }

    #[test]
    fn every_bad_region_field_is_reported() {
        let input = RegionInput {
            code: "71",
            name_kk: " ",
            lat: Some(60.0),
            lon: None,
            population: Some(0),
            urban_share: Some(1.5),
            utc_offset_minutes: Some(360),
            ..astana()
        };
        let mut problems = Problems::new();
        assert!(RegionFields::parse(&input, &mut problems).is_none());
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(columns, ["code", "name_kk", "lat", "lon", "population", "urban_share", "utc_offset_minutes"]);
    }

    #[test]
    fn station_codes_have_a_shape() {
        for good in ["AST-01", "ALA-SUB-03", "K1", "PHC-AST-0001"] {
            assert!(StationCode::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "ast-01", "AST--01", "-AST", "AST-", "AST 01", "АСТ-01", &"A".repeat(33)] {
            assert!(StationCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip_through_their_spelling() {
        for kind in StationKind::ALL {
            assert_eq!(StationKind::parse(kind.as_str()), Ok(kind));
        }
        for area in AreaType::ALL {
            assert_eq!(AreaType::parse(area.as_str()), Ok(area));
        }
        assert!(StationKind::parse("hospital").unwrap_err().contains("regional_station"));
    }

    #[test]
    fn names_are_trimmed_and_kept_to_one_line() {
        assert_eq!(required_text("  Astana ", 10), Ok("Astana".into()));
        assert!(required_text("a\nb", 10).is_err());
        assert!(required_text("abcdefghijk", 10).is_err());
        assert_eq!(optional_text("", 10), Ok(String::new()));
    }
}
