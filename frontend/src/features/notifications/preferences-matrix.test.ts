import { describe, expect, it } from "vitest";
import type { EventPreference, NotificationPreferences } from "@/api/types";
import { cellOf, groupedEvents, isChanged, matrixOf, preferencesBody, withCell } from "@/features/notifications/preferences-matrix";

const sale: EventPreference = { type: "conversion.sale", group: "conversions", security: false, channels: { email: true, telegram: false, in_app: true } };
const failing: EventPreference = { type: "postback.failing", group: "delivery", security: false, channels: { email: true, telegram: true, in_app: true } };
const signIn: EventPreference = { type: "security.new_sign_in", group: "security", security: true, channels: { email: true, telegram: true, in_app: true } };
const paid: EventPreference = { type: "payout.paid", group: "money", security: false, channels: { email: true, telegram: false, in_app: true } };

function preferences(linked: boolean): NotificationPreferences {
  return {
    channels: ["email", "telegram", "in_app"],
    events: [signIn, failing, sale, paid],
    telegram: { linked, username: linked ? "ann" : null, bot_username: "acme_alerts_bot" },
  };
}

describe("the preferences matrix", () => {
  it("locks security notices on, on every channel, whatever is stored", () => {
    const stored = { ...signIn, channels: { email: false, telegram: false, in_app: false } };
    for (const channel of ["email", "telegram", "in_app"] as const) {
      expect(cellOf(stored, channel, {}, true)).toEqual({ checked: true, locked: "security" });
    }
    expect(withCell({}, signIn, "email", false, true)).toEqual({});
  });

  it("disables the Telegram column until a chat is linked, keeping the stored choice", () => {
    expect(cellOf(failing, "telegram", {}, false)).toEqual({ checked: true, locked: "telegram" });
    expect(withCell({}, failing, "telegram", false, false)).toEqual({});
    expect(cellOf(failing, "telegram", {}, true)).toEqual({ checked: true, locked: null });
    expect(cellOf(failing, "email", {}, false)).toEqual({ checked: true, locked: null });
  });

  it("shows a changed box over the stored one and knows it is changed", () => {
    const stored = preferences(true);
    const edited = withCell(matrixOf(stored), sale, "telegram", true, true);
    expect(cellOf(sale, "telegram", edited, true).checked).toBe(true);
    expect(isChanged(stored, edited)).toBe(true);
    expect(isChanged(stored, withCell(edited, sale, "telegram", false, true))).toBe(false);
    expect(isChanged(stored, {})).toBe(false);
  });

  it("puts every changeable notice on every channel in the PUT body, and no security notice", () => {
    const stored = preferences(true);
    const edited = withCell(withCell({}, sale, "email", false, true), failing, "telegram", false, true);
    expect(preferencesBody(stored, edited)).toEqual({
      events: {
        "postback.failing": { email: true, telegram: false, in_app: true },
        "conversion.sale": { email: false, telegram: false, in_app: true },
        "payout.paid": { email: true, telegram: false, in_app: true },
      },
    });
  });

  it("sends the stored Telegram choice back unchanged while no chat is linked", () => {
    const stored = preferences(false);
    const body = preferencesBody(stored, withCell({}, failing, "telegram", false, false));
    expect(body.events["postback.failing"]).toEqual({ email: true, telegram: true, in_app: true });
  });

  it("groups the notices in the screen's order, leaving out groups with none", () => {
    expect(groupedEvents(preferences(true).events).map(([group, rows]) => [group, rows.map((row) => row.type)])).toEqual([
      ["conversions", ["conversion.sale"]],
      ["money", ["payout.paid"]],
      ["delivery", ["postback.failing"]],
      ["security", ["security.new_sign_in"]],
    ]);
  });
});
