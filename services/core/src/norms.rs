//! Response standards ("norms") as data: for each urgency category the clocks that measure the
//! response (what starts and stops each, which kinds of unit stop it, the per-call threshold,
//! the targets over a period's calls) and the time-window routing rules that decide which team
//! kinds take a call. The Kazakhstan standard (order ҚР ДСМ-225/2020) and England's Ambulance
//! Response Programme ship in `data/standards/`.
//!
//! Everything here is a function of the standard, the call's timeline and the times given:
//! the deadline of a call, its team kinds, how long a clock ran, and whether a period's
//! durations meet the targets.

use std::collections::HashSet;

use chrono::{Datelike as _, Timelike as _};
use serde::{Deserialize, Serialize};

use crate::call::{Milestone, TimelineEntry};
use crate::category::{Category, TeamKind, named_enum};
use crate::local_time::{Micros, local_date_time};
use crate::region_code::RegionCode;
use crate::time_zone::TimeZone;
use crate::triage::LocalizedText;

/// Kazakhstan: order ҚР ДСМ-225/2020, 10/15/30/60 minutes from call received to first crew on
/// scene; category 4 to PHC mobile teams on weekdays 08:00–20:00 Asia/Almaty.
pub const KZ_225_2020: &str = include_str!("../../../data/standards/kz-225-2020.json");
/// England: Ambulance Response Programme (2017), mean and 90th-percentile targets.
pub const ENGLAND_ARP: &str = include_str!("../../../data/standards/england-arp.json");

const SECOND: Micros = 1_000_000;

named_enum! {
    /// Day of the week, Monday first (ISO 8601).
    DayOfWeek {
        /// Monday.
        Monday = 1, "monday";
        /// Tuesday.
        Tuesday = 2, "tuesday";
        /// Wednesday.
        Wednesday = 3, "wednesday";
        /// Thursday.
        Thursday = 4, "thursday";
        /// Friday.
        Friday = 5, "friday";
        /// Saturday.
        Saturday = 6, "saturday";
        /// Sunday.
        Sunday = 7, "sunday";
    }
}

named_enum! {
    /// Statistic of clock durations over a period.
    TargetStatistic {
        /// Arithmetic mean.
        Mean = 1, "mean";
        /// The target's percentile (nearest rank).
        Percentile = 2, "percentile";
    }
}

/// A point from which a clock may start: a milestone plus a delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockTrigger {
    /// Timeline milestone that triggers.
    pub milestone: Milestone,
    /// Added to the milestone's time.
    #[serde(default)]
    pub delay_seconds: i64,
}

/// A target for the distribution of a clock's durations over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseTarget {
    /// Statistic the target applies to.
    pub statistic: TargetStatistic,
    /// Percentile in (0, 100); only for `percentile`.
    #[serde(default)]
    pub percentile: f64,
    /// The statistic must not exceed this.
    pub limit_seconds: i64,
}

/// One measured response interval and its targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseClock {
    /// Code, unique within the standard, e.g. `KZ-1`, `C1T`.
    pub code: String,
    /// Human name.
    pub name: LocalizedText,
    /// The clock starts at the earliest of these.
    pub starts: Vec<ClockTrigger>,
    /// The clock stops at the first of these milestones recorded for a qualifying unit.
    pub stop_milestones: Vec<Milestone>,
    /// Kinds of unit whose milestones stop the clock; empty = any.
    #[serde(default)]
    pub stop_team_kinds: Vec<TeamKind>,
    /// Per-call limit; none = the clock only feeds the targets.
    #[serde(default)]
    pub threshold_seconds: Option<i64>,
    /// Targets over a period's calls.
    #[serde(default)]
    pub targets: Vec<ResponseTarget>,
}

/// The norm for one urgency category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryNorm {
    /// Category this entry is for.
    pub category: Category,
    /// Response clocks; the first is the primary one that sets a call's deadline.
    pub clocks: Vec<ResponseClock>,
    /// Team kinds that take calls of this category when no routing rule matches.
    pub team_kinds: Vec<TeamKind>,
}

