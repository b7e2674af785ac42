import { describe, expect, it } from "vitest";
import type { AffiliateBalance } from "@/api/types";
import { approvedTotals, isPositiveAmount, sumAmounts } from "@/features/finance/amounts";

const balance = (affiliate_id: string, currency: string, approved: string): AffiliateBalance => ({
  affiliate_id,
  affiliate_name: affiliate_id,
  currency,
  hold: "0.00",
  approved,
  paid: "0.00",
  min_payout: null,
});

describe("decimal amounts in a currency", () => {
  it("sums exactly where floats would not", () => {
    expect(sumAmounts(["0.10", "0.20"], "USD")).toBe("0.30");
    expect(sumAmounts(["12.5", "0.05", "3"], "USD")).toBe("15.55");
  });

  it("writes the sum with the currency's digits, and sums nothing to zero", () => {
    expect(sumAmounts(["1000", "250"], "JPY")).toBe("1250");
    expect(sumAmounts(["1.5", "0.125"], "KWD")).toBe("1.625");
    expect(sumAmounts([], "USD")).toBe("0.00");
  });

  it("sums negative amounts", () => {
    expect(sumAmounts(["-5.00", "2.50"], "USD")).toBe("-2.50");
    expect(sumAmounts(["-0.05"], "USD")).toBe("-0.05");
  });

  it("counts what it cannot read as zero", () => {
    expect(sumAmounts(["ten", "1.00", "0.001"], "USD")).toBe("1.00");
  });

  it("calls only amounts above zero positive", () => {
    expect(isPositiveAmount("0.01", "USD")).toBe(true);
    expect(isPositiveAmount("0.00", "USD")).toBe(false);
    expect(isPositiveAmount("-1", "USD")).toBe(false);
    expect(isPositiveAmount("0.001", "KWD")).toBe(true);
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
