//! Consumer groups on Redis: at-least-once delivery with redelivery until acknowledged.

use std::time::Duration;

use jedel_platform::bus::{EventBus, RedisBus};
use jedel_platform::events::Event;
use jedel_platform::testing;

fn event(seq: u64) -> Event {
    Event {
        seq,
        aggregate_type: "thing".into(),
        aggregate_id: format!("t{seq}"),
        kind: "thing.changed".into(),
        payload: "{}".into(),
        actor_subject: "test".into(),
        actor_role: "system".into(),
        occurred_at: 1_764_000_000_000_000 + seq as i64,
    }
}

#[tokio::test]
async fn unacknowledged_events_are_delivered_again_and_acknowledged_ones_are_not() {
    let Some(prefix) = testing::redis_prefix().await else { return };
    let bus = RedisBus::connect(&testing::redis_url(), &prefix).await.unwrap();
    let mut member = bus.join_group("situation", "replica-1").await.unwrap();
    bus.publish(&[event(1), event(2), event(3)]).await.unwrap();
    bus.publish(&[event(2), event(3)]).await.unwrap(); // a relay retry: no twins

    let first = member.next_batch(Duration::from_secs(2)).await.unwrap();
    assert_eq!(first, vec![event(1), event(2), event(3)]);
    member.ack(&[1]).await.unwrap();

    // The consumer crashes and comes back: what it did not acknowledge comes first.
    drop(member);
    let mut member = bus.join_group("situation", "replica-1").await.unwrap();
    let again = member.next_batch(Duration::from_secs(2)).await.unwrap();
    assert_eq!(again.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
    member.ack(&[2, 3]).await.unwrap();

    let mut member = bus.join_group("situation", "replica-1").await.unwrap();
    assert!(member.next_batch(Duration::from_millis(200)).await.unwrap().is_empty());

    // Another group sees the same events independently; it joined after them, so it starts
    // from new ones.
    let mut other = bus.join_group("dispatch", "replica-1").await.unwrap();
    bus.publish(&[event(4)]).await.unwrap();
    assert_eq!(other.next_batch(Duration::from_secs(2)).await.unwrap(), vec![event(4)]);
}
