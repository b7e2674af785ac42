import { describe, expect, it } from "vitest";
import type { WebhookEndpoint } from "@/api/types";
import { webhookFormSchema, webhookFormValues, webhookInput } from "@/features/webhooks/webhook-form";

const endpoint: WebhookEndpoint = {
  id: "wh_1",
  url: "https://hooks.example.com/events",
  events: ["payout.paid", "conversion.sale"],
  description: "Billing",
  enabled: false,
  secret: "whsec_abc",
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
};

const messages = (values: unknown) => {
  const parsed = webhookFormSchema.safeParse(values);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("the webhook endpoint form", () => {
  it("starts a new endpoint enabled and empty, and an edit from what is stored", () => {
    expect(webhookFormValues(null)).toEqual({ url: "", description: "", events: [], enabled: true });
    expect(webhookFormValues(endpoint)).toEqual({ url: endpoint.url, description: "Billing", events: ["payout.paid", "conversion.sale"], enabled: false });
  });

  it("asks for a web address and at least one event", () => {
    expect(messages({ url: "", description: "", events: [], enabled: true })).toEqual(["url: validation.required", "events: webhooks.form.eventsRequired"]);
    expect(messages({ url: "ftp://files.example.com", description: "", events: ["payout.paid"], enabled: true })).toEqual(["url: webhooks.form.urlInvalid"]);
    expect(messages({ url: "hooks.example.com", description: "", events: ["payout.paid"], enabled: true })).toEqual(["url: webhooks.form.urlInvalid"]);
    expect(messages({ url: "https://hooks.example.com", description: "", events: ["no.such_event"], enabled: true })).toHaveLength(1);
  });

  it("sends the events in the catalogue's order, once each, and the texts trimmed", () => {
    expect(
      webhookInput({
        url: "  https://hooks.example.com/x ",
        description: " Billing ",
        events: ["payout.paid", "conversion.sale", "payout.paid"],
        enabled: true,
      }),
    ).toEqual({ url: "https://hooks.example.com/x", description: "Billing", events: ["conversion.sale", "payout.paid"], enabled: true });
  });
});
