import { z } from "zod";
import type { WebhookEndpoint, WebhookEventType, WebhookInput } from "@/api/types";
import { WEBHOOK_EVENT_TYPES } from "@/features/notifications/catalogue";

/** An endpoint's address: http(s) only; whether it is public and allowed the API decides, saying why. Empty is "required"'s to say. */
function isWebAddress(value: string): boolean {
  if (!value) return true;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

export const webhookFormSchema = z.object({
  url: z.string().trim().min(1, "validation.required").max(2048, "validation.tooLong").refine(isWebAddress, "webhooks.form.urlInvalid"),
  description: z.string().trim().max(200, "validation.tooLong"),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "webhooks.form.eventsRequired"),
  enabled: z.boolean(),
});
export type WebhookFormValues = z.infer<typeof webhookFormSchema>;

/** The form of a new endpoint, or of `endpoint` as stored. */
export function webhookFormValues(endpoint: WebhookEndpoint | null): WebhookFormValues {
  if (!endpoint) return { url: "", description: "", events: [], enabled: true };
  return { url: endpoint.url, description: endpoint.description, events: [...endpoint.events], enabled: endpoint.enabled };
}

/** The body of `POST`/`PUT /api/webhooks`: the subscribed types in the catalogue's order, once each. */
export function webhookInput(values: WebhookFormValues): WebhookInput {
  const chosen = new Set<WebhookEventType>(values.events);
  return {
    url: values.url.trim(),
    description: values.description.trim(),
    events: WEBHOOK_EVENT_TYPES.filter((type) => chosen.has(type)),
    enabled: values.enabled,
  };
}
