//! Destination choice: receiving [`Hospital`]s ranked for a patient by profile fit (stroke
//! centre, PCI centre, trauma level, perinatal level, paediatric, burns, toxicology), then by
//! ambulance travel time from where the patient is. [`Condition`] maps the usual working
//! diagnoses to what they need.

use serde::{Deserialize, Serialize};

use super::geometry::great_circle_m;
use super::ids::HospitalId;
use super::recommend::minutes;
use super::serde_with;
use super::travel::TravelTimeModel;
use crate::category::HospitalProfile;
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// A receiving hospital, from the Registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hospital {
    /// Registry id.
    pub id: HospitalId,
    /// Name as dispatchers use it.
    pub name: String,
    /// Region.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// Where it is.
    #[serde(with = "serde_with::lat_lon")]
    pub position: LatLon,
    /// Profiles it has.
    pub profiles: Vec<HospitalProfile>,
    /// Trauma level, 0 none, 1..=3 (1 the highest).
    pub trauma_level: u8,
    /// Perinatal level, 0 none, 1..=3 (3 the highest).
    pub perinatal_level: u8,
}

/// What a patient needs from the receiving hospital.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationNeeds {
    /// Profiles needed.
    pub profiles: Vec<HospitalProfile>,
    /// Trauma level needed, 1..=3 (this level or better, i.e. lower, fits); 0 any.
    #[serde(default)]
    pub trauma_level: u8,
    /// Perinatal level needed, 1..=3 (this level or higher fits); 0 any.
    #[serde(default)]
    pub perinatal_level: u8,
}

/// A working diagnosis that decides the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Suspected stroke: a stroke centre.
    Stroke,
    /// ST-elevation myocardial infarction: a PCI centre.
    Stemi,
    /// Major trauma: a trauma centre of level 2 or better.
    MajorTrauma,
    /// Pregnancy or delivery: a perinatal centre of level 2 or higher.
    Obstetric,
    /// A child: a paediatric hospital.
    Child,
    /// Burns: a burns centre.
    Burns,
    /// Poisoning: a toxicology centre.
    Poisoning,
}

impl Condition {
    /// What the condition needs.
    pub fn needs(self) -> DestinationNeeds {
        let only = |profile| DestinationNeeds { profiles: vec![profile], ..DestinationNeeds::default() };
        match self {
            Condition::Stroke => only(HospitalProfile::Stroke),
            Condition::Stemi => only(HospitalProfile::Pci),
            Condition::MajorTrauma => DestinationNeeds { trauma_level: 2, ..only(HospitalProfile::Trauma) },
            Condition::Obstetric => DestinationNeeds { perinatal_level: 2, ..only(HospitalProfile::Perinatal) },
            Condition::Child => only(HospitalProfile::Paediatric),
            Condition::Burns => only(HospitalProfile::Burns),
            Condition::Poisoning => only(HospitalProfile::Toxicology),
        }
    }
}

/// How well a hospital matches the needs; better fits sort first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileFit {
    /// Every needed profile at the needed level.
    Full,
    /// Some needed profiles, or a lower level.
    Partial,
    /// None of them: the nearest general hospital.
    None,
}

/// One ranked hospital.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospitalOption {
    /// 1 = best.
    pub rank: u32,
    /// The hospital.
    pub hospital: Hospital,
    /// How well it fits.
    pub fit: ProfileFit,
    /// Needed profiles it has at the needed level.
    pub matched: Vec<HospitalProfile>,
    /// Needed profiles it lacks or has at a lower level.
    pub missing: Vec<HospitalProfile>,
    /// Great-circle distance, metres.
    pub distance_m: f64,
    /// Ambulance travel time.
    pub travel_time: Micros,
    /// One line, e.g. "PCI centre, 18 min".
    pub reason: String,
}

fn has(hospital: &Hospital, needs: &DestinationNeeds, profile: HospitalProfile) -> bool {
    hospital.profiles.contains(&profile)
        && match profile {
            HospitalProfile::Trauma => {
                hospital.trauma_level > 0 && (needs.trauma_level == 0 || hospital.trauma_level <= needs.trauma_level)
            }
            HospitalProfile::Perinatal => {
                hospital.perinatal_level > 0 && hospital.perinatal_level >= needs.perinatal_level
            }
            _ => true,
        }
}

fn label(profile: HospitalProfile) -> &'static str {
    match profile {
        HospitalProfile::Stroke => "stroke centre",
        HospitalProfile::Pci => "PCI centre",
        HospitalProfile::Trauma => "trauma centre",
        HospitalProfile::Perinatal => "perinatal centre",
        HospitalProfile::Paediatric => "paediatric hospital",
        HospitalProfile::Burns => "burns centre",
        HospitalProfile::Toxicology => "toxicology centre",
    }
}

/// Ranks `hospitals` for a patient at `from`: by fit, then travel time, then id.
pub(crate) fn choose<M: TravelTimeModel>(
    model: &M,
    trip: &M::Prepared,
    hospitals: &[Hospital],
    from: LatLon,
    needs: &DestinationNeeds,
    limit: usize,
) -> Vec<HospitalOption> {
    let mut options: Vec<HospitalOption> = hospitals
        .iter()
        .map(|hospital| {
            let (matched, missing): (Vec<_>, Vec<_>) = needs.profiles.iter().partition(|p| has(hospital, needs, **p));
            let partial = !matched.is_empty() || missing.iter().any(|p| hospital.profiles.contains(p));
            let fit = if missing.is_empty() {
                ProfileFit::Full
            } else if partial {
                ProfileFit::Partial
            } else {
                ProfileFit::None
            };
            let distance_m = great_circle_m(from, hospital.position);
            let travel_time = model.travel_time(trip, from, hospital.position, distance_m);
            let what = match (fit, matched.first()) {
                (ProfileFit::None, _) if !needs.profiles.is_empty() => "no needed profile".to_string(),
                (_, Some(profile)) => label(*profile).to_string(),
                _ => "general hospital".to_string(),
            };
            let reason = format!("{what}, {} min", minutes(travel_time));
            HospitalOption {
                rank: 0,
                hospital: hospital.clone(),
                fit,
                matched,
                missing,
                distance_m,
                travel_time,
                reason,
            }
        })
        .collect();
    options.sort_by(|a, b| (a.fit, a.travel_time, &a.hospital.id).cmp(&(b.fit, b.travel_time, &b.hospital.id)));
    options.truncate(limit.clamp(1, super::rank::MAX_LIMIT));
    for (i, option) in options.iter_mut().enumerate() {
        option.rank = i as u32 + 1;
    }
    options
}
