//! What air tasking knows about the contracted fleet: aircraft with their performance and
//! equipment, the contracts that price and ready them, and the airfields, airstrips and
//! helipads they land at. The Dispatcher reads these from the Registry's records; airlines
//! are the registry's eligibility terms ([`crate::eligibility::Airline`]) as they are.

use crate::calendar::ClockTime;
use crate::eligibility;
use crate::geo::LatLon;
use crate::local_time::Micros;

/// Fixed or rotary wing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AircraftKind {
    /// Needs a runway.
    Plane,
    /// Lands on helipads, and on airfields like a plane with no runway need.
    Helicopter,
}

/// A runway surface an aircraft may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Surface {
    /// Concrete or asphalt.
    Paved,
    /// Grass, gravel or earth.
    Unpaved,
}

impl Surface {
    /// The data-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Paved => "paved",
            Surface::Unpaved => "unpaved",
        }
    }
}

/// The medical equipment of an aircraft, or the least a patient needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MedicalModule {
    /// No module: sitting patients, specialists, organs.
    None,
    /// Stretcher, oxygen, monitoring.
    Basic,
    /// Ventilator, infusion, full monitoring; serves basic needs too.
    IntensiveCare,
    /// A transport incubator for a newborn.
    Neonatal,
}

impl MedicalModule {
    /// The data-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MedicalModule::None => "none",
            MedicalModule::Basic => "basic",
            MedicalModule::IntensiveCare => "intensive_care",
            MedicalModule::Neonatal => "neonatal",
        }
    }

    /// Whether this installed module meets `need`: anything meets no need, an intensive-care
    /// module meets a basic one, and otherwise only the module itself.
    pub fn serves(self, need: MedicalModule) -> bool {
        match need {
            MedicalModule::None => true,
            MedicalModule::Basic => matches!(self, MedicalModule::Basic | MedicalModule::IntensiveCare),
            other => self == other,
        }
    }
}

/// What an aircraft is doing as far as the registry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AircraftStatus {
    /// Ready for tasking.
    Available,
    /// Flying another mission.
    OnMission,
    /// In maintenance.
    Maintenance,
}

/// One aircraft with what tasking needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Aircraft {
    /// State registration, e.g. `UP-MI801`.
    pub registration: String,
    /// Operating airline's code.
    pub airline_code: String,
    /// Plane or helicopter.
    pub kind: AircraftKind,
    /// Cruise speed, km/h (at least 1).
    pub cruise_speed_kmh: u32,
    /// Range without refuelling, km.
    pub range_km: u32,
    /// Shortest runway it takes off from and lands on, m (0 for helicopters).
    pub min_runway_m: u32,
    /// Runway surfaces it may use.
    pub surfaces: Vec<Surface>,
    /// Lands on helipads.
    pub helipad_capable: bool,
    /// May fly between sunset and sunrise.
    pub night_capable: bool,
    /// Pressurised cabin.
    pub pressurised: bool,
    /// Installed medical module.
    pub medical_module: MedicalModule,
    /// Stretcher places.
    pub stretchers: u32,
    /// Seats besides the crew.
    pub seats: u32,
    /// Available, on a mission, or in maintenance.
    pub status: AircraftStatus,
    /// Code of its home airfield, where it starts and returns.
    pub base_airfield_code: String,
}

impl Aircraft {
    /// The registry's eligibility terms of this aircraft.
    pub fn eligibility_terms(&self) -> eligibility::Aircraft {
        eligibility::Aircraft {
            registration: self.registration.clone(),
            in_maintenance: self.status == AircraftStatus::Maintenance,
        }
    }
}

