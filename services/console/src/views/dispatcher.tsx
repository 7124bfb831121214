// The dispatcher's view: the queue by category and time left to the norm (live countdowns),
// calls in progress, ranked units for the selected call (Enter assigns the highlighted one,
// 1–5 highlight), crew status on the crew's behalf, the unit board by status, alerts as
// they stream, and the map of calls, units and hospitals. ↑/↓ move through the queue.
import { useEffect, useMemo, useState } from "preact/hooks";
import { describeError, dispatch, follow, intake, registry, requestId, type Session } from "../api.js";
import { enumName, km, minutes, ms, seconds, clock } from "../format.js";
import { AlertKind, UnitStatus, type Alert, type RecommendResponse, type Unit } from "../gen/jedel/dispatch/v1/dispatch_pb.js";
import { CallStatus, Milestone, type Call } from "../gen/jedel/intake/v1/intake_pb.js";
import { TeamKind } from "../gen/jedel/common/v1/common_pb.js";
import { t, useLang } from "../i18n.js";
import { CategoryBadge, Countdown, ErrorBox, noneText, useLoad, useRegions } from "../ui/common.js";
import { KzMap, type Marker } from "../ui/KzMap.js";

const ACTIVE = [CallStatus.ASSIGNED, CallStatus.CREW_NOTIFIED, CallStatus.EN_ROUTE, CallStatus.ON_SCENE,
  CallStatus.PATIENT_CONTACT, CallStatus.TRANSPORTING, CallStatus.AT_HOSPITAL, CallStatus.HANDOVER];

/** Crew reports a dispatcher may enter for a unit, with their keys. */
const CREW_STEPS: { key: string; status: UnitStatus }[] = [
  { key: "d", status: UnitStatus.EN_ROUTE },
  { key: "s", status: UnitStatus.ON_SCENE },
  { key: "t", status: UnitStatus.TRANSPORTING },
  { key: "h", status: UnitStatus.AT_HOSPITAL },
  { key: "f", status: UnitStatus.AVAILABLE_ON_MOVE },
];

