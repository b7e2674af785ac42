import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMoney, compareMoney, formatDecimalMoney, formatMinor, formatMoney, minorDigits, moneyOfMinor, parseMoney, sumMoney, toDecimal } from "@/lib/money";

/** The API's own table of currencies whose minor unit is not 1/100 (`_EXPONENTS` in its money module). */
function apiExponents(): Record<string, number> {
  const source = readFileSync(join(__dirname, "../../../layers/partnerka/python/partnerka/common/money.py"), "utf8");
  const table = /_EXPONENTS: dict\[str, int\] = \{([^}]*)\}/.exec(source)?.[1] ?? "";
  return Object.fromEntries([...table.matchAll(/"([A-Z]{3})": (\d)/g)].map((match) => [match[1], Number(match[2])]));
}

// Currencies of each kind of minor unit: none, hundredths, thousandths.
const CURRENCIES = ["JPY", "USD", "EUR", "RUB", "HUF", "KWD", "BHD", "IQD"] as const;

/** An amount as a person or the API writes it, with the minor units it means, built digit by digit (no parser involved). */
const typedAmount = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    whole: fc.bigInt({ min: 0n, max: 10n ** 20n }),
    fraction: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    negative: fc.boolean(),
    mark: fc.constantFrom(".", ","),
  })
  .filter(({ currency, fraction }) => fraction.length <= minorDigits(currency))
  .map(({ currency, whole, fraction, negative, mark }) => {
    const digits = minorDigits(currency);
    const fractionText = fraction.join("");
    const minor = whole * 10n ** BigInt(digits) + BigInt(fractionText.padEnd(digits, "0") || "0");
    const text = `${negative ? "-" : ""}${whole}${fractionText ? `${mark}${fractionText}` : ""}`;
    return { currency, text, minor: negative ? -minor : minor };
  });

const money = fc.record({ minor: fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), currency: fc.constantFrom(...CURRENCIES) });

describe("money", () => {
  it("knows the same minor units as the API", () => {
    const api = apiExponents();
    expect(Object.keys(api).length).toBeGreaterThan(10);
    expect(api).toMatchObject({ JPY: 0, KWD: 3 });
    for (const [currency, digits] of Object.entries(api)) expect([currency, minorDigits(currency)]).toEqual([currency, digits]);
    for (const currency of ["USD", "EUR", "RUB", "HUF", "IDR"]) expect(minorDigits(currency)).toBe(api[currency] ?? 2);
  });

  it("adds 0.1 and 0.2 to exactly 0.30", () => {
    const sum = addMoney(parseMoney("0.1", "USD")!, parseMoney("0.2", "USD")!);
    expect(toDecimal(sum)).toBe("0.30");
    expect(0.1 + 0.2).not.toBe(0.3); // what a float would have made of it
  });

  it("reads every amount as the minor units it means, in any currency's digits", () => {
    fc.assert(
      fc.property(typedAmount, ({ currency, text, minor }) => {
        expect(parseMoney(text, currency)).toEqual({ minor, currency });
      }),
    );
  });

  it("refuses more decimals than the currency has rather than rounding them", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCIES), fc.nat({ max: 10 ** 6 }), fc.integer({ min: 1, max: 9 }), (currency, whole, last) => {
        const digits = minorDigits(currency);
        expect(parseMoney(`${whole}.${"0".repeat(digits)}${last}`, currency)).toBeNull();
        // Zeros past the minor unit change nothing, as for the API.
        expect(parseMoney(`${whole}.${"0".repeat(digits + 2)}`, currency)).toEqual(moneyOfMinor(BigInt(whole) * 10n ** BigInt(digits), currency));
      }),
    );
    expect(parseMoney("12.50", "JPY")).toBeNull();
    expect(parseMoney("1.234", "KWD")).toEqual({ minor: 1234n, currency: "KWD" });
    expect(parseMoney("1.234", "USD")).toBeNull();
  });

  it.each(["", " ", "abc", "1e3", "12.5.0", "1,234.50", "--1", "0x10", "Infinity", "12 50", "."])("reads %j as no amount", (text) => {
    expect(parseMoney(text, "USD")).toBeNull();
  });

  it("writes back exactly what it read, with the currency's digits", () => {
    fc.assert(
      fc.property(money, (amount) => {
        const written = toDecimal(amount);
        expect(written).toMatch(minorDigits(amount.currency) === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${minorDigits(amount.currency)}}$`));
        expect(parseMoney(written, amount.currency)).toEqual(amount.minor === 0n ? { ...amount, minor: 0n } : amount);
      }),
    );
    expect(toDecimal(moneyOfMinor(5, "USD"))).toBe("0.05");
    expect(toDecimal(moneyOfMinor(-5, "KWD"))).toBe("-0.005");
    expect(toDecimal(moneyOfMinor(1250, "JPY"))).toBe("1250");
  });

  it("adds and compares as the whole numbers of minor units do, however large", () => {
    fc.assert(
      fc.property(typedAmount, fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), ({ currency, text, minor }, other) => {
        const a = parseMoney(text, currency)!;
        const b = moneyOfMinor(other, currency);
        expect(addMoney(a, b)).toEqual({ minor: minor + other, currency });
        expect(addMoney(a, b)).toEqual(addMoney(b, a));
        expect(compareMoney(a, b)).toBe(minor < other ? -1 : minor > other ? 1 : 0);
        expect(sumMoney([a, b, a], currency).minor).toBe(minor * 2n + other);
      }),
    );
  });

  it("never adds or compares two currencies", () => {
    expect(() => addMoney(moneyOfMinor(1, "USD"), moneyOfMinor(1, "EUR"))).toThrow(RangeError);
    expect(() => compareMoney(moneyOfMinor(1, "USD"), moneyOfMinor(1, "EUR"))).toThrow(RangeError);
    expect(() => moneyOfMinor(0.5, "USD")).toThrow(RangeError);
  });

  it("formats every digit, where a float would lose some", () => {
    fc.assert(
      fc.property(money, (amount) => {
        // English writes a minus, the amount's digits with commas between thousands, and the currency.
        expect(formatMoney(amount, "en").replace(/[^\d.-]/g, "")).toBe(toDecimal(amount));
      }),
    );
    expect(formatDecimalMoney("12345678901234567.89", "USD", "en")).toBe("$12,345,678,901,234,567.89");
  });

  it("formats with the API's minor units, not the browser's", () => {
    // Intl writes HUF and IQD without decimals; the API keeps 2 and 3 digits for them.
    expect(formatMinor(12_345, "HUF", "en")).toMatch(/^HUF\s123\.45$/);
    expect(formatMinor(1_250, "IQD", "en")).toMatch(/^IQD\s1\.250$/);
    expect(formatMinor(125_000, "USD", "en")).toBe("$1,250.00");
    expect(formatMinor(1_500, "JPY", "en")).toBe("¥1,500");
    expect(formatDecimalMoney("1234.5", "RUB", "ru")).toMatch(/^1\s234,50\s₽$/);
  });

  it("shows what it cannot read as it came", () => {
    expect(formatDecimalMoney("n/a", "USD", "en")).toBe("n/a USD");
    expect(formatDecimalMoney("12.505", "USD", "en")).toBe("12.505 USD");
  });
});
