//! The live fold: one task replays the events table from sequence 0 and then follows new events
//! (`relay::watch`: history, then live, no gaps), applying each to the shared [`Figures`] and
//! announcing the new sequence. A broken feed is reopened after the last sequence applied.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::StreamExt as _;
use jedel_core::situation::{Figures, Input};
use jedel_platform::{Context, relay};
use tokio::sync::watch;
use tracing::{info, warn};

/// The shared live figures and the sequence they have reached.
pub struct Live {
    figures: RwLock<Figures>,
    sequence: watch::Sender<u64>,
}

impl Live {
    /// Empty figures at sequence 0.
    pub fn new() -> Arc<Live> {
        Arc::new(Live { figures: RwLock::new(Figures::new()), sequence: watch::channel(0).0 })
    }

    /// Reads the figures.
    pub fn read<T>(&self, f: impl FnOnce(&Figures) -> T) -> T {
        f(&self.figures.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Waits for every new sequence applied.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.sequence.subscribe()
    }

    fn apply(&self, event: &jedel_platform::Event) {
        let input = Input {
            seq: event.seq,
            aggregate_type: &event.aggregate_type,
            kind: &event.kind,
            payload: &event.payload,
            occurred_at: event.occurred_at,
        };
        self.figures.write().unwrap_or_else(|e| e.into_inner()).apply(input);
        self.sequence.send_replace(event.seq);
    }
}

/// Starts the fold task over `context`'s events.
pub fn spawn(context: Context) -> Arc<Live> {
    let live = Live::new();
    let shared = live.clone();
    tokio::spawn(async move {
        loop {
            let last = *shared.sequence.borrow();
            match relay::watch(context.db.clone(), context.bus.clone(), last).await {
                Ok(mut feed) => {
                    info!(after_sequence = last, "situation centre folds events");
                    while let Some(item) = feed.next().await {
                        match item {
                            Ok(event) => shared.apply(&event),
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
    live
}
