import type { StatsRow } from "@/api/types";
import { formatNumber } from "@/lib/format";
import { formatMinor, minorDigits } from "@/lib/money";

/** Money per currency in minor units, as a report row carries it; null where the viewer may not see it. */
export type MoneyMap = Record<string, number>;

/** The currencies of an amount, the largest first, so the headline figure leads. */
function byAmount<Value>(amounts: Record<string, Value>, size: (value: Value) => number): [string, Value][] {
  return Object.entries(amounts).sort(([a, x], [b, y]) => size(y) - size(x) || a.localeCompare(b));
}

/** Each currency's amount, joined ("$1,200.00 · €30.00"); a dash where it is hidden, zero where there is none. */
export function formatMoneyMap(amounts: MoneyMap | null | undefined, language: string): string {
  if (!amounts) return "—";
  const entries = byAmount(amounts, Math.abs);
  if (entries.length === 0) return formatNumber(0, language);
  return entries.map(([currency, minor]) => formatMinor(minor, currency, language)).join(" · ");
}

/** Earnings per click: fractions of a minor unit matter, so two more digits than the currency has. */
export function formatEpc(minor: number, currency: string, language: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits + 2 }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits + 2)} ${currency}`;
  }
}

export function formatEpcMap(amounts: MoneyMap, language: string): string {
  const entries = byAmount(amounts, Math.abs);
  if (entries.length === 0) return "—";
  return entries.map(([currency, minor]) => formatEpc(minor, currency, language)).join(" · ");
}

/** A percentage the API gives as a number of percent (CR 3.5 → "3.5%"); a dash for none. */
export function formatPercentValue(percent: number | null | undefined, language: string): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return "—";
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 2 }).format(percent / 100);
}

/** ROI per currency: one currency shows its percentage alone, several name theirs. */
export function formatRoiMap(roi: Record<string, number | null> | null | undefined, language: string): string {
  if (!roi) return "—";
  const entries = Object.entries(roi).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return "—";
  if (entries.length === 1) return formatPercentValue(entries[0]?.[1], language);
  return entries.map(([currency, value]) => `${currency} ${formatPercentValue(value, language)}`).join(" · ");
}

/** A short number for an axis ("1.2K", "3 тыс."). */
export function formatCompact(value: number, language: string): string {
  return new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/** The currency a report's money is charted in: the one with the most payout, else revenue (the server's rule for sorting). */
export function primaryCurrency(totals: Pick<StatsRow, "payout" | "revenue"> | undefined): string | null {
  for (const money of [totals?.payout, totals?.revenue]) {
    const first = money ? byAmount(money, (value) => value)[0] : undefined;
    if (first) return first[0];
  }
  return null;
}

// --- Metrics the trend chart plots ------------------------------------------------------------------

export const CHART_METRICS = ["clicks", "conversions", "payout", "revenue"] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

export function isMoneyMetric(metric: ChartMetric): metric is "payout" | "revenue" {
  return metric === "payout" || metric === "revenue";
}

/** A row's value of a metric: a count, or minor units of `currency` for money. */
export function metricValue(row: StatsRow, metric: ChartMetric, currency: string | null): number {
  if (!isMoneyMetric(metric)) return row[metric];
  const money = row[metric];
  return currency && money ? (money[currency] ?? 0) : 0;
}

/** A metric's value for people: money in its currency, counts as numbers. */
export function formatMetric(value: number, metric: ChartMetric, currency: string | null, language: string): string {
  return isMoneyMetric(metric) && currency ? formatMinor(value, currency, language) : formatNumber(value, language);
}

/** An axis tick of a metric: money in whole units of its currency, compact. */
export function formatTick(value: number, metric: ChartMetric, currency: string | null, language: string): string {
  if (!isMoneyMetric(metric) || !currency) return formatCompact(value, language);
  const whole = value / 10 ** minorDigits(currency);
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(whole);
  } catch {
    return formatCompact(whole, language);
  }
}
