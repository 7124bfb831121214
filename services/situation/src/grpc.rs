//! The SituationCentre trait: access, scope checks, and the answers from the live fold.
//!
//! Readers: the situation centre, administrators and the NCCEM nationwide; dispatchers and
//! coordinators for their own regions.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jedel_api::ApiError;
use jedel_api::situation::v1 as pb;
use jedel_api::situation::v1::situation_centre_server::SituationCentre;
use jedel_core::local_time::MINUTE;
use jedel_core::situation::{self as fold, Distribution, Figures, Fleet, Period, Ratio, Scope};
use jedel_platform::time::{from_timestamp, now_micros, to_timestamp};
use jedel_platform::{Caller, Context, Role};
use tokio::sync::mpsc;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};

use crate::convert;
use crate::live::Live;

/// Length of the rolling window of the live shares.
pub const ROLLING_WINDOW: i64 = 24 * 60 * MINUTE;
const READERS: [Role; 5] = [Role::Situation, Role::Admin, Role::MedevacDispatcher, Role::Dispatcher, Role::Coordinator];
/// Upper bounds of the arrival-time histogram buckets, minutes; the last bucket is open.
const BUCKETS_MIN: [i64; 7] = [5, 10, 15, 20, 30, 45, 60];

/// The situation service.
#[derive(Clone)]
pub struct SituationCentreService {
    _context: Context,
    live: Arc<Live>,
}

impl SituationCentreService {
    /// The service over the shared storage and the live fold.
    pub fn new(context: Context, live: Arc<Live>) -> Self {
        SituationCentreService { _context: context, live }
    }
}

fn reader<T>(request: &Request<T>) -> Result<Caller, Status> {
    let caller = Caller::of(request)?;
    caller.require_role(&READERS)?;
    Ok(caller)
}

/// The regions a request may cover: the ones asked for (each checked), or all the caller sees
/// (`None`: every region).
fn regions(caller: &Caller, asked: &[String]) -> Result<Option<Vec<String>>, Status> {
    if asked.is_empty() {
        return Ok((!caller.role.is_national()).then(|| caller.regions.clone()));
    }
    for region in asked {
        jedel_core::RegionCode::parse(region).map_err(|e| ApiError::invalid("region_codes", e.to_string()))?;
        caller.require_region(region)?;
    }
    Ok(Some(asked.to_vec()))
}

fn period(range: Option<&jedel_api::common::v1::TimeRange>, now: i64) -> Result<(i64, i64), Status> {
    let bound = |ts: Option<&prost_types::Timestamp>, field: &str, default: i64| match ts {
        None => Ok(default),
        Some(ts) => from_timestamp(ts).ok_or_else(|| Status::from(ApiError::invalid(field, "not a valid timestamp"))),
    };
    let from = bound(range.and_then(|r| r.from.as_ref()), "period.from", 0)?;
    let to = bound(range.and_then(|r| r.to.as_ref()), "period.to", now)?;
    if from >= to {
        return Err(ApiError::invalid("period", "the period must start before it ends").into());
    }
    Ok((from, to))
}

/// The Metrics messages of `scopes` at `now`, in one pass over the fold.
fn metrics_of(figures: &Figures, scopes: &[Scope], now: i64) -> Vec<pb::Metrics> {
    let snapshots = figures.metrics_of(scopes, now, ROLLING_WINDOW);
    scopes
        .iter()
        .zip(snapshots)
        .map(|(scope, snapshot)| {
            let mut metrics = convert::metrics(scope, &snapshot, &figures.fleet, now, ROLLING_WINDOW);
            metrics.sequence = figures.sequence;
            metrics.computed_at = Some(to_timestamp(now));
            metrics
        })
        .collect()
}

