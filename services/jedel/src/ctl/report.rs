//! `jedel ctl report …`: the situation centre's period reports and indicators as CSV (one
//! header line, one row per region and a total row with an empty region), for spreadsheets
//! and the statistical returns.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jedel_api::common::v1::TimeRange;
use jedel_api::situation::v1::situation_centre_client::SituationCentreClient;
use jedel_api::situation::v1::{GetReportRequest, ReportKind, Share, report};
use tonic::transport::Channel;

/// Which report.
#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum Kind {
    /// Calls by region, share of delays, resuscitation, flights.
    NationalStatistics,
    /// Indicators 24 and 18 against their targets.
    Indicators,
    /// Arrival-time distributions by region and category.
    ArrivalTimes,
    /// Time in each medevac step.
    MedevacSteps,
}

/// `jedel ctl report KIND [--from] [--to] [--region …]`
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The report.
    #[arg(value_enum)]
    kind: Kind,
    /// Start of the period, RFC 3339 (default: the beginning).
    #[arg(long)]
    from: Option<String>,
    /// End of the period, RFC 3339, exclusive (default: now).
    #[arg(long)]
    to: Option<String>,
    /// Regions (repeat), e.g. KZ-71; default: every region the token sees.
    #[arg(long = "region")]
    regions: Vec<String>,
}

fn timestamp(text: &Option<String>) -> anyhow::Result<Option<prost_types::Timestamp>> {
    text.as_deref()
        .map(|t| {
            let at =
                chrono::DateTime::parse_from_rfc3339(t).map_err(|e| anyhow::anyhow!("'{t}' is not RFC 3339: {e}"))?;
            Ok(prost_types::Timestamp { seconds: at.timestamp(), nanos: at.timestamp_subsec_nanos() as i32 })
        })
        .transpose()
}

fn share(share: &Option<Share>) -> String {
    let s = share.unwrap_or_default();
    format!("{},{},{:.4}", s.numerator, s.denominator, s.value)
}

fn seconds(d: &Option<prost_types::Duration>) -> String {
    let d = d.unwrap_or_default();
    format!("{:.1}", d.seconds as f64 + f64::from(d.nanos) / 1e9)
}

/// Runs `ctl report`.
pub async fn run(channel: Channel, token: Option<&str>, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let mut client = SituationCentreClient::with_interceptor(channel, super::bearer(token)?);
    let kind = match args.kind {
        Kind::NationalStatistics => ReportKind::NationalStatistics,
        Kind::Indicators => ReportKind::Indicators,
        Kind::ArrivalTimes => ReportKind::ArrivalTimes,
        Kind::MedevacSteps => ReportKind::MedevacSteps,
    };
    let request = GetReportRequest {
        kind: kind as i32,
        period: Some(TimeRange { from: timestamp(&args.from)?, to: timestamp(&args.to)? }),
        region_codes: args.regions,
    };
    let report = client
        .get_report(request)
        .await
        .map_err(|s| anyhow::anyhow!("{:?}: {}", s.code(), s.message()).context("the server refused the request"))?
        .into_inner();
    let mut lines = Vec::new();
    match report.body {
        Some(report::Body::NationalStatistics(r)) => {
            lines.push("region,calls,cat1,cat2,cat3,cat4,uncategorised,late,reached,late_share,resuscitation_successful,resuscitation_attempted,resuscitation_share,flights".to_string());
            for row in r.regions {
                let count = |c: i32| row.calls.iter().filter(|n| n.category == c).map(|n| n.count).sum::<i64>();
                let total: i64 = row.calls.iter().map(|n| n.count).sum();
                let flights: i64 = row.flights.iter().map(|f| f.count).sum();
                lines.push(format!(
                    "{},{total},{},{},{},{},{},{},{},{flights}",
                    row.region_code,
                    count(1),
                    count(2),
                    count(3),
                    count(4),
                    count(0),
                    share(&row.late),
                    share(&row.resuscitation_success),
                ));
            }
        }
        Some(report::Body::Indicators(r)) => {
            lines.push("indicator,region,numerator,denominator,value,target_year,target,bound".to_string());
            for v in r.values {
                let (year, value, bound) = v.target.map_or((String::new(), String::new(), ""), |t| {
                    (t.year.to_string(), format!("{:.2}", t.value), if t.bound == 1 { "at_least" } else { "at_most" })
                });
                lines.push(format!("{},{},{},{year},{value},{bound}", v.indicator, v.region_code, share(&v.share)));
            }
        }
        Some(report::Body::ArrivalTimes(r)) => {
            lines.push("region,category,count,mean_s,p90_s,buckets".to_string());
            for d in r.distributions {
                let s = d.summary.unwrap_or_default();
                let buckets: Vec<String> = d.buckets.iter().map(|b| b.count.to_string()).collect();
                lines.push(format!(
                    "{},{},{},{},{},{}",
                    d.region_code,
                    s.category,
                    s.count,
                    seconds(&s.mean),
                    seconds(&s.p90),
                    buckets.join(";")
                ));
            }
        }
        Some(report::Body::MedevacSteps(r)) => {
            lines.push("region,step,count,mean_s,p90_s".to_string());
            for s in r.steps {
                lines.push(format!(
                    "{},{},{},{},{}",
                    s.region_code,
                    s.step,
                    s.count,
                    seconds(&s.mean),
                    seconds(&s.p90)
                ));
            }
        }
        None => anyhow::bail!("the server sent an empty report"),
    }
    println!("{}", lines.join("\n"));
    Ok(ExitCode::SUCCESS)
}
