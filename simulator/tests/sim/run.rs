//! `run`: the same seed gives the same report (on one thread or split by region over several),
//! and the four policies run side by side over the same calls with sane figures.

use jedel_sim::run::{Policy, RunOptions, run};

use crate::support::small_scenario;

#[test]
fn the_same_seed_gives_the_same_report() {
    let (scenario, reference) = small_scenario();
    let options = RunOptions { seed: 7, policies: vec![Policy::Eta], threads: 1 };
    let first = run(&scenario, &reference, &options).unwrap().report;
    let second = run(&scenario, &reference, &options).unwrap().report;
    assert!(first.simulated_calls > 100, "{}", first.simulated_calls);
    assert_eq!(first.json(), second.json());
    assert_eq!(first.csv(), second.csv());
    let other = run(&scenario, &reference, &RunOptions { seed: 8, ..options.clone() }).unwrap().report;
    assert_ne!(first.json(), other.json(), "another seed draws other calls");
    // Split by region across threads, a local policy adds up to the same report.
    let split = run(&scenario, &reference, &RunOptions { threads: 3, ..options }).unwrap().report;
    assert_eq!(first.json(), split.json());
}

#[test]
fn the_policies_compare_side_by_side() {
    let (scenario, reference) = small_scenario();
    let options = RunOptions { seed: 11, policies: Policy::ALL.to_vec(), threads: 2 };
    let report = run(&scenario, &reference, &options).unwrap().report;
    assert_eq!(report.policies.len(), 4);
    let nation: Vec<_> = report.policies.iter().map(|p| p.row("KZ", None).unwrap().clone()).collect();
    for (policy, row) in report.policies.iter().zip(&nation) {
        assert_eq!(row.calls, nation[0].calls, "every policy sees the same calls");
        let share = row.within_norm.unwrap();
        assert!((0.0..=1.0).contains(&share), "{}: {share}", policy.policy);
        let mean = row.mean_arrival_min.unwrap();
        assert!(mean > 1.0 && mean < 240.0, "{}: mean {mean}", policy.policy);
        assert!(row.p90_arrival_min.unwrap() >= row.mean_arrival_min.unwrap() * 0.8);
        let utilisation = row.utilisation.unwrap();
        assert!(utilisation > 0.0 && utilisation < 1.0, "{}: utilisation {utilisation}", policy.policy);
        assert_eq!(policy.rows.len(), 21 * 5, "the nation and 20 regions, 4 categories and all");
    }
    let (straight, eta) = (&nation[0], &nation[1]);
    assert_ne!(straight, eta, "ranking by ETA decides differently from straight-line distance");
    assert!(
        eta.mean_arrival_min.unwrap() <= straight.mean_arrival_min.unwrap() * 1.05,
        "ETA ranking is not slower than straight-line: {eta:?} vs {straight:?}"
    );
    let calibration = report.calibration.as_ref().unwrap();
    assert_eq!(calibration.policy, "eta");
    assert!(calibration.rows.iter().all(|r| r.simulated_min.is_some()));
    assert!(report.table(true).contains("KZ-71"));
}
