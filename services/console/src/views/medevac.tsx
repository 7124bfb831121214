// The medevac view. NCCEM (medevac dispatcher): requests grouped by step, the selected
// request with its workflow actions, the aircraft ranked by the Dispatcher with each
// multi-leg plan and every exclusion, the thread with the airline, and the flight on the
// map with the aircraft's reported track and last position (flight.tsx), and the request's
// documents. Coordinators file and submit requests; airline operators answer their taskings,
// name the crew and report the milestones.
import { useEffect, useState } from "preact/hooks";
import { describeError, follow, medevac, dispatch, requestId, type Session } from "../api.js";
import { clock, km, minutes, money, seconds } from "../format.js";
import {
  MissionType, PatientNeed, RequestStatus, Severity, TaskingStatus, Urgency, type MedevacRequest, type Tasking,
} from "../gen/jedel/medevac/v1/medevac_pb.js";
import { ExclusionReason, LegKind, MedicalModule, TravelMode, type RankAircraftResponse } from "../gen/jedel/dispatch/v1/dispatch_pb.js";
import { enumName, roleName, t, useLang } from "../i18n.js";
import { ErrorBox, noneText, useLoad, useTick } from "../ui/common.js";
import { KzMap, type Line, type Marker } from "../ui/KzMap.js";
import { CoordinatorForm } from "./coordinator.js";
import { Documents } from "./documents.js";
import { addFlight, FlightAlerts, flying, FlightReports, LastPosition, useFlightTrack } from "./flight.js";

const OPEN_STEPS = [RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW, RequestStatus.RETURNED_FOR_INFORMATION,
  RequestStatus.APPROVED, RequestStatus.AIRCRAFT_CHOSEN, RequestStatus.AIRLINE_TASKED, RequestStatus.DECLINED, RequestStatus.ACCEPTED,
  RequestStatus.CREW_ASSIGNED, RequestStatus.DEPARTED, RequestStatus.AT_ORIGIN, RequestStatus.PATIENT_ON_BOARD, RequestStatus.LANDED,
  RequestStatus.HANDED_OVER];

export function MedevacView(props: { session: Session; tileUrl?: string | null }) {
  useLang();
  if (props.session.role === "airline") return <AirlineDesk session={props.session} tileUrl={props.tileUrl} />;
  return <RequestDesk session={props.session} tileUrl={props.tileUrl} />;
}

function useRequests(region: string | undefined) {
  const [tick, setTick] = useState(0);
  const [list, error] = useLoad(() => medevac.listRequests({ regionCode: region ?? "", statuses: OPEN_STEPS, pageSize: 200 }), [tick]);
  useEffect(() => {
    const abort = new AbortController();
    follow((after, signal) => medevac.watchRequests({ afterSequence: after }, { signal }), () => setTick((n) => n + 1), abort.signal);
    return () => abort.abort();
  }, []);
  return { requests: list?.medevacRequests ?? [], error, changes: tick, refresh: () => setTick((n) => n + 1) };
}

