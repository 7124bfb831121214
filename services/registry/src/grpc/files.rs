//! ImportRecords and ExportRecords: one data file of one record type, JSON or CSV. An import
//! runs in one transaction and commits only when every row is good (and it is not a dry
//! run); a committed import is remembered under its request id with its counts, so a retry
//! answers the same. An export writes what an import reads back.

use jedel_api::registry::v1 as pb;
use jedel_api::{ApiError, Violations};
use jedel_core::RegionCode;
use jedel_platform::Caller;
use jedel_platform::db::{Change, DbError};
use jedel_platform::time::now_micros;
use sqlx::{AnyConnection, Row as _};
use tonic::Status;
use tracing::info;

use super::access::EXPORTERS;
use super::{RegistryService, WRITERS, finish, request_id};
use crate::error::RegistryError;
use crate::files::{self, Format};
use crate::import::{ImportReport, import_file};
use crate::records::FileRecord;
use crate::store::{AircraftRow, AirfieldRow, AirlineRow, BrigadeRow, ContractRow, HospitalRow, RegionRow, StationRow};

/// The audit name of ImportRecords, also the scope of its request ids.
pub const IMPORT_RPC: &str = "Registry/ImportRecords";
/// Most problems one import response lists; `failed_row_count` still counts every row.
const MAX_REPORTED_PROBLEMS: usize = 1_000;

fn entity_type(value: i32) -> Result<pb::EntityType, String> {
    match pb::EntityType::try_from(value) {
        Ok(pb::EntityType::Unspecified) => Err("is required".into()),
        Ok(entity) => Ok(entity),
        Err(_) => Err(format!("{value} is not an entity type")),
    }
}

fn format(value: i32) -> Result<Format, String> {
    match pb::RecordFormat::try_from(value) {
        Ok(pb::RecordFormat::Unspecified) => Err("is required".into()),
        Ok(pb::RecordFormat::Json) => Ok(Format::Json),
        Ok(pb::RecordFormat::Csv) => Ok(Format::Csv),
        Err(_) => Err(format!("{value} is not a record format")),
    }
}

/// The record type's name as audited, e.g. `brigade`.
fn entity_name(entity: pb::EntityType) -> &'static str {
    match entity {
        pb::EntityType::Unspecified => "unspecified",
        pb::EntityType::Region => "region",
        pb::EntityType::Station => "station",
        pb::EntityType::Brigade => "brigade",
        pb::EntityType::Airfield => "airfield",
        pb::EntityType::Hospital => "hospital",
        pb::EntityType::Airline => "airline",
        pb::EntityType::Aircraft => "aircraft",
        pb::EntityType::Contract => "contract",
    }
}

