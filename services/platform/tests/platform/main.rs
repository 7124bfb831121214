//! Platform tests against real databases and a real Redis: the one-transaction rule, the
//! audit chain, the relay, the bus and the resumable feed. One test binary for the crate.

mod bus;
mod relay;
mod storage;

use jedel_platform::db::Change;
use jedel_platform::{Caller, Db, NewEvent};

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_each_backend {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let test = jedel_platform::testing::TestDb::sqlite().await;
                ($body)(test.db.clone()).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(test) = jedel_platform::testing::TestDb::postgres().await {
                    ($body)(test.db.clone()).await;
                }
            }
        }
    };
}

/// Commits one change with `events` events on a `thing` aggregate.
pub async fn commit_change(db: &Db, entity_id: &str, events: usize) -> u64 {
    let tx = db.begin().await.unwrap();
    let events = (0..events)
        .map(|i| NewEvent {
            aggregate_type: "thing",
            aggregate_id: entity_id.to_string(),
            kind: "thing.changed",
            payload: serde_json::json!({ "n": i }),
        })
        .collect();
    let change = Change {
        actor: Caller::system("test"),
        rpc: "Test/Change",
        entity_type: "thing",
        entity_id: entity_id.into(),
        events,
    };
    tx.commit(change).await.unwrap().last_seq
}
