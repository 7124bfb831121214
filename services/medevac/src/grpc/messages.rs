//! The message threads between the national centre and the airlines.

use jedel_api::medevac::v1 as pb;
use jedel_api::{ApiError, Violations};
use jedel_core::aviation::AirlineCode;
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Role};
use tonic::{Request, Response, Status};
use tracing::info;

use super::MedevacService;
use crate::access::{THREAD_PARTIES, own_airline};
use crate::convert::message_to_proto;
use crate::details::{self, finish};
use crate::messages;
use crate::paging::{self, List};
use crate::store::After;

/// Longest message body.
const MAX_BODY_CHARS: usize = 4_000;

/// The thread's airline: an airline operator's own (the field is ignored), else the one
/// named, which is required.
fn thread_airline(caller: &Caller, given: &str, v: &mut Violations) -> Result<Option<String>, ApiError> {
    if caller.role == Role::Airline {
        return own_airline(caller).map(Some);
    }
    if given.is_empty() {
        v.add("airline_code", "is required: the airline of the thread");
        return Ok(None);
    }
    Ok(v.check("airline_code", AirlineCode::parse(given)).map(|c| c.as_str().to_string()))
}

impl MedevacService {
    pub(super) async fn post(&self, request: Request<pb::PostMessageRequest>) -> Result<Response<pb::Message>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(THREAD_PARTIES)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let request_id = v.check("request_id", details::request_id(&r.request_id));
        let medevac_request_id = v.check("medevac_request_id", details::record_id(&r.medevac_request_id));
        let airline = thread_airline(&caller, &r.airline_code, &mut v)?;
        let body = match r.body.chars().count() {
            _ if r.body.trim().is_empty() => {
                v.add("body", "is required");
                None
            }
            n if n > MAX_BODY_CHARS => {
                v.add("body", format!("is longer than {MAX_BODY_CHARS} characters"));
                None
            }
            _ => Some(r.body),
        };
        let ((request_id, medevac_request_id), (airline, body)) =
            finish(v, request_id.zip(medevac_request_id).zip(airline.zip(body)))?;
        let (message, fresh) =
            messages::post(&self.context.db, &caller, &request_id, &medevac_request_id, &airline, body, now_micros())
                .await?;
        info!(message_id = %message.id, request_id = %medevac_request_id, airline = %airline, retried = !fresh, "message posted");
        Ok(Response::new(message_to_proto(&message)))
    }

    pub(super) async fn messages(
        &self,
        request: Request<pb::ListMessagesRequest>,
    ) -> Result<Response<pb::ListMessagesResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(THREAD_PARTIES)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let medevac_request_id = v.check("medevac_request_id", details::record_id(&r.medevac_request_id));
        let airline = thread_airline(&caller, &r.airline_code, &mut v)?;
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode(List::Messages, &r.page_token));
        let ((id, airline), (size, after)) = finish(v, medevac_request_id.zip(airline).zip(size.zip(after)))?;
        let mut rows =
            messages::list(&self.context.db, &caller, &id, &airline, after.as_ref(), i64::from(size) + 1, now_micros())
                .await?;
        let next_page_token =
            paging::page(List::Messages, &mut rows, size, |m| After { at: m.sent_at, id: m.id.clone() });
        Ok(Response::new(pb::ListMessagesResponse {
            messages: rows.iter().map(message_to_proto).collect(),
            next_page_token,
        }))
    }

    pub(super) async fn mark_read(
        &self,
        request: Request<pb::MarkMessagesReadRequest>,
    ) -> Result<Response<pb::MarkMessagesReadResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(THREAD_PARTIES)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let medevac_request_id = v.check("medevac_request_id", details::record_id(&r.medevac_request_id));
        let airline = thread_airline(&caller, &r.airline_code, &mut v)?;
        let up_to = v.check("up_to_message_id", details::record_id(&r.up_to_message_id));
        let ((id, airline), up_to) = finish(v, medevac_request_id.zip(airline).zip(up_to))?;
        let marked = messages::mark_read(&self.context.db, &caller, &id, &airline, &up_to, now_micros()).await?;
        Ok(Response::new(pb::MarkMessagesReadResponse { marked_count: marked as i32 }))
    }
}