/// The scopes a watcher sees.
fn watched(figures: &Figures, regions: &Option<Vec<String>>, levels: &[i32]) -> Vec<Scope> {
    let wants = |level: pb::Level| levels.is_empty() || levels.contains(&(level as i32));
    let mut scopes = Vec::new();
    if regions.is_none() && wants(pb::Level::Nation) {
        scopes.push(Scope::Nation);
    }
    let inside = |region: &String| regions.as_ref().is_none_or(|r| r.contains(region));
    if wants(pb::Level::Region) {
        let mut all: Vec<String> = figures.regions().into_iter().filter(inside).collect();
        for region in regions.iter().flatten() {
            if !all.contains(region) {
                all.push(region.clone());
            }
        }
        all.sort();
        scopes.extend(all.into_iter().map(Scope::Region));
    }
    if wants(pb::Level::Station) {
        scopes.extend(
            figures
                .stations()
                .into_iter()
                .filter(|(region, _)| inside(region))
                .map(|(region, station)| Scope::Station { region, station }),
        );
    }
    scopes
}

/// Metrics without the fields that move on their own (time of computation, sequence).
fn comparable(metrics: &pb::Metrics) -> pb::Metrics {
    pb::Metrics { computed_at: None, sequence: 0, ..metrics.clone() }
}

fn indicator_rows(rows: &BTreeMap<String, Period>, wanted: &[i32], year: i32) -> Vec<pb::IndicatorValue> {
    let mut values = Vec::new();
    let indicators = [
        (pb::Indicator::ServedWithinNorm, fold::target_24(year), (|p: &Period| p.within_norm) as fn(&Period) -> Ratio),
        (pb::Indicator::Category4ServedByEms, fold::target_18(year), |p: &Period| p.category4_by_ems),
    ];
    for (indicator, target, ratio) in indicators {
        if !wanted.is_empty() && !wanted.contains(&(indicator as i32)) {
            continue;
        }
        let mut total = Ratio::default();
        for (region, row) in rows {
            total.add(ratio(row));
            values.push(pb::IndicatorValue {
                indicator: indicator as i32,
                region_code: region.clone(),
                share: Some(convert::share(ratio(row))),
                target: target.map(convert::target),
            });
        }
        values.push(pb::IndicatorValue {
            indicator: indicator as i32,
            region_code: String::new(),
            share: Some(convert::share(total)),
            target: target.map(convert::target),
        });
    }
    values
}

fn histogram(times: &[i64]) -> Vec<pb::HistogramBucket> {
    let mut buckets = Vec::new();
    let mut lower = 0;
    for upper in BUCKETS_MIN.iter().map(|m| m * MINUTE) {
        let count = times.iter().filter(|&&t| t >= lower && t < upper).count() as i64;
        buckets.push(pb::HistogramBucket { upper_bound: Some(convert::duration(upper)), count });
        lower = upper;
    }
    buckets
        .push(pb::HistogramBucket { upper_bound: None, count: times.iter().filter(|&&t| t >= lower).count() as i64 });
    buckets
}

