// Small pieces every view uses: the error box, category badges, countdowns, bar charts, the
// cached list of regions, loading and periodic re-reading, and the page's keys.
import { useEffect, useRef, useState } from "preact/hooks";
import { registry, describeError } from "../api.js";
import { countdown, useNow } from "../format.js";
import type { Region } from "../gen/jedel/registry/v1/resources_pb.js";
import { t } from "../i18n.js";

export function ErrorBox(props: { error: string }) {
  if (!props.error) return null;
  return (
    <pre class="error" role="alert" data-testid="error">
      {props.error}
    </pre>
  );
}

export function CategoryBadge(props: { category: number }) {
  const c = props.category;
  return <span class={`badge cat${c}`}>{c ? `${t("category")} ${c}` : "—"}</span>;
}

export function Countdown(props: { deadline: number | undefined }) {
  const now = useNow();
  const c = countdown(props.deadline, now);
  return (
    <span class={`countdown${c.late ? " late" : c.urgent ? " urgent" : ""}`} data-testid="countdown">
      {c.text}
    </span>
  );
}

export interface Bar {
  label: string;
  value: number;
  second?: number;
  target?: number;
}

/** Horizontal bars scaled to `max`, with an optional second bar and a target mark. */
export function BarChart(props: { bars: Bar[]; max: number; unit?: string; testId?: string }) {
  const max = props.max || 1;
  return (
    <div class="chart" data-testid={props.testId}>
      {props.bars.map((bar) => (
        <div class="chart-row" key={bar.label}>
          <span class="chart-label">{bar.label}</span>
          <span class="chart-track">
            <span class="chart-bar" style={{ width: `${Math.min(100, (bar.value / max) * 100)}%` }} />
            {bar.second !== undefined ? (
              <span class="chart-bar second" style={{ width: `${Math.min(100, (bar.second / max) * 100)}%` }} />
            ) : null}
            {bar.target !== undefined ? <span class="chart-target" style={{ left: `${(bar.target / max) * 100}%` }} /> : null}
          </span>
          <span class="chart-value">
            {format(bar.value, props.unit)}
            {bar.second !== undefined ? ` / ${format(bar.second, props.unit)}` : ""}
          </span>
        </div>
      ))}
    </div>
  );
}

function format(value: number, unit?: string) {
  return unit === "%" ? `${(value * 100).toFixed(0)}%` : unit === "min" ? `${value.toFixed(1)}` : String(value);
}

let regionCache: Promise<Region[]> | null = null;

/** Every region (code, names, centre), read once per page load. */
export function useRegions(): Region[] {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    regionCache ??= registry.listRegions({ pageSize: 100 }).then((r) => r.regions);
    regionCache.then(setRegions, (e) => {
      regionCache = null;
      console.warn(describeError(e));
    });
  }, []);
  return regions;
}

/** Runs `load` now and whenever `deps` change, keeping its error text. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | undefined, string, () => void] {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && (setValue(v), setError("")),
      (e) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [value, error, () => setTick((n) => n + 1)];
}

/** A number that grows every `ms` while `on`, to re-run a `useLoad` periodically. */
export function useTick(ms: number, on = true): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms, on]);
  return tick;
}

/** Calls `onKey` for every key pressed on the page, always the `onKey` of the latest render
 * (a key pressed right after a change sees it; an effect re-subscribing would lag). */
export function useKeys(onKey: (e: KeyboardEvent) => void) {
  const latest = useRef(onKey);
  latest.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => latest.current(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}

/** Whether a key went to a field being typed in; single-key shortcuts then stay out. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

export const noneText = () => <span class="muted">{t("none")}</span>;
