//! The List RPCs of brigades, hospitals, airfields, airlines, aircraft and contracts: filters
//! checked whole, narrowed to the caller's scope (regions, or an airline operator's airline),
//! and keyset-paged by code.

use jedel_api::Violations;
use jedel_api::registry::v1 as pb;
use jedel_core::RegionCode;
use jedel_core::aviation::{AirlineCode, Registration};
use jedel_platform::Caller;
use tonic::Status;

use super::access::{CONTRACT_READERS, EVERYONE, GROUND_READERS, airline_scope, region_scope};
use super::{RegistryService, finish};
use crate::convert::Resource;
use crate::convert::{hospital_profile_from_proto, team_kind_from_proto};
use crate::domain::{AircraftKind, AircraftStatus, AirfieldKind, AirlineStatus, ContractStatus, StationCode};
use crate::error::RegistryError;
use crate::paging::Page;
use crate::store::{
    self, AircraftFilter, AirfieldFilter, AirlineFilter, BrigadeFilter, ContractFilter, HospitalFilter,
};

/// An optional filter: empty or 0 is "all", anything else must parse.
fn optional<T, E: std::fmt::Display>(
    violations: &mut Violations,
    field: &str,
    unset: bool,
    parse: impl FnOnce() -> Result<T, E>,
) -> Option<Option<T>> {
    if unset { Some(None) } else { violations.check(field, parse()).map(Some) }
}

impl RegistryService {
    /// ListBrigades: ground readers, regional roles within their regions.
    pub(super) async fn list_brigade_page(
        &self,
        caller: &Caller,
        request: pb::ListBrigadesRequest,
    ) -> Result<pb::ListBrigadesResponse, Status> {
        caller.require_role(GROUND_READERS)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let region =
            optional(&mut v, "region_code", request.region_code.is_empty(), || RegionCode::parse(&request.region_code));
        let station = optional(&mut v, "station_code", request.station_code.is_empty(), || {
            StationCode::parse(&request.station_code)
        });
        let kind = optional(&mut v, "kind", request.kind == 0, || team_kind_from_proto(request.kind));
        let (((page, region), station), kind) = finish(v, page.zip(region).zip(station).zip(kind))?;
        let filter = BrigadeFilter {
            regions: region_scope(caller, region)?,
            station: station.map(|s| s.to_string()),
            kind,
            in_service: request.in_service,
        };
        let rows = store::brigades::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.call_sign);
        Ok(pb::ListBrigadesResponse { brigades: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }

    /// ListHospitals: ground readers, regional roles within their regions.
    pub(super) async fn list_hospital_page(
        &self,
        caller: &Caller,
        request: pb::ListHospitalsRequest,
    ) -> Result<pb::ListHospitalsResponse, Status> {
        caller.require_role(GROUND_READERS)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let region =
            optional(&mut v, "region_code", request.region_code.is_empty(), || RegionCode::parse(&request.region_code));
        let profile =
            optional(&mut v, "profile", request.profile == 0, || hospital_profile_from_proto(request.profile));
        let ((page, region), profile) = finish(v, page.zip(region).zip(profile))?;
        let filter = HospitalFilter { regions: region_scope(caller, region)?, profile };
        let rows = store::hospitals::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.code);
        Ok(pb::ListHospitalsResponse { hospitals: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }

    /// ListAirfields: every role.
    pub(super) async fn list_airfield_page(
        &self,
        caller: &Caller,
        request: pb::ListAirfieldsRequest,
    ) -> Result<pb::ListAirfieldsResponse, Status> {
        caller.require_role(EVERYONE)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let region =
            optional(&mut v, "region_code", request.region_code.is_empty(), || RegionCode::parse(&request.region_code));
        let kind = optional(&mut v, "kind", request.kind == 0, || AirfieldKind::from_number(request.kind));
        let ((page, region), kind) = finish(v, page.zip(region).zip(kind))?;
        let filter = AirfieldFilter { region: region.map(|r| r.to_string()), kind };
        let rows = store::airfields::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.code);
        Ok(pb::ListAirfieldsResponse { airfields: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }

    /// ListAirlines: every role; an airline operator sees its own airline only.
    pub(super) async fn list_airline_page(
        &self,
        caller: &Caller,
        request: pb::ListAirlinesRequest,
    ) -> Result<pb::ListAirlinesResponse, Status> {
        caller.require_role(EVERYONE)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let status = optional(&mut v, "status", request.status == 0, || AirlineStatus::from_number(request.status));
        let (page, status) = finish(v, page.zip(status))?;
        let filter = AirlineFilter { code: airline_scope(caller, None)?, status };
        let rows = store::airlines::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.code);
        Ok(pb::ListAirlinesResponse { airlines: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }

    /// ListAircraft: every role; an airline operator sees its own fleet only.
    pub(super) async fn list_aircraft_page(
        &self,
        caller: &Caller,
        request: pb::ListAircraftRequest,
    ) -> Result<pb::ListAircraftResponse, Status> {
        caller.require_role(EVERYONE)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let airline = optional(&mut v, "airline_code", request.airline_code.is_empty(), || {
            AirlineCode::parse(&request.airline_code)
        });
        let kind = optional(&mut v, "kind", request.kind == 0, || AircraftKind::from_number(request.kind));
        let status = optional(&mut v, "status", request.status == 0, || AircraftStatus::from_number(request.status));
        let (((page, airline), kind), status) = finish(v, page.zip(airline).zip(kind).zip(status))?;
        let filter = AircraftFilter { airline: airline_scope(caller, airline.map(|a| a.to_string()))?, kind, status };
        let rows = store::aircraft::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.registration);
        Ok(pb::ListAircraftResponse { aircraft: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }

    /// ListContracts: national roles, and airline operators for their own contracts.
    pub(super) async fn list_contract_page(
        &self,
        caller: &Caller,
        request: pb::ListContractsRequest,
    ) -> Result<pb::ListContractsResponse, Status> {
        caller.require_role(CONTRACT_READERS)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let airline = optional(&mut v, "airline_code", request.airline_code.is_empty(), || {
            AirlineCode::parse(&request.airline_code)
        });
        let status = optional(&mut v, "status", request.status == 0, || ContractStatus::from_number(request.status));
        let aircraft = optional(&mut v, "aircraft_registration", request.aircraft_registration.is_empty(), || {
            Registration::parse(&request.aircraft_registration)
        });
        let (((page, airline), status), aircraft) = finish(v, page.zip(airline).zip(status).zip(aircraft))?;
        let filter = ContractFilter {
            airline: airline_scope(caller, airline.map(|a| a.to_string()))?,
            status,
            aircraft: aircraft.map(|a| a.to_string()),
        };
        let rows = store::contracts::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.number);
        Ok(pb::ListContractsResponse { contracts: rows.into_iter().map(Resource::to_proto).collect(), next_page_token })
    }
}