export function DispatcherView(props: { session: Session; tileUrl?: string | null }) {
  useLang();
  const regions = useRegions();
  const [region, setRegion] = useState(props.session.regions[0] ?? "KZ-71");
  const [tick, setTick] = useState(0);
  const refresh = () => setTick((n) => n + 1);
  const [queue, queueError] = useLoad(() => dispatch.getQueue({ regionCode: region }), [region, tick]);
  const [active] = useLoad(() => intake.listCalls({ regionCode: region, statuses: ACTIVE, pageSize: 200 }), [region, tick]);
  const [units, setUnits] = useState<Map<string, Unit>>(new Map());
  const [hospitals] = useLoad(() => registry.listHospitals({ regionCode: region, pageSize: 1000 }), [region]);
  const [stations] = useLoad(() => registry.listStations({ regionCode: region, pageSize: 1000 }), [region]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [selected, setSelected] = useState<string>();
  const [streamError, setStreamError] = useState("");

  useEffect(() => {
    const abort = new AbortController();
    setUnits(new Map());
    setAlerts([]);
    dispatch.listUnits({ regionCode: region, pageSize: 1000 }).then(
      (r) => setUnits(new Map(r.units.map((u) => [u.id, u]))),
      (e) => setStreamError(describeError(e)),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    };
    follow((after, signal) => intake.watchCalls({ afterSequence: after, regionCode: region }, { signal }), soon, abort.signal, setStreamError);
    follow(
      (after, signal) => dispatch.watchUnits({ afterSequence: after, regionCode: region }, { signal }),
      (event) => {
        if (event.unit) setUnits((old) => new Map(old).set(event.unit!.id, event.unit!));
        soon();
      },
      abort.signal,
      setStreamError,
    );
    follow(
      (after, signal) => dispatch.watchAlerts({ afterSequence: after, regionCode: region }, { signal }),
      (alert) => setAlerts((old) => [alert, ...old].slice(0, 50)),
      abort.signal,
      setStreamError,
    );
    const poll = setInterval(refresh, 15000);
    return () => {
      abort.abort();
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, [region]);

  const queued = queue?.calls ?? [];
  const activeCalls = active?.calls ?? [];
  const selectedCall = activeCalls.find((c) => c.id === selected);
  const ids = [...queued.map((q) => q.callId), ...activeCalls.map((c) => c.id)];
  useEffect(() => {
    if (!selected && queued.length) setSelected(queued[0].callId);
  }, [queued.length]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.altKey || e.ctrlKey) return;
      const i = selected ? ids.indexOf(selected) : -1;
      if (e.key === "ArrowDown" || e.key === "j") setSelected(ids[Math.min(ids.length - 1, i + 1)]);
      else if (e.key === "ArrowUp" || e.key === "k") setSelected(ids[Math.max(0, i - 1)]);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const unitList = [...units.values()];
  const markers: Marker[] = useMemo(() => {
    const out: Marker[] = [];
    for (const h of hospitals?.hospitals ?? []) if (h.position) out.push({ ...h.position, kind: "hospital", label: h.name });
    const home = new Map((stations?.stations ?? []).map((s) => [s.id, s.position]));
    for (const u of unitList) {
      // A unit that has reported no position yet is ranked from its home station.
      const at = u.position ?? home.get(u.stationId);
      if (!at) continue;
      const free = u.status === UnitStatus.AVAILABLE_AT_STATION || u.status === UnitStatus.AVAILABLE_ON_MOVE;
      out.push({ lat: at.lat, lon: at.lon, kind: free ? "unit" : "busy", label: u.callSign });
    }
    for (const q of queued) if (q.position) out.push({ ...q.position, kind: "call", label: q.callNumber, category: q.category, selected: q.callId === selected });
    for (const c of activeCalls)
      if (c.location?.position) out.push({ ...c.location.position, kind: "call", label: c.number, category: c.category, selected: c.id === selected });
    return out;
  }, [hospitals, stations, units, queue, active, selected]);

  return (
    <div class="grid dispatcher">
      <section class="col">
        <div class="card">
          <h2 class="row">
            {t("queue")} <span class="count">{queued.length}</span>
            <span class="grow" />
            {props.session.regions.length !== 1 ? (
              <select value={region} onChange={(e) => setRegion(e.currentTarget.value)} data-testid="dispatch-region">
                {(props.session.regions.length ? props.session.regions : regions.map((r) => r.code)).map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : (
              <span class="muted">{region}</span>
            )}
          </h2>
          <ErrorBox error={queueError} />
          <ul class="list" data-testid="queue">
            {queued.length === 0 ? <li>{noneText()}</li> : null}
            {queued.map((q) => (
              <li
                key={q.callId}
                class={q.callId === selected ? "item sel" : "item"}
                onClick={() => setSelected(q.callId)}
                data-testid="queue-item"
                data-call={q.callNumber}
              >
                <CategoryBadge category={q.category} /> <strong>{q.callNumber}</strong>
                <span class="grow" /> <Countdown deadline={ms(q.deadlineAt)} />
              </li>
            ))}
          </ul>
        </div>
        <div class="card">
          <h2>
            {t("active")} <span class="count">{activeCalls.length}</span>
          </h2>
          <ul class="list" data-testid="active">
            {activeCalls.length === 0 ? <li>{noneText()}</li> : null}
            {activeCalls.map((c) => (
              <li key={c.id} class={c.id === selected ? "item sel" : "item"} onClick={() => setSelected(c.id)} data-testid="active-item" data-call={c.number}>
                <CategoryBadge category={c.category} /> <strong>{c.number}</strong>
                <span class="status" data-testid="call-status">
                  {enumName(CallStatus, c.status)}
                </span>
                <span class="grow" />
                {c.status < CallStatus.ON_SCENE ? <Countdown deadline={ms(c.deadlineAt)} /> : null}
              </li>
            ))}
          </ul>
        </div>
      </section>
      <section class="col">
        {selectedCall ? (
          <ActiveCall call={selectedCall} units={units} onChanged={refresh} />
        ) : selected && queued.some((q) => q.callId === selected) ? (
          <Recommendations callId={selected} onAssigned={refresh} />
        ) : (
          <div class="card muted">{t("selectCall")}</div>
        )}
        <UnitBoard units={unitList} />
      </section>
      <section class="col">
        <div class="card">
          <KzMap markers={markers} tileUrl={props.tileUrl} height={300} testId="dispatch-map" />
        </div>
        <div class="card">
          <h2>{t("alerts")}</h2>
          <ErrorBox error={streamError} />
          <ul class="list" data-testid="alerts">
            {alerts.length === 0 ? <li>{noneText()}</li> : null}
            {alerts.map((a) => (
              <li key={String(a.sequence)} class={`item alert-${AlertKind[a.kind].toLowerCase()}`} data-testid="alert">
                <span>{clock(a.occurredAt)}</span> <strong>{enumName(AlertKind, a.kind)}</strong> {a.callNumber}
                <CategoryBadge category={a.category} />
                {a.bestEta ? <span class="muted"> ETA {minutes(seconds(a.bestEta))}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}

function isTyping(e: KeyboardEvent) {
  const el = e.target as HTMLElement;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

function Recommendations(props: { callId: string; onAssigned: () => void }) {
  const [answer, setAnswer] = useState<RecommendResponse>();
  const [error, setError] = useState("");
  const [pick, setPick] = useState(0);
  const [reason, setReason] = useState("");
  const [key] = useState(requestId());
  useEffect(() => {
    setAnswer(undefined);
    setPick(0);
    setError("");
    dispatch.recommend({ callId: props.callId, limit: 5 }).then(setAnswer, (e) => setError(describeError(e)));
  }, [props.callId]);
  const recs = answer?.recommendations ?? [];
  const assign = async () => {
    const rec = recs[pick];
    if (!rec || !answer) return;
    if (rec.rank !== 1 && !reason.trim()) {
      document.querySelector<HTMLInputElement>("[data-testid=assign-reason]")?.focus();
      return;
    }
    try {
      await dispatch.assign({ requestId: `${key}-${rec.unit!.id}`, callId: props.callId, unitId: rec.unit!.id, recommendationId: answer.recommendationId, reason });
      props.onAssigned();
    } catch (e) {
      setError(describeError(e));
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey) return;
      if (e.key === "Enter" && (!isTyping(e) || (e.target as HTMLElement).dataset.testid === "assign-reason")) {
        e.preventDefault();
        assign();
      } else if (!isTyping(e) && /^[1-9]$/.test(e.key) && Number(e.key) <= recs.length) {
        setPick(Number(e.key) - 1);
        e.preventDefault();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });
  return (
    <div class="card" data-testid="recommendations">
      <h2 class="row">
        {t("recommendations")} {answer ? <CategoryBadge category={answer.category} /> : null}
        <span class="grow" />
        {answer ? <Countdown deadline={ms(answer.deadlineAt)} /> : null}
      </h2>
      {answer?.noUnitMeetsNorm ? <p class="warn">{answer.message || t("noUnitMeetsNorm")}</p> : null}
      <ErrorBox error={error} />
      <table class="table">
        <tbody>
          {recs.map((r, i) => (
            <tr key={r.unit!.id} class={i === pick ? "sel" : ""} onClick={() => setPick(i)} data-testid="recommendation">
              <td>
                <kbd>{r.rank}</kbd>
              </td>
              <td>
                <strong>{r.unit!.callSign}</strong>
                <div class="muted">{enumName(TeamKind, r.unit!.kind)}</div>
              </td>
              <td class={r.meetsNorm ? "ok" : "warn"}>
                <strong>{minutes(seconds(r.eta))}</strong>
                <div class="muted">{km(r.distanceM)}</div>
              </td>
              <td class="reason">{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {answer?.airOption ? (
        <p class="muted">
          ✈ {answer.airOption.registration} · {minutes(seconds(answer.airOption.timeToPatient))}
        </p>
      ) : null}
      <div class="row end">
        {recs[pick] && recs[pick].rank !== 1 ? (
          <input data-testid="assign-reason" placeholder={t("reason")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        ) : null}
        <button class="primary" onClick={assign} disabled={!recs.length} data-testid="assign">
          {t("assign")} {recs[pick]?.unit?.callSign} <kbd>Enter</kbd>
        </button>
      </div>
    </div>
  );
}

function ActiveCall(props: { call: Call; units: Map<string, Unit>; onChanged: () => void }) {
  const [error, setError] = useState("");
  const unitId = [...props.call.timeline].reverse().find((e) => e.unitId)?.unitId;
  const unit = unitId ? props.units.get(unitId) : undefined;
  const report = async (status: UnitStatus) => {
    if (!unit) return;
    try {
      await dispatch.updateUnitStatus({ id: unit.id, expectedVersion: unit.version, status });
      setError("");
      props.onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.altKey || e.ctrlKey) return;
      const step = CREW_STEPS.find((s) => s.key === e.key.toLowerCase());
      if (step) {
        e.preventDefault();
        report(step.status);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });
  return (
    <div class="card" data-testid="active-call">
      <h2 class="row">
        № {props.call.number} <CategoryBadge category={props.call.category} />
        <span class="grow" />
        <span class="status">{enumName(CallStatus, props.call.status)}</span>
      </h2>
      <p>{props.call.location?.address}</p>
      <p>
        {t("units")}: <strong data-testid="active-unit">{unit?.callSign ?? "—"}</strong>{" "}
        {unit ? <span class="status" data-testid="unit-status">{enumName(UnitStatus, unit.status)}</span> : null}
      </p>
      <div class="row">
        {CREW_STEPS.map((s) => (
          <button key={s.key} onClick={() => report(s.status)} data-testid={`crew-${s.key}`}>
            {enumName(UnitStatus, s.status)} <kbd>{s.key.toUpperCase()}</kbd>
          </button>
        ))}
      </div>
      <ErrorBox error={error} />
      <ol class="timeline">
        {props.call.timeline.map((e, i) => (
          <li key={i}>
            {clock(e.occurredAt)} {enumName(Milestone, e.milestone)} {e.unitId ? props.units.get(e.unitId)?.callSign : ""}
          </li>
        ))}
      </ol>
    </div>
  );
}

function UnitBoard(props: { units: Unit[] }) {
  const groups = new Map<UnitStatus, Unit[]>();
  for (const u of props.units) groups.set(u.status, [...(groups.get(u.status) ?? []), u]);
  const order = [...groups.keys()].sort((a, b) => a - b);
  return (
    <div class="card" data-testid="unit-board">
      <h2>
        {t("units")} <span class="count">{props.units.length}</span>
      </h2>
      <div class="board">
        {order.map((status) => (
          <div key={status} class="board-col">
            <div class="board-head">
              {enumName(UnitStatus, status)} <span class="count">{groups.get(status)!.length}</span>
            </div>
            <div class="chips">
              {groups
                .get(status)!
                .slice(0, 40)
                .map((u) => (
                  <span key={u.id} class={`chip st${status}`} title={enumName(TeamKind, u.kind)}>
                    {u.callSign}
                  </span>
                ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
