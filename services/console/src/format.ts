// Formatting shared by every view: times, durations, distances and money in the current
// language's units, countdowns to a norm. Enum names are in i18n.ts.
import { useEffect, useState } from "preact/hooks";
import { timestampDate, type Timestamp, type Duration } from "@bufbuild/protobuf/wkt";
import { t } from "./i18n.js";

/** The current time, re-rendering the caller every second (live countdowns). */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ms(ts: Timestamp | undefined): number | undefined {
  return ts ? timestampDate(ts).getTime() : undefined;
}

export function seconds(d: Duration | undefined): number {
  return d ? Number(d.seconds) + d.nanos / 1e9 : 0;
}

/** "14:05" in Asia/Almaty (UTC+5), the time every Kazakhstan dispatcher works in. */
export function clock(ts: Timestamp | undefined): string {
  if (!ts) return "—";
  return timestampDate(ts).toLocaleTimeString("ru-RU", { timeZone: "Asia/Almaty", hour: "2-digit", minute: "2-digit" });
}

/** The first moment from this minute on whose Almaty clock reads `hhmm` ("14:05"), within
 * the next 24 hours; undefined for a malformed text. */
export function nextClock(hhmm: string, now = Date.now()): Date | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
  const almaty = new Date(now + 5 * 3600_000); // UTC+5 all year since March 2024
  let at = Date.UTC(almaty.getUTCFullYear(), almaty.getUTCMonth(), almaty.getUTCDate(), Number(m[1]), Number(m[2])) - 5 * 3600_000;
  if (at < now - 60_000) at += 24 * 3600_000;
  return new Date(at);
}

/** "7 min", "1 h 05 min" ("7 мин", "1 ч 05 мин"). */
export function minutes(totalSeconds: number): string {
  const m = Math.round(totalSeconds / 60);
  if (m < 60) return `${m} ${t("min")}`;
  return `${Math.floor(m / 60)} ${t("hours")} ${String(m % 60).padStart(2, "0")} ${t("min")}`;
}

/** A countdown "09:41" to `deadline`, "−02:13" once past it. */
export function countdown(deadline: number | undefined, now: number): { text: string; late: boolean; urgent: boolean } {
  if (deadline === undefined) return { text: "—", late: false, urgent: false };
  const left = Math.round((deadline - now) / 1000);
  const abs = Math.abs(left);
  const text = `${left < 0 ? "−" : ""}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return { text, late: left < 0, urgent: left >= 0 && left < 180 };
}

export function km(metres: number): string {
  return `${metres < 10000 ? (metres / 1000).toFixed(1) : Math.round(metres / 1000)} ${t("kmUnit")}`;
}

export function money(m: { currency: string; minorUnits: bigint } | undefined): string {
  if (!m) return "—";
  return `${(Number(m.minorUnits) / 100).toLocaleString("ru-RU", { maximumFractionDigits: 0 })} ${m.currency === "KZT" ? "₸" : m.currency}`;
}
