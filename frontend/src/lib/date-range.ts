import { daysAgoUtc, todayUtc } from "@/lib/format";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type DateRange = { from: string; to: string };

/** A page's day range from its URL (`from`, `to` as YYYY-MM-DD); by default the `days` days up to today (UTC). */
export function dateRangeFromParams(params: URLSearchParams, days: number, now: Date = new Date()): DateRange {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  return { from: DAY.test(from) ? from : daysAgoUtc(days, now), to: DAY.test(to) ? to : todayUtc(now) };
}

// --- Ranges named by a preset, in the user's time zone ---------------------------------------------

/** The ranges a statistics page offers by name; any other range is "custom" (explicit `from`/`to`). */
export const DATE_PRESETS = ["today", "yesterday", "last7", "last30", "thisMonth"] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];
export type RangeChoice = DatePreset | "custom";
export type ChosenRange = DateRange & { choice: RangeChoice };

export function isDay(value: string | null | undefined): value is string {
  if (typeof value !== "string" || !DAY.test(value)) return false;
  // A round trip: the runtime reads "2026-02-30" as 2 March.
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The IANA zone the browser runs in ("UTC" where it cannot tell). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Whether the runtime knows `name` as an IANA time zone. */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day in `timeZone` at `now`, as YYYY-MM-DD (the UTC day for an unknown zone). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const zone = isTimeZone(timeZone) ? timeZone : "UTC";
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The day `days` days after `day` (before it when negative); calendar arithmetic, no time zone. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted: a single day is 1. */
export function daysInRange({ from, to }: DateRange): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The days a preset covers when `today` is the user's current day; both ends included. */
export function presetRange(preset: DatePreset, today: string): DateRange {
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "yesterday": {
      const yesterday = addDays(today, -1);
      return { from: yesterday, to: yesterday };
    }
    case "last7":
      return { from: addDays(today, -6), to: today };
    case "last30":
      return { from: addDays(today, -29), to: today };
    case "thisMonth":
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

function isPreset(value: string | null): value is DatePreset {
  return value !== null && (DATE_PRESETS as readonly string[]).includes(value);
}

/**
 * A statistics page's range from its URL: `range=<preset>` (relative, so a shared link keeps meaning
 * "the last 7 days"), or explicit `from` and `to` (a custom range), else `fallback`. Presets are
 * days of `timeZone`.
 */
export function chosenRange(params: URLSearchParams, timeZone: string, fallback: DatePreset, now: Date = new Date()): ChosenRange {
  const range = params.get("range");
  const from = params.get("from");
  const to = params.get("to");
  if (!isPreset(range) && isDay(from) && isDay(to) && from <= to) return { choice: "custom", from, to };
  const preset = isPreset(range) ? range : fallback;
  return { choice: preset, ...presetRange(preset, todayIn(timeZone, now)) };
}

/** The URL parameters that choose a range: a preset by name, or a custom range by its days. */
export function rangeParams(choice: RangeChoice, range: DateRange): Record<"range" | "from" | "to", string | undefined> {
  return choice === "custom" ? { range: undefined, from: range.from, to: range.to } : { range: choice, from: undefined, to: undefined };
}
