//! What one simulated policy counts while it runs, per region and category: calls, calls
//! reached, within the norm, arrival times (an HDR histogram, for the 90th percentile), calls
//! that had to wait for a unit and how long; per region the units' busy and on-duty time, and
//! medevac requests, and the longest queue of each region. Sums are kept in whole microseconds
//! so that counts of disjoint sets of regions add up exactly ([`Collector::add`]), whatever the
//! split. [`Collector::finish`] turns them into the report's rows.

use hdrhistogram::Histogram;
use jedel_core::category::Category;
use jedel_core::local_time::Micros;

use crate::reference::Reference;
use crate::report::{PolicyReport, Row};

const SECOND: f64 = 1e6;

/// Counts for one region and category.
#[derive(Debug, Clone)]
struct Cell {
    calls: u64,
    reached: u64,
    within_norm: u64,
    arrival_sum_us: i64,
    arrivals: Histogram<u64>,
    waited: u64,
    wait_sum_us: i64,
}

impl Cell {
    fn new() -> Cell {
        Cell {
            calls: 0,
            reached: 0,
            within_norm: 0,
            arrival_sum_us: 0,
            arrivals: Histogram::new_with_bounds(1, 7 * 86_400, 3).expect("valid histogram bounds"),
            waited: 0,
            wait_sum_us: 0,
        }
    }

    fn add(&mut self, other: &Cell) {
        self.calls += other.calls;
        self.reached += other.reached;
        self.within_norm += other.within_norm;
        self.arrival_sum_us += other.arrival_sum_us;
        self.arrivals.add(&other.arrivals).expect("histograms of one shape");
        self.waited += other.waited;
        self.wait_sum_us += other.wait_sum_us;
    }
}

/// The running counts of one policy.
#[derive(Debug, Clone)]
pub struct Collector {
    categories: usize,
    cells: Vec<Cell>,
    busy_us: Vec<i64>,
    duty_us: Vec<i64>,
    medevac: Vec<u64>,
    max_queue: Vec<usize>,
}

impl Collector {
    /// Empty counts for `regions` regions.
    pub fn new(regions: usize) -> Collector {
        let categories = Category::ALL.len();
        Collector {
            categories,
            cells: vec![Cell::new(); regions * categories],
            busy_us: vec![0; regions],
            duty_us: vec![0; regions],
            medevac: vec![0; regions],
            max_queue: vec![0; regions],
        }
    }

    fn cell(&mut self, region: usize, category: Category) -> &mut Cell {
        &mut self.cells[region * self.categories + usize::from(category.number() - 1)]
    }

    /// A reported call was received.
    pub fn call(&mut self, region: usize, category: Category) {
        self.cell(region, category).calls += 1;
    }

    /// A reported call got its first unit `wait` after reaching dispatch, when it had to wait.
    pub fn waited(&mut self, region: usize, category: Category, wait: Micros) {
        let cell = self.cell(region, category);
        cell.waited += 1;
        cell.wait_sum_us += wait;
    }

    /// A reported call's first crew arrived `arrival` after the call was received.
    pub fn reached(&mut self, region: usize, category: Category, arrival: Micros, norm: Micros) {
        let cell = self.cell(region, category);
        cell.reached += 1;
        cell.within_norm += u64::from(arrival <= norm);
        cell.arrival_sum_us += arrival;
        cell.arrivals.saturating_record(((arrival as f64 / SECOND).round() as u64).max(1));
    }

    /// A unit of `region` was busy (or on duty) for `us` microseconds of the reported period.
    pub fn unit_time(&mut self, region: usize, busy_us: i64, duty_us: i64) {
        self.busy_us[region] += busy_us;
        self.duty_us[region] += duty_us;
    }

    /// A medevac request was filed in `region`.
    pub fn medevac(&mut self, region: usize) {
        self.medevac[region] += 1;
    }

    /// `len` calls of `region` were waiting for their first unit.
    pub fn queue_length(&mut self, region: usize, len: usize) {
        self.max_queue[region] = self.max_queue[region].max(len);
    }

    /// Adds the counts of another run over other regions of the same scenario.
    pub fn add(&mut self, other: &Collector) {
        for (cell, o) in self.cells.iter_mut().zip(&other.cells) {
            cell.add(o);
        }
        let pairs = [(&mut self.busy_us, &other.busy_us), (&mut self.duty_us, &other.duty_us)];
        for (mine, theirs) in pairs {
            mine.iter_mut().zip(theirs).for_each(|(m, t)| *m += t);
        }
        self.medevac.iter_mut().zip(&other.medevac).for_each(|(m, t)| *m += t);
        self.max_queue.iter_mut().zip(&other.max_queue).for_each(|(m, t)| *m = (*m).max(*t));
    }

    /// Calls counted so far.
    pub fn calls(&self) -> u64 {
        self.cells.iter().map(|c| c.calls).sum()
    }

    /// The report rows: the nation, then each region; in each, categories 1–4 then all.
    pub fn finish(&self, reference: &Reference, policy: &str) -> PolicyReport {
        let regions = reference.regions.len();
        let mut rows = Vec::new();
        let scopes = std::iter::once(None).chain((0..regions).map(Some));
        for scope in scopes {
            let in_scope = |r: usize| scope.is_none_or(|s| s == r);
            let mut all = Cell::new();
            let code = scope.map_or_else(|| "KZ".to_string(), |r| reference.regions[r].code.as_str().to_string());
            for (c, category) in Category::ALL.iter().enumerate() {
                let mut cell = Cell::new();
                for r in (0..regions).filter(|&r| in_scope(r)) {
                    cell.add(&self.cells[r * self.categories + c]);
                }
                rows.push(row(&code, Some(category.number()), &cell, None));
                all.add(&cell);
            }
            let (busy, duty): (i64, i64) = (0..regions)
                .filter(|&r| in_scope(r))
                .fold((0, 0), |(b, d), r| (b + self.busy_us[r], d + self.duty_us[r]));
            let utilisation = if duty > 0 { Some(busy as f64 / duty as f64) } else { None };
            let mut total = row(&code, None, &all, utilisation);
            total.medevac_requests = Some((0..regions).filter(|&r| in_scope(r)).map(|r| self.medevac[r]).sum());
            rows.push(total);
        }
        let max_queue = self.max_queue.iter().copied().max().unwrap_or(0);
        PolicyReport { policy: policy.to_string(), max_queue, rows }
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn row(region: &str, category: Option<u8>, cell: &Cell, utilisation: Option<f64>) -> Row {
    let reached = cell.reached;
    Row {
        region: region.to_string(),
        category,
        calls: cell.calls,
        reached,
        within_norm: ratio(cell.within_norm, cell.calls),
        mean_arrival_min: (reached > 0).then(|| cell.arrival_sum_us as f64 / SECOND / reached as f64 / 60.0),
        p90_arrival_min: (reached > 0).then(|| cell.arrivals.value_at_quantile(0.9) as f64 / 60.0),
        waited: ratio(cell.waited, cell.calls),
        mean_wait_min: (cell.waited > 0).then(|| cell.wait_sum_us as f64 / SECOND / cell.waited as f64 / 60.0),
        utilisation,
        medevac_requests: None,
    }
}
