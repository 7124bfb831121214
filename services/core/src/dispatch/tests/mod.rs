//! Scenario and property tests of the engine, through its public API and a controlled clock.

mod alerts;
mod destination;
mod fixtures;
mod lifecycle;
mod queue;
mod ranking;
mod restore;
mod rules;
