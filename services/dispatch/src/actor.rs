//! The engine task: one task owns the in-memory [`Engine`] and applies every command to it in
//! turn, so commands are serialised and the hot path takes no lock. Handlers talk to it through
//! a [`Handle`] (an mpsc of requests with oneshot replies).
//!
//! For each command the task reads the wall clock once (`now`), lets due norm-clock timers fire
//! (a change of their own, by the system), applies the command, and persists what changed in
//! **one** transaction: the dispatcher's rows, the call's timeline in Intake
//! (`jedel_intake::progress`), the events (the engine's events, then Intake's) and the audit row.
//! Only then does the caller get the answer. If that transaction fails, the in-memory engine is
//! ahead of storage, so the task rebuilds it from storage before taking the next request.
//!
//! Positions are the exception: accepted fixes change the engine at once but are written
//! through every few seconds ([`crate::positions`]), and streamed to WatchUnits watchers then.
//! A 1-second tick lets the norm clocks fire when no request comes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use jedel_api::ApiError;
use jedel_core::RegionCode;
use jedel_core::call::{Actor, Milestone, Progress, UnitRef};
use jedel_core::dispatch::ids::IdGenerator;
use jedel_core::dispatch::{
    Alert, AlertKind, AssignmentState, CallId, Command, DispatchPolicy, Engine, EngineConfig, Event, Fix, Hospital,
    PolicyRules, PositionRejection, PositionReport, Reply, Snapshot, StatusChange, TableTravelModel, Unit, UnitId,
    UnitStatus,
};
use jedel_core::local_time::Micros;
use jedel_intake::model::Call;
use jedel_platform::db::Change;
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Db, NewEvent};
use tokio::sync::{broadcast, mpsc, oneshot};
use tracing::{error, info, warn};

use crate::calls;
use crate::error::DispatchServiceError;
use crate::events::{self, UnitChange};
use crate::metrics::DispatchMetrics;
use crate::positions::{FLUSH_EVERY, PositionStore};
use crate::reference::{self, Brigade, Station};
use crate::store::{self, PolicyMeta};

/// The engine over the default travel-time model.
pub type DispatchEngine = Engine<TableTravelModel>;

/// The subject the dispatcher's own changes are audited under.
pub const SYSTEM_SUBJECT: &str = "jedel-dispatch";
/// How often the norm clocks are let run.
const TICK_EVERY: Duration = Duration::from_secs(1);
/// Requests waiting for the engine task before senders wait.
const QUEUE: usize = 1_024;

/// Everything the engine task owns; read-only closures ([`Handle::read`]) see it whole.
pub struct World {
    /// The engine.
    pub engine: DispatchEngine,
    /// The AT_RISK or BREACHED alert in force of each open call that has one.
    pub alerts: HashMap<CallId, Alert>,
    /// Who set each region's policy, when, and its version.
    pub policies: HashMap<RegionCode, PolicyMeta>,
    /// Stations, for the area type of calls and the region of free positions.
    pub stations: Vec<Station>,
    /// Ids the engine minted so far.
    ids: u64,
}

impl World {
    /// The meta data of a region's policy (the defaults' when none was stored).
    pub fn policy_meta(&self, region: &RegionCode) -> PolicyMeta {
        self.policies.get(region).cloned().unwrap_or(PolicyMeta {
            updated_by: Actor { subject: SYSTEM_SUBJECT.into(), role: "system".into() },
            created_at: 0,
            updated_at: 0,
            version: 0,
        })
    }
}

/// A check run on the engine's state just before the command, e.g. the caller's region scope.
pub type Check = Box<dyn FnOnce(&World) -> Result<(), ApiError> + Send + Sync>;

/// Who runs a command and how it is recorded.
pub struct CommandContext {
    /// The caller, audited as the actor.
    pub caller: Caller,
    /// The RPC, audited.
    pub rpc: &'static str,
    /// Checked against the state just before the command runs.
    pub check: Option<Check>,
    /// Idempotency scope and key; a retry answers with the assignment the first one made.
    pub idempotency: Option<(&'static str, String)>,
    /// Mark the call's timeline RECOMMENDED (a dispatcher was shown the ranking).
    pub record_recommended: bool,
}

impl CommandContext {
    /// A command by `caller` through `rpc`, with nothing else.
    pub fn new(caller: Caller, rpc: &'static str) -> CommandContext {
        CommandContext { caller, rpc, check: None, idempotency: None, record_recommended: false }
    }