/// A contract between NCCEM and an airline: the registry's eligibility terms, what it covers,
/// and what a mission under it costs and how soon the airline is ready.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// Number, period and state, as eligibility judges them.
    pub terms: eligibility::Contract,
    /// The contracted airline's code.
    pub airline_code: String,
    /// Registrations of the aircraft it covers.
    pub aircraft: Vec<String>,
    /// Price of a flight hour, whole tenge.
    pub tariff_kzt_per_hour: i64,
    /// From tasking to the aircraft ready to take off.
    pub readiness: Micros,
}

/// What an airfield is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AirfieldKind {
    /// An airport.
    Airport,
    /// A district airstrip.
    Airstrip,
    /// A helipad: helicopters only.
    Helipad,
}

/// When an airfield is open, in local wall-clock time. Equal times mean open round the clock;
/// a closing time before the opening time means open overnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpeningHours {
    /// Opens at.
    pub opens: ClockTime,
    /// Closes at.
    pub closes: ClockTime,
}

impl OpeningHours {
    /// Whether it is open at `minute` after local midnight.
    pub fn is_open(&self, minute: u16) -> bool {
        let (opens, closes) = (self.opens.minutes(), self.closes.minutes());
        match opens.cmp(&closes) {
            std::cmp::Ordering::Equal => true,
            std::cmp::Ordering::Less => (opens..closes).contains(&minute),
            std::cmp::Ordering::Greater => minute >= opens || minute < closes,
        }
    }

    /// Whether it never closes.
    pub fn round_the_clock(&self) -> bool {
        self.opens == self.closes
    }
}

/// An airport, airstrip or helipad.
#[derive(Debug, Clone, PartialEq)]
pub struct Airfield {
    /// ICAO or local code, e.g. `UAKD`, `KZ-ULTU`, `KZ-H014`.
    pub code: String,
    /// Name, e.g. "Zhezkazgan Airport".
    pub name: String,
    /// Airport, airstrip or helipad.
    pub kind: AirfieldKind,
    /// Where it is.
    pub position: LatLon,
    /// Main runway length, m (0 for helipads).
    pub runway_length_m: u32,
    /// Main runway surface; `None` for helipads.
    pub surface: Option<Surface>,
    /// Lit for operations between sunset and sunrise.
    pub night_lighting: bool,
    /// Opening hours, local time.
    pub hours: OpeningHours,
}

/// Everything air tasking chooses from. Aircraft find their airline, contracts and base by
/// code and registration.
#[derive(Debug, Clone, Copy)]
pub struct Fleet<'a> {
    /// Every aircraft known, contracted or not.
    pub aircraft: &'a [Aircraft],
    /// Their airlines.
    pub airlines: &'a [eligibility::Airline],
    /// Every contract, in force or not.
    pub contracts: &'a [Contract],
    /// Every airfield, airstrip and helipad.
    pub airfields: &'a [Airfield],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(opens: &str, closes: &str) -> OpeningHours {
        OpeningHours { opens: ClockTime::parse(opens).unwrap(), closes: ClockTime::parse(closes).unwrap() }
    }

    #[test]
    fn opening_hours_by_day_overnight_and_round_the_clock() {
        let day = hours("07:00", "22:00");
        assert!(!day.is_open(6 * 60 + 59) && day.is_open(7 * 60) && day.is_open(21 * 60 + 59) && !day.is_open(22 * 60));
        let night = hours("20:00", "06:00");
        assert!(night.is_open(23 * 60) && night.is_open(5 * 60) && !night.is_open(12 * 60));
        let always = hours("00:00", "00:00");
        assert!(always.round_the_clock() && (0..1440).all(|m| always.is_open(m)));
    }

    #[test]
    fn intensive_care_serves_basic_needs_and_neonatal_only_itself() {
        use MedicalModule::*;
        assert!(IntensiveCare.serves(Basic) && Basic.serves(Basic) && None.serves(None) && Neonatal.serves(None));
        assert!(!Basic.serves(IntensiveCare) && !Neonatal.serves(Basic) && !IntensiveCare.serves(Neonatal));
        assert!(Neonatal.serves(Neonatal));
    }
}
