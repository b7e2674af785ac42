import { z } from "zod";
import type { Membership, PostbackEvent, PostbackFormat, PostbackSettings, PostbackSettingsInput } from "@/api/types";
import { unknownMacros } from "@/features/postbacks/postback-macros";

/*
 * The postback form keeps URLs as typed; `toSettingsInput` turns it into the API's body. Messages are
 * i18n keys. An empty global URL turns postbacks off; an override with an empty URL sends nothing for
 * its advertiser (or offer).
 */

/** In the order the funnel runs: the order checkboxes are listed and events are sent to the API. */
export const POSTBACK_EVENTS = ["click", "lead", "sale", "approved", "rejected"] as const satisfies readonly PostbackEvent[];
export const POSTBACK_FORMATS = ["get", "webhook"] as const satisfies readonly PostbackFormat[];
/** The API's limits. */
export const MAX_OVERRIDES = 100;
const MAX_URL = 2048;
const MAX_OFFER_ID = 40;
const HTTP_URL = /^https?:\/\/\S+$/i;

/** Events as the API keeps them: each once, in funnel order. */
export function orderedEvents(events: readonly PostbackEvent[]): PostbackEvent[] {
  return POSTBACK_EVENTS.filter((event) => events.includes(event));
}

/** Why a postback URL cannot be saved, as an i18n key; null when it can (empty is allowed). */
export function postbackUrlIssue(url: string, macros: readonly string[]): string | null {
  const text = url.trim();
  if (text === "") return null;
  if (text.length > MAX_URL) return "validation.tooLong";
  if (!HTTP_URL.test(text)) return "postbacks.validation.url";
  if (unknownMacros(text, macros).length > 0) return "postbacks.validation.macros";
  return null;
}

const eventList = z.array(z.enum(POSTBACK_EVENTS));

const overrideRow = z.object({
  advertiser_id: z.string(),
  offer_id: z.string(),
  url: z.string(),
  /** On: the override sends the global events (the API's `events: null`). */
  sameEvents: z.boolean(),
  events: eventList,
});

/** The form's rules; URLs are checked against the macros the server knows. */
export function postbackFormSchema(macros: readonly string[]) {
  return z
    .object({
      url: z.string(),
      events: eventList,
      format: z.enum(POSTBACK_FORMATS),
      overrides: z.array(overrideRow).max(MAX_OVERRIDES, "postbacks.validation.tooManyOverrides"),
    })
    .superRefine((values, ctx) => {
      const issue = (path: (string | number)[], message: string | null) => {
        if (message) ctx.addIssue({ code: "custom", message, path });
      };
      issue(["url"], postbackUrlIssue(values.url, macros));
      const scopes = new Set<string>();
      values.overrides.forEach((row, index) => {
        issue(["overrides", index, "advertiser_id"], row.advertiser_id === "" ? "validation.required" : null);
        issue(["overrides", index, "offer_id"], row.offer_id.trim().length > MAX_OFFER_ID ? "validation.tooLong" : null);
        issue(["overrides", index, "url"], postbackUrlIssue(row.url, macros));
        const scope = `${row.advertiser_id}\n${row.offer_id.trim()}`;
        issue(["overrides", index, "offer_id"], row.advertiser_id !== "" && scopes.has(scope) ? "postbacks.validation.duplicate" : null);
        scopes.add(scope);
      });
    });
}

export type PostbackFormValues = z.infer<ReturnType<typeof postbackFormSchema>>;
export type OverrideRow = PostbackFormValues["overrides"][number];

export const emptyOverride = (): OverrideRow => ({ advertiser_id: "", offer_id: "", url: "", sameEvents: true, events: [] });

export function settingsToForm(settings: PostbackSettings): PostbackFormValues {
  return {
    url: settings.url,
    events: orderedEvents(settings.events),
    format: settings.format ?? "get",
    overrides: (settings.overrides ?? []).map((override) => ({
      advertiser_id: override.advertiser_id,
      offer_id: override.offer_id ?? "",
      url: override.url,
      sameEvents: override.events == null,
      // Unticking "same as global" starts from the global events.
      events: orderedEvents(override.events ?? settings.events),
    })),
  };
}

/** The API's body for a validated form. */
export function toSettingsInput(values: PostbackFormValues): PostbackSettingsInput {
  return {
    url: values.url.trim(),
    events: orderedEvents(values.events),
    format: values.format,
    overrides: values.overrides.map((row) => ({
      advertiser_id: row.advertiser_id,
      offer_id: row.offer_id.trim(),
      url: row.url.trim(),
      events: row.sameEvents ? null : orderedEvents(row.events),
    })),
  };
}

export type AdvertiserOption = { id: string; name: string; active: boolean };

/**
 * The advertisers an override may name: those the affiliate works with now, then any an override
 * already names that is no longer active (kept so the row shows it; the server refuses to save it).
 */
export function overrideAdvertisers(memberships: readonly Membership[], chosen: readonly string[]): AdvertiserOption[] {
  const active = memberships
    .filter((membership) => membership.status === "active")
    .map((membership) => ({ id: membership.advertiser_id, name: membership.advertiser_name, active: true }));
  const known = new Set(active.map((option) => option.id));
  const stale = [...new Set(chosen)]
    .filter((id) => id !== "" && !known.has(id))
    .map((id) => ({ id, name: memberships.find((membership) => membership.advertiser_id === id)?.advertiser_name ?? id, active: false }));
  return [...active, ...stale];
}
