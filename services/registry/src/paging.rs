//! Keyset paging for List RPCs: a page is "the next `size` records after this code, in code
//! order". The page token carries the last code of the previous page, base64url-encoded
//! behind a format tag, so clients treat it as opaque and the server can change it later.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jedel_api::Violations;

/// Records per page when the client asks for 0.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The most records one page holds; larger requests get this many.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Tags the token format, so a token from another list or version is refused.
const TOKEN_TAG: &str = "code:";

/// Where a page starts and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Records to return.
    pub size: u32,
    /// Return records whose code sorts after this; empty for the first page.
    pub after: String,
}

impl Page {
    /// Reads `page_size` and `page_token`, recording a violation for each that is bad.
    pub fn parse(page_size: i32, page_token: &str, violations: &mut Violations) -> Option<Page> {
        let size = match page_size {
            0 => Some(DEFAULT_PAGE_SIZE),
            n if n < 0 => violations.check("page_size", Err("must not be negative")),
            n => Some((n as u32).min(MAX_PAGE_SIZE)),
        };
        let after = violations.check("page_token", decode_token(page_token));
        Some(Page { size: size?, after: after? })
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.size) + 1
    }

    /// Cuts fetched rows (at most [`Page::fetch_limit`]) to the page and gives the token of
    /// the next page, empty when this is the last.
    pub fn finish<T>(&self, mut rows: Vec<T>, code: impl Fn(&T) -> &str) -> (Vec<T>, String) {
        if rows.len() <= self.size as usize {
            return (rows, String::new());
        }
        rows.truncate(self.size as usize);
        let token = rows.last().map(|last| encode_token(code(last))).unwrap_or_default();
        (rows, token)
    }
}

/// The token of the page after the record with `code`.
pub fn encode_token(code: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{TOKEN_TAG}{code}"))
}

/// The code a token carries; empty for an empty token.
fn decode_token(token: &str) -> Result<String, &'static str> {
    if token.is_empty() {
        return Ok(String::new());
    }
    const MALFORMED: &str = "is not a page token from this list; pass next_page_token unchanged";
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| MALFORMED)?;
    let text = String::from_utf8(bytes).map_err(|_| MALFORMED)?;
    match text.strip_prefix(TOKEN_TAG) {
        Some(code) if !code.is_empty() => Ok(code.to_string()),
        _ => Err(MALFORMED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(size: i32, token: &str) -> Result<Page, jedel_api::ApiError> {
        let mut v = Violations::new();
        let page = Page::parse(size, token, &mut v);
        v.finish().map(|()| page.unwrap())
    }

    #[test]
    fn sizes_default_and_are_capped() {
        assert_eq!(parse(0, "").unwrap().size, 100);
        assert_eq!(parse(7, "").unwrap().size, 7);
        assert_eq!(parse(5000, "").unwrap().size, 1000);
        assert!(parse(-1, "").is_err());
    }

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        let token = encode_token("KZ-71");
        assert_eq!(parse(0, &token).unwrap().after, "KZ-71");
        for bad in ["KZ-71", "!!!", &URL_SAFE_NO_PAD.encode("code:"), &URL_SAFE_NO_PAD.encode("id:KZ-71")] {
            let error = parse(0, bad).unwrap_err();
            assert!(error.to_string().starts_with("invalid argument: page_token:"), "{bad}: {error}");
        }
    }

    #[test]
    fn a_page_says_whether_another_follows() {
        let page = parse(2, "").unwrap();
        assert_eq!(page.fetch_limit(), 3);
        let (rows, next) = page.finish(vec!["a", "b", "c"], |s| s);
        assert_eq!((rows, next.is_empty()), (vec!["a", "b"], false));
        assert_eq!(parse(2, &next).unwrap().after, "b");
        let (rows, next) = page.finish(vec!["c"], |s| s);
        assert_eq!((rows, next), (vec!["c"], String::new()));
    }
}
