import type { TFunction } from "i18next";
import { ApiError } from "@/api/api-error";
import { readPlanLimit, type LimitExcess, type PlanLimitRefusal } from "@/api/plan-limit";
import type { ErrorCode } from "@/api/types";

/**
 * Codes whose server detail tells the reader what to fix (which field, what exists already, which
 * address was refused, why the analytics engine stopped a report's query); the detail is the server's
 * English words, so it follows the translated text.
 */
const DETAILED_CODES: ReadonlySet<string> = new Set<ErrorCode>(["validation_error", "conflict", "unsafe_destination", "query_failed"]);

/** A plan's code ("pro") as a name where the plans' own names are not at hand. */
export const planLabel = (code: string): string => code.charAt(0).toLocaleUpperCase() + code.slice(1);

/** One limit in the way, in words: "Active offers: 5 of 5.", "White-label is not in your plan." */
export function limitExcessText(t: TFunction, excess: LimitExcess): string {
  const limit = t(`plans.limits.${excess.limit}`, { defaultValue: excess.limit });
  if (excess.limit === "white_label") return t("plans.limitReached.notIncluded", { limit });
  if (excess.usage !== null && excess.allowed !== null) return t("plans.limitReached.usage", { limit, usage: excess.usage, allowed: excess.allowed });
  if (excess.allowed !== null) return t("plans.limitReached.allowed", { limit, allowed: excess.allowed });
  return `${limit}.`;
}

/** A `plan_limit` refusal as one text: what is reached, and the plan that lifts it. */
function planLimitText(t: TFunction, refusal: PlanLimitRefusal): string {
  const upgrade = refusal.upgradeTo ? [t("plans.limitReached.upgrade", { plan: planLabel(refusal.upgradeTo) })] : [];
  return [t("plans.limitReached.reached"), ...refusal.excess.map((excess) => limitExcessText(t, excess)), ...upgrade].join(" ");
}

/** The text to show for a failed call: its error code's text in the reader's language, and for a few codes the server's detail. */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.generic");
  const refusal = readPlanLimit(error);
  if (refusal) return planLimitText(t, refusal);
  const text = t(`errors.codes.${error.code}`, { defaultValue: "" }) || t("errors.generic");
  return DETAILED_CODES.has(error.code) && error.detail ? `${text} ${error.detail}` : text;
}
