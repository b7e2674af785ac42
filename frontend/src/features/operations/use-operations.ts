import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Delivery, LoggedWork, Operation } from "@/api/types";
import type { Requirement } from "@/features/auth/permissions";
import type { OperationFilters } from "@/features/operations/operation-filters";

const PAGE_SIZE = 50;
/** Deliveries move on by themselves (retries, replays): lists and open details follow this often. */
export const OPERATIONS_REFRESH_MS = 10_000;

/**
 * Where a list of logged work comes from: the delivery log (deliveries, each viewer its own slice),
 * the monitor (every operation, owner and platform admin) or a work queue's open jobs (operations).
 * `idOf` names a row by its own word: a delivery's `delivery_id`, an operation's `op_id`.
 */
export type WorkSource<Row extends LoggedWork> = {
  name: "deliveries" | "monitor" | "open-jobs" | "webhook-deliveries";
  list: (filters: OperationFilters, cursor: string | null) => Promise<{ items: Row[]; cursor: string | null }>;
  get: (id: string) => Promise<Row>;
  replay: (id: string) => Promise<Row>;
  idOf: (row: Row) => string;
  /** The row's `data-*` attribute that carries its id. */
  idAttribute: "data-delivery-id" | "data-op-id";
};

/** Who may send a delivery again: the affiliate its own, owner and platform admin any they see; the others only look. */
export const REPLAY_DELIVERIES: Requirement = "deliveries:replay";

export const deliverySource: WorkSource<Delivery> = {
  name: "deliveries",
  list: ({ status, event, advertiser_id }, cursor) =>
    unwrap(api.GET("/api/deliveries", { params: { query: { status, event, advertiser_id, cursor, limit: PAGE_SIZE } } })),
  get: (deliveryId) => unwrap(api.GET("/api/deliveries/{delivery_id}", { params: { path: { delivery_id: deliveryId } } })),
  replay: (deliveryId) => unwrap(api.POST("/api/deliveries/{delivery_id}/replay", { params: { path: { delivery_id: deliveryId } } })),
  idOf: (delivery) => delivery.delivery_id,
  idAttribute: "data-delivery-id",
};

export const monitorSource: WorkSource<Operation> = {
  name: "monitor",
  list: ({ type, status, advertiser_id }, cursor) =>
    unwrap(api.GET("/api/monitor/operations", { params: { query: { type, status, advertiser_id, cursor, limit: PAGE_SIZE } } })),
  get: (opId) => unwrap(api.GET("/api/monitor/operations/{op_id}", { params: { path: { op_id: opId } } })),
  replay: (opId) => unwrap(api.POST("/api/monitor/operations/{op_id}/replay", { params: { path: { op_id: opId } } })),
  idOf: (operation) => operation.op_id,
  idAttribute: "data-op-id",
};

/**
 * A work queue's jobs that can still run, oldest first, read from the operations log: the queue
 * itself is never received from (each receive counts toward its dead-letter queue). List it with the
 * queue's key as the scope.
 */
export function openJobsSource(queue: string): WorkSource<Operation> {
  return {
    ...monitorSource,
    name: "open-jobs",
    list: (_filters, cursor) => unwrap(api.GET("/api/monitor/queues/{queue}/jobs", { params: { path: { queue }, query: { cursor, limit: PAGE_SIZE } } })),
  };
}

export const operationKeys = {
  all: ["operations"] as const,
  /** `scope`: what else the server narrows the list by, e.g. an affiliate's current advertiser. */
  list: <Row extends LoggedWork>(source: WorkSource<Row>, scope: string | null, filters: OperationFilters) =>
    ["operations", source.name, "list", scope, filters] as const,
  detail: <Row extends LoggedWork>(source: WorkSource<Row>, id: string) => ["operations", source.name, "detail", id] as const,
};

/** Still being worked on: the next attempt may change it. */
const isOpen = (work: LoggedWork | undefined) => work?.status === "pending" || work?.status === "retrying";

type ListOptions = { scope?: string | null; enabled?: boolean };

/** Newest first, a page at a time: `fetchNextPage` follows the server's cursor; every loaded page is refreshed. */
export function useOperationList<Row extends LoggedWork>(
  source: WorkSource<Row>,
  filters: OperationFilters,
  { scope = null, enabled = true }: ListOptions = {},
) {
  return useInfiniteQuery({
    queryKey: operationKeys.list(source, scope, filters),
    queryFn: ({ pageParam }) => source.list(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.cursor ?? undefined,
    enabled,
    refetchInterval: OPERATIONS_REFRESH_MS,
  });
}

/** One delivery or operation with every attempt (the caller shows the list's copy while it loads); an open one is followed. */
export function useOperation<Row extends LoggedWork>(source: WorkSource<Row>, listed: Row | null) {
  const id = listed ? source.idOf(listed) : "";
  return useQuery({
    queryKey: operationKeys.detail(source, id),
    queryFn: () => source.get(id),
    enabled: id !== "",
    refetchInterval: (query) => (isOpen(query.state.data) ? OPERATIONS_REFRESH_MS : false),
  });
}

/** Sends a delivery again with fresh retries; every list shows its new state afterwards. */
export function useReplayOperation<Row extends LoggedWork>(source: WorkSource<Row>) {
  return useMutation({
    mutationFn: source.replay,
    onSuccess: (replayed) => {
      queryClient.setQueryData(operationKeys.detail(source, source.idOf(replayed)), replayed);
      void queryClient.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}