async fn import_one<R: FileRecord>(
    conn: &mut AnyConnection,
    format: Format,
    content: &[u8],
    replace_existing: bool,
) -> Result<ImportReport, RegistryError> {
    let file = format!("{}.{}", R::FILE, format.extension());
    import_file::<R>(conn, &file, format, content, replace_existing).await
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The response for a report.
fn response(report: &ImportReport, committed: bool) -> pb::ImportRecordsResponse {
    pb::ImportRecordsResponse {
        committed,
        row_count: count(report.rows),
        created_count: count(report.created),
        updated_count: count(report.updated),
        failed_row_count: count(report.failed_rows.max(usize::from(report.problems.iter().any(|p| p.row == 0)))),
        errors: report
            .problems
            .iter()
            .take(MAX_REPORTED_PROBLEMS)
            .map(|p| pb::ImportRowError {
                row: count(p.row),
                field: p.column.to_string(),
                message: p.message.clone(),
                record_code: p.record_code.clone(),
            })
            .collect(),
    }
}

/// The response an earlier committed import with this id gave.
async fn remembered(conn: &mut AnyConnection, import_id: &str) -> Result<pb::ImportRecordsResponse, RegistryError> {
    let row = sqlx::query("SELECT row_count, created_count, updated_count FROM registry_imports WHERE id = $1")
        .bind(import_id)
        .fetch_optional(conn)
        .await
        .map_err(DbError::from)?
        .ok_or_else(|| RegistryError::NotFound { entity: "import", key: import_id.to_string() })?;
    let number = |column: &str| -> Result<i32, RegistryError> {
        Ok(i32::try_from(row.try_get::<i64, _>(column).map_err(DbError::from)?).unwrap_or(i32::MAX))
    };
    Ok(pb::ImportRecordsResponse {
        committed: true,
        row_count: number("row_count")?,
        created_count: number("created_count")?,
        updated_count: number("updated_count")?,
        ..Default::default()
    })
}

impl RegistryService {
    /// ImportRecords: admins only; all or nothing.
    pub(super) async fn import_file_records(
        &self,
        caller: &Caller,
        request: pb::ImportRecordsRequest,
    ) -> Result<pb::ImportRecordsResponse, Status> {
        caller.require_role(WRITERS)?;
        let mut v = Violations::new();
        let request_id = v.check("request_id", request_id(&request.request_id));
        let entity = v.check("entity_type", entity_type(request.entity_type));
        let file_format = v.check("format", format(request.format));
        let ((request_id, entity), file_format) = finish(v, request_id.zip(entity).zip(file_format))?;

        let db = &self.context.db;
        let mut tx = db.begin().await.map_err(RegistryError::from)?;
        let import_id = uuid::Uuid::now_v7().to_string();
        if !request.dry_run
            && let Some(earlier) =
                tx.claim_request_id(IMPORT_RPC, &request_id, &import_id).await.map_err(RegistryError::from)?
        {
            return Ok(remembered(tx.conn(), &earlier).await?);
        }
        let (content, replace) = (&request.content, request.replace_existing);
        let conn = tx.conn();
        let report = match entity {
            pb::EntityType::Region => import_one::<RegionRow>(conn, file_format, content, replace).await,
            pb::EntityType::Station => import_one::<StationRow>(conn, file_format, content, replace).await,
            pb::EntityType::Brigade => import_one::<BrigadeRow>(conn, file_format, content, replace).await,
            pb::EntityType::Airfield => import_one::<AirfieldRow>(conn, file_format, content, replace).await,
            pb::EntityType::Hospital => import_one::<HospitalRow>(conn, file_format, content, replace).await,
            pb::EntityType::Airline => import_one::<AirlineRow>(conn, file_format, content, replace).await,
            pb::EntityType::Aircraft => import_one::<AircraftRow>(conn, file_format, content, replace).await,
            pb::EntityType::Contract => import_one::<ContractRow>(conn, file_format, content, replace).await,
            pb::EntityType::Unspecified => return Err(ApiError::invalid("entity_type", "is required").into()),
        }?;
        let entity = entity_name(entity);
        if !report.problems.is_empty() || request.dry_run || report.events.is_empty() {
            // Dropping the transaction undoes every row written while checking.
            let committed = report.problems.is_empty() && !request.dry_run;
            info!(
                entity,
                rows = report.rows,
                problems = report.problems.len(),
                dry_run = request.dry_run,
                "import checked"
            );
            return Ok(response(&report, committed));
        }
        sqlx::query(
            "INSERT INTO registry_imports (id, entity_type, format, row_count, created_count, updated_count, \
             imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&import_id)
        .bind(entity)
        .bind(file_format.extension())
        .bind(report.rows as i64)
        .bind(report.created as i64)
        .bind(report.updated as i64)
        .bind(now_micros())
        .execute(tx.conn())
        .await
        .map_err(|e| RegistryError::from(DbError::from(e)))?;
        let answer = response(&report, true);
        tx.commit(Change {
            actor: caller.clone(),
            rpc: IMPORT_RPC,
            entity_type: "import",
            entity_id: import_id.clone(),
            events: report.events,
        })
        .await
        .map_err(RegistryError::from)?;
        info!(entity, import_id, created = report.created, updated = report.updated, "import committed");
        self.after_write(entity).await;
        Ok(answer)
    }

    /// ExportRecords: national roles; a whole table, or one region's records.
    pub(super) async fn export_file_records(
        &self,
        caller: &Caller,
        request: pb::ExportRecordsRequest,
    ) -> Result<pb::ExportRecordsResponse, Status> {
        caller.require_role(EXPORTERS)?;
        let mut v = Violations::new();
        let entity = v.check("entity_type", entity_type(request.entity_type));
        let file_format = v.check("format", format(request.format));
        let region = match request.region_code.as_str() {
            "" => Some(None),
            code => v.check("region_code", RegionCode::parse(code)).map(Some),
        };
        let ((entity, file_format), region) = finish(v, entity.zip(file_format).zip(region))?;
        let region = region.as_ref().map(RegionCode::as_str);
        let (content, rows) = match entity {
            pb::EntityType::Region => self.export_one::<RegionRow>(file_format, region).await,
            pb::EntityType::Station => self.export_one::<StationRow>(file_format, region).await,
            pb::EntityType::Brigade => self.export_one::<BrigadeRow>(file_format, region).await,
            pb::EntityType::Airfield => self.export_one::<AirfieldRow>(file_format, region).await,
            pb::EntityType::Hospital => self.export_one::<HospitalRow>(file_format, region).await,
            pb::EntityType::Airline => self.export_one::<AirlineRow>(file_format, region).await,
            pb::EntityType::Aircraft => self.export_one::<AircraftRow>(file_format, region).await,
            pb::EntityType::Contract => self.export_one::<ContractRow>(file_format, region).await,
            pb::EntityType::Unspecified => return Err(ApiError::invalid("entity_type", "is required").into()),
        }?;
        Ok(pb::ExportRecordsResponse { content, row_count: count(rows) })
    }

    /// The file of every `R` record (of `region`, when given) and how many it holds.
    async fn export_one<R: FileRecord>(
        &self,
        file_format: Format,
        region: Option<&str>,
    ) -> Result<(Vec<u8>, usize), RegistryError> {
        if region.is_some() && !R::REGIONAL {
            return Err(ApiError::invalid("region_code", format!("{} have no region", R::FILE)).into());
        }
        let rows = R::export_rows(self.context.db.reader(), region).await?;
        let cells: Vec<_> = rows.iter().map(FileRecord::cells).collect();
        Ok((files::write(file_format, R::COLUMNS, &cells), rows.len()))
    }
}
