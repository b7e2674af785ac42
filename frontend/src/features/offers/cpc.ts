import type { CapMetric, OfferModel } from "@/api/types";

/*
 * Pay-per-click: the goal `click` pays each unique, non-bot click (the orchestrator decides which),
 * at a fixed price, within its own caps on paid clicks and on the click budget. Its texts live in
 * the `cpc` namespace.
 */

export const CLICK_GOAL = "click";
export const CPC_CAP_METRICS = ["paid_clicks", "click_budget"] as const satisfies readonly CapMetric[];

export function isCpcCapMetric(metric: string): boolean {
  return (CPC_CAP_METRICS as readonly string[]).includes(metric);
}

/** The i18n key of a payout model's name. */
export function modelKey(model: OfferModel): string {
  return model === "CPC" ? "cpc.model" : `offers.models.${model}`;
}

/** The i18n key of a cap metric's name. */
export function capMetricKey(metric: CapMetric): string {
  return isCpcCapMetric(metric) ? `cpc.capMetric.${metric}` : `offers.capMetric.${metric}`;
}
