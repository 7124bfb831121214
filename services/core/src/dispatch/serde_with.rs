//! Serde adapters for the crate's validated types that carry no serde implementation of their
//! own ([`RegionCode`], [`LatLon`]): they are written as text and `{lat, lon}`, and checked
//! again when read, so a snapshot cannot smuggle in an invalid value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::geo::LatLon;
use crate::region_code::RegionCode;

/// `RegionCode` as its text, e.g. `"KZ-71"`.
pub mod region {
    use super::*;

    /// Writes the code.
    pub fn serialize<S: Serializer>(code: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code.as_str())
    }

    /// Reads and checks the code.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RegionCode, D::Error> {
        let text = String::deserialize(d)?;
        RegionCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize, Deserialize)]
struct RawLatLon {
    lat: f64,
    lon: f64,
}

/// `LatLon` as `{"lat": …, "lon": …}`.
pub mod lat_lon {
    use super::*;

    /// Writes the position.
    pub fn serialize<S: Serializer>(p: &LatLon, s: S) -> Result<S::Ok, S::Error> {
        RawLatLon { lat: p.lat(), lon: p.lon() }.serialize(s)
    }

    /// Reads and checks the position.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LatLon, D::Error> {
        let raw = RawLatLon::deserialize(d)?;
        LatLon::parse(raw.lat, raw.lon).map_err(serde::de::Error::custom)
    }
}
