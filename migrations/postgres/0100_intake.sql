-- Intake: emergency calls and the per-region, per-day counters their radio numbers come from.
-- `state` holds the call's full non-personal record (JSON, the same as its events carry); the
-- other columns repeat what queries filter and sort on, plus the personal data, which is
-- kept out of `state` so that events never carry it. Times are BIGINT microseconds (UTC).

CREATE TABLE calls (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    number               TEXT COLLATE "C" NOT NULL UNIQUE,
    region_code          TEXT COLLATE "C" NOT NULL,
    status               TEXT NOT NULL,
    -- Effective urgency category 1-4; 0 until categorised.
    category             BIGINT NOT NULL,
    received_at          BIGINT NOT NULL,
    deadline_at          BIGINT,
    -- E.164, for finding repeat calls.
    caller_phone         TEXT NOT NULL,
    lat                  DOUBLE PRECISION,
    lon                  DOUBLE PRECISION,
    response_standard_id TEXT NOT NULL,
    duplicate_of_id      TEXT,
    repeat_of_id         TEXT,
    state                TEXT NOT NULL,
    -- Personal data: never logged, never in events or metrics.
    caller_name          TEXT NOT NULL,
    patient_iin          TEXT NOT NULL,
    patient_name         TEXT NOT NULL,
    patient_birth_date   TEXT NOT NULL,
    complaint            TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    version              BIGINT NOT NULL
);
CREATE INDEX calls_by_received ON calls (received_at, id);
CREATE INDEX calls_by_region_received ON calls (region_code, received_at);
CREATE INDEX calls_by_phone ON calls (caller_phone, region_code);

-- The last sequence number given to a call of a region on a local day (YYYY-MM-DD).
CREATE TABLE call_number_sequences (
    region_code TEXT COLLATE "C" NOT NULL,
    local_day   TEXT COLLATE "C" NOT NULL,
    last_value  BIGINT NOT NULL,
    PRIMARY KEY (region_code, local_day)
);
