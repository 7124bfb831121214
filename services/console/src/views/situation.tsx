// The situation centre: live figures for the nation and each region from WatchMetrics —
// share served within the norm against the year's target per region, arrival times by
// category, flights and open medevac requests — and a region table (↑/↓ pick a region); or
// the period report (report.tsx). P switches between the two.
import { useEffect, useState } from "preact/hooks";
import { follow, type Session } from "../api.js";
import { situation } from "../api.js";
import { seconds } from "../format.js";
import { Level, MedevacStep, UnitStatus, type Metrics } from "../gen/jedel/situation/v1/situation_pb.js";
import { t, useLang, loc, enumName } from "../i18n.js";
import { BarChart, ErrorBox, isTyping, useRegions, useKeys } from "../ui/common.js";
import { PeriodReport } from "./report.js";

const sum = (xs: { count: bigint }[] | undefined) => (xs ?? []).reduce((a, x) => a + Number(x.count), 0);

export function SituationView(props: { session: Session }) {
  useLang();
  const [report, setReport] = useState(false);
  useKeys((e) => {
    if (e.altKey || e.ctrlKey || e.key.toLowerCase() !== "p" || isTyping(e)) return;
    setReport((r) => !r);
    e.preventDefault();
  });
  return (
    <div class="stack">
      <div class="row" role="tablist">
        <button role="tab" class={report ? "sub" : "sub on"} aria-selected={!report} data-testid="situation-live" onClick={() => setReport(false)}>
          {t("live")}
        </button>
        <button role="tab" class={report ? "sub on" : "sub"} aria-selected={report} data-testid="situation-report" onClick={() => setReport(true)}>
          {t("periodReport")} <kbd>P</kbd>
        </button>
      </div>
      {report ? <PeriodReport /> : <LiveFigures session={props.session} />}
    </div>
  );
}

