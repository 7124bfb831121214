//! The registry's data files (docs/reference-data.md): one entity per file, as a JSON array of
//! flat objects or as CSV with a header row, both with the same column names. Reading a file
//! only splits it into records of cells by column; every missing or bad value is left to be
//! reported by row and column (the cell accessors here report a value of the wrong type, the
//! domain everything else), so one pass finds every problem of a file. Writing is the
//! reverse, in the column order of the entity, so what export writes, import reads back.

use chrono::NaiveDate;
use jedel_core::calendar::parse_date;
use serde_json::{Map, Value};

use crate::domain::Problems;

/// How a data file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A UTF-8 JSON array of flat objects.
    Json,
    /// UTF-8 CSV (RFC 4180) with a header row; list cells are `;`-separated.
    Csv,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// One record of a data file: its cells by column. A JSON record keeps its typed values; a
/// CSV record holds text, which the accessors read as numbers, flags and lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cells(Map<String, Value>);

/// A record, or why the row could not be read as one at all (e.g. not a JSON object).
pub type Record = Result<Cells, String>;

impl Cells {
    /// Cells from (column, value) pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Cells {
        Cells(pairs.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
    }

    fn get(&self, column: &str) -> Option<&Value> {
        self.0.get(column).filter(|v| !v.is_null())
    }

    /// The text of a cell, as written (no trimming); empty when missing or not text.
    pub fn raw(&self, column: &str) -> &str {
        self.get(column).and_then(Value::as_str).unwrap_or("")
    }

    /// The text of a cell; empty when missing. A value that is not text is a problem.
    pub fn text(&self, column: &'static str, problems: &mut Problems) -> &str {
        match self.get(column) {
            None => "",
            Some(Value::String(text)) => text,
            Some(_) => {
                problems.add(column, "must be text");
                ""
            }
        }
    }

    /// A number; `None` when missing or empty. Text that is not a number is a problem.
    pub fn number(&self, column: &'static str, problems: &mut Problems) -> Option<f64> {
        match self.get(column)? {
            Value::Number(n) => n.as_f64(),
            Value::String(text) if text.trim().is_empty() => None,
            Value::String(text) => {
                problems.check(column, text.trim().parse::<f64>().map_err(|_| format!("{text:?} is not a number")))
            }
            _ => problems.check(column, Err("must be a number")),
        }
    }

    /// A whole number; `None` when missing or empty. Anything else is a problem.
    pub fn integer(&self, column: &'static str, problems: &mut Problems) -> Option<i64> {
        match self.get(column)? {
            Value::Number(n) => match n.as_i64() {
                Some(n) => Some(n),
                None => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
                    _ => problems.check(column, Err(format!("{n} is not a whole number"))),
                },
            },
            Value::String(text) if text.trim().is_empty() => None,
            Value::String(text) => problems
                .check(column, text.trim().parse::<i64>().map_err(|_| format!("{text:?} is not a whole number"))),
            _ => problems.check(column, Err("must be a whole number")),
        }
    }

    /// A flag, `true` or `false`; `None` when missing or empty. Anything else is a problem.
    pub fn boolean(&self, column: &'static str, problems: &mut Problems) -> Option<bool> {
        match self.get(column)? {
            Value::Bool(b) => Some(*b),
            Value::String(text) => match text.trim() {
                "" => None,
                "true" => Some(true),
                "false" => Some(false),
                _ => problems.check(column, Err(format!("{text:?} is not true or false"))),
            },
            _ => problems.check(column, Err("must be true or false")),
        }
    }

    /// A list of words: a JSON array of strings, or `;`-separated text; empty when missing.
    pub fn list(&self, column: &'static str, problems: &mut Problems) -> Vec<String> {
        match self.get(column) {
            None => Vec::new(),
            Some(Value::String(text)) => {
                text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(ToString::to_string).collect()
            }
            Some(Value::Array(items)) => match items.iter().map(|v| v.as_str().map(ToString::to_string)).collect() {
                Some(words) => words,
                None => {
                    problems.add(column, "must be a list of text");
                    Vec::new()
                }
            },
            Some(_) => {
                problems.add(column, "must be a list");
                Vec::new()
            }
        }
    }

    /// A date `YYYY-MM-DD`: `None` when missing or empty, or why it is not a date.
    pub fn date(&self, column: &'static str, problems: &mut Problems) -> Result<Option<NaiveDate>, String> {
        match self.text(column, problems) {
            "" => Ok(None),
            text => parse_date(text).map(Some).map_err(|e| e.to_string()),
        }
    }

    /// An enum value's spelling decoded by `parse`; "is required" when missing.
    pub fn word<T>(
        &self,
        column: &'static str,
        problems: &mut Problems,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, String> {
        match self.text(column, problems) {
            "" => Err("is required".into()),
            text => parse(text),
        }
    }

    /// A list of enum spellings decoded by `parse`; the first bad one is the problem.
    pub fn words<T>(
        &self,
        column: &'static str,
        problems: &mut Problems,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.list(column, problems).iter().map(|w| parse(w)).collect()
    }
}

