-- Human numbers per region and local day (DESIGN §4: "71-261122-0042" for radio use) are a
-- platform convention: one counter table for every kind of record that is numbered that way,
-- replacing the per-service copies.
CREATE TABLE daily_numbers (
    counter     TEXT   NOT NULL,
    region_code TEXT   NOT NULL,
    local_day   TEXT   NOT NULL,
    last_value  BIGINT NOT NULL,
    PRIMARY KEY (counter, region_code, local_day)
);
INSERT INTO daily_numbers (counter, region_code, local_day, last_value)
    SELECT 'call', region_code, local_day, last_value FROM call_number_sequences;
INSERT INTO daily_numbers (counter, region_code, local_day, last_value)
    SELECT 'medevac_request', region_code, local_day, last_value FROM medevac_number_sequences;
DROP TABLE call_number_sequences;
DROP TABLE medevac_number_sequences;
