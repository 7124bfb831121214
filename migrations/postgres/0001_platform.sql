-- The platform tables every service relies on. Times are BIGINT microseconds since the Unix
-- epoch (UTC), the same on PostgreSQL and SQLite.

-- Append-only history of every change; also the outbox the relay publishes from. `seq` is
-- assigned under the append lock, so it is contiguous and in commit order.
CREATE TABLE events (
    seq            BIGINT PRIMARY KEY,
    aggregate_type TEXT   NOT NULL,
    aggregate_id   TEXT   NOT NULL,
    kind           TEXT   NOT NULL,
    payload        TEXT   NOT NULL,
    actor_subject  TEXT   NOT NULL,
    actor_role     TEXT   NOT NULL,
    occurred_at    BIGINT NOT NULL
);
CREATE INDEX events_by_aggregate ON events (aggregate_type, aggregate_id, seq);

-- One row per change, hash-chained: `hash` covers the row and `prev_hash`, and
-- `events_digest` covers the events the change wrote.
CREATE TABLE audit (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor_subject   TEXT   NOT NULL,
    actor_role      TEXT   NOT NULL,
    rpc             TEXT   NOT NULL,
    entity_type     TEXT   NOT NULL,
    entity_id       TEXT   NOT NULL,
    first_event_seq BIGINT NOT NULL,
    last_event_seq  BIGINT NOT NULL,
    events_digest   TEXT   NOT NULL,
    prev_hash       TEXT   NOT NULL,
    hash            TEXT   NOT NULL
);

-- How far the relay has published.
CREATE TABLE relay_position (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);

-- Client request ids of create RPCs, so a retry returns the first result.
CREATE TABLE idempotency_keys (
    scope       TEXT   NOT NULL,
    request_id  TEXT   NOT NULL,
    resource_id TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, request_id)
);
