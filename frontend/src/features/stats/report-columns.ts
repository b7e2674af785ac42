import type { StatsSort } from "@/api/types";

/** The metric columns of a report, in order; `key` (the group) always leads. */
export const REPORT_COLUMNS = [
  "clicks",
  "unique",
  "bots",
  "flood",
  "datacenter",
  "blocked",
  "leads",
  "sales",
  "conversions",
  "hold",
  "rejected",
  "cr",
  "payout",
  "epc",
  "cpc_clicks",
  "cpc_payout",
  "revenue",
  "profit",
  "roi",
] as const satisfies readonly Exclude<StatsSort, "key">[];
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** Shown unless the URL's `cols` says otherwise; the traffic-quality counters are a click away. */
export const DEFAULT_COLUMNS: readonly ReportColumn[] = [
  "clicks",
  "unique",
  "blocked",
  "leads",
  "sales",
  "conversions",
  "cr",
  "payout",
  "epc",
  "revenue",
  "profit",
  "roi",
];

/** Pay-per-click's columns: the clicks paid and what they earned (also in `payout`); named in the `cpc` namespace. */
export const CPC_COLUMNS: readonly ReportColumn[] = ["cpc_clicks", "cpc_payout"];

/** The i18n key of a column's name. */
export function columnKey(column: ReportColumn): string {
  return CPC_COLUMNS.includes(column) ? `cpc.metrics.${column}` : `stats.metrics.${column}`;
}

/** The advertiser's money: the API sends null to affiliates, so their reports do not offer the columns. */
export const REVENUE_COLUMNS: readonly ReportColumn[] = ["revenue", "profit", "roi"];

/** The columns the viewer may choose from. */
export function columnChoices(seesRevenue: boolean): ReportColumn[] {
  return REPORT_COLUMNS.filter((column) => seesRevenue || !REVENUE_COLUMNS.includes(column));
}

/** The columns to show, from the URL's `cols` (comma-separated; unknown names are ignored). */
export function visibleColumns(raw: string | null, seesRevenue: boolean): ReportColumn[] {
  const wanted = raw === null ? DEFAULT_COLUMNS : raw.split(",");
  return columnChoices(seesRevenue).filter((column) => wanted.includes(column));
}

/** The `cols` value for a choice of columns: none when it is the default. */
export function columnsParam(columns: readonly ReportColumn[]): string | undefined {
  const ordered = REPORT_COLUMNS.filter((column) => columns.includes(column));
  const defaults = REPORT_COLUMNS.filter((column) => DEFAULT_COLUMNS.includes(column));
  return ordered.join(",") === defaults.join(",") ? undefined : ordered.join(",") || "none";
}
