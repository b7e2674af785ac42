import { describe, expect, it } from "vitest";
import { failurePercent, failureTone, formatFailureRate, hourBars } from "@/features/monitor/failure-rate";

describe("failurePercent", () => {
  it("turns the API's fraction into a percentage with one decimal", () => {
    expect(failurePercent(0)).toBe(0);
    expect(failurePercent(0.1234)).toBe(12.3);
    expect(failurePercent(0.0005)).toBe(0.1);
    expect(failurePercent(1)).toBe(100);
  });

  it("stays between 0 and 100 for odd input", () => {
    expect(failurePercent(-0.2)).toBe(0);
    expect(failurePercent(1.7)).toBe(100);
    expect(failurePercent(Number.NaN)).toBe(0);
  });
});

describe("formatFailureRate", () => {
  it("writes the percentage as the language does", () => {
    expect(formatFailureRate(0.1234, "en")).toBe("12.3%");
    expect(formatFailureRate(0, "en")).toBe("0%");
  });
});

describe("failureTone", () => {
  it("is calm under 5 %, a warning from 5 % and alarming from 20 %", () => {
    expect(failureTone(0.049)).toBe("success");
    expect(failureTone(0.05)).toBe("warning");
    expect(failureTone(0.2)).toBe("destructive");
  });
});

describe("hourBars", () => {
  it("scales every hour to the busiest one and marks its failed part", () => {
    const bars = hourBars([
      { hour: "2025-01-01T10", attempts: 40, failures: 10 },
      { hour: "2025-01-01T11", attempts: 20, failures: 0 },
      { hour: "2025-01-01T12", attempts: 0, failures: 0 },
    ]);
    expect(bars.map(({ height, failedShare }) => [height, failedShare])).toEqual([
      [100, 25],
      [50, 0],
      [0, 0],
    ]);
  });

  it("draws flat bars for a quiet day", () => {
    expect(hourBars([{ hour: "h", attempts: 0, failures: 0 }])[0]).toMatchObject({ height: 0, failedShare: 0 });
  });
});
