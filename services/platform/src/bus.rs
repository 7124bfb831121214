//! The event bus behind one trait: Redis Streams when a Redis URL is configured, in-process
//! otherwise. Events carry their global sequence; on Redis it is also the stream entry id
//! (`<seq>-0`), so a reader resumes from a sequence directly and a republished event can
//! never appear twice in the stream. Consumers are idempotent by sequence.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures::{FutureExt as _, Stream, StreamExt as _};
use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, MultiplexedConnection};
use redis::streams::{StreamId, StreamRangeReply, StreamReadOptions, StreamReadReply};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::events::Event;

/// Why the bus failed.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// Redis refused or could not be reached.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// An entry on the stream is not a Jedel event.
    #[error("malformed event on the bus: {0}")]
    Malformed(String),
}

/// A stream of events in sequence order.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<Event, BusError>> + Send>>;

/// Publishes committed events and delivers them to subscribers and consumer groups.
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes events in sequence order. Publishing an event again is harmless.
    async fn publish(&self, events: &[Event]) -> Result<(), BusError>;

    /// Fan-out: events after `after` that the bus still holds, then live ones. A bus may not
    /// hold old events; [`crate::relay::watch`] fills such gaps from the events table.
    async fn subscribe(&self, after: u64) -> Result<EventStream, BusError>;

    /// Joins consumer group `group` as `consumer`: each event goes to one member of the
    /// group and is delivered again until acknowledged (at least once).
    async fn join_group(&self, group: &str, consumer: &str) -> Result<Box<dyn GroupMember>, BusError>;

    /// Answers when the bus answers.
    async fn ping(&self) -> Result<(), BusError>;
}

/// A member of a consumer group.
#[async_trait]
pub trait GroupMember: Send {
    /// The next deliveries, oldest first: first those delivered before but not acknowledged,
    /// then new ones, waiting up to `wait` for some.
    async fn next_batch(&mut self, wait: Duration) -> Result<Vec<Event>, BusError>;

    /// Acknowledges processed events so they are not delivered again.
    async fn ack(&mut self, seqs: &[u64]) -> Result<(), BusError>;
}

/// The bus for the embedded deployment: a broadcast channel in the process. A crash takes the
/// process and its consumers down together, and consumers rebuild from the events table at
/// start, so nothing needs remembering across restarts.
pub struct InProcessBus {
    sender: broadcast::Sender<Arc<Event>>,
}

impl InProcessBus {
    /// A bus that buffers up to `capacity` events per slow subscriber before it lags.
    pub fn new(capacity: usize) -> Self {
        InProcessBus { sender: broadcast::channel(capacity).0 }
    }

    fn live(&self) -> EventStream {
        // A lagging subscriber skips ahead; the sequence gap tells its reader to catch up.
        BroadcastStream::new(self.sender.subscribe())
            .filter_map(|item| async move {
                match item {
                    Ok(event) => Some(Ok(Event::clone(&event))),
                    Err(BroadcastStreamRecvError::Lagged(_)) => None,
                }
            })
            .boxed()
    }
}

#[async_trait]
impl EventBus for InProcessBus {
    async fn publish(&self, events: &[Event]) -> Result<(), BusError> {
        for event in events {
            // No subscribers is not an error: nobody is listening yet.
            let _ = self.sender.send(Arc::new(event.clone()));
        }
        Ok(())
    }

    async fn subscribe(&self, _after: u64) -> Result<EventStream, BusError> {
        Ok(self.live())
    }

    async fn join_group(&self, _group: &str, _consumer: &str) -> Result<Box<dyn GroupMember>, BusError> {
        Ok(Box::new(InProcessMember { live: self.live() }))
    }

    async fn ping(&self) -> Result<(), BusError> {
        Ok(())
    }
}

struct InProcessMember {
    live: EventStream,
}

#[async_trait]
impl GroupMember for InProcessMember {
    async fn next_batch(&mut self, wait: Duration) -> Result<Vec<Event>, BusError> {
        let mut batch = Vec::new();
        if let Ok(Some(first)) = tokio::time::timeout(wait, self.live.next()).await {
            batch.push(first?);
            while let Some(Some(more)) = self.live.next().now_or_never() {
                batch.push(more?);
            }
        }
        Ok(batch)
    }

    async fn ack(&mut self, _seqs: &[u64]) -> Result<(), BusError> {
        Ok(())
    }
}

/// Entries kept on the stream (approximately); older ones are read from the events table.
const STREAM_MAX_LEN: usize = 1_000_000;
const READ_COUNT: usize = 1_000;

/// The bus for distributed deployments: Redis Streams with consumer groups.
pub struct RedisBus {
    client: redis::Client,
    /// The stream every event is published on: `<prefix>:events`.
    stream: String,
    publisher: ConnectionManager,
    /// Highest sequence known to be on the stream; publishing skips what is already there.
    published: AtomicU64,
}

impl RedisBus {
    /// Connects to the Redis the URL names; keys start with `prefix`, so deployments (and
    /// tests) can share one Redis.
    pub async fn connect(url: &str, prefix: &str) -> Result<RedisBus, BusError> {
        let client = redis::Client::open(url)?;
        let mut publisher = client.get_connection_manager().await?;
        let stream = format!("{prefix}:events");
        let last: StreamRangeReply = publisher.xrevrange_count(&stream, "+", "-", 1).await?;
        let published = last.ids.first().map_or(Ok(0), entry_seq)?;
        Ok(RedisBus { client, stream, publisher, published: AtomicU64::new(published) })
    }

