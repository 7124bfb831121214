//! Brigades: a ground crew with its vehicle, based at a station. The team kinds are the
//! shared vocabulary of [`jedel_core::TeamKind`], so intake, dispatch and the registry agree.

use jedel_core::TeamKind;

use super::{Problems, Reference, StationCode, distinct, flag, hyphen_code, optional_text, word_enum};

/// Longest vehicle plate.
const MAX_PLATE_CHARS: usize = 20;

hyphen_code!(
    /// A brigade's radio call sign, conventionally `<station code>-<NN>` (`AST-01-07`).
    CallSign,
    "a call sign",
    "AST-01-07"
);

word_enum!(
    /// Equipment or skill a brigade brings beyond its kind.
    BrigadeCapability, "a brigade capability" {
        /// Carries a defibrillator.
        Defibrillator = 1, "defibrillator";
        /// Carries a transport ventilator.
        Ventilator = 2, "ventilator";
        /// Equipped for newborns.
        Neonatal = 3, "neonatal";
        /// Can transmit an ECG.
        EcgTransmission = 4, "ecg_transmission";
        /// Can carry bariatric patients.
        Bariatric = 5, "bariatric";
    }
);

word_enum!(
    /// Ambulance class of the brigade's vehicle.
    VehicleType, "a vehicle type" {
        /// Class A: patient transport.
        ClassA = 1, "class_a";
        /// Class B: emergency ambulance.
        ClassB = 2, "class_b";
        /// Class C: mobile intensive care unit.
        ClassC = 3, "class_c";
        /// A passenger car (PHC mobile teams).
        Car = 4, "car";
    }
);

word_enum!(
    /// When a brigade is on duty, local time of its region.
    ShiftPattern, "a shift pattern" {
        /// Around the clock.
        Around24h = 1, "24h";
        /// Every day 08:00–20:00.
        Day0820 = 2, "day_08_20";
        /// Every night 20:00–08:00.
        Night2008 = 3, "night_20_08";
        /// Monday to Friday 08:00–20:00.
        Weekday0820 = 4, "weekday_08_20";
    }
);

/// A team kind from its data-file spelling.
pub fn team_kind(text: &str) -> Result<TeamKind, String> {
    TeamKind::parse(text).ok_or_else(|| {
        let names: Vec<_> = TeamKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{text:?} is not a team kind: expected one of {}", names.join(", "))
    })
}

/// A brigade's writable fields as they arrive, not yet checked. Enum values come decoded,
/// since each edge spells them its own way.
#[derive(Debug, Clone)]
pub struct BrigadeInput<'a> {
    /// Call sign.
    pub call_sign: &'a str,
    /// Team kind, or why it could not be read.
    pub kind: Result<TeamKind, String>,
    /// Capabilities, or why they could not be read.
    pub capabilities: Result<Vec<BrigadeCapability>, String>,
    /// Home station's code.
    pub station_code: &'a str,
    /// Licence plate of the vehicle.
    pub vehicle_plate: &'a str,
    /// Vehicle class, or why it could not be read.
    pub vehicle_type: Result<VehicleType, String>,
    /// Shift pattern, or why it could not be read.
    pub shift_pattern: Result<ShiftPattern, String>,
    /// In service, if given.
    pub in_service: Option<bool>,
}

/// A brigade's writable fields, checked (except that its station exists).
#[derive(Debug, Clone, PartialEq)]
pub struct BrigadeFields {
    /// Call sign; the brigade's code.
    pub call_sign: CallSign,
    /// Team kind.
    pub kind: TeamKind,
    /// Capabilities, without repeats.
    pub capabilities: Vec<BrigadeCapability>,
    /// Home station.
    pub station_code: StationCode,
    /// Licence plate.
    pub vehicle_plate: String,
    /// Vehicle class.
    pub vehicle_type: VehicleType,
    /// Shift pattern.
    pub shift_pattern: ShiftPattern,
    /// False while withdrawn.
    pub in_service: bool,
}

