import type { AmountType } from "@/api/types";
import { formatPercent } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

/** A goal's payout or revenue: money in the offer's currency, or a percent of the sale. */
export function formatAmount(type: AmountType, amount: string, currency: string, language: string): string {
  return type === "percent" ? formatPercent(amount, language) : formatDecimalMoney(amount, currency, language);
}
