import type { Channel, EventGroup, EventType, WebhookEventType } from "@/api/types";

// The schema gives the types; the screens also need the values, in their order. catalogue.test.ts
// holds each list to the API's OpenAPI document.

/** The notices a webhook can carry, in the catalogue's order. */
export const WEBHOOK_EVENT_TYPES = [
  "conversion.lead",
  "conversion.sale",
  "conversion.approved",
  "conversion.rejected",
  "conversion.reversed",
  "balance.low",
  "topup.confirmed",
  "topup.rejected",
  "payout.requested",
  "payout.paid",
  "postback.failing",
  "membership.applied",
  "membership.decided",
  "offer.cap_reached",
  "invoice.issued",
  "domain.status_changed",
  "accounts.suspended",
  "accounts.reactivated",
] as const satisfies readonly WebhookEventType[];

/** What the platform tells an advertiser about its own plan and subscription; in-app, e-mail and Telegram only, never to a webhook. */
export const BILLING_EVENT_TYPES = [
  "plan.limit_warning",
  "billing.trial_ending",
  "billing.invoice_issued",
  "billing.payment_failed",
  "billing.payment_reminder",
  "billing.suspended",
  "billing.reactivated",
] as const satisfies readonly EventType[];

/** Every notice the platform sends: the security notices go to the person only, never to a webhook. */
export const EVENT_TYPES = [
  ...WEBHOOK_EVENT_TYPES,
  ...BILLING_EVENT_TYPES,
  "security.new_sign_in",
  "security.mfa_disabled",
] as const satisfies readonly EventType[];

/** How the preferences screen groups the notices, in its order. */
export const EVENT_GROUPS = ["conversions", "money", "delivery", "program", "billing", "security"] as const satisfies readonly EventGroup[];

/** Where a notice goes, in the preferences matrix's column order. */
export const CHANNELS = ["email", "telegram", "in_app"] as const satisfies readonly Channel[];
