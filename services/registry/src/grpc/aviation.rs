//! The questions the rest of Jedel asks the registry about medical aviation: is this aircraft
//! eligible for medevac at a moment (one or many), and which certificates and contracts end
//! soon. National roles ask about any airline, airline operators about their own.

use jedel_api::registry::v1 as pb;
use jedel_api::registry::v1::check_eligibility_request::Key as AircraftKey;
use jedel_api::{ApiError, Violations};
use jedel_core::aviation::AirlineCode;
use jedel_core::calendar::format_date;
use jedel_core::eligibility::ReasonKind;
use jedel_platform::Caller;
use jedel_platform::db::DbError;
use jedel_platform::time::{Micros, from_timestamp, now_micros, to_timestamp};
use sqlx::AnyConnection;
use tonic::Status;

use super::access::{CONTRACT_READERS, airline_scope, require_own_airline};
use super::{RegistryService, finish, record_id};
use crate::convert::Resource;
use crate::eligibility::{Expiry, ExpiryKind, expiries, judge, local_today};
use crate::error::RegistryError;
use crate::paging::Page;
use crate::store::{self, AircraftRow};

/// Most aircraft one batch asks about.
const MAX_BATCH: usize = 1_000;
/// Default and largest expiry horizon, days.
const DEFAULT_WITHIN_DAYS: i32 = 30;
const MAX_WITHIN_DAYS: i32 = 3_650;

/// The moment asked about: now when unset.
fn moment(at: Option<&prost_types::Timestamp>) -> Result<Micros, ApiError> {
    match at {
        None => Ok(now_micros()),
        Some(ts) => from_timestamp(ts).ok_or_else(|| ApiError::invalid("at", "is not a valid timestamp")),
    }
}

fn reason_kind(kind: ReasonKind) -> pb::IneligibilityKind {
    match kind {
        ReasonKind::AircraftInMaintenance => pb::IneligibilityKind::AircraftInMaintenance,
        ReasonKind::AirlineSuspended => pb::IneligibilityKind::AirlineSuspended,
        ReasonKind::CertificateMissing => pb::IneligibilityKind::CertificateMissing,
        ReasonKind::CertificateNotYetValid => pb::IneligibilityKind::CertificateNotYetValid,
        ReasonKind::CertificateExpired => pb::IneligibilityKind::CertificateExpired,
        ReasonKind::NoContract => pb::IneligibilityKind::NoContract,
        ReasonKind::ContractNotStarted => pb::IneligibilityKind::ContractNotStarted,
        ReasonKind::ContractExpired => pb::IneligibilityKind::ContractExpired,
        ReasonKind::ContractSuspended => pb::IneligibilityKind::ContractSuspended,
        ReasonKind::ContractTerminated => pb::IneligibilityKind::ContractTerminated,
    }
}

/// Judges one stored aircraft at `at`.
async fn answer(
    conn: &mut AnyConnection,
    aircraft: AircraftRow,
    at: Micros,
) -> Result<pb::CheckEligibilityResponse, RegistryError> {
    let airline = store::airlines::by_code(&mut *conn, &aircraft.airline_code)
        .await?
        .ok_or_else(|| RegistryError::NotFound { entity: "airline", key: aircraft.airline_code.clone() })?;
    let mut contracts = store::contracts::covering(conn, &aircraft.registration).await?;
    let verdict = judge(&aircraft, &airline, &contracts, at);
    let contract = verdict.contract.map(|i| contracts.swap_remove(i).to_proto());
    Ok(pb::CheckEligibilityResponse {
        eligible: verdict.eligible(),
        reasons: verdict
            .reasons
            .into_iter()
            .map(|r| pb::IneligibilityReason {
                kind: reason_kind(r.kind).into(),
                record_code: r.record_code,
                message: r.message,
            })
            .collect(),
        contract,
        aircraft_id: aircraft.id,
        registration: aircraft.registration,
        airline_code: aircraft.airline_code,
        at: Some(to_timestamp(at)),
    })
}

fn expiry_to_proto(entry: Expiry) -> pb::Expiry {
    let kind = match entry.kind {
        ExpiryKind::Certificate => pb::ExpiryKind::Certificate,
        ExpiryKind::Contract => pb::ExpiryKind::Contract,
    };
    pb::Expiry {
        kind: kind.into(),
        airline_code: entry.airline_code,
        number: entry.number,
        expires: Some(crate::convert::date_to_proto(entry.expires)),
        days_left: i32::try_from(entry.days_left).unwrap_or(i32::MIN),
    }
}

