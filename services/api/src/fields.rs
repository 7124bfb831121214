//! Checks of the request fields every API shares (docs/api-conventions.md): client
//! idempotency keys, record ids, expected versions. Each returns the value to keep or what is
//! wrong, for `Violations::check`, so every service words these the same way.

use crate::{ApiError, Violations};

/// Longest client idempotency key.
pub const MAX_REQUEST_ID_CHARS: usize = 128;

/// A client idempotency key: required, at most 128 characters.
pub fn request_id(value: &str) -> Result<String, &'static str> {
    match value.chars().count() {
        0 => Err("is required"),
        n if n > MAX_REQUEST_ID_CHARS => Err("is longer than 128 characters"),
        _ => Ok(value.to_string()),
    }
}

/// A record id: a UUID, in the canonical lowercase hyphenated form ids are stored in.
pub fn record_id(value: &str) -> Result<String, &'static str> {
    if value.is_empty() {
        return Err("is required");
    }
    uuid::Uuid::parse_str(value).map(|id| id.to_string()).map_err(|_| "is not a UUID")
}

/// The expected version of a change: 0 (no check) or a version.
pub fn expected_version(value: i64) -> Result<i64, &'static str> {
    if value < 0 { Err("must not be negative") } else { Ok(value) }
}

/// The checked value once no violation was recorded; every violation otherwise.
pub fn finish<T>(violations: Violations, value: Option<T>) -> Result<T, ApiError> {
    violations.finish()?;
    value.ok_or_else(|| ApiError::Internal("a checked request lost a value".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_are_checked_the_same_way_everywhere() {
        assert_eq!(request_id(""), Err("is required"));
        assert!(request_id(&"x".repeat(129)).is_err());
        assert_eq!(
            record_id("0195F5B2-7C3A-7000-8000-000000000001"),
            Ok("0195f5b2-7c3a-7000-8000-000000000001".into())
        );
        assert_eq!(record_id("nope"), Err("is not a UUID"));
        assert_eq!(expected_version(-1), Err("must not be negative"));
        let mut violations = Violations::new();
        violations.add("id", "is required");
        assert!(matches!(finish(violations, Some(1)), Err(ApiError::InvalidArgument(v)) if v.len() == 1));
        assert_eq!(finish(Violations::new(), Some(7)), Ok(7));
    }
}
