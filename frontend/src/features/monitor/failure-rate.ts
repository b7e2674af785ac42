import type { BadgeVariant } from "@/components/ui/badge";
import type { FailureHour } from "@/api/types";

/** The API's failure rate (failed attempts / attempts, 0 to 1) as a percentage with one decimal. */
export function failurePercent(rate: number): number {
  if (!Number.isFinite(rate)) return 0;
  return Math.round(Math.min(Math.max(rate, 0), 1) * 1000) / 10;
}

/** The failure rate as the language writes a percentage ("12.5%", "12,5 %"). */
export function formatFailureRate(rate: number, language: string): string {
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }).format(failurePercent(rate) / 100);
}

/** How alarming a failure rate is: retries absorb a few failures, a fifth failing needs a look. */
export function failureTone(rate: number): BadgeVariant {
  const percent = failurePercent(rate);
  if (percent >= 20) return "destructive";
  if (percent >= 5) return "warning";
  return "success";
}

export type HourBar = FailureHour & {
  /** The bar's height: this hour's attempts against the busiest hour, 0 to 100. */
  height: number;
  /** The failed part of the bar: this hour's failures against its attempts, 0 to 100. */
  failedShare: number;
};

/** The per-hour strip of a job type: one bar per hour, scaled to the busiest hour. */
export function hourBars(hours: readonly FailureHour[]): HourBar[] {
  const busiest = Math.max(0, ...hours.map((hour) => hour.attempts));
  return hours.map((hour) => ({
    ...hour,
    height: busiest === 0 ? 0 : Math.round((hour.attempts / busiest) * 100),
    failedShare: hour.attempts === 0 ? 0 : Math.round((Math.min(hour.failures, hour.attempts) / hour.attempts) * 100),
  }));
}
