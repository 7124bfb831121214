//! The events the registry emits, one per record written: `<record>.created` or
//! `<record>.updated`, with the record's full new state (its stored row) as the payload, so a
//! consumer needs nothing else to follow the registry.

use jedel_platform::NewEvent;

use crate::store::Table;

/// A region was created.
pub const REGION_CREATED: &str = "region.created";
/// A region's fields were replaced.
pub const REGION_UPDATED: &str = "region.updated";
/// A station was created.
pub const STATION_CREATED: &str = "station.created";
/// A station's fields were replaced.
pub const STATION_UPDATED: &str = "station.updated";
/// A brigade was created.
pub const BRIGADE_CREATED: &str = "brigade.created";
/// A brigade's fields were replaced.
pub const BRIGADE_UPDATED: &str = "brigade.updated";
/// A hospital was created.
pub const HOSPITAL_CREATED: &str = "hospital.created";
/// A hospital's fields were replaced.
pub const HOSPITAL_UPDATED: &str = "hospital.updated";
/// An airfield was created.
pub const AIRFIELD_CREATED: &str = "airfield.created";
/// An airfield's fields were replaced.
pub const AIRFIELD_UPDATED: &str = "airfield.updated";
/// An airline was created.
pub const AIRLINE_CREATED: &str = "airline.created";
/// An airline's fields (e.g. its certificate) were replaced.
pub const AIRLINE_UPDATED: &str = "airline.updated";
/// An aircraft was created.
pub const AIRCRAFT_CREATED: &str = "aircraft.created";
/// An aircraft's fields (e.g. its status) were replaced.
pub const AIRCRAFT_UPDATED: &str = "aircraft.updated";
/// A contract was created.
pub const CONTRACT_CREATED: &str = "contract.created";
/// A contract's fields were replaced.
pub const CONTRACT_UPDATED: &str = "contract.updated";

fn event<T: Table>(row: &T, kind: &'static str) -> NewEvent {
    NewEvent {
        aggregate_type: T::ENTITY,
        aggregate_id: row.id().to_string(),
        kind,
        // A row of strings and numbers always serialises; `Null` would only hide a bug.
        payload: serde_json::to_value(row).unwrap_or(serde_json::Value::Null),
    }
}

/// The event of a new record.
pub(crate) fn created<T: Table>(row: &T) -> NewEvent {
    event(row, T::CREATED_EVENT)
}

/// The event of a changed record.
pub(crate) fn updated<T: Table>(row: &T) -> NewEvent {
    event(row, T::UPDATED_EVENT)
}
