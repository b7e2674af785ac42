import { z } from "zod";
import type { AmountType, CapMetric, Offer, OfferCap, OfferCreate } from "@/api/types";
import { requiredText } from "@/features/auth/schemas";
import { isCountryCode, parseCountries } from "@/features/offers/countries";
import { CLICK_GOAL, CPC_CAP_METRICS } from "@/features/offers/cpc";
import { parseMoney, type Money } from "@/lib/money";

/*
 * The offer form keeps every value as the text the user typed; `toOfferInput` turns it into the API's
 * body. Messages are i18n keys. Rules that depend on a sibling field (a percent payout, a cap on
 * payout) live in one `superRefine` per row, so a row reports all its errors at once.
 */

export const OFFER_MODELS = ["CPA", "CPL", "CPS", "RevShare", "CPC"] as const;
export const AMOUNT_TYPES = ["fixed", "percent"] as const;
export const GEO_MODES = ["all", "allow", "deny"] as const;
export const VISIBILITIES = ["public", "approval", "private"] as const;
export const CAP_METRICS = ["clicks", "conversions", "payout", ...CPC_CAP_METRICS] as const;
export const CAP_PERIODS = ["day", "month", "total"] as const;

// The shape of a typed amount; how many decimals it may have is its currency's (`typedMoney`).
const MONEY = /^\d{1,12}(?:[.,]\d+)?$/;
const PERCENT = /^\d{1,3}(?:[.,]\d{1,2})?$/;
const COUNT = /^\d{1,12}$/;
const GOAL_KEY = /^[a-z0-9_]{1,32}$/;

/** Typed decimals may use a comma ("12,50"); the API takes a point. */
export function normalizeDecimal(value: string): string {
  return value.trim().replace(",", ".");
}

/** A typed amount of `currency` ("12.50", "12,5"): up to twelve whole digits and no more decimals than the currency has. */
export function typedMoney(value: string, currency: string): Money | null {
  const text = value.trim();
  return MONEY.test(text) ? parseMoney(text, currency) : null;
}

export function isMoney(value: string, currency: string): boolean {
  return typedMoney(value, currency) !== null;
}

export function isPercent(value: string): boolean {
  const text = value.trim();
  return PERCENT.test(text) && Number(normalizeDecimal(text)) <= 100;
}

/** Why an amount of the given type (money of `currency`, or percent) is not valid, as an i18n key; null when it is. */
export function amountIssue(type: AmountType, value: string, currency: string): string | null {
  if (value.trim() === "") return "validation.required";
  if (type === "percent") return isPercent(value) ? null : "offers.validation.percent";
  return isMoney(value, currency) ? null : "offers.validation.money";
}

/** Why a cap's limit is not valid: a whole count for clicks and conversions, money of `currency` for payout and the click budget. */
export function capLimitIssue(metric: CapMetric, limit: string, currency: string): string | null {
  const text = limit.trim();
  if (text === "") return "validation.required";
  if (metric === "payout" || metric === "click_budget") return (typedMoney(text, currency)?.minor ?? 0n) > 0n ? null : "offers.validation.capMoney";
  return COUNT.test(text) && Number(text) >= 1 ? null : "offers.validation.capCount";
}

