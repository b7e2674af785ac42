/*
 * Money as the API keeps it: whole minor units of an ISO-4217 currency, never a float. Amounts
 * arrive either as decimal strings in the currency ("12.50": finance, offers, conversions) or as
 * integers of minor units (1250: statistics); both become a `Money` here, are added and compared as
 * bigints, and are written back as decimal strings or formatted for people, exactly.
 */

/**
 * Currencies whose minor unit is not 1/100, as the API's money module has them
 * (common/money.py of the domain package; money.test.ts fails when the two differ).
 * The browser's own table (Intl) differs for some (HUF, IDR, IQD, …), so it is not asked.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BHD: 3,
  CLP: 0,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  PYG: 0,
  TND: 3,
  UGX: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
};

export type Money = { readonly minor: bigint; readonly currency: string };

/** The digits of a currency's minor unit: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return EXPONENTS[currency.trim().toUpperCase()] ?? 2;
}

// Digits, and at most one decimal mark: a point as the API writes it, or a comma as people type it.
const DECIMAL = /^([-+]?)(\d+)(?:[.,](\d*))?$|^([-+]?)[.,](\d+)$/;

/**
 * A decimal amount in `currency` ("12.5", "12,50", "-3.001", ".5") as minor units, exactly; null for
 * anything else, and for more decimals than the currency has (rounding somebody's money silently is
 * worse than refusing it, the API's rule too).
 */
export function parseMoney(text: string, currency: string): Money | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const sign = match[1] ?? match[4] ?? "";
  const whole = match[2] ?? "0";
  const fraction = match[3] ?? match[5] ?? "";
  const digits = minorDigits(currency);
  if (fraction.replace(/0+$/, "").length > digits) return null;
  const minor = BigInt(`${whole}${fraction.padEnd(digits, "0").slice(0, digits)}`);
  return { minor: sign === "-" ? -minor : minor, currency: currency.trim().toUpperCase() };
}

/** Whole minor units as the statistics API sends them (1250 → 12.50 USD). */
export function moneyOfMinor(minor: number | bigint, currency: string): Money {
  if (typeof minor === "number" && !Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not a whole number of minor units`);
  return { minor: BigInt(minor), currency: currency.trim().toUpperCase() };
}

/** The decimal string the API reads and writes: "12.50", "1250" for JPY, "-0.005" for KWD. */
export function toDecimal({ minor, currency }: Money): string {
  const digits = minorDigits(currency);
  const text = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, "0");
  const plain = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return minor < 0n ? `-${plain}` : plain;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`cannot combine ${a.currency} with ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}

/** The sum of amounts in one currency; zero of it for none. */
export function sumMoney(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce(addMoney, moneyOfMinor(0, currency));
}

/** -1, 0 or 1 as `a` is below, equal to or above `b` (one currency). */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** The amount as the language writes it in its currency, with exactly the currency's digits ("$1,250.00", "1 234,50 ₽"). */
export function formatMoney(money: Money, language: string): string {
  const digits = minorDigits(money.currency);
  const decimal = toDecimal(money);
  try {
    const format = new Intl.NumberFormat(language, {
      style: "currency",
      currency: money.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // A decimal string is formatted exactly; a number would pass through a float first.
    return format.format(decimal as Intl.StringNumericLiteral);
  } catch {
    return `${decimal} ${money.currency}`;
  }
}

/** A decimal amount from the API ("12.50") in its currency; an unreadable one is shown as it came. */
export function formatDecimalMoney(amount: string, currency: string, language: string): string {
  const money = parseMoney(amount, currency);
  return money ? formatMoney(money, language) : `${amount} ${currency}`;
}

/** Whole minor units from the statistics API (1250) in their currency. */
export function formatMinor(minor: number, currency: string, language: string): string {
  return Number.isSafeInteger(minor) ? formatMoney(moneyOfMinor(minor, currency), language) : `${minor} ${currency}`;
}
