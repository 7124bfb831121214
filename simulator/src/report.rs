//! The report of a `run`: per policy, rows for the nation and each region by category (calls,
//! share within the norm, mean and 90th-percentile arrival, calls that waited for a unit and
//! how long, unit utilisation, medevac requests), and the calibration against the national
//! figures. Printed as a table; written as CSV or JSON. Wall-clock figures stay out of it, so
//! the same seed gives the same report byte for byte.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::SimError;

/// One line of figures: a scope (the nation `KZ` or a region) and a category (`None`: all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `KZ` for the nation, else the region code.
    pub region: String,
    /// 1..=4, or `None` for all categories.
    pub category: Option<u8>,
    /// Calls received in the reported period.
    pub calls: u64,
    /// Of those, reached by a crew before the simulation ended.
    pub reached: u64,
    /// Share of calls reached within the norm (unreached calls count as late).
    pub within_norm: Option<f64>,
    /// Mean arrival (received → first crew on scene), minutes.
    pub mean_arrival_min: Option<f64>,
    /// 90th-percentile arrival, minutes.
    pub p90_arrival_min: Option<f64>,
    /// Share of calls that waited in the queue for a unit.
    pub waited: Option<f64>,
    /// Mean wait of those that waited, minutes.
    pub mean_wait_min: Option<f64>,
    /// Busy time over on-duty time of the scope's units (rows of all categories only).
    pub utilisation: Option<f64>,
    /// Medevac requests filed (rows of all categories only).
    pub medevac_requests: Option<u64>,
}

/// The figures of one policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyReport {
    /// The policy's name.
    pub policy: String,
    /// Most calls of one region waiting for their first unit at once (each region has its own
    /// dispatch centre and queue).
    pub max_queue: usize,
    /// The nation, then each region; categories 1–4 then all.
    pub rows: Vec<Row>,
}

impl PolicyReport {
    /// The row of `region` (`KZ`: nation) and `category` (`None`: all).
    pub fn row(&self, region: &str, category: Option<u8>) -> Option<&Row> {
        self.rows.iter().find(|r| r.region == region && r.category == category)
    }
}

/// One category's simulated mean against the national figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRow {
    /// 1..=4.
    pub category: u8,
    /// The national mean arrival, minutes.
    pub target_min: f64,
    /// The simulated mean arrival of the calibration policy, minutes.
    pub simulated_min: Option<f64>,
}

/// The simulation against the national figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Where the figures come from.
    pub source: String,
    /// The policy compared.
    pub policy: String,
    /// By category.
    pub rows: Vec<CalibrationRow>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// Days reported.
    pub days: f64,
    /// Calls simulated, warm-up included.
    pub simulated_calls: u64,
    /// Per policy, in the order asked.
    pub policies: Vec<PolicyReport>,
    /// Against the national figures, when the calibration policy ran.
    pub calibration: Option<Calibration>,
}

fn opt(value: Option<f64>, scale: f64, decimals: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.*}", decimals, v * scale))
}

fn category(c: Option<u8>) -> String {
    c.map_or_else(|| "all".to_string(), |c| c.to_string())
}

impl Report {
    /// The national figures of every policy side by side, then per region (all categories),
    /// then the calibration.
    pub fn table(&self, regions: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "scenario {} · seed {} · {} days reported", self.scenario, self.seed, self.days);
        let _ = writeln!(
            out,
            "\n{:<14} {:>4} {:>10} {:>8} {:>9} {:>8} {:>8} {:>9} {:>6}",
            "policy", "cat", "calls", "in norm", "mean min", "p90 min", "waited", "wait min", "util"
        );
        for policy in &self.policies {
            for row in policy.rows.iter().filter(|r| r.region == "KZ") {
                let _ = writeln!(
                    out,
                    "{:<14} {:>4} {:>10} {:>7}% {:>9} {:>8} {:>7}% {:>9} {:>5}%",
                    policy.policy,
                    category(row.category),
                    row.calls,
                    opt(row.within_norm, 100.0, 1),
                    opt(row.mean_arrival_min, 1.0, 1),
                    opt(row.p90_arrival_min, 1.0, 1),
                    opt(row.waited, 100.0, 2),
                    opt(row.mean_wait_min, 1.0, 1),
                    opt(row.utilisation, 100.0, 0),
                );
            }
            let _ = writeln!(out, "{:<14} longest regional queue {}", "", policy.max_queue);
        }
        if regions {
            let _ =
                writeln!(out, "\nby region, all categories: share within norm % / mean min / p90 min / utilisation %");
            let _ = write!(out, "{:<7}", "region");
            for policy in &self.policies {
                let _ = write!(out, " {:>27}", policy.policy);
            }
            let _ = writeln!(out);
            let codes: Vec<&str> = self.policies.first().map_or_else(Vec::new, |p| {
                p.rows.iter().filter(|r| r.category.is_none() && r.region != "KZ").map(|r| r.region.as_str()).collect()
            });
            for code in codes {
                let _ = write!(out, "{code:<7}");
                for policy in &self.policies {
                    let cell = policy.row(code, None).map_or_else(String::new, |r| {
                        format!(
                            "{} / {} / {} / {}",
                            opt(r.within_norm, 100.0, 1),
                            opt(r.mean_arrival_min, 1.0, 1),
                            opt(r.p90_arrival_min, 1.0, 1),
                            opt(r.utilisation, 100.0, 0)
                        )
                    });
                    let _ = write!(out, " {cell:>27}");
                }
                let _ = writeln!(out);
            }
        }
        if let Some(calibration) = &self.calibration {
            let _ = writeln!(out, "\ncalibration ({}, policy {}):", calibration.source, calibration.policy);
            for row in &calibration.rows {
                let diff = row.simulated_min.map(|s| s - row.target_min);
                let _ = writeln!(
                    out,
                    "  category {}: simulated {} min, 2024 national {:.1} min, difference {} min",
                    row.category,
                    opt(row.simulated_min, 1.0, 1),
                    row.target_min,
                    diff.map_or_else(|| "-".into(), |d| format!("{d:+.1}"))
                );
            }
        }
        out
    }

    /// Every row of every policy as CSV with a header.
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "policy,region,category,calls,reached,within_norm,mean_arrival_min,p90_arrival_min,waited,\
             mean_wait_min,utilisation,medevac_requests\n",
        );
        let num = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
        for policy in &self.policies {
            for r in &policy.rows {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{},{},{},{}",
                    policy.policy,
                    r.region,
                    category(r.category),
                    r.calls,
                    r.reached,
                    num(r.within_norm),
                    num(r.mean_arrival_min),
                    num(r.p90_arrival_min),
                    num(r.waited),
                    num(r.mean_wait_min),
                    num(r.utilisation),
                    r.medevac_requests.map_or_else(String::new, |m| m.to_string()),
                );
            }
        }
        out
    }

    /// The report as pretty JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialise")
    }

    /// Writes `text` to `path`.
    pub fn write(path: &Path, text: &str) -> Result<(), SimError> {
        std::fs::write(path, text).map_err(|source| SimError::Io { path: path.into(), source })
    }
}
