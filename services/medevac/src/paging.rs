//! Keyset paging for the List RPCs. A page token carries the ordering time and id of the last
//! record of the previous page, base64url-encoded behind the list's tag so clients treat it
//! as opaque and a token of one list is refused by another.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jedel_api::Violations;

use crate::store::After;

/// Records per page when the client asks for 0.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The most records one page holds; larger requests get this many.
pub const MAX_PAGE_SIZE: u32 = 1000;

const MALFORMED: &str = "is not a page token from this list; pass next_page_token unchanged";

/// Which list a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// ListRequests.
    Requests,
    /// ListTaskings.
    Taskings,
    /// ListDocuments.
    Documents,
    /// ListMessages.
    Messages,
}

impl List {
    fn tag(self) -> &'static str {
        match self {
            List::Requests => "requests",
            List::Taskings => "taskings",
            List::Documents => "documents",
            List::Messages => "messages",
        }
    }
}

/// A page size from the request: 0 = default, capped at the maximum.
pub fn page_size(size: i32, violations: &mut Violations) -> Option<u32> {
    match size {
        0 => Some(DEFAULT_PAGE_SIZE),
        n if n < 0 => violations.check("page_size", Err("must not be negative")),
        n => Some((n as u32).min(MAX_PAGE_SIZE)),
    }
}

/// The position a token of `list` carries; `None` for the first page.
pub fn decode(list: List, token: &str) -> Result<Option<After>, &'static str> {
    if token.is_empty() {
        return Ok(None);
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| MALFORMED)?;
    let text = String::from_utf8(bytes).map_err(|_| MALFORMED)?;
    let rest = text.strip_prefix(list.tag()).and_then(|r| r.strip_prefix(':')).ok_or(MALFORMED)?;
    let (at, id) = rest.split_once(':').ok_or(MALFORMED)?;
    if id.is_empty() {
        return Err(MALFORMED);
    }
    Ok(Some(After { at: at.parse().map_err(|_| MALFORMED)?, id: id.to_string() }))
}

/// The token of the page of `list` after `after`.
pub fn encode(list: List, after: &After) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}:{}", list.tag(), after.at, after.id))
}

/// Cuts `rows` (fetched with one extra) to `size` and returns the next token (empty on the
/// last page), built from the last row kept.
pub fn page<T>(list: List, rows: &mut Vec<T>, size: u32, key: impl Fn(&T) -> After) -> String {
    if rows.len() <= size as usize {
        return String::new();
    }
    rows.truncate(size as usize);
    rows.last().map(|last| encode(list, &key(last))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_belong_to_their_list() {
        let after = After { at: 1_764_000_000_000_000, id: "0193-abc".into() };
        let token = encode(List::Requests, &after);
        assert_eq!(decode(List::Requests, &token), Ok(Some(after)));
        assert_eq!(decode(List::Requests, ""), Ok(None));
        assert_eq!(decode(List::Taskings, &token), Err(MALFORMED));
        assert_eq!(decode(List::Requests, "!!"), Err(MALFORMED));
        assert_eq!(decode(List::Requests, &URL_SAFE_NO_PAD.encode("requests:x:y")), Err(MALFORMED));
        let mut rows = vec![1, 2, 3];
        let next = page(List::Messages, &mut rows, 2, |n| After { at: *n, id: n.to_string() });
        assert_eq!((rows, decode(List::Messages, &next)), (vec![1, 2], Ok(Some(After { at: 2, id: "2".into() }))));
    }
}
