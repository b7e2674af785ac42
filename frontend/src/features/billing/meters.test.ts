import { describe, expect, it } from "vitest";
import { meterOf } from "@/features/billing/billing.fixture";
import { meterBarWidth, meterLevel, meterPercent } from "@/features/billing/meters";

describe("a usage meter", () => {
  it("turns amber at 80 % of the limit and red at 100 %", () => {
    expect(meterLevel(meterOf("clicks_per_month", 79_999, 100_000, 79))).toBe("ok");
    expect(meterLevel(meterOf("clicks_per_month", 80_000, 100_000, 80))).toBe("warning");
    expect(meterLevel(meterOf("clicks_per_month", 99_999, 100_000, 99))).toBe("warning");
    expect(meterLevel(meterOf("clicks_per_month", 100_000, 100_000, 100))).toBe("full");
    expect(meterLevel(meterOf("active_offers", 5, 5, 100))).toBe("full");
    expect(meterLevel(meterOf("clicks_per_month", 130_000, 100_000, 130))).toBe("full");
  });

  it("works the percent out when the API leaves it out, rounding down so 79.9 % is not yet amber", () => {
    expect(meterPercent(meterOf("approved_affiliates", 399, 500))).toBe(79);
    expect(meterLevel(meterOf("approved_affiliates", 399, 500))).toBe("ok");
    expect(meterLevel(meterOf("approved_affiliates", 400, 500))).toBe("warning");
    expect(meterPercent(meterOf("approved_affiliates", 10, 500, 2))).toBe(2);
  });

  it("has no percent and no colour without a limit", () => {
    const unlimited = meterOf("team_seats", 40, null, null);
    expect(meterPercent(unlimited)).toBeNull();
    expect(meterLevel(unlimited)).toBe("unlimited");
    expect(meterBarWidth(unlimited)).toBe(0);
  });

  it("says a limit of nothing is not in the plan while nothing is used, and is red once something is", () => {
    expect(meterLevel(meterOf("custom_domains", 0, 0))).toBe("excluded");
    expect(meterLevel(meterOf("custom_domains", 1, 0))).toBe("full");
    expect(meterPercent(meterOf("custom_domains", 1, 0))).toBe(100);
  });

  it("reads white-label as on or off: on within the plan is fine, on outside it is red", () => {
    expect(meterLevel(meterOf("white_label", 1, 1, 100))).toBe("ok");
    expect(meterLevel(meterOf("white_label", 0, 1, 0))).toBe("ok");
    expect(meterLevel(meterOf("white_label", 0, 0, 0))).toBe("excluded");
    expect(meterLevel(meterOf("white_label", 1, 0, 100))).toBe("full");
  });

  it("never draws its bar past the end", () => {
    expect(meterBarWidth(meterOf("clicks_per_month", 250_000, 100_000, 250))).toBe(100);
    expect(meterBarWidth(meterOf("clicks_per_month", 50_000, 100_000, 50))).toBe(50);
  });
});
