-- Registry, first slice: regions and the EMS stations in them. Codes are the keys records
-- reference each other by (and what lists page over), so they sort bytewise (COLLATE "C"),
-- the same as on SQLite. Times are BIGINT microseconds since the Unix epoch (UTC).

-- The 20 regions of Kazakhstan (ISO 3166-2:KZ codes) with their administrative centres.
CREATE TABLE regions (
    id                 TEXT PRIMARY KEY,
    code               TEXT COLLATE "C" NOT NULL UNIQUE,
    name_kk            TEXT NOT NULL,
    name_ru            TEXT NOT NULL,
    name_en            TEXT NOT NULL,
    centre_name        TEXT NOT NULL,
    lat                DOUBLE PRECISION NOT NULL,
    lon                DOUBLE PRECISION NOT NULL,
    population         BIGINT NOT NULL,
    urban_share        DOUBLE PRECISION NOT NULL,
    time_zone          TEXT NOT NULL,
    utc_offset_minutes BIGINT NOT NULL,
    version            BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- EMS stations, substations, district departments and PHC organisations. `kind` and
-- `area_type` hold the data-file spellings (`regional_station`, `city`, …).
CREATE TABLE stations (
    id          TEXT PRIMARY KEY,
    code        TEXT COLLATE "C" NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region_code TEXT COLLATE "C" NOT NULL REFERENCES regions (code),
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    address     TEXT NOT NULL,
    area_type   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX stations_by_region ON stations (region_code, code);
