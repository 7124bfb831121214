//! Loading the reference data set (`data/reference/kazakhstan/`) into an empty registry:
//! `regions.json`, then `stations.json`. Every record is checked first and the files are
//! refused whole, with every problem by file, row and column, if any is bad. Then all
//! records go in one transaction: one event per record, one audit row for the load, by the
//! system actor `seed`. A registry that already has regions is left alone.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use jedel_core::RegionCode;
use jedel_platform::db::{Change, DbError};
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Context};
use serde::de::DeserializeOwned;

use crate::domain::{Problems, RegionFields, StationFields};
use crate::events;
use crate::files::{RegionRecord, RowProblem, StationRecord};
use crate::store::{self, RegionRow, StationRow};

/// The audit name of a reference-data load.
pub const SEED_RPC: &str = "Registry/SeedReference";

/// A reference data set: the files of `data/reference/<name>/`, read from a directory or
/// built into the binary.
#[derive(Debug, Clone)]
pub enum ReferenceData {
    /// Files in a directory, read at load time.
    Dir(PathBuf),
    /// Files compiled into the binary: (file name, contents).
    Embedded {
        /// The data set's name, for the audit log.
        name: &'static str,
        /// The files.
        files: &'static [(&'static str, &'static str)],
    },
}

impl ReferenceData {
    /// The Kazakhstan reference data set, built into the binary so `jedel serve` needs no
    /// files beside it.
    pub fn kazakhstan() -> ReferenceData {
        const FILES: &[(&str, &str)] = &[
            ("regions.json", include_str!("../../../data/reference/kazakhstan/regions.json")),
            ("stations.json", include_str!("../../../data/reference/kazakhstan/stations.json")),
        ];
        ReferenceData::Embedded { name: "kazakhstan", files: FILES }
    }

    fn name(&self) -> String {
        match self {
            ReferenceData::Dir(dir) => {
                dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned())
            }
            ReferenceData::Embedded { name, .. } => name.to_string(),
        }
    }

    /// The contents of `file`, or `None` when the set has no such file.
    async fn read(&self, file: &str) -> Result<Option<(PathBuf, Vec<u8>)>, SeedError> {
        match self {
            ReferenceData::Dir(dir) => {
                let path = dir.join(file);
                match tokio::fs::read(&path).await {
                    Ok(bytes) => Ok(Some((path, bytes))),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(source) => Err(SeedError::Read { path, source }),
                }
            }
            ReferenceData::Embedded { name, files } => Ok(files
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(f, contents)| (PathBuf::from(format!("<built-in {name}>/{f}")), contents.as_bytes().to_vec()))),
        }
    }
}

/// What a load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// True when the registry already had regions, so nothing was loaded.
    pub already_seeded: bool,
    /// Regions written.
    pub regions: usize,
    /// Stations written.
    pub stations: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.already_seeded {
            f.write_str("the registry already has regions; reference data left as it is")
        } else {
            write!(f, "loaded {} regions and {} stations", self.regions, self.stations)
        }
    }
}

/// Why the reference data could not be loaded. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// A file is not a JSON array of records.
    #[error("{} is not a JSON array of records: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said, with line and column.
        source: serde_json::Error,
    },
    /// Records are invalid; every problem is listed.
    #[error("{}", describe(.0))]
    Invalid(Vec<RowProblem>),
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
}

