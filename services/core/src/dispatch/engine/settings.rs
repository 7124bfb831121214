//! Deployment data the engine works with: region policies, UTC offsets and hospitals.

use super::Engine;
use crate::dispatch::destination::Hospital;
use crate::dispatch::error::DispatchError;
use crate::dispatch::event::Event;
use crate::dispatch::ids::CallId;
use crate::dispatch::policy::DispatchPolicy;
use crate::dispatch::travel::TravelTimeModel;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

impl<M: TravelTimeModel> Engine<M> {
    /// Replaces a region's policy; it applies from now on, so the region's waiting calls are
    /// ranked (and maybe auto-assigned) again.
    pub fn set_policy(
        &mut self,
        now: Micros,
        policy: DispatchPolicy,
        out: &mut Vec<Event>,
    ) -> Result<(), DispatchError> {
        self.advance(now, out);
        let now = self.now;
        policy.rules.validate().map_err(|e| DispatchError::invalid("policy", e.to_string()))?;
        let region = policy.region.clone();
        self.policies.insert(region.clone(), policy);
        out.push(Event::PolicyChanged { at: now, region: region.clone() });
        self.serve_region(&region, now, out);
        Ok(())
    }

    /// Sets a region's UTC offset (minutes east of UTC, −720..=840).
    pub fn set_utc_offset(
        &mut self,
        now: Micros,
        region: RegionCode,
        minutes: i32,
        out: &mut Vec<Event>,
    ) -> Result<(), DispatchError> {
        self.advance(now, out);
        if !(-720..=840).contains(&minutes) {
            return Err(DispatchError::invalid("utc_offset_minutes", format!("{minutes} is not -720..=840")));
        }
        self.utc_offsets.insert(region.clone(), minutes);
        self.serve_region(&region, self.now, out);
        Ok(())
    }

    /// Replaces the hospitals.
    pub fn set_hospitals(&mut self, now: Micros, hospitals: Vec<Hospital>, out: &mut Vec<Event>) {
        self.advance(now, out);
        self.hospitals = hospitals;
    }

    fn serve_region(&mut self, region: &RegionCode, at: Micros, out: &mut Vec<Event>) {
        let waiting: Vec<CallId> = self
            .queue
            .iter()
            .map(|(_, _, _, id)| id)
            .filter(|id| self.calls.get(*id).is_some_and(|c| &c.view.spec.region == region))
            .cloned()
            .collect();
        for id in waiting {
            if self.calls.get(&id).is_some_and(|c| c.view.queued_at.is_some()) {
                self.serve_call(&id, at, out);
            }
        }
    }
}
