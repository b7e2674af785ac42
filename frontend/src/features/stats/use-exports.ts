import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { ExportJob, ExportRequest, SummaryPeriod } from "@/api/types";

/** How often a running export is asked about: it writes thousands of rows a second. */
export const EXPORT_POLL_MS = 1500;

export const exportKeys = {
  all: ["exports"] as const,
  list: ["exports", "list"] as const,
  detail: (exportId: string) => ["exports", "detail", exportId] as const,
  /** `scope`: the affiliate's current advertiser, which the server lists by. */
  summaries: (period: SummaryPeriod, advertiserId: string | null, scope: string | null) => ["exports", "summaries", period, advertiserId, scope] as const,
};

export function isUnfinished(job: Pick<ExportJob, "status"> | undefined): boolean {
  return job?.status === "queued" || job?.status === "running";
}

/** The user's exports of the last 7 days, newest first; followed while any is still being built. */
export function useExports() {
  return useQuery({
    queryKey: exportKeys.list,
    queryFn: () => unwrap(api.GET("/api/exports")),
    refetchInterval: (query) => (query.state.data?.items.some(isUnfinished) ? EXPORT_POLL_MS : false),
  });
}

/** One export, followed until it is ready or has failed. */
export function useExportJob(exportId: string | null) {
  return useQuery({
    queryKey: exportKeys.detail(exportId ?? ""),
    queryFn: () => unwrap(api.GET("/api/exports/{export_id}", { params: { path: { export_id: exportId ?? "" } } })),
    enabled: exportId !== null,
    refetchInterval: (query) => (isUnfinished(query.state.data) ? EXPORT_POLL_MS : false),
  });
}

/** Asks the reports worker for a CSV of what a page shows. */
export function useCreateExport() {
  return useMutation({
    mutationFn: (body: ExportRequest) => unwrap(api.POST("/api/exports", { body })),
    onSuccess: (job) => {
      queryClient.setQueryData(exportKeys.detail(job.id), job);
      void queryClient.invalidateQueries({ queryKey: exportKeys.list });
    },
  });
}

/** The browser fetches a file from a link that lives 15 minutes, so the link is asked for right before. */
function download(url: string) {
  window.location.assign(url);
}

export function useDownloadExport() {
  return useMutation({
    mutationFn: async (exportId: string) => {
      const job = await unwrap(api.GET("/api/exports/{export_id}", { params: { path: { export_id: exportId } } }));
      if (!job.download_url) throw new Error(job.error ?? "not ready");
      return job.download_url;
    },
    onSuccess: download,
  });
}

/** The nightly summaries of an advertiser (platform staff name one), or an affiliate's own in its context. */
export function useSummaries(period: SummaryPeriod, advertiserId: string | undefined, { scope, enabled }: { scope: string | null; enabled: boolean }) {
  return useQuery({
    queryKey: exportKeys.summaries(period, advertiserId ?? null, scope),
    queryFn: () => unwrap(api.GET("/api/summaries", { params: { query: { period, ...(advertiserId ? { advertiser_id: advertiserId } : {}) } } })),
    enabled,
  });
}

export function useDownloadSummary() {
  return useMutation({
    mutationFn: async (key: string) => (await unwrap(api.GET("/api/summaries/download", { params: { query: { key } } }))).download_url,
    onSuccess: download,
  });
}
