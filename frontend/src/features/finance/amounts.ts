import type { AffiliateBalance } from "@/api/types";

/*
 * The finance API sends money as decimal strings ("12.50"). Sums and comparisons are done on whole
 * numbers of the smallest digit present, never on floats, so 0.10 + 0.20 is exactly 0.30.
 */

type Scaled = { units: bigint; scale: number };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parse(amount: string): Scaled | null {
  const match = DECIMAL.exec(amount.trim());
  if (!match) return null;
  const [, sign = "", whole = "0", fraction = ""] = match;
  return { units: BigInt(`${sign}${whole}${fraction}`), scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function render({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** The exact sum of decimal amounts, with as many fraction digits as the most precise of them; unreadable ones count as zero. */
export function sumAmounts(amounts: readonly string[]): string {
  const parsed = amounts.map(parse).filter((value): value is Scaled => value !== null);
  const scale = Math.max(0, ...parsed.map((value) => value.scale));
  return render({ units: parsed.reduce((sum, value) => sum + rescale(value, scale), 0n), scale });
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`; null when either is not a decimal. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 | null {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return null;
  const scale = Math.max(left.scale, right.scale);
  const difference = rescale(left, scale) - rescale(right, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function isPositiveAmount(amount: string): boolean {
  return compareAmounts(amount, "0") === 1;
}

/** A loss (a negative profit) is shown in the destructive colour. */
export function isNegativeAmount(amount: string): boolean {
  return compareAmounts(amount, "0") === -1;
}

/** What a bulk payout pays in one currency: the sum of the approved balances and how many affiliates share it. */
export type CurrencyTotal = { currency: string; amount: string; affiliates: number };

/** The approved balances a "pay all" would pay, per currency in alphabetical order; currencies with nothing approved are left out. */
export function approvedTotals(rows: readonly AffiliateBalance[]): CurrencyTotal[] {
  const due = new Map<string, string[]>();
  for (const row of rows) {
    if (isPositiveAmount(row.approved)) due.set(row.currency, [...(due.get(row.currency) ?? []), row.approved]);
  }
  return [...due.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amounts]) => ({ currency, amount: sumAmounts(amounts), affiliates: amounts.length }));
}
