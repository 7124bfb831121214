//! Bulk import of one data file inside a caller's transaction, all or nothing: every record is
//! checked the one way the gRPC API checks it (its fields, codes unique within the file, what
//! it references, its code new or, when replacing, existing), written if good, and every
//! problem is reported by row and column. The caller commits only a report without problems;
//! otherwise dropping the transaction undoes the rows already written. ImportRecords and the
//! reference-data seed both run through here.

use std::collections::HashMap;

use jedel_platform::NewEvent;
use jedel_platform::time::now_micros;
use sqlx::AnyConnection;

use crate::domain::Problems;
use crate::error::RegistryError;
use crate::events;
use crate::files::{self, Format, RowProblem};
use crate::records::FileRecord;
use crate::store::{self, ReferenceCheck};

/// What an import did (or, once rolled back, would have done).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Records in the file.
    pub rows: usize,
    /// Records created.
    pub created: usize,
    /// Existing records replaced.
    pub updated: usize,
    /// Rows with at least one problem.
    pub failed_rows: usize,
    /// Every problem, in row order; row 0 for the file as a whole.
    pub problems: Vec<RowProblem>,
    /// The events of the records written, for the commit.
    pub events: Vec<NewEvent>,
}

impl ImportReport {
    /// Adds another file's report to this one.
    pub fn absorb(&mut self, other: ImportReport) {
        self.rows += other.rows;
        self.created += other.created;
        self.updated += other.updated;
        self.failed_rows += other.failed_rows;
        self.problems.extend(other.problems);
        self.events.extend(other.events);
    }
}

/// Imports `bytes`, a file of `R` records named `file_name` for the report, into the open
/// transaction of `conn`. With `replace_existing`, a record whose code exists replaces it;
/// otherwise that is a problem of its row. Fails only when the database does.
pub async fn import_file<R: FileRecord>(
    conn: &mut AnyConnection,
    file_name: &str,
    format: Format,
    bytes: &[u8],
    replace_existing: bool,
) -> Result<ImportReport, RegistryError> {
    let mut report = ImportReport::default();
    let records = match files::read(format, bytes, R::COLUMNS) {
        Ok(records) => records,
        Err(file_problems) => {
            report.problems = file_problems
                .into_iter()
                .map(|p| RowProblem {
                    file: file_name.to_string(),
                    row: 0,
                    column: p.column,
                    message: p.message,
                    record_code: String::new(),
                })
                .collect();
            return Ok(report);
        }
    };
    report.rows = records.len();
    let mut first_rows: HashMap<String, usize> = HashMap::new();
    let mut references = ReferenceCheck::new();
    let now = now_micros();
    for (index, record) in records.iter().enumerate() {
        let row = index + 1;
        let cells = match record {
            Ok(cells) => cells,
            Err(message) => {
                report.failed_rows += 1;
                report.problems.push(RowProblem {
                    file: file_name.to_string(),
                    row,
                    column: "",
                    message: message.clone(),
                    record_code: String::new(),
                });
                continue;
            }
        };
        let code = cells.raw(R::CODE_COLUMN).to_string();
        let mut problems = Problems::new();
        if !code.is_empty() {
            let first = *first_rows.entry(code.clone()).or_insert(row);
            if first != row {
                problems.add(R::CODE_COLUMN, format!("{} {code} is also in row {first}", R::ENTITY));
            }
        }
        let (fields, referenced) = R::read(cells, &mut problems);
        references.check(conn, &referenced, &mut problems).await?;
        if let Some(fields) = fields.filter(|_| problems.is_empty()) {
            write_row::<R>(conn, &fields, replace_existing, now, &mut problems, &mut report).await?;
        }
        if !problems.is_empty() {
            report.failed_rows += 1;
            let mut problems = problems.into_vec();
            problems.sort_by_key(|(column, _)| R::COLUMNS.iter().position(|c| c == column));
            report.problems.extend(problems.into_iter().map(|(column, message)| RowProblem {
                file: file_name.to_string(),
                row,
                column,
                message,
                record_code: code.clone(),
            }));
        }
    }
    Ok(report)
}

/// Writes one good record: creates it, or replaces the record with its code when allowed.
/// A clash the database finds (a code taken, a BIN held by another airline, an aircraft that
/// cannot change airline) becomes a problem of the row.
async fn write_row<R: FileRecord>(
    conn: &mut AnyConnection,
    fields: &R::Fields,
    replace_existing: bool,
    now: i64,
    problems: &mut Problems,
    report: &mut ImportReport,
) -> Result<(), RegistryError> {
    let code = R::code_of(fields);
    let written = match R::by_code(conn, code).await? {
        Some(_) if !replace_existing => {
            problems.add(R::CODE_COLUMN, format!("{} {code} already exists", R::ENTITY));
            return Ok(());
        }
        Some(current) => store::write_over::<R>(conn, &current, fields, now).await.map(|row| (row, false)),
        None => store::write_new::<R>(conn, uuid::Uuid::now_v7().to_string(), fields, now).await.map(|row| (row, true)),
    };
    match written {
        Ok((row, true)) => {
            report.created += 1;
            report.events.push(events::created(&row));
        }
        Ok((row, false)) => {
            report.updated += 1;
            report.events.push(events::updated(&row));
        }
        Err(RegistryError::Conflict { column, message }) => problems.add(column, message),
        Err(e @ (RegistryError::Blocked(_) | RegistryError::AlreadyExists { .. })) => {
            problems.add(R::CODE_COLUMN, e.to_string());
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
