//! Loading the reference data set (`data/reference/kazakhstan/`) into an empty registry, one
//! file per record type in dependency order: regions, stations, airfields, hospitals,
//! brigades, airlines, aircraft, contracts. Every record goes through the import path (the
//! same checks as the gRPC API and ImportRecords), all of them in one transaction: if any
//! record is bad nothing is written and every problem is reported by file, row and column;
//! otherwise one event per record and one audit row for the load, by the system actor `seed`.
//! A registry that already has regions is left alone.

use std::path::PathBuf;

use jedel_platform::db::{Change, DbError};
use jedel_platform::{Caller, Context};
use sqlx::AnyConnection;

use crate::error::RegistryError;
use crate::files::{Format, RowProblem};
use crate::import::{ImportReport, import_file};
use crate::records::FileRecord;
use crate::store::StationRow;
use crate::store::{self, AircraftRow, AirfieldRow, AirlineRow, BrigadeRow, ContractRow, HospitalRow, RegionRow};

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
            ("airfields.json", include_str!("../../../data/reference/kazakhstan/airfields.json")),
            ("hospitals.json", include_str!("../../../data/reference/kazakhstan/hospitals.json")),
            ("brigades.json", include_str!("../../../data/reference/kazakhstan/brigades.json")),
            ("airlines.json", include_str!("../../../data/reference/kazakhstan/airlines.json")),
            ("aircraft.json", include_str!("../../../data/reference/kazakhstan/aircraft.json")),
            ("contracts.json", include_str!("../../../data/reference/kazakhstan/contracts.json")),
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
    async fn read(&self, file: &str) -> Result<Option<Vec<u8>>, SeedError> {
        match self {
            ReferenceData::Dir(dir) => {
                let path = dir.join(file);
                match tokio::fs::read(&path).await {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(source) => Err(SeedError::Read { path, source }),
                }
            }
            ReferenceData::Embedded { files, .. } => {
                Ok(files.iter().find(|(f, _)| *f == file).map(|(_, contents)| contents.as_bytes().to_vec()))
            }
        }
    }
}

