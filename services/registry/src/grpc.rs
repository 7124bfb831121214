//! The `jedel.registry.v1.Registry` trait implementation: for each RPC, who may call it,
//! the request checked whole (every bad field reported at once), the store called, and the
//! result converted back. Regions and stations are handled here; the other records share the
//! generic handlers of `grpc/records.rs` and `grpc/lists.rs`, files are `grpc/files.rs`, and
//! eligibility and expiry `grpc/aviation.rs`. Who reads what is in `grpc/access.rs`.
//!
//! Access: administrators write. Regions are readable by every role. Stations are readable
//! by every role except airline operators; call-takers, dispatchers and coordinators only
//! within the regions of their token.

mod access;
mod aviation;
mod files;
mod lists;
mod records;

use jedel_api::fields::{expected_version, finish, record_id, request_id};
use jedel_api::registry::v1 as pb;
use jedel_api::registry::v1::get_region_request::Key as RegionKey;
use jedel_api::registry::v1::get_station_request::Key as StationKey;
use jedel_api::registry::v1::registry_server::Registry;
use jedel_api::{ApiError, Violations};
use jedel_core::RegionCode;
use jedel_platform::{Caller, Context, Role};
use tonic::{Request, Response, Status};
use tracing::{info, instrument, warn};

use self::records::Lookup;
use crate::convert::{self, add_problems, region_to_proto, station_to_proto};
use crate::domain::{Problems, RegionFields, StationCode, StationFields};
use crate::error::RegistryError;
use crate::metrics::ExpiryGauge;
use crate::paging::Page;
use crate::store::{self, AircraftRow, AirfieldRow, AirlineRow, BrigadeRow, ContractRow, HospitalRow, StationFilter};

/// Roles that may write the registry.
const WRITERS: &[Role] = &[Role::Admin];
/// Roles that may read stations (everyone but airline operators), scoped roles within their regions.
const STATION_READERS: &[Role] =
    &[Role::CallTaker, Role::Dispatcher, Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin];

/// How often the expiry gauge is recounted even without writes, so it follows the calendar.
const EXPIRY_REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The registry service.
#[derive(Clone)]
pub struct RegistryService {
    context: Context,
    expiry_gauge: ExpiryGauge,
}

impl RegistryService {
    /// The service over the shared storage and bus; registers its metrics.
    pub fn new(context: Context) -> Self {
        let expiry_gauge = ExpiryGauge::register(&context.metrics);
        RegistryService { context, expiry_gauge }
    }

    /// The gauge of certificates and contracts expiring within 30 days.
    pub fn expiry_gauge(&self) -> &ExpiryGauge {
        &self.expiry_gauge
    }

    /// Recounts the expiry gauge now and then every minute, for as long as the runtime runs.
    pub fn keep_expiry_gauge_current(&self) {
        let (gauge, db) = (self.expiry_gauge.clone(), self.context.db.clone());
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(EXPIRY_REFRESH_EVERY);
            loop {
                ticks.tick().await;
                if let Err(e) = gauge.refresh(&db).await {
                    warn!(error = %e, "cannot recount expiring certificates and contracts");
                }
            }
        });
    }

    /// Work after a committed write of `entity` records: the expiry gauge follows airlines
    /// and contracts.
    async fn after_write(&self, entity: &str) {
        if matches!(entity, "airline" | "contract")
            && let Err(e) = self.expiry_gauge.refresh(&self.context.db).await
        {
            warn!(error = %e, "cannot recount expiring certificates and contracts");
        }
    }
}

fn region_fields(region: Option<&pb::Region>, violations: &mut Violations) -> Option<RegionFields> {
    let Some(region) = region else {
        violations.add("region", "is required");
        return None;
    };
    let mut problems = Problems::new();
    let fields = RegionFields::parse(&convert::region_input(region), &mut problems);
    add_problems("region", problems, violations);
    fields
}

impl RegistryService {
    /// Checks a station message, including (best effort, before the write transaction checks
    /// it again) that its region exists, so that every problem is reported at once.
    async fn station_fields(
        &self,
        station: Option<&pb::Station>,
        violations: &mut Violations,
    ) -> Result<Option<StationFields>, RegistryError> {
        let Some(station) = station else {
            violations.add("station", "is required");
            return Ok(None);
        };
        let mut problems = Problems::new();
        let fields = StationFields::parse(&convert::station_input(station), &mut problems);
        add_problems("station", problems, violations);
        if let Ok(code) = RegionCode::parse(&station.region_code)
            && !store::regions::exists(self.context.db.reader(), code.as_str()).await?
        {
            violations.add("station.region_code", format!("region {code} does not exist"));
        }
        Ok(fields)
    }
}

