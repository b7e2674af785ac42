import { describe, expect, it } from "vitest";
import { CHANNELS, EVENT_GROUPS, EVENT_TYPES } from "@/features/notifications/catalogue";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";

type Tree = { [key: string]: string | Tree };

/** The text at a dotted key, where notice types' own dots are levels too. */
function textAt(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

describe("the notices' names", () => {
  it.each([
    ["en", en as unknown as Tree],
    ["ru", ru as unknown as Tree],
  ])("name and describe every notice type, group and channel in %s", (_language, resource) => {
    const missing = [
      ...EVENT_TYPES.flatMap((type) => [`notifications.events.${type}.name`, `notifications.events.${type}.description`]),
      ...EVENT_GROUPS.map((group) => `notifications.groups.${group}`),
      ...CHANNELS.map((channel) => `notifications.channels.${channel}`),
    ].filter((key) => !textAt(resource, key));
    expect(missing).toEqual([]);
  });

  it("know no notice type the API does not send", () => {
    const known = new Set<string>(EVENT_TYPES);
    const named = Object.entries(en.notifications.events).flatMap(([head, tails]) => Object.keys(tails).map((tail) => `${head}.${tail}`));
    expect(named.filter((type) => !known.has(type))).toEqual([]);
  });
});