    /// A command of the dispatcher itself.
    pub fn system(rpc: &'static str) -> CommandContext {
        CommandContext::new(Caller::system(SYSTEM_SUBJECT), rpc)
    }
}

/// What a command answered.
#[derive(Debug)]
pub struct Applied {
    /// The engine's reply.
    pub reply: Reply,
    /// True when an earlier request with the same idempotency key made it.
    pub replayed: bool,
}

/// What the event follower hands the engine.
pub enum Followed {
    /// An Intake call changed (its current record).
    Call(Box<Call>),
    /// Registry brigades changed (their current records).
    Brigades(Vec<Brigade>),
    /// The Registry's stations changed (all of them).
    Stations(Vec<Station>),
    /// The Registry's hospitals changed (all of them).
    Hospitals(Vec<Hospital>),
    /// A region's UTC offset.
    Region(RegionCode, i32),
}

/// A read of the state.
type Read = Box<dyn FnOnce(&World) + Send>;
/// A read of the state with the event sequence it is consistent with.
type ReadAt = Box<dyn FnOnce(&World, u64) + Send>;

enum Request {
    Command { command: Command, context: CommandContext, reply: oneshot::Sender<Result<Applied, DispatchServiceError>> },
    Positions { reports: Vec<PositionReport>, reply: oneshot::Sender<Vec<Option<PositionRejection>>> },
    Read(Read),
    ReadAt(ReadAt),
    Follow(Followed),
}

/// The way to the engine task.
#[derive(Clone)]
pub struct Handle {
    requests: mpsc::Sender<Request>,
    positions: broadcast::Sender<Arc<Vec<Unit>>>,
}

impl Handle {
    async fn send(&self, request: Request) -> Result<(), DispatchServiceError> {
        self.requests.send(request).await.map_err(|_| DispatchServiceError::Stopped)
    }

    /// Runs a command and waits until it is committed.
    pub async fn command(&self, command: Command, context: CommandContext) -> Result<Applied, DispatchServiceError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Command { command, context, reply }).await?;
        answer.await.map_err(|_| DispatchServiceError::Stopped)?
    }

    /// Ingests position reports; one answer per report (`None` = taken).
    pub async fn positions(
        &self,
        reports: Vec<PositionReport>,
    ) -> Result<Vec<Option<PositionRejection>>, DispatchServiceError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Positions { reports, reply }).await?;
        answer.await.map_err(|_| DispatchServiceError::Stopped)
    }

    /// Reads the state.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> T + Send + 'static,
    ) -> Result<T, DispatchServiceError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Read(Box::new(move |world| {
            let _ = reply.send(read(world));
        })))
        .await?;
        answer.await.map_err(|_| DispatchServiceError::Stopped)
    }

    /// Reads the state with the last event sequence it is consistent with: every dispatcher
    /// event up to it is reflected, none after it.
    pub async fn read_at<T: Send + 'static>(
        &self,
        read: impl FnOnce(&World, u64) -> T + Send + 'static,
    ) -> Result<T, DispatchServiceError> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::ReadAt(Box::new(move |world, seq| {
            let _ = reply.send(read(world, seq));
        })))
        .await?;
        answer.await.map_err(|_| DispatchServiceError::Stopped)
    }

    /// Hands the engine a change from another service.
    pub async fn follow(&self, followed: Followed) -> Result<(), DispatchServiceError> {
        self.send(Request::Follow(followed)).await
    }

    /// Units whose position changed, every few seconds (at most one entry per unit each time).
    pub fn position_updates(&self) -> broadcast::Receiver<Arc<Vec<Unit>>> {
        self.positions.subscribe()
    }
}

/// What a status change left behind, for the call's timeline.
struct Prior {
    unit: UnitId,
    status: UnitStatus,
    call: Option<CallId>,
}

/// The audited entity of a change.
struct Entity {
    kind: &'static str,
    id: String,
}

fn entity_of(command: &Command) -> Entity {
    let (kind, id) = match command {
        Command::UpsertUnit { spec, .. } => ("unit", spec.id.to_string()),
        Command::RemoveUnit { unit } => ("unit", unit.to_string()),
        Command::Position(report) => ("unit", report.unit.to_string()),
        Command::SetStatus(change) => ("unit", change.unit.to_string()),
        Command::OpenCall(spec) | Command::UpdateCall(spec) => ("call", spec.id.to_string()),
        Command::EndCall { call, .. } | Command::Recommend { call, .. } => ("call", call.to_string()),
        Command::Assign(request) => ("call", request.call.to_string()),
        Command::Reassign(request) => ("assignment", request.assignment.to_string()),
        Command::Release(request) => ("assignment", request.assignment.to_string()),
        Command::Redispatch(request) => ("unit", request.unit.to_string()),
        Command::SetPolicy(policy) => ("dispatch_policy", policy.region.to_string()),
        Command::SetUtcOffset { region, .. } => ("region", region.to_string()),
        Command::SetHospitals(_) => ("hospitals", "all".to_string()),
        Command::Tick => ("norm_clock", "all".to_string()),
    };
    Entity { kind, id }
}

