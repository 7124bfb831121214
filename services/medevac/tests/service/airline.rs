//! The airline channel: the message thread between the national centre and an airline about
//! a request, with delivery and read receipts and the whole history kept; taskings listed
//! per airline.

use jedel_api::medevac::v1 as pb;
use tonic::Code;

use crate::{App, airline, approved, as_, choose_eligible, coordinator, nccem, on_each_backend, violated_fields};

on_each_backend!(a_thread_keeps_every_message_with_delivery_and_read_receipts);

async fn a_thread_keeps_every_message_with_delivery_and_read_receipts(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-thread").await.id;
    let tasking = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    let code = tasking.airline_code.clone();
    let operator = airline(&code);
    let post = |request_id: &str, airline_code: &str, body: &str| pb::PostMessageRequest {
        request_id: request_id.into(),
        medevac_request_id: id.clone(),
        airline_code: airline_code.into(),
        body: body.into(),
    };
    // No thread before the airline is offered the tasking.
    let refused = client.post_message(as_(&nccem(), post("m0", &code, "ready?"))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();

    let refused = client.post_message(as_(&nccem(), post("m1", "", " "))).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["airline_code", "body"]);
    let first = client
        .post_message(as_(
            &nccem(),
            post("m1", &code, "Patient on stretcher, oxygen 4 l/min. Can you take off within 90 min?"),
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.sender_party(), pb::Party::NationalCentre);
    assert!(first.delivered_at.is_none() && first.read_at.is_none());
    // A retry returns the first message.
    let retry = client.post_message(as_(&nccem(), post("m1", &code, "different text"))).await.unwrap().into_inner();
    assert_eq!(retry, first);

    // The airline lists the thread: the centre's message is delivered now, not read.
    let list = |caller_airline: &str| pb::ListMessagesRequest {
        medevac_request_id: id.clone(),
        airline_code: caller_airline.into(),
        ..Default::default()
    };
    let seen = client.list_messages(as_(&operator, list(""))).await.unwrap().into_inner().messages;
    assert_eq!(seen.len(), 1);
    let delivered_at = seen[0].delivered_at.expect("delivered when first listed");
    assert!(seen[0].read_at.is_none());
    // Listing again does not move the receipt; the sender's own listing delivers nothing.
    let again = client.list_messages(as_(&operator, list(""))).await.unwrap().into_inner().messages;
    assert_eq!(again[0].delivered_at, Some(delivered_at));

    let reply = client
        .post_message(as_(&operator, post("a1", "IGNORED_FOR_AIRLINES", "Crew alerted, wheels up in 60 min")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((reply.sender_party(), reply.airline_code.as_str()), (pb::Party::Airline, code.as_str()));
    let marked = client
        .mark_messages_read(as_(
            &operator,
            pb::MarkMessagesReadRequest {
                medevac_request_id: id.clone(),
                airline_code: String::new(),
                up_to_message_id: reply.id.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(marked.marked_count, 1, "only the other side's messages are marked");

    let thread = client.list_messages(as_(&nccem(), list(&code))).await.unwrap().into_inner().messages;
    let bodies: Vec<&str> = thread.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, [first.body.as_str(), reply.body.as_str()], "oldest first, full history");
    assert!(thread[0].read_at.is_some(), "the airline read the centre's message");
    assert!(thread[1].delivered_at.is_some() && thread[1].read_at.is_none());
    let marked = client
        .mark_messages_read(as_(
            &nccem(),
            pb::MarkMessagesReadRequest {
                medevac_request_id: id.clone(),
                airline_code: code.clone(),
                up_to_message_id: reply.id.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(marked.marked_count, 1);
    let marked_again = client
        .mark_messages_read(as_(
            &nccem(),
            pb::MarkMessagesReadRequest {
                medevac_request_id: id.clone(),
                airline_code: code.clone(),
                up_to_message_id: reply.id.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(marked_again.marked_count, 0);

    // Paging.
    let page = client
        .list_messages(as_(&nccem(), pb::ListMessagesRequest { page_size: 1, ..list(&code) }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.messages.len(), 1);
    let rest = client
        .list_messages(as_(
            &nccem(),
            pb::ListMessagesRequest { page_size: 1, page_token: page.next_page_token, ..list(&code) },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((rest.messages[0].id.as_str(), rest.next_page_token.as_str()), (reply.id.as_str(), ""));

    // Another airline has no thread here; coordinators are not a side of it.
    let stranger = airline(if code == "DAP_AEROSERVICE" { "AERO_AK" } else { "DAP_AEROSERVICE" });
    let refused = client.list_messages(as_(&stranger, list(""))).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = client.post_message(as_(&stranger, post("s1", "", "hello"))).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = client.list_messages(as_(&coordinator(), list(&code))).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // Every post and receipt was an audited change.
    assert_eq!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/PostMessage'").await, 2);
    assert!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/ListMessages'").await >= 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/MarkMessagesRead'").await, 2);
}