    /// A connection of its own for blocking reads, which must not stall other commands.
    async fn blocking_connection(&self) -> Result<MultiplexedConnection, BusError> {
        let config = redis::AsyncConnectionConfig::new().set_response_timeout(None);
        Ok(self.client.get_multiplexed_async_connection_with_config(&config).await?)
    }
}

fn entry_seq(entry: &StreamId) -> Result<u64, BusError> {
    entry
        .id
        .split('-')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| BusError::Malformed(format!("entry id {}", entry.id)))
}

fn entry_event(entry: &StreamId) -> Result<Event, BusError> {
    let json: String = entry.get("e").ok_or_else(|| BusError::Malformed(format!("entry {} has no event", entry.id)))?;
    serde_json::from_str(&json).map_err(|e| BusError::Malformed(e.to_string()))
}

fn reply_events(reply: StreamReadReply) -> Result<Vec<Event>, BusError> {
    reply.keys.into_iter().flat_map(|key| key.ids).map(|entry| entry_event(&entry)).collect()
}

#[async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, events: &[Event]) -> Result<(), BusError> {
        let already = self.published.load(Ordering::Acquire);
        let fresh: Vec<&Event> = events.iter().filter(|e| e.seq > already).collect();
        let Some(last) = fresh.last().map(|e| e.seq) else { return Ok(()) };
        let mut pipe = redis::pipe();
        for event in &fresh {
            let json = serde_json::to_string(event).map_err(|e| BusError::Malformed(e.to_string()))?;
            pipe.cmd("XADD")
                .arg(&self.stream)
                .arg("MAXLEN")
                .arg("~")
                .arg(STREAM_MAX_LEN)
                .arg(format!("{}-0", event.seq))
                .arg("e")
                .arg(json)
                .ignore();
        }
        let mut conn = self.publisher.clone();
        pipe.query_async::<()>(&mut conn).await?;
        self.published.fetch_max(last, Ordering::AcqRel);
        Ok(())
    }

    async fn subscribe(&self, after: u64) -> Result<EventStream, BusError> {
        let conn = self.blocking_connection().await?;
        let key = self.stream.clone();
        let stream = futures::stream::unfold((conn, after), move |(mut conn, after)| {
            let key = key.clone();
            async move {
                let options = StreamReadOptions::default().block(5_000).count(READ_COUNT);
                let read: Result<StreamReadReply, _> =
                    conn.xread_options(&[&key], &[format!("{after}-0")], &options).await;
                let batch = match read.map_err(BusError::from).and_then(reply_events) {
                    Ok(batch) => batch,
                    Err(e) => return Some((vec![Err(e)], (conn, after))),
                };
                let next = batch.last().map_or(after, |e| e.seq);
                Some((batch.into_iter().map(Ok).collect(), (conn, next)))
            }
        })
        .flat_map(futures::stream::iter);
        Ok(stream.boxed())
    }

    async fn join_group(&self, group: &str, consumer: &str) -> Result<Box<dyn GroupMember>, BusError> {
        let mut conn = self.blocking_connection().await?;
        let created: Result<(), _> = conn.xgroup_create_mkstream(&self.stream, group, "$").await;
        if let Err(e) = created
            && e.code() != Some("BUSYGROUP")
        {
            return Err(e.into());
        }
        Ok(Box::new(RedisMember {
            conn,
            stream: self.stream.clone(),
            group: group.to_string(),
            consumer: consumer.to_string(),
            pending_first: true,
        }))
    }

    async fn ping(&self) -> Result<(), BusError> {
        let mut conn = self.publisher.clone();
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}

struct RedisMember {
    conn: MultiplexedConnection,
    stream: String,
    group: String,
    consumer: String,
    /// Deliveries this consumer received before (e.g. before a crash) come first.
    pending_first: bool,
}

#[async_trait]
impl GroupMember for RedisMember {
    async fn next_batch(&mut self, wait: Duration) -> Result<Vec<Event>, BusError> {
        if self.pending_first {
            let options = StreamReadOptions::default().group(&self.group, &self.consumer).count(READ_COUNT);
            let reply: StreamReadReply = self.conn.xread_options(&[&self.stream], &["0"], &options).await?;
            let pending = reply_events(reply)?;
            if !pending.is_empty() {
                return Ok(pending);
            }
            self.pending_first = false;
        }
        let options = StreamReadOptions::default()
            .group(&self.group, &self.consumer)
            .count(READ_COUNT)
            .block(wait.as_millis() as usize);
        let reply: StreamReadReply = self.conn.xread_options(&[&self.stream], &[">"], &options).await?;
        reply_events(reply)
    }

    async fn ack(&mut self, seqs: &[u64]) -> Result<(), BusError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = seqs.iter().map(|s| format!("{s}-0")).collect();
        let _: i64 = self.conn.xack(&self.stream, &self.group, &ids).await?;
        Ok(())
    }
}

/// The bus the configuration asks for: Redis when a URL is given, in-process otherwise.
pub async fn connect(redis_url: Option<&str>, prefix: &str) -> Result<Arc<dyn EventBus>, BusError> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisBus::connect(url, prefix).await?),
        None => Arc::new(InProcessBus::new(16_384)),
    })
}
