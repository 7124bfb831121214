//! [`KindIndex`]: the units of one pool (available units; units heading to a call) in rstar
//! R-trees over their unit-sphere points, one tree per region, team kind and start (at station,
//! on the move). Per region, because most rankings take local units only and should not walk
//! the country. Per kind, because a ranking walks only the kinds a call may take. Per start,
//! because a start has one mobilisation delay, which keeps each walk's lower bound tight.
//!
//! Units at the same point with the same region, kind and start (a station's crews) share one
//! tree entry, a [`Cluster`] whose members are kept in unit-id order: the ranking scores the
//! point once and takes members in tie-break order, instead of walking a hundred equal ETAs.

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

/// Where a unit sits in a pool: its interned region, kind, start and point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Place {
    pub(crate) region: u16,
    pub(crate) kind: TeamKind,
    pub(crate) start: Start,
    pub(crate) point: UnitVector,
}

/// Units at one place.
#[derive(Debug, Default)]
pub(crate) struct Cluster {
    /// Slot numbers, in unit-id order.
    pub(crate) members: Vec<u32>,
}

type Key = (u16, usize, usize, [u64; 3]);

fn key(place: &Place) -> Key {
    (place.region, kind_no(place.kind), start_no(place.start), place.point.map(f64::to_bits))
}

/// The trees of one region, by kind and start.
type RegionTrees = [[RTree<Entry>; 2]; KINDS];

/// The units of one pool, by region, team kind and start.
#[derive(Debug, Default)]
pub(crate) struct KindIndex {
    trees: Vec<RegionTrees>,
    clusters: Vec<Cluster>,
    free: Vec<u32>,
    by_key: FxHashMap<Key, u32>,
    len: usize,
}

impl KindIndex {
    fn trees_mut(&mut self, place: &Place) -> &mut RTree<Entry> {
        let region = usize::from(place.region);
        if self.trees.len() <= region {
            self.trees.resize_with(region + 1, Default::default);
        }
        &mut self.trees[region][kind_no(place.kind)][start_no(place.start)]
    }

    /// Adds a unit; `order` compares two slots by unit id.
    pub(crate) fn insert(&mut self, place: Place, slot: u32, order: impl Fn(u32, u32) -> Ordering) {
        self.len += 1;
        let key = key(&place);
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
        self.trees_mut(&place).insert(Entry::new(place.point, cluster));
    }

    /// Builds an index in one go: bulk loading packs the trees better than inserts.
    pub(crate) fn bulk(
        units: impl IntoIterator<Item = (Place, u32)>,
        order: impl Fn(u32, u32) -> Ordering,
    ) -> KindIndex {
        let mut index = KindIndex::default();
        let mut entries: Vec<[[Vec<Entry>; 2]; KINDS]> = Vec::new();
        for (place, slot) in units {
            index.len += 1;
            let cluster = *index.by_key.entry(key(&place)).or_insert_with(|| {
                index.clusters.push(Cluster::default());
                let cluster = index.clusters.len() as u32 - 1;
                let region = usize::from(place.region);
                if entries.len() <= region {
                    entries.resize_with(region + 1, Default::default);
                }
                entries[region][kind_no(place.kind)][start_no(place.start)].push(Entry::new(place.point, cluster));
                cluster
            });
            index.clusters[cluster as usize].members.push(slot);
        }
        for cluster in &mut index.clusters {
            cluster.members.sort_by(|a, b| order(*a, *b));
        }
        index.trees =
            entries.into_iter().map(|per_kind| per_kind.map(|per_start| per_start.map(RTree::bulk_load))).collect();
        index
    }

    /// Removes a unit; `place` must be the one it was inserted with.
    pub(crate) fn remove(&mut self, place: Place, slot: u32) -> bool {
        let key = key(&place);
        let Some(&cluster) = self.by_key.get(&key) else { return false };
        let members = &mut self.clusters[cluster as usize].members;
        let Some(at) = members.iter().position(|m| *m == slot) else { return false };
        members.remove(at);
        self.len -= 1;
        if members.is_empty() {
            self.by_key.remove(&key);
            self.trees_mut(&place).remove(&Entry::new(place.point, cluster));
            self.free.push(cluster);
        }
        true
    }

    /// The tree of a region's units of one kind and start, if the region has any.
    pub(crate) fn tree(&self, region: u16, kind: TeamKind, start: Start) -> Option<&RTree<Entry>> {
        let tree = &self.trees.get(usize::from(region))?[kind_no(kind)][start_no(start)];
        (tree.size() > 0).then_some(tree)
    }

    /// The regions with trees, in number order.
    pub(crate) fn regions(&self) -> impl Iterator<Item = u16> {
        0..self.trees.len() as u16
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
        let place = |region, kind, start, point| Place { region, kind, start, point };
        let by_slot = |a: u32, b: u32| a.cmp(&b);
        let mut index = KindIndex::default();
        let (feldsher, on_move) = (TeamKind::Feldsher, Start::OnTheMove);
        index.insert(place(0, feldsher, on_move, at(51.0, 71.0)), 5, by_slot);
        index.insert(place(0, feldsher, on_move, at(52.0, 71.0)), 1, by_slot);
        index.insert(place(0, feldsher, on_move, at(51.5, 71.0)), 2, by_slot);
        index.insert(place(0, feldsher, on_move, at(51.0, 71.0)), 0, by_slot);
        index.insert(place(0, feldsher, Start::AtStation, at(51.0, 71.0)), 7, by_slot);
        index.insert(place(0, TeamKind::Physician, on_move, at(51.1, 71.0)), 3, by_slot);
        index.insert(place(2, feldsher, on_move, at(51.0, 71.0)), 8, by_slot);
        let scene = at(51.05, 71.0);
        let tree = index.tree(0, feldsher, on_move).unwrap();
        let order: Vec<Vec<u32>> =
            tree.nearest_neighbor_iter(&scene).map(|e| index.cluster(e.data).members.clone()).collect();
        assert_eq!(order, vec![vec![0, 5], vec![2], vec![1]]);
        let (_, d) = tree.nearest_neighbor_iter_with_distance_2(&scene).next().unwrap();
        assert_eq!(d, chord_squared(&at(51.0, 71.0), &scene));
        // Another region's unit at the same point sits in its own region's tree.
        assert_eq!(index.tree(2, feldsher, on_move).map(RTree::size), Some(1));
        assert!(index.tree(1, feldsher, on_move).is_none());
        assert_eq!(index.regions().collect::<Vec<_>>(), vec![0, 1, 2]);
        assert!(index.remove(place(0, feldsher, on_move, at(51.5, 71.0)), 2));
        assert!(!index.remove(place(0, feldsher, on_move, at(51.5, 71.0)), 2));
        assert!(index.remove(place(0, feldsher, on_move, at(51.0, 71.0)), 0));
        assert_eq!(index.tree(0, feldsher, on_move).map(RTree::size), Some(2));
        assert_eq!(index.len(), 5);
        // A freed cluster number is reused.
        index.insert(place(0, TeamKind::Resuscitation, on_move, at(50.0, 70.0)), 9, by_slot);
        assert_eq!(index.clusters.len(), 6);
        let bulk = KindIndex::bulk(
            [(place(1, feldsher, on_move, at(51.0, 71.0)), 4), (place(1, feldsher, on_move, at(51.0, 71.0)), 2)],
            by_slot,
        );
        assert_eq!((bulk.len(), bulk.cluster(0).members.clone()), (2, vec![2, 4]));
        assert!(bulk.tree(0, feldsher, on_move).is_none());
    }
}
