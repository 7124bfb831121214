//! The dispatch engine side by side with PostGIS and Redis on the same units and the same calls.
//!
//! ```sh
//! bash services/dispatch/benches/setup-postgis.sh    # PostGIS, the bench database, servers up
//! cargo bench -p jedel-dispatch --bench geo_compare
//! ```
//!
//! For 2,000 and 20,000 units spread over Kazakhstan like the reference data (the generator of
//! core's `dispatch` bench, `services/core/benches/support/kazakhstan.rs`: same seeds, so the
//! same units and calls as its latency report), the same units go into
//! - the engine (`Engine::rank`, top 5, in-process);
//! - a PostGIS table (`geometry(Point, 4326)` and `geography(Point)` columns, a GiST index on
//!   each, a status column), asked `WHERE status = 'available' ORDER BY geom <-> point LIMIT 5`;
//! - Redis, `GEOADD` into one key per status, asked `GEOSEARCH … FROMLONLAT … BYRADIUS r km ASC
//!   COUNT 5` on the key of available units, the radius growing until 5 are found (and once
//!   with a national radius in one round trip);
//!
//! then every system answers the same call positions one after the other from one client
//! (PostGIS and Redis over loopback), and the bench prints p50/p90/p99, throughput and the
//! ratios to the engine. Figures are printed, never asserted. The engine computes more than
//! the others: ETA by area type and hour with mobilisation, capability rules, the call's region,
//! exact; PostGIS and Redis order by straight-line distance only. The output says so.
//!
//! PostgreSQL or Redis unreachable (or PostGIS not installed): the bench says so and skips that
//! column. The table and keys it creates have a unique name and are removed at the end.
//! Settings: `JEDEL_BENCH_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/jedel_bench_geo`), `JEDEL_BENCH_REDIS_URL` (default
//! `redis://127.0.0.1:6379`), `JEDEL_BENCH_QUERIES` (default 2000). Without `--bench` (as under
//! `cargo test --benches`) it runs a small smoke round instead.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jedel_core::dispatch::*;
use kazakhstan::*;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

#[path = "../../core/benches/support/kazakhstan.rs"]
mod kazakhstan;

const LIMIT: usize = 5;
/// Redis radii, km: the search grows through them until it has `LIMIT` units; the last one
/// covers the whole country (Kazakhstan is ~3,000 km across).
const RADII_KM: [f64; 5] = [10.0, 40.0, 160.0, 640.0, 3_000.0];
const NATIONAL_KM: f64 = 3_000.0;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A unit as the geo stores see it.
struct Point {
    id: String,
    available: bool,
    lat: f64,
    lon: f64,
}

/// One system's answers: latency of each query, wall time of the whole run, top-1 ids.
struct Run {
    label: String,
    latencies: Vec<Duration>,
    wall: Duration,
    top1: Vec<Option<String>>,
    note: String,
    /// Answers a ranking (not a round-trip floor), so top1=eng means something.
    ranks: bool,
}

struct Stats {
    p50: Duration,
    p90: Duration,
    p99: Duration,
    mean: Duration,
    qps: f64,
}

/// The `p` quantile of sorted samples (nearest rank, as core's `dispatch` bench).
fn quantile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn stats(run: &Run) -> Stats {
    let mut sorted = run.latencies.clone();
    sorted.sort();
    Stats {
        p50: quantile(&sorted, 0.50),
        p90: quantile(&sorted, 0.90),
        p99: quantile(&sorted, 0.99),
        mean: sorted.iter().sum::<Duration>() / sorted.len() as u32,
        qps: sorted.len() as f64 / run.wall.as_secs_f64(),
    }
}

fn fmt_d(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 { format!("{us:.1} µs") } else { format!("{:.2} ms", us / 1_000.0) }
}

