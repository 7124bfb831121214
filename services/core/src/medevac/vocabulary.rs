//! The words medevac requests are written in. Each value has one snake_case spelling (storage,
//! events, `jedel ctl`) and one number (the API enum's), as the rest of the core vocabulary.

use crate::category::named_enum;

named_enum! {
    /// What a medevac flight is for.
    MissionType {
        /// Fly a patient to a facility that can treat them.
        PatientTransport = 1, "patient_transport";
        /// Fly a specialist or team to a patient for consultation.
        SpecialistDelivery = 2, "specialist_delivery";
        /// Fly a surgical team to operate where the patient is.
        OnSiteSurgery = 3, "on_site_surgery";
        /// Fly an organ or biological material for transplant or testing.
        OrganTransport = 4, "organ_transport";
    }
}

named_enum! {
    /// How soon a flight must happen; emergencies rank options by time, planned flights by cost.
    Urgency {
        /// Immediate threat to life.
        Emergency = 1, "emergency";
        /// Within hours, no immediate threat.
        Urgent = 2, "urgent";
        /// Scheduled.
        Planned = 3, "planned";
    }
}

named_enum! {
    /// Overall severity of a patient's condition, on the clinical scale used in Kazakhstan.
    Severity {
        /// Satisfactory.
        Satisfactory = 1, "satisfactory";
        /// Moderate.
        Moderate = 2, "moderate";
        /// Severe.
        Severe = 3, "severe";
        /// Extremely severe.
        ExtremelySevere = 4, "extremely_severe";
        /// Terminal.
        Terminal = 5, "terminal";
    }
}

named_enum! {
    /// Equipment a patient needs on board.
    PatientNeed {
        /// Intensive-care medical module.
        IntensiveCareModule = 1, "intensive_care_module";
        /// Neonatal incubator.
        Incubator = 2, "incubator";
        /// Stretcher.
        Stretcher = 3, "stretcher";
        /// Oxygen supply.
        Oxygen = 4, "oxygen";
    }
}

named_enum! {
    /// Where one aircraft's tasking for a request stands.
    TaskingStatus {
        /// Chosen by the national centre; not yet offered, so the airline does not see it.
        Chosen = 1, "chosen";
        /// Offered to the airline, waiting for its answer.
        Offered = 2, "offered";
        /// Accepted; the flight is being prepared or flown.
        Accepted = 3, "accepted";
        /// Declined by the airline.
        Declined = 4, "declined";
        /// Taken back by the national centre.
        Withdrawn = 5, "withdrawn";
        /// Flown and the request completed.
        Completed = 6, "completed";
    }
}

impl TaskingStatus {
    /// Whether the tasking still binds its aircraft (chosen, offered or accepted).
    pub fn is_open(self) -> bool {
        matches!(self, TaskingStatus::Chosen | TaskingStatus::Offered | TaskingStatus::Accepted)
    }
}

named_enum! {
    /// A flight milestone. Declared in flight order, so `Ord` compares progress.
    Milestone {
        /// Took off from base (positioning flight).
        Departed = 1, "departed";
        /// At the pick-up airfield or site.
        AtOrigin = 2, "at_origin";
        /// Patient (or team, or cargo) on board.
        PatientOnBoard = 3, "patient_on_board";
        /// Landed at the destination airfield or site.
        Landed = 4, "landed";
        /// Handed over to the receiving facility.
        HandedOver = 5, "handed_over";
    }
}

impl Milestone {
    /// The milestones in flight order.
    pub const ORDER: [Milestone; 5] =
        [Milestone::Departed, Milestone::AtOrigin, Milestone::PatientOnBoard, Milestone::Landed, Milestone::HandedOver];

    /// The milestone after this one, `None` after hand-over.
    pub fn next(self) -> Option<Milestone> {
        Milestone::ORDER.iter().copied().skip_while(|m| *m != self).nth(1)
    }

    /// Whether reaching this milestone puts the aircraft in the air (until the next one).
    pub fn starts_airborne_leg(self) -> bool {
        matches!(self, Milestone::Departed | Milestone::PatientOnBoard)
    }
}

named_enum! {
    /// A crew member's role on board.
    CrewRole {
        /// Pilot in command.
        PilotInCommand = 1, "pilot_in_command";
        /// Co-pilot.
        CoPilot = 2, "co_pilot";
        /// Flight engineer (helicopters).
        FlightEngineer = 3, "flight_engineer";
        /// Physician of the medical team.
        Physician = 4, "physician";
        /// Feldsher (paramedic) or nurse of the medical team.
        Paramedic = 5, "paramedic";
    }
}

named_enum! {
    /// What a document attached to a request is.
    DocumentKind {
        /// Extract from the medical record.
        MedicalRecordExtract = 1, "medical_record_extract";
        /// Laboratory test results.
        TestResults = 2, "test_results";
        /// Imaging report (X-ray, CT, MRI, ultrasound).
        ImagingReport = 3, "imaging_report";
        /// Consent (patient's or receiving facility's).
        Consent = 4, "consent";
        /// Anything else.
        Other = 5, "other";
    }
}

named_enum! {
    /// A side of the message thread about a request.
    Party {
        /// The national medevac dispatch centre.
        NationalCentre = 1, "national_centre";
        /// The airline.
        Airline = 2, "airline";
    }
}

named_enum! {
    /// Where a position report came from.
    PositionSource {
        /// An on-board tracker.
        Tracker = 1, "tracker";
        /// Entered or sent by the crew.
        Crew = 2, "crew";
    }
}

named_enum! {
    /// The medical module an aircraft carries, as the registry spells it.
    MedicalModule {
        /// None.
        None = 1, "none";
        /// Stretcher, oxygen, monitoring.
        Basic = 2, "basic";
        /// Ventilator, infusion, full monitoring.
        IntensiveCare = 3, "intensive_care";
        /// Transport incubator.
        Neonatal = 4, "neonatal";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_follow_flight_order() {
        assert_eq!(Milestone::Departed.next(), Some(Milestone::AtOrigin));
        assert_eq!(Milestone::Landed.next(), Some(Milestone::HandedOver));
        assert_eq!(Milestone::HandedOver.next(), None);
        assert!(Milestone::Departed < Milestone::HandedOver);
        let airborne: Vec<_> = Milestone::ORDER.iter().filter(|m| m.starts_airborne_leg()).collect();
        assert_eq!(airborne, [&Milestone::Departed, &Milestone::PatientOnBoard]);
    }

    #[test]
    fn numbers_and_spellings_match_the_api() {
        assert_eq!(MissionType::OrganTransport.number(), 4);
        assert_eq!(TaskingStatus::from_number(5), Some(TaskingStatus::Withdrawn));
        assert_eq!(MedicalModule::parse("intensive_care"), Some(MedicalModule::IntensiveCare));
        assert_eq!(DocumentKind::Consent.as_str(), "consent");
        assert!(TaskingStatus::Offered.is_open() && !TaskingStatus::Declined.is_open());
    }
}
