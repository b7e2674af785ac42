import { describe, expect, it } from "vitest";
import { invoiceOf } from "@/features/billing/billing.fixture";
import { formatPeriod, invoiceToPay } from "@/features/billing/billing-format";

describe("the billing page's invoices", () => {
  it("pays the open invoice due first, never a paid or void one", () => {
    const later = invoiceOf({ invoice_id: "overage.2026-12", due_at: "2026-12-20T00:00:00Z" });
    const sooner = invoiceOf({ invoice_id: "subscription.2026-12", due_at: "2026-12-05T00:00:00Z" });
    const paid = invoiceOf({ invoice_id: "subscription.2026-11", status: "paid", due_at: "2026-11-05T00:00:00Z" });
    const voided = invoiceOf({ invoice_id: "proration.2026-11", status: "void", due_at: "2026-11-01T00:00:00Z" });
    expect(invoiceToPay([later, paid, sooner, voided])?.invoice_id).toBe("subscription.2026-12");
    expect(invoiceToPay([paid, voided])).toBeUndefined();
    expect(invoiceToPay(undefined)).toBeUndefined();
  });

  it("writes a period as the language writes a range of days", () => {
    // Intl puts thin and narrow no-break spaces around the dash and in dates; the words are what is compared.
    const spaced = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, " ");
    expect(spaced(formatPeriod("2026-12-07T10:00:00Z", "2027-01-07T10:00:00Z", "en"))).toBe("Dec 7, 2026 – Jan 7, 2027");
    expect(spaced(formatPeriod("2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z", "ru"))).toBe("1–31 дек. 2026 г.");
    expect(formatPeriod("soon", "later", "en")).toBe("soon – later");
  });
});
