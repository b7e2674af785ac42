import type { OperationStatus, OperationType, PostbackEvent } from "@/api/types";
import { POSTBACK_EVENTS } from "@/features/postbacks/postback-form";

export const OPERATION_STATUSES = ["pending", "retrying", "success", "failed"] as const satisfies readonly OperationStatus[];
export const OPERATION_TYPES = ["postback", "notify", "stats", "domain"] as const satisfies readonly OperationType[];

/** The filters of an operations list (deliveries, the monitor), as kept in the page's URL. */
export type OperationFilters = {
  status?: OperationStatus;
  event?: PostbackEvent;
  type?: OperationType;
  advertiser_id?: string;
};
export type OperationFilterName = keyof OperationFilters;

const ADVERTISER_ID = /^\S{1,40}$/;

function oneOf<Value extends string>(values: readonly Value[], raw: string | null): Value | undefined {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as Value) : undefined;
}

/** The filters in `params`; a value the API would refuse (an unknown status, a long id) is left out. */
export function operationFiltersFromParams(params: URLSearchParams): OperationFilters {
  const advertiserId = params.get("advertiser_id")?.trim() ?? "";
  const filters: OperationFilters = {
    status: oneOf(OPERATION_STATUSES, params.get("status")),
    event: oneOf(POSTBACK_EVENTS, params.get("event")),
    type: oneOf(OPERATION_TYPES, params.get("type")),
    advertiser_id: ADVERTISER_ID.test(advertiserId) ? advertiserId : undefined,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** `params` with one filter set, or removed when `value` is empty; the other parameters stay. */
export function withFilter(params: URLSearchParams, name: OperationFilterName, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}
