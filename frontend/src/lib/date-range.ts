import { daysAgoUtc, todayUtc } from "@/lib/format";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type DateRange = { from: string; to: string };

/** A page's day range from its URL (`from`, `to` as YYYY-MM-DD); by default the `days` days up to today (UTC). */
export function dateRangeFromParams(params: URLSearchParams, days: number, now: Date = new Date()): DateRange {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  return { from: DAY.test(from) ? from : daysAgoUtc(days, now), to: DAY.test(to) ? to : todayUtc(now) };
}
