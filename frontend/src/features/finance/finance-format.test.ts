import { describe, expect, it } from "vitest";
import type { AffiliateBalance, MoneyRequest } from "@/api/types";
import { isNegativeAmount } from "@/features/finance/amounts";
import { balanceOfRequest, formatInvoicePeriod, invoicePath, splitRequests } from "@/features/finance/finance-format";

const request = (id: string, status: MoneyRequest["status"], affiliate_id = "aff1", currency = "USD"): MoneyRequest => ({
  id,
  kind: "payout",
  affiliate_id,
  affiliate_name: affiliate_id,
  currency,
  amount: "50.00",
  reference: "",
  status,
  answer: null,
  created_at: "2026-03-02T10:00:00.000Z",
});

const balance = (affiliate_id: string, currency: string): AffiliateBalance => ({
  affiliate_id,
  affiliate_name: affiliate_id,
  currency,
  hold: "0.00",
  approved: "80.00",
  paid: "0.00",
  min_payout: null,
});

describe("profit colour", () => {
  it("calls only amounts below zero a loss", () => {
    expect(isNegativeAmount("-0.01", "USD")).toBe(true);
    expect(isNegativeAmount("0.00", "USD")).toBe(false);
    expect(isNegativeAmount("12.00", "USD")).toBe(false);
    expect(isNegativeAmount("n/a", "USD")).toBe(false);
  });
});

describe("invoice period", () => {
  it("names the month and the year in the language", () => {
    expect(formatInvoicePeriod("2026-03", "en")).toBe("March 2026");
    expect(formatInvoicePeriod("2026-03", "ru")).toBe("Март 2026");
    expect(formatInvoicePeriod("2025-12", "ru")).toBe("Декабрь 2025");
  });

  it("does not shift the month in any time zone", () => {
    expect(formatInvoicePeriod("2026-01", "en")).toBe("January 2026");
  });

  it("shows a malformed month as sent", () => {
    expect(formatInvoicePeriod("2026-13", "en")).toBe("2026-13");
    expect(formatInvoicePeriod("march", "en")).toBe("march");
  });

  it("links to the month's page, keeping the advertiser staff picked", () => {
    expect(invoicePath("2026-03", undefined)).toBe("/finance/invoices/2026-03");
    expect(invoicePath("2026-03", "adv 1")).toBe("/finance/invoices/2026-03?advertiser_id=adv%201");
  });
});

describe("payout requests", () => {
  it("splits open requests from answered ones, keeping their order", () => {
    const { open, closed } = splitRequests([request("r3", "open"), request("r2", "done"), request("r1", "open"), request("r0", "rejected")]);
    expect(open.map((item) => item.id)).toEqual(["r3", "r1"]);
    expect(closed.map((item) => item.id)).toEqual(["r2", "r0"]);
  });

  it("finds the balance a request is paid from by affiliate and currency", () => {
    const rows = [balance("aff1", "EUR"), balance("aff2", "USD"), balance("aff1", "USD")];
    expect(balanceOfRequest(request("r1", "open"), rows)).toBe(rows[2]);
    expect(balanceOfRequest(request("r2", "open", "aff3"), rows)).toBeUndefined();
  });
});
