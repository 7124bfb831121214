//! Brigades and hospitals between their messages and the registry's types.

use jedel_api::common::v1::LatLon;
use jedel_api::registry::v1 as pb;
use jedel_core::{HospitalProfile, TeamKind};
use jedel_platform::time::to_timestamp;

use super::{Resource, enum_list};
use crate::domain::{
    BrigadeCapability, BrigadeFields, BrigadeInput, HospitalFields, HospitalInput, Problems, Reference, ShiftPattern,
    VehicleType, brigade_references, hospital_profile, hospital_references, team_kind,
};
use crate::store::{BrigadeRow, HospitalRow};

/// A team kind from its API number.
pub(crate) fn team_kind_from_proto(value: i32) -> Result<TeamKind, String> {
    match value {
        0 => Err("is required".into()),
        v => TeamKind::from_number(v).ok_or_else(|| format!("{v} is not a team kind")),
    }
}

/// A hospital profile from its API number.
pub(crate) fn hospital_profile_from_proto(value: i32) -> Result<HospitalProfile, String> {
    match value {
        0 => Err("is required".into()),
        v => HospitalProfile::from_number(v).ok_or_else(|| format!("{v} is not a hospital profile")),
    }
}

impl Resource for BrigadeRow {
    type Message = pb::Brigade;

    fn check(
        message: &pb::Brigade,
        problems: &mut Problems,
    ) -> (Option<BrigadeFields>, Vec<(&'static str, Reference)>) {
        let input = BrigadeInput {
            call_sign: &message.call_sign,
            kind: team_kind_from_proto(message.kind),
            capabilities: enum_list(&message.capabilities, BrigadeCapability::from_number),
            station_code: &message.station_code,
            vehicle_plate: &message.vehicle_plate,
            vehicle_type: VehicleType::from_number(message.vehicle_type),
            shift_pattern: ShiftPattern::from_number(message.shift_pattern),
            in_service: Some(message.in_service),
        };
        (BrigadeFields::parse(&input, problems), brigade_references(&input))
    }

    fn to_proto(self) -> pb::Brigade {
        pb::Brigade {
            kind: team_kind(&self.kind).map_or(0, TeamKind::number),
            capabilities: self
                .capabilities
                .iter()
                .filter_map(|c| BrigadeCapability::parse(c).ok())
                .map(|c| c.number())
                .collect(),
            vehicle_type: VehicleType::parse(&self.vehicle_type).map_or(0, VehicleType::number),
            shift_pattern: ShiftPattern::parse(&self.shift_pattern).map_or(0, ShiftPattern::number),
            id: self.id,
            call_sign: self.call_sign,
            station_code: self.station_code,
            region_code: self.region_code,
            vehicle_plate: self.vehicle_plate,
            in_service: self.in_service,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}

impl Resource for HospitalRow {
    type Message = pb::Hospital;

    fn check(
        message: &pb::Hospital,
        problems: &mut Problems,
    ) -> (Option<HospitalFields>, Vec<(&'static str, Reference)>) {
        let input = HospitalInput {
            code: &message.code,
            name: &message.name,
            region_code: &message.region_code,
            lat: message.position.map(|p| p.lat),
            lon: message.position.map(|p| p.lon),
            profiles: enum_list(&message.profiles, hospital_profile_from_proto),
            trauma_level: Some(message.trauma_level.into()),
            perinatal_level: Some(message.perinatal_level.into()),
            beds: Some(message.beds.into()),
            helipad: Some(message.helipad),
            nearest_airfield_code: &message.nearest_airfield_code,
        };
        (HospitalFields::parse(&input, problems), hospital_references(&input))
    }

    fn to_proto(self) -> pb::Hospital {
        pb::Hospital {
            profiles: self
                .profiles
                .iter()
                .filter_map(|p| hospital_profile(p).ok())
                .map(HospitalProfile::number)
                .collect(),
            id: self.id,
            code: self.code,
            name: self.name,
            region_code: self.region_code,
            position: Some(LatLon { lat: self.lat, lon: self.lon }),
            trauma_level: self.trauma_level as i32,
            perinatal_level: self.perinatal_level as i32,
            beds: self.beds as i32,
            helipad: self.helipad,
            nearest_airfield_code: self.nearest_airfield_code,
            created_at: Some(to_timestamp(self.created_at)),
            updated_at: Some(to_timestamp(self.updated_at)),
            version: self.version,
        }
    }
}
