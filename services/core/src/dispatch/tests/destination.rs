//! Destination hospitals by profile, then travel time.

use super::fixtures::*;
use crate::category::HospitalProfile;
use crate::dispatch::*;

fn hospital(id: &str, km: f64, profiles: &[HospitalProfile], trauma: u8, perinatal: u8) -> Hospital {
    Hospital {
        id: HospitalId::parse(id).unwrap(),
        name: format!("Hospital {id}"),
        region: region("KZ-71"),
        position: north_of(astana(), km),
        profiles: profiles.to_vec(),
        trauma_level: trauma,
        perinatal_level: perinatal,
    }
}

fn choose(engine: &Engine, condition: Condition) -> Vec<(String, ProfileFit)> {
    engine
        .choose_destination(T0, astana(), &region("KZ-71"), AreaType::City, &condition.needs(), 5)
        .into_iter()
        .map(|o| (o.hospital.id.to_string(), o.fit))
        .collect()
}

#[test]
fn the_nearest_suitable_hospital_comes_first() {
    use HospitalProfile::*;
    let mut engine = engine();
    engine.set_hospitals(
        T0,
        vec![
            hospital("general", 1.0, &[], 0, 0),
            hospital("stroke", 8.0, &[Stroke], 0, 0),
            hospital("pci-far", 20.0, &[Pci, Stroke], 0, 0),
            hospital("pci-near", 12.0, &[Pci], 0, 0),
            hospital("trauma-3", 2.0, &[Trauma], 3, 0),
            hospital("trauma-1", 15.0, &[Trauma], 1, 0),
            hospital("perinatal-1", 3.0, &[Perinatal], 0, 1),
            hospital("perinatal-3", 9.0, &[Perinatal], 0, 3),
            hospital("children", 6.0, &[Paediatric], 0, 0),
        ],
        &mut Vec::new(),
    );
    assert_eq!(
        choose(&engine, Condition::Stroke)[..2],
        [("stroke".into(), ProfileFit::Full), ("pci-far".into(), ProfileFit::Full)]
    );
    assert_eq!(choose(&engine, Condition::Stemi)[0], ("pci-near".into(), ProfileFit::Full));
    let trauma = choose(&engine, Condition::MajorTrauma);
    assert_eq!(trauma[..2], [("trauma-1".into(), ProfileFit::Full), ("trauma-3".into(), ProfileFit::Partial)]);
    assert_eq!(trauma[2], ("general".into(), ProfileFit::None), "then the nearest general hospitals");
    assert_eq!(
        choose(&engine, Condition::Obstetric)[..2],
        [("perinatal-3".into(), ProfileFit::Full), ("perinatal-1".into(), ProfileFit::Partial)]
    );
    assert_eq!(choose(&engine, Condition::Child)[0], ("children".into(), ProfileFit::Full));
    let options =
        engine.choose_destination(T0, astana(), &region("KZ-71"), AreaType::City, &Condition::Stemi.needs(), 1);
    assert_eq!(options.len(), 1);
    assert!(
        options[0].reason.starts_with("PCI centre, ") && options[0].reason.ends_with(" min"),
        "{}",
        options[0].reason
    );
    assert!(options[0].travel_time > 0 && options[0].distance_m > 11_000.0);
    assert_eq!(options[0].matched, vec![Pci]);
}
