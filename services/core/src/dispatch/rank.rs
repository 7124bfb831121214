//! Ranking: the exact top-k search over the R-trees, and what it returns ([`Ranking`],
//! [`RankedUnit`]).
//!
//! **Order.** Candidates sort by (1) preferred kind that meets the norm first, (2) ETA,
//! (3) available before diverted, (4) unit id. **Exactness.** Each tree (region × kind ×
//! start; the call's region, or the others for cross-border help) is walked nearest first; a
//! unit further out has a lower-bound ETA no smaller than the bound at the current distance.
//! The walks advance together, smallest bound first, and stop once the best key an unseen unit
//! could reach sorts after the k-th kept candidate. ETA is not monotone in distance across
//! trees (mobilisation differs by start, speeds by model), so the bounds, not the distances,
//! decide.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::engine::Slot;
use super::geometry::{UnitVector, arc_m, distance_m};
use super::ids::{CallId, UnitId};
use super::index::{Entry, KindIndex};
use super::policy::KindMask;
use super::travel::{Start, TravelTimeModel};
use super::unit::EquipmentSet;
use crate::category::TeamKind;
use crate::geo::LatLon;
use crate::local_time::Micros;

/// Most candidates one ranking returns.
pub const MAX_LIMIT: usize = 50;

/// What to rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankOptions {
    /// Candidates to return, 1..=50.
    pub limit: usize,
    /// Rank units of other regions even when a local unit meets the norm.
    pub include_cross_border: bool,
    /// Flag an air option even when a ground unit meets the norm.
    pub include_air: bool,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions { limit: 5, include_cross_border: false, include_air: false }
    }
}

/// How a unit's team kind suits a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityFit {
    /// A preferred kind; ranked first while it meets the norm.
    Preferred,
    /// Allowed, not preferred.
    Allowed,
}

/// One ranked unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedUnit {
    /// The unit.
    pub unit: UnitId,
    /// Mobilisation plus travel to the scene.
    pub eta: Micros,
    /// Great-circle distance to the scene, metres.
    pub distance_m: f64,
    /// How its kind suits the call.
    pub fit: CapabilityFit,
    /// Arrives by the deadline.
    pub meets_norm: bool,
    /// Belongs to another region than the call.
    pub cross_border: bool,
    /// Busy on this less urgent call and could be diverted from it.
    pub redispatch_from: Option<CallId>,
}

/// The ranked units for a call at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// The instant ETAs count from.
    pub computed_at: Micros,
    /// The call's deadline.
    pub deadline_at: Micros,
    /// Best first.
    pub units: Vec<RankedUnit>,
    /// No ranked unit arrives by the deadline.
    pub no_unit_meets_norm: bool,
    /// Units of other regions were searched.
    pub searched_cross_border: bool,
    /// Units heading to less urgent calls were searched.
    pub searched_redispatch: bool,
    /// An air option should be looked at (no unit meets the norm, or it was asked for).
    pub consider_air: bool,
}

/// A candidate during the search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub(crate) tier: u8,
    pub(crate) eta: Micros,
    pub(crate) diverted: bool,
    pub(crate) slot: u32,
    pub(crate) distance_m: f64,
    pub(crate) preferred: bool,
    pub(crate) meets_norm: bool,
}

/// The best `limit` candidates so far, sorted.
pub(crate) struct TopK {
    pub(crate) items: Vec<Scored>,
    limit: usize,
}

fn compare(a: &Scored, b: &Scored, slots: &[Option<Slot>]) -> Ordering {
    (a.tier, a.eta, a.diverted).cmp(&(b.tier, b.eta, b.diverted)).then_with(|| {
        let id = |s: &Scored| slots[s.slot as usize].as_ref().map(|slot| &slot.unit.spec.id);
        id(a).cmp(&id(b))
    })
}

impl TopK {
    pub(crate) fn new(limit: usize) -> TopK {
        TopK { items: Vec::with_capacity(limit + 1), limit }
    }

    /// The k-th candidate once k are kept.
    fn worst(&self) -> Option<&Scored> {
        if self.items.len() < self.limit { None } else { self.items.last() }
    }

    /// Keeps the candidate if it is among the best `limit`; says whether it was kept.
    fn offer(&mut self, candidate: Scored, slots: &[Option<Slot>]) -> bool {
        let at = self.items.partition_point(|kept| compare(kept, &candidate, slots) == Ordering::Less);
        if at < self.limit {
            self.items.insert(at, candidate);
            self.items.truncate(self.limit);
        }
        at < self.limit
    }
}

/// Which regions a search pass takes units from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    /// The call's region only.
    Local,
    /// Other regions, up to this great-circle distance.
    Foreign { max_m: f64 },
}

/// Everything one ranking needs to know about the call.
pub(crate) struct Query<'a, M: TravelTimeModel> {
    pub(crate) model: &'a M,
    pub(crate) trip: M::Prepared,
    pub(crate) scene: LatLon,
    pub(crate) scene_vector: UnitVector,
    pub(crate) region: u16,
    /// Deadline minus now: the longest ETA that meets the norm.
    pub(crate) budget: Micros,
    pub(crate) preferred: KindMask,
    pub(crate) allowed: KindMask,
    pub(crate) equipment: EquipmentSet,
}

