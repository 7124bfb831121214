//! The simulated world outside the engine: each unit's trip, place, shift and busy time, each
//! call's own random draws, and the real driving times (the engine's default travel-time model
//! times a per-call noise factor), which are the same under every policy.

use jedel_core::category::Category;
use jedel_core::dispatch::geometry::great_circle_m;
use jedel_core::dispatch::{AreaType, CallId, Start, TableTravelModel, TravelTimeModel, TripQuery, UnitId};
use jedel_core::local_time::Micros;
use jedel_core::norms::{KZ_225_2020, ResponseStandard};
use jedel_core::{LatLon, RegionCode};

use crate::demand::{HOUR, Incident};
use crate::random::Rng;
use crate::reference::{Reference, Shift};
use crate::scenario::Scenario;

const MINUTE: f64 = 60e6;

/// A call's draws, made once from its own stream so every policy sees the same patient.
#[derive(Debug, Clone, Copy)]
pub struct Draws {
    /// Received → handed to dispatch.
    pub handling: Micros,
    /// Real over estimated driving time on this call.
    pub noise: f64,
    /// Time with the patient.
    pub on_scene: Micros,
    /// Taken to hospital.
    pub transported: bool,
    /// Handover at hospital.
    pub handover: Micros,
}

impl Draws {
    /// The draws of `incident` under `scenario` and `seed`.
    pub fn of(scenario: &Scenario, seed: u64, incident: &Incident) -> Draws {
        let mut rng = Rng::new(seed, incident.seq);
        let profile = scenario.category(incident.category.number());
        let noise =
            scenario.travel.factor * rng.lognormal(crate::scenario::Spread { mean: 1.0, cv: scenario.travel.noise_cv });
        Draws {
            handling: (rng.lognormal(profile.handling_s) * 1e6) as Micros,
            noise,
            on_scene: (rng.lognormal(profile.on_scene_min) * MINUTE) as Micros,
            transported: rng.chance(profile.transport_share),
            handover: (rng.lognormal(profile.handover_min) * MINUTE) as Micros,
        }
    }
}

/// A call the world knows about.
#[derive(Debug, Clone)]
pub struct SimCall {
    /// The incident.
    pub incident: Incident,
    /// Its draws.
    pub draws: Draws,
    /// When dispatch got it.
    pub opened: Micros,
    /// A unit was assigned once.
    pub assigned: bool,
    /// Waiting in its region's queue for its first unit.
    pub waiting: bool,
    /// In the reported period.
    pub counted: bool,
}

/// A drive between two points.
#[derive(Debug, Clone, Copy)]
pub struct Trip {
    /// Where it starts.
    pub from: LatLon,
    /// Where it ends.
    pub to: LatLon,
    /// When the wheels start turning.
    pub depart: Micros,
    /// When it ends.
    pub arrive: Micros,
}

impl Trip {
    /// Where the vehicle is at `at` (straight-line interpolation).
    pub fn position(&self, at: Micros) -> LatLon {
        if at <= self.depart || self.arrive <= self.depart {
            return self.from;
        }
        let f = ((at - self.depart) as f64 / (self.arrive - self.depart) as f64).min(1.0);
        let lat = self.from.lat() + (self.to.lat() - self.from.lat()) * f;
        let lon = self.from.lon() + (self.to.lon() - self.from.lon()) * f;
        LatLon::parse(lat, lon).unwrap_or(self.to)
    }
}

/// A unit as the world sees it.
#[derive(Debug, Clone)]
pub struct SimUnit {
    /// Engine id.
    pub id: UnitId,
    /// Its station.
    pub home: LatLon,
    /// Area type of its station.
    pub home_area: AreaType,
    /// Index of its region.
    pub region: usize,
    /// When it works.
    pub shift: Shift,
    /// On duty now.
    pub on_duty: bool,
    /// Goes off duty once its call is done.
    pub off_pending: bool,
    /// Bumped on every new assignment or shift end; scheduled steps of older generations lapse.
    pub generation: u32,
    /// The call it works.
    pub call: Option<CallId>,
    /// The drive to the scene, while heading there.
    pub trip: Option<Trip>,
    /// Where it last stopped.
    pub place: LatLon,
    /// At its station.
    pub at_station: bool,
    /// Busy since (assignment of a free unit).
    pub busy_since: Option<Micros>,
    /// On duty since.
    pub duty_since: Option<Micros>,
}

/// The real driving times.
#[derive(Debug, Clone, Default)]
pub struct Roads {
    model: TableTravelModel,
    utc_offset_us: Micros,
}

impl Roads {
    /// The shipped travel-time table, in the reference's time zone.
    pub fn new(reference: &Reference) -> Roads {
        let offset = reference.regions.first().map_or(300, |r| r.utc_offset_minutes);
        Roads { model: TableTravelModel::kazakhstan(), utc_offset_us: Micros::from(offset) * 60_000_000 }
    }

    /// Local hour at `at`.
    pub fn local_hour(&self, at: Micros) -> u8 {
        ((at + self.utc_offset_us).div_euclid(HOUR).rem_euclid(24)) as u8
    }

    /// Mobilisation and driving time from `from` to `to` ending in `region`/`area`, leaving at
    /// `at`, scaled by `noise`; no mobilisation when `start` is `None` (already driving).
    #[allow(clippy::too_many_arguments)]
    pub fn drive(
        &self,
        region: &RegionCode,
        area: AreaType,
        at: Micros,
        from: LatLon,
        to: LatLon,
        start: Option<Start>,
        noise: f64,
    ) -> (Micros, Micros) {
        let trip = self.model.prepare(&TripQuery { region, area, local_hour: self.local_hour(at) });
        let mobilisation = start.map_or(0, |s| self.model.mobilisation(&trip, s));
        let distance = great_circle_m(from, to);
        let travel = self.model.travel_time(&trip, from, to, distance) as f64 * noise;
        (mobilisation, travel as Micros)
    }
}

/// The deadlines of the shipped response standard (`data/standards/kz-225-2020.json`), by
/// category 1..=4.
pub fn norms() -> [Micros; 4] {
    let standard = ResponseStandard::from_json(KZ_225_2020).expect("the shipped standard is valid");
    Category::ALL.map(|c| standard.primary_clock(c).threshold().unwrap_or(Micros::MAX / 4))
}
