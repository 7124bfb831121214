//! Keyset paging for the List RPCs. A calls page is "the next `size` calls received before
//! this one (newest first)"; its token carries the reception time and id of the last call of
//! the previous page, base64url-encoded behind a format tag so clients treat it as opaque.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jedel_api::Violations;

use crate::store::After;

/// Records per page when the client asks for 0.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The most records one page holds; larger requests get this many.
pub const MAX_PAGE_SIZE: u32 = 1000;

const CALLS_TAG: &str = "calls:";
const STANDARDS_TAG: &str = "standards:";
const MALFORMED: &str = "is not a page token from this list; pass next_page_token unchanged";

/// A page size from the request: 0 = default, capped at the maximum.
pub fn page_size(size: i32, violations: &mut Violations) -> Option<u32> {
    match size {
        0 => Some(DEFAULT_PAGE_SIZE),
        n if n < 0 => violations.check("page_size", Err("must not be negative")),
        n => Some((n as u32).min(MAX_PAGE_SIZE)),
    }
}

fn decode(token: &str, tag: &str) -> Result<Option<String>, &'static str> {
    if token.is_empty() {
        return Ok(None);
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| MALFORMED)?;
    let text = String::from_utf8(bytes).map_err(|_| MALFORMED)?;
    match text.strip_prefix(tag) {
        Some(rest) if !rest.is_empty() => Ok(Some(rest.to_string())),
        _ => Err(MALFORMED),
    }
}

/// The position a calls token carries; `None` for the first page.
pub fn decode_calls_token(token: &str) -> Result<Option<After>, &'static str> {
    let Some(rest) = decode(token, CALLS_TAG)? else { return Ok(None) };
    let (at, id) = rest.split_once(':').ok_or(MALFORMED)?;
    let received_at = at.parse().map_err(|_| MALFORMED)?;
    Ok(Some(After { received_at, id: id.to_string() }))
}

/// The token of the calls page after `after`.
pub fn encode_calls_token(after: &After) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CALLS_TAG}{}:{}", after.received_at, after.id))
}

/// The standard code a standards token carries; `None` for the first page.
pub fn decode_standards_token(token: &str) -> Result<Option<String>, &'static str> {
    decode(token, STANDARDS_TAG)
}

/// The token of the standards page after the standard with `code`.
pub fn encode_standards_token(code: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{STANDARDS_TAG}{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        let after = After { received_at: 1_764_000_000_000_000, id: "0193-abc".into() };
        assert_eq!(decode_calls_token(&encode_calls_token(&after)), Ok(Some(after)));
        assert_eq!(decode_calls_token(""), Ok(None));
        for bad in [
            "!!",
            &encode_standards_token("KZ"),
            &URL_SAFE_NO_PAD.encode("calls:x:y"),
            &URL_SAFE_NO_PAD.encode("calls:"),
        ] {
            assert_eq!(decode_calls_token(bad), Err(MALFORMED), "{bad}");
        }
        assert_eq!(decode_standards_token(&encode_standards_token("NHS-ARP-2017")), Ok(Some("NHS-ARP-2017".into())));
    }

    #[test]
    fn sizes_default_and_are_capped() {
        let mut v = Violations::new();
        assert_eq!(page_size(0, &mut v), Some(100));
        assert_eq!(page_size(5_000, &mut v), Some(1000));
        assert_eq!(page_size(-1, &mut v), None);
        assert!(v.finish().is_err());
    }
}
