// The situation centre's period report (GetReport): a kind and a period (days in Almaty
// time), a table with the nation's total and one row per region; choosing a region (click, or
// ↑/↓ then Enter) asks for that region alone, Esc goes back to the nation.
import { useState } from "preact/hooks";
import { timestampFromDate, type Duration } from "@bufbuild/protobuf/wkt";
import { situation } from "../api.js";
import { clock, minutes, money, seconds } from "../format.js";
import { AircraftKind, Indicator, MedevacStep, ReportKind, type Report, type Share } from "../gen/jedel/situation/v1/situation_pb.js";
import { enumName, loc, t, useLang } from "../i18n.js";
import { ErrorBox, isTyping, useLoad, useRegions, useKeys } from "../ui/common.js";

const KINDS = [ReportKind.NATIONAL_STATISTICS, ReportKind.INDICATORS, ReportKind.ARRIVAL_TIMES, ReportKind.MEDEVAC_STEPS];
const STEPS = [MedevacStep.SUBMITTED, MedevacStep.UNDER_REVIEW, MedevacStep.APPROVED, MedevacStep.TASKED, MedevacStep.PREPARING,
  MedevacStep.POSITIONING, MedevacStep.ON_SITE, MedevacStep.PATIENT_FLIGHT, MedevacStep.GROUND_TRANSFER];

/** A table of the report: column headings and, per region code ("" the total), its cells. */
interface Table {
  head: string[];
  rows: Map<string, string[]>;
}

/** "YYYY-MM-DD" of `date` in Almaty. */
function day(date: Date): string {
  return date.toLocaleDateString("sv-SE", { timeZone: "Asia/Almaty" });
}

/** The start of a day in Almaty (UTC+5, no daylight saving). */
function dayStart(text: string, plusDays = 0): Date {
  return new Date(new Date(`${text}T00:00:00+05:00`).getTime() + plusDays * 86_400_000);
}

const share = (s: Share | undefined) => (s?.denominator ? `${Math.round(s.value * 100)}% (${s.numerator}/${s.denominator})` : "—");
const meanP90 = (mean: Duration | undefined, p90: Duration | undefined) => (mean ? `${minutes(seconds(mean))} / ${minutes(seconds(p90))}` : "—");

function table(report: Report): Table {
  const rows = new Map<string, string[]>();
  const row = (code: string, width: number) => {
    if (!rows.has(code)) rows.set(code, Array(width).fill("—"));
    return rows.get(code)!;
  };
  const body = report.body;
  if (body.case === "nationalStatistics") {
    const head = [1, 2, 3, 4].map((c) => `${t("category")} ${c}`);
    head.push(t("calls"), t("lateShare"), t("resuscitation"), ...[AircraftKind.PLANE, AircraftKind.HELICOPTER].map((k) => `${t("flights")}: ${enumName(AircraftKind, k)}`));
    for (const r of body.value.regions) {
      const count = (c: number) => Number(r.calls.find((x) => x.category === c)?.count ?? 0);
      const flights = (k: AircraftKind) => String(r.flights.find((f) => f.kind === k)?.count ?? 0);
      rows.set(r.regionCode, [
        ...[1, 2, 3, 4].map((c) => String(count(c))),
        String([1, 2, 3, 4].reduce((a, c) => a + count(c), 0)),
        share(r.late),
        share(r.resuscitationSuccess),
        flights(AircraftKind.PLANE),
        flights(AircraftKind.HELICOPTER),
      ]);
    }
    return { head, rows };
  }
  if (body.case === "indicators") {
    const indicators = [Indicator.SERVED_WITHIN_NORM, Indicator.CATEGORY4_SERVED_BY_EMS];
    for (const v of body.value.values) {
      const target = v.target ? ` · ${t("target")} ${Math.round(v.target.value * 100)}%` : "";
      row(v.regionCode, indicators.length)[indicators.indexOf(v.indicator)] = share(v.share) + target;
    }
    return { head: indicators.map((i) => enumName(Indicator, i)), rows };
  }
  if (body.case === "arrivalTimes") {
    for (const d of body.value.distributions) {
      const s = d.summary;
      if (s && s.category >= 1 && s.category <= 4) row(d.regionCode, 4)[s.category - 1] = `${meanP90(s.mean, s.p90)} (${s.count})`;
    }
    return { head: [1, 2, 3, 4].map((c) => `${t("category")} ${c}`), rows };
  }
  if (body.case === "medevacSteps") {
    for (const s of body.value.steps) {
      const i = STEPS.indexOf(s.step);
      if (i >= 0) row(s.regionCode, STEPS.length)[i] = `${meanP90(s.mean, s.p90)} (${s.count})`;
    }
    return { head: STEPS.map((s) => enumName(MedevacStep, s)), rows };
  }
  return { head: [], rows };
}

