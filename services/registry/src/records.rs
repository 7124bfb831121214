//! Each record type as a data file has it (docs/reference-data.md): the file's name and
//! columns, how a record's cells become the input [`crate::domain`] checks, how a stored row
//! becomes cells again, and which rows an export writes. Import, export and the
//! reference-data seed are written once over [`FileRecord`].

use jedel_platform::db::DbError;
use serde_json::{Value, json};
use sqlx::AnyPool;

use crate::domain::{
    AircraftFields, AircraftInput, AircraftKind, AircraftStatus, AirfieldFields, AirfieldInput, AirfieldKind,
    AirlineFields, AirlineInput, AirlineStatus, AreaType, BrigadeCapability, BrigadeFields, BrigadeInput,
    ContractFields, ContractInput, ContractStatus, HospitalFields, HospitalInput, MedicalModule, Problems, Reference,
    RegionFields, RegionInput, RunwaySurface, ShiftPattern, StationFields, StationInput, StationKind, VehicleType,
    aircraft_references, airfield_references, airline_references, brigade_references, contract_references,
    hospital_profile, hospital_references, station_references, team_kind,
};
use crate::files::Cells;
use crate::store::{self, Table};
use crate::store::{
    AircraftFilter, AircraftRow, AirfieldFilter, AirfieldRow, AirlineFilter, AirlineRow, BrigadeFilter, BrigadeRow,
    ContractFilter, ContractRow, HospitalFilter, HospitalRow, RegionRow, StationFilter, StationRow,
};

/// More records than any export holds; exports are whole tables.
const ALL: i64 = 10_000_000;

/// A record type as a data file carries it.
#[async_trait::async_trait]
pub trait FileRecord: Table {
    /// The file's name without extension, e.g. `brigades`.
    const FILE: &'static str;
    /// The file's columns, in order.
    const COLUMNS: &'static [&'static str];
    /// Whether the records belong to a region, so an export can be limited to one.
    const REGIONAL: bool;

    /// Checks a record's cells: its fields when every one is good (each problem recorded by
    /// column otherwise), and what it references, for the store to check.
    fn read(cells: &Cells, problems: &mut Problems) -> (Option<Self::Fields>, Vec<(&'static str, Reference)>);

    /// The cells of a stored row, one value per column of [`FileRecord::COLUMNS`].
    fn cells(&self) -> Vec<Value>;

    /// Every stored record, in code order; only `region`'s when given (regional records only).
    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError>;
}

fn regions_of(region: Option<&str>) -> Option<Vec<String>> {
    region.map(|r| vec![r.to_string()])
}

#[async_trait::async_trait]
impl FileRecord for RegionRow {
    const FILE: &'static str = "regions";
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "centre_name",
        "lat",
        "lon",
        "population",
        "urban_share",
        "time_zone",
        "utc_offset_minutes",
    ];
    const REGIONAL: bool = true;

    fn read(c: &Cells, p: &mut Problems) -> (Option<RegionFields>, Vec<(&'static str, Reference)>) {
        let input = RegionInput {
            code: c.text("code", p),
            name_kk: c.text("name_kk", p),
            name_ru: c.text("name_ru", p),
            name_en: c.text("name_en", p),
            centre_name: c.text("centre_name", p),
            lat: c.number("lat", p),
            lon: c.number("lon", p),
            population: c.integer("population", p),
            urban_share: c.number("urban_share", p),
            time_zone: c.text("time_zone", p),
            utc_offset_minutes: c.integer("utc_offset_minutes", p),
        };
        (RegionFields::parse(&input, p), Vec::new())
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.code),
            json!(self.name_kk),
            json!(self.name_ru),
            json!(self.name_en),
            json!(self.centre_name),
            json!(self.lat),
            json!(self.lon),
            json!(self.population),
            json!(self.urban_share),
            json!(self.time_zone),
            json!(self.utc_offset_minutes),
        ]
    }

    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError> {
        match region {
            Some(code) => Ok(store::regions::by_code(db, code).await?.into_iter().collect()),
            None => store::regions::list(db, "", ALL).await,
        }
    }
}

