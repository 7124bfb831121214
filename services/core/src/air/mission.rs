//! A medevac mission as air tasking is asked it: what is carried, from where to where, what
//! the aircraft must provide, how urgent it is, and from when.

use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

use super::fleet::MedicalModule;

/// What the mission carries; decides where the patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissionKind {
    /// The patient is flown from the origin to the destination.
    PatientTransport,
    /// A specialist is flown to the patient at the destination.
    SpecialistDelivery,
    /// A surgical team is flown to operate on the patient at the destination.
    OnSiteSurgery,
    /// An organ or biomaterial is flown to the recipient at the destination.
    OrganTransport,
}

impl MissionKind {
    /// True when the patient waits at the origin; otherwise the patient is at the destination.
    pub fn patient_at_origin(self) -> bool {
        self == MissionKind::PatientTransport
    }
}

/// How soon the mission is needed; decides the ranking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Urgency {
    /// Life at stake now: by time to patient, then cost.
    Emergency,
    /// Needed within hours: by time to destination, then cost.
    Urgent,
    /// A scheduled transfer: by cost, then time to destination.
    Planned,
}

/// What the aircraft must provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Needs {
    /// The least module needed: none, basic or intensive care.
    pub module: Option<MedicalModule>,
    /// Travels lying down: needs a stretcher place.
    pub stretcher: bool,
    /// Must fly in a pressurised cabin.
    pub pressurised: bool,
    /// A newborn in a transport incubator: needs the neonatal module and a stretcher place.
    pub incubator: bool,
    /// Seats besides the aircraft's medical crew.
    pub seats: u32,
}

impl Needs {
    /// The module the aircraft must carry.
    pub fn module(&self) -> MedicalModule {
        if self.incubator { MedicalModule::Neonatal } else { self.module.unwrap_or(MedicalModule::None) }
    }

    /// Stretcher places needed.
    pub fn stretchers(&self) -> u32 {
        u32::from(self.stretcher || self.incubator)
    }
}

/// Where a mission starts or ends: a hospital, an airfield or a bare position.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// For people, e.g. "Ulytau Central District Hospital".
    pub name: String,
    /// Where it is.
    pub position: LatLon,
    /// The region it lies in, whose road parameters time the ground legs that start there.
    pub region: RegionCode,
}

/// One mission to rank aircraft for.
#[derive(Debug, Clone, PartialEq)]
pub struct Mission {
    /// What is carried.
    pub kind: MissionKind,
    /// Where the flight picks up.
    pub origin: Place,
    /// Where it delivers.
    pub destination: Place,
    /// What the aircraft must provide.
    pub needs: Needs,
    /// The ranking key.
    pub urgency: Urgency,
    /// When the mission can start, µs since the epoch: eligibility is judged at this moment
    /// and every leg is timed from it.
    pub start_at: Micros,
}
