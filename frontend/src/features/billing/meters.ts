import type { Meter } from "@/api/types";

/** Where a meter warns (amber) and where it is full (red), in percent of the limit: the API's warnings go out at the same marks. */
export const WARNING_PERCENT = 80;
export const FULL_PERCENT = 100;

/**
 * How a meter shows: no limit; a limit of nothing the plan does not include (and nothing used);
 * below the warning; from 80 %; at or over the limit.
 */
export type MeterLevel = "unlimited" | "excluded" | "ok" | "warning" | "full";

/** The share of the limit used, in whole percent: the API's, else worked out; null without a limit. */
export function meterPercent(meter: Meter): number | null {
  if (meter.allowed === null) return null;
  if (meter.percent !== null) return meter.percent;
  if (meter.allowed === 0) return meter.usage > 0 ? FULL_PERCENT : 0;
  return Math.floor((meter.usage * 100) / meter.allowed);
}

export function meterLevel(meter: Meter): MeterLevel {
  if (meter.allowed === null) return "unlimited";
  if (meter.allowed === 0 && meter.usage === 0) return "excluded";
  // White-label is on or off: it is in the way only when on without the plan allowing it.
  if (meter.limit === "white_label") return meter.usage > meter.allowed ? "full" : "ok";
  const percent = meterPercent(meter) ?? 0;
  if (percent >= FULL_PERCENT) return "full";
  if (percent >= WARNING_PERCENT) return "warning";
  return "ok";
}

/** The bar's length: the share used, never past the end. */
export function meterBarWidth(meter: Meter): number {
  return Math.min(FULL_PERCENT, Math.max(0, meterPercent(meter) ?? 0));
}
