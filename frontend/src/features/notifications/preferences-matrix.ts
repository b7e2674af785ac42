import type { Channel, EventGroup, EventPreference, EventType, NotificationPreferences, PreferencesInput } from "@/api/types";
import { EVENT_GROUPS } from "@/features/notifications/catalogue";

/** What the preferences screen holds while it is edited: per notice type, the channels ticked. */
export type PreferenceMatrix = Partial<Record<EventType, Record<Channel, boolean>>>;

/** Why a box cannot be changed: a security notice always goes out; Telegram needs a linked chat first. */
export type LockReason = "security" | "telegram";

export type Cell = { checked: boolean; locked: LockReason | null };

export function matrixOf(preferences: NotificationPreferences): PreferenceMatrix {
  return Object.fromEntries(preferences.events.map((event) => [event.type, { ...event.channels }]));
}

/** One box of the matrix as shown. An unlinked Telegram keeps the stored choice, for when a chat is linked. */
export function cellOf(event: EventPreference, channel: Channel, matrix: PreferenceMatrix, telegramLinked: boolean): Cell {
  if (event.security) return { checked: true, locked: "security" };
  const checked = matrix[event.type]?.[channel] ?? event.channels[channel];
  if (channel === "telegram" && !telegramLinked) return { checked, locked: "telegram" };
  return { checked, locked: null };
}

/** The matrix with one box changed; a locked box stays as it is. */
export function withCell(matrix: PreferenceMatrix, event: EventPreference, channel: Channel, checked: boolean, telegramLinked: boolean): PreferenceMatrix {
  if (cellOf(event, channel, matrix, telegramLinked).locked) return matrix;
  const row = matrix[event.type] ?? { ...event.channels };
  return { ...matrix, [event.type]: { ...row, [channel]: checked } };
}

/**
 * The `PUT` body: every notice the caller may change, on every channel it has. Security notices are
 * left out: they cannot be turned off, and the API refuses a body that tries.
 */
export function preferencesBody(preferences: NotificationPreferences, matrix: PreferenceMatrix): PreferencesInput {
  const events: PreferencesInput["events"] = {};
  for (const event of preferences.events) {
    if (event.security) continue;
    const row = matrix[event.type] ?? event.channels;
    events[event.type] = Object.fromEntries(preferences.channels.map((channel) => [channel, row[channel]]));
  }
  return { events };
}

/** Whether the matrix differs from what the API stored. */
export function isChanged(preferences: NotificationPreferences, matrix: PreferenceMatrix): boolean {
  return preferences.events.some((event) =>
    preferences.channels.some((channel) => (matrix[event.type]?.[channel] ?? event.channels[channel]) !== event.channels[channel]),
  );
}

/** The notices in the screen's groups and order; a group the caller receives nothing of is left out. */
export function groupedEvents(events: readonly EventPreference[]): [EventGroup, EventPreference[]][] {
  return EVENT_GROUPS.map((group): [EventGroup, EventPreference[]] => [group, events.filter((event) => event.group === group)]).filter(
    ([, rows]) => rows.length > 0,
  );
}
