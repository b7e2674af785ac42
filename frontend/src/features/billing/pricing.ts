import type { BillingInterval, Plan, PlanPrice, Subscription } from "@/api/types";
import { parseMoney } from "@/lib/money";

/*
 * What the pricing page works out of the plans: which currencies to offer, what a year saves, and
 * what choosing a plan would be for the advertiser's subscription. Money stays in the API's decimal
 * strings; the saving's percent is worked out in minor units, never in floats.
 */

/** The currencies the plans are priced in, alphabetically, once each. */
export function planCurrencies(plans: readonly Plan[]): string[] {
  return [...new Set(plans.flatMap((plan) => plan.prices.map((price) => price.currency)))].sort();
}

/** The reader's language's own currency, where the plans have it. */
const LANGUAGE_CURRENCY: Readonly<Record<string, string>> = { ru: "RUB" };

/**
 * The currency the page opens in: the one the subscription is billed in, else the reader's language's
 * own, else US dollars, else the first there is; null without any.
 */
export function defaultCurrency(currencies: readonly string[], billedIn: string | null, language: string): string | null {
  const preferred = [billedIn, LANGUAGE_CURRENCY[language.split("-")[0] ?? ""], "USD"];
  return preferred.find((currency) => currency && currencies.includes(currency)) ?? currencies[0] ?? null;
}

/** The plan's price in `currency`; undefined where it has none (a contact-us plan has none at all). */
export function priceIn(plan: Plan, currency: string | null): PlanPrice | undefined {
  return plan.prices.find((price) => price.currency === currency);
}

/** What `interval` costs of a price: the monthly price, or the yearly one. */
export function intervalPrice(price: PlanPrice, interval: BillingInterval): string {
  return interval === "year" ? price.yearly : price.monthly;
}

/**
 * What a year paid at once saves, in whole percent of twelve monthly payments (20 for the catalogue's
 * yearly discount), rounded half up; null when there is nothing to compare or nothing saved.
 */
export function yearlySavingPercent(price: PlanPrice): number | null {
  const monthly = parseMoney(price.monthly, price.currency);
  const saving = parseMoney(price.yearly_saving, price.currency);
  if (!monthly || !saving || monthly.minor <= 0n || saving.minor <= 0n) return null;
  const twelve = monthly.minor * 12n;
  return Number((saving.minor * 200n + twelve) / (twelve * 2n));
}

/**
 * What choosing `plan` billed every `interval` is for the subscription: the first choice of a trial
 * (or after an ended subscription), an upgrade that starts now, a downgrade at the period's end, the
 * plan it has, or the change already waiting for the period's end. Moving from monthly to yearly on
 * one plan is an upgrade, back a downgrade, as the API decides them.
 */
export type PlanMove = "choose" | "upgrade" | "downgrade" | "current" | "scheduled";

export function planMove(subscription: Subscription, plan: Plan, interval: BillingInterval): PlanMove {
  if (subscription.state === "trialing" || subscription.state === "canceled") return "choose";
  const pending = subscription.pending;
  if (pending && pending.plan_code === plan.code && pending.interval === interval) return "scheduled";
  if (subscription.plan.code === plan.code) {
    if (subscription.interval === interval) return "current";
    return interval === "year" ? "upgrade" : "downgrade";
  }
  if (plan.rank > subscription.plan.rank) return "upgrade";
  if (plan.rank < subscription.plan.rank) return "downgrade";
  return "choose";
}

/** Whether a change is billed in the currency chosen on the page: only a first choice sets it; later ones keep the subscription's. */
export function choosesCurrency(subscription: Subscription): boolean {
  return subscription.state === "trialing" || subscription.state === "canceled";
}
