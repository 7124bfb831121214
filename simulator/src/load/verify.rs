//! The end-of-run check that nothing was lost: every call the server acknowledged must be
//! listed by ListCalls among the calls received since the run started.

use std::collections::HashSet;

use jedel_api::common::v1::TimeRange;
use jedel_api::intake::v1::ListCallsRequest;
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;

use crate::client::{As, Session, timestamp};
use crate::error::SimError;

/// How many of `acknowledged` the server does not list among calls received since `since`.
pub async fn missing(
    session: &Session,
    acknowledged: &[String],
    since: chrono::DateTime<chrono::Utc>,
) -> Result<usize, SimError> {
    let mut client = CallIntakeClient::new(session.channel(0, As::CallTaker));
    let mut found = HashSet::new();
    let mut page_token = String::new();
    let from = since.timestamp_micros() - 60_000_000;
    loop {
        let page = client
            .list_calls(ListCallsRequest {
                page_size: 1000,
                page_token,
                received: Some(TimeRange { from: Some(timestamp(from)), to: None }),
                ..Default::default()
            })
            .await
            .map_err(|s| SimError::remote("list calls to check nothing was lost", s.message()))?
            .into_inner();
        found.extend(page.calls.into_iter().map(|c| c.id));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    Ok(acknowledged.iter().filter(|id| !found.contains(*id)).count())
}