#[tonic::async_trait]
impl Registry for RegistryService {
    #[instrument(skip_all)]
    async fn create_region(&self, request: Request<pb::CreateRegionRequest>) -> Result<Response<pb::Region>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let request_id = violations.check("request_id", request_id(&request.request_id));
        let fields = region_fields(request.region.as_ref(), &mut violations);
        let (request_id, fields) = finish(violations, request_id.zip(fields))?;
        let row = store::regions::create(&self.context.db, &caller, &request_id, &fields).await?;
        info!(region = %row.code, id = %row.id, "region created");
        Ok(Response::new(region_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn get_region(&self, request: Request<pb::GetRegionRequest>) -> Result<Response<pb::Region>, Status> {
        Caller::of(&request)?;
        let db = self.context.db.reader();
        let row = match request.into_inner().key {
            Some(RegionKey::Id(id)) => {
                let id = record_id(&id).map_err(|e| ApiError::invalid("id", e))?;
                store::regions::by_id(db, &id)
                    .await
                    .map_err(RegistryError::from)?
                    .ok_or(RegistryError::NotFound { entity: "region", key: id })?
            }
            Some(RegionKey::Code(code)) => {
                let code = RegionCode::parse(&code).map_err(|e| ApiError::invalid("code", e.to_string()))?;
                store::regions::by_code(db, code.as_str())
                    .await
                    .map_err(RegistryError::from)?
                    .ok_or(RegistryError::NotFound { entity: "region", key: code.to_string() })?
            }
            None => return Err(ApiError::invalid("key", "id or code is required").into()),
        };
        Ok(Response::new(region_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn update_region(&self, request: Request<pb::UpdateRegionRequest>) -> Result<Response<pb::Region>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let id = violations.check("id", record_id(&request.id));
        let version = violations.check("expected_version", expected_version(request.expected_version));
        let fields = region_fields(request.region.as_ref(), &mut violations);
        let ((id, version), fields) = finish(violations, id.zip(version).zip(fields))?;
        let row = store::regions::update(&self.context.db, &caller, &id, version, &fields).await?;
        info!(region = %row.code, version = row.version, "region updated");
        Ok(Response::new(region_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn list_regions(
        &self,
        request: Request<pb::ListRegionsRequest>,
    ) -> Result<Response<pb::ListRegionsResponse>, Status> {
        Caller::of(&request)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut violations);
        let page = finish(violations, page)?;
        let rows = store::regions::list(self.context.db.reader(), &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.code);
        Ok(Response::new(pb::ListRegionsResponse {
            regions: rows.into_iter().map(region_to_proto).collect(),
            next_page_token,
        }))
    }

    #[instrument(skip_all)]
    async fn create_station(
        &self,
        request: Request<pb::CreateStationRequest>,
    ) -> Result<Response<pb::Station>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let request_id = violations.check("request_id", request_id(&request.request_id));
        let fields = self.station_fields(request.station.as_ref(), &mut violations).await?;
        let (request_id, fields) = finish(violations, request_id.zip(fields))?;
        let row = store::stations::create(&self.context.db, &caller, &request_id, &fields).await?;
        info!(station = %row.code, id = %row.id, "station created");
        Ok(Response::new(station_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn get_station(&self, request: Request<pb::GetStationRequest>) -> Result<Response<pb::Station>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(STATION_READERS)?;
        let db = self.context.db.reader();
        let row = match request.into_inner().key {
            Some(StationKey::Id(id)) => {
                let id = record_id(&id).map_err(|e| ApiError::invalid("id", e))?;
                store::stations::by_id(db, &id)
                    .await
                    .map_err(RegistryError::from)?
                    .ok_or(RegistryError::NotFound { entity: "station", key: id })?
            }
            Some(StationKey::Code(code)) => {
                let code = StationCode::parse(&code).map_err(|e| ApiError::invalid("code", e))?;
                store::stations::by_code(db, code.as_str())
                    .await
                    .map_err(RegistryError::from)?
                    .ok_or(RegistryError::NotFound { entity: "station", key: code.to_string() })?
            }
            None => return Err(ApiError::invalid("key", "id or code is required").into()),
        };
        caller.require_region(&row.region_code)?;
        Ok(Response::new(station_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn update_station(
        &self,
        request: Request<pb::UpdateStationRequest>,
    ) -> Result<Response<pb::Station>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let id = violations.check("id", record_id(&request.id));
        let version = violations.check("expected_version", expected_version(request.expected_version));
        let fields = self.station_fields(request.station.as_ref(), &mut violations).await?;
        let ((id, version), fields) = finish(violations, id.zip(version).zip(fields))?;
        let row = store::stations::update(&self.context.db, &caller, &id, version, &fields).await?;
        info!(station = %row.code, version = row.version, "station updated");
        Ok(Response::new(station_to_proto(row)))
    }

    #[instrument(skip_all)]
    async fn list_stations(
        &self,
        request: Request<pb::ListStationsRequest>,
    ) -> Result<Response<pb::ListStationsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(STATION_READERS)?;
        let request = request.into_inner();
        let mut violations = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut violations);
        let region = match request.region_code.as_str() {
            "" => Some(None),
            code => violations.check("region_code", RegionCode::parse(code)).map(Some),
        };
        let kind = match request.kind {
            0 => Some(None),
            kind => violations.check("kind", convert::station_kind_from_proto(kind)).map(Some),
        };
        let ((page, region), kind) = finish(violations, page.zip(region).zip(kind))?;
        let regions = match region {
            Some(code) => {
                caller.require_region(code.as_str())?;
                Some(vec![code.to_string()])
            }
            None if caller.role.is_national() => None,
            None => Some(caller.regions.clone()),
        };
        let filter = StationFilter { regions, kind };
        let rows = store::stations::list(self.context.db.reader(), &filter, &page.after, page.fetch_limit())
            .await
            .map_err(RegistryError::from)?;
        let (rows, next_page_token) = page.finish(rows, |r| &r.code);
        Ok(Response::new(pb::ListStationsResponse {
            stations: rows.into_iter().map(station_to_proto).collect(),
            next_page_token,
        }))
    }

    #[instrument(skip_all)]
    async fn create_brigade(
        &self,
        request: Request<pb::CreateBrigadeRequest>,
    ) -> Result<Response<pb::Brigade>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<BrigadeRow>(&caller, &r.request_id, r.brigade.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_brigade(&self, request: Request<pb::GetBrigadeRequest>) -> Result<Response<pb::Brigade>, Status> {
        use pb::get_brigade_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::CallSign(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<BrigadeRow>(&caller, lookup, "call_sign").await?))
    }

    #[instrument(skip_all)]
    async fn update_brigade(
        &self,
        request: Request<pb::UpdateBrigadeRequest>,
    ) -> Result<Response<pb::Brigade>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated = self.update_record::<BrigadeRow>(&caller, &r.id, r.expected_version, r.brigade.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_brigades(
        &self,
        request: Request<pb::ListBrigadesRequest>,
    ) -> Result<Response<pb::ListBrigadesResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_brigade_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn create_hospital(
        &self,
        request: Request<pb::CreateHospitalRequest>,
    ) -> Result<Response<pb::Hospital>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<HospitalRow>(&caller, &r.request_id, r.hospital.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_hospital(&self, request: Request<pb::GetHospitalRequest>) -> Result<Response<pb::Hospital>, Status> {
        use pb::get_hospital_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::Code(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<HospitalRow>(&caller, lookup, "code").await?))
    }

    #[instrument(skip_all)]
    async fn update_hospital(
        &self,
        request: Request<pb::UpdateHospitalRequest>,
    ) -> Result<Response<pb::Hospital>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated =
            self.update_record::<HospitalRow>(&caller, &r.id, r.expected_version, r.hospital.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_hospitals(
        &self,
        request: Request<pb::ListHospitalsRequest>,
    ) -> Result<Response<pb::ListHospitalsResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_hospital_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn create_airline(
        &self,
        request: Request<pb::CreateAirlineRequest>,
    ) -> Result<Response<pb::Airline>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<AirlineRow>(&caller, &r.request_id, r.airline.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_airline(&self, request: Request<pb::GetAirlineRequest>) -> Result<Response<pb::Airline>, Status> {
        use pb::get_airline_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::Code(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<AirlineRow>(&caller, lookup, "code").await?))
    }

    #[instrument(skip_all)]
    async fn update_airline(
        &self,
        request: Request<pb::UpdateAirlineRequest>,
    ) -> Result<Response<pb::Airline>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated = self.update_record::<AirlineRow>(&caller, &r.id, r.expected_version, r.airline.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_airlines(
        &self,
        request: Request<pb::ListAirlinesRequest>,
    ) -> Result<Response<pb::ListAirlinesResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_airline_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn create_aircraft(
        &self,
        request: Request<pb::CreateAircraftRequest>,
    ) -> Result<Response<pb::Aircraft>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<AircraftRow>(&caller, &r.request_id, r.aircraft.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_aircraft(&self, request: Request<pb::GetAircraftRequest>) -> Result<Response<pb::Aircraft>, Status> {
        use pb::get_aircraft_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::Registration(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<AircraftRow>(&caller, lookup, "registration").await?))
    }

    #[instrument(skip_all)]
    async fn update_aircraft(
        &self,
        request: Request<pb::UpdateAircraftRequest>,
    ) -> Result<Response<pb::Aircraft>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated =
            self.update_record::<AircraftRow>(&caller, &r.id, r.expected_version, r.aircraft.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_aircraft(
        &self,
        request: Request<pb::ListAircraftRequest>,
    ) -> Result<Response<pb::ListAircraftResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_aircraft_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn create_airfield(
        &self,
        request: Request<pb::CreateAirfieldRequest>,
    ) -> Result<Response<pb::Airfield>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<AirfieldRow>(&caller, &r.request_id, r.airfield.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_airfield(&self, request: Request<pb::GetAirfieldRequest>) -> Result<Response<pb::Airfield>, Status> {
        use pb::get_airfield_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::Code(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<AirfieldRow>(&caller, lookup, "code").await?))
    }

    #[instrument(skip_all)]
    async fn update_airfield(
        &self,
        request: Request<pb::UpdateAirfieldRequest>,
    ) -> Result<Response<pb::Airfield>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated =
            self.update_record::<AirfieldRow>(&caller, &r.id, r.expected_version, r.airfield.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_airfields(
        &self,
        request: Request<pb::ListAirfieldsRequest>,
    ) -> Result<Response<pb::ListAirfieldsResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_airfield_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn create_contract(
        &self,
        request: Request<pb::CreateContractRequest>,
    ) -> Result<Response<pb::Contract>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        Ok(Response::new(self.create_record::<ContractRow>(&caller, &r.request_id, r.contract.as_ref()).await?))
    }

    #[instrument(skip_all)]
    async fn get_contract(&self, request: Request<pb::GetContractRequest>) -> Result<Response<pb::Contract>, Status> {
        use pb::get_contract_request::Key;
        let caller = Caller::of(&request)?;
        let lookup = request.into_inner().key.map(|key| match key {
            Key::Id(id) => Lookup::Id(id),
            Key::Number(code) => Lookup::Code(code),
        });
        Ok(Response::new(self.get_record::<ContractRow>(&caller, lookup, "number").await?))
    }

    #[instrument(skip_all)]
    async fn update_contract(
        &self,
        request: Request<pb::UpdateContractRequest>,
    ) -> Result<Response<pb::Contract>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.into_inner();
        let updated =
            self.update_record::<ContractRow>(&caller, &r.id, r.expected_version, r.contract.as_ref()).await?;
        Ok(Response::new(updated))
    }

    #[instrument(skip_all)]
    async fn list_contracts(
        &self,
        request: Request<pb::ListContractsRequest>,
    ) -> Result<Response<pb::ListContractsResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.list_contract_page(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn import_records(
        &self,
        request: Request<pb::ImportRecordsRequest>,
    ) -> Result<Response<pb::ImportRecordsResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.import_file_records(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn export_records(
        &self,
        request: Request<pb::ExportRecordsRequest>,
    ) -> Result<Response<pb::ExportRecordsResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.export_file_records(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn check_eligibility(
        &self,
        request: Request<pb::CheckEligibilityRequest>,
    ) -> Result<Response<pb::CheckEligibilityResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.check_one(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn batch_check_eligibility(
        &self,
        request: Request<pb::BatchCheckEligibilityRequest>,
    ) -> Result<Response<pb::BatchCheckEligibilityResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.check_many(&caller, request.into_inner()).await?))
    }

    #[instrument(skip_all)]
    async fn list_expiring(
        &self,
        request: Request<pb::ListExpiringRequest>,
    ) -> Result<Response<pb::ListExpiringResponse>, Status> {
        let caller = Caller::of(&request)?;
        Ok(Response::new(self.expiring_page(&caller, request.into_inner()).await?))
    }
}
