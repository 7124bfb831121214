//! Airfields, airlines, aircraft and contracts between their messages and the registry's
//! types. A contract's tariff is `Money` in the API (KZT minor units) and whole tenge in
//! files and storage.

use jedel_api::common::v1::{LatLon, Money};
use jedel_api::registry::v1 as pb;
use jedel_platform::time::to_timestamp;

use super::{Resource, date_from_proto, enum_list, stored_date};
use crate::domain::{
    AircraftFields, AircraftInput, AircraftKind, AircraftStatus, AirfieldFields, AirfieldInput, AirfieldKind,
    AirlineFields, AirlineInput, AirlineStatus, ContractFields, ContractInput, ContractStatus, MedicalModule, Problems,
    Reference, RunwaySurface, aircraft_references, airfield_references, airline_references, contract_references,
};
use crate::store::{AircraftRow, AirfieldRow, AirlineRow, ContractRow};

/// Tiyn in a tenge.
const TIYN_PER_TENGE: i64 = 100;

/// Whole tenge from a KZT amount.
fn tariff_from_proto(money: Option<&Money>) -> Result<i64, String> {
    let Some(money) = money else { return Err("is required".into()) };
    if !(money.currency.is_empty() || money.currency == "KZT") {
        return Err(format!("must be in KZT, not {:?}", money.currency));
    }
    if money.minor_units % TIYN_PER_TENGE != 0 {
        return Err("must be whole tenge (minor_units a multiple of 100)".into());
    }
    Ok(money.minor_units / TIYN_PER_TENGE)
}

impl Resource for AirfieldRow {
    type Message = pb::Airfield;

