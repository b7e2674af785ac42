import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { operationKeys } from "@/features/operations/use-operations";

/** The monitor is watched, not browsed: everything on it is fetched again this often. */
const MONITOR_REFRESH_MS = 10_000;

export const monitorKeys = {
  all: ["monitor"] as const,
  overview: ["monitor", "overview"] as const,
  messages: (queue: string) => ["monitor", "messages", queue] as const,
};

/** Queue depths, dead letters and the last 24 hours' failure rates per job type. */
export function useMonitor() {
  return useQuery({
    queryKey: monitorKeys.overview,
    queryFn: () => unwrap(api.GET("/api/monitor")),
    refetchInterval: MONITOR_REFRESH_MS,
  });
}

/** Up to 10 messages of a queue, looked at without taking them; idle while no queue is chosen. */
export function useQueueMessages(queue: string | null) {
  return useQuery({
    queryKey: monitorKeys.messages(queue ?? ""),
    queryFn: () => unwrap(api.GET("/api/monitor/queues/{queue}/messages", { params: { path: { queue: queue ?? "" } } })),
    enabled: queue !== null,
    staleTime: 0,
  });
}

/** Sends every message of a dead-letter queue back to work; postbacks get fresh attempts. */
export function useRedrive() {
  return useMutation({
    mutationFn: (queue: string) => unwrap(api.POST("/api/monitor/queues/{queue}/redrive", { params: { path: { queue } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: monitorKeys.all });
      void queryClient.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}
