//! Checking request fields into engine values, recording a violation for every bad field (with
//! its path, e.g. `position.lat`) so a request is refused whole; and the ListUnits page token.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jedel_api::Violations;
use jedel_api::common::v1 as common;
use jedel_core::dispatch::{AssignmentId, CallId, RecommendationId, UnitId, UnitStatus};
use jedel_core::local_time::Micros;
use jedel_core::{Category, HospitalProfile, LatLon, RegionCode, TeamKind};
use jedel_platform::time::from_timestamp;

/// Longest reason.
const MAX_REASON_CHARS: usize = 1_000;
/// Records per page when the client asks for 0.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The most records one page holds.
pub const MAX_PAGE_SIZE: usize = 1_000;
/// Ranked units or hospitals when the client asks for 0.
pub const DEFAULT_LIMIT: usize = 5;
/// The most ranked units or hospitals one answer holds.
pub const MAX_LIMIT: usize = 50;

const UNITS_TAG: &str = "units:";
const MALFORMED: &str = "is not a page token from this list; pass next_page_token unchanged";

pub use jedel_api::fields::{finish, request_id};

/// A unit id (a Registry brigade id).
pub fn unit_id(value: &str) -> Result<UnitId, String> {
    UnitId::parse(value).map_err(|e| e.to_string())
}

/// A call id (an Intake call id).
pub fn call_id(value: &str) -> Result<CallId, String> {
    CallId::parse(value).map_err(|e| e.to_string())
}

/// An assignment id.
pub fn assignment_id(value: &str) -> Result<AssignmentId, String> {
    AssignmentId::parse(value).map_err(|e| e.to_string())
}

/// A recommendation id; empty means none.
pub fn recommendation_id(value: &str) -> Result<Option<RecommendationId>, String> {
    match value {
        "" => Ok(None),
        id => RecommendationId::parse(id).map(Some).map_err(|e| e.to_string()),
    }
}

/// An optional reason: trimmed, at most 1000 characters; empty means none.
pub fn reason(value: &str) -> Result<Option<String>, &'static str> {
    let trimmed = value.trim();
    match trimmed.chars().count() {
        0 => Ok(None),
        n if n > MAX_REASON_CHARS => Err("is longer than 1000 characters"),
        _ => Ok(Some(trimmed.to_string())),
    }
}

/// A required reason.
pub fn required_reason(value: &str) -> Result<String, &'static str> {
    reason(value)?.ok_or("is required")
}

/// The expected version of a change: `None` for 0 (no check), else the version.
pub fn expected_version(value: i64) -> Result<Option<i64>, &'static str> {
    jedel_api::fields::expected_version(value).map(|v| (v > 0).then_some(v))
}

/// A region code.
pub fn region(value: &str) -> Result<RegionCode, String> {
    if value.is_empty() {
        return Err("is required".into());
    }
    RegionCode::parse(value).map_err(|e| e.to_string())
}

/// An optional region filter: empty means none.
pub fn optional_region(value: &str, v: &mut Violations) -> Option<Option<RegionCode>> {
    match value {
        "" => Some(None),
        code => v.check("region_code", region(code)).map(Some),
    }
}

/// A list of categories.
pub fn categories(values: &[i32], field: &str, v: &mut Violations) -> Option<Vec<Category>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, n) in values.iter().enumerate() {
        match Category::from_number(i64::from(*n)) {
            Ok(c) => out.push(c),
            Err(e) => {
                v.add(format!("{field}[{i}]"), e.to_string());
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A list of team kinds.
pub fn kinds(values: &[i32], field: &str, v: &mut Violations) -> Option<Vec<TeamKind>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, n) in values.iter().enumerate() {
        match TeamKind::from_number(*n) {
            Some(k) => out.push(k),
            None => {
                v.add(format!("{field}[{i}]"), format!("{n} is not a team kind"));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A list of unit statuses.
pub fn statuses(values: &[i32], field: &str, v: &mut Violations) -> Option<Vec<UnitStatus>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, n) in values.iter().enumerate() {
        match UnitStatus::from_number(*n) {
            Some(s) => out.push(s),
            None => {
                v.add(format!("{field}[{i}]"), format!("{n} is not a unit status"));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A list of hospital profiles.
pub fn profiles(values: &[i32], field: &str, v: &mut Violations) -> Option<Vec<HospitalProfile>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, n) in values.iter().enumerate() {
        match HospitalProfile::from_number(*n) {
            Some(p) => out.push(p),
            None => {
                v.add(format!("{field}[{i}]"), format!("{n} is not a hospital profile"));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A position inside Kazakhstan; each bad coordinate is its own violation.
pub fn position(p: &common::LatLon, field: &str, v: &mut Violations) -> Option<LatLon> {
    match LatLon::parse(p.lat, p.lon) {
        Ok(position) => Some(position),
        Err(e) => {
            if let Some(lat) = e.lat {
                v.add(format!("{field}.lat"), lat.to_string());
            }
            if let Some(lon) = e.lon {
                v.add(format!("{field}.lon"), lon.to_string());
            }
            None
        }
    }
}

/// An optional timestamp.
pub fn timestamp(ts: Option<&prost_types::Timestamp>) -> Result<Option<Micros>, &'static str> {
    ts.map(|ts| from_timestamp(ts).ok_or("is not a valid timestamp")).transpose()
}

/// A ranking limit: 0 = the default, capped at the maximum.
pub fn limit(value: i32) -> Result<usize, &'static str> {
    match value {
        0 => Ok(DEFAULT_LIMIT),
        n if n < 0 => Err("must not be negative"),
        n => Ok((n as usize).min(MAX_LIMIT)),
    }
}

/// A page size: 0 = the default, capped at the maximum.
pub fn page_size(value: i32) -> Result<usize, &'static str> {
    match value {
        0 => Ok(DEFAULT_PAGE_SIZE),
        n if n < 0 => Err("must not be negative"),
        n => Ok((n as usize).min(MAX_PAGE_SIZE)),
    }
}

/// The call sign a units page token carries; `None` for the first page.
pub fn decode_units_token(token: &str) -> Result<Option<String>, &'static str> {
    if token.is_empty() {
        return Ok(None);
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| MALFORMED)?;
    let text = String::from_utf8(bytes).map_err(|_| MALFORMED)?;
    match text.strip_prefix(UNITS_TAG) {
        Some(rest) if !rest.is_empty() => Ok(Some(rest.to_string())),
        _ => Err(MALFORMED),
    }
}

/// The token of the units page after the unit with `call_sign`.
pub fn encode_units_token(call_sign: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{UNITS_TAG}{call_sign}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_tokens_round_trip_and_refuse_others() {
        let token = encode_units_token("AST-01-07");
        assert_eq!(decode_units_token(&token), Ok(Some("AST-01-07".to_string())));
        assert_eq!(decode_units_token(""), Ok(None));
        assert!(decode_units_token("bm9wZQ").is_err());
    }

    #[test]
    fn limits_and_reasons() {
        assert_eq!(limit(0), Ok(5));
        assert_eq!(limit(500), Ok(50));
        assert!(limit(-1).is_err());
        assert_eq!(reason("  "), Ok(None));
        assert_eq!(required_reason(" crew closer "), Ok("crew closer".to_string()));
        assert!(required_reason("").is_err());
        assert_eq!(expected_version(0), Ok(None));
        assert!(expected_version(-2).is_err());
    }
}