fn report_body(kind: pb::ReportKind, rows: &BTreeMap<String, Period>, fleet: &Fleet, year: i32) -> pb::report::Body {
    use pb::report::Body;
    match kind {
        pb::ReportKind::NationalStatistics | pb::ReportKind::Unspecified => {
            let mut total = Period::default();
            let mut regions = Vec::new();
            let row_of = |region: &str, p: &Period| pb::RegionStatistics {
                region_code: region.to_string(),
                calls: p
                    .calls
                    .iter()
                    .map(|(c, n)| pb::CategoryCount { category: convert::category(*c), count: *n })
                    .collect(),
                late: Some(convert::share(Ratio {
                    numerator: p.within_norm.denominator - p.within_norm.numerator,
                    denominator: p.within_norm.denominator,
                })),
                resuscitation_success: Some(convert::share(p.resuscitation)),
                flights: convert::kinds(&p.flights),
            };
            for (region, p) in rows {
                regions.push(row_of(region, p));
                for (c, n) in &p.calls {
                    *total.calls.entry(*c).or_default() += n;
                }
                total.within_norm.add(p.within_norm);
                total.resuscitation.add(p.resuscitation);
                for (kind, n) in &p.flights {
                    *total.flights.entry(*kind).or_default() += n;
                }
                for (airline, t) in &p.airlines {
                    total.airlines.entry(airline.clone()).or_default().add(*t);
                }
            }
            regions.push(row_of("", &total));
            let airlines = convert::airlines(&total.airlines, fleet);
            Body::NationalStatistics(pb::NationalStatisticsReport { regions, airlines })
        }
        pb::ReportKind::Indicators => {
            Body::Indicators(pb::IndicatorsReport { values: indicator_rows(rows, &[], year) })
        }
        pb::ReportKind::ArrivalTimes => {
            let mut totals: BTreeMap<_, Vec<i64>> = BTreeMap::new();
            let mut distributions = Vec::new();
            for (region, p) in rows {
                for (c, times) in &p.arrivals {
                    totals.entry(*c).or_default().extend(times);
                    distributions.push(pb::ArrivalTimeDistribution {
                        region_code: region.clone(),
                        summary: Some(convert::arrivals(*c, Distribution::of(times.clone()))),
                        buckets: histogram(times),
                    });
                }
            }
            for (c, times) in totals {
                distributions.push(pb::ArrivalTimeDistribution {
                    region_code: String::new(),
                    summary: Some(convert::arrivals(c, Distribution::of(times.clone()))),
                    buckets: histogram(&times),
                });
            }
            Body::ArrivalTimes(pb::ArrivalTimeReport { distributions })
        }
        pb::ReportKind::MedevacSteps => {
            let mut totals: BTreeMap<_, Vec<i64>> = BTreeMap::new();
            let mut steps = Vec::new();
            let row = |region: &str, step: fold::Step, times: &[i64]| {
                let d = Distribution::of(times.to_vec());
                pb::MedevacStepDuration {
                    region_code: region.to_string(),
                    step: step as i32,
                    count: d.count,
                    mean: Some(convert::duration(d.mean)),
                    p90: Some(convert::duration(d.p90)),
                }
            };
            for (region, p) in rows {
                for (step, times) in &p.steps {
                    totals.entry(*step).or_default().extend(times);
                    steps.push(row(region, *step, times));
                }
            }
            steps.extend(totals.iter().map(|(step, times)| row("", *step, times)));
            Body::MedevacSteps(pb::MedevacStepReport { steps })
        }
    }
}

#[tonic::async_trait]
impl SituationCentre for SituationCentreService {
    async fn get_metrics(&self, request: Request<pb::GetMetricsRequest>) -> Result<Response<pb::Metrics>, Status> {
        let caller = reader(&request)?;
        let asked = request.into_inner().scope.unwrap_or_default();
        let scope = match pb::Level::try_from(asked.level).unwrap_or_default() {
            pb::Level::Unspecified => return Err(ApiError::invalid("scope.level", "a level is required").into()),
            pb::Level::Nation => {
                if !caller.role.is_national() {
                    return Err(ApiError::PermissionDenied("the nation scope needs a nationwide role".into()).into());
                }
                Scope::Nation
            }
            pb::Level::Region => {
                jedel_core::RegionCode::parse(&asked.region_code)
                    .map_err(|e| ApiError::invalid("scope.region_code", e.to_string()))?;
                caller.require_region(&asked.region_code)?;
                Scope::Region(asked.region_code)
            }
            pb::Level::Station => {
                if asked.station_id.is_empty() {
                    return Err(ApiError::invalid("scope.station_id", "a station is required").into());
                }
                let region = self.live.read(|f| f.region_of_station(&asked.station_id));
                let Some(region) = region else {
                    return Err(ApiError::NotFound(format!("station {} has no units", asked.station_id)).into());
                };
                caller.require_region(&region)?;
                Scope::Station { region, station: asked.station_id }
            }
        };
        let now = now_micros();
        let metrics = self.live.read(|f| metrics_of(f, std::slice::from_ref(&scope), now).pop());
        Ok(Response::new(metrics.unwrap_or_default()))
    }

