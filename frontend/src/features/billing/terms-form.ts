import { z } from "zod";
import type { PlanLimits, StaffSubscription, TermsInput } from "@/api/types";
import { checkLimitFields, checkPriceRow, fieldsToLimits, limitFields, limitsToFields, toPriceInput } from "@/features/billing/plan-form";

/*
 * The Owner's terms for one advertiser: its own monthly price (in its currency, with an optional overage
 * per 1,000 clicks), its own limits and a note. The price row and the limits are the plan form's, checked
 * and sent the same way. Messages are i18n keys.
 */

export const termsFormSchema = z
  .object({
    price: z.object({ currency: z.string(), monthly: z.string(), overage: z.string() }),
    limits: limitFields,
    white_label: z.boolean(),
    note: z.string().max(500, "validation.tooLong"),
  })
  .superRefine((values, ctx) => {
    checkPriceRow(values.price, ctx, ["price"]);
    checkLimitFields(values.limits, ctx);
  });
export type TermsFormValues = z.infer<typeof termsFormSchema>;

/**
 * The form of `subscription`'s terms: the ones it has, or, the first time, its currency with no price
 * yet and the limits of the plan it is on (`planLimits`, when known) to start from.
 */
export function termsToForm(subscription: StaffSubscription, planLimits: PlanLimits | null): TermsFormValues {
  const terms = subscription.custom_terms;
  const limits = terms?.limits ?? planLimits;
  return {
    price: { currency: subscription.currency, monthly: terms?.monthly_price ?? "", overage: terms?.overage_per_1000 ?? "" },
    limits: limitsToFields(limits),
    white_label: limits?.white_label ?? false,
    note: terms?.note ?? "",
  };
}

/** The API's body of the terms (`PUT /api/admin/subscriptions/{advertiser_id}/terms`). */
export function toTermsInput(values: TermsFormValues): TermsInput {
  const price = toPriceInput(values.price);
  return {
    currency: price.currency,
    monthly_price: price.monthly,
    limits: fieldsToLimits(values.limits, values.white_label),
    overage_per_1000: price.overage_per_1000,
    note: values.note.trim(),
  };
}
