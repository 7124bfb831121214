// The map of every view: an SVG in Web Mercator with the simplified Kazakhstan outline and
// region centres, markers for calls, units, hospitals and aircraft, and lines for flights.
// With a tile URL configured (`--console-tile-url`) it lays raster tiles underneath, in the
// same coordinates, and the outline is drawn over them unfilled.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { KZ_OUTLINE } from "./outline.js";

export type MarkerKind = "call" | "unit" | "busy" | "hospital" | "region" | "aircraft" | "place";

export interface Marker {
  lat: number;
  lon: number;
  kind: MarkerKind;
  label?: string;
  selected?: boolean;
  category?: number;
}

export interface Line {
  points: { lat: number; lon: number }[];
  /** A ground leg (dashed), a flown track (`track`) or a planned or driven route (plain). */
  kind?: "ground" | "track";
}

const WORLD = 256;

function project(lon: number, lat: number): [number, number] {
  const phi = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * WORLD, ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * WORLD];
}

function unproject(x: number, y: number): { lat: number; lon: number } {
  const lon = (x / WORLD) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / WORLD;
  return { lat: (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))), lon };
}

const OUTLINE = KZ_OUTLINE.map(([lon, lat]) => project(lon, lat));
const COUNTRY = bounds(OUTLINE);

function bounds(points: [number, number][]) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** The XYZ tiles covering `view`, `px` pixels wide, at the zoom whose tiles are at least
 * their own size on screen. */
function tiles(template: string, view: { x: number; y: number; w: number; h: number }, px: number) {
  const z = Math.max(3, Math.min(14, Math.ceil(Math.log2(px / view.w))));
  const n = 2 ** z;
  const size = WORLD / n;
  const out: JSX.Element[] = [];
  for (let tx = Math.floor(view.x / size); tx * size < view.x + view.w; tx++) {
    for (let ty = Math.max(0, Math.floor(view.y / size)); ty < n && ty * size < view.y + view.h; ty++) {
      const x = ((tx % n) + n) % n;
      const href = template.replace("{z}", String(z)).replace("{x}", String(x)).replace("{y}", String(ty));
      out.push(<image key={`${z}/${tx}/${ty}`} class="map-tile" href={href} x={tx * size} y={ty * size} width={size} height={size} />);
    }
  }
  return out;
}

/** The element's width in pixels, kept up to date. */
function useWidth<T extends Element>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function KzMap(props: {
  markers: Marker[];
  lines?: Line[];
  fit?: "markers" | "country";
  tileUrl?: string | null;
  onPick?: (at: { lat: number; lon: number }) => void;
  height?: number;
  testId?: string;
}) {
  const projected = props.markers.map((m) => ({ m, p: project(m.lon, m.lat) }));
  const focus = [
    ...projected.filter(({ m }) => m.kind !== "region").map((f) => f.p),
    ...(props.lines ?? []).flatMap((l) => l.points.map((q) => project(q.lon, q.lat))),
  ];
  let box = COUNTRY;
  if (props.fit !== "country" && focus.length > 0) box = bounds(focus);
  const minSpan = props.fit === "country" ? 0 : 0.25;
  const w0 = Math.max(box.x1 - box.x0, minSpan);
  const h0 = Math.max(box.y1 - box.y0, minSpan * 0.6);
  // The box with a margin, widened or heightened to the element's shape so that the view is
  // exactly what shows (and the tiles cover it).
  const [ref, px] = useWidth<SVGSVGElement>();
  const height = props.height ?? 260;
  const aspect = px ? px / height : (w0 * 1.2) / (h0 * 1.2);
  const w = Math.max(w0 * 1.2, h0 * 1.2 * aspect);
  const h = w / aspect;
  const view = { x: (box.x0 + box.x1) / 2 - w / 2, y: (box.y0 + box.y1) / 2 - h / 2, w, h };
  const r = Math.max(view.w, view.h) / 110;
  const pick = (event: MouseEvent) => {
    if (!props.onPick) return;
    const svg = event.currentTarget as SVGSVGElement;
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    props.onPick(unproject(point.x, point.y));
  };
  return (
    <svg
      class="map"
      data-testid={props.testId}
      viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
      preserveAspectRatio="xMidYMid meet"
      style={{ height: `${height}px` }}
      ref={ref}
      onClick={pick}
      role="img"
      aria-label={t("map")}
    >
      <rect x={view.x - view.w} y={view.y - view.h} width={view.w * 3} height={view.h * 3} class="map-sea" />
      {props.tileUrl && px ? tiles(props.tileUrl, view, px) : null}
      <polygon points={OUTLINE.map((p) => p.join(",")).join(" ")} class={props.tileUrl ? "map-land over-tiles" : "map-land"} />
      {(props.lines ?? []).map((line, i) => (
        <polyline
          key={i}
          points={line.points.map((q) => project(q.lon, q.lat).join(",")).join(" ")}
          class={`map-line${line.kind ? ` ${line.kind}` : ""}`}
        />
      ))}
      {projected.map(({ m, p }, i) => (
        <g key={i} class={`mk mk-${m.kind}${m.selected ? " sel" : ""}${m.category ? ` cat${m.category}` : ""}`}>
          {m.kind === "hospital" ? (
            <rect x={p[0] - r * 0.7} y={p[1] - r * 0.7} width={r * 1.4} height={r * 1.4} />
          ) : m.kind === "aircraft" ? (
            <polygon points={`${p[0]},${p[1] - r * 1.3} ${p[0] + r},${p[1] + r} ${p[0] - r},${p[1] + r}`} />
          ) : (
            <circle cx={p[0]} cy={p[1]} r={m.kind === "region" ? r * 0.5 : m.kind === "call" ? r * 1.2 : r * 0.8} />
          )}
          {m.label && (m.kind === "region" || m.kind === "call" || m.kind === "place" || m.selected) ? (
            <text x={p[0] + r * 1.4} y={p[1] + r * 0.5} style={{ fontSize: `${r * 2.2}px` }}>
              {m.label}
            </text>
          ) : null}
          {m.label ? <title>{m.label}</title> : null}
        </g>
      ))}
    </svg>
  );
}