#[async_trait::async_trait]
impl FileRecord for StationRow {
    const FILE: &'static str = "stations";
    const COLUMNS: &'static [&'static str] =
        &["code", "name", "kind", "region_code", "lat", "lon", "address", "area_type"];
    const REGIONAL: bool = true;

    fn read(c: &Cells, p: &mut Problems) -> (Option<StationFields>, Vec<(&'static str, Reference)>) {
        let input = StationInput {
            code: c.text("code", p),
            name: c.text("name", p),
            kind: c.word("kind", p, StationKind::parse),
            region_code: c.text("region_code", p),
            lat: c.number("lat", p),
            lon: c.number("lon", p),
            address: c.text("address", p),
            area_type: c.word("area_type", p, AreaType::parse),
        };
        (StationFields::parse(&input, p), station_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.code),
            json!(self.name),
            json!(self.kind),
            json!(self.region_code),
            json!(self.lat),
            json!(self.lon),
            json!(self.address),
            json!(self.area_type),
        ]
    }

    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError> {
        store::stations::list(db, &StationFilter { regions: regions_of(region), kind: None }, "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for BrigadeRow {
    const FILE: &'static str = "brigades";
    const COLUMNS: &'static [&'static str] = &[
        "call_sign",
        "kind",
        "capabilities",
        "station_code",
        "vehicle_plate",
        "vehicle_type",
        "shift_pattern",
        "in_service",
    ];
    const REGIONAL: bool = true;

    fn read(c: &Cells, p: &mut Problems) -> (Option<BrigadeFields>, Vec<(&'static str, Reference)>) {
        let input = BrigadeInput {
            call_sign: c.text("call_sign", p),
            kind: c.word("kind", p, team_kind),
            capabilities: c.words("capabilities", p, BrigadeCapability::parse),
            station_code: c.text("station_code", p),
            vehicle_plate: c.text("vehicle_plate", p),
            vehicle_type: c.word("vehicle_type", p, VehicleType::parse),
            shift_pattern: c.word("shift_pattern", p, ShiftPattern::parse),
            in_service: c.boolean("in_service", p),
        };
        (BrigadeFields::parse(&input, p), brigade_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.call_sign),
            json!(self.kind),
            json!(self.capabilities),
            json!(self.station_code),
            json!(self.vehicle_plate),
            json!(self.vehicle_type),
            json!(self.shift_pattern),
            json!(self.in_service),
        ]
    }

    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError> {
        let filter = BrigadeFilter { regions: regions_of(region), ..Default::default() };
        store::brigades::list(db, &filter, "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for HospitalRow {
    const FILE: &'static str = "hospitals";
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name",
        "region_code",
        "lat",
        "lon",
        "profiles",
        "trauma_level",
        "perinatal_level",
        "beds",
        "helipad",
        "nearest_airfield_code",
    ];
    const REGIONAL: bool = true;

    fn read(c: &Cells, p: &mut Problems) -> (Option<HospitalFields>, Vec<(&'static str, Reference)>) {
        let input = HospitalInput {
            code: c.text("code", p),
            name: c.text("name", p),
            region_code: c.text("region_code", p),
            lat: c.number("lat", p),
            lon: c.number("lon", p),
            profiles: c.words("profiles", p, hospital_profile),
            trauma_level: c.integer("trauma_level", p),
            perinatal_level: c.integer("perinatal_level", p),
            beds: c.integer("beds", p),
            helipad: c.boolean("helipad", p),
            nearest_airfield_code: c.text("nearest_airfield_code", p),
        };
        (HospitalFields::parse(&input, p), hospital_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.code),
            json!(self.name),
            json!(self.region_code),
            json!(self.lat),
            json!(self.lon),
            json!(self.profiles),
            json!(self.trauma_level),
            json!(self.perinatal_level),
            json!(self.beds),
            json!(self.helipad),
            json!(self.nearest_airfield_code),
        ]
    }

    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError> {
        let filter = HospitalFilter { regions: regions_of(region), profile: None };
        store::hospitals::list(db, &filter, "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for AirfieldRow {
    const FILE: &'static str = "airfields";
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name",
        "kind",
        "region_code",
        "lat",
        "lon",
        "runway_length_m",
        "surface",
        "night_lighting",
        "opens_local",
        "closes_local",
    ];
    const REGIONAL: bool = true;

    fn read(c: &Cells, p: &mut Problems) -> (Option<AirfieldFields>, Vec<(&'static str, Reference)>) {
        let input = AirfieldInput {
            code: c.text("code", p),
            name: c.text("name", p),
            kind: c.word("kind", p, AirfieldKind::parse),
            region_code: c.text("region_code", p),
            lat: c.number("lat", p),
            lon: c.number("lon", p),
            runway_length_m: c.integer("runway_length_m", p),
            surface: c.word("surface", p, RunwaySurface::parse),
            night_lighting: c.boolean("night_lighting", p),
            opens_local: c.text("opens_local", p),
            closes_local: c.text("closes_local", p),
        };
        (AirfieldFields::parse(&input, p), airfield_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.code),
            json!(self.name),
            json!(self.kind),
            json!(self.region_code),
            json!(self.lat),
            json!(self.lon),
            json!(self.runway_length_m),
            json!(self.surface),
            json!(self.night_lighting),
            json!(self.opens_local),
            json!(self.closes_local),
        ]
    }

    async fn export_rows(db: &AnyPool, region: Option<&str>) -> Result<Vec<Self>, DbError> {
        let filter = AirfieldFilter { region: region.map(ToString::to_string), kind: None };
        store::airfields::list(db, &filter, "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for AirlineRow {
    const FILE: &'static str = "airlines";
    const COLUMNS: &'static [&'static str] =
        &["code", "name", "bin", "certificate_number", "certificate_issued", "certificate_expires", "status"];
    const REGIONAL: bool = false;

    fn read(c: &Cells, p: &mut Problems) -> (Option<AirlineFields>, Vec<(&'static str, Reference)>) {
        let input = AirlineInput {
            code: c.text("code", p),
            name: c.text("name", p),
            bin: c.text("bin", p),
            certificate_number: c.text("certificate_number", p),
            certificate_issued: c.date("certificate_issued", p),
            certificate_expires: c.date("certificate_expires", p),
            status: c.word("status", p, AirlineStatus::parse),
        };
        (AirlineFields::parse(&input, p), airline_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.code),
            json!(self.name),
            json!(self.bin),
            json!(self.certificate_number.as_deref().unwrap_or("")),
            json!(self.certificate_issued.as_deref().unwrap_or("")),
            json!(self.certificate_expires.as_deref().unwrap_or("")),
            json!(self.status),
        ]
    }

    async fn export_rows(db: &AnyPool, _region: Option<&str>) -> Result<Vec<Self>, DbError> {
        store::airlines::list(db, &AirlineFilter::default(), "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for AircraftRow {
    const FILE: &'static str = "aircraft";
    const COLUMNS: &'static [&'static str] = &[
        "registration",
        "airline_code",
        "kind",
        "model",
        "cruise_speed_kmh",
        "range_km",
        "min_runway_m",
        "surfaces",
        "helipad_capable",
        "night_capable",
        "pressurised",
        "medical_module",
        "stretchers",
        "seats",
        "tracker_installed",
        "year_built",
        "base_airfield_code",
        "status",
    ];
    const REGIONAL: bool = false;

    fn read(c: &Cells, p: &mut Problems) -> (Option<AircraftFields>, Vec<(&'static str, Reference)>) {
        let input = AircraftInput {
            registration: c.text("registration", p),
            airline_code: c.text("airline_code", p),
            kind: c.word("kind", p, AircraftKind::parse),
            model: c.text("model", p),
            cruise_speed_kmh: c.integer("cruise_speed_kmh", p),
            range_km: c.integer("range_km", p),
            min_runway_m: c.integer("min_runway_m", p),
            surfaces: c.words("surfaces", p, RunwaySurface::parse),
            helipad_capable: c.boolean("helipad_capable", p),
            night_capable: c.boolean("night_capable", p),
            pressurised: c.boolean("pressurised", p),
            medical_module: c.word("medical_module", p, MedicalModule::parse),
            stretchers: c.integer("stretchers", p),
            seats: c.integer("seats", p),
            tracker_installed: c.boolean("tracker_installed", p),
            year_built: c.integer("year_built", p),
            base_airfield_code: c.text("base_airfield_code", p),
            status: c.word("status", p, AircraftStatus::parse),
        };
        (AircraftFields::parse(&input, p), aircraft_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.registration),
            json!(self.airline_code),
            json!(self.kind),
            json!(self.model),
            json!(self.cruise_speed_kmh),
            json!(self.range_km),
            json!(self.min_runway_m),
            json!(self.surfaces),
            json!(self.helipad_capable),
            json!(self.night_capable),
            json!(self.pressurised),
            json!(self.medical_module),
            json!(self.stretchers),
            json!(self.seats),
            json!(self.tracker_installed),
            json!(self.year_built),
            json!(self.base_airfield_code),
            json!(self.status),
        ]
    }

    async fn export_rows(db: &AnyPool, _region: Option<&str>) -> Result<Vec<Self>, DbError> {
        store::aircraft::list(db, &AircraftFilter::default(), "", ALL).await
    }
}

#[async_trait::async_trait]
impl FileRecord for ContractRow {
    const FILE: &'static str = "contracts";
    const COLUMNS: &'static [&'static str] =
        &["number", "airline_code", "starts", "ends", "aircraft", "tariff_kzt_per_hour", "readiness_minutes", "status"];
    const REGIONAL: bool = false;

    fn read(c: &Cells, p: &mut Problems) -> (Option<ContractFields>, Vec<(&'static str, Reference)>) {
        let aircraft = c.list("aircraft", p);
        let tariff = match c.integer("tariff_kzt_per_hour", p) {
            Some(tariff) => Ok(tariff),
            None => Err("is required".to_string()),
        };
        let input = ContractInput {
            number: c.text("number", p),
            airline_code: c.text("airline_code", p),
            starts: c.date("starts", p),
            ends: c.date("ends", p),
            aircraft: aircraft.iter().map(String::as_str).collect(),
            tariff_kzt_per_hour: tariff,
            readiness_minutes: c.integer("readiness_minutes", p),
            status: c.word("status", p, ContractStatus::parse),
        };
        (ContractFields::parse(&input, p), contract_references(&input))
    }

    fn cells(&self) -> Vec<Value> {
        vec![
            json!(self.number),
            json!(self.airline_code),
            json!(self.starts),
            json!(self.ends),
            json!(self.aircraft),
            json!(self.tariff_kzt_per_hour),
            json!(self.readiness_minutes),
            json!(self.status),
        ]
    }

    async fn export_rows(db: &AnyPool, _region: Option<&str>) -> Result<Vec<Self>, DbError> {
        store::contracts::list(db, &ContractFilter::default(), "", ALL).await
    }
}
