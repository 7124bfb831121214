//! Ranking on the engine's state: [`Engine::rank`] (a pure query, for any call) and
//! [`Engine::recommend`] (ranks an open call and keeps the answer for Assign).
//!
//! Passes, each exact and sharing one top-k: local available units; units of other regions
//! (within the policy's distance) when asked for, or when the policy allows and no local unit
//! meets the norm; units heading to less urgent calls when the policy allows redispatch to
//! this category and still no unit meets the norm.

use super::Engine;
use crate::dispatch::call::{CallSpec, RecommendationRecord};
use crate::dispatch::error::DispatchError;
use crate::dispatch::event::Event;
use crate::dispatch::geometry::unit_vector;
use crate::dispatch::ids::{CallId, RecommendationId};
use crate::dispatch::local_window::LocalMoment;
use crate::dispatch::rank::{CapabilityFit, MAX_LIMIT, Query, RankOptions, RankedUnit, Ranking, Scope, Scored, TopK};
use crate::dispatch::recommend::{Candidate, Recommendation, reason, shortfall};
use crate::dispatch::travel::{TravelTimeModel, TripQuery};
use crate::local_time::Micros;

/// What the passes searched.
pub(crate) struct Searched {
    pub(crate) top: TopK,
    pub(crate) cross_border: bool,
    pub(crate) redispatch: bool,
}

