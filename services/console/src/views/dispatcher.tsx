// The dispatcher's view: the queue by category and time left to the norm (live countdowns),
// calls in progress, ranked units for the selected call (Enter assigns the highlighted one,
// 1–5 highlight), and for a call in progress crew status on the crew's behalf, the ranked
// destination hospitals (1–5 choose), reassigning (R) or releasing (X) its unit; the unit
// board by status, alerts as they stream, and the map of calls, units and hospitals with the
// chosen destination. A unit busy on a less urgent call is taken with Redispatch. Any open call
// can be cancelled (Delete, with the reason) and closed with its outcome (C). ↑/↓ move
// through the queue and the calls in progress.
import { useEffect, useMemo, useState } from "preact/hooks";
import { describeError, dispatch, follow, intake, registry, requestId, type Session } from "../api.js";
import { km, minutes, ms, seconds, clock } from "../format.js";
import {
  AlertKind, ProfileFit, UnitStatus, type Alert, type HospitalOption, type Recommendation, type RecommendResponse, type Unit,
} from "../gen/jedel/dispatch/v1/dispatch_pb.js";
import { CallStatus, Milestone, OutcomeKind, type Call } from "../gen/jedel/intake/v1/intake_pb.js";
import { HospitalProfile, TeamKind } from "../gen/jedel/common/v1/common_pb.js";
import { t, useLang, enumName } from "../i18n.js";
import { CategoryBadge, Countdown, ErrorBox, isTyping, noneText, useLoad, useRegions, useKeys } from "../ui/common.js";
import { KzMap, type Line, type Marker } from "../ui/KzMap.js";

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
  // The destination chosen per call; the API ranks hospitals but keeps no choice.
  const [destinations, setDestinations] = useState<Map<string, HospitalOption>>(new Map());

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
  useKeys((e) => {
    if (isTyping(e) || e.altKey || e.ctrlKey) return;
    const i = selected ? ids.indexOf(selected) : -1;
    if (e.key === "ArrowDown" || e.key === "j") setSelected(ids[Math.min(ids.length - 1, i + 1)]);
    else if (e.key === "ArrowUp" || e.key === "k") setSelected(ids[Math.max(0, i - 1)]);
    else return;
    e.preventDefault();
  });

  const unitList = [...units.values()];
  const destination = selected ? destinations.get(selected) : undefined;
  const lines: Line[] = [];
  const scene = selectedCall?.location?.position;
  if (scene && destination?.position) lines.push({ points: [scene, destination.position] });
  const markers: Marker[] = useMemo(() => {
    const out: Marker[] = [];
    if (destination?.position) out.push({ ...destination.position, kind: "hospital", label: destination.name, selected: true });
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
  }, [hospitals, stations, units, queue, active, selected, destination]);

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
          <ActiveCall
            key={selectedCall.id}
            call={selectedCall}
            units={units}
            destination={destination}
            onDestination={(h) => setDestinations((old) => new Map(old).set(selectedCall.id, h))}
            onChanged={refresh}
          />
        ) : selected && queued.some((q) => q.callId === selected) ? (
          <Recommendations key={selected} callId={selected} onAssigned={refresh} />
        ) : (
          <div class="card muted">{t("selectCall")}</div>
        )}
        <UnitBoard units={unitList} />
      </section>
      <section class="col">
        <div class="card">
          <KzMap markers={markers} lines={lines} tileUrl={props.tileUrl} height={300} testId="dispatch-map" />
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
                {a.bestEta ? <span class="muted"> {t("eta")} {minutes(seconds(a.bestEta))}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
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
  const rec = recs[pick];
  // A unit busy on a less urgent call is diverted (Redispatch, reason optional); any other
  // than the top one needs a reason.
  const needsReason = rec && rec.rank !== 1 && !rec.redispatchFromCallId;
  const assign = async () => {
    if (!rec || !answer) return;
    if (needsReason && !reason.trim()) {
      document.querySelector<HTMLInputElement>("[data-testid=assign-reason]")?.focus();
      return;
    }
    const base = { requestId: `${key}-${rec.unit!.id}`, callId: props.callId, unitId: rec.unit!.id, reason };
    try {
      await (rec.redispatchFromCallId ? dispatch.redispatch(base) : dispatch.assign({ ...base, recommendationId: answer.recommendationId }));
      props.onAssigned();
    } catch (e) {
      setError(describeError(e));
    }
  };
  useKeys((e) => {
    if (e.altKey || e.ctrlKey || inEndCall(e)) return;
    if (e.key === "Enter" && (!isTyping(e) || (e.target as HTMLElement).dataset.testid === "assign-reason")) {
      e.preventDefault();
      assign();
    } else if (!isTyping(e) && /^[1-9]$/.test(e.key) && Number(e.key) <= recs.length) {
      setPick(Number(e.key) - 1);
      e.preventDefault();
    }
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
      <RankedUnits recs={recs} pick={pick} onPick={setPick} />
      {answer?.airOption ? (
        <p class="muted">
          ✈ {answer.airOption.registration} · {minutes(seconds(answer.airOption.timeToPatient))}
        </p>
      ) : null}
      <div class="row end">
        {rec && rec.rank !== 1 ? (
          <input data-testid="assign-reason" placeholder={t("reason")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        ) : null}
        <button class="primary" onClick={assign} disabled={!recs.length} data-testid="assign">
          {t(rec?.redispatchFromCallId ? "divert" : "assign")} {rec?.unit?.callSign} <kbd>Enter</kbd>
        </button>
      </div>
      <EndCall callId={props.callId} hospitals={[]} onDone={props.onAssigned} />
    </div>
  );
}

/** Ranked units with ETA, distance and the reason; the picked one highlighted. */
function RankedUnits(props: { recs: Recommendation[]; pick: number; onPick: (i: number) => void }) {
  return (
    <table class="table">
      <tbody>
        {props.recs.map((r, i) => (
          <tr key={r.unit!.id} class={i === props.pick ? "sel" : ""} onClick={() => props.onPick(i)} data-testid="recommendation">
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
            <td class="reason">
              {r.reason}
              {r.redispatchFromCallId ? <DivertedFrom callId={r.redispatchFromCallId} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The call a unit would be diverted from, by its number. */
function DivertedFrom(props: { callId: string }) {
  const [call] = useLoad(() => intake.getCall({ id: props.callId }), [props.callId]);
  return (
    <div class="warn" data-testid="diverts-from">
      {t("divertsFrom")} № {call?.number ?? "…"}
    </div>
  );
}

/** Whether a key went to the close/cancel form, whose keys its parents leave alone. */
const inEndCall = (e: KeyboardEvent) => !!(e.target as HTMLElement).closest?.("[data-testid=end-call]");

/** Closing a call with its outcome (C) or cancelling it with a reason (Delete); Enter
 * confirms, Esc leaves. `hospitals` are the receiving hospitals to pick from when the
 * patient is hospitalised, `chosen` the one chosen as destination. */
function EndCall(props: { callId: string; hospitals: HospitalOption[]; chosen?: HospitalOption; onDone: () => void }) {
  const [mode, setMode] = useState<"" | "close" | "cancel">("");
  const [kind, setKind] = useState(OutcomeKind.TREATED_ON_SCENE);
  const [hospitalId, setHospitalId] = useState("");
  const [attempted, setAttempted] = useState(false);
  const [successful, setSuccessful] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const focus = (id: string) => setTimeout(() => document.querySelector<HTMLElement>(`[data-testid=${id}]`)?.focus());
  const begin = (next: "close" | "cancel") => {
    setMode(next);
    setError("");
    setHospitalId(props.chosen?.hospitalId ?? props.hospitals[0]?.hospitalId ?? "");
    focus(next === "close" ? "close-outcome" : "cancel-reason");
  };
  const confirm = async () => {
    if (mode === "cancel" && !reason.trim()) return focus("cancel-reason");
    try {
      if (mode === "cancel") await intake.cancelCall({ id: props.callId, expectedVersion: 0n, reason });
      else {
        const outcome = {
          kind,
          hospitalId: kind === OutcomeKind.HOSPITALISED ? hospitalId : "",
          resuscitationAttempted: attempted,
          resuscitationSuccessful: attempted && successful,
        };
        await intake.closeCall({ id: props.callId, expectedVersion: 0n, outcome });
      }
      setMode("");
      props.onDone();
    } catch (e) {
      setError(describeError(e));
    }
  };
  useKeys((e) => {
    if (e.altKey || e.ctrlKey) return;
    // Enter on a focused button clicks it; elsewhere in the form it confirms.
    if (mode && e.key === "Escape") setMode("");
    else if (mode && e.key === "Enter" && inEndCall(e) && (e.target as HTMLElement).tagName !== "BUTTON") confirm();
    else if (isTyping(e) || mode) return;
    else if (e.key.toLowerCase() === "c") begin("close");
    else if (e.key === "Delete") begin("cancel");
    else return;
    e.preventDefault();
  });
  return (
    <>
      <div class="row">
        <button onClick={() => begin("close")} data-testid="close-call">
          {t("closeCall")} <kbd>C</kbd>
        </button>
        <button onClick={() => begin("cancel")} data-testid="cancel-call">
          {t("cancelCall")} <kbd>Del</kbd>
        </button>
      </div>
      {mode ? (
        <div class="change" data-testid="end-call">
          {mode === "close" ? (
            <div class="row">
              <label>
                {t("outcome")}{" "}
                <select data-testid="close-outcome" value={kind} onChange={(e) => setKind(Number(e.currentTarget.value))}>
                  {[OutcomeKind.TREATED_ON_SCENE, OutcomeKind.HOSPITALISED, OutcomeKind.REFUSED, OutcomeKind.DEATH, OutcomeKind.HANDED_TO_PHC].map((k) => (
                    <option key={k} value={k}>
                      {enumName(OutcomeKind, k)}
                    </option>
                  ))}
                </select>
              </label>
              {kind === OutcomeKind.HOSPITALISED ? (
                <label>
                  {t("hospital")}{" "}
                  <select data-testid="close-hospital" value={hospitalId} onChange={(e) => setHospitalId(e.currentTarget.value)}>
                    {props.hospitals.map((h) => (
                      <option key={h.hospitalId} value={h.hospitalId}>
                        {h.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <label class="answer">
                <input type="checkbox" data-testid="close-resus-attempted" checked={attempted} onChange={(e) => setAttempted(e.currentTarget.checked)} />{" "}
                {t("resuscitationAttempted")}
              </label>
              <label class="answer">
                <input
                  type="checkbox"
                  data-testid="close-resus-successful"
                  disabled={!attempted}
                  checked={attempted && successful}
                  onChange={(e) => setSuccessful(e.currentTarget.checked)}
                />{" "}
                {t("resuscitationSuccessful")}
              </label>
            </div>
          ) : (
            <input class="grow" data-testid="cancel-reason" placeholder={t("reasonNeeded")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          )}
          <div class="row end">
            <button class="primary" onClick={confirm} data-testid="end-call-confirm">
              {t(mode === "close" ? "closeCall" : "cancelCall")} <kbd>Enter</kbd>
            </button>
            <button onClick={() => setMode("")}>
              <kbd>Esc</kbd>
            </button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </>
  );
}

/** What the reason field of a call in progress is for. */
type Change = "" | "reassign" | "release";

function ActiveCall(props: {
  call: Call;
  units: Map<string, Unit>;
  destination?: HospitalOption;
  onDestination: (h: HospitalOption) => void;
  onChanged: () => void;
}) {
  const [error, setError] = useState("");
  const [change, setChange] = useState<Change>("");
  const [reason, setReason] = useState("");
  const [candidates, setCandidates] = useState<Recommendation[]>([]);
  const [pick, setPick] = useState(0);
  const [key] = useState(requestId());
  // The unit now on the call: the latest one of the timeline still working on it.
  const working = [...props.call.timeline]
    .reverse()
    .map((e) => props.units.get(e.unitId))
    .find((u) => u?.callId === props.call.id);
  const replaceable = working?.status === UnitStatus.ASSIGNED || working?.status === UnitStatus.EN_ROUTE;
  const profiles = props.call.triage?.hospitalProfiles ?? [];
  const [ranked, rankError] = useLoad(
    () => dispatch.chooseDestination({ callId: props.call.id, position: working?.position ?? props.call.location?.position, profiles, limit: 5 }),
    [props.call.id],
  );
  const hospitals = ranked?.hospitals ?? [];
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError("");
      setChange("");
      setReason("");
      props.onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const report = (status: UnitStatus) => working && run(() => dispatch.updateUnitStatus({ id: working.id, expectedVersion: working.version, status }));
  const focusReason = () => setTimeout(() => document.querySelector<HTMLInputElement>("[data-testid=unit-reason]")?.focus());
  const begin = (next: Change) => {
    if (!working || (next === "reassign" && !replaceable)) return;
    setChange(next);
    setError("");
    setPick(0);
    if (next === "reassign") {
      setCandidates([]);
      dispatch.recommend({ callId: props.call.id, limit: 5 }).then((r) => setCandidates(r.recommendations), (e) => setError(describeError(e)));
    } else focusReason();
  };
  const confirm = () => {
    if (!working || !change) return;
    if (!reason.trim()) return focusReason();
    if (change === "release") return run(() => dispatch.release({ assignmentId: working.assignmentId, expectedVersion: 0n, reason }));
    const next = candidates[pick]?.unit;
    if (next) run(() => dispatch.reassign({ requestId: `${key}-${next.id}`, assignmentId: working.assignmentId, unitId: next.id, reason }));
  };
  useKeys((e) => {
    if (e.altKey || e.ctrlKey || inEndCall(e)) return;
    const inReason = (e.target as HTMLElement).dataset?.testid === "unit-reason";
    if (e.key === "Escape" && change) setChange("");
    else if (e.key === "Enter" && change && (inReason || !isTyping(e))) confirm();
    else if (isTyping(e)) return;
    else if (/^[1-5]$/.test(e.key) && change === "reassign" && Number(e.key) <= candidates.length) {
      setPick(Number(e.key) - 1);
      focusReason();
    } else if (/^[1-5]$/.test(e.key) && !change && hospitals[Number(e.key) - 1]) props.onDestination(hospitals[Number(e.key) - 1]);
    else if (e.key.toLowerCase() === "r") begin("reassign");
    else if (e.key.toLowerCase() === "x") begin("release");
    else {
      const step = CREW_STEPS.find((s) => s.key === e.key.toLowerCase());
      if (!step) return;
      report(step.status);
    }
    e.preventDefault();
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
        {t("units")}: <strong data-testid="active-unit">{working?.callSign ?? "—"}</strong>{" "}
        {working ? <span class="status" data-testid="unit-status">{enumName(UnitStatus, working.status)}</span> : null}
      </p>
      <div class="row">
        {CREW_STEPS.map((s) => (
          <button key={s.key} onClick={() => report(s.status)} data-testid={`crew-${s.key}`} disabled={!working}>
            {enumName(UnitStatus, s.status)} <kbd>{s.key.toUpperCase()}</kbd>
          </button>
        ))}
        <button onClick={() => begin("reassign")} data-testid="reassign" disabled={!replaceable}>
          {t("reassign")} <kbd>R</kbd>
        </button>
        <button onClick={() => begin("release")} data-testid="release" disabled={!working}>
          {t("release")} <kbd>X</kbd>
        </button>
      </div>
      {change ? (
        <div class="change" data-testid="unit-change">
          {change === "reassign" ? (
            <>
              <h3>{t("reassignTo")}</h3>
              <RankedUnits recs={candidates} pick={pick} onPick={(i) => (setPick(i), focusReason())} />
            </>
          ) : null}
          <div class="row">
            <input class="grow" data-testid="unit-reason" placeholder={t("reasonNeeded")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button class="primary" onClick={confirm} data-testid="unit-change-confirm">
              {t(change === "reassign" ? "reassign" : "release")} {change === "reassign" ? candidates[pick]?.unit?.callSign : working?.callSign} <kbd>Enter</kbd>
            </button>
            <button onClick={() => setChange("")}>
              <kbd>Esc</kbd>
            </button>
          </div>
        </div>
      ) : null}
      <ErrorBox error={error} />
      <EndCall callId={props.call.id} hospitals={hospitals} chosen={props.destination} onDone={props.onChanged} />
      <h3>
        {t("destinationHospital")}
        {profiles.length ? <span class="muted"> · {profiles.map((p) => enumName(HospitalProfile, p)).join(", ")}</span> : null}
      </h3>
      <ErrorBox error={rankError} />
      <table class="table" data-testid="destinations">
        <tbody>
          {hospitals.map((h) => (
            <tr
              key={h.hospitalId}
              class={h.hospitalId === props.destination?.hospitalId ? "sel" : ""}
              onClick={() => props.onDestination(h)}
              data-testid="destination-option"
            >
              <td>
                <kbd>{h.rank}</kbd>
              </td>
              <td>
                <strong>{h.name}</strong>
                <div class="muted">
                  {enumName(ProfileFit, h.fit)}
                  {h.missingProfiles.length ? ` · ${t("missing")}: ${h.missingProfiles.map((p) => enumName(HospitalProfile, p)).join(", ")}` : ""}
                </div>
              </td>
              <td>
                <strong>{minutes(seconds(h.travelTime))}</strong>
                <div class="muted">{km(h.distanceM)}</div>
              </td>
              <td class="reason">{h.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.destination ? (
        <p data-testid="destination">
          {t("chosen")}: <strong>{props.destination.name}</strong>
        </p>
      ) : null}
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
