//! Why an aircraft is not offered for a mission: one [`ExclusionReason`] (the first failing
//! check, in the order the API lists them) and a detail for people.

use crate::eligibility::ReasonKind;

/// Why an aircraft is not offered, in the order checks are made: when several apply, the
/// first is given. Numbers match `jedel.dispatch.v1.ExclusionReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExclusionReason {
    /// The airline is suspended.
    AirlineSuspended = 1,
    /// The airline's medical-aviation certificate is missing, not yet valid or expired.
    CertificateNotInForce = 2,
    /// No contract covering the aircraft is in force.
    ContractNotInForce = 3,
    /// In maintenance.
    Maintenance = 4,
    /// Flying another mission.
    OnMission = 5,
    /// Its medical module does not meet the need (incubator included).
    NoMedicalModule = 6,
    /// The patient needs a pressurised cabin and it has none.
    NotPressurised = 7,
    /// Too few stretcher places or seats.
    InsufficientCapacity = 8,
    /// A leg is longer than its range less the reserve.
    OutOfRange = 9,
    /// No runway near an end is long enough.
    RunwayTooShort = 10,
    /// Every long-enough runway near an end has a surface it may not use.
    UnsuitableSurface = 11,
    /// A helicopter has no helipad or airfield near an end.
    NoHelipad = 12,
    /// A take-off or landing falls at night and the aircraft or the airfield may not operate then.
    NightRule = 13,
    /// An airfield is closed at a planned take-off or landing.
    AirfieldClosed = 14,
}

impl ExclusionReason {
    /// The API's enum number.
    pub fn number(self) -> i32 {
        self as i32
    }

    /// The reason a registry eligibility finding gives.
    pub fn from_eligibility(kind: ReasonKind) -> ExclusionReason {
        match kind {
            ReasonKind::AirlineSuspended => ExclusionReason::AirlineSuspended,
            ReasonKind::CertificateMissing | ReasonKind::CertificateNotYetValid | ReasonKind::CertificateExpired => {
                ExclusionReason::CertificateNotInForce
            }
            ReasonKind::NoContract
            | ReasonKind::ContractNotStarted
            | ReasonKind::ContractExpired
            | ReasonKind::ContractSuspended
            | ReasonKind::ContractTerminated => ExclusionReason::ContractNotInForce,
            ReasonKind::AircraftInMaintenance => ExclusionReason::Maintenance,
        }
    }
}

/// An aircraft's exclusion: the reason and what exactly failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The first failing check.
    pub reason: ExclusionReason,
    /// For people, lower case, e.g. "contract 17/2026 expired 2026-10-01".
    pub detail: String,
}

impl Exclusion {
    /// An exclusion for `reason`.
    pub fn new(reason: ExclusionReason, detail: impl Into<String>) -> Exclusion {
        Exclusion { reason, detail: detail.into() }
    }
}
