import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { FraudReportQuery } from "@/api/types";

export const fraudReportKeys = {
  report: (scope: string | null, query: FraudReportQuery) => ["stats", "fraud", scope, query] as const,
};

/** The traffic-quality report; the previous answer stays on screen while a changed one loads. */
export function useFraudReport(query: FraudReportQuery, { scope, enabled = true }: { scope: string | null; enabled?: boolean }) {
  return useQuery({
    queryKey: fraudReportKeys.report(scope, query),
    queryFn: () => unwrap(api.GET("/api/stats/fraud", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
