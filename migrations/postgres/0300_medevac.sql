-- Medevac: medical-aviation requests, the taskings of aircraft for them, their documents,
-- the message threads with airlines, flight positions and active flight-following alerts.
-- `state` columns hold a record's whole non-personal JSON (the same its events carry); the
-- other columns repeat what queries filter and sort on. A request's personal data (the
-- patient's identity and clinical details, the accompanying persons, free-text notes) lives
-- in `personal` (JSON), kept out of `state` so that events never carry it. Booleans are
-- BIGINT 0/1; times are BIGINT microseconds since the Unix epoch (UTC). Identifiers sort
-- bytewise (COLLATE "C"), as on SQLite.

CREATE TABLE medevac_requests (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    number             TEXT COLLATE "C" NOT NULL UNIQUE,
    region_code        TEXT COLLATE "C" NOT NULL,
    status             TEXT COLLATE "C" NOT NULL,
    -- Snake-case urgency; '' while a draft leaves it unset.
    urgency            TEXT COLLATE "C" NOT NULL,
    current_tasking_id TEXT COLLATE "C",
    state              TEXT NOT NULL,
    -- Personal data: never logged, never in events or metrics.
    personal           TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    version            BIGINT NOT NULL
);
CREATE INDEX medevac_requests_by_created ON medevac_requests (created_at, id);
CREATE INDEX medevac_requests_by_region ON medevac_requests (region_code, created_at);

-- The last sequence number given to a request of a region on a local day (YYYY-MM-DD).
CREATE TABLE medevac_number_sequences (
    region_code TEXT COLLATE "C" NOT NULL,
    local_day   TEXT COLLATE "C" NOT NULL,
    last_value  BIGINT NOT NULL,
    PRIMARY KEY (region_code, local_day)
);

-- One aircraft offered (or about to be offered) to one airline for one request.
CREATE TABLE medevac_taskings (
    id                    TEXT COLLATE "C" PRIMARY KEY,
    medevac_request_id    TEXT COLLATE "C" NOT NULL REFERENCES medevac_requests (id),
    region_code           TEXT COLLATE "C" NOT NULL,
    airline_code          TEXT COLLATE "C" NOT NULL,
    aircraft_registration TEXT COLLATE "C" NOT NULL,
    status                TEXT COLLATE "C" NOT NULL,
    -- 1 once the tasking has been offered to the airline (which may then see it).
    offered               BIGINT NOT NULL,
    state                 TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    version               BIGINT NOT NULL
);
CREATE INDEX medevac_taskings_by_request ON medevac_taskings (medevac_request_id, created_at);
CREATE INDEX medevac_taskings_by_airline ON medevac_taskings (airline_code, created_at);
CREATE INDEX medevac_taskings_by_aircraft ON medevac_taskings (aircraft_registration, status);
CREATE INDEX medevac_taskings_by_created ON medevac_taskings (created_at, id);

-- Documents of a request (metadata); their bytes are in medevac_document_chunks.
CREATE TABLE medevac_documents (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    medevac_request_id  TEXT COLLATE "C" NOT NULL REFERENCES medevac_requests (id),
    kind                TEXT COLLATE "C" NOT NULL,
    file_name           TEXT NOT NULL,
    content_type        TEXT NOT NULL,
    size_bytes          BIGINT NOT NULL,
    sha256_hex          TEXT NOT NULL,
    uploaded_by_subject TEXT NOT NULL,
    uploaded_by_role    TEXT NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE INDEX medevac_documents_by_request ON medevac_documents (medevac_request_id, created_at, id);

-- A document's content in order, at most 1 MiB per row.
CREATE TABLE medevac_document_chunks (
    document_id TEXT COLLATE "C" NOT NULL REFERENCES medevac_documents (id),
    position    BIGINT NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (document_id, position)
);

-- Messages between the national centre and one airline about one request; never deleted.
CREATE TABLE medevac_messages (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    medevac_request_id TEXT COLLATE "C" NOT NULL REFERENCES medevac_requests (id),
    airline_code       TEXT COLLATE "C" NOT NULL,
    sender_party       TEXT COLLATE "C" NOT NULL,
    sender_subject     TEXT NOT NULL,
    sender_role        TEXT NOT NULL,
    body               TEXT NOT NULL,
    sent_at            BIGINT NOT NULL,
    delivered_at       BIGINT,
    read_at            BIGINT
);
CREATE INDEX medevac_messages_by_thread ON medevac_messages (medevac_request_id, airline_code, sent_at, id);

-- Aircraft positions received for a tasking.
CREATE TABLE medevac_positions (
    id                    TEXT COLLATE "C" PRIMARY KEY,
    medevac_request_id    TEXT COLLATE "C" NOT NULL REFERENCES medevac_requests (id),
    tasking_id            TEXT COLLATE "C" NOT NULL REFERENCES medevac_taskings (id),
    aircraft_registration TEXT COLLATE "C" NOT NULL,
    lat                   DOUBLE PRECISION NOT NULL,
    lon                   DOUBLE PRECISION NOT NULL,
    altitude_m            DOUBLE PRECISION NOT NULL,
    ground_speed_kmh      DOUBLE PRECISION NOT NULL,
    recorded_at           BIGINT NOT NULL,
    source                TEXT COLLATE "C" NOT NULL,
    received_at           BIGINT NOT NULL
);
CREATE INDEX medevac_positions_by_request ON medevac_positions (medevac_request_id, recorded_at);
CREATE INDEX medevac_positions_by_tasking ON medevac_positions (tasking_id, recorded_at);

-- Flight-following alerts raised and not yet cleared, one per tasking and kind.
CREATE TABLE medevac_flight_alerts (
    tasking_id            TEXT COLLATE "C" NOT NULL REFERENCES medevac_taskings (id),
    kind                  TEXT COLLATE "C" NOT NULL,
    -- Snake-case milestone that is late (behind plan); '' for no position.
    milestone             TEXT COLLATE "C" NOT NULL,
    medevac_request_id    TEXT COLLATE "C" NOT NULL,
    region_code           TEXT COLLATE "C" NOT NULL,
    airline_code          TEXT COLLATE "C" NOT NULL,
    aircraft_registration TEXT COLLATE "C" NOT NULL,
    threshold_us          BIGINT NOT NULL,
    lag_us                BIGINT NOT NULL,
    raised_at             BIGINT NOT NULL,
    PRIMARY KEY (tasking_id, kind)
);
