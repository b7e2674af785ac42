import { describe, expect, it } from "vitest";
import type { StaffSubscription } from "@/api/types";
import { PRO } from "@/features/billing/billing.fixture";
import { termsFormSchema, termsToForm, toTermsInput, type TermsFormValues } from "@/features/billing/terms-form";

/** A Pro subscriber in euros as the Owner's list shows it; each test changes what it is about. */
function listed(changes: Partial<StaffSubscription> = {}): StaffSubscription {
  return {
    advertiser_id: "adv_1",
    advertiser_name: "Acme",
    state: "active",
    plan_code: "pro",
    interval: "month",
    currency: "EUR",
    price: "139.00",
    period_end: "2027-01-01T00:00:00Z",
    trial_end: null,
    cancel_at_period_end: false,
    custom_terms: null,
    ...changes,
  };
}

const AGREED = {
  monthly_price: "2500.00",
  limits: { clicks_per_month: 20_000_000, active_offers: null, approved_affiliates: null, team_seats: 50, custom_domains: 10, white_label: true },
  overage_per_1000: "0.40",
  note: "framework deal 2026-12",
};

/** The i18n keys of what is wrong with `values`, by the field's dotted path. */
function issues(values: TermsFormValues): Record<string, string> {
  const parsed = termsFormSchema.safeParse(values);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("the Owner's terms for one advertiser", () => {
  it("starts a first time from the subscription's currency and its plan's limits, and asks for a price", () => {
    const values = termsToForm(listed(), PRO.limits);
    expect(values.price).toEqual({ currency: "EUR", monthly: "", overage: "" });
    expect(issues(values)).toEqual({ "price.monthly": "finance.validation.amount" });
    values.price.monthly = "990";
    expect(toTermsInput(values)).toEqual({ currency: "EUR", monthly_price: "990", limits: PRO.limits, overage_per_1000: null, note: "" });
  });

  it("sends terms set before as they were, when nothing was changed", () => {
    const values = termsToForm(listed({ plan_code: "enterprise", currency: "USD", custom_terms: AGREED }), PRO.limits);
    expect(issues(values)).toEqual({});
    expect(toTermsInput(values)).toEqual({ currency: "USD", ...AGREED });
  });

  it("sends what was typed the API's way: a comma as the decimal point, the currency in capitals, unlimited as null, the note trimmed", () => {
    const values = termsToForm(listed(), PRO.limits);
    values.price = { currency: " usd ", monthly: "1999,5", overage: "0,25" };
    values.limits.team_seats = { value: " 12 ", unlimited: false };
    values.limits.custom_domains = { value: "ignored", unlimited: true };
    values.white_label = true;
    values.note = "  signed in Riga  ";
    expect(issues(values)).toEqual({});
    const body = toTermsInput(values);
    expect(body).toMatchObject({ currency: "USD", monthly_price: "1999.5", overage_per_1000: "0.25", note: "signed in Riga" });
    expect(body.limits).toMatchObject({ team_seats: 12, custom_domains: null, white_label: true });
  });

  it("refuses a currency that is not one, a price that is not an amount, an overage of nothing, a limit not counted and a long note", () => {
    const values = termsToForm(listed(), PRO.limits);
    values.price = { currency: "EU", monthly: "-5", overage: "0" };
    values.limits.active_offers = { value: "many", unlimited: false };
    values.note = "x".repeat(501);
    expect(issues(values)).toEqual({
      "price.currency": "finance.validation.currency",
      "price.monthly": "finance.validation.amount",
      "price.overage": "finance.validation.amount",
      "limits.active_offers.value": "plans.admin.validation.count",
      note: "validation.tooLong",
    });
  });

  it("takes a price of nothing: terms may be free", () => {
    const values = termsToForm(listed(), PRO.limits);
    values.price.monthly = "0";
    expect(issues(values)).toEqual({});
  });
});
