import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { COUNTED_LIMITS, LIMIT_NAMES, limitWords, planLimitLines, SUBSCRIPTION_STATES } from "@/features/billing/plan-words";
import { PAYMENT_METHODS, INVOICE_LANGUAGES } from "@/features/billing/profile-form";
import { ENTERPRISE, STARTER } from "@/features/billing/billing.fixture";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

async function translator(language: "en" | "ru") {
  const instance = i18next.createInstance();
  await instance.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: language, interpolation: INTERPOLATION });
  return instance.t;
}

/** The billing screens build these keys from the API's values, so the keys test cannot see them. */
const families: [string, readonly string[]][] = [
  ["plans.limits", LIMIT_NAMES],
  ["plans.unlimited", COUNTED_LIMITS],
  ["plans.state", SUBSCRIPTION_STATES],
  ["plans.interval", ["month", "year"]],
  ["plans.methods", PAYMENT_METHODS],
  ["plans.profile.languages", INVOICE_LANGUAGES],
  ["plans.invoices.status", ["open", "paid", "void"]],
  ["plans.invoices.kinds", ["subscription", "proration", "overage"]],
  ["plans.banner", ["suspended", "canceled"]],
  ["plans.pricing.move", ["choose", "upgrade", "downgrade", "current", "scheduled"]],
  ["plans.pricing.confirm", ["chooseTitle", "chooseText", "upgradeTitle", "upgradeText", "downgradeTitle", "downgradeText"]],
  ["plans.pricing.per", ["month", "year"]],
  ["plans.pricing.priceEvery", ["month", "year"]],
];

function lookup(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe("the plans' and billing's texts", () => {
  it.each([
    ["en", en],
    ["ru", ru],
  ] as const)("name every value the screens show in %s", (_language, tree) => {
    const missing = families.flatMap(([prefix, values]) =>
      values.filter((value) => typeof lookup(tree, `${prefix}.${value}`) !== "string").map((value) => `${prefix}.${value}`),
    );
    expect(missing).toEqual([]);
  });

  it("count every limit in Russian with the right form of the word", async () => {
    const t = await translator("ru");
    const words = (count: number | null) => limitWords(t, "active_offers", count).replace(/\u00a0/g, " ");
    expect(words(1)).toBe("1 активный оффер");
    expect(words(3)).toBe("3 активных оффера");
    expect(words(25)).toBe("25 активных офферов");
    expect(words(21)).toBe("21 активный оффер");
    expect(words(0)).toBe("Без активных офферов");
    expect(words(null)).toBe("Активные офферы без ограничений");
    expect(limitWords(t, "clicks_per_month", 1_000_000).replace(/\u00a0/g, " ")).toBe("1 000 000 кликов в месяц");
    for (const limit of COUNTED_LIMITS) for (const count of [0, 1, 2, 5, 11, 22, 100_000, null]) expect(limitWords(t, limit, count)).not.toMatch(/{{|plans\./);
  });

  it("list a plan's limits in English words, white-label last", async () => {
    const t = await translator("en");
    expect(planLimitLines(t, STARTER.limits).map((line) => line.text)).toEqual([
      "100,000 clicks a month",
      "5 active offers",
      "50 approved affiliates",
      "2 team seats",
      "No custom domains",
      "No white-label",
    ]);
    expect(planLimitLines(t, STARTER.limits).map((line) => line.included)).toEqual([true, true, true, true, false, false]);
    expect(planLimitLines(t, ENTERPRISE.limits).map((line) => line.text)).toEqual([
      "Unlimited clicks",
      "Unlimited active offers",
      "Unlimited approved affiliates",
      "Unlimited team seats",
      "Unlimited custom domains",
      "White-label: your brand for your affiliates",
    ]);
    expect(limitWords(t, "team_seats", 1)).toBe("1 team seat");
  });

  it.each(["en", "ru"] as const)("say how many days a trial has left in %s, today included", async (language) => {
    const t = await translator(language);
    const texts = [0, 1, 2, 5].map((count) => t("plans.state.trialingDays", { count }));
    expect(new Set(texts).size).toBe(4);
    for (const text of texts) expect(text).not.toMatch(/{{/);
    expect(t("plans.banner.trialEnding", { count: 0 })).not.toContain("0");
  });
});
