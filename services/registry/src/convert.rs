//! Between the API's messages and the registry's types: request messages to the inputs
//! [`crate::domain`] checks (with problems renamed to request field paths such as
//! `station.position.lat`), and stored rows back to messages. Regions and stations are here;
//! the other records implement [`Resource`] in `convert/ems.rs` and `convert/aviation.rs`.

mod aviation;
mod ems;

pub(crate) use ems::{hospital_profile_from_proto, team_kind_from_proto};

use chrono::{Datelike as _, NaiveDate};
use jedel_api::Violations;
use jedel_api::common::v1::{LatLon, LocalizedText};
use jedel_api::registry::v1 as pb;
use jedel_core::calendar::{date_from_parts, parse_date};
use jedel_platform::time::to_timestamp;

use crate::domain::{AreaType, Problems, Reference, RegionInput, StationInput, StationKind};
use crate::store::{RegionRow, StationRow, Table};

/// A record type as the API carries it: its message, how a message is checked, and how a
/// stored row reads back. The gRPC handlers are written once over this.
pub trait Resource: Table {
    /// The resource message, e.g. `pb::Brigade`.
    type Message: Send + Sync + 'static;

    /// Checks a message: its fields when every one is good (problems recorded by data-file
    /// column otherwise), and what it references, for the store to check.
    fn check(
        message: &Self::Message,
        problems: &mut Problems,
    ) -> (Option<Self::Fields>, Vec<(&'static str, Reference)>);

    /// The message of a stored row.
    fn to_proto(self) -> Self::Message;
}

/// The request field path of a data-file column of a record under `prefix` (e.g. `region`).
pub(crate) fn field_path(prefix: &str, column: &str) -> String {
    let field = match column {
        "name_kk" => "name.kk",
        "name_ru" => "name.ru",
        "name_en" => "name.en",
        "lat" => "position.lat",
        "lon" => "position.lon",
        "certificate_number" => "certificate.number",
        "certificate_issued" => "certificate.issued",
        "certificate_expires" => "certificate.expires",
        "tariff_kzt_per_hour" => "tariff_per_hour",
        other => other,
    };
    format!("{prefix}.{field}")
}

/// A date from its message: `None` when unset, an error when it names no day.
pub(crate) fn date_from_proto(date: Option<&pb::Date>) -> Result<Option<NaiveDate>, String> {
    let Some(d) = date else { return Ok(None) };
    let day = u32::try_from(d.month).ok().zip(u32::try_from(d.day).ok());
    day.and_then(|(month, day)| date_from_parts(d.year, month, day))
        .map(Some)
        .ok_or_else(|| format!("{:04}-{:02}-{:02} is not a day of the calendar", d.year, d.month, d.day))
}

/// The message of a date.
pub(crate) fn date_to_proto(date: NaiveDate) -> pb::Date {
    pb::Date { year: date.year(), month: date.month() as i32, day: date.day() as i32 }
}

/// The message of a stored `YYYY-MM-DD` date; unset if it does not read (it always does).
pub(crate) fn stored_date(text: &str) -> Option<pb::Date> {
    parse_date(text).ok().map(date_to_proto)
}

/// A list of enum numbers decoded by `decode`; the first bad one is the problem.
pub(crate) fn enum_list<T>(values: &[i32], decode: impl Fn(i32) -> Result<T, String>) -> Result<Vec<T>, String> {
    values
        .iter()
        .map(|&v| if v == 0 { Err("0 (unspecified) is not allowed in the list".into()) } else { decode(v) })
        .collect()
}

/// Adds each problem as a violation of its request field under `prefix`.
pub fn add_problems(prefix: &str, problems: Problems, violations: &mut Violations) {
    for (column, message) in problems.into_vec() {
        violations.add(field_path(prefix, column), message);
    }
}

/// The checkable input of a region message.
pub fn region_input(region: &pb::Region) -> RegionInput<'_> {
    let name = region.name.as_ref();
    RegionInput {
        code: &region.code,
        name_kk: name.map_or("", |n| n.kk.as_str()),
        name_ru: name.map_or("", |n| n.ru.as_str()),
        name_en: name.map_or("", |n| n.en.as_str()),
        centre_name: &region.centre_name,
        lat: region.position.map(|p| p.lat),
        lon: region.position.map(|p| p.lon),
        population: Some(region.population),
        urban_share: Some(region.urban_share),
        time_zone: &region.time_zone,
        utc_offset_minutes: Some(i64::from(region.utc_offset_minutes)),
    }
}

/// The checkable input of a station message.
pub fn station_input(station: &pb::Station) -> StationInput<'_> {
    StationInput {
        code: &station.code,
        name: &station.name,
        kind: station_kind_from_proto(station.kind),
        region_code: &station.region_code,
        lat: station.position.map(|p| p.lat),
        lon: station.position.map(|p| p.lon),
        address: &station.address,
        area_type: area_type_from_proto(station.area_type),
    }
}

