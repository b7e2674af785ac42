import type { AffiliateBalance } from "@/api/types";
import { moneyOfMinor, parseMoney, sumMoney, toDecimal, type Money } from "@/lib/money";

/*
 * The finance API sends money as decimal strings in a row's currency ("12.50"). Sums and comparisons
 * are done on minor units (src/lib/money.ts), never on floats, so 0.10 + 0.20 is exactly 0.30.
 */

/** An amount's minor units in its currency; an unreadable one counts as zero. */
function minorOf(amount: string, currency: string): Money {
  return parseMoney(amount, currency) ?? moneyOfMinor(0, currency);
}

/** The exact sum of decimal amounts in one currency, written as the API writes it; unreadable ones count as zero. */
export function sumAmounts(amounts: readonly string[], currency: string): string {
  return toDecimal(
    sumMoney(
      amounts.map((amount) => minorOf(amount, currency)),
      currency,
    ),
  );
}

export function isPositiveAmount(amount: string, currency: string): boolean {
  return minorOf(amount, currency).minor > 0n;
}

/** A loss (a negative profit) is shown in the destructive colour. */
export function isNegativeAmount(amount: string, currency: string): boolean {
  return minorOf(amount, currency).minor < 0n;
}

/** What a bulk payout pays in one currency: the sum of the approved balances and how many affiliates share it. */
export type CurrencyTotal = { currency: string; amount: string; affiliates: number };

/** The approved balances a "pay all" would pay, per currency in alphabetical order; currencies with nothing approved are left out. */
export function approvedTotals(rows: readonly AffiliateBalance[]): CurrencyTotal[] {
  const due = new Map<string, string[]>();
  for (const row of rows) {
    if (isPositiveAmount(row.approved, row.currency)) due.set(row.currency, [...(due.get(row.currency) ?? []), row.approved]);
  }
  return [...due.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amounts]) => ({ currency, amount: sumAmounts(amounts, currency), affiliates: amounts.length }));
}
