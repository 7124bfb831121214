//! The open-loop schedule: request `i` is due at a fixed instant computed from the rate (or the
//! linear ramp) alone, whatever the server does; a request is sent at its instant even when
//! earlier ones have not been answered; [`drive`] sends them so.

use std::time::Duration;

use tokio::time::Instant;

/// Send instants (offsets from the start) at `rate` per second rising linearly to `ramp_to` by
/// `duration`; none at a rate of zero.
pub fn instants(rate: f64, ramp_to: Option<f64>, duration: Duration) -> Vec<Duration> {
    let end = duration.as_secs_f64();
    let to = ramp_to.unwrap_or(rate);
    let mut out = Vec::new();
    if rate <= 0.0 && to <= 0.0 {
        return out;
    }
    let mut t = 0.0;
    while t < end {
        out.push(Duration::from_secs_f64(t));
        let now_rate = rate + (to - rate) * (t / end);
        t += 1.0 / now_rate.max(1e-9);
    }
    out
}

/// Sends a request at each of `instants` after `start`, each bounded by `timeout`, and hands
/// `record` its latency from the planned instant (µs) and its answer, or the failure as the
/// gRPC code name (`timeout` when it ran out). `send(i)` makes request `i` (`None`: skip it).
/// Returns once every request is answered.
pub async fn drive<T, F>(
    start: Instant,
    instants: Vec<Duration>,
    timeout: Duration,
    mut send: impl FnMut(usize) -> Option<F>,
    record: impl Fn(u64, Result<T, String>) + Clone + Send + 'static,
) where
    T: Send + 'static,
    F: Future<Output = Result<tonic::Response<T>, tonic::Status>> + Send + 'static,
{
    let mut in_flight = Vec::with_capacity(instants.len());
    for (i, offset) in instants.into_iter().enumerate() {
        let due = start + offset;
        tokio::time::sleep_until(due).await;
        let Some(request) = send(i) else { continue };
        let record = record.clone();
        in_flight.push(tokio::spawn(async move {
            let answer = tokio::time::timeout(timeout, request).await;
            let latency = due.elapsed().as_micros() as u64;
            record(
                latency,
                match answer {
                    Ok(Ok(response)) => Ok(response.into_inner()),
                    Ok(Err(status)) => Err(super::code_of(&status)),
                    Err(_) => Err("timeout".into()),
                },
            );
        }));
    }
    for task in in_flight {
        let _ = task.await;
    }
}
