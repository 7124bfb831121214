-- Registry, second slice: the EMS brigades and hospitals, and medical aviation: airfields,
-- airlines with their medical-aviation certificates, aircraft, and the contracts that cover
-- them. Codes are the keys records reference each other by (and what lists page over);
-- SQLite sorts TEXT bytewise, as the PostgreSQL schema does with COLLATE "C". Enum values
-- hold the data-file spellings (`feldsher`, `class_b`, …); lists of enum values are JSON
-- arrays in TEXT; booleans are BIGINT 0/1; calendar dates are TEXT `YYYY-MM-DD` (they sort
-- as dates); times are BIGINT microseconds since the Unix epoch (UTC).

-- Airports, district airstrips and helipads.
CREATE TABLE airfields (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    region_code     TEXT NOT NULL REFERENCES regions (code),
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    runway_length_m BIGINT NOT NULL,
    surface         TEXT NOT NULL,
    night_lighting  BIGINT NOT NULL,
    opens_local     TEXT NOT NULL,
    closes_local    TEXT NOT NULL,
    version         BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX airfields_by_region ON airfields (region_code, code);

-- Receiving hospitals. `nearest_airfield_code` is NULL when the hospital names none.
CREATE TABLE hospitals (
    id                    TEXT PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    region_code           TEXT NOT NULL REFERENCES regions (code),
    lat                   REAL NOT NULL,
    lon                   REAL NOT NULL,
    profiles              TEXT NOT NULL,
    trauma_level          BIGINT NOT NULL,
    perinatal_level       BIGINT NOT NULL,
    beds                  BIGINT NOT NULL,
    helipad               BIGINT NOT NULL,
    nearest_airfield_code TEXT REFERENCES airfields (code),
    version               BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX hospitals_by_region ON hospitals (region_code, code);

-- Ground units with their vehicles. A brigade's region is its station's, read by a join,
-- so a station that moves takes its brigades with it.
CREATE TABLE brigades (
    id            TEXT PRIMARY KEY,
    call_sign     TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    station_code  TEXT NOT NULL REFERENCES stations (code),
    vehicle_plate TEXT NOT NULL,
    vehicle_type  TEXT NOT NULL,
    shift_pattern TEXT NOT NULL,
    in_service    BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX brigades_by_station ON brigades (station_code, call_sign);

-- Airlines under contract with NCCEM, each with its current medical-aviation certificate
-- (the three certificate columns are all NULL when it holds none).
CREATE TABLE airlines (
    id                  TEXT PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    bin                 TEXT NOT NULL UNIQUE,
    certificate_number  TEXT,
    certificate_issued  TEXT,
    certificate_expires TEXT,
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

-- Aircraft of the airlines.
CREATE TABLE aircraft (
    id                 TEXT PRIMARY KEY,
    registration       TEXT NOT NULL UNIQUE,
    airline_code       TEXT NOT NULL REFERENCES airlines (code),
    kind               TEXT NOT NULL,
    model              TEXT NOT NULL,
    cruise_speed_kmh   BIGINT NOT NULL,
    range_km           BIGINT NOT NULL,
    min_runway_m       BIGINT NOT NULL,
    surfaces           TEXT NOT NULL,
    helipad_capable    BIGINT NOT NULL,
    night_capable      BIGINT NOT NULL,
    pressurised        BIGINT NOT NULL,
    medical_module     TEXT NOT NULL,
    stretchers         BIGINT NOT NULL,
    seats              BIGINT NOT NULL,
    tracker_installed  BIGINT NOT NULL,
    year_built         BIGINT NOT NULL,
    base_airfield_code TEXT NOT NULL REFERENCES airfields (code),
    status             TEXT NOT NULL,
    version            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX aircraft_by_airline ON aircraft (airline_code, registration);

-- Contracts between NCCEM and an airline. `starts` and `ends` are both days in force.
CREATE TABLE contracts (
    id                  TEXT PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    airline_code        TEXT NOT NULL REFERENCES airlines (code),
    starts              TEXT NOT NULL,
    ends                TEXT NOT NULL,
    tariff_kzt_per_hour BIGINT NOT NULL,
    readiness_minutes   BIGINT NOT NULL,
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX contracts_by_airline ON contracts (airline_code, number);

-- The aircraft a contract covers, in the contract's order.
CREATE TABLE contract_aircraft (
    contract_id  TEXT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    registration TEXT NOT NULL REFERENCES aircraft (registration),
    PRIMARY KEY (contract_id, registration)
);
CREATE INDEX contract_aircraft_by_registration ON contract_aircraft (registration);

-- Committed bulk imports, so that a retried ImportRecords (same request id) answers with the
-- counts of the first.
CREATE TABLE registry_imports (
    id            TEXT PRIMARY KEY,
    entity_type   TEXT NOT NULL,
    format        TEXT NOT NULL,
    row_count     BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    imported_at   BIGINT NOT NULL
);