/// A problem with a whole file (row 0) or with one whole row: the column at fault (empty for
/// none) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The column at fault, or empty.
    pub column: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Splits a file into records. A problem with the file as a whole (not JSON, not an array,
/// a CSV header without one of `columns`) refuses it; a problem with one row comes back as
/// that row's `Err`.
pub fn read(format: Format, bytes: &[u8], columns: &[&'static str]) -> Result<Vec<Record>, Vec<FileProblem>> {
    match format {
        Format::Json => read_json(bytes),
        Format::Csv => read_csv(bytes, columns),
    }
}

fn read_json(bytes: &[u8]) -> Result<Vec<Record>, Vec<FileProblem>> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| vec![FileProblem { column: "", message: format!("not valid JSON: {e}") }])?;
    let Value::Array(items) = value else {
        return Err(vec![FileProblem { column: "", message: "not a JSON array of records".into() }]);
    };
    Ok(items
        .into_iter()
        .map(|item| match item {
            Value::Object(map) => Ok(Cells(map)),
            _ => Err("the record is not a JSON object".to_string()),
        })
        .collect())
}

fn read_csv(bytes: &[u8], columns: &[&'static str]) -> Result<Vec<Record>, Vec<FileProblem>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| vec![FileProblem { column: "", message: format!("cannot read the CSV header: {e}") }])?
        .clone();
    let header: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let missing: Vec<FileProblem> = columns
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|&column| FileProblem { column, message: "the column is missing from the header".into() })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut records = Vec::new();
    for result in reader.records() {
        records.push(match result {
            Err(e) => Err(format!("cannot read the row: {e}")),
            Ok(row) if row.len() != header.len() => {
                Err(format!("the row has {} cells, the header {}", row.len(), header.len()))
            }
            Ok(row) => {
                Ok(Cells(header.iter().cloned().zip(row.iter().map(|c| Value::String(c.to_string()))).collect()))
            }
        });
    }
    Ok(records)
}

/// Writes records, each a value per column of `columns`, as a file of `format`.
pub fn write(format: Format, columns: &[&str], rows: &[Vec<Value>]) -> Vec<u8> {
    match format {
        Format::Json => write_json(columns, rows),
        Format::Csv => write_csv(columns, rows),
    }
}

/// One object per line, columns in order, as the reference data files are.
fn write_json(columns: &[&str], rows: &[Vec<Value>]) -> Vec<u8> {
    if rows.is_empty() {
        return b"[]\n".to_vec();
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let cells: Vec<String> =
                columns.iter().zip(row).map(|(c, v)| format!("{}: {}", Value::from(*c), v)).collect();
            format!("  {{{}}}", cells.join(", "))
        })
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n")).into_bytes()
}

