import { describe, expect, it } from "vitest";
import { churnPercent, daysOverdue, subscriptionsByPlan } from "@/features/billing/overview";

describe("the Owner's overview", () => {
  it("turns (plan, state, count) rows into a line per plan in the plans' order, a count per state and the total", () => {
    const rows = subscriptionsByPlan(
      [
        { plan_code: "pro", state: "active", count: 12 },
        { plan_code: "starter", state: "trialing", count: 3 },
        { plan_code: "pro", state: "past_due", count: 2 },
        { plan_code: "legacy", state: "active", count: 1 },
        { plan_code: "starter", state: "active", count: 4 },
        { plan_code: "archived", state: "canceled", count: 9 },
      ],
      ["starter", "pro", "business"],
    );
    expect(rows.map((row) => row.plan)).toEqual(["starter", "pro", "archived", "legacy"]);
    expect(rows[1]).toEqual({ plan: "pro", counts: { trialing: 0, active: 12, past_due: 2, suspended: 0, canceled: 0 }, total: 14 });
    expect(rows[0]?.total).toBe(7);
  });

  it("shows churn in percent from basis points, and none for a month without subscribers", () => {
    expect(churnPercent(250)).toBe(2.5);
    expect(churnPercent(0)).toBe(0);
    expect(churnPercent(null)).toBeNull();
  });

  it("counts whole days past an invoice's due date, none before it", () => {
    const now = new Date("2026-12-20T09:00:00Z");
    expect(daysOverdue("2026-12-15T00:00:00Z", now)).toBe(5);
    expect(daysOverdue("2026-12-20T00:00:00Z", now)).toBe(0);
    expect(daysOverdue("2026-12-25T00:00:00Z", now)).toBe(0);
    expect(daysOverdue("never", now)).toBe(0);
  });
});
