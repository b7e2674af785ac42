import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { StatsLogQuery, StatsReportQuery } from "@/api/types";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { cancelReportQuery, reportQueryKeys, reportQueryOptions } from "@/features/stats/report-query";

/** Who is looking at statistics, and what that changes on the screens (by the permissions `GET /api/me` lists). */
export function useStatsViewer() {
  const { context } = useRequiredSession();
  const can = useCan();
  /** Reads only its own traffic, within the advertiser it switched to (an affiliate). */
  const affiliate = can("stats:read:affiliate");
  return {
    /** Reads every advertiser's figures and may narrow them to one (platform staff). */
    staff: can("stats:read:any"),
    affiliate,
    /** Revenue, profit and ROI are the advertiser's business: the API sends null to those without "revenue:read". */
    seesRevenue: can("revenue:read"),
    /** An affiliate reads statistics within the advertiser it switched to, and needs one chosen. */
    needsContext: affiliate && !context.advertiser_id,
    /** What else the server narrows answers by (the affiliate's advertiser), for the cache. */
    scope: affiliate ? (context.advertiser_id ?? null) : null,
    contextName: affiliate ? (context.advertiser_name ?? null) : null,
  };
}
export type StatsViewer = ReturnType<typeof useStatsViewer>;

export const statsKeys = {
  all: ["stats"] as const,
  report: reportQueryKeys.report,
  clicks: (scope: string | null, query: StatsLogQuery) => ["stats", "clicks", scope, query] as const,
  conversions: (scope: string | null, query: StatsLogQuery) => ["stats", "conversions", scope, query] as const,
};

type Options = { scope: string | null; enabled?: boolean };
/** `slot`: the screen's one report this is; when it changes, its previous query still running is stopped. */
type ReportOptions = Options & { slot?: string };

/** A report; a query of the analytics engine is followed until it is done (see report-query.ts). */
export function useStatsReport(query: StatsReportQuery, { scope, enabled = true, slot }: ReportOptions) {
  return useQuery(reportQueryOptions(scope, query, { enabled, slot }));
}

/** Cancels the report's running query; the report then shows it cancelled. */
export function useCancelReportQuery(query: StatsReportQuery, scope: string | null) {
  const client = useQueryClient();
  return useMutation({ mutationFn: (queryId: string) => cancelReportQuery(client, scope, query, queryId) });
}

/** One page of the click log, newest first. */
export function useClickLog(query: StatsLogQuery, { scope, enabled = true }: Options) {
  return useQuery({
    queryKey: statsKeys.clicks(scope, query),
    queryFn: () => unwrap(api.GET("/api/stats/clicks", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One page of the conversion log, newest first. */
export function useConversionLog(query: StatsLogQuery, { scope, enabled = true }: Options) {
  return useQuery({
    queryKey: statsKeys.conversions(scope, query),
    queryFn: () => unwrap(api.GET("/api/stats/conversions", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