/// A weekly local-time window `[start, end)`, never spanning midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Days on which the window opens.
    pub days: Vec<DayOfWeek>,
    /// Local start "HH:MM", inclusive.
    pub start: String,
    /// Local end "HH:MM", exclusive; "24:00" is the end of the day.
    pub end: String,
}

/// Sends calls of a category to other team kinds inside local-time windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// Category the rule applies to.
    pub category: Category,
    /// Regions the rule applies to; empty = all.
    #[serde(default)]
    pub region_codes: Vec<String>,
    /// IANA time zone the windows are read in.
    pub time_zone: String,
    /// Windows in which the rule applies.
    pub windows: Vec<TimeWindow>,
    /// Team kinds that take the call inside the windows.
    pub team_kinds: Vec<TeamKind>,
}

/// A response standard, checked whole when loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseStandard {
    /// Stable UUID, kept in the file so every deployment names the standard alike.
    pub id: String,
    /// Stable code, e.g. `KZ-DSM-225-2020`.
    pub code: String,
    /// Human name.
    pub name: LocalizedText,
    /// Whether new calls are measured against it (exactly one standard of a set is).
    pub active: bool,
    /// One entry per category.
    pub categories: Vec<CategoryNorm>,
    /// Time-window routing rules; the first that matches decides.
    #[serde(default)]
    pub routing_rules: Vec<RoutingRule>,
    /// When this version of the standard was written (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// 1 for the first version, +1 on each change.
    pub version: i64,
}

/// Why a standard file is refused: every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("response standard is invalid: {}", .0.join("; "))]
pub struct StandardError(pub Vec<String>);

/// What a clock measured on one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    /// When it started; `None` while no trigger has happened.
    pub started_at: Option<Micros>,
    /// When it stopped; `None` while no qualifying unit has reached a stop milestone.
    pub stopped_at: Option<Micros>,
}

impl ClockReading {
    /// How long the clock ran, once stopped (never negative).
    pub fn duration(&self) -> Option<Micros> {
        Some((self.stopped_at? - self.started_at?).max(0))
    }
}

/// How a period's durations compare with one target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// The target.
    pub target: ResponseTarget,
    /// The statistic over the durations; `None` when there are none.
    pub value: Option<Micros>,
    /// Whether the value is within the limit; `None` when there are no durations.
    pub met: Option<bool>,
}

