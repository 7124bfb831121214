//! The scenario file (`simulator/data/kazakhstan-2024.json`): demand (calls a year, category mix,
//! hourly, weekly and monthly profiles), where calls happen, how long each step of a call takes
//! by category, travel-time noise, medevac demand, the calibration targets and the triage answers
//! that produce each category over gRPC. Every number of the simulation lives here, not in code.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::error::SimError;

/// The scenario shipped with the simulator.
pub const DEFAULT_SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kazakhstan-2024.json");

/// A lognormal duration given by its mean and coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Mean, in the unit the field's name says.
    pub mean: f64,
    /// Standard deviation over mean; 0 is a fixed value.
    pub cv: f64,
}

/// How calls of one category unfold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryProfile {
    /// 1..=4.
    pub category: u8,
    /// From the call reaching 103 to the engine getting it (triage, then the dispatcher's
    /// decision), seconds.
    pub handling_s: Spread,
    /// Time with the patient, minutes.
    pub on_scene_min: Spread,
    /// Share of patients taken to hospital.
    pub transport_share: f64,
    /// Handover at hospital, minutes.
    pub handover_min: Spread,
}

/// How far from its station a call's scene may be, by the station's area type.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneRadius {
    /// Around a city station, km.
    pub city: f64,
    /// Around a rural station, km.
    pub rural: f64,
}

/// Driving times as they really turn out against the engine's estimate.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelTruth {
    /// Real over estimated driving time, on average.
    pub factor: f64,
    /// Spread of that ratio from trip to trip (lognormal).
    pub noise_cv: f64,
    /// Speed of the straight-line policy's model; it only orders units, so any positive value.
    pub straight_line_kmh: f64,
}

/// What the simulation is compared with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Where the figures come from.
    pub source: String,
    /// The policy whose figures are compared.
    pub policy: String,
    /// Mean arrival by category 1..=4, minutes.
    pub mean_arrival_min: [f64; 4],
}

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, shown in reports.
    pub name: String,
    /// What it models.
    pub description: String,
    /// Default seed; the same seed gives the same calls and the same report.
    pub seed: u64,
    /// The reference data directory, relative to the scenario file.
    pub reference_data: PathBuf,
    /// First instant simulated (the warm-up starts here), RFC 3339.
    #[serde(deserialize_with = "rfc3339")]
    pub start: DateTime<FixedOffset>,
    /// Days reported, after the warm-up.
    pub days: f64,
    /// Hours simulated before the reported period, so it starts with units busy as usual.
    pub warmup_hours: f64,
    /// Hours simulated after the last call, so calls in progress finish.
    pub drain_hours: f64,
    /// Calls a year, nationally.
    pub calls_per_year: f64,
    /// Medical-aviation requests a year, nationally.
    pub medevac_requests_per_year: f64,
    /// Relative weight of categories 1..=4.
    pub category_mix: [f64; 4],
    /// Relative demand by local hour 0..24.
    pub hourly_profile: [f64; 24],
    /// Relative demand by weekday, Monday first.
    pub weekday_profile: [f64; 7],
    /// Relative demand by month, January first.
    pub monthly_profile: [f64; 12],
    /// Scene distance from the station.
    pub scene_radius_km: SceneRadius,
    /// Real driving times.
    pub travel: TravelTruth,
    /// The simulated dispatcher sends the top unit at once only when its ETA is at most this
    /// many minutes; otherwise the call waits for a closer unit until its norm is breached
    /// (the engine's `auto_assign_max_eta_min`). Without it, one far assignment keeps a crew
    /// out for hours and a thinly covered region collapses.
    pub dispatcher_reach_min: f64,
    /// Durations by category, 1..=4 in order.
    pub categories: Vec<CategoryProfile>,
    /// The figures to compare with.
    pub calibration: Calibration,
    /// Per category 1..=4, the (question, answer) pairs that make the shipped triage protocol
    /// give that category (for `load` and `train`).
    pub triage_answers: Vec<Vec<(String, String)>>,
    /// The directory the scenario file is in.
    #[serde(skip)]
    pub dir: PathBuf,
}

fn rfc3339<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let text = String::deserialize(deserializer)?;
    DateTime::parse_from_rfc3339(&text).map_err(|e| serde::de::Error::custom(format!("start {text:?}: {e}")))
}

impl Scenario {
    /// Reads and checks a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, SimError> {
        let text = std::fs::read_to_string(path).map_err(|source| SimError::Io { path: path.into(), source })?;
        let mut scenario: Scenario =
            serde_json::from_str(&text).map_err(|e| SimError::data(path.display().to_string(), e.to_string()))?;
        scenario.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        scenario.validate().map_err(|message| SimError::data(path.display().to_string(), message))?;
        Ok(scenario)
    }

    /// The reference data directory.
    pub fn reference_dir(&self) -> PathBuf {
        self.dir.join(&self.reference_data)
    }

    /// The profile of category `number` (1..=4).
    pub fn category(&self, number: u8) -> &CategoryProfile {
        &self.categories[usize::from(number - 1)]
    }

    /// Checks ranges and shapes; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 { Ok(()) } else { Err(format!("{name} must be a positive number, not {v}")) }
        };
        let non_negative = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 { Ok(()) } else { Err(format!("{name} must be a number ≥ 0, not {v}")) }
        };
        positive("days", self.days)?;
        non_negative("warmup_hours", self.warmup_hours)?;
        non_negative("drain_hours", self.drain_hours)?;
        positive("calls_per_year", self.calls_per_year)?;
        non_negative("medevac_requests_per_year", self.medevac_requests_per_year)?;
        let profiles: [(&str, &[f64]); 4] = [
            ("category_mix", &self.category_mix),
            ("hourly_profile", &self.hourly_profile),
            ("weekday_profile", &self.weekday_profile),
            ("monthly_profile", &self.monthly_profile),
        ];
        for (name, values) in profiles {
            for (i, v) in values.iter().enumerate() {
                non_negative(&format!("{name}[{i}]"), *v)?;
            }
            positive(&format!("the sum of {name}"), values.iter().sum())?;
        }
        positive("scene_radius_km.city", self.scene_radius_km.city)?;
        positive("scene_radius_km.rural", self.scene_radius_km.rural)?;
        positive("travel.factor", self.travel.factor)?;
        non_negative("travel.noise_cv", self.travel.noise_cv)?;
        positive("travel.straight_line_kmh", self.travel.straight_line_kmh)?;
        positive("dispatcher_reach_min", self.dispatcher_reach_min)?;
        if self.categories.len() != 4 || self.categories.iter().zip(1..).any(|(c, n)| c.category != n) {
            return Err("categories must list categories 1, 2, 3 and 4 in order".into());
        }
        for c in &self.categories {
            let at = |field: &str| format!("categories[{}].{field}", c.category - 1);
            for (field, spread) in [("handling_s", c.handling_s), ("on_scene_min", c.on_scene_min)] {
                non_negative(&at(&format!("{field}.mean")), spread.mean)?;
                non_negative(&at(&format!("{field}.cv")), spread.cv)?;
            }
            non_negative(&at("handover_min.mean"), c.handover_min.mean)?;
            non_negative(&at("handover_min.cv"), c.handover_min.cv)?;
            if !(0.0..=1.0).contains(&c.transport_share) {
                return Err(format!("{} must be within 0..=1", at("transport_share")));
            }
        }
        if self.triage_answers.len() != 4 {
            return Err("triage_answers must have one list per category 1..=4".into());
        }
        Ok(())
    }
}
