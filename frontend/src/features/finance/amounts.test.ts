import { describe, expect, it } from "vitest";
import type { AffiliateBalance } from "@/api/types";
import { approvedTotals, compareAmounts, isPositiveAmount, sumAmounts } from "@/features/finance/amounts";

const balance = (affiliate_id: string, currency: string, approved: string): AffiliateBalance => ({
  affiliate_id,
  affiliate_name: affiliate_id,
  currency,
  hold: "0.00",
  approved,
  paid: "0.00",
  min_payout: null,
});

describe("decimal amounts", () => {
  it("sums exactly where floats would not", () => {
    expect(sumAmounts(["0.10", "0.20"])).toBe("0.30");
    expect(sumAmounts(["12.5", "0.05", "3"])).toBe("15.55");
  });

  it("keeps currencies without a minor unit whole and sums nothing to zero", () => {
    expect(sumAmounts(["1000", "250"])).toBe("1250");
    expect(sumAmounts([])).toBe("0");
  });

  it("sums negative amounts", () => {
    expect(sumAmounts(["-5.00", "2.50"])).toBe("-2.50");
    expect(sumAmounts(["-0.05"])).toBe("-0.05");
  });

  it("compares amounts of different precision", () => {
    expect(compareAmounts("10.5", "10.50")).toBe(0);
    expect(compareAmounts("10.51", "10.5")).toBe(1);
    expect(compareAmounts("9.99", "10")).toBe(-1);
    expect(compareAmounts("ten", "10")).toBeNull();
  });

  it("calls only amounts above zero positive", () => {
    expect(isPositiveAmount("0.01")).toBe(true);
    expect(isPositiveAmount("0.00")).toBe(false);
    expect(isPositiveAmount("-1")).toBe(false);
  });
});

describe("approved totals of a bulk payout", () => {
  it("sums each currency's approved balances and counts the affiliates paid", () => {
    // Given affiliates owed in two currencies, one with nothing approved
    const rows = [balance("a1", "USD", "10.10"), balance("a2", "USD", "0.20"), balance("a1", "EUR", "5.00"), balance("a3", "USD", "0.00")];
    // When the bulk payout is summed up
    const totals = approvedTotals(rows);
    // Then each currency shows what it pays and to how many, in a stable order
    expect(totals).toEqual([
      { currency: "EUR", amount: "5.00", affiliates: 1 },
      { currency: "USD", amount: "10.30", affiliates: 2 },
    ]);
  });

  it("has nothing to pay when no balance is approved", () => {
    expect(approvedTotals([balance("a1", "USD", "0.00")])).toEqual([]);
  });
});
