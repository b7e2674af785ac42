/** Dates and numbers as the current language writes them; money is src/lib/money.ts's. */
export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(date);
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** Today's date in UTC as YYYY-MM-DD, the day boundary the stats API uses. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The UTC day `days` days before `now`, as YYYY-MM-DD. */
export function daysAgoUtc(days: number, now: Date = new Date()): string {
  return todayUtc(new Date(now.getTime() - days * 86_400_000));
}

/** A decimal string of percent ("7.5") as the language writes a percentage. */
export function formatPercent(percent: string, language: string): string {
  const value = Number(percent);
  if (!Number.isFinite(value)) return `${percent} %`;
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 4 }).format(value / 100);
}

const BYTE_UNITS = ["kilobyte", "megabyte", "gigabyte"] as const;

/** A file size in the language's units ("1.2 MB", "1,2 МБ"); small files in tenths of a kilobyte. */
export function formatBytes(bytes: number, language: string): string {
  let value = Math.max(0, bytes) / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(language, { style: "unit", unit: BYTE_UNITS[unit], unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
}

/** A duration in the language's short units, whole seconds: "8s", "2m 14s" ("8 с", "2 мин 14 с"). */
export function formatDuration(milliseconds: number, language: string): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const unit = (value: number, name: "minute" | "second") =>
    new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
  if (total < 60) return unit(total, "second");
  return `${unit(Math.floor(total / 60), "minute")} ${unit(total % 60, "second")}`;
}
