import { z } from "zod";
import type { AffiliateBalance, FinanceSettings, PayoutInput, PayoutRequestInput, TopupInput } from "@/api/types";
import { isMoney, normalizeDecimal, typedMoney } from "@/features/offers/offer-schema";
import { compareMoney, parseMoney } from "@/lib/money";

/*
 * The payout, top-up and settings forms keep what the user typed; the `to…Body` functions turn it
 * into the API's body. Messages are i18n keys.
 */

/** How a payout was sent; the API takes any short text, the form offers these. */
export const PAYOUT_METHODS = ["wire", "paypal", "usdt", "card", "other"] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

const CURRENCY = /^[A-Za-z]{3}$/;
const REFERENCE_MAX = 200;

/**
 * Why a typed amount of `currency` cannot be paid, requested or recorded, as an i18n key; null when it
 * can. `max`: the most it may be (the approved balance); `min`: the least (the minimum payout).
 */
export function amountIssue(value: string, currency: string, max?: string, min?: string | null): string | null {
  if (value.trim() === "") return "validation.required";
  const amount = typedMoney(value, currency);
  if (!amount) return "finance.validation.amount";
  if (amount.minor <= 0n) return "finance.validation.positive";
  const most = max === undefined ? null : parseMoney(max, currency);
  if (most && compareMoney(amount, most) === 1) return "finance.validation.aboveApproved";
  const least = min ? parseMoney(min, currency) : null;
  if (least && compareMoney(amount, least) === -1) return "finance.validation.belowMinimum";
  return null;
}

function amountField(currency: string, max?: string, min?: string | null) {
  return z.string().superRefine((value, ctx) => {
    const issue = amountIssue(value, currency, max, min);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });
}

const reference = z.string().trim().max(REFERENCE_MAX, "validation.tooLong");

/** One affiliate's payout: an amount up to its approved balance. */
export function payoutSchema(balance: Pick<AffiliateBalance, "approved" | "currency">) {
  return z.object({ amount: amountField(balance.currency, balance.approved), method: z.enum(PAYOUT_METHODS), reference });
}
export type PayoutValues = z.infer<ReturnType<typeof payoutSchema>>;

/** Every affiliate's whole approved balance: only how and with what reference. */
export const bulkPayoutSchema = z.object({ method: z.enum(PAYOUT_METHODS), reference });
export type BulkPayoutValues = z.infer<typeof bulkPayoutSchema>;

/** The API's body: one affiliate in one currency, or (without a target) everyone's approved balance. */
export function toPayoutBody(values: BulkPayoutValues & { amount?: string }, target?: { affiliateId: string; currency: string }): PayoutInput {
  const paid =
    target && values.amount !== undefined ? { affiliate_id: target.affiliateId, currency: target.currency, amount: normalizeDecimal(values.amount) } : {};
  return { ...paid, method: values.method, reference: values.reference.trim() };
}

/** An affiliate's payout request: from the advertiser's minimum payout (if it set one) up to the approved balance. */
export function payoutRequestSchema(balance: Pick<AffiliateBalance, "approved" | "currency" | "min_payout">) {
  return z.object({ amount: amountField(balance.currency, balance.approved, balance.min_payout) });
}
export type PayoutRequestValues = z.infer<ReturnType<typeof payoutRequestSchema>>;

export function toPayoutRequestBody(values: PayoutRequestValues, currency: string): PayoutRequestInput {
  return { currency, amount: normalizeDecimal(values.amount) };
}

/** A recorded top-up and one submitted for review take the same amount, currency and bank reference. */
export const topupSchema = z
  .object({
    amount: z.string(),
    currency: z.string().trim().regex(CURRENCY, "finance.validation.currency"),
    reference: z.string().trim().min(1, "validation.required").max(REFERENCE_MAX, "validation.tooLong"),
  })
  .superRefine((values, ctx) => {
    // The amount is money of the currency typed beside it: its minor unit says how many decimals it may have.
    const issue = amountIssue(values.amount, values.currency);
    if (issue) ctx.addIssue({ code: "custom", message: issue, path: ["amount"] });
  });
export type TopupValues = z.infer<typeof topupSchema>;

export function toTopupBody(values: TopupValues): TopupInput {
  return { amount: normalizeDecimal(values.amount), currency: values.currency.trim().toUpperCase(), reference: values.reference.trim() };
}

/** One currency's line of the settings form; an empty amount means "not set". */
export type SettingsRow = { currency: string; lowBalance: string; minPayout: string };
export type SettingsRowIssues = Partial<Record<keyof SettingsRow, string>>;

/** A line per currency that has a setting or a balance, in alphabetical order. */
export function settingsRows(settings: FinanceSettings, currencies: readonly string[]): SettingsRow[] {
  const low = settings.low_balance_threshold ?? {};
  const min = settings.min_payout ?? {};
  const all = new Set([...currencies, ...Object.keys(low), ...Object.keys(min)]);
  return [...all].sort().map((currency) => ({ currency, lowBalance: low[currency] ?? "", minPayout: min[currency] ?? "" }));
}

/** What is wrong with each line, by index; an empty object when the form may be saved. */
export function settingsIssues(rows: readonly SettingsRow[]): Record<number, SettingsRowIssues> {
  const issues: Record<number, SettingsRowIssues> = {};
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const found: SettingsRowIssues = {};
    const currency = row.currency.trim().toUpperCase();
    if (!CURRENCY.test(currency)) found.currency = "finance.validation.currency";
    else if (seen.has(currency)) found.currency = "finance.validation.duplicateCurrency";
    seen.add(currency);
    for (const field of ["lowBalance", "minPayout"] as const) {
      if (row[field].trim() !== "" && !isMoney(row[field], currency)) found[field] = "finance.validation.amount";
    }
    if (Object.keys(found).length > 0) issues[index] = found;
  });
  return issues;
}

/** The API's body for lines without issues; a blank amount is left out, which clears it. */
export function toSettingsBody(rows: readonly SettingsRow[]): FinanceSettings {
  const pick = (field: "lowBalance" | "minPayout") =>
    Object.fromEntries(rows.filter((row) => row[field].trim() !== "").map((row) => [row.currency.trim().toUpperCase(), normalizeDecimal(row[field])]));
  return { low_balance_threshold: pick("lowBalance"), min_payout: pick("minPayout") };
}
