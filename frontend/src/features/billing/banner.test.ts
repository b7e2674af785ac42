import { describe, expect, it } from "vitest";
import { bannerFor, daysUntil, leavesForBilling } from "@/features/billing/banner";
import { subscriptionOf } from "@/features/billing/billing.fixture";

const now = new Date("2026-12-10T12:00:00Z");

describe("the app's billing banner", () => {
  it("announces a trial from three days before it ends, counting a part of a day as a day", () => {
    const trial = (trialEnd: string) => bannerFor(subscriptionOf({ state: "trialing", trial_end: trialEnd }), now);
    expect(trial("2026-12-14T11:00:00Z")).toBeNull();
    expect(trial("2026-12-13T12:00:00Z")).toEqual({ kind: "trial_ending", daysLeft: 3, trialEnd: "2026-12-13T12:00:00Z" });
    expect(trial("2026-12-12T14:00:00Z")).toMatchObject({ kind: "trial_ending", daysLeft: 3 });
    expect(trial("2026-12-10T13:00:00Z")).toMatchObject({ kind: "trial_ending", daysLeft: 1 });
    expect(trial("2026-12-10T11:00:00Z")).toMatchObject({ kind: "trial_ending", daysLeft: 0 });
  });

  it("warns of an overdue payment with the day the subscription is suspended", () => {
    const pastDue = subscriptionOf({ state: "past_due", past_due_since: "2026-12-01T00:00:00Z", suspends_at: "2026-12-15T00:00:00Z" });
    expect(bannerFor(pastDue, now)).toEqual({ kind: "past_due", suspendsAt: "2026-12-15T00:00:00Z" });
  });

  it("says when the subscription is suspended or ended", () => {
    expect(bannerFor(subscriptionOf({ state: "suspended" }), now)).toEqual({ kind: "suspended" });
    expect(bannerFor(subscriptionOf({ state: "canceled" }), now)).toEqual({ kind: "canceled" });
  });

  it("stays away while all is well, and before the subscription is known", () => {
    expect(bannerFor(subscriptionOf({ state: "active" }), now)).toBeNull();
    expect(bannerFor(subscriptionOf({ state: "active", cancel_at_period_end: true }), now)).toBeNull();
    expect(bannerFor(subscriptionOf({ state: "trialing", trial_end: null }), now)).toBeNull();
    expect(bannerFor(undefined, now)).toBeNull();
  });

  it("counts no days for a date it cannot read", () => {
    expect(daysUntil("soon", now)).toBe(0);
  });
});

describe("an inactive subscription's way to the billing page", () => {
  it("leaves every page but billing and pricing", () => {
    expect(leavesForBilling("/offers")).toBe(true);
    expect(leavesForBilling("/")).toBe(true);
    expect(leavesForBilling("/billing-history")).toBe(true);
    expect(leavesForBilling("/billing")).toBe(false);
    expect(leavesForBilling("/pricing")).toBe(false);
  });
});