export function PeriodReport() {
  useLang();
  const regions = useRegions();
  const today = day(new Date());
  const [kind, setKind] = useState(ReportKind.NATIONAL_STATISTICS);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [region, setRegion] = useState("");
  const [cursor, setCursor] = useState("");
  const [asked, setAsked] = useState({ kind, from, to, region });
  const [report, error] = useLoad(
    () =>
      situation.getReport({
        kind: asked.kind,
        period: { from: timestampFromDate(dayStart(asked.from)), to: timestampFromDate(dayStart(asked.to, 1)) },
        regionCodes: asked.region ? [asked.region] : [],
      }),
    [asked],
  );
  const build = (next: Partial<typeof asked> = {}) => setAsked({ kind, from, to, region, ...next });
  const drill = (code: string) => {
    setRegion(code);
    setCursor(code);
    build({ region: code });
  };
  const shown = report ? table(report) : undefined;
  const codes = shown ? ["", ...[...shown.rows.keys()].filter((c) => c).sort()] : [];
  useKeys((e) => {
    if (e.altKey || e.ctrlKey || isTyping(e) || (e.target as HTMLElement).tagName === "BUTTON") return;
    const i = codes.indexOf(cursor);
    if (e.key === "ArrowDown") setCursor(codes[Math.min(codes.length - 1, i + 1)] ?? "");
    else if (e.key === "ArrowUp") setCursor(codes[Math.max(0, i - 1)] ?? "");
    else if (e.key === "Enter" && cursor && cursor !== region) drill(cursor);
    else if (e.key === "Escape" && region) drill("");
    else return;
    e.preventDefault();
  });
  const name = (code: string) => (code ? loc(regions.find((r) => r.code === code)?.name) || code : t("nation"));
  const airlines = report?.body.case === "nationalStatistics" ? report.body.value.airlines : [];
  return (
    <div class="col" data-testid="report">
      <form class="card row" onSubmit={(e) => (e.preventDefault(), build())}>
        <label>
          {t("periodReport")}
          <select data-testid="report-kind" value={kind} onChange={(e) => setKind(Number(e.currentTarget.value))}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {enumName(ReportKind, k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("periodFrom")}
          <input type="date" data-testid="report-from" value={from} max={to} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t("periodTo")}
          <input type="date" data-testid="report-to" value={to} min={from} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="report-build">
          {t("build")} <kbd>Enter</kbd>
        </button>
        <span class="grow" />
        {report ? (
          <span class="muted" data-testid="report-period">
            {asked.from} – {asked.to} · {clock(report.generatedAt)}
          </span>
        ) : null}
      </form>
      <div class="card">
        <h2 class="row">
          <button class="crumb" data-testid="report-nation" onClick={() => drill("")} disabled={!region}>
            {t("nation")}
          </button>
          {region ? <span data-testid="report-region">→ {name(region)}</span> : null}
          {region ? <kbd>Esc</kbd> : null}
        </h2>
        <ErrorBox error={error} />
        {shown ? (
          <table class="table" data-testid="report-table">
            <thead>
              <tr>
                <th>{t("region")}</th>
                {shown.head.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {codes.map((code) => (
                <tr
                  key={code}
                  class={code === cursor ? "sel" : code ? "" : "total"}
                  onClick={() => (code ? drill(code) : undefined)}
                  data-testid="report-row"
                  data-region={code}
                >
                  <td>{code ? name(code) : t("total")}</td>
                  {shown.rows.get(code)?.map((cell, i) => (
                    <td key={i}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      {airlines.length ? (
        <div class="card">
          <table class="table" data-testid="report-airlines">
            <thead>
              <tr>
                <th>{t("airline")}</th>
                <th>{t("flights")}</th>
                <th>{t("flightTime")}</th>
                <th>{t("cost")}</th>
              </tr>
            </thead>
            <tbody>
              {airlines.map((a) => (
                <tr key={a.airlineId}>
                  <td>{a.airlineName}</td>
                  <td>{String(a.flights)}</td>
                  <td>{minutes(seconds(a.flightTime))}</td>
                  <td>{money(a.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
