//! The open-loop schedule: request `i` is due at a fixed instant computed from the rate (or the
//! linear ramp) alone, whatever the server does; a request is sent at its instant even when
//! earlier ones have not been answered.

use std::time::Duration;

/// Send instants (offsets from the start) at `rate` per second rising linearly to `ramp_to` by
/// `duration`.
pub fn instants(rate: f64, ramp_to: Option<f64>, duration: Duration) -> Vec<Duration> {
    let end = duration.as_secs_f64();
    let to = ramp_to.unwrap_or(rate);
    let mut out = Vec::new();
    let mut t = 0.0;
    while t < end {
        out.push(Duration::from_secs_f64(t));
        let now_rate = rate + (to - rate) * (t / end);
        t += 1.0 / now_rate.max(1e-9);
    }
    out
}
