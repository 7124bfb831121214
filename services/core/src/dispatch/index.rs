//! [`KindIndex`]: the units of one pool (available units; units heading to a call) in rstar
//! R-trees over their unit-sphere points, one tree per team kind and start (at station, on
//! the move). Per kind, because a ranking walks only the kinds a call may take. Per start,
//! because a start has one mobilisation delay, which keeps each walk's lower bound tight.
//!
//! Units at the same point with the same kind and start (a station's crews) share one tree
//! entry, a [`Cluster`] whose members are kept in unit-id order: the ranking scores the point
//! once and takes members in tie-break order, instead of walking a hundred equal ETAs.

use std::cmp::Ordering;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::geometry::UnitVector;
use super::travel::Start;
use crate::category::TeamKind;
use rustc_hash::FxHashMap;

/// A cluster's point with its cluster number.
pub(crate) type Entry = GeomWithData<UnitVector, u32>;

const KINDS: usize = 5;

fn kind_no(kind: TeamKind) -> usize {
    (kind.number() - 1) as usize
}

fn start_no(start: Start) -> usize {
    match start {
        Start::AtStation => 0,
        Start::OnTheMove => 1,
    }
}

/// Units at one point, of one kind and start.
#[derive(Debug, Default)]
pub(crate) struct Cluster {
    /// Slot numbers, in unit-id order.
    pub(crate) members: Vec<u32>,
}

type Key = (usize, usize, [u64; 3]);

fn key(kind: TeamKind, start: Start, point: &UnitVector) -> Key {
    (kind_no(kind), start_no(start), point.map(f64::to_bits))
}

/// The units of one pool, by team kind and start.
#[derive(Debug, Default)]
pub(crate) struct KindIndex {
    trees: [[RTree<Entry>; 2]; KINDS],
    clusters: Vec<Cluster>,
    free: Vec<u32>,
    by_key: FxHashMap<Key, u32>,
    len: usize,
}

impl KindIndex {
    /// Adds a unit; `order` compares two slots by unit id.
    pub(crate) fn insert(
        &mut self,
        kind: TeamKind,
        start: Start,
        point: UnitVector,
        slot: u32,
        order: impl Fn(u32, u32) -> Ordering,
    ) {
        self.len += 1;
        let key = key(kind, start, &point);
        if let Some(&cluster) = self.by_key.get(&key) {
            let members = &mut self.clusters[cluster as usize].members;
            let at = members.partition_point(|m| order(*m, slot) == Ordering::Less);
            members.insert(at, slot);
            return;
        }
        let cluster = match self.free.pop() {
            Some(free) => free,
            None => {
                self.clusters.push(Cluster::default());
                self.clusters.len() as u32 - 1
            }
        };
        self.clusters[cluster as usize].members.push(slot);
        self.by_key.insert(key, cluster);
        self.trees[kind_no(kind)][start_no(start)].insert(Entry::new(point, cluster));
    }

    /// Builds an index in one go: bulk loading packs the trees better than inserts.
    pub(crate) fn bulk(
        units: impl IntoIterator<Item = (TeamKind, Start, UnitVector, u32)>,
        order: impl Fn(u32, u32) -> Ordering,
    ) -> KindIndex {
        let mut index = KindIndex::default();
        let mut entries: [[Vec<Entry>; 2]; KINDS] = Default::default();
        for (kind, start, point, slot) in units {
            index.len += 1;
            let cluster = *index.by_key.entry(key(kind, start, &point)).or_insert_with(|| {
                index.clusters.push(Cluster::default());
                let cluster = index.clusters.len() as u32 - 1;
                entries[kind_no(kind)][start_no(start)].push(Entry::new(point, cluster));
                cluster
            });
            index.clusters[cluster as usize].members.push(slot);
        }
        for cluster in &mut index.clusters {
            cluster.members.sort_by(|a, b| order(*a, *b));
        }
        index.trees = entries.map(|per_start| per_start.map(RTree::bulk_load));
        index
    }

    /// Removes a unit; `kind`, `start` and `point` must be those it was inserted with.
    pub(crate) fn remove(&mut self, kind: TeamKind, start: Start, point: UnitVector, slot: u32) -> bool {
        let key = key(kind, start, &point);
        let Some(&cluster) = self.by_key.get(&key) else { return false };
        let members = &mut self.clusters[cluster as usize].members;
        let Some(at) = members.iter().position(|m| *m == slot) else { return false };
        members.remove(at);
        self.len -= 1;
        if members.is_empty() {
            self.by_key.remove(&key);
            self.trees[kind_no(kind)][start_no(start)].remove(&Entry::new(point, cluster));
            self.free.push(cluster);
        }
        true
    }

    pub(crate) fn tree(&self, kind: TeamKind, start: Start) -> &RTree<Entry> {
        &self.trees[kind_no(kind)][start_no(start)]
    }

    pub(crate) fn cluster(&self, cluster: u32) -> &Cluster {
        &self.clusters[cluster as usize]
    }

    /// Units indexed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::geometry::{chord_squared, unit_vector};
    use crate::geo::LatLon;

    #[test]
    fn nearest_first_in_great_circle_order_with_co_located_units_in_one_entry() {
        let at = |lat, lon| unit_vector(LatLon::parse(lat, lon).unwrap());
        let by_slot = |a: u32, b: u32| a.cmp(&b);
        let mut index = KindIndex::default();
        let on_move = Start::OnTheMove;
        index.insert(TeamKind::Feldsher, on_move, at(51.0, 71.0), 5, by_slot);
        index.insert(TeamKind::Feldsher, on_move, at(52.0, 71.0), 1, by_slot);
        index.insert(TeamKind::Feldsher, on_move, at(51.5, 71.0), 2, by_slot);
        index.insert(TeamKind::Feldsher, on_move, at(51.0, 71.0), 0, by_slot);
        index.insert(TeamKind::Feldsher, Start::AtStation, at(51.0, 71.0), 7, by_slot);
        index.insert(TeamKind::Physician, on_move, at(51.1, 71.0), 3, by_slot);
        let scene = at(51.05, 71.0);
        let tree = index.tree(TeamKind::Feldsher, on_move);
        let order: Vec<Vec<u32>> =
            tree.nearest_neighbor_iter(&scene).map(|e| index.cluster(e.data).members.clone()).collect();
        assert_eq!(order, vec![vec![0, 5], vec![2], vec![1]]);
        let (_, d) = tree.nearest_neighbor_iter_with_distance_2(&scene).next().unwrap();
        assert_eq!(d, chord_squared(&at(51.0, 71.0), &scene));
        assert!(index.remove(TeamKind::Feldsher, on_move, at(51.5, 71.0), 2));
        assert!(!index.remove(TeamKind::Feldsher, on_move, at(51.5, 71.0), 2));
        assert!(index.remove(TeamKind::Feldsher, on_move, at(51.0, 71.0), 0));
        assert_eq!(index.tree(TeamKind::Feldsher, on_move).size(), 2);
        assert_eq!(index.len(), 4);
        // A freed cluster number is reused.
        index.insert(TeamKind::Resuscitation, on_move, at(50.0, 70.0), 9, by_slot);
        assert_eq!(index.clusters.len(), 5);
        let bulk = KindIndex::bulk(
            [(TeamKind::Feldsher, on_move, at(51.0, 71.0), 4), (TeamKind::Feldsher, on_move, at(51.0, 71.0), 2)],
            by_slot,
        );
        assert_eq!((bulk.len(), bulk.cluster(0).members.clone()), (2, vec![2, 4]));
    }
}
