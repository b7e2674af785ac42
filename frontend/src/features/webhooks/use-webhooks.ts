import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Delivery, WebhookEndpoint, WebhookEventType, WebhookInput, WebhookList } from "@/api/types";
import { deliverySource, type WorkSource } from "@/features/operations/use-operations";

const webhooksKey = ["webhooks"] as const;
const PAGE_SIZE = 50;

/** The list with one endpoint as the API just answered it. */
function replaced(list: WebhookList | undefined, endpoint: WebhookEndpoint): WebhookList | undefined {
  if (!list) return list;
  const known = list.items.some((item) => item.id === endpoint.id);
  return { ...list, items: known ? list.items.map((item) => (item.id === endpoint.id ? endpoint : item)) : [...list.items, endpoint] };
}

const keep = (endpoint: WebhookEndpoint) => queryClient.setQueryData<WebhookList>(webhooksKey, (list) => replaced(list, endpoint));

export function useWebhooks() {
  return useQuery({ queryKey: webhooksKey, queryFn: () => unwrap(api.GET("/api/webhooks")) });
}

export function useSaveWebhook(endpointId: string | null) {
  return useMutation({
    mutationFn: (body: WebhookInput) =>
      unwrap(
        endpointId ? api.PUT("/api/webhooks/{endpoint_id}", { params: { path: { endpoint_id: endpointId } }, body }) : api.POST("/api/webhooks", { body }),
      ),
    onSuccess: keep,
  });
}

export function useRemoveWebhook() {
  return useMutation({
    mutationFn: (endpointId: string) => unwrap(api.DELETE("/api/webhooks/{endpoint_id}", { params: { path: { endpoint_id: endpointId } } })),
    onSuccess: (_nothing, endpointId) =>
      queryClient.setQueryData<WebhookList>(webhooksKey, (list) => (list ? { ...list, items: list.items.filter((item) => item.id !== endpointId) } : list)),
  });
}

/** A new signing secret for one endpoint; the old one stops verifying at once. */
export function useRotateWebhookSecret() {
  return useMutation({
    mutationFn: (endpointId: string) => unwrap(api.POST("/api/webhooks/{endpoint_id}/rotate-secret", { params: { path: { endpoint_id: endpointId } } })),
    onSuccess: keep,
  });
}

/** Sends a sample event of `type` to the endpoint now and answers with both sides of the exchange. */
export function useWebhookTest(endpointId: string) {
  return useMutation({
    mutationFn: (type: WebhookEventType) =>
      unwrap(api.POST("/api/webhooks/{endpoint_id}/test", { params: { path: { endpoint_id: endpointId } }, body: { type } })),
  });
}

/**
 * One endpoint's deliveries for the delivery log's table: listed by the endpoint, each opened and
 * replayed as any delivery is (a webhook's delivery is a postback delivery of format webhook).
 */
export function webhookDeliverySource(endpointId: string): WorkSource<Delivery> {
  return {
    ...deliverySource,
    name: "webhook-deliveries",
    list: (_filters, cursor) =>
      unwrap(api.GET("/api/webhooks/{endpoint_id}/deliveries", { params: { path: { endpoint_id: endpointId }, query: { cursor, limit: PAGE_SIZE } } })),
  };
}
