import { z } from "zod";
import type { NewPlanInput, Plan, PlanInput, PlanLimits } from "@/api/types";
import { COUNTED_LIMITS, type CountedLimit } from "@/features/billing/plan-words";
import { normalizeDecimal, typedMoney } from "@/features/offers/offer-schema";

/*
 * The Owner's plan form keeps what was typed; `toPlanInput` turns it into the API's body. Messages are
 * i18n keys. Money is a decimal in each row's currency, as the API reads it.
 */

/** A plan's code: lower-case letters, digits and dashes, as the API takes it; it never changes once made. */
const CODE = /^[a-z0-9][a-z0-9-]{1,29}$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNT = /^\d{1,12}$/;
const MAX_RANK = 1000;

const limitField = z.object({ value: z.string(), unlimited: z.boolean() });
export type LimitField = z.infer<typeof limitField>;

const priceRow = z.object({ currency: z.string(), monthly: z.string(), overage: z.string() });
export type PriceRow = z.infer<typeof priceRow>;

const limitsShape = Object.fromEntries(COUNTED_LIMITS.map((limit) => [limit, limitField])) as Record<CountedLimit, typeof limitField>;

/** The form of a plan: `isNew` asks for its code too. */
export function planFormSchema(isNew: boolean) {
  return z
    .object({
      code: z.string().trim(),
      name: z.string().trim().min(1, "validation.required").max(60, "validation.tooLong"),
      rank: z
        .string()
        .trim()
        .regex(/^\d{1,4}$/, "plans.admin.validation.rank"),
      public: z.boolean(),
      contact_us: z.boolean(),
      limits: z.object(limitsShape),
      white_label: z.boolean(),
      prices: z.array(priceRow).max(20, "validation.tooLong"),
    })
    .superRefine((values, ctx) => {
      if (isNew && !CODE.test(values.code)) ctx.addIssue({ code: "custom", message: "plans.admin.validation.code", path: ["code"] });
      if (Number(values.rank) > MAX_RANK) ctx.addIssue({ code: "custom", message: "plans.admin.validation.rank", path: ["rank"] });
      for (const limit of COUNTED_LIMITS) {
        const field = values.limits[limit];
        if (!field.unlimited && !COUNT.test(field.value.trim())) {
          ctx.addIssue({ code: "custom", message: "plans.admin.validation.count", path: ["limits", limit, "value"] });
        }
      }
      // A contact-us plan may have no public price; any other is sold in at least one currency.
      if (!values.contact_us && values.prices.length === 0)
        ctx.addIssue({ code: "custom", message: "plans.admin.validation.pricesRequired", path: ["prices"] });
      const seen = new Set<string>();
      values.prices.forEach((row, index) => {
        const currency = row.currency.trim().toUpperCase();
        if (!CURRENCY.test(currency)) ctx.addIssue({ code: "custom", message: "finance.validation.currency", path: ["prices", index, "currency"] });
        else if (seen.has(currency)) ctx.addIssue({ code: "custom", message: "plans.admin.validation.currencyTwice", path: ["prices", index, "currency"] });
        seen.add(currency);
        const monthly = typedMoney(row.monthly, CURRENCY.test(currency) ? currency : "USD");
        if (!monthly || monthly.minor < 0n) ctx.addIssue({ code: "custom", message: "finance.validation.amount", path: ["prices", index, "monthly"] });
        if (row.overage.trim() !== "") {
          const overage = typedMoney(row.overage, CURRENCY.test(currency) ? currency : "USD");
          if (!overage || overage.minor <= 0n) ctx.addIssue({ code: "custom", message: "finance.validation.amount", path: ["prices", index, "overage"] });
        }
      });
    });
}
export type PlanFormValues = z.infer<ReturnType<typeof planFormSchema>>;

export const emptyPriceRow = (currency = ""): PriceRow => ({ currency, monthly: "", overage: "" });

/** The form of `plan` as it is now, or of a new plan ranked after `nextRank - 1`. */
export function planToForm(plan: Plan | null, nextRank = 1): PlanFormValues {
  const limits = Object.fromEntries(
    COUNTED_LIMITS.map((limit) => {
      const allowed = plan ? plan.limits[limit] : 0;
      return [limit, { value: allowed === null ? "" : String(allowed), unlimited: allowed === null }];
    }),
  ) as Record<CountedLimit, LimitField>;
  return {
    code: plan?.code ?? "",
    name: plan?.name ?? "",
    rank: String(plan?.rank ?? nextRank),
    public: plan?.public ?? true,
    contact_us: plan?.contact_us ?? false,
    limits,
    white_label: plan?.limits.white_label ?? false,
    prices: plan
      ? plan.prices.map((price) => ({ currency: price.currency, monthly: price.monthly, overage: price.overage_per_1000 ?? "" }))
      : [emptyPriceRow("USD")],
  };
}

/** The API's body of a plan's new version. */
export function toPlanInput(values: PlanFormValues): PlanInput {
  const counted = Object.fromEntries(
    COUNTED_LIMITS.map((limit) => {
      const field = values.limits[limit];
      return [limit, field.unlimited ? null : Number(field.value.trim())];
    }),
  ) as Omit<PlanLimits, "white_label">;
  return {
    name: values.name.trim(),
    rank: Number(values.rank),
    public: values.public,
    contact_us: values.contact_us,
    limits: { ...counted, white_label: values.white_label },
    prices: values.prices.map((row) => ({
      currency: row.currency.trim().toUpperCase(),
      monthly: normalizeDecimal(row.monthly),
      overage_per_1000: row.overage.trim() === "" ? null : normalizeDecimal(row.overage),
    })),
  };
}

/** The API's body of a new plan: its code and its first version. */
export function toNewPlanInput(values: PlanFormValues): NewPlanInput {
  return { ...toPlanInput(values), code: values.code.trim() };
}