/// What a load did: records written per type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// True when the registry already had regions, so nothing was loaded.
    pub already_seeded: bool,
    /// Regions written.
    pub regions: usize,
    /// Stations written.
    pub stations: usize,
    /// Airfields written.
    pub airfields: usize,
    /// Hospitals written.
    pub hospitals: usize,
    /// Brigades written.
    pub brigades: usize,
    /// Airlines written.
    pub airlines: usize,
    /// Aircraft written.
    pub aircraft: usize,
    /// Contracts written.
    pub contracts: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.already_seeded {
            return f.write_str("the registry already has regions; reference data left as it is");
        }
        write!(
            f,
            "loaded {} regions, {} stations, {} airfields, {} hospitals, {} brigades, {} airlines, {} aircraft \
             and {} contracts",
            self.regions,
            self.stations,
            self.airfields,
            self.hospitals,
            self.brigades,
            self.airlines,
            self.aircraft,
            self.contracts
        )
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
    /// Records are invalid (or a file is not a JSON array of records); every problem is listed.
    #[error("{}", describe(.0))]
    Invalid(Vec<RowProblem>),
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
    /// Writing a record failed unexpectedly.
    #[error("{0}")]
    Write(#[from] RegistryError),
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

/// Loads the files of `data` when the registry has no region yet. `regions.json` must exist;
/// a missing other file loads no records of its type.
pub async fn seed_reference(ctx: &Context, data: &ReferenceData) -> Result<SeedReport, SeedError> {
    if store::regions::count(ctx.db.reader()).await? > 0 {
        return Ok(SeedReport { already_seeded: true, ..SeedReport::default() });
    }
    let mut tx = ctx.db.begin().await?;
    // Checked again inside the transaction: another process may have seeded meanwhile.
    if store::regions::count(tx.conn()).await? > 0 {
        return Ok(SeedReport { already_seeded: true, ..SeedReport::default() });
    }
    let mut all = ImportReport::default();
    let conn = tx.conn();
    let report = SeedReport {
        already_seeded: false,
        regions: load::<RegionRow>(conn, data, true, &mut all).await?,
        stations: load::<StationRow>(conn, data, false, &mut all).await?,
        airfields: load::<AirfieldRow>(conn, data, false, &mut all).await?,
        hospitals: load::<HospitalRow>(conn, data, false, &mut all).await?,
        brigades: load::<BrigadeRow>(conn, data, false, &mut all).await?,
        airlines: load::<AirlineRow>(conn, data, false, &mut all).await?,
        aircraft: load::<AircraftRow>(conn, data, false, &mut all).await?,
        contracts: load::<ContractRow>(conn, data, false, &mut all).await?,
    };
    if !all.problems.is_empty() {
        return Err(SeedError::Invalid(all.problems));
    }
    if all.events.is_empty() {
        return Ok(SeedReport::default());
    }
    let data_set = data.name();
    tx.commit(Change {
        actor: Caller::system("seed"),
        rpc: SEED_RPC,
        entity_type: "reference_data",
        entity_id: data_set.clone(),
        events: all.events,
    })
    .await?;
    tracing::info!(data_set, %report, "reference data loaded");
    Ok(report)
}

/// Imports the file of `R` records into the seeding transaction, adding its report to `all`;
/// returns the records written. A missing file is an error only when `required`.
async fn load<R: FileRecord>(
    conn: &mut AnyConnection,
    data: &ReferenceData,
    required: bool,
    all: &mut ImportReport,
) -> Result<usize, SeedError> {
    let file = format!("{}.json", R::FILE);
    let Some(bytes) = data.read(&file).await? else {
        if required {
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the data set");
            return Err(SeedError::Read { path: PathBuf::from(file), source });
        }
        tracing::warn!(data_set = data.name(), file, "not in the reference data; loading none");
        return Ok(0);
    };
    let report = import_file::<R>(conn, &file, Format::Json, &bytes, false).await?;
    let written = report.created;
    all.absorb(report);
    Ok(written)
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
            "brigades" => "SELECT COUNT(*) FROM brigades",
            "contract_aircraft" => "SELECT COUNT(*) FROM contract_aircraft",
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
        let expected = SeedReport {
            already_seeded: false,
            regions: 3,
            stations: 5,
            airfields: 3,
            hospitals: 3,
            brigades: 4,
            airlines: 3,
            aircraft: 4,
            contracts: 2,
        };
        assert_eq!(report, expected);
        assert_eq!(
            report.to_string(),
            "loaded 3 regions, 5 stations, 3 airfields, 3 hospitals, 4 brigades, 3 airlines, 4 aircraft and 2 contracts"
        );
        assert_eq!((count(&ctx, "regions").await, count(&ctx, "stations").await), (3, 5));
        assert_eq!((count(&ctx, "brigades").await, count(&ctx, "contract_aircraft").await), (4, 3));

        let written = platform_events::read_after(ctx.db.reader(), 0, 100).await.unwrap();
        assert_eq!(written.len(), 27);
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
        assert_eq!(again, SeedReport { already_seeded: true, ..SeedReport::default() });
        assert_eq!(platform_events::last_seq(ctx.db.reader()).await.unwrap(), 27);
        let brigade: serde_json::Value = serde_json::from_str(
            &written.iter().find(|e| e.kind == "brigade.created" && e.payload.contains("AKM-01-01")).unwrap().payload,
        )
        .unwrap();
        assert_eq!(brigade["region_code"], "KZ-11", "a brigade's region is its station's");
    }

    #[tokio::test]
    async fn a_bad_file_is_refused_whole_with_every_problem() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;

        let Err(SeedError::Invalid(problems)) = seed_reference(&ctx, &fixture("bad")).await else {
            panic!("the bad fixture must be refused");
        };
        let found: Vec<_> = problems.iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(found, [(2, "kind"), (2, "region_code"), (2, "lat"), (2, "lon"), (3, "code")], "in column order");
        let text = SeedError::Invalid(problems).to_string();
        assert!(text.contains("stations.json row 2 (MSK-01) region_code: region KZ-99 does not exist"), "{text}");
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
        let expected = SeedReport {
            already_seeded: false,
            regions: 20,
            stations: 465,
            airfields: 62,
            hospitals: 299,
            brigades: 2_340,
            airlines: 11,
            aircraft: 53,
            contracts: 22,
        };
        assert_eq!(report, expected);
        assert_eq!(count(&ctx, "audit").await, 1, "one audit row for the whole load");
    }
}
