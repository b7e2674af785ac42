import type { DeliveryList, PostbackTestResult } from "@/api/types";

// The notifications and webhooks API of issue 18, declared by hand from its contract while the routes
// are being written: the generated schema (src/api/schema.d.ts) does not have them yet. The integrator
// replaces each type below with an alias of the generated schema's (as src/api/types.ts does) and the
// calls in notifications-api.ts with `api.GET("/api/notifications")` and its siblings.

/** Every notice the platform sends, dotted and stable (the `type` of a webhook's payload too). */
export const EVENT_TYPES = [
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
  "security.new_sign_in",
  "security.mfa_disabled",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** How the preferences screen groups the notices, in its order. */
export const EVENT_GROUPS = ["conversions", "money", "delivery", "program", "security"] as const;
export type EventGroup = (typeof EVENT_GROUPS)[number];

/** Where a notice goes, in the preferences matrix's column order. */
export const CHANNELS = ["email", "telegram", "in_app"] as const;
export type Channel = (typeof CHANNELS)[number];

/** One notice of the inbox, its title and body in the reader's language; `link`: a dashboard path. */
export type Notice = {
  id: string;
  type: EventType;
  group: EventGroup;
  title: string;
  body: string;
  link: string;
  advertiser_id: string | null;
  created_at: string;
  read: boolean;
};

/** `GET /api/notifications?limit=&cursor=`: newest first. */
export type NoticePage = { items: Notice[]; next_cursor: string | null; unread: number };

/** `GET /api/notifications/unread`, and the answer of marking one or all read. */
export type UnreadCount = { unread: number };

export type EventPreference = { type: EventType; group: EventGroup; security: boolean; channels: Record<Channel, boolean> };

export type TelegramLink = { linked: boolean; username: string | null; bot_username: string | null };

/** `GET`/`PUT /api/notifications/preferences`: only the notices the caller's side can receive. */
export type NotificationPreferences = { channels: Channel[]; events: EventPreference[]; telegram: TelegramLink };

/** `PUT /api/notifications/preferences`: per notice type, the channels it goes to. */
export type PreferencesInput = { events: Partial<Record<EventType, Partial<Record<Channel, boolean>>>> };

/** `POST /api/notifications/telegram/link`: a one-time code in a t.me deep link. */
export type TelegramLinkCode = { url: string; code: string; expires_at: string };

/** `POST /api/notifications/unsubscribe`: which notice was turned off for which address. */
export type Unsubscribed = { type: EventType; email: string };

/** A webhook endpoint of an advertiser's team or of an affiliate; `secret` signs its deliveries (Standard Webhooks). */
export type WebhookEndpoint = {
  id: string;
  url: string;
  events: EventType[];
  description: string;
  enabled: boolean;
  secret: string;
  created_at: string;
  updated_at: string;
};

/** `GET /api/webhooks`: the endpoints and the types the caller may subscribe them to. */
export type WebhookList = { items: WebhookEndpoint[]; event_types: EventType[] };

/** `POST /api/webhooks`, `PUT /api/webhooks/{id}`. */
export type WebhookInput = { url: string; events: EventType[]; description: string; enabled: boolean };

/** `POST /api/webhooks/{id}/test`: both sides of the exchange, as the postbacks' test answers. */
export type WebhookTestResult = PostbackTestResult;

/** `GET /api/webhooks/{id}/deliveries`: a page of the delivery log, as `/api/deliveries` answers. */
export type WebhookDeliveryList = DeliveryList;