/// The actor on timelines and assignments: the token's subject and role.
pub fn actor_of(caller: &Caller) -> Actor {
    Actor { subject: caller.subject.clone(), role: caller.role.as_str().to_string() }
}

/// Builds the engine from storage: Registry brigades, stations, hospitals and regions; the
/// dispatcher's own rows (live unit state, active assignments, open calls, policies, the id
/// counter); the last positions; then the commands that bring it level with Intake's calls
/// and the Registry (calls opened, changed or ended while the dispatcher was not running).
pub async fn load(db: &Db, positions: &PositionStore) -> Result<(World, Vec<Command>), DispatchServiceError> {
    let now = now_micros();
    let reference = reference::load(db.reader()).await?;
    let stored = store::load(db.reader()).await?;
    let fixes = positions.load().await?;
    let open = calls::open_calls(db.reader()).await?;

    let mut units = Vec::with_capacity(reference.brigades.len());
    for brigade in &reference.brigades {
        let id = &brigade.spec.id;
        let mut unit = match stored.units.get(id) {
            Some(unit) => Unit { spec: Arc::new(brigade.spec.clone()), ..unit.clone() },
            None => Unit {
                spec: Arc::new(brigade.spec.clone()),
                status: if brigade.in_service { UnitStatus::AvailableAtStation } else { UnitStatus::OutOfService },
                status_changed_at: now,
                fix: None,
                call: None,
                assignment: None,
                created_at: now,
                updated_at: now,
                version: 1,
            },
        };
        if let Some(fix) = fixes.get(id)
            && unit.fix.is_none_or(|f| f.recorded_at <= fix.recorded_at)
        {
            unit.fix = Some(*fix);
        }
        units.push(unit);
    }
    // Keep only what hangs together: an assignment whose unit and call still exist and point
    // back at it. Anything else is a leftover of a record the Registry no longer has.
    let calls_known: HashSet<CallId> = stored.calls.iter().map(|c| c.view.spec.id.clone()).collect();
    let assigned: HashMap<UnitId, _> =
        units.iter().filter_map(|u| u.assignment.clone().map(|a| (u.spec.id.clone(), a))).collect();
    let assignments: Vec<_> = stored
        .assignments
        .into_iter()
        .filter(|a| assigned.get(&a.unit) == Some(&a.id) && calls_known.contains(&a.call))
        .collect();
    let active: HashSet<_> = assignments.iter().map(|a| a.id.clone()).collect();
    for unit in &mut units {
        if unit.assignment.as_ref().is_some_and(|a| !active.contains(a)) {
            warn!(unit_id = %unit.spec.id, "unit pointed at an assignment that is gone; freeing it");
            unit.assignment = None;
            unit.call = None;
            if unit.status.is_on_call() {
                unit.status = UnitStatus::AvailableOnMove;
            }
        }
    }
    let mut calls_stored = stored.calls;
    for record in &mut calls_stored {
        record.view.assignments.retain(|a| active.contains(a));
    }
    let alerts = calls_stored.iter().filter_map(|c| c.alert.clone().map(|a| (c.view.spec.id.clone(), a))).collect();
    let mut policy_meta = HashMap::new();
    let mut policies = Vec::new();
    for (policy, meta) in stored.policies {
        policy_meta.insert(policy.region.clone(), meta);
        policies.push(policy);
    }
    let snapshot = Snapshot {
        now,
        ids: IdGenerator { node: 0, counter: stored.ids },
        units,
        calls: calls_stored,
        assignments,
        policies,
        utc_offsets: reference.regions.iter().map(|(r, o)| (r.to_string(), *o)).collect(),
        hospitals: reference.hospitals,
    };
    let engine = Engine::restore(TableTravelModel::kazakhstan(), EngineConfig::default(), snapshot)?;

    // Level with Intake and the Registry.
    let mut commands = Vec::new();
    let mut still_open = HashSet::new();
    for call in &open {
        let Some(spec) = calls::spec(call, &reference.stations) else { continue };
        still_open.insert(spec.id.clone());
        match engine.call(&spec.id) {
            None => commands.push(Command::OpenCall(spec)),
            Some(view) if view.spec != spec => commands.push(Command::UpdateCall(spec)),
            Some(_) => {}
        }
    }
    let mut ended: Vec<CallId> =
        engine.calls().map(|c| c.spec.id.clone()).filter(|id| !still_open.contains(id)).collect();
    ended.sort();
    for id in ended {
        let call = calls::by_id(db.reader(), id.as_str()).await?;
        let cancelled = call.as_ref().is_none_or(calls::cancelled);
        let reason = call.map(|c| c.cancel_reason).filter(|r| !r.is_empty());
        commands.push(Command::EndCall { call: id, cancelled, reason });
    }
    for brigade in &reference.brigades {
        if !brigade.in_service && engine.unit(&brigade.spec.id).is_some_and(|u| u.status.is_available()) {
            commands.push(withdraw(&brigade.spec.id));
        }
    }
    let world = World { engine, alerts, policies: policy_meta, stations: reference.stations, ids: stored.ids };
    Ok((world, commands))
}