/** Each cap whose limit is not valid, by index, with its i18n key; limits on payout are money of `currency`. */
export function capLimitIssues(caps: readonly CapRow[], currency: string): [number, string][] {
  return caps.flatMap((cap, index): [number, string][] => {
    const message = capLimitIssue(cap.metric, cap.limit, currency);
    return message ? [[index, message]] : [];
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((value) => COUNT.test(value) && Number(value) >= min && Number(value) <= max, message);

const goalRow = z
  .object({
    key: z.string(),
    name: z.string(),
    payout_type: z.enum(AMOUNT_TYPES),
    payout: z.string(),
    revenue_type: z.enum(AMOUNT_TYPES),
    revenue: z.string(),
  })
  .superRefine((goal, ctx) => {
    const issue = (path: string, message: string | null) => {
      if (message) ctx.addIssue({ code: "custom", message, path: [path] });
    };
    issue("key", GOAL_KEY.test(goal.key.trim()) ? null : "offers.validation.goalKey");
    issue("name", goal.name.trim() === "" ? "validation.required" : goal.name.length > 80 ? "validation.tooLong" : null);
    // A click has no sale amount to take a share of: the click goal is priced in money only.
    const click = goal.key.trim() === CLICK_GOAL;
    issue("payout", click && goal.payout_type === "percent" ? "cpc.validation.fixedOnly" : null);
    issue("revenue", click && goal.revenue_type === "percent" ? "cpc.validation.fixedOnly" : null);
  });

const landingRow = z.object({
  url: z.string().refine(isHttpUrl, "offers.validation.url"),
  weight: wholeNumber(1, 1000, "offers.validation.weight"),
});

/** The API's limits: 20 goals, 20 landings, 12 caps (for the offer and for one affiliate alike). */
/** A cap's limit depends on the offer's currency: `capLimitIssues` checks it where that is known. */
export const capRow = z.object({ metric: z.enum(CAP_METRICS), period: z.enum(CAP_PERIODS), limit: z.string() });

const geo = z.object({ mode: z.enum(GEO_MODES), countries: z.string() }).superRefine((value, ctx) => {
  const codes = parseCountries(value.countries);
  if (value.mode !== "all" && codes.length === 0) ctx.addIssue({ code: "custom", message: "offers.validation.countriesRequired", path: ["countries"] });
  else if (!codes.every(isCountryCode)) ctx.addIssue({ code: "custom", message: "offers.validation.countries", path: ["countries"] });
});

export const offerFormSchema = z
  .object({
    name: requiredText,
    description: z.string().max(5000, "validation.tooLong"),
    model: z.enum(OFFER_MODELS),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, "offers.validation.currency"),
    goals: z
      .array(goalRow)
      .min(1, "offers.validation.goalsRequired")
      .max(20, "offers.validation.tooManyRows")
      .refine((goals) => new Set(goals.map((goal) => goal.key.trim())).size === goals.length, "offers.validation.goalKeysUnique"),
    landings: z.array(landingRow).min(1, "offers.validation.landingsRequired").max(20, "offers.validation.tooManyRows"),
    geo,
    caps: z.array(capRow).max(12, "offers.validation.tooManyRows"),
    visibility: z.enum(VISIBILITIES),
    hold_days: wholeNumber(0, 365, "offers.validation.holdDays"),
    attribution_days: wholeNumber(1, 365, "offers.validation.attributionDays"),
    min_conversion_seconds: wholeNumber(0, 86_400, "offers.validation.minConversionSeconds"),
    fallback_url: z.string().refine((value) => value.trim() === "" || isHttpUrl(value), "offers.validation.url"),
  })
  .superRefine((offer, ctx) => {
    // Amounts are money of the offer's currency, whose minor unit says how many decimals they may have.
    offer.goals.forEach((goal, index) => {
      for (const [field, type] of [
        ["payout", goal.payout_type],
        ["revenue", goal.revenue_type],
      ] as const) {
        const message = amountIssue(type, goal[field], offer.currency);
        if (message) ctx.addIssue({ code: "custom", message, path: ["goals", index, field] });
      }
    });
    for (const [index, message] of capLimitIssues(offer.caps, offer.currency)) ctx.addIssue({ code: "custom", message, path: ["caps", index, "limit"] });
    if (offer.model === "CPC" && !offer.goals.some((goal) => goal.key.trim() === CLICK_GOAL)) {
      ctx.addIssue({ code: "custom", message: "cpc.validation.clickGoalRequired", path: ["goals"] });
    }
  });

export type OfferFormValues = z.infer<typeof offerFormSchema>;
export type GoalRow = OfferFormValues["goals"][number];
export type CapRow = OfferFormValues["caps"][number];

export const emptyGoal = (): GoalRow => ({ key: "", name: "", payout_type: "fixed", payout: "", revenue_type: "fixed", revenue: "" });
export const emptyLanding = () => ({ url: "", weight: "100" });
export const emptyCap = (): CapRow => ({ metric: "conversions", period: "day", limit: "" });

export function newOfferForm(): OfferFormValues {
  return {
    name: "",
    description: "",
    model: "CPA",
    currency: "USD",
    goals: [{ ...emptyGoal(), key: "lead" }],
    landings: [emptyLanding()],
    geo: { mode: "all", countries: "" },
    caps: [],
    visibility: "public",
    hold_days: "0",
    attribution_days: "30",
    min_conversion_seconds: "0",
    fallback_url: "",
  };
}

export function offerToForm(offer: Offer): OfferFormValues {
  return {
    name: offer.name,
    description: offer.description,
    model: offer.model,
    currency: offer.currency,
    goals: offer.goals.map((goal) => ({ ...goal })),
    landings: offer.landings.map((landing) => ({ url: landing.url, weight: String(landing.weight) })),
    geo: { mode: offer.geo_mode, countries: offer.geo_countries.join(", ") },
    caps: offer.caps.map((cap) => ({ ...cap })),
    visibility: offer.visibility,
    hold_days: String(offer.hold_days),
    attribution_days: String(offer.attribution_days),
    min_conversion_seconds: String(offer.min_conversion_seconds),
    fallback_url: offer.fallback_url ?? "",
  };
}

export function toCap(cap: CapRow): OfferCap {
  return { metric: cap.metric, period: cap.period, limit: normalizeDecimal(cap.limit) };
}

/** The API's body for a validated form. */
export function toOfferInput(values: OfferFormValues): OfferCreate {
  const fallback = values.fallback_url.trim();
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    model: values.model,
    currency: values.currency.trim().toUpperCase(),
    goals: values.goals.map((goal) => ({
      key: goal.key.trim(),
      name: goal.name.trim(),
      payout_type: goal.payout_type,
      payout: normalizeDecimal(goal.payout),
      revenue_type: goal.revenue_type,
      revenue: normalizeDecimal(goal.revenue),
    })),
    landings: values.landings.map((landing) => ({ url: landing.url.trim(), weight: Number(landing.weight) })),
    geo_mode: values.geo.mode,
    geo_countries: values.geo.mode === "all" ? [] : parseCountries(values.geo.countries),
    caps: values.caps.map(toCap),
    visibility: values.visibility,
    hold_days: Number(values.hold_days),
    attribution_days: Number(values.attribution_days),
    min_conversion_seconds: Number(values.min_conversion_seconds),
    fallback_url: fallback === "" ? null : fallback,
  };
}
