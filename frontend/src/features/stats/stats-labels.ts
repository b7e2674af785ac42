import type { TFunction } from "i18next";
import type { StatsGroup, StatsRow } from "@/api/types";
import { countryName } from "@/features/offers/countries";
import type { FilterName } from "@/features/stats/stats-params";

/** The key the API gives a row without a value for its dimension (a click without sub1). */
export function isBlankKey(key: string): boolean {
  return key === "" || key === "-";
}

/** A local day (`2026-03-15`) as the language writes it: "15 Mar" (with the year when asked). */
export function dayLabel(day: string, language: string, withYear = false): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(language, { timeZone: "UTC", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}) }).format(date);
}

/** A local hour (`2026-03-15T05`) as "05:00", or with its day: "15 Mar, 05:00". */
export function hourLabel(hour: string, language: string, withDay = false): string {
  const time = `${hour.slice(11, 13)}:00`;
  return withDay ? `${dayLabel(hour, language)}, ${time}` : time;
}

export function deviceLabel(t: TFunction, device: string): string {
  return t(`clicks.devices.${device}`, { defaultValue: device });
}

/** A row's group as people read it: a day, an hour, a name, a country with its name, a device. */
export function groupLabel(t: TFunction, language: string, group: StatsGroup, row: Pick<StatsRow, "key" | "label">): string {
  if (group === "none") return t("stats.total");
  if (isBlankKey(row.key)) return t("stats.noValue");
  switch (group) {
    case "day":
      return dayLabel(row.key, language, true);
    case "hour":
      return hourLabel(row.key, language, true);
    case "country":
      return `${row.key} · ${countryName(row.key, language)}`;
    case "device":
      return deviceLabel(t, row.key);
    default:
      return row.label || row.key;
  }
}

/** A filter's value as people read it; offers and affiliates by the names the page knows. */
export function filterValueLabel(t: TFunction, language: string, name: FilterName, value: string, nameOf: (name: FilterName, id: string) => string): string {
  if (name === "country") return `${value} · ${countryName(value, language)}`;
  if (name === "device") return deviceLabel(t, value);
  if (name === "offer_id" || name === "affiliate_id") return nameOf(name, value);
  return value;
}