impl RegistryService {
    /// CheckEligibility: one aircraft by id or registration.
    pub(super) async fn check_one(
        &self,
        caller: &Caller,
        request: pb::CheckEligibilityRequest,
    ) -> Result<pb::CheckEligibilityResponse, Status> {
        caller.require_role(CONTRACT_READERS)?;
        let at = moment(request.at.as_ref())?;
        let mut conn = self.context.db.reader().acquire().await.map_err(|e| RegistryError::from(DbError::from(e)))?;
        let aircraft = match request.key {
            Some(AircraftKey::AircraftId(id)) => {
                let id = record_id(&id).map_err(|e| ApiError::invalid("aircraft_id", e))?;
                let found = store::aircraft::by_id(&mut *conn, &id).await.map_err(RegistryError::from)?;
                found.ok_or(RegistryError::NotFound { entity: "aircraft", key: id })?
            }
            Some(AircraftKey::Registration(registration)) if !registration.is_empty() => {
                let found =
                    store::aircraft::by_registration(&mut *conn, &registration).await.map_err(RegistryError::from)?;
                found.ok_or(RegistryError::NotFound { entity: "aircraft", key: registration })?
            }
            Some(AircraftKey::Registration(_)) => return Err(ApiError::invalid("registration", "is required").into()),
            None => return Err(ApiError::invalid("key", "aircraft_id or registration is required").into()),
        };
        require_own_airline(caller, &aircraft.airline_code)?;
        Ok(answer(&mut conn, aircraft, at).await?)
    }

    /// BatchCheckEligibility: up to 1,000 aircraft at one moment, in request order.
    pub(super) async fn check_many(
        &self,
        caller: &Caller,
        request: pb::BatchCheckEligibilityRequest,
    ) -> Result<pb::BatchCheckEligibilityResponse, Status> {
        caller.require_role(CONTRACT_READERS)?;
        let at = moment(request.at.as_ref())?;
        match request.registrations.len() {
            0 => return Err(ApiError::invalid("registrations", "is required").into()),
            n if n > MAX_BATCH => {
                return Err(ApiError::invalid("registrations", format!("lists {n}, more than {MAX_BATCH}")).into());
            }
            _ => {}
        }
        let mut conn = self.context.db.reader().acquire().await.map_err(|e| RegistryError::from(DbError::from(e)))?;
        let mut results = Vec::with_capacity(request.registrations.len());
        for registration in request.registrations {
            let found =
                store::aircraft::by_registration(&mut *conn, &registration).await.map_err(RegistryError::from)?;
            let aircraft = found.ok_or(RegistryError::NotFound { entity: "aircraft", key: registration })?;
            require_own_airline(caller, &aircraft.airline_code)?;
            results.push(answer(&mut conn, aircraft, at).await?);
        }
        Ok(pb::BatchCheckEligibilityResponse { results })
    }

    /// ListExpiring: certificates and contracts ending within N days of a moment.
    pub(super) async fn expiring_page(
        &self,
        caller: &Caller,
        request: pb::ListExpiringRequest,
    ) -> Result<pb::ListExpiringResponse, Status> {
        caller.require_role(CONTRACT_READERS)?;
        let mut v = Violations::new();
        let page = Page::parse(request.page_size, &request.page_token, &mut v);
        let within = match request.within_days {
            0 => Some(DEFAULT_WITHIN_DAYS),
            d if (1..=MAX_WITHIN_DAYS).contains(&d) => Some(d),
            _ => v.check("within_days", Err(format!("must be 0 (30 days) to {MAX_WITHIN_DAYS}"))),
        };
        let kind = match pb::ExpiryKind::try_from(request.kind) {
            Ok(pb::ExpiryKind::Unspecified) => Some(None),
            Ok(pb::ExpiryKind::Certificate) => Some(Some(ExpiryKind::Certificate)),
            Ok(pb::ExpiryKind::Contract) => Some(Some(ExpiryKind::Contract)),
            Err(_) => v.check("kind", Err(format!("{} is not an expiry kind", request.kind))),
        };
        let airline = match request.airline_code.as_str() {
            "" => Some(None),
            code => v.check("airline_code", AirlineCode::parse(code)).map(Some),
        };
        let at = match moment(request.at.as_ref()) {
            Ok(at) => Some(at),
            Err(_) => v.check("at", Err("is not a valid timestamp")),
        };
        let ((((page, within), kind), airline), at) = finish(v, page.zip(within).zip(kind).zip(airline).zip(at))?;
        let airline = airline_scope(caller, airline.map(|a| a.to_string()))?;
        let today = local_today(at);
        let entries =
            expiries(self.context.db.reader(), airline.as_deref(), today).await.map_err(RegistryError::from)?;
        let limit = usize::try_from(page.fetch_limit()).unwrap_or(usize::MAX);
        let rows: Vec<Expiry> = entries
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .filter(|e| e.days_left <= i64::from(within) && (e.days_left >= 0 || request.include_expired))
            .filter(|e| page.after.is_empty() || e.key > page.after)
            .take(limit)
            .collect();
        let (rows, next_page_token) = page.finish(rows, |e| &e.key);
        tracing::debug!(today = %format_date(today), entries = rows.len(), "expiring listed");
        Ok(pb::ListExpiringResponse { expiries: rows.into_iter().map(expiry_to_proto).collect(), next_page_token })
    }
}