impl<M: TravelTimeModel> Query<'_, M> {
    /// Scores one unit exactly.
    pub(crate) fn score(&self, slot_no: u32, slot: &Slot, diverted: bool) -> Scored {
        let distance = distance_m(&slot.vector, &self.scene_vector);
        let eta = self.model.mobilisation(&self.trip, slot.unit.status.start())
            + self.model.travel_time(&self.trip, slot.unit.ranking_position(), self.scene, distance);
        let preferred = self.preferred.has(slot.unit.spec.kind);
        let meets_norm = eta <= self.budget;
        Scored {
            tier: if preferred && meets_norm { 0 } else { 1 },
            eta,
            diverted,
            slot: slot_no,
            distance_m: distance,
            preferred,
            meets_norm,
        }
    }

    /// Whether the unit may take the call at all (kind, equipment, region scope).
    pub(crate) fn admits(&self, slot: &Slot, scope: Scope) -> bool {
        let kind = slot.unit.spec.kind;
        (self.preferred.has(kind) || self.allowed.has(kind))
            && slot.unit.spec.equipment.covers(self.equipment)
            && match scope {
                Scope::Local => slot.region == self.region,
                Scope::Foreign { .. } => slot.region != self.region,
            }
    }

    /// Walks the trees of the permitted kinds in `index` together, best first: always the
    /// tree whose next entry has the smallest (tier, lower bound), offering every admitted unit
    /// that passes `extra` to `top`, until that smallest key sorts after the k-th kept
    /// candidate: no unseen unit in any tree can enter then. Co-located units share one score
    /// and are taken in id order until one is turned away (the rest tie with it and sort after).
    pub(crate) fn search(
        &self,
        index: &KindIndex,
        slots: &[Option<Slot>],
        scope: Scope,
        diverted: bool,
        extra: impl Fn(&Slot) -> bool,
        top: &mut TopK,
    ) {
        let mut walks = Vec::with_capacity(10);
        let in_scope = |region: &u16| match scope {
            Scope::Local => *region == self.region,
            Scope::Foreign { .. } => *region != self.region,
        };
        for region in index.regions().filter(in_scope) {
            for kind in TeamKind::ALL.iter().copied() {
                let preferred = self.preferred.has(kind);
                if !preferred && !self.allowed.has(kind) {
                    continue;
                }
                for start in [Start::AtStation, Start::OnTheMove] {
                    let Some(tree) = index.tree(region, kind, start) else { continue };
                    let iter = tree.nearest_neighbor_iter_with_distance_2(&self.scene_vector);
                    let mut walk = Walk { iter, start, preferred, head: None };
                    self.step(&mut walk, scope);
                    if walk.head.is_some() {
                        walks.push(walk);
                    }
                }
            }
        }
        loop {
            let next = walks
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.head.map(|h| (i, h)))
                .min_by_key(|(_, h)| (h.tier, h.bound));
            let Some((i, head)) = next else { return };
            if top.worst().is_some_and(|worst| (head.tier, head.bound) > (worst.tier, worst.eta)) {
                return;
            }
            let mut scored: Option<Scored> = None;
            for &slot_no in &index.cluster(head.cluster).members {
                let Some(slot) = slots[slot_no as usize].as_ref() else { continue };
                if !self.admits(slot, scope) || !extra(slot) {
                    continue;
                }
                let mut candidate = match scored {
                    Some(s) => s,
                    None => {
                        let s = self.score(slot_no, slot, diverted);
                        if matches!(scope, Scope::Foreign { max_m } if s.distance_m > max_m) {
                            break;
                        }
                        scored = Some(s);
                        s
                    }
                };
                candidate.slot = slot_no;
                if !top.offer(candidate, slots) {
                    break;
                }
            }
            self.step(&mut walks[i], scope);
        }
    }

    /// Moves a walk to its next entry, or ends it (no entry left, or beyond the foreign limit).
    fn step<'t, I: Iterator<Item = (&'t Entry, f64)>>(&self, walk: &mut Walk<I>, scope: Scope) {
        walk.head = walk.iter.next().and_then(|(entry, chord2)| {
            let walked = arc_m(chord2);
            if matches!(scope, Scope::Foreign { max_m } if walked > max_m + 1.0) {
                return None;
            }
            let bound = self.model.lower_bound(&self.trip, walk.start, walked);
            let tier = if walk.preferred && bound <= self.budget { 0 } else { 1 };
            Some(Head { cluster: entry.data, tier, bound })
        });
    }
}

/// One tree's nearest-first walk and its next entry.
struct Walk<I> {
    iter: I,
    start: Start,
    preferred: bool,
    head: Option<Head>,
}

/// A walk's next entry with the best key any unit there (or further out) could have.
#[derive(Clone, Copy)]
struct Head {
    cluster: u32,
    tier: u8,
    bound: Micros,
}
