//! Jedel's pure domain: types and rules every service shares, with no I/O and no clock of
//! its own. A value of a type from here was checked once, at the edge of the system, and
//! stays valid inside it: a [`RegionCode`] is always `KZ-NN`, a [`LatLon`] is always inside
//! Kazakhstan, a [`Bin`] or [`Iin`] always passes its checksum.

pub mod geo;
pub mod id_number;
pub mod region_code;
pub mod time_zone;

mod text;

pub use geo::{Axis, CoordinateError, LatLon, LatLonError};
pub use id_number::{Bin, IdNumberError, Iin};
pub use region_code::{RegionCode, RegionCodeError};
pub use time_zone::{TimeZone, TimeZoneError};