function LiveFigures(props: { session: Session }) {
  const regions = useRegions();
  const [figures, setFigures] = useState<Map<string, Metrics>>(new Map());
  const [error, setError] = useState("");
  const [selected, setSelected] = useState("");
  useEffect(() => {
    const abort = new AbortController();
    const national = !["dispatcher", "coordinator"].includes(props.session.role);
    follow(
      (after, signal) =>
        situation.watchMetrics(
          { afterSequence: after, levels: national ? [Level.NATION, Level.REGION] : [Level.REGION], regionCodes: national ? [] : props.session.regions },
          { signal },
        ),
      (update) =>
        setFigures((old) => {
          const next = new Map(old);
          for (const m of update.metrics) next.set(m.scope?.level === Level.NATION ? "" : m.scope!.regionCode, m);
          return next;
        }),
      abort.signal,
      setError,
    );
    return () => abort.abort();
  }, []);
  // Every region, whether or not it has figures yet (a region with no events sends none).
  const codes = [...new Set([...regions.map((r) => r.code), ...figures.keys()])].filter((k) => k).sort();
  useKeys((e) => {
    if (e.altKey || e.ctrlKey || isTyping(e)) return;
    const all = ["", ...codes];
    const i = all.indexOf(selected);
    if (e.key === "ArrowDown") setSelected(all[Math.min(all.length - 1, i + 1)]);
    else if (e.key === "ArrowUp") setSelected(all[Math.max(0, i - 1)]);
    else return;
    e.preventDefault();
  });
  const focus = figures.get(selected) ?? figures.get(codes[0] ?? "");
  const name = (code: string) => (code ? loc(regions.find((r) => r.code === code)?.name) || code : t("nation"));
  const norm = focus?.servedWithinNorm;
  const units = focus?.units ?? [];
  const available = Number(units.find((u) => u.status === UnitStatus.AVAILABLE)?.count ?? 0);
  return (
    <div class="grid situation" data-testid="situation">
      <section class="col">
        <div class="card">
          <h2>{name(selected)}</h2>
          <ErrorBox error={error} />
          <div class="tiles">
            <Tile label={t("callsToday")} value={sum(focus?.callsToday)} />
            <Tile label={t("waiting")} value={sum(focus?.waitingCalls)} />
            <Tile label={t("lateToday")} value={sum(focus?.lateToday)} />
            <Tile label={t("unitsAvailable")} value={available} />
            <Tile label={t("withinNorm")} value={norm?.today?.denominator ? `${Math.round((norm.today.value ?? 0) * 100)}%` : "—"} />
            <Tile label={t("target")} value={norm?.target ? `${Math.round(norm.target.value * 100)}%` : "—"} />
          </div>
        </div>
        <div class="card">
          <h3>
            {t("arrivalTimes")}, {t("min")}
          </h3>
          <BarChart
            testId="chart-arrival"
            unit="min"
            max={Math.max(15, ...(focus?.arrivalTimes ?? []).map((a) => seconds(a.p90) / 60))}
            bars={[1, 2, 3, 4].map((c) => {
              const a = focus?.arrivalTimes.find((x) => x.category === c);
              return { label: `${t("category")} ${c}`, value: seconds(a?.mean) / 60, second: seconds(a?.p90) / 60 };
            })}
          />
        </div>
        <div class="card">
          <h3>
            {t("flights")} · {t("openRequests")}
          </h3>
          <BarChart
            testId="chart-flights"
            max={Math.max(1, ...[focus?.medevac?.flightsInProgress, focus?.medevac?.flightsToday].map(sum), ...(focus?.medevac?.openRequests ?? []).map((s) => Number(s.count)))}
            bars={[
              { label: t("inProgress"), value: sum(focus?.medevac?.flightsInProgress) },
              { label: t("flights"), value: sum(focus?.medevac?.flightsToday) },
              ...(focus?.medevac?.openRequests ?? []).map((s) => ({ label: enumName(MedevacStep, s.step), value: Number(s.count) })),
            ]}
          />
        </div>
      </section>
      <section class="col wide">
        <div class="card">
          <h3>
            {t("withinNorm")} — {t("target")} │
          </h3>
          <BarChart
            testId="chart-norm"
            unit="%"
            max={1}
            bars={codes.map((code) => {
              const n = figures.get(code)?.servedWithinNorm;
              return { label: code, value: n?.rolling?.value ?? 0, target: (n ?? figures.get("")?.servedWithinNorm)?.target?.value };
            })}
          />
        </div>
        <div class="card">
          <table class="table" data-testid="region-table">
            <thead>
              <tr>
                <th>{t("region")}</th>
                <th>{t("callsToday")}</th>
                <th>{t("waiting")}</th>
                <th>{t("lateToday")}</th>
                <th>{t("withinNorm")}</th>
                <th>{t("unitsAvailable")}</th>
              </tr>
            </thead>
            <tbody>
              {["", ...codes].map((code) => {
                const m = figures.get(code);
                if (!m)
                  return (
                    <tr key={code} class="muted" onClick={() => setSelected(code)}>
                      <td>{name(code)}</td>
                      <td colSpan={5}>—</td>
                    </tr>
                  );
                return (
                  <tr key={code} class={code === selected ? "sel" : ""} onClick={() => setSelected(code)}>
                    <td>{name(code)}</td>
                    <td>{sum(m.callsToday)}</td>
                    <td>{sum(m.waitingCalls)}</td>
                    <td>{sum(m.lateToday)}</td>
                    <td>{m.servedWithinNorm?.today?.denominator ? `${Math.round((m.servedWithinNorm.today.value ?? 0) * 100)}%` : "—"}</td>
                    <td>{Number(m.units.find((u) => u.status === UnitStatus.AVAILABLE)?.count ?? 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Tile(props: { label: string; value: number | string }) {
  return (
    <div class="tile">
      <div class="tile-value">{props.value}</div>
      <div class="tile-label">{props.label}</div>
    </div>
  );
}
