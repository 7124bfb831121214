//! The relay and the resumable feed, over the in-process bus and over Redis.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use jedel_platform::Db;
use jedel_platform::bus::{EventBus, InProcessBus, RedisBus};
use jedel_platform::relay::{Relay, watch};
use jedel_platform::testing;
use sqlx::Executor as _;

use crate::{commit_change, on_each_backend};

async fn next_seqs(stream: &mut jedel_platform::relay::WatchStream, n: usize) -> Vec<u64> {
    let mut seqs = Vec::new();
    while seqs.len() < n {
        let event = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("the feed delivers within 10 s")
            .expect("the feed does not end")
            .expect("the feed does not fail");
        seqs.push(event.seq);
    }
    seqs
}

async fn feed_resumes_and_follows(db: Db, bus: Arc<dyn EventBus>) {
    for i in 0..3 {
        commit_change(&db, &format!("t{i}"), 1).await;
    }
    let relay = Relay::new(db.clone(), bus.clone());
    relay.publish_pending().await.unwrap();
    let mut feed = watch(db.clone(), bus.clone(), 1).await.unwrap();
    assert_eq!(next_seqs(&mut feed, 2).await, [2, 3], "history after the resume position");
    commit_change(&db, "t3", 2).await;
    relay.publish_pending().await.unwrap();
    assert_eq!(next_seqs(&mut feed, 2).await, [4, 5], "then live events");
}

on_each_backend!(feed_over_the_in_process_bus, |db: Db| async move {
    feed_resumes_and_follows(db, Arc::new(InProcessBus::new(16))).await;
});

on_each_backend!(feed_over_redis, |db: Db| async move {
    let Some(prefix) = testing::redis_prefix().await else { return };
    let bus = RedisBus::connect(&testing::redis_url(), &prefix).await.unwrap();
    feed_resumes_and_follows(db, Arc::new(bus)).await;
});

on_each_backend!(feed_fills_gaps_a_lagging_subscriber_skipped, |db: Db| async move {
    // A bus of capacity 1 drops all but the newest event for a slow reader.
    let bus: Arc<dyn EventBus> = Arc::new(InProcessBus::new(1));
    let relay = Relay::new(db.clone(), bus.clone());
    let mut feed = watch(db.clone(), bus.clone(), 0).await.unwrap();
    for i in 0..20 {
        commit_change(&db, &format!("t{i}"), 1).await;
    }
    relay.publish_pending().await.unwrap();
    assert_eq!(next_seqs(&mut feed, 20).await, (1..=20).collect::<Vec<_>>());
});

on_each_backend!(relay_resumes_after_a_crash_without_gaps_or_twins, |db: Db| async move {
    let Some(prefix) = testing::redis_prefix().await else { return };
    let url = testing::redis_url();
    for i in 0..5 {
        commit_change(&db, &format!("t{i}"), 1).await;
    }
    Relay::new(db.clone(), Arc::new(RedisBus::connect(&url, &prefix).await.unwrap())).publish_pending().await.unwrap();
    // A crash after publishing but before recording the position: the next relay publishes
    // seq 4 and 5 again, and the stream must still hold each event once.
    db.reader().execute("UPDATE relay_position SET seq = 3").await.unwrap();
    for i in 5..8 {
        commit_change(&db, &format!("t{i}"), 1).await;
    }
    let restarted = Relay::new(db.clone(), Arc::new(RedisBus::connect(&url, &prefix).await.unwrap()));
    restarted.publish_pending().await.unwrap();
    assert_eq!(restarted.position().await.unwrap(), 8);

    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ids: Vec<(String, Vec<(String, String)>)> =
        redis::cmd("XRANGE").arg(format!("{prefix}:events")).arg("-").arg("+").query_async(&mut conn).await.unwrap();
    let seqs: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    assert_eq!(seqs, (1..=8).map(|s| format!("{s}-0")).collect::<Vec<_>>());
});