function RequestDesk(props: { session: Session; tileUrl?: string | null }) {
  const coordinator = props.session.role === "coordinator";
  const { requests, error, changes, refresh } = useRequests(coordinator ? props.session.regions[0] : undefined);
  const [selected, setSelected] = useState<string>();
  const request = requests.find((r) => r.id === selected);
  const steps = OPEN_STEPS.filter((s) => requests.some((r) => r.status === s));
  return (
    <div class="grid medevac">
      <section class="col">
        {coordinator ? <CoordinatorForm session={props.session} onCreated={(id) => (setSelected(id), refresh())} /> : null}
        <div class="card">
          <h2>
            {t("requests")} <span class="count">{requests.length}</span>
          </h2>
          <ErrorBox error={error} />
          {requests.length === 0 ? noneText() : null}
          <div data-testid="requests">
            {steps.map((step) => (
              <div key={step}>
                <div class="board-head">{enumName(RequestStatus, step)}</div>
                <ul class="list">
                  {requests
                    .filter((r) => r.status === step)
                    .map((r) => (
                      <li key={r.id} class={r.id === selected ? "item sel" : "item"} onClick={() => setSelected(r.id)} data-testid="request-item">
                        <strong>{r.number}</strong> {enumName(Urgency, r.details?.urgency ?? 0)}
                        <span class="grow" />
                        <span class="muted">{r.details?.origin?.name}</span>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </div>
        </div>
      </section>
      {request ? <RequestDetail key={request.id} request={request} session={props.session} changes={changes} onChanged={refresh} tileUrl={props.tileUrl} /> : (
        <section class="col"><div class="card muted">{t("selectCall")}</div></section>
      )}
    </div>
  );
}

function RequestDetail(props: { request: MedevacRequest; session: Session; changes: number; onChanged: () => void; tileUrl?: string | null }) {
  const r = props.request;
  const d = r.details!;
  const [error, setError] = useState("");
  const [reason, setReason] = useState("");
  const [ranking, setRanking] = useState<RankAircraftResponse>();
  const nccem = props.session.role === "medevac_dispatcher" || props.session.role === "admin";
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError("");
      props.onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const canChoose = nccem && [RequestStatus.APPROVED, RequestStatus.DECLINED, RequestStatus.AIRCRAFT_CHOSEN].includes(r.status);
  useEffect(() => {
    if (!canChoose) return;
    const p = d.patient;
    const needs = p?.needs ?? [];
    const module = p?.ventilated || needs.includes(PatientNeed.INTENSIVE_CARE_MODULE) ? MedicalModule.INTENSIVE_CARE
      : needs.includes(PatientNeed.STRETCHER) || needs.includes(PatientNeed.OXYGEN) ? MedicalModule.BASIC : MedicalModule.NONE;
    const place = (f: typeof d.origin) => (f?.hospitalId ? { hospitalId: f.hospitalId } : { position: f?.position });
    dispatch
      .rankAircraft({
        medevacRequestId: r.id,
        missionType: d.missionType as number,
        origin: place(d.origin),
        destination: place(d.destination),
        urgency: d.urgency as number,
        needs: { medicalModule: module, stretcher: needs.includes(PatientNeed.STRETCHER), incubator: needs.includes(PatientNeed.INCUBATOR), seats: d.accompanyingPersons.length },
        limit: 5,
      })
      .then(setRanking, (e) => setError(describeError(e)));
  }, [r.id, r.status]);
  const tasking = r.currentTasking;
  const markers: Marker[] = [];
  const lines: Line[] = [];
  if (d.origin?.position) markers.push({ ...d.origin.position, kind: "place", label: d.origin.name });
  if (d.destination?.position) markers.push({ ...d.destination.position, kind: "hospital", label: d.destination.name });
  const plan = ranking?.options.find((o) => o.registration === tasking?.aircraftRegistration) ?? ranking?.options[0];
  for (const leg of plan?.legs ?? []) {
    if (leg.from?.position && leg.to?.position) lines.push({ points: [leg.from.position, leg.to.position], kind: leg.mode === TravelMode.GROUND ? "ground" : undefined });
  }
  if (!plan && d.origin?.position && d.destination?.position) lines.push({ points: [d.origin.position, d.destination.position] });
  const [track, trackError] = useFlightTrack(r.id, tasking?.status);
  addFlight(track, markers, lines);
  return (
    <>
      <section class="col">
        <div class="card" data-testid="request-detail" data-request={r.id}>
          <h2 class="row">
            {r.number} <span class="status" data-testid="request-status">{enumName(RequestStatus, r.status)}</span>
          </h2>
          <p>
            {enumName(MissionType, d.missionType)} · {enumName(Urgency, d.urgency)} · {enumName(Severity, d.patient?.severity ?? 0)}
            {d.patient?.icd10Code ? ` · ${d.patient.icd10Code}` : ""} {d.patient?.weightKg ? ` · ${d.patient.weightKg} ${t("kg")}` : ""}
          </p>
          <p>
            {t("origin")}: {d.origin?.name} → {t("destination")}: {d.destination?.name}
          </p>
          <p class="muted">{(d.patient?.needs ?? []).map((n) => enumName(PatientNeed, n)).join(", ")}</p>
          <div class="row">
            {r.status === RequestStatus.DRAFT || r.status === RequestStatus.RETURNED_FOR_INFORMATION ? (
              <button class="primary" data-testid="submit-request" onClick={() => act(() => medevac.submitRequest({ id: r.id }))}>{t("submit")}</button>
            ) : null}
            {nccem && r.status === RequestStatus.SUBMITTED ? (
              <button class="primary" data-testid="start-review" onClick={() => act(() => medevac.startReview({ id: r.id }))}>{t("startReview")}</button>
            ) : null}
            {nccem && r.status === RequestStatus.UNDER_REVIEW ? (
              <>
                <button class="primary" data-testid="approve" onClick={() => act(() => medevac.approveRequest({ id: r.id }))}>{t("approve")}</button>
                <input placeholder={t("reason")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                <button onClick={() => act(() => medevac.returnRequest({ id: r.id, reason }))}>{t("returnReq")}</button>
                <button onClick={() => act(() => medevac.rejectRequest({ id: r.id, reason }))}>{t("reject")}</button>
              </>
            ) : null}
            {nccem && r.status === RequestStatus.AIRCRAFT_CHOSEN ? (
              <button class="primary" data-testid="task-airline" onClick={() => act(() => medevac.taskAirline({ id: r.id }))}>
                {t("taskAirline")} {tasking?.airlineCode}
              </button>
            ) : null}
          </div>
          {tasking ? (
            <p data-testid="tasking">
              ✈ <strong>{tasking.aircraftRegistration}</strong> · {tasking.airlineCode} · {enumName(TaskingStatus, tasking.status)}
              {tasking.declineReason ? ` · ${tasking.declineReason}` : ""}
            </p>
          ) : null}
          {flying(tasking?.status) ? <LastPosition track={track} /> : null}
          <ErrorBox error={error || trackError} />
        </div>
        {canChoose && ranking ? (
          <div class="card" data-testid="air-options">
            <h2>{t("aircraft")}</h2>
            {ranking.options.map((o) => (
              <div key={o.aircraftId} class="option" data-testid="air-option">
                <div class="row">
                  <kbd>{o.rank}</kbd> <strong>{o.registration}</strong> {o.model} · {o.airlineName}
                  <span class="grow" />
                  {t("timeToPatient")} <strong>{minutes(seconds(o.timeToPatient))}</strong> · {money(o.cost)}
                  <button
                    data-testid="choose-aircraft"
                    onClick={() => act(() => medevac.chooseAircraft({ id: r.id, aircraftRegistration: o.registration, optionRank: o.rank, reason: o.rank === 1 ? "" : reason || "dispatcher's choice" }))}
                  >
                    {t("choose")}
                  </button>
                </div>
                <ol class="legs">
                  {o.legs.map((leg, i) => (
                    <li key={i}>
                      {enumName(LegKind, leg.kind)} ({enumName(TravelMode, leg.mode)}): {leg.from?.name} → {leg.to?.name} · {km(leg.distanceM)} ·{" "}
                      {minutes(seconds(leg.duration))} · {clock(leg.departsAt)}–{clock(leg.arrivesAt)}
                    </li>
                  ))}
                </ol>
              </div>
            ))}
            {ranking.groundTransfer ? (
              <p class="muted">
                {t("groundTransfer")}: {km(ranking.groundTransfer.distanceM)} · {minutes(seconds(ranking.groundTransfer.duration))}
              </p>
            ) : null}
            <details>
              <summary>
                {t("excluded")} ({ranking.excluded.length})
              </summary>
              <ul class="excluded" data-testid="excluded">
                {ranking.excluded.map((x) => (
                  <li key={x.aircraftId}>
                    <strong>{x.registration}</strong> {x.airlineName}: {enumName(ExclusionReason, x.reason)} — {x.detail}
                  </li>
                ))}
              </ul>
            </details>
          </div>
        ) : null}
      </section>
      <section class="col">
        <div class="card">
          <KzMap markers={markers} lines={lines} tileUrl={props.tileUrl} height={260} testId="medevac-map" />
        </div>
        <FlightAlerts />
        {tasking && tasking.status !== TaskingStatus.CHOSEN ? <Thread requestId={r.id} airline={tasking.airlineCode} /> : null}
        <Documents requestId={r.id} changes={props.changes} />
        <div class="card">
          <h3>{t("history")}</h3>
          <ol class="timeline">
            {r.history.map((h, i) => (
              <li key={i}>
                {clock(h.occurredAt)} {enumName(RequestStatus, h.toStatus)} · {roleName(h.actor?.role ?? "")} {h.reason ? `· ${h.reason}` : ""}
              </li>
            ))}
          </ol>
        </div>
      </section>
    </>
  );
}

/** The message thread between the national centre and one airline about one request. */
function Thread(props: { requestId: string; airline: string }) {
  const tick = useTick(5000);
  const [list, error, reload] = useLoad(() => medevac.listMessages({ medevacRequestId: props.requestId, airlineCode: props.airline, pageSize: 200 }), [props.requestId, tick]);
  const [body, setBody] = useState("");
  const [postError, setPostError] = useState("");
  const post = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return;
    try {
      await medevac.postMessage({ requestId: requestId(), medevacRequestId: props.requestId, airlineCode: props.airline, body });
      setBody("");
      setPostError("");
      reload();
    } catch (err) {
      setPostError(describeError(err));
    }
  };
  return (
    <div class="card" data-testid="thread">
      <h3>
        {t("messages")} · {props.airline}
      </h3>
      <ErrorBox error={error || postError} />
      <ul class="thread">
        {(list?.messages ?? []).map((m) => (
          <li key={m.id} class={`msg party${m.senderParty}`} data-testid="message">
            <span class="muted">
              {clock(m.sentAt)} {m.sender?.subject}
              {m.readAt ? " ✓✓" : m.deliveredAt ? " ✓" : ""}
            </span>
            <div>{m.body}</div>
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={post}>
        <input class="grow" data-testid="message-body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <button type="submit" data-testid="message-send">{t("send")}</button>
      </form>
    </div>
  );
}

function AirlineDesk(props: { session: Session; tileUrl?: string | null }) {
  const [tick, setTick] = useState(0);
  const [list, error] = useLoad(() => medevac.listTaskings({ airlineCode: props.session.airline ?? "", pageSize: 100 }), [tick]);
  const [selected, setSelected] = useState<string>();
  const [actError, setActError] = useState("");
  const [reason, setReason] = useState("");
  useEffect(() => {
    const abort = new AbortController();
    follow((after, signal) => medevac.watchRequests({ afterSequence: after }, { signal }), () => setTick((n) => n + 1), abort.signal);
    return () => abort.abort();
  }, []);
  const taskings = list?.taskings ?? [];
  const tasking: Tasking | undefined = taskings.find((x) => x.id === selected) ?? taskings[0];
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setActError("");
      setTick((n) => n + 1);
    } catch (e) {
      setActError(describeError(e));
    }
  };
  const s = tasking?.summary;
  const markers: Marker[] = [];
  if (s?.origin?.position) markers.push({ ...s.origin.position, kind: "place", label: s.origin.name });
  if (s?.destination?.position) markers.push({ ...s.destination.position, kind: "hospital", label: s.destination.name });
  const lines: Line[] = s?.origin?.position && s.destination?.position ? [{ points: [s.origin.position, s.destination.position] }] : [];
  const [track, trackError] = useFlightTrack(tasking?.medevacRequestId, tasking?.status);
  addFlight(track, markers, lines);
  return (
    <div class="grid medevac">
      <section class="col">
        <div class="card">
          <h2>
            {t("taskings")} · {props.session.airline}
          </h2>
          <ErrorBox error={error} />
          {taskings.length === 0 ? noneText() : null}
          <ul class="list" data-testid="taskings">
            {taskings.map((x) => (
              <li key={x.id} class={x.id === tasking?.id ? "item sel" : "item"} onClick={() => setSelected(x.id)} data-testid="tasking-item">
                <strong>{x.requestNumber}</strong> {x.aircraftRegistration}
                <span class="grow" />
                <span class="status">{enumName(TaskingStatus, x.status)}</span>
              </li>
            ))}
          </ul>
        </div>
      </section>
      <section class="col">
        {tasking ? (
          <div class="card" data-testid="tasking-detail">
            <h2 class="row">
              {tasking.requestNumber} <span class="status" data-testid="tasking-status">{enumName(TaskingStatus, tasking.status)}</span>
            </h2>
            <p>
              {enumName(MissionType, s?.missionType ?? 0)} · {enumName(Urgency, s?.urgency ?? 0)} · {enumName(Severity, s?.severity ?? 0)} ·{" "}
              {s?.patientWeightKg} {t("kg")} {s?.ventilated ? `· ${t("ventilated")}` : ""}
            </p>
            <p>
              {s?.origin?.name} → {s?.destination?.name}
            </p>
            <p class="muted">{(s?.needs ?? []).map((n) => enumName(PatientNeed, n)).join(", ")}</p>
            <p>
              ✈ {tasking.aircraftRegistration} · {minutes(seconds(tasking.plannedFlightTime))} · {money(tasking.plannedCost)}
            </p>
            {flying(tasking.status) ? <LastPosition track={track} /> : null}
            <ErrorBox error={trackError} />
            {tasking.status === TaskingStatus.OFFERED ? (
              <div class="row">
                <button class="primary" data-testid="accept-tasking" onClick={() => act(() => medevac.acceptTasking({ taskingId: tasking.id }))}>
                  {t("accept")}
                </button>
                <input placeholder={t("reason")} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                <button onClick={() => act(() => medevac.declineTasking({ taskingId: tasking.id, reason }))}>{t("decline")}</button>
              </div>
            ) : null}
            <ErrorBox error={actError} />
          </div>
        ) : null}
        {tasking && tasking.status !== TaskingStatus.OFFERED ? (
          <FlightReports key={tasking.id} tasking={tasking} onChanged={() => setTick((n) => n + 1)} />
        ) : null}
      </section>
      <section class="col">
        <div class="card">
          <KzMap markers={markers} lines={lines} tileUrl={props.tileUrl} height={260} testId="airline-map" />
        </div>
        <FlightAlerts />
        {tasking ? <Thread requestId={tasking.medevacRequestId} airline={tasking.airlineCode} /> : null}
      </section>
    </div>
  );
}

