//! Who may read which records, and within what scope. Administrators write everything;
//! readers by record type:
//!
//! | records | national roles | call_taker, dispatcher, coordinator | airline |
//! |---|---|---|---|
//! | regions, airfields | all | all | all |
//! | stations, brigades, hospitals | all | their regions | — |
//! | airlines, aircraft | all | all | their airline's |
//! | contracts, eligibility, expiring | all | — | their airline's |
//! | export | all | — | — |

use jedel_api::ApiError;
use jedel_core::RegionCode;
use jedel_platform::{Caller, Role};

use crate::convert::Resource;
use crate::store::{AircraftRow, AirfieldRow, AirlineRow, BrigadeRow, ContractRow, HospitalRow};

/// Every role.
pub(crate) const EVERYONE: &[Role] = &[
    Role::CallTaker,
    Role::Dispatcher,
    Role::Coordinator,
    Role::MedevacDispatcher,
    Role::Airline,
    Role::Situation,
    Role::Admin,
];
/// Roles that read ground records (stations, brigades, hospitals): everyone but airline
/// operators; call-takers, dispatchers and coordinators within their regions.
pub(crate) const GROUND_READERS: &[Role] =
    &[Role::CallTaker, Role::Dispatcher, Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin];
/// Roles that read contracts and ask about eligibility and expiry: national roles, and
/// airline operators for their own airline.
pub(crate) const CONTRACT_READERS: &[Role] = &[Role::MedevacDispatcher, Role::Situation, Role::Admin, Role::Airline];
/// Roles that export whole tables.
pub(crate) const EXPORTERS: &[Role] = &[Role::MedevacDispatcher, Role::Situation, Role::Admin];

/// What a record's visibility depends on.
pub(crate) enum Scope<'a> {
    /// Nothing: every reader sees it.
    Everyone,
    /// Its region: regional roles see it only within theirs.
    Region(&'a str),
    /// Its airline: airline operators see it only if it is theirs.
    Airline(&'a str),
}

/// A record type the API reads: who may, and what scopes a record.
pub(crate) trait Readable: Resource {
    /// Roles that may read records of this type at all.
    const READERS: &'static [Role];
    /// What this record's visibility depends on.
    fn scope(&self) -> Scope<'_>;
}

impl Readable for AirfieldRow {
    const READERS: &'static [Role] = EVERYONE;
    fn scope(&self) -> Scope<'_> {
        Scope::Everyone
    }
}

impl Readable for BrigadeRow {
    const READERS: &'static [Role] = GROUND_READERS;
    fn scope(&self) -> Scope<'_> {
        Scope::Region(&self.region_code)
    }
}

impl Readable for HospitalRow {
    const READERS: &'static [Role] = GROUND_READERS;
    fn scope(&self) -> Scope<'_> {
        Scope::Region(&self.region_code)
    }
}

impl Readable for AirlineRow {
    const READERS: &'static [Role] = EVERYONE;
    fn scope(&self) -> Scope<'_> {
        Scope::Airline(&self.code)
    }
}

impl Readable for AircraftRow {
    const READERS: &'static [Role] = EVERYONE;
    fn scope(&self) -> Scope<'_> {
        Scope::Airline(&self.airline_code)
    }
}

impl Readable for ContractRow {
    const READERS: &'static [Role] = CONTRACT_READERS;
    fn scope(&self) -> Scope<'_> {
        Scope::Airline(&self.airline_code)
    }
}

/// Refuses the read of `row` unless its scope is the caller's.
pub(crate) fn check_read<T: Readable>(caller: &Caller, row: &T) -> Result<(), ApiError> {
    match row.scope() {
        Scope::Everyone => Ok(()),
        Scope::Region(region) => caller.require_region(region),
        Scope::Airline(airline) => require_own_airline(caller, airline),
    }
}

/// Refuses an airline operator anything of another airline; other roles pass.
pub(crate) fn require_own_airline(caller: &Caller, airline: &str) -> Result<(), ApiError> {
    if caller.role == Role::Airline { caller.require_airline(airline) } else { Ok(()) }
}

/// The regions a list may cover: the one asked for (if in scope), or every region the caller
/// sees (`None` for all).
pub(crate) fn region_scope(caller: &Caller, requested: Option<RegionCode>) -> Result<Option<Vec<String>>, ApiError> {
    Ok(match requested {
        Some(code) => {
            caller.require_region(code.as_str())?;
            Some(vec![code.to_string()])
        }
        None if caller.role.is_national() => None,
        None => Some(caller.regions.clone()),
    })
}

/// The airline a list may cover: an airline operator's own (refusing another), or the one
/// asked for (`None` for all).
pub(crate) fn airline_scope(caller: &Caller, requested: Option<String>) -> Result<Option<String>, ApiError> {
    if caller.role != Role::Airline {
        return Ok(requested);
    }
    let own = caller.airline.clone().ok_or_else(|| ApiError::PermissionDenied("the token names no airline".into()))?;
    if let Some(other) = requested.as_deref() {
        caller.require_airline(other)?;
    }
    Ok(Some(own))
}