/// A station kind from its enum number; unspecified and unknown numbers are refused.
pub fn station_kind_from_proto(value: i32) -> Result<StationKind, String> {
    match pb::StationKind::try_from(value) {
        Ok(pb::StationKind::Unspecified) => Err("is required".into()),
        Ok(pb::StationKind::RegionalStation) => Ok(StationKind::RegionalStation),
        Ok(pb::StationKind::CitySubstation) => Ok(StationKind::CitySubstation),
        Ok(pb::StationKind::DistrictDepartment) => Ok(StationKind::DistrictDepartment),
        Ok(pb::StationKind::PhcOrganisation) => Ok(StationKind::PhcOrganisation),
        Err(_) => Err(format!("{value} is not a station kind")),
    }
}

fn station_kind_to_proto(kind: &str) -> pb::StationKind {
    match StationKind::parse(kind) {
        Ok(StationKind::RegionalStation) => pb::StationKind::RegionalStation,
        Ok(StationKind::CitySubstation) => pb::StationKind::CitySubstation,
        Ok(StationKind::DistrictDepartment) => pb::StationKind::DistrictDepartment,
        Ok(StationKind::PhcOrganisation) => pb::StationKind::PhcOrganisation,
        Err(_) => pb::StationKind::Unspecified,
    }
}

fn area_type_from_proto(value: i32) -> Result<AreaType, String> {
    match pb::AreaType::try_from(value) {
        Ok(pb::AreaType::Unspecified) => Err("is required".into()),
        Ok(pb::AreaType::City) => Ok(AreaType::City),
        Ok(pb::AreaType::Rural) => Ok(AreaType::Rural),
        Err(_) => Err(format!("{value} is not an area type")),
    }
}

fn area_type_to_proto(area_type: &str) -> pb::AreaType {
    match AreaType::parse(area_type) {
        Ok(AreaType::City) => pb::AreaType::City,
        Ok(AreaType::Rural) => pb::AreaType::Rural,
        Err(_) => pb::AreaType::Unspecified,
    }
}

/// The message of a stored region.
pub fn region_to_proto(row: RegionRow) -> pb::Region {
    pb::Region {
        id: row.id,
        code: row.code,
        name: Some(LocalizedText { kk: row.name_kk, ru: row.name_ru, en: row.name_en }),
        centre_name: row.centre_name,
        position: Some(LatLon { lat: row.lat, lon: row.lon }),
        population: row.population,
        urban_share: row.urban_share,
        time_zone: row.time_zone,
        utc_offset_minutes: i32::try_from(row.utc_offset_minutes).unwrap_or_default(),
        created_at: Some(to_timestamp(row.created_at)),
        updated_at: Some(to_timestamp(row.updated_at)),
        version: row.version,
    }
}

/// The message of a stored station.
pub fn station_to_proto(row: StationRow) -> pb::Station {
    pb::Station {
        kind: station_kind_to_proto(&row.kind).into(),
        area_type: area_type_to_proto(&row.area_type).into(),
        id: row.id,
        code: row.code,
        name: row.name,
        region_code: row.region_code,
        position: Some(LatLon { lat: row.lat, lon: row.lon }),
        address: row.address,
        created_at: Some(to_timestamp(row.created_at)),
        updated_at: Some(to_timestamp(row.updated_at)),
        version: row.version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RegionFields, StationFields};

    #[test]
    fn problems_are_named_by_request_field() {
        let station = pb::Station { code: "ast 1".into(), kind: 9, position: None, ..Default::default() };
        let mut problems = Problems::new();
        assert!(StationFields::parse(&station_input(&station), &mut problems).is_none());
        let mut violations = Violations::new();
        add_problems("station", problems, &mut violations);
        let message = violations.finish().unwrap_err().to_string();
        for field in [
            "station.code",
            "station.name",
            "station.kind: 9 is not a station kind",
            "station.region_code",
            "station.position.lat: is required",
            "station.position.lon: is required",
            "station.area_type: is required",
        ] {
            assert!(message.contains(field), "{field} missing from {message}");
        }
        assert!(!message.contains("station.address"));
    }

    #[test]
    fn a_region_survives_the_round_trip() {
        let region = pb::Region {
            code: "KZ-11".into(),
            name: Some(LocalizedText {
                kk: "Ақмола облысы".into(),
                ru: "Акмолинская область".into(),
                en: "Akmola".into(),
            }),
            centre_name: "Kokshetau".into(),
            position: Some(LatLon { lat: 53.28, lon: 69.38 }),
            population: 790_000,
            urban_share: 0.49,
            time_zone: "Asia/Almaty".into(),
            utc_offset_minutes: 300,
            ..Default::default()
        };
        let mut problems = Problems::new();
        let fields = RegionFields::parse(&region_input(&region), &mut problems).unwrap();
        let row = RegionRow {
            id: "r".into(),
            code: fields.code.to_string(),
            name_kk: fields.name_kk,
            name_ru: fields.name_ru,
            name_en: fields.name_en,
            centre_name: fields.centre_name,
            lat: fields.position.lat(),
            lon: fields.position.lon(),
            population: fields.population,
            urban_share: fields.urban_share,
            time_zone: fields.time_zone.name().into(),
            utc_offset_minutes: fields.utc_offset_minutes.into(),
            version: 1,
            created_at: 0,
            updated_at: 0,
        };
        let back = region_to_proto(row);
        assert_eq!(pb::Region { id: String::new(), created_at: None, updated_at: None, version: 0, ..back }, region);
    }
}
