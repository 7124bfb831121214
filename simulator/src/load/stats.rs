//! Latency and outcome counts per RPC: an HDR histogram of latency in microseconds measured from
//! the request's intended send time (so a slow server cannot hide queueing from the driver:
//! no coordinated omission), successes, and errors by gRPC code.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Counts of one RPC while the load runs.
#[derive(Debug, Clone)]
pub struct RpcStats {
    latency_us: Histogram<u64>,
    ok: u64,
    errors: BTreeMap<String, u64>,
}

impl Default for RpcStats {
    fn default() -> Self {
        RpcStats {
            latency_us: Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds"),
            ok: 0,
            errors: BTreeMap::new(),
        }
    }
}

/// The figures of one RPC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RpcFigures {
    /// Full gRPC method name.
    pub rpc: String,
    /// Requests answered OK.
    pub ok: u64,
    /// Failed requests by gRPC code (or `timeout`).
    pub errors: BTreeMap<String, u64>,
    /// OK answers per second of the run.
    pub throughput_per_s: f64,
    /// Latency percentiles of every request, milliseconds: p50, p90, p99, p99.9, max.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// 99.9th percentile.
    pub p999_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl RpcStats {
    /// Records one request that took `latency_us` from its intended send time.
    pub fn record(&mut self, latency_us: u64, outcome: Result<(), String>) {
        self.latency_us.saturating_record(latency_us.max(1));
        match outcome {
            Ok(()) => self.ok += 1,
            Err(code) => *self.errors.entry(code).or_default() += 1,
        }
    }

    /// The figures over `seconds` of load.
    pub fn figures(&self, rpc: &str, seconds: f64) -> RpcFigures {
        let ms = |q: f64| self.latency_us.value_at_quantile(q) as f64 / 1000.0;
        RpcFigures {
            rpc: rpc.to_string(),
            ok: self.ok,
            errors: self.errors.clone(),
            throughput_per_s: self.ok as f64 / seconds.max(1e-9),
            p50_ms: ms(0.5),
            p90_ms: ms(0.9),
            p99_ms: ms(0.99),
            p999_ms: ms(0.999),
            max_ms: self.latency_us.max() as f64 / 1000.0,
        }
    }
}
