// Following a medevac flight and the airline's reports on it: the aircraft's reported track
// and last position (GetFlightTrack, re-read while the tasking is accepted) for the map, and
// the airline operator's crew list (AssignCrew) and milestone reports in flight order
// (ReportMilestone, with the time the next one is now expected) against the planned schedule; the
// flight-following alerts as WatchFlightAlerts streams them.
import { useEffect, useState } from "preact/hooks";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describeError, follow, medevac } from "../api.js";
import { clock, minutes, nextClock, seconds } from "../format.js";
import {
  CrewRole, FlightAlertKind, Milestone as FlightMilestone, PositionSource, TaskingStatus, type FlightAlert, type FlightPosition, type Tasking,
} from "../gen/jedel/medevac/v1/medevac_pb.js";
import { enumName, t } from "../i18n.js";
import { ErrorBox, noneText, useLoad, useTick } from "../ui/common.js";
import type { Line, Marker } from "../ui/KzMap.js";

/** Whether a tasking in `status` has a flight to follow (accepted, or flown and completed). */
export function flying(status: TaskingStatus | undefined): boolean {
  return status === TaskingStatus.ACCEPTED || status === TaskingStatus.COMPLETED;
}

/** The aircraft positions reported for a request (GetFlightTrack), re-read every 5 s while
 * the tasking is accepted. */
export function useFlightTrack(medevacRequestId: string | undefined, status: TaskingStatus | undefined): [FlightPosition[], string] {
  const tick = useTick(5000, status === TaskingStatus.ACCEPTED);
  const [track, error] = useLoad(
    async () => (medevacRequestId && flying(status) ? (await medevac.getFlightTrack({ medevacRequestId })).positions : []),
    [medevacRequestId, status, tick],
  );
  return [track ?? [], error];
}

/** Draws each aircraft's flown track and its last reported position onto a map's layers. */
export function addFlight(track: FlightPosition[], markers: Marker[], lines: Line[]) {
  const byAircraft = new Map<string, FlightPosition[]>();
  for (const p of track) if (p.position) byAircraft.set(p.aircraftRegistration, [...(byAircraft.get(p.aircraftRegistration) ?? []), p]);
  for (const [registration, fixes] of byAircraft) {
    const last = fixes[fixes.length - 1];
    if (fixes.length > 1) lines.push({ points: fixes.map((p) => p.position!), kind: "track" });
    markers.push({ ...last.position!, kind: "aircraft", label: `${registration} ${clock(last.recordedAt)}`, selected: true });
  }
}

/** The last reported position of the flight, or that none came yet. */
export function LastPosition(props: { track: FlightPosition[] }) {
  const last = props.track[props.track.length - 1];
  if (!last?.position) return <p class="muted" data-testid="flight-position">✈ {t("noPosition")}</p>;
  return (
    <p data-testid="flight-position">
      ✈ {t("lastPosition")}: <strong>{last.aircraftRegistration}</strong> {clock(last.recordedAt)} · {last.position.lat.toFixed(3)},{" "}
      {last.position.lon.toFixed(3)} · {t("altitude")} {Math.round(last.altitudeM)} {t("m")} · {t("speed")} {Math.round(last.groundSpeedKmh)} {t("kmh")} ·{" "}
      {enumName(PositionSource, last.source)}
    </p>
  );
}

const CREW_ROLES = [CrewRole.PILOT_IN_COMMAND, CrewRole.CO_PILOT, CrewRole.FLIGHT_ENGINEER, CrewRole.PHYSICIAN, CrewRole.PARAMEDIC];

interface Member {
  fullName: string;
  role: CrewRole;
  phone: string;
}

