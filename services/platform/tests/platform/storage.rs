//! The one-transaction rule, idempotency keys and the audit chain.

use jedel_platform::audit::{self, BrokenLink};
use jedel_platform::db::Change;
use jedel_platform::{Caller, Db, events};
use sqlx::Executor as _;

use crate::{commit_change, on_each_backend};

on_each_backend!(concurrent_commits_get_contiguous_sequences_and_a_valid_chain, |db: Db| async move {
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { commit_change(&db, &format!("t{i}"), 1 + i % 3).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let all = events::read_after(db.reader(), 0, 10_000).await.unwrap();
    let expected: usize = (0..40).map(|i| 1 + i % 3).sum();
    assert_eq!(all.len(), expected);
    assert!(all.iter().enumerate().all(|(i, e)| e.seq == i as u64 + 1), "sequences are 1..=N without gaps");
    let verification = audit::verify(db.reader()).await.unwrap();
    assert_eq!(verification.rows, 40);
    assert_eq!(verification.first_broken, None);
});

on_each_backend!(changes_dropped_among_concurrent_commits_leave_nothing_and_the_rest_commit, |db: Db| async move {
    // On SQLite these share batch transactions: a dropped change must roll back alone.
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                if i % 3 == 0 {
                    let mut tx = db.begin().await.unwrap();
                    tx.claim_request_id("Test/Drop", &format!("r{i}"), "dropped").await.unwrap();
                    drop(tx);
                } else {
                    commit_change(&db, &format!("t{i}"), 1).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let all = events::read_after(db.reader(), 0, 10_000).await.unwrap();
    assert_eq!(all.len(), 20, "every committed change, none of the dropped ones");
    assert!(all.iter().enumerate().all(|(i, e)| e.seq == i as u64 + 1), "sequences are 1..=N without gaps");
    let mut tx = db.begin().await.unwrap();
    for i in (0..30).step_by(3) {
        let key = format!("r{i}");
        assert_eq!(tx.claim_request_id("Test/Drop", &key, "again").await.unwrap(), None, "{key} was rolled back");
    }
    drop(tx);
    assert_eq!(audit::verify(db.reader()).await.unwrap().first_broken, None);
});

on_each_backend!(a_change_without_events_is_refused_and_writes_nothing, |db: Db| async move {
    let mut tx = db.begin().await.unwrap();
    tx.claim_request_id("Test/Create", "r1", "id1").await.unwrap();
    let change = Change {
        actor: Caller::system("test"),
        rpc: "Test/Create",
        entity_type: "thing",
        entity_id: "id1".into(),
        events: vec![],
    };
    assert!(tx.commit(change).await.is_err());
    let mut tx = db.begin().await.unwrap();
    assert_eq!(tx.claim_request_id("Test/Create", "r1", "id2").await.unwrap(), None, "the refused change left no key");
    assert_eq!(events::last_seq(db.reader()).await.unwrap(), 0);
});

on_each_backend!(a_request_id_returns_the_first_resource, |db: Db| async move {
    let mut tx = db.begin().await.unwrap();
    assert_eq!(tx.claim_request_id("Test/Create", "r1", "first").await.unwrap(), None);
    let change = Change {
        actor: Caller::system("test"),
        rpc: "Test/Create",
        entity_type: "thing",
        entity_id: "first".into(),
        events: vec![jedel_platform::NewEvent {
            aggregate_type: "thing",
            aggregate_id: "first".into(),
            kind: "thing.created",
            payload: serde_json::json!({}),
        }],
    };
    tx.commit(change).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    assert_eq!(tx.claim_request_id("Test/Create", "r1", "second").await.unwrap(), Some("first".to_string()));
    assert_eq!(tx.claim_request_id("Other/Create", "r1", "third").await.unwrap(), None, "keys are per scope");
});

on_each_backend!(tampering_is_detected_at_the_first_broken_link, |db: Db| async move {
    for i in 0..4 {
        commit_change(&db, &format!("t{i}"), 2).await;
    }
    let pool = db.reader();
    let broken = |seq: i64, reason: &str| Some(BrokenLink { seq, reason: reason.to_string() });

    pool.execute("UPDATE audit SET entity_id = 'forged' WHERE seq = 3").await.unwrap();
    assert_eq!(audit::verify(pool).await.unwrap().first_broken, broken(3, "its contents do not match its hash"));
    pool.execute("UPDATE audit SET entity_id = 't2' WHERE seq = 3").await.unwrap();
    assert_eq!(audit::verify(pool).await.unwrap().first_broken, None, "restoring the row restores the chain");

    pool.execute("UPDATE events SET payload = '{\"n\":9}' WHERE seq = 4").await.unwrap();
    assert_eq!(audit::verify(pool).await.unwrap().first_broken, broken(2, "events 3..=4 do not match their digest"));
    pool.execute("UPDATE events SET payload = '{\"n\":1}' WHERE seq = 4").await.unwrap();

    pool.execute("DELETE FROM audit WHERE seq = 2").await.unwrap();
    let verification = audit::verify(pool).await.unwrap();
    assert_eq!(verification.first_broken, broken(3, "row 2 is missing"));
    assert_eq!(verification.rows, 1);
});
