import { addDays } from "@/lib/date-range";

/** The value axis of a chart: from zero to a round maximum, with evenly spaced round ticks. */
export type ValueAxis = { max: number; ticks: number[] };

/**
 * Round ticks from zero up to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten, about
 * `count` of them. Counts (`integer`) never step by less than one; an empty series still gets an axis.
 */
export function niceAxis(max: number, count = 4, integer = true): ValueAxis {
  if (!Number.isFinite(max) || max <= 0) return { max: integer ? count : 1, ticks: integer ? range(count + 1, 1) : [0, 1] };
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  let step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.ceil(step));
  const top = Math.ceil(max / step - 1e-9) * step;
  return { max: top, ticks: range(Math.round(top / step) + 1, step) };
}

function range(length: number, step: number): number[] {
  // Rounded so 0.1 + 0.2 steps do not leave 0.30000000000000004 on the axis.
  return Array.from({ length }, (_, index) => Number((index * step).toPrecision(12)));
}

/** Every key of a time series over the range: each local day (`2026-05-01`), or each hour (`2026-05-01T05`). */
export function seriesKeys(from: string, to: string, group: "day" | "hour"): string[] {
  const keys: string[] = [];
  for (let day = from; day <= to && keys.length < 24 * 400; day = addDays(day, 1)) {
    if (group === "day") keys.push(day);
    else for (let hour = 0; hour < 24; hour++) keys.push(`${day}T${String(hour).padStart(2, "0")}`);
  }
  return keys;
}

/**
 * One point per key, zero where the report has no row (the API leaves quiet days out); a row whose
 * key the range does not list (a 25-hour day's repeated hour) still gets its point.
 */
export function fillSeries<Row extends { key: string }>(keys: string[], rows: Row[], value: (row: Row) => number): { key: string; value: number }[] {
  const byKey = new Map(rows.map((row) => [row.key, value(row)]));
  const all = [...new Set([...keys, ...byKey.keys()])].sort();
  return all.map((key) => ({ key, value: byKey.get(key) ?? 0 }));
}

/** Every how many points an x-axis label fits, for `count` points and room for `room` labels. */
export function labelStep(count: number, room: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, room)));
}

export type Plot = { width: number; height: number; top: number; right: number; bottom: number; left: number };
export type Point = { x: number; y: number };

/** Where each value sits in the plot: spread evenly left to right, zero at the bottom, `max` at the top. */
export function plotPoints(values: number[], max: number, plot: Plot): Point[] {
  const innerWidth = plot.width - plot.left - plot.right;
  const innerHeight = plot.height - plot.top - plot.bottom;
  const span = values.length > 1 ? innerWidth / (values.length - 1) : 0;
  return values.map((value, index) => ({
    x: plot.left + (values.length > 1 ? index * span : innerWidth / 2),
    y: plot.top + innerHeight - (max > 0 ? (Math.min(value, max) / max) * innerHeight : 0),
  }));
}

/** The y of a value on the plot's axis. */
export function plotY(value: number, max: number, plot: Plot): number {
  const innerHeight = plot.height - plot.top - plot.bottom;
  return plot.top + innerHeight - (max > 0 ? (value / max) * innerHeight : 0);
}

const round = (value: number) => Math.round(value * 100) / 100;

export function linePath(points: Point[]): string {
  return points.map((point, index) => `${index === 0 ? "M" : "L"}${round(point.x)},${round(point.y)}`).join(" ");
}

/** The line closed down to the baseline, for the area under it. */
export function areaPath(points: Point[], baseline: number): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return "";
  return `${linePath(points)} L${round(last.x)},${round(baseline)} L${round(first.x)},${round(baseline)} Z`;
}

/** The point nearest to `x` (the pointer over the chart). */
export function nearestIndex(points: Point[], x: number): number {
  let best = 0;
  points.forEach((point, index) => {
    if (Math.abs(point.x - x) < Math.abs((points[best]?.x ?? 0) - x)) best = index;
  });
  return best;
}
