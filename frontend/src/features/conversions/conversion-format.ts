import type { TFunction } from "i18next";
import { formatDecimalMoney } from "@/lib/money";

/** A goal key as people read it: "lead" and "sale" translated, an offer's own key as it is. */
export function goalLabel(t: TFunction, goal: string): string {
  return t(`conversions.goals.${goal}`, { defaultValue: goal });
}

/** A money string of a conversion, or a dash where there is none (revenue for affiliates, amount of a lead). */
export function formatConversionMoney(amount: string | null, currency: string, language: string): string {
  return amount === null ? "—" : formatDecimalMoney(amount, currency, language);
}