impl BrigadeFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &BrigadeInput<'_>, problems: &mut Problems) -> Option<BrigadeFields> {
        let call_sign = problems.check("call_sign", CallSign::parse(input.call_sign));
        let kind = problems.check("kind", input.kind.clone());
        let capabilities = problems.check("capabilities", distinct(input.capabilities.clone()));
        let station_code = problems.check("station_code", StationCode::parse(input.station_code));
        let vehicle_plate = match optional_text(input.vehicle_plate, MAX_PLATE_CHARS) {
            Ok(plate) if plate.is_empty() => problems.check("vehicle_plate", Err("is required")),
            plate => problems.check("vehicle_plate", plate),
        };
        let vehicle_type = problems.check("vehicle_type", input.vehicle_type.clone());
        let shift_pattern = problems.check("shift_pattern", input.shift_pattern.clone());
        let in_service = problems.check("in_service", flag(input.in_service));
        Some(BrigadeFields {
            call_sign: call_sign?,
            kind: kind?,
            capabilities: capabilities?,
            station_code: station_code?,
            vehicle_plate: vehicle_plate?,
            vehicle_type: vehicle_type?,
            shift_pattern: shift_pattern?,
            in_service: in_service?,
        })
    }
}

/// What a brigade references: its station.
pub fn brigade_references(input: &BrigadeInput<'_>) -> Vec<(&'static str, Reference)> {
    match StationCode::parse(input.station_code) {
        Ok(code) => vec![("station_code", Reference::Station(code.to_string()))],
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good<'a>() -> BrigadeInput<'a> {
        BrigadeInput {
            call_sign: "AST-01-07",
            kind: Ok(TeamKind::Feldsher),
            capabilities: Ok(vec![BrigadeCapability::Defibrillator, BrigadeCapability::EcgTransmission]),
            station_code: "AST-01",
            vehicle_plate: "469XMY01",
            vehicle_type: Ok(VehicleType::ClassB),
            shift_pattern: Ok(ShiftPattern::Around24h),
            in_service: Some(true),
        }
    }

    #[test]
    fn a_good_brigade_parses_and_references_its_station() {
        let mut problems = Problems::new();
        let fields = BrigadeFields::parse(&good(), &mut problems).unwrap();
        assert_eq!((fields.call_sign.as_str(), fields.capabilities.len()), ("AST-01-07", 2));
        assert_eq!(brigade_references(&good()), [("station_code", Reference::Station("AST-01".into()))]);
    }

    #[test]
    fn every_bad_brigade_field_is_reported() {
        let input = BrigadeInput {
            call_sign: "ast 1",
            kind: Err("is required".into()),
            capabilities: Ok(vec![BrigadeCapability::Ventilator, BrigadeCapability::Ventilator]),
            station_code: "",
            vehicle_plate: " ",
            in_service: None,
            ..good()
        };
        let mut problems = Problems::new();
        assert!(BrigadeFields::parse(&input, &mut problems).is_none());
        let problems = problems.into_vec();
        let columns: Vec<_> = problems.iter().map(|(c, _)| *c).collect();
        assert_eq!(columns, ["call_sign", "kind", "capabilities", "station_code", "vehicle_plate", "in_service"]);
        assert_eq!(problems[2].1, "ventilator is listed twice");
        assert!(brigade_references(&input).is_empty());
    }

    #[test]
    fn spellings_round_trip() {
        for pattern in ShiftPattern::ALL {
            assert_eq!(ShiftPattern::parse(pattern.as_str()), Ok(*pattern));
            assert_eq!(ShiftPattern::from_number(pattern.number()), Ok(*pattern));
        }
        assert_eq!(ShiftPattern::from_number(0), Err("is required".into()));
        assert_eq!(VehicleType::from_number(9), Err("9 is not a vehicle type".into()));
        assert!(team_kind("surgeon").unwrap_err().contains("phc_mobile"));
        assert_eq!(team_kind("phc_mobile"), Ok(TeamKind::PhcMobile));
    }
}
