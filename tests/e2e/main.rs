//! End-to-end tests: each starts the real `jedel` binary on free ports — once on the embedded
//! defaults, once on PostgreSQL + Redis — and talks gRPC to it over a real socket.

mod air;
mod console;
mod dispatch;
mod foundation;
mod intake;
mod medevac;
mod registry;
mod situation;
mod support;
