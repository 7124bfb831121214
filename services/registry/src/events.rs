//! The events the registry emits, one per record written. The payload is the record's full
//! new state (its stored row), so a consumer needs nothing else to follow the registry.

use jedel_platform::NewEvent;
use serde::Serialize;

use crate::store::{RegionRow, StationRow};

/// A region was created.
pub const REGION_CREATED: &str = "region.created";
/// A region's fields were replaced.
pub const REGION_UPDATED: &str = "region.updated";
/// A station was created.
pub const STATION_CREATED: &str = "station.created";
/// A station's fields were replaced.
pub const STATION_UPDATED: &str = "station.updated";

fn event(aggregate_type: &'static str, aggregate_id: &str, kind: &'static str, state: &impl Serialize) -> NewEvent {
    NewEvent {
        aggregate_type,
        aggregate_id: aggregate_id.to_string(),
        kind,
        // A row of strings and numbers always serialises; `Null` would only hide a bug.
        payload: serde_json::to_value(state).unwrap_or(serde_json::Value::Null),
    }
}

/// The event of a new region.
pub(crate) fn region_created(row: &RegionRow) -> NewEvent {
    event("region", &row.id, REGION_CREATED, row)
}

/// The event of a changed region.
pub(crate) fn region_updated(row: &RegionRow) -> NewEvent {
    event("region", &row.id, REGION_UPDATED, row)
}

/// The event of a new station.
pub(crate) fn station_created(row: &StationRow) -> NewEvent {
    event("station", &row.id, STATION_CREATED, row)
}

/// The event of a changed station.
pub(crate) fn station_updated(row: &StationRow) -> NewEvent {
    event("station", &row.id, STATION_UPDATED, row)
}
