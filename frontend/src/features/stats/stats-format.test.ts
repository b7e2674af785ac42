import { describe, expect, it } from "vitest";
import type { StatsRow } from "@/api/types";
import {
  formatEpc,
  formatEpcMap,
  formatMetric,
  formatMoneyMap,
  formatPercentValue,
  formatRoiMap,
  formatTick,
  metricValue,
  primaryCurrency,
} from "@/features/stats/stats-format";

const row = (money: Partial<StatsRow>): StatsRow => ({
  key: "2026-03-01",
  label: "2026-03-01",
  clicks: 120,
  unique: 100,
  bots: 0,
  flood: 0,
  datacenter: 0,
  blocked: 0,
  refused: {},
  leads: 3,
  sales: 2,
  rejected: 0,
  hold: 0,
  cpc_clicks: 0,
  held_by_rule: 0,
  rejected_by_rule: 0,
  conversions: 5,
  cr: 4.1667,
  revenue: null,
  payout: {},
  cpc_payout: {},
  profit: null,
  epc: {},
  roi: null,
  ...money,
});

describe("money per currency", () => {
  it("writes each currency, the largest amount first", () => {
    expect(formatMoneyMap({ EUR: 300, USD: 125_000 }, "en")).toBe("$1,250.00 · €3.00");
  });

  it("shows zero without money and a dash where it is hidden", () => {
    expect(formatMoneyMap({}, "en")).toBe("0");
    expect(formatMoneyMap(null, "en")).toBe("—");
  });

  it("respects currencies without a minor unit", () => {
    expect(formatMoneyMap({ JPY: 1500 }, "en")).toBe("¥1,500");
  });

  it("writes the language's own way", () => {
    expect(formatMoneyMap({ RUB: 123_450 }, "ru")).toMatch(/^1\s234,50\s₽$/);
  });
});

describe("EPC", () => {
  it("keeps fractions of a cent", () => {
    expect(formatEpc(4.1667, "USD", "en")).toBe("$0.0417");
    expect(formatEpc(250, "USD", "en")).toBe("$2.50");
  });

  it("shows a dash without any", () => {
    expect(formatEpcMap({}, "en")).toBe("—");
    expect(formatEpcMap({ USD: 12.5 }, "en")).toBe("$0.125");
  });
});

describe("percentages", () => {
  it("writes CR from a number of percent", () => {
    expect(formatPercentValue(4.1667, "en")).toBe("4.17%");
    expect(formatPercentValue(null, "en")).toBe("—");
  });

  it("writes a finance ROI: negative, large, in Russian, and a dash without spend", () => {
    expect(formatPercentValue(-40, "en")).toBe("-40%");
    expect(formatPercentValue(1250, "en")).toBe("1,250%");
    expect(formatPercentValue(12.5, "ru").replace(/\s/g, " ")).toBe("12,5 %");
    expect(formatPercentValue(undefined, "ru")).toBe("—");
    expect(formatPercentValue(Number.NaN, "en")).toBe("—");
  });

  it("writes one currency's ROI alone and names several", () => {
    expect(formatRoiMap({ USD: 60 }, "en")).toBe("60%");
    expect(formatRoiMap({ USD: 60, EUR: null }, "en")).toBe("EUR — · USD 60%");
    expect(formatRoiMap(null, "en")).toBe("—");
  });
});

describe("chart metrics", () => {
  const withMoney = row({ payout: { USD: 2500, EUR: 900 }, revenue: { USD: 4000 } });

  it("reads counts and one currency's money", () => {
    expect(metricValue(withMoney, "clicks", "USD")).toBe(120);
    expect(metricValue(withMoney, "conversions", null)).toBe(5);
    expect(metricValue(withMoney, "payout", "EUR")).toBe(900);
    expect(metricValue(withMoney, "revenue", "EUR")).toBe(0);
    expect(metricValue(row({}), "revenue", "USD")).toBe(0);
  });

  it("charts money in the currency with the most payout", () => {
    expect(primaryCurrency(withMoney)).toBe("USD");
    expect(primaryCurrency(row({ revenue: { EUR: 1 } }))).toBe("EUR");
    expect(primaryCurrency(row({}))).toBeNull();
  });

  it("formats values and axis ticks", () => {
    expect(formatMetric(1234, "clicks", null, "en")).toBe("1,234");
    expect(formatMetric(1234, "payout", "USD", "en")).toBe("$12.34");
    expect(formatTick(1500, "clicks", null, "en")).toBe("1.5K");
    expect(formatTick(250_000, "revenue", "USD", "en")).toBe("$2.5K");
  });
});