fn withdraw(unit: &UnitId) -> Command {
    Command::SetStatus(StatusChange::new(unit.clone(), UnitStatus::OutOfService).because("withdrawn in the registry"))
}

/// Seeds the deployment's default policy for every region that has none yet, in one change.
pub async fn seed_policies(db: &Db) -> Result<usize, DispatchServiceError> {
    let regions = reference::load_region_codes(db.reader()).await?;
    let stored = store::load_policy_regions(db.reader()).await?;
    let missing: Vec<RegionCode> = regions.into_iter().filter(|r| !stored.contains(r)).collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let now = now_micros();
    let meta = PolicyMeta {
        updated_by: Actor { subject: SYSTEM_SUBJECT.into(), role: "system".into() },
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut tx = db.begin().await?;
    let mut new_events = Vec::new();
    for region in &missing {
        let policy = DispatchPolicy { region: region.clone(), rules: PolicyRules::kazakhstan() };
        store::put_policy(tx.conn(), &policy, &meta).await?;
        new_events.push(events::seeded(&policy));
    }
    tx.commit(Change {
        actor: Caller::system(SYSTEM_SUBJECT),
        rpc: "Dispatcher/SeedPolicies",
        entity_type: "dispatch_policy",
        entity_id: "all".into(),
        events: new_events,
    })
    .await?;
    Ok(missing.len())
}

/// Where live positions are kept: Redis (URL and key prefix) when the deployment has one.
#[derive(Debug, Clone, Default)]
pub struct PositionConfig {
    /// Redis URL and key prefix; `None` keeps positions in the database.
    pub redis: Option<(String, String)>,
}

/// Starts the engine task and returns its handle at once. The task builds the engine from
/// storage first (seeding default policies on the first start, retrying while storage is
/// unavailable), then starts following Intake and Registry events from the sequence it read
/// before building, and serves requests; requests sent meanwhile wait their turn.
pub fn spawn(context: jedel_platform::Context, config: PositionConfig, metrics: DispatchMetrics) -> Handle {
    let (requests, receiver) = mpsc::channel(QUEUE);
    let (broadcast, _) = broadcast::channel(64);
    let handle = Handle { requests, positions: broadcast.clone() };
    let follower = handle.clone();
    tokio::spawn(async move {
        let redis = config.redis.as_ref().map(|(url, prefix)| (url.as_str(), prefix.as_str()));
        let mut attempt = 0u64;
        let (positions, world, commands, after) = loop {
            attempt += 1;
            let built = async {
                let seeded = seed_policies(&context.db).await?;
                if seeded > 0 {
                    info!(regions = seeded, "dispatch policies seeded from the deployment defaults");
                }
                let after = jedel_platform::events::last_seq(context.db.reader()).await?;
                let positions = PositionStore::connect(context.db.clone(), redis).await?;
                let (world, commands) = load(&context.db, &positions).await?;
                Ok::<_, DispatchServiceError>((positions, world, commands, after))
            };
            match built.await {
                Ok(built) => break built,
                Err(e) => {
                    error!(error = %e, attempt, "cannot build the dispatch engine from storage; retrying");
                    tokio::time::sleep(Duration::from_millis(500 * attempt.min(10))).await;
                }
            }
        };
        info!(
            units = world.engine.stats().units,
            open_calls = world.engine.stats().open_calls,
            after_sequence = after,
            "dispatch engine built"
        );
        let writer = crate::positions::spawn_writer(positions.clone());
        let actor = EngineTask {
            db: context.db.clone(),
            positions,
            world,
            dirty: HashMap::new(),
            writer,
            broadcast,
            metrics,
            broken: false,
        };
        crate::follow::spawn(context, follower, after);
        actor.run(receiver, commands).await;
    });
    handle
}

struct EngineTask {
    db: Db,
    positions: PositionStore,
    world: World,
    /// Latest accepted fix of each unit since the last flush.
    dirty: HashMap<UnitId, Fix>,
    writer: mpsc::Sender<Vec<(UnitId, Fix)>>,
    broadcast: broadcast::Sender<Arc<Vec<Unit>>>,
    metrics: DispatchMetrics,
    /// Storage and memory disagree; rebuild before the next request.
    broken: bool,
}

impl EngineTask {
    async fn run(mut self, mut requests: mpsc::Receiver<Request>, commands: Vec<Command>) {
        self.level(commands).await;
        self.metrics.engine(&self.world.engine);
        let mut tick = tokio::time::interval(TICK_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut flush = tokio::time::interval(FLUSH_EVERY);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                request = requests.recv() => match request {
                    Some(request) => self.handle(request).await,
                    None => break,
                },
                _ = tick.tick() => {
                    if let Err(e) = self.tick(now_micros()).await {
                        error!(error = %e, "norm clock change could not be stored");
                    }
                    self.metrics.engine(&self.world.engine);
                }
                _ = flush.tick() => self.flush(),
            }
            if self.broken {
                self.rebuild().await;
            }
        }
        self.flush();
    }

    async fn handle(&mut self, request: Request) {
        match request {
            Request::Command { command, context, reply } => {
                let result = self.execute(command, context).await;
                let _ = reply.send(result);
            }
            Request::Positions { reports, reply } => {
                let answers = self.ingest(reports).await;
                let _ = reply.send(answers);
            }
            Request::Read(read) => read(&self.world),
            Request::ReadAt(read) => match jedel_platform::events::last_seq(self.db.reader()).await {
                Ok(seq) => read(&self.world, seq),
                // Dropping the closure drops its reply; the reader sees the task as unavailable.
                Err(e) => error!(error = %e, "cannot read the event sequence"),
            },
            Request::Follow(followed) => self.follow(followed).await,
        }
    }

    /// Runs the commands that level the engine with Intake and the Registry.
    async fn level(&mut self, commands: Vec<Command>) {
        let count = commands.len();
        for command in commands {
            if let Err(e) = self.execute(command, CommandContext::system("Dispatcher/Reconcile")).await {
                warn!(error = %e, "reconciling with intake and the registry: a command was refused");
            }
        }
        if count > 0 {
            info!(commands = count, "dispatch state levelled with intake and the registry");
        }
    }

    /// Rebuilds the engine from storage after memory and storage parted. Levelling with Intake
    /// and the Registry is tried three times; if a levelling command keeps failing, the engine
    /// is rebuilt once more from storage alone and the failure logged, so one bad record can
    /// never stop dispatch (the next event about it tries again).
    async fn rebuild(&mut self) {
        let mut attempt = 0u64;
        loop {
            attempt += 1;
            self.broken = false;
            match load(&self.db, &self.positions).await {
                Ok((world, commands)) => {
                    self.world = world;
                    if attempt > 3 {
                        error!(attempt, "levelling with intake and the registry keeps failing; serving stored state");
                        return;
                    }
                    self.level(commands).await;
                    if !self.broken {
                        warn!(attempt, "dispatch engine rebuilt from storage");
                        return;
                    }
                }
                Err(e) => error!(error = %e, attempt, "cannot rebuild the dispatch engine from storage"),
            }
            tokio::time::sleep(Duration::from_millis(500 * attempt.min(10))).await;
        }
    }

    /// Lets the norm clocks run to `now`, storing the alerts that fire.
    async fn tick(&mut self, now: Micros) -> Result<(), DispatchServiceError> {
        let mut fired = Vec::new();
        self.world.engine.tick(now, &mut fired);
        if fired.is_empty() {
            return Ok(());
        }
        let entity = Entity { kind: "norm_clock", id: "all".into() };
        self.persist(&entity, &CommandContext::system("Dispatcher/NormClock"), None, None, None, &fired, now).await
    }

    async fn execute(
        &mut self,
        command: Command,
        mut context: CommandContext,
    ) -> Result<Applied, DispatchServiceError> {
        let now = now_micros();
        self.tick(now).await?;
        if let Some(check) = context.check.take() {
            check(&self.world)?;
        }
        if let Some((scope, key)) = &context.idempotency
            && let Some(id) = store::claimed(self.db.reader(), scope, key).await?
        {
            let assignment = store::assignment(self.db.reader(), &id).await?.ok_or_else(|| {
                DispatchServiceError::corrupt("assignment", &id, "claimed by a request but not stored")
            })?;
            return Ok(Applied { reply: Reply::Assignment(Box::new(assignment)), replayed: true });
        }
        let mut entity = entity_of(&command);
        let prior = match &command {
            Command::SetStatus(change) => self.world.engine.unit(&change.unit).map(|u| Prior {
                unit: u.spec.id.clone(),
                status: u.status,
                call: u.call.clone(),
            }),
            _ => None,
        };
        let upserted = match &command {
            Command::UpsertUnit { spec, .. } => Some((spec.id.clone(), self.world.engine.unit(&spec.id).is_none())),
            _ => None,
        };
        let policy_change = match &command {
            Command::SetPolicy(policy) => Some(policy.region.clone()),
            _ => None,
        };
        let kind = command_name(&command);
        let reported_fix = match &command {
            Command::SetStatus(change) => change.fix.map(|fix| (change.unit.clone(), fix)),
            _ => None,
        };
        let outcome = self.world.engine.apply(now, command);
        let reply = match outcome.result {
            Ok(reply) => reply,
            Err(e) => {
                if !outcome.events.is_empty() {
                    // A refused command changes nothing; events here mean it half-ran.
                    error!(error = %e, "a refused command left changes behind; rebuilding");
                    self.broken = true;
                }
                return Err(e.into());
            }
        };
        self.metrics.command(kind);
        if let Some((unit, fix)) = reported_fix
            && self.world.engine.unit(&unit).and_then(|u| u.fix) == Some(fix)
        {
            self.dirty.insert(unit, fix);
        }
        if outcome.events.is_empty() {
            return Ok(Applied { reply, replayed: false });
        }
        if let Reply::Assignment(assignment) = &reply {
            entity = Entity { kind: "assignment", id: assignment.id.to_string() };
        }
        if let Some(region) = policy_change {
            let old = self.world.policy_meta(&region);
            let meta = PolicyMeta {
                updated_by: actor_of(&context.caller),
                created_at: if old.version == 0 { now } else { old.created_at },
                updated_at: now,
                version: old.version + 1,
            };
            self.world.policies.insert(region, meta);
        }
        let claimed = match (&context.idempotency, &reply) {
            (Some((scope, key)), Reply::Assignment(a)) => Some((*scope, key.clone(), a.id.to_string())),
            _ => None,
        };
        self.persist(&entity, &context, prior.as_ref(), upserted.as_ref(), claimed, &outcome.events, now).await?;
        Ok(Applied { reply, replayed: false })
    }

    /// Stores what a command changed, in one transaction with its events, the call timelines
    /// it moved and the audit row. On failure the engine is marked for a rebuild.
    #[allow(clippy::too_many_arguments)]
    async fn persist(
        &mut self,
        entity: &Entity,
        context: &CommandContext,
        prior: Option<&Prior>,
        upserted: Option<&(UnitId, bool)>,
        claimed: Option<(&'static str, String, String)>,
        changes: &[Event],
        now: Micros,
    ) -> Result<(), DispatchServiceError> {
        let result = self.write(entity, context, prior, upserted, claimed, changes, now).await;
        if result.is_err() {
            self.broken = true;
        } else {
            for event in changes {
                if let Event::Alert(alert) = event {
                    self.metrics.alert(alert.kind);
                }
            }
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    async fn write(
        &mut self,
        entity: &Entity,
        context: &CommandContext,
        prior: Option<&Prior>,
        upserted: Option<&(UnitId, bool)>,
        claimed: Option<(&'static str, String, String)>,
        changes: &[Event],
        now: Micros,
    ) -> Result<(), DispatchServiceError> {
        // Bookkeeping in memory first; a failed commit rebuilds it from storage anyway.
        let ids_before = self.world.ids;
        for event in changes {
            match event {
                Event::Alert(alert) => match alert.kind {
                    AlertKind::AtRisk | AlertKind::Breached => {
                        self.world.alerts.insert(alert.call.clone(), alert.clone());
                    }
                    AlertKind::Cleared => {
                        self.world.alerts.remove(&alert.call);
                    }
                },
                Event::CallEnded { call, .. } => {
                    self.world.alerts.remove(call);
                }
                Event::AssignmentStarted { .. } | Event::Recommended { .. } => self.world.ids += 1,
                _ => {}
            }
        }

        let mut tx = self.db.begin().await?;
        if let Some((scope, key, id)) = &claimed
            && let Some(first) = tx.claim_request_id(scope, key, id).await?
        {
            return Err(ApiError::Unavailable(format!("request {key} was answered meanwhile by {first}; retry")).into());
        }
        let mut units = BTreeSet::new();
        let mut calls = BTreeSet::new();
        let mut policies = BTreeSet::new();
        for event in changes {
            match event {
                Event::UnitChanged { unit, .. } => {
                    units.insert(unit.spec.id.clone());
                    if let Some(call) = &unit.call {
                        calls.insert(call.clone());
                    }
                }
                Event::UnitRemoved { unit, .. } => {
                    store::delete_unit(tx.conn(), unit).await?;
                }
                Event::CallQueued { call, .. } | Event::CallEnded { call, .. } | Event::Recommended { call, .. } => {
                    calls.insert(call.clone());
                }
                Event::AssignmentStarted { assignment, .. } | Event::AssignmentChanged { assignment, .. } => {
                    store::put_assignment(tx.conn(), assignment).await?;
                    calls.insert(assignment.call.clone());
                }
                Event::Alert(alert) => {
                    calls.insert(alert.call.clone());
                }
                Event::PolicyChanged { region, .. } => {
                    policies.insert(region.clone());
                }
            }
        }
        if entity.kind == "call"
            && let Ok(id) = CallId::parse(&entity.id)
        {
            calls.insert(id);
        }
        for id in &units {
            if let Some(unit) = self.world.engine.unit(id) {
                store::put_unit(tx.conn(), unit).await?;
            }
        }
        for id in &calls {
            match self.world.engine.call(id) {
                Some(view) => store::put_call(tx.conn(), view, self.world.alerts.get(id), now).await?,
                None => store::delete_call(tx.conn(), id.as_str()).await?,
            }
        }
        for region in &policies {
            let meta = self.world.policy_meta(region);
            store::put_policy(tx.conn(), &self.world.engine.policy(region), &meta).await?;
        }
        if self.world.ids != ids_before {
            store::put_ids(tx.conn(), self.world.ids).await?;
        }

        // The events: the engine's, then the call timelines they move in Intake.
        let mut new_events: Vec<NewEvent> = Vec::with_capacity(changes.len() + 2);
        let mut first_upsert = true;
        for event in changes {
            let change = match (event, upserted) {
                (Event::UnitChanged { unit, .. }, Some((id, added))) if first_upsert && &unit.spec.id == id => {
                    first_upsert = false;
                    if *added { UnitChange::Added } else { UnitChange::Details }
                }
                _ => UnitChange::Status,
            };
            new_events.push(events::to_new(event, change));
        }
        let intake_now = now.max(self.world.engine.now());
        let actor = actor_of(&context.caller);
        for (call, milestone, unit, at) in self.milestones(changes, prior, context.record_recommended) {
            let progress = Progress { milestone, unit, occurred_at: at.min(intake_now), actor: actor.clone() };
            if let Some(event) = jedel_intake::progress::record(&mut tx, call.as_str(), progress, intake_now).await? {
                new_events.push(event);
            }
        }
        tx.commit(Change {
            actor: context.caller.clone(),
            rpc: context.rpc,
            entity_type: entity.kind,
            entity_id: entity.id.clone(),
            events: new_events,
        })
        .await?;
        Ok(())
    }

    /// The steps of call timelines that `changes` make: a unit assigned or released, and for a
    /// crew's status report (`prior`), departed, on scene, transporting, at hospital, handover.
    fn milestones(
        &self,
        changes: &[Event],
        prior: Option<&Prior>,
        record_recommended: bool,
    ) -> Vec<(CallId, Milestone, Option<UnitRef>, Micros)> {
        let unit_ref = |id: &UnitId| {
            self.world.engine.unit(id).map(|u| UnitRef { unit_id: id.to_string(), team_kind: u.spec.kind })
        };
        let mut steps = Vec::new();
        let mut reported = false;
        for event in changes {
            match event {
                Event::Recommended { at, call, .. } if record_recommended => {
                    steps.push((call.clone(), Milestone::Recommended, None, *at));
                }
                Event::AssignmentStarted { at, assignment } => {
                    steps.push((assignment.call.clone(), Milestone::Assigned, unit_ref(&assignment.unit), *at));
                }
                Event::AssignmentChanged { at, assignment }
                    if matches!(
                        assignment.state,
                        AssignmentState::Released | AssignmentState::Reassigned | AssignmentState::Redispatched
                    ) =>
                {
                    steps.push((assignment.call.clone(), Milestone::UnitReleased, unit_ref(&assignment.unit), *at));
                }
                Event::UnitChanged { at, unit, .. } if !reported => {
                    let Some(prior) = prior.filter(|p| p.unit == unit.spec.id && p.status != unit.status) else {
                        continue;
                    };
                    reported = true;
                    let Some(call) = &prior.call else { continue };
                    let milestone = match unit.status {
                        UnitStatus::EnRoute => Milestone::Departed,
                        UnitStatus::OnScene => Milestone::OnScene,
                        UnitStatus::Transporting => Milestone::Transporting,
                        UnitStatus::AtHospital => Milestone::AtHospital,
                        status if !status.is_on_call() && prior.status == UnitStatus::AtHospital => Milestone::Handover,
                        _ => continue,
                    };
                    steps.push((call.clone(), milestone, unit_ref(&unit.spec.id), *at));
                }
                _ => {}
            }
        }
        steps
    }

    /// Takes a batch of tracker fixes.
    async fn ingest(&mut self, reports: Vec<PositionReport>) -> Vec<Option<PositionRejection>> {
        let now = now_micros();
        if let Err(e) = self.tick(now).await {
            error!(error = %e, "norm clock change could not be stored");
        }
        let mut changes = Vec::new();
        let mut answers = Vec::with_capacity(reports.len());
        for report in &reports {
            match self.world.engine.ingest_position(now, report, &mut changes) {
                Ok(()) => {
                    self.dirty.insert(report.unit.clone(), report.fix);
                    answers.push(None);
                }
                Err(rejection) => answers.push(Some(rejection)),
            }
        }
        if !changes.is_empty() {
            let entity = Entity { kind: "norm_clock", id: "positions".into() };
            let context = CommandContext::system("Dispatcher/StreamPositions");
            if let Err(e) = self.persist(&entity, &context, None, None, None, &changes, now).await {
                error!(error = %e, "alerts from positions could not be stored");
            }
        }
        answers
    }

    /// Hands the latest fixes to the writer and to position watchers.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        if self.broadcast.receiver_count() > 0 {
            let units: Vec<Unit> = dirty.keys().filter_map(|id| self.world.engine.unit(id).cloned()).collect();
            let _ = self.broadcast.send(Arc::new(units));
        }
        let batch: Vec<(UnitId, Fix)> = dirty.into_iter().collect();
        if let Err(mpsc::error::TrySendError::Full(batch)) = self.writer.try_send(batch) {
            // The writer is behind: keep these for the next flush unless newer fixes came.
            for (id, fix) in batch {
                self.dirty.entry(id).or_insert(fix);
            }
        }
    }

    /// Applies a change from Intake or the Registry.
    async fn follow(&mut self, followed: Followed) {
        let commands = match followed {
            Followed::Call(call) => self.call_command(&call).into_iter().collect(),
            Followed::Brigades(brigades) => self.brigade_commands(&brigades),
            Followed::Stations(stations) => {
                self.world.stations = stations;
                Vec::new()
            }
            Followed::Hospitals(hospitals) => vec![Command::SetHospitals(hospitals)],
            Followed::Region(region, minutes) => vec![Command::SetUtcOffset { region, minutes }],
        };
        for command in commands {
            let rpc = command_rpc(&command);
            if let Err(e) = self.execute(command, CommandContext::system(rpc)).await {
                warn!(error = %e, rpc, "a change followed from another service was refused");
            }
        }
    }

    /// What an Intake call's current record asks of the engine, if anything.
    fn call_command(&self, call: &Call) -> Option<Command> {
        let spec = calls::spec(call, &self.world.stations);
        let id = CallId::parse(&call.id).ok()?;
        match (spec, self.world.engine.call(&id)) {
            (Some(spec), None) => Some(Command::OpenCall(spec)),
            (Some(spec), Some(view)) if view.spec != spec => Some(Command::UpdateCall(spec)),
            (None, Some(_)) if call.status().is_terminal() => Some(Command::EndCall {
                call: id,
                cancelled: calls::cancelled(call),
                reason: Some(call.cancel_reason.clone()).filter(|r| !r.is_empty()),
            }),
            _ => None,
        }
    }

    fn brigade_commands(&self, brigades: &[Brigade]) -> Vec<Command> {
        let mut commands = Vec::new();
        for brigade in brigades {
            let known = self.world.engine.unit(&brigade.spec.id);
            if known.is_none_or(|u| *u.spec != brigade.spec) {
                let initial =
                    if brigade.in_service { UnitStatus::AvailableAtStation } else { UnitStatus::OutOfService };
                commands.push(Command::UpsertUnit { spec: brigade.spec.clone(), initial });
            }
            if !brigade.in_service && known.is_some_and(|u| u.status.is_available()) {
                commands.push(withdraw(&brigade.spec.id));
            }
        }
        commands
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::UpsertUnit { .. } => "upsert_unit",
        Command::RemoveUnit { .. } => "remove_unit",
        Command::Position(_) => "position",
        Command::SetStatus(_) => "set_status",
        Command::OpenCall(_) => "open_call",
        Command::UpdateCall(_) => "update_call",
        Command::EndCall { .. } => "end_call",
        Command::Recommend { .. } => "recommend",
        Command::Assign(_) => "assign",
        Command::Reassign(_) => "reassign",
        Command::Release(_) => "release",
        Command::Redispatch(_) => "redispatch",
        Command::SetPolicy(_) => "set_policy",
        Command::SetUtcOffset { .. } => "set_utc_offset",
        Command::SetHospitals(_) => "set_hospitals",
        Command::Tick => "tick",
    }
}

fn command_rpc(command: &Command) -> &'static str {
    match command {
        Command::OpenCall(_) | Command::UpdateCall(_) | Command::EndCall { .. } => "Dispatcher/FollowCalls",
        _ => "Dispatcher/FollowRegistry",
    }
}
