import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Operation, OperationList } from "@/api/types";
import type { Requirement } from "@/features/auth/permissions";
import type { OperationFilters } from "@/features/operations/operation-filters";

const PAGE_SIZE = 50;
/** Deliveries move on by themselves (retries, replays): lists and open details follow this often. */
export const OPERATIONS_REFRESH_MS = 10_000;

/**
 * Where a list of operations comes from: the delivery log (each viewer its own slice, postbacks only),
 * the monitor (every operation, owner and platform admin) or a work queue's open jobs. All answer
 * the same shapes.
 */
export type OperationSource = {
  name: "deliveries" | "monitor" | "open-jobs";
  list: (filters: OperationFilters, cursor: string | null) => Promise<OperationList>;
  get: (opId: string) => Promise<Operation>;
  replay: (opId: string) => Promise<Operation>;
};

/** Who may send a delivery again: the affiliate its own, owner and platform admin any they see; the others only look. */
export const REPLAY_DELIVERIES: Requirement = "deliveries:replay";

export const deliverySource: OperationSource = {
  name: "deliveries",
  list: ({ status, event, advertiser_id }, cursor) =>
    unwrap(api.GET("/api/deliveries", { params: { query: { status, event, advertiser_id, cursor, limit: PAGE_SIZE } } })),
  get: (opId) => unwrap(api.GET("/api/deliveries/{op_id}", { params: { path: { op_id: opId } } })),
  replay: (opId) => unwrap(api.POST("/api/deliveries/{op_id}/replay", { params: { path: { op_id: opId } } })),
};

export const monitorSource: OperationSource = {
  name: "monitor",
  list: ({ type, status, advertiser_id }, cursor) =>
    unwrap(api.GET("/api/monitor/operations", { params: { query: { type, status, advertiser_id, cursor, limit: PAGE_SIZE } } })),
  get: (opId) => unwrap(api.GET("/api/monitor/operations/{op_id}", { params: { path: { op_id: opId } } })),
  replay: (opId) => unwrap(api.POST("/api/monitor/operations/{op_id}/replay", { params: { path: { op_id: opId } } })),
};

/**
 * A work queue's jobs that can still run, oldest first, read from the operations log: the queue
 * itself is never received from (each receive counts toward its dead-letter queue). List it with the
 * queue's key as the scope.
 */
export function openJobsSource(queue: string): OperationSource {
  return {
    name: "open-jobs",
    list: (_filters, cursor) => unwrap(api.GET("/api/monitor/queues/{queue}/jobs", { params: { path: { queue }, query: { cursor, limit: PAGE_SIZE } } })),
    get: monitorSource.get,
    replay: monitorSource.replay,
  };
}

export const operationKeys = {
  all: ["operations"] as const,
  /** `scope`: what else the server narrows the list by, e.g. an affiliate's current advertiser. */
  list: (source: OperationSource, scope: string | null, filters: OperationFilters) => ["operations", source.name, "list", scope, filters] as const,
  detail: (source: OperationSource, opId: string) => ["operations", source.name, "detail", opId] as const,
};

/** Still being worked on: the next attempt may change it. */
const isOpen = (operation: Operation | undefined) => operation?.status === "pending" || operation?.status === "retrying";

type ListOptions = { scope?: string | null; enabled?: boolean };

/** Newest first, a page at a time: `fetchNextPage` follows the server's cursor; every loaded page is refreshed. */
export function useOperationList(source: OperationSource, filters: OperationFilters, { scope = null, enabled = true }: ListOptions = {}) {
  return useInfiniteQuery({
    queryKey: operationKeys.list(source, scope, filters),
    queryFn: ({ pageParam }) => source.list(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.cursor ?? undefined,
    enabled,
    refetchInterval: OPERATIONS_REFRESH_MS,
  });
}

/** One operation with every attempt; the list's copy shows while the fresh one loads, and an open one is followed. */
export function useOperation(source: OperationSource, listed: Operation | null) {
  const opId = listed?.op_id ?? "";
  return useQuery({
    queryKey: operationKeys.detail(source, opId),
    queryFn: () => source.get(opId),
    enabled: opId !== "",
    placeholderData: listed ?? undefined,
    refetchInterval: (query) => (isOpen(query.state.data) ? OPERATIONS_REFRESH_MS : false),
  });
}

/** Sends an operation again with fresh retries; every list shows its new state afterwards. */
export function useReplayOperation(source: OperationSource) {
  return useMutation({
    mutationFn: source.replay,
    onSuccess: (operation) => {
      queryClient.setQueryData(operationKeys.detail(source, operation.op_id), operation);
      void queryClient.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}
