//! Follows the events of Intake and the Registry after the sequence the engine was built at
//! (`relay::watch`: history, then live, no gaps) and hands the engine each change: a call
//! opened, categorised, moved, cancelled or closed; a brigade, station, hospital or region
//! changed. Each event is answered with the record as it is *now* (read from its table), so an
//! event that arrives after the engine already saw a later state changes nothing, and replaying
//! an event twice is harmless.

use std::time::Duration;

use futures::StreamExt as _;
use jedel_platform::{Context, Event, relay};
use tracing::{info, warn};

use crate::actor::{Followed, Handle};
use crate::calls;
use crate::error::DispatchServiceError;
use crate::reference;

/// Follows events after `after` until the engine task stops, reconnecting when the feed breaks.
pub fn spawn(context: Context, handle: Handle, after: u64) {
    tokio::spawn(async move {
        let mut last = after;
        loop {
            match relay::watch(context.db.clone(), context.bus.clone(), last).await {
                Ok(mut feed) => {
                    info!(after_sequence = last, "dispatch follows intake and registry events");
                    while let Some(item) = feed.next().await {
                        match item {
                            Ok(event) => {
                                let seq = event.seq;
                                match handle_event(&context, &handle, &event).await {
                                    Ok(()) => last = seq,
                                    Err(DispatchServiceError::Stopped) => return,
                                    Err(e) => {
                                        warn!(error = %e, seq, "cannot follow an event; retrying");
                                        break;
                                    }
                                }
                            }
                            Err(e) => {
                                warn!(error = %e, "the event feed broke; reconnecting");
                                break;
                            }
                        }
                    }
                }
                Err(e) => warn!(error = %e, "cannot open the event feed; retrying"),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

async fn handle_event(context: &Context, handle: &Handle, event: &Event) -> Result<(), DispatchServiceError> {
    let db = context.db.reader();
    let id = event.aggregate_id.as_str();
    let followed = match event.aggregate_type.as_str() {
        "call" => match calls::by_id(db, id).await? {
            Some(call) => Followed::Call(Box::new(call)),
            None => return Ok(()),
        },
        "brigade" => match reference::brigade(db, id).await? {
            Some(brigade) => Followed::Brigades(vec![brigade]),
            None => return Ok(()),
        },
        "station" => {
            handle.follow(Followed::Stations(reference::stations(db).await?)).await?;
            Followed::Brigades(reference::brigades_of_station(db, id).await?)
        }
        "hospital" => Followed::Hospitals(reference::hospitals(db).await?),
        "region" => match reference::region(db, id).await? {
            Some((region, minutes)) => Followed::Region(region, minutes),
            None => return Ok(()),
        },
        _ => return Ok(()),
    };
    handle.follow(followed).await
}
