import { z } from "zod";
import type { NewPlanInput, Plan, PlanInput, PlanLimits, PlanPriceInput } from "@/api/types";
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
/** The counted limits as a form keeps them, each a number typed or "unlimited"; white-label is a box of its own. */
export const limitFields = z.object(limitsShape);
export type LimitFields = z.infer<typeof limitFields>;

/** Asks a number of each counted limit not ticked unlimited; its issues go under `limits.<limit>.value`. */
export function checkLimitFields(limits: LimitFields, ctx: z.RefinementCtx): void {
  for (const limit of COUNTED_LIMITS) {
    const field = limits[limit];
    if (!field.unlimited && !COUNT.test(field.value.trim())) {
      ctx.addIssue({ code: "custom", message: "plans.admin.validation.count", path: ["limits", limit, "value"] });
    }
  }
}

/** The form's fields of `limits` (nothing allowed without them). */
export function limitsToFields(limits: PlanLimits | null): LimitFields {
  return Object.fromEntries(
    COUNTED_LIMITS.map((limit) => {
      const allowed = limits ? limits[limit] : 0;
      return [limit, { value: allowed === null ? "" : String(allowed), unlimited: allowed === null }];
    }),
  ) as LimitFields;
}

/** The API's limits of what the form holds: an unlimited one is null. */
export function fieldsToLimits(limits: LimitFields, whiteLabel: boolean): PlanLimits {
  const counted = Object.fromEntries(
    COUNTED_LIMITS.map((limit) => {
      const field = limits[limit];
      return [limit, field.unlimited ? null : Number(field.value.trim())];
    }),
  ) as Omit<PlanLimits, "white_label">;
  return { ...counted, white_label: whiteLabel };
}

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
      limits: limitFields,
      white_label: z.boolean(),
      prices: z.array(priceRow).max(20, "validation.tooLong"),
    })
    .superRefine((values, ctx) => {
      if (isNew && !CODE.test(values.code)) ctx.addIssue({ code: "custom", message: "plans.admin.validation.code", path: ["code"] });
      if (Number(values.rank) > MAX_RANK) ctx.addIssue({ code: "custom", message: "plans.admin.validation.rank", path: ["rank"] });
      checkLimitFields(values.limits, ctx);
      // A contact-us plan may have no public price; any other is sold in at least one currency.
      if (!values.contact_us && values.prices.length === 0)
        ctx.addIssue({ code: "custom", message: "plans.admin.validation.pricesRequired", path: ["prices"] });
      const seen = new Set<string>();
      values.prices.forEach((row, index) => {
        const currency = checkPriceRow(row, ctx, ["prices", index]);
        if (currency && seen.has(currency))
          ctx.addIssue({ code: "custom", message: "plans.admin.validation.currencyTwice", path: ["prices", index, "currency"] });
        if (currency) seen.add(currency);
      });
    });
}

/**
 * Checks a price as typed: a currency's code, a monthly price of zero or more, and an overage price
 * above zero when one is given; issues go under `path`. Answers the currency, or null when it is not one.
 */
export function checkPriceRow(row: PriceRow, ctx: z.RefinementCtx, path: (string | number)[]): string | null {
  const typed = row.currency.trim().toUpperCase();
  const currency = CURRENCY.test(typed) ? typed : null;
  if (!currency) ctx.addIssue({ code: "custom", message: "finance.validation.currency", path: [...path, "currency"] });
  const monthly = typedMoney(row.monthly, currency ?? "USD");
  if (!monthly || monthly.minor < 0n) ctx.addIssue({ code: "custom", message: "finance.validation.amount", path: [...path, "monthly"] });
  if (row.overage.trim() !== "") {
    const overage = typedMoney(row.overage, currency ?? "USD");
    if (!overage || overage.minor <= 0n) ctx.addIssue({ code: "custom", message: "finance.validation.amount", path: [...path, "overage"] });
  }
  return currency;
}

/** The API's price of a row as typed: a comma as the decimal point, the currency in capitals, no overage as null. */
export function toPriceInput(row: PriceRow): PlanPriceInput {
  return {
    currency: row.currency.trim().toUpperCase(),
    monthly: normalizeDecimal(row.monthly),
    overage_per_1000: row.overage.trim() === "" ? null : normalizeDecimal(row.overage),
  };
}
export type PlanFormValues = z.infer<ReturnType<typeof planFormSchema>>;

export const emptyPriceRow = (currency = ""): PriceRow => ({ currency, monthly: "", overage: "" });

/** The form of `plan` as it is now, or of a new plan ranked after `nextRank - 1`. */
export function planToForm(plan: Plan | null, nextRank = 1): PlanFormValues {
  return {
    code: plan?.code ?? "",
    name: plan?.name ?? "",
    rank: String(plan?.rank ?? nextRank),
    public: plan?.public ?? true,
    contact_us: plan?.contact_us ?? false,
    limits: limitsToFields(plan?.limits ?? null),
    white_label: plan?.limits.white_label ?? false,
    prices: plan
      ? plan.prices.map((price) => ({ currency: price.currency, monthly: price.monthly, overage: price.overage_per_1000 ?? "" }))
      : [emptyPriceRow("USD")],
  };
}

/** The API's body of a plan's new version. */
export function toPlanInput(values: PlanFormValues): PlanInput {
  return {
    name: values.name.trim(),
    rank: Number(values.rank),
    public: values.public,
    contact_us: values.contact_us,
    limits: fieldsToLimits(values.limits, values.white_label),
    prices: values.prices.map(toPriceInput),
  };
}

/** The API's body of a new plan: its code and its first version. */
export function toNewPlanInput(values: PlanFormValues): NewPlanInput {
  return { ...toPlanInput(values), code: values.code.trim() };
}
