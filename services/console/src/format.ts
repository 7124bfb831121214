// Formatting shared by every view: times, durations, countdowns to a norm, enum names.
import { useEffect, useState } from "preact/hooks";
import { timestampDate, type Timestamp, type Duration } from "@bufbuild/protobuf/wkt";

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

/** "7 min", "1 h 05 min". */
export function minutes(totalSeconds: number): string {
  const m = Math.round(totalSeconds / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** A countdown "09:41" to `deadline`, "−02:13" once past it. */
export function countdown(deadline: number | undefined, now: number): { text: string; late: boolean; urgent: boolean } {
  if (deadline === undefined) return { text: "—", late: false, urgent: false };
  const left = Math.round((deadline - now) / 1000);
  const abs = Math.abs(left);
  const text = `${left < 0 ? "−" : ""}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return { text, late: left < 0, urgent: left >= 0 && left < 180 };
}

/** "EN_ROUTE" → "en route". */
export function enumName(table: Record<number, string>, value: number): string {
  return (table[value] ?? String(value)).toLowerCase().replace(/_/g, " ");
}

export function km(metres: number): string {
  return metres < 10000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres / 1000)} km`;
}

export function money(m: { currency: string; minorUnits: bigint } | undefined): string {
  if (!m) return "—";
  return `${(Number(m.minorUnits) / 100).toLocaleString("ru-RU", { maximumFractionDigits: 0 })} ${m.currency === "KZT" ? "₸" : m.currency}`;
}
