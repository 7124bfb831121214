-- Dispatch: the live part of ground units, assignments, open calls as dispatch sees them,
-- region policies, the engine's counters, and the latest position of each unit. Registry
-- brigades and Intake calls stay in their own tables; these rows hold only what the
-- dispatcher adds. `state`, `record`, `view`, `alert` and `rules` are the engine's records as
-- JSON (the same as its events carry). Ids sort bytewise (COLLATE "C"), as on SQLite. Times are
-- BIGINT microseconds since the Unix epoch (UTC).

-- A unit's live status, position at the last status change, call and assignment. One row per
-- Registry brigade the dispatcher has changed; a brigade without a row is available at its
-- station (or out of service when the Registry withdrew it).
CREATE TABLE dispatch_units (
    id         TEXT COLLATE "C" PRIMARY KEY,
    status     TEXT NOT NULL,
    call_id    TEXT COLLATE "C",
    state      TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Assignments, active and ended (the history Release and reports read).
CREATE TABLE dispatch_assignments (
    id         TEXT COLLATE "C" PRIMARY KEY,
    call_id    TEXT COLLATE "C" NOT NULL,
    unit_id    TEXT COLLATE "C" NOT NULL,
    state      TEXT NOT NULL,
    record     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL
);
CREATE INDEX dispatch_assignments_by_state ON dispatch_assignments (state, id);
CREATE INDEX dispatch_assignments_by_call ON dispatch_assignments (call_id, created_at);

-- Open calls in dispatch: queued or worked, the norm clock's flags, the last recommendation,
-- and the alert in force (NULL when none). The row goes when the call ends.
CREATE TABLE dispatch_calls (
    id         TEXT COLLATE "C" PRIMARY KEY,
    view       TEXT NOT NULL,
    alert      TEXT,
    updated_at BIGINT NOT NULL
);

-- Each region's dispatch policy (seeded from the deployment defaults on first start).
CREATE TABLE dispatch_policies (
    region_code        TEXT COLLATE "C" PRIMARY KEY,
    rules              TEXT NOT NULL,
    updated_by_subject TEXT NOT NULL,
    updated_by_role    TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    version            BIGINT NOT NULL
);

-- The engine's counters that must outlive a restart: `ids` (ids minted so far).
CREATE TABLE dispatch_counters (
    name  TEXT COLLATE "C" PRIMARY KEY,
    value BIGINT NOT NULL
);

-- The latest position fix of each unit, written through every few seconds (positions are not
-- events and are not audited). Deployments with Redis keep them there instead.
CREATE TABLE dispatch_unit_positions (
    unit_id     TEXT COLLATE "C" PRIMARY KEY,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    recorded_at BIGINT NOT NULL,
    speed_kmh   DOUBLE PRECISION,
    heading_deg DOUBLE PRECISION,
    written_at  BIGINT NOT NULL
);