/// Times `$query` (an expression of `$now` and `$call`, awaiting inside when it needs to, giving
/// `Result<Option<String>, String>`: the first unit's id) over every call, after `$warm`
/// unmeasured ones. Evaluates to `Result<Run, String>`. A macro, not a function over a closure,
/// so that the query may borrow a connection mutably across its await.
macro_rules! measure {
    ($label:expr, $calls:expr, $warm:expr, |$now:ident, $call:ident| $query:expr) => {
        'measure: {
            let calls: &[(i64, CallSpec)] = $calls;
            for (now, call) in calls.iter().cycle().take($warm) {
                let ($now, $call): (i64, &CallSpec) = (*now, call);
                if let Err(e) = $query {
                    break 'measure Err(e);
                }
            }
            let mut latencies = Vec::with_capacity(calls.len());
            let mut top1 = Vec::with_capacity(calls.len());
            let started = Instant::now();
            for (now, call) in calls {
                let ($now, $call): (i64, &CallSpec) = (*now, call);
                let start = Instant::now();
                match $query {
                    Ok(top) => {
                        latencies.push(start.elapsed());
                        top1.push(top);
                    }
                    Err(e) => break 'measure Err(e),
                }
            }
            let wall = started.elapsed();
            Ok::<Run, String>(Run {
                label: $label.to_string(),
                latencies,
                wall,
                top1,
                note: String::new(),
                ranks: true,
            })
        }
    };
}

fn engine_runs(engine: &Engine, calls: &[(i64, CallSpec)], warm: usize) -> Vec<Run> {
    let options = RankOptions { limit: LIMIT, ..RankOptions::default() };
    let first = |ranking: Ranking| Ok::<_, String>(ranking.units.first().map(|u| u.unit.to_string()));
    let eta = measure!("engine rank, ETA model (in-process)", calls, warm, |now, call| {
        first(black_box(engine.rank(black_box(call), now, options)))
    });
    let straight = Engine::restore(StraightLineModel::new(60.0).unwrap(), EngineConfig::default(), engine.snapshot())
        .expect("the snapshot restores");
    let line = measure!("engine rank, straight-line model", calls, warm, |now, call| {
        first(black_box(straight.rank(black_box(call), now, options)))
    });
    vec![eta.expect("the engine answers"), line.expect("the engine answers")]
}

/// PostGIS: a uniquely named table, loaded, indexed, queried, dropped.
async fn postgis_runs(url: &str, units: &[Point], calls: &[(i64, CallSpec)], warm: usize, tag: &str) -> Vec<Run> {
    let mut conn = match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect(url)).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => return skip("PostGIS", &format!("PostgreSQL unreachable at {url}: {e}")),
        Err(_) => return skip("PostGIS", &format!("PostgreSQL at {url} did not answer in {CONNECT_TIMEOUT:?}")),
    };
    let version: Result<String, _> = sqlx::query_scalar("SELECT postgis_lib_version()").fetch_one(&mut conn).await;
    if let Err(e) = version {
        return skip(
            "PostGIS",
            &format!("PostGIS missing in {url} ({e}); run services/dispatch/benches/setup-postgis.sh"),
        );
    }
    let table = format!("geo_units_{tag}");
    let result = postgis_load_and_query(&mut conn, &table, units, calls, warm).await;
    if let Err(e) = sqlx::query(AssertSqlSafe(format!("DROP TABLE IF EXISTS {table}"))).execute(&mut conn).await {
        println!("  (could not drop {table}: {e})");
    }
    match result {
        Ok(runs) => runs,
        Err(e) => skip("PostGIS", &e),
    }
}

