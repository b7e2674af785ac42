import { describe, expect, it } from "vitest";
import { BUSINESS, ENTERPRISE, PLANS, PRO, STARTER, subscriptionOf } from "@/features/billing/billing.fixture";
import { choosesCurrency, defaultCurrency, intervalPrice, planCurrencies, planMove, priceIn, yearlySavingPercent } from "@/features/billing/pricing";

const usd = (plan: typeof PRO) => {
  const price = priceIn(plan, "USD");
  if (!price) throw new Error(`${plan.code} has no USD price`);
  return price;
};

describe("the pricing page's currencies", () => {
  it("offers every currency a plan is priced in, once each, alphabetically; a contact-us plan adds none", () => {
    expect(planCurrencies(PLANS)).toEqual(["EUR", "RUB", "USD"]);
    expect(planCurrencies([ENTERPRISE])).toEqual([]);
  });

  it("opens in the currency the subscription is billed in, else the reader's own, else dollars, else the first", () => {
    const all = ["EUR", "RUB", "USD"];
    expect(defaultCurrency(all, "EUR", "ru")).toBe("EUR");
    expect(defaultCurrency(all, null, "ru")).toBe("RUB");
    expect(defaultCurrency(all, null, "ru-RU")).toBe("RUB");
    expect(defaultCurrency(all, null, "en")).toBe("USD");
    expect(defaultCurrency(["EUR", "GBP"], "JPY", "ru")).toBe("EUR");
    expect(defaultCurrency([], "USD", "en")).toBeNull();
  });

  it("finds a plan's price in a currency, and none where it is not priced", () => {
    expect(priceIn(PRO, "EUR")?.monthly).toBe("139.00");
    expect(priceIn(PRO, "GBP")).toBeUndefined();
    expect(priceIn(ENTERPRISE, "USD")).toBeUndefined();
    expect(intervalPrice(usd(PRO), "month")).toBe("149.00");
    expect(intervalPrice(usd(PRO), "year")).toBe("1430.40");
  });
});

describe("what a year paid at once saves", () => {
  it("is the catalogue's 20 % of twelve months for every plan and currency", () => {
    for (const plan of [STARTER, PRO, BUSINESS]) for (const price of plan.prices) expect(yearlySavingPercent(price), `${plan.code} ${price.currency}`).toBe(20);
  });

  it("rounds half up to a whole percent, in minor units rather than floats", () => {
    // Twelve months of 10.00 are 120.00: 17.40 saved is 14.5 % exactly (→ 15), 17.39 is 14.49… % (→ 14).
    expect(yearlySavingPercent({ currency: "USD", monthly: "10.00", yearly: "102.60", yearly_saving: "17.40", overage_per_1000: null })).toBe(15);
    expect(yearlySavingPercent({ currency: "USD", monthly: "10.00", yearly: "102.61", yearly_saving: "17.39", overage_per_1000: null })).toBe(14);
    expect(yearlySavingPercent({ currency: "USD", monthly: "10.00", yearly: "102.01", yearly_saving: "17.99", overage_per_1000: null })).toBe(15);
    expect(yearlySavingPercent({ currency: "JPY", monthly: "1000", yearly: "9600", yearly_saving: "2400", overage_per_1000: null })).toBe(20);
  });

  it("is nothing to show for a free plan, no saving, or an amount it cannot read", () => {
    expect(yearlySavingPercent({ currency: "USD", monthly: "0.00", yearly: "0.00", yearly_saving: "0.00", overage_per_1000: null })).toBeNull();
    expect(yearlySavingPercent({ currency: "USD", monthly: "10.00", yearly: "120.00", yearly_saving: "0.00", overage_per_1000: null })).toBeNull();
    expect(yearlySavingPercent({ currency: "USD", monthly: "ten", yearly: "96.00", yearly_saving: "24.00", overage_per_1000: null })).toBeNull();
  });
});

describe("what choosing a plan is", () => {
  it("is the first choice while trialing or once the subscription has ended, whatever the plan's rank", () => {
    for (const state of ["trialing", "canceled"] as const) {
      const subscription = subscriptionOf({ state, plan: BUSINESS });
      expect(planMove(subscription, STARTER, "month")).toBe("choose");
      expect(planMove(subscription, BUSINESS, "year")).toBe("choose");
      expect(choosesCurrency(subscription)).toBe(true);
    }
  });

  it("upgrades to a higher rank and downgrades to a lower one", () => {
    const subscription = subscriptionOf({ plan: PRO, interval: "month" });
    expect(planMove(subscription, BUSINESS, "month")).toBe("upgrade");
    expect(planMove(subscription, BUSINESS, "year")).toBe("upgrade");
    expect(planMove(subscription, STARTER, "month")).toBe("downgrade");
    expect(planMove(subscription, STARTER, "year")).toBe("downgrade");
    expect(choosesCurrency(subscription)).toBe(false);
  });

  it("treats monthly to yearly on the same plan as an upgrade, and back as a downgrade", () => {
    expect(planMove(subscriptionOf({ plan: PRO, interval: "month" }), PRO, "month")).toBe("current");
    expect(planMove(subscriptionOf({ plan: PRO, interval: "month" }), PRO, "year")).toBe("upgrade");
    expect(planMove(subscriptionOf({ plan: PRO, interval: "year" }), PRO, "month")).toBe("downgrade");
    expect(planMove(subscriptionOf({ plan: PRO, interval: "year", state: "past_due" }), PRO, "year")).toBe("current");
  });

  it("shows the change already waiting for the period's end as scheduled, not as another downgrade", () => {
    const subscription = subscriptionOf({ plan: PRO, pending: { plan_code: "starter", interval: "month", effective_at: "2027-01-01T00:00:00Z" } });
    expect(planMove(subscription, STARTER, "month")).toBe("scheduled");
    expect(planMove(subscription, STARTER, "year")).toBe("downgrade");
  });
});
