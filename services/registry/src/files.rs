//! The registry's data files (docs/reference-data.md): one JSON array of records per entity,
//! fields named as the file columns. Reading a file only shapes its records; every missing
//! or bad value is left for [`crate::domain`] to report by row and column, so one pass
//! finds every problem of a file.

use serde::Deserialize;

use crate::domain::{AreaType, RegionInput, StationInput, StationKind};

/// One record of `regions.json`. Every field is optional here so that a missing one is
/// reported as a problem of its row rather than failing the whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegionRecord {
    /// ISO 3166-2:KZ code, e.g. `KZ-71`.
    pub code: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Administrative centre, in English.
    pub centre_name: String,
    /// Latitude of the centre.
    pub lat: Option<f64>,
    /// Longitude of the centre.
    pub lon: Option<f64>,
    /// Resident population.
    pub population: Option<i64>,
    /// Urban share, 0..1.
    pub urban_share: Option<f64>,
    /// IANA time zone, e.g. `Asia/Almaty`.
    pub time_zone: String,
    /// UTC offset of the time zone in minutes, e.g. 300.
    pub utc_offset_minutes: Option<i64>,
}

impl RegionRecord {
    /// The record as input to check.
    pub fn input(&self) -> RegionInput<'_> {
        RegionInput {
            code: &self.code,
            name_kk: &self.name_kk,
            name_ru: &self.name_ru,
            name_en: &self.name_en,
            centre_name: &self.centre_name,
            lat: self.lat,
            lon: self.lon,
            population: self.population,
            urban_share: self.urban_share,
            time_zone: &self.time_zone,
            utc_offset_minutes: self.utc_offset_minutes,
        }
    }
}

/// One record of `stations.json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StationRecord {
    /// Station code, e.g. `AST-01`.
    pub code: String,
    /// Name as dispatchers use it.
    pub name: String,
    /// `regional_station`, `city_substation`, `district_department` or `phc_organisation`.
    pub kind: String,
    /// Region code.
    pub region_code: String,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Postal address.
    pub address: String,
    /// `city` or `rural`.
    pub area_type: String,
}

impl StationRecord {
    /// The record as input to check.
    pub fn input(&self) -> StationInput<'_> {
        let word = |text: &str| if text.is_empty() { Err("is required".to_string()) } else { Ok(()) };
        StationInput {
            code: &self.code,
            name: &self.name,
            kind: word(&self.kind).and_then(|()| StationKind::parse(&self.kind)),
            region_code: &self.region_code,
            lat: self.lat,
            lon: self.lon,
            address: &self.address,
            area_type: word(&self.area_type).and_then(|()| AreaType::parse(&self.area_type)),
        }
    }
}

/// One problem with one column of one record of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file, e.g. `stations.json`.
    pub file: &'static str,
    /// 1-based record number (array index + 1).
    pub row: usize,
    /// The column at fault, as named in the file.
    pub column: &'static str,
    /// What is wrong.
    pub message: String,
    /// The record's code, to find it; empty when it has none.
    pub record_code: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.file, self.row)?;
        if !self.record_code.is_empty() {
            write!(f, " ({})", self.record_code)?;
        }
        write!(f, " {}: {}", self.column, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Problems, StationFields};

    #[test]
    fn missing_and_misspelt_columns_are_problems_of_their_row() {
        let records: Vec<StationRecord> =
            serde_json::from_str(r#"[{"code": "AST-01", "kind": "hospital", "extra": 1}]"#).unwrap();
        let mut problems = Problems::new();
        assert!(StationFields::parse(&records[0].input(), &mut problems).is_none());
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(columns, ["name", "kind", "region_code", "lat", "lon", "area_type"]);
    }

    #[test]
    fn a_problem_reads_as_file_row_and_column() {
        let problem = RowProblem {
            file: "stations.json",
            row: 3,
            column: "lat",
            message: "latitude 60 is outside Kazakhstan (40.5..=55.5)".into(),
            record_code: "AST-01".into(),
        };
        assert_eq!(
            problem.to_string(),
            "stations.json row 3 (AST-01) lat: latitude 60 is outside Kazakhstan (40.5..=55.5)"
        );
    }
}
