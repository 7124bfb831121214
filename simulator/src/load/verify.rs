//! The end-of-run check that nothing was lost: every call the server acknowledged must be
//! listed by ListCalls among the calls received since the run started, and every medevac
//! request by ListRequests among the requests created since then.

use std::collections::HashSet;

use jedel_api::common::v1::TimeRange;
use jedel_api::intake::v1::ListCallsRequest;
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::medevac::v1::ListRequestsRequest;
use jedel_api::medevac::v1::medevac_client::MedevacClient;

use crate::client::{As, Session, timestamp};
use crate::error::SimError;

/// The window listed: from a minute before `since`, for clock skew.
fn since_start(since: chrono::DateTime<chrono::Utc>) -> Option<TimeRange> {
    Some(TimeRange { from: Some(timestamp(since.timestamp_micros() - 60_000_000)), to: None })
}

/// How many of `acknowledged` are not among the ids `page(token)` lists, page by page; a page
/// answers its ids and the next token (empty at the end).
async fn missing<F>(acknowledged: &[String], mut page: impl FnMut(String) -> F) -> Result<usize, SimError>
where
    F: Future<Output = Result<(Vec<String>, String), SimError>>,
{
    if acknowledged.is_empty() {
        return Ok(0);
    }
    let mut found = HashSet::new();
    let mut token = String::new();
    loop {
        let (ids, next) = page(token).await?;
        found.extend(ids);
        if next.is_empty() {
            break;
        }
        token = next;
    }
    Ok(acknowledged.iter().filter(|id| !found.contains(*id)).count())
}

/// How many of `acknowledged` calls the server does not list among calls received since `since`.
pub async fn missing_calls(
    session: &Session,
    acknowledged: &[String],
    since: chrono::DateTime<chrono::Utc>,
) -> Result<usize, SimError> {
    let client = CallIntakeClient::new(session.channel(0, As::CallTaker));
    missing(acknowledged, |page_token| {
        let mut client = client.clone();
        async move {
            let request =
                ListCallsRequest { page_size: 1000, page_token, received: since_start(since), ..Default::default() };
            let page = client
                .list_calls(request)
                .await
                .map_err(|s| SimError::remote("list calls to check nothing was lost", s.message()))?
                .into_inner();
            Ok((page.calls.into_iter().map(|c| c.id).collect(), page.next_page_token))
        }
    })
    .await
}

/// How many of `acknowledged` medevac requests the server does not list among requests created
/// since `since`.
pub async fn missing_medevac(
    session: &Session,
    acknowledged: &[String],
    since: chrono::DateTime<chrono::Utc>,
) -> Result<usize, SimError> {
    let client = MedevacClient::new(session.channel(0, As::Coordinator));
    missing(acknowledged, |page_token| {
        let mut client = client.clone();
        async move {
            let request = ListRequestsRequest {
                page_size: 1000,
                page_token,
                created_within: since_start(since),
                ..Default::default()
            };
            let page = client
                .list_requests(request)
                .await
                .map_err(|s| SimError::remote("list medevac requests to check nothing was lost", s.message()))?
                .into_inner();
            Ok((page.medevac_requests.into_iter().map(|r| r.id).collect(), page.next_page_token))
        }
    })
    .await
}