async fn postgis_load_and_query(
    conn: &mut PgConnection,
    table: &str,
    units: &[Point],
    calls: &[(i64, CallSpec)],
    warm: usize,
) -> Result<Vec<Run>, String> {
    let e = |e: sqlx::Error| e.to_string();
    let started = Instant::now();
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TABLE {table} (id text PRIMARY KEY, status text NOT NULL, \
         geom geometry(Point, 4326) NOT NULL, geog geography(Point, 4326) NOT NULL)"
    )))
    .execute(&mut *conn)
    .await
    .map_err(e)?;
    let ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let statuses: Vec<&str> = units.iter().map(|u| if u.available { "available" } else { "off_shift" }).collect();
    let lons: Vec<f64> = units.iter().map(|u| u.lon).collect();
    let lats: Vec<f64> = units.iter().map(|u| u.lat).collect();
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {table} (id, status, geom, geog) \
         SELECT id, status, ST_SetSRID(ST_MakePoint(lon, lat), 4326), ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography \
         FROM UNNEST($1::text[], $2::text[], $3::float8[], $4::float8[]) AS u(id, status, lon, lat)"
    )))
    .bind(&ids)
    .bind(&statuses)
    .bind(&lons)
    .bind(&lats)
    .execute(&mut *conn)
    .await
    .map_err(e)?;
    for ddl in [
        format!("CREATE INDEX {table}_geom ON {table} USING gist (geom)"),
        format!("CREATE INDEX {table}_geog ON {table} USING gist (geog)"),
        format!("ANALYZE {table}"),
    ] {
        sqlx::query(AssertSqlSafe(ddl)).execute(&mut *conn).await.map_err(e)?;
    }
    let load = started.elapsed();

    // Arc<str>: sqlx takes the SQL by value; a clone per query is a reference count, and its
    // statement cache (keyed by the text) prepares each statement once.
    let geometry: Arc<str> = Arc::from(format!(
        "SELECT id FROM {table} WHERE status = 'available' \
         ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT {LIMIT}"
    ));
    let geography: Arc<str> = Arc::from(format!(
        "SELECT id FROM {table} WHERE status = 'available' \
         ORDER BY geog <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography LIMIT {LIMIT}"
    ));
    let mut floor = measure!("PostgreSQL SELECT 1 (round-trip floor)", calls, warm, |_now, _call| {
        sqlx::query("SELECT 1").fetch_one(&mut *conn).await.map(|_| None::<String>).map_err(e)
    })?;
    floor.ranks = false;
    let mut runs = vec![floor];
    for (label, sql) in [("PostGIS geometry <-> (KNN)", &geometry), ("PostGIS geography <-> (KNN)", &geography)] {
        let (lon, lat) = (calls[0].1.position.lon(), calls[0].1.position.lat());
        let plan: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "EXPLAIN {}",
            sql.replace("$1", &lon.to_string()).replace("$2", &lat.to_string())
        )))
        .fetch_all(&mut *conn)
        .await
        .map_err(e)?;
        let scan = plan.iter().find(|l| l.contains("Scan")).map_or("?", |l| l.trim().trim_start_matches("->").trim());
        let mut run = measure!(label, calls, warm, |_now, call| {
            sqlx::query(AssertSqlSafe(sql.clone()))
                .bind(call.position.lon())
                .bind(call.position.lat())
                .fetch_all(&mut *conn)
                .await
                .map(|rows| rows.first().map(|r| r.get::<String, _>(0)))
                .map_err(|e| e.to_string())
        })?;
        run.note = format!("load+index {:.0} ms; plan: {}", load.as_secs_f64() * 1e3, short(scan, table));
        runs.push(run);
    }
    Ok(runs)
}

/// A plan line without its costs, the bench's table called `units`.
fn short(plan_line: &str, table: &str) -> String {
    plan_line.split("  (").next().unwrap_or(plan_line).replace(table, "units")
}

/// Redis: one key per status under a unique prefix, loaded, queried, deleted.
fn redis_runs(url: &str, units: &[Point], calls: &[(i64, CallSpec)], warm: usize, tag: &str) -> Vec<Run> {
    let client = match redis::Client::open(url) {
        Ok(client) => client,
        Err(e) => return skip("Redis", &format!("bad Redis URL {url}: {e}")),
    };
    let mut conn = match client.get_connection_with_timeout(CONNECT_TIMEOUT) {
        Ok(conn) => conn,
        Err(e) => return skip("Redis", &format!("Redis unreachable at {url}: {e}")),
    };
    let prefix = format!("jedel:bench:geo_compare:{tag}");
    let (available, off_shift) = (format!("{prefix}:available"), format!("{prefix}:off_shift"));
    let result = redis_load_and_query(&mut conn, &available, &off_shift, units, calls, warm);
    let deleted: Result<i64, _> = redis::cmd("DEL").arg(&available).arg(&off_shift).query(&mut conn);
    if let Err(e) = deleted {
        println!("  (could not delete {prefix}:*: {e})");
    }
    match result {
        Ok(runs) => runs,
        Err(e) => skip("Redis", &e),
    }
}

