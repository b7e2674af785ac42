import { describe, expect, it } from "vitest";
import type { Offer } from "@/api/types";
import { newOfferForm, offerFormSchema, offerToForm, toOfferInput, type OfferFormValues } from "@/features/offers/offer-schema";

function valid(): OfferFormValues {
  return {
    ...newOfferForm(),
    name: "Casino RU",
    goals: [{ key: "sale", name: "Sale", payout_type: "percent", payout: "7.5", revenue_type: "fixed", revenue: "12.50" }],
    landings: [{ url: "https://land.example.com/a", weight: "100" }],
  };
}

/** The i18n keys of the issues at one path of the form. */
function issuesAt(values: OfferFormValues, path: string): string[] {
  const result = offerFormSchema.safeParse(values);
  if (result.success) return [];
  return result.error.issues.filter((issue) => issue.path.join(".") === path).map((issue) => issue.message);
}

describe("offer form schema", () => {
  it("accepts a complete offer and turns it into the API's body", () => {
    const values = { ...valid(), currency: "eur", geo: { mode: "allow" as const, countries: "us, de ru;US" }, fallback_url: " " };
    expect(offerFormSchema.safeParse(values).success).toBe(true);
    expect(toOfferInput(values)).toMatchObject({
      currency: "EUR",
      geo_mode: "allow",
      geo_countries: ["US", "DE", "RU"],
      landings: [{ url: "https://land.example.com/a", weight: 100 }],
      fallback_url: null,
      hold_days: 0,
      attribution_days: 30,
      min_conversion_seconds: 0,
    });
  });

  it.each(["0", "12", "12.5", "12.50", "12,50", "999999999999.99"])("accepts the money string %s", (amount) => {
    const goal = { ...valid().goals[0]!, payout_type: "fixed" as const, payout: amount };
    expect(issuesAt({ ...valid(), goals: [goal] }, "goals.0.payout")).toEqual([]);
  });

  it.each(["", "-1", "12.505", "1e3", "abc", "12.", ".5"])("rejects the money string %j", (amount) => {
    const goal = { ...valid().goals[0]!, revenue_type: "fixed" as const, revenue: amount };
    expect(issuesAt({ ...valid(), goals: [goal] }, "goals.0.revenue")).toHaveLength(1);
  });

  it("takes as many decimals as the offer's currency has, no more", () => {
    const offer = (currency: string, payout: string, capLimit: string): OfferFormValues => ({
      ...valid(),
      currency,
      goals: [{ ...valid().goals[0]!, payout_type: "fixed", payout }],
      caps: [{ metric: "payout", period: "day", limit: capLimit }],
    });
    expect(issuesAt(offer("jpy", "1250", "5000"), "goals.0.payout")).toEqual([]);
    expect(issuesAt(offer("JPY", "12.50", "0.5"), "goals.0.payout")).toEqual(["offers.validation.money"]);
    expect(issuesAt(offer("JPY", "12.50", "0.5"), "caps.0.limit")).toEqual(["offers.validation.capMoney"]);
    expect(issuesAt(offer("KWD", "1.125", "0.005"), "goals.0.payout")).toEqual([]);
    expect(issuesAt(offer("KWD", "1.125", "0.005"), "caps.0.limit")).toEqual([]);
    expect(issuesAt(offer("USD", "1.125", "0.005"), "goals.0.payout")).toEqual(["offers.validation.money"]);
    expect(issuesAt(offer("USD", "1.125", "0.005"), "caps.0.limit")).toEqual(["offers.validation.capMoney"]);
  });

  it("sends decimals with a point whatever the user typed", () => {
    const goal = { ...valid().goals[0]!, payout_type: "fixed" as const, payout: "12,50" };
    expect(toOfferInput({ ...valid(), goals: [goal] }).goals[0]?.payout).toBe("12.50");
  });

  it("keeps percentages between 0 and 100", () => {
    const withPayout = (payout: string) => ({ ...valid(), goals: [{ ...valid().goals[0]!, payout_type: "percent" as const, payout }] });
    expect(issuesAt(withPayout("0"), "goals.0.payout")).toEqual([]);
    expect(issuesAt(withPayout("100"), "goals.0.payout")).toEqual([]);
    expect(issuesAt(withPayout("7.5"), "goals.0.payout")).toEqual([]);
    expect(issuesAt(withPayout("100.01"), "goals.0.payout")).toEqual(["offers.validation.percent"]);
    expect(issuesAt(withPayout("150"), "goals.0.payout")).toEqual(["offers.validation.percent"]);
    expect(issuesAt(withPayout("-5"), "goals.0.payout")).toEqual(["offers.validation.percent"]);
  });

  it("takes only ISO country codes, and needs some unless the offer runs everywhere", () => {
    const withGeo = (mode: "all" | "allow" | "deny", countries: string) => ({ ...valid(), geo: { mode, countries } });
    expect(issuesAt(withGeo("deny", "us de"), "geo.countries")).toEqual([]);
    expect(issuesAt(withGeo("allow", "US, XX"), "geo.countries")).toEqual(["offers.validation.countries"]);
    expect(issuesAt(withGeo("allow", "USA"), "geo.countries")).toEqual(["offers.validation.countries"]);
    expect(issuesAt(withGeo("allow", " , "), "geo.countries")).toEqual(["offers.validation.countriesRequired"]);
    expect(issuesAt(withGeo("all", ""), "geo.countries")).toEqual([]);
  });

  it("takes a minimum time to conversion of whole seconds up to a day", () => {
    expect(issuesAt({ ...valid(), min_conversion_seconds: "86400" }, "min_conversion_seconds")).toEqual([]);
    expect(issuesAt({ ...valid(), min_conversion_seconds: "86401" }, "min_conversion_seconds")).toEqual(["offers.validation.minConversionSeconds"]);
    expect(issuesAt({ ...valid(), min_conversion_seconds: "1.5" }, "min_conversion_seconds")).toEqual(["offers.validation.minConversionSeconds"]);
    expect(toOfferInput({ ...valid(), min_conversion_seconds: " 30 " }).min_conversion_seconds).toBe(30);
  });

  it("prices the click goal in money only and needs it on a CPC offer", () => {
    const click = { key: "click", name: "Click", payout_type: "fixed" as const, payout: "0.35", revenue_type: "fixed" as const, revenue: "0.50" };
    expect(offerFormSchema.safeParse({ ...valid(), model: "CPC", goals: [click] }).success).toBe(true);
    expect(issuesAt({ ...valid(), model: "CPC" }, "goals")).toEqual(["cpc.validation.clickGoalRequired"]);
    expect(issuesAt({ ...valid(), model: "CPC", goals: [{ ...click, payout_type: "percent", payout: "5" }] }, "goals.0.payout")).toEqual([
      "cpc.validation.fixedOnly",
    ]);
  });

  it("limits the click budget in money and the paid clicks in whole clicks", () => {
    const caps = [
      { metric: "click_budget" as const, period: "day" as const, limit: "150.505" },
      { metric: "paid_clicks" as const, period: "month" as const, limit: "2.5" },
    ];
    expect(issuesAt({ ...valid(), caps }, "caps.0.limit")).toEqual(["offers.validation.capMoney"]);
    expect(issuesAt({ ...valid(), caps }, "caps.1.limit")).toEqual(["offers.validation.capCount"]);
  });

  it("needs at least one goal and one landing", () => {
    expect(issuesAt({ ...valid(), goals: [] }, "goals")).toEqual(["offers.validation.goalsRequired"]);
    expect(issuesAt({ ...valid(), landings: [] }, "landings")).toEqual(["offers.validation.landingsRequired"]);
  });

  it("rejects goal keys that are malformed or repeated", () => {
    const goal = valid().goals[0]!;
    expect(issuesAt({ ...valid(), goals: [{ ...goal, key: "First Deposit" }] }, "goals.0.key")).toEqual(["offers.validation.goalKey"]);
    expect(issuesAt({ ...valid(), goals: [goal, { ...goal }] }, "goals")).toEqual(["offers.validation.goalKeysUnique"]);
  });

  it("checks landing URLs and weights, cap limits by metric, and the fallback URL", () => {
    const values: OfferFormValues = {
      ...valid(),
      landings: [{ url: "ftp://example.com", weight: "0" }],
      caps: [
        { metric: "clicks", period: "day", limit: "1.5" },
        { metric: "payout", period: "month", limit: "250.00" },
      ],
      fallback_url: "not a url",
    };
    expect(issuesAt(values, "landings.0.url")).toEqual(["offers.validation.url"]);
    expect(issuesAt(values, "landings.0.weight")).toEqual(["offers.validation.weight"]);
    expect(issuesAt(values, "caps.0.limit")).toEqual(["offers.validation.capCount"]);
    expect(issuesAt(values, "caps.1.limit")).toEqual([]);
    expect(issuesAt(values, "fallback_url")).toEqual(["offers.validation.url"]);
  });

  it("saves an offer with percentage payouts exactly as the API answered it", () => {
    // The API writes every decimal as plain digits ("10", never "1E+1"): the form takes them back unchanged.
    const offer: Offer = {
      id: "01J0000000000000000000000A",
      advertiser_id: "01J0000000000000000000000B",
      status: "active",
      postback_secret: "secret",
      created_at: "2026-11-01T00:00:00.000Z",
      updated_at: "2026-11-01T00:00:00.000Z",
      name: "RevShare casino",
      description: "",
      model: "RevShare",
      currency: "USD",
      goals: [
        { key: "sale", name: "Sale", payout_type: "percent", payout: "10", revenue_type: "percent", revenue: "100" },
        { key: "vip", name: "VIP", payout_type: "percent", payout: "12.5", revenue_type: "fixed", revenue: "0.00" },
      ],
      landings: [{ url: "https://land.example.com/?c={click_id}", weight: 1 }],
      geo_mode: "all",
      geo_countries: [],
      caps: [{ metric: "payout", period: "month", limit: "500.00" }],
      visibility: "public",
      hold_days: 0,
      attribution_days: 30,
      min_conversion_seconds: 0,
      fallback_url: null,
    };
    const form = offerToForm(offer);
    expect(offerFormSchema.safeParse(form).success).toBe(true);
    expect(toOfferInput(form).goals.map((goal) => [goal.payout, goal.revenue])).toEqual([
      ["10", "100"],
      ["12.5", "0.00"],
    ]);
    expect(issuesAt({ ...form, goals: [{ ...form.goals[0]!, payout: "1E+1" }] }, "goals.0.payout")).toEqual(["offers.validation.percent"]);
  });
});
