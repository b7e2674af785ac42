import { ApiError, toApiError } from "@/api/api-error";
import { authFetch } from "@/api/client";
import type { ClientErrorCode } from "@/api/types";
import type {
  EventType,
  NoticePage,
  NotificationPreferences,
  PreferencesInput,
  TelegramLinkCode,
  UnreadCount,
  Unsubscribed,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookInput,
  WebhookList,
  WebhookTestResult,
} from "@/features/notifications/api-types";

// Until the generated schema has these routes, they are called through this one typed wrapper over the
// client's own fetch (bearer token, one refresh on 401, the dashboard's language) and its error envelope;
// the integrator swaps each function's body for `unwrap(api.GET(...))` and nothing else changes.

type Query = Record<string, string | number | null | undefined>;
type Call = { method?: "GET" | "POST" | "PUT" | "DELETE"; query?: Query; body?: unknown };

/** The answer's JSON; nothing for a 204, or for a proxy's error page that is not JSON. */
async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function call<T>(path: string, { method = "GET", query = {}, body }: Call = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, String(value));
  const request = new Request(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let response: Response;
  try {
    response = await authFetch(request);
  } catch (cause) {
    const code: ClientErrorCode = "network_error";
    throw new ApiError(0, code, cause instanceof Error ? cause.message : String(cause));
  }
  const parsed = await bodyOf(response);
  if (!response.ok) throw toApiError(response.status, parsed);
  return parsed as T;
}

const segment = encodeURIComponent;

export const notificationsApi = {
  list: (cursor: string | null, limit: number) => call<NoticePage>("/api/notifications", { query: { limit, cursor } }),
  unread: () => call<UnreadCount>("/api/notifications/unread"),
  markRead: (id: string) => call<UnreadCount>(`/api/notifications/${segment(id)}/read`, { method: "POST" }),
  markAllRead: () => call<UnreadCount>("/api/notifications/read-all", { method: "POST" }),
  preferences: () => call<NotificationPreferences>("/api/notifications/preferences"),
  savePreferences: (body: PreferencesInput) => call<NotificationPreferences>("/api/notifications/preferences", { method: "PUT", body }),
  linkTelegram: () => call<TelegramLinkCode>("/api/notifications/telegram/link", { method: "POST" }),
  unlinkTelegram: () => call<void>("/api/notifications/telegram", { method: "DELETE" }),
  unsubscribe: (token: string) => call<Unsubscribed>("/api/notifications/unsubscribe", { method: "POST", body: { token } }),
};

export const webhooksApi = {
  list: () => call<WebhookList>("/api/webhooks"),
  create: (body: WebhookInput) => call<WebhookEndpoint>("/api/webhooks", { method: "POST", body }),
  update: (id: string, body: WebhookInput) => call<WebhookEndpoint>(`/api/webhooks/${segment(id)}`, { method: "PUT", body }),
  remove: (id: string) => call<void>(`/api/webhooks/${segment(id)}`, { method: "DELETE" }),
  rotateSecret: (id: string) => call<WebhookEndpoint>(`/api/webhooks/${segment(id)}/rotate-secret`, { method: "POST" }),
  test: (id: string, type: EventType) => call<WebhookTestResult>(`/api/webhooks/${segment(id)}/test`, { method: "POST", body: { type } }),
  deliveries: (id: string, cursor: string | null, limit: number) =>
    call<WebhookDeliveryList>(`/api/webhooks/${segment(id)}/deliveries`, { query: { cursor, limit } }),
};