/// "HH:MM" as minutes since midnight, 0..=1440.
fn minutes_of_day(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn looks_like_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

impl TimeWindow {
    /// Whether local time `minute_of_day` on `day` falls in the window.
    fn contains(&self, day: DayOfWeek, minute_of_day: u32) -> bool {
        let (Some(start), Some(end)) = (minutes_of_day(&self.start), minutes_of_day(&self.end)) else {
            return false;
        };
        self.days.contains(&day) && start <= minute_of_day && minute_of_day < end
    }
}

impl RoutingRule {
    /// Whether the rule sends a call of `category` in `region` received at `at`.
    pub fn matches(&self, category: Category, region: &str, at: Micros) -> bool {
        if self.category != category {
            return false;
        }
        if !self.region_codes.is_empty() && !self.region_codes.iter().any(|r| r == region) {
            return false;
        }
        let Ok(zone) = TimeZone::parse(&self.time_zone) else { return false };
        let local = local_date_time(at, zone.utc_offset_minutes());
        let day = DayOfWeek::from_number(local.weekday().number_from_monday() as i32).unwrap_or(DayOfWeek::Monday);
        let minute = local.time().hour() * 60 + local.time().minute();
        self.windows.iter().any(|w| w.contains(day, minute))
    }
}

impl ResponseClock {
    /// What the clock measured on a call with `timeline`: it starts at the earliest trigger
    /// that has happened (its milestone's first time plus the delay) and stops at the first
    /// stop milestone of a qualifying unit.
    pub fn measure(&self, timeline: &[TimelineEntry]) -> ClockReading {
        let first =
            |milestone: Milestone| timeline.iter().filter(|e| e.milestone == milestone).map(|e| e.occurred_at).min();
        let started_at =
            self.starts.iter().filter_map(|t| first(t.milestone).map(|at| at + t.delay_seconds * SECOND)).min();
        let qualifies = |e: &&TimelineEntry| {
            self.stop_milestones.contains(&e.milestone)
                && (self.stop_team_kinds.is_empty()
                    || e.unit.as_ref().is_some_and(|u| self.stop_team_kinds.contains(&u.team_kind)))
        };
        let stopped_at = timeline.iter().filter(qualifies).map(|e| e.occurred_at).min();
        ClockReading { started_at, stopped_at }
    }

    /// The per-call limit in microseconds, if any.
    pub fn threshold(&self) -> Option<Micros> {
        self.threshold_seconds.map(|s| s * SECOND)
    }

    /// How a period's durations (µs) compare with each target. Percentiles are nearest-rank:
    /// the smallest duration at or below which at least that share of the calls fall.
    pub fn evaluate(&self, durations: &[Micros]) -> Vec<TargetResult> {
        let mut sorted = durations.to_vec();
        sorted.sort_unstable();
        self.targets
            .iter()
            .map(|target| {
                let value = if sorted.is_empty() {
                    None
                } else {
                    Some(match target.statistic {
                        TargetStatistic::Mean => {
                            (sorted.iter().map(|&d| i128::from(d)).sum::<i128>() / sorted.len() as i128) as Micros
                        }
                        TargetStatistic::Percentile => {
                            let rank = ((target.percentile / 100.0) * sorted.len() as f64).ceil() as usize;
                            sorted[rank.clamp(1, sorted.len()) - 1]
                        }
                    })
                };
                TargetResult { target: target.clone(), value, met: value.map(|v| v <= target.limit_seconds * SECOND) }
            })
            .collect()
    }
}

impl ResponseStandard {
    /// Parses and checks a standard file (JSON). Every problem is reported.
    pub fn from_json(text: &str) -> Result<ResponseStandard, StandardError> {
        let standard: ResponseStandard =
            serde_json::from_str(text).map_err(|e| StandardError(vec![format!("not a standard file: {e}")]))?;
        let problems = standard.problems();
        if problems.is_empty() { Ok(standard) } else { Err(StandardError(problems)) }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !looks_like_uuid(&self.id) {
            problems.push(format!("id {:?} is not a lowercase UUID", self.id));
        }
        if self.code.trim().is_empty() {
            problems.push("code is empty".into());
        }
        if self.name.kk.trim().is_empty() || self.name.ru.trim().is_empty() || self.name.en.trim().is_empty() {
            problems.push("name needs kk, ru and en".into());
        }
        for (field, value) in [("created_at", &self.created_at), ("updated_at", &self.updated_at)] {
            if chrono::DateTime::parse_from_rfc3339(value).is_err() {
                problems.push(format!("{field} {value:?} is not an RFC 3339 time"));
            }
        }
        if self.version < 1 {
            problems.push("version must be at least 1".into());
        }
        let listed: Vec<Category> = self.categories.iter().map(|c| c.category).collect();
        for category in Category::ALL {
            match listed.iter().filter(|&&c| c == category).count() {
                1 => {}
                0 => problems.push(format!("category {category} has no norm")),
                _ => problems.push(format!("category {category} has more than one norm")),
            }
        }
        let mut codes = HashSet::new();
        for norm in &self.categories {
            let at = format!("category {}", norm.category);
            if norm.clocks.is_empty() {
                problems.push(format!("{at}: needs at least one clock"));
            }
            if norm.team_kinds.is_empty() {
                problems.push(format!("{at}: needs at least one team kind"));
            }
            for clock in &norm.clocks {
                let at = format!("{at} clock {:?}", clock.code);
                if clock.code.trim().is_empty() || !codes.insert(clock.code.as_str()) {
                    problems.push(format!("{at}: code is empty or repeated"));
                }
                if clock.starts.is_empty() || clock.stop_milestones.is_empty() {
                    problems.push(format!("{at}: needs start triggers and stop milestones"));
                }
                if clock.starts.iter().any(|t| t.delay_seconds < 0) {
                    problems.push(format!("{at}: a start delay is negative"));
                }
                if clock.threshold_seconds.is_some_and(|s| s <= 0) {
                    problems.push(format!("{at}: threshold must be positive"));
                }
                for target in &clock.targets {
                    let percentile_ok = match target.statistic {
                        TargetStatistic::Percentile => target.percentile > 0.0 && target.percentile < 100.0,
                        TargetStatistic::Mean => target.percentile == 0.0,
                    };
                    if !percentile_ok {
                        problems
                            .push(format!("{at}: a percentile must be in (0, 100), and only on percentile targets"));
                    }
                    if target.limit_seconds <= 0 {
                        problems.push(format!("{at}: a target limit must be positive"));
                    }
                }
            }
        }
        for (i, rule) in self.routing_rules.iter().enumerate() {
            let at = format!("routing rule {}", i + 1);
            if TimeZone::parse(&rule.time_zone).is_err() {
                problems.push(format!("{at}: time zone {:?} is not a Kazakhstan zone", rule.time_zone));
            }
            if rule.windows.is_empty() || rule.team_kinds.is_empty() {
                problems.push(format!("{at}: needs windows and team kinds"));
            }
            for code in &rule.region_codes {
                if RegionCode::parse(code).is_err() {
                    problems.push(format!("{at}: {code:?} is not a region code"));
                }
            }
            for window in &rule.windows {
                match (minutes_of_day(&window.start), minutes_of_day(&window.end)) {
                    (Some(start), Some(end)) if start < end && window.start != "24:00" => {}
                    _ => problems.push(format!(
                        "{at}: window {}-{} is not HH:MM to a later HH:MM (24:00 = end of day)",
                        window.start, window.end
                    )),
                }
                if window.days.is_empty() {
                    problems.push(format!("{at}: a window has no days"));
                }
            }
        }
        problems
    }

    /// The norm of `category` (present for every category in a checked standard).
    pub fn norm(&self, category: Category) -> &CategoryNorm {
        self.categories.iter().find(|n| n.category == category).unwrap_or(&self.categories[0])
    }

    /// The clock that sets a call's deadline for `category`.
    pub fn primary_clock(&self, category: Category) -> &ResponseClock {
        &self.norm(category).clocks[0]
    }

    /// Team kinds that take a call of `category` in `region` received at `received_at`: the
    /// first routing rule that matches decides, else the category's own list.
    pub fn team_kinds(&self, category: Category, region: &str, received_at: Micros) -> &[TeamKind] {
        self.routing_rules
            .iter()
            .find(|r| r.matches(category, region, received_at))
            .map_or(&self.norm(category).team_kinds, |r| &r.team_kinds)
    }

    /// The latest time the first qualifying unit may arrive on a call of `category` with
    /// `timeline`: the primary clock's start plus its threshold. `None` while the clock has not
    /// started or when it has no per-call threshold.
    pub fn deadline(&self, category: Category, timeline: &[TimelineEntry]) -> Option<Micros> {
        let clock = self.primary_clock(category);
        Some(clock.measure(timeline).started_at? + clock.threshold()?)
    }
}

/// The standards a deployment knows: exactly one active, the others kept for comparison.
#[derive(Debug, Clone)]
pub struct Standards {
    standards: Vec<ResponseStandard>,
}

impl Standards {
    /// A set of standards with distinct ids and codes, exactly one of them active.
    pub fn new(standards: Vec<ResponseStandard>) -> Result<Standards, StandardError> {
        let mut problems = Vec::new();
        let active = standards.iter().filter(|s| s.active).count();
        if active != 1 {
            problems.push(format!("exactly one standard must be active, not {active}"));
        }
        let (mut ids, mut codes) = (HashSet::new(), HashSet::new());
        for s in &standards {
            if !ids.insert(&s.id) || !codes.insert(&s.code) {
                problems.push(format!("standard {} repeats an id or code", s.code));
            }
        }
        if problems.is_empty() { Ok(Standards { standards }) } else { Err(StandardError(problems)) }
    }

    /// The standards shipped with Jedel: Kazakhstan's active, England's for comparison.
    pub fn builtin() -> Result<Standards, StandardError> {
        Standards::new(vec![ResponseStandard::from_json(KZ_225_2020)?, ResponseStandard::from_json(ENGLAND_ARP)?])
    }

    /// The active standard.
    pub fn active(&self) -> &ResponseStandard {
        self.standards.iter().find(|s| s.active).unwrap_or(&self.standards[0])
    }

    /// The standard with this id.
    pub fn get(&self, id: &str) -> Option<&ResponseStandard> {
        self.standards.iter().find(|s| s.id == id)
    }

    /// Every standard, the active one first, then by code.
    pub fn list(&self) -> Vec<&ResponseStandard> {
        let mut list: Vec<&ResponseStandard> = self.standards.iter().collect();
        list.sort_by(|a, b| b.active.cmp(&a.active).then_with(|| a.code.cmp(&b.code)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Actor, Lifecycle, Progress, UnitRef};

    const MIN: Micros = 60 * SECOND;

    fn kz() -> ResponseStandard {
        ResponseStandard::from_json(KZ_225_2020).unwrap()
    }

    fn arp() -> ResponseStandard {
        ResponseStandard::from_json(ENGLAND_ARP).unwrap()
    }

    /// An instant given as local Almaty time (UTC+5), e.g. "2025-11-21T19:59:00".
    fn almaty(local: &str) -> Micros {
        chrono::DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap().timestamp_micros()
    }

    fn actor() -> Actor {
        Actor { subject: "s".into(), role: "dispatcher".into() }
    }

    /// A call received at `received`, categorised after `categorised` µs, the unit of `kind`
    /// assigned after `assigned` and on scene after `on_scene`.
    fn timeline(
        received: Micros,
        categorised: Micros,
        assigned: Micros,
        on_scene: Micros,
        kind: TeamKind,
    ) -> Vec<TimelineEntry> {
        let mut call = Lifecycle::received(received, received, actor());
        call.categorise(received + categorised, actor()).unwrap();
        let unit = Some(UnitRef { unit_id: "U".into(), team_kind: kind });
        for (milestone, after) in [(Milestone::Assigned, assigned), (Milestone::OnScene, on_scene)] {
            let at = received + after;
            call.record(Progress { milestone, unit: unit.clone(), occurred_at: at, actor: actor() }, at).unwrap();
        }
        call.timeline
    }

    #[test]
    fn the_shipped_standards_load_with_kazakhstan_active() {
        let standards = Standards::builtin().expect("data/standards/*.json are valid standards");
        assert_eq!(standards.active().code, "KZ-DSM-225-2020");
        let codes: Vec<&str> = standards.list().iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["KZ-DSM-225-2020", "NHS-ARP-2017"]);
        assert!(standards.get(&standards.active().id).is_some());
    }

    #[test]
    fn kazakhstan_thresholds_run_from_received_to_first_crew_on_scene() {
        let kz = kz();
        let received = almaty("2025-11-19T10:00:00");
        for (category, minutes) in
            [(Category::One, 10), (Category::Two, 15), (Category::Three, 30), (Category::Four, 60)]
        {
            let t = timeline(received, 2 * MIN, 3 * MIN, 9 * MIN, TeamKind::Feldsher);
            assert_eq!(kz.deadline(category, &t), Some(received + minutes * MIN), "category {category}");
            let clock = kz.primary_clock(category);
            assert_eq!(clock.measure(&t).duration(), Some(9 * MIN));
        }
        // Received only: the deadline is already known.
        let received_only = Lifecycle::received(received, received, actor()).timeline;
        assert_eq!(kz.deadline(Category::One, &received_only), Some(received + 10 * MIN));
    }

    #[test]
    fn category_four_goes_to_phc_teams_on_weekday_daytime_only() {
        let kz = kz();
        let ems = kz.norm(Category::Four).team_kinds.clone();
        assert!(!ems.contains(&TeamKind::PhcMobile));
        let phc = [TeamKind::PhcMobile];
        // 2025-11-21 is a Friday, 2025-11-22 a Saturday, 2025-11-24 a Monday.
        for (local, expected) in [
            ("2025-11-21T07:59:59", &ems[..]),
            ("2025-11-21T08:00:00", &phc[..]),
            ("2025-11-21T12:00:00", &phc[..]),
            ("2025-11-21T19:59:00", &phc[..]),
            ("2025-11-21T19:59:59", &phc[..]),
            ("2025-11-21T20:00:00", &ems[..]),
            ("2025-11-21T23:30:00", &ems[..]),
            ("2025-11-22T10:00:00", &ems[..]),
            ("2025-11-23T10:00:00", &ems[..]),
            ("2025-11-24T08:00:00", &phc[..]),
            ("2025-11-24T19:59:00", &phc[..]),
        ] {
            assert_eq!(kz.team_kinds(Category::Four, "KZ-71", almaty(local)), expected, "{local}");
        }
        // Other categories always go to EMS crews.
        assert_eq!(
            kz.team_kinds(Category::Three, "KZ-71", almaty("2025-11-21T12:00:00")),
            kz.norm(Category::Three).team_kinds
        );
    }

    #[test]
    fn the_window_is_read_at_utc_plus_five() {
        let kz = kz();
        let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_micros();
        // 03:00 UTC is 08:00 in Almaty; 14:59 UTC is 19:59; 15:00 UTC is 20:00.
        assert_eq!(
            kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-21T02:59:59Z")),
            kz.norm(Category::Four).team_kinds
        );
        assert_eq!(kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-21T03:00:00Z")), [TeamKind::PhcMobile]);
        assert_eq!(kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-21T14:59:00Z")), [TeamKind::PhcMobile]);
        assert_eq!(
            kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-21T15:00:00Z")),
            kz.norm(Category::Four).team_kinds
        );
        // Friday 20:00 UTC is already Saturday 01:00 in Almaty; Sunday 22:00 UTC is Monday 03:00.
        assert_eq!(
            kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-23T22:00:00Z")),
            kz.norm(Category::Four).team_kinds
        );
        // Monday 08:00 local is Monday 03:00 UTC.
        assert_eq!(kz.team_kinds(Category::Four, "KZ-75", utc("2025-11-24T03:00:00Z")), [TeamKind::PhcMobile]);
    }

    #[test]
    fn routing_rules_can_be_limited_to_regions() {
        let mut kz = kz();
        kz.routing_rules[0].region_codes = vec!["KZ-71".into()];
        let noon = almaty("2025-11-21T12:00:00");
        assert_eq!(kz.team_kinds(Category::Four, "KZ-71", noon), [TeamKind::PhcMobile]);
        assert_eq!(kz.team_kinds(Category::Four, "KZ-75", noon), kz.norm(Category::Four).team_kinds);
    }

    #[test]
    fn englands_standard_is_expressible_and_evaluates() {
        let arp = arp();
        assert!(!arp.active);
        // No per-call threshold: no deadline.
        let t = timeline(0, 20 * SECOND, 40 * SECOND, 6 * MIN, TeamKind::Feldsher);
        assert_eq!(arp.deadline(Category::One, &t), None);
        let c1 = arp.primary_clock(Category::One);
        assert_eq!(c1.code, "C1");
        // C1 starts at the earliest of categorised (20 s), assigned (40 s), received + 30 s.
        assert_eq!(c1.measure(&t), ClockReading { started_at: Some(20 * SECOND), stopped_at: Some(6 * MIN) });
        let slow_categorisation = timeline(0, 2 * MIN, 3 * MIN, 8 * MIN, TeamKind::Feldsher);
        assert_eq!(c1.measure(&slow_categorisation).started_at, Some(30 * SECOND));
        // C1T stops only for transport-capable units: a PHC team on scene does not stop it.
        let c1t = &arp.norm(Category::One).clocks[1];
        assert_eq!(c1t.code, "C1T");
        let phc = timeline(0, 20 * SECOND, 40 * SECOND, 6 * MIN, TeamKind::PhcMobile);
        assert_eq!(c1t.measure(&phc).stopped_at, None);
        assert_eq!(c1.measure(&phc).stopped_at, Some(6 * MIN));

        // Ten category-1 calls: mean 8 min (over the 7-minute target), 90th percentile
        // 12 min 30 s (within 15).
        let durations: Vec<Micros> = [4, 5, 5, 6, 6, 7, 8, 9, 13, 12].iter().map(|m| m * MIN + 30 * SECOND).collect();
        let results = c1.evaluate(&durations);
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].target.statistic, TargetStatistic::Mean);
        assert_eq!(results[0].value, Some(8 * MIN));
        assert_eq!(results[0].met, Some(false));
        assert_eq!(results[1].target.statistic, TargetStatistic::Percentile);
        assert_eq!(results[1].value, Some(12 * MIN + 30 * SECOND));
        assert_eq!(results[1].met, Some(true));
        assert_eq!(c1.evaluate(&[])[0].met, None);
        // The other categories' targets.
        let targets = |c: Category| {
            arp.primary_clock(c)
                .targets
                .iter()
                .map(|t| (t.statistic, t.percentile as i64, t.limit_seconds / 60))
                .collect::<Vec<_>>()
        };
        assert_eq!(targets(Category::One), [(TargetStatistic::Mean, 0, 7), (TargetStatistic::Percentile, 90, 15)]);
        assert_eq!(targets(Category::Two), [(TargetStatistic::Mean, 0, 18), (TargetStatistic::Percentile, 90, 40)]);
        assert_eq!(targets(Category::Three), [(TargetStatistic::Percentile, 90, 120)]);
        assert_eq!(targets(Category::Four), [(TargetStatistic::Percentile, 90, 180)]);
        // The same calls measured against Kazakhstan's standard instead.
        assert_eq!(kz().primary_clock(Category::One).measure(&t).duration(), Some(6 * MIN));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let clock = ResponseClock {
            code: "X".into(),
            name: LocalizedText::default(),
            starts: vec![ClockTrigger { milestone: Milestone::Received, delay_seconds: 0 }],
            stop_milestones: vec![Milestone::OnScene],
            stop_team_kinds: vec![],
            threshold_seconds: None,
            targets: vec![ResponseTarget {
                statistic: TargetStatistic::Percentile,
                percentile: 90.0,
                limit_seconds: 1,
            }],
        };
        assert_eq!(clock.evaluate(&[5 * SECOND])[0].value, Some(5 * SECOND));
        let hundred: Vec<Micros> = (1..=100).rev().map(|s| s * SECOND).collect();
        assert_eq!(clock.evaluate(&hundred)[0].value, Some(90 * SECOND));
        let eleven: Vec<Micros> = (1..=11).map(|s| s * SECOND).collect();
        assert_eq!(clock.evaluate(&eleven)[0].value, Some(10 * SECOND));
    }

    #[test]
    fn a_broken_standard_is_refused_with_the_reason() {
        let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut json: serde_json::Value = serde_json::from_str(KZ_225_2020).unwrap();
            edit(&mut json);
            ResponseStandard::from_json(&json.to_string()).unwrap_err().to_string()
        };
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|j| j["categories"].as_array_mut().unwrap().truncate(3)), "category 4 has no norm"),
            (Box::new(|j| j["categories"][1]["category"] = serde_json::json!(1)), "category 1 has more than one norm"),
            (
                Box::new(|j| j["categories"][0]["clocks"][0]["threshold_seconds"] = serde_json::json!(0)),
                "threshold must be positive",
            ),
            (
                Box::new(|j| j["routing_rules"][0]["time_zone"] = serde_json::json!("Europe/London")),
                "not a Kazakhstan zone",
            ),
            (
                Box::new(|j| j["routing_rules"][0]["windows"][0]["end"] = serde_json::json!("07:00")),
                "window 08:00-07:00",
            ),
            (Box::new(|j| j["routing_rules"][0]["windows"][0]["start"] = serde_json::json!("8:00")), "is not HH:MM"),
            (
                Box::new(|j| j["routing_rules"][0]["windows"][0]["days"] = serde_json::json!(["funday"])),
                "not a standard file",
            ),
            (Box::new(|j| j["id"] = serde_json::json!("kz")), "not a lowercase UUID"),
            (
                Box::new(|j| j["categories"][0]["clocks"][0]["stop_milestones"] = serde_json::json!([])),
                "stop milestones",
            ),
        ];
        for (edit, expected) in cases {
            let error = broken(edit.as_ref());
            assert!(error.contains(expected), "{expected:?} in {error}");
        }
        let mut two_active = arp();
        two_active.active = true;
        assert!(Standards::new(vec![kz(), two_active]).is_err());
    }
}
