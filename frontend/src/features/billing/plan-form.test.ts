import { describe, expect, it } from "vitest";
import { ENTERPRISE, PRO } from "@/features/billing/billing.fixture";
import { emptyPriceRow, planFormSchema, planToForm, toNewPlanInput, toPlanInput, type PlanFormValues } from "@/features/billing/plan-form";

/** The i18n keys of what is wrong with `values`, by the field's dotted path. */
function issues(values: PlanFormValues, isNew = false): Record<string, string> {
  const parsed = planFormSchema(isNew).safeParse(values);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("the Owner's plan form", () => {
  it("saves a plan as it was, when nothing was changed", () => {
    const values = planToForm(PRO);
    expect(issues(values)).toEqual({});
    expect(toPlanInput(values)).toEqual({
      name: "Pro",
      rank: 2,
      public: true,
      contact_us: false,
      limits: PRO.limits,
      prices: PRO.prices.map((price) => ({ currency: price.currency, monthly: price.monthly, overage_per_1000: price.overage_per_1000 })),
    });
  });

  it("keeps unlimited limits as null, and a contact-us plan without prices", () => {
    const values = planToForm(ENTERPRISE);
    expect(values.limits.clicks_per_month).toEqual({ value: "", unlimited: true });
    expect(issues(values)).toEqual({});
    expect(toPlanInput(values).limits).toEqual(ENTERPRISE.limits);
    expect(toPlanInput(values).prices).toEqual([]);
  });

  it("sends what was typed the API's way: a comma as the decimal point, the currency in capitals, no overage as null", () => {
    const values = planToForm(PRO);
    values.prices = [{ currency: " eur ", monthly: "139,50", overage: "" }];
    values.limits.team_seats = { value: " 7 ", unlimited: false };
    values.limits.custom_domains = { value: "not used", unlimited: true };
    const body = toPlanInput(values);
    expect(body.prices).toEqual([{ currency: "EUR", monthly: "139.50", overage_per_1000: null }]);
    expect(body.limits.team_seats).toBe(7);
    expect(body.limits.custom_domains).toBeNull();
  });

  it("asks a new plan for a code of lower-case letters, digits and dashes, and sends it", () => {
    const values = { ...planToForm(null, 5), name: "Agency" };
    expect(values.rank).toBe("5");
    expect(values.prices).toEqual([emptyPriceRow("USD")]);
    expect(issues({ ...values, code: "Agency Plan" }, true)).toMatchObject({ code: "plans.admin.validation.code" });
    expect(issues({ ...values, code: "x" }, true)).toMatchObject({ code: "plans.admin.validation.code" });
    const ready: PlanFormValues = {
      ...values,
      code: "agency-2",
      prices: [{ currency: "USD", monthly: "99", overage: "0.15" }],
      limits: Object.fromEntries(Object.keys(values.limits).map((limit) => [limit, { value: "10", unlimited: false }])) as PlanFormValues["limits"],
    };
    expect(issues(ready, true)).toEqual({});
    expect(toNewPlanInput(ready)).toMatchObject({
      code: "agency-2",
      name: "Agency",
      rank: 5,
      prices: [{ currency: "USD", monthly: "99", overage_per_1000: "0.15" }],
    });
    // An existing plan's code is the one in the address, never asked.
    expect(issues({ ...ready, code: "" })).toEqual({});
  });

  it("refuses a limit that is not a whole number unless it is unlimited", () => {
    const values = planToForm(PRO);
    values.limits.active_offers = { value: "2.5", unlimited: false };
    values.limits.team_seats = { value: "", unlimited: false };
    values.limits.approved_affiliates = { value: "", unlimited: true };
    expect(issues(values)).toEqual({
      "limits.active_offers.value": "plans.admin.validation.count",
      "limits.team_seats.value": "plans.admin.validation.count",
    });
  });

  it("refuses prices a currency cannot hold, a currency twice, and a paid plan without any price", () => {
    const values = planToForm(PRO);
    values.prices = [
      { currency: "JPY", monthly: "1000.5", overage: "" },
      { currency: "USD", monthly: "149.00", overage: "0" },
      { currency: "usd", monthly: "1", overage: "" },
      { currency: "dollars", monthly: "1", overage: "" },
    ];
    expect(issues(values)).toEqual({
      "prices.0.monthly": "finance.validation.amount",
      "prices.1.overage": "finance.validation.amount",
      "prices.2.currency": "plans.admin.validation.currencyTwice",
      "prices.3.currency": "finance.validation.currency",
    });
    expect(issues({ ...planToForm(PRO), prices: [] })).toEqual({ prices: "plans.admin.validation.pricesRequired" });
    expect(issues({ ...planToForm(PRO), prices: [], contact_us: true })).toEqual({});
  });

  it("refuses a rank past 1000", () => {
    expect(issues({ ...planToForm(PRO), rank: "1001" })).toEqual({ rank: "plans.admin.validation.rank" });
    expect(issues({ ...planToForm(PRO), rank: "-1" })).toEqual({ rank: "plans.admin.validation.rank" });
  });
});