fn describe(problems: &[RowProblem]) -> String {
    const SHOWN: usize = 20;
    let mut text = format!("the reference data has {} problem(s): ", problems.len());
    text.push_str(&problems.iter().take(SHOWN).map(ToString::to_string).collect::<Vec<_>>().join("; "));
    if problems.len() > SHOWN {
        text.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    text
}

/// Loads `regions.json` and `stations.json` of `data` when the registry has no region yet.
/// `regions.json` must exist; a missing `stations.json` loads no stations.
pub async fn seed_reference(ctx: &Context, data: &ReferenceData) -> Result<SeedReport, SeedError> {
    if store::regions::count(ctx.db.reader()).await? > 0 {
        return Ok(SeedReport { already_seeded: true, ..SeedReport::default() });
    }
    let region_records: Vec<RegionRecord> = read_records(data, "regions.json", true).await?.unwrap_or_default();
    let station_records: Vec<StationRecord> = match read_records(data, "stations.json", false).await? {
        Some(records) => records,
        None => {
            tracing::warn!(data_set = data.name(), "no stations.json in the reference data; loading no stations");
            Vec::new()
        }
    };
    let (regions, stations) = check(&region_records, &station_records)?;
    if regions.is_empty() {
        return Ok(SeedReport::default());
    }

    let mut tx = ctx.db.begin().await?;
    // Checked again inside the transaction: another process may have seeded meanwhile.
    if store::regions::count(tx.conn()).await? > 0 {
        return Ok(SeedReport { already_seeded: true, ..SeedReport::default() });
    }
    let now = now_micros();
    let mut new_events = Vec::with_capacity(regions.len() + stations.len());
    for fields in &regions {
        let row = RegionRow::new(uuid::Uuid::now_v7().to_string(), fields, 1, now, now);
        store::regions::insert(tx.conn(), &row).await?;
        new_events.push(events::region_created(&row));
    }
    for fields in &stations {
        let row = StationRow::new(uuid::Uuid::now_v7().to_string(), fields, 1, now, now);
        store::stations::insert(tx.conn(), &row).await?;
        new_events.push(events::station_created(&row));
    }
    let data_set = data.name();
    tx.commit(Change {
        actor: Caller::system("seed"),
        rpc: SEED_RPC,
        entity_type: "reference_data",
        entity_id: data_set.clone(),
        events: new_events,
    })
    .await?;
    let report = SeedReport { already_seeded: false, regions: regions.len(), stations: stations.len() };
    tracing::info!(data_set, regions = report.regions, stations = report.stations, "reference data loaded");
    Ok(report)
}

/// The records of a data file, or `None` when there is no such file and it is not `required`.
async fn read_records<T: DeserializeOwned>(
    data: &ReferenceData,
    file: &str,
    required: bool,
) -> Result<Option<Vec<T>>, SeedError> {
    let (path, bytes) = match data.read(file).await? {
        Some(found) => found,
        None if !required => return Ok(None),
        None => {
            let path = PathBuf::from(file);
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the data set");
            return Err(SeedError::Read { path, source });
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|source| SeedError::Parse { path, source })
}

/// Checks every record, that codes are unique within each file, and that every station's
/// region is among the regions; either all records, checked, or every problem.
fn check(
    region_records: &[RegionRecord],
    station_records: &[StationRecord],
) -> Result<(Vec<RegionFields>, Vec<StationFields>), SeedError> {
    let mut all_problems = Vec::new();
    let mut report = |file: &'static str, row: usize, code: &str, problems: Problems| {
        all_problems.extend(problems.into_vec().into_iter().map(|(column, message)| RowProblem {
            file,
            row: row + 1,
            column,
            message,
            record_code: code.to_string(),
        }));
    };

    let mut regions = Vec::with_capacity(region_records.len());
    let mut region_rows: HashMap<&str, usize> = HashMap::new();
    for (row, record) in region_records.iter().enumerate() {
        let mut problems = Problems::new();
        let first = *region_rows.entry(&record.code).or_insert(row);
        if first != row && !record.code.is_empty() {
            problems.add("code", format!("region {} is also in row {}", record.code, first + 1));
        }
        if let Some(fields) = RegionFields::parse(&record.input(), &mut problems) {
            regions.push(fields);
        }
        report("regions.json", row, &record.code, problems);
    }

    let known_regions: HashSet<&str> = region_records.iter().map(|r| r.code.as_str()).collect();
    let mut stations = Vec::with_capacity(station_records.len());
    let mut station_rows: HashMap<&str, usize> = HashMap::new();
    for (row, record) in station_records.iter().enumerate() {
        let mut problems = Problems::new();
        let first = *station_rows.entry(&record.code).or_insert(row);
        if first != row && !record.code.is_empty() {
            problems.add("code", format!("station {} is also in row {}", record.code, first + 1));
        }
        let fields = StationFields::parse(&record.input(), &mut problems);
        let region_known = known_regions.contains(record.region_code.as_str());
        if !region_known && RegionCode::parse(&record.region_code).is_ok() {
            problems.add("region_code", format!("region {} is not in regions.json", record.region_code));
        }
        if let Some(fields) = fields.filter(|_| region_known) {
            stations.push(fields);
        }
        report("stations.json", row, &record.code, problems);
    }

    if all_problems.is_empty() { Ok((regions, stations)) } else { Err(SeedError::Invalid(all_problems)) }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jedel_platform::bus::InProcessBus;
    use jedel_platform::metrics::Metrics;
    use jedel_platform::{Db, audit, events as platform_events};
    use sqlx::Row as _;

    use super::*;

    fn fixture(name: &str) -> ReferenceData {
        ReferenceData::Dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
    }

    /// A context over a fresh, migrated SQLite file in `dir`.
    async fn context(dir: &tempfile::TempDir) -> Context {
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        Context { db, bus: Arc::new(InProcessBus::new(16)), metrics: Metrics::new(&[]) }
    }

    async fn count(ctx: &Context, table: &str) -> i64 {
        let sql = match table {
            "regions" => "SELECT COUNT(*) FROM regions",
            "stations" => "SELECT COUNT(*) FROM stations",
            "audit" => "SELECT COUNT(*) FROM audit",
            _ => unreachable!("no such table"),
        };
        sqlx::query(sql).fetch_one(ctx.db.reader()).await.unwrap().get(0)
    }

    #[tokio::test]
    async fn the_fixture_loads_once_with_an_event_per_record_and_one_audit_row() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;

        let report = seed_reference(&ctx, &fixture("reference")).await.unwrap();
        assert_eq!(report, SeedReport { already_seeded: false, regions: 3, stations: 5 });
        assert_eq!(report.to_string(), "loaded 3 regions and 5 stations");
        assert_eq!((count(&ctx, "regions").await, count(&ctx, "stations").await), (3, 5));

        let written = platform_events::read_after(ctx.db.reader(), 0, 100).await.unwrap();
        assert_eq!(written.len(), 8);
        assert_eq!(written.iter().filter(|e| e.kind == "region.created").count(), 3);
        assert_eq!(written.iter().filter(|e| e.kind == "station.created").count(), 5);
        assert!(written.iter().all(|e| e.actor_subject == "seed" && e.actor_role == "system"));
        let akm: serde_json::Value =
            serde_json::from_str(&written.iter().find(|e| e.payload.contains("\"AKM-ZER\"")).unwrap().payload).unwrap();
        assert_eq!((akm["region_code"].as_str(), akm["area_type"].as_str()), (Some("KZ-11"), Some("rural")));

        assert_eq!(count(&ctx, "audit").await, 1);
        let verification = audit::verify(ctx.db.reader()).await.unwrap();
        assert_eq!((verification.rows, verification.first_broken), (1, None));

        let astana = store::regions::by_code(ctx.db.reader(), "KZ-71").await.unwrap().unwrap();
        assert_eq!((astana.name_en.as_str(), astana.lat, astana.version), ("Astana", 51.17, 1));

        let again = seed_reference(&ctx, &fixture("reference")).await.unwrap();
        assert_eq!(again, SeedReport { already_seeded: true, regions: 0, stations: 0 });
        assert_eq!(platform_events::last_seq(ctx.db.reader()).await.unwrap(), 8);
    }

    #[tokio::test]
    async fn a_bad_file_is_refused_whole_with_every_problem() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;

        let Err(SeedError::Invalid(problems)) = seed_reference(&ctx, &fixture("bad")).await else {
            panic!("the bad fixture must be refused");
        };
        let found: Vec<_> = problems.iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(found, [(2, "kind"), (2, "lat"), (2, "lon"), (2, "region_code"), (3, "code")]);
        let text = SeedError::Invalid(problems).to_string();
        assert!(
            text.contains("stations.json row 2 (MSK-01) region_code: region KZ-99 is not in regions.json"),
            "{text}"
        );
        assert!(text.contains("stations.json row 3 (AST-01) code: station AST-01 is also in row 1"), "{text}");

        assert_eq!(
            (count(&ctx, "regions").await, count(&ctx, "stations").await, count(&ctx, "audit").await),
            (0, 0, 0)
        );
    }

    #[tokio::test]
    async fn a_missing_directory_is_an_error_not_an_empty_registry() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;
        let error = seed_reference(&ctx, &ReferenceData::Dir(dir.path().join("nowhere"))).await.unwrap_err();
        assert!(matches!(error, SeedError::Read { .. }), "{error}");
    }

    #[tokio::test]
    async fn the_kazakhstan_reference_data_loads() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;
        let report = seed_reference(&ctx, &ReferenceData::kazakhstan()).await.unwrap();
        assert_eq!(report.regions, 20);
        assert!(report.stations >= 20, "{report:?}");
    }
}