fn redis_load_and_query(
    conn: &mut redis::Connection,
    available: &str,
    off_shift: &str,
    units: &[Point],
    calls: &[(i64, CallSpec)],
    warm: usize,
) -> Result<Vec<Run>, String> {
    let e = |e: redis::RedisError| e.to_string();
    let started = Instant::now();
    for (key, want) in [(available, true), (off_shift, false)] {
        let chosen: Vec<&Point> = units.iter().filter(|u| u.available == want).collect();
        for chunk in chosen.chunks(1_000) {
            let mut cmd = redis::cmd("GEOADD");
            cmd.arg(key);
            for u in chunk {
                cmd.arg(u.lon).arg(u.lat).arg(&u.id);
            }
            let _: i64 = cmd.query(conn).map_err(e)?;
        }
    }
    let load = started.elapsed();
    let search = |conn: &mut redis::Connection, call: &CallSpec, km: f64| -> Result<Vec<String>, String> {
        redis::cmd("GEOSEARCH")
            .arg(available)
            .arg("FROMLONLAT")
            .arg(call.position.lon())
            .arg(call.position.lat())
            .arg("BYRADIUS")
            .arg(km)
            .arg("km")
            .arg("ASC")
            .arg("COUNT")
            .arg(LIMIT)
            .query(conn)
            .map_err(e)
    };
    let mut round_trips = 0usize;
    let mut growing = measure!("Redis GEOSEARCH, growing radius", calls, warm, |_now, call| {
        let mut found = Ok(Vec::new());
        for km in RADII_KM {
            round_trips += 1;
            found = search(conn, call, km);
            if !matches!(&found, Ok(f) if f.len() < LIMIT) {
                break;
            }
        }
        found.map(|f| f.into_iter().next())
    })?;
    growing.note = format!(
        "load {:.0} ms; radii {RADII_KM:?} km, {:.2} round trips a query",
        load.as_secs_f64() * 1e3,
        round_trips as f64 / (calls.len() + warm) as f64
    );
    let mut national = measure!("Redis GEOSEARCH, national radius", calls, warm, |_now, call| {
        search(conn, call, NATIONAL_KM).map(|found| found.into_iter().next())
    })?;
    national.note = format!("one round trip, BYRADIUS {NATIONAL_KM} km");
    let mut floor = measure!("Redis PING (round-trip floor)", calls, warm, |_now, _call| {
        redis::cmd("PING").query::<String>(conn).map(|_| None::<String>).map_err(e)
    })?;
    floor.ranks = false;
    Ok(vec![floor, growing, national])
}

fn skip(what: &str, why: &str) -> Vec<Run> {
    println!("  {what}: skipped: {why}");
    Vec::new()
}

fn print_table(runs: &[Run]) {
    let base = stats(&runs[0]);
    println!(
        "  {:<38} {:>9} {:>9} {:>9} {:>9} {:>9}   {:>6} {:>6} {:>6} {:>6}  {:>8}",
        "system", "p50", "p90", "p99", "mean", "q/s", "p50×", "p90×", "p99×", "q/s÷", "top1=eng"
    );
    for run in runs {
        let s = stats(run);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        let same = run.top1.iter().zip(&runs[0].top1).filter(|(a, b)| a.is_some() && a == b).count();
        let same =
            if run.ranks { format!("{:.1}%", 100.0 * same as f64 / run.top1.len() as f64) } else { "-".to_string() };
        println!(
            "  {:<38} {:>9} {:>9} {:>9} {:>9} {:>9.0}   {:>6.1} {:>6.1} {:>6.1} {:>6.1}  {:>8}",
            run.label,
            fmt_d(s.p50),
            fmt_d(s.p90),
            fmt_d(s.p99),
            fmt_d(s.mean),
            s.qps,
            ratio(s.p50, base.p50),
            ratio(s.p90, base.p90),
            ratio(s.p99, base.p99),
            base.qps / s.qps,
            same
        );
    }
    for run in runs.iter().filter(|r| !r.note.is_empty()) {
        println!("    {}: {}", run.label, run.note);
    }
}

