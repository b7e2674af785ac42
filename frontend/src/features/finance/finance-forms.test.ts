import { describe, expect, it } from "vitest";
import {
  amountIssue,
  payoutRequestSchema,
  payoutSchema,
  settingsIssues,
  settingsRows,
  toPayoutBody,
  toPayoutRequestBody,
  toSettingsBody,
  toTopupBody,
  topupSchema,
} from "@/features/finance/finance-forms";

describe("amount of a payout or a top-up", () => {
  it("takes a positive amount with a point or a comma", () => {
    expect(amountIssue("12.50", "USD")).toBeNull();
    expect(amountIssue("12,5", "USD")).toBeNull();
  });

  it.each([
    ["", "validation.required"],
    ["12.505", "finance.validation.amount"],
    ["-3", "finance.validation.amount"],
    ["abc", "finance.validation.amount"],
    ["0", "finance.validation.positive"],
    ["0.00", "finance.validation.positive"],
  ])("refuses %j", (value, issue) => {
    expect(amountIssue(value, "USD")).toBe(issue);
  });

  it("takes as many decimals as the currency has, and compares in its minor units", () => {
    expect(amountIssue("10.125", "KWD", "10.125")).toBeNull();
    expect(amountIssue("10.126", "KWD", "10.125")).toBe("finance.validation.aboveApproved");
    expect(amountIssue("10.5", "JPY")).toBe("finance.validation.amount");
    expect(amountIssue("10.125", "USD")).toBe("finance.validation.amount");
  });

  it("refuses to pay more than the approved balance but allows all of it", () => {
    expect(amountIssue("100.01", "USD", "100.00")).toBe("finance.validation.aboveApproved");
    expect(amountIssue("100", "USD", "100.00")).toBeNull();
  });

  it("reports the issue on the payout form's amount", () => {
    const result = payoutSchema({ approved: "20.00", currency: "USD" }).safeParse({ amount: "25", method: "wire", reference: "" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["amount", "finance.validation.aboveApproved"]]);
  });
});

describe("payout body", () => {
  it("pays one affiliate an amount in its currency", () => {
    expect(toPayoutBody({ amount: "12,50", method: "paypal", reference: " tx-1 " }, { affiliateId: "aff1", currency: "USD" })).toEqual({
      affiliate_id: "aff1",
      currency: "USD",
      amount: "12.50",
      method: "paypal",
      reference: "tx-1",
    });
  });

  it("pays everyone's approved balance without a target", () => {
    expect(toPayoutBody({ method: "wire", reference: "" })).toEqual({ method: "wire", reference: "" });
  });
});

describe("payout request form", () => {
  const issues = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);

  it("asks for at least the minimum payout and at most the approved balance", () => {
    const schema = payoutRequestSchema({ approved: "120.00", currency: "USD", min_payout: "50.00" });
    expect(schema.safeParse({ amount: "50" }).success).toBe(true);
    expect(schema.safeParse({ amount: "120.00" }).success).toBe(true);
    expect(issues(schema.safeParse({ amount: "49.99" }))).toEqual([["amount", "finance.validation.belowMinimum"]]);
    expect(issues(schema.safeParse({ amount: "120.01" }))).toEqual([["amount", "finance.validation.aboveApproved"]]);
  });

  it("takes any positive amount when the advertiser set no minimum", () => {
    const schema = payoutRequestSchema({ approved: "120.00", currency: "USD", min_payout: null });
    expect(schema.safeParse({ amount: "0.01" }).success).toBe(true);
    expect(issues(schema.safeParse({ amount: "0" }))).toEqual([["amount", "finance.validation.positive"]]);
    expect(issues(schema.safeParse({ amount: "" }))).toEqual([["amount", "validation.required"]]);
  });

  it("reports the approved balance first when it is below the minimum", () => {
    expect(amountIssue("40", "USD", "30.00", "50.00")).toBe("finance.validation.aboveApproved");
    expect(amountIssue("20", "USD", "30.00", "50.00")).toBe("finance.validation.belowMinimum");
  });

  it("sends the amount with a point in the balance's currency", () => {
    expect(toPayoutRequestBody({ amount: " 75,5 " }, "EUR")).toEqual({ currency: "EUR", amount: "75.5" });
  });
});

describe("top-up form", () => {
  it("takes a positive amount for a top-up submitted for review", () => {
    const result = topupSchema.safeParse({ amount: "0", currency: "USD", reference: "wire 42" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["amount", "finance.validation.positive"]]);
    expect(topupSchema.safeParse({ amount: "1500.00", currency: "usd", reference: "wire 42" }).success).toBe(true);
  });

  it("needs a reference and a three-letter currency", () => {
    const result = topupSchema.safeParse({ amount: "100", currency: "US", reference: " " });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["currency", "finance.validation.currency"],
      ["reference", "validation.required"],
    ]);
  });

  it("checks the amount against the currency typed beside it", () => {
    const result = topupSchema.safeParse({ amount: "1000.50", currency: "jpy", reference: "wire 42" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["amount", "finance.validation.amount"]]);
    expect(topupSchema.safeParse({ amount: "1000.500", currency: "KWD", reference: "wire 42" }).success).toBe(true);
  });

  it("sends the currency in capitals and the amount with a point", () => {
    expect(toTopupBody({ amount: "1000,5", currency: "eur", reference: "wire 42" })).toEqual({ amount: "1000.5", currency: "EUR", reference: "wire 42" });
  });
});

describe("finance settings form", () => {
  it("lists every currency with a setting or a balance", () => {
    const rows = settingsRows({ low_balance_threshold: { USD: "100.00" }, min_payout: { EUR: "50.00" } }, ["USD", "RUB"]);
    expect(rows).toEqual([
      { currency: "EUR", lowBalance: "", minPayout: "50.00" },
      { currency: "RUB", lowBalance: "", minPayout: "" },
      { currency: "USD", lowBalance: "100.00", minPayout: "" },
    ]);
  });

  it("reports a bad currency, a repeated one and a bad amount on their lines", () => {
    const issues = settingsIssues([
      { currency: "USD", lowBalance: "1e3", minPayout: "" },
      { currency: "usd", lowBalance: "", minPayout: "" },
      { currency: "DOLLAR", lowBalance: "", minPayout: "5" },
    ]);
    expect(issues).toEqual({
      0: { lowBalance: "finance.validation.amount" },
      1: { currency: "finance.validation.duplicateCurrency" },
      2: { currency: "finance.validation.currency" },
    });
  });

  it("checks each line's amounts in that line's currency", () => {
    expect(settingsIssues([{ currency: "JPY", lowBalance: "1000", minPayout: "0.5" }])).toEqual({ 0: { minPayout: "finance.validation.amount" } });
    expect(settingsIssues([{ currency: "BHD", lowBalance: "100.250", minPayout: "0.5" }])).toEqual({});
  });

  it("leaves blank amounts out of the body, which clears them", () => {
    const body = toSettingsBody([
      { currency: "usd", lowBalance: "100,5", minPayout: "" },
      { currency: "EUR", lowBalance: "", minPayout: "50" },
    ]);
    expect(body).toEqual({ low_balance_threshold: { USD: "100.5" }, min_payout: { EUR: "50" } });
  });
});
