import type { TFunction } from "i18next";
import type { FraudGroup, FraudReportQuery, FraudRow } from "@/api/types";
import { refusalLabel } from "@/features/clicks/click-quality";
import { formatPercentValue } from "@/features/stats/stats-format";
import {
  filtersFromParams,
  scopeFromParams,
  statsQuery,
  SUB_NAMES,
  type ScopeOptions,
  type StatsFilters,
  type StatsScope,
} from "@/features/stats/stats-params";
import { formatNumber } from "@/lib/format";

/**
 * The traffic-quality report's page state, kept in its URL like the other statistics pages: the range,
 * time zone, advertiser (staff) and filters of every statistics page, `group_by` (affiliate, offer or a
 * sub-id), the series the trend draws, and the page of rows.
 */

export const FRAUD_GROUPS = ["affiliate", "offer", ...SUB_NAMES] as const satisfies readonly FraudGroup[];
/** An affiliate reads its own traffic only: grouping it by affiliate would be one row. */
export function fraudGroupsFor(affiliate: boolean): FraudGroup[] {
  return FRAUD_GROUPS.filter((group) => !affiliate || group !== "affiliate");
}

export const FLAGS = ["bots", "datacenter", "flood", "duplicate"] as const;
export type Flag = (typeof FLAGS)[number];

/** What the trend can draw: every count of a row, day by day. */
export const TREND_SERIES = ["requests", "refused", ...FLAGS, "held_by_rule", "rejected_by_rule"] as const;
export type TrendSeries = (typeof TREND_SERIES)[number];

export function seriesValue(row: FraudRow, series: TrendSeries): number {
  switch (series) {
    case "requests":
    case "refused":
    case "held_by_rule":
    case "rejected_by_rule":
      return row[series];
    default:
      return row.flagged[series];
  }
}

export const FRAUD_PAGE_SIZE = 50;

export type FraudReportState = { scope: StatsScope; filters: StatsFilters; groupBy: FraudGroup; series: TrendSeries; offset: number };

function oneOf<Value extends string>(values: readonly Value[], raw: string | null): Value | undefined {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as Value) : undefined;
}

export function fraudReportFromParams(params: URLSearchParams, options: ScopeOptions & { affiliate: boolean }): FraudReportState {
  const groups = fraudGroupsFor(options.affiliate);
  const offset = Number(params.get("offset"));
  return {
    scope: scopeFromParams(params, options),
    filters: filtersFromParams(params),
    groupBy: oneOf(groups, params.get("group_by")) ?? groups[0] ?? "offer",
    series: oneOf(TREND_SERIES, params.get("series")) ?? "requests",
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

export function fraudQuery(state: FraudReportState): FraudReportQuery {
  return {
    ...statsQuery(state.scope, state.filters),
    group_by: state.groupBy,
    offset: state.offset,
    limit: FRAUD_PAGE_SIZE,
  };
}

/** A count with its share ("12 · 3.5%"); a zero alone, and no share where there is nothing to share. */
export function countWithShare(count: number, share: number | null | undefined, language: string): string {
  if (count === 0 || share === null || share === undefined) return formatNumber(count, language);
  return `${formatNumber(count, language)} · ${formatPercentValue(share, language)}`;
}

/** A row's refusals by reason, most first, each with its share of every click ("blocked by a rule 3 · 2.5%"). */
export function refusalBreakdown(t: TFunction, row: Pick<FraudRow, "refused_by_reason" | "refused_shares">, language: string): string[] {
  return Object.entries(row.refused_by_reason)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, count]) => `${refusalLabel(t, reason)} ${countWithShare(count, row.refused_shares[reason], language)}`);
}
