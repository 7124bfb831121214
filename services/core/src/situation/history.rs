//! Ended calls that have left the live window, kept compactly for the period reports.
//!
//! The live figures only ever look at open calls and calls of the last day, so the fold keeps
//! those in full and retires every other call, once it has ended, to a [`PastCall`] of a few
//! dozen bytes: what the reports count of it ([`Counted`]) and nothing else (no ids, no text). A year of the
//! national load (8.6 million calls) then holds a few hundred megabytes instead of gigabytes,
//! and every live figure is computed over a day of calls rather than over all history.
//!
//! Retiring is driven by the time of the events folded, never by a clock, so a replay of the
//! same events retires the same calls at the same points and gives the same figures.

use std::hash::{Hash as _, Hasher as _};

use rustc_hash::FxHasher;

use super::CallFact;
use crate::category::{Category, TeamKind};
use crate::local_time::Micros;

/// What a period report counts of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Effective category.
    pub category: Option<Category>,
    /// Reached within its norm (`None`: no norm, or never reached).
    pub within_norm: Option<bool>,
    /// Received → first crew on scene.
    pub arrival: Option<Micros>,
    /// Team kind of the first crew on scene.
    pub on_scene_kind: Option<TeamKind>,
    /// Resuscitation (attempted, successful).
    pub resuscitation: Option<(bool, bool)>,
}

impl Counted {
    /// What a report counts of `call`, judged against its norm at `at` (an open call still
    /// unreached past its deadline then is late; an ended call reads the same at any instant).
    pub fn of(call: &CallFact, at: Micros) -> Counted {
        Counted {
            category: call.category,
            within_norm: call.within_norm(at),
            arrival: call.arrival(),
            on_scene_kind: call.on_scene_kind,
            resuscitation: call.resuscitation,
        }
    }
}

/// One retired call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PastCall {
    /// When 103 received it.
    received_at: Micros,
    /// Hash of its id, to find it again should a late event change it.
    id_hash: u64,
    /// Index of its region in [`History::regions`].
    region: u16,
    /// What the reports count of it.
    counted: Counted,
}

/// The retired calls, in the order they were received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    regions: Vec<String>,
    calls: Vec<PastCall>,
}

fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

impl History {
    /// Retires a batch of ended calls.
    pub(super) fn retire(&mut self, batch: impl IntoIterator<Item = (String, CallFact)>) {
        let before = self.calls.len();
        for (id, call) in batch {
            let region = match self.regions.iter().position(|r| *r == call.region) {
                Some(index) => index,
                None => {
                    self.regions.push(call.region.clone());
                    self.regions.len() - 1
                }
            };
            self.calls.push(PastCall {
                received_at: call.received_at,
                id_hash: id_hash(&id),
                region: u16::try_from(region).unwrap_or(u16::MAX),
                counted: Counted::of(&call, call.received_at),
            });
        }
        if self.calls.len() > before {
            // Two sorted runs: the stable sort merges them in linear time.
            self.calls.sort_by_key(|c| c.received_at);
        }
    }

    /// Takes back the retired call `id` received at `received_at`, when a late event brings it
    /// back to the live set; returns whether it was there.
    pub(super) fn take(&mut self, id: &str, received_at: Micros) -> bool {
        let hash = id_hash(id);
        let start = self.calls.partition_point(|c| c.received_at < received_at);
        let found =
            self.calls[start..].iter().take_while(|c| c.received_at == received_at).position(|c| c.id_hash == hash);
        found.map(|offset| self.calls.remove(start + offset)).is_some()
    }

    /// The retired calls received in `[from, to)`, with their region.
    pub fn received_in(&self, from: Micros, to: Micros) -> impl Iterator<Item = (&str, &Counted)> {
        let start = self.calls.partition_point(|c| c.received_at < from);
        let end = self.calls.partition_point(|c| c.received_at < to).max(start);
        self.calls[start..end].iter().map(|c| (self.regions[usize::from(c.region)].as_str(), &c.counted))
    }

    /// How many calls are retired.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// Whether no call is retired.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }
}