/** The airline's reports on an accepted tasking: its crew, then each milestone in order. */
export function FlightReports(props: { tasking: Tasking; onChanged: () => void }) {
  const x = props.tasking;
  const open = x.status === TaskingStatus.ACCEPTED;
  const [crew, setCrew] = useState<Member[]>(
    x.crew.length ? x.crew.map((m) => ({ fullName: m.fullName, role: m.role, phone: m.phone })) : [{ fullName: "", role: CrewRole.PILOT_IN_COMMAND, phone: "" }],
  );
  const [note, setNote] = useState("");
  const [expected, setExpected] = useState("");
  const [error, setError] = useState("");
  const next = x.schedule.find((m) => !m.actualAt);
  const act = async (e: Event, fn: () => Promise<unknown>) => {
    e.preventDefault();
    try {
      await fn();
      setError("");
      setNote("");
      setExpected("");
      props.onChanged();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const edit = (i: number, change: Partial<Member>) => setCrew(crew.map((m, j) => (j === i ? { ...m, ...change } : m)));
  return (
    <div class="card" data-testid="flight-reports">
      <h3>{t("crew")}</h3>
      {open ? (
        <form onSubmit={(e) => act(e, () => medevac.assignCrew({ taskingId: x.id, crew: crew.filter((m) => m.fullName.trim()) }))}>
          {crew.map((m, i) => (
            <div class="row" key={i}>
              <input class="grow" data-testid={`crew-name-${i}`} placeholder={t("crewName")} value={m.fullName} onInput={(e) => edit(i, { fullName: e.currentTarget.value })} />
              <select data-testid={`crew-role-${i}`} value={m.role} onChange={(e) => edit(i, { role: Number(e.currentTarget.value) })}>
                {CREW_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {enumName(CrewRole, r)}
                  </option>
                ))}
              </select>
              <input data-testid={`crew-phone-${i}`} placeholder={t("phone")} value={m.phone} size={14} onInput={(e) => edit(i, { phone: e.currentTarget.value })} />
            </div>
          ))}
          <div class="row end">
            <button type="button" data-testid="crew-add" onClick={() => setCrew([...crew, { fullName: "", role: CrewRole.PARAMEDIC, phone: "" }])}>
              {t("addMember")}
            </button>
            <button type="submit" class="primary" data-testid="crew-submit">
              {t("assignCrew")}
            </button>
          </div>
        </form>
      ) : null}
      <ul class="timeline" data-testid="crew">
        {x.crew.map((m, i) => (
          <li key={i}>
            {m.fullName} · {enumName(CrewRole, m.role)} · {m.phone}
          </li>
        ))}
      </ul>
      <h3>{t("milestones")}</h3>
      <ol class="timeline" data-testid="milestones">
        {x.schedule.map((m) => (
          <li key={m.milestone} class={m.actualAt ? "ok" : ""}>
            {enumName(FlightMilestone, m.milestone)}: {t("planned")} {clock(m.plannedAt)}
            {m.expectedAt && !m.actualAt ? ` → ${clock(m.expectedAt)}` : ""}
            {m.actualAt ? ` ✓ ${clock(m.actualAt)}` : ""}
          </li>
        ))}
      </ol>
      {open && next ? (
        <form class="row" onSubmit={(e) => act(e, () => reportMilestone(x.id, next.milestone, note, expected))}>
          <input class="grow" data-testid="milestone-note" placeholder={t("note")} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {x.schedule.indexOf(next) < x.schedule.length - 1 ? (
            <input
              data-testid="milestone-next"
              placeholder={t("nextExpected")}
              title={t("nextExpected")}
              size={22}
              value={expected}
              onInput={(e) => setExpected(e.currentTarget.value)}
            />
          ) : null}
          <button type="submit" class="primary" data-testid="milestone-report">
            {t("report")}: {enumName(FlightMilestone, next.milestone)}
          </button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}

/** Reports `milestone` reached now, with the next one expected at `expected` (Almaty "HH:MM";
 * empty keeps the plan's). */
function reportMilestone(taskingId: string, milestone: FlightMilestone, note: string, expected: string) {
  const next = nextClock(expected);
  if (expected.trim() && !next) return Promise.reject(new Error(`${t("nextExpected")}: HH:MM`));
  return medevac.reportMilestone({ taskingId, milestone, note, nextMilestoneExpectedAt: next ? timestampFromDate(next) : undefined });
}

/** Flight-following alerts in scope (the airline's own for an operator), newest first: those
 * in force when the stream opens, then each raised and cleared, resuming after a break. */
export function FlightAlerts() {
  const [alerts, setAlerts] = useState<FlightAlert[]>([]);
  const [error, setError] = useState("");
  useEffect(() => {
    const abort = new AbortController();
    follow(
      (after, signal) => medevac.watchFlightAlerts({ afterSequence: after }, { signal }),
      (alert) => (setAlerts((old) => [alert, ...old].slice(0, 30)), setError("")),
      abort.signal,
      setError,
    );
    return () => abort.abort();
  }, []);
  return (
    <div class="card" data-testid="flight-alerts">
      <h3>{t("flightAlerts")}</h3>
      <ErrorBox error={error} />
      {alerts.length === 0 ? noneText() : null}
      <ul class="list">
        {alerts.map((a) => (
          <li key={String(a.sequence)} class={a.cleared ? "item muted" : "item warn"} data-testid="flight-alert" data-cleared={String(a.cleared)}>
            <span>
              {clock(a.occurredAt)} <strong>{enumName(FlightAlertKind, a.kind)}</strong>
              {a.kind === FlightAlertKind.BEHIND_PLAN ? ` (${enumName(FlightMilestone, a.milestone)})` : ""} · {a.aircraftRegistration} · {a.airlineCode} ·{" "}
              {minutes(seconds(a.lag))} / {t("threshold")} {minutes(seconds(a.threshold))}
              {a.cleared ? ` · ${t("alertCleared")}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
