import type { TFunction } from "i18next";
import type { LimitName, PlanLimits, SubscriptionState } from "@/api/types";

/** The limits that count something, in the order plans list them; white-label is a yes or a no. */
export const COUNTED_LIMITS = ["clicks_per_month", "active_offers", "approved_affiliates", "team_seats", "custom_domains"] as const satisfies readonly Exclude<
  LimitName,
  "white_label"
>[];
export type CountedLimit = (typeof COUNTED_LIMITS)[number];

export const LIMIT_NAMES = [...COUNTED_LIMITS, "white_label"] as const satisfies readonly LimitName[];

export const SUBSCRIPTION_STATES = ["trialing", "active", "past_due", "suspended", "canceled"] as const satisfies readonly SubscriptionState[];

/** A limit's name ("Active offers"); one this dashboard does not know yet shows as it is. */
export function limitName(t: TFunction, limit: string): string {
  return t(`plans.limits.${limit}`, { defaultValue: limit });
}

/** What a plan allows of a counted limit, in words: "100,000 clicks a month", "Unlimited active offers", "No custom domains". */
export function limitWords(t: TFunction, limit: CountedLimit, allowed: number | null): string {
  return allowed === null ? t(`plans.unlimited.${limit}`) : t(`plans.allows.${limit}`, { count: allowed });
}

/** Every limit of a plan in words, white-label last. */
export function planLimitLines(t: TFunction, limits: PlanLimits): { limit: LimitName; text: string; included: boolean }[] {
  return [
    ...COUNTED_LIMITS.map((limit) => ({ limit, text: limitWords(t, limit, limits[limit]), included: limits[limit] !== 0 })),
    { limit: "white_label" as const, text: t(limits.white_label ? "plans.whiteLabelYes" : "plans.whiteLabelNo"), included: limits.white_label },
  ];
}