    async fn watch_metrics(
        &self,
        request: Request<pb::WatchMetricsRequest>,
    ) -> Result<Response<BoxStream<pb::MetricsUpdate>>, Status> {
        let caller = reader(&request)?;
        let request = request.into_inner();
        let regions = regions(&caller, &request.region_codes)?;
        let levels = request.levels;
        let live = self.live.clone();
        let (tx, rx) = mpsc::channel::<Result<pb::MetricsUpdate, Status>>(4);
        tokio::spawn(async move {
            let mut sequence = live.subscribe();
            // Never older than what the client has: wait until the fold has got that far.
            if sequence.wait_for(|s| *s >= request.after_sequence).await.is_err() {
                return;
            }
            let mut sent: BTreeMap<Scope, pb::Metrics> = BTreeMap::new();
            let mut first = true;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let now = now_micros();
                let (update, fresh) = live.read(|f| {
                    let mut changed = Vec::new();
                    let mut fresh = Vec::new();
                    let scopes = watched(f, &regions, &levels);
                    for (scope, metrics) in scopes.iter().cloned().zip(metrics_of(f, &scopes, now)) {
                        if first || sent.get(&scope).is_none_or(|m| comparable(m) != comparable(&metrics)) {
                            changed.push(metrics.clone());
                            fresh.push((scope, metrics));
                        }
                    }
                    let update = pb::MetricsUpdate {
                        sequence: f.sequence,
                        occurred_at: Some(to_timestamp(f.occurred_at)),
                        metrics: changed,
                    };
                    (update, fresh)
                });
                if !first && update.metrics.is_empty() {
                    continue;
                }
                first = false;
                sent.extend(fresh);
                if tx.send(Ok(update)).await.is_err() {
                    return;
                }
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) });
        Ok(Response::new(Box::pin(stream)))
    }

    async fn get_report(&self, request: Request<pb::GetReportRequest>) -> Result<Response<pb::Report>, Status> {
        let caller = reader(&request)?;
        let request = request.into_inner();
        let kind = match pb::ReportKind::try_from(request.kind) {
            Ok(pb::ReportKind::Unspecified) | Err(_) => {
                return Err(ApiError::invalid("kind", "a known report kind is required").into());
            }
            Ok(kind) => kind,
        };
        let now = now_micros();
        let (from, to) = period(request.period.as_ref(), now)?;
        let regions = regions(&caller, &request.region_codes)?.unwrap_or_default();
        let body =
            self.live.read(|f| report_body(kind, &f.period(from, to, &regions), &f.fleet, fold::local_year(to - 1)));
        Ok(Response::new(pb::Report {
            period: Some(jedel_api::common::v1::TimeRange {
                from: Some(to_timestamp(from)),
                to: Some(to_timestamp(to)),
            }),
            generated_at: Some(to_timestamp(now)),
            body: Some(body),
        }))
    }

    async fn get_indicators(
        &self,
        request: Request<pb::GetIndicatorsRequest>,
    ) -> Result<Response<pb::GetIndicatorsResponse>, Status> {
        let caller = reader(&request)?;
        let request = request.into_inner();
        for indicator in &request.indicators {
            if !matches!(
                pb::Indicator::try_from(*indicator),
                Ok(pb::Indicator::ServedWithinNorm | pb::Indicator::Category4ServedByEms)
            ) {
                return Err(ApiError::invalid("indicators", format!("unknown indicator {indicator}")).into());
            }
        }
        let (from, to) = period(request.period.as_ref(), now_micros())?;
        let regions = regions(&caller, &request.region_codes)?.unwrap_or_default();
        let rows = self.live.read(|f| f.period(from, to, &regions));
        Ok(Response::new(pb::GetIndicatorsResponse {
            values: indicator_rows(&rows, &request.indicators, fold::local_year(to - 1)),
        }))
    }
}