fn legend() {
    println!(
        "\nWhat each row computes (the comparison is of different work, so read the ratios with it):\n\
         - engine rank, ETA model: the top {LIMIT} units by ETA (great-circle × circuity ÷ speed by area type and\n\
         \x20 hour, plus mobilisation by start), under the category's capability rules (kinds allowed per category,\n\
         \x20 preferred kinds that meet the norm first, PHC teams for category 4 in the weekday window), units of\n\
         \x20 the call's region (and across the border within 150 km when none meets the norm), exact (R-tree walks\n\
         \x20 bounded by ETA); in-process, no I/O, no serialisation. The reference for the ratios and for top1=eng.\n\
         - engine rank, straight-line model: the same engine and rules, ranked by great-circle distance.\n\
         - PostGIS geometry <->: nearest {LIMIT} rows with status 'available' by planar distance in degrees (a\n\
         \x20 degree of longitude counts as a degree of latitude: not metres), GiST KNN, any region or kind.\n\
         - PostGIS geography <->: the same by true distance on the earth (metres), GiST KNN on geography.\n\
         - Redis GEOSEARCH: nearest {LIMIT} members of the available key by great-circle distance (geohash cells,\n\
         \x20 52-bit precision), any region or kind; growing radius = one round trip per radius tried.\n\
         PostGIS and Redis answer over loopback from one client, one query at a time (sqlx with a prepared\n\
         statement; the synchronous redis client): their figures include the round trip and the server's work\n\
         per command, which is what a service calling them would pay. p50×/p90×/p99× = that system's latency ÷ the\n\
         engine's (ETA); q/s÷ = engine throughput ÷ that system's; top1=eng = share of calls whose first unit is\n\
         the engine's first (ETA) unit. The round-trip floors (PING, SELECT 1) do no geo work: what is above\n\
         them is the server's search. The servers share this machine's cores with the bench and with whatever\n\
         else runs: the figures are noisy, compare orders of magnitude, not digits."
    );
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (sizes, queries, warm): (&[usize], usize, usize) = if bench {
        let queries = std::env::var("JEDEL_BENCH_QUERIES").ok().and_then(|q| q.parse().ok()).unwrap_or(2_000).max(1);
        (&[2_000, 20_000], queries, 200)
    } else {
        println!("geo_compare: smoke round (run `cargo bench -p jedel-dispatch --bench geo_compare` for figures)");
        (&[200], 20, 5)
    };
    let postgres_url = std::env::var("JEDEL_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/jedel_bench_geo".to_string());
    let redis_url = std::env::var("JEDEL_BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_string());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let tag = format!(
        "{}_{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis()
    );
    let kz = load();
    for &n in sizes {
        // The seeds of core's latency report: the same units and (the first) calls.
        let mut rng = Rng(n as u64);
        let (engine, ids) = engine_with(&kz, n, &mut rng);
        let calls = calls(&kz, queries, &mut rng);
        let units: Vec<Point> = ids
            .iter()
            .map(|id| {
                let unit = engine.unit(id).expect("a unit just added");
                let at = unit.ranking_position();
                Point { id: id.to_string(), available: unit.status.is_available(), lat: at.lat(), lon: at.lon() }
            })
            .collect();
        let available = units.iter().filter(|u| u.available).count();
        println!(
            "\n== {n} units ({available} available), {} call positions, top {LIMIT}; sequential, one client, loopback ==",
            calls.len()
        );
        let mut runs = engine_runs(&engine, &calls, warm);
        let tag = format!("{tag}_{n}");
        runs.extend(runtime.block_on(postgis_runs(&postgres_url, &units, &calls, warm, &tag)));
        runs.extend(redis_runs(&redis_url, &units, &calls, warm, &tag));
        print_table(&runs);
    }
    legend();
}