    fn check(
        message: &pb::Airfield,
        problems: &mut Problems,
    ) -> (Option<AirfieldFields>, Vec<(&'static str, Reference)>) {
        let input = AirfieldInput {
            code: &message.code,
            name: &message.name,
            kind: AirfieldKind::from_number(message.kind),
            region_code: &message.region_code,
            lat: message.position.map(|p| p.lat),
            lon: message.position.map(|p| p.lon),
            runway_length_m: Some(message.runway_length_m.into()),
            surface: RunwaySurface::from_number(message.surface),
            night_lighting: Some(message.night_lighting),
            opens_local: &message.opens_local,
            closes_local: &message.closes_local,
        };
        (AirfieldFields::parse(&input, problems), airfield_references(&input))
    }

    fn to_proto(self) -> pb::Airfield {
        pb::Airfield {
            kind: AirfieldKind::parse(&self.kind).map_or(0, AirfieldKind::number),
            surface: RunwaySurface::parse(&self.surface).map_or(0, RunwaySurface::number),
            id: self.id,
            code: self.code,
            name: self.name,
            region_code: self.region_code,
            position: Some(LatLon { lat: self.lat, lon: self.lon }),
            runway_length_m: self.runway_length_m as i32,
            night_lighting: self.night_lighting,
            opens_local: self.opens_local,
            closes_local: self.closes_local,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}

impl Resource for AirlineRow {
    type Message = pb::Airline;

    fn check(
        message: &pb::Airline,
        problems: &mut Problems,
    ) -> (Option<AirlineFields>, Vec<(&'static str, Reference)>) {
        let certificate = message.certificate.as_ref();
        let input = AirlineInput {
            code: &message.code,
            name: &message.name,
            bin: &message.bin,
            certificate_number: certificate.map_or("", |c| c.number.as_str()),
            certificate_issued: date_from_proto(certificate.and_then(|c| c.issued.as_ref())),
            certificate_expires: date_from_proto(certificate.and_then(|c| c.expires.as_ref())),
            status: AirlineStatus::from_number(message.status),
        };
        (AirlineFields::parse(&input, problems), airline_references(&input))
    }

    fn to_proto(self) -> pb::Airline {
        let certificate = self.certificate_number.map(|number| pb::MedicalAviationCertificate {
            number,
            issued: self.certificate_issued.as_deref().and_then(stored_date),
            expires: self.certificate_expires.as_deref().and_then(stored_date),
        });
        pb::Airline {
            status: AirlineStatus::parse(&self.status).map_or(0, AirlineStatus::number),
            id: self.id,
            code: self.code,
            name: self.name,
            bin: self.bin,
            certificate,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}

impl Resource for AircraftRow {
    type Message = pb::Aircraft;

    fn check(
        message: &pb::Aircraft,
        problems: &mut Problems,
    ) -> (Option<AircraftFields>, Vec<(&'static str, Reference)>) {
        let input = AircraftInput {
            registration: &message.registration,
            airline_code: &message.airline_code,
            kind: AircraftKind::from_number(message.kind),
            model: &message.model,
            cruise_speed_kmh: Some(message.cruise_speed_kmh.into()),
            range_km: Some(message.range_km.into()),
            min_runway_m: Some(message.min_runway_m.into()),
            surfaces: enum_list(&message.surfaces, RunwaySurface::from_number),
            helipad_capable: Some(message.helipad_capable),
            night_capable: Some(message.night_capable),
            pressurised: Some(message.pressurised),
            medical_module: MedicalModule::from_number(message.medical_module),
            stretchers: Some(message.stretchers.into()),
            seats: Some(message.seats.into()),
            tracker_installed: Some(message.tracker_installed),
            year_built: Some(message.year_built.into()),
            base_airfield_code: &message.base_airfield_code,
            status: AircraftStatus::from_number(message.status),
        };
        (AircraftFields::parse(&input, problems), aircraft_references(&input))
    }

    fn to_proto(self) -> pb::Aircraft {
        pb::Aircraft {
            kind: AircraftKind::parse(&self.kind).map_or(0, AircraftKind::number),
            surfaces: self
                .surfaces
                .iter()
                .filter_map(|s| RunwaySurface::parse(s).ok())
                .map(RunwaySurface::number)
                .collect(),
            medical_module: MedicalModule::parse(&self.medical_module).map_or(0, MedicalModule::number),
            status: AircraftStatus::parse(&self.status).map_or(0, AircraftStatus::number),
            id: self.id,
            registration: self.registration,
            airline_code: self.airline_code,
            model: self.model,
            cruise_speed_kmh: self.cruise_speed_kmh as i32,
            range_km: self.range_km as i32,
            min_runway_m: self.min_runway_m as i32,
            helipad_capable: self.helipad_capable,
            night_capable: self.night_capable,
            pressurised: self.pressurised,
            stretchers: self.stretchers as i32,
            seats: self.seats as i32,
            tracker_installed: self.tracker_installed,
            year_built: self.year_built as i32,
            base_airfield_code: self.base_airfield_code,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}

impl Resource for ContractRow {
    type Message = pb::Contract;

    fn check(
        message: &pb::Contract,
        problems: &mut Problems,
    ) -> (Option<ContractFields>, Vec<(&'static str, Reference)>) {
        let input = ContractInput {
            number: &message.number,
            airline_code: &message.airline_code,
            starts: date_from_proto(message.starts.as_ref()),
            ends: date_from_proto(message.ends.as_ref()),
            aircraft: message.aircraft.iter().map(String::as_str).collect(),
            tariff_kzt_per_hour: tariff_from_proto(message.tariff_per_hour.as_ref()),
            readiness_minutes: Some(message.readiness_minutes.into()),
            status: ContractStatus::from_number(message.status),
        };
        (ContractFields::parse(&input, problems), contract_references(&input))
    }

    fn to_proto(self) -> pb::Contract {
        pb::Contract {
            starts: stored_date(&self.starts),
            ends: stored_date(&self.ends),
            tariff_per_hour: Some(Money {
                currency: "KZT".into(),
                minor_units: self.tariff_kzt_per_hour.saturating_mul(TIYN_PER_TENGE),
            }),
            status: ContractStatus::parse(&self.status).map_or(0, ContractStatus::number),
            id: self.id,
            number: self.number,
            airline_code: self.airline_code,
            aircraft: self.aircraft,
            readiness_minutes: self.readiness_minutes as i32,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tariffs_are_whole_tenge_in_kzt() {
        let money = |currency: &str, minor_units| Money { currency: currency.into(), minor_units };
        assert_eq!(tariff_from_proto(Some(&money("KZT", 140_000_000))), Ok(1_400_000));
        assert_eq!(tariff_from_proto(Some(&money("", 100))), Ok(1));
        assert!(tariff_from_proto(Some(&money("USD", 100))).unwrap_err().contains("KZT"));
        assert!(tariff_from_proto(Some(&money("KZT", 150))).unwrap_err().contains("whole tenge"));
        assert_eq!(tariff_from_proto(None), Err("is required".into()));
    }
}