impl<M: TravelTimeModel> Engine<M> {
    /// The ranking context of a call at `at`.
    pub(crate) fn query(&self, spec: &CallSpec, at: Micros) -> Query<'_, M> {
        let offset = self.utc_offset(&spec.region);
        let rule = self.rules(&spec.region).rule_for(spec.category, spec.received_at, offset);
        let local_hour = LocalMoment::of(at, offset).hour();
        // Validated rules never list a kind as both preferred and allowed.
        let (preferred, allowed) = (rule.preferred(), rule.allowed());
        Query {
            model: &self.model,
            trip: self.model.prepare(&TripQuery { region: &spec.region, area: spec.area, local_hour }),
            scene: spec.position,
            scene_vector: unit_vector(spec.position),
            region: self.region_numbers.get(&spec.region).copied().unwrap_or(u16::MAX),
            budget: spec.deadline_at - at,
            preferred,
            allowed,
            equipment: spec.equipment,
        }
    }

    pub(crate) fn search(&self, spec: &CallSpec, at: Micros, limit: usize, cross_border: bool) -> Searched {
        let rules = self.rules(&spec.region);
        let query = self.query(spec, at);
        let mut top = TopK::new(limit.clamp(1, MAX_LIMIT));
        if query.preferred.is_empty() && query.allowed.is_empty() {
            return Searched { top, cross_border: false, redispatch: false };
        }
        let foreign = Scope::Foreign { max_m: rules.cross_border_max_km * 1000.0 };
        query.search(&self.available, &self.slots, Scope::Local, false, |_| true, &mut top);
        let meets = |top: &TopK| top.items.first().is_some_and(|s| s.meets_norm);
        let cross_border = cross_border || (rules.cross_border_help && !meets(&top));
        if cross_border {
            query.search(&self.available, &self.slots, foreign, false, |_| true, &mut top);
        }
        let redispatch =
            rules.redispatch.enabled && rules.redispatch.to_categories.contains(&spec.category) && !meets(&top);
        if redispatch {
            let divertible =
                |slot: &super::Slot| slot.call_category.is_some_and(|c| rules.redispatch.allows(c, spec.category));
            query.search(&self.heading, &self.slots, Scope::Local, true, divertible, &mut top);
            if cross_border {
                query.search(&self.heading, &self.slots, foreign, true, divertible, &mut top);
            }
        }
        Searched { top, cross_border, redispatch }
    }

    /// The top candidate for a call at `at`, as auto-assignment and the norm clock see it.
    pub(crate) fn best(&self, spec: &CallSpec, at: Micros) -> Option<Scored> {
        self.search(spec, at, 1, false).top.items.first().copied()
    }

    /// Ranks the units that can take `call` at `now`, best first (see [`crate::dispatch::rank`]
    /// for the order). A pure query: the call need not be open, and nothing is kept.
    pub fn rank(&self, call: &CallSpec, now: Micros, options: RankOptions) -> Ranking {
        self.ranking(call, now, options).0
    }

    /// The ranking with the slot of each ranked unit.
    fn ranking(&self, call: &CallSpec, now: Micros, options: RankOptions) -> (Ranking, Vec<u32>) {
        let searched = self.search(call, now, options.limit, options.include_cross_border);
        let units: Vec<RankedUnit> = searched
            .top
            .items
            .iter()
            .map(|s| {
                let slot = self.slot(s.slot);
                RankedUnit {
                    unit: slot.unit.spec.id.clone(),
                    eta: s.eta,
                    distance_m: s.distance_m,
                    fit: if s.preferred { CapabilityFit::Preferred } else { CapabilityFit::Allowed },
                    meets_norm: s.meets_norm,
                    cross_border: slot.unit.spec.region != call.region,
                    redispatch_from: if s.diverted { slot.unit.call.clone() } else { None },
                }
            })
            .collect();
        let no_unit_meets_norm = !units.first().is_some_and(|u| u.meets_norm);
        let ranking = Ranking {
            computed_at: now,
            deadline_at: call.deadline_at,
            units,
            no_unit_meets_norm,
            searched_cross_border: searched.cross_border,
            searched_redispatch: searched.redispatch,
            consider_air: no_unit_meets_norm || options.include_air,
        };
        (ranking, searched.top.items.iter().map(|s| s.slot).collect())
    }

    /// Ranks an open call, explains each candidate, and keeps the answer so that Assign can
    /// tell whether the chosen unit was the top one.
    pub fn recommend(
        &mut self,
        now: Micros,
        call: &CallId,
        options: RankOptions,
        out: &mut Vec<Event>,
    ) -> Result<Recommendation, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let spec = &self.calls.get(call).ok_or_else(|| DispatchError::not_found("call", call))?.view.spec;
        let (ranking, slots) = self.ranking(spec, now, options);
        let (norm, budget) = (spec.norm(), spec.deadline_at - now);
        let candidates: Vec<Candidate> = ranking
            .units
            .iter()
            .zip(slots)
            .enumerate()
            .map(|(i, (ranked, slot))| {
                let unit = &self.slot(slot).unit;
                let mut candidate = Candidate {
                    rank: i as u32 + 1,
                    unit: ranked.unit.clone(),
                    call_sign: unit.spec.call_sign.clone(),
                    kind: unit.spec.kind,
                    region: unit.spec.region.clone(),
                    status: unit.status,
                    eta: ranked.eta,
                    distance_m: ranked.distance_m,
                    fit: ranked.fit,
                    meets_norm: ranked.meets_norm,
                    cross_border: ranked.cross_border,
                    redispatch_from: ranked.redispatch_from.clone(),
                    reason: String::new(),
                };
                let from = ranked
                    .redispatch_from
                    .as_ref()
                    .and_then(|c| self.calls.get(c))
                    .map(|c| (c.view.spec.number.as_str(), c.view.spec.category));
                candidate.reason = reason(&candidate, norm, budget, from);
                candidate
            })
            .collect();
        let message = shortfall(&ranking, norm, &candidates);
        let id = RecommendationId::parse(&self.ids.next(now)).expect("minted ids are valid");
        let recommendation = Recommendation {
            id: id.clone(),
            call: call.clone(),
            category: spec.category,
            deadline_at: spec.deadline_at,
            computed_at: now,
            no_unit_meets_norm: ranking.no_unit_meets_norm,
            consider_air: ranking.consider_air,
            message,
            candidates,
        };
        let record =
            RecommendationRecord { id: id.clone(), units: ranking.units.iter().map(|u| u.unit.clone()).collect() };
        let top_unit = record.units.first().cloned();
        self.calls.get_mut(call).expect("open call").view.last_recommendation = Some(record);
        out.push(Event::Recommended { at: now, call: call.clone(), recommendation: id, top_unit });
        Ok(recommendation)
    }
}