fn write_csv(columns: &[&str], rows: &[Vec<Value>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; an error here would be a bug in the csv crate.
    let _ = writer.write_record(columns);
    for row in rows {
        let _ = writer.write_record(row.iter().map(csv_cell));
    }
    writer.into_inner().unwrap_or_default()
}

fn csv_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(csv_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// One problem with one column of one record of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file, e.g. `stations.json`.
    pub file: String,
    /// 1-based record number (array index + 1, or data row after the header); 0 for the
    /// file as a whole.
    pub row: usize,
    /// The column at fault, as named in the file; empty when the whole row is at fault.
    pub column: &'static str,
    /// What is wrong.
    pub message: String,
    /// The record's code, to find it; empty when it has none.
    pub record_code: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.file, self.row)?;
        if !self.record_code.is_empty() {
            write!(f, " ({})", self.record_code)?;
        }
        if !self.column.is_empty() {
            write!(f, " {}", self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_csv_read_to_the_same_values() {
        let columns = ["code", "lat", "beds", "helipad", "profiles"];
        let from_json = read(
            Format::Json,
            br#"[{"code": "AST-H01", "lat": 51.1, "beds": 650, "helipad": true, "profiles": ["stroke", "pci"]}]"#,
            &columns,
        )
        .unwrap();
        let from_csv =
            read(Format::Csv, b"code,lat,beds,helipad,profiles\nAST-H01,51.1,650,true,stroke;pci\n", &columns).unwrap();
        for records in [from_json, from_csv] {
            let cells = records[0].as_ref().unwrap();
            let mut problems = Problems::new();
            assert_eq!(cells.text("code", &mut problems), "AST-H01");
            assert_eq!(cells.number("lat", &mut problems), Some(51.1));
            assert_eq!(cells.integer("beds", &mut problems), Some(650));
            assert_eq!(cells.boolean("helipad", &mut problems), Some(true));
            assert_eq!(cells.list("profiles", &mut problems), ["stroke", "pci"]);
            assert!(problems.is_empty());
        }
    }

    #[test]
    fn values_of_the_wrong_type_are_problems_of_their_column() {
        let cells = Cells::from_pairs([
            ("code", json!(17)),
            ("lat", json!("north")),
            ("beds", json!(1.5)),
            ("helipad", json!("yes")),
            ("profiles", json!([1])),
        ]);
        let mut problems = Problems::new();
        cells.text("code", &mut problems);
        cells.number("lat", &mut problems);
        cells.integer("beds", &mut problems);
        cells.boolean("helipad", &mut problems);
        cells.list("profiles", &mut problems);
        let columns: Vec<_> = problems.into_vec().into_iter().map(|(c, _)| c).collect();
        assert_eq!(columns, ["code", "lat", "beds", "helipad", "profiles"]);
    }

    #[test]
    fn file_problems_and_row_problems_are_told_apart() {
        assert_eq!(read(Format::Json, b"{}", &[]).unwrap_err()[0].message, "not a JSON array of records");
        assert!(read(Format::Json, b"[1, 2", &[]).unwrap_err()[0].message.starts_with("not valid JSON"));
        let missing = read(Format::Csv, b"code,name\nA,B\n", &["code", "lat", "lon"]).unwrap_err();
        assert_eq!(missing.iter().map(|p| p.column).collect::<Vec<_>>(), ["lat", "lon"]);
        let rows = read(Format::Json, br#"[{"code": "A"}, 7]"#, &[]).unwrap();
        assert!(rows[0].is_ok() && rows[1].is_err());
        let rows = read(Format::Csv, b"code,name\nA,B\nC\n", &["code"]).unwrap();
        assert_eq!(rows[1], Err("the row has 1 cells, the header 2".to_string()));
    }

    #[test]
    fn what_is_written_reads_back() {
        let columns = ["code", "lat", "helipad", "profiles", "nearest"];
        let rows = vec![vec![json!("AST-H01"), json!(51.1), json!(false), json!(["stroke", "pci"]), json!("")]];
        for format in [Format::Json, Format::Csv] {
            let bytes = write(format, &columns, &rows);
            let back = read(format, &bytes, &columns).unwrap();
            let cells = back[0].as_ref().unwrap();
            let mut problems = Problems::new();
            assert_eq!(cells.number("lat", &mut problems), Some(51.1), "{format:?}");
            assert_eq!(cells.boolean("helipad", &mut problems), Some(false), "{format:?}");
            assert_eq!(cells.list("profiles", &mut problems), ["stroke", "pci"], "{format:?}");
            assert_eq!(cells.raw("nearest"), "", "{format:?}");
        }
        assert_eq!(
            String::from_utf8(write(Format::Json, &columns[..2], &[vec![json!("A"), json!(1)]])).unwrap(),
            "[\n  {\"code\": \"A\", \"lat\": 1}\n]\n"
        );
        assert_eq!(write(Format::Csv, &columns[..1], &[vec![json!("A,B")]]), b"code\n\"A,B\"\n");
    }

    #[test]
    fn a_problem_reads_as_file_row_and_column() {
        let problem = RowProblem {
            file: "stations.json".into(),
            row: 3,
            column: "lat",
            message: "latitude 60 is outside Kazakhstan (40.5..=55.5)".into(),
            record_code: "AST-01".into(),
        };
        assert_eq!(
            problem.to_string(),
            "stations.json row 3 (AST-01) lat: latitude 60 is outside Kazakhstan (40.5..=55.5)"
        );
    }
}
